/*
 * sockdiff: the kernel's sockets (kern/sys/unix*.c for AF_UNIX, kern/net
 * over lwIP's loopback for TCP and UDP on 127.0.0.1 and ::1) against
 * Linux's, differentially. One pseudo-random sequence of socket calls,
 * drawn from a seed, runs step by step on two backends that differ only
 * in how a syscall is made: "host" makes raw Linux syscalls (its paths
 * in a fresh directory of its own, its cwd), "kern" passes the same
 * numbers and arguments to __rumpxen_syscall (paths in /sockdiff).
 *
 * Eight slots hold sockets. The calls: socket (AF_UNIX stream, datagram
 * and seqpacket, AF_INET and AF_INET6 stream and datagram; always
 * SOCK_NONBLOCK, so that no call waits), socketpair, bind (paths,
 * abstract names, autobind, addresses that are none; 127.0.0.1, ::1,
 * ::ffff:127.0.0.1 or any address, port 0 or a port another slot holds),
 * unlink of a path, listen, connect (to a name, to another slot's port,
 * AF_UNSPEC), accept4, send and sendto (with MSG_NOSIGNAL; lengths from
 * 0 to 3000), sendmsg passing files with SCM_RIGHTS (or a bad fd), recv
 * and recvmsg (MSG_PEEK, MSG_WAITALL, MSG_TRUNC; control room for none,
 * part or all of what came), shutdown, close, getsockname and
 * getpeername, getsockopt and setsockopt (SO_TYPE, SO_ERROR,
 * SO_ACCEPTCONN, SO_DOMAIN, SO_PROTOCOL, SO_RCVBUF, SO_PASSCRED,
 * SO_PEERCRED, SO_RCVLOWAT, SO_RCVTIMEO, IPV6_V6ONLY, an unknown one, a
 * level AF_UNIX has not), FIONREAD and poll.
 *
 * After each step the backends must agree on every value and errno (fds
 * only on being fds), the bytes read (length and contents), names
 * (AF_UNIX: whole, except the five characters autobind picks; AF_INET
 * and AF_INET6: the address, and whether the port is 0), msg_flags, each
 * control message's level, type and length, the type of each file
 * passed, the credentials' ids (the pid only on being one), and poll's
 * events. POLLOUT is not compared while the host counts more than 16 KiB
 * queued from the socket: Linux counts buffers by their whole size, so
 * where a full send buffer lies differs. Ports themselves are not
 * compared. Left out, where lwIP and Linux part: a TCP socket after its
 * connect failed (closed, as programs do), TCP connecting to itself,
 * connected UDP (Linux reports ICMP errors to it), zero-length messages
 * passing files.
 *
 * Usage: sockdiff [-v] [SEED [STEPS]]. Without a seed, seeds 1 to 8 of
 * 2,500 steps each (make check's 20,000); -v prints each step. The
 * first difference is printed (seed, step, call, both outcomes) and
 * exits 1; else "N steps, 0 differences", 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "../../kern/kern.h"

long __rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5,
		       long a6);

#define NSLOT	8
#define MAXDATA 3000
#define OUTLEN	4096

struct backend {
	const char *name;
	long (*call)(long n, const long a[6]);
	int slot[NSLOT]; /* fd, or -1 */
	int pipe[2];	 /* files to pass besides sockets */
};

/* What the generator knows of a slot: what the host made there. */
struct slotinfo {
	int used;
	int domain, type;
};

static struct slotinfo model[NSLOT];
static uint64_t rng;
static char abstract_tag[24];
static int verbose;

static uint64_t
rnd64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static long
rnd(long n)
{
	return (long)(rnd64() % (uint64_t)n);
}

static long
host_call(long n, const long a[6])
{
	long r = syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
	return r < 0 ? -errno : r;
}

