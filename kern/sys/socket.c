/*
 * The socket system calls (socket, socketpair, bind, listen, accept,
 * accept4, connect, shutdown, sendto, recvfrom, sendmsg, recvmsg,
 * sendmmsg and recvmmsg (each message in turn), getsockname,
 * getpeername, setsockopt, getsockopt) and what every family's sockets
 * share as open files: read, write, readv and writev through the
 * family's sendmsg and recvmsg, fstat (S_IFSOCK). A socket's family is
 * found from its file's operations (sys.h), so each call goes to AF_INET
 * and AF_INET6 (here, over the network layer, kern/net/net.h), AF_UNIX
 * (unix.c) or AF_NETLINK (netlink.c). A send that finds the connection gone is
 * EPIPE and raises SIGPIPE in the caller unless MSG_NOSIGNAL says not to, as on
 * Linux.
 */
#include <string.h>

#include "../net/net.h"
#include "sys.h"

#define SIGPIPE	   13
#define SOCK_TYPES (KERN_SOCK_NONBLOCK | KERN_SOCK_CLOEXEC)
#define UIO_MAXIOV 1024

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

/* sock_family: the family of socket f, or NULL when f is no socket. */
static const struct sys_sock_family *
sock_family(const struct kern_file *f)
{
	if (f->ops->fstat != sys_sock_fstat)
		return NULL;
	return (const struct sys_sock_family *)(const void *)f->ops;
}

long
sys_sock_readv(struct kern_file *f, const struct kern_iovec *iov, int n)
{
	struct kern_msghdr m = {.iov = (struct kern_iovec *)iov,
				.iovlen = (unsigned long)n};

	return sock_family(f)->recvmsg(f, &m, 0);
}

long
sys_sock_writev(struct kern_file *f, const struct kern_iovec *iov, int n)
{
	const struct kern_msghdr m = {.iov = (struct kern_iovec *)iov,
				      .iovlen = (unsigned long)n};

	return sock_sigpipe(sock_family(f)->sendmsg(f, &m, 0), 0);
}

long
sys_sock_read(struct kern_file *f, void *buf, size_t len)
{
	const struct kern_iovec iov = {buf, len};

	return sys_sock_readv(f, &iov, 1);
}

long
sys_sock_write(struct kern_file *f, const void *buf, size_t len)
{
	const struct kern_iovec iov = {(void *)buf, len};

	return sys_sock_writev(f, &iov, 1);
}

long
sys_sock_fstat(struct kern_file *f, struct kern_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->mode = 0140777; /* a socket, rwxrwxrwx */
	st->nlink = 1;
	st->ino = (unsigned long)f->offset; /* its number, kept there */
	st->dev = 8;			    /* sockfs's */
	st->blksize = 4096;
	return 0;
}

struct kern_file *
sys_sock_file_new(const struct sys_sock_family *fam, void *priv)
{
	struct kern_file *f = kern_file_new(&fam->file, KERN_O_RDWR, priv);

	if (f != NULL)
		f->offset = (long)++sock_last_ino;
	return f;
}

/*
 * The Internet family: the network layer's sockets (kern/net/net.h),
 * f->priv each.
 */

static unsigned
inet_poll(struct kern_file *f, struct kern_poll *pt)
{
	return kern_sock_poll(f->priv, pt);
}

static long
inet_room(struct kern_file *f)
{
	return kern_sock_room(f->priv);
}

static long
inet_ioctl(struct kern_file *f, unsigned long req, long arg)
{
	long n;

	if (req != FIONREAD)
		return kern_net_ioctl(req, (void *)arg);
	if ((n = kern_sock_nread(f->priv)) < 0)
		return n;
	*(int *)arg = (int)n;
	return 0;
}

static void
inet_release(struct kern_file *f)
{
	kern_sock_close(f->priv);
	rumpuser_free(f, sizeof(*f));
}

static long
inet_open(int domain, int type, int protocol, struct kern_file **out)
{
	struct kern_sock *s;
	long err = kern_sock_new(domain, type, protocol, &s);

	if (err != 0)
		return err;
	if ((*out = sys_sock_file_new(&sys_sock_inet, s)) == NULL) {
		kern_sock_close(s);
		return -KERN_ENOMEM;
	}
	return 0;
}

