/*
 * tcpcheck IP PORT BYTES: dom0's side of the TCP echo test. Connects to
 * an echo server, sends BYTES of a pattern while it reads the echo, then
 * half-closes and reads to the end. Prints "ok: N bytes echoed byte for
 * byte in S s" or "FAILED: ..." and exits 0 or 1. Gives up after five
 * minutes without progress.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static unsigned char
pattern(size_t i)
{
	return (unsigned char)(i * 131 + (i >> 12));
}

int
main(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	size_t total, sent = 0, got = 0;
	unsigned char buf[16384];
	struct timespec t0, t1;
	int s;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &a.sin_addr) != 1) {
		fprintf(stderr, "usage: tcpcheck IP PORT BYTES\n");
		return 2;
	}
	a.sin_port = htons((unsigned short)atoi(argv[2]));
	total = (size_t)atol(argv[3]);
	s = socket(AF_INET, SOCK_STREAM, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) != 0) {
		printf("FAILED: connect: %s\n", strerror(errno));
		return 1;
	}
	fcntl(s, F_SETFL, O_NONBLOCK);
	int closed_w = 0;
	for (;;) {
		struct pollfd p = {.fd = s, .events = POLLIN};
		if (sent < total)
			p.events |= POLLOUT;
		if (poll(&p, 1, 300000) <= 0) {
			printf("FAILED: no progress in five minutes (%zu sent, "
			       "%zu back)\n",
			       sent, got);
			return 1;
		}
		if ((p.revents & POLLOUT) && sent < total) {
			size_t n = total - sent < sizeof(buf) ? total - sent
							      : sizeof(buf);
			for (size_t i = 0; i < n; i++)
				buf[i] = pattern(sent + i);
			ssize_t w = write(s, buf, n);
			if (w > 0)
				sent += (size_t)w;
		}
		if (sent == total && !closed_w) {
			shutdown(s, SHUT_WR);
			closed_w = 1;
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = read(s, buf, sizeof(buf));
			if (r == 0)
				break;
			if (r < 0) {
				if (errno == EAGAIN)
					continue;
				printf("FAILED: read: %s\n", strerror(errno));
				return 1;
			}
			for (ssize_t i = 0; i < r; i++) {
				if (buf[i] != pattern(got + (size_t)i)) {
					printf("FAILED: byte %zu differs\n",
					       got + (size_t)i);
					return 1;
				}
			}
			got += (size_t)r;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
		      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (got != total) {
		printf("FAILED: %zu of %zu bytes came back\n", got, total);
		return 1;
	}
	printf("ok: %zu bytes echoed byte for byte in %.2f s\n", got, secs);
	return 0;
}
