/*
 * Sockets (kern/net, lwIP) on platform/posix under ASan and UBSan, entered
 * as musl enters the kernel (__rumpxen_syscall). Two kernels, this
 * process and a child forked before either starts, are joined by a
 * SOCK_SEQPACKET socketpair that is each one's vif0 (10.9.0.1 and
 * 10.9.0.2); the child serves TCP and UDP echo on port 7 from one epoll
 * loop. Checked here:
 *  - loopback (127.0.0.1 and our own vif address): getsockname's port
 *    for port 0, accept4's flags, a transfer, half-close (SHUT_WR: the
 *    peer reads 0 and still writes back), SHUT_RD, a close with unread
 *    data resetting the peer (ECONNRESET, then EPIPE with SIGPIPE, and
 *    MSG_NOSIGNAL), a refused connect (ECONNREFUSED; nonblocking:
 *    EINPROGRESS, POLLOUT, SO_ERROR), UDP with addresses, MSG_PEEK,
 *    MSG_TRUNC and connect, MSG_DONTWAIT, FIONREAD, poll, select and
 *    epoll (level, EPOLLET, EPOLLONESHOT, EPOLLRDHUP on the peer's FIN,
 *    EPOLLHUP and EPOLLERR on a reset), a signal ending a blocked recv
 *    with EINTR, errors Linux gives (ENOTSOCK, EAFNOSUPPORT,
 *    EADDRINUSE, ENOTCONN, EISCONN, EOPNOTSUPP), options read back,
 *    1 MiB written and closed at once arriving whole, the interfaces
 *    through ioctl (lo and eth0: index, name, address, mask, MAC, MTU,
 *    flags, SIOCGIFCONF), a backlog that holds a connection back until
 *    the one before is accepted, connect after a nonblocking connect
 *    (0, then EISCONN), MSG_TRUNC on TCP, a socket after both FINs,
 *    a write to one that never connected (EPIPE), a listener shut down
 *    (accept EINVAL, POLLHUP), writev and readv of one UDP datagram;
 *  - across the vifs: 16 MiB each way through the child's echo,
 *    compared by checksum, while both directions flow at once; 100
 *    connections open at once, each echoing its own message; UDP echo.
 * A watchdog ends the test with the step it waited in if one hangs. The
 * peer ends when this process does (its kernel, with the vif's receive
 * thread, stays up to the end, as a guest's does).
 * Exits 0 when all holds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../../kern/kern.h"
#include "expect.h"

long __rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5,
		       long a6);

#define HERE  0x0a090001u /* 10.9.0.1, this kernel's vif0 */
#define PEER  0x0a090002u /* 10.9.0.2, the child's */
#define LOOP  0x7f000001u
#define ECHO  7
#define BIG   (16u << 20)
#define CONNS 100

static long
sys(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return __rumpxen_syscall(n, a1, a2, a3, a4, a5, a6);
}

/* The watchdog: the step under way, and how long any step may take. */
static const char *volatile step = "start";
static volatile int step_seq;

static void *
watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		int seen = step_seq;
		sleep(120);
		if (seen == step_seq) {
			printf("FAILED: no progress for 120 s in: %s\n", step);
			fflush(stdout);
			_exit(1);
		}
	}
	return NULL;
}

static void
at(const char *what)
{
	step = what;
	step_seq++;
}

static struct sockaddr_in
addr_of(uint32_t ip, uint16_t port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};

	a.sin_addr.s_addr = htonl(ip);
	a.sin_port = htons(port);
	return a;
}

static long
sock(int type)
{
	return sys(SYS_socket, AF_INET, type, 0, 0, 0, 0);
}

/* listener: a TCP socket listening on ip, its port into *port. */
static long
listener(uint32_t ip, uint16_t *port)
{
	long fd = sock(SOCK_STREAM);
	int one = 1;
	struct sockaddr_in a = addr_of(ip, 0);
	socklen_t len = sizeof(a);

	sys(SYS_setsockopt, fd, SOL_SOCKET, SO_REUSEADDR, (long)&one,
	    sizeof(one), 0);
	if (sys(SYS_bind, fd, (long)&a, sizeof(a), 0, 0, 0) != 0 ||
	    sys(SYS_listen, fd, 128, 0, 0, 0, 0) != 0 ||
	    sys(SYS_getsockname, fd, (long)&a, (long)&len, 0, 0, 0) != 0)
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

static long
connect_to(uint32_t ip, uint16_t port)
{
	long fd = sock(SOCK_STREAM);
	struct sockaddr_in a = addr_of(ip, port);
	long r = sys(SYS_connect, fd, (long)&a, sizeof(a), 0, 0, 0);

	if (r != 0) {
		sys(SYS_close, fd, 0, 0, 0, 0, 0);
		return r;
	}
	return fd;
}

static long
io_all(long nr, long fd, char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		long r = sys(nr, fd, (long)(buf + done), (long)(len - done), 0,
			     0, 0);
		if (r <= 0)
			return done > 0 ? (long)done : r;
		done += (size_t)r;
	}
	return (long)done;
}

