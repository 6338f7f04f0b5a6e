/*
 * net6: the guest of tests/net/ipv6.sh, an ordinary C program on
 * AF_INET6 sockets. First ::1 inside the guest: a line through a TCP
 * connection and a UDP datagram. Then it serves TCP echo on [::]:7,
 * which takes IPv4 too (IPV6_V6ONLY is off, as Linux has it), for N
 * connections, saying each peer's address as getpeername gives it;
 * then it is the client of dom0's listener at [SERVER]:PORT, sending a
 * line. Prints "ok: ..." for each part, or "FAILED: ..." and exits 1.
 *
 *   net6 N SERVER PORT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void
fail(const char *what)
{
	printf("FAILED: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct sockaddr_in6
addr6(const char *ip, int port)
{
	struct sockaddr_in6 a = {.sin6_family = AF_INET6,
				 .sin6_port = htons((unsigned short)port)};

	if (inet_pton(AF_INET6, ip, &a.sin6_addr) != 1) {
		printf("FAILED: %s is no IPv6 address\n", ip);
		exit(1);
	}
	return a;
}

static void
loopback(void)
{
	struct sockaddr_in6 a = addr6("::1", 9);
	char buf[32] = {0};
	int l = socket(AF_INET6, SOCK_STREAM, 0), c, s, u1, u2;

	if (bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(l, 1))
		fail("listen on [::1]:9");
	c = socket(AF_INET6, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)) != 0)
		fail("connect to [::1]:9");
	if ((s = accept(l, NULL, NULL)) < 0)
		fail("accept on [::1]:9");
	if (write(c, "over ::1", 8) != 8 || read(s, buf, sizeof(buf)) != 8 ||
	    strcmp(buf, "over ::1") != 0)
		fail("a line through [::1]:9");
	close(c), close(s), close(l);
	u1 = socket(AF_INET6, SOCK_DGRAM, 0);
	u2 = socket(AF_INET6, SOCK_DGRAM, 0);
	a = addr6("::1", 10);
	memset(buf, 0, sizeof(buf));
	if (bind(u1, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    sendto(u2, "dgram", 5, 0, (struct sockaddr *)&a, sizeof(a)) != 5 ||
	    recv(u1, buf, sizeof(buf), 0) != 5 || strcmp(buf, "dgram") != 0)
		fail("a datagram through [::1]:10");
	close(u1), close(u2);
	printf("ok: TCP and UDP through ::1\n");
}

int
main(int argc, char **argv)
{
	struct sockaddr_in6 a = {.sin6_family = AF_INET6,
				 .sin6_port = htons(7)},
			    peer;
	char buf[256], text[INET6_ADDRSTRLEN];
	int n = argc > 1 ? atoi(argv[1]) : 1, l, one = 1, off = -1;
	socklen_t len = sizeof(off);

	if (argc != 4) {
		printf("FAILED: usage: net6 N SERVER PORT\n");
		return 1;
	}
	loopback();
	l = socket(AF_INET6, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &off, &len);
	printf("IPV6_V6ONLY: %d\n", off);
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(l, 8))
		fail("listen on [::]:7");
	printf("serving [::]:7\n");
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		socklen_t plen = sizeof(peer);
		int s = accept(l, (struct sockaddr *)&peer, &plen);
		ssize_t r;
		if (s < 0)
			fail("accept");
		inet_ntop(AF_INET6, &peer.sin6_addr, text, sizeof(text));
		printf("peer %s scope %u\n", text,
		       (unsigned)peer.sin6_scope_id);
		fflush(stdout);
		while ((r = read(s, buf, sizeof(buf))) > 0)
			if (write(s, buf, (size_t)r) != r)
				break;
		close(s);
	}
	printf("ok: served %d connections\n", n);
	struct sockaddr_in6 srv = addr6(argv[2], atoi(argv[3]));
	int c = -1;
	for (int i = 0; i < 50; i++) { /* dom0's listener may come late */
		c = socket(AF_INET6, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&srv, sizeof(srv)) == 0)
			break;
		close(c);
		c = -1;
		usleep(200000);
	}
	if (c < 0)
		fail("connect to dom0");
	const char line[] = "hello over IPv6\n";
	if (write(c, line, sizeof(line) - 1) != (ssize_t)sizeof(line) - 1)
		fail("write to dom0");
	close(c);
	printf("ok: a line to [%s]:%s\n", argv[2], argv[3]);
	return 0;
}
