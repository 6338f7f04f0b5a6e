/*
 * AF_UNIX sockets, the kernel's own (not lwIP's): stream, datagram and
 * seqpacket; socketpair; names that are paths (a socket node in the VFS,
 * which stat shows as S_IFSOCK and which outlives the socket, as on
 * Linux) or abstract (a leading NUL; autobind picks "\0XXXXX");
 * connections queued on their listener until accepted (a connect
 * returns at once, so the client may send before the accept; a full
 * backlog makes it wait); poll as Linux's unix_poll and unix_dgram_poll
 * give it; shutdown, which tells the peer; and the family's operations
 * for socket.c. What moves, and the files passed, is unixmsg.c's; the
 * options are unixopt.c's. Behaviour and errno values are Linux's, in
 * Linux's order where two could apply.
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "unix.h"

#define SOMAXCONN 4096
#define TIOCOUTQ  0x5411

/* The bound sockets, searched by name (few, in a unikernel). */
static struct unix_sock *unix_bound;
static unsigned unix_autoname;

static struct unix_sock *
unix_alloc(int type)
{
	struct unix_sock *s;
	void *m;

	if (rumpuser_malloc(sizeof(*s), 0, &m) != 0)
		return NULL;
	s = m;
	memset(s, 0, sizeof(*s));
	s->type = type;
	s->refs = 1;
	s->rx_tail = &s->rx;
	s->acceptq_tail = &s->acceptq;
	s->sndbuf = s->rcvbuf = UNIX_BUF;
	s->rcvlowat = 1;
	unix_all_add(s);
	return s;
}

static void
unix_name_put(struct unix_name *n)
{
	if (n != NULL && --n->refs == 0)
		rumpuser_free(n, sizeof(*n));
}

void
unix_put(struct unix_sock *s)
{
	if (--s->refs != 0)
		return;
	unix_name_put(s->name);
	if (s->vp != NULL)
		vnode_put(s->vp);
	unix_all_remove(s);
	kern_waitq_detach(&s->q);
	rumpuser_free(s, sizeof(*s));
}

/* unix_unbind: s can no longer be found by its name. */
static void
unix_unbind(struct unix_sock *s)
{
	struct unix_sock **pp;

	for (pp = &unix_bound; *pp != NULL; pp = &(*pp)->bound)
		if (*pp == s) {
			*pp = s->bound;
			return;
		}
}

/* unix_purge: what s held to read goes (taken first, then freed). */
static void
unix_purge(struct unix_sock *s)
{
	struct unix_msg *m = s->rx;

	s->rx = NULL;
	s->rx_tail = &s->rx;
	s->rx_len = 0;
	s->rx_count = 0;
	while (m != NULL) {
		struct unix_msg *next = m->next;
		unix_msg_free(m);
		m = next;
	}
	kern_waitq_wake(&s->q);
}

/*
 * unix_kill: s's file is gone (or, embryo, its listener's queue with it
 * unaccepted): its connections end, its peer sees the end (and a reset
 * if s dies with bytes unread or unaccepted), what it held goes.
 */
static void
unix_kill(struct unix_sock *s, int embryo)
{
	struct unix_sock *peer = s->peer, *c;
	const struct unix_msg *m;

	s->dead = 1;
	unix_unbind(s);
	while ((c = s->acceptq) != NULL) {
		s->acceptq = c->next;
		unix_kill(c, 1);
		unix_put(c);
	}
	if (peer != NULL) {
		s->peer = NULL;
		if (s->type != KERN_SOCK_DGRAM) {
			peer->shut = UNIX_RCV | UNIX_SEND;
			/* as Linux: anything unread but one empty message */
			m = s->rx;
			if ((m != NULL &&
			     (m->len > m->off || m->next != NULL)) ||
			    embryo)
				peer->err = -KERN_ECONNRESET;
			kern_waitq_wake(&peer->q);
		}
		unix_put(peer);
	}
	unix_purge(s);
}

