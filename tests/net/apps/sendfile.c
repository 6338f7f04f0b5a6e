/*
 * sendfile [BYTES]: the guest of tests/net/sendfile.sh. Writes a file of
 * BYTES (16 MiB by default) of a pattern into its tmpfs, then serves it
 * on port 10 to one connection with sendfile(2), socket after file, as
 * an httpd serves a file, then waits for dom0 to close its end (so dom0
 * says its verdict while the job lasts). Prints "ok: ..." or
 * "FAILED: ...".
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

static unsigned char
pattern(size_t i)
{
	return (unsigned char)(i * 131 + (i >> 12));
}

static void
fail(const char *what)
{
	printf("FAILED: %s: %s\n", what, strerror(errno));
	exit(1);
}

int
main(int argc, char **argv)
{
	size_t total = argc > 1 ? (size_t)atol(argv[1]) : 16u << 20;
	static unsigned char buf[65536];
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(10)};
	int f, l, c, one = 1;
	off_t off = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	f = open("/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (f < 0)
		fail("open /big");
	for (size_t at = 0; at < total; at += sizeof(buf)) {
		size_t n = total - at < sizeof(buf) ? total - at : sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(at + i);
		if (write(f, buf, n) != (ssize_t)n)
			fail("write /big");
	}
	l = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(l, 1) != 0)
		fail("listen on port 10");
	printf("serving /big (%zu bytes) on port 10 with sendfile\n", total);
	if ((c = accept(l, NULL, NULL)) < 0)
		fail("accept");
	while ((size_t)off < total) {
		ssize_t r = sendfile(c, f, &off, total - (size_t)off);
		if (r <= 0)
			fail("sendfile");
	}
	/* Our end, then dom0's: it closes once it has judged what came. */
	shutdown(c, SHUT_WR);
	while (read(c, buf, sizeof(buf)) > 0)
		;
	close(c);
	printf("ok: sendfile sent %zu bytes\n", (size_t)off);
	return 0;
}
