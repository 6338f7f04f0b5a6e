# The rumpuser conformance suite on platform/xen with Xen disks as its
# block devices: a domU under xl, with an 8 MiB read-write vbd and a
# read-only one (rumpuser.md §9 items 36-40 on blkfront).
#@ setup truncate -s 8M disk.img && truncate -s 1M ro.img
#@ disk disk.img
#@ disk ro.img ro
#@ config blockdev=/dev/xvda blockdev_size=8388608 blockdev_ro=/dev/xvdb
#@ image build/tests/conformance/conformance.elf
#@ expect 13
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 0
expect_grep "$out" '^ok [0-9]+ - open\(/dev/xvda, RDWR\|BIO\)$'
expect_grep "$out" '^ok [0-9]+ - a BIO_SYNC write completes once, whole, in kernel context$'
expect_grep "$out" '^ok [0-9]+ - open\(/dev/xvdb, RDWR\|BIO\) of a read-only device is EROFS$'
expect_grep "$out" '^[0-9]+ checks, 0 failed$'
if grep -q '^not ok' "$out"; then fail "a check failed"; fi
echo ok