uint64_t
unix_deadline(uint64_t timeo)
{
	return timeo == 0 ? 0 : kern_now() + timeo;
}

long
unix_wait(struct kern_waitq *q, int nonblock, uint64_t deadline)
{
	if (nonblock || (deadline != 0 && kern_now() >= deadline))
		return -KERN_EAGAIN;
	int err = kern_waitq_wait(q, deadline);
	return err == -KERN_ETIMEDOUT ? -KERN_EAGAIN : err;
}

void
unix_name_out(const struct unix_name *name, void *addr, unsigned *len)
{
	static const struct unix_name none = {
		.len = UNIX_PATH_OFF,
		.addr = {KERN_AF_UNIX},
	};
	const struct unix_name *n = name != NULL ? name : &none;

	memcpy(addr, n->addr, *len < n->len ? *len : n->len);
	*len = n->len;
}

/*
 * unix_addr_check: addr is an AF_UNIX address with a name (a path or an
 * abstract one): 0 or -EINVAL, as Linux's unix_validate_addr.
 */
static long
unix_addr_check(const void *addr, unsigned len)
{
	if (len <= UNIX_PATH_OFF || len > UNIX_ADDR_MAX ||
	    *(const unsigned short *)addr != KERN_AF_UNIX)
		return -KERN_EINVAL;
	return 0;
}

/*
 * unix_path: the path of address addr (not abstract) into buf, NUL-
 * terminated; the whole name's length as getsockname gives it.
 */
static unsigned
unix_path(const void *addr, unsigned len, char buf[UNIX_ADDR_MAX])
{
	size_t n = strnlen((const char *)addr + UNIX_PATH_OFF,
			   len - UNIX_PATH_OFF);

	memcpy(buf, (const char *)addr + UNIX_PATH_OFF, n);
	buf[n] = 0;
	return (unsigned)(UNIX_PATH_OFF + n + 1);
}

/*
 * unix_abstract_find: the live socket of type bound to abstract name
 * addr (as Linux's, an abstract name is one per type).
 */
static struct unix_sock *
unix_abstract_find(const void *addr, unsigned len, int type)
{
	struct unix_sock *s;

	for (s = unix_bound; s != NULL; s = s->bound)
		if (s->vp == NULL && s->type == type && s->name->len == len &&
		    memcmp(s->name->addr, addr, len) == 0)
			return s;
	return NULL;
}

long
unix_find(const void *addr, unsigned len, int type, struct unix_sock **out)
{
	struct unix_sock *s = NULL;
	long err = unix_addr_check(addr, len);

	if (err != 0)
		return err;
	if (((const char *)addr)[UNIX_PATH_OFF] == 0) {
		s = unix_abstract_find(addr, len, type);
	} else {
		char path[UNIX_ADDR_MAX];
		struct vfs_path p;
		unix_path(addr, len, path);
		if ((err = vfs_lookup(AT_FDCWD, path, VFS_FOLLOW, &p)) != 0)
			return err;
		if ((p.vp->mode & S_IFMT) == S_IFSOCK)
			for (s = unix_bound; s != NULL; s = s->bound)
				if (s->vp == p.vp)
					break;
		vfs_path_done(&p);
	}
	if (s == NULL)
		return -KERN_ECONNREFUSED;
	if (s->type != type)
		return -KERN_EPROTOTYPE;
	s->refs++;
	*out = s;
	return 0;
}

/* unix_name_new: a name of addr's first len bytes; NULL without memory. */
static struct unix_name *
unix_name_new(const void *addr, unsigned len)
{
	struct unix_name *n;
	void *m;

	if (rumpuser_malloc(sizeof(*n), 0, &m) != 0)
		return NULL;
	n = m;
	memset(n, 0, sizeof(*n));
	n->refs = 1;
	n->len = len;
	memcpy(n->addr, addr, len);
	return n;
}

