/*
 * Socket options, as Linux reads and sets them, at SOL_SOCKET,
 * IPPROTO_TCP and IPPROTO_IP. Flags (SO_REUSEADDR, SO_KEEPALIVE,
 * TCP_NODELAY...) live in the socket's opts and reach lwIP's pcb through
 * sock_apply, as do the keepalive times, TTL and TOS (a listening
 * socket's go to each connection it accepts). SO_RCVTIMEO and
 * SO_SNDTIMEO bound the socket's waits; SO_RCVLOWAT is what a read and
 * poll wait for; SO_LINGER of 0 s makes close a reset; TCP_CORK holds
 * partial segments back until it is unset; TCP_INFO gives the fields lwIP
 * knows. Options Linux has that lwIP cannot honour are accepted and said
 * on the console once; others are ENOPROTOOPT.
 */
#include <string.h>

#include "lwip/ip.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

#include "sock.h"

#define SO_LINGER	  13
#define SO_PRIORITY	  12
#define SO_PASSCRED	  16
#define SO_PEERCRED	  17
#define SO_RCVLOWAT	  18
#define TCP_MAXSEG	  2
#define TCP_CORK	  3
#define TCP_KEEPIDLE	  4
#define TCP_KEEPINTVL	  5
#define TCP_KEEPCNT	  6
#define TCP_DEFER_ACCEPT  9
#define TCP_INFO	  11
#define TCP_QUICKACK	  12
#define TCP_FASTOPEN	  23
#define IP_TOS		  1
#define IP_TTL		  2
#define IP_MTU_DISCOVER	  10
#define IP_RECVERR	  11
#define IPV6_UNICAST_HOPS 16
#define IPV6_V6ONLY	  26
#define IPV6_RECVERR	  25
#define IPV6_MTU_DISCOVER 23

/* Linux's struct linger. */
struct sockopt_linger {
	int onoff, secs;
};

/* The first part of Linux's struct tcp_info, the fields through 104. */
struct sockopt_tcp_info {
	uint8_t state, ca_state, retransmits, probes, backoff, options, wscale,
		flags;
	uint32_t rto, ato, snd_mss, rcv_mss, unacked, sacked, lost, retrans,
		fackets, last_data_sent, last_ack_sent, last_data_recv,
		last_ack_recv, pmtu, rcv_ssthresh, rtt, rttvar, snd_ssthresh,
		snd_cwnd, advmss, reordering, rcv_rtt, rcv_space, total_retrans;
};

/* sockopt_flag: the SOCK_OPT_* flag that option (level, name) is, or 0. */
static int
sockopt_flag(const struct kern_sock *s, int level, int name)
{
	if (level == KERN_SOL_SOCKET) {
		switch (name) {
		case KERN_SO_REUSEADDR:
			return SOCK_OPT_REUSEADDR;
		case KERN_SO_REUSEPORT:
			return SOCK_OPT_REUSEPORT;
		case KERN_SO_KEEPALIVE:
			return SOCK_OPT_KEEPALIVE;
		case KERN_SO_BROADCAST:
			return SOCK_OPT_BROADCAST;
		}
	}
	if (level == KERN_IPPROTO_TCP && s->type == KERN_SOCK_STREAM) {
		if (name == KERN_TCP_NODELAY)
			return SOCK_OPT_NODELAY;
		if (name == TCP_CORK)
			return SOCK_OPT_CORK;
	}
	return 0;
}

/* sockopt_ignored: Linux has option (level, name); lwIP cannot honour it. */
static int
sockopt_ignored(int level, int name)
{
	static unsigned logged;
	static const struct {
		int level, name;
		const char *what;
	} ignored[] = {
		{KERN_SOL_SOCKET, SO_PRIORITY, "SO_PRIORITY"},
		{KERN_IPPROTO_TCP, TCP_DEFER_ACCEPT, "TCP_DEFER_ACCEPT"},
		{KERN_IPPROTO_TCP, TCP_QUICKACK, "TCP_QUICKACK"},
		{KERN_IPPROTO_TCP, TCP_FASTOPEN, "TCP_FASTOPEN"},
		{KERN_IPPROTO_TCP, TCP_MAXSEG, "TCP_MAXSEG"},
		{KERN_IPPROTO_IP, IP_MTU_DISCOVER, "IP_MTU_DISCOVER"},
		{KERN_IPPROTO_IP, IP_RECVERR, "IP_RECVERR"},
		{KERN_IPPROTO_IPV6, IPV6_RECVERR, "IPV6_RECVERR"},
		{KERN_IPPROTO_IPV6, IPV6_MTU_DISCOVER, "IPV6_MTU_DISCOVER"},
	};

	for (unsigned i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
		if (ignored[i].level != level || ignored[i].name != name)
			continue;
		if (!(logged & (1u << i)))
			platform_console_printf(
				"net: %s accepted, not honoured "
				"(said once)\n",
				ignored[i].what);
		logged |= 1u << i;
		return 1;
	}
	return 0;
}

