/*
 * vfsdiff: the kernel's file system (kern/vfs, kern/fs/tmpfs) against
 * Linux's tmpfs, differentially. One pseudo-random sequence of file
 * operations, drawn from a seed, runs step by step on two backends that
 * differ only in how a syscall is made: "host" makes raw Linux syscalls
 * in a fresh directory of its own (in /dev/shm, a tmpfs, when there is
 * one), "kern" passes the same numbers and arguments to
 * __rumpxen_syscall, in a directory the kernel made (/vfsdiff). Every
 * path is relative to a backend's directory fd or to one of its open
 * handles (the *at calls; truncate alone takes an absolute path).
 *
 * The names are few (a to e, one of NAME_MAX characters, one too long)
 * in up to three levels, with now and then ".", "..", "//", a trailing
 * slash or an empty path, so that operations collide: openat with
 * O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW or O_PATH;
 * pwrite64, and write after lseek (beyond the end: sparse files);
 * pread64 and read of random ranges; ftruncate and truncate, growing and
 * shrinking; fallocate (keeping the size, punching holes); lseek, and
 * SEEK_DATA/SEEK_HOLE; renameat2 (0, RENAME_NOREPLACE, RENAME_EXCHANGE;
 * of files and directories, across directories, over what exists, into
 * itself); linkat, unlinkat, mkdirat, symlinkat, readlinkat, getdents64,
 * newfstatat and fstat, fchmodat, utimensat, faccessat, fsync, close.
 * Offsets reach past 4 GiB (8 MiB with --ext2) and below 0.
 *
 * After each step the backends must agree on every value and errno
 * (fds only on being fds), the bytes read, each directory's entries
 * (names and d_type, sorted, "." and ".." only on being there), and
 * stat's type, mode bits, size (not of directories), nlink, whether a
 * regular file's st_blocks is 0, whether two paths are one inode and
 * mtime: a time utimensat set (all in 2001) exactly, any other time only
 * as "a current time", so that Linux's rules on what changes mtime are
 * checked without reading clocks; atime only right after utimensat
 * (whether a read sets it is the mount's choice). Not compared: ctime,
 * st_ino and st_dev themselves, st_blksize, uid and gid, a directory's
 * size and st_blocks (tmpfs's are bookkeeping), where SEEK_DATA and
 * SEEK_HOLE land (only that they land within the file: the granularity
 * is the file system's), the order of entries.
 *
 * Both backends start with umask 022 and their directory 0755. Modes
 * keep the owner's rwx and never set-id bits, so that the host as an
 * ordinary user decides access as the kernel (uid 0) does; symlinks are
 * relative and without "." or "..", and ".." never climbs above a
 * backend's directory, so that no path leaves it.
 *
 * With --ext2 IMAGE the kernel's side is an ext2 file system instead of
 * tmpfs: IMAGE (made by mke2fs) is mounted at /vfsdiff as the kernel's
 * configuration mounts a disk (mount./vfsdiff=ext2:IMAGE), the steps run
 * in its directory t, and at the end the kernel's handles are closed and
 * the image unmounted, and the host's directory is kept (its path
 * printed as "vfsdiff: tree PATH") for the caller, which checks the
 * image with e2fsck and compares debugfs's rdump of t with the tree.
 *
 * --seconds compares set times in whole seconds (for a file system that
 * keeps no more, as ext2 with 128-byte inodes).
 *
 * Usage: vfsdiff [--host-only] [--ext2 IMAGE] [--seconds] [-v] [SEED
 * [STEPS]]. The seed is printed;
 * -v prints each step. --host-only compares two host directories, which
 * checks the harness itself; built with -DVFSDIFF_HOST_ONLY the program
 * has its own main and only that mode. The first difference is printed
 * (step, operation, both outcomes, the first differing byte) and exits
 * 1, the host's directories kept; else "N steps, 0 differences", 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/magic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#ifndef VFSDIFF_HOST_ONLY
#include "../../kern/kern.h"

long __rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5,
		       long a6);
#endif

#define NSLOTS	      6		  /* handles open at once */
#define PATH_BUF      1024	  /* a generated path, with room */
#define IO_MAX	      9000	  /* the longest read or write */
#define DATA_MAX      131072	  /* the bytes of one outcome */
#define FACTS_MAX     24	  /* the facts of one outcome */
#define ENTRIES_MAX   64	  /* the entries of one listing */
#define ERRNO_MAX     134	  /* errno values the tally counts */
#define TALLIES_MAX   40	  /* calls the tally tells apart, and 1 */
#define RECENT_MAX    16	  /* paths made lately, to use again */
#define UTIME_BASE    1000000000L /* utimensat's times: 2001, */
#define UTIME_SPAN    1000000L	  /* in this many seconds */
#define DEFAULT_SEED  1
#define DEFAULT_STEPS 100000

/* A backend: how a syscall is made; its own directory and handles. */
struct backend {
	const char *name;
	long (*call)(long n, const long a[6]);
	char root[PATH_BUF]; /* its directory, absolute */
	long dirfd;	     /* that directory, open */
	long fd[NSLOTS];     /* each handle's fd, or -1 */
	int isdir[NSLOTS];   /* the handle is a directory's */
};

/* SYS: syscall n with up to six arguments, as longs, on backend b. */
#define SYS(b, n, ...) ((b)->call((n), (const long[6]){__VA_ARGS__}))

enum fact_kind {
	FACT_RET,  /* a syscall's value, or -errno */
	FACT_FD,   /* a syscall's fd (any counts as 0), or -errno */
	FACT_NUM,  /* a number */
	FACT_TYPE, /* st_mode & S_IFMT */
	FACT_MODE, /* st_mode & 07777 */
	FACT_TIME, /* ns after UTIME_BASE if utimensat set it, else -1 */
};

struct fact {
	const char *what;
	enum fact_kind kind;
	long val;
};

/* What one step did on one backend: facts in order, and bytes read. */
struct outcome {
	int nfacts;
	struct fact fact[FACTS_MAX];
	size_t ndata;
	unsigned char data[DATA_MAX];
};

enum op_kind {
	OP_OPEN,
	OP_CLOSE,
	OP_PWRITE,
	OP_WRITE,
	OP_PREAD,
	OP_READ,
	OP_LSEEK,
	OP_SEEK_DATA,
	OP_FTRUNCATE,
	OP_TRUNCATE,
	OP_FSTAT,
	OP_FSYNC,
	OP_FALLOCATE,
	OP_GETDENTS,
	OP_READDIR,
	OP_READFILE,
	OP_STAT,
	OP_MKDIR,
	OP_RMDIR,
	OP_UNLINK,
	OP_RENAME,
	OP_LINK,
	OP_SYMLINK,
	OP_READLINK,
	OP_CHMOD,
	OP_UTIMENS,
	OP_ACCESS,
	OP_KINDS
};

/* One step's operation, the same for both backends. */
struct op {
	enum op_kind kind;
	int slot;	      /* the handle an fd call uses or openat fills */
	int base, base2;      /* a path's directory: -1 the backend's, or a
				 handle */
	char path[PATH_BUF];  /* the path (symlinkat: the link) */
	char path2[PATH_BUF]; /* the second path (symlinkat: the target) */
	long flags;	      /* flags, whence or fallocate's mode */
	long mode;	      /* a mode, or faccessat's mode */
	long off;
	long len; /* a length, a size or a buffer's size */
	int times_null;
	struct timespec times[2];
	unsigned char data[IO_MAX]; /* what a write writes */
};

struct op_type {
	int weight;
	int (*gen)(struct op *op); /* 0: no handle fits */
	void (*run)(struct backend *b, const struct op *op, struct outcome *o);
	void (*show)(FILE *f, const struct op *op);
};

static uint64_t rng;
static struct backend *ref; /* the first backend: whose handles are open */

/* Paths lately made in a backend's directory, to meet them again. */
struct recent {
	int count, next;
	char path[RECENT_MAX][PATH_BUF];
};

static struct recent made_files, made_dirs; /* files: symlinks too */
static char long_name[NAME_MAX + 1];
static char too_long_name[NAME_MAX + 2];

