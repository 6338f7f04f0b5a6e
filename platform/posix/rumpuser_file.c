/*
 * Files and block I/O for the rump kernel on a Linux process: the host's
 * file system is the name space, and rumpuser_bio's requests go to a
 * worker thread.
 *
 * The worker ("rumpbio"), started on first use, takes a permanent lwp
 * once (hyp_schedule, hyp_lwproc_newlwp(0), hyp_unschedule) and, for each
 * request, does the I/O with no CPU held and then calls biodone between
 * hyp_backend_schedule and hyp_backend_unschedule (biodone must run
 * holding a CPU). A BIO_SYNC write is followed by fdatasync before it
 * completes. The queue grows as
 * needed, so rumpuser_bio never waits to enqueue.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "posix.h"

int
rumpuser_open(const char *name, int mode, int *fdp)
{
	int flags, fd, nlocks, err = 0;

	switch (mode & RUMPUSER_OPEN_ACCMODE) {
	case RUMPUSER_OPEN_RDONLY:
		flags = O_RDONLY;
		break;
	case RUMPUSER_OPEN_WRONLY:
		flags = O_WRONLY;
		break;
	case RUMPUSER_OPEN_RDWR:
		flags = O_RDWR;
		break;
	default:
		return 22; /* EINVAL */
	}
	if (mode & RUMPUSER_OPEN_CREATE)
		flags |= O_CREAT;
	if (mode & RUMPUSER_OPEN_EXCL)
		flags |= O_EXCL;
	nlocks = rumpuser_unschedule(NULL);
	fd = open(name, flags | O_CLOEXEC, 0644);
	if (fd < 0)
		err = rumpuser_errtrans(errno);
	rumpuser_schedule(nlocks, NULL);
	if (err == 0)
		*fdp = fd;
	return err;
}

int
rumpuser_close(int fd)
{
	int nlocks, err = 0;

	nlocks = rumpuser_unschedule(NULL);
	fsync(fd);
	if (close(fd) != 0)
		err = rumpuser_errtrans(errno);
	rumpuser_schedule(nlocks, NULL);
	return err;
}

int
rumpuser_getfileinfo(const char *name, uint64_t *size, int *type)
{
	struct stat st;
	uint64_t bytes;
	int ft;

	if (stat(name, &st) != 0)
		return rumpuser_errtrans(errno);
	bytes = (uint64_t)st.st_size;
	if (S_ISREG(st.st_mode)) {
		ft = RUMPUSER_FT_REG;
	} else if (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)) {
		/* A device's size is where seeking to its end gets. */
		int fd = open(name, O_RDONLY | O_CLOEXEC);
		off_t end = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
		if (fd >= 0)
			close(fd);
		bytes = end > 0 ? (uint64_t)end : 0;
		ft = S_ISBLK(st.st_mode) ? RUMPUSER_FT_BLK : RUMPUSER_FT_CHR;
	} else {
		ft = S_ISDIR(st.st_mode) ? RUMPUSER_FT_DIR : RUMPUSER_FT_OTHER;
	}
	if (size != NULL)
		*size = bytes;
	if (type != NULL)
		*type = ft;
	return 0;
}

static int
posix_iov(int fd, int write, const struct rumpuser_iovec *iov, size_t iovlen,
	  int64_t off, size_t *retv)
{
	/* struct rumpuser_iovec has the layout of struct iovec. */
	const struct iovec *v = (const struct iovec *)iov;
	int nlocks, err = 0;
	ssize_t n;

	nlocks = rumpuser_unschedule(NULL);
	if (off == RUMPUSER_IOV_NOSEEK)
		n = write ? writev(fd, v, (int)iovlen)
			  : readv(fd, v, (int)iovlen);
	else
		n = write ? pwritev(fd, v, (int)iovlen, off)
			  : preadv(fd, v, (int)iovlen, off);
	if (n < 0)
		err = rumpuser_errtrans(errno);
	else
		*retv = (size_t)n;
	rumpuser_schedule(nlocks, NULL);
	return err;
}

int
rumpuser_iovread(int fd, struct rumpuser_iovec *iov, size_t iovlen, int64_t off,
		 size_t *retv)
{
	return posix_iov(fd, 0, iov, iovlen, off, retv);
}

