# The kernel's ext2 (kern/fs/ext2, on platform/posix, its disk an image
# file) against the host's tmpfs, differentially: tests/host/vfsdiff's
# seeded sequence of file system calls runs on both (--ext2), and then
# the image, unmounted by the kernel, must be clean for `e2fsck -fn`, and
# debugfs's rdump of what the steps made must equal the host's tree:
# names, types, modes, sizes, bytes and symlink targets. Images with
# 4 KiB blocks (the granularity of the host tmpfs's holes, whose
# st_blocks is compared) and 256-byte inodes (times in ns), and with
# 128-byte inodes (times in seconds: --seconds). SEEDS, STEPS and
# STEPS128 (default "1 2", 100000, 20000) change what runs.
. "$(dirname "$0")/../lib.bash"
export PATH=$PATH:/usr/sbin:/sbin
vfsdiff=build/tests/host/vfsdiff
[ -x "$vfsdiff" ] || { echo "FAIL: $vfsdiff is not built"; exit 1; }
# listing DIR: tests/fs/treelist.py's.
listing() { python3 tests/fs/treelist.py "$1"; }
# special_modes TREE IMAGE: modes with set-id or sticky bits are the
# image's too (debugfs's stat shows them).
special_modes() {
	(cd "$1" && find . -mindepth 1 -perm /7000 -printf '%P %m\n') |
	while read -r path mode; do
		got=$(debugfs -R "stat /t/$path" "$2" 2>/dev/null |
			sed -n 's/.*Mode: *0*\([0-7]*\).*/\1/p')
		[ "$got" = "$mode" ] || { echo "/t/$path: mode $got, not $mode"; return 1; }
	done
}
# check IMAGE SEED STEPS: the run, e2fsck, rdump against the tree.
check() {
	local img=$1 seed=$2 steps=$3 opts=${4:-}
	"$vfsdiff" --ext2 "$img" $opts "$seed" "$steps" >"$tmp/log" 2>&1 ||
		{ tail -n 30 "$tmp/log"; echo "FAIL: vfsdiff --ext2 seed $seed"; exit 1; }
	tail -n 1 "$tmp/log"
	tree=$(sed -n 's/^vfsdiff: tree //p' "$tmp/log")
	[ -d "$tree" ] || { echo "FAIL: no tree from vfsdiff"; exit 1; }
	e2fsck -fn "$img" >"$tmp/fsck" 2>&1 ||
		{ cat "$tmp/fsck"; rm -rf "$tree"; echo "FAIL: e2fsck after seed $seed"; exit 1; }
	rm -rf "$tmp/back" && mkdir "$tmp/back"
	debugfs -R "rdump /t $tmp/back" "$img" >/dev/null 2>&1
	listing "$tree" >"$tmp/want"
	listing "$tmp/back/t" >"$tmp/got"
	[ -s "$tmp/want" ] || { echo "FAIL: no listing of $tree"; exit 1; }
	if ! diff "$tmp/want" "$tmp/got" >"$tmp/ldiff" ||
		! diff -r --no-dereference "$tree" "$tmp/back/t" >"$tmp/cdiff" ||
		! special_modes "$tree" "$img" >"$tmp/ldiff"; then
		head -n 20 "$tmp/ldiff" "$tmp/cdiff" 2>/dev/null
		rm -rf "$tree"
		echo "FAIL: rdump of the image differs from the tree (seed $seed)"
		exit 1
	fi
	rm -rf "$tree"
}
empty=$tmp/empty
mkdir -p "$empty"
for seed in ${SEEDS:-1 2}; do
	tools/mkext2 -b 4096 -s 64 "$empty" "$tmp/img4"
	check "$tmp/img4" "$seed" "${STEPS:-100000}"
done
tools/mkext2 -b 4096 -I 128 -s 64 "$empty" "$tmp/img128"
check "$tmp/img128" 3 "${STEPS128:-20000}" --seconds
echo "PASS: ext2 agrees with the host, e2fsck finds it clean"
