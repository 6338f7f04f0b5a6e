/*
 * Sockets of the Internet domain: what TCP (tcp.c) and UDP (udp.c)
 * share. kern_sock_* take Linux's arguments (sockaddr_in, SO_* options),
 * turn them into lwIP's terms for the socket's kind and end every entry
 * into lwIP with kern_net_kick. A socket keeps what came for it as a
 * list of pieces (pbuf chains, with how much of each was read and who
 * sent it) and wakes its one queue at every change, for its readers,
 * writers and pollers alike.
 */
#include <stddef.h>
#include <string.h>

#include "lwip/ip.h"
#include "lwip/tcp.h"

#include "lwip/udp.h"

#include "sock.h"

/* The buffer size SO_RCVBUF reports at first (SO_SNDBUF: sndq.c's). */
#define SOCK_BUF_DEFAULT (256 * 1024)

struct kern_sock *
sock_alloc(const struct sock_kind *kind, int type, int domain)
{
	struct kern_sock *s = kern_net_calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->kind = kind;
	s->type = type;
	s->domain = domain;
	s->rx_tail = &s->rx;
	s->acceptq_tail = &s->acceptq;
	s->rcvbuf = SOCK_BUF_DEFAULT;
	s->sndbuf = (int)(2 * sock_sndq_default()); /* doubled, as Linux */
	s->rcvlowat = 1;
	s->ttl = s->tos = -1;
	return s;
}

void
sock_free(struct kern_sock *s)
{
	while (s->rx != NULL) {
		struct sock_seg *g = s->rx;
		s->rx = g->next;
		pbuf_free(g->p);
		kern_net_free(g);
	}
	sock_sndq_forget(s);
	kern_waitq_detach(&s->q);
	kern_net_free(s->cork);
	kern_net_free(s);
}

uint64_t
sock_deadline(uint64_t timeo)
{
	return timeo != 0 ? kern_now() + timeo : 0;
}

long
sock_wait(struct kern_sock *s, int nonblock, uint64_t deadline)
{
	unsigned long seq = s->q.seq;

	/*
	 * What lwIP has to send goes first; it may change s at once (a
	 * peer on loopback answers within the kick), and then the caller
	 * looks again rather than waits for a wake that has come.
	 */
	kern_net_kick();
	if (s->q.seq != seq)
		return 0;
	if (nonblock)
		return -KERN_EAGAIN;
	int err = kern_waitq_wait(&s->q, deadline);
	return err == -KERN_ETIMEDOUT ? -KERN_EAGAIN : err;
}

void
sock_wake(struct kern_sock *s)
{
	kern_waitq_wake(&s->q);
}

long
sock_rx_push(struct kern_sock *s, struct pbuf *p, const ip_addr_t *ip,
	     u16_t port)
{
	struct sock_seg *g = kern_net_malloc(sizeof(*g));

	if (g == NULL)
		return -KERN_ENOMEM;
	/* A small piece in a pool pbuf (a whole frame's room) is copied. */
	if (p->tot_len < 512 &&
	    pbuf_get_allocsrc(p) ==
		    PBUF_TYPE_ALLOC_SRC_MASK_STD_MEMP_PBUF_POOL) {
		struct pbuf *q = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
		if (q == NULL) {
			kern_net_free(g);
			return -KERN_ENOMEM;
		}
		pbuf_free(p);
		p = q;
	}
	g->next = NULL;
	g->p = p;
	g->off = 0;
	g->port = port;
	if (ip != NULL)
		ip_addr_copy(g->from, *ip);
	else
		ip_addr_set_zero(&g->from);
	*s->rx_tail = g;
	s->rx_tail = &g->next;
	s->rx_len += p->tot_len;
	s->rx_count++;
	sock_wake(s);
	return 0;
}

/* sock_rx_drop: s's first piece goes. */
static void
sock_rx_drop(struct kern_sock *s)
{
	struct sock_seg *g = s->rx;

	s->rx_len -= (size_t)(g->p->tot_len - g->off);
	s->rx_count--;
	s->rx = g->next;
	if (s->rx == NULL)
		s->rx_tail = &s->rx;
	pbuf_free(g->p);
	kern_net_free(g);
}

