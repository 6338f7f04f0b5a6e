/*
 * net.h: the contract of the network layer (kern/net), beside the VFS and
 * the devices, over the core: lwIP's life (stack.c), the interfaces over
 * the if_virt calls (vif.c) and the sockets of the Internet domain
 * (socket.c, tcp.c, udp.c). The syscall layer (kern/sys/socket.c) makes
 * open files of sockets and calls these; kern/init.c calls
 * kern_net_init. Everything runs with the CPU held; errors are -errno
 * (kern.h).
 */
#ifndef RUMPXEN_KERN_NET_H
#define RUMPXEN_KERN_NET_H

#include "../abi.h"
#include "../kern.h"

/* stack.c */
/*
 * kern_net_init: lwIP, its loopback, its timers, the configured vifs
 * (their DHCP leases in), the DNS servers of the dns= word.
 */
int kern_net_init(void);
/*
 * kern_net_dns_server: DNS server i (from 0) as text into buf: from the
 * dns= word, or DHCP's; 0, or -ENOENT past the last.
 */
int kern_net_dns_server(int i, char *buf, size_t len);
/*
 * kern_net_kick: what every entry into lwIP ends with, once lwIP has
 * returned: looped frames are handed on, queued frames go out (which may
 * give the CPU back meanwhile), the timer thread learns of a sooner
 * timeout.
 */
void kern_net_kick(void);
/*
 * kern_net_kick_deferred: kern_net_kick for the platform's receive
 * thread, which must not wait to send (its peer's receiver may be
 * waiting for it): the timer thread sends the queued frames instead.
 */
void kern_net_kick_deferred(void);
/*
 * kern_net_drain: the process has ended and closed its sockets: TCP
 * connections still sending (data, or a FIN not yet acknowledged) get
 * up to ns to finish, as a Linux kernel finishes them after the process,
 * before the kernel itself ends. Says how many did not. The CPU held.
 */
void kern_net_drain(uint64_t ns);

/* vif.c */
/*
 * kern_net_vif_init: each vif the configuration names (net.vifN=
 * ADDRESS[/PREFIX][,gw=ADDRESS], N from 0) attached and up; 0 or -errno,
 * with the reason on the console.
 */
int kern_net_vif_init(void);
/* kern_net_vif_flush: the frames lwIP queued go out (kern_net_kick). */
void kern_net_vif_flush(void);
/* kern_net_vif_pending: frames are queued to go out. */
int kern_net_vif_pending(void);
struct netif;
/* kern_net_vif_unit: N of vifN, lwIP's interface n (not the loopback). */
int kern_net_vif_unit(const struct netif *n);

/* tso.c */
/* KERN_NET_TSO_HDR: the headers of a frame that may be joined. */
#define KERN_NET_TSO_HDR 54
/*
 * kern_net_tso_payload: the TCP payload's bytes of frame f[0..len) if it
 * may be joined with others (the rules at the top of tso.c), else 0.
 * kern_net_tso_follows: whether frame b may follow frame a (a joinable
 * frame of a run whose segments carry mss bytes) in the same super-frame.
 * kern_net_tso_header: the super-frame's headers into hdr
 * (KERN_NET_TSO_HDR bytes), from its first and last frames, for total
 * bytes in all.
 */
size_t kern_net_tso_payload(const unsigned char *f, size_t len);
int kern_net_tso_follows(const unsigned char *a, size_t alen,
			 const unsigned char *b, size_t blen, size_t mss);
void kern_net_tso_header(unsigned char *hdr, const unsigned char *first,
			 const unsigned char *last, size_t total);

/* ifreq.c */
/*
 * kern_net_ioctl: the interface requests of a socket's ioctl (SIOCGIF*:
 * NAME, CONF, FLAGS, ADDR, NETMASK, MTU, HWADDR, INDEX) on arg, Linux's
 * struct ifreq or ifconf; -ENOTTY for another request.
 */
long kern_net_ioctl(unsigned long req, void *arg);
/* An interface as Linux's netlink shows it (kern_net_link). */
struct kern_net_link {
	int index; /* from 1 */
	char name[16];
	unsigned flags; /* IFF_* */
	unsigned type;	/* ARPHRD_* */
	unsigned mtu;
	unsigned char mac[6];
	unsigned maclen;
	uint32_t ip4, mask4; /* network order; 0: none */
	unsigned n6;
	struct {
		unsigned char addr[16];
		int link; /* link-local */
	} ip6[8];
};
/* kern_net_link: interface i (from 0, in the order of their indices) into
 * l; 0, or -ENODEV past the last. */
int kern_net_link(int i, struct kern_net_link *l);

/*
 * Sockets of the Internet domain (socket.c: what TCP and UDP share; tcp.c
 * and udp.c), which the syscall layer makes open files of. nonblock is
 * the file's O_NONBLOCK or the call's MSG_DONTWAIT: EAGAIN where the
 * call would wait. A wait gives the CPU back and ends with EINTR when a
 * signal comes. Addresses are Linux's struct sockaddr_in.
 */
struct kern_sock;
/* kern_sock_new: a socket of (domain, type, protocol), into *out. */
long kern_sock_new(int domain, int type, int protocol, struct kern_sock **out);
/* kern_sock_close: the socket's last reference is gone. */
void kern_sock_close(struct kern_sock *s);
long kern_sock_bind(struct kern_sock *s, const void *addr, unsigned len);
long kern_sock_listen(struct kern_sock *s, int backlog);
/*
 * kern_sock_accept: the next connection of listening s, into *out, and
 * its peer's address into addr (up to *len bytes; *len becomes the
 * whole size) if addr is not NULL.
 */
long kern_sock_accept(struct kern_sock *s, int nonblock, struct kern_sock **out,
		      void *addr, unsigned *len);
long kern_sock_connect(struct kern_sock *s, const void *addr, unsigned len,
		       int nonblock);
/*
 * kern_sock_send, kern_sock_recv: sendmsg and recvmsg, with the MSG_*
 * flags; addr may be NULL (for recv it is filled up to *alen, which
 * becomes the whole size). send's -EPIPE wants a SIGPIPE (the caller's,
 * unless MSG_NOSIGNAL). recv sets *mflags (MSG_TRUNC) if not NULL.
 */
long kern_sock_send(struct kern_sock *s, const struct kern_iovec *iov,
		    unsigned long n, int flags, int nonblock, const void *addr,
		    unsigned alen);
long kern_sock_recv(struct kern_sock *s, const struct kern_iovec *iov,
		    unsigned long n, int flags, int nonblock, void *addr,
		    unsigned *alen, int *mflags);
long kern_sock_shutdown(struct kern_sock *s, int how);
/* kern_sock_name: s's own address (peer 0) or its peer's, as accept's. */
long kern_sock_name(struct kern_sock *s, int peer, void *addr, unsigned *len);
long kern_sock_setopt(struct kern_sock *s, int level, int name, const void *val,
		      unsigned len);
long kern_sock_getopt(struct kern_sock *s, int level, int name, void *val,
		      unsigned *len);
/* kern_sock_poll: s's ready KERN_POLL* events; pt as a file's poll. */
unsigned kern_sock_poll(struct kern_sock *s, struct kern_poll *pt);
/*
 * kern_sock_room: the bytes a send would take now without waiting (a
 * connected TCP socket's room, sndq.c), or -1 when s cannot tell.
 */
long kern_sock_room(struct kern_sock *s);
/* kern_sock_nread: the bytes a read would bring now (FIONREAD), or
 * -EINVAL for a listening socket. */
long kern_sock_nread(struct kern_sock *s);

#endif /* RUMPXEN_KERN_NET_H */