static uint32_t
checksum(uint32_t sum, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sum = (sum << 5) + sum + p[i];
	return sum;
}

/* The child: the peer kernel's echo, TCP and UDP, from one epoll loop. */
static int
peer_serve(void)
{
	static char buf[65536];
	long ep = sys(SYS_epoll_create1, 0, 0, 0, 0, 0, 0);
	long tcp = sock(SOCK_STREAM), udp = sock(SOCK_DGRAM);
	struct sockaddr_in a = addr_of(0, ECHO);
	struct epoll_event ev = {.events = EPOLLIN}, got[16];

	if (sys(SYS_bind, tcp, (long)&a, sizeof(a), 0, 0, 0) != 0 ||
	    sys(SYS_listen, tcp, 256, 0, 0, 0, 0) != 0 ||
	    sys(SYS_bind, udp, (long)&a, sizeof(a), 0, 0, 0) != 0) {
		printf("FAILED: the peer cannot serve\n");
		return 1;
	}
	ev.data.fd = (int)tcp;
	sys(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, tcp, (long)&ev, 0, 0);
	ev.data.fd = (int)udp;
	sys(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, udp, (long)&ev, 0, 0);
	for (;;) {
		long n = sys(SYS_epoll_wait, ep, (long)got, 16, -1, 0, 0);
		for (long i = 0; i < n; i++) {
			long fd = got[i].data.fd, r;
			if (fd == tcp) {
				long c = sys(SYS_accept4, tcp, 0, 0, 0, 0, 0);
				ev.data.fd = (int)c;
				sys(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, c,
				    (long)&ev, 0, 0);
			} else if (fd == udp) {
				struct sockaddr_in from;
				socklen_t flen = sizeof(from);
				r = sys(SYS_recvfrom, udp, (long)buf,
					sizeof(buf), 0, (long)&from,
					(long)&flen);
				if (r >= 0)
					sys(SYS_sendto, udp, (long)buf, r, 0,
					    (long)&from, flen);
			} else {
				r = sys(SYS_read, fd, (long)buf, sizeof(buf), 0,
					0, 0);
				if (r <= 0 ||
				    io_all(SYS_write, fd, buf, (size_t)r) != r)
					sys(SYS_close, fd, 0, 0, 0, 0, 0);
			}
		}
	}
}

/* The 16 MiB each way: a writer thread beside the reader. */
struct big {
	long fd;
	uint32_t sum;
	long done;
};

static void *
big_writer(void *arg)
{
	struct big *b = arg;
	static unsigned char chunk[32768];

	b->sum = 5381;
	for (size_t off = 0; off < BIG; off += sizeof(chunk)) {
		for (size_t i = 0; i < sizeof(chunk); i++)
			chunk[i] =
				(unsigned char)((off + i) * 2654435761u >> 13);
		b->sum = checksum(b->sum, chunk, sizeof(chunk));
		long r = io_all(SYS_write, b->fd, (char *)chunk, sizeof(chunk));
		if (r != (long)sizeof(chunk))
			break;
		b->done += r;
	}
	return NULL;
}