size_t
sock_rx_copy(struct kern_sock *s, const struct kern_iovec *iov, unsigned long n,
	     int peek, int one, size_t *left)
{
	struct sock_seg *g = s->rx;
	u16_t off = g != NULL ? g->off : 0;
	size_t done = 0, at = 0;
	unsigned long i = 0;

	*left = 0;
	while (g != NULL && i < n) {
		if (at == iov[i].len) {
			i++;
			at = 0;
			continue;
		}
		size_t chunk = (size_t)(g->p->tot_len - off);
		if (chunk > iov[i].len - at)
			chunk = iov[i].len - at;
		pbuf_copy_partial(g->p, (char *)iov[i].base + at, (u16_t)chunk,
				  off);
		at += chunk;
		done += chunk;
		off = (u16_t)(off + chunk);
		if (off < g->p->tot_len)
			continue; /* this iovec is full */
		if (one)
			break;
		struct sock_seg *next = g->next; /* this piece is read */
		if (!peek)
			sock_rx_drop(s);
		g = next;
		off = g != NULL ? g->off : 0;
	}
	if (g == NULL)
		return done;
	if (one) {
		*left = (size_t)(g->p->tot_len - off);
		if (!peek)
			sock_rx_drop(s);
	} else if (!peek) {
		s->rx_len -= (size_t)(off - g->off);
		g->off = off;
	}
	return done;
}

size_t
sock_rx_skip(struct kern_sock *s, size_t len)
{
	size_t done = 0;

	while (s->rx != NULL && done < len) {
		struct sock_seg *g = s->rx;
		size_t here = (size_t)(g->p->tot_len - g->off);
		if (here > len - done) {
			g->off = (u16_t)(g->off + (len - done));
			s->rx_len -= len - done;
			return len;
		}
		done += here;
		sock_rx_drop(s);
	}
	return done;
}

int
sock_err_take(struct kern_sock *s)
{
	int err = s->err;

	s->err = 0;
	return err;
}

long
sock_lwip_errno(err_t err)
{
	switch (err) {
	case ERR_OK:
		return 0;
	case ERR_MEM:
	case ERR_BUF:
		return -KERN_ENOMEM;
	case ERR_TIMEOUT:
		return -KERN_ETIMEDOUT;
	case ERR_RTE:
		return -KERN_ENETUNREACH;
	case ERR_INPROGRESS:
		return -KERN_EINPROGRESS;
	case ERR_WOULDBLOCK:
		return -KERN_EAGAIN;
	case ERR_USE:
		return -KERN_EADDRINUSE;
	case ERR_ALREADY:
		return -KERN_EALREADY;
	case ERR_ISCONN:
		return -KERN_EISCONN;
	case ERR_CONN:
		return -KERN_ENOTCONN;
	case ERR_ABRT:
		return -KERN_ECONNABORTED;
	case ERR_RST:
		return -KERN_ECONNRESET;
	case ERR_CLSD:
		return -KERN_ENOTCONN;
	default:
		return -KERN_EIO;
	}
}

const ip_addr_t *
sock_any(const struct kern_sock *s)
{
	if (s->domain != KERN_AF_INET6)
		return IP4_ADDR_ANY;
	return s->v6only ? IP6_ADDR_ANY : IP_ANY_TYPE;
}

u8_t
sock_iptype(const struct kern_sock *s)
{
	if (s->domain != KERN_AF_INET6)
		return IPADDR_TYPE_V4;
	return s->v6only ? IPADDR_TYPE_V6 : IPADDR_TYPE_ANY;
}

/* sock_v4mapped: a is ::ffff:A.B.C.D, an IPv4 address in IPv6's form. */
static int
sock_v4mapped(const unsigned char a[16])
{
	static const unsigned char prefix[12] = {0, 0, 0, 0, 0,	   0,
						 0, 0, 0, 0, 0xff, 0xff};

	return memcmp(a, prefix, sizeof(prefix)) == 0;
}

/*
 * sock_addr_in: Linux's sockaddr_in (an INET socket's) or sockaddr_in6
 * (an INET6 socket's: ::ffff:A.B.C.D is IPv4, "::" sock_any, a scope
 * the zone of a link-local address) as lwIP's address and port, for
 * use (a bind, a connect, a send).
 */
enum { SOCK_ADDR_SEND, SOCK_ADDR_BIND, SOCK_ADDR_CONNECT };

