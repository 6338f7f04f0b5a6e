/*
 * httpcheck: dom0's HTTP client of the httpd tests (tests/net/httpd.sh).
 *
 *   httpcheck IP PORT HEAD BODY <REQUEST
 *
 * sends the bytes of its standard input, as they are, to IP:PORT (waiting
 * up to a minute for the port to accept), reads the answer until the
 * server closes the connection and splits it at the first empty line:
 * the status line and the headers go to the file HEAD, one a line without
 * their CRs, and every byte after the empty line to the file BODY, as it
 * came. The request is the caller's, byte for byte, so a test can send
 * any method, header or malformed line it wants. It prints "ok: " and
 * the status line, or "FAILED: " and why, and exits 0 or 1; it waits no
 * more than a minute for any read or write.
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define LIMIT_S 60

/* failed: says why and ends with status 1. */
static void
failed(const char *what, const char *why)
{
	printf("FAILED: %s: %s\n", what, why);
	exit(1);
}

/* dial_wait: a connection to a, once the port accepts (LIMIT_S s). */
static int
dial_wait(const struct sockaddr_in *a)
{
	struct timeval tv = {LIMIT_S, 0};

	for (int i = 0; i < LIMIT_S * 5; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0)
			failed("socket", strerror(errno));
		setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(s, (const struct sockaddr *)a, sizeof(*a)) == 0)
			return s;
		close(s);
		usleep(200000);
	}
	failed("waited a minute for the port", strerror(errno));
	return -1;
}

/* slurp: everything fd gives until its end, in a growing buffer. */
static char *
slurp(int fd, size_t *len, const char *what)
{
	size_t cap = 65536;
	char *buf = malloc(cap);

	*len = 0;
	for (;;) {
		if (buf == NULL)
			failed(what, "out of memory");
		ssize_t r = read(fd, buf + *len, cap - *len);
		if (r == 0)
			return buf;
		if (r < 0)
			failed(what, errno == EAGAIN ? "no end within a minute"
						     : strerror(errno));
		*len += (size_t)r;
		if (*len == cap)
			buf = realloc(buf, cap *= 2);
	}
}

/* put: writes len bytes of p into the file path. */
static void
put(const char *path, const char *p, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(p, 1, len, f) != len || fclose(f) != 0)
		failed(path, strerror(errno));
}

int
main(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	size_t reqlen, len, headlen = 0;

	if (argc != 5) {
		fprintf(stderr,
			"usage: httpcheck IP PORT HEAD BODY <REQUEST\n");
		return 2;
	}
	if (inet_pton(AF_INET, argv[1], &a.sin_addr) != 1)
		failed(argv[1], "no IPv4 address");
	a.sin_port = htons((unsigned short)atoi(argv[2]));
	char *req = slurp(0, &reqlen, "reading the request");
	int s = dial_wait(&a);
	for (size_t at = 0; at < reqlen;) {
		ssize_t w = write(s, req + at, reqlen - at);
		if (w <= 0)
			failed("sending the request", strerror(errno));
		at += (size_t)w;
	}
	char *resp = slurp(s, &len, "reading the answer");
	close(s);
	char *end = memmem(resp, len, "\r\n\r\n", 4);
	if (end == NULL)
		failed("the answer", "no empty line after the headers");
	/* The head without its CRs, each line ended by a newline. */
	char *head = malloc((size_t)(end - resp) + 2);
	for (char *p = resp; p < end + 2; p++)
		if (*p != '\r')
			head[headlen++] = *p;
	put(argv[3], head, headlen);
	put(argv[4], end + 4, len - (size_t)(end + 4 - resp));
	printf("ok: %.*s\n", (int)strcspn(head, "\n"), head);
	return 0;
}
