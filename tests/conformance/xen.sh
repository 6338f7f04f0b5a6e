# The rumpuser conformance suite on platform/xen, with a 1 MiB RAM disk as
# its block device.
. "$(dirname "$0")/../lib.bash"

head -c 1048576 /dev/zero >"$tmp/disk.img"
boot --ramdisk "$tmp/disk.img" "$GUESTS/conformance.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^[0-9]+ checks, 0 failed$'
if grep -q '^not ok' "$out"; then fail "a check failed"; fi
echo ok