void
sock_apply(struct kern_sock *s)
{
	struct ip_pcb *ip = s->type == KERN_SOCK_STREAM
				    ? (struct ip_pcb *)(void *)s->pcb.tcp
				    : (struct ip_pcb *)(void *)s->pcb.udp;

	if (ip == NULL)
		return;
	ip->so_options =
		(u8_t)((ip->so_options &
			~(SOF_REUSEADDR | SOF_KEEPALIVE | SOF_BROADCAST)) |
		       (s->opts & (SOCK_OPT_REUSEADDR | SOCK_OPT_REUSEPORT)
				? SOF_REUSEADDR
				: 0) |
		       (s->opts & SOCK_OPT_KEEPALIVE ? SOF_KEEPALIVE : 0) |
		       (s->opts & SOCK_OPT_BROADCAST ? SOF_BROADCAST : 0));
	ip->ttl = s->ttl >= 0 ? (u8_t)s->ttl : IP_DEFAULT_TTL;
	if (s->tos >= 0)
		ip->tos = (u8_t)s->tos;
	if (s->type != KERN_SOCK_STREAM || s->state == SOCK_LISTENING)
		return; /* a listener's pcb is small: its connections get it */
	struct tcp_pcb *pcb = s->pcb.tcp;
	if (s->opts & SOCK_OPT_NODELAY)
		tcp_nagle_disable(pcb);
	else
		tcp_nagle_enable(pcb);
	if (s->keep_idle > 0)
		pcb->keep_idle = (u32_t)s->keep_idle * 1000;
	if (s->keep_intvl > 0)
		pcb->keep_intvl = (u32_t)s->keep_intvl * 1000;
	if (s->keep_cnt > 0)
		pcb->keep_cnt = (u32_t)s->keep_cnt;
}

/* sockopt_set_int: an option whose value is an int (v); 1 if it was one. */
static int
sockopt_set_int(struct kern_sock *s, int level, int name, int v, long *err)
{
	*err = 0;
	if (level == KERN_SOL_SOCKET) {
		switch (name) {
		case KERN_SO_SNDBUF:
		case KERN_SO_RCVBUF: {
			/* Linux doubles what it is given; lwIP's own rule. */
			int size = v < 1024	   ? 2048
				   : v > (1 << 29) ? 1 << 30
						   : 2 * v;
			if (name == KERN_SO_SNDBUF)
				s->sndbuf = size;
			else
				s->rcvbuf = size;
			return 1;
		}
		case SO_RCVLOWAT:
			s->rcvlowat = v < 1 ? 1 : v;
			return 1;
		}
		return 0;
	}
	if (level == KERN_IPPROTO_TCP && s->type == KERN_SOCK_STREAM &&
	    (name == TCP_KEEPIDLE || name == TCP_KEEPINTVL ||
	     name == TCP_KEEPCNT)) {
		if (v < 1 || v > (name == TCP_KEEPCNT ? 127 : 32767))
			*err = -KERN_EINVAL;
		else if (name == TCP_KEEPIDLE)
			s->keep_idle = v;
		else if (name == TCP_KEEPINTVL)
			s->keep_intvl = v;
		else
			s->keep_cnt = v;
		return 1;
	}
	if (level == KERN_IPPROTO_IP && (name == IP_TTL || name == IP_TOS)) {
		if (name == IP_TTL && (v < -1 || v == 0 || v > 255))
			*err = -KERN_EINVAL;
		else if (name == IP_TTL)
			s->ttl = v == -1 ? -1 : v;
		else
			s->tos = v & 0xfc;
		return 1;
	}
	return 0;
}

/* sockopt_set: kern_sock_setopt's work, before its kick. */
/*
 * sockopt_v6only: IPV6_V6ONLY of an INET6 socket: only before it has a
 * port (else EINVAL, as Linux); its pcb takes IPv4 too, or not.
 */
static long
sockopt_v6only(struct kern_sock *s, int on)
{
	struct ip_pcb *pcb = (void *)s->pcb.tcp; /* TCP's and UDP's start */

	if (s->type == KERN_SOCK_STREAM
		    ? s->pcb.tcp == NULL || s->pcb.tcp->local_port != 0
		    : s->pcb.udp->local_port != 0)
		return -KERN_EINVAL;
	s->v6only = on;
	IP_SET_TYPE_VAL(pcb->local_ip, sock_iptype(s));
	IP_SET_TYPE_VAL(pcb->remote_ip, sock_iptype(s));
	return 0;
}

