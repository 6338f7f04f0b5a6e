# alarm, setitimer and getitimer, timerfd (tests/proc/apps/timers.c):
# natively first, to show the expectations are Linux's, then on Xen.
. "$(dirname "$0")/../lib.bash"
cc -O2 -Wall -pthread -o "$tmp/timers" tests/proc/apps/timers.c
"$tmp/timers" >"$tmp/native.out" || { cat "$tmp/native.out"; fail "natively"; }
grep -q '^0 failures$' "$tmp/native.out" || fail "natively: $(cat "$tmp/native.out")"
boot "$GUESTS/timers.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
echo ok
