# sendfile(2) from a file to a socket, as an httpd serves a file: the
# guest (apps/sendfile.c) writes 16 MiB of a pattern into its tmpfs and
# sends it to dom0 with sendfile; dom0 (sendfile.dom0) reads it to the
# end and compares it byte for byte.
#@ net
#@ image build/tests/net/sendfile.elf 16777216
#@ dom0 tests/net/sendfile.dom0
#@ xl memory=64
#@ timeout 600
#@ expect 15
. "$(dirname "$0")/../lib.bash"
cat "$out"
cat "$job/dom0.out" 2>/dev/null || true
expect_rc 0
expect_grep "$out" '^ok: sendfile sent 16777216 bytes$'
expect_grep "$job/dom0.out" '^ok: 16777216 bytes came byte for byte in'
echo ok