static long
sock_addr_in(const struct kern_sock *s, const void *addr, unsigned len,
	     ip_addr_t *ip, u16_t *port, int use)
{
	int bind = use == SOCK_ADDR_BIND;

	struct kern_sockaddr_in sin;
	struct kern_sockaddr_in6 sin6 = {0};

	if (addr == NULL || len < sizeof(unsigned short))
		return -KERN_EINVAL;
	if (s->domain == KERN_AF_INET6 && s->type == KERN_SOCK_DGRAM && !bind &&
	    *(const unsigned short *)addr == KERN_AF_INET) {
		/* As Linux's UDP over IPv6: an IPv4 address goes as IPv4. */
		if (len < sizeof(sin))
			return -KERN_EINVAL;
		if (s->v6only) /* as Linux: connect and sendto differ */
			return use == SOCK_ADDR_CONNECT ? -KERN_EAFNOSUPPORT
							: -KERN_ENETUNREACH;
		memcpy(&sin, addr, sizeof(sin));
		ip_addr_set_ip4_u32(ip, sin.addr);
		*port = lwip_ntohs(sin.port);
		return 0;
	}
	if (s->domain == KERN_AF_INET) {
		if (len < sizeof(sin))
			return -KERN_EINVAL;
		memcpy(&sin, addr, sizeof(sin));
		if (sin.family != KERN_AF_INET)
			return -KERN_EAFNOSUPPORT;
		ip_addr_set_ip4_u32(ip, sin.addr);
		*port = lwip_ntohs(sin.port);
		return 0;
	}
	/* As Linux: the scope may be left out (RFC 2133's size). */
	if (len < offsetof(struct kern_sockaddr_in6, scope_id))
		return -KERN_EINVAL;
	memcpy(&sin6, addr, len < sizeof(sin6) ? len : sizeof(sin6));
	if (sin6.family != KERN_AF_INET6)
		return -KERN_EAFNOSUPPORT;
	*port = lwip_ntohs(sin6.port);
	if (sock_v4mapped(sin6.addr)) {
		uint32_t v4;
		if (s->v6only) /* as Linux: no IPv4 through it */
			return bind ? -KERN_EINVAL : -KERN_ENETUNREACH;
		memcpy(&v4, sin6.addr + 12, 4);
		ip_addr_set_ip4_u32(ip, v4);
		return 0;
	}
	IP_SET_TYPE(ip, IPADDR_TYPE_V6);
	memcpy(ip_2_ip6(ip)->addr, sin6.addr, 16);
	ip6_addr_clear_zone(ip_2_ip6(ip));
	if (ip6_addr_isany(ip_2_ip6(ip))) {
		if (bind)
			ip_addr_copy(*ip, *sock_any(s));
		else /* as Linux: "::" as a peer is this host, ::1 */
			ip_addr_set_loopback(1, ip);
	} else if (ip6_addr_has_scope(ip_2_ip6(ip), IP6_UNKNOWN)) {
		if (sin6.scope_id > 255)
			return bind ? -KERN_ENODEV : -KERN_EINVAL;
		ip6_addr_set_zone(ip_2_ip6(ip), (u8_t)sin6.scope_id);
	}
	return 0;
}

/*
 * sock_addr_out: ip and port as s's family's sockaddr into addr (up to
 * *len bytes; *len becomes the whole size), as accept's: for an INET6
 * socket an IPv4 address as ::ffff:A.B.C.D.
 */
static void
sock_addr_out(const struct kern_sock *s, const ip_addr_t *ip, u16_t port,
	      void *addr, unsigned *len)
{
	struct kern_sockaddr_in sin = {.family = KERN_AF_INET};
	struct kern_sockaddr_in6 sin6 = {.family = KERN_AF_INET6};
	const void *out = &sin;
	unsigned size = sizeof(sin);

	if (s->domain == KERN_AF_INET) {
		sin.port = lwip_htons(port);
		sin.addr = IP_IS_V4(ip) ? ip_addr_get_ip4_u32(ip) : 0;
	} else {
		sin6.port = lwip_htons(port);
		if (IP_IS_V4(ip) && !ip_addr_isany(ip)) {
			uint32_t v4 = ip_addr_get_ip4_u32(ip);
			sin6.addr[10] = sin6.addr[11] = 0xff;
			memcpy(sin6.addr + 12, &v4, 4);
		} else if (IP_IS_V6(ip)) {
			memcpy(sin6.addr, ip_2_ip6(ip)->addr, 16);
			if (ip6_addr_has_zone(ip_2_ip6(ip)))
				sin6.scope_id = ip6_addr_zone(ip_2_ip6(ip));
		}
		out = &sin6;
		size = sizeof(sin6);
	}
	if (addr != NULL)
		memcpy(addr, out, *len < size ? *len : size);
	*len = size;
}

