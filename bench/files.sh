#!/bin/bash
# bench/files.sh: sequential write and read of a 16 MiB file in 64 KiB
# calls on rumpxen's tmpfs root next to the Linux host's tmpfs (/dev/shm),
# in the same run. Prints a Markdown section.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/bench
tools/rumpxen-cc -O2 -o build/bench/tmpfs.elf bench/programs/tmpfs.c
cc -O2 -o build/bench/tmpfs-host bench/programs/tmpfs.c
guest=$(tools/rumpxen run --timeout 600 build/bench/tmpfs.elf / 16 | grep '^write_mbs')
host=$(build/bench/tmpfs-host /dev/shm 16)
field() { awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<<"$1"; }
echo "## tmpfs throughput"
echo
echo "A 16 MiB file written then read sequentially in 64 KiB calls: rumpxen's"
echo "tmpfs root (Xen PV under QEMU TCG, dom0 mode) and the Linux host's tmpfs."
echo
echo "| | write MB/s | read MB/s |"
echo "|---|---|---|"
echo "| rumpxen | $(field "$guest" write_mbs) | $(field "$guest" read_mbs) |"
echo "| Linux host | $(field "$host" write_mbs) | $(field "$host" read_mbs) |"
echo
