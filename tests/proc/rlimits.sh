# RLIMIT_FSIZE, RLIMIT_AS and RLIMIT_DATA enforced, getrlimit and
# prlimit64 agreeing (tests/proc/apps/rlimits.c): natively first, to
# show the expectations are Linux's, then on Xen.
. "$(dirname "$0")/../lib.bash"
native tests/proc/apps/rlimits.c
boot "$GUESTS/rlimits.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
echo ok
