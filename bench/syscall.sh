#!/bin/bash
# bench/syscall.sh: what a system call costs a program on rumpxen (a
# function call into the kernel, which takes and gives back its virtual
# CPU) next to the same program on the Linux host, in the same run; the
# cost of an empty function call in each says how much slower the
# emulated guest runs. Prints a Markdown section.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/bench
tools/rumpxen-cc -O2 -o build/bench/getpid.elf bench/programs/getpid.c
cc -O2 -o build/bench/getpid-host bench/programs/getpid.c
guest=$(tools/rumpxen run --timeout 600 build/bench/getpid.elf 1000000 | grep '^getpid_ns')
host=$(build/bench/getpid-host 10000000)
# field FIGURES NAME: the number after NAME.
field() { awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<<"$1"; }
gp=$(field "$guest" getpid_ns) gc=$(field "$guest" call_ns)
hp=$(field "$host" getpid_ns) hc=$(field "$host" call_ns)
echo "## System call cost"
echo
echo "getpid() in a loop, rumpxen (Xen PV under QEMU TCG, dom0 mode) and the"
echo "Linux host running the same program natively; an empty function call"
echo "measures each machine's speed."
echo
echo "| | getpid() ns | empty call ns | getpid / call |"
echo "|---|---|---|---|"
awk -v p="$gp" -v c="$gc" 'BEGIN { printf "| rumpxen | %.1f | %.2f | %.0f |\n", p, c, p / c }'
awk -v p="$hp" -v c="$hc" 'BEGIN { printf "| Linux host | %.1f | %.2f | %.0f |\n", p, c, p / c }'
echo
