/*
 * sock.h: what socket.c, tcp.c, udp.c and sndq.c share: the socket, its
 * kind's operations (tcp.c, udp.c), socket.c's helpers for them and the
 * budget of TCP send queues (sndq.c). Addresses here are lwIP's;
 * socket.c turns Linux's sockaddr_in into them and back.
 */
#ifndef RUMPXEN_KERN_NET_SOCK_H
#define RUMPXEN_KERN_NET_SOCK_H

#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"

#include "net.h"

/*
 * A kind of socket: each operation as kern_sock_*'s, on lwIP's terms
 * (nonblock already holds MSG_DONTWAIT).
 */
struct sock_kind {
	/* open: s's pcb, unbound (kern_sock_new) */
	long (*open)(struct kern_sock *s);
	long (*bind)(struct kern_sock *s, const ip_addr_t *ip, u16_t port);
	long (*listen)(struct kern_sock *s, int backlog);
	long (*accept)(struct kern_sock *s, int nonblock,
		       struct kern_sock **out);
	long (*connect)(struct kern_sock *s, const ip_addr_t *ip, u16_t port,
			int nonblock);
	/* send: ip is NULL when the caller named no address */
	long (*send)(struct kern_sock *s, const struct kern_iovec *iov,
		     unsigned long n, int flags, int nonblock,
		     const ip_addr_t *ip, u16_t port);
	/* recv: the sender's address into *ip and *port */
	long (*recv)(struct kern_sock *s, const struct kern_iovec *iov,
		     unsigned long n, int flags, int nonblock, ip_addr_t *ip,
		     u16_t *port, int *mflags);
	long (*shutdown)(struct kern_sock *s, int how);
	/* name: -ENOTCONN for a peer there is not */
	long (*name)(struct kern_sock *s, int peer, ip_addr_t *ip, u16_t *port);
	unsigned (*poll)(struct kern_sock *s);
	void (*close)(struct kern_sock *s);
};
extern const struct sock_kind sock_kind_tcp, sock_kind_udp;

/*
 * What a socket may hold to read: its receive buffer's bytes, and no more
 * pieces than this (a peer sending tiny segments must not pin a pbuf
 * each without bound).
 */
#define SOCK_RX_PIECES 4096

/* A received piece: a pbuf chain, how much of it is read, its sender. */
struct sock_seg {
	struct sock_seg *next;
	struct pbuf *p;
	u16_t off;
	u16_t port;
	ip_addr_t from;
};

/* The states of a TCP socket. */
enum { SOCK_NEW, SOCK_LISTENING, SOCK_CONNECTING, SOCK_CONNECTED };

/* Options that are flags (SO_* and TCP_*), in kern_sock.opts. */
#define SOCK_OPT_REUSEADDR 0x1
#define SOCK_OPT_KEEPALIVE 0x2
#define SOCK_OPT_NODELAY   0x4
#define SOCK_OPT_BROADCAST 0x8
#define SOCK_OPT_REUSEPORT 0x10
#define SOCK_OPT_CORK	   0x20

struct kern_sock {
	const struct sock_kind *kind;
	int type;	      /* KERN_SOCK_STREAM or _DGRAM */
	int domain;	      /* KERN_AF_INET or KERN_AF_INET6 */
	int v6only;	      /* IPV6_V6ONLY: no IPv4 through an INET6 socket */
	struct kern_waitq q;  /* woken at every change */
	int err;	      /* the pending error (SO_ERROR): -errno, or 0 */
	int opts;	      /* SOCK_OPT_* */
	int sndbuf, rcvbuf;   /* as SO_SNDBUF and SO_RCVBUF read them */
	uint64_t rcvtimeo;    /* SO_RCVTIMEO in ns; 0: none */
	uint64_t sndtimeo;    /* SO_SNDTIMEO in ns; 0: none */
	int rcvlowat;	      /* SO_RCVLOWAT: bytes a read waits for */
	int linger, linger_s; /* SO_LINGER */
	int keep_idle, keep_intvl, keep_cnt; /* TCP_KEEP*: 0, lwIP's */
	int ttl, tos;			     /* IP_TTL, IP_TOS: -1, lwIP's */
	union {
		struct tcp_pcb *tcp; /* NULL once lwIP has let it go */
		struct udp_pcb *udp;
	} pcb;
	struct sock_seg *rx, **rx_tail; /* what came, to read */
	size_t rx_len;			/* its bytes */
	int rx_count;			/* its pieces */
	int state;			/* TCP: SOCK_* */
	int eof;			/* TCP: no more will come */
	int shut_rd, shut_wr;
	struct kern_sock *acceptq, **acceptq_tail; /* TCP: connections */
	int nacc, backlog;
	struct kern_sock *next; /* in its listener's acceptq */
	int connected;		/* UDP: connect named a peer */
	int connect_unseen;	/* TCP: a nonblocking connect's end, unasked */
	ip_addr_t peer;		/* UDP: that peer; TCP: the remote end */
	u16_t peer_port;
	char *cork; /* TCP_CORK's segment in the making */
	size_t cork_len;
	ip_addr_t local;   /* TCP: its own end, kept for when the pcb */
	u16_t local_port;  /* has gone */
	int bound;	   /* TCP: bind gave it that end (kept by a renew) */
	size_t snd_queued; /* TCP: bytes lwIP holds of it, unacknowledged */
	int snd_nomem;	   /* TCP: lwIP had no memory for a write */
	int orphan;	   /* TCP: closed, its pcb still sending (tcp.c) */
	struct kern_sock *sndq_next, **sndq_pprev; /* waiting for the budget */
};