static long
kern_call(long n, const long a[6])
{
	return __rumpxen_syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* SYS: a call of b's with up to six arguments. */
#define SYS(b, n, ...) call6((b), (n), (long[6]){__VA_ARGS__})
static long
call6(struct backend *b, long n, long a[6])
{
	return b->call(n, a);
}

/* An outcome: the facts a step gave, as text. */
struct out {
	char s[OUTLEN];
	size_t n;
};

static void
say(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int k = vsnprintf(o->s + o->n, sizeof(o->s) - o->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->n += (size_t)k < sizeof(o->s) - o->n
				? (size_t)k
				: sizeof(o->s) - o->n - 1;
}

/* say_ret: a return value: an errno's name-free number, or the value. */
static void
say_ret(struct out *o, const char *what, long r)
{
	if (r < 0)
		say(o, "%s=-%s ", what, strerrorname_np((int)-r));
	else
		say(o, "%s=%ld ", what, r);
}

/* say_data: bytes as a length and a checksum. */
static void
say_data(struct out *o, const unsigned char *p, long n)
{
	uint32_t h = 2166136261u;

	for (long i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	say(o, "data=%ld/%08x ", n, h);
}

/* say_name: a sockaddr of len bytes as the comparison sees it. */
static void
say_name(struct out *o, const void *addr, unsigned len, unsigned cap)
{
	const struct sockaddr_un *u = addr;
	const struct sockaddr_in *in = addr;
	const struct sockaddr_in6 *in6 = addr;

	say(o, "namelen=%u ", len);
	if (len < 2 || cap < 2)
		return;
	if (u->sun_family == AF_INET && len >= sizeof(*in)) {
		say(o, "inet=%08x:%s ", ntohl(in->sin_addr.s_addr),
		    in->sin_port != 0 ? "port" : "0");
		return;
	}
	if (u->sun_family == AF_INET6 && len >= sizeof(*in6) &&
	    cap >= sizeof(*in6)) {
		char text[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
		say(o, "inet6=[%s]:%s scope %u ", text,
		    in6->sin6_port != 0 ? "port" : "0", in6->sin6_scope_id);
		return;
	}
	if (u->sun_family != AF_UNIX) {
		say(o, "family=%u ", u->sun_family);
		return;
	}
	unsigned n = (len < cap ? len : cap) - 2;
	if (n == 6 && u->sun_path[0] == 0 && memcmp(u->sun_path + 1, "sd", 2))
		say(o, "autobound "); /* "\0XXXXX": the kernel's pick */
	else {
		say(o, "un=");
		for (unsigned i = 0; i < n; i++)
			say(o,
			    u->sun_path[i] >= 0x20 && u->sun_path[i] < 0x7f
				    ? "%c"
				    : "\\%o",
			    (unsigned char)u->sun_path[i]);
		say(o, " ");
	}
}

/* The step's call and its arguments, drawn before either backend runs. */
enum opkind {
	OP_SOCKET,
	OP_PAIR,
	OP_BIND,
	OP_UNLINK,
	OP_LISTEN,
	OP_CONNECT,
	OP_ACCEPT,
	OP_SEND,
	OP_SENDFD,
	OP_RECV,
	OP_SHUTDOWN,
	OP_CLOSE,
	OP_NAME,
	OP_GETOPT,
	OP_SETOPT,
	OP_FIONREAD,
	OP_POLL,
	OP_COUNT
};
static const char *const op_names[OP_COUNT] = {
	"socket", "socketpair", "bind",	      "unlink",	  "listen",   "connect",
	"accept", "send",	"sendfd",     "recv",	  "shutdown", "close",
	"name",	  "getsockopt", "setsockopt", "FIONREAD", "poll"};
static const int op_weight[OP_COUNT] = {6,  3, 5, 1, 3, 6, 4, 10, 3,
					10, 2, 3, 2, 3, 2, 2, 4};

/*
 * A name to bind, connect or send to: kind 0 a path, 1 abstract, 2 the
 * family alone (autobind), 3 none (too short, another family, too
 * long), 4 an AF_INET slot's port, 5 127.0.0.1 port 0, 6 any port 0.
 */
struct target {
	int kind, k, slot;
	int v6; /* kinds 4 to 6 in IPv6's form ([::1], [::]) */
};

struct op {
	enum opkind kind;
	int s, t;	  /* slots */
	int domain, type; /* socket, socketpair */
	int flags;	  /* MSG_* or the like */
	long len, arg;
	struct target to;
	int dest[3]; /* slots for what comes (accept, passed files), or -1 */
};

static int
free_slot(void)
{
	int k = (int)rnd(NSLOT);
	for (int i = 0; i < NSLOT; i++)
		if (!model[(k + i) % NSLOT].used)
			return (k + i) % NSLOT;
	return -1;
}

static int
any_slot(void)
{
	int k = (int)rnd(NSLOT);
	for (int i = 0; i < NSLOT; i++)
		if (model[(k + i) % NSLOT].used)
			return (k + i) % NSLOT;
	return k;
}

/* inet: slot s holds an AF_INET or AF_INET6 socket. */
static int
inet(int s)
{
	return model[s].domain == AF_INET || model[s].domain == AF_INET6;
}

/* gen_target: a name fit for slot s (mostly), sometimes not. */
static struct target
gen_target(int s)
{
	struct target t = {0, (int)rnd(3), any_slot(), 0};

	if (inet(s)) {
		t.kind = rnd(10) < 7 ? 4 : 5 + (int)rnd(2);
		t.v6 = model[s].domain == AF_INET6 ? rnd(10) != 0
						   : rnd(10) == 0;
		if (model[s].domain == AF_INET6 && rnd(8) == 0)
			t.kind = 8; /* ::ffff:127.0.0.1 */
		if (rnd(20) == 0)
			t.kind = (int)rnd(2);
		return t;
	}
	long r = rnd(20);
	t.kind = r < 9 ? 0 : r < 17 ? 1 : r < 19 ? 2 : 3;
	if (rnd(30) == 0)
		t.kind = 4;
	return t;
}

/* udp: slot s holds a UDP socket (of IPv4 or IPv6). */
static int
udp(int s)
{
	return model[s].used && inet(s) && model[s].type == SOCK_DGRAM;
}

static void
gen(struct op *op)
{
	long total = 0, r;

	memset(op, 0, sizeof(*op));
	for (int i = 0; i < OP_COUNT; i++)
		total += op_weight[i];
	r = rnd(total);
	for (op->kind = 0; r >= op_weight[op->kind]; op->kind++)
		r -= op_weight[op->kind];
	op->s = any_slot();
	op->t = any_slot();
	op->dest[0] = op->dest[1] = op->dest[2] = -1;
	switch (op->kind) {
	case OP_SOCKET:
	case OP_PAIR:
		op->s = free_slot();
		if (op->s < 0) {
			op->kind = OP_CLOSE;
			op->s = any_slot();
			break;
		}
		model[op->s].used = 1; /* for the pair's second slot */
		op->t = free_slot();
		model[op->s].used = 0;
		r = rnd(10);
		op->domain = r == 0 ? AF_INET : r == 1 ? AF_INET6 : AF_UNIX;
		if (op->kind == OP_PAIR || rnd(30) == 0)
			op->domain = rnd(30) == 0 ? AF_INET : AF_UNIX;
		r = rnd(10);
		op->type = r < 4   ? SOCK_STREAM
			   : r < 7 ? SOCK_DGRAM
				   : SOCK_SEQPACKET;
		if (op->domain != AF_UNIX && op->type == SOCK_SEQPACKET &&
		    rnd(10) != 0)
			op->type = SOCK_STREAM;
		if (op->kind == OP_PAIR && op->t < 0)
			op->kind = OP_SOCKET;
		break;
	case OP_BIND:
	case OP_CONNECT:
		/*
		 * No connected UDP: Linux reports ICMP errors to one (a send
		 * to a port nobody holds), lwIP does not.
		 */
		if (op->kind == OP_CONNECT && udp(op->s)) {
			op->kind = OP_NAME;
			break;
		}
		op->to = gen_target(op->s);
		/* not TCP's connect to itself (simultaneous open: lwIP has
		 * none, Linux connects the socket to itself) */
		if (op->kind == OP_CONNECT && op->to.slot == op->s)
			op->to.slot = (op->s + 1) % NSLOT;
		/* the any address: only to bind (Linux takes it as its
		 * own, lwIP as none) */
		if (op->kind == OP_CONNECT && op->to.kind == 6)
			op->to.kind = 5;
		/* AF_UNSPEC; not on TCP, whose disconnect lwIP lacks */
		if (op->kind == OP_CONNECT && rnd(15) == 0 &&
		    !(inet(op->s) && model[op->s].type == SOCK_STREAM))
			op->to.kind = 7;
		break;
	case OP_UNLINK:
		op->arg = rnd(3);
		break;
	case OP_LISTEN:
		op->arg = (long[]){0, 1, 2, 5, -1}[rnd(5)];
		break;
	case OP_ACCEPT:
		op->dest[0] = free_slot();
		break;
	case OP_SEND:
		op->len = (long[]){0, 1, 17, 100, 700, 3000}[rnd(6)];
		op->flags = MSG_NOSIGNAL | (rnd(4) == 0 ? MSG_DONTWAIT : 0);
		if (rnd(3) == 0 || udp(op->s)) {
			op->to = gen_target(op->s);
			if (op->to.kind == 6)
				op->to.kind = 5;
		} else
			op->to.kind = -1; /* send, no address */
		break;
	case OP_SENDFD:
		op->len = 1 + rnd(60);
		op->arg = 1 + rnd(3); /* files */
		op->flags = MSG_NOSIGNAL;
		break;
	case OP_RECV:
		op->len = (long[]){0, 1, 10, 100, 1000, 4000}[rnd(6)];
		r = rnd(10);
		op->flags = r < 6   ? 0
			    : r < 8 ? MSG_PEEK
			    : r < 9 ? MSG_WAITALL
				    : MSG_TRUNC;
		op->arg = (long[]){0, 16, 20, 24, 32, 64, 256}[rnd(7)];
		op->to.kind = (int)rnd(3); /* name room: none, 8, 128 */
		op->dest[0] = free_slot();
		if (op->dest[0] >= 0) {
			model[op->dest[0]].used = 1;
			op->dest[1] = free_slot();
			if (op->dest[1] >= 0) {
				model[op->dest[1]].used = 1;
				op->dest[2] = free_slot();
				model[op->dest[1]].used = 0;
			}
			model[op->dest[0]].used = 0;
		}
		break;
	case OP_SHUTDOWN:
		op->arg = rnd(8) == 0 ? 3 : rnd(3);
		break;
	case OP_NAME:
		op->arg = rnd(2);
		op->len = (long[]){0, 3, 16, 110, 128}[rnd(5)];
		break;
	case OP_GETOPT:
		op->arg = (long[]){SO_TYPE,	SO_ERROR,    SO_ACCEPTCONN,
				   SO_DOMAIN,	SO_PROTOCOL, SO_RCVBUF,
				   SO_PASSCRED, SO_PEERCRED, SO_RCVLOWAT,
				   SO_RCVTIMEO, 1000,	     -1,
				   -2}[rnd(13)];
		break;
	case OP_SETOPT:
		op->arg = (long[]){
			SO_RCVBUF,    SO_PASSCRED, SO_RCVLOWAT, SO_RCVTIMEO,
			SO_REUSEADDR, 1000,	   -1,		-2}[rnd(8)];
		op->len = rnd(4);
		break;
	case OP_POLL:
	case OP_FIONREAD:
	case OP_CLOSE:
	case OP_COUNT:
		break;
	}
}

/* fd: slot s's fd in b, or a bad one. */
static long
fd(struct backend *b, int s)
{
	return s >= 0 && b->slot[s] >= 0 ? b->slot[s] : 1000 + s;
}

/* port_of: the port of b's slot s (network order), or 0. */
static unsigned short
port_of(struct backend *b, int s)
{
	struct sockaddr_storage a = {0};
	socklen_t len = sizeof(a);

	if (SYS(b, SYS_getsockname, fd(b, s), (long)&a, (long)&len) != 0)
		return 0;
	if (a.ss_family == AF_INET)
		return ((struct sockaddr_in *)&a)->sin_port;
	if (a.ss_family == AF_INET6)
		return ((struct sockaddr_in6 *)&a)->sin6_port;
	return 0;
}

/* make_name: target t as b's sockaddr into addr; its length. */
static unsigned
make_name(struct backend *b, const struct target *t,
	  struct sockaddr_storage *addr)
{
	struct sockaddr_un *u = (void *)addr;
	struct sockaddr_in *in = (void *)addr;
	struct sockaddr_in6 *in6 = (void *)addr;

	memset(addr, 0, sizeof(*addr));
	switch (t->kind) {
	case 0:
		u->sun_family = AF_UNIX;
		snprintf(u->sun_path, sizeof(u->sun_path), "u%d", t->k);
		return (unsigned)(offsetof(struct sockaddr_un, sun_path) + 3 +
				  (t->k == 2)); /* one with its NUL, one not */
	case 1:
		u->sun_family = AF_UNIX;
		memcpy(u->sun_path + 1, abstract_tag, strlen(abstract_tag));
		u->sun_path[1 + strlen(abstract_tag)] = (char)('0' + t->k);
		return (unsigned)(offsetof(struct sockaddr_un, sun_path) + 2 +
				  strlen(abstract_tag));
	case 2:
		u->sun_family = AF_UNIX;
		return 2;
	case 3:
		u->sun_family = t->k == 1 ? AF_INET6 : AF_UNIX;
		memset(u->sun_path, 'x', sizeof(u->sun_path));
		return t->k == 0 ? 1 : t->k == 1 ? 8 : sizeof(*u) + 1;
	case 4:
	case 5:
	case 6:
		if (t->v6) {
			in6->sin6_family = AF_INET6;
			if (t->kind != 6)
				in6->sin6_addr = in6addr_loopback;
			in6->sin6_port = t->kind == 4 ? port_of(b, t->slot) : 0;
			return sizeof(*in6);
		}
		in->sin_family = AF_INET;
		in->sin_addr.s_addr =
			htonl(t->kind == 6 ? INADDR_ANY : INADDR_LOOPBACK);
		in->sin_port = t->kind == 4 ? port_of(b, t->slot) : 0;
		return sizeof(*in);
	case 8:
		in6->sin6_family = AF_INET6;
		in6->sin6_addr.s6_addr[10] = in6->sin6_addr.s6_addr[11] = 0xff;
		in6->sin6_addr.s6_addr[12] = 127;
		in6->sin6_addr.s6_addr[15] = 1;
		in6->sin6_port = port_of(b, t->slot);
		return sizeof(*in6);
	default:
		in->sin_family = AF_UNSPEC;
		return sizeof(*in);
	}
}

static void
pattern(unsigned char *p, long n, long seed)
{
	for (long i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 131 + i * 7 + (i >> 8));
}

/* ftype: the kind of file fd is in b: "sock", "other" or an errno. */
static const char *
ftype(struct backend *b, long f)
{
	struct stat st;
	long r = SYS(b, SYS_fstat, f, (long)&st);

	if (r < 0)
		return "bad";
	return S_ISSOCK(st.st_mode) ? "sock" : "other";
}

/* place: fd f of b goes into slot s (closed when s is -1). */
static void
place(struct backend *b, int s, long f)
{
	if (s >= 0)
		b->slot[s] = (int)f;
	else {
		SYS(b, SYS_close, f);
	}
}

static void
run_socket(struct backend *b, const struct op *op, struct out *o)
{
	long r;

	if (op->kind == OP_SOCKET) {
		r = SYS(b, SYS_socket, op->domain, op->type | SOCK_NONBLOCK, 0);
		say_ret(o, "socket", r < 0 ? r : 0);
		if (r >= 0)
			place(b, op->s, r);
		return;
	}
	int sv[2];
	r = SYS(b, SYS_socketpair, op->domain, op->type | SOCK_NONBLOCK, 0,
		(long)sv);
	say_ret(o, "socketpair", r);
	if (r == 0) {
		place(b, op->s, sv[0]);
		place(b, op->t, sv[1]);
	}
}

static void
run_send(struct backend *b, const struct op *op, struct out *o)
{
	unsigned char buf[MAXDATA];
	struct sockaddr_storage a;
	long r;

	pattern(buf, op->len, op->len + op->s);
	if (op->to.kind < 0)
		r = SYS(b, SYS_sendto, fd(b, op->s), (long)buf, op->len,
			op->flags, 0, 0);
	else {
		unsigned alen = make_name(b, &op->to, &a);
		r = SYS(b, SYS_sendto, fd(b, op->s), (long)buf, op->len,
			op->flags, (long)&a, alen);
	}
	say_ret(o, "send", r);
}

static void
run_sendfd(struct backend *b, const struct op *op, struct out *o)
{
	unsigned char buf[64];
	int fds[3];
	union {
		struct cmsghdr h;
		char room[CMSG_SPACE(sizeof(fds))];
	} c;
	struct iovec iov = {buf, (size_t)op->len};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};

	pattern(buf, op->len, op->s);
	for (int i = 0; i < op->arg; i++) {
		/*
		 * AF_INET sockets and a pipe's ends: files that hold no
		 * others, so that no cycle in flight forms, whose collection
		 * Linux makes later in a work queue of its own (kernunix
		 * tests the kernel's).
		 */
		int k = (op->t + i) % NSLOT;
		fds[i] = model[k].used && inet(k) ? (int)fd(b, k)
						  : b->pipe[k % 2];
	}
	if (op->arg == 3 && op->t == 0)
		fds[2] = 999; /* a bad one */
	memset(&c, 0, sizeof(c));
	c.h.cmsg_level = SOL_SOCKET;
	c.h.cmsg_type = SCM_RIGHTS;
	c.h.cmsg_len = CMSG_LEN(sizeof(int) * (size_t)op->arg);
	memcpy(CMSG_DATA(&c.h), fds, sizeof(int) * (size_t)op->arg);
	m.msg_control = &c;
	m.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)op->arg);
	say_ret(o, "sendmsg",
		SYS(b, SYS_sendmsg, fd(b, op->s), (long)&m, op->flags));
}

static void
run_recv(struct backend *b, const struct op *op, struct out *o)
{
	unsigned char buf[4000];
	struct sockaddr_storage name;
	unsigned cap = (unsigned[]){0, 8, 128}[op->to.kind];
	char control[256];
	struct iovec iov = {buf, (size_t)op->len};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	int next = 0;
	long r;

	memset(&name, 0x55, sizeof(name));
	memset(control, 0, sizeof(control));
	if (cap > 0) {
		m.msg_name = &name;
		m.msg_namelen = cap;
	}
	if (op->arg > 0) {
		m.msg_control = control;
		m.msg_controllen = (size_t)op->arg;
	}
	r = SYS(b, SYS_recvmsg, fd(b, op->s), (long)&m, op->flags);
	say_ret(o, "recvmsg", r);
	if (r < 0)
		return;
	say_data(o, buf, r < op->len ? r : op->len);
	say(o, "flags=%x ", m.msg_flags);
	if (cap > 0)
		say_name(o, &name, m.msg_namelen, cap);
	say(o, "controllen=%zu ", m.msg_controllen);
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h != NULL;
	     h = CMSG_NXTHDR(&m, h)) {
		say(o, "cmsg(%d,%d,%zu) ", h->cmsg_level, h->cmsg_type,
		    (size_t)h->cmsg_len);
		if (h->cmsg_type == SCM_CREDENTIALS &&
		    h->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred u;
			memcpy(&u, CMSG_DATA(h), sizeof(u));
			say(o, "cred(%s,%u,%u) ", u.pid > 0 ? "pid" : "0",
			    u.uid, u.gid);
		}
		if (h->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		/* a cut cmsg may claim more than is in the room */
		size_t room = (size_t)((char *)control + m.msg_controllen -
				       (char *)CMSG_DATA(h)) /
			      sizeof(int);
		for (size_t i = 0; i < n && i < room; i++) {
			int f;
			memcpy(&f, CMSG_DATA(h) + i * sizeof(int), sizeof(f));
			say(o, "file=%s ", ftype(b, f));
			place(b, next < 3 ? op->dest[next] : -1, f);
			next++;
		}
	}
}

static void
run_name(struct backend *b, const struct op *op, struct out *o)
{
	struct sockaddr_storage a;
	socklen_t len = (socklen_t)op->len;
	long r;

	memset(&a, 0x55, sizeof(a));
	r = SYS(b, op->arg ? SYS_getpeername : SYS_getsockname, fd(b, op->s),
		(long)&a, (long)&len);
	say_ret(o, op->arg ? "getpeername" : "getsockname", r);
	if (r == 0)
		say_name(o, &a, len, (unsigned)op->len);
}

/* opt_name: the option number of op's arg: -1 SOL_IP's 1 (IP_TOS),
 * -2 IPV6_V6ONLY, else the SOL_SOCKET option it is. */
static int
opt_name(long arg)
{
	return arg == -1 ? 1 : arg == -2 ? IPV6_V6ONLY : (int)arg;
}

static void
run_getopt(struct backend *b, const struct op *op, struct out *o)
{
	union {
		int i;
		struct ucred c;
		struct timeval tv;
		char room[32];
	} v;
	socklen_t len = sizeof(v);
	int level = op->arg == -1   ? SOL_IP
		    : op->arg == -2 ? IPPROTO_IPV6
				    : SOL_SOCKET;
	long r;

	memset(&v, 0, sizeof(v));
	r = SYS(b, SYS_getsockopt, fd(b, op->s), level, opt_name(op->arg),
		(long)&v, (long)&len);
	say_ret(o, "getsockopt", r);
	if (r != 0)
		return;
	say(o, "len=%u ", len);
	if (op->arg == SO_PEERCRED)
		say(o, "cred(%s,%d,%d) ", v.c.pid > 0 ? "pid" : "0",
		    (int)v.c.uid, (int)v.c.gid);
	else if (op->arg == SO_RCVTIMEO) /* Linux's rounds it to its HZ */
		say(o, "tv=%s ", v.tv.tv_sec || v.tv.tv_usec ? "set" : "0");
	else if (op->arg != SO_RCVBUF || model[op->s].domain == AF_UNIX)
		say(o, "v=%d ", v.i);
}

static void
run_setopt(struct backend *b, const struct op *op, struct out *o)
{
	struct timeval tv = {0, 0};
	int v = (int[]){0, 1, 4096, 100000}[op->len];
	int level = op->arg == -1   ? SOL_IP
		    : op->arg == -2 ? IPPROTO_IPV6
				    : SOL_SOCKET;
	long r;

	if (op->arg == SO_RCVTIMEO) {
		tv.tv_usec = (long)op->len * 1000; /* short: no call waits */
		r = SYS(b, SYS_setsockopt, fd(b, op->s), level, op->arg,
			(long)&tv, op->len == 3 ? 4 : sizeof(tv));
	} else
		r = SYS(b, SYS_setsockopt, fd(b, op->s), level,
			opt_name(op->arg), (long)&v, sizeof(v));
	say_ret(o, "setsockopt", r);
}

/* outq_big: the host counts over 16 KiB queued from slot s. */
static int
outq_big(struct backend *host, int s)
{
	int q = 0;

	return ioctl((int)fd(host, s), SIOCOUTQ, &q) == 0 && q > 16384;
}

/*
 * tcp_settle: after a TCP connect of slot s (r), its end: a poll waits
 * for it over loopback, SO_ERROR says it; a connect that failed closes
 * the socket, as programs do (what Linux's socket does after, half
 * connecting still, is not compared).
 */
static void
tcp_settle(struct backend *b, int s, long r, struct out *o)
{
	struct pollfd p = {(int)fd(b, s), POLLOUT, 0};
	int e = 0;
	socklen_t len = sizeof(e);

	if (r == -EINPROGRESS)
		SYS(b, SYS_poll, (long)&p, 1, 5000);
	SYS(b, SYS_getsockopt, fd(b, s), SOL_SOCKET, SO_ERROR, (long)&e,
	    (long)&len);
	say(o, "so_error=%d ", e);
	if (e != 0 ||
	    (r != 0 && r != -EINPROGRESS && r != -EISCONN && r != -EALREADY)) {
		SYS(b, SYS_close, fd(b, s));
		b->slot[s] = -1;
	}
}

static void
run(struct backend *b, const struct op *op, struct out *o, int big)
{
	struct sockaddr_storage a;
	unsigned alen;
	long r;

	o->n = 0;
	o->s[0] = 0;
	switch (op->kind) {
	case OP_SOCKET:
	case OP_PAIR:
		run_socket(b, op, o);
		break;
	case OP_BIND:
		alen = make_name(b, &op->to, &a);
		say_ret(o, "bind",
			SYS(b, SYS_bind, fd(b, op->s), (long)&a, alen));
		break;
	case OP_UNLINK: {
		char path[4] = {'u', (char)('0' + op->arg), 0};
		say_ret(o, "unlink",
			SYS(b, SYS_unlinkat, AT_FDCWD, (long)path, 0));
		break;
	}
	case OP_LISTEN:
		say_ret(o, "listen", SYS(b, SYS_listen, fd(b, op->s), op->arg));
		break;
	case OP_CONNECT:
		alen = make_name(b, &op->to, &a);
		r = SYS(b, SYS_connect, fd(b, op->s), (long)&a, alen);
		say_ret(o, "connect", r);
		if (inet(op->s) && model[op->s].type == SOCK_STREAM)
			tcp_settle(b, op->s, r, o);
		break;
	case OP_ACCEPT:
		r = SYS(b, SYS_accept4, fd(b, op->s), 0, 0, SOCK_NONBLOCK);
		say_ret(o, "accept", r < 0 ? r : 0);
		if (r >= 0)
			place(b, op->dest[0], r);
		break;
	case OP_SEND:
		run_send(b, op, o);
		break;
	case OP_SENDFD:
		run_sendfd(b, op, o);
		break;
	case OP_RECV:
		run_recv(b, op, o);
		break;
	case OP_SHUTDOWN:
		say_ret(o, "shutdown",
			SYS(b, SYS_shutdown, fd(b, op->s), op->arg));
		break;
	case OP_CLOSE:
		say_ret(o, "close", SYS(b, SYS_close, fd(b, op->s)));
		b->slot[op->s] = -1;
		break;
	case OP_NAME:
		run_name(b, op, o);
		break;
	case OP_GETOPT:
		run_getopt(b, op, o);
		break;
	case OP_SETOPT:
		run_setopt(b, op, o);
		break;
	case OP_FIONREAD: {
		int n = -1;
		say_ret(o, "FIONREAD",
			SYS(b, SYS_ioctl, fd(b, op->s), FIONREAD, (long)&n));
		say(o, "n=%d ", n);
		break;
	}
	case OP_POLL: {
		struct pollfd p = {(int)fd(b, op->s),
				   POLLIN | POLLOUT | POLLRDHUP, 0};
		say_ret(o, "poll", SYS(b, SYS_poll, (long)&p, 1, 0));
		say(o, "revents=%x ", p.revents & ~(big ? POLLOUT : 0));
		break;
	}
	case OP_COUNT:
		break;
	}
}

/* learn: what the host's outcome says of the slots, for the generator. */
static void
learn(struct backend *host)
{
	for (int i = 0; i < NSLOT; i++) {
		int was = model[i].used;
		model[i].used = host->slot[i] >= 0;
		if (!model[i].used || was)
			continue;
		int v;
		socklen_t len = sizeof(v);
		getsockopt(host->slot[i], SOL_SOCKET, SO_DOMAIN, &v, &len);
		model[i].domain = v;
		len = sizeof(v);
		getsockopt(host->slot[i], SOL_SOCKET, SO_TYPE, &v, &len);
		model[i].type = v;
	}
}

static void
show(const struct op *op, long step)
{
	printf("step %ld: %s s%d(%d/%d) t%d domain %d type %d flags %x len %ld "
	       "arg "
	       "%ld to %d/%d/%d dest %d,%d,%d\n",
	       step, op_names[op->kind], op->s, model[op->s].domain,
	       model[op->s].type, op->t, op->domain, op->type, op->flags,
	       op->len, op->arg, op->to.kind, op->to.k, op->to.slot,
	       op->dest[0], op->dest[1], op->dest[2]);
}

static void
close_all(struct backend *b)
{
	for (int i = 0; i < NSLOT; i++)
		if (b->slot[i] >= 0) {
			SYS(b, SYS_close, b->slot[i]);
			b->slot[i] = -1;
		}
}

/* host_dir: a fresh directory for the host's paths, as its cwd. */
static int
host_dir(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/sockdiff.XXXXXX");
	if (mkdtemp(dir) == NULL || chdir(dir) != 0) {
		perror("sockdiff: host directory");
		return -1;
	}
	return 0;
}

/* unlink_paths: the socket nodes a round left, in b's directory. */
static void
unlink_paths(struct backend *b)
{
	for (int k = 0; k < 3; k++) {
		char path[4] = {'u', (char)('0' + k), 0};
		SYS(b, SYS_unlinkat, AT_FDCWD, (long)path, 0);
	}
}

/* run_seed: steps of seed on both backends; 0, or 1 at a difference. */
static int
run_seed(struct backend *host, struct backend *kern, uint64_t seed, long steps)
{
	struct out ho, ko;

	printf("sockdiff: seed %llu, %ld steps\n", (unsigned long long)seed,
	       steps);
	rng = seed * 2654435761u + 1;
	for (long step = 0; step < steps; step++) {
		struct op op;
		gen(&op);
		if (verbose)
			show(&op, step);
		int big = (op.kind == OP_POLL && outq_big(host, op.s));
		run(host, &op, &ho, big);
		run(kern, &op, &ko, big);
		if (strcmp(ho.s, ko.s) != 0) {
			show(&op, step);
			printf("  host: %s\n  kern: %s\n", ho.s, ko.s);
			printf("sockdiff: seed %llu: a difference at step "
			       "%ld\n",
			       (unsigned long long)seed, step);
			return 1;
		}
		if (verbose)
			printf("  %s\n", ho.s);
		learn(host);
		if (step % 500 == 499 || step == steps - 1) {
			/* a fresh start now and then */
			close_all(host);
			close_all(kern);
			unlink_paths(host);
			unlink_paths(kern);
			learn(host);
		}
	}
	return 0;
}

int rumpxen_main(int argc, char **argv);

int
rumpxen_main(int argc, char **argv)
{
	struct backend host = {"host", host_call, {0}, {0}},
		       kern = {"kern", kern_call, {0}, {0}};
	uint64_t seeds[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	long steps = 2500, total;
	char dir[64];
	int a = 1, e, nseeds = 8, bad = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (a < argc && strcmp(argv[a], "-v") == 0) {
		verbose = 1;
		a++;
	}
	if (a < argc) {
		seeds[0] = strtoull(argv[a++], NULL, 0);
		nseeds = 1;
	}
	if (a < argc)
		steps = strtol(argv[a++], NULL, 0);
	snprintf(abstract_tag, sizeof(abstract_tag), "sd%d.", (int)getpid());
	for (int i = 0; i < NSLOT; i++)
		host.slot[i] = kern.slot[i] = -1;
	signal(SIGPIPE, SIG_IGN);
	if ((e = kern_init()) != 0) {
		fprintf(stderr, "sockdiff: kern_init: %s\n", strerror(-e));
		return 1;
	}
	struct kern_sigaction_ign {
		void *handler;
		unsigned long flags;
		void *restorer;
		unsigned long mask;
	} ign = {(void *)1 /* SIG_IGN */, 0, NULL, 0};
	SYS(&kern, SYS_rt_sigaction, SIGPIPE, (long)&ign, 0, 8);
	if (SYS(&host, SYS_pipe2, (long)host.pipe, 0) != 0 ||
	    SYS(&kern, SYS_pipe2, (long)kern.pipe, 0) != 0) {
		fprintf(stderr, "sockdiff: pipe2 failed\n");
		return 1;
	}
	SYS(&kern, SYS_mkdirat, AT_FDCWD, (long)"/sockdiff", 0755);
	if (SYS(&kern, SYS_chdir, (long)"/sockdiff") != 0 ||
	    host_dir(dir, sizeof(dir)) != 0)
		return 1;
	for (int i = 0; i < nseeds && bad == 0; i++)
		bad = run_seed(&host, &kern, seeds[i], steps);
	total = bad ? 0 : steps * nseeds;
	close_all(&host);
	close_all(&kern);
	unlink_paths(&host);
	unlink_paths(&kern);
	for (int i = 0; i < 2; i++) {
		SYS(&host, SYS_close, host.pipe[i]);
		SYS(&kern, SYS_close, kern.pipe[i]);
	}
	rmdir(dir);
	if (bad)
		return 1;
	printf("%ld steps, 0 differences\n", total);
	return 0;
}