/* unix_bind_name: s is bound to n (taken over), at vp if not NULL. */
static void
unix_bind_name(struct unix_sock *s, struct unix_name *n, struct vnode *vp)
{
	s->name = n;
	s->vp = vp;
	s->bound = unix_bound;
	unix_bound = s;
}

long
unix_autobind(struct unix_sock *s)
{
	char addr[UNIX_PATH_OFF + 6] = {KERN_AF_UNIX};
	static const char hex[] = "0123456789abcdef";
	struct unix_name *n;
	unsigned tries;

	if (s->name != NULL)
		return 0;
	for (tries = 0; tries <= 0xfffff; tries++) {
		unsigned v = unix_autoname++ & 0xfffff;
		for (int i = 0; i < 5; i++)
			addr[UNIX_PATH_OFF + 5 - i] = hex[(v >> (4 * i)) & 0xf];
		if (unix_abstract_find(addr, sizeof(addr), s->type) == NULL)
			break;
	}
	if (tries > 0xfffff)
		return -KERN_ENOSPC; /* as Linux, every name taken */
	if ((n = unix_name_new(addr, sizeof(addr))) == NULL)
		return -KERN_ENOMEM;
	unix_bind_name(s, n, NULL);
	return 0;
}

/* unix_bind_path: s bound to a new socket node at path. */
static long
unix_bind_path(struct unix_sock *s, const void *addr, unsigned len)
{
	char path[UNIX_ADDR_MAX];
	struct unix_name *n;
	struct vfs_path p;
	struct vnode *vp;
	unsigned nlen = unix_path(addr, len, path);
	long err = vfs_lookup(AT_FDCWD, path, VFS_PARENT, &p);

	if (err != 0)
		return err;
	if (p.vp != NULL)
		err = -KERN_EADDRINUSE;
	else if (p.dir->nlink == 0)
		err = -KERN_ENOENT; /* a removed directory */
	else if (s->name != NULL)
		err = -KERN_EINVAL; /* Linux finds it after the node's checks */
	else if ((n = unix_name_new(addr, nlen > len ? len : nlen)) == NULL)
		err = -KERN_ENOMEM;
	else if ((err = p.dir->ops->create(p.dir, p.name, p.len,
					   S_IFSOCK | (0777 & ~vfs_umask(0, 0)),
					   0, &vp)) != 0)
		unix_name_put(n);
	else {
		n->len = nlen; /* with the path's NUL, as Linux says it */
		n->addr[nlen - 1] = 0;
		unix_bind_name(s, n, vp);
	}
	vfs_path_done(&p);
	return err;
}

static long
unix_bind(struct kern_file *f, const void *addr, unsigned len)
{
	struct unix_sock *s = f->priv;
	struct unix_name *n;
	long err;

	if (len == UNIX_PATH_OFF &&
	    *(const unsigned short *)addr == KERN_AF_UNIX)
		return unix_autobind(s);
	if ((err = unix_addr_check(addr, len)) != 0)
		return err;
	if (((const char *)addr)[UNIX_PATH_OFF] != 0) {
		vfs_ns_enter();
		err = unix_bind_path(s, addr, len);
		vfs_ns_leave();
		return err;
	}
	if (s->name != NULL)
		return -KERN_EINVAL;
	if (unix_abstract_find(addr, len, s->type) != NULL)
		return -KERN_EADDRINUSE;
	if ((n = unix_name_new(addr, len)) == NULL)
		return -KERN_ENOMEM;
	unix_bind_name(s, n, NULL);
	return 0;
}

static long
unix_listen(struct kern_file *f, int backlog)
{
	struct unix_sock *s = f->priv;

	if (s->type == KERN_SOCK_DGRAM)
		return -KERN_EOPNOTSUPP;
	if (s->name == NULL || s->state == UNIX_CONNECTED)
		return -KERN_EINVAL; /* no listening unbound, or connected */
	s->backlog = (unsigned)backlog > SOMAXCONN ? SOMAXCONN : backlog;
	s->state = UNIX_LISTENING;
	s->has_cred = 1;
	kern_waitq_wake(&s->q); /* connects waiting for room look again */
	return 0;
}

