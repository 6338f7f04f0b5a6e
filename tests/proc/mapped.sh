# Mappings of a tmpfs file (apps/mapped.c): MAP_SHARED both ways with
# read() and write(), MAP_PRIVATE as a copy, msync, SIGBUS past the end
# after a truncation, EACCES for a write-only fd.
. "$(dirname "$0")/../lib.bash"

boot "$GUESTS/mapped.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
if grep -q 'not implemented' "$out"; then fail "a syscall was missing"; fi
echo ok
