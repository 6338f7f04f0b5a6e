# /proc and /sys (tests/proc/apps/procfs.c): the process's files, the
# system's, and their listings, natively first to show the expectations
# are Linux's, then on Xen.
. "$(dirname "$0")/../lib.bash"
native tests/proc/apps/procfs.c one "two words"
boot "$GUESTS/procfs.elf" one "two words"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
echo ok