int
rumpuser_iovwrite(int fd, const struct rumpuser_iovec *iov, size_t iovlen,
		  int64_t off, size_t *retv)
{
	return posix_iov(fd, 1, iov, iovlen, off, retv);
}

int
rumpuser_syncfd(int fd, int flags, uint64_t start, uint64_t len)
{
	int nlocks, err = 0;

	(void)start;
	(void)len;
	if ((flags & RUMPUSER_SYNCFD_BOTH) == 0)
		return 22;
	if (!(flags & RUMPUSER_SYNCFD_WRITE))
		return 0; /* nothing to make durable for reads */
	nlocks = rumpuser_unschedule(NULL);
	if (fsync(fd) != 0)
		err = rumpuser_errtrans(errno);
	rumpuser_schedule(nlocks, NULL);
	return err;
}

struct posix_bio {
	struct posix_bio *next;
	int fd, op;
	void *data;
	size_t dlen;
	int64_t off;
	rump_biodone_fn biodone;
	void *donearg;
};

static pthread_mutex_t posix_bio_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t posix_bio_cv = PTHREAD_COND_INITIALIZER;
static struct posix_bio *posix_bio_head, *posix_bio_tail;
static int posix_bio_started;

static void
posix_bio_do(struct posix_bio *b, size_t *count, int *error)
{
	ssize_t n;

	if (b->op & RUMPUSER_BIO_WRITE)
		n = pwrite(b->fd, b->data, b->dlen, b->off);
	else
		n = pread(b->fd, b->data, b->dlen, b->off);
	*count = 0;
	if (n < 0) {
		*error = rumpuser_errtrans(errno);
		return;
	}
	if ((size_t)n != b->dlen) {
		*error = 5; /* EIO: past the end */
		return;
	}
	if ((b->op & (RUMPUSER_BIO_WRITE | RUMPUSER_BIO_SYNC)) ==
		    (RUMPUSER_BIO_WRITE | RUMPUSER_BIO_SYNC) &&
	    fdatasync(b->fd) != 0) {
		*error = rumpuser_errtrans(errno);
		return;
	}
	*count = b->dlen;
	*error = 0;
}

static void *
posix_bio_thread(void *arg)
{
	(void)arg;
	rumpuser_hyp.hyp_schedule();
	rumpuser_hyp.hyp_lwproc_newlwp(0);
	rumpuser_hyp.hyp_unschedule();
	for (;;) {
		struct posix_bio *b;
		size_t count;
		int error, dummy;

		pthread_mutex_lock(&posix_bio_mu);
		while (posix_bio_head == NULL)
			pthread_cond_wait(&posix_bio_cv, &posix_bio_mu);
		b = posix_bio_head;
		posix_bio_head = b->next;
		if (posix_bio_head == NULL)
			posix_bio_tail = NULL;
		pthread_mutex_unlock(&posix_bio_mu);
		posix_bio_do(b, &count, &error);
		rumpuser_hyp.hyp_backend_schedule(0, NULL);
		b->biodone(b->donearg, count, error);
		rumpuser_hyp.hyp_backend_unschedule(0, &dummy, NULL);
		free(b);
	}
	return NULL;
}

void
rumpuser_bio(int fd, int op, void *data, size_t dlen, int64_t off,
	     rump_biodone_fn biodone, void *donearg)
{
	struct posix_bio *b = malloc(sizeof(*b));
	void *cookie;

	if (b == NULL) {
		/* In the caller's context, which holds a CPU: allowed. */
		biodone(donearg, 0, 12);
		return;
	}
	*b = (struct posix_bio){NULL, fd,  op,	    data,
				dlen, off, biodone, donearg};
	pthread_mutex_lock(&posix_bio_mu);
	if (!posix_bio_started) {
		if (rumpuser_thread_create(posix_bio_thread, NULL, "rumpbio", 0,
					   0, -1, &cookie) != 0) {
			pthread_mutex_unlock(&posix_bio_mu);
			free(b);
			biodone(donearg, 0, 12);
			return;
		}
		posix_bio_started = 1;
	}
	if (posix_bio_tail != NULL)
		posix_bio_tail->next = b;
	else
		posix_bio_head = b;
	posix_bio_tail = b;
	pthread_cond_signal(&posix_bio_cv);
	pthread_mutex_unlock(&posix_bio_mu);
}
