# A program's data files in a cpio RAM disk (newc, as `cpio -o -H newc`
# makes it): a tree of a few hundred files (sizes from 0 to 64 KiB,
# empty ones, symlinks, a hard link, modes) is unpacked into the tmpfs
# root at boot, and apps/sumcheck.c compares every file with the cksum
# list packed beside them, and every mode. A RAM disk that is not a cpio
# archive stays a block device, /dev/ram0.
. "$(dirname "$0")/../lib.bash"

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
ln "$root/data/d0/f2" "$root/data/hard"
chmod 700 "$root/data/d3"
(cd "$root" && find data -type f | sort | xargs cksum | sed 's| data/| /data/|') >"$tmp/sums"
(cd "$root" && find data | sort | while read -r p; do
	printf '%o /%s\n' "$(stat -c '%f' "$p" | sed 's/^/0x/' | xargs printf '%d')" "$p"
done) >"$tmp/modes"
cp "$tmp/sums" "$root/sums.txt"
cp "$tmp/modes" "$root/modes.txt"
(cd "$root" && find . | cpio -o -H newc --quiet) >"$tmp/initramfs.cpio"
echo "$(wc -l <"$tmp/sums") files, $(wc -c <"$tmp/initramfs.cpio") bytes of cpio" >&2

BOOT_TIMEOUT=600 boot --ramdisk "$tmp/initramfs.cpio" "$GUESTS/sumcheck.elf" /sums.txt /modes.txt
tail -n 8 "$out"
expect_rc 0
expect_grep "$out" "^$(wc -l <"$tmp/sums") files checked, 0 mismatches$"
expect_grep "$out" "^$(wc -l <"$tmp/modes") modes checked, 0 wrong$"
expect_grep "$out" '^rumpxen: initramfs: [0-9]+ files unpacked$'

# Not an archive: the RAM disk is a block device the program can read.
head -c 65536 /dev/zero >"$tmp/plain.img"
boot --ramdisk "$tmp/plain.img" "$GUESTS/sumcheck.elf" blockdev /dev/ram0
cat "$out"
expect_rc 0
expect_grep "$out" '^/dev/ram0: 65536 bytes, 0 not zero$'
if grep -q 'files unpacked' "$out"; then fail "a plain disk was taken for an archive"; fi
echo ok