/* unix_open_sock: a new socket of Linux's type (SOCK_RAW is DGRAM). */
static long
unix_open_sock(int type, int protocol, struct unix_sock **out)
{
	if (protocol != 0 && protocol != KERN_AF_UNIX)
		return -KERN_EPROTONOSUPPORT;
	if (type == KERN_SOCK_RAW)
		type = KERN_SOCK_DGRAM;
	if (type != KERN_SOCK_STREAM && type != KERN_SOCK_DGRAM &&
	    type != KERN_SOCK_SEQPACKET)
		return -KERN_ESOCKTNOSUPPORT;
	if ((*out = unix_alloc(type)) == NULL)
		return -KERN_ENOMEM;
	return 0;
}

/* unix_file: an open file of s (its reference taken over). */
static long
unix_file(struct unix_sock *s, struct kern_file **out)
{
	if ((*out = sys_sock_file_new(&sys_sock_unix, s)) == NULL) {
		unix_kill(s, 0);
		unix_put(s);
		return -KERN_ENOMEM;
	}
	s->file = *out;
	return 0;
}

static long
unix_open(int domain, int type, int protocol, struct kern_file **out)
{
	(void)domain;
	struct unix_sock *s;
	long err = unix_open_sock(type, protocol, &s);

	return err != 0 ? err : unix_file(s, out);
}

/* unix_join: a and b are connected to each other. */
static void
unix_join(struct unix_sock *a, struct unix_sock *b)
{
	a->peer = b;
	b->peer = a;
	a->refs++;
	b->refs++;
	a->state = b->state = UNIX_CONNECTED;
	a->has_cred = b->has_cred = 1;
}

static long
unix_pair(int type, int protocol, struct kern_file *out[2])
{
	struct unix_sock *a, *b;
	long err = unix_open_sock(type, protocol, &a);

	if (err != 0)
		return err;
	if ((err = unix_open_sock(type, protocol, &b)) != 0) {
		unix_put(a);
		return err;
	}
	unix_join(a, b);
	if ((err = unix_file(a, &out[0])) != 0) {
		unix_kill(b, 0);
		unix_put(b);
		return err;
	}
	if ((err = unix_file(b, &out[1])) != 0)
		kern_file_drop(out[0]);
	return err;
}

/* unix_backlog_full: listener l has as many connections waiting as it may
 * (Linux lets one more than the backlog wait). */
static int
unix_backlog_full(const struct unix_sock *l)
{
	return l->nacc > l->backlog;
}

/* unix_connect_stream: a connection to the listener at addr, queued. */
static long
unix_connect_stream(struct kern_file *f, const void *addr, unsigned len)
{
	struct unix_sock *s = f->priv, *l, *c;
	uint64_t deadline = unix_deadline(s->sndtimeo);
	long err;

	if ((err = unix_addr_check(addr, len)) != 0)
		return err;
	if (s->passcred && (err = unix_autobind(s)) != 0)
		return err;
	for (;;) {
		if ((err = unix_find(addr, len, s->type, &l)) != 0)
			return err;
		if (l->state != UNIX_LISTENING || (l->shut & UNIX_RCV))
			err = -KERN_ECONNREFUSED;
		else if (!unix_backlog_full(l))
			break;
		else
			err = unix_wait(&l->q, f->flags & KERN_O_NONBLOCK,
					deadline);
		unix_put(l);
		if (err != 0)
			return err;
	}
	if (s->state != UNIX_NEW) {
		unix_put(l);
		return s->state == UNIX_CONNECTED ? -KERN_EISCONN
						  : -KERN_EINVAL;
	}
	if ((c = unix_alloc(s->type)) == NULL) {
		unix_put(l);
		return -KERN_ENOMEM;
	}
	/* The accepted socket's name is its listener's, as on Linux. */
	c->name = l->name;
	c->name->refs++;
	c->sndbuf = l->sndbuf;
	c->rcvbuf = l->rcvbuf;
	c->passcred = l->passcred;
	unix_join(s, c);
	*l->acceptq_tail = c; /* c's reference is the queue's */
	l->acceptq_tail = &c->next;
	l->nacc++;
	kern_waitq_wake(&l->q);
	unix_put(l);
	return 0;
}

