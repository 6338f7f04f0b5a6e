# The world around a program (tests/proc/apps/tree.c): its environment
# (HOME, PATH, TERM, LANG), /tmp, /var/tmp and /dev/shm sticky, /home and
# /root, tmpfile and mkstemp, root in /etc/passwd and /etc/group, the
# time zone UTC, memory counted alike by sysconf and sysinfo. The same
# program runs natively first, to show the expectations are Linux's; then
# on Xen; then with a RAM disk whose /etc/passwd gives root another home,
# which wins over the kernel's.
. "$(dirname "$0")/../lib.bash"
native tests/proc/apps/tree.c native

boot "$GUESTS/tree.elf" rumpxen
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'

mkdir -p "$tmp/root/etc"
echo 'root:x:0:0:admin:/admin:/bin/sh' >"$tmp/root/etc/passwd"
(cd "$tmp/root" && find . | cpio -o -H newc --quiet) >"$tmp/etc.cpio"
boot --ramdisk "$tmp/etc.cpio" "$GUESTS/tree.elf" override
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
echo ok
