# A real NetBSD rump kernel on our rumpuser implementations, the same test
# program (netbsd_rump.c) on both: as a host program on platform/posix,
# then as a Xen guest; and, on POSIX, NetBSD's TCP/IP over our if_virt
# hypercalls (netbsd_net.c: two processes, one pings the other). Each gets its own copy of an FFS image that Debian's
# makefs made from the tree of tree.h (a file on POSIX, the RAM disk on
# Xen). Without the NetBSD libraries (RUMP_LIBS, ../shared/netbsd-rump by
# default) the test says it is skipped and why; under CI their absence is
# a failure.
. "$(dirname "$0")/../lib.bash"

needs_rump_guest "$GUESTS/netbsd_rump.elf"
mkdir "$tmp/tree"
"$GUESTS/mktree" "$tmp/tree" || fail "mktree failed"
makefs -t ffs -s 8m "$tmp/ffs.img" "$tmp/tree" >/dev/null || fail "makefs failed"
cp "$tmp/ffs.img" "$tmp/posix.img"

echo "--- platform/posix"
rc=0
timeout 300 "$GUESTS/netbsd_rump_posix" "$tmp/posix.img" >"$out" 2>"$err" || rc=$?
cat "$out"
expect_rc 0
expect_grep "$out" '^ok: mounted again, the new file reads back$'

echo "--- network on platform/posix: two processes ping across if_virt"
rc=0
timeout 600 "$GUESTS/netbsd_net_posix" >"$out" 2>"$err" || rc=$?
cat "$out"
expect_rc 0
expect_grep "$out" '^pings: 100 of 100 answered'

echo "--- platform/xen"
boot --ramdisk "$tmp/ffs.img" "$GUESTS/netbsd_rump.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^ok: mounted again, the new file reads back$'
echo ok