static void
test_big(void)
{
	static unsigned char buf[65536];
	struct big b = {.fd = connect_to(PEER, ECHO)};
	pthread_t w;
	uint32_t sum = 5381;
	size_t got = 0;
	struct timespec t0, t1;

	at("16 MiB through the peer's echo");
	expect(b.fd >= 0, "a connection to the peer's echo over the vifs");
	if (b.fd < 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_create(&w, NULL, big_writer, &b);
	while (got < BIG) {
		long r = sys(SYS_read, b.fd, (long)buf, sizeof(buf), 0, 0, 0);
		if (r <= 0)
			break;
		sum = checksum(sum, buf, (size_t)r);
		got += (size_t)r;
		step_seq++;
	}
	pthread_join(w, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) +
		   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("16 MiB each way in %.2f s (%.1f MB/s each way)\n", s,
	       BIG / s / 1e6);
	expect(b.done == BIG && got == BIG && sum == b.sum,
	       "16 MiB each way come back byte for byte (checksum)");
	sys(SYS_close, b.fd, 0, 0, 0, 0, 0);
}

static void
test_many(void)
{
	static long fds[CONNS];
	int ok = 1;

	at("100 connections at once");
	for (int i = 0; i < CONNS; i++) {
		fds[i] = connect_to(PEER, ECHO);
		ok &= fds[i] >= 0;
	}
	expect(ok, "100 connections to the peer are open at once");
	for (int i = 0; i < CONNS && ok; i++) {
		char msg[32];
		int n = snprintf(msg, sizeof(msg), "connection %d", i);
		ok &= sys(SYS_write, fds[i], (long)msg, n, 0, 0, 0) == n;
	}
	for (int i = 0; i < CONNS && ok; i++) {
		char want[32], buf[32] = {0};
		int n = snprintf(want, sizeof(want), "connection %d", i);
		ok &= io_all(SYS_read, fds[i], buf, (size_t)n) == n &&
		      memcmp(buf, want, (size_t)n) == 0;
	}
	expect(ok, "each of the 100 gets its own message back");
	for (int i = 0; i < CONNS; i++)
		if (fds[i] >= 0)
			sys(SYS_close, fds[i], 0, 0, 0, 0, 0);
}

static void
test_udp_peer(void)
{
	long u = sock(SOCK_DGRAM);
	struct sockaddr_in to = addr_of(PEER, ECHO), from;
	socklen_t flen = sizeof(from);
	char buf[1500];
	int ok = 1;

	at("UDP echo from the peer");
	for (int i = 0; i < 20 && ok; i++) {
		int n = snprintf(buf, sizeof(buf), "datagram %d", i);
		ok &= sys(SYS_sendto, u, (long)buf, n, 0, (long)&to,
			  sizeof(to)) == n;
		char back[64] = {0};
		ok &= sys(SYS_recvfrom, u, (long)back, sizeof(back), 0,
			  (long)&from, (long)&flen) == n &&
		      memcmp(back, buf, (size_t)n) == 0 &&
		      from.sin_addr.s_addr == htonl(PEER) &&
		      from.sin_port == htons(ECHO);
	}
	expect(ok, "20 UDP datagrams come back from the peer, from its "
		   "address and port");
	sys(SYS_close, u, 0, 0, 0, 0, 0);
}

static void
test_tcp_loop(uint32_t ip, const char *name)
{
	uint16_t port;
	long l = listener(ip, &port), c, s;
	char buf[64];
	char what[128];

	at(name);
	snprintf(what, sizeof(what), "%s: a listener on port %u (port 0)", name,
		 port);
	expect(l >= 0 && port != 0, what);
	c = connect_to(ip, port);
	s = sys(SYS_accept4, l, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC, 0, 0);
	snprintf(what, sizeof(what), "%s: connect and accept4", name);
	expect(c >= 0 && s >= 0, what);
	expect((sys(SYS_fcntl, s, F_GETFL, 0, 0, 0, 0) & O_NONBLOCK) &&
		       sys(SYS_fcntl, s, F_GETFD, 0, 0, 0, 0) == FD_CLOEXEC,
	       "accept4's SOCK_NONBLOCK and SOCK_CLOEXEC");
	expect(sys(SYS_read, s, (long)buf, sizeof(buf), 0, 0, 0) == -EAGAIN,
	       "a nonblocking read with nothing there: EAGAIN");
	expect(sys(SYS_write, c, (long)"hello", 5, 0, 0, 0) == 5,
	       "the client writes");
	struct pollfd pf = {.fd = (int)s, .events = POLLIN};
	expect(sys(SYS_poll, (long)&pf, 1, 10000, 0, 0, 0) == 1 &&
		       (pf.revents & POLLIN),
	       "poll: the server's end is readable");
	int avail = -1;
	sys(SYS_ioctl, s, FIONREAD, (long)&avail, 0, 0, 0);
	expect(avail == 5, "FIONREAD: 5 bytes");
	expect(sys(SYS_recvfrom, s, (long)buf, sizeof(buf), MSG_PEEK, 0, 0) ==
			       5 &&
		       sys(SYS_read, s, (long)buf, sizeof(buf), 0, 0, 0) == 5 &&
		       memcmp(buf, "hello", 5) == 0,
	       "MSG_PEEK, then the read, give the bytes");
	struct sockaddr_in pa, na;
	socklen_t plen = sizeof(pa), nlen = sizeof(na);
	sys(SYS_getpeername, s, (long)&pa, (long)&plen, 0, 0, 0);
	sys(SYS_getsockname, c, (long)&na, (long)&nlen, 0, 0, 0);
	expect(plen == sizeof(pa) && pa.sin_port == na.sin_port &&
		       pa.sin_addr.s_addr == na.sin_addr.s_addr,
	       "the server's peer is the client's own address");
	/* Half-close: the client's FIN, then the server still writes. */
	expect(sys(SYS_shutdown, c, SHUT_WR, 0, 0, 0, 0) == 0,
	       "shutdown(SHUT_WR)");
	pf.events = POLLIN | POLLRDHUP;
	sys(SYS_poll, (long)&pf, 1, 10000, 0, 0, 0);
	expect((pf.revents & POLLRDHUP) &&
		       sys(SYS_read, s, (long)buf, sizeof(buf), 0, 0, 0) == 0,
	       "the server sees POLLRDHUP and reads 0");
	expect(sys(SYS_write, s, (long)"back", 4, 0, 0, 0) == 4 &&
		       io_all(SYS_read, c, buf, 4) == 4 &&
		       memcmp(buf, "back", 4) == 0,
	       "after the half-close the server's reply still arrives");
	expect(sys(SYS_sendto, c, (long)"x", 1, MSG_NOSIGNAL, 0, 0) == -EPIPE,
	       "writing after SHUT_WR: EPIPE");
	sys(SYS_close, s, 0, 0, 0, 0, 0);
	sys(SYS_close, c, 0, 0, 0, 0, 0);
	sys(SYS_close, l, 0, 0, 0, 0, 0);
}

static volatile int got_usr1, got_pipe;

static void
on_usr1(int sig)
{
	got_usr1 += sig == SIGUSR1;
}

static void
on_pipe(int sig)
{
	got_pipe += sig == SIGPIPE;
}

struct interrupter {
	long tid;
};

static void *
interrupt_later(void *arg)
{
	struct interrupter *in = arg;

	usleep(200000);
	sys(SYS_tkill, in->tid, SIGUSR1, 0, 0, 0, 0);
	return NULL;
}

static void
test_errors_and_signals(void)
{
	uint16_t port, dead;
	long l = listener(LOOP, &port), c, s;
	char buf[64];

	at("reset, refusal, signals");
	/* A close with unread data resets the peer. */
	c = connect_to(LOOP, port);
	s = sys(SYS_accept4, l, 0, 0, 0, 0, 0);
	sys(SYS_write, c, (long)"unread", 6, 0, 0, 0);
	usleep(100000);
	long ep = sys(SYS_epoll_create1, 0, 0, 0, 0, 0, 0);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = 1},
			   out[2];
	sys(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, c, (long)&ev, 0, 0);
	sys(SYS_close, s, 0, 0, 0, 0, 0);
	long n = sys(SYS_epoll_wait, ep, (long)out, 2, 10000, 0, 0);
	expect(n == 1 && (out[0].events & EPOLLHUP) &&
		       (out[0].events & EPOLLERR),
	       "epoll: a reset is EPOLLHUP and EPOLLERR");
	expect(sys(SYS_read, c, (long)buf, sizeof(buf), 0, 0, 0) == -ECONNRESET,
	       "a close with unread data resets the peer (ECONNRESET)");
	unsigned long pipe_act[4] = {(unsigned long)on_pipe, 0, 0, 0};
	sys(SYS_rt_sigaction, SIGPIPE, (long)pipe_act, 0, 8, 0, 0);
	expect(sys(SYS_sendto, c, (long)"x", 1, MSG_NOSIGNAL, 0, 0) == -EPIPE &&
		       got_pipe == 0,
	       "then EPIPE, without SIGPIPE under MSG_NOSIGNAL");
	expect(sys(SYS_write, c, (long)"x", 1, 0, 0, 0) == -EPIPE &&
		       got_pipe == 1,
	       "and EPIPE with SIGPIPE without it");
	sys(SYS_close, c, 0, 0, 0, 0, 0);
	sys(SYS_close, ep, 0, 0, 0, 0, 0);

	/* A port nobody listens on refuses. */
	long tmp = listener(LOOP, &dead);
	sys(SYS_close, tmp, 0, 0, 0, 0, 0);
	expect(connect_to(LOOP, dead) == -ECONNREFUSED,
	       "a closed port refuses: ECONNREFUSED");
	c = sys(SYS_socket, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0, 0, 0, 0);
	struct sockaddr_in a = addr_of(LOOP, dead);
	expect(sys(SYS_connect, c, (long)&a, sizeof(a), 0, 0, 0) ==
		       -EINPROGRESS,
	       "a nonblocking connect: EINPROGRESS");
	struct pollfd pf = {.fd = (int)c, .events = POLLOUT};
	int err = 0;
	socklen_t elen = sizeof(err);
	expect(sys(SYS_poll, (long)&pf, 1, 10000, 0, 0, 0) == 1 &&
		       (pf.revents & POLLOUT) &&
		       sys(SYS_getsockopt, c, SOL_SOCKET, SO_ERROR, (long)&err,
			   (long)&elen, 0) == 0 &&
		       err == ECONNREFUSED,
	       "then POLLOUT, and SO_ERROR says ECONNREFUSED");
	sys(SYS_close, c, 0, 0, 0, 0, 0);

	/* A signal ends a blocked recv with EINTR. */
	c = connect_to(LOOP, port);
	s = sys(SYS_accept4, l, 0, 0, 0, 0, 0);
	unsigned long act[4] = {(unsigned long)on_usr1, 0, 0, 0};
	sys(SYS_rt_sigaction, SIGUSR1, (long)act, 0, 8, 0, 0);
	struct interrupter in = {sys(SYS_gettid, 0, 0, 0, 0, 0, 0)};
	pthread_t t;
	pthread_create(&t, NULL, interrupt_later, &in);
	expect(sys(SYS_read, s, (long)buf, sizeof(buf), 0, 0, 0) == -EINTR &&
		       got_usr1 == 1,
	       "a signal ends a blocked read with EINTR; its handler ran");
	pthread_join(t, NULL);
	expect(sys(SYS_recvfrom, s, (long)buf, sizeof(buf), MSG_DONTWAIT, 0,
		   0) == -EAGAIN,
	       "MSG_DONTWAIT on a blocking socket: EAGAIN");
	/* EPOLLET and EPOLLONESHOT. */
	ep = sys(SYS_epoll_create1, 0, 0, 0, 0, 0, 0);
	ev.events = EPOLLIN | EPOLLET;
	sys(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, s, (long)&ev, 0, 0);
	sys(SYS_write, c, (long)"ab", 2, 0, 0, 0);
	n = sys(SYS_epoll_wait, ep, (long)out, 2, 10000, 0, 0);
	long again = sys(SYS_epoll_wait, ep, (long)out, 2, 100, 0, 0);
	expect(n == 1 && again == 0,
	       "EPOLLET: one event for the data, none again until more");
	sys(SYS_write, c, (long)"c", 1, 0, 0, 0);
	expect(sys(SYS_epoll_wait, ep, (long)out, 2, 10000, 0, 0) == 1,
	       "EPOLLET: more data, one more event");
	ev.events = EPOLLIN | EPOLLONESHOT;
	sys(SYS_epoll_ctl, ep, EPOLL_CTL_MOD, s, (long)&ev, 0, 0);
	expect(sys(SYS_epoll_wait, ep, (long)out, 2, 10000, 0, 0) == 1 &&
		       sys(SYS_epoll_wait, ep, (long)out, 2, 100, 0, 0) == 0,
	       "EPOLLONESHOT: one event, then none");
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET((int)s, &rd);
	struct timeval tv = {5, 0};
	expect(sys(SYS_select, s + 1, (long)&rd, 0, 0, (long)&tv, 0) == 1 &&
		       FD_ISSET((int)s, &rd),
	       "select: the socket is readable");
	sys(SYS_close, ep, 0, 0, 0, 0, 0);
	sys(SYS_close, s, 0, 0, 0, 0, 0);
	sys(SYS_close, c, 0, 0, 0, 0, 0);

	/* Errors as Linux gives them. */
	expect(sys(SYS_socket, AF_INET6 + 100, SOCK_STREAM, 0, 0, 0, 0) ==
		       -EAFNOSUPPORT,
	       "an unknown family: EAFNOSUPPORT");
	expect(sys(SYS_listen, 1, 5, 0, 0, 0, 0) == -ENOTSOCK,
	       "listen on a file that is no socket: ENOTSOCK");
	long b = sock(SOCK_STREAM);
	a = addr_of(LOOP, port);
	expect(sys(SYS_bind, b, (long)&a, sizeof(a), 0, 0, 0) == -EADDRINUSE,
	       "binding a port in use: EADDRINUSE");
	expect(sys(SYS_read, b, (long)buf, 1, 0, 0, 0) == -ENOTCONN,
	       "reading an unconnected socket: ENOTCONN");
	sys(SYS_close, b, 0, 0, 0, 0, 0);
	c = connect_to(LOOP, port);
	expect(sys(SYS_connect, c, (long)&a, sizeof(a), 0, 0, 0) == -EISCONN,
	       "connecting twice: EISCONN");
	expect(sys(SYS_socketpair, AF_INET, SOCK_STREAM, 0, (long)buf, 0, 0) ==
		       -EOPNOTSUPP,
	       "socketpair(AF_INET): EOPNOTSUPP");
	sys(SYS_close, c, 0, 0, 0, 0, 0);
	sys(SYS_close, sys(SYS_accept4, l, 0, 0, 0, 0, 0), 0, 0, 0, 0, 0);
	sys(SYS_close, l, 0, 0, 0, 0, 0);
}

