/*
 * The socket system calls (socket, bind, listen, accept, accept4,
 * connect, shutdown, sendto, recvfrom, sendmsg, recvmsg, sendmmsg and
 * recvmmsg (each message in turn), getsockname, getpeername, setsockopt,
 * getsockopt, socketpair) and sockets as open files: read, write, readv,
 * writev, poll, FIONREAD and the interface ioctls, fstat (S_IFSOCK) and
 * the last close go to the network layer (kern/net/net.h), with the
 * file's O_NONBLOCK. A send that finds the connection gone is EPIPE and
 * raises SIGPIPE in the caller unless MSG_NOSIGNAL says not to, as on
 * Linux.
 */
#include <string.h>

#include "../net/net.h"
#include "sys.h"

#define SIGPIPE	   13
#define SOCK_TYPES (KERN_SOCK_NONBLOCK | KERN_SOCK_CLOEXEC)

static unsigned long sock_last_ino;

/* sock_nonblock: f's O_NONBLOCK, as the network layer takes it. */
static int
sock_nonblock(const struct kern_file *f)
{
	return (f->flags & KERN_O_NONBLOCK) != 0;
}

/* sock_sigpipe: r, with SIGPIPE raised for an EPIPE unless flags say not. */
static long
sock_sigpipe(long r, int flags)
{
	if (r == -KERN_EPIPE && !(flags & KERN_MSG_NOSIGNAL))
		kern_signal_send(kern_thread_self(), SIGPIPE);
	return r;
}

static long
sock_read(struct kern_file *f, void *buf, size_t len)
{
	const struct kern_iovec iov = {buf, len};

	return kern_sock_recv(f->priv, &iov, 1, 0, sock_nonblock(f), NULL, NULL,
			      NULL);
}

static long
sock_write(struct kern_file *f, const void *buf, size_t len)
{
	const struct kern_iovec iov = {(void *)buf, len};

	return sock_sigpipe(
		kern_sock_send(f->priv, &iov, 1, 0, sock_nonblock(f), NULL, 0),
		0);
}

static long
sock_readv(struct kern_file *f, const struct kern_iovec *iov, int n)
{
	return kern_sock_recv(f->priv, iov, (unsigned long)n, 0,
			      sock_nonblock(f), NULL, NULL, NULL);
}

static long
sock_writev(struct kern_file *f, const struct kern_iovec *iov, int n)
{
	return sock_sigpipe(kern_sock_send(f->priv, iov, (unsigned long)n, 0,
					   sock_nonblock(f), NULL, 0),
			    0);
}

static unsigned
sock_poll(struct kern_file *f, struct kern_poll *pt)
{
	return kern_sock_poll(f->priv, pt);
}

static long
sock_ioctl(struct kern_file *f, unsigned long req, long arg)
{
	if (req != FIONREAD)
		return kern_net_ioctl(req, (void *)arg);
	*(int *)arg = (int)kern_sock_nread(f->priv);
	return 0;
}

static long
sock_fstat(struct kern_file *f, struct kern_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->mode = 0140777; /* a socket, rwxrwxrwx */
	st->nlink = 1;
	st->ino = (unsigned long)f->offset; /* its number, kept there */
	st->dev = 8;			    /* sockfs's */
	st->blksize = 4096;
	return 0;
}

static void
sock_release(struct kern_file *f)
{
	kern_sock_close(f->priv);
	rumpuser_free(f, sizeof(*f));
}

static const struct kern_file_ops sock_ops = {
	.read = sock_read,
	.write = sock_write,
	.readv = sock_readv,
	.writev = sock_writev,
	.ioctl = sock_ioctl,
	.fstat = sock_fstat,
	.poll = sock_poll,
	.release = sock_release,
};

/* sock_install: s as an open file on the lowest free fd; fd or -errno. */
static long
sock_install(struct kern_sock *s, long flags)
{
	struct kern_file *f = kern_file_new(
		&sock_ops, KERN_O_RDWR | (int)(flags & KERN_SOCK_NONBLOCK), s);
	long fd;

	if (f == NULL) {
		kern_sock_close(s);
		return -KERN_ENOMEM;
	}
	f->offset = (long)++sock_last_ino;
	fd = kern_fd_install(f, 0, (flags & KERN_SOCK_CLOEXEC) != 0);
	if (fd < 0)
		sock_release(f);
	return fd;
}

/* sock_file: the socket fd names, or NULL with -EBADF or -ENOTSOCK. */
static struct kern_sock *
sock_file(long fd, long *err, struct kern_file **fp)
{
	struct kern_file *f = kern_fd_file(fd);

	*err = f == NULL ? -KERN_EBADF : -KERN_ENOTSOCK;
	if (f == NULL || f->ops != &sock_ops)
		return NULL;
	if (fp != NULL)
		*fp = f;
	return f->priv;
}

