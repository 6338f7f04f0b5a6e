/*
 * Pipes (pipe2, pipe), named FIFOs opened (kern_fifo_open) and eventfd
 * (eventfd2, eventfd).
 *
 * A pipe is a ring of PIPE_SIZE bytes with a count of readers and
 * writers (open files of either end) and one wait queue, woken at every
 * change. A write of up to PIPE_BUF bytes goes in whole or waits until it
 * can; a longer one goes in as room comes. Writing with no reader left
 * is EPIPE and sends SIGPIPE to the writing thread, as Linux does (its
 * default action ends the guest with a report). Reading an empty pipe
 * waits for a writer's data, or reads 0 once no writer is left.
 * O_NONBLOCK makes a wait EAGAIN (a partial write returns its count); a
 * signal to take ends one with EINTR. FIONREAD says how much is buffered.
 *
 * A FIFO node (mknod) has a pipe while any file has it open, kept on a
 * list by its vnode; its bytes go when the last file closes. Opening it
 * as Linux does: O_RDONLY waits until a writer has opened it, O_WRONLY
 * until a reader has (unless O_NONBLOCK: a reader goes on, a writer with
 * no reader gets ENXIO), O_RDWR is both ends and never waits; a signal
 * ends the wait with EINTR.
 *
 * An eventfd is a 64-bit counter: write adds (waiting while the sum
 * would pass 2^64 - 2), read takes all of it (EFD_SEMAPHORE: 1), waiting
 * while it is 0; both move 8 bytes.
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "sys.h"

#define PIPE_SIZE     65536
#define PIPE_BUF      4096
#define SIGPIPE	      13
#define EFD_SEMAPHORE 1
#define EFD_MAX	      0xfffffffffffffffeull

struct pipe {
	char *buf;
	size_t head, len;
	int readers, writers;
	struct kern_waitq q;
	unsigned long ino;
	/*
	 * A FIFO node's: its vnode, how many readers and writers opened it
	 * (a file of it keeps in its offset, which nothing else uses, the
	 * writers' opens when it opened).
	 */
	struct vnode *vp;
	unsigned long ropens, wopens;
	struct pipe *next; /* on pipe_fifos */
};

static unsigned long pipe_last_ino;
static struct pipe *pipe_fifos; /* the open FIFO nodes' pipes */

/* pipe_wait: until a change; 0, or -EINTR. The CPU held. */
static long
pipe_wait(struct kern_waitq *q)
{
	return kern_waitq_wait(q, 0); /* no deadline: no ETIMEDOUT */
}

static long
pipe_read(struct kern_file *f, void *buf, size_t len)
{
	struct pipe *p = f->priv;
	size_t n = 0;

	if (len == 0)
		return 0;
	while (p->len == 0) {
		if (p->writers == 0)
			return 0;
		if (f->flags & KERN_O_NONBLOCK)
			return -KERN_EAGAIN;
		long err = pipe_wait(&p->q);
		if (err != 0)
			return err;
	}
	while (n < len && p->len > 0) {
		size_t chunk = PIPE_SIZE - p->head;
		if (chunk > p->len)
			chunk = p->len;
		if (chunk > len - n)
			chunk = len - n;
		memcpy((char *)buf + n, p->buf + p->head, chunk);
		p->head = (p->head + chunk) % PIPE_SIZE;
		p->len -= chunk;
		n += chunk;
	}
	kern_waitq_wake(&p->q);
	return (long)n;
}

/* pipe_put: up to len bytes of buf into the ring; how many. */
static size_t
pipe_put(struct pipe *p, const char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && p->len < PIPE_SIZE) {
		size_t tail = (p->head + p->len) % PIPE_SIZE;
		size_t chunk =
			tail >= p->head ? PIPE_SIZE - tail : p->head - tail;
		if (chunk > PIPE_SIZE - p->len)
			chunk = PIPE_SIZE - p->len;
		if (chunk > len - n)
			chunk = len - n;
		memcpy(p->buf + tail, buf + n, chunk);
		p->len += chunk;
		n += chunk;
	}
	return n;
}

