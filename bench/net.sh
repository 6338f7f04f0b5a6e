#!/bin/bash
# Network on the full Xen host: the same server (bench/net/netserve.c)
# in a rumpxen domU and in a Debian Linux domU of one boot of it, each
# measured from dom0 by bench/net/netload.c (in dom0's initramfs) for
# SECONDS (default 2) a figure, RUNS (default 5) times, the host with
# CPUS CPUs (default 2: dom0 keeps the first to itself). Prints a
# Markdown section (bench/net.py) and draws the ratios into
# bench/net.png.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
seconds=${SECONDS_EACH:-2}
cpus=${CPUS:-2}
b=build/bench/net
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$b" "$out/jobs"
tools/rumpxen-cc -O2 -pthread -o "$b/netserve.elf" bench/net/netserve.c
musl-gcc -static -O2 -pthread -o "$b/netserve" bench/net/netserve.c
# The Linux domU's init gives the job its address (the runner gives the
# batch's job n 192.0.2.(10 + n); linux-net is the second).
printf '%s\n' '#!/bin/sh' 'busybox ifconfig lo 127.0.0.1 up' \
	'busybox ifconfig eth0 "$1" netmask 255.255.255.0 up' \
	'exec /bin/netserve' >"$b/job"
chmod +x "$b/job"
tools/xenhost/mkdomu "$b/domu.cpio" "$b/job" "$b/netserve"
printf '%s\n' '# dom0 measures the job'"'"'s netserve, then tells it to quit.' \
	'ip=$(xenstore-read /local/domain/0/backend/vif/$DOMID/0/ip)' \
	'echo 1 >/proc/sys/net/ipv4/tcp_tw_reuse' \
	"netload \"\$ip\" $seconds $runs" >"$out/netload.dom0"
limit=$((runs * seconds * 7 * 10 + 300))
printf '%s\n' '# The rumpxen side of bench/net.sh.' '#@ net' \
	"#@ image $b/netserve.elf" '#@ xl memory=256' \
	"#@ dom0 $out/netload.dom0" "#@ timeout $limit" >"$out/jobs/rx-net.sh"
printf '%s\n' '# The Linux side of bench/net.sh.' '#@ net' \
	'#@ image build/xenhost/vmlinux' "#@ ramdisk $b/domu.cpio" \
	'#@ xl extra="console=hvc0 rdinit=/init quiet -- 192.0.2.11"' \
	'#@ xl memory=256' "#@ dom0 $out/netload.dom0" \
	"#@ timeout $limit" >"$out/jobs/linux-net.sh"
tools/rumpxen batch --cpus "$cpus" "$out" "$out/jobs/rx-net.sh" "$out/jobs/linux-net.sh" >&2
for j in rx-net linux-net; do
	[ "$(cat "$out/$j/rc")" = 0 ] && grep -q '^netload: netserve quit' "$out/$j/dom0.out" || {
		echo "bench: $j failed" >&2
		cat "$out/$j/out" "$out/$j/err" "$out/$j/dom0.out" >&2 || true
		exit 1
	}
done
python3 bench/net.py "$out" "$(qemu-system-x86_64 --version | head -n 1)" "$cpus" "$seconds"
gnuplot <<GP
set terminal png size 800,400
set output "bench/net.png"
set title "Network on the emulated Xen host: rumpxen's speed / a Linux domU's"
set style fill solid 0.6
set boxwidth 0.6
set yrange [0:*]
set grid ytics
plot "$out/ratios" using 0:2:xtic(1) with boxes notitle, 1 with lines lt 0 title "as fast as Linux"
GP
