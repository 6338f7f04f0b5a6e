# CPU time: getrusage, times, the CPU-time clocks (tests/proc/apps/cputime.c):
# natively first, to show the expectations are Linux's, then on Xen.
. "$(dirname "$0")/../lib.bash"
native tests/proc/apps/cputime.c
boot "$GUESTS/cputime.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
echo ok
