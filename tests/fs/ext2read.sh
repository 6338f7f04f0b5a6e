# The root file system is an ext2 image Debian's mke2fs made from a tree
# (root=ext2:/dev/ramdisk,ro; the image is dom0's RAM disk, the dom0
# tier), with 1 KiB and with 4 KiB blocks: a program (tests/proc/apps/
# sumcheck.c) reads 300 files of 0 to 64 KiB, with symlinks, a hard link
# and modes, and compares each with the cksum and mode lists the host
# made and packed in the image beside them.
. "$(dirname "$0")/../lib.bash"
export PATH=$PATH:/usr/sbin:/sbin
SUMCHECK=build/tests/proc/sumcheck.elf
[ -f "$SUMCHECK" ] || fail "$SUMCHECK is not built"
root="$tmp/root"
mkdir -p "$root/data"
for d in 0 1 2 3 4 5 6 7 8 9; do
	mkdir -p "$root/data/d$d/sub"
	for f in $(seq 0 29); do
		size=$(( (d * 37 + f * 1543) % 5 == 0 ? 0 : (d * 7919 + f * 104729) % 65536 ))
		head -c "$size" /dev/urandom >"$root/data/d$d/f$f"
		chmod "$(( (f % 3 == 0) ? 600 : (f % 3 == 1) ? 644 : 755 ))" "$root/data/d$d/f$f"
	done
	echo "in sub $d" >"$root/data/d$d/sub/note"
	ln -s "../d$d/f1" "$root/data/d$d/link"
done
ln -s "$(printf 'p%.0s' $(seq 1 80))/far" "$root/data/slow"
ln "$root/data/d0/f2" "$root/data/hard"
chmod 700 "$root/data/d3"
(cd "$root" && find data -type f | sort | xargs cksum | sed 's| data/| /data/|') >"$root/sums.txt"
(cd "$root" && find data | sort | while read -r p; do
	printf '%o /%s\n' "$(stat -c '%f' "$p" | sed 's/^/0x/' | xargs printf '%d')" "$p"
done) >"$root/modes.txt"
files=$(wc -l <"$root/sums.txt")
modes=$(wc -l <"$root/modes.txt")
for bs in 1024 4096; do
	tools/mkext2 -b "$bs" "$root" "$tmp/root.img"
	BOOT_TIMEOUT=600 boot --ramdisk "$tmp/root.img" --config root=ext2:/dev/ramdisk,ro \
		"$SUMCHECK" /sums.txt /modes.txt
	tail -n 8 "$out"
	expect_rc 0
	expect_grep "$out" "^$files files checked, 0 mismatches$"
	expect_grep "$out" "^$modes modes checked, 0 wrong$"
	if grep -q 'files unpacked' "$out"; then fail "the image was taken for an archive"; fi
done
echo ok