/*
 * sock_family_clash: an INET6 socket bound to an address of one family
 * cannot reach ip of the other, as on Linux: an IPv6 peer from an IPv4
 * address is EAFNOSUPPORT (a datagram's EINVAL), an IPv4 one from an
 * IPv6 address ENETUNREACH.
 */
static long
sock_family_clash(const struct kern_sock *s, const ip_addr_t *ip)
{
	const struct ip_pcb *pcb = (const void *)s->pcb.tcp;

	if (pcb == NULL || s->domain != KERN_AF_INET6 ||
	    ip_addr_isany_val(pcb->local_ip))
		return 0;
	if (IP_IS_V6(ip) && IP_IS_V4_VAL(pcb->local_ip))
		return s->type == KERN_SOCK_STREAM ? -KERN_EAFNOSUPPORT
						   : -KERN_EINVAL;
	if (IP_IS_V4(ip) && IP_IS_V6_VAL(pcb->local_ip))
		return -KERN_ENETUNREACH;
	return 0;
}

long
kern_sock_new(int domain, int type, int protocol, struct kern_sock **out)
{
	const struct sock_kind *kind;

	if (domain != KERN_AF_INET && domain != KERN_AF_INET6)
		return -KERN_EAFNOSUPPORT;
	if (type == KERN_SOCK_STREAM &&
	    (protocol == 0 || protocol == KERN_IPPROTO_TCP))
		kind = &sock_kind_tcp;
	else if (type == KERN_SOCK_DGRAM &&
		 (protocol == 0 || protocol == KERN_IPPROTO_UDP))
		kind = &sock_kind_udp;
	else if (type == KERN_SOCK_STREAM || type == KERN_SOCK_DGRAM)
		return -KERN_EPROTONOSUPPORT;
	else
		return -KERN_ESOCKTNOSUPPORT;
	*out = sock_alloc(kind, type, domain);
	if (*out == NULL)
		return -KERN_ENOMEM;
	long err = kind->open(*out);
	if (err != 0) {
		sock_free(*out);
		return err;
	}
	return 0;
}

void
kern_sock_close(struct kern_sock *s)
{
	s->kind->close(s);
	kern_net_kick();
}

long
kern_sock_bind(struct kern_sock *s, const void *addr, unsigned len)
{
	ip_addr_t ip;
	u16_t port;
	long err = sock_addr_in(s, addr, len, &ip, &port, SOCK_ADDR_BIND);

	if (err == 0)
		err = s->kind->bind(s, &ip, port);
	return err;
}

long
kern_sock_listen(struct kern_sock *s, int backlog)
{
	long err = s->kind->listen(s, backlog < 1 ? 1 : backlog);

	kern_net_kick();
	return err;
}

long
kern_sock_accept(struct kern_sock *s, int nonblock, struct kern_sock **out,
		 void *addr, unsigned *len)
{
	long err = s->kind->accept(s, nonblock, out);

	kern_net_kick();
	if (err == 0 && len != NULL) {
		ip_addr_t ip;
		u16_t port;
		if ((*out)->kind->name(*out, 1, &ip, &port) != 0) {
			ip_addr_set_zero(&ip);
			port = 0;
		}
		sock_addr_out(s, &ip, port, addr, len);
	}
	return err;
}

long
kern_sock_connect(struct kern_sock *s, const void *addr, unsigned len,
		  int nonblock)
{
	ip_addr_t ip;
	u16_t port;
	long err;

	if (s->type == KERN_SOCK_DGRAM && addr != NULL &&
	    len >= sizeof(uint16_t) &&
	    *(const uint16_t *)addr == KERN_AF_UNSPEC)
		err = s->kind->connect(s, NULL, 0, nonblock); /* dissolve */
	else if (s->type == KERN_SOCK_STREAM && s->state != SOCK_NEW)
		/* as Linux: its state speaks before the address */
		err = s->kind->connect(s, NULL, 0, nonblock);
	else if ((err = sock_addr_in(s, addr, len, &ip, &port,
				     SOCK_ADDR_CONNECT)) == 0 &&
		 (err = sock_family_clash(s, &ip)) == 0)
		err = s->kind->connect(s, &ip, port, nonblock);
	kern_net_kick();
	return err;
}

