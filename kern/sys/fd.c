/*
 * The system calls on fds, over the fd table (kern/vfs/file.c: slots
 * naming open files, shared by dup, with a close-on-exec flag each; fds
 * 0, 1 and 2 the console at the start), and what closing an fd does
 * (kern_file_drop: epoll and the locks forget the file, which is
 * released with its last reference). read, write, readv, writev,
 * pread64, pwrite64, preadv, pwritev, lseek, ioctl (FIONBIO here, the
 * rest by the file) and fstat go to the file's operations (a file that
 * cannot seek: ESPIPE); close, close_range, dup, dup2, dup3 and fcntl
 * (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL; the lock
 * commands and flock go to kern/vfs/lock.c) work on
 * the table. readv fills its buffers in turn from a file that can seek,
 * stopping at a short read; from a stream (the console) it reads what
 * one read brings into the first buffer with room, as a terminal would;
 * writev writes each buffer in turn and stops
 * at a short write. A write to a regular file stops at RLIMIT_FSIZE
 * (limits.c). There being no exec, close-on-exec is only recorded.
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "sys.h"

#define F_DUPFD		    0
#define F_GETFD		    1
#define F_SETFD		    2
#define F_GETFL		    3
#define F_SETFL		    4
#define F_DUPFD_CLOEXEC	    1030
#define FD_CLOEXEC	    1
#define O_SETTABLE	    (02000 | 04000 | 020000 | 040000 | 01000000)
#define IOV_MAX		    1024
#define FIONBIO		    0x5421
#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4

struct kern_file *
kern_file_hold(long fd)
{
	struct kern_file *f = kern_fd_file(fd);

	if (f != NULL)
		f->refs++;
	return f;
}

void
kern_file_drop(struct kern_file *f)
{
	if (--f->refs != 0)
		return;
	if (f->watchers != NULL)
		kern_epoll_file_gone(f);
	if (f->vnode != NULL)
		vfs_lock_file_gone(f);
	kern_file_path_free(f);
	if (f->ops->release != NULL)
		f->ops->release(f);
}

/* fd_file_put: an fd naming f is closed. */
static void
fd_file_put(struct kern_file *f)
{
	if (f->vnode != NULL)
		vfs_lock_closed(f->vnode); /* any close: the process's locks */
	kern_file_drop(f);
}

long
sys_read(const long a[6])
{
	struct kern_file *f = kern_fd_file(a[0]);
	long r;

	if (f == NULL || f->ops->read == NULL ||
	    (f->flags & 3) == KERN_O_WRONLY)
		return -KERN_EBADF;
	if (a[2] < 0)
		return -KERN_EINVAL;
	f->refs++; /* a close while it waits must not free it */
	r = f->ops->read(f, (void *)a[1], (size_t)a[2]);
	kern_file_drop(f);
	return r;
}

long
sys_write(const long a[6])
{
	struct kern_file *f = kern_fd_file(a[0]);
	size_t len = (size_t)a[2];
	long r;

	if (f == NULL || f->ops->write == NULL ||
	    (f->flags & 3) == KERN_O_RDONLY)
		return -KERN_EBADF;
	if (a[2] < 0)
		return -KERN_EINVAL;
	r = kern_limit_write(f, -1, &len);
	if (r != 0)
		return r;
	f->refs++;
	r = f->ops->write(f, (const void *)a[1], len);
	kern_file_drop(f);
	return r;
}

/* fd_vector: f's readv or writev op on iov, f held while it runs. */
static long
fd_vector(struct kern_file *f,
	  long (*op)(struct kern_file *, const struct kern_iovec *, int),
	  const struct kern_iovec *iov, int n)
{
	long r;

	f->refs++;
	r = op(f, iov, n);
	kern_file_drop(f);
	return r;
}

long
sys_readv(const long a[6])
{
	const struct kern_iovec *iov = (const struct kern_iovec *)a[1];
	struct kern_file *f = kern_fd_file(a[0]);
	long total = 0;

	if (f == NULL)
		return -KERN_EBADF;
	if (a[2] < 0 || a[2] > IOV_MAX)
		return -KERN_EINVAL;
	if (f->ops->readv != NULL)
		return fd_vector(f, f->ops->readv, iov, (int)a[2]);
	for (long i = 0; i < a[2]; i++) {
		if (iov[i].len == 0)
			continue;
		const long r[6] = {a[0], (long)iov[i].base, (long)iov[i].len};
		long got = sys_read(r);
		if (got < 0)
			return total > 0 ? total : got;
		total += got;
		/* A stream gives what one read brings: the next could wait. */
		if ((size_t)got < iov[i].len || f->ops->pread == NULL)
			break;
	}
	return total;
}

/*
 * fd_iov_room: how much of the n buffers of iov a write to f at off (-1:
 * its offset) may write, in *room: all, or up to RLIMIT_FSIZE, which is
 * judged once for the whole vector, as Linux does. 0 or -EFBIG.
 */
