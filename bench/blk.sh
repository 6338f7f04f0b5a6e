#!/bin/bash
# Disk throughput on the full Xen host, in one boot of it: rumpxen's
# blkfront (bench/guests/blkbench.c) and, as the baseline, a Debian Linux
# domU (tools/xenhost/blkbench.c, O_DIRECT), each on a 64 MiB vbd of the
# same kind: sequential writes and reads in 64 KiB requests (MB/s) and
# random 4 KiB reads (IOPS), with 1 and 32 requests in flight, 3 s each.
# Prints a Markdown section; draws bench/blk.png (gnuplot) with the ratio
# rumpxen / Linux of each figure.
set -euo pipefail
cd "$(dirname "$0")/.."
cpus=${CPUS:-2} # dom0 keeps the first to itself
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
tools/rumpxen batch --cpus "$cpus" "$out" bench/jobs/rxblk.sh bench/jobs/linuxblk.sh
for j in rxblk linuxblk; do
	[ "$(cat "$out/$j/rc")" = 0 ] || {
		echo "bench: $j failed" >&2
		cat "$out/$j/out" "$out/$j/err" >&2
		exit 1
	}
done
python3 - "$out" "$cpus" >"$out/table" <<'PY'
import sys
out = sys.argv[1]
def figures(job):
    got = {}
    for line in open(f"{out}/{job}/out"):
        w = line.split()
        if len(w) == 5 and w[0] == "bench":
            got[(w[1], w[2])] = (float(w[3]), w[4])
    return got
rx, lx = figures("rxblk"), figures("linuxblk")
print("## Disks: blkfront against a Linux domU\n")
print(f"One boot of the emulated host (QEMU TCG, {sys.argv[2]} CPUs, dom0 on the "
      "first); each figure from 3 s of work "
      "on a 64 MiB vbd (a QEMU virtio drive in dom0, blkback).\n")
print("| work | in flight | rumpxen | Linux domU | rumpxen / Linux |")
print("|---|---|---|---|---|")
for key in rx:
    (a, unit), (b, _) = rx[key], lx[key]
    name = {"seqwrite": "sequential write, 64 KiB", "seqread": "sequential read, 64 KiB",
            "randread": "random read, 4 KiB"}[key[0]]
    print(f"| {name} | {key[1][3:]} | {a:g} {unit} | {b:g} {unit} | {a / b:.2f} |")
    print(f"{key[0]}-{key[1]} {a / b:.3f}", file=open(f"{out}/ratios", "a"))
print("\n![rumpxen / Linux](blk.png)\n")
PY
cat "$out/table"
python3 bench/domains.py "$out" rxblk linuxblk
gnuplot <<GP
set terminal png size 800,400
set output "bench/blk.png"
set title "Disk work on the emulated Xen host: rumpxen / Linux domU"
set style fill solid 0.6
set boxwidth 0.6
set yrange [0:*]
set xtics rotate by -20
set grid ytics
plot "$out/ratios" using 0:2:xtic(1) with boxes notitle, 1 with lines lt 0 title "as fast as Linux"
GP
