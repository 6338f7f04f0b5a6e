/*
 * Files and block I/O for the rump kernel: the host's name space, and
 * rumpuser_bio's asynchronous completion.
 *
 * The name space holds block devices only: "/dev/ramdisk", the second
 * multiboot module a dom0 gets (the runner's --ramdisk), read-write in
 * memory; and the domain's Xen disks, "/dev/xvda" and so on (dev/blkfront.c),
 * connected at their first use. Files cannot be created (EROFS), and a
 * read-only disk opened for writing gives EROFS.
 *
 * rumpuser_bio queues a RAM-disk request for the "rumpbio" thread, or
 * starts a disk request in blkfront, and returns. That thread, made on
 * first use, takes a permanent lwp of its own once (hyp_schedule,
 * hyp_lwproc_newlwp(0), hyp_unschedule); it moves RAM-disk data
 * with no CPU held and delivers the disks' completions (the disks' event
 * handler only wakes it), calling biodone between hyp_backend_schedule and
 * hyp_backend_unschedule: completion in kernel context, never in an event
 * handler (biodone must run holding a CPU). iovread, iovwrite and syncfd on a
 * disk wait for their own requests with no CPU held; syncfd flushes the disk's
 * write cache.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>
#include <rumpxen/rumpuser.h>

#include "../../shared/rumpuser_shared.h"
#include "../core/core.h"
#include "../dev/dev.h"

/* NetBSD errno values. */
#define NB_ENOENT 2
#define NB_EIO	  5
#define NB_EBADF  9
#define NB_ENOMEM 12
#define NB_EEXIST 17
#define NB_EINVAL 22
#define NB_EMFILE 24
#define NB_EROFS  30

#define FILE_MAX_OPEN 32

struct file_dev {
	char name[24]; /* "" for a free slot */
	char *base;    /* the RAM disk's bytes, or NULL */
	struct blkfront *blk;
	uint64_t size;
	unsigned sector_size;
	int readonly;
};

struct file_open {
	struct file_dev *dev; /* NULL: the slot is free */
	int writable;
	uint64_t pos; /* for RUMPUSER_IOV_NOSEEK */
};

struct file_bio {
	struct file_bio *next;
	struct file_open *f;
	int op;
	void *data;
	size_t dlen;
	int64_t off;
	rump_biodone_fn biodone;
	void *donearg;
};

#define FILE_MAX_DEVS 9 /* the RAM disk and blkfront's most */

static struct file_dev file_devs[FILE_MAX_DEVS];
static struct file_open file_table[FILE_MAX_OPEN];
static struct file_bio *file_bio_head, *file_bio_tail;
static struct waitq file_bio_waiters;
static int file_bio_started;

/* file_errno: a Linux errno value from blkfront as NetBSD's. */
static int
file_errno(int e)
{
	switch (e) {
	case 0:
		return 0;
	case ENOMEM:
		return NB_ENOMEM;
	case EINVAL:
		return NB_EINVAL;
	case EROFS:
		return NB_EROFS;
	case ENOENT:
		return NB_ENOENT;
	default:
		return NB_EIO;
	}
}

/* file_ramdisk: the RAM disk's device, or NULL when there is none. */
static struct file_dev *
file_ramdisk(struct file_dev *dev)
{
	const start_info_t *si = boot_start_info;

	if (si->mod_start == 0 || si->mod_len == 0)
		return NULL;
	/* Every page is in the 1:1 map, wherever Xen put it. */
	dev->base = (char *)(si->flags & SIF_MOD_START_PFN
				     ? si->mod_start << PAGE_SHIFT
				     : si->mod_start);
	dev->size = si->mod_len;
	dev->sector_size = 512;
	return dev;
}

/*
 * file_dev_find: the device called name with *err 0, or NULL with *err
 * ENOENT, or EIO for a disk whose backend failed.
 */