/*
 * unix_connect_dgram: addr becomes s's peer, the only one it hears from
 * and where sends without an address go; AF_UNSPEC ends that. A change
 * of peer drops what s held to read, as Linux's does.
 */
static long
unix_connect_dgram(struct kern_file *f, const void *addr, unsigned len)
{
	struct unix_sock *s = f->priv, *other = NULL, *old = s->peer;
	long err;

	if (len < UNIX_PATH_OFF)
		return -KERN_EINVAL;
	if (*(const unsigned short *)addr != KERN_AF_UNSPEC) {
		if ((err = unix_addr_check(addr, len)) != 0)
			return err;
		if (s->passcred && (err = unix_autobind(s)) != 0)
			return err;
		if ((err = unix_find(addr, len, s->type, &other)) != 0)
			return err;
		if (other->peer != NULL && other->peer != s) {
			unix_put(other);
			return -KERN_EPERM;
		}
	}
	s->peer = other;
	s->state = other != NULL ? UNIX_CONNECTED : UNIX_NEW;
	kern_waitq_wake(&s->q); /* pollers waited on the old peer's room */
	if (old == NULL)
		return 0;
	if (old != other)
		unix_dgram_disconnected(s, old);
	unix_put(old);
	return 0;
}

void
unix_dgram_disconnected(struct unix_sock *s, struct unix_sock *old)
{
	if (s->rx == NULL)
		return;
	unix_purge(s);
	if (!old->dead && old->peer == s)
		old->err = -KERN_ECONNRESET;
}

static long
unix_connect(struct kern_file *f, const void *addr, unsigned len)
{
	struct unix_sock *s = f->priv;

	if (s->type == KERN_SOCK_DGRAM)
		return unix_connect_dgram(f, addr, len);
	return unix_connect_stream(f, addr, len);
}

static long
unix_accept(struct kern_file *f, struct kern_file **out, void *addr,
	    unsigned *len)
{
	struct unix_sock *s = f->priv, *c;
	uint64_t deadline = unix_deadline(s->rcvtimeo);
	long err;

	if (s->type == KERN_SOCK_DGRAM)
		return -KERN_EOPNOTSUPP;
	for (;;) {
		if (s->state != UNIX_LISTENING)
			return -KERN_EINVAL;
		if (s->acceptq != NULL)
			break;
		if (s->err != 0) {
			err = s->err;
			s->err = 0;
			return err;
		}
		/* As Linux: a shut listener's accept is EINVAL, but only
		 * where it would wait. */
		if ((s->shut & UNIX_RCV) && !(f->flags & KERN_O_NONBLOCK))
			return -KERN_EINVAL;
		err = unix_wait(&s->q, f->flags & KERN_O_NONBLOCK, deadline);
		if (err != 0)
			return err;
	}
	if (!kern_fd_room())
		return -KERN_EMFILE; /* filled while it waited: left queued */
	c = s->acceptq;
	if ((s->acceptq = c->next) == NULL)
		s->acceptq_tail = &s->acceptq;
	s->nacc--;
	c->next = NULL;
	kern_waitq_wake(&s->q); /* room for a waiting connect */
	if (addr != NULL)
		unix_name_out(c->peer != NULL ? c->peer->name : NULL, addr,
			      len);
	return unix_file(c, out);
}

