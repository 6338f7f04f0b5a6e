/*
 * UDP sockets on lwIP's raw API: each datagram that comes is a piece of
 * its own on the socket, with its sender, up to the receive buffer's
 * size, each counted with what keeping it costs (beyond, it is dropped,
 * as Linux drops it); a datagram goes out at
 * once, whole, from one pbuf. connect names the one peer that send goes
 * to and recv hears from; AF_UNSPEC undoes it.
 */
#include <string.h>

#include "lwip/ip4.h"
#include "lwip/udp.h"

#include "sock.h"

#define UDP_DGRAM_MAX  65507 /* the most an IPv4 datagram carries */
#define UDP_DGRAM_COST 256   /* what keeping one costs beside its bytes */

static void
sock_udp_on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
		 const ip_addr_t *ip, u16_t port)
{
	struct kern_sock *s = arg;

	(void)pcb;
	/*
	 * Each datagram costs its bytes and its keeping, as Linux counts;
	 * as Linux's, a socket shut for reading still takes them.
	 */
	if (s->rx_len + (size_t)s->rx_count * UDP_DGRAM_COST + p->tot_len >
		    (size_t)s->rcvbuf ||
	    s->rx_count >= SOCK_RX_PIECES || sock_rx_push(s, p, ip, port) != 0)
		pbuf_free(p);
}

static long
sock_udp_open(struct kern_sock *s)
{
	s->pcb.udp = udp_new_ip_type(sock_iptype(s));
	if (s->pcb.udp == NULL)
		return -KERN_ENOBUFS;
	udp_recv(s->pcb.udp, sock_udp_on_recv, s);
	return 0;
}

static long
sock_udp_bind(struct kern_sock *s, const ip_addr_t *ip, u16_t port)
{
	if (s->pcb.udp->local_port != 0)
		return -KERN_EINVAL;
	err_t err = udp_bind(s->pcb.udp, ip, port);
	return sock_lwip_errno(err);
}

static long
sock_udp_listen(struct kern_sock *s, int backlog)
{
	(void)s;
	(void)backlog;
	return -KERN_EOPNOTSUPP;
}

static long
sock_udp_accept(struct kern_sock *s, int nonblock, struct kern_sock **out)
{
	(void)s;
	(void)nonblock;
	(void)out;
	return -KERN_EOPNOTSUPP;
}

static long
sock_udp_connect(struct kern_sock *s, const ip_addr_t *ip, u16_t port,
		 int nonblock)
{
	(void)nonblock;
	if (ip == NULL) {
		udp_disconnect(s->pcb.udp);
		s->connected = 0;
		return 0;
	}
	long err = sock_lwip_errno(udp_connect(s->pcb.udp, ip, port));
	if (err == 0) {
		s->connected = 1;
		ip_addr_copy(s->peer, *ip);
		s->peer_port = port;
	}
	return err;
}

static long
sock_udp_send(struct kern_sock *s, const struct kern_iovec *iov,
	      unsigned long n, int flags, int nonblock, const ip_addr_t *ip,
	      u16_t port)
{
	size_t len = 0, at = 0;
	struct pbuf *p;
	err_t err;

	(void)flags;
	(void)nonblock; /* a datagram goes at once or is dropped */
	for (unsigned long i = 0; i < n; i++) {
		if (iov[i].len > UDP_DGRAM_MAX)
			return -KERN_EMSGSIZE;
		len += iov[i].len;
		if (len > UDP_DGRAM_MAX)
			return -KERN_EMSGSIZE;
	}
	if (ip == NULL && !s->connected)
		return -KERN_EDESTADDRREQ;
	if (ip != NULL && port == 0)
		return -KERN_EINVAL; /* as Linux: no datagram to port 0 */
	if (s->shut_wr)
		return -KERN_EPIPE;
	if (ip != NULL && IP_IS_V4(ip) && !(s->opts & SOCK_OPT_BROADCAST)) {
		struct netif *out = ip4_route(ip_2_ip4(ip));
		if (ip4_addr_get_u32(ip_2_ip4(ip)) == IPADDR_BROADCAST ||
		    (out != NULL && ip_addr_isbroadcast(ip, out)))
			return -KERN_EACCES;
	}
	p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
	if (p == NULL)
		return -KERN_ENOBUFS;
	for (unsigned long i = 0; i < n; i++) {
		pbuf_take_at(p, iov[i].base, (u16_t)iov[i].len, (u16_t)at);
		at += iov[i].len;
	}
	if (ip != NULL)
		err = udp_sendto(s->pcb.udp, p, ip, port);
	else
		err = udp_send(s->pcb.udp, p);
	pbuf_free(p);
	if (err == ERR_RTE)
		return -KERN_ENETUNREACH;
	if (err == ERR_VAL)
		return -KERN_EINVAL;
	return err == ERR_OK ? (long)len : sock_lwip_errno(err);
}

