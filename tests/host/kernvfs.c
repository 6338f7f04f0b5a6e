/*
 * The VFS and tmpfs (kern/vfs, kern/fs) as a host program on
 * platform/posix under ASan and UBSan, through the syscall entry: files
 * (create, write, read, sparse, truncate, O_APPEND, O_EXCL, O_TRUNC,
 * SEEK_DATA/SEEK_HOLE), offsets shared by dup, directories and
 * getdents64, symlinks (following, loops, trailing slashes), hard links,
 * rename (over a file, NOREPLACE, EXCHANGE, of a directory, into itself),
 * stat and statx, chmod/chown/utimensat, access, the cwd, *at calls from
 * a directory fd, O_PATH, a tmpfs mounted with a size limit (ENOSPC,
 * umount EBUSY), close_range, sendfile and copy_file_range, and the
 * devices of /dev. Exits 0 when
 * all holds.
 */
#include <stdio.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "../../kern/kern.h"
#include "expect.h"

long __rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5,
		       long a6);

#define SYS_read	    0
#define SYS_write	    1
#define SYS_close	    3
#define SYS_fstat	    5
#define SYS_lseek	    8
#define SYS_pread	    17
#define SYS_pwrite	    18
#define SYS_dup		    32
#define SYS_sendfile	    40
#define SYS_ftruncate	    77
#define SYS_getcwd	    79
#define SYS_chdir	    80
#define SYS_fchdir	    81
#define SYS_umask	    95
#define SYS_mount	    165
#define SYS_umount2	    166
#define SYS_getdents64	    217
#define SYS_openat	    257
#define SYS_mkdirat	    258
#define SYS_fchownat	    260
#define SYS_newfstatat	    262
#define SYS_unlinkat	    263
#define SYS_linkat	    265
#define SYS_symlinkat	    266
#define SYS_readlinkat	    267
#define SYS_fchmodat	    268
#define SYS_faccessat	    269
#define SYS_utimensat	    280
#define SYS_renameat2	    316
#define SYS_copy_file_range 326
#define SYS_statx	    332
#define SYS_close_range	    436
#define AT_FDCWD	    (-100)
#define O_RDONLY	    0
#define O_WRONLY	    1
#define O_RDWR		    2
#define O_CREAT		    0100
#define O_EXCL		    0200
#define O_TRUNC		    01000
#define O_APPEND	    02000
#define O_DIRECTORY	    0200000
#define O_NOFOLLOW	    0400000
#define O_PATH		    010000000
#define AT_REMOVEDIR	    0x200
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH	    0x1000

static long
sys(long n, long a1, long a2, long a3, long a4, long a5)
{
	return __rumpxen_syscall(n, a1, a2, a3, a4, a5, 0);
}

static long
openat(const char *path, long flags, long mode)
{
	return sys(SYS_openat, AT_FDCWD, (long)path, flags, mode, 0);
}

/* The layout of Linux's struct stat on x86_64. */
struct st {
	unsigned long dev, ino, nlink;
	unsigned mode, uid, gid, pad0;
	unsigned long rdev;
	long size, blksize, blocks;
	unsigned long atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	long unused[3];
};

static long
stat_of(const char *path, struct st *s, long flags)
{
	return sys(SYS_newfstatat, AT_FDCWD, (long)path, (long)s, flags, 0);
}

/* names_of: the names getdents64 gives for dir, sorted, comma-joined. */
static void
names_of(const char *dir, char *out, size_t size)
{
	char buf[4096], names[64][64];
	int n = 0;
	long fd = openat(dir, O_RDONLY | O_DIRECTORY, 0), got;

	while ((got = sys(SYS_getdents64, fd, (long)buf, 100, 0, 0)) > 0) {
		for (long at = 0; at < got && n < 64;) {
			unsigned short reclen;
			memcpy(&reclen, buf + at + 16, 2);
			snprintf(names[n++], 64, "%s", buf + at + 19);
			at += reclen;
		}
	}
	sys(SYS_close, fd, 0, 0, 0, 0);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (strcmp(names[j], names[i]) < 0) {
				char t[64];
				memcpy(t, names[i], 64);
				memcpy(names[i], names[j], 64);
				memcpy(names[j], t, 64);
			}
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s",
			 i ? "," : "", names[i]);
}