static long
pipe_write(struct kern_file *f, const void *buf, size_t len)
{
	struct pipe *p = f->priv;
	size_t done = 0;

	if (len == 0)
		return 0;
	for (;;) {
		if (p->readers == 0) {
			kern_signal_send(kern_thread_self(), SIGPIPE);
			return done > 0 ? (long)done : -KERN_EPIPE;
		}
		/* Up to PIPE_BUF bytes go in whole, or not yet. */
		size_t room = PIPE_SIZE - p->len;
		if (len - done <= PIPE_BUF ? room >= len - done : room > 0) {
			done += pipe_put(p, (const char *)buf + done,
					 len - done);
			kern_waitq_wake(&p->q);
			if (done == len)
				return (long)done;
		}
		if (f->flags & KERN_O_NONBLOCK)
			return done > 0 ? (long)done : -KERN_EAGAIN;
		long err = pipe_wait(&p->q);
		if (err != 0)
			return done > 0 ? (long)done : err;
	}
}

static unsigned
pipe_poll(struct kern_file *f, struct kern_poll *pt)
{
	struct pipe *p = f->priv;
	unsigned ev = 0;

	kern_poll_wait(pt, &p->q);
	if ((f->flags & KERN_O_ACCMODE) != KERN_O_WRONLY) {
		if (p->len > 0)
			ev |= KERN_POLLIN | KERN_POLLRDNORM;
		/* A FIFO's reader: not before a writer came and went. */
		if (p->writers == 0 &&
		    (p->vp == NULL || (unsigned long)f->offset != p->wopens))
			ev |= KERN_POLLHUP;
	}
	if ((f->flags & KERN_O_ACCMODE) != KERN_O_RDONLY) {
		if (PIPE_SIZE - p->len >= PIPE_BUF)
			ev |= KERN_POLLOUT | KERN_POLLWRNORM;
		if (p->readers == 0)
			ev |= KERN_POLLERR;
	}
	return ev;
}

static long
pipe_ioctl(struct kern_file *f, unsigned long req, long arg)
{
	struct pipe *p = f->priv;

	if (req != FIONREAD)
		return -KERN_ENOTTY;
	*(int *)arg = (int)p->len;
	return 0;
}

static long
pipe_fstat(struct kern_file *f, struct kern_stat *st)
{
	struct pipe *p = f->priv;

	memset(st, 0, sizeof(*st));
	st->mode = 010600; /* a fifo, rw------- */
	st->nlink = 1;
	st->ino = p->ino;
	st->dev = 12; /* pipefs's */
	st->blksize = PIPE_BUF;
	return 0;
}

/* pipe_free: p, which no file has open any more, goes. */
static void
pipe_free(struct pipe *p)
{
	for (struct pipe **pp = &pipe_fifos; p->vp != NULL && *pp != NULL;
	     pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	kern_waitq_detach(&p->q); /* pollers of a gone pipe */
	rumpuser_free(p->buf, PIPE_SIZE);
	rumpuser_free(p, sizeof(*p));
}

/* pipe_close: f's ends of its pipe close; the pipe goes with the last. */
static void
pipe_close(struct kern_file *f)
{
	struct pipe *p = f->priv;

	if ((f->flags & KERN_O_ACCMODE) != KERN_O_WRONLY)
		p->readers--;
	if ((f->flags & KERN_O_ACCMODE) != KERN_O_RDONLY)
		p->writers--;
	kern_waitq_wake(&p->q);
	if (p->readers == 0 && p->writers == 0)
		pipe_free(p);
}

static void
pipe_release(struct kern_file *f)
{
	pipe_close(f);
	rumpuser_free(f, sizeof(*f));
}

static const struct kern_file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.fstat = pipe_fstat,
	.poll = pipe_poll,
	.release = pipe_release,
};

/* A FIFO node's open file: its vnode's stat; it gives the vnode back. */
static long
fifo_fstat(struct kern_file *f, struct kern_stat *st)
{
	vnode_stat(f->vnode, st);
	return 0;
}

static void
fifo_release(struct kern_file *f)
{
	pipe_close(f);
	vnode_put(f->vnode);
	rumpuser_free(f, sizeof(*f));
}

