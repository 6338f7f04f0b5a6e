# Tier 3: blkfront. The guest (guests/blk.c) writes a pattern over a
# 64 MiB vbd with 64 requests in flight, flushes, reads it back; checks a
# read-only vbd refuses writes with EROFS; at exit both detach without a
# complaint. After the run the host finds the pattern in the disk file.
#@ setup truncate -s 64M disk.img
#@ setup truncate -s 1M ro.img && printf 'read-only disk' | dd of=ro.img bs=4096 seek=1 conv=notrunc 2>/dev/null
#@ disk disk.img
#@ disk ro.img ro
#@ image build/tests/system/blk.elf
#@ expect 19
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 0
# At the end the disks detach cleanly: no complaint from blkfront.
if grep '^blkfront' "$out"; then fail "blkfront complained"; fi
python3 - "$job/disk.img" <<'PY' || fail "the disk file does not hold the pattern"
import struct, sys
data = open(sys.argv[1], "rb").read()
assert len(data) == 64 << 20, len(data)
for s in range(len(data) // 512):
    want = struct.pack("<128I", *(((s * 2654435761) + w) & 0xffffffff for w in range(128)))
    if data[s * 512:(s + 1) * 512] != want:
        sys.exit(f"sector {s} differs")
print("the host finds the pattern in all 131072 sectors")
PY
echo ok