static struct file_dev *
file_dev_find(const char *name, int *err)
{
	struct file_dev *dev = NULL;

	*err = 0;
	for (int i = 0; i < FILE_MAX_DEVS; i++) {
		if (strcmp(file_devs[i].name, name) == 0)
			return &file_devs[i];
		if (dev == NULL && file_devs[i].name[0] == '\0')
			dev = &file_devs[i];
	}
	*err = NB_ENOENT;
	if (dev == NULL || strlen(name) >= sizeof(dev->name) ||
	    strncmp(name, "/dev/", 5) != 0)
		return NULL;
	if (strcmp(name, "/dev/ramdisk") == 0) {
		if (file_ramdisk(dev) == NULL)
			return NULL;
	} else {
		int e = blkfront_get(name + 5, &file_bio_waiters, &dev->blk);
		if (e != 0) {
			*err = file_errno(e);
			return NULL;
		}
		blkfront_info(dev->blk, &dev->size, &dev->sector_size,
			      &dev->readonly);
	}
	*err = 0;
	strcpy(dev->name, name);
	return dev;
}
static struct file_open *
file_get(int fd)
{
	if (fd < 0 || fd >= FILE_MAX_OPEN || file_table[fd].dev == NULL)
		return NULL;
	return &file_table[fd];
}

int
rumpuser_open(const char *name, int mode, int *fdp)
{
	int acc = mode & RUMPUSER_OPEN_ACCMODE, err = 0, fd;
	struct file_dev *dev;
	int nlocks;

	if (acc == RUMPUSER_OPEN_ACCMODE)
		return NB_EINVAL;
	nlocks = rumpuser_unschedule(NULL);
	dev = file_dev_find(name, &err);
	if (dev == NULL && err == NB_ENOENT && (mode & RUMPUSER_OPEN_CREATE))
		err = NB_EROFS;
	else if (dev != NULL && (mode & RUMPUSER_OPEN_CREATE) &&
		 (mode & RUMPUSER_OPEN_EXCL))
		err = NB_EEXIST;
	else if (dev != NULL && dev->readonly && acc != RUMPUSER_OPEN_RDONLY)
		err = NB_EROFS;
	for (fd = 0; err == 0 && fd < FILE_MAX_OPEN; fd++) {
		if (file_table[fd].dev == NULL) {
			file_table[fd].dev = dev;
			file_table[fd].writable = acc != RUMPUSER_OPEN_RDONLY;
			file_table[fd].pos = 0;
			*fdp = fd;
			break;
		}
	}
	if (err == 0 && fd == FILE_MAX_OPEN)
		err = NB_EMFILE;
	rumpuser_schedule(nlocks, NULL);
	return err;
}

int
rumpuser_close(int fd)
{
	struct file_open *f = file_get(fd);
	int nlocks;

	if (f == NULL)
		return NB_EBADF;
	nlocks = rumpuser_unschedule(NULL);
	f->dev = NULL;
	rumpuser_schedule(nlocks, NULL);
	return 0;
}

int
rumpuser_getfileinfo(const char *name, uint64_t *size, int *type)
{
	struct file_dev *dev;
	int err, nlocks;

	nlocks = rumpuser_unschedule(NULL);
	dev = file_dev_find(name, &err);
	rumpuser_schedule(nlocks, NULL);
	if (dev == NULL)
		return err;
	if (size != NULL)
		*size = dev->size;
	if (type != NULL)
		*type = RUMPUSER_FT_BLK;
	return 0;
}

/*
 * file_disk_rw: len bytes at byte offset off of a disk, which moves whole
 * sectors: what does not start and end on sector boundaries goes through
 * a buffer of the whole sectors it touches (for a write, the sectors at
 * its edges are read first, so the bytes around it stay).
 */