static long
sock_udp_recv(struct kern_sock *s, const struct kern_iovec *iov,
	      unsigned long n, int flags, int nonblock, ip_addr_t *ip,
	      u16_t *port, int *mflags)
{
	size_t left, whole;
	uint64_t deadline = sock_deadline(s->rcvtimeo);

	if (s->err != 0) /* as Linux's datagrams: before what came */
		return sock_err_take(s);
	while (s->rx == NULL) {
		if (s->err != 0)
			return sock_err_take(s);
		if (s->shut_rd && !nonblock)
			return 0; /* as Linux: a nonblocking read is EAGAIN */
		long err = sock_wait(s, nonblock, deadline);
		if (err != 0)
			return err;
	}
	ip_addr_copy(*ip, s->rx->from);
	*port = s->rx->port;
	whole = s->rx->p->tot_len;
	size_t got =
		sock_rx_copy(s, iov, n, (flags & KERN_MSG_PEEK) != 0, 1, &left);
	if (left > 0)
		*mflags |= KERN_MSG_TRUNC;
	/* MSG_TRUNC asks for the datagram's whole length. */
	return (flags & KERN_MSG_TRUNC) ? (long)whole : (long)got;
}

static long
sock_udp_shutdown(struct kern_sock *s, int how)
{
	/* As Linux: unconnected is ENOTCONN, yet shut all the same. */
	if (how != KERN_SHUT_WR)
		s->shut_rd = 1;
	if (how != KERN_SHUT_RD)
		s->shut_wr = 1;
	sock_wake(s);
	return s->connected ? 0 : -KERN_ENOTCONN;
}

static long
sock_udp_name(struct kern_sock *s, int peer, ip_addr_t *ip, u16_t *port)
{
	if (peer) {
		if (!s->connected)
			return -KERN_ENOTCONN;
		ip_addr_copy(*ip, s->peer);
		*port = s->peer_port;
		return 0;
	}
	ip_addr_copy(*ip, s->pcb.udp->local_ip);
	*port = s->pcb.udp->local_port;
	return 0;
}

static unsigned
sock_udp_poll(struct kern_sock *s)
{
	unsigned ev = KERN_POLLOUT | KERN_POLLWRNORM;

	if (s->rx != NULL || s->shut_rd)
		ev |= KERN_POLLIN | KERN_POLLRDNORM;
	if (s->shut_rd)
		ev |= KERN_POLLRDHUP;
	if (s->shut_rd && s->shut_wr)
		ev |= KERN_POLLHUP;
	if (s->err != 0)
		ev |= KERN_POLLERR;
	return ev;
}

static void
sock_udp_close(struct kern_sock *s)
{
	udp_remove(s->pcb.udp);
	sock_free(s);
}

const struct sock_kind sock_kind_udp = {
	.open = sock_udp_open,
	.bind = sock_udp_bind,
	.listen = sock_udp_listen,
	.accept = sock_udp_accept,
	.connect = sock_udp_connect,
	.send = sock_udp_send,
	.recv = sock_udp_recv,
	.shutdown = sock_udp_shutdown,
	.name = sock_udp_name,
	.poll = sock_udp_poll,
	.close = sock_udp_close,
};