static const struct kern_file_ops fifo_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.fstat = fifo_fstat,
	.poll = pipe_poll,
	.release = fifo_release,
};

/* pipe_new: an empty pipe with no ends; NULL without memory. */
static struct pipe *
pipe_new(void)
{
	struct pipe *p;
	void *m;

	if (rumpuser_malloc(sizeof(*p), 0, &m) != 0)
		return NULL;
	p = m;
	memset(p, 0, sizeof(*p));
	if (rumpuser_malloc(PIPE_SIZE, 0, &m) != 0) {
		rumpuser_free(p, sizeof(*p));
		return NULL;
	}
	p->buf = m;
	p->ino = ++pipe_last_ino;
	return p;
}

/* fifo_pipe: the pipe of FIFO node vp, made if it has none; or NULL. */
static struct pipe *
fifo_pipe(struct vnode *vp)
{
	struct pipe *p = pipe_fifos;

	while (p != NULL && p->vp != vp)
		p = p->next;
	if (p != NULL || (p = pipe_new()) == NULL)
		return p;
	p->vp = vp;
	p->next = pipe_fifos;
	pipe_fifos = p;
	return p;
}

/*
 * fifo_wait: f, just opened, waits until the other end has been opened
 * (ends, the count of its opens, seen at ours); 0 or -EINTR.
 */
static long
fifo_wait(struct pipe *p, const unsigned long *opens, unsigned long seen)
{
	while (*opens == seen) {
		long err = pipe_wait(&p->q);
		if (err != 0)
			return err;
	}
	return 0;
}

long
kern_fifo_open(struct vnode *vp, int flags, struct kern_file **out)
{
	int acc = flags & KERN_O_ACCMODE, nb = flags & KERN_O_NONBLOCK;
	struct pipe *p = fifo_pipe(vp);
	struct kern_file *f;
	long err = 0;

	if (p == NULL)
		return -KERN_ENOMEM;
	if (acc == KERN_O_WRONLY && nb && p->readers == 0)
		err = -KERN_ENXIO;
	else if ((f = kern_file_new(&fifo_ops, flags, p)) == NULL)
		err = -KERN_ENOMEM;
	if (err != 0) {
		if (p->readers == 0 && p->writers == 0)
			pipe_free(p);
		return err;
	}
	f->vnode = vp;
	f->offset = (long)p->wopens; /* what poll's POLLHUP looks past */
	if (acc != KERN_O_WRONLY) {
		p->readers++;
		p->ropens++;
	}
	if (acc != KERN_O_RDONLY) {
		p->writers++;
		p->wopens++;
	}
	kern_waitq_wake(&p->q);
	if (acc == KERN_O_RDONLY && !nb && p->writers == 0)
		err = fifo_wait(p, &p->wopens, p->wopens);
	else if (acc == KERN_O_WRONLY && p->readers == 0)
		err = fifo_wait(p, &p->ropens, p->ropens);
	if (err != 0) {
		pipe_release(f); /* the vnode stays the caller's */
		return err;
	}
	*out = f;
	return 0;
}

long
sys_pipe2(const long a[6])
{
	int *fds = (int *)a[0];
	long flags = a[1];
	struct pipe *p;
	struct kern_file *r, *w;

	if (flags & ~(KERN_O_CLOEXEC | KERN_O_NONBLOCK | 040000 /* O_DIRECT */))
		return -KERN_EINVAL;
	if ((p = pipe_new()) == NULL)
		return -KERN_ENOMEM;
	p->readers = p->writers = 1;
	int nb = (int)(flags & KERN_O_NONBLOCK);
	r = kern_file_new(&pipe_ops, KERN_O_RDONLY | nb, p);
	w = kern_file_new(&pipe_ops, KERN_O_WRONLY | nb, p);
	if (r == NULL || w == NULL) {
		if (r != NULL)
			rumpuser_free(r, sizeof(*r));
		if (w != NULL)
			rumpuser_free(w, sizeof(*w));
		rumpuser_free(p->buf, PIPE_SIZE);
		rumpuser_free(p, sizeof(*p));
		return -KERN_ENOMEM;
	}
	long rfd = kern_fd_install(r, 0, (flags & KERN_O_CLOEXEC) != 0);
	long wfd =
		rfd < 0 ? rfd
			: kern_fd_install(w, 0, (flags & KERN_O_CLOEXEC) != 0);
	if (wfd < 0) {
		/* No fds: each end goes as its last fd would close it. */
		if (rfd >= 0) {
			const long c[6] = {rfd};
			sys_close(c);
		} else {
			pipe_release(r);
		}
		pipe_release(w);
		return wfd;
	}
	fds[0] = (int)rfd;
	fds[1] = (int)wfd;
	return 0;
}

