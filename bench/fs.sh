#!/bin/bash
# File systems on the full Xen host, in one boot of it: the same program
# (bench/fs/fsbench.c) on an ext2 vbd that mke2fs made (4 KiB blocks, 256
# MiB, sparse), in a rumpxen domU (our kern/fs/ext2 and buffer cache) and
# in a Debian Linux domU (the kernel's own ext2, ext4's driver): a MIB MiB
# file (default 64) written and read sequentially, FILES (default 10000)
# small files made, walked as find walks them, and deleted, each figure
# from cold caches (a remount between). Prints a Markdown section and
# draws bench/fs.png with the ratio rumpxen / Linux of each figure.
set -euo pipefail
cd "$(dirname "$0")/.."
cpus=${CPUS:-2} # dom0 keeps the first to itself
mib=${MIB:-64}
files=${FILES:-10000}
b=build/bench/fs
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$b" "$out/jobs"
tools/rumpxen-cc -O2 -o "$b/fsbench.elf" bench/fs/fsbench.c
musl-gcc -static -O2 -o "$b/fsbench" bench/fs/fsbench.c
# The Linux domU needs ext4's module (its ext2) and what it depends on.
cache=${RUMPXEN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rumpxen}
kmods=$cache/xenhost/root/lib/modules/$(cat "$cache/xenhost/kernel-version")/kernel
mods="crypto/crc32c_generic lib/crc16 fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4"
for m in $mods; do cp "$kmods/$m.ko" "$b/"; done
printf '%s\n' '#!/bin/sh' \
	"for m in $(for m in $mods; do basename $m; done | tr '\n' ' '); do" \
	'	busybox insmod /bin/$m.ko || exit 1' 'done' \
	'exec /bin/fsbench /dev/xvda /mnt "$@"' >"$b/job"
chmod +x "$b/job"
tools/xenhost/mkdomu "$b/domu.cpio" "$b/job" "$b/fsbench" \
	$(for m in $mods; do echo "$b/$(basename $m).ko"; done)
limit=1800
disk='#@ setup mkdir -p empty && "$ROOT/tools/mkext2" -b 4096 -s 256 empty disk.img'
printf '%s\n' '# The rumpxen side of bench/fs.sh.' "$disk" '#@ disk disk.img' \
	"#@ image $b/fsbench.elf /dev/xvda /mnt $mib $files" '#@ xl memory=256' \
	"#@ timeout $limit" >"$out/jobs/rx-fs.sh"
printf '%s\n' '# The Linux side of bench/fs.sh.' "$disk" '#@ disk disk.img' \
	'#@ image build/xenhost/vmlinux' "#@ ramdisk $b/domu.cpio" \
	"#@ xl extra=\"console=hvc0 rdinit=/init quiet -- $mib $files\"" \
	'#@ xl memory=256' "#@ timeout $limit" >"$out/jobs/linux-fs.sh"
tools/rumpxen batch --cpus "$cpus" "$out" "$out/jobs/rx-fs.sh" "$out/jobs/linux-fs.sh" >&2
for j in rx-fs linux-fs; do
	[ "$(cat "$out/$j/rc")" = 0 ] && grep -q '^fsbench: done' "$out/$j/out" || {
		echo "bench: $j failed" >&2
		cat "$out/$j/out" "$out/$j/err" >&2 || true
		exit 1
	}
done
python3 - "$out" "$cpus" "$mib" "$files" >"$out/table" <<'PY'
import sys
out, cpus, mib, files = sys.argv[1:5]
def figures(job):
    got = {}
    for line in open(f"{out}/{job}/out"):
        w = line.split()
        if len(w) == 4 and w[0] == "bench":
            got[w[1]] = (float(w[2]), w[3])
    return got
rx, lx = figures("rx-fs"), figures("linux-fs")
names = {"seqwrite": f"sequential write, {mib} MiB, fsync",
         "seqread": f"sequential read, {mib} MiB",
         "create": f"create {files} files of 256 bytes, sync",
         "walk": "walk the tree (readdir, lstat)",
         "delete": f"delete the {files} files, sync"}
print("## File systems: ext2 against a Linux domU's\n")
print(f"One boot of the emulated host (QEMU TCG, {cpus} CPUs, dom0 on the "
      "first); the same program (bench/fs/fsbench.c) in each domU (256 MiB) "
      "on a 256 MiB ext2 vbd made by mke2fs (4 KiB blocks), remounted "
      "between figures so that each starts cold. Linux's ext2 is ext4's "
      "driver. Higher is better for rumpxen in every figure.\n")
print("| work | rumpxen | Linux domU | rumpxen / Linux |")
print("|---|---|---|---|")
with open(f"{out}/ratios", "w") as r:
    for key, name in names.items():
        (a, unit), (b, _) = rx[key], lx[key]
        print(f"| {name} | {a:g} {unit} | {b:g} {unit} | {a / b:.2f} |")
        print(f"{key} {a / b:.3f}", file=r)
print("\n![rumpxen / Linux](fs.png)\n")
PY
cat "$out/table"
python3 bench/domains.py "$out" rx-fs linux-fs
gnuplot <<GP
set terminal png size 800,400
set output "bench/fs.png"
set title "ext2 on the emulated Xen host: rumpxen / Linux domU"
set style fill solid 0.6
set boxwidth 0.6
set yrange [0:*]
set grid ytics
plot "$out/ratios" using 0:2:xtic(1) with boxes notitle, 1 with lines lt 0 title "as fast as Linux"
GP
