/*
 * kernext2: the kernel's ext2 (kern/fs/ext2) and buffer cache (kern/fs/
 * buf.c) as a host program on platform/posix under ASan and UBSan, its
 * disks image files that Debian's mke2fs made (tools/mkext2), mounted
 * with mount(2) through the syscall entry:
 *
 * - a tree of 300 files (1 KiB and 4 KiB blocks, 128- and 256-byte
 *   inodes) reads back byte for byte as the host has it, with its
 *   symlinks, hard link, sparse file and modes;
 * - damaged images: a bad magic, a group descriptor pointing outside the
 *   disk, an image cut short, an unknown incompatible feature are
 *   refused (EINVAL) with a message; an unknown read-only-compatible
 *   feature mounts read-only; a directory entry with a bad rec_len is
 *   EIO for that directory only, and the rest reads;
 * - a read-only mount (MS_RDONLY or "ro") refuses every change with
 *   EROFS and leaves the image unchanged;
 * - a full file system: writes stop with ENOSPC, what was written reads
 *   back, and after deleting, the space is free again (statfs);
 * - an unlinked file still open keeps its data until its last close;
 * - a file past 4 GiB on a small sparse image (triple indirect with
 *   1 KiB blocks) and the large_file feature set;
 * - a directory of 3000 entries, indexed (dir_index) by e2fsck -D, is
 *   read linearly, and after a file is added the index flag is gone and
 *   e2fsck finds it clean;
 * - a read-write mount marks the image not clean on the disk at once
 *   (a crash leaves it for e2fsck), and unmounting marks it clean;
 * - after every read-write mount, the unmounted image is clean for
 *   `e2fsck -fn`.
 *
 * Run from the top of the tree (it calls tools/mkext2). Exits 0 when all
 * holds.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "../../kern/kern.h"
#include "expect.h"

long __rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5,
		       long a6);

#define MS_RDONLY  1
#define EXT2_MAGIC 0xef53

static char dir[256];  /* the host's scratch directory */
static char tree[300]; /* the tree the images are made of */

static long
sys(long n, long a1, long a2, long a3, long a4, long a5)
{
	return __rumpxen_syscall(n, a1, a2, a3, a4, a5, 0);
}

/* sh: runs a shell command; its exit status. */
static int
sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* mkimage: the image name in dir, from the tree, with mkext2's options. */
static const char *
mkimage(const char *name, const char *opts)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (sh("tools/mkext2 %s %s %s >/dev/null", opts, tree, path) != 0) {
		printf("FAILED: tools/mkext2 %s\n", opts);
		exit(1);
	}
	return path;
}

static long
mount_ext2(const char *image, long flags, const char *data)
{
	return sys(SYS_mount, (long)image, (long)"/mnt", (long)"ext2", flags,
		   (long)data);
}

static int
clean(const char *image)
{
	return sh("PATH=$PATH:/sbin:/usr/sbin e2fsck -fn %s >%s/fsck 2>&1 "
		  "|| cat %s/fsck",
		  image, dir, dir) == 0;
}

/* same_file: the kernel's path and the host's hold the same bytes. */
static int
same_file(const char *kpath, const char *hpath)
{
	static char a[1 << 16], b[1 << 16];
	int fd = (int)sys(SYS_openat, AT_FDCWD, (long)kpath, O_RDONLY, 0, 0);
	FILE *f = fopen(hpath, "rb");
	int same = fd >= 0 && f != NULL;

	while (same) {
		long n = sys(SYS_read, fd, (long)a, sizeof(a), 0, 0);
		size_t m = fread(b, 1, sizeof(b), f);
		if (n < 0 || (size_t)n != m || memcmp(a, b, m) != 0)
			same = 0;
		if (n <= 0)
			break;
	}
	if (fd >= 0)
		sys(SYS_close, fd, 0, 0, 0, 0);
	if (f != NULL)
		fclose(f);
	return same;
}

/* make_tree: 300 files in three levels, links, a sparse file, modes. */
static void
make_tree(void)
{
	snprintf(tree, sizeof(tree), "%s/tree", dir);
	sh("mkdir -p %s/a/b/c && cd %s && for i in $(seq 1 300); do "
	   "d=a; [ $((i %% 3)) -eq 0 ] && d=a/b; [ $((i %% 7)) -eq 0 ] && "
	   "d=a/b/c; head -c $((i * 61)) /dev/urandom >$d/f$i; done && "
	   "chmod 640 a/f1 && ln -s a/f2 fast && "
	   "ln -s $(printf 'y%%.0s' $(seq 1 90))/t slow && ln a/f4 a/b/hard "
	   "&& truncate -s 3M sparse && echo end >>sparse",
	   tree, tree);
}

