# RLIMIT_NOFILE enforced, prctl's names, memfd_create
# (tests/proc/apps/limits.c): natively first, to show the expectations
# are Linux's, then on Xen.
. "$(dirname "$0")/../lib.bash"
cc -O2 -Wall -o "$tmp/limits" tests/proc/apps/limits.c
"$tmp/limits" >"$tmp/native.out" || { cat "$tmp/native.out"; fail "natively"; }
grep -q '^0 failures$' "$tmp/native.out" || fail "natively: $(cat "$tmp/native.out")"
boot "$GUESTS/limits.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
echo ok
