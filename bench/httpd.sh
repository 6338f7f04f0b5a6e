#!/bin/bash
# lighttpd on the full Xen host: Debian's lighttpd 1.4.69, the same
# source, modules and configuration (bench/httpd/lighttpd.conf) on both
# sides, built with tools/rumpxen-cc (build/apps/lighttpd.elf, a rumpxen
# domU) and with musl-gcc -static (the Makefile's bench-only
# build/bench/httpd/lighttpd, in a Debian Linux domU made by
# tools/xenhost/mkdomu), in one boot of the host with CPUS CPUs (default
# 2: dom0 keeps the first to itself, the domUs run on the others). Each
# serves the same ext2 site from a read-only vbd mounted on /srv: a file
# of 1 KiB and one of 1 MiB. dom0's bench/net/httpload.c GETs each file
# on 1, 16 and 64 keep-alive connections for SECONDS_EACH (default 3)
# seconds a figure, RUNS (default 5) times, then shuts the domU down.
# Then the least memory: the rumpxen domU again in domains of each of
# MEMS MiB (default "6 7 8 10"), with memstats, each loaded by 100
# connections GETting a file of 300000 bytes for SECONDS_EACH seconds.
# Prints a Markdown section (bench/httpd.py: requests/s, latency, the
# ratio rumpxen/Linux, each domain's CPU time, the rumpxen image's size
# and the least memory that served without an error) and draws the
# ratios into bench/httpd.png. Run alone with
# `bash bench/httpd.sh`; bench/run runs it with the others.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
seconds=${SECONDS_EACH:-3}
cpus=${CPUS:-2}
mems=${MEMS:-6 7 8 10}
b=build/bench/httpd
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
make -s build/apps/lighttpd.elf build/xenhost/vmlinux build/xenhost/dom0.cpio \
	"$b/lighttpd" >&2
