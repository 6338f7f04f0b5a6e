/*
 * Socket options and the many-message calls (kern/net/sockopt.c,
 * kern/sys/socket.c) on platform/posix under ASan and UBSan, over
 * 127.0.0.1 in one kernel, entered as musl enters it: each option set
 * and read back as Linux gives it (SO_RCVTIMEO, SO_SNDTIMEO, SO_LINGER,
 * SO_RCVLOWAT, SO_DOMAIN, SO_PROTOCOL, TCP_KEEP*, TCP_CORK, IP_TTL,
 * IP_TOS, TCP_INFO), and what they do: a receive timeout ends a read
 * with EAGAIN no sooner than it said, a send timeout ends a write to a
 * peer that reads nothing, SO_RCVLOWAT holds a read and poll back until
 * enough has come, TCP_CORK holds a short write back until it is unset,
 * corked bytes and the bytes after them arrive whole and in order,
 * SO_LINGER of 0 s makes close a reset, an accepted connection takes its
 * listener's options; options lwIP cannot honour are accepted, unknown
 * ones ENOPROTOOPT; sendmmsg and recvmmsg move several UDP datagrams,
 * MSG_WAITFORONE returning what came; accept with no fd free is EMFILE
 * and leaves the connection for a later accept. The send-queue budget
 * (kern/net/sndq.c, set to BUDGET by net.tcp_mem): many connections
 * each writing to a peer that reads nothing hold no more than the
 * budget (and each socket's few guaranteed KiB) in their send queues,
 * none more than its SO_SNDBUF allows; a nonblocking write over the
 * budget is EAGAIN and poll then says no POLLOUT (nor epoll EPOLLOUT);
 * a new connection can still write; and once peers read, the
 * acknowledged bytes wake a socket the budget held back (poll and epoll
 * say so), whose write then goes on. Exits 0 when all holds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>

#include "../../kern/kern.h"
#include "expect.h"

long __rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5,
		       long a6);

static long
sys(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return __rumpxen_syscall(n, a1, a2, a3, a4, a5, a6);
}

static struct sockaddr_in
loop_addr(uint16_t port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	return a;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
getint(long fd, int level, int name)
{
	int v = -12345;
	socklen_t len = sizeof(v);

	if (sys(SYS_getsockopt, fd, level, name, (long)&v, (long)&len, 0) != 0)
		return -12345;
	return v;
}

static long
setint(long fd, int level, int name, int v)
{
	return sys(SYS_setsockopt, fd, level, name, (long)&v, sizeof(v), 0);
}

/* pair: a connected pair over 127.0.0.1, through listener *l. */
static void
pair(long *l, long *c, long *s)
{
	struct sockaddr_in a = loop_addr(0);
	socklen_t len = sizeof(a);

	*l = sys(SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	sys(SYS_bind, *l, (long)&a, sizeof(a), 0, 0, 0);
	sys(SYS_listen, *l, 8, 0, 0, 0, 0);
	sys(SYS_getsockname, *l, (long)&a, (long)&len, 0, 0, 0);
	*c = sys(SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	sys(SYS_connect, *c, (long)&a, sizeof(a), 0, 0, 0);
	*s = sys(SYS_accept4, *l, 0, 0, 0, 0, 0);
}

static void
closeall(long a, long b, long c)
{
	sys(SYS_close, a, 0, 0, 0, 0, 0);
	sys(SYS_close, b, 0, 0, 0, 0, 0);
	sys(SYS_close, c, 0, 0, 0, 0, 0);
}

static void
test_values(void)
{
	long t = sys(SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	long u = sys(SYS_socket, AF_INET, SOCK_DGRAM, 0, 0, 0, 0);
	struct timeval tv = {1, 500000}, got;
	socklen_t len = sizeof(got);
	struct linger lg = {1, 0}, lgot;

	expect(getint(t, SOL_SOCKET, SO_DOMAIN) == AF_INET &&
		       getint(t, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_TCP &&
		       getint(u, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_UDP,
	       "SO_DOMAIN and SO_PROTOCOL");
	expect(sys(SYS_setsockopt, t, SOL_SOCKET, SO_RCVTIMEO, (long)&tv,
		   sizeof(tv), 0) == 0 &&
		       sys(SYS_getsockopt, t, SOL_SOCKET, SO_RCVTIMEO,
			   (long)&got, (long)&len, 0) == 0 &&
		       got.tv_sec == 1 && got.tv_usec == 500000,
	       "SO_RCVTIMEO reads back");
	tv.tv_usec = 1000000;
	expect(sys(SYS_setsockopt, t, SOL_SOCKET, SO_SNDTIMEO, (long)&tv,
		   sizeof(tv), 0) == -EDOM,
	       "SO_SNDTIMEO with 10^6 us: EDOM");
	expect(sys(SYS_setsockopt, t, SOL_SOCKET, SO_SNDTIMEO, 0, sizeof(tv),
		   0) == -EFAULT,
	       "an option without its value: EFAULT");
	len = sizeof(lgot);
	expect(sys(SYS_setsockopt, t, SOL_SOCKET, SO_LINGER, (long)&lg,
		   sizeof(lg), 0) == 0 &&
		       sys(SYS_getsockopt, t, SOL_SOCKET, SO_LINGER,
			   (long)&lgot, (long)&len, 0) == 0 &&
		       lgot.l_onoff == 1 && lgot.l_linger == 0,
	       "SO_LINGER reads back");
	expect(setint(t, IPPROTO_TCP, TCP_KEEPIDLE, 30) == 0 &&
		       getint(t, IPPROTO_TCP, TCP_KEEPIDLE) == 30 &&
		       setint(t, IPPROTO_TCP, TCP_KEEPINTVL, 5) == 0 &&
		       getint(t, IPPROTO_TCP, TCP_KEEPINTVL) == 5 &&
		       setint(t, IPPROTO_TCP, TCP_KEEPCNT, 4) == 0 &&
		       getint(t, IPPROTO_TCP, TCP_KEEPCNT) == 4,
	       "TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT read back");
	expect(setint(t, IPPROTO_TCP, TCP_KEEPCNT, 0) == -EINVAL,
	       "TCP_KEEPCNT of 0: EINVAL");
	expect(setint(u, IPPROTO_IP, IP_TTL, 7) == 0 &&
		       getint(u, IPPROTO_IP, IP_TTL) == 7 &&
		       setint(u, IPPROTO_IP, IP_TOS, 0x10) == 0 &&
		       getint(u, IPPROTO_IP, IP_TOS) == 0x10,
	       "IP_TTL and IP_TOS read back");
	expect(setint(t, IPPROTO_TCP, TCP_FASTOPEN, 5) == 0 &&
		       setint(t, IPPROTO_TCP, TCP_QUICKACK, 1) == 0,
	       "TCP_FASTOPEN and TCP_QUICKACK accepted (not honoured)");
	expect(setint(t, SOL_SOCKET, 4242, 1) == -ENOPROTOOPT &&
		       setint(t, IPPROTO_TCP, 4242, 1) == -ENOPROTOOPT,
	       "unknown options: ENOPROTOOPT");
	int v = 1;
	expect(sys(SYS_setsockopt, t, SOL_SOCKET, SO_REUSEADDR, (long)&v, -1,
		   0) == -EINVAL,
	       "a negative option length: EINVAL");
	sys(SYS_close, t, 0, 0, 0, 0, 0);
	sys(SYS_close, u, 0, 0, 0, 0, 0);
}

static void
test_timeouts(void)
{
	long l, c, s;
	char buf[65536];
	struct timeval tv = {0, 300000};

	pair(&l, &c, &s);
	sys(SYS_setsockopt, s, SOL_SOCKET, SO_RCVTIMEO, (long)&tv, sizeof(tv),
	    0);
	double t0 = now_s();
	long r = sys(SYS_read, s, (long)buf, sizeof(buf), 0, 0, 0);
	double took = now_s() - t0;
	printf("a read with SO_RCVTIMEO of 0.3 s ended after %.3f s\n", took);
	expect(r == -EAGAIN && took >= 0.3,
	       "SO_RCVTIMEO: a read ends with EAGAIN, no sooner than 0.3 s");
	struct timeval neg = {-1, 0};
	sys(SYS_setsockopt, s, SOL_SOCKET, SO_RCVTIMEO, (long)&neg, sizeof(neg),
	    0);
	expect(sys(SYS_read, s, (long)buf, sizeof(buf), 0, 0, 0) == -EAGAIN,
	       "a negative SO_RCVTIMEO: EAGAIN at once, as Linux");
	/* A peer that reads nothing: the writer's buffer fills, then ends. */
	sys(SYS_setsockopt, c, SOL_SOCKET, SO_SNDTIMEO, (long)&tv, sizeof(tv),
	    0);
	memset(buf, 'x', sizeof(buf));
	long total = 0;
	for (int i = 0; i < 64; i++) {
		r = sys(SYS_write, c, (long)buf, sizeof(buf), 0, 0, 0);
		if (r <= 0)
			break;
		total += r;
	}
	printf("wrote %ld bytes before the send timeout\n", total);
	expect(r == -EAGAIN && total > 0 && total < 64l * (long)sizeof(buf),
	       "SO_SNDTIMEO: writes to a peer that reads nothing end with "
	       "EAGAIN");
	closeall(l, c, s);
}

static void
test_lowat_cork_linger(void)
{
	long l, c, s;
	char buf[64];
	struct pollfd pf;

	pair(&l, &c, &s);
	setint(s, SOL_SOCKET, SO_RCVLOWAT, 10);
	expect(getint(s, SOL_SOCKET, SO_RCVLOWAT) == 10,
	       "SO_RCVLOWAT reads back");
	sys(SYS_write, c, (long)"12345", 5, 0, 0, 0);
	pf = (struct pollfd){.fd = (int)s, .events = POLLIN};
	expect(sys(SYS_poll, (long)&pf, 1, 200, 0, 0, 0) == 0,
	       "SO_RCVLOWAT 10: 5 bytes are not readable for poll");
	sys(SYS_write, c, (long)"67890", 5, 0, 0, 0);
	expect(sys(SYS_poll, (long)&pf, 1, 10000, 0, 0, 0) == 1 &&
		       sys(SYS_read, s, (long)buf, sizeof(buf), 0, 0, 0) == 10,
	       "10 bytes are, and one read takes them");
	/* TCP_CORK holds a short write back until it is unset. */
	setint(c, IPPROTO_TCP, TCP_CORK, 1);
	expect(getint(c, IPPROTO_TCP, TCP_CORK) == 1, "TCP_CORK reads back");
	sys(SYS_write, c, (long)"corked", 6, 0, 0, 0);
	pf = (struct pollfd){.fd = (int)s, .events = POLLIN};
	setint(s, SOL_SOCKET, SO_RCVLOWAT, 1);
	expect(sys(SYS_poll, (long)&pf, 1, 300, 0, 0, 0) == 0,
	       "TCP_CORK: 6 bytes stay back");
	setint(c, IPPROTO_TCP, TCP_CORK, 0);
	expect(sys(SYS_poll, (long)&pf, 1, 10000, 0, 0, 0) == 1 &&
		       sys(SYS_read, s, (long)buf, sizeof(buf), 0, 0, 0) == 6,
	       "unset, they go");
	/* Corked bytes, then bytes after the cork: all, in order. */
	static char big[5000], back[5000];
	for (int i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	setint(c, IPPROTO_TCP, TCP_CORK, 1);
	sys(SYS_write, c, (long)big, 3000, 0, 0, 0);
	setint(c, IPPROTO_TCP, TCP_CORK, 0);
	sys(SYS_write, c, (long)(big + 3000), 2000, 0, 0, 0);
	long got = 0, r;
	while (got < 5000 && (r = sys(SYS_read, s, (long)(back + got),
				      5000 - got, 0, 0, 0)) > 0)
		got += r;
	expect(got == 5000 && memcmp(big, back, 5000) == 0,
	       "3000 corked bytes, uncorked, then 2000 more: all, in order");
	/* TCP_INFO of a connection. */
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	memset(&ti, 0xff, sizeof(ti));
	expect(sys(SYS_getsockopt, c, IPPROTO_TCP, TCP_INFO, (long)&ti,
		   (long)&len, 0) == 0 &&
		       ti.tcpi_state == 1 && ti.tcpi_snd_mss > 0 && len >= 104,
	       "TCP_INFO: ESTABLISHED, an MSS");
	/* SO_LINGER of 0 s: close is a reset. */
	struct linger lg = {1, 0};
	sys(SYS_setsockopt, c, SOL_SOCKET, SO_LINGER, (long)&lg, sizeof(lg), 0);
	sys(SYS_close, c, 0, 0, 0, 0, 0);
	pf = (struct pollfd){.fd = (int)s, .events = POLLIN};
	sys(SYS_poll, (long)&pf, 1, 10000, 0, 0, 0);
	expect(sys(SYS_read, s, (long)buf, sizeof(buf), 0, 0, 0) == -ECONNRESET,
	       "SO_LINGER 0 s: the peer sees a reset");
	sys(SYS_close, s, 0, 0, 0, 0, 0);
	/* A connection takes on its listener's options. */
	setint(l, IPPROTO_TCP, TCP_NODELAY, 1);
	setint(l, IPPROTO_TCP, TCP_KEEPIDLE, 77);
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	sys(SYS_getsockname, l, (long)&a, (long)&alen, 0, 0, 0);
	c = sys(SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	sys(SYS_connect, c, (long)&a, sizeof(a), 0, 0, 0);
	s = sys(SYS_accept4, l, 0, 0, 0, 0, 0);
	expect(getint(s, IPPROTO_TCP, TCP_NODELAY) == 1 &&
		       getint(s, IPPROTO_TCP, TCP_KEEPIDLE) == 77,
	       "an accepted connection has its listener's options");
	closeall(l, c, s);
}

/*
 * TCP_CORK with an SO_SNDBUF whose half is less than a segment: the cork
 * fills to the socket's limit, then goes short, and the write goes on
 * (it stalled for good, its socket saying POLLOUT while every write was
 * EAGAIN); what is left corked at close still arrives.
 */
static void
test_cork_small_sndbuf(void)
{
	long l, c, s, sent = 0, got = 0, r;
	static char out[3000], in[3001];
	struct pollfd pf;

	for (int i = 0; i < (int)sizeof(out); i++)
		out[i] = (char)('A' + i % 26);
	pair(&l, &c, &s);
	setint(c, SOL_SOCKET, SO_SNDBUF, 1024);
	setint(c, IPPROTO_TCP, TCP_CORK, 1);
	for (int round = 0; round < 400 && got < 2000; round++) {
		if (sent < 2000) {
			r = sys(SYS_sendto, c, (long)(out + sent), 2000 - sent,
				MSG_DONTWAIT, 0, 0);
			sent += r > 0 ? r : 0;
		}
		pf = (struct pollfd){.fd = (int)s, .events = POLLIN};
		if (sys(SYS_poll, (long)&pf, 1, 20, 0, 0, 0) == 1 &&
		    (r = sys(SYS_read, s, (long)(in + got), sizeof(in) - got, 0,
			     0, 0)) > 0)
			got += r;
	}
	expect(sent == 2000, "TCP_CORK, SO_SNDBUF 1024: 2000 bytes written "
			     "without a reader's help beyond reading");
	r = sys(SYS_write, c, (long)(out + 2000), 1000, 0, 0, 0);
	sys(SYS_close, c, 0, 0, 0, 0, 0);
	while (got < 3000 && (r = sys(SYS_read, s, (long)(in + got),
				      sizeof(in) - got, 0, 0, 0)) > 0)
		got += r;
	expect(got == 3000 && memcmp(in, out, 3000) == 0,
	       "and 1000 more, then close: all 3000 arrive, in order");
	sys(SYS_close, s, 0, 0, 0, 0, 0);
	sys(SYS_close, l, 0, 0, 0, 0, 0);
}

static void
test_mmsg(void)
{
	long a = sys(SYS_socket, AF_INET, SOCK_DGRAM, 0, 0, 0, 0);
	long b = sys(SYS_socket, AF_INET, SOCK_DGRAM, 0, 0, 0, 0);
	struct sockaddr_in ba = loop_addr(0);
	socklen_t len = sizeof(ba);
	struct mmsghdr out[3], in[5];
	struct iovec oi[3], ii[5];
	char obuf[3][16], ibuf[5][16];

	sys(SYS_bind, b, (long)&ba, sizeof(ba), 0, 0, 0);
	sys(SYS_getsockname, b, (long)&ba, (long)&len, 0, 0, 0);
	memset(out, 0, sizeof(out));
	memset(in, 0, sizeof(in));
	for (int i = 0; i < 3; i++) {
		int n = snprintf(obuf[i], sizeof(obuf[i]), "message %d", i);
		oi[i] = (struct iovec){obuf[i], (size_t)n};
		out[i].msg_hdr.msg_iov = &oi[i];
		out[i].msg_hdr.msg_iovlen = 1;
		out[i].msg_hdr.msg_name = &ba;
		out[i].msg_hdr.msg_namelen = sizeof(ba);
	}
	for (int i = 0; i < 5; i++) {
		ii[i] = (struct iovec){ibuf[i], sizeof(ibuf[i])};
		in[i].msg_hdr.msg_iov = &ii[i];
		in[i].msg_hdr.msg_iovlen = 1;
	}
	expect(sys(SYS_sendmmsg, a, (long)out, 3, 0, 0, 0) == 3 &&
		       out[2].msg_len == 9,
	       "sendmmsg: three datagrams, each length set");
	long got = sys(SYS_recvmmsg, b, (long)in, 5, MSG_WAITFORONE, 0, 0);
	expect(got == 3 && in[0].msg_len == 9 &&
		       memcmp(ibuf[2], "message 2", 9) == 0,
	       "recvmmsg with MSG_WAITFORONE: the three that came, in order");
	sys(SYS_close, a, 0, 0, 0, 0, 0);
	sys(SYS_close, b, 0, 0, 0, 0, 0);
}

/* accept with no fd free: EMFILE, and the connection waits for later. */
static void
test_accept_emfile(void)
{
	long l, c, s, spare[1100];
	int n = 0;

	pair(&l, &c, &s);
	closeall(c, s, -1);
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	sys(SYS_getsockname, l, (long)&a, (long)&len, 0, 0, 0);
	c = sys(SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	sys(SYS_connect, c, (long)&a, sizeof(a), 0, 0, 0);
	while (n < 1100 && (spare[n] = sys(SYS_dup, 0, 0, 0, 0, 0, 0)) >= 0)
		n++;
	expect(sys(SYS_accept4, l, 0, 0, 0, 0, 0) == -EMFILE,
	       "accept with no fd free: EMFILE");
	sys(SYS_close, spare[--n], 0, 0, 0, 0, 0);
	s = sys(SYS_accept4, l, 0, 0, 0, 0, 0);
	expect(s >= 0, "with one free, the same connection is accepted");
	while (n > 0)
		sys(SYS_close, spare[--n], 0, 0, 0, 0, 0);
	closeall(l, c, s);
}

#define BUDGET	    (256 * 1024) /* net.tcp_mem, for test_budget */
#define BUDGET_MIN  (4 * 1024)	 /* what each socket may hold over it */
#define BUDGET_SOCK 16		 /* connections filling it */
#define BUDGET_OWN  (8 * 1024)	 /* one's SO_SNDBUF (its limit) */

/* fill: nonblocking writes to fd until EAGAIN; the bytes written. */
static long
fill(long fd)
{
	static char buf[16384];
	long total = 0, r;

	while ((r = sys(SYS_sendto, fd, (long)buf, sizeof(buf), MSG_DONTWAIT, 0,
			0)) > 0)
		total += r;
	return r == -EAGAIN ? total : -1;
}

/* drain: what fd has to read, read and dropped; the bytes. */
static long
drain(long fd)
{
	static char buf[65536];
	long total = 0, r;

	while ((r = sys(SYS_recvfrom, fd, (long)buf, sizeof(buf), MSG_DONTWAIT,
			0, 0)) > 0)
		total += r;
	return total;
}

static int
pollout(long fd, int ms)
{
	struct pollfd p = {.fd = (int)fd, .events = POLLOUT};

	if (sys(SYS_poll, (long)&p, 1, ms, 0, 0, 0) < 0)
		return -1;
	return (p.revents & POLLOUT) != 0;
}

static void
test_budget(void)
{
	long l[BUDGET_SOCK], c[BUDGET_SOCK], s[BUDGET_SOCK];
	long wrote[BUDGET_SOCK] = {0}, queued = 0, r, more;
	struct timespec pause = {0, 20000000};
	int last = BUDGET_SOCK - 1, n;

	for (int i = 0; i < BUDGET_SOCK; i++)
		pair(&l[i], &c[i], &s[i]);
	setint(c[0], SOL_SOCKET, SO_SNDBUF, BUDGET_OWN);
	/* Write until nothing more goes: the peers' windows are full. */
	for (int round = 0; round < 200; round++) {
		more = 0;
		for (int i = 0; i < BUDGET_SOCK; i++) {
			if ((r = fill(c[i])) < 0)
				break;
			wrote[i] += r;
			more += r;
		}
		if (r < 0 || (round > 2 && more == 0))
			break;
		nanosleep(&pause, NULL);
	}
	expect(r >= 0, "budget: nonblocking writes end with EAGAIN");
	for (int i = 0; i < BUDGET_SOCK; i++) {
		int unread = 0;
		sys(SYS_ioctl, s[i], FIONREAD, (long)&unread, 0, 0, 0);
		queued += wrote[i] - unread; /* still in i's send queue */
		if (i == 0)
			expect(wrote[0] - unread <= BUDGET_OWN,
			       "budget: a send queue holds no more than "
			       "SO_SNDBUF said");
	}
	printf("budget: %d connections queue %ld bytes (budget %d)\n",
	       BUDGET_SOCK, queued, BUDGET);
	expect(queued <= BUDGET + BUDGET_SOCK * BUDGET_MIN,
	       "budget: the send queues hold no more than the budget");
	expect(queued >= BUDGET / 2, "budget: the send queues fill it");
	expect(fill(c[last]) == 0 && pollout(c[last], 0) == 0,
	       "budget: over it, a write is EAGAIN and poll has no POLLOUT");
	long ep = sys(SYS_epoll_create1, 0, 0, 0, 0, 0, 0);
	struct epoll_event ev = {.events = EPOLLOUT}, got;
	sys(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, c[last], (long)&ev, 0, 0);
	expect(sys(SYS_epoll_wait, ep, (long)&got, 1, 0, 0, 0) == 0,
	       "budget: over it, epoll has no EPOLLOUT");
	long nl, nc, ns;
	pair(&nl, &nc, &ns);
	expect(pollout(nc, 1000) == 1 && sys(SYS_sendto, nc, (long)"x", 1,
					     MSG_DONTWAIT, 0, 0) == 1,
	       "budget: a new connection can still write");
	/* Peers read: acknowledged bytes wake the one held back. */
	for (n = 0; n < 250 && pollout(c[last], 0) != 1; n++) {
		for (int i = 0; i < last; i++)
			drain(s[i]);
		nanosleep(&pause, NULL);
	}
	expect(sys(SYS_epoll_wait, ep, (long)&got, 1, 0, 0, 0) == 1 &&
		       (got.events & EPOLLOUT),
	       "budget: then epoll says EPOLLOUT");
	expect(pollout(c[last], 0) == 1 && fill(c[last]) > 0,
	       "budget: acknowledged bytes make room, and the write goes on");
	sys(SYS_close, ep, 0, 0, 0, 0, 0);
	closeall(nl, nc, ns);
	for (int i = 0; i < BUDGET_SOCK; i++)
		closeall(l[i], c[i], s[i]);
}

int rumpxen_main(int argc, char **argv);

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	setenv("net.tcp_mem", "262144", 1); /* BUDGET */
	expect(kern_init() == 0, "kern_init");
	test_values();
	test_timeouts();
	test_lowat_cork_linger();
	test_cork_small_sndbuf();
	test_mmsg();
	test_accept_emfile();
	test_budget();
	printf("%d failures\n", failures);
	return failures != 0;
}