static void
files(void)
{
	char buf[64];
	struct st s;
	long fd = openat("/f", O_RDWR | O_CREAT | O_EXCL, 0644);

	expect(fd == 3, "open O_CREAT|O_EXCL: fd 3");
	expect(openat("/f", O_RDWR | O_CREAT | O_EXCL, 0644) == -17,
	       "again: EEXIST");
	expect(sys(SYS_write, fd, (long)"hello", 5, 0, 0) == 5 &&
		       sys(SYS_pwrite, fd, (long)"!", 1, 10000, 0) == 1,
	       "write, then a pwrite far beyond the end");
	expect(stat_of("/f", &s, 0) == 0 && s.size == 10001 &&
		       (s.mode & 0170000) == 0100000 &&
		       (s.mode & 0777) == 0644 && s.nlink == 1,
	       "stat: a regular file of 10001 bytes, 0644, one link");
	memset(buf, 'x', sizeof(buf));
	expect(sys(SYS_pread, fd, (long)buf, 10, 4999, 0) == 10 &&
		       memcmp(buf, "\0\0\0\0\0\0\0\0\0\0", 10) == 0,
	       "the hole reads as zeros");
	expect(sys(SYS_lseek, fd, 0, 3, 0, 0) == 0 &&
		       sys(SYS_lseek, fd, 10, 4, 0, 0) == 4096 &&
		       sys(SYS_lseek, fd, 4097, 3, 0, 0) == 8192,
	       "SEEK_DATA and SEEK_HOLE find the pages");
	expect(sys(SYS_lseek, fd, 20000, 3, 0, 0) == -6,
	       "SEEK_DATA past the end: ENXIO");
	expect(sys(SYS_ftruncate, fd, 3, 0, 0, 0) == 0 &&
		       sys(SYS_ftruncate, fd, 6, 0, 0, 0) == 0 &&
		       sys(SYS_pread, fd, (long)buf, 10, 0, 0) == 6 &&
		       memcmp(buf, "hel\0\0\0", 6) == 0,
	       "truncate down, then up: the cut part reads as zeros");
	long fd2 = sys(SYS_dup, fd, 0, 0, 0, 0);
	sys(SYS_lseek, fd, 1, 0, 0, 0);
	expect(sys(SYS_read, fd2, (long)buf, 2, 0, 0) == 2 &&
		       memcmp(buf, "el", 2) == 0 &&
		       sys(SYS_lseek, fd, 0, 1, 0, 0) == 3,
	       "dup shares the offset");
	sys(SYS_close, fd2, 0, 0, 0, 0);
	sys(SYS_close, fd, 0, 0, 0, 0);
	fd = openat("/f", O_WRONLY | O_APPEND, 0);
	expect(sys(SYS_write, fd, (long)"++", 2, 0, 0) == 2 &&
		       stat_of("/f", &s, 0) == 0 && s.size == 8,
	       "O_APPEND writes at the end");
	sys(SYS_close, fd, 0, 0, 0, 0);
	fd = openat("/f", O_RDONLY, 0);
	expect(sys(SYS_write, fd, (long)"x", 1, 0, 0) == -9,
	       "a write to a read-only fd: EBADF");
	sys(SYS_close, fd, 0, 0, 0, 0);
	fd = openat("/f", O_RDONLY | O_TRUNC, 0);
	expect(stat_of("/f", &s, 0) == 0 && s.size == 0,
	       "O_TRUNC empties it, even read-only (as on Linux)");
	sys(SYS_close, fd, 0, 0, 0, 0);
	fd = openat("/v", O_RDWR | O_CREAT, 0644);
	sys(SYS_write, fd, (long)"0123456789", 10, 0, 0);
	char a3[3], b100[100];
	struct {
		void *base;
		size_t len;
	} iov[2] = {{a3, 3}, {b100, 100}};
	sys(SYS_lseek, fd, 0, 0, 0, 0);
	expect(sys(19 /* readv */, fd, (long)iov, 2, 0, 0) == 10 &&
		       memcmp(a3, "012", 3) == 0 &&
		       memcmp(b100, "3456789", 7) == 0,
	       "readv of a file fills one buffer, then the next");
	sys(SYS_close, fd, 0, 0, 0, 0);
	expect(openat("/nothere", O_RDONLY, 0) == -2, "ENOENT");
	expect(openat("/f/x", O_RDONLY, 0) == -20, "through a file: ENOTDIR");
	expect(openat("/f/", O_RDONLY, 0) == -20, "a trailing slash: ENOTDIR");
	expect(openat("/", O_WRONLY, 0) == -21,
	       "a directory for writing: EISDIR");
	expect(openat("/new/", O_CREAT | O_WRONLY, 0644) == -21,
	       "O_CREAT of a name with a slash: EISDIR");
}