static long
sockopt_set(struct kern_sock *s, int level, int name, const void *val,
	    unsigned len)
{
	int v, flag = sockopt_flag(s, level, name);
	long err;

	if (val == NULL)
		return -KERN_EFAULT;
	if (level == KERN_SOL_SOCKET &&
	    (name == KERN_SO_RCVTIMEO || name == KERN_SO_SNDTIMEO))
		return kern_timeo_set(val, len,
				      name == KERN_SO_RCVTIMEO ? &s->rcvtimeo
							       : &s->sndtimeo);
	if (level == KERN_SOL_SOCKET && name == SO_LINGER) {
		struct sockopt_linger l;
		if (len < sizeof(l))
			return -KERN_EINVAL;
		memcpy(&l, val, sizeof(l));
		s->linger = l.onoff != 0;
		/* As Linux: a negative time lingers for ever, no reset. */
		s->linger_s = l.secs < 0 ? 0x7fffffff : l.secs;
		return 0;
	}
	if (len < sizeof(int))
		return -KERN_EINVAL;
	memcpy(&v, val, sizeof(v));
	if (level == KERN_IPPROTO_IPV6 && s->domain != KERN_AF_INET6)
		return -KERN_ENOPROTOOPT;
	if (level == KERN_IPPROTO_IPV6 && name == IPV6_V6ONLY)
		return sockopt_v6only(s, v != 0);
	if (level == KERN_IPPROTO_IPV6 && name == IPV6_UNICAST_HOPS) {
		if (v < -1 || v > 255)
			return -KERN_EINVAL;
		s->ttl = v; /* -1: lwIP's */
		sock_apply(s);
		return 0;
	}
	if (flag != 0) {
		int was = s->opts;
		s->opts = v ? s->opts | flag : s->opts & ~flag;
		sock_apply(s);
		if ((was & SOCK_OPT_CORK) && !(s->opts & SOCK_OPT_CORK))
			sock_tcp_uncork(s);
		return 0;
	}
	if (sockopt_set_int(s, level, name, v, &err)) {
		sock_apply(s);
		return err;
	}
	if (sockopt_ignored(level, name))
		return 0;
	if (level == KERN_SOL_SOCKET && name == SO_PASSCRED)
		return -KERN_EOPNOTSUPP; /* as Linux: AF_UNIX's alone */
	return -KERN_ENOPROTOOPT;
}

long
kern_sock_setopt(struct kern_sock *s, int level, int name, const void *val,
		 unsigned len)
{
	long err = sockopt_set(s, level, name, val, len);

	kern_net_kick(); /* the frames an unset TCP_CORK let go */
	return err;
}

/* sockopt_state: Linux's number for lwIP's TCP state. */
static uint8_t
sockopt_state(enum tcp_state st)
{
	static const uint8_t linux_state[] = {
		[CLOSED] = 7,	  [LISTEN] = 10,     [SYN_SENT] = 2,
		[SYN_RCVD] = 3,	  [ESTABLISHED] = 1, [FIN_WAIT_1] = 4,
		[FIN_WAIT_2] = 5, [CLOSE_WAIT] = 8,  [CLOSING] = 11,
		[LAST_ACK] = 9,	  [TIME_WAIT] = 6,
	};

	return (unsigned)st < sizeof(linux_state) ? linux_state[st] : 7;
}

/* sockopt_tcp_info: TCP_INFO's fields lwIP knows, into i. */
static void
sockopt_tcp_info(const struct kern_sock *s, struct sockopt_tcp_info *i)
{
	const struct tcp_pcb *pcb = s->pcb.tcp;
	const uint32_t tick_us = TCP_SLOW_INTERVAL * 1000;

	memset(i, 0, sizeof(*i));
	if (pcb == NULL || s->state == SOCK_LISTENING) {
		i->state = s->state == SOCK_LISTENING ? 10 : 7;
		return;
	}
	i->state = sockopt_state(pcb->state);
	i->retransmits = pcb->nrtx;
	i->wscale = (uint8_t)(pcb->snd_scale | pcb->rcv_scale << 4);
	i->rto = (uint32_t)pcb->rto < UINT32_MAX / tick_us
			 ? (uint32_t)pcb->rto * tick_us
			 : UINT32_MAX;
	i->snd_mss = pcb->mss;
	i->rcv_mss = pcb->mss;
	i->advmss = pcb->mss;
	i->rtt = (uint32_t)(pcb->sa >> 3) * tick_us;
	i->rttvar = (uint32_t)(pcb->sv >> 2) * tick_us;
	i->snd_ssthresh = pcb->ssthresh / pcb->mss;
	i->snd_cwnd = pcb->cwnd / pcb->mss;
	i->rcv_space = pcb->rcv_wnd;
	i->pmtu = 1500;
	i->reordering = 3;
}

