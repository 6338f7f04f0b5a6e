/*
 * ext2write ROOT [DEVICE]: writes a tree under ROOT/out the same way
 * every time (ten directories of thirty files of sizes 0 to 70 kB with
 * pseudo-random bytes, a 2 MiB file written in 64 KiB pieces, a sparse
 * file, fast and slow symlinks, a hard link, a renamed directory, removed
 * files, a mode), fsyncs a file and a directory, and reads every file
 * back. With DEVICE, ROOT is then unmounted and mounted again from
 * DEVICE (mount(2), ext2) and the tree read back once more. Built with
 * rumpxen-cc it writes to an ext2 disk of its guest (tests/fs/
 * ext2write.sh); built natively, the same tree on the host is what the
 * disk must hold. Prints "N files written, N read back" and exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIRS  10
#define FILES 30
#define BIG   (2 << 20)

static char buf[1 << 16];

static void
die(const char *what, const char *path)
{
	printf("ext2write: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

/* fill: len bytes of file seed's content, from byte off. */
static void
fill(char *p, size_t len, uint64_t seed, size_t off)
{
	for (size_t i = 0; i < len; i++) {
		uint64_t x = seed * 0x9e3779b97f4a7c15ull + (off + i) / 8;
		x ^= x >> 29;
		x *= 0xbf58476d1ce4e5b9ull;
		x ^= x >> 32;
		p[i] = (char)(x >> (8 * ((off + i) % 8)));
	}
}

static size_t
size_of(int d, int f)
{
	return (size_t)((d * 7919 + f * 104729) % 70001) * (f % 7 != 0);
}

/* put: path holds size bytes of content seed, written in chunks. */
static void
put(const char *path, uint64_t seed, size_t size, size_t chunk)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0)
		die("create", path);
	for (size_t off = 0; off < size; off += chunk) {
		size_t n = size - off < chunk ? size - off : chunk;
		fill(buf, n, seed, off);
		if (write(fd, buf, n) != (ssize_t)n)
			die("write", path);
	}
	if (close(fd) != 0)
		die("close", path);
}

/* same: path holds size bytes of content seed; 1 or 0. */
static int
same(const char *path, uint64_t seed, size_t size)
{
	static char want[sizeof(buf)];
	int fd = open(path, O_RDONLY);
	size_t off = 0;
	ssize_t n;

	if (fd < 0) {
		printf("ext2write: %s: %s\n", path, strerror(errno));
		return 0;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		fill(want, (size_t)n, seed, off);
		if (off + (size_t)n > size || memcmp(buf, want, (size_t)n)) {
			printf("ext2write: %s differs near byte %zu\n", path,
			       off);
			close(fd);
			return 0;
		}
		off += (size_t)n;
	}
	close(fd);
	if (n < 0 || off != size)
		printf("ext2write: %s: %zu bytes, not %zu\n", path, off, size);
	return n == 0 && off == size;
}

/* gone: file f of directory d was removed. */
static int
gone(int d, int f)
{
	return d == 8 && f < 10;
}

static const char *
dir_name(int d)
{
	static char name[16];

	snprintf(name, sizeof(name), d == 9 ? "renamed" : "d%d", d);
	return name;
}

static int
write_tree(const char *out)
{
	char p[512], q[512];
	int n = 0;

	if (mkdir(out, 0755) != 0)
		die("mkdir", out);
	for (int d = 0; d < DIRS; d++) {
		snprintf(p, sizeof(p), "%s/d%d", out, d);
		if (mkdir(p, 0755) != 0)
			die("mkdir", p);
		for (int f = 0; f < FILES; f++, n++) {
			snprintf(p, sizeof(p), "%s/d%d/f%d", out, d, f);
			put(p, (uint64_t)(d * 100 + f), size_of(d, f), 4096);
		}
	}
	snprintf(p, sizeof(p), "%s/big", out);
	put(p, 7, BIG, 65536);
	snprintf(p, sizeof(p), "%s/sparse", out);
	int fd = open(p, O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || pwrite(fd, "end\n", 4, 3 << 20) != 4 || fsync(fd) != 0)
		die("sparse", p);
	close(fd);
	snprintf(p, sizeof(p), "%s/fast", out);
	if (symlink("d0/f1", p) != 0)
		die("symlink", p);
	snprintf(p, sizeof(p), "%s/slow", out);
	memset(q, 's', 100);
	strcpy(q + 100, "/target");
	if (symlink(q, p) != 0)
		die("symlink", p);
	snprintf(p, sizeof(p), "%s/d1/f2", out);
	snprintf(q, sizeof(q), "%s/hard", out);
	if (link(p, q) != 0)
		die("link", q);
	snprintf(p, sizeof(p), "%s/d0/f3", out);
	if (chmod(p, 0600) != 0)
		die("chmod", p);
	snprintf(p, sizeof(p), "%s/d9", out);
	snprintf(q, sizeof(q), "%s/renamed", out);
	if (rename(p, q) != 0)
		die("rename", p);
	for (int f = 0; f < FILES; f++) {
		snprintf(p, sizeof(p), "%s/d8/f%d", out, f);
		if (gone(8, f) && unlink(p) != 0)
			die("unlink", p);
	}
	fd = open(out, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || fsync(fd) != 0)
		die("fsync", out);
	close(fd);
	return n + 1;
}

static int
read_tree(const char *out)
{
	char p[512];
	int n = 0, bad = 0;

	for (int d = 0; d < DIRS; d++)
		for (int f = 0; f < FILES; f++) {
			if (gone(d, f))
				continue;
			snprintf(p, sizeof(p), "%s/%s/f%d", out, dir_name(d),
				 f);
			if (same(p, (uint64_t)(d * 100 + f), size_of(d, f)))
				n++;
			else
				bad++;
		}
	snprintf(p, sizeof(p), "%s/big", out);
	if (same(p, 7, BIG))
		n++;
	else
		bad++;
	return bad == 0 ? n : -bad;
}

int
main(int argc, char **argv)
{
	char out[256];

	if (argc < 2) {
		printf("usage: ext2write ROOT [DEVICE]\n");
		return 2;
	}
	snprintf(out, sizeof(out), "%s/out", argv[1]);
	int written = write_tree(out);
	int back = read_tree(out);
	printf("%d files written, %d read back\n", written, back);
	if (back < 0)
		return 1;
	if (argc > 2) {
		if (umount(argv[1]) != 0)
			die("umount", argv[1]);
		if (mount(argv[2], argv[1], "ext2", 0, NULL) != 0)
			die("mount", argv[2]);
		back = read_tree(out);
		printf("after a remount: %d read back\n", back);
		if (back < 0)
			return 1;
	}
	return 0;
}
