# Sockets on lwIP over netfront (issue: sockets, part 1): netserve, a C
# program built with rumpxen-cc, echoes 1 MiB through 127.0.0.1 and
# cancels threads waiting in accept and recv, then
# serves TCP and UDP echo on its vif (the address xl gave it) while dom0
# (sockets.dom0) pings it 1,000 times, makes 1,000 connections one after
# another and 100 at once, sends 100 datagrams, finds a closed port
# refused, comes back 5 times from one port to a service that closes
# first (its TIME_WAIT ended by Linux's RST) and echoes 16 MiB each way
# byte for byte; then the guest is the
# client of an echo server in dom0. All in a domain of 8 MiB, the size
# the httpd demo aims at: lwIP takes its memory as it needs it.
#@ net
#@ image build/tests/net/netserve.elf 192.0.2.1:7000
#@ dom0 tests/net/sockets.dom0
#@ xl memory=8
#@ timeout 900
#@ expect 45
. "$(dirname "$0")/../lib.bash"
cat "$out"
cat "$job/dom0.out" 2>/dev/null || true
expect_rc 0
expect_grep "$out" '^ok: 1 MiB echoed through 127\.0\.0\.1$'
expect_grep "$out" '^ok: pthread_cancel ends a wait in accept and in recv$'
expect_grep "$out" '^ok: served [0-9]+ connections and [0-9]+ datagrams$'
expect_grep "$out" '^ok: 1 MiB echoed by dom0.s server at 192\.0\.2\.1:7000$'
d=$job/dom0.out
expect_grep "$d" '^ok: the port accepts$'
expect_grep "$d" '^pings: 1000 of 1000 answered'
expect_grep "$d" '^ok: 1000 connections one after another, each echoed$'
expect_grep "$d" '^ok: 100 connections open at once, each echoed$'
expect_grep "$d" '^ok: 100 datagrams echoed from the port'
expect_grep "$d" '^ok: a closed port refuses$'
expect_grep "$d" '^ok: 5 connections from one port, each served'
expect_grep "$d" '^ok: 16777216 bytes echoed byte for byte in'
if grep -q FAILED "$d"; then
	fail "dom0's client found a fault"
fi
echo ok
