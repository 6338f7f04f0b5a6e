/*
 * Files and block I/O for the rump kernel: the host's name space, and
 * rumpuser_bio's asynchronous completion.
 *
 * The name space holds block devices only. For now that is the RAM disk,
 * "/dev/ramdisk": the second multiboot module a dom0 gets (the runner's
 * --ramdisk), read-write in memory; the Xen block devices join it with
 * blkfront. Files cannot be created (EROFS).
 *
 * rumpuser_bio queues each request for the "rumpbio" thread and returns.
 * That thread, made on first use, takes a permanent lwp of its own once
 * (hyp_schedule, hyp_lwproc_newlwp(0), hyp_unschedule, spec §2) and, for
 * each request, moves the data with no CPU held, then calls biodone
 * between hyp_backend_schedule and hyp_backend_unschedule: completion in
 * kernel context, never in an event handler (spec §5).
 */
#include <string.h>

#include <rumpxen/platform.h>
#include <rumpxen/rumpuser.h>

#include "xen.h"

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
	const char *name;
	char *base;
	uint64_t size;
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

static struct file_dev file_ramdisk = {.name = "/dev/ramdisk"};
static struct file_open file_table[FILE_MAX_OPEN];
static struct file_bio *file_bio_head, *file_bio_tail;
static struct waitq file_bio_waiters;
static int file_bio_started;

/* file_dev_find: the device called name, or NULL. */
static struct file_dev *
file_dev_find(const char *name)
{
	const start_info_t *si = boot_start_info;

	if (strcmp(name, file_ramdisk.name) != 0 || si->mod_start == 0 ||
	    si->mod_len == 0)
		return NULL;
	if (file_ramdisk.base == NULL) {
		/* Every page is in the 1:1 map, wherever Xen put it. */
		unsigned long va = si->flags & SIF_MOD_START_PFN
					   ? si->mod_start << PAGE_SHIFT
					   : si->mod_start;
		file_ramdisk.base = (char *)va;
		file_ramdisk.size = si->mod_len;
	}
	return &file_ramdisk;
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
	dev = file_dev_find(name);
	if (dev == NULL)
		err = mode & RUMPUSER_OPEN_CREATE ? NB_EROFS : NB_ENOENT;
	else if ((mode & RUMPUSER_OPEN_CREATE) && (mode & RUMPUSER_OPEN_EXCL))
		err = NB_EEXIST;
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
	struct file_dev *dev = file_dev_find(name);

	if (dev == NULL)
		return NB_ENOENT;
	if (size != NULL)
		*size = dev->size;
	if (type != NULL)
		*type = RUMPUSER_FT_BLK;
	return 0;
}

/*
 * file_rw: moves len bytes between buf and the device at off; returns the
 * count (short at the device's end), or -1 for an offset outside it.
 */
static long
file_rw(struct file_open *f, int write, void *buf, size_t len, int64_t off)
{
	struct file_dev *dev = f->dev;

	if (off < 0 || (uint64_t)off > dev->size)
		return -1;
	if (len > dev->size - (uint64_t)off)
		len = dev->size - (uint64_t)off;
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
				 at + (int64_t)done);
		if (n < 0) {
			err = NB_EINVAL;
			break;
		}
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
	(void)start;
	(void)len;
	if (file_get(fd) == NULL)
		return NB_EBADF;
	if ((flags & RUMPUSER_SYNCFD_BOTH) == 0)
		return NB_EINVAL;
	return 0; /* memory is as durable as the RAM disk gets */
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
	n = b->f->dev != NULL ? file_rw(b->f, write, b->data, b->dlen, b->off)
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

		while (file_bio_head == NULL)
			waitq_wait(&file_bio_waiters, 0);
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
	if (file_bio_tail != NULL)
		file_bio_tail->next = b;
	else
		file_bio_head = b;
	file_bio_tail = b;
	waitq_wake_one(&file_bio_waiters);
}