static void
test_udp_loop(void)
{
	long a = sock(SOCK_DGRAM), b = sock(SOCK_DGRAM);
	struct sockaddr_in aa = addr_of(LOOP, 0), ba = addr_of(LOOP, 0), from;
	socklen_t len = sizeof(aa), flen = sizeof(from);
	char buf[64];

	at("UDP on loopback");
	sys(SYS_bind, a, (long)&aa, sizeof(aa), 0, 0, 0);
	sys(SYS_bind, b, (long)&ba, sizeof(ba), 0, 0, 0);
	sys(SYS_getsockname, a, (long)&aa, (long)&len, 0, 0, 0);
	sys(SYS_getsockname, b, (long)&ba, (long)&len, 0, 0, 0);
	expect(sys(SYS_sendto, a, (long)"datagram", 8, 0, (long)&ba,
		   sizeof(ba)) == 8,
	       "UDP sendto");
	expect(sys(SYS_recvfrom, b, (long)buf, 4, MSG_PEEK | MSG_TRUNC,
		   (long)&from, (long)&flen) == 8,
	       "MSG_PEEK|MSG_TRUNC gives the datagram's whole length");
	struct msghdr m = {0};
	struct iovec iov = {buf, 4};
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_name = &from;
	m.msg_namelen = sizeof(from);
	expect(sys(SYS_recvmsg, b, (long)&m, 0, 0, 0, 0) == 4 &&
		       (m.msg_flags & MSG_TRUNC) &&
		       memcmp(buf, "data", 4) == 0 &&
		       from.sin_port == aa.sin_port,
	       "recvmsg into 4 bytes: MSG_TRUNC, the sender's port");
	expect(sys(SYS_recvfrom, b, (long)buf, sizeof(buf), MSG_DONTWAIT, 0,
		   0) == -EAGAIN,
	       "the rest of a truncated datagram is gone");
	expect(sys(SYS_sendto, a, (long)"x", 1, 0, 0, 0) == -EDESTADDRREQ,
	       "send on an unconnected UDP socket: EDESTADDRREQ");
	expect(sys(SYS_connect, a, (long)&ba, sizeof(ba), 0, 0, 0) == 0 &&
		       sys(SYS_write, a, (long)"conn", 4, 0, 0, 0) == 4 &&
		       sys(SYS_read, b, (long)buf, sizeof(buf), 0, 0, 0) == 4,
	       "a connected UDP socket writes to its peer");
	expect(sys(SYS_listen, a, 1, 0, 0, 0, 0) == -EOPNOTSUPP,
	       "listen on UDP: EOPNOTSUPP");
	struct iovec two[2] = {{(void *)"head", 4}, {(void *)"body", 4}};
	char hb[4], bb[8];
	struct iovec in[2] = {{hb, 4}, {bb, 8}};
	expect(sys(SYS_writev, a, (long)two, 2, 0, 0, 0) == 8 &&
		       sys(SYS_readv, b, (long)in, 2, 0, 0, 0) == 8 &&
		       memcmp(hb, "head", 4) == 0 &&
		       memcmp(bb, "body", 4) == 0 &&
		       sys(SYS_recvfrom, b, (long)buf, sizeof(buf),
			   MSG_DONTWAIT, 0, 0) == -EAGAIN,
	       "writev and readv on UDP move one datagram");
	sys(SYS_close, a, 0, 0, 0, 0, 0);
	sys(SYS_close, b, 0, 0, 0, 0, 0);
}