/* The pseudo-random numbers: splitmix64. */
static uint64_t
rnd64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* rnd: 0 to n - 1. */
static long
rnd(long n)
{
	return (long)(rnd64() % (uint64_t)n);
}

static int
chance(int percent)
{
	return rnd(100) < percent;
}

/* host_call: a raw Linux syscall; -1 and errno become -errno. */
static long
host_call(long n, const long a[6])
{
	long r = syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);

	return r == -1 ? -errno : r;
}

#ifndef VFSDIFF_HOST_ONLY
/* kern_call: the kernel's entry, which returns -errno itself. */
static long
kern_call(long n, const long a[6])
{
	return __rumpxen_syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}
#endif

/* The facts of an outcome. */

static void
note(struct outcome *o, const char *what, enum fact_kind kind, long val)
{
	if (o->nfacts == FACTS_MAX) {
		fprintf(stderr, "vfsdiff: more than %d facts in a step\n",
			FACTS_MAX);
		abort();
	}
	o->fact[o->nfacts++] = (struct fact){what, kind, val};
}

static long
note_ret(struct outcome *o, const char *what, long r)
{
	note(o, what, FACT_RET, r);
	return r;
}

/*
 * note_pos: a position lseek gave on fd. A directory's position is a
 * cookie whose values differ between Linux versions (after the last entry
 * 6.1 says the count, 6.18 INT_MAX): for a directory only the error, or
 * that there was none, is compared.
 */
static long
note_pos(struct outcome *o, struct backend *b, long fd, const char *what,
	 long r)
{
	struct stat st;

	if (r >= 0 && SYS(b, SYS_fstat, fd, (long)&st) == 0 &&
	    S_ISDIR(st.st_mode))
		note(o, what, FACT_RET, 0);
	else
		note(o, what, FACT_RET, r);
	return r;
}

static long
note_fd(struct outcome *o, const char *what, long fd)
{
	note(o, what, FACT_FD, fd < 0 ? fd : 0);
	return fd;
}

static void
note_num(struct outcome *o, const char *what, long val)
{
	note(o, what, FACT_NUM, val);
}

static void
note_data(struct outcome *o, const void *p, size_t n)
{
	if (n > DATA_MAX - o->ndata)
		n = DATA_MAX - o->ndata;
	memcpy(o->data + o->ndata, p, n);
	o->ndata += n;
}

/* note_read: what a read returned, r bytes of buf (at most len). */
static void
note_read(struct outcome *o, const char *what, long r, const void *buf,
	  long len)
{
	note_ret(o, what, r);
	if (r > 0)
		note_data(o, buf, (size_t)(r < len ? r : len));
}

/* whole_seconds: times are compared in seconds (--seconds). */
static int whole_seconds;

static void
note_time(struct outcome *o, const char *what, const struct timespec *ts)
{
	int set = ts->tv_sec >= UTIME_BASE &&
		  ts->tv_sec < UTIME_BASE + UTIME_SPAN;
	long nsec = whole_seconds ? 0 : ts->tv_nsec;

	note(o, what, FACT_TIME,
	     set ? (ts->tv_sec - UTIME_BASE) * 1000000000L + nsec : -1);
}

/* note_stat: the fields of st that the backends must agree on. */
static void
note_stat(struct outcome *o, const struct stat *st)
{
	note(o, "type", FACT_TYPE, st->st_mode & S_IFMT);
	note(o, "mode", FACT_MODE, st->st_mode & 07777);
	if (!S_ISDIR(st->st_mode))
		note_num(o, "size", st->st_size);
	note_num(o, "nlink", (long)st->st_nlink);
	if (S_ISREG(st->st_mode))
		note_num(o, "blocks == 0", st->st_blocks == 0);
	note_time(o, "mtime", &st->st_mtim);
}

/* The handles and directories of a backend. */

static long
dir_of(const struct backend *b, int base)
{
	return base < 0 ? b->dirfd : b->fd[base];
}

/*
 * pick_slot: a random handle, open or free, or -1 when there is none;
 * an open one a directory's (dir 1), not (dir 0) or either (dir -1).
 */
static int
pick_slot(int open, int dir)
{
	int fit[NSLOTS], n = 0;

	for (int i = 0; i < NSLOTS; i++)
		if ((ref->fd[i] >= 0) == open &&
		    (!open || dir < 0 || ref->isdir[i] == dir))
			fit[n++] = i;
	return n ? fit[rnd(n)] : -1;
}

/* The parts of operations. */

static const char *
gen_name(void)
{
	static const char *const names[] = {"a", "b", "c", "d", "e"};

	if (chance(2))
		return long_name;
	if (chance(1))
		return too_long_name;
	return names[rnd(5)];
}

/*
 * gen_path: one to three names, now and then "." or ".." inside, "//",
 * a trailing slash, or "." or "" alone. ".." only where dotdot allows it
 * and it stays below the start.
 */
static void
gen_path(char *p, int dotdot)
{
	int n = chance(45) ? 1 : chance(60) ? 2 : 3, depth = 0;

	p[0] = '\0';
	if (chance(1))
		return;
	if (chance(2)) {
		strcat(p, ".");
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *c = gen_name();

		if (i > 0)
			strcat(p, chance(3) ? "//" : "/");
		if (i > 0 && chance(8))
			c = dotdot && depth > 0 && chance(60) ? ".." : ".";
		depth += !strcmp(c, "..") ? -1 : !strcmp(c, ".") ? 0 : 1;
		strcat(p, c);
	}
	if (chance(5))
		strcat(p, "/");
}

/* gen_target: a symlink's target: names only, relative; rarely "". */
static void
gen_target(char *p)
{
	int n = 1 + (int)rnd(3);

	p[0] = '\0';
	if (chance(1))
		return;
	for (int i = 0; i < n; i++) {
		if (i > 0)
			strcat(p, "/");
		strcat(p, gen_name());
	}
	if (chance(5))
		strcat(p, "/");
}

/*
 * gen_base: the backend's directory mostly, else an open handle, mostly
 * a directory's.
 */
static int
gen_base(void)
{
	int slot = chance(85) ? -1 : pick_slot(1, chance(75));

	return slot >= 0 ? slot : -1;
}

/* gen_fresh: a name in a directory lately made: likely not there yet. */
static void
gen_fresh(char *path)
{
	const char *name = gen_name();

	if (!made_dirs.count) {
		gen_path(path, 1);
		return;
	}
	strcpy(path, made_dirs.path[rnd(made_dirs.count)]);
	if (strlen(path) + 1 + strlen(name) < PATH_BUF) {
		strcat(path, "/");
		strcat(path, name);
	}
}

/*
 * gen_in_dir: a path in the backend's directory: a third of them ones
 * lately made (of the kind prefer holds, or either) and a sixth fresh,
 * to meet what is there more often than chance would; the rest from
 * gen_path.
 */
static void
gen_in_dir(char *path, const struct recent *prefer)
{
	const struct recent *from = prefer;
	long c = rnd(100);

	if (!from)
		from = chance(50) ? &made_files : &made_dirs;
	if (c < 35 && from->count)
		strcpy(path, from->path[rnd(from->count)]);
	else if (c < 50)
		gen_fresh(path);
	else
		gen_path(path, 1);
}

/* gen_at: a directory and a path in it; ".." only from the backend's. */
static void
gen_at(int *base, char *path, const struct recent *prefer)
{
	*base = gen_base();
	if (*base < 0)
		gen_in_dir(path, prefer);
	else
		gen_path(path, 0);
}

/* gen_new_at: where to make something: half of the time a fresh name. */
static void
gen_new_at(int *base, char *path)
{
	if (chance(50)) {
		*base = -1;
		gen_fresh(path);
	} else {
		gen_at(base, path, NULL);
	}
}

/* gen_mode: the owner's rwx always, group and other any, or sticky. */
static long
gen_mode(void)
{
	return 0700 | rnd(0100) | (chance(10) ? S_ISVTX : 0);
}

/*
 * far_offset: where the far offsets are: 4 GiB, or 8 MiB with --ext2
 * (whose image is dumped whole by debugfs, holes written out; ext2's
 * map is double indirect there with 4 KiB blocks, and tests/host/
 * kernext2 goes past 4 GiB).
 */
static long far_offset = 1L << 32;

