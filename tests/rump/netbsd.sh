# A real NetBSD rump kernel on our rumpuser implementation, as a Xen guest:
# tests/rump/netbsd_rump.c with an FFS image, made by Debian's makefs from
# the tree of tree.h, as its RAM disk. Without the NetBSD libraries
# (RUMP_LIBS, ../shared/netbsd-rump by default) the test says it is
# skipped and why; under CI their absence is a failure.
. "$(dirname "$0")/../lib.bash"

if [ ! -f "$GUESTS/netbsd_rump.elf" ]; then
	echo "SKIPPED: no NetBSD rump kernel libraries (../shared/netbsd-rump or RUMP_LIBS)"
	[ "${CI:-}" != true ] || fail "CI must run this test"
	exit 0
fi
mkdir "$tmp/tree"
"$GUESTS/mktree" "$tmp/tree" || fail "mktree failed"
makefs -t ffs -s 8m "$tmp/ffs.img" "$tmp/tree" >/dev/null || fail "makefs failed"
boot --ramdisk "$tmp/ffs.img" "$GUESTS/netbsd_rump.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^ok: mounted again, the new file reads back$'
echo ok