long
sys_socket(const long a[6])
{
	struct kern_sock *s;
	long err;

	if (a[1] & ~(long)(SOCK_TYPES | 0xf))
		return -KERN_EINVAL;
	err = kern_sock_new((int)a[0], (int)(a[1] & 0xf), (int)a[2], &s);
	return err != 0 ? err : sock_install(s, a[1]);
}

long
sys_socketpair(const long a[6])
{
	/* AF_INET has no pairs; AF_UNIX comes with the kernel's own. */
	return a[0] == KERN_AF_INET ? -KERN_EOPNOTSUPP : -KERN_EAFNOSUPPORT;
}

long
sys_bind(const long a[6])
{
	long err;
	struct kern_sock *s = sock_file(a[0], &err, NULL);

	return s == NULL
		       ? err
		       : kern_sock_bind(s, (const void *)a[1], (unsigned)a[2]);
}

long
sys_listen(const long a[6])
{
	long err;
	struct kern_sock *s = sock_file(a[0], &err, NULL);

	return s == NULL ? err : kern_sock_listen(s, (int)a[1]);
}

/*
 * sock_held: the socket fd names, with a reference on its file for a
 * call that may wait (kern_file_drop gives it back).
 */
static struct kern_sock *
sock_held(long fd, long *err, struct kern_file **fp)
{
	struct kern_sock *s = sock_file(fd, err, fp);

	if (s != NULL)
		(*fp)->refs++;
	return s;
}

long
sys_accept4(const long a[6])
{
	struct kern_file *f;
	struct kern_sock *s, *c;
	unsigned *len = (unsigned *)a[2];
	long err;

	if (a[3] & ~(long)SOCK_TYPES)
		return -KERN_EINVAL;
	if ((s = sock_held(a[0], &err, &f)) == NULL)
		return err;
	if (!kern_fd_room()) {
		/* As Linux: EMFILE, the connection left waiting. */
		kern_file_drop(f);
		return -KERN_EMFILE;
	}
	err = kern_sock_accept(s, sock_nonblock(f), &c, (void *)a[1],
			       a[1] != 0 ? len : NULL);
	kern_file_drop(f);
	return err != 0 ? err : sock_install(c, a[3]);
}

long
sys_accept(const long a[6])
{
	const long b[6] = {a[0], a[1], a[2], 0};

	return sys_accept4(b);
}

long
sys_connect(const long a[6])
{
	struct kern_file *f;
	struct kern_sock *s;
	long err;

	if ((s = sock_held(a[0], &err, &f)) == NULL)
		return err;
	err = kern_sock_connect(s, (const void *)a[1], (unsigned)a[2],
				sock_nonblock(f));
	kern_file_drop(f);
	return err;
}

long
sys_shutdown(const long a[6])
{
	struct kern_file *f;
	struct kern_sock *s;
	long err;

	if ((s = sock_held(a[0], &err, &f)) == NULL)
		return err; /* held: what TCP_CORK kept goes, which may wait */
	err = kern_sock_shutdown(s, (int)a[1]);
	kern_file_drop(f);
	return err;
}

/* sock_sendmsg: the heart of sendto and sendmsg. */
static long
sock_sendmsg(long fd, const struct kern_iovec *iov, unsigned long n, int flags,
	     const void *addr, unsigned alen)
{
	struct kern_file *f;
	struct kern_sock *s;
	long err;

	if ((s = sock_held(fd, &err, &f)) == NULL)
		return err;
	err = kern_sock_send(s, iov, n, flags, sock_nonblock(f), addr, alen);
	kern_file_drop(f);
	return sock_sigpipe(err, flags);
}

/* sock_recvmsg: the heart of recvfrom and recvmsg. */
static long
sock_recvmsg(long fd, const struct kern_iovec *iov, unsigned long n, int flags,
	     void *addr, unsigned *alen, int *mflags)
{
	struct kern_file *f;
	struct kern_sock *s;
	long err;

	if ((s = sock_held(fd, &err, &f)) == NULL)
		return err;
	err = kern_sock_recv(s, iov, n, flags, sock_nonblock(f), addr, alen,
			     mflags);
	kern_file_drop(f);
	return err;
}

long
sys_sendto(const long a[6])
{
	const struct kern_iovec iov = {(void *)a[1], (unsigned long)a[2]};

	return sock_sendmsg(a[0], &iov, 1, (int)a[3], (const void *)a[4],
			    (unsigned)a[5]);
}