static void
test_interfaces(void)
{
	long u = sock(SOCK_DGRAM);
	struct ifreq r;
	struct ifconf c;
	struct ifreq all[8];

	at("the interfaces through ioctl");
	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "eth0");
	int idx = sys(SYS_ioctl, u, SIOCGIFINDEX, (long)&r, 0, 0, 0) == 0
			  ? r.ifr_ifindex
			  : -1;
	expect(idx > 0, "SIOCGIFINDEX: eth0 has an index");
	memset(&r, 0, sizeof(r));
	r.ifr_ifindex = idx;
	expect(sys(SYS_ioctl, u, SIOCGIFNAME, (long)&r, 0, 0, 0) == 0 &&
		       strcmp(r.ifr_name, "eth0") == 0,
	       "SIOCGIFNAME: that index is eth0");
	strcpy(r.ifr_name, "eth0");
	expect(sys(SYS_ioctl, u, SIOCGIFADDR, (long)&r, 0, 0, 0) == 0 &&
		       ((struct sockaddr_in *)&r.ifr_addr)->sin_addr.s_addr ==
			       htonl(HERE),
	       "SIOCGIFADDR: eth0 is 10.9.0.1");
	expect(sys(SYS_ioctl, u, SIOCGIFNETMASK, (long)&r, 0, 0, 0) == 0 &&
		       ((struct sockaddr_in *)&r.ifr_netmask)
				       ->sin_addr.s_addr == htonl(0xffffff00),
	       "SIOCGIFNETMASK: /24");
	expect(sys(SYS_ioctl, u, SIOCGIFHWADDR, (long)&r, 0, 0, 0) == 0 &&
		       r.ifr_hwaddr.sa_family == 1 &&
		       (unsigned char)r.ifr_hwaddr.sa_data[0] == 0x02,
	       "SIOCGIFHWADDR: an Ethernet MAC, locally administered");
	expect(sys(SYS_ioctl, u, SIOCGIFMTU, (long)&r, 0, 0, 0) == 0 &&
		       r.ifr_mtu == 1500,
	       "SIOCGIFMTU: 1500");
	strcpy(r.ifr_name, "lo");
	expect(sys(SYS_ioctl, u, SIOCGIFFLAGS, (long)&r, 0, 0, 0) == 0 &&
		       (r.ifr_flags & IFF_LOOPBACK) && (r.ifr_flags & IFF_UP),
	       "SIOCGIFFLAGS: lo is up and a loopback");
	strcpy(r.ifr_name, "eth7");
	expect(sys(SYS_ioctl, u, SIOCGIFADDR, (long)&r, 0, 0, 0) == -ENODEV,
	       "an interface there is not: ENODEV");
	c.ifc_len = sizeof(all);
	c.ifc_req = all;
	expect(sys(SYS_ioctl, u, SIOCGIFCONF, (long)&c, 0, 0, 0) == 0 &&
		       c.ifc_len == 2 * (int)sizeof(struct ifreq),
	       "SIOCGIFCONF: two interfaces with addresses");
	sys(SYS_close, u, 0, 0, 0, 0, 0);
}

