#!/bin/bash
# Boot times on the full Xen host, measured in one boot of it: the host
# until dom0 has the toolstack ready; for the rumpxen hello guest and, as
# the baseline, a Debian Linux domU, the time from `xl create` to its end,
# to the first byte on its console and to the end of the domain (dom0's
# clock, tools/xenhost/dom0-init). Runs ROUNDS (default 3) boots of the
# host; prints a Markdown section.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for r in $(seq "$rounds"); do
	tools/rumpxen batch "$out/$r" bench/jobs/hello.sh bench/jobs/linux.sh
	for j in hello linux; do
		[ "$(cat "$out/$r/$j/rc")" = 0 ] || {
			echo "bench: $j failed in round $r" >&2
			cat "$out/$r/$j/err" >&2
			exit 1
		}
	done
done
python3 - "$out" "$rounds" <<'PY'
import statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def timing(r, job):
    words = open(f"{out}/{r}/{job}/timing").read().split()
    return {k: float(v) for k, v in (w.split("=") for w in words)}
rows = {j: [timing(r, j) for r in range(1, rounds + 1)] for j in ("hello", "linux")}
med = lambda j, k: statistics.median(t[k] for t in rows[j])
print("## Boot on the full Xen host\n")
print(f"Median of {rounds} boots of the emulated host (QEMU TCG, no KVM), "
      "seconds on dom0's clock from the start of `xl create`.\n")
print(f"Host boot, QEMU start to toolstack ready: {med('hello', 'host_ready'):.1f} s\n")
print("| domU | xl create returns | first console byte | domain gone |")
print("|---|---|---|---|")
for j, label in (("hello", "rumpxen hello"), ("linux", "Debian Linux 6.1, tiny initramfs")):
    print(f"| {label} | {med(j, 'created'):.2f} | {med(j, 'first'):.2f} | {med(j, 'total'):.2f} |")
ratio = med("linux", "first") / med("hello", "first")
print(f"\nFirst console byte: Linux takes {ratio:.2f}x as long as rumpxen. "
      "Both include xl's own work before the domain runs.\n")
PY
