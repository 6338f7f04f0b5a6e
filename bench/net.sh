#!/bin/bash
# Network on the full Xen host, in one boot of it: round trips of 60-byte
# frames from dom0 (median of 2,000) and TCP echo throughput from dom0
# (8 MiB each way), for rumpxen (the if_virt echo guest; NetBSD's TCP/IP
# on netfront) and, as the baseline, a Debian Linux domU doing the same
# (tools/xenhost/netecho.c). Prints a Markdown section; adds the ratios
# to bench/net.png.
set -euo pipefail
cd "$(dirname "$0")/.."
cpus=${CPUS:-2} # dom0 keeps the first to itself
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The order matters: linuxnet is told the third job's address.
tools/rumpxen batch --cpus "$cpus" "$out" bench/jobs/rxframes.sh bench/jobs/rxtcp.sh bench/jobs/linuxnet.sh
for j in rxframes rxtcp linuxnet; do
	[ "$(cat "$out/$j/rc")" = 0 ] && [ -s "$out/$j/dom0.out" ] || {
		echo "bench: $j failed" >&2
		cat "$out/$j/out" "$out/$j/err" "$out/$j/dom0.out" >&2 || true
		exit 1
	}
done
python3 - "$out" "$cpus" <<'PY'
import re, sys
out = sys.argv[1]
def dom0(job):
    return open(f"{out}/{job}/dom0.out").read()
def rtt(text):
    return float(re.search(r"median (\d+) us", text).group(1))
def tcp(text):
    m = re.search(r"ok: (\d+) bytes echoed byte for byte in ([\d.]+) s", text)
    return int(m.group(1)) / float(m.group(2)) / 1e6
rows = [("frame round trip, 60 bytes (median, us; lower is better)",
         rtt(dom0("rxframes")), rtt(dom0("linuxnet"))),
        ("TCP echo from dom0, 8 MiB each way (MB/s)",
         tcp(dom0("rxtcp")), tcp(dom0("linuxnet")))]
print("## Network: netfront against a Linux domU\n")
print(f"One boot of the emulated host (QEMU TCG, {sys.argv[2]} CPUs, dom0 on the "
      "first, the domUs on the others); dom0 measures, through "
      "the bridge its vifs are on.\n")
print("| work | rumpxen | Linux domU | rumpxen / Linux |")
print("|---|---|---|---|")
with open(f"{out}/ratios", "w") as f:
    for name, a, b in rows:
        print(f"| {name} | {a:.1f} | {b:.1f} | {a / b:.2f} |")
        f.write(f"{name.split(',')[0].split(' (')[0].replace(' ', '-')} {a / b:.3f}\n")
print("\n![rumpxen / Linux](net.png)\n")
PY
python3 bench/domains.py "$out" rxframes rxtcp linuxnet
gnuplot <<GP
set terminal png size 600,400
set output "bench/net.png"
set title "Network on the emulated Xen host: rumpxen / Linux domU"
set style fill solid 0.6
set boxwidth 0.5
set yrange [0:*]
set grid ytics
plot "$out/ratios" using 0:2:xtic(1) with boxes notitle
GP
