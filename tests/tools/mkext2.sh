# tools/mkext2: a tree of 300 files in nested directories, with a fast and
# a slow symlink, a hard link, a sparse file, an empty file and modes,
# becomes images with 1 KiB and 4 KiB blocks and with 128-byte inodes;
# each is clean for `e2fsck -fn`, holds ext2's features and no journal,
# and debugfs's rdump of it equals the tree. A missing tree, a bad block
# size and a tree too large for the size asked for are refused with a
# reason and leave no image.
. "$(dirname "$0")/../lib.bash"
export PATH=$PATH:/usr/sbin:/sbin
# field IMAGE NAME: a field of dumpe2fs's header.
field() {
	dumpe2fs -h "$1" 2>/dev/null |
		awk -F: -v k="$2" '$1 == k { sub(/^[ \t]+/, "", $2); print $2 }'
}
t=$tmp/tree
mkdir -p "$t/a/b/c" "$t/www"
for i in $(seq 1 300); do
	d=$t/a
	[ $((i % 3)) -eq 0 ] && d=$t/a/b
	[ $((i % 7)) -eq 0 ] && d=$t/a/b/c
	head -c $((i * 37)) /dev/urandom >"$d/f$i"
done
echo '<h1>hello</h1>' >"$t/www/index.html"
chmod 600 "$t/a/f1"
chmod 755 "$t/a/b"
ln -s www/index.html "$t/fast"
ln -s "$(printf 'x%.0s' $(seq 1 100))/long/target" "$t/slow"
ln "$t/a/f2" "$t/a/b/hard"
truncate -s 5M "$t/sparse"
echo tail >>"$t/sparse"
: >"$t/empty"
for opts in "-b 1024" "-b 4096" "-b 4096 -I 128"; do
	img=$tmp/img
	tools/mkext2 $opts "$t" "$img"
	e2fsck -fn "$img" >/dev/null 2>&1 || { echo "FAIL: e2fsck on $opts"; exit 1; }
	feat=$(field "$img" "Filesystem features")
	bs=$(field "$img" "Block size")
	is=$(field "$img" "Inode size")
	case "$feat" in *has_journal* | *extent*)
		echo "FAIL: $opts: not ext2: $feat"; exit 1 ;; esac
	[ "$bs" = "$(echo "$opts" | awk '{print $2}')" ] ||
		{ echo "FAIL: $opts: block size $bs"; exit 1; }
	case "$opts" in *"-I 128"*) [ "$is" = 128 ] ;; *) [ "$is" = 256 ] ;; esac ||
		{ echo "FAIL: $opts: inode size $is"; exit 1; }
	rm -rf "$tmp/back" && mkdir "$tmp/back"
	debugfs -R "rdump / $tmp/back" "$img" >/dev/null 2>&1
	diff -r --no-dereference -x lost+found "$t" "$tmp/back" >/dev/null ||
		{ echo "FAIL: $opts: rdump differs from the tree"; exit 1; }
	[ "$(stat -c %a "$tmp/back/a/f1")" = 600 ] ||
		{ echo "FAIL: $opts: mode of a/f1"; exit 1; }
	[ "$(readlink "$tmp/back/slow")" = "$(readlink "$t/slow")" ] ||
		{ echo "FAIL: $opts: slow symlink"; exit 1; }
	echo "ok: mkext2 $opts: clean, ext2 ($bs-byte blocks, $is-byte inodes), the tree back whole"
done
rm -f "$tmp/img"
if tools/mkext2 "$tmp/nosuch" "$tmp/img" 2>"$tmp/e"; then
	echo "FAIL: a missing tree was taken"; exit 1
fi
grep -q "no such directory" "$tmp/e" && [ ! -e "$tmp/img" ] ||
	{ echo "FAIL: a missing tree: $(cat "$tmp/e")"; exit 1; }
if tools/mkext2 -b 2048 "$t" "$tmp/img" 2>/dev/null; then
	echo "FAIL: a 2048-byte block was taken"; exit 1
fi
if tools/mkext2 -s 1 "$t" "$tmp/img" 2>"$tmp/e"; then
	echo "FAIL: 1 MiB held the tree"; exit 1
fi
grep -q "mke2fs could not make" "$tmp/e" && [ ! -e "$tmp/img" ] && ! ls "$tmp"/img.tmp.* >/dev/null 2>&1 ||
	{ echo "FAIL: a tree too large: $(cat "$tmp/e")"; exit 1; }
echo "ok: a missing tree, a bad block size and a tree too large are refused, no image left"
