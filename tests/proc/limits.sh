# RLIMIT_NOFILE enforced, prctl's names, memfd_create
# (tests/proc/apps/limits.c): natively first, to show the expectations
# are Linux's, then on Xen.
. "$(dirname "$0")/../lib.bash"
native tests/proc/apps/limits.c
boot "$GUESTS/limits.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
echo ok