/* reads_tree: the image at /mnt holds the tree, file by file. */
static void
reads_tree(const char *what)
{
	char k[128], h[600], msg[160], link[256];
	int all = 1;
	struct stat st;

	for (int i = 1; i <= 300; i++) {
		const char *d = i % 7 == 0 ? "a/b/c" : i % 3 == 0 ? "a/b" : "a";
		snprintf(k, sizeof(k), "/mnt/%s/f%d", d, i);
		snprintf(h, sizeof(h), "%s/%s/f%d", tree, d, i);
		all &= same_file(k, h);
	}
	snprintf(msg, sizeof(msg), "%s: 300 files read back whole", what);
	expect(all, msg);
	snprintf(h, sizeof(h), "%s/sparse", tree);
	snprintf(msg, sizeof(msg), "%s: the sparse file", what);
	expect(same_file("/mnt/sparse", h), msg);
	long n = sys(SYS_readlinkat, AT_FDCWD, (long)"/mnt/slow", (long)link,
		     sizeof(link), 0);
	snprintf(msg, sizeof(msg), "%s: slow and fast symlinks", what);
	expect(n == 92 && memcmp(link + 90, "/t", 2) == 0 &&
		       same_file("/mnt/fast", "/dev/null") == 0 &&
		       sys(SYS_readlinkat, AT_FDCWD, (long)"/mnt/fast",
			   (long)link, sizeof(link), 0) == 4,
	       msg);
	struct stat a, b;
	snprintf(msg, sizeof(msg), "%s: a hard link, a mode", what);
	expect(sys(SYS_newfstatat, AT_FDCWD, (long)"/mnt/a/f4", (long)&a, 0,
		   0) == 0 &&
		       sys(SYS_newfstatat, AT_FDCWD, (long)"/mnt/a/b/hard",
			   (long)&b, 0, 0) == 0 &&
		       a.st_ino == b.st_ino && a.st_nlink == 2 &&
		       sys(SYS_newfstatat, AT_FDCWD, (long)"/mnt/a/f1",
			   (long)&st, 0, 0) == 0 &&
		       (st.st_mode & 07777) == 0640,
	       msg);
}

static void
tree_images(void)
{
	const char *opts[] = {"-b 1024", "-b 4096", "-b 4096 -I 128",
			      "-b 1024 -I 128"};

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const char *img = mkimage("tree.img", opts[i]);
		char what[64];
		snprintf(what, sizeof(what), "mkext2 %s", opts[i]);
		long r = mount_ext2(img, MS_RDONLY, NULL);
		expect(r == 0, "mount read-only");
		if (r != 0)
			continue;
		reads_tree(what);
		expect(sys(SYS_umount2, (long)"/mnt", 0, 0, 0, 0) == 0,
		       "umount");
	}
}

/* poke: len bytes of data at byte off of image. */
static void
poke(const char *image, long off, const void *data, size_t len)
{
	int fd = open(image, O_WRONLY);

	if (fd < 0 || pwrite(fd, data, len, off) != (ssize_t)len) {
		printf("FAILED: poking %s\n", image);
		exit(1);
	}
	close(fd);
}

/* peek: the little-endian field of len bytes (2 or 4) at off of image. */
static uint32_t
peek(const char *image, long off, size_t len)
{
	uint32_t v = 0;
	int fd = open(image, O_RDONLY);

	if (fd < 0 || pread(fd, &v, len, off) != (ssize_t)len) {
		printf("FAILED: reading %s\n", image);
		exit(1);
	}
	close(fd);
	return v;
}