static void
test_options(void)
{
	long t = sock(SOCK_STREAM);
	int v = 1, got = 0;
	socklen_t len = sizeof(got);

	at("socket options");
	expect(sys(SYS_getsockopt, t, SOL_SOCKET, SO_TYPE, (long)&got,
		   (long)&len, 0) == 0 &&
		       got == SOCK_STREAM,
	       "SO_TYPE: SOCK_STREAM");
	sys(SYS_setsockopt, t, IPPROTO_TCP, TCP_NODELAY, (long)&v, sizeof(v),
	    0);
	sys(SYS_getsockopt, t, IPPROTO_TCP, TCP_NODELAY, (long)&got, (long)&len,
	    0);
	expect(got == 1, "TCP_NODELAY reads back as set");
	sys(SYS_setsockopt, t, SOL_SOCKET, SO_KEEPALIVE, (long)&v, sizeof(v),
	    0);
	sys(SYS_getsockopt, t, SOL_SOCKET, SO_KEEPALIVE, (long)&got, (long)&len,
	    0);
	expect(got == 1, "SO_KEEPALIVE reads back as set");
	v = 100000;
	sys(SYS_setsockopt, t, SOL_SOCKET, SO_RCVBUF, (long)&v, sizeof(v), 0);
	sys(SYS_getsockopt, t, SOL_SOCKET, SO_RCVBUF, (long)&got, (long)&len,
	    0);
	expect(got == 200000, "SO_RCVBUF reads back doubled, as on Linux");
	expect(sys(SYS_setsockopt, t, SOL_SOCKET, 12345, (long)&v, sizeof(v),
		   0) == -ENOPROTOOPT,
	       "an unknown option: ENOPROTOOPT");
	sys(SYS_close, t, 0, 0, 0, 0, 0);
}