/* sock_alloc: a socket of kind, type and domain, or NULL without memory. */
struct kern_sock *sock_alloc(const struct sock_kind *kind, int type,
			     int domain);
/*
 * sock_any: the address "any" of s: IPv4's, or for an INET6 socket the
 * one that takes IPv4 too (unless IPV6_V6ONLY) or IPv6's alone.
 */
const ip_addr_t *sock_any(const struct kern_sock *s);
/* sock_iptype: the lwIP address type of s's pcbs (sock_any's type). */
u8_t sock_iptype(const struct kern_sock *s);
/* sock_free: s's memory, and what it still holds to read. */
void sock_free(struct kern_sock *s);
/*
 * sock_wait: what lwIP queued goes out (kern_net_kick), then the caller
 * waits for a change of s until deadline (monotonic ns; 0: none): 0
 * (also at once when the kick changed s: the caller looks again),
 * -EAGAIN when it may not wait (nonblock) or the deadline has passed (as
 * Linux's SO_RCVTIMEO and SO_SNDTIMEO end a call), -EINTR.
 */
long sock_wait(struct kern_sock *s, int nonblock, uint64_t deadline);
/* sock_deadline: when a wait of timeo ns (0: none) from now ends. */
uint64_t sock_deadline(uint64_t timeo);
/* sock_wake: the threads waiting on s (and its pollers) look again. */
void sock_wake(struct kern_sock *s);
/*
 * sock_rx_push: p (from ip and port) goes onto s's pieces to read (a
 * small one copied out of its pool pbuf first); 0, or -ENOMEM and then
 * p is not taken. The caller keeps to SOCK_RX_PIECES.
 */
long sock_rx_push(struct kern_sock *s, struct pbuf *p, const ip_addr_t *ip,
		  u16_t port);
/*
 * sock_rx_copy: up to the iovecs' room from s's pieces into them, across
 * pieces unless one (a datagram's: the rest of its piece is dropped
 * unless peek); peek leaves them there. The bytes copied; the bytes
 * left of a single piece go to *left.
 */
size_t sock_rx_copy(struct kern_sock *s, const struct kern_iovec *iov,
		    unsigned long n, int peek, int one, size_t *left);
/* sock_rx_skip: up to len bytes of s's pieces dropped; how many. */
size_t sock_rx_skip(struct kern_sock *s, size_t len);
/*
 * sndq.c: the budget of TCP send queues (its top paragraph).
 * sock_sndq_default: the bytes a socket may hold unless SO_SNDBUF says.
 * sock_sndq_room: the bytes s may queue now, by its limit and the
 * budget. sock_sndq_lowat: the room that makes s writable (never 0, and
 * at most what an empty socket always has). sock_sndq_charge,
 * sock_sndq_uncharge: n bytes more or fewer in s's queue (uncharging
 * wakes the sockets waiting for the budget once there is room).
 * sock_sndq_wait: if the budget has less than s's low-water room left,
 * s is woken when it has room again; sock_sndq_forget: no longer.
 * sock_sndq_nomem: s, which lwIP found no memory for, is marked so
 * (snd_nomem) and woken at the network timer's next round
 * (sock_sndq_tick, stack.c), if nothing woke it sooner.
 * sock_sndq_usage: the bytes charged and the budget.
 */
size_t sock_sndq_default(void);
size_t sock_sndq_room(const struct kern_sock *s);
size_t sock_sndq_lowat(const struct kern_sock *s);
void sock_sndq_charge(struct kern_sock *s, size_t n);
void sock_sndq_uncharge(struct kern_sock *s, size_t n);
void sock_sndq_wait(struct kern_sock *s);
void sock_sndq_forget(struct kern_sock *s);
void sock_sndq_nomem(struct kern_sock *s);
void sock_sndq_tick(void);
void sock_sndq_usage(size_t *used, size_t *budget);
/*
 * sock_tcp_room (tcp.c): the bytes a write to s may give lwIP now:
 * lwIP's own bound and the budget's (sndq.c); 0 unless connected.
 */
size_t sock_tcp_room(const struct kern_sock *s);
/* sock_tcp_uncork (tcp.c): TCP_CORK is unset: what it held goes now. */
void sock_tcp_uncork(struct kern_sock *s);
/* sockopt.c: sock_apply: s's options onto its pcb (lwIP's view). */
void sock_apply(struct kern_sock *s);
/* sock_err_take: s's pending error, now cleared. */
int sock_err_take(struct kern_sock *s);
/* sock_lwip_errno: lwIP's err as -errno. */
long sock_lwip_errno(err_t err);

#endif /* RUMPXEN_KERN_NET_SOCK_H */