static int
file_disk_rw(struct file_dev *dev, int write, void *buf, size_t len,
	     uint64_t off)
{
	uint64_t ss = dev->sector_size;
	uint64_t first = off / ss * ss, end = (off + len + ss - 1) / ss * ss;
	uint64_t n = end - first;
	char *bounce;
	void *p;
	int err = 0;

	if (off % ss == 0 && len % ss == 0)
		return blkfront_io(dev->blk,
				   write ? BLKFRONT_WRITE : BLKFRONT_READ, buf,
				   len, off);
	if (heap_alloc(n, 16, &p) != 0)
		return ENOMEM;
	bounce = p;
	if (!write)
		err = blkfront_io(dev->blk, BLKFRONT_READ, bounce, n, first);
	if (write && off != first)
		err = blkfront_io(dev->blk, BLKFRONT_READ, bounce, ss, first);
	if (write && err == 0 && (off + len) % ss != 0)
		err = blkfront_io(dev->blk, BLKFRONT_READ, bounce + n - ss, ss,
				  end - ss);
	if (write && err == 0) {
		memcpy(bounce + (off - first), buf, len);
		err = blkfront_io(dev->blk, BLKFRONT_WRITE, bounce, n, first);
	} else if (err == 0) {
		memcpy(buf, bounce + (off - first), len);
	}
	heap_free(bounce);
	return err;
}

/*
 * file_rw: moves len bytes between buf and the device at off; returns the
 * count (short at the device's end), or -1 for an offset outside it (or,
 * on a disk, not on a sector boundary) with *err set. Blocks on a disk.
 */
static long
file_rw(struct file_open *f, int write, void *buf, size_t len, int64_t off,
	int *err)
{
	struct file_dev *dev = f->dev;

	*err = 0;
	if (off < 0 || (uint64_t)off > dev->size) {
		*err = NB_EINVAL;
		return -1;
	}
	if (len > dev->size - (uint64_t)off)
		len = dev->size - (uint64_t)off;
	if (dev->blk != NULL) {
		*err = file_errno(
			file_disk_rw(dev, write, buf, len, (uint64_t)off));
		return *err == 0 ? (long)len : -1;
	}
	if (write)
		memcpy(dev->base + off, buf, len);
	else
		memcpy(buf, dev->base + off, len);
	return (long)len;
}

/* file_iov: the body of iovread and iovwrite. */
static int
file_iov(int fd, int write, const struct rumpuser_iovec *iov, size_t iovlen,
	 int64_t off, size_t *retv)
{
	struct file_open *f = file_get(fd);
	int64_t at;
	size_t done = 0;
	int nlocks, err = 0;

	if (f == NULL)
		return NB_EBADF;
	if (write && !f->writable)
		return NB_EBADF;
	nlocks = rumpuser_unschedule(NULL);
	at = off == RUMPUSER_IOV_NOSEEK ? (int64_t)f->pos : off;
	for (size_t i = 0; i < iovlen; i++) {
		long n = file_rw(f, write, iov[i].iov_base, iov[i].iov_len,
				 at + (int64_t)done, &err);
		if (n < 0)
			break;
		done += (size_t)n;
		if ((size_t)n < iov[i].iov_len)
			break; /* the end of the device */
	}
	if (err == 0 && off == RUMPUSER_IOV_NOSEEK)
		f->pos += done;
	*retv = done;
	rumpuser_schedule(nlocks, NULL);
	return err;
}

int
rumpuser_iovread(int fd, struct rumpuser_iovec *iov, size_t iovlen, int64_t off,
		 size_t *retv)
{
	return file_iov(fd, 0, iov, iovlen, off, retv);
}

int
rumpuser_iovwrite(int fd, const struct rumpuser_iovec *iov, size_t iovlen,
		  int64_t off, size_t *retv)
{
	return file_iov(fd, 1, iov, iovlen, off, retv);
}

int
rumpuser_syncfd(int fd, int flags, uint64_t start, uint64_t len)
{
	struct file_open *f = file_get(fd);
	int err = 0, nlocks;

	(void)start;
	(void)len;
	if (f == NULL)
		return NB_EBADF;
	if ((flags & RUMPUSER_SYNCFD_BOTH) == 0)
		return NB_EINVAL;
	/* The RAM disk's memory is as durable as it gets; a disk flushes. */
	if (f->dev->blk == NULL || !(flags & RUMPUSER_SYNCFD_WRITE))
		return 0;
	nlocks = rumpuser_unschedule(NULL);
	err = file_errno(blkfront_io(f->dev->blk, BLKFRONT_FLUSH, NULL, 0, 0));
	rumpuser_schedule(nlocks, NULL);
	return err;
}