mkdir -p "$out/jobs"
# The site, one ext2 image for both sides.
rm -rf "$b/site"
mkdir -p "$b/site/www"
cp bench/httpd/lighttpd.conf "$b/site/"
head -c 1024 /dev/urandom >"$b/site/www/1k.bin"
head -c 1048576 /dev/urandom >"$b/site/www/1m.bin"
head -c 300000 /dev/urandom >"$b/site/www/300k.bin"
tools/mkext2 -b 4096 "$b/site" "$b/site.img" >&2
# The Linux domU: ext2 through Debian's ext4 module (with what
# modules.dep says it needs, and crc32c, which it loads at mount), the address the runner gives the
# batch's job n (192.0.2.(10 + n); linux-httpd is the second) from init,
# and an /sbin/poweroff that ends lighttpd: the kernel runs it for
# `xl shutdown`, and mkdomu's init then prints the status and powers off.
cache=${RUMPXEN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rumpxen}
kv=$(cat "$cache/xenhost/kernel-version")
kmods=$cache/xenhost/root/lib/modules/$kv
kos=()
for m in kernel/crypto/crc32c_generic.ko kernel/fs/ext4/ext4.ko; do
	read -ra deps < <(sed -n "s|^${m//./\\.}:||p" "$kmods/modules.dep")
	for ((i = ${#deps[@]} - 1; i >= 0; i--)); do kos+=("$kmods/${deps[i]}"); done
	kos+=("$kmods/$m")
done
{
	echo '#!/bin/sh'
	echo '# The Linux side of bench/httpd.sh (its init runs it with the address).'
	echo 'B=/bin/busybox'
	echo '$B ifconfig lo 127.0.0.1 up'
	echo '$B ifconfig eth0 "$1" netmask 255.255.255.0 up'
	for k in "${kos[@]}"; do echo "\$B insmod /bin/$(basename "$k") || exit 1"; done
	echo 'i=0'
	echo 'while [ ! -b /dev/xvda ] && [ $i -lt 100 ]; do $B usleep 100000; i=$((i + 1)); done'
	echo '$B mkdir -p /srv /sbin /tmp'
	echo '$B mount -t ext2 -o ro /dev/xvda /srv || exit 1'
	echo "printf '%s\\n' '#!/bin/busybox sh' '/bin/busybox kill \$(/bin/busybox cat /tmp/lighttpd.pid)' >/sbin/poweroff"
	echo '$B chmod +x /sbin/poweroff'
	echo '/bin/lighttpd -D -f /srv/lighttpd.conf &'
	echo 'echo $! >/tmp/lighttpd.pid'
	echo 'wait $!'
} >"$b/job"
chmod +x "$b/job"
tools/xenhost/mkdomu "$b/domu.cpio" "$b/job" "$b/lighttpd" "${kos[@]}"
# dom0's part, the same for both: it waits for port 80 (5 minutes at
# most), measures every figure, then shuts the domU down; when httpload
# fails (it said why) it destroys the domU, which may no longer answer.
{
	echo '# dom0 measures the job'"'"'s lighttpd, then shuts the job down.'
	echo 'ip=$(xenstore-read /local/domain/0/backend/vif/$DOMID/0/ip)'
	echo 'echo 1 >/proc/sys/net/ipv4/tcp_tw_reuse'
	echo 'measure() {'
	echo '	httpload wait "$ip" 80 300 || return 1'
	echo "	for r in \$(seq $runs); do"
	echo '		for f in 1k:1024 1m:1048576; do'
	echo '			for c in 1 16 64; do'
	echo "				httpload \"\${f%:*}-c\$c\" \"\$ip\" 80 \"/\${f%:*}.bin\" \"\${f#*:}\" \$c $seconds || return 1"
	echo '			done'
	echo '		done'
	echo '	done'
	echo '	echo "httpload: every figure measured"'
	echo '}'
	echo 'if measure; then'
	echo '	/usr/lib/xen-4.17/bin/xl shutdown "$NAME"'
	echo 'else'
	echo '	/usr/lib/xen-4.17/bin/xl destroy "$NAME"'
	echo 'fi'
} >"$out/httpload.dom0"
limit=$((runs * 6 * (seconds + 10) * 3 + 600))
site=$PWD/$b/site.img
printf '%s\n' '# The rumpxen side of bench/httpd.sh.' "#@ setup cp '$site' site.img" \
	'#@ disk site.img ro' '#@ net' '#@ config mount./srv=ext2:/dev/xvda,ro' \
	'#@ image build/apps/lighttpd.elf -D -f /srv/lighttpd.conf' '#@ xl memory=256' \
	"#@ dom0 $out/httpload.dom0" "#@ timeout $limit" >"$out/jobs/rx-httpd.sh"
printf '%s\n' '# The Linux side of bench/httpd.sh.' "#@ setup cp '$site' site.img" \
	'#@ disk site.img ro' '#@ net' '#@ image build/xenhost/vmlinux' \
	"#@ ramdisk $b/domu.cpio" \
	'#@ xl extra="console=hvc0 rdinit=/init quiet -- 192.0.2.11"' \
	'#@ xl memory=256' "#@ dom0 $out/httpload.dom0" \
	"#@ timeout $limit" >"$out/jobs/linux-httpd.sh"
# The memory sweep's dom0 part: one figure; a domU that no longer
# answers (or never did) is destroyed.
{
	echo '# dom0 loads the job'"'"'s lighttpd with 100 connections, then shuts it down.'
	echo 'ip=$(xenstore-read /local/domain/0/backend/vif/$DOMID/0/ip)'
	echo 'echo 1 >/proc/sys/net/ipv4/tcp_tw_reuse'
	echo "if httpload wait \"\$ip\" 80 120 &&"
	echo "	httpload 300k-c100 \"\$ip\" 80 /300k.bin 300000 100 $seconds; then"
	echo '	/usr/lib/xen-4.17/bin/xl shutdown "$NAME"'
	echo 'else'
	echo '	/usr/lib/xen-4.17/bin/xl destroy "$NAME"'
	echo 'fi'
} >"$out/memload.dom0"
memjobs=()
for m in $mems; do
	printf '%s\n' "# bench/httpd.sh's rumpxen domU in $m MiB." "#@ setup cp '$site' site.img" \
		'#@ disk site.img ro' '#@ net' '#@ config mount./srv=ext2:/dev/xvda,ro memstats=1' \
		'#@ image build/apps/lighttpd.elf -D -f /srv/lighttpd.conf' "#@ xl memory=$m" \
		"#@ dom0 $out/memload.dom0" "#@ timeout $((seconds * 10 + 300))" >"$out/jobs/rx-mem$m.sh"
	memjobs+=("$out/jobs/rx-mem$m.sh")
done
tools/rumpxen batch --cpus "$cpus" "$out" "$out/jobs/rx-httpd.sh" "$out/jobs/linux-httpd.sh" \
	"${memjobs[@]}" >&2
for j in rx-httpd linux-httpd; do
	[ "$(cat "$out/$j/rc")" = 0 ] &&
		grep -q '^httpload: every figure measured' "$out/$j/dom0.out" || {
		echo "bench: $j failed" >&2
		cat "$out/$j/out" "$out/$j/err" "$out/$j/dom0.out" >&2 || true
		exit 1
	}
done
python3 bench/httpd.py "$out" "$(qemu-system-x86_64 --version | head -n 1)" \
	"$cpus" "$seconds" build/apps/lighttpd.elf "$mems"
gnuplot <<GP
set terminal png size 800,400
set output "bench/httpd.png"
set title "lighttpd on the emulated Xen host: rumpxen / a Linux domU"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.6
set yrange [0:*]
set grid ytics
set key below
plot "$out/ratios" using 2:xtic(1) title "requests/s, rumpxen / Linux", \
	"" using 3 title "median latency, rumpxen / Linux", \
	1 with lines lc rgb "black" dt 2 title "1: as Linux"
GP