static void
damaged(void)
{
	const char *img;
	uint32_t v;

	img = mkimage("bad.img", "-b 1024 -s 8");
	poke(img, 1024 + 56, "\x12\x34", 2);
	expect(mount_ext2(img, 0, NULL) == -KERN_EINVAL, "bad magic: EINVAL");

	img = mkimage("bad.img", "-b 1024 -s 8");
	v = 0x7fffffff; /* group 0's block bitmap, past the end */
	poke(img, 2048, &v, 4);
	expect(mount_ext2(img, 0, NULL) == -KERN_EINVAL,
	       "a group descriptor outside the disk: EINVAL");

	img = mkimage("bad.img", "-b 1024 -s 8");
	expect(truncate(img, 4 << 20) == 0, "cut the image short");
	expect(mount_ext2(img, 0, NULL) == -KERN_EINVAL,
	       "an image shorter than its file system: EINVAL");

	img = mkimage("bad.img", "-b 4096 -s 8");
	v = peek(img, 1024 + 96, 4) | 0x40; /* extents */
	poke(img, 1024 + 96, &v, 4);
	expect(mount_ext2(img, 0, NULL) == -KERN_EINVAL,
	       "an unknown incompatible feature: EINVAL");

	img = mkimage("bad.img", "-b 4096 -s 8");
	v = peek(img, 1024 + 100, 4) | 0x20; /* dir_nlink */
	poke(img, 1024 + 100, &v, 4);
	expect(mount_ext2(img, 0, NULL) == 0,
	       "an unknown read-only feature: mounted");
	expect(sys(SYS_mkdirat, AT_FDCWD, (long)"/mnt/x", 0755, 0, 0) ==
		       -KERN_EROFS,
	       "... read-only: mkdir is EROFS");
	expect(sys(SYS_umount2, (long)"/mnt", 0, 0, 0, 0) == 0, "umount");

	/* The root directory's first entry gets a rec_len of 5. */
	img = mkimage("bad.img", "-b 1024 -s 8");
	expect(mount_ext2(img, MS_RDONLY, NULL) == 0, "mount, to find /a");
	struct stat st;
	sys(SYS_newfstatat, AT_FDCWD, (long)"/mnt/a/b", (long)&st, 0, 0);
	sys(SYS_umount2, (long)"/mnt", 0, 0, 0, 0);
	/* Where /a/b's first block is: debugfs tells. */
	char cmd[700];
	snprintf(cmd, sizeof(cmd),
		 "PATH=$PATH:/sbin:/usr/sbin debugfs -R 'bmap /a/b 0' %s "
		 "2>/dev/null",
		 img);
	FILE *p = popen(cmd, "r");
	long blk = -1;
	if (p == NULL || fscanf(p, "%ld", &blk) != 1)
		blk = -1;
	if (p != NULL)
		pclose(p);
	expect(blk > 0, "debugfs finds /a/b's block");
	uint16_t bad = 5;
	poke(img, blk * 1024 + 4, &bad, 2);
	expect(mount_ext2(img, 0, NULL) == 0, "a bad rec_len: mounted");
	char buf[4096];
	long fd = sys(SYS_openat, AT_FDCWD, (long)"/mnt/a/b", O_RDONLY, 0, 0);
	expect(fd >= 0 && sys(SYS_getdents64, fd, (long)buf, sizeof(buf), 0,
			      0) == -KERN_EIO,
	       "... its directory lists as EIO");
	if (fd >= 0)
		sys(SYS_close, fd, 0, 0, 0, 0);
	expect(sys(SYS_newfstatat, AT_FDCWD, (long)"/mnt/a/b/f3", (long)&st, 0,
		   0) == -KERN_EIO,
	       "... a lookup in it is EIO");
	snprintf(cmd, sizeof(cmd), "%s/a/f1", tree);
	expect(same_file("/mnt/a/f1", cmd), "... the rest reads");
	expect(sys(SYS_umount2, (long)"/mnt", 0, 0, 0, 0) == 0, "umount");
}

static void
read_only(void)
{
	const char *img = mkimage("ro.img", "-b 4096 -s 8");
	char before[700];
	struct stat st;

	snprintf(before, sizeof(before), "cp %s %s/ro.copy", img, dir);
	sh("%s", before);
	for (int how = 0; how < 2; how++) {
		expect(mount_ext2(img, how == 0 ? MS_RDONLY : 0,
				  how == 0 ? NULL : "ro") == 0,
		       how == 0 ? "mount MS_RDONLY" : "mount -o ro");
		expect(sys(SYS_openat, AT_FDCWD, (long)"/mnt/new",
			   O_CREAT | O_WRONLY, 0644, 0) == -KERN_EROFS,
		       "create: EROFS");
		expect(sys(SYS_unlinkat, AT_FDCWD, (long)"/mnt/a/f1", 0, 0,
			   0) == -KERN_EROFS,
		       "unlink: EROFS");
		expect(sys(SYS_openat, AT_FDCWD, (long)"/mnt/a/f1", O_WRONLY, 0,
			   0) == -KERN_EROFS,
		       "open for writing: EROFS");
		expect(sys(SYS_fchmodat, AT_FDCWD, (long)"/mnt/a/f1", 0600, 0,
			   0) == -KERN_EROFS,
		       "chmod: EROFS");
		expect(sys(SYS_newfstatat, AT_FDCWD, (long)"/mnt/a/f1",
			   (long)&st, 0, 0) == 0 &&
			       (st.st_mode & 0777) == 0640,
		       "... the mode is as it was");
		expect(sys(SYS_umount2, (long)"/mnt", 0, 0, 0, 0) == 0,
		       "umount");
	}
	expect(sh("cmp -s %s %s/ro.copy", img, dir) == 0,
	       "a read-only mount leaves the image as it was");
}