/* gen_offset: mostly within a few pages, now and then far or <0. */
static long
gen_offset(void)
{
	long c = rnd(100);

	if (c < 65)
		return rnd(12288);
	if (c < 90)
		return rnd(70000);
	if (c < 97)
		return far_offset - 4096 + rnd(8192);
	return -1 - rnd(4096);
}

/* gen_length: mostly to a page, now and then 0 or more than two. */
static long
gen_length(void)
{
	if (chance(3))
		return 0;
	return 1 + rnd(chance(80) ? 4096 : IO_MAX);
}

/* gen_data: IO_MAX random bytes, of which a write writes the first. */
static void
gen_data(struct op *op)
{
	for (long i = 0; i < IO_MAX; i++)
		op->data[i] = (unsigned char)rnd64();
}

/* gen_dirent_buf: getdents64's buffer: too small for one, to roomy. */
static long
gen_dirent_buf(void)
{
	static const long sizes[] = {16, 24, 48, 100, 4096};

	return sizes[rnd(5)];
}

/* How operations are shown. */

/* show_path: path in quotes, a run of one letter past 8 as x{N}. */
static void
show_path(FILE *f, const char *p)
{
	fputc('"', f);
	while (*p) {
		size_t n = strspn(p, (char[]){*p, '\0'});

		if (n > 8)
			fprintf(f, "%c{%zu}", *p, n);
		else
			fprintf(f, "%.*s", (int)n, p);
		p += n;
	}
	fputc('"', f);
}

static void
show_at(FILE *f, int base, const char *path)
{
	if (base < 0)
		fprintf(f, "dir, ");
	else
		fprintf(f, "slot %d, ", base);
	show_path(f, path);
}

static void
show_flags(FILE *f, long flags, const long *bits, const char *const *names,
	   int n)
{
	const char *sep = "";

	for (int i = 0; i < n; i++)
		if (flags & bits[i]) {
			fprintf(f, "%s%s", sep, names[i]);
			sep = "|";
		}
	if (!*sep)
		fprintf(f, "0");
}

static void
show_open_flags(FILE *f, long flags)
{
	static const long bits[] = {O_WRONLY, O_RDWR,	   O_CREAT,
				    O_EXCL,   O_TRUNC,	   O_APPEND,
				    O_PATH,   O_DIRECTORY, O_NOFOLLOW};
	static const char *const names[] = {
		"O_WRONLY", "O_RDWR", "O_CREAT",     "O_EXCL",	  "O_TRUNC",
		"O_APPEND", "O_PATH", "O_DIRECTORY", "O_NOFOLLOW"};

	if (!(flags & (O_WRONLY | O_RDWR)))
		fprintf(f, "O_RDONLY%s", flags == O_RDONLY ? "" : "|");
	if (flags != O_RDONLY)
		show_flags(f, flags, bits, names, 9);
}

static const char *
whence_name(long whence)
{
	static const char *const names[] = {"SEEK_SET", "SEEK_CUR", "SEEK_END",
					    "SEEK_DATA", "SEEK_HOLE"};

	return names[whence];
}

/* The operations: each one's generator, run and show. */

static int
gen_open(struct op *op)
{
	static const long access_modes[] = {O_RDONLY, O_WRONLY, O_RDWR, O_RDWR};

	op->slot = pick_slot(0, -1);
	if (op->slot < 0)
		return 0;
	gen_at(&op->base, op->path, &made_files);
	op->mode = gen_mode();
	if (chance(5)) {
		op->flags = O_PATH | (chance(30) ? O_DIRECTORY : 0) |
			    (chance(30) ? O_NOFOLLOW : 0);
		return 1;
	}
	op->flags = access_modes[rnd(4)];
	/* O_CREAT|O_DIRECTORY: its meaning changed in Linux 6.4. */
	if (chance(50))
		op->flags |= O_CREAT | (chance(30) ? O_EXCL : 0);
	else if (chance(15))
		op->flags |= O_DIRECTORY;
	op->flags |= (chance(15) ? O_TRUNC : 0) | (chance(10) ? O_APPEND : 0) |
		     (chance(10) ? O_NOFOLLOW : 0);
	return 1;
}

/* run_open: openat into the handle, and the type of what it opened. */
static void
run_open(struct backend *b, const struct op *op, struct outcome *o)
{
	struct stat st;
	long fd = note_fd(o, "openat",
			  SYS(b, SYS_openat, dir_of(b, op->base),
			      (long)op->path, op->flags, op->mode));

	if (fd < 0)
		return;
	b->fd[op->slot] = fd;
	b->isdir[op->slot] = 0;
	if (note_ret(o, "fstat", SYS(b, SYS_fstat, fd, (long)&st)) == 0) {
		note(o, "type", FACT_TYPE, st.st_mode & S_IFMT);
		b->isdir[op->slot] = S_ISDIR(st.st_mode);
	}
}

static void
show_open(FILE *f, const struct op *op)
{
	fprintf(f, "openat(");
	show_at(f, op->base, op->path);
	fprintf(f, ", ");
	show_open_flags(f, op->flags);
	fprintf(f, ", %#lo) into slot %d", op->mode, op->slot);
}

static int
gen_close(struct op *op)
{
	op->slot = pick_slot(1, -1);
	return op->slot >= 0;
}

static void
run_close(struct backend *b, const struct op *op, struct outcome *o)
{
	note_ret(o, "close", SYS(b, SYS_close, b->fd[op->slot]));
	b->fd[op->slot] = -1;
}

static void
show_close(FILE *f, const struct op *op)
{
	fprintf(f, "close(slot %d)", op->slot);
}

/* gen_io: a handle, an offset and a length. */
static int
gen_io(struct op *op)
{
	op->slot = pick_slot(1, -1);
	op->off = gen_offset();
	op->len = gen_length();
	return op->slot >= 0;
}

/* gen_pwrite: gen_io, and the data to write. */
static int
gen_pwrite(struct op *op)
{
	gen_data(op);
	return gen_io(op);
}

static void
run_pwrite(struct backend *b, const struct op *op, struct outcome *o)
{
	note_ret(o, "pwrite64",
		 SYS(b, SYS_pwrite64, b->fd[op->slot], (long)op->data, op->len,
		     op->off));
}

static void
show_pwrite(FILE *f, const struct op *op)
{
	fprintf(f, "pwrite64(slot %d, %ld bytes, %ld)", op->slot, op->len,
		op->off);
}

/* gen_write: lseek from the start mostly, else past the end or on. */
static int
gen_write(struct op *op)
{
	if (!gen_pwrite(op))
		return 0;
	op->flags = chance(70) ? SEEK_SET : chance(70) ? SEEK_END : SEEK_CUR;
	if (op->flags != SEEK_SET)
		op->off = rnd(IO_MAX);
	return 1;
}

/* run_write: lseek, write, and where the write left the offset. */
static void
run_write(struct backend *b, const struct op *op, struct outcome *o)
{
	long fd = b->fd[op->slot];

	if (note_pos(o, b, fd, "lseek",
		     SYS(b, SYS_lseek, fd, op->off, op->flags)) < 0)
		return;
	note_ret(o, "write", SYS(b, SYS_write, fd, (long)op->data, op->len));
	note_pos(o, b, fd, "lseek", SYS(b, SYS_lseek, fd, 0, SEEK_CUR));
}

static void
show_write(FILE *f, const struct op *op)
{
	fprintf(f, "lseek(slot %d, %ld, %s), write(%ld bytes)", op->slot,
		op->off, whence_name(op->flags), op->len);
}

static void
run_pread(struct backend *b, const struct op *op, struct outcome *o)
{
	static unsigned char buf[IO_MAX];

	note_read(o, "pread64",
		  SYS(b, SYS_pread64, b->fd[op->slot], (long)buf, op->len,
		      op->off),
		  buf, op->len);
}

static void
show_pread(FILE *f, const struct op *op)
{
	fprintf(f, "pread64(slot %d, %ld bytes, %ld)", op->slot, op->len,
		op->off);
}

static void
run_read(struct backend *b, const struct op *op, struct outcome *o)
{
	static unsigned char buf[IO_MAX];

	note_read(o, "read",
		  SYS(b, SYS_read, b->fd[op->slot], (long)buf, op->len), buf,
		  op->len);
}