long
kern_sock_send(struct kern_sock *s, const struct kern_iovec *iov,
	       unsigned long n, int flags, int nonblock, const void *addr,
	       unsigned alen)
{
	ip_addr_t ip;
	u16_t port = 0;
	long err = 0;

	nonblock |= (flags & KERN_MSG_DONTWAIT) != 0;
	/* As Linux's inet_send_prepare: a datagram socket gets a port
	 * first, whatever comes of the send. */
	if (s->type == KERN_SOCK_DGRAM && s->pcb.udp->local_port == 0 &&
	    udp_bind(s->pcb.udp, sock_any(s), 0) != ERR_OK)
		return -KERN_EAGAIN;
	if (s->type == KERN_SOCK_STREAM)
		addr = NULL; /* as Linux's TCP: an address is ignored */
	if (s->domain == KERN_AF_INET6 && addr != NULL && alen >= 2 &&
	    *(const unsigned short *)addr == KERN_AF_UNSPEC)
		addr = NULL; /* as Linux's UDP over IPv6: no address */
	if (addr != NULL && (err = sock_addr_in(s, addr, alen, &ip, &port,
						SOCK_ADDR_SEND)) == 0)
		err = sock_family_clash(s, &ip);
	if (err == 0)
		err = s->kind->send(s, iov, n, flags, nonblock,
				    addr != NULL ? &ip : NULL, port);
	kern_net_kick();
	return err;
}

long
kern_sock_recv(struct kern_sock *s, const struct kern_iovec *iov,
	       unsigned long n, int flags, int nonblock, void *addr,
	       unsigned *alen, int *mflags)
{
	ip_addr_t ip;
	u16_t port = 0;
	int mf = 0;

	ip_addr_set_zero(&ip);
	nonblock |= (flags & KERN_MSG_DONTWAIT) != 0;
	long got = s->kind->recv(s, iov, n, flags, nonblock, &ip, &port, &mf);
	kern_net_kick();
	if (got >= 0 && alen != NULL) {
		if (s->type == KERN_SOCK_DGRAM)
			sock_addr_out(s, &ip, port, addr, alen);
		else
			*alen = 0; /* a stream's peer is getpeername's */
	}
	if (mflags != NULL)
		*mflags = mf;
	return got;
}

long
kern_sock_shutdown(struct kern_sock *s, int how)
{
	long err;

	if (how != KERN_SHUT_RD && how != KERN_SHUT_WR && how != KERN_SHUT_RDWR)
		return -KERN_EINVAL;
	err = s->kind->shutdown(s, how);
	kern_net_kick();
	return err;
}

long
kern_sock_name(struct kern_sock *s, int peer, void *addr, unsigned *len)
{
	ip_addr_t ip;
	u16_t port;
	long err = s->kind->name(s, peer, &ip, &port);

	if (err == 0)
		sock_addr_out(s, &ip, port, addr, len);
	return err;
}

unsigned
kern_sock_poll(struct kern_sock *s, struct kern_poll *pt)
{
	kern_poll_wait(pt, &s->q);
	return s->kind->poll(s);
}

long
kern_sock_room(struct kern_sock *s)
{
	if (s->type != KERN_SOCK_STREAM || s->state != SOCK_CONNECTED ||
	    s->pcb.tcp == NULL || s->shut_wr || s->err != 0 ||
	    (s->opts & SOCK_OPT_CORK) || s->cork_len > 0)
		return -1; /* the write says what it does */
	return s->snd_nomem ? 0 : (long)sock_tcp_room(s);
}

long
kern_sock_nread(struct kern_sock *s)
{
	if (s->type == KERN_SOCK_DGRAM)
		return s->rx != NULL ? s->rx->p->tot_len : 0;
	if (s->state == SOCK_LISTENING)
		return -KERN_EINVAL; /* as Linux */
	return (long)s->rx_len;
}
