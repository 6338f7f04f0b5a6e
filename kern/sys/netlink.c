/*
 * AF_NETLINK sockets of protocol NETLINK_ROUTE, as far as programs ask
 * them about the interfaces: a dump request for the links (RTM_GETLINK)
 * or the addresses (RTM_GETADDR, of one family or all) is answered at
 * once, one message a datagram, from kern_net_link (kern/net/ifreq.c),
 * each flagged NLM_F_MULTI, then NLMSG_DONE; anything else gets
 * NLMSG_ERROR with EOPNOTSUPP, as a request for what we do not keep
 * (routes, neighbours, changes). musl's if_nameindex and getifaddrs, and
 * glibc's, are such programs. A reply is queued whole or not at all, and
 * at most NL_RCVBUF bytes wait (ENOBUFS for a request past that). No
 * events are ever sent: a socket bound to groups hears nothing.
 */
#include <string.h>

#include "../net/net.h"
#include "sys.h"

#define NL_ROUTE       0 /* NETLINK_ROUTE */
#define NL_HDR	       16
#define NL_ALIGN(n)    (((n) + 3u) & ~3u)
#define NLMSG_ERROR    2
#define NLMSG_DONE     3
#define NLM_F_REQUEST  0x1
#define NLM_F_MULTI    0x2
#define NLM_F_DUMP     0x300
#define RTM_NEWLINK    16
#define RTM_GETLINK    18
#define RTM_NEWADDR    20
#define RTM_GETADDR    22
#define IFLA_ADDRESS   1
#define IFLA_BROADCAST 2
#define IFLA_IFNAME    3
#define IFLA_MTU       4
#define IFA_ADDRESS    1
#define IFA_LOCAL      2
#define IFA_LABEL      3
#define IFA_BROADCAST  4
#define RT_SCOPE_HOST  254
#define RT_SCOPE_LINK  253
#define SOL_NETLINK    270
#define NL_MSG_MAX     512    /* the longest message we build */
#define NL_RCVBUF      212992 /* bytes that may wait: Linux's rmem */

struct nlmsghdr {
	uint32_t len;
	uint16_t type, flags;
	uint32_t seq, pid;
};

/* A datagram waiting to be read. */
struct nl_msg {
	struct nl_msg *next;
	unsigned len;
	unsigned char data[];
};

struct nl_sock {
	struct nl_msg *rx, **rx_tail;
	size_t rx_bytes;
	struct kern_waitq q;
	uint64_t rcvtimeo, sndtimeo;
	uint32_t pid; /* its port id: the process's */
	int type;
};

/* The reply being built: its messages so far, and one into buf. */
struct nl_out {
	struct nl_msg *head, **tail;
	size_t bytes;
	unsigned char buf[NL_MSG_MAX];
	unsigned len;
};

static void
nl_attr(struct nl_out *o, unsigned type, const void *v, unsigned len)
{
	uint16_t h[2] = {(uint16_t)(4 + len), (uint16_t)type};

	memcpy(o->buf + o->len, h, 4);
	memcpy(o->buf + o->len + 4, v, len);
	memset(o->buf + o->len + 4 + len, 0, NL_ALIGN(4 + len) - (4 + len));
	o->len += NL_ALIGN(4 + len);
}

/* nl_begin: a message of type for the request q, with a body. */
static void
nl_begin(struct nl_out *o, const struct nlmsghdr *q, uint32_t pid,
	 unsigned type, unsigned flags, const void *body, unsigned len)
{
	struct nlmsghdr h = {0, (uint16_t)type, (uint16_t)flags, q->seq, pid};

	memcpy(o->buf, &h, NL_HDR);
	memcpy(o->buf + NL_HDR, body, len);
	o->len = NL_HDR + NL_ALIGN(len);
}

/* nl_queue: the message built joins the reply; 0 or -ENOMEM. */
static long
nl_queue(struct nl_out *o)
{
	struct nl_msg *m;
	void *p;

	memcpy(o->buf, &o->len, 4); /* the header's length */
	if (rumpuser_malloc(sizeof(*m) + o->len, 0, &p) != 0)
		return -KERN_ENOMEM;
	m = p;
	m->next = NULL;
	m->len = o->len;
	memcpy(m->data, o->buf, o->len);
	*o->tail = m;
	o->tail = &m->next;
	o->bytes += m->len;
	return 0;
}