static long
fd_iov_room(struct kern_file *f, long off, const struct kern_iovec *iov, long n,
	    size_t *room)
{
	size_t sum = 0;

	for (long i = 0; i < n; i++)
		sum = iov[i].len > ~(size_t)0 - sum ? ~(size_t)0
						    : sum + iov[i].len;
	*room = sum;
	if (f == NULL || (f->flags & 3) == KERN_O_RDONLY)
		return 0; /* the write itself says what is wrong */
	return kern_limit_write(f, off, room);
}

/* fd_iov_len: buffer v's length, cut to what is left of room. */
static size_t
fd_iov_len(const struct kern_iovec *v, size_t room, long done)
{
	size_t left = room - (size_t)done;

	return v->len < left ? v->len : left;
}

long
sys_writev(const long a[6])
{
	const struct kern_iovec *iov = (const struct kern_iovec *)a[1];
	struct kern_file *f = kern_fd_file(a[0]);
	long total = 0;
	size_t room;

	if (f == NULL)
		return -KERN_EBADF;
	if (a[2] < 0 || a[2] > IOV_MAX)
		return -KERN_EINVAL;
	if (f->ops->writev != NULL) {
		if ((f->flags & 3) == KERN_O_RDONLY)
			return -KERN_EBADF;
		return fd_vector(f, f->ops->writev, iov, (int)a[2]);
	}
	long err = fd_iov_room(f, -1, iov, a[2], &room);
	if (err != 0)
		return err;
	for (long i = 0; i < a[2] && (size_t)total < room; i++) {
		size_t len = fd_iov_len(&iov[i], room, total);
		if (len == 0)
			continue;
		const long w[6] = {a[0], (long)iov[i].base, (long)len};
		long r = sys_write(w);
		if (r < 0)
			return total > 0 ? total : r;
		total += r;
		if ((size_t)r < len)
			break;
	}
	return total;
}

long
sys_ioctl(const long a[6])
{
	struct kern_file *f = kern_fd_file(a[0]);

	if (f == NULL)
		return -KERN_EBADF;
	if (a[1] == FIONBIO) {
		if (*(const int *)a[2])
			f->flags |= KERN_O_NONBLOCK;
		else
			f->flags &= ~KERN_O_NONBLOCK;
		return 0;
	}
	if (f->ops->ioctl == NULL)
		return -KERN_ENOTTY;
	return f->ops->ioctl(f, (unsigned long)a[1], a[2]);
}

/* fd_seekable: fd's file, which must have an offset; or NULL and *err. */
static struct kern_file *
fd_seekable(long fd, long *err)
{
	struct kern_file *f = kern_fd_file(fd);

	*err = f == NULL || f->ops->read == NULL ? -KERN_EBADF : -KERN_ESPIPE;
	if (f == NULL || f->ops->pread == NULL)
		return NULL;
	return f;
}

long
sys_pread64(const long a[6])
{
	long err;
	struct kern_file *f = fd_seekable(a[0], &err);

	if (a[3] < 0)
		return -KERN_EINVAL;
	if (f == NULL)
		return err;
	if ((f->flags & 3) == KERN_O_WRONLY)
		return -KERN_EBADF;
	if (a[2] < 0)
		return -KERN_EINVAL;
	f->refs++; /* a device's read may wait */
	long r = f->ops->pread(f, (void *)a[1], (size_t)a[2], a[3]);
	kern_file_drop(f);
	return r;
}

long
sys_pwrite64(const long a[6])
{
	long err;
	struct kern_file *f = fd_seekable(a[0], &err);

	if (a[3] < 0)
		return -KERN_EINVAL;
	if (f == NULL)
		return err;
	if ((f->flags & 3) == KERN_O_RDONLY)
		return -KERN_EBADF;
	if (a[2] < 0)
		return -KERN_EINVAL;
	size_t len = (size_t)a[2];
	long r = kern_limit_write(f, a[3], &len);
	if (r != 0)
		return r;
	f->refs++;
	r = f->ops->pwrite(f, (const void *)a[1], len, a[3]);
	kern_file_drop(f);
	return r;
}

/*
 * fd_pv: preadv or pwritev (write set): one call a buffer, stopping
 * when short.
 */
static long
fd_pv(const long a[6], kern_sys_fn *one, int write)
{
	const struct kern_iovec *iov = (const struct kern_iovec *)a[1];
	long total = 0, off = a[3];
	size_t room = ~(size_t)0;

	if (a[2] < 0 || a[2] > IOV_MAX || off < 0)
		return -KERN_EINVAL;
	long err =
		write ? fd_iov_room(kern_fd_file(a[0]), off, iov, a[2], &room)
		      : 0;
	if (err != 0)
		return err;
	for (long i = 0; i < a[2] && (size_t)total < room; i++) {
		size_t len = fd_iov_len(&iov[i], room, total);
		const long b[6] = {a[0], (long)iov[i].base, (long)len,
				   off + total};
		long r = one(b);
		if (r < 0)
			return total > 0 ? total : r;
		total += r;
		if ((size_t)r < len)
			break;
	}
	return total;
}

long
sys_preadv(const long a[6])
{
	return fd_pv(a, sys_pread64, 0);
}

long
sys_pwritev(const long a[6])
{
	return fd_pv(a, sys_pwrite64, 1);
}