static long
inet_pair(int type, int protocol, struct kern_file *out[2])
{
	(void)protocol, (void)out;
	if (type != KERN_SOCK_STREAM && type != KERN_SOCK_DGRAM)
		return -KERN_ESOCKTNOSUPPORT; /* no such socket to pair */
	return -KERN_EOPNOTSUPP; /* as Linux: AF_INET has no pairs */
}

static long
inet_bind(struct kern_file *f, const void *addr, unsigned len)
{
	return kern_sock_bind(f->priv, addr, len);
}

static long
inet_listen(struct kern_file *f, int backlog)
{
	return kern_sock_listen(f->priv, backlog);
}

static long
inet_accept(struct kern_file *f, struct kern_file **out, void *addr,
	    unsigned *len)
{
	struct kern_sock *c;
	long err = kern_sock_accept(f->priv, sock_nonblock(f), &c, addr, len);

	if (err != 0)
		return err;
	if ((*out = sys_sock_file_new(&sys_sock_inet, c)) == NULL) {
		kern_sock_close(c);
		return -KERN_ENOMEM;
	}
	return 0;
}

static long
inet_connect(struct kern_file *f, const void *addr, unsigned len)
{
	return kern_sock_connect(f->priv, addr, len, sock_nonblock(f));
}

static long
inet_sendmsg(struct kern_file *f, const struct kern_msghdr *m, int flags)
{
	return kern_sock_send(f->priv, m->iov, m->iovlen, flags,
			      sock_nonblock(f), m->name, m->namelen);
}

static long
inet_recvmsg(struct kern_file *f, struct kern_msghdr *m, int flags)
{
	m->controllen = 0; /* no control messages */
	return kern_sock_recv(f->priv, m->iov, m->iovlen, flags,
			      sock_nonblock(f), m->name,
			      m->name != NULL ? &m->namelen : NULL, &m->flags);
}

static long
inet_shutdown(struct kern_file *f, int how)
{
	return kern_sock_shutdown(f->priv, how);
}

static long
inet_name(struct kern_file *f, int peer, void *addr, unsigned *len)
{
	return kern_sock_name(f->priv, peer, addr, len);
}

static long
inet_setopt(struct kern_file *f, int level, int name, const void *val,
	    unsigned len)
{
	return kern_sock_setopt(f->priv, level, name, val, len);
}

static long
inet_getopt(struct kern_file *f, int level, int name, void *val, unsigned *len)
{
	return kern_sock_getopt(f->priv, level, name, val, len);
}

const struct sys_sock_family sys_sock_inet = {
	.file = {.read = sys_sock_read,
		 .write = sys_sock_write,
		 .readv = sys_sock_readv,
		 .writev = sys_sock_writev,
		 .ioctl = inet_ioctl,
		 .fstat = sys_sock_fstat,
		 .poll = inet_poll,
		 .room = inet_room,
		 .release = inet_release},
	.open = inet_open,
	.pair = inet_pair,
	.bind = inet_bind,
	.listen = inet_listen,
	.accept = inet_accept,
	.connect = inet_connect,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
	.shutdown = inet_shutdown,
	.name = inet_name,
	.setopt = inet_setopt,
	.getopt = inet_getopt,
};

/* The system calls. */

/* sock_install: socket f on the lowest free fd with flags; fd or -errno. */
static long
sock_install(struct kern_file *f, long flags)
{
	long fd;

	if (flags & KERN_SOCK_NONBLOCK)
		f->flags |= KERN_O_NONBLOCK;
	fd = kern_fd_install(f, 0, (flags & KERN_SOCK_CLOEXEC) != 0);
	if (fd < 0)
		kern_file_drop(f);
	return fd;
}

/* sock_domain: the family of domain, or NULL (EAFNOSUPPORT). */
static const struct sys_sock_family *
sock_domain(long domain)
{
	if (domain == KERN_AF_INET || domain == KERN_AF_INET6)
		return &sys_sock_inet;
	if (domain == KERN_AF_UNIX)
		return &sys_sock_unix;
	if (domain == KERN_AF_NETLINK)
		return &sys_sock_netlink;
	return NULL;
}