/* nl_reply: the reply goes on s's queue if err is 0 and there is room;
 * else it is freed. err, or -ENOBUFS. */
static long
nl_reply(struct nl_sock *s, struct nl_out *o, long err)
{
	if (err == 0 && s->rx_bytes + o->bytes > NL_RCVBUF)
		err = -KERN_ENOBUFS;
	if (err != 0) {
		while (o->head != NULL) {
			struct nl_msg *m = o->head;
			o->head = m->next;
			rumpuser_free(m, sizeof(*m) + m->len);
		}
		return err;
	}
	if (o->head != NULL) {
		*s->rx_tail = o->head;
		s->rx_tail = o->tail;
		s->rx_bytes += o->bytes;
		kern_waitq_wake(&s->q);
	}
	return 0;
}

static long
nl_link(struct nl_sock *s, struct nl_out *o, const struct nlmsghdr *q,
	const struct kern_net_link *l)
{
	struct {
		uint8_t family, pad;
		uint16_t type;
		int32_t index;
		uint32_t flags, change;
	} info = {0, 0, (uint16_t)l->type, l->index, l->flags, 0};
	static const unsigned char bcast[6] = {255, 255, 255, 255, 255, 255};
	static const unsigned char zero[6];

	nl_begin(o, q, s->pid, RTM_NEWLINK, NLM_F_MULTI, &info, sizeof(info));
	nl_attr(o, IFLA_IFNAME, l->name, (unsigned)strlen(l->name) + 1);
	nl_attr(o, IFLA_ADDRESS, l->mac, l->maclen);
	nl_attr(o, IFLA_BROADCAST, l->type == 1 ? bcast : zero, l->maclen);
	nl_attr(o, IFLA_MTU, &l->mtu, 4);
	return nl_queue(o);
}

/* nl_addr: one address of l: family's bytes at a, its prefix. */
static long
nl_addr(struct nl_sock *s, struct nl_out *o, const struct nlmsghdr *q,
	const struct kern_net_link *l, int family, const void *a,
	unsigned prefix, unsigned scope)
{
	struct {
		uint8_t family, prefixlen, flags, scope;
		uint32_t index;
	} ifa = {(uint8_t)family, (uint8_t)prefix, 0x80 /* IFA_F_PERMANENT */,
		 (uint8_t)scope, (uint32_t)l->index};
	unsigned alen = family == KERN_AF_INET ? 4 : 16;

	nl_begin(o, q, s->pid, RTM_NEWADDR, NLM_F_MULTI, &ifa, sizeof(ifa));
	nl_attr(o, IFA_ADDRESS, a, alen);
	if (family == KERN_AF_INET) {
		uint32_t b = (l->ip4 & l->mask4) | ~l->mask4;
		nl_attr(o, IFA_LOCAL, a, alen);
		if (!(l->flags & 0x8)) /* IFF_LOOPBACK */
			nl_attr(o, IFA_BROADCAST, &b, 4);
		nl_attr(o, IFA_LABEL, l->name, (unsigned)strlen(l->name) + 1);
	}
	return nl_queue(o);
}

static unsigned
nl_prefix(uint32_t mask_be)
{
	unsigned n = 0;

	for (const unsigned char *b = (const unsigned char *)&mask_be;
	     b < (const unsigned char *)&mask_be + 4; b++)
		for (int bit = 7; bit >= 0; bit--)
			n += (*b >> bit) & 1;
	return n;
}

