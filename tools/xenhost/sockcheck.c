/*
 * sockcheck: dom0's side of the socket tests (tests/net). Each command
 * prints "ok: ..." or "FAILED: ..." and exits 0 or 1; none waits more
 * than a minute for anything (it says what it waited for).
 *
 *   sockcheck wait IP PORT         until IP:PORT accepts a connection
 *   sockcheck seq IP PORT N        N connections one after another, each
 *                                  echoing a line of its own
 *   sockcheck conc IP PORT N       N connections open at once, each
 *                                  echoing a line of its own
 *   sockcheck udp IP PORT N        N datagrams echoed, from IP:PORT
 *   sockcheck reuse IP PORT N      N connections from one local port to
 *                                  a server that says "hello" and closes
 *                                  first (each in its TIME_WAIT)
 *   sockcheck pull IP PORT N       reads IP:PORT to its end, N bytes of
 *                                  tcpcheck's pattern (waiting for the
 *                                  port to accept first), and says so
 *                                  before it closes its end
 *   sockcheck bulk IP PORT N       N bytes of the pattern out to an
 *                                  echo and back, both at once,
 *                                  compared
 *   sockcheck refused IP PORT      a connection is refused
 *   sockcheck touch IP PORT        one connection, closed at once
 *   sockcheck serve PORT N         an echo server on PORT for N
 *                                  connections, one after another
 *   sockcheck listening PORT       until something of dom0's listens
 *                                  on TCP PORT (IPv4 or IPv6), for a
 *                                  script whose server started in the
 *                                  background
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define LIMIT_S 60

static struct sockaddr_in
address(const char *ip, const char *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};

	if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) {
		printf("FAILED: %s is no IPv4 address\n", ip);
		exit(2);
	}
	a.sin_port = htons((unsigned short)atoi(port));
	return a;
}

/* timed: fd's reads and writes give up after LIMIT_S seconds. */
static int
timed(int fd)
{
	struct timeval tv = {LIMIT_S, 0};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

static int
dial(const struct sockaddr_in *a)
{
	int s = timed(socket(AF_INET, SOCK_STREAM, 0));

	if (connect(s, (const struct sockaddr *)a, sizeof(*a)) != 0) {
		int e = errno;
		close(s);
		errno = e;
		return -1;
	}
	return s;
}

/* dial_wait: dial, until the port accepts (LIMIT_S s at most, said). */
static int
dial_wait(const struct sockaddr_in *a)
{
	int s = -1;

	for (int i = 0; i < LIMIT_S * 5 && (s = dial(a)) < 0; i++)
		usleep(200000);
	if (s < 0)
		printf("FAILED: waited %d s for the port: %s\n", LIMIT_S,
		       strerror(errno));
	return s;
}

/* echo_line: line i out on s and back, whole; 0 or -1. */
static int
echo_line(int s, int i)
{
	char want[64], got[64];
	int n = snprintf(want, sizeof(want), "line %d of sockcheck\n", i), at;

	if (write(s, want, (size_t)n) != n)
		return -1;
	for (at = 0; at < n;) {
		ssize_t r = read(s, got + at, (size_t)(n - at));
		if (r <= 0)
			return -1;
		at += (int)r;
	}
	return memcmp(want, got, (size_t)n) == 0 ? 0 : -1;
}

static int
cmd_wait(const struct sockaddr_in *a)
{
	for (int i = 0; i < LIMIT_S * 5; i++) {
		int s = dial(a);
		if (s >= 0) {
			close(s);
			printf("ok: the port accepts\n");
			return 0;
		}
		usleep(200000);
	}
	printf("FAILED: waited %d s for the port to accept: %s\n", LIMIT_S,
	       strerror(errno));
	return 1;
}

static int
cmd_seq(const struct sockaddr_in *a, int n)
{
	for (int i = 0; i < n; i++) {
		int s = dial(a);
		if (s < 0 || echo_line(s, i) != 0) {
			printf("FAILED: connection %d of %d: %s\n", i + 1, n,
			       strerror(errno));
			return 1;
		}
		close(s);
	}
	printf("ok: %d connections one after another, each echoed\n", n);
	return 0;
}

static int
cmd_conc(const struct sockaddr_in *a, int n)
{
	int *s = calloc((size_t)n, sizeof(int));

	for (int i = 0; i < n; i++)
		if ((s[i] = dial(a)) < 0) {
			printf("FAILED: connection %d of %d: %s\n", i + 1, n,
			       strerror(errno));
			return 1;
		}
	for (int i = 0; i < n; i++)
		if (echo_line(s[i], i) != 0) {
			printf("FAILED: connection %d of %d echoed wrong\n",
			       i + 1, n);
			return 1;
		}
	for (int i = 0; i < n; i++)
		close(s[i]);
	printf("ok: %d connections open at once, each echoed\n", n);
	return 0;
}

static int
cmd_udp(const struct sockaddr_in *a, int n)
{
	int s = timed(socket(AF_INET, SOCK_DGRAM, 0)), lost = 0;

	for (int i = 0; i < n; i++) {
		char want[64], got[64];
		int len = snprintf(want, sizeof(want), "datagram %d", i);
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		for (int tries = 0;; tries++) {
			struct pollfd p = {.fd = s, .events = POLLIN};
			sendto(s, want, (size_t)len, 0,
			       (const struct sockaddr *)a, sizeof(*a));
			if (poll(&p, 1, 1000) == 1)
				break;
			if (tries == 5) {
				printf("FAILED: datagram %d: no echo in 6 "
				       "tries\n",
				       i);
				return 1;
			}
			lost++;
		}
		ssize_t r = recvfrom(s, got, sizeof(got), 0,
				     (struct sockaddr *)&from, &flen);
		if (r != len || memcmp(got, want, (size_t)len) != 0 ||
		    from.sin_addr.s_addr != a->sin_addr.s_addr ||
		    from.sin_port != a->sin_port) {
			printf("FAILED: datagram %d came back wrong\n", i);
			return 1;
		}
	}
	printf("ok: %d datagrams echoed from the port (%d sent again)\n", n,
	       lost);
	return 0;
}

/*
 * cmd_reuse: n connections from one local port, as Linux clients reuse a
 * port; the server speaks and closes first (its side of each ends in
 * TIME_WAIT), and each reads what it says to the end.
 */
static int
cmd_reuse(const struct sockaddr_in *a, int n)
{
	struct sockaddr_in me = {.sin_family = AF_INET,
				 .sin_port = htons(40007)};
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		char buf[64];
		size_t got = 0;
		ssize_t r;
		int s = -1, err = 0;
		/*
		 * Our side of the last connection leaves LAST_ACK once the
		 * server acknowledges our FIN: until then the port is busy
		 * (EADDRNOTAVAIL), as it would be against any server.
		 */
		for (int tries = 0; tries < 100; tries++) {
			int one = 1;
			s = timed(socket(AF_INET, SOCK_STREAM, 0));
			setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one,
				   sizeof(one));
			if (bind(s, (struct sockaddr *)&me, sizeof(me)) == 0 &&
			    connect(s, (const struct sockaddr *)a,
				    sizeof(*a)) == 0) {
				err = 0;
				break;
			}
			err = errno;
			close(s);
			s = -1;
			if (err != EADDRNOTAVAIL && err != EADDRINUSE)
				break;
			usleep(50000);
		}
		if (s < 0) {
			errno = err;
			printf("FAILED: connection %d of %d from port 40007: "
			       "%s\n",
			       i + 1, n, strerror(errno));
			return 1;
		}
		while ((r = read(s, buf + got, sizeof(buf) - got)) > 0)
			got += (size_t)r;
		close(s);
		if (r < 0 || got != 6 || memcmp(buf, "hello\n", 6) != 0) {
			printf("FAILED: connection %d of %d from port 40007: "
			       "%zu bytes, %s\n",
			       i + 1, n, got, r < 0 ? strerror(errno) : "");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("ok: %d connections from one port, each served, in %.1f s\n", n,
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}

/* cmd_pull: reads IP:PORT to its end: n bytes of tcpcheck's pattern. */
static int
cmd_pull(const struct sockaddr_in *a, long n)
{
	unsigned char buf[65536];
	struct timespec t0, t1;
	long got = 0;
	ssize_t r;
	int s = dial_wait(a);

	if (s < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((r = read(s, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < r; i++) {
			size_t at = (size_t)got + (size_t)i;
			if (buf[i] != (unsigned char)(at * 131 + (at >> 12))) {
				printf("FAILED: byte %zu differs\n", at);
				return 1;
			}
		}
		got += r;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* The verdict first: the guest ends once we close, and the job too. */
	if (r < 0 || got != n)
		printf("FAILED: %ld of %ld bytes came (%s)\n", got, n,
		       r < 0 ? strerror(errno) : "the end came early");
	else
		printf("ok: %ld bytes came byte for byte in %.2f s\n", got,
		       (double)(t1.tv_sec - t0.tv_sec) +
			       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	close(s);
	return r < 0 || got != n;
}

/*
 * cmd_bulk: n bytes of tcpcheck's pattern out to IP:PORT, an echo (in
 * the guest or through it), while the same n bytes come back, compared;
 * then our end's FIN, and the echo's.
 */
static int
cmd_bulk(const struct sockaddr_in *a, long n)
{
	unsigned char out[65536], in[65536];
	struct timespec t0, t1;
	long sent = 0, got = 0;
	int s = dial_wait(a);

	if (s < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (got < n) {
		struct pollfd p = {s, POLLIN | (sent < n ? POLLOUT : 0), 0};
		if (poll(&p, 1, LIMIT_S * 1000) != 1) {
			printf("FAILED: nothing moved in %d s (%ld sent, %ld "
			       "back)\n",
			       LIMIT_S, sent, got);
			return 1;
		}
		if ((p.revents & POLLOUT) && sent < n) {
			long k = n - sent < (long)sizeof(out)
					 ? n - sent
					 : (long)sizeof(out);
			for (long i = 0; i < k; i++) {
				size_t at = (size_t)(sent + i);
				out[i] = (unsigned char)(at * 131 + (at >> 12));
			}
			ssize_t w = write(s, out, (size_t)k);
			if (w <= 0) {
				printf("FAILED: write: %s\n", strerror(errno));
				return 1;
			}
			sent += w;
			if (sent == n)
				shutdown(s, SHUT_WR);
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = read(s, in, sizeof(in));
			if (r <= 0) {
				printf("FAILED: %ld of %ld bytes came back "
				       "(%s)\n",
				       got, n,
				       r < 0 ? strerror(errno) : "the end");
				return 1;
			}
			for (ssize_t i = 0; i < r; i++) {
				size_t at = (size_t)got + (size_t)i;
				if (in[i] !=
				    (unsigned char)(at * 131 + (at >> 12))) {
					printf("FAILED: byte %zu differs\n",
					       at);
					return 1;
				}
			}
			got += r;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("ok: %ld bytes out and back byte for byte in %.2f s\n", n,
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	close(s);
	return 0;
}

static int
cmd_refused(const struct sockaddr_in *a)
{
	int s = dial(a);

	if (s >= 0 || errno != ECONNREFUSED) {
		printf("FAILED: a closed port: %s\n",
		       s >= 0 ? "accepted" : strerror(errno));
		return 1;
	}
	printf("ok: a closed port refuses\n");
	return 0;
}

/* serve_one: echoes s until its end. */
static void
serve_one(int s)
{
	char buf[65536];
	ssize_t r;

	timed(s);
	while ((r = read(s, buf, sizeof(buf))) > 0)
		for (ssize_t at = 0; at < r;) {
			ssize_t w = write(s, buf + at, (size_t)(r - at));
			if (w <= 0) {
				close(s);
				return;
			}
			at += w;
		}
	close(s);
}

static int
cmd_serve(const char *port, int n)
{
	struct sockaddr_in a = address("0.0.0.0", port);
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(l, 64) != 0) {
		printf("FAILED: cannot serve port %s: %s\n", port,
		       strerror(errno));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		int s = accept(l, NULL, NULL);
		if (s < 0) {
			printf("FAILED: accept: %s\n", strerror(errno));
			return 1;
		}
		serve_one(s);
	}
	printf("ok: served %d connections on port %s\n", n, port);
	return 0;
}

/* listening_now: whether /proc/net/tcp or tcp6 has a listener on port. */
static int
listening_now(unsigned port)
{
	const char *files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	char line[256];
	int found = 0;

	for (int i = 0; i < 2 && !found; i++) {
		FILE *f = fopen(files[i], "r");
		while (f != NULL && !found && fgets(line, sizeof(line), f)) {
			unsigned p, st;
			if (sscanf(line,
				   " %*d: %*[0-9A-Fa-f]:%X %*[0-9A-Fa-f]:%*X "
				   "%X",
				   &p, &st) == 2)
				found = p == port && st == 0x0a;
		}
		if (f != NULL)
			fclose(f);
	}
	return found;
}

static int
cmd_listening(const char *port)
{
	for (int i = 0; i < LIMIT_S * 10; i++) {
		if (listening_now((unsigned)atoi(port)))
			return 0;
		usleep(100000);
	}
	printf("FAILED: nothing listens on port %s after %d s\n", port,
	       LIMIT_S);
	return 1;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && strcmp(argv[1], "serve") == 0)
		return cmd_serve(argv[2], atoi(argv[3]));
	if (argc == 3 && strcmp(argv[1], "listening") == 0)
		return cmd_listening(argv[2]);
	if (argc < 4) {
		fprintf(stderr,
			"usage: sockcheck wait|seq|conc|udp|refused|"
			"reuse|pull|bulk|touch IP PORT [N], serve PORT N, "
			"or listening PORT\n");
		return 2;
	}
	struct sockaddr_in a = address(argv[2], argv[3]);
	int n = argc > 4 ? atoi(argv[4]) : 0;
	if (strcmp(argv[1], "wait") == 0)
		return cmd_wait(&a);
	if (strcmp(argv[1], "seq") == 0)
		return cmd_seq(&a, n);
	if (strcmp(argv[1], "conc") == 0)
		return cmd_conc(&a, n);
	if (strcmp(argv[1], "udp") == 0)
		return cmd_udp(&a, n);
	if (strcmp(argv[1], "pull") == 0)
		return cmd_pull(&a, n);
	if (strcmp(argv[1], "bulk") == 0)
		return cmd_bulk(&a, n);
	if (strcmp(argv[1], "reuse") == 0)
		return cmd_reuse(&a, n);
	if (strcmp(argv[1], "refused") == 0)
		return cmd_refused(&a);
	if (strcmp(argv[1], "touch") == 0) {
		int s = dial(&a);
		if (s < 0) {
			printf("FAILED: connect: %s\n", strerror(errno));
			return 1;
		}
		close(s);
		printf("ok: connected\n");
		return 0;
	}
	fprintf(stderr, "sockcheck: unknown command %s\n", argv[1]);
	return 2;
}
