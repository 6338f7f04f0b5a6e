/*
 * netload IP SECONDS RUNS: dom0's side of the network benchmark
 * (bench/net.sh). Measures the netserve at IP (netproto.h) RUNS times,
 * each figure for SECONDS, and prints a "bench FIGURE VALUE UNIT" line
 * for each: TCP throughput to it and from it over one connection and
 * over eight at once, request/response round trips on one connection,
 * connections each carrying one round trip, and UDP round trips; then
 * tells it to quit. Every wait is bounded: it waits at most two minutes
 * for the server to answer, and any socket call that makes no progress
 * for a minute ends it with an error (exit 1).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "netproto.h"

#define NETLOAD_STREAMS 8
#define NETLOAD_MSG	64 /* bytes of each request and response */

static struct sockaddr_in netload_addr = {.sin_family = AF_INET};
static double netload_seconds;

static double
netload_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
netload_fail(const char *what)
{
	printf("netload: %s: %s\n", what,
	       errno == EAGAIN ? "no progress for a minute" : strerror(errno));
	exit(1);
}

static void
netload_timeouts(int fd, int seconds)
{
	struct timeval tv = {.tv_sec = seconds};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* A socket of type connected to the server, or -1 with errno. */
static int
netload_dial(int type)
{
	int fd = socket(AF_INET, type, 0);

	if (fd < 0)
		return -1;
	netload_timeouts(fd, 60);
	if (connect(fd, (struct sockaddr *)&netload_addr,
		    sizeof(netload_addr)) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int
netload_open(uint32_t op, uint64_t arg)
{
	struct netproto_hdr h = {.magic = NETPROTO_MAGIC, .op = op, .arg = arg};
	int fd = netload_dial(SOCK_STREAM);

	if (fd < 0)
		netload_fail("connect");
	if (send(fd, &h, sizeof(h), MSG_NOSIGNAL) != (ssize_t)sizeof(h))
		netload_fail("send a header");
	return fd;
}

static void
netload_full(int fd, void *buf, size_t n, int writing)
{
	while (n > 0) {
		ssize_t r = writing ? send(fd, buf, n, MSG_NOSIGNAL)
				    : recv(fd, buf, n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			errno = ECONNRESET;
		if (r <= 0)
			netload_fail(writing ? "send" : "recv");
		buf = (char *)buf + r;
		n -= (size_t)r;
	}
}

struct netload_stream {
	pthread_t thread;
	int to_server; /* sends to the server (else receives from it) */
	double deadline;
	uint64_t bytes; /* what the server took in, or what came from it */
	double end;	/* when the last of it was counted */
};

static void *
netload_stream_run(void *arg)
{
	struct netload_stream *s = arg;
	char *buf = calloc(1, NETPROTO_CHUNK);
	int fd =
		netload_open(s->to_server ? NETPROTO_SINK : NETPROTO_SOURCE, 0);

	if (buf == NULL)
		netload_fail("calloc");
	while (netload_now() < s->deadline) {
		ssize_t r = s->to_server ? send(fd, buf, NETPROTO_CHUNK,
						MSG_NOSIGNAL)
					 : recv(fd, buf, NETPROTO_CHUNK, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			errno = ECONNRESET;
		if (r <= 0)
			netload_fail(s->to_server ? "stream send"
						  : "stream recv");
		if (!s->to_server)
			s->bytes += (uint64_t)r;
	}
	if (s->to_server) {
		shutdown(fd, SHUT_WR);
		netload_full(fd, &s->bytes, sizeof(s->bytes), 0);
	}
	s->end = netload_now();
	close(fd);
	free(buf);
	return NULL;
}

/* MB/s through n connections at once, to the server or from it. */
static double
netload_streams(int n, int to_server)
{
	struct netload_stream s[NETLOAD_STREAMS];
	double start = netload_now(), end = start;
	uint64_t bytes = 0;

	for (int i = 0; i < n; i++) {
		s[i] = (struct netload_stream){.to_server = to_server,
					       .deadline =
						       start + netload_seconds};
		if (pthread_create(&s[i].thread, NULL, netload_stream_run,
				   &s[i]))
			netload_fail("pthread_create");
	}
	for (int i = 0; i < n; i++) {
		pthread_join(s[i].thread, NULL);
		bytes += s[i].bytes;
		end = s[i].end > end ? s[i].end : end;
	}
	return (double)bytes / (end - start) / 1e6;
}

/* Round trips of NETLOAD_MSG bytes a second on one connection. */
static double
netload_rr(void)
{
	char buf[NETLOAD_MSG] = {0};
	int one = 1, fd = netload_open(NETPROTO_RR, sizeof(buf));
	double start = netload_now(), deadline = start + netload_seconds;
	long n = 0;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (; netload_now() < deadline; n++) {
		netload_full(fd, buf, sizeof(buf), 1);
		netload_full(fd, buf, sizeof(buf), 0);
	}
	double rate = (double)n / (netload_now() - start);
	close(fd);
	return rate;
}

/* Connections a second, each carrying one round trip. */
static double
netload_crr(void)
{
	struct {
		struct netproto_hdr h;
		char msg[NETLOAD_MSG];
	} req = {.h = {.magic = NETPROTO_MAGIC,
		       .op = NETPROTO_RR,
		       .arg = NETLOAD_MSG}};
	double start = netload_now(), deadline = start + netload_seconds;
	long n = 0;

	for (; netload_now() < deadline; n++) {
		int fd = netload_dial(SOCK_STREAM);
		if (fd < 0)
			netload_fail("connect");
		netload_full(fd, &req, sizeof(req), 1);
		netload_full(fd, req.msg, sizeof(req.msg), 0);
		close(fd);
	}
	return (double)n / (netload_now() - start);
}

/* UDP round trips a second, one datagram in flight; a lost one is sent
 * again after a second. */
static double
netload_udp(void)
{
	uint64_t msg[NETLOAD_MSG / 8] = {0}, back[NETLOAD_MSG / 8];
	int fd = netload_dial(SOCK_DGRAM);
	double start = netload_now(), deadline = start + netload_seconds;
	long n = 0, lost = 0;

	if (fd < 0)
		netload_fail("udp connect");
	netload_timeouts(fd, 1);
	while (netload_now() < deadline) {
		msg[0] = (uint64_t)n;
		if (send(fd, msg, sizeof(msg), 0) != (ssize_t)sizeof(msg))
			netload_fail("udp send");
		do {
			if (recv(fd, back, sizeof(back), 0) < 0) {
				if (errno != EAGAIN || ++lost > 60)
					netload_fail("udp recv");
				break;
			}
		} while (back[0] != msg[0]);
		if (back[0] == msg[0])
			n++;
	}
	if (lost > 0)
		fprintf(stderr, "netload: %ld UDP datagrams lost\n", lost);
	close(fd);
	return (double)n / (netload_now() - start);
}

static void
netload_wait(void)
{
	double give_up = netload_now() + 120;

	printf("netload: waiting for netserve on %s:%d\n",
	       inet_ntoa(netload_addr.sin_addr), NETPROTO_PORT);
	fflush(stdout);
	for (;;) {
		int fd = netload_dial(SOCK_STREAM);
		if (fd >= 0) {
			close(fd);
			return;
		}
		if (netload_now() > give_up)
			netload_fail("no answer in two minutes: connect");
		usleep(200000);
	}
}

int
main(int argc, char **argv)
{
	int runs;

	if (argc != 4 ||
	    inet_pton(AF_INET, argv[1], &netload_addr.sin_addr) != 1 ||
	    (netload_seconds = atof(argv[2])) <= 0 ||
	    (runs = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: netload IP SECONDS RUNS\n");
		return 2;
	}
	netload_addr.sin_port = htons(NETPROTO_PORT);
	netload_wait();
	for (int r = 0; r < runs; r++) {
		printf("bench tcp-in-1 %.2f MB/s\n", netload_streams(1, 1));
		printf("bench tcp-out-1 %.2f MB/s\n", netload_streams(1, 0));
		printf("bench tcp-in-8 %.2f MB/s\n",
		       netload_streams(NETLOAD_STREAMS, 1));
		printf("bench tcp-out-8 %.2f MB/s\n",
		       netload_streams(NETLOAD_STREAMS, 0));
		printf("bench tcp-rr %.0f rr/s\n", netload_rr());
		printf("bench tcp-crr %.0f conn/s\n", netload_crr());
		printf("bench udp-rr %.0f rr/s\n", netload_udp());
		fflush(stdout);
	}
	int fd = netload_open(NETPROTO_QUIT, 0);
	char q;
	netload_full(fd, &q, 1, 0);
	printf("netload: netserve quit\n");
	return 0;
}