/* nl_dump: the links or the addresses of family (0: all), then DONE. */
static long
nl_dump(struct nl_sock *s, struct nl_out *o, const struct nlmsghdr *q,
	int addrs, int family)
{
	struct kern_net_link l;
	long err = 0;
	int32_t zero = 0;

	for (int i = 0; err == 0 && kern_net_link(i, &l) == 0; i++) {
		int loop = (l.flags & 0x8) != 0;
		if (!addrs) {
			err = nl_link(s, o, q, &l);
			continue;
		}
		if ((family == 0 || family == KERN_AF_INET) && l.ip4 != 0)
			err = nl_addr(s, o, q, &l, KERN_AF_INET, &l.ip4,
				      nl_prefix(l.mask4),
				      loop ? RT_SCOPE_HOST : 0);
		for (unsigned k = 0; err == 0 && k < l.n6 &&
				     (family == 0 || family == KERN_AF_INET6);
		     k++)
			err = nl_addr(s, o, q, &l, KERN_AF_INET6, l.ip6[k].addr,
				      loop ? 128 : 64,
				      loop	      ? RT_SCOPE_HOST
				      : l.ip6[k].link ? RT_SCOPE_LINK
						      : 0);
	}
	if (err != 0)
		return err;
	nl_begin(o, q, s->pid, NLMSG_DONE, NLM_F_MULTI, &zero, 4);
	return nl_queue(o);
}

/* nl_request: the reply to the request q (of len bytes, checked). */
static long
nl_request(struct nl_sock *s, const struct nlmsghdr *q, unsigned len)
{
	struct nl_out *o;
	void *p;
	long err;
	int family = len > NL_HDR ? ((const unsigned char *)q)[NL_HDR] : 0;

	if (!(q->flags & NLM_F_REQUEST))
		return 0; /* not for the kernel: ignored, as Linux */
	if (rumpuser_malloc(sizeof(*o), 0, &p) != 0)
		return -KERN_ENOMEM;
	o = p;
	o->head = NULL;
	o->tail = &o->head;
	o->bytes = 0;
	/* A dump: NLM_F_ROOT or NLM_F_MATCH, as Linux's rtnetlink. */
	if ((q->type == RTM_GETLINK || q->type == RTM_GETADDR) &&
	    (q->flags & NLM_F_DUMP) != 0)
		err = nl_dump(s, o, q, q->type == RTM_GETADDR, family);
	else {
		/* An error message: the error, then the request's header. */
		struct {
			int32_t error;
			struct nlmsghdr req;
		} e = {-KERN_EOPNOTSUPP, *q};
		nl_begin(o, q, s->pid, NLMSG_ERROR, 0, &e, sizeof(e));
		err = nl_queue(o);
	}
	err = nl_reply(s, o, err);
	rumpuser_free(o, sizeof(*o));
	return err;
}

static long
nl_open(int domain, int type, int protocol, struct kern_file **out)
{
	(void)domain;
	struct nl_sock *s;
	void *p;

	if (type != KERN_SOCK_RAW && type != KERN_SOCK_DGRAM)
		return -KERN_ESOCKTNOSUPPORT;
	if (protocol != NL_ROUTE)
		return -KERN_EPROTONOSUPPORT;
	if (rumpuser_malloc(sizeof(*s), 0, &p) != 0)
		return -KERN_ENOMEM;
	s = p;
	memset(s, 0, sizeof(*s));
	s->rx_tail = &s->rx;
	s->type = type;
	s->pid = (uint32_t)kern_sys_call(sys_getpid, 0, 0, 0, 0, 0);
	if ((*out = sys_sock_file_new(&sys_sock_netlink, s)) == NULL) {
		rumpuser_free(s, sizeof(*s));
		return -KERN_ENOMEM;
	}
	return 0;
}

static long
nl_pair(int type, int protocol, struct kern_file *out[2])
{
	(void)type, (void)protocol, (void)out;
	return -KERN_EOPNOTSUPP;
}

/* nl_addr_check: a sockaddr_nl of len bytes: 0 or -EINVAL. */
static long
nl_addr_check(const void *addr, unsigned len)
{
	if (len < 12 || *(const uint16_t *)addr != KERN_AF_NETLINK)
		return -KERN_EINVAL;
	return 0;
}

static long
nl_bind(struct kern_file *f, const void *addr, unsigned len)
{
	struct nl_sock *s = f->priv;
	uint32_t pid;
	long err = nl_addr_check(addr, len);

	if (err != 0)
		return err;
	memcpy(&pid, (const char *)addr + 4, 4);
	if (pid != 0)
		s->pid = pid; /* the port the program chose */
	return 0;
}

static long
nl_listen(struct kern_file *f, int backlog)
{
	(void)f, (void)backlog;
	return -KERN_EOPNOTSUPP;
}