static void
directories(void)
{
	char names[512];
	struct st s, d;

	expect(sys(SYS_mkdirat, AT_FDCWD, (long)"/d", 0755, 0, 0) == 0 &&
		       sys(SYS_mkdirat, AT_FDCWD, (long)"/d/e", 0700, 0, 0) ==
			       0 &&
		       sys(SYS_mkdirat, AT_FDCWD, (long)"/d/e/", 0700, 0, 0) ==
			       -17,
	       "mkdir, and EEXIST for one that is there");
	expect(stat_of("/d", &s, 0) == 0 && s.nlink == 3 &&
		       (s.mode & 0170000) == 0040000,
	       "a directory with a subdirectory has 3 links");
	for (int i = 0; i < 20; i++) {
		char name[32];
		snprintf(name, sizeof(name), "/d/file%02d", i);
		sys(SYS_close, openat(name, O_CREAT | O_WRONLY, 0600), 0, 0, 0,
		    0);
	}
	names_of("/d", names, sizeof(names));
	expect(strncmp(names, ".,..,e,file00,file01,", 21) == 0 &&
		       strstr(names, "file19") != NULL,
	       "getdents64 in small buffers: every name once");
	expect(sys(SYS_unlinkat, AT_FDCWD, (long)"/d", AT_REMOVEDIR, 0, 0) ==
		       -39,
	       "rmdir of a full directory: ENOTEMPTY");
	expect(sys(SYS_unlinkat, AT_FDCWD, (long)"/d/e", 0, 0, 0) == -21,
	       "unlink of a directory: EISDIR");
	expect(sys(SYS_unlinkat, AT_FDCWD, (long)"/d/file00", AT_REMOVEDIR, 0,
		   0) == -20,
	       "rmdir of a file: ENOTDIR");
	expect(sys(SYS_unlinkat, AT_FDCWD, (long)"/d/e", AT_REMOVEDIR, 0, 0) ==
			       0 &&
		       stat_of("/d", &d, 0) == 0 && d.nlink == 2,
	       "rmdir, and the parent's links drop");

	/* The cwd and *at calls. */
	char cwd[256];
	expect(sys(SYS_chdir, (long)"/d", 0, 0, 0, 0) == 0 &&
		       sys(SYS_getcwd, (long)cwd, sizeof(cwd), 0, 0, 0) == 3 &&
		       strcmp(cwd, "/d") == 0,
	       "chdir, getcwd");
	expect(openat("file01", O_RDONLY, 0) >= 0,
	       "a relative path from the cwd");
	expect(sys(SYS_chdir, (long)"..", 0, 0, 0, 0) == 0 &&
		       sys(SYS_getcwd, (long)cwd, sizeof(cwd), 0, 0, 0) == 2 &&
		       strcmp(cwd, "/") == 0,
	       "chdir .., getcwd /");
	long dfd = openat("/d", O_RDONLY | O_DIRECTORY, 0);
	expect(sys(SYS_newfstatat, dfd, (long)"file02", (long)&s, 0, 0) == 0,
	       "newfstatat from a directory fd");
	expect(sys(SYS_newfstatat, dfd, (long)"", (long)&s, AT_EMPTY_PATH, 0) ==
			       0 &&
		       (s.mode & 0170000) == 0040000,
	       "AT_EMPTY_PATH: the fd itself");
	long ffd = openat("/f", O_RDONLY, 0);
	expect(sys(SYS_newfstatat, ffd, (long)"x", (long)&s, 0, 0) == -20,
	       "a relative path from a file's fd: ENOTDIR");
	long pfd = openat("/d", O_PATH, 0);
	expect(pfd >= 0 && sys(SYS_read, pfd, (long)cwd, 1, 0, 0) == -9 &&
		       sys(SYS_fchdir, pfd, 0, 0, 0, 0) == 0,
	       "O_PATH: no read, but fchdir");
	sys(SYS_chdir, (long)"/", 0, 0, 0, 0);
	expect(sys(SYS_close_range, 3, ~0u, 0, 0, 0) == 0 &&
		       sys(SYS_close, dfd, 0, 0, 0, 0) == -9,
	       "close_range closed them");
}