/*
 * sock_held: the socket fd names and its family, with a reference on its
 * file for a call that may wait (kern_file_drop gives it back); NULL
 * with -EBADF or -ENOTSOCK in *err.
 */
static const struct sys_sock_family *
sock_held(long fd, long *err, struct kern_file **fp)
{
	struct kern_file *f = kern_fd_file(fd);
	const struct sys_sock_family *fam = f != NULL ? sock_family(f) : NULL;

	*err = f == NULL ? -KERN_EBADF : -KERN_ENOTSOCK;
	if (fam == NULL)
		return NULL;
	f->refs++;
	*fp = f;
	return fam;
}

long
sys_socket(const long a[6])
{
	const struct sys_sock_family *fam = sock_domain(a[0]);
	struct kern_file *f;
	long err;

	if (a[1] & ~(long)(SOCK_TYPES | 0xf))
		return -KERN_EINVAL;
	if (fam == NULL)
		return -KERN_EAFNOSUPPORT;
	err = fam->open((int)a[0], (int)(a[1] & 0xf), (int)a[2], &f);
	return err != 0 ? err : sock_install(f, a[1]);
}

long
sys_socketpair(const long a[6])
{
	const struct sys_sock_family *fam = sock_domain(a[0]);
	struct kern_file *f[2];
	int *sv = (int *)a[3];
	long err, fd0;

	if (a[1] & ~(long)(SOCK_TYPES | 0xf))
		return -KERN_EINVAL;
	if (fam == NULL)
		return -KERN_EAFNOSUPPORT;
	err = fam->pair((int)(a[1] & 0xf), (int)a[2], f);
	if (err != 0)
		return err;
	if ((fd0 = sock_install(f[0], a[1])) < 0) {
		kern_file_drop(f[1]);
		return fd0;
	}
	if ((err = sock_install(f[1], a[1])) < 0) {
		const long c[6] = {fd0};
		sys_close(c);
		return err;
	}
	sv[0] = (int)fd0;
	sv[1] = (int)err;
	return 0;
}

long
sys_bind(const long a[6])
{
	struct kern_file *f;
	long err;
	const struct sys_sock_family *fam = sock_held(a[0], &err, &f);

	if (fam == NULL)
		return err;
	err = fam->bind(f, (const void *)a[1], (unsigned)a[2]);
	kern_file_drop(f);
	return err;
}

long
sys_listen(const long a[6])
{
	struct kern_file *f;
	long err;
	const struct sys_sock_family *fam = sock_held(a[0], &err, &f);

	if (fam == NULL)
		return err;
	err = fam->listen(f, (int)a[1]);
	kern_file_drop(f);
	return err;
}

long
sys_accept4(const long a[6])
{
	struct kern_file *f, *c;
	long err;
	const struct sys_sock_family *fam;

	if (a[3] & ~(long)SOCK_TYPES)
		return -KERN_EINVAL;
	if ((fam = sock_held(a[0], &err, &f)) == NULL)
		return err;
	if (!kern_fd_room()) {
		/* As Linux: EMFILE, the connection left waiting. */
		kern_file_drop(f);
		return -KERN_EMFILE;
	}
	err = fam->accept(f, &c, (void *)a[1],
			  a[1] != 0 ? (unsigned *)a[2] : NULL);
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
	long err;
	const struct sys_sock_family *fam = sock_held(a[0], &err, &f);

	if (fam == NULL)
		return err;
	err = fam->connect(f, (const void *)a[1], (unsigned)a[2]);
	kern_file_drop(f);
	return err;
}

long
sys_shutdown(const long a[6])
{
	struct kern_file *f;
	long err;
	const struct sys_sock_family *fam = sock_held(a[0], &err, &f);

	if (fam == NULL)
		return err; /* held: what TCP_CORK kept goes, which may wait */
	err = fam->shutdown(f, (int)a[1]);
	kern_file_drop(f);
	return err;
}

/* sock_sendmsg: the heart of sendto, sendmsg and write. */
static long
sock_sendmsg(long fd, const struct kern_msghdr *m, int flags)
{
	struct kern_file *f;
	long err;
	const struct sys_sock_family *fam = sock_held(fd, &err, &f);

	if (fam == NULL)
		return err;
	err = fam->sendmsg(f, m, flags);
	kern_file_drop(f);
	return sock_sigpipe(err, flags);
}

