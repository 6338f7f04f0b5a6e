/*
 * netserve: the server of the network benchmark (bench/net.sh), the same
 * program in a rumpxen domU (tools/rumpxen-cc) and in a Linux domU
 * (musl-gcc -static). It listens on TCP and UDP port NETPROTO_PORT of
 * every IPv4 address; each TCP connection gets a thread of its own that
 * serves its header's op (netproto.h), and one thread echoes UDP
 * datagrams. It says when it listens and exits 0 when told to quit.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netproto.h"

/* Reads n bytes unless the peer ends first; what it read, or -1. */
static ssize_t
netserve_read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int
netserve_write_full(int fd, const void *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf = (const char *)buf + w;
		n -= (size_t)w;
	}
	return 0;
}

static void
netserve_sink(int fd, char *buf)
{
	uint64_t total = 0;
	ssize_t r;

	while ((r = read(fd, buf, NETPROTO_CHUNK)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return;
		total += (uint64_t)r;
	}
	netserve_write_full(fd, &total, sizeof(total));
}

static void
netserve_source(int fd, char *buf)
{
	memset(buf, 'x', NETPROTO_CHUNK);
	while (netserve_write_full(fd, buf, NETPROTO_CHUNK) == 0)
		;
}

static void
netserve_rr(int fd, char *buf, uint64_t size)
{
	int one = 1;

	if (size == 0 || size > NETPROTO_CHUNK)
		return;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	while (netserve_read_full(fd, buf, size) == (ssize_t)size &&
	       netserve_write_full(fd, buf, size) == 0)
		;
}

static void *
netserve_conn(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct netproto_hdr h;
	char *buf = malloc(NETPROTO_CHUNK);

	/* A connection that ends before its header is dom0 waiting for us. */
	if (buf != NULL &&
	    netserve_read_full(fd, &h, sizeof(h)) == (ssize_t)sizeof(h) &&
	    h.magic == NETPROTO_MAGIC) {
		switch (h.op) {
		case NETPROTO_SINK:
			netserve_sink(fd, buf);
			break;
		case NETPROTO_SOURCE:
			netserve_source(fd, buf);
			break;
		case NETPROTO_RR:
			netserve_rr(fd, buf, h.arg);
			break;
		case NETPROTO_QUIT:
			netserve_write_full(fd, "q", 1);
			printf("netserve: told to quit\n");
			exit(0);
		default:
			fprintf(stderr, "netserve: unknown op %u\n", h.op);
		}
	}
	free(buf);
	close(fd);
	return NULL;
}

static void *
netserve_udp(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char buf[2048];

	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		ssize_t r = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &len);
		if (r < 0 && errno != EINTR) {
			perror("netserve: udp recvfrom");
			exit(1);
		}
		if (r >= 0)
			sendto(fd, buf, (size_t)r, 0, (struct sockaddr *)&from,
			       len);
	}
	return NULL;
}

static int
netserve_socket(int type)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons(NETPROTO_PORT)};
	int one = 1;
	int fd = socket(AF_INET, type, 0);

	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    (type == SOCK_STREAM && listen(fd, 128) != 0)) {
		perror("netserve: port");
		exit(1);
	}
	return fd;
}

int
main(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int lfd = netserve_socket(SOCK_STREAM);
	int ufd = netserve_socket(SOCK_DGRAM);

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, netserve_udp, (void *)(intptr_t)ufd)) {
		fprintf(stderr, "netserve: no thread for UDP\n");
		return 1;
	}
	printf("netserve: waiting on TCP and UDP port %d\n", NETPROTO_PORT);
	fflush(stdout);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("netserve: accept");
			return 1;
		}
		if (pthread_create(&t, &attr, netserve_conn,
				   (void *)(intptr_t)fd)) {
			fprintf(stderr,
				"netserve: no thread for a connection\n");
			close(fd);
		}
	}
}
