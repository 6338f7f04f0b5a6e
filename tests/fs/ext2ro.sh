# An ext2 image on a read-only vbd: the guest (tests/fs/apps/ext2ro.c)
# cannot mount it for writing (EROFS), mounts it read-only and reads it,
# and every change is EROFS; the image is byte for byte as it was.
#@ setup mkdir -p t && echo hello >t/hello && "$ROOT/tools/mkext2" -b 4096 t ro.img && cp ro.img ro.orig
#@ disk ro.img ro
#@ image build/tests/fs/ext2ro.elf /dev/xvda /d
#@ expect 6
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
cmp -s "$job/ro.img" "$job/ro.orig" || fail "the read-only image changed"
echo ok