static long
unix_shutdown(struct kern_file *f, int how)
{
	struct unix_sock *s = f->priv, *peer = s->peer;
	int mode, peer_mode = 0;

	if (how < KERN_SHUT_RD || how > KERN_SHUT_RDWR)
		return -KERN_EINVAL;
	mode = how + 1; /* UNIX_RCV, UNIX_SEND or both */
	s->shut |= mode;
	kern_waitq_wake(&s->q);
	if (peer != NULL && s->type != KERN_SOCK_DGRAM) {
		if (mode & UNIX_RCV)
			peer_mode |= UNIX_SEND;
		if (mode & UNIX_SEND)
			peer_mode |= UNIX_RCV;
		peer->shut |= peer_mode;
		kern_waitq_wake(&peer->q);
	}
	return 0;
}

static long
unix_name(struct kern_file *f, int peer, void *addr, unsigned *len)
{
	struct unix_sock *s = f->priv;

	if (peer && s->peer == NULL)
		return -KERN_ENOTCONN;
	unix_name_out(peer ? s->peer->name : s->name, addr, len);
	return 0;
}

/* unix_writable: s may send now (Linux's unix_writable). */
static int
unix_writable(const struct unix_sock *s)
{
	return s->state != UNIX_LISTENING && s->wmem * 4 <= (size_t)s->sndbuf;
}

static unsigned
unix_poll(struct kern_file *f, struct kern_poll *pt)
{
	struct unix_sock *s = f->priv;
	unsigned ev = 0;

	kern_poll_wait(pt, &s->q);
	if (s->err != 0)
		ev |= KERN_POLLERR;
	if (s->shut == (UNIX_RCV | UNIX_SEND))
		ev |= KERN_POLLHUP;
	if (s->shut & UNIX_RCV)
		ev |= KERN_POLLRDHUP | KERN_POLLIN | KERN_POLLRDNORM;
	if (s->rx != NULL || s->acceptq != NULL)
		ev |= KERN_POLLIN | KERN_POLLRDNORM;
	if (s->type != KERN_SOCK_DGRAM && s->state == UNIX_NEW)
		ev |= KERN_POLLHUP;
	if (!unix_writable(s))
		return ev;
	if (s->type == KERN_SOCK_DGRAM && s->peer != NULL) {
		/* A peer's full queue: its reads free room, and wake us. */
		kern_poll_wait(pt, &s->peer->q);
		if (unix_dgram_full(s, s->peer))
			return ev;
	}
	return ev | KERN_POLLOUT | KERN_POLLWRNORM;
}

static long
unix_ioctl(struct kern_file *f, unsigned long req, long arg)
{
	struct unix_sock *s = f->priv;

	if (req == FIONREAD) {
		if (s->state == UNIX_LISTENING)
			return -KERN_EINVAL;
		if (s->type != KERN_SOCK_DGRAM) /* seqpacket too, as Linux */
			*(int *)arg = (int)s->rx_len;
		else
			*(int *)arg = s->rx != NULL ? (int)s->rx->len : 0;
		return 0;
	}
	if (req == TIOCOUTQ) {
		*(int *)arg = (int)s->wmem;
		return 0;
	}
	return -KERN_ENOTTY;
}

static void
unix_release(struct kern_file *f)
{
	struct unix_sock *s = f->priv;

	s->file = NULL;
	unix_kill(s, 0);
	unix_put(s);
	rumpuser_free(f, sizeof(*f));
	unix_gc(); /* cycles in flight that this held from outside */
}

const struct sys_sock_family sys_sock_unix = {
	.file = {.read = sys_sock_read,
		 .write = sys_sock_write,
		 .readv = sys_sock_readv,
		 .writev = sys_sock_writev,
		 .ioctl = unix_ioctl,
		 .fstat = sys_sock_fstat,
		 .poll = unix_poll,
		 .release = unix_release},
	.open = unix_open,
	.pair = unix_pair,
	.bind = unix_bind,
	.listen = unix_listen,
	.accept = unix_accept,
	.connect = unix_connect,
	.sendmsg = unix_sendmsg,
	.recvmsg = unix_recvmsg,
	.shutdown = unix_shutdown,
	.name = unix_name,
	.setopt = unix_setopt,
	.getopt = unix_getopt,
};