/* file_bio_do: performs one request; returns biodone's count and error. */
static void
file_bio_do(struct file_bio *b, size_t *count, int *error)
{
	int write = b->op & RUMPUSER_BIO_WRITE;
	long n;

	*count = 0;
	if (write && !b->f->writable) {
		*error = NB_EROFS;
		return;
	}
	n = b->f->dev != NULL
		    ? file_rw(b->f, write, b->data, b->dlen, b->off, error)
		    : -1;
	if (n < 0 || (size_t)n != b->dlen) {
		*error = NB_EIO;
		return;
	}
	*count = b->dlen;
	*error = 0;
}

static void
file_bio_thread(void *arg)
{
	(void)arg;
	rumpuser_hyp.hyp_schedule();
	rumpuser_hyp.hyp_lwproc_newlwp(0);
	rumpuser_hyp.hyp_unschedule();
	for (;;) {
		struct file_bio *b;
		size_t count;
		int error, dummy;

		blkfront_poll();
		if (blkfront_deliver() > 0)
			continue;
		if (file_bio_head == NULL) {
			waitq_wait(&file_bio_waiters, 0);
			continue;
		}
		b = file_bio_head;
		file_bio_head = b->next;
		if (file_bio_head == NULL)
			file_bio_tail = NULL;
		file_bio_do(b, &count, &error);
		rumpuser_hyp.hyp_backend_schedule(0, NULL);
		b->biodone(b->donearg, count, error);
		rumpuser_hyp.hyp_backend_unschedule(0, &dummy, NULL);
		heap_free(b);
	}
}

/* file_blk_done: a disk request's end, in the rumpbio thread. */
static void
file_blk_done(void *arg, int error)
{
	struct file_bio *b = arg;
	int dummy;

	rumpuser_hyp.hyp_backend_schedule(0, NULL);
	b->biodone(b->donearg, error == 0 ? b->dlen : 0, file_errno(error));
	rumpuser_hyp.hyp_backend_unschedule(0, &dummy, NULL);
	heap_free(b);
}

void
rumpuser_bio(int fd, int op, void *data, size_t dlen, int64_t off,
	     rump_biodone_fn biodone, void *donearg)
{
	struct thread_attr attr = {.name = "rumpbio"};
	struct file_open *f = file_get(fd);
	struct file_bio *b;
	struct thread *t;
	void *p;

	if (f == NULL) {
		biodone(donearg, 0, NB_EBADF);
		return;
	}
	if (!file_bio_started) {
		if (sched_thread_create(&attr, file_bio_thread, NULL, &t) !=
		    0) {
			biodone(donearg, 0, NB_ENOMEM);
			return;
		}
		file_bio_started = 1;
	}
	if (heap_alloc(sizeof(*b), 16, &p) != 0) {
		/* In the caller's context, which holds a CPU: allowed. */
		biodone(donearg, 0, NB_ENOMEM);
		return;
	}
	b = p;
	*b = (struct file_bio){NULL, f, op, data, dlen, off, biodone, donearg};
	if (f->dev->blk != NULL) {
		int bop = op & RUMPUSER_BIO_WRITE ? BLKFRONT_WRITE
						  : BLKFRONT_READ;
		int err;

		if (op & RUMPUSER_BIO_SYNC)
			bop |= BLKFRONT_SYNC;
		if (!f->writable && (op & RUMPUSER_BIO_WRITE))
			err = EROFS;
		else
			err = blkfront_start(f->dev->blk, bop, data, dlen,
					     (uint64_t)off, file_blk_done, b);
		if (err != 0) {
			heap_free(b);
			biodone(donearg, 0, file_errno(err));
		}
		return;
	}
	if (file_bio_tail != NULL)
		file_bio_tail->next = b;
	else
		file_bio_head = b;
	file_bio_tail = b;
	waitq_wake_one(&file_bio_waiters);
}
