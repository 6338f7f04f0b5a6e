# A program on Xen writes a tree onto an ext2 vbd that Debian's mke2fs
# made (1 KiB blocks: single, double indirect blocks), mounted by the
# configuration word mount./data=ext2:/dev/xvda, reads it back, unmounts
# it and mounts it again by mount(2) from /dev/xvda, reads it once more
# and exits. Then the host's e2fsck -fn finds the image clean, and
# debugfs's rdump of what the program wrote equals the tree the same
# program (tests/fs/apps/ext2write.c) writes natively on the host.
#@ setup mkdir -p empty && "$ROOT/tools/mkext2" -b 1024 -s 32 empty disk.img
#@ disk disk.img
#@ config mount./data=ext2:/dev/xvda
#@ image build/tests/fs/ext2write.elf /data /dev/xvda
#@ expect 30
. "$(dirname "$0")/../lib.bash"
export PATH=$PATH:/usr/sbin:/sbin
cat "$out"
expect_rc 0
expect_grep "$out" '^301 files written, 291 read back$'
expect_grep "$out" '^after a remount: 291 read back$'
e2fsck -fn "$job/disk.img" >"$tmp/fsck" 2>&1 || { cat "$tmp/fsck"; fail "e2fsck finds the image not clean"; }
cc -O2 -o "$tmp/native" tests/fs/apps/ext2write.c
mkdir "$tmp/want" && "$tmp/native" "$tmp/want" >/dev/null
mkdir "$tmp/back" && debugfs -R "rdump /out $tmp/back" "$job/disk.img" >/dev/null 2>&1
python3 tests/fs/treelist.py "$tmp/want/out" >"$tmp/want.list"
python3 tests/fs/treelist.py "$tmp/back/out" >"$tmp/got.list"
[ -s "$tmp/want.list" ] || fail "no tree written natively"
diff "$tmp/want.list" "$tmp/got.list" || fail "the disk's tree is not the native one"
diff -r --no-dereference "$tmp/want/out" "$tmp/back/out" || fail "the disk's bytes are not the native ones"
echo ok
