# --ramdisk FILE gives the guest FILE as its second multiboot module: the
# guest hashes what it finds there and the hash must be FILE's.
. "$(dirname "$0")/../lib.bash"

head -c 100000 /dev/urandom >"$tmp/disk.img"
want=$(python3 - "$tmp/disk.img" <<'PY'
import sys
h = 2166136261
for b in open(sys.argv[1], "rb").read():
    h = ((h ^ b) * 16777619) & 0xffffffff
print(f"ramdisk: len=100000 fnv={h:08x}")
PY
)
boot --ramdisk "$tmp/disk.img" "$GUESTS/ramdisk_sum.elf"
expect_rc 0
expect_grep "$out" "^$want\$"

boot "$GUESTS/ramdisk_sum.elf"
expect_rc 1
expect_grep "$out" '^ramdisk: none$'
echo ok
