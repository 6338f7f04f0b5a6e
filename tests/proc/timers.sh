# alarm, setitimer and getitimer, timerfd (tests/proc/apps/timers.c):
# natively first, to show the expectations are Linux's, then on Xen.
. "$(dirname "$0")/../lib.bash"
native tests/proc/apps/timers.c
boot "$GUESTS/timers.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
echo ok