static long
nl_accept(struct kern_file *f, struct kern_file **out, void *addr,
	  unsigned *len)
{
	(void)f, (void)out, (void)addr, (void)len;
	return -KERN_EOPNOTSUPP;
}

static long
nl_connect(struct kern_file *f, const void *addr, unsigned len)
{
	(void)f;
	return nl_addr_check(addr, len);
}

static long
nl_sendmsg(struct kern_file *f, const struct kern_msghdr *m, int flags)
{
	struct nl_sock *s = f->priv;
	unsigned char *buf;
	size_t len = 0, at = 0;
	long err = 0;
	void *p;

	(void)flags;
	if (m->name != NULL && (err = nl_addr_check(m->name, m->namelen)) != 0)
		return err;
	for (unsigned long i = 0; i < m->iovlen; i++) {
		if (m->iov[i].len > 65536 - len)
			return -KERN_EMSGSIZE;
		len += m->iov[i].len;
	}
	if (rumpuser_malloc(len + 1, 0, &p) != 0)
		return -KERN_ENOMEM;
	buf = p;
	for (unsigned long i = 0; i < m->iovlen; i++) {
		memcpy(buf + at, m->iov[i].base, m->iov[i].len);
		at += m->iov[i].len;
	}
	/* Each whole message in turn; what is left after the last is
	 * ignored, as Linux's netlink_rcv_skb. */
	for (at = 0; err == 0 && at < len && len - at >= NL_HDR;) {
		struct nlmsghdr q;
		memcpy(&q, buf + at, NL_HDR);
		if (q.len < NL_HDR || q.len > len - at)
			break;
		/* Its header and the first bytes of its body (a family). */
		union {
			struct nlmsghdr h;
			unsigned char b[NL_HDR + 4];
		} req = {.h = {0}};
		memcpy(req.b, buf + at,
		       q.len < sizeof(req.b) ? q.len : sizeof(req.b));
		err = nl_request(s, &req.h, q.len);
		/* The last one's padding may be missing, as Linux allows. */
		at += NL_ALIGN(q.len) < len - at ? NL_ALIGN(q.len) : len - at;
	}
	rumpuser_free(buf, len + 1);
	return err != 0 ? err : (long)len;
}

static long
nl_recvmsg(struct kern_file *f, struct kern_msghdr *m, int flags)
{
	struct nl_sock *s = f->priv;
	int nonblock =
		(f->flags & KERN_O_NONBLOCK) || (flags & KERN_MSG_DONTWAIT);
	uint64_t deadline = s->rcvtimeo == 0 ? 0 : kern_now() + s->rcvtimeo;
	size_t len = 0, at = 0;

	for (unsigned long i = 0; i < m->iovlen; i++)
		len += m->iov[i].len;
	while (s->rx == NULL) {
		if (nonblock || (deadline != 0 && kern_now() >= deadline))
			return -KERN_EAGAIN;
		int err = kern_waitq_wait(&s->q, deadline);
		if (err != 0 && err != -KERN_ETIMEDOUT)
			return err;
	}
	struct nl_msg *r = s->rx;
	for (unsigned long i = 0; i < m->iovlen && at < r->len; i++) {
		size_t k = r->len - at < m->iov[i].len ? r->len - at
						       : m->iov[i].len;
		memcpy(m->iov[i].base, r->data + at, k);
		at += k;
	}
	if (m->name != NULL) {
		struct {
			uint16_t family, pad;
			uint32_t pid, groups;
		} from = {KERN_AF_NETLINK, 0, 0, 0}; /* the kernel */
		memcpy(m->name, &from, m->namelen < 12 ? m->namelen : 12);
	}
	m->namelen = 12;
	m->controllen = 0;
	if (r->len > len)
		m->flags |= KERN_MSG_TRUNC;
	long got = (flags & KERN_MSG_TRUNC) ? (long)r->len : (long)at;
	if (!(flags & KERN_MSG_PEEK)) {
		s->rx_bytes -= r->len;
		s->rx = r->next;
		if (s->rx == NULL)
			s->rx_tail = &s->rx;
		rumpuser_free(r, sizeof(*r) + r->len);
	}
	return got;
}