static void
links(void)
{
	char buf[64];
	struct st s;

	expect(sys(SYS_symlinkat, (long)"d/file03", AT_FDCWD, (long)"/l", 0,
		   0) == 0,
	       "symlink");
	expect(sys(SYS_readlinkat, AT_FDCWD, (long)"/l", (long)buf, sizeof(buf),
		   0) == 8 &&
		       memcmp(buf, "d/file03", 8) == 0,
	       "readlink");
	expect(stat_of("/l", &s, 0) == 0 && (s.mode & 0170000) == 0100000 &&
		       stat_of("/l", &s, AT_SYMLINK_NOFOLLOW) == 0 &&
		       (s.mode & 0170000) == 0120000 && s.size == 8,
	       "stat follows it, lstat does not");
	expect(openat("/l", O_RDONLY | O_NOFOLLOW, 0) == -40,
	       "O_NOFOLLOW on a symlink: ELOOP");
	expect(openat("/l", O_PATH | O_NOFOLLOW, 0) >= 0,
	       "but O_PATH|O_NOFOLLOW opens it");
	sys(SYS_symlinkat, (long)"/loop2", AT_FDCWD, (long)"/loop1", 0, 0);
	sys(SYS_symlinkat, (long)"/loop1", AT_FDCWD, (long)"/loop2", 0, 0);
	expect(openat("/loop1", O_RDONLY, 0) == -40, "a loop of links: ELOOP");
	sys(SYS_symlinkat, (long)"/d", AT_FDCWD, (long)"/ld", 0, 0);
	expect(stat_of("/ld/file04", &s, 0) == 0, "a link in the middle");
	sys(SYS_symlinkat, (long)"/made-through", AT_FDCWD, (long)"/dl", 0, 0);
	expect(openat("/dl", O_CREAT | O_WRONLY, 0600) >= 0 &&
		       stat_of("/made-through", &s, 0) == 0,
	       "O_CREAT through a dangling link makes its target");
	expect(openat("/dl", O_CREAT | O_EXCL | O_WRONLY, 0600) == -17,
	       "O_CREAT|O_EXCL on a link: EEXIST, never followed");

	expect(sys(SYS_linkat, AT_FDCWD, (long)"/d/file05", AT_FDCWD,
		   (long)"/hard", 0) == 0 &&
		       stat_of("/hard", &s, 0) == 0 && s.nlink == 2,
	       "a hard link: two links");
	expect(sys(SYS_linkat, AT_FDCWD, (long)"/d", AT_FDCWD, (long)"/dd",
		   0) == -1,
	       "a hard link to a directory: EPERM");
	sys(SYS_unlinkat, AT_FDCWD, (long)"/d/file05", 0, 0, 0);
	expect(stat_of("/hard", &s, 0) == 0 && s.nlink == 1,
	       "one link left after unlink");
}

