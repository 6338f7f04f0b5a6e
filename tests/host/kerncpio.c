/*
 * The RAM disk as an initramfs (kern/sys/cpio.c) as a host program on
 * platform/posix under ASan and UBSan: a newc archive written here (a
 * directory, files, a symlink, two names of one inode with the data on
 * the second, a file whose parents are missing, modes and mtimes) is
 * unpacked into the root by kern_init, and each file is checked through
 * the syscall entry. A second run, in a child process, unpacks an archive
 * damaged in its third header: the first two files are there and the
 * rest is not. Exits 0 when all holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rumpxen/platform.h>

#include "../../kern/kern.h"
#include "expect.h"

long __rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5,
		       long a6);

#define SYS_read       17 /* pread64 */
#define SYS_readlinkat 267
#define SYS_newfstatat 262
#define SYS_openat     257
#define AT_FDCWD       (-100)
#define AT_NOFOLLOW    0x100

struct st {
	unsigned long dev, ino, nlink;
	unsigned mode, uid, gid, pad0;
	unsigned long rdev;
	long size, blksize, blocks;
	unsigned long atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	long unused[3];
};

/* cpio_add: one newc entry into f. */
static void
cpio_add(FILE *f, const char *name, unsigned mode, unsigned ino, unsigned nlink,
	 const char *data, unsigned mtime)
{
	unsigned size = data != NULL ? (unsigned)strlen(data) : 0;
	unsigned namesize = (unsigned)strlen(name) + 1;
	static const char zeros[4];

	fprintf(f, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		ino, mode, 5, 6, nlink, mtime, size, 0, 0, 0, 0, namesize, 0);
	fwrite(name, 1, namesize, f);
	fwrite(zeros, 1, (4 - (110 + namesize) % 4) % 4, f);
	if (size != 0) {
		fwrite(data, 1, size, f);
		fwrite(zeros, 1, (4 - size % 4) % 4, f);
	}
}

static long
stat_of(const char *path, struct st *s, long flags)
{
	return __rumpxen_syscall(SYS_newfstatat, AT_FDCWD, (long)path, (long)s,
				 flags, 0, 0);
}

/* content_is: the file's bytes are want. */
static int
content_is(const char *path, const char *want)
{
	char buf[256];
	long fd =
		__rumpxen_syscall(SYS_openat, AT_FDCWD, (long)path, 0, 0, 0, 0);
	long n = __rumpxen_syscall(SYS_read, fd, (long)buf, sizeof(buf), 0, 0,
				   0);

	return fd >= 0 && n == (long)strlen(want) && memcmp(buf, want, n) == 0;
}

static void
write_good(const char *path)
{
	FILE *f = fopen(path, "wb");

	cpio_add(f, ".", 040755, 1, 2, NULL, 100);
	cpio_add(f, "./etc", 040750, 2, 2, NULL, 200);
	cpio_add(f, "./etc/motd", 0100644, 3, 1, "hello from cpio\n", 300);
	cpio_add(f, "etc/link", 0120777, 4, 1, "motd", 400);
	cpio_add(f, "one", 0100600, 5, 2, NULL, 500); /* data comes later */
	cpio_add(f, "two", 0100600, 5, 2, "shared", 500);
	cpio_add(f, "deep/er/file", 0100755, 6, 1, "x", 600);
	cpio_add(f, "TRAILER!!!", 0, 0, 1, NULL, 0);
	fclose(f);
}

static void
check_good(void)
{
	struct st s, t;
	char buf[16];

	expect(content_is("/etc/motd", "hello from cpio\n"),
	       "a file's content");
	expect(stat_of("/etc/motd", &s, 0) == 0 && (s.mode & 07777) == 0644 &&
		       s.mtime == 300 && s.uid == 5 && s.gid == 6,
	       "its mode, mtime and owners");
	expect(stat_of("/etc", &s, 0) == 0 && (s.mode & 07777) == 0750 &&
		       s.mtime == 200,
	       "a directory's mode and mtime, set after its files");
	expect(__rumpxen_syscall(SYS_readlinkat, AT_FDCWD, (long)"/etc/link",
				 (long)buf, sizeof(buf), 0, 0) == 4 &&
		       memcmp(buf, "motd", 4) == 0 &&
		       content_is("/etc/link", "hello from cpio\n"),
	       "a symlink");
	expect(stat_of("/one", &s, 0) == 0 && stat_of("/two", &t, 0) == 0 &&
		       s.ino == t.ino && s.nlink == 2 &&
		       content_is("/one", "shared"),
	       "two names of one inode, the data from the second");
	expect(content_is("/deep/er/file", "x") &&
		       stat_of("/deep/er", &s, 0) == 0 &&
		       (s.mode & 0170000) == 0040000,
	       "missing parents made");
}

static void
write_damaged(const char *path)
{
	FILE *f = fopen(path, "wb");

	cpio_add(f, "a", 0100644, 1, 1, "first", 1);
	cpio_add(f, "b", 0100644, 2, 1, "second", 1);
	fprintf(f, "070701%08XZZZZ", 3); /* not hexadecimal */
	fprintf(f, "%0100d", 0);
	cpio_add(f, "c", 0100644, 4, 1, "third", 1);
	cpio_add(f, "TRAILER!!!", 0, 0, 1, NULL, 0);
	fclose(f);
}

int
rumpxen_main(int argc, char **argv)
{
	char good[] = "/tmp/kerncpio.good.XXXXXX";
	char bad[] = "/tmp/kerncpio.bad.XXXXXX";
	struct st s;
	int status;

	(void)argc;
	(void)argv;
	close(mkstemp(good));
	close(mkstemp(bad));
	write_good(good);
	write_damaged(bad);
	pid_t child = fork();
	if (child == 0) {
		setenv("initramfs", bad, 1);
		expect(kern_init() == 0, "kern_init with a damaged archive");
		expect(content_is("/a", "first") && content_is("/b", "second"),
		       "the files before the damage are there");
		expect(stat_of("/c", &s, 0) == -2, "the ones after are not");
		fflush(stdout);
		_exit(failures != 0);
	}
	waitpid(child, &status, 0);
	expect(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "the damaged archive's run");
	setenv("initramfs", good, 1);
	expect(kern_init() == 0, "kern_init with an archive");
	check_good();
	unlink(good);
	unlink(bad);
	printf(failures == 0 ? "all passed\n" : "%d failed\n", failures);
	return failures != 0;
}
