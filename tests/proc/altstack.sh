# sigaltstack and SA_ONSTACK handlers (tests/proc/apps/altstack.c):
# natively first, to show the expectations are Linux's, with a thread's
# stack overflow caught on its alternate stack; then on Xen, without
# that: Xen builds the exception frame of a fault on the faulting stack,
# and a stack that overflowed has no room for it (Xen ends the domain).
. "$(dirname "$0")/../lib.bash"
native tests/proc/apps/altstack.c overflow
boot "$GUESTS/altstack.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
echo ok