static void
renames(void)
{
	struct st s, t;

	stat_of("/d/file06", &s, 0);
	expect(sys(SYS_renameat2, AT_FDCWD, (long)"/d/file06", AT_FDCWD,
		   (long)"/d/file07", 0) == 0 &&
		       stat_of("/d/file07", &t, 0) == 0 && t.ino == s.ino &&
		       stat_of("/d/file06", &t, 0) == -2,
	       "rename over a file replaces it");
	expect(sys(SYS_renameat2, AT_FDCWD, (long)"/d/file07", AT_FDCWD,
		   (long)"/d/file08", 1) == -17,
	       "RENAME_NOREPLACE: EEXIST");
	stat_of("/d/file08", &t, 0);
	expect(sys(SYS_renameat2, AT_FDCWD, (long)"/d/file07", AT_FDCWD,
		   (long)"/d/file08", 2) == 0 &&
		       stat_of("/d/file08", &s, 0) == 0 && s.ino != t.ino &&
		       stat_of("/d/file07", &s, 0) == 0 && s.ino == t.ino,
	       "RENAME_EXCHANGE swaps them");
	sys(SYS_mkdirat, AT_FDCWD, (long)"/a", 0755, 0, 0);
	sys(SYS_mkdirat, AT_FDCWD, (long)"/a/b", 0755, 0, 0);
	expect(sys(SYS_renameat2, AT_FDCWD, (long)"/a", AT_FDCWD,
		   (long)"/a/b/c", 0) == -22,
	       "a directory into itself: EINVAL");
	expect(sys(SYS_renameat2, AT_FDCWD, (long)"/a/b", AT_FDCWD, (long)"/d",
		   0) == -39,
	       "a directory over a full one: ENOTEMPTY");
	expect(sys(SYS_renameat2, AT_FDCWD, (long)"/a/b", AT_FDCWD,
		   (long)"/d/b", 0) == 0 &&
		       stat_of("/a", &s, 0) == 0 && s.nlink == 2 &&
		       stat_of("/d", &t, 0) == 0 && t.nlink == 3,
	       "a directory across directories: both link counts move");
	expect(sys(SYS_renameat2, AT_FDCWD, (long)"/d/file09", AT_FDCWD,
		   (long)"/a", 0) == -21,
	       "a file over a directory: EISDIR");
}

static void
attributes(void)
{
	struct st s, t;
	struct {
		long sec, nsec;
	} times[2] = {{1000, 5}, {2000, 7}};

	expect(sys(SYS_fchmodat, AT_FDCWD, (long)"/d/file10", 04751, 0, 0) ==
			       0 &&
		       stat_of("/d/file10", &s, 0) == 0 &&
		       (s.mode & 07777) == 04751,
	       "chmod");
	expect(sys(SYS_fchownat, AT_FDCWD, (long)"/d/file10", 7, 8, 0) == 0 &&
		       stat_of("/d/file10", &s, 0) == 0 && s.uid == 7 &&
		       s.gid == 8 && (s.mode & 07777) == 0751,
	       "chown: owners, set-user-ID cleared");
	expect(sys(SYS_utimensat, AT_FDCWD, (long)"/d/file10", (long)times, 0,
		   0) == 0 &&
		       stat_of("/d/file10", &s, 0) == 0 && s.atime == 1000 &&
		       s.atime_ns == 5 && s.mtime == 2000 && s.mtime_ns == 7 &&
		       s.ctime > 2000,
	       "utimensat sets atime and mtime; ctime is now");
	expect(sys(SYS_faccessat, AT_FDCWD, (long)"/d/file11", 1, 0, 0) ==
			       -13 &&
		       sys(SYS_faccessat, AT_FDCWD, (long)"/d/file10", 1, 0,
			   0) == 0 &&
		       sys(SYS_faccessat, AT_FDCWD, (long)"/d/file11", 6, 0,
			   0) == 0,
	       "access as root: X_OK needs an x bit, R_OK|W_OK pass");
	expect(sys(SYS_umask, 077, 0, 0, 0, 0) == 022 &&
		       sys(SYS_close, openat("/masked", O_CREAT | O_RDWR, 0666),
			   0, 0, 0, 0) == 0 &&
		       stat_of("/masked", &s, 0) == 0 &&
		       (s.mode & 0777) == 0600,
	       "umask applies to new files");
	sys(SYS_umask, 022, 0, 0, 0, 0);
	long fd = openat("/d/file12", O_WRONLY, 0);
	stat_of("/d/file12", &s, 0);
	struct {
		long sec, nsec;
	} old[2] = {{100, 0}, {100, 0}};
	sys(SYS_utimensat, AT_FDCWD, (long)"/d/file12", (long)old, 0, 0);
	sys(SYS_write, fd, (long)"data", 4, 0, 0);
	expect(stat_of("/d/file12", &t, 0) == 0 && t.mtime > 100 &&
		       t.ctime >= t.mtime,
	       "a write moves mtime and ctime");
	char sx[256];
	expect(sys(SYS_statx, AT_FDCWD, (long)"/d/file12", 0, 0x7ff,
		   (long)sx) == 0 &&
		       *(unsigned long *)(sx + 40) == 4 &&
		       *(unsigned long *)(sx + 32) == t.ino,
	       "statx: size and inode");
}

