# SQLite's shell, unmodified (build/apps/sqlite3.elf, from Debian's source
# package by its own build with tools/rumpxen-cc), runs a SQL script that
# came in its cpio RAM disk against a database file on tmpfs, and prints
# exactly what the host's sqlite3 prints for the same script; and again
# with the database on an ext2 root (the script in the image). The times of
# both runs (and of the guest's boot with an empty script) are logged.
. "$(dirname "$0")/../lib.bash"
SQLITE=build/apps/sqlite3.elf
[ -f "$SQLITE" ] || fail "$SQLITE is not built"
command -v sqlite3 >/dev/null || fail "the host has no sqlite3 to compare with"

mkdir -p "$tmp/root"
cp tests/apps/sqlite.sql "$tmp/root/script.sql"
: >"$tmp/root/empty.sql"
(cd "$tmp/root" && find . | cpio -o -H newc --quiet) >"$tmp/sql.cpio"

t0=$(date +%s.%N)
# Neither reads a ~/.sqliterc: HOME is a directory with none.
HOME="$tmp/root" sqlite3 -bail "$tmp/host.db" ".read $tmp/root/script.sql" >"$tmp/host.out" 2>&1
t1=$(date +%s.%N)
BOOT_TIMEOUT=1200 boot --memory 128 --config env.HOME=/ --ramdisk "$tmp/sql.cpio" \
	"$SQLITE" -bail /test.db ".read /script.sql"
t2=$(date +%s.%N)
cp "$out" "$tmp/guest.out"
boot --memory 128 --config env.HOME=/ --ramdisk "$tmp/sql.cpio" "$SQLITE" /test.db ".read /empty.sql"
t3=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {
	printf "sqlite script: host %.2f s; guest run %.2f s, empty run %.2f s, script %.2f s\n",
		b - a, c - b, d - c, (c - b) - (d - c) }' >&2
out="$tmp/guest.out"
grep -q '^rumpxen: exit 0$' "$out" || fail "the guest's sqlite3 did not exit 0"
grep -v '^rumpxen: ' "$out" >"$tmp/guest.sql.out"
diff -u "$tmp/host.out" "$tmp/guest.sql.out" || fail "sqlite3 on Xen printed otherwise than the host's"
grep -q '^100000$' "$tmp/host.out" || fail "the script did not run through"

# Again with the database on ext2: the root is an ext2 image (mke2fs -d,
# the RAM disk, read-write) holding the script.
PATH=$PATH:/usr/sbin:/sbin tools/mkext2 -b 4096 -s 64 "$tmp/root" "$tmp/root.img"
BOOT_TIMEOUT=1200 boot --memory 128 --config env.HOME=/ --config root=ext2:/dev/ramdisk \
	--ramdisk "$tmp/root.img" "$SQLITE" -bail /test.db ".read /script.sql"
grep -q '^rumpxen: exit 0$' "$out" || fail "sqlite3 on ext2 did not exit 0"
grep -v '^rumpxen: ' "$out" >"$tmp/ext2.sql.out"
diff -u "$tmp/host.out" "$tmp/ext2.sql.out" || fail "sqlite3 on ext2 printed otherwise than the host's"
echo ok
