# mknod, mknodat and named FIFOs (tests/proc/apps/mknod.c):
# natively first, to show the expectations are Linux's, then on Xen.
. "$(dirname "$0")/../lib.bash"
native tests/proc/apps/mknod.c
boot "$GUESTS/mknod.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
echo ok