/* fill: writes to /mnt/fill until it fails; the bytes written, errno. */
static long
fill(long *err)
{
	static char chunk[65536];
	long fd = sys(SYS_openat, AT_FDCWD, (long)"/mnt/fill",
		      O_CREAT | O_WRONLY, 0644, 0);
	long total = 0, r;

	memset(chunk, 'z', sizeof(chunk));
	while ((r = sys(SYS_write, fd, (long)chunk, sizeof(chunk), 0, 0)) > 0)
		total += r;
	*err = r;
	sys(SYS_close, fd, 0, 0, 0, 0);
	return total;
}

static void
full(void)
{
	const char *img = mkimage("full.img", "-b 1024 -s 8");
	struct statfs before, after;
	long err;

	expect(mount_ext2(img, 0, NULL) == 0, "mount an 8 MiB image");
	sys(SYS_statfs, (long)"/mnt", (long)&before, 0, 0, 0);
	long total = fill(&err);
	expect(err == -KERN_ENOSPC && total > 1 << 20,
	       "writing until full: ENOSPC");
	struct stat st;
	expect(sys(SYS_newfstatat, AT_FDCWD, (long)"/mnt/fill", (long)&st, 0,
		   0) == 0 &&
		       st.st_size == total,
	       "... the file holds what was written");
	static char back[65536];
	long fd = sys(SYS_openat, AT_FDCWD, (long)"/mnt/fill", O_RDONLY, 0, 0);
	int good = 1;
	long r, seen = 0;
	while ((r = sys(SYS_read, fd, (long)back, sizeof(back), 0, 0)) > 0) {
		for (long i = 0; i < r; i++)
			good &= back[i] == 'z';
		seen += r;
	}
	sys(SYS_close, fd, 0, 0, 0, 0);
	expect(good && seen == total, "... and reads back");
	expect(sys(SYS_mkdirat, AT_FDCWD, (long)"/mnt/more", 0755, 0, 0) ==
		       -KERN_ENOSPC,
	       "... a directory finds no room: ENOSPC");
	expect(sys(SYS_unlinkat, AT_FDCWD, (long)"/mnt/fill", 0, 0, 0) == 0,
	       "... unlink it");
	sys(SYS_statfs, (long)"/mnt", (long)&after, 0, 0, 0);
	expect(after.f_bfree == before.f_bfree,
	       "... its blocks are free again");
	expect(sys(SYS_umount2, (long)"/mnt", 0, 0, 0, 0) == 0, "umount");
	expect(clean(img), "e2fsck: clean after filling");
}

static void
unlinked_open(void)
{
	const char *img = mkimage("open.img", "-b 4096 -s 8");
	struct statfs a, b, c;
	char buf[8];

	expect(mount_ext2(img, 0, NULL) == 0, "mount");
	sys(SYS_statfs, (long)"/mnt", (long)&a, 0, 0, 0);
	long fd = sys(SYS_openat, AT_FDCWD, (long)"/mnt/gone", O_CREAT | O_RDWR,
		      0644, 0);
	static char data[1 << 20];
	memset(data, 'q', sizeof(data));
	sys(SYS_write, fd, (long)data, sizeof(data), 0, 0);
	sys(SYS_unlinkat, AT_FDCWD, (long)"/mnt/gone", 0, 0, 0);
	sys(SYS_statfs, (long)"/mnt", (long)&b, 0, 0, 0);
	expect(sys(SYS_pread64, fd, (long)buf, 8, 500000, 0) == 8 &&
		       memcmp(buf, "qqqqqqqq", 8) == 0,
	       "an unlinked open file still reads");
	expect(b.f_bfree < a.f_bfree, "... and keeps its blocks");
	sys(SYS_close, fd, 0, 0, 0, 0);
	sys(SYS_statfs, (long)"/mnt", (long)&c, 0, 0, 0);
	expect(c.f_bfree == a.f_bfree && c.f_ffree == a.f_ffree,
	       "... freed at its last close");
	expect(sys(SYS_umount2, (long)"/mnt", 0, 0, 0, 0) == 0, "umount");
	expect(clean(img), "e2fsck: clean");
}

