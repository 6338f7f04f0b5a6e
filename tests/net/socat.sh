# An unmodified network program: socat from Debian's source package,
# built by its own configure and make with tools/rumpxen-cc (Makefile),
# relays one connection: dom0 (socat.dom0) sends 16 MiB to the guest's
# port 7, socat carries it to dom0's echo server on 192.0.2.1:7000 and
# the echo back, and dom0 compares what returns byte for byte; socat's
# own log (-d -d) says what it did, and it exits 0 when both ends close.
#@ net
#@ image build/apps/socat.elf -d -d TCP4-LISTEN:7,reuseaddr TCP4:192.0.2.1:7000
#@ dom0 tests/net/socat.dom0
#@ xl memory=32
#@ timeout 600
#@ expect 30
. "$(dirname "$0")/../lib.bash"
cat "$out"
cat "$job/dom0.out" 2>/dev/null || true
expect_rc 0
expect_grep "$out" 'N listening on AF=2 0\.0\.0\.0:7'
expect_grep "$out" 'N starting data transfer loop'
expect_grep "$job/dom0.out" '^ok: 16777216 bytes out and back byte for byte in'
expect_grep "$job/dom0.out" '^ok: served 1 connections on port 7000$'
echo ok