static void
mounts(void)
{
	char buf[4096];
	struct st s;

	memset(buf, 'm', sizeof(buf));
	sys(SYS_mkdirat, AT_FDCWD, (long)"/mnt", 0755, 0, 0);
	expect(sys(SYS_mount, (long)"none", (long)"/mnt", (long)"tmpfs", 0,
		   (long)"size=64k") == 0,
	       "mount a tmpfs of 64 KiB");
	expect(stat_of("/mnt", &s, 0) == 0 && s.nlink == 2, "its root");
	long fd = openat("/mnt/big", O_CREAT | O_WRONLY, 0644);
	long total = 0, r;
	while ((r = sys(SYS_write, fd, (long)buf, sizeof(buf), 0, 0)) > 0)
		total += r;
	printf("wrote %ld bytes before %ld\n", total, r);
	expect(r == -28 && total > 0 && total <= 64 * 1024,
	       "writes end with ENOSPC at the limit");
	expect(sys(SYS_renameat2, AT_FDCWD, (long)"/mnt/big", AT_FDCWD,
		   (long)"/big", 0) == -18,
	       "rename across mounts: EXDEV");
	expect(sys(SYS_umount2, (long)"/mnt", 0, 0, 0, 0) == -16,
	       "umount with a file open: EBUSY");
	sys(SYS_close, fd, 0, 0, 0, 0);
	expect(sys(SYS_umount2, (long)"/mnt", 0, 0, 0, 0) == 0 &&
		       stat_of("/mnt/big", &s, 0) == -2,
	       "umount once closed; the directory is bare again");
	/* sendfile and copy_file_range. */
	long in = openat("/d/file12", O_RDONLY, 0);
	long out = openat("/copy", O_CREAT | O_RDWR, 0644);
	long off = 1;
	expect(sys(SYS_sendfile, out, in, (long)&off, 100, 0) == 3 && off == 4,
	       "sendfile from an offset");
	long o2 = 0;
	expect(__rumpxen_syscall(SYS_copy_file_range, in, (long)&o2, out, 0, 2,
				 0) == 2 &&
		       sys(SYS_pread, out, (long)buf, 10, 0, 0) == 5 &&
		       memcmp(buf, "atada", 5) == 0,
	       "copy_file_range appends at the fd's offset");
}

static void
devices(void)
{
	char buf[16];
	struct st s;
	long fd;

	expect(stat_of("/dev/null", &s, 0) == 0 &&
		       (s.mode & 0170000) == 0020000 && s.rdev == (1 << 8 | 3),
	       "/dev/null: a character device 1:3");
	fd = openat("/dev/null", O_RDWR, 0);
	expect(sys(SYS_write, fd, (long)"gone", 4, 0, 0) == 4 &&
		       sys(SYS_read, fd, (long)buf, sizeof(buf), 0, 0) == 0,
	       "/dev/null takes writes and reads empty");
	fd = openat("/dev/zero", O_RDONLY, 0);
	memset(buf, 1, sizeof(buf));
	expect(sys(SYS_read, fd, (long)buf, 8, 0, 0) == 8 &&
		       memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0,
	       "/dev/zero reads zeros");
	fd = openat("/dev/full", O_WRONLY, 0);
	expect(sys(SYS_write, fd, (long)"x", 1, 0, 0) == -28,
	       "/dev/full: ENOSPC");
	fd = openat("/dev/urandom", O_RDONLY, 0);
	memset(buf, 0, sizeof(buf));
	expect(sys(SYS_read, fd, (long)buf, 16, 0, 0) == 16 &&
		       memcmp(buf, "\0\0\0\0\0\0\0\0", 8) != 0,
	       "/dev/urandom reads random bytes");
	fd = openat("/dev/console", O_WRONLY, 0);
	expect(sys(SYS_write, fd, (long)"through /dev/console\n", 21, 0, 0) ==
		       21,
	       "/dev/console writes to the console");
	expect(sys(SYS_close_range, 3, ~0u, 0, 0, 0) == 0, "closed");
	expect(openat("/dev/nothing", O_RDONLY, 0) == -2, "no such device");
}

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	expect(kern_init() == 0, "kern_init");
	files();
	directories();
	links();
	renames();
	attributes();
	mounts();
	devices();
	printf(failures == 0 ? "all passed\n" : "%d failed\n", failures);
	return failures != 0;
}