static void
large(void)
{
	const char *img = mkimage("large.img", "-b 1024 -s 16");
	const long at = 5l << 30;
	char buf[16];

	expect(mount_ext2(img, 0, NULL) == 0, "mount");
	long fd = sys(SYS_openat, AT_FDCWD, (long)"/mnt/big", O_CREAT | O_RDWR,
		      0644, 0);
	expect(sys(SYS_pwrite64, fd, (long)"past five GiB", 13, at, 0) == 13,
	       "a write past 5 GiB (triple indirect with 1 KiB blocks)");
	expect(sys(SYS_pread64, fd, (long)buf, 13, at, 0) == 13 &&
		       memcmp(buf, "past five GiB", 13) == 0,
	       "... reads back");
	expect(sys(SYS_pwrite64, fd, (long)"x", 1, 1l << 40, 0) == -KERN_EFBIG,
	       "a write at 1 TiB: EFBIG");
	sys(SYS_close, fd, 0, 0, 0, 0);
	expect(sys(SYS_umount2, (long)"/mnt", 0, 0, 0, 0) == 0, "umount");
	expect(clean(img), "e2fsck: clean, large_file set");
	expect(mount_ext2(img, MS_RDONLY, NULL) == 0, "mount again");
	fd = sys(SYS_openat, AT_FDCWD, (long)"/mnt/big", O_RDONLY, 0, 0);
	struct stat st;
	expect(sys(SYS_fstat, fd, (long)&st, 0, 0, 0) == 0 &&
		       st.st_size == at + 13 &&
		       sys(SYS_pread64, fd, (long)buf, 13, at, 0) == 13 &&
		       memcmp(buf, "past five GiB", 13) == 0,
	       "... its size and bytes after a remount");
	sys(SYS_close, fd, 0, 0, 0, 0);
	expect(sys(SYS_umount2, (long)"/mnt", 0, 0, 0, 0) == 0, "umount");
}

static void
indexed(void)
{
	char big[600], cmd[700], path[64];
	struct stat st;

	snprintf(big, sizeof(big), "%s/bigdir", dir);
	sh("mkdir -p %s/many && cd %s/many && for i in $(seq 1 3000); do "
	   ": >entry-with-a-longer-name-$i; done",
	   big, big);
	snprintf(cmd, sizeof(cmd), "%s/indexed.img", dir);
	if (sh("tools/mkext2 -b 1024 %s %s >/dev/null", big, cmd) != 0) {
		printf("FAILED: tools/mkext2 of a large directory\n");
		exit(1);
	}
	const char *img = cmd;
	/* mke2fs -d indexes nothing; e2fsck -D indexes large directories. */
	sh("PATH=$PATH:/sbin:/usr/sbin e2fsck -fyD %s >/dev/null 2>&1", img);
	expect(sh("PATH=$PATH:/sbin:/usr/sbin debugfs -R 'stat /many' %s "
		  "2>/dev/null | grep -q 'Flags: 0x1000'",
		  img) == 0,
	       "e2fsck -D indexed the directory of 3000");
	expect(mount_ext2(img, 0, NULL) == 0, "mount");
	expect(peek(img, 1024 + 58, 2) == 0,
	       "... the image says not clean while mounted");
	int found = 1;
	for (int i = 1; i <= 3000; i += 333) {
		snprintf(path, sizeof(path),
			 "/mnt/many/entry-with-a-longer-name-%d", i);
		found &= sys(SYS_newfstatat, AT_FDCWD, (long)path, (long)&st, 0,
			     0) == 0;
	}
	expect(found, "... its entries are found");
	long fd = sys(SYS_openat, AT_FDCWD, (long)"/mnt/many/new",
		      O_CREAT | O_WRONLY, 0644, 0);
	expect(fd >= 0, "... a new entry in it");
	sys(SYS_close, fd, 0, 0, 0, 0);
	expect(sys(SYS_umount2, (long)"/mnt", 0, 0, 0, 0) == 0, "umount");
	expect(peek(img, 1024 + 58, 2) == 1, "... the image says clean");
	expect(sh("PATH=$PATH:/sbin:/usr/sbin debugfs -R 'stat /many' %s "
		  "2>/dev/null | grep -q 'Flags: 0x0'",
		  img) == 0,
	       "... the index flag is gone");
	expect(clean(img), "e2fsck: clean");
}

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/kernext2.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	make_tree();
	expect(kern_init() == 0, "kern_init");
	expect(sys(SYS_mkdirat, AT_FDCWD, (long)"/mnt", 0755, 0, 0) == 0,
	       "mkdir /mnt");
	tree_images();
	damaged();
	read_only();
	full();
	unlinked_open();
	large();
	indexed();
	sh("rm -rf %s", dir);
	printf("%d failures\n", failures);
	return failures != 0;
}