/* The writer of test_close_queued: 1 MiB, then close at once. */
static void *
write_and_close(void *arg)
{
	long fd = (long)arg;
	static char chunk[65536];

	for (int i = 0; i < 16; i++) {
		memset(chunk, 'a' + i, sizeof(chunk));
		if (io_all(SYS_write, fd, chunk, sizeof(chunk)) !=
		    (long)sizeof(chunk))
			break;
	}
	sys(SYS_close, fd, 0, 0, 0, 0, 0);
	return NULL;
}

static void
test_close_queued(void)
{
	uint16_t port;
	long l = listener(LOOP, &port), c = connect_to(LOOP, port);
	long s = sys(SYS_accept4, l, 0, 0, 0, 0, 0);
	static char buf[65536];
	size_t got = 0;
	int ok = 1;
	long r;
	pthread_t w;

	at("a close with data still queued");
	pthread_create(&w, NULL, write_and_close, (void *)c);
	usleep(100000); /* the writer fills the window first */
	while ((r = sys(SYS_read, s, (long)buf, sizeof(buf), 0, 0, 0)) > 0) {
		for (long i = 0; i < r; i++)
			ok &= buf[i] == 'a' + (int)((got + (size_t)i) >> 16);
		got += (size_t)r;
	}
	pthread_join(w, NULL);
	expect(r == 0 && got == 1u << 20 && ok,
	       "1 MiB written and closed at once all arrives, then the end");
	sys(SYS_close, s, 0, 0, 0, 0, 0);
	sys(SYS_close, l, 0, 0, 0, 0, 0);
}

