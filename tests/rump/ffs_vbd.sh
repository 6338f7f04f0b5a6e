# NetBSD's rump kernel on a Xen disk: a domU under xl (the full host)
# linking NetBSD's FFS mounts an FFS image that makefs made from the tree
# of tree.h, given as the vbd xvda; it reads every file back, writes a new
# one, unmounts. After the run a host program (platform/posix, the same
# libraries) mounts the image file and finds the tree and the new file.
#@ setup mkdir tree && "$ROOT/build/tests/rump/mktree" tree && makefs -t ffs -s 8m ffs.img tree >/dev/null
#@ disk ffs.img
#@ config disk=/dev/xvda
#@ image build/tests/rump/netbsd_rump.elf
#@ expect 10
. "$(dirname "$0")/../lib.bash"
needs_rump_guest "$GUESTS/netbsd_rump.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^ok: every file of the tree reads back as makefs wrote it$'
expect_grep "$out" '^ok: mounted again, the new file reads back$'
rc=0
timeout 300 "$GUESTS/netbsd_rump_posix" --check "$job/ffs.img" >"$tmp/check" 2>&1 || rc=$?
cat "$tmp/check"
[ $rc = 0 ] || fail "the host could not read back what the guest wrote"
echo ok
