/*
 * unix.h: what the two halves of AF_UNIX share: unix.c (sockets, their
 * names, connections, poll, options, the family's operations) and
 * unixmsg.c (what moves: messages, their bytes and the files passed with
 * them). A socket lives while anything points at it: its open file (or,
 * for a connection not yet accepted, its listener's queue), a peer
 * connected to it, a message it sent that is still queued. It dies when
 * its file goes (unix_kill): its peer learns, what it held to read goes
 * (and the files in it), its name can no longer be found; its memory
 * goes with the last pointer (unix_put). Everything runs with the CPU
 * held. Errors are -errno (kern.h).
 */
#ifndef RUMPXEN_KERN_SYS_UNIX_H
#define RUMPXEN_KERN_SYS_UNIX_H

#include "sys.h"

#define UNIX_ADDR_MAX	110    /* sizeof(struct sockaddr_un) */
#define UNIX_PATH_OFF	2      /* offsetof(struct sockaddr_un, sun_path) */
#define UNIX_DGRAM_QLEN 10     /* net.unix.max_dgram_qlen, Linux's default */
#define UNIX_BUF	212992 /* SO_SNDBUF and SO_RCVBUF at first */
#define UNIX_FDS_MAX	253    /* SCM_MAX_FD: files in one message */
#define UNIX_RCV	1      /* shut: no more to read (RCV_SHUTDOWN) */
#define UNIX_SEND	2      /* shut: no more to send (SEND_SHUTDOWN) */

/* A bound name: the whole sockaddr_un and its length, shared. */
struct unix_name {
	int refs;
	unsigned len;
	char addr[UNIX_ADDR_MAX + 1]; /* a path of 108 bytes gets its NUL */
};

/* A message: one send's bytes (or a stream's piece), and its files. */
struct unix_msg {
	struct unix_msg *next;
	struct unix_sock *from;	  /* its sender, referenced */
	struct kern_file **files; /* SCM_RIGHTS, referenced; or NULL */
	int nfiles;
	size_t len, off; /* its bytes, and how many are read (stream) */
	size_t charge;	 /* what it counts in its sender's wmem */
	int has_cred;	 /* credentials went with it (SO_PASSCRED) */
	struct kern_ucred cred;
	char data[];
};

enum { UNIX_NEW, UNIX_LISTENING, UNIX_CONNECTED };

struct unix_sock {
	int type;  /* KERN_SOCK_STREAM, _DGRAM or _SEQPACKET */
	int state; /* UNIX_*; a datagram socket: NEW or CONNECTED */
	int refs;
	int dead;		 /* its file is gone */
	int shut;		 /* UNIX_RCV, UNIX_SEND */
	int err;		 /* pending error (SO_ERROR): -errno, or 0 */
	struct unix_sock *peer;	 /* connected to, referenced */
	struct unix_name *name;	 /* bound (or a listener's, accepted) */
	struct vnode *vp;	 /* bound to a path: its node, referenced */
	struct unix_sock *bound; /* next in the list of bound sockets */
	struct unix_msg *rx, **rx_tail; /* what came, to read */
	size_t rx_len;			/* its bytes */
	int rx_count;			/* its messages */
	size_t wmem;			/* what it sent still queued */
	struct unix_sock *acceptq, **acceptq_tail; /* listening: */
	int nacc, backlog;	/* connections not yet accepted, how many may */
	struct unix_sock *next; /* in its listener's acceptq */
	struct kern_waitq q;	/* woken at every change */
	int sndbuf, rcvbuf;
	int rcvlowat; /* SO_RCVLOWAT: the bytes a stream read waits for */
	int passcred; /* SO_PASSCRED: credentials with each message */
	int has_cred; /* SO_PEERCRED has the peer's (connected, listening) */
	int opts;     /* options only kept (SO_REUSEADDR...), by bit */
	int priority, linger_on, linger_s; /* kept too */
	uint64_t rcvtimeo, sndtimeo;	 /* SO_RCVTIMEO, SO_SNDTIMEO; 0: none */
	struct kern_file *file;		 /* its open file, while it has one */
	int inflight;			 /* times that file is in a message */
	struct unix_sock *all, **all_pp; /* in the list of every socket */
	int gc;				 /* unixgc.c's mark */
	int gc_refs;			 /* unixgc.c's count */
	struct unix_sock *next_garbage;	 /* unixgc.c's list */
};

/* unix.c */
/* unix_put: a pointer to s is gone; the last frees it. */
void unix_put(struct unix_sock *s);
/*
 * unix_find: the live socket addr names (a path or an abstract name),
 * referenced, into *out: -EINVAL for an address that is none, the
 * path's lookup error, -ECONNREFUSED for no socket there, -EPROTOTYPE
 * for one of another type than type.
 */
long unix_find(const void *addr, unsigned len, int type,
	       struct unix_sock **out);
/*
 * unix_dgram_disconnected: datagram socket s is no longer connected to
 * old: what it held to read goes, and old, if connected back and alive,
 * has ECONNRESET to tell (Linux's unix_dgram_disconnected).
 */
void unix_dgram_disconnected(struct unix_sock *s, struct unix_sock *old);
/* unix_autobind: s gets a fresh abstract name if it has none. */
long unix_autobind(struct unix_sock *s);
/* unix_wait: s's queue until a change or deadline (0: none): 0, -EAGAIN
 * (nonblock, or the deadline passed), -EINTR. */
long unix_wait(struct kern_waitq *q, int nonblock, uint64_t deadline);
/* unix_deadline: when a wait of timeo ns (0: none) from now ends. */
uint64_t unix_deadline(uint64_t timeo);
/* unix_name_out: name's sockaddr (NULL: unbound, the family alone) to
 * addr, up to *len bytes; *len becomes its whole size. */
void unix_name_out(const struct unix_name *name, void *addr, unsigned *len);

/* unixopt.c: setsockopt and getsockopt, SOL_SOCKET's options. */
long unix_setopt(struct kern_file *f, int level, int name, const void *val,
		 unsigned len);
long unix_getopt(struct kern_file *f, int level, int name, void *val,
		 unsigned *len);

/* unixgc.c: the files in flight, and the cycles of them nobody holds. */
/* unix_inflight: f (any file) goes into (delta 1) or out of a message. */
void unix_inflight(struct kern_file *f, int delta);
/*
 * unix_inflight_room: more sockets may go in flight (at most as many as
 * an fd table holds, as Linux's too_many_unix_fds bounds them; this also
 * bounds how deep their release nests).
 */
int unix_inflight_room(void);
/*
 * unix_gc: sockets that only messages in flight hold, in cycles (a
 * socket passed over itself, two passed over each other), have their
 * queues dropped, so that they go; after a socket's file is released.
 */
void unix_gc(void);
/* unix_all_add, unix_all_remove: s joins or leaves the list gc scans. */
void unix_all_add(struct unix_sock *s);
void unix_all_remove(struct unix_sock *s);

/* unixmsg.c */
long unix_sendmsg(struct kern_file *f, const struct kern_msghdr *m, int flags);
long unix_recvmsg(struct kern_file *f, struct kern_msghdr *m, int flags);
/* unix_msg_free: m leaves nothing behind (its files, its charge). */
void unix_msg_free(struct unix_msg *m);
/* unix_dgram_full: other's queue has no room for s's datagram. */
int unix_dgram_full(const struct unix_sock *s, const struct unix_sock *other);

#endif /* RUMPXEN_KERN_SYS_UNIX_H */