static void
test_linux_ways(void)
{
	uint16_t port;
	long l = listener(LOOP, &port), c, c2, s, s2;
	char buf[64];
	struct pollfd pf;

	at("Linux's ways: backlog, nonblocking connect, both FINs, shutdown");
	/* A backlog of 1: a second connection waits for the first's accept. */
	sys(SYS_listen, l, 1, 0, 0, 0, 0);
	c = connect_to(LOOP, port);
	c2 = sys(SYS_socket, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0, 0, 0, 0);
	struct sockaddr_in a = addr_of(LOOP, port);
	expect(sys(SYS_connect, c2, (long)&a, sizeof(a), 0, 0, 0) ==
		       -EINPROGRESS,
	       "a nonblocking connect beyond the backlog: EINPROGRESS");
	pf = (struct pollfd){.fd = (int)c2, .events = POLLOUT};
	expect(sys(SYS_poll, (long)&pf, 1, 300, 0, 0, 0) == 0,
	       "it waits while the backlog is full (no POLLOUT)");
	s = sys(SYS_accept4, l, 0, 0, 0, 0, 0);
	pf.revents = 0;
	expect(sys(SYS_poll, (long)&pf, 1, 30000, 0, 0, 0) == 1 &&
		       (pf.revents & POLLOUT),
	       "once the first is accepted, the second connects");
	expect(sys(SYS_connect, c2, (long)&a, sizeof(a), 0, 0, 0) == 0 &&
		       sys(SYS_connect, c2, (long)&a, sizeof(a), 0, 0, 0) ==
			       -EISCONN,
	       "connect again: 0 once, then EISCONN");
	s2 = sys(SYS_accept4, l, 0, 0, 0, 0, 0);
	expect(s2 >= 0, "and is accepted");
	/* MSG_TRUNC on a stream drops the bytes. */
	sys(SYS_write, c2, (long)"abcdef", 6, 0, 0, 0);
	usleep(50000);
	expect(sys(SYS_recvfrom, s2, 0, 4, MSG_TRUNC, 0, 0) == 4 &&
		       sys(SYS_read, s2, (long)buf, sizeof(buf), 0, 0, 0) ==
			       2 &&
		       memcmp(buf, "ef", 2) == 0,
	       "MSG_TRUNC on TCP drops 4 bytes without a buffer");
	/* Both FINs: the ends stay known, poll says so. */
	struct sockaddr_in before, after;
	socklen_t len = sizeof(before);
	sys(SYS_getsockname, c, (long)&before, (long)&len, 0, 0, 0);
	sys(SYS_shutdown, c, SHUT_WR, 0, 0, 0, 0);
	sys(SYS_read, s, (long)buf, sizeof(buf), 0, 0, 0);
	sys(SYS_shutdown, s, SHUT_WR, 0, 0, 0, 0);
	expect(sys(SYS_read, c, (long)buf, sizeof(buf), 0, 0, 0) == 0,
	       "both FINs: the first to send reads the end");
	len = sizeof(after);
	pf = (struct pollfd){.fd = (int)c, .events = POLLIN | POLLOUT};
	expect(sys(SYS_getsockname, c, (long)&after, (long)&len, 0, 0, 0) ==
			       0 &&
		       after.sin_port == before.sin_port &&
		       sys(SYS_poll, (long)&pf, 1, 0, 0, 0, 0) == 1 &&
		       (pf.revents & POLLHUP),
	       "its name stays, and poll says POLLHUP");
	expect(sys(SYS_sendto, c, (long)"x", 1, MSG_NOSIGNAL, 0, 0) == -EPIPE,
	       "and a write is EPIPE");
	/* A socket that never connected: EPIPE for a write, as Linux. */
	long n = sock(SOCK_STREAM);
	expect(sys(SYS_sendto, n, (long)"x", 1, MSG_NOSIGNAL, 0, 0) == -EPIPE,
	       "writing a socket that never connected: EPIPE");
	sys(SYS_close, n, 0, 0, 0, 0, 0);
	/* shutdown(SHUT_RD) of a listener: accept ends with EINVAL. */
	expect(sys(SYS_shutdown, l, SHUT_RD, 0, 0, 0, 0) == 0 &&
		       sys(SYS_accept4, l, 0, 0, 0, 0, 0) == -EINVAL,
	       "a listener shut down for reading: accept is EINVAL");
	pf = (struct pollfd){.fd = (int)l, .events = POLLIN};
	expect(sys(SYS_poll, (long)&pf, 1, 0, 0, 0, 0) == 1 &&
		       (pf.revents & POLLHUP),
	       "and poll says POLLHUP");
	long fds[] = {c, c2, s, s2, l};
	for (unsigned i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		sys(SYS_close, fds[i], 0, 0, 0, 0, 0);
}

int rumpxen_main(int argc, char **argv);

int
rumpxen_main(int argc, char **argv)
{
	int sv[2];
	char env[32];
	pthread_t dog;
	pid_t peer;

	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0) {
		perror("socketpair");
		return 1;
	}
	peer = fork();
	if (peer == 0) {
		/* The peer ends with this process, whose kernel stays up. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(sv[0]);
		snprintf(env, sizeof(env), "fd:%d", sv[1]);
		setenv("RUMPXEN_VIRT0", env, 1);
		setenv("net.vif0", "10.9.0.2/24", 1);
		if (kern_init() != 0) {
			printf("FAILED: the peer's kern_init\n");
			return 1;
		}
		return peer_serve();
	}
	close(sv[1]);
	snprintf(env, sizeof(env), "fd:%d", sv[0]);
	setenv("RUMPXEN_VIRT0", env, 1);
	setenv("net.vif0", "10.9.0.1/24,gw=10.9.0.254", 1);
	pthread_create(&dog, NULL, watchdog, NULL);
	expect(kern_init() == 0, "kern_init with vif0 at 10.9.0.1/24");
	test_tcp_loop(LOOP, "TCP on 127.0.0.1");
	test_tcp_loop(HERE, "TCP to our own vif address");
	test_errors_and_signals();
	test_udp_loop();
	test_interfaces();
	test_options();
	test_close_queued();
	test_linux_ways();
	test_udp_peer();
	test_many();
	test_big();
	printf("%d failures\n", failures);
	return failures != 0;
}
