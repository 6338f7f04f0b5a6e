/*
 * netserve [SERVER]: the guest of tests/net/sockets.sh, an ordinary C
 * program on sockets. First, loopback inside the guest: 1 MiB echoed
 * through 127.0.0.1 between two threads, and pthread_cancel ending a
 * thread's wait in accept and in recv. Then it serves dom0's client:
 * TCP and UDP echo on port 7 of its vif, and on port 13 a line it sends
 * before it closes first, from one epoll loop, until a connection to
 * port 8 says it is done. Then it is the client of dom0's
 * echo server at SERVER (IP:PORT): 1 MiB out and back, compared. Prints
 * "ok: ..." for each part, or "FAILED: ..." and exits 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MIB (1u << 20)

static void
fail(const char *what)
{
	printf("FAILED: %s: %s\n", what, strerror(errno));
	exit(1);
}

static unsigned char
pattern(size_t i)
{
	return (unsigned char)(i * 131 + (i >> 12));
}

static int
listen_on(int type, unsigned short port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	int s = socket(AF_INET, type, 0), one = 1;

	if (s < 0)
		fail("socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0)
		fail("bind");
	if (type == SOCK_STREAM && listen(s, 128) != 0)
		fail("listen");
	return s;
}

/* Writes 1 MiB of the pattern to the fd it is given, then half-closes. */
static void *
send_mib(void *arg)
{
	int s = (int)(long)arg;
	unsigned char buf[8192];

	for (size_t off = 0; off < MIB; off += sizeof(buf)) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = pattern(off + i);
		for (size_t at = 0; at < sizeof(buf);) {
			ssize_t w = write(s, buf + at, sizeof(buf) - at);
			if (w <= 0)
				fail("write");
			at += (size_t)w;
		}
	}
	shutdown(s, SHUT_WR);
	return NULL;
}

/* Reads from s until its end; 0 if it was the 1 MiB pattern. */
static int
recv_mib(int s)
{
	unsigned char buf[8192];
	size_t got = 0;
	ssize_t r;

	while ((r = read(s, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < r; i++)
			if (buf[i] != pattern(got + (size_t)i))
				return -1;
		got += (size_t)r;
	}
	return r == 0 && got == MIB ? 0 : -1;
}

/* An echo of one connection, for the loopback part: a thread of its own. */
static void *
echo_conn(void *arg)
{
	int s = (int)(long)arg;
	char buf[16384];
	ssize_t r;

	while ((r = read(s, buf, sizeof(buf))) > 0)
		for (ssize_t at = 0; at < r;) {
			ssize_t w = write(s, buf + at, (size_t)(r - at));
			if (w <= 0)
				return NULL;
			at += w;
		}
	close(s);
	return NULL;
}

static void
loopback(void)
{
	int l = listen_on(SOCK_STREAM, 7007), c, s;
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons(7007),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	pthread_t e, w;

	c = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)) != 0)
		fail("connect to 127.0.0.1");
	if ((s = accept(l, NULL, NULL)) < 0)
		fail("accept on 127.0.0.1");
	pthread_create(&e, NULL, echo_conn, (void *)(long)s);
	pthread_create(&w, NULL, send_mib, (void *)(long)c);
	if (recv_mib(c) != 0) {
		printf("FAILED: 1 MiB through 127.0.0.1 came back wrong\n");
		exit(1);
	}
	pthread_join(w, NULL);
	pthread_join(e, NULL);
	close(c);
	close(l);
	printf("ok: 1 MiB echoed through 127.0.0.1\n");
}

/* A thread that blocks in accept or recv on fd until it is cancelled. */
static void *
block_accept(void *arg)
{
	accept((int)(long)arg, NULL, NULL);
	return NULL;
}

static void *
block_recv(void *arg)
{
	char c;

	recv((int)(long)arg, &c, 1, 0);
	return NULL;
}

/* cancelled: pthread_cancel ends fn's wait on fd. */
static int
cancelled(void *(*fn)(void *), int fd)
{
	pthread_t t;
	void *ret = NULL;

	pthread_create(&t, NULL, fn, (void *)(long)fd);
	usleep(100000); /* it waits by now */
	pthread_cancel(t);
	pthread_join(t, &ret);
	return ret == PTHREAD_CANCELED;
}