static void
show_read(FILE *f, const struct op *op)
{
	fprintf(f, "read(slot %d, %ld bytes)", op->slot, op->len);
}

/* gen_lseek: not a directory's handle (a directory's offsets are its). */
static int
gen_lseek(struct op *op)
{
	op->slot = pick_slot(1, 0);
	op->flags = rnd(3);
	op->off = op->flags == SEEK_SET ? gen_offset() : rnd(20000) - 10000;
	return op->slot >= 0;
}

static void
run_lseek(struct backend *b, const struct op *op, struct outcome *o)
{
	long fd = b->fd[op->slot];

	note_pos(o, b, fd, "lseek", SYS(b, SYS_lseek, fd, op->off, op->flags));
}

static void
show_lseek(FILE *f, const struct op *op)
{
	fprintf(f, "lseek(slot %d, %ld, %s)", op->slot, op->off,
		whence_name(op->flags));
}

static int
gen_seek_data(struct op *op)
{
	op->slot = pick_slot(1, 0);
	op->flags = chance(50) ? SEEK_DATA : SEEK_HOLE;
	op->off = gen_offset();
	return op->slot >= 0;
}

/*
 * run_seek_data: SEEK_DATA or SEEK_HOLE, between lseeks that keep the
 * offset. Where it lands is the file system's (a file may be all data,
 * or have holes of its own granularity): it lands if within the file,
 * or for SEEK_DATA with ENXIO before the end (a hole to the end); then
 * only that is compared.
 */
static void
run_seek_data(struct backend *b, const struct op *op, struct outcome *o)
{
	long fd = b->fd[op->slot], size = -1, r;
	long cur = note_ret(o, "lseek", SYS(b, SYS_lseek, fd, 0, SEEK_CUR));
	int data = op->flags == SEEK_DATA, within, landed;
	struct stat st;

	if (note_ret(o, "fstat", SYS(b, SYS_fstat, fd, (long)&st)) == 0)
		size = st.st_size;
	r = SYS(b, SYS_lseek, fd, op->off, op->flags);
	within = op->off >= 0 && op->off < size;
	landed = (r >= op->off && (data ? r < size : r <= size)) ||
		 (r == -ENXIO && data && within);
	note_ret(o, "lseek data/hole", landed ? 0 : r);
	if (cur >= 0)
		note_ret(o, "lseek", SYS(b, SYS_lseek, fd, cur, SEEK_SET));
}

static int
gen_ftruncate(struct op *op)
{
	op->slot = pick_slot(1, -1);
	op->len = gen_offset();
	return op->slot >= 0;
}

static void
run_ftruncate(struct backend *b, const struct op *op, struct outcome *o)
{
	note_ret(o, "ftruncate",
		 SYS(b, SYS_ftruncate, b->fd[op->slot], op->len));
}

static void
show_ftruncate(FILE *f, const struct op *op)
{
	fprintf(f, "ftruncate(slot %d, %ld)", op->slot, op->len);
}

/* gen_truncate: a path in the backend's directory; truncate has no at. */
static int
gen_truncate(struct op *op)
{
	op->base = -1;
	gen_in_dir(op->path, &made_files);
	op->len = gen_offset();
	return 1;
}

static void
run_truncate(struct backend *b, const struct op *op, struct outcome *o)
{
	char path[2 * PATH_BUF];

	snprintf(path, sizeof(path), "%s/%s", b->root, op->path);
	note_ret(o, "truncate", SYS(b, SYS_truncate, (long)path, op->len));
}

static void
show_truncate(FILE *f, const struct op *op)
{
	fprintf(f, "truncate(DIR/");
	show_path(f, op->path);
	fprintf(f, ", %ld)", op->len);
}

static int
gen_fd(struct op *op)
{
	op->slot = pick_slot(1, -1);
	return op->slot >= 0;
}

static void
run_fstat(struct backend *b, const struct op *op, struct outcome *o)
{
	struct stat st;

	if (note_ret(o, "fstat",
		     SYS(b, SYS_fstat, b->fd[op->slot], (long)&st)) == 0)
		note_stat(o, &st);
}

static void
show_fstat(FILE *f, const struct op *op)
{
	fprintf(f, "fstat(slot %d)", op->slot);
}

static void
run_fsync(struct backend *b, const struct op *op, struct outcome *o)
{
	note_ret(o, "fsync", SYS(b, SYS_fsync, b->fd[op->slot]));
}

static void
show_fsync(FILE *f, const struct op *op)
{
	fprintf(f, "fsync(slot %d)", op->slot);
}

/*
 * keeps_no_blocks_past_end: the kernel's file system is ext2, where
 * fallocate with KEEP_SIZE past the end is EOPNOTSUPP (--ext2).
 */
static int keeps_no_blocks_past_end;

/*
 * gen_fallocate: allocate, keep the size, or punch a hole (EOPNOTSUPP
 * without keeping the size); with keeps_no_blocks_past_end, never
 * allocate keeping the size.
 */
static int
gen_fallocate(struct op *op)
{
	static const long modes[] = {0, FALLOC_FL_KEEP_SIZE,
				     FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				     FALLOC_FL_PUNCH_HOLE};

	op->flags = modes[rnd(4)];
	if (keeps_no_blocks_past_end && op->flags == FALLOC_FL_KEEP_SIZE)
		op->flags = 0;
	return gen_io(op);
}

static void
run_fallocate(struct backend *b, const struct op *op, struct outcome *o)
{
	note_ret(o, "fallocate",
		 SYS(b, SYS_fallocate, b->fd[op->slot], op->flags, op->off,
		     op->len));
}