long
sys_recvfrom(const long a[6])
{
	const struct kern_iovec iov = {(void *)a[1], (unsigned long)a[2]};
	void *addr = (void *)a[4];

	return sock_recvmsg(a[0], &iov, 1, (int)a[3], addr,
			    addr != NULL ? (unsigned *)a[5] : NULL, NULL);
}

long
sys_sendmsg(const long a[6])
{
	const struct kern_msghdr *m = (const struct kern_msghdr *)a[1];

	if (m->iovlen > 1024)
		return -KERN_EMSGSIZE;
	/* As Linux: a name of no length is no name. */
	return sock_sendmsg(a[0], m->iov, m->iovlen, (int)a[2],
			    m->namelen != 0 ? m->name : NULL, m->namelen);
}

long
sys_recvmsg(const long a[6])
{
	struct kern_msghdr *m = (struct kern_msghdr *)a[1];
	int mflags = 0;
	long r;

	if (m->iovlen > 1024)
		return -KERN_EMSGSIZE;
	r = sock_recvmsg(a[0], m->iov, m->iovlen, (int)a[2], m->name,
			 m->name != NULL ? &m->namelen : NULL, &mflags);
	if (r >= 0) {
		m->flags = mflags;
		m->controllen = 0; /* no control messages yet */
	}
	return r;
}

/* Linux's struct mmsghdr: a msghdr and what moved for it. */
struct sock_mmsghdr {
	struct kern_msghdr hdr;
	unsigned int len;
};

#define MSG_WAITFORONE 0x10000

long
sys_sendmmsg(const long a[6])
{
	struct sock_mmsghdr *v = (struct sock_mmsghdr *)a[1];
	unsigned n = (unsigned)a[2] > 1024 ? 1024 : (unsigned)a[2];
	unsigned i;

	for (i = 0; i < n; i++) {
		const long m[6] = {a[0], (long)&v[i].hdr, a[3]};
		long r = sys_sendmsg(m);
		if (r < 0)
			return i > 0 ? (long)i : r;
		v[i].len = (unsigned)r;
	}
	return (long)i;
}

long
sys_recvmmsg(const long a[6])
{
	struct sock_mmsghdr *v = (struct sock_mmsghdr *)a[1];
	unsigned n = (unsigned)a[2] > 1024 ? 1024 : (unsigned)a[2];
	long flags = a[3] & ~(long)MSG_WAITFORONE;
	uint64_t deadline = 0, ns;
	unsigned i;

	/* The timeout ends the call between messages, as on Linux. */
	if (a[4] != 0) {
		if (kern_timespec_ns((const struct kern_timespec *)a[4], &ns))
			return -KERN_EINVAL;
		deadline = ns == KERN_NS_FOREVER ? 0 : kern_now() + ns;
	}
	for (i = 0; i < n; i++) {
		const long m[6] = {a[0], (long)&v[i].hdr, flags};
		long r = sys_recvmsg(m);
		if (r < 0)
			return i > 0 ? (long)i : r; /* the error is lost then */
		v[i].len = (unsigned)r;
		if (a[3] & MSG_WAITFORONE)
			flags |= KERN_MSG_DONTWAIT;
		if (deadline != 0 && kern_now() >= deadline) {
			i++;
			break;
		}
	}
	return (long)i;
}

long
sys_getsockname(const long a[6])
{
	long err;
	struct kern_sock *s = sock_file(a[0], &err, NULL);

	return s == NULL ? err
			 : kern_sock_name(s, 0, (void *)a[1], (unsigned *)a[2]);
}

long
sys_getpeername(const long a[6])
{
	long err;
	struct kern_sock *s = sock_file(a[0], &err, NULL);

	return s == NULL ? err
			 : kern_sock_name(s, 1, (void *)a[1], (unsigned *)a[2]);
}

long
sys_setsockopt(const long a[6])
{
	struct kern_file *f;
	struct kern_sock *s;
	long err;

	if ((int)a[4] < 0)
		return -KERN_EINVAL;
	if ((s = sock_held(a[0], &err, &f)) == NULL)
		return err; /* held: unsetting TCP_CORK sends, which may wait */
	err = kern_sock_setopt(s, (int)a[1], (int)a[2], (const void *)a[3],
			       (unsigned)a[4]);
	kern_file_drop(f);
	return err;
}

long
sys_getsockopt(const long a[6])
{
	long err;
	struct kern_sock *s = sock_file(a[0], &err, NULL);

	if (s == NULL)
		return err;
	if (a[4] == 0 || (int)*(unsigned *)a[4] < 0)
		return -KERN_EINVAL;
	return kern_sock_getopt(s, (int)a[1], (int)a[2], (void *)a[3],
				(unsigned *)a[4]);
}
