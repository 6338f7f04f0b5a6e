#!/bin/bash
# bench/like.sh [LIST]: like with like. Each program LIST names (default
# bench/like.list: "NAME ARG..." lines, NAME.c in bench/programs/; a
# line "cc ARG..." gives both compilers more arguments, such as sources
# and -I, for the programs after it) is built twice, with
# tools/rumpxen-cc and with musl-gcc -static, and both
# builds run under the same emulated Xen host in one boot of it: each
# rumpxen image as a domU of its own, and the Linux builds one after
# another in one Debian Linux domU (tools/xenhost/mkdomu; its /tmp a
# tmpfs), the host with CPUS CPUs (default 2: dom0 keeps the first to
# itself). Every program is given the run count (RUNS, default 5) before
# its arguments, runs that many times and prints "bench NAME VALUE UNIT"
# lines; bench/like.py turns them into a Markdown section of medians and
# this draws the ratios into bench/LISTNAME.png (gnuplot).
set -euo pipefail
cd "$(dirname "$0")/.."
list=${1:-bench/like.list}
runs=${RUNS:-5}
cpus=${CPUS:-2}
name=$(basename "$list" .list)
b=build/bench/$name
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$b/linux" "$out/jobs"
progs=() jobs=() cc=()
printf '%s\n' '#!/bin/sh' 'rc=0' \
	'/bin/busybox mkdir -p /tmp && /bin/busybox mount -t tmpfs tmpfs /tmp' \
	>"$b/linux/job"
while read -r prog args; do
	[ -n "$prog" ] || continue
	if [ "$prog" = cc ]; then
		read -ra cc <<<"$args"
		continue
	fi
	src=bench/programs/$prog.c
	tools/rumpxen-cc -O2 -pthread -o "$b/$prog.elf" "$src" "${cc[@]}"
	musl-gcc -static -O2 -pthread -o "$b/linux/$prog" "$src" "${cc[@]}"
	progs+=("$b/linux/$prog")
	jobs+=("$out/jobs/rx-$prog.sh")
	printf '%s\n' "# The rumpxen side of bench/like.sh: $prog." \
		"#@ image $b/$prog.elf $runs $args" '#@ xl memory=256' \
		'#@ timeout 900' >"$out/jobs/rx-$prog.sh"
	echo "/bin/$prog $runs $args || { echo \"like: $prog failed\"; rc=1; }" \
		>>"$b/linux/job"
done < <(grep -v '^#' "$list")
echo 'exit $rc' >>"$b/linux/job"
chmod +x "$b/linux/job"
tools/xenhost/mkdomu "$b/linux/domu.cpio" "$b/linux/job" "${progs[@]}"
printf '%s\n' "# The Linux side of bench/like.sh: every program of $list." \
	'#@ image build/xenhost/vmlinux' "#@ ramdisk $b/linux/domu.cpio" \
	'#@ xl extra="console=hvc0 rdinit=/init quiet"' '#@ xl memory=256' \
	'#@ timeout 1800' >"$out/jobs/linux-$name.sh"
jobs+=("$out/jobs/linux-$name.sh")
tools/rumpxen batch --cpus "$cpus" "$out" "${jobs[@]}" >&2
for j in "${jobs[@]}"; do
	j=$(basename "$j" .sh)
	[ "$(cat "$out/$j/rc")" = 0 ] || {
		echo "bench: $j failed" >&2
		cat "$out/$j/out" "$out/$j/err" >&2
		exit 1
	}
done
python3 bench/like.py "$out" "$name" "$(qemu-system-x86_64 --version | head -n 1)" \
	"$cpus" "${progs[@]##*/}"
gnuplot <<GP
set terminal png size 800,400
set output "bench/$name.png"
set title "The same programs on the emulated Xen host: rumpxen's speed / a Linux domU's"
set style fill solid 0.6
set boxwidth 0.6
set logscale y 2
set xtics rotate by -20
set grid ytics
plot "$out/ratios" using 0:2:xtic(1) with boxes notitle, 1 with lines lt 0 title "as fast as Linux"
GP