static void
show_fallocate(FILE *f, const struct op *op)
{
	fprintf(f, "fallocate(slot %d, %#lx, %ld, %ld)", op->slot, op->flags,
		op->off, op->len);
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int
compare_strings(const void *x, const void *y)
{
	return strcmp(x, y);
}

/*
 * take_entries: the records of one getdents64 call into entries[] as
 * "name d_type" ("." and ".." into dots, as bits 1 and 2); returns
 * how many records were malformed or found no room.
 */
static int
take_entries(const unsigned char *buf, long len, char entries[][NAME_MAX + 8],
	     int *n, int *dots)
{
	const size_t head = offsetof(struct linux_dirent64, d_name);
	int bad = 0;

	for (long at = 0; at < len;) {
		struct linux_dirent64 d;
		const char *name = (const char *)buf + at + head;

		if (len - at <= (long)head)
			return bad + 1;
		memcpy(&d, buf + at, head);
		if (d.d_reclen <= head || d.d_reclen > len - at ||
		    strnlen(name, d.d_reclen - head) == d.d_reclen - head ||
		    strlen(name) > NAME_MAX)
			return bad + 1;
		at += d.d_reclen;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			*dots |= name[1] ? 2 : 1;
		else if (*n < ENTRIES_MAX)
			snprintf(entries[(*n)++], NAME_MAX + 8, "%.*s %d",
				 NAME_MAX, name, d.d_type);
		else
			bad++;
	}
	return bad;
}

/*
 * list_dir: getdents64 until the end, bufsize bytes a call: the last
 * call's value, that it ended, the malformed records, whether "." and
 * ".." came, and, when it ended without an error, the other entries as
 * sorted lines (the data).
 */
static void
list_dir(struct backend *b, long fd, long bufsize, struct outcome *o)
{
	static union {
		uint64_t align;
		unsigned char buf[4096];
	} u;
	static char entries[ENTRIES_MAX][NAME_MAX + 8];
	int n = 0, dots = 0, bad = 0, calls = 0;
	long r;

	while ((r = SYS(b, SYS_getdents64, fd, (long)u.buf, bufsize)) > 0 &&
	       ++calls < 256)
		bad += r > bufsize ? 1
				   : take_entries(u.buf, r, entries, &n, &dots);
	note_ret(o, "getdents64", r);
	note_num(o, "ended", calls < 256);
	note_num(o, "malformed records", bad);
	note_num(o, "has . and ..", dots == 3);
	/*
	 * A listing cut short by an error (a name too long for the buffer)
	 * holds the names that came first, and the order differs between
	 * Linux versions (6.1's tmpfs lists the newest first, 6.6's the
	 * oldest): only a whole listing's names are compared.
	 */
	if (r < 0)
		return;
	qsort(entries, (size_t)n, sizeof(entries[0]), compare_strings);
	for (int i = 0; i < n; i++) {
		note_data(o, entries[i], strlen(entries[i]));
		note_data(o, "\n", 1);
	}
}

/* gen_getdents: any handle: others give ENOTDIR or EBADF. */
static int
gen_getdents(struct op *op)
{
	op->slot = pick_slot(1, -1);
	op->len = gen_dirent_buf();
	return op->slot >= 0;
}

/* run_getdents: from the start (entries added after it need not come) */
static void
run_getdents(struct backend *b, const struct op *op, struct outcome *o)
{
	long fd = b->fd[op->slot];

	if (note_ret(o, "lseek", SYS(b, SYS_lseek, fd, 0, SEEK_SET)) == 0)
		list_dir(b, fd, op->len, o);
}

static void
show_getdents(FILE *f, const struct op *op)
{
	fprintf(f,
		"lseek(slot %d, 0, SEEK_SET), getdents64(%ld bytes) to "
		"the end",
		op->slot, op->len);
}

static int
gen_readdir(struct op *op)
{
	gen_at(&op->base, op->path, &made_dirs);
	op->len = gen_dirent_buf();
	return 1;
}

static void
run_readdir(struct backend *b, const struct op *op, struct outcome *o)
{
	long fd = note_fd(o, "openat",
			  SYS(b, SYS_openat, dir_of(b, op->base),
			      (long)op->path, O_RDONLY | O_DIRECTORY));

	if (fd < 0)
		return;
	list_dir(b, fd, op->len, o);
	note_ret(o, "close", SYS(b, SYS_close, fd));
}

static void
show_readdir(FILE *f, const struct op *op)
{
	fprintf(f, "openat(");
	show_at(f, op->base, op->path);
	fprintf(f,
		", O_RDONLY|O_DIRECTORY), getdents64(%ld bytes) to the "
		"end, close",
		op->len);
}

static int
gen_readfile(struct op *op)
{
	gen_at(&op->base, op->path, &made_files);
	op->len = 1 + rnd(IO_MAX);
	return 1;
}

/* run_readfile: the file from its start to its end, len bytes a read. */
static void
run_readfile(struct backend *b, const struct op *op, struct outcome *o)
{
	static unsigned char buf[IO_MAX];
	long fd = note_fd(o, "openat",
			  SYS(b, SYS_openat, dir_of(b, op->base),
			      (long)op->path, O_RDONLY));
	long r = 0;

	if (fd < 0)
		return;
	while (o->ndata < DATA_MAX &&
	       (r = SYS(b, SYS_read, fd, (long)buf, op->len)) > 0)
		note_data(o, buf, (size_t)(r < op->len ? r : op->len));
	note_ret(o, "read", o->ndata < DATA_MAX ? r : 0);
	note_ret(o, "close", SYS(b, SYS_close, fd));
}

static void
show_readfile(FILE *f, const struct op *op)
{
	fprintf(f, "openat(");
	show_at(f, op->base, op->path);
	fprintf(f,
		", O_RDONLY), read(%ld bytes) to the end or %d bytes, "
		"close",
		op->len, DATA_MAX);
}

/* gen_stat: a path (or "" with AT_EMPTY_PATH: the base), and another. */
static int
gen_stat(struct op *op)
{
	gen_at(&op->base, op->path, NULL);
	gen_at(&op->base2, op->path2, NULL);
	op->flags = chance(50) ? AT_SYMLINK_NOFOLLOW : 0;
	if (chance(10)) {
		op->path[0] = '\0';
		op->flags = AT_EMPTY_PATH;
	}
	return 1;
}

/* run_stat: newfstatat of both paths: the first's fields, one inode? */
static void
run_stat(struct backend *b, const struct op *op, struct outcome *o)
{
	struct stat st, st2;
	long r = SYS(b, SYS_newfstatat, dir_of(b, op->base), (long)op->path,
		     (long)&st, op->flags);

	if (note_ret(o, "newfstatat", r) == 0)
		note_stat(o, &st);
	if (note_ret(o, "newfstatat",
		     SYS(b, SYS_newfstatat, dir_of(b, op->base2),
			 (long)op->path2, (long)&st2, op->flags)) == 0 &&
	    r == 0)
		note_num(o, "one inode",
			 st.st_dev == st2.st_dev && st.st_ino == st2.st_ino);
}

static const char *
at_flags_name(long flags)
{
	return flags == AT_SYMLINK_NOFOLLOW ? "AT_SYMLINK_NOFOLLOW"
	       : flags == AT_SYMLINK_FOLLOW ? "AT_SYMLINK_FOLLOW"
	       : flags == AT_EMPTY_PATH	    ? "AT_EMPTY_PATH"
	       : flags == AT_REMOVEDIR	    ? "AT_REMOVEDIR"
					    : "0";
}

static void
show_stat(FILE *f, const struct op *op)
{
	fprintf(f, "newfstatat(");
	show_at(f, op->base, op->path);
	fprintf(f, ", %s) and newfstatat(", at_flags_name(op->flags));
	show_at(f, op->base2, op->path2);
	fprintf(f, ")");
}

/*
 * gen_path_op: a path (lately made directories for mkdir and rmdir, files
 * for the others) and a mode: for mkdir, rmdir, unlink, chmod.
 */
static int
gen_path_op(struct op *op)
{
	int dir = op->kind == OP_MKDIR || op->kind == OP_RMDIR;

	gen_at(&op->base, op->path, dir ? &made_dirs : &made_files);
	op->mode = gen_mode();
	return 1;
}

static void
run_mkdir(struct backend *b, const struct op *op, struct outcome *o)
{
	note_ret(o, "mkdirat",
		 SYS(b, SYS_mkdirat, dir_of(b, op->base), (long)op->path,
		     op->mode));
}

static void
show_mkdir(FILE *f, const struct op *op)
{
	fprintf(f, "mkdirat(");
	show_at(f, op->base, op->path);
	fprintf(f, ", %#lo)", op->mode);
}

static void
run_rmdir(struct backend *b, const struct op *op, struct outcome *o)
{
	note_ret(o, "unlinkat",
		 SYS(b, SYS_unlinkat, dir_of(b, op->base), (long)op->path,
		     AT_REMOVEDIR));
}

static void
show_rmdir(FILE *f, const struct op *op)
{
	fprintf(f, "unlinkat(");
	show_at(f, op->base, op->path);
	fprintf(f, ", AT_REMOVEDIR)");
}

static void
run_unlink(struct backend *b, const struct op *op, struct outcome *o)
{
	note_ret(o, "unlinkat",
		 SYS(b, SYS_unlinkat, dir_of(b, op->base), (long)op->path, 0));
}

static void
show_unlink(FILE *f, const struct op *op)
{
	fprintf(f, "unlinkat(");
	show_at(f, op->base, op->path);
	fprintf(f, ", 0)");
}

/*
 * gen_rename: two paths; 0, RENAME_NOREPLACE, RENAME_EXCHANGE, both
 * (EINVAL) or an unknown flag (EINVAL). RENAME_WHITEOUT is not tried:
 * it needs CAP_MKNOD on the host and makes a device.
 */
static int
gen_rename(struct op *op)
{
	long c = rnd(100);

	gen_at(&op->base, op->path, NULL);
	gen_new_at(&op->base2, op->path2);
	op->flags = c < 60   ? 0
		    : c < 80 ? RENAME_NOREPLACE
		    : c < 96 ? RENAME_EXCHANGE
		    : c < 98 ? RENAME_NOREPLACE | RENAME_EXCHANGE
			     : 1 << 5;
	return 1;
}

static void
run_rename(struct backend *b, const struct op *op, struct outcome *o)
{
	note_ret(o, "renameat2",
		 SYS(b, SYS_renameat2, dir_of(b, op->base), (long)op->path,
		     dir_of(b, op->base2), (long)op->path2, op->flags));
}

static void
show_rename(FILE *f, const struct op *op)
{
	static const long bits[] = {RENAME_NOREPLACE, RENAME_EXCHANGE, 1 << 5};
	static const char *const names[] = {"RENAME_NOREPLACE",
					    "RENAME_EXCHANGE", "1 << 5"};

	fprintf(f, "renameat2(");
	show_at(f, op->base, op->path);
	fprintf(f, ", ");
	show_at(f, op->base2, op->path2);
	fprintf(f, ", ");
	show_flags(f, op->flags, bits, names, 3);
	fprintf(f, ")");
}

static int
gen_link(struct op *op)
{
	gen_at(&op->base, op->path, &made_files);
	gen_new_at(&op->base2, op->path2);
	op->flags = chance(30) ? AT_SYMLINK_FOLLOW : 0;
	return 1;
}

static void
run_link(struct backend *b, const struct op *op, struct outcome *o)
{
	note_ret(o, "linkat",
		 SYS(b, SYS_linkat, dir_of(b, op->base), (long)op->path,
		     dir_of(b, op->base2), (long)op->path2, op->flags));
}

static void
show_link(FILE *f, const struct op *op)
{
	fprintf(f, "linkat(");
	show_at(f, op->base, op->path);
	fprintf(f, ", ");
	show_at(f, op->base2, op->path2);
	fprintf(f, ", %s)", at_flags_name(op->flags));
}

static int
gen_symlink(struct op *op)
{
	gen_new_at(&op->base, op->path);
	gen_target(op->path2);
	return 1;
}

static void
run_symlink(struct backend *b, const struct op *op, struct outcome *o)
{
	note_ret(o, "symlinkat",
		 SYS(b, SYS_symlinkat, (long)op->path2, dir_of(b, op->base),
		     (long)op->path));
}

static void
show_symlink(FILE *f, const struct op *op)
{
	fprintf(f, "symlinkat(");
	show_path(f, op->path2);
	fprintf(f, ", ");
	show_at(f, op->base, op->path);
	fprintf(f, ")");
}

/* gen_readlink: a buffer of 0 (EINVAL), too short, or enough. */
static int
gen_readlink(struct op *op)
{
	gen_at(&op->base, op->path, &made_files);
	op->len = chance(5) ? 0 : chance(30) ? 1 + rnd(8) : 1 + rnd(1024);
	return 1;
}

static void
run_readlink(struct backend *b, const struct op *op, struct outcome *o)
{
	static char buf[1024];

	note_read(o, "readlinkat",
		  SYS(b, SYS_readlinkat, dir_of(b, op->base), (long)op->path,
		      (long)buf, op->len),
		  buf, op->len);
}

static void
show_readlink(FILE *f, const struct op *op)
{
	fprintf(f, "readlinkat(");
	show_at(f, op->base, op->path);
	fprintf(f, ", %ld bytes)", op->len);
}

static void
run_chmod(struct backend *b, const struct op *op, struct outcome *o)
{
	note_ret(o, "fchmodat",
		 SYS(b, SYS_fchmodat, dir_of(b, op->base), (long)op->path,
		     op->mode));
}

static void
show_chmod(FILE *f, const struct op *op)
{
	fprintf(f, "fchmodat(");
	show_at(f, op->base, op->path);
	fprintf(f, ", %#lo)", op->mode);
}

/* gen_time: a time in UTIME_BASE's span, UTIME_NOW or UTIME_OMIT. */
static struct timespec
gen_time(void)
{
	long c = rnd(100);

	if (c < 70)
		return (struct timespec){UTIME_BASE + rnd(UTIME_SPAN),
					 rnd(1000000000)};
	if (c < 82)
		return (struct timespec){0, UTIME_NOW};
	if (c < 97)
		return (struct timespec){0, UTIME_OMIT};
	return (struct timespec){UTIME_BASE, 1000000000}; /* EINVAL */
}

static int
gen_utimens(struct op *op)
{
	gen_at(&op->base, op->path, NULL);
	op->times_null = chance(10);
	op->times[0] = gen_time();
	op->times[1] = gen_time();
	op->flags = chance(30) ? AT_SYMLINK_NOFOLLOW : 0;
	return 1;
}

/* run_utimens: utimensat, then what newfstatat sees of the times. */
static void
run_utimens(struct backend *b, const struct op *op, struct outcome *o)
{
	struct stat st;
	long dir = dir_of(b, op->base);

	note_ret(o, "utimensat",
		 SYS(b, SYS_utimensat, dir, (long)op->path,
		     op->times_null ? 0 : (long)op->times, op->flags));
	if (note_ret(o, "newfstatat",
		     SYS(b, SYS_newfstatat, dir, (long)op->path, (long)&st,
			 op->flags)) == 0) {
		note_time(o, "atime", &st.st_atim);
		note_time(o, "mtime", &st.st_mtim);
	}
}

static void
show_time(FILE *f, const struct timespec *ts)
{
	if (ts->tv_nsec == UTIME_NOW)
		fprintf(f, "UTIME_NOW");
	else if (ts->tv_nsec == UTIME_OMIT)
		fprintf(f, "UTIME_OMIT");
	else
		fprintf(f, "%ld.%09ld", (long)ts->tv_sec, ts->tv_nsec);
}

static void
show_utimens(FILE *f, const struct op *op)
{
	fprintf(f, "utimensat(");
	show_at(f, op->base, op->path);
	if (op->times_null) {
		fprintf(f, ", NULL");
	} else {
		fprintf(f, ", {");
		show_time(f, &op->times[0]);
		fprintf(f, ", ");
		show_time(f, &op->times[1]);
		fprintf(f, "}");
	}
	fprintf(f, ", %s), newfstatat", at_flags_name(op->flags));
}

/* gen_access: F_OK, R_OK, W_OK, X_OK, all three, or a bad mode. */
static int
gen_access(struct op *op)
{
	static const long modes[] = {F_OK, R_OK, W_OK, X_OK, R_OK | W_OK | X_OK,
				     8};

	gen_at(&op->base, op->path, NULL);
	op->mode = modes[rnd(6)];
	return 1;
}

static void
run_access(struct backend *b, const struct op *op, struct outcome *o)
{
	note_ret(o, "faccessat",
		 SYS(b, SYS_faccessat, dir_of(b, op->base), (long)op->path,
		     op->mode));
}

static void
show_access(FILE *f, const struct op *op)
{
	fprintf(f, "faccessat(");
	show_at(f, op->base, op->path);
	fprintf(f, ", %ld)", op->mode);
}

static const struct op_type op_types[OP_KINDS] = {
	[OP_OPEN] = {14, gen_open, run_open, show_open},
	[OP_CLOSE] = {5, gen_close, run_close, show_close},
	[OP_PWRITE] = {10, gen_pwrite, run_pwrite, show_pwrite},
	[OP_WRITE] = {6, gen_write, run_write, show_write},
	[OP_PREAD] = {8, gen_io, run_pread, show_pread},
	[OP_READ] = {4, gen_io, run_read, show_read},
	[OP_LSEEK] = {3, gen_lseek, run_lseek, show_lseek},
	[OP_SEEK_DATA] = {2, gen_seek_data, run_seek_data, show_lseek},
	[OP_FTRUNCATE] = {4, gen_ftruncate, run_ftruncate, show_ftruncate},
	[OP_TRUNCATE] = {2, gen_truncate, run_truncate, show_truncate},
	[OP_FSTAT] = {3, gen_fd, run_fstat, show_fstat},
	[OP_FSYNC] = {1, gen_fd, run_fsync, show_fsync},
	[OP_FALLOCATE] = {3, gen_fallocate, run_fallocate, show_fallocate},
	[OP_GETDENTS] = {2, gen_getdents, run_getdents, show_getdents},
	[OP_READDIR] = {5, gen_readdir, run_readdir, show_readdir},
	[OP_READFILE] = {3, gen_readfile, run_readfile, show_readfile},
	[OP_STAT] = {8, gen_stat, run_stat, show_stat},
	[OP_MKDIR] = {5, gen_path_op, run_mkdir, show_mkdir},
	[OP_RMDIR] = {6, gen_path_op, run_rmdir, show_rmdir},
	[OP_UNLINK] = {8, gen_path_op, run_unlink, show_unlink},
	[OP_RENAME] = {10, gen_rename, run_rename, show_rename},
	[OP_LINK] = {4, gen_link, run_link, show_link},
	[OP_SYMLINK] = {4, gen_symlink, run_symlink, show_symlink},
	[OP_READLINK] = {3, gen_readlink, run_readlink, show_readlink},
	[OP_CHMOD] = {3, gen_path_op, run_chmod, show_chmod},
	[OP_UTIMENS] = {3, gen_utimens, run_utimens, show_utimens},
	[OP_ACCESS] = {2, gen_access, run_access, show_access},
};

static enum op_kind
pick_kind(void)
{
	int total = 0, k;
	long r;

	for (k = 0; k < OP_KINDS; k++)
		total += op_types[k].weight;
	r = rnd(total);
	for (k = 0; r >= op_types[k].weight; k++)
		r -= op_types[k].weight;
	return (enum op_kind)k;
}

/*
 * gen_op: the next operation. One that needs a handle none fits becomes
 * an openat, or a close when every handle is open.
 */
static void
gen_op(struct op *op)
{
	op->kind = pick_kind();
	if (op_types[op->kind].gen(op))
		return;
	op->kind = pick_slot(0, -1) >= 0 ? OP_OPEN : OP_CLOSE;
	op_types[op->kind].gen(op);
}

/* Outcomes compared and reported. */

static int
facts_differ(const struct fact *x, const struct fact *y)
{
	return !x || !y || strcmp(x->what, y->what) || x->kind != y->kind ||
	       x->val != y->val;
}

/* data_difference: where the data first differ, or -1. */
static long
data_difference(const struct outcome *x, const struct outcome *y)
{
	size_t n = x->ndata < y->ndata ? x->ndata : y->ndata;

	for (size_t i = 0; i < n; i++)
		if (x->data[i] != y->data[i])
			return (long)i;
	return x->ndata == y->ndata ? -1 : (long)n;
}

static int
outcomes_differ(const struct outcome *x, const struct outcome *y)
{
	if (x->nfacts != y->nfacts)
		return 1;
	for (int i = 0; i < x->nfacts; i++)
		if (facts_differ(&x->fact[i], &y->fact[i]))
			return 1;
	return data_difference(x, y) >= 0;
}

/* fact_text: a fact's value as words: -ENOENT, an fd, S_IFDIR, ... */
static void
fact_text(char *buf, size_t size, const struct fact *x)
{
	int error = x && (x->kind == FACT_RET || x->kind == FACT_FD) &&
		    x->val < 0 && x->val > -ERRNO_MAX;

	if (!x)
		snprintf(buf, size, "-");
	else if (error && strerrorname_np((int)-x->val))
		snprintf(buf, size, "-%s", strerrorname_np((int)-x->val));
	else if (x->kind == FACT_FD && x->val == 0)
		snprintf(buf, size, "an fd");
	else if (x->kind == FACT_TYPE)
		snprintf(buf, size, "%s",
			 x->val == S_IFREG   ? "S_IFREG"
			 : x->val == S_IFDIR ? "S_IFDIR"
			 : x->val == S_IFLNK ? "S_IFLNK"
					     : "other");
	else if (x->kind == FACT_MODE)
		snprintf(buf, size, "%#lo", x->val);
	else if (x->kind == FACT_TIME && x->val < 0)
		snprintf(buf, size, "a current time");
	else if (x->kind == FACT_TIME)
		snprintf(buf, size, "%ld.%09ld",
			 UTIME_BASE + x->val / 1000000000, x->val % 1000000000);
	else
		snprintf(buf, size, "%ld", x->val);
}

/* show_bytes: 48 bytes of o's data from at, escaped. */
static void
show_bytes(const char *name, const struct outcome *o, size_t at)
{
	printf("    %-6s \"", name);
	for (size_t i = at; i < o->ndata && i < at + 48; i++) {
		unsigned char c = o->data[i];

		if (c >= ' ' && c < 127 && c != '"' && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("\"\n");
}

static void
report_difference(long step, uint64_t seed, const struct op *op,
		  struct backend *b[2], const struct outcome out[2])
{
	int n = out[0].nfacts > out[1].nfacts ? out[0].nfacts : out[1].nfacts;
	long at = data_difference(&out[0], &out[1]);

	printf("vfsdiff: difference at step %ld (seed %llu): ", step,
	       (unsigned long long)seed);
	op_types[op->kind].show(stdout, op);
	printf("\n  %-22s %-24s %s\n", "", b[0]->name, b[1]->name);
	for (int i = 0; i < n; i++) {
		const struct fact *x = i < out[0].nfacts ? &out[0].fact[i] : 0;
		const struct fact *y = i < out[1].nfacts ? &out[1].fact[i] : 0;
		char tx[64], ty[64];

		fact_text(tx, sizeof(tx), x);
		fact_text(ty, sizeof(ty), y);
		printf("  %-22s %-24s %s%s\n", (x ? x : y)->what, tx, ty,
		       facts_differ(x, y) ? "   <-- differs" : "");
	}
	if (at < 0)
		return;
	printf("  data: %s %zu bytes, %s %zu bytes; first difference at "
	       "offset %ld; from offset %ld:\n",
	       b[0]->name, out[0].ndata, b[1]->name, out[1].ndata, at,
	       at < 8 ? 0 : at - 8);
	at = at < 8 ? 0 : at - 8;
	show_bytes(b[0]->name, &out[0], (size_t)at);
	show_bytes(b[1]->name, &out[1], (size_t)at);
}

/* The tally: how often each call gave which result, for coverage. */

struct tally {
	const char *what;
	long calls, ok;
	long err[ERRNO_MAX];
};

static struct tally tallies[TALLIES_MAX];

static void
tally_outcome(const struct outcome *o)
{
	for (int i = 0; i < o->nfacts; i++) {
		const struct fact *x = &o->fact[i];
		struct tally *t = tallies;

		if (x->kind != FACT_RET && x->kind != FACT_FD)
			continue;
		while (t->what && strcmp(t->what, x->what))
			t++;
		if (t == tallies + TALLIES_MAX - 1)
			continue;
		t->what = x->what;
		t->calls++;
		if (x->val >= 0)
			t->ok++;
		else if (-x->val < ERRNO_MAX)
			t->err[-x->val]++;
	}
}

static void
show_tallies(void)
{
	printf("vfsdiff: the calls and their results:\n");
	for (struct tally *t = tallies; t->what; t++) {
		printf("  %-16s %6ld: ok %ld", t->what, t->calls, t->ok);
		for (int e = 1; e < ERRNO_MAX; e++)
			if (t->err[e])
				printf(", %s %ld", strerrorname_np(e),
				       t->err[e]);
		printf("\n");
	}
}

/* The backends' directories. */

/* backend_open: umask 022, the directory at b->root 0755 and open. */
static int
backend_open(struct backend *b)
{
	long r;

	for (int i = 0; i < NSLOTS; i++)
		b->fd[i] = -1;
	if ((r = SYS(b, SYS_umask, 022)) < 0 ||
	    (r = SYS(b, SYS_fchmodat, AT_FDCWD, (long)b->root, 0755)) < 0 ||
	    (r = SYS(b, SYS_openat, AT_FDCWD, (long)b->root,
		     O_RDONLY | O_DIRECTORY)) < 0) {
		fprintf(stderr, "vfsdiff: %s: %s: %s\n", b->name, b->root,
			strerror((int)-r));
		return -1;
	}
	b->dirfd = r;
	printf("vfsdiff: %s: %s\n", b->name, b->root);
	return 0;
}

/* host_base: /dev/shm when it is a tmpfs, as the kernel's is; else /tmp */
static const char *
host_base(void)
{
	struct statfs sf;

	if (statfs("/dev/shm", &sf) == 0 && sf.f_type == TMPFS_MAGIC)
		return "/dev/shm";
	fprintf(stderr, "vfsdiff: /dev/shm is not a tmpfs: /tmp instead, "
			"where what only tmpfs does may differ\n");
	return "/tmp";
}

static int
host_open(struct backend *b, const char *name)
{
	b->name = name;
	b->call = host_call;
	snprintf(b->root, sizeof(b->root), "%s/vfsdiff.XXXXXX", host_base());
	if (!mkdtemp(b->root)) {
		fprintf(stderr, "vfsdiff: mkdtemp %s: %s\n", b->root,
			strerror(errno));
		return -1;
	}
	return backend_open(b);
}

#ifndef VFSDIFF_HOST_ONLY
static int
kern_open(struct backend *b, const char *ext2)
{
	char word[PATH_BUF];
	long r;

	if (ext2 != NULL) {
		snprintf(word, sizeof(word), "ext2:%s", ext2);
		setenv("mount./vfsdiff", word, 1);
	}
	int e = kern_init();
	b->name = "kern";
	b->call = kern_call;
	snprintf(b->root, sizeof(b->root),
		 ext2 != NULL ? "/vfsdiff/t" : "/vfsdiff");
	if (e != 0) {
		fprintf(stderr, "vfsdiff: kern_init: %s\n", strerror(-e));
		return -1;
	}
	struct statfs sf;
	if (ext2 != NULL &&
	    ((r = SYS(b, SYS_statfs, (long)"/vfsdiff", (long)&sf)) < 0 ||
	     sf.f_type != EXT2_SUPER_MAGIC)) {
		fprintf(stderr,
			"vfsdiff: kern: /vfsdiff is not the ext2 of "
			"%s\n",
			ext2);
		return -1;
	}
	r = SYS(b, SYS_mkdirat, AT_FDCWD, (long)b->root, 0755);
	if (r < 0) {
		fprintf(stderr, "vfsdiff: kern: mkdirat %s: %s\n", b->root,
			strerror((int)-r));
		return -1;
	}
	return backend_open(b);
}

/*
 * kern_unmount: the kernel's handles close and the ext2 at /vfsdiff is
 * unmounted (synced, marked clean); 0 or -1.
 */
static int
kern_unmount(struct backend *b)
{
	long r;

	for (int i = 0; i < NSLOTS; i++)
		if (b->fd[i] >= 0)
			SYS(b, SYS_close, b->fd[i]);
	SYS(b, SYS_close, b->dirfd);
	r = SYS(b, SYS_umount2, (long)"/vfsdiff", 0);
	if (r < 0) {
		fprintf(stderr, "vfsdiff: kern: umount /vfsdiff: %s\n",
			strerror((int)-r));
		return -1;
	}
	return 0;
}
#endif

static int
remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* host_remove: the host's directory, what is in it and its handles. */
static void
host_remove(struct backend *b)
{
	for (int i = 0; i < NSLOTS; i++)
		if (b->fd[i] >= 0)
			close((int)b->fd[i]);
	close((int)b->dirfd);
	if (nftw(b->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "vfsdiff: removing %s: %s\n", b->root,
			strerror(errno));
}

/* The program. */

struct options {
	int host_only;
	int verbose;
	const char *ext2;
	uint64_t seed;
	long steps;
};

static int
parse_options(int argc, char **argv, struct options *opt)
{
	int i = 1, n = 0;
	char *end;

	*opt = (struct options){0, 0, NULL, DEFAULT_SEED, DEFAULT_STEPS};
#ifdef VFSDIFF_HOST_ONLY
	opt->host_only = 1;
#endif
	for (; i < argc && argv[i][0] == '-'; i++)
		if (!strcmp(argv[i], "--host-only"))
			opt->host_only = 1;
		else if (!strcmp(argv[i], "-v"))
			opt->verbose = 1;
		else if (!strcmp(argv[i], "--ext2") && i + 1 < argc) {
			opt->ext2 = argv[++i];
			keeps_no_blocks_past_end = 1;
			far_offset = 1L << 23;
		} else if (!strcmp(argv[i], "--seconds"))
			whole_seconds = 1;
		else
			return -1;
	for (; i < argc; i++, n++) {
		unsigned long long v = strtoull(argv[i], &end, 0);

		if (n > 1 || !*argv[i] || *end)
			return -1;
		if (n == 0)
			opt->seed = v;
		else
			opt->steps = (long)v;
	}
	return 0;
}

static void
make_long_names(void)
{
	memset(long_name, 'n', NAME_MAX);
	memset(too_long_name, 'm', NAME_MAX + 1);
}

static void
show_step(long step, const struct op *op, const struct outcome *o)
{
	char text[64];

	fact_text(text, sizeof(text), &o->fact[0]);
	printf("%6ld ", step);
	op_types[op->kind].show(stdout, op);
	printf(" = %s\n", text);
}

static void
remember(struct recent *r, const char *path)
{
	strcpy(r->path[r->next], path);
	r->next = (r->next + 1) % RECENT_MAX;
	if (r->count < RECENT_MAX)
		r->count++;
}

/*
 * remember_made: the path of what an operation made in the backend's
 * directory, if it made something.
 */
static void
remember_made(const struct op *op, const struct outcome *o)
{
	if (o->fact[0].val < 0)
		return;
	if (op->kind == OP_OPEN && (op->flags & O_CREAT) && op->base < 0)
		remember(&made_files, op->path);
	if (op->kind == OP_SYMLINK && op->base < 0)
		remember(&made_files, op->path);
	if (op->kind == OP_MKDIR && op->base < 0)
		remember(&made_dirs, op->path);
	if (op->kind == OP_LINK && op->base2 < 0)
		remember(&made_files, op->path2);
}

/*
 * run_steps: steps operations on both backends; the step of the first
 * difference, or 0.
 */
static long
run_steps(struct backend *b[2], const struct options *opt)
{
	static struct op op;
	static struct outcome out[2];

	for (long step = 1; step <= opt->steps; step++) {
		gen_op(&op);
		for (int i = 0; i < 2; i++) {
			out[i].nfacts = 0;
			out[i].ndata = 0;
			op_types[op.kind].run(b[i], &op, &out[i]);
		}
		if (opt->verbose)
			show_step(step, &op, &out[0]);
		if (outcomes_differ(&out[0], &out[1])) {
			report_difference(step, opt->seed, &op, b, out);
			return step;
		}
		tally_outcome(&out[0]);
		remember_made(&op, &out[0]);
	}
	return 0;
}

static int
vfsdiff(int argc, char **argv)
{
	static struct backend backends[2];
	struct backend *b[2] = {&backends[0], &backends[1]};
	struct options opt;
	long failed;

	if (parse_options(argc, argv, &opt) < 0) {
		fprintf(stderr, "usage: vfsdiff [--host-only] [--ext2 IMAGE] "
				"[--seconds] [-v] [SEED [STEPS]]\n");
		return 2;
	}
	make_long_names();
	rng = opt.seed;
	ref = b[0];
	printf("vfsdiff: seed %llu, %ld steps, %s\n",
	       (unsigned long long)opt.seed, opt.steps,
	       opt.host_only ? "host vs host"
	       : opt.ext2    ? "host vs kern's ext2"
			     : "host vs kern");
	if (host_open(b[0], "host") < 0)
		return 1;
#ifndef VFSDIFF_HOST_ONLY
	if (!opt.host_only && kern_open(b[1], opt.ext2) < 0)
		return 1;
#endif
	if (opt.host_only && host_open(b[1], "host2") < 0)
		return 1;
	failed = run_steps(b, &opt);
	if (failed) {
		printf("vfsdiff: kept the host's directories; again with: "
		       "vfsdiff%s %llu %ld\n",
		       opt.host_only ? " --host-only" : "",
		       (unsigned long long)opt.seed, failed);
		return 1;
	}
	show_tallies();
#ifndef VFSDIFF_HOST_ONLY
	if (opt.ext2 != NULL) {
		if (kern_unmount(b[1]) < 0)
			return 1;
		printf("vfsdiff: tree %s\n", b[0]->root);
		printf("%ld steps, 0 differences\n", opt.steps);
		return 0;
	}
#endif
	for (int i = 0; i < 2; i++)
		if (b[i]->call == host_call)
			host_remove(b[i]);
	printf("%ld steps, 0 differences\n", opt.steps);
	return 0;
}

#ifdef VFSDIFF_HOST_ONLY
int
main(int argc, char **argv)
{
	return vfsdiff(argc, argv);
}
#else
int
rumpxen_main(int argc, char **argv)
{
	return vfsdiff(argc, argv);
}
#endif
