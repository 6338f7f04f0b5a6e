# Tier 3: disks from the host. Two files become QEMU drives, dom0 block
# devices and the domU's vbds (xvda read-write, xvdb read-only); the guest
# sees both in xenstore with their backends, connected by our hotplug
# script; dom0's part (disk.dom0) reads what the host put on the first
# and writes a line back through the same device, which the host finds in
# the file after the run. (The guest's own reads and writes come with
# blkfront.)
#@ setup truncate -s 8M disk.img && printf 'put there by the host' | dd of=disk.img conv=notrunc 2>/dev/null
#@ setup truncate -s 1M ro.img
#@ disk disk.img
#@ disk ro.img ro
#@ image build/tests/system/devices.elf vbd device-type back:mode back:physical-device back:hotplug-status
#@ dom0 tests/system/disk.dom0
#@ expect 10
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 0
vbd=' backend=/local/domain/0/backend/vbd/[0-9]+/'
expect_grep "$out" "^vbd 51712:${vbd}51712 device-type=disk back:mode=w back:physical-device=[0-9a-f]+:[0-9a-f]+ back:hotplug-status=connected$"
expect_grep "$out" "^vbd 51728:${vbd}51728 device-type=disk back:mode=r back:physical-device=[0-9a-f]+:[0-9a-f]+ back:hotplug-status=connected$"
expect_grep "$out" "^dom0: read 'put there by the host' from /dev/vd[a-z]$"
got=$(dd if="$job/disk.img" bs=512 skip=8 count=1 2>/dev/null | tr -d '\0')
[ "$got" = "written by dom0" ] || fail "the disk file holds [$got] at 4096, not dom0's line"
echo ok