/* sock_recvmsg: the heart of recvfrom and recvmsg. */
static long
sock_recvmsg(long fd, struct kern_msghdr *m, int flags)
{
	struct kern_file *f;
	long err;
	const struct sys_sock_family *fam = sock_held(fd, &err, &f);

	if (fam == NULL)
		return err;
	m->flags = 0;
	err = fam->recvmsg(f, m, flags);
	kern_file_drop(f);
	return err;
}

long
sys_sendto(const long a[6])
{
	struct kern_iovec iov = {(void *)a[1], (unsigned long)a[2]};
	const struct kern_msghdr m = {
		.name = a[5] != 0 ? (void *)a[4] : NULL,
		.namelen = (unsigned)a[5],
		.iov = &iov,
		.iovlen = 1,
	};

	return sock_sendmsg(a[0], &m, (int)a[3]);
}

long
sys_recvfrom(const long a[6])
{
	struct kern_iovec iov = {(void *)a[1], (unsigned long)a[2]};
	unsigned *alen = (unsigned *)a[5];
	struct kern_msghdr m = {.iov = &iov, .iovlen = 1};
	long r;

	if (a[4] != 0) {
		m.name = (void *)a[4];
		m.namelen = *alen;
	}
	r = sock_recvmsg(a[0], &m, (int)a[3]);
	if (r >= 0 && a[4] != 0)
		*alen = m.namelen;
	return r;
}

long
sys_sendmsg(const long a[6])
{
	struct kern_msghdr m = *(const struct kern_msghdr *)a[1];

	if (m.iovlen > UIO_MAXIOV)
		return -KERN_EMSGSIZE;
	if (m.namelen == 0)
		m.name = NULL; /* as Linux: a name of no length is no name */
	if (m.controllen == 0)
		m.control = NULL;
	return sock_sendmsg(a[0], &m, (int)a[2]);
}

long
sys_recvmsg(const long a[6])
{
	struct kern_msghdr *um = (struct kern_msghdr *)a[1];
	struct kern_msghdr m = *um;
	long r;

	if (m.iovlen > UIO_MAXIOV)
		return -KERN_EMSGSIZE;
	if (m.control == NULL)
		m.controllen = 0;
	r = sock_recvmsg(a[0], &m, (int)a[2]);
	if (r >= 0) {
		if (um->name != NULL)
			um->namelen = m.namelen;
		um->controllen = m.controllen;
		um->flags = m.flags;
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

/* sock_name: getsockname (peer 0) and getpeername. */
static long
sock_name(const long a[6], int peer)
{
	struct kern_file *f;
	long err;
	const struct sys_sock_family *fam = sock_held(a[0], &err, &f);

	if (fam == NULL)
		return err;
	if ((int)*(unsigned *)a[2] < 0)
		err = -KERN_EINVAL;
	else
		err = fam->name(f, peer, (void *)a[1], (unsigned *)a[2]);
	kern_file_drop(f);
	return err;
}

long
sys_getsockname(const long a[6])
{
	return sock_name(a, 0);
}

long
sys_getpeername(const long a[6])
{
	return sock_name(a, 1);
}

long
sys_setsockopt(const long a[6])
{
	struct kern_file *f;
	long err;
	const struct sys_sock_family *fam;

	if ((int)a[4] < 0)
		return -KERN_EINVAL;
	if ((fam = sock_held(a[0], &err, &f)) == NULL)
		return err; /* held: unsetting TCP_CORK sends, which may wait */
	err = fam->setopt(f, (int)a[1], (int)a[2], (const void *)a[3],
			  (unsigned)a[4]);
	kern_file_drop(f);
	return err;
}

long
sys_getsockopt(const long a[6])
{
	struct kern_file *f;
	long err;
	const struct sys_sock_family *fam = sock_held(a[0], &err, &f);

	if (fam == NULL)
		return err;
	if (a[4] == 0 || (int)*(unsigned *)a[4] < 0)
		err = -KERN_EINVAL;
	else
		err = fam->getopt(f, (int)a[1], (int)a[2], (void *)a[3],
				  (unsigned *)a[4]);
	kern_file_drop(f);
	return err;
}