static long
nl_shutdown(struct kern_file *f, int how)
{
	(void)f, (void)how;
	return -KERN_EOPNOTSUPP;
}

static long
nl_name(struct kern_file *f, int peer, void *addr, unsigned *len)
{
	struct nl_sock *s = f->priv;
	struct {
		uint16_t family, pad;
		uint32_t pid, groups;
	} a = {KERN_AF_NETLINK, 0, peer ? 0 : s->pid, 0};

	memcpy(addr, &a, *len < sizeof(a) ? *len : sizeof(a));
	*len = sizeof(a);
	return 0;
}

static long
nl_setopt(struct kern_file *f, int level, int name, const void *val,
	  unsigned len)
{
	struct nl_sock *s = f->priv;

	if (level == SOL_NETLINK)
		return len < sizeof(int) ? -KERN_EINVAL : 0; /* no events */
	if (level != KERN_SOL_SOCKET)
		return -KERN_ENOPROTOOPT;
	if (name == KERN_SO_RCVTIMEO || name == KERN_SO_SNDTIMEO)
		return kern_timeo_set(val, len,
				      name == KERN_SO_RCVTIMEO ? &s->rcvtimeo
							       : &s->sndtimeo);
	return len < sizeof(int) ? -KERN_EINVAL : 0;
}

static long
nl_getopt(struct kern_file *f, int level, int name, void *val, unsigned *len)
{
	struct nl_sock *s = f->priv;
	int v;

	if (level != KERN_SOL_SOCKET)
		return -KERN_ENOPROTOOPT;
	switch (name) {
	case KERN_SO_RCVTIMEO:
	case KERN_SO_SNDTIMEO:
		kern_timeo_get(name == KERN_SO_RCVTIMEO ? s->rcvtimeo
							: s->sndtimeo,
			       val, len);
		return 0;
	case KERN_SO_TYPE:
		v = s->type;
		break;
	case KERN_SO_DOMAIN:
		v = KERN_AF_NETLINK;
		break;
	case KERN_SO_PROTOCOL:
		v = NL_ROUTE;
		break;
	case KERN_SO_SNDBUF:
	case KERN_SO_RCVBUF:
		v = 212992; /* Linux's default */
		break;
	default:
		return -KERN_ENOPROTOOPT;
	}
	return kern_sockopt_out(val, len, &v, sizeof(v));
}

static unsigned
nl_poll(struct kern_file *f, struct kern_poll *pt)
{
	struct nl_sock *s = f->priv;

	kern_poll_wait(pt, &s->q);
	return KERN_POLLOUT | KERN_POLLWRNORM |
	       (s->rx != NULL ? KERN_POLLIN | KERN_POLLRDNORM : 0);
}

static long
nl_ioctl(struct kern_file *f, unsigned long req, long arg)
{
	struct nl_sock *s = f->priv;

	if (req != FIONREAD)
		return -KERN_ENOTTY;
	*(int *)arg = s->rx != NULL ? (int)s->rx->len : 0;
	return 0;
}

static void
nl_release(struct kern_file *f)
{
	struct nl_sock *s = f->priv;

	while (s->rx != NULL) {
		struct nl_msg *m = s->rx;
		s->rx = m->next;
		rumpuser_free(m, sizeof(*m) + m->len);
	}
	kern_waitq_detach(&s->q);
	rumpuser_free(s, sizeof(*s));
	rumpuser_free(f, sizeof(*f));
}

const struct sys_sock_family sys_sock_netlink = {
	.file = {.read = sys_sock_read,
		 .write = sys_sock_write,
		 .readv = sys_sock_readv,
		 .writev = sys_sock_writev,
		 .ioctl = nl_ioctl,
		 .fstat = sys_sock_fstat,
		 .poll = nl_poll,
		 .release = nl_release},
	.open = nl_open,
	.pair = nl_pair,
	.bind = nl_bind,
	.listen = nl_listen,
	.accept = nl_accept,
	.connect = nl_connect,
	.sendmsg = nl_sendmsg,
	.recvmsg = nl_recvmsg,
	.shutdown = nl_shutdown,
	.name = nl_name,
	.setopt = nl_setopt,
	.getopt = nl_getopt,
};
