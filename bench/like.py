"""bench/like.py OUTDIR NAME QEMU CPUS PROGRAM...: the Markdown section of
bench/like.sh for the list bench/NAME.list. Reads the "bench FIGURE VALUE
UNIT" lines of the batch's jobs in OUTDIR (rx-PROGRAM, one a program, and
linux-NAME) and their timing files (each domain's CPU time), prints for each figure the median of each side's runs, how
many runs, and rumpxen's speed over Linux's (higher is better for
rumpxen: VALUE over VALUE for a rate, the inverse for a time or a count of
calls), and writes the ratios to OUTDIR/ratios for the plot."""

import os
import statistics
import sys
import time

from domains import table

out, name, qemu, cpus, programs = (sys.argv[1], sys.argv[2], sys.argv[3],
                                   int(sys.argv[4]), sys.argv[5:])


def figures(paths):
    """{figure: (values, unit)}, in the order they first come."""
    got = {}
    for path in paths:
        for line in open(path, errors="replace"):
            w = line.split()
            if len(w) == 4 and w[0] == "bench":
                got.setdefault(w[1], ([], w[3]))[0].append(float(w[2]))
    return got


def num(v):
    """v for the table: whole numbers from 100 up, else 3 digits."""
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


rx = figures([os.path.join(out, f"rx-{p}", "out") for p in programs])
lx = figures([os.path.join(out, f"linux-{name}", "out")])
counts = {len(v) for v, _ in rx.values()} | {len(v) for v, _ in lx.values()}
runs = "/".join(str(c) for c in sorted(counts))
print(f"## Like with like ({name}): rumpxen against a Linux domU\n")
print("The same C programs (bench/programs/, listed in "
      f"bench/{name}.list), built with tools/rumpxen-cc and with "
      "`musl-gcc -static`, run in one boot of the emulated Xen host: each "
      "rumpxen image a domU of its own, the Linux builds in one Debian "
      "Linux 6.1 PV domU (256 MiB each, one vCPU; the host under QEMU TCG "
      + ("with one CPU shared by dom0 and the domU). " if cpus == 1 else
         f"with {cpus} CPUs, dom0 pinned to the first and the domUs on the "
         "others). ")
      + 
      f"Each figure is the median of {runs} runs within one run of its "
      f"program. Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
      f"with {qemu}.\n")
print("| figure | rumpxen | Linux domU | runs | rumpxen speed / Linux |")
print("|---|---|---|---|---|")
with open(os.path.join(out, "ratios"), "w") as f:
    for fig, (a, unit) in rx.items():
        if fig not in lx:
            print(f"| {fig} | {num(statistics.median(a))} {unit} | (none) | "
                  f"{len(a)} | |")
            continue
        b = lx[fig][0]
        ma, mb = statistics.median(a), statistics.median(b)
        speed = ma / mb if unit.endswith("/s") else mb / ma
        print(f"| {fig} | {num(ma)} {unit} | {num(mb)} {unit} | {len(a)}/{len(b)} "
              f"| {speed:.2f} |")
        f.write(f"{fig} {speed:.4f}\n")
print("\nEach domain's CPU time, as xl saw it when the domain ended, beside "
      "its time from `xl create` to its end (the rest went to dom0 and to "
      "booting; the Linux domU runs every program of the list):\n")
print("\n".join(table(out, [f"rx-{p}" for p in programs] + [f"linux-{name}"])))
print(f"\n![rumpxen's speed / Linux's]({name}.png)\n")
