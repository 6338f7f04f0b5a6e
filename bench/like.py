"""bench/like.py OUTDIR NAME QEMU CPUS PROGRAM...: the Markdown section of
bench/like.sh for the list bench/NAME.list. Reads the "bench FIGURE VALUE
UNIT" lines of the batch's jobs in OUTDIR (rx-PROGRAM, one a program, and
linux-NAME) and their timing files (each domain's CPU time), prints for
each figure the median of each side's runs (bench/figures.py), and
writes the ratios to OUTDIR/ratios for the plot."""

import os
import sys
import time

from domains import table
from figures import figures, runs, speed_table

out, name, qemu, cpus, programs = (sys.argv[1], sys.argv[2], sys.argv[3],
                                   int(sys.argv[4]), sys.argv[5:])

rx = figures([os.path.join(out, f"rx-{p}", "out") for p in programs])
lx = figures([os.path.join(out, f"linux-{name}", "out")])
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
      f"Each figure is the median of {runs(rx, lx)} runs within one run of its "
      f"program. Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
      f"with {qemu}.\n")
print("\n".join(speed_table(rx, lx, os.path.join(out, "ratios"))))
print("\nEach domain's CPU time, as xl saw it when the domain ended, beside "
      "its time from `xl create` to its end (the rest went to dom0 and to "
      "booting; the Linux domU runs every program of the list):\n")
print("\n".join(table(out, [f"rx-{p}" for p in programs] + [f"linux-{name}"])))
print(f"\n![rumpxen's speed / Linux's]({name}.png)\n")
