"""bench/net.py OUTDIR QEMU CPUS SECONDS: the Markdown section of
bench/net.sh. Reads the "bench FIGURE VALUE UNIT" lines dom0's netload
printed for the jobs rx-net (rumpxen) and linux-net in OUTDIR, prints
each figure's median on both sides and rumpxen's speed over Linux's
(bench/figures.py) and each domain's CPU time, and writes the ratios to
OUTDIR/ratios for the plot."""

import os
import sys
import time

from domains import table
from figures import figures, runs, speed_table

out, qemu, cpus, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rx = figures([os.path.join(out, "rx-net", "dom0.out")])
lx = figures([os.path.join(out, "linux-net", "dom0.out")])
print("## Network: sockets against a Linux domU\n")
print("The same server (bench/net/netserve.c), built with tools/rumpxen-cc "
      "and with `musl-gcc -static`, runs in a rumpxen domU and in a Debian "
      "Linux 6.1 PV domU (256 MiB each, one vCPU) of one boot of the "
      f"emulated Xen host (QEMU TCG, {cpus} CPUs, dom0 pinned to the first "
      "and the domUs on the others); dom0's bench/net/netload.c measures "
      "each through the bridge their vifs are on: TCP throughput to the "
      "guest (in) and from it (out) over one connection and over eight, "
      "round trips of 64-byte requests and responses on one connection "
      "(tcp-rr), connections carrying one such round trip each (tcp-crr), "
      f"and 64-byte UDP round trips. Each figure lasts {seconds} s and is "
      f"the median of {runs(rx, lx)} runs. Measured "
      f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with {qemu}.\n")
print("\n".join(speed_table(rx, lx, os.path.join(out, "ratios"))))
print("\nEach domain's CPU time, as xl saw it when the domain ended, beside "
      "its time from `xl create` to its end (dom0's load generator and "
      "netback run on dom0's own CPU):\n")
print("\n".join(table(out, ["rx-net", "linux-net"])))
print("\n![rumpxen's speed / Linux's](net.png)\n")