static void
cancel(void)
{
	int l = listen_on(SOCK_STREAM, 7008), c, s;
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons(7008),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

	if (!cancelled(block_accept, l)) {
		printf("FAILED: pthread_cancel of a thread in accept\n");
		exit(1);
	}
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    (s = accept(l, NULL, NULL)) < 0)
		fail("a connection on 127.0.0.1 after the cancel");
	if (!cancelled(block_recv, s)) {
		printf("FAILED: pthread_cancel of a thread in recv\n");
		exit(1);
	}
	close(s);
	close(c);
	close(l);
	printf("ok: pthread_cancel ends a wait in accept and in recv\n");
}

static void
serve(void)
{
	static char buf[65536];
	int ep = epoll_create1(0), tcp = listen_on(SOCK_STREAM, 7),
	    udp = listen_on(SOCK_DGRAM, 7), stop = listen_on(SOCK_STREAM, 8),
	    hello = listen_on(SOCK_STREAM, 13);
	struct epoll_event ev = {.events = EPOLLIN}, got[32];
	long conns = 0, datagrams = 0;

	int fds[4] = {tcp, udp, stop, hello};
	for (int i = 0; i < 4; i++) {
		ev.data.fd = fds[i];
		epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
	}
	printf("serving TCP and UDP echo on port 7 and hello on 13; port 8 "
	       "ends it\n");
	fflush(stdout);
	for (;;) {
		int n = epoll_wait(ep, got, 32, -1);
		if (n < 0 && errno != EINTR)
			fail("epoll_wait");
		for (int i = 0; i < n; i++) {
			int fd = got[i].data.fd;
			if (fd == stop) {
				printf("ok: served %ld connections and %ld "
				       "datagrams\n",
				       conns, datagrams);
				close(accept(stop, NULL, NULL));
				return;
			}
			if (fd == hello) {
				/* It speaks and closes first: TIME_WAIT. */
				int c = accept(hello, NULL, NULL);
				if (c < 0)
					fail("accept on port 13");
				conns++;
				if (write(c, "hello\n", 6) != 6)
					fail("write on port 13");
				close(c);
				continue;
			}
			if (fd == tcp) {
				int c = accept4(tcp, NULL, NULL, SOCK_CLOEXEC);
				if (c < 0)
					fail("accept4");
				conns++;
				ev.data.fd = c;
				epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
				continue;
			}
			if (fd == udp) {
				struct sockaddr_in from;
				socklen_t flen = sizeof(from);
				ssize_t r = recvfrom(udp, buf, sizeof(buf), 0,
						     (struct sockaddr *)&from,
						     &flen);
				if (r >= 0) {
					datagrams++;
					sendto(udp, buf, (size_t)r, 0,
					       (struct sockaddr *)&from, flen);
				}
				continue;
			}
			ssize_t r = read(fd, buf, sizeof(buf));
			ssize_t at = 0;
			while (r > 0 && at < r) {
				ssize_t w =
					write(fd, buf + at, (size_t)(r - at));
				if (w <= 0)
					break;
				at += w;
			}
			if (r <= 0 || at < r) {
				epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
				close(fd);
			}
		}
	}
}

static void
client(const char *server)
{
	char ip[32];
	const char *colon = strchr(server, ':');
	struct sockaddr_in a = {.sin_family = AF_INET};
	pthread_t w;
	int s;

	if (colon == NULL || (size_t)(colon - server) >= sizeof(ip)) {
		printf("FAILED: %s is no IP:PORT\n", server);
		exit(1);
	}
	memcpy(ip, server, (size_t)(colon - server));
	ip[colon - server] = 0;
	inet_pton(AF_INET, ip, &a.sin_addr);
	a.sin_port = htons((unsigned short)atoi(colon + 1));
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) != 0)
		fail("connect to dom0's server");
	pthread_create(&w, NULL, send_mib, (void *)(long)s);
	if (recv_mib(s) != 0) {
		printf("FAILED: 1 MiB through dom0's echo came back wrong\n");
		exit(1);
	}
	pthread_join(w, NULL);
	close(s);
	printf("ok: 1 MiB echoed by dom0's server at %s\n", server);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	loopback();
	cancel();
	serve();
	if (argc > 1)
		client(argv[1]);
	return 0;
}
