/*
 * fsbench DEVICE DIR [MIB [FILES]]: file system work on the ext2 of
 * DEVICE, mounted at DIR with mount(2), the same program in a rumpxen
 * domU (built with rumpxen-cc) and in a Linux domU (musl-gcc -static;
 * the kernel's own ext2) for bench/fs.sh. Between figures the file
 * system is unmounted and mounted again, so that each starts with cold
 * caches on both. Figures, each a line "bench NAME VALUE UNIT":
 *
 *   seqwrite  MIB (default 64) MiB written in 64 KiB pieces, fsynced
 *   seqread   the same file read in 64 KiB pieces
 *   create    FILES (default 10000) files of 256 bytes in 100
 *             directories, then sync
 *   walk      the tree walked as find does (readdir, lstat of each)
 *   delete    every one of those files unlinked, the directories
 *             removed, then sync
 *
 * Exits 0 when all ran; any failure says what and where.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (64 << 10)
#define DIRS  100

static const char *dev, *dir;
static char chunk[CHUNK];

static void
die(const char *what, const char *path)
{
	printf("fsbench: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
remount(void)
{
	if (umount(dir) != 0)
		die("umount", dir);
	if (mount(dev, dir, "ext2", 0, NULL) != 0)
		die("mount", dev);
}

static void
seqwrite(const char *path, long mib)
{
	double t0 = now();
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0)
		die("create", path);
	for (long i = 0; i < mib * (1 << 20) / CHUNK; i++) {
		memset(chunk, (int)i, sizeof(chunk));
		if (write(fd, chunk, CHUNK) != CHUNK)
			die("write", path);
	}
	if (fsync(fd) != 0 || close(fd) != 0)
		die("fsync", path);
	printf("bench seqwrite %.1f MB/s\n",
	       (double)mib * 1.048576 / (now() - t0));
}

static void
seqread(const char *path, long mib)
{
	double t0 = now();
	int fd = open(path, O_RDONLY);
	long total = 0;
	ssize_t n;

	if (fd < 0)
		die("open", path);
	while ((n = read(fd, chunk, CHUNK)) > 0)
		total += n;
	if (n < 0 || total != mib << 20)
		die("read", path);
	close(fd);
	printf("bench seqread %.1f MB/s\n",
	       (double)mib * 1.048576 / (now() - t0));
}

static void
create(long files)
{
	char path[512];
	double t0 = now();

	memset(chunk, 'f', 256);
	for (int d = 0; d < DIRS; d++) {
		snprintf(path, sizeof(path), "%s/d%d", dir, d);
		if (mkdir(path, 0755) != 0)
			die("mkdir", path);
	}
	for (long f = 0; f < files; f++) {
		snprintf(path, sizeof(path), "%s/d%ld/file%ld", dir, f % DIRS,
			 f);
		int fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0644);
		if (fd < 0 || write(fd, chunk, 256) != 256 || close(fd) != 0)
			die("create", path);
	}
	sync();
	printf("bench create %.0f files/s\n", (double)files / (now() - t0));
}

/* walk: entries under path, each lstat'ed, directories walked into. */
static long
walk(const char *path)
{
	char sub[512];
	struct dirent *e;
	struct stat st;
	long n = 0;
	DIR *d = opendir(path);

	if (d == NULL)
		die("opendir", path);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (lstat(sub, &st) != 0)
			die("lstat", sub);
		n++;
		if (S_ISDIR(st.st_mode))
			n += walk(sub);
	}
	closedir(d);
	return n;
}

static void delete (long files)
{
	char path[512];
	double t0 = now();

	for (long f = 0; f < files; f++) {
		snprintf(path, sizeof(path), "%s/d%ld/file%ld", dir, f % DIRS,
			 f);
		if (unlink(path) != 0)
			die("unlink", path);
	}
	for (int d = 0; d < DIRS; d++) {
		snprintf(path, sizeof(path), "%s/d%d", dir, d);
		if (rmdir(path) != 0)
			die("rmdir", path);
	}
	sync();
	printf("bench delete %.0f files/s\n", (double)files / (now() - t0));
}

int
main(int argc, char **argv)
{
	char big[512];

	if (argc < 3) {
		printf("usage: fsbench DEVICE DIR [MIB [FILES]]\n");
		return 2;
	}
	dev = argv[1];
	dir = argv[2];
	long mib = argc > 3 ? atol(argv[3]) : 64;
	long files = argc > 4 ? atol(argv[4]) : 10000;
	mkdir(dir, 0755);
	if (mount(dev, dir, "ext2", 0, NULL) != 0)
		die("mount", dev);
	snprintf(big, sizeof(big), "%s/big", dir);
	seqwrite(big, mib);
	remount();
	seqread(big, mib);
	if (unlink(big) != 0)
		die("unlink", big);
	create(files);
	remount();
	double t0 = now();
	long n = walk(dir);
	printf("bench walk %.0f entries/s\n", (double)n / (now() - t0));
	if (n < files + DIRS)
		die("walk: too few entries in", dir);
	remount();
	delete (files);
	if (umount(dir) != 0)
		die("umount", dir);
	printf("fsbench: done\n");
	return 0;
}