long
kern_sock_getopt(struct kern_sock *s, int level, int name, void *val,
		 unsigned *len)
{
	int v, flag = sockopt_flag(s, level, name);

	if (level == KERN_IPPROTO_IPV6 && s->domain != KERN_AF_INET6)
		return -KERN_EOPNOTSUPP; /* as Linux's IPv4 sockets */
	if (level == KERN_SOL_SOCKET &&
	    (name == KERN_SO_RCVTIMEO || name == KERN_SO_SNDTIMEO)) {
		kern_timeo_get(name == KERN_SO_RCVTIMEO ? s->rcvtimeo
							: s->sndtimeo,
			       val, len);
		return 0;
	}
	if (level == KERN_SOL_SOCKET && name == SO_LINGER) {
		struct sockopt_linger l = {s->linger, s->linger_s};
		return kern_sockopt_out(val, len, &l, sizeof(l));
	}
	if (level == KERN_IPPROTO_TCP && name == TCP_INFO &&
	    s->type == KERN_SOCK_STREAM) {
		struct sockopt_tcp_info i;
		sockopt_tcp_info(s, &i);
		return kern_sockopt_out(val, len, &i, sizeof(i));
	}
	if (flag != 0)
		v = (s->opts & flag) != 0;
	else if (level == KERN_SOL_SOCKET && name == KERN_SO_TYPE)
		v = s->type;
	else if (level == KERN_SOL_SOCKET && name == KERN_SO_ERROR)
		v = -sock_err_take(s);
	else if (level == KERN_SOL_SOCKET && name == KERN_SO_SNDBUF)
		v = s->sndbuf;
	else if (level == KERN_SOL_SOCKET && name == KERN_SO_RCVBUF)
		v = s->rcvbuf;
	else if (level == KERN_SOL_SOCKET && name == SO_RCVLOWAT)
		v = s->rcvlowat;
	else if (level == KERN_SOL_SOCKET && name == KERN_SO_ACCEPTCONN)
		v = s->type == KERN_SOCK_STREAM && s->state == SOCK_LISTENING;
	else if (level == KERN_SOL_SOCKET && name == KERN_SO_DOMAIN)
		v = s->domain;
	else if (level == KERN_IPPROTO_IPV6 && name == IPV6_V6ONLY &&
		 s->domain == KERN_AF_INET6)
		v = s->v6only;
	else if (level == KERN_IPPROTO_IPV6 && name == IPV6_UNICAST_HOPS &&
		 s->domain == KERN_AF_INET6)
		v = s->ttl >= 0 ? s->ttl : -1;
	else if (level == KERN_SOL_SOCKET && name == KERN_SO_PROTOCOL)
		v = s->type == KERN_SOCK_STREAM ? KERN_IPPROTO_TCP
						: KERN_IPPROTO_UDP;
	else if (level == KERN_IPPROTO_TCP && s->type == KERN_SOCK_STREAM &&
		 name == TCP_KEEPIDLE)
		v = s->keep_idle > 0 ? s->keep_idle
				     : (int)(TCP_KEEPIDLE_DEFAULT / 1000);
	else if (level == KERN_IPPROTO_TCP && s->type == KERN_SOCK_STREAM &&
		 name == TCP_KEEPINTVL)
		v = s->keep_intvl > 0 ? s->keep_intvl
				      : (int)(TCP_KEEPINTVL_DEFAULT / 1000);
	else if (level == KERN_IPPROTO_TCP && s->type == KERN_SOCK_STREAM &&
		 name == TCP_KEEPCNT)
		v = s->keep_cnt > 0 ? s->keep_cnt : (int)TCP_KEEPCNT_DEFAULT;
	else if (level == KERN_IPPROTO_IP && name == IP_TTL)
		v = s->ttl >= 0 ? s->ttl : TCP_TTL;
	else if (level == KERN_IPPROTO_IP && name == IP_TOS)
		v = s->tos >= 0 ? s->tos : 0;
	else if (level == KERN_SOL_SOCKET && name == SO_PASSCRED)
		return -KERN_EOPNOTSUPP; /* as Linux: AF_UNIX's alone */
	else if (level == KERN_SOL_SOCKET && name == SO_PEERCRED) {
		/* as Linux: none here, pid 0 and the ids -1 */
		const struct kern_ucred none = {0, ~0u, ~0u};
		return kern_sockopt_out(val, len, &none, sizeof(none));
	} else
		return -KERN_ENOPROTOOPT;
	return kern_sockopt_out(val, len, &v, sizeof(v));
}