long
sys_lseek(const long a[6])
{
	struct kern_file *f = kern_fd_file(a[0]);

	if (f == NULL || (f->flags & KERN_O_PATH))
		return -KERN_EBADF;
	if (f->ops->lseek == NULL)
		return -KERN_ESPIPE;
	return f->ops->lseek(f, a[1], (int)a[2]);
}

long
sys_close_range(const long a[6])
{
	unsigned long first = (unsigned long)a[0], last = (unsigned long)a[1];

	if (first > last ||
	    (a[2] & ~(long)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0)
		return -KERN_EINVAL;
	for (unsigned long fd = first; fd <= last && fd < KERN_FD_MAX; fd++) {
		struct kern_fd_slot *s = kern_fd_slot((long)fd);
		if (s->file == NULL)
			continue;
		if (a[2] & CLOSE_RANGE_CLOEXEC) {
			s->cloexec = 1;
		} else {
			const long c[6] = {(long)fd};
			sys_close(c);
		}
	}
	return 0;
}

long
sys_fstat(const long a[6])
{
	struct kern_file *f = kern_fd_file(a[0]);

	if (f == NULL)
		return -KERN_EBADF;
	return f->ops->fstat(f, (struct kern_stat *)a[1]);
}

long
sys_close(const long a[6])
{
	struct kern_fd_slot *s = kern_fd_slot(a[0]);
	struct kern_file *f;

	if (s == NULL || (f = s->file) == NULL)
		return -KERN_EBADF;
	s->file = NULL;
	s->cloexec = 0;
	fd_file_put(f);
	return 0;
}

/* fd_dup: the file of fd old, also at the lowest free fd from min. */
static long
fd_dup(long old, long min, int cloexec)
{
	struct kern_file *f = kern_fd_file(old);
	long fd;

	if (f == NULL)
		return -KERN_EBADF;
	if (min < 0 || min >= kern_fd_limit())
		return -KERN_EINVAL;
	fd = kern_fd_install(f, min, cloexec);
	if (fd >= 0)
		f->refs++;
	return fd;
}

/* fd_dup_to: the file of fd old at fd new too, closing what new named. */
static long
fd_dup_to(long old, long new, int cloexec)
{
	struct kern_file *f = kern_fd_file(old);
	struct kern_fd_slot *s = kern_fd_slot(new);

	if (f == NULL || s == NULL || new >= kern_fd_limit())
		return -KERN_EBADF;
	f->refs++;
	if (s->file != NULL)
		fd_file_put(s->file);
	s->file = f;
	s->cloexec = cloexec;
	return new;
}

long
sys_flock(const long a[6])
{
	struct kern_file *f = kern_file_hold(a[0]);
	long r;

	if (f == NULL)
		return -KERN_EBADF;
	r = vfs_flock(f, a[1]);
	kern_file_drop(f);
	return r;
}

/*
 * fd_lock: fcntl's lock commands, f held while they wait. A lock won
 * after fd was closed meanwhile goes again (EBADF), as on Linux.
 */
static long
fd_lock(long fd, struct kern_file *f, long cmd, struct kern_flock *fl)
{
	long r;

	f->refs++;
	r = vfs_lock_fcntl(f, cmd, fl);
	if (r == 0 && (cmd == F_SETLKW || cmd == F_OFD_SETLKW) &&
	    kern_fd_file(fd) != f) {
		vfs_lock_undo(f, cmd, fl);
		r = -KERN_EBADF;
	}
	kern_file_drop(f);
	return r;
}

long
sys_dup(const long a[6])
{
	return fd_dup(a[0], 0, 0);
}

long
sys_dup2(const long a[6])
{
	if (a[0] == a[1])
		return kern_fd_file(a[0]) != NULL ? a[1] : -KERN_EBADF;
	return fd_dup_to(a[0], a[1], 0);
}

long
sys_dup3(const long a[6])
{
	if ((a[2] & ~KERN_O_CLOEXEC) != 0 || a[0] == a[1])
		return -KERN_EINVAL;
	return fd_dup_to(a[0], a[1], (a[2] & KERN_O_CLOEXEC) != 0);
}

long
sys_fcntl(const long a[6])
{
	struct kern_fd_slot *s = kern_fd_slot(a[0]);

	if (s == NULL || s->file == NULL)
		return -KERN_EBADF;
	switch (a[1]) {
	case F_DUPFD:
		return fd_dup(a[0], a[2], 0);
	case F_DUPFD_CLOEXEC:
		return fd_dup(a[0], a[2], 1);
	case F_GETFD:
		return s->cloexec ? FD_CLOEXEC : 0;
	case F_SETFD:
		s->cloexec = (a[2] & FD_CLOEXEC) != 0;
		return 0;
	case F_GETFL:
		return s->file->flags;
	case F_SETFL:
		s->file->flags = (s->file->flags & ~O_SETTABLE) |
				 ((int)a[2] & O_SETTABLE);
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return fd_lock(a[0], s->file, a[1], (struct kern_flock *)a[2]);
	default:
		return -KERN_EINVAL;
	}
}