long
sys_pipe(const long a[6])
{
	const long b[6] = {a[0], 0};

	return sys_pipe2(b);
}

struct eventfd {
	uint64_t count;
	int semaphore;
	struct kern_waitq q;
};

static long
eventfd_read(struct kern_file *f, void *buf, size_t len)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	if (len < 8)
		return -KERN_EINVAL;
	while (e->count == 0) {
		if (f->flags & KERN_O_NONBLOCK)
			return -KERN_EAGAIN;
		long err = pipe_wait(&e->q);
		if (err != 0)
			return err;
	}
	v = e->semaphore ? 1 : e->count;
	e->count -= v;
	memcpy(buf, &v, 8);
	kern_waitq_wake(&e->q);
	return 8;
}

static long
eventfd_write(struct kern_file *f, const void *buf, size_t len)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	if (len < 8)
		return -KERN_EINVAL;
	memcpy(&v, buf, 8);
	if (v == ~0ull)
		return -KERN_EINVAL;
	while (v > EFD_MAX - e->count) {
		if (f->flags & KERN_O_NONBLOCK)
			return -KERN_EAGAIN;
		long err = pipe_wait(&e->q);
		if (err != 0)
			return err;
	}
	e->count += v;
	kern_waitq_wake(&e->q);
	return 8;
}

static unsigned
eventfd_poll(struct kern_file *f, struct kern_poll *pt)
{
	struct eventfd *e = f->priv;

	kern_poll_wait(pt, &e->q);
	return (e->count > 0 ? KERN_POLLIN | KERN_POLLRDNORM : 0) |
	       (e->count < EFD_MAX ? KERN_POLLOUT | KERN_POLLWRNORM : 0);
}

static void
eventfd_release(struct kern_file *f)
{
	struct eventfd *e = f->priv;

	kern_waitq_detach(&e->q);
	rumpuser_free(e, sizeof(*e));
	rumpuser_free(f, sizeof(*f));
}

static const struct kern_file_ops eventfd_ops = {
	.read = eventfd_read,
	.write = eventfd_write,
	.fstat = kern_file_fstat_anon,
	.poll = eventfd_poll,
	.release = eventfd_release,
	.name = "anon_inode:[eventfd]",
};

long
sys_eventfd2(const long a[6])
{
	struct eventfd *e;
	struct kern_file *f;
	void *m;
	long fd;

	if (a[1] & ~(long)(KERN_O_CLOEXEC | KERN_O_NONBLOCK | EFD_SEMAPHORE))
		return -KERN_EINVAL;
	if (rumpuser_malloc(sizeof(*e), 0, &m) != 0)
		return -KERN_ENOMEM;
	e = m;
	memset(e, 0, sizeof(*e));
	e->count = (unsigned)a[0];
	e->semaphore = (a[1] & EFD_SEMAPHORE) != 0;
	f = kern_file_new(&eventfd_ops,
			  KERN_O_RDWR | (int)(a[1] & KERN_O_NONBLOCK), e);
	if (f == NULL) {
		rumpuser_free(e, sizeof(*e));
		return -KERN_ENOMEM;
	}
	fd = kern_fd_install(f, 0, (a[1] & KERN_O_CLOEXEC) != 0);
	if (fd < 0)
		eventfd_release(f);
	return fd;
}

long
sys_eventfd(const long a[6])
{
	const long b[6] = {a[0], 0};

	return sys_eventfd2(b);
}
