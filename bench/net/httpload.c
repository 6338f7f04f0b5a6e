/*
 * httpload: dom0's HTTP load generator of the lighttpd benchmark
 * (bench/httpd.sh).
 *
 *   httpload wait IP PORT SECONDS
 *	until IP:PORT accepts a TCP connection, SECONDS at most.
 *   httpload NAME IP PORT PATH LENGTH CONNS SECONDS
 *	CONNS keep-alive HTTP/1.1 connections, each a thread, GET PATH one
 *	request after another for SECONDS; every response must be
 *	"200" with a Content-Length of LENGTH, else it counts as an error.
 *	Prints "bench NAME-FIGURE VALUE UNIT" lines: requests/s (req/s),
 *	body bytes/s (MB/s), the latency of a request from its first byte
 *	sent to the last byte of its response, p50, p90 and p99 (ms), and
 *	the errors (errors); then a line saying what was done.
 *
 * Every wait is bounded and named: a connect, a send or a receive that
 * makes no progress for HTTPLOAD_IO_S seconds ends the program with a
 * line saying which connection waited for what (exit 1), so a server
 * that stops answering gives an error, never a hang. A keep-alive
 * connection the server closes between responses (lighttpd does after
 * server.max-keep-alive-requests) is opened again; one closed inside a
 * response counts as an error and is opened again.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HTTPLOAD_IO_S	  10	    /* the longest wait for any progress */
#define HTTPLOAD_HEAD_MAX 8192	    /* bytes of a response's head */
#define HTTPLOAD_BUF	  (1 << 16) /* each connection's receive buffer */
#define HTTPLOAD_CONNS	  1024

static struct sockaddr_in httpload_addr = {.sin_family = AF_INET};
static const char *httpload_name;
static const char *httpload_path;
static char httpload_req[1024];
static size_t httpload_reqlen;
static long long httpload_length;
static double httpload_deadline;
static pthread_barrier_t httpload_ready, httpload_go;

static double
httpload_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Ends the program: connection i waited in vain for what (errno says). */
static void
httpload_fail(int i, const char *what)
{
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINPROGRESS)
		printf("httpload: %s: connection %d: no progress within %d s "
		       "while waiting for %s\n",
		       httpload_name, i, HTTPLOAD_IO_S, what);
	else
		printf("httpload: %s: connection %d: %s: %s\n", httpload_name,
		       i, what, strerror(errno));
	fflush(stdout);
	_exit(1);
}

/* A TCP connection to the server whose every wait is bounded, or -1. */
static int
httpload_dial(void)
{
	struct timeval tv = {.tv_sec = HTTPLOAD_IO_S};
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	/* SO_SNDTIMEO bounds connect() too, on Linux. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&httpload_addr,
		    sizeof(httpload_addr)) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

struct httpload_conn {
	pthread_t thread;
	int i;
	int fd;
	char *buf;
	double *lat; /* each request's latency, s */
	size_t nlat, cap;
	uint64_t bytes;	   /* body bytes received */
	uint64_t errors;   /* responses not 200 with LENGTH bytes, or cut */
	uint64_t reopened; /* connections opened again */
	double end;	   /* when its last response ended */
};

static void
httpload_open(struct httpload_conn *c)
{
	c->fd = httpload_dial();
	if (c->fd < 0)
		httpload_fail(c->i, "the server to accept a connection");
}

static void
httpload_reopen(struct httpload_conn *c)
{
	close(c->fd);
	httpload_open(c);
	c->reopened++;
}

/* The value of header name in the head (NUL-terminated), or NULL. */
static const char *
httpload_header(const char *head, const char *name)
{
	size_t n = strlen(name);
	const char *p = strstr(head, "\r\n");

	while (p != NULL && p[2] != '\r' && p[2] != '\0') {
		p += 2;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			return p;
		}
		p = strstr(p, "\r\n");
	}
	return NULL;
}

/*
 * One request and its response on c. Returns 1 when done, 0 when the
 * server had closed the connection before the response began (the
 * caller opens it again and asks again).
 */
static int
httpload_one(struct httpload_conn *c, double *lat)
{
	double t0 = httpload_now();
	size_t got = 0, sent = 0;
	char *end = NULL;
	long long length, body;
	int status, closing;
	const char *v;

	while (sent < httpload_reqlen) {
		ssize_t r = send(c->fd, httpload_req + sent,
				 httpload_reqlen - sent, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && sent == 0 &&
		    (errno == EPIPE || errno == ECONNRESET))
			return 0;
		if (r <= 0)
			httpload_fail(c->i, "the server to take a request");
		sent += (size_t)r;
	}
	/* The head, to its empty line. */
	while (end == NULL) {
		ssize_t r;

		if (got == HTTPLOAD_HEAD_MAX) {
			errno = EMSGSIZE;
			httpload_fail(c->i, "a response head that fits");
		}
		r = recv(c->fd, c->buf + got, HTTPLOAD_HEAD_MAX - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 && got == 0 && (r == 0 || errno == ECONNRESET))
			return 0;
		if (r == 0) {
			c->errors++;
			httpload_reopen(c);
			*lat = httpload_now() - t0;
			return 1;
		}
		if (r < 0)
			httpload_fail(c->i, "a response head");
		got += (size_t)r;
		c->buf[got] = '\0';
		end = strstr(c->buf, "\r\n\r\n");
	}
	end[2] = '\0';
	if (sscanf(c->buf, "HTTP/1.%*d %d", &status) != 1)
		status = 0;
	v = httpload_header(c->buf, "Content-Length");
	length = v != NULL ? atoll(v) : -1;
	v = httpload_header(c->buf, "Connection");
	closing = v != NULL && strncasecmp(v, "close", 5) == 0;
	/* The body: Content-Length bytes, some of them already here. */
	body = (long long)(got - (size_t)(end + 4 - c->buf));
	while (length >= 0 && body < length) {
		long long want = length - body;
		ssize_t r = recv(
			c->fd, c->buf,
			want < HTTPLOAD_BUF ? (size_t)want : HTTPLOAD_BUF, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			break;
		if (r < 0)
			httpload_fail(c->i, "a response body");
		body += r;
	}
	*lat = httpload_now() - t0;
	c->bytes += (uint64_t)body;
	if (status != 200 || length != httpload_length || body != length) {
		c->errors++;
		closing = 1;
	}
	if (closing)
		httpload_reopen(c);
	return 1;
}

static void *
httpload_run(void *arg)
{
	struct httpload_conn *c = arg;

	c->buf = malloc(HTTPLOAD_BUF + 1);
	if (c->buf == NULL) {
		errno = ENOMEM;
		httpload_fail(c->i, "memory");
	}
	httpload_open(c);
	pthread_barrier_wait(&httpload_ready);
	pthread_barrier_wait(&httpload_go);
	while (httpload_now() < httpload_deadline) {
		double lat;
		int tries = 0;

		while (!httpload_one(c, &lat)) {
			if (++tries == 2) {
				errno = ECONNRESET;
				httpload_fail(c->i, "a response on a new "
						    "connection");
			}
			httpload_reopen(c);
		}
		if (c->nlat == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 1024;
			c->lat = realloc(c->lat, c->cap * sizeof(double));
			if (c->lat == NULL) {
				errno = ENOMEM;
				httpload_fail(c->i, "memory");
			}
		}
		c->lat[c->nlat++] = lat;
	}
	c->end = httpload_now();
	close(c->fd);
	free(c->buf);
	return NULL;
}

static int
httpload_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* httpload wait IP PORT SECONDS */
static int
httpload_wait(double limit)
{
	double start = httpload_now();

	printf("httpload: waiting %.0f s at most for %s:%d to accept\n", limit,
	       inet_ntoa(httpload_addr.sin_addr),
	       ntohs(httpload_addr.sin_port));
	fflush(stdout);
	for (;;) {
		int fd = httpload_dial();

		if (fd >= 0) {
			close(fd);
			printf("httpload: accepted after %.1f s\n",
			       httpload_now() - start);
			return 0;
		}
		if (httpload_now() - start >= limit) {
			printf("httpload: %s:%d accepted nothing within %.0f "
			       "s: %s\n",
			       inet_ntoa(httpload_addr.sin_addr),
			       ntohs(httpload_addr.sin_port), limit,
			       strerror(errno));
			return 1;
		}
		usleep(200000);
	}
}

static int
httpload_usage(void)
{
	fprintf(stderr, "usage: httpload wait IP PORT SECONDS\n"
			"       httpload NAME IP PORT PATH LENGTH CONNS "
			"SECONDS\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct httpload_conn *conns;
	double start, end = 0, seconds, p[3] = {50, 90, 99}, *all;
	uint64_t bytes = 0, errors = 0, reopened = 0;
	size_t n = 0, k;
	int nconns, i, port;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && strcmp(argv[1], "wait") == 0) {
		port = atoi(argv[3]);
		if (inet_pton(AF_INET, argv[2], &httpload_addr.sin_addr) != 1 ||
		    port <= 0 || port > 65535 || atof(argv[4]) <= 0)
			return httpload_usage();
		httpload_addr.sin_port = htons((uint16_t)port);
		return httpload_wait(atof(argv[4]));
	}
	if (argc != 8)
		return httpload_usage();
	httpload_name = argv[1];
	port = atoi(argv[3]);
	httpload_path = argv[4];
	httpload_length = atoll(argv[5]);
	nconns = atoi(argv[6]);
	seconds = atof(argv[7]);
	if (inet_pton(AF_INET, argv[2], &httpload_addr.sin_addr) != 1 ||
	    port <= 0 || port > 65535 || httpload_path[0] != '/' ||
	    httpload_length < 0 || nconns <= 0 || nconns > HTTPLOAD_CONNS ||
	    seconds <= 0)
		return httpload_usage();
	httpload_addr.sin_port = htons((uint16_t)port);
	i = snprintf(httpload_req, sizeof(httpload_req),
		     "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", httpload_path,
		     argv[2]);
	if (i <= 0 || (size_t)i >= sizeof(httpload_req))
		return httpload_usage();
	httpload_reqlen = (size_t)i;
	printf("httpload: %s: GET http://%s:%d%s (%lld bytes) on %d keep-alive "
	       "connections for %g s, each wait at most %d s\n",
	       httpload_name, argv[2], port, httpload_path, httpload_length,
	       nconns, seconds, HTTPLOAD_IO_S);
	conns = calloc((size_t)nconns, sizeof(*conns));
	if (conns == NULL ||
	    pthread_barrier_init(&httpload_ready, NULL, nconns + 1) != 0 ||
	    pthread_barrier_init(&httpload_go, NULL, nconns + 1) != 0) {
		printf("httpload: %s: out of memory\n", httpload_name);
		return 1;
	}
	for (i = 0; i < nconns; i++) {
		conns[i].i = i;
		if (pthread_create(&conns[i].thread, NULL, httpload_run,
				   &conns[i]) != 0) {
			printf("httpload: %s: cannot start thread %d\n",
			       httpload_name, i);
			return 1;
		}
	}
	/* Every connection open, then the clock starts. */
	pthread_barrier_wait(&httpload_ready);
	start = httpload_now();
	httpload_deadline = start + seconds;
	pthread_barrier_wait(&httpload_go);
	for (i = 0; i < nconns; i++) {
		pthread_join(conns[i].thread, NULL);
		n += conns[i].nlat;
		bytes += conns[i].bytes;
		errors += conns[i].errors;
		reopened += conns[i].reopened;
		if (conns[i].end > end)
			end = conns[i].end;
	}
	all = malloc((n ? n : 1) * sizeof(double));
	if (all == NULL) {
		printf("httpload: %s: out of memory\n", httpload_name);
		return 1;
	}
	for (n = 0, i = 0; i < nconns; i++) {
		memcpy(all + n, conns[i].lat, conns[i].nlat * sizeof(double));
		n += conns[i].nlat;
	}
	if (n == 0) {
		printf("httpload: %s: no response within %g s\n", httpload_name,
		       seconds);
		return 1;
	}
	qsort(all, n, sizeof(double), httpload_cmp);
	printf("bench %s-rate %.1f req/s\n", httpload_name,
	       (double)n / (end - start));
	printf("bench %s-bytes %.3f MB/s\n", httpload_name,
	       (double)bytes / 1e6 / (end - start));
	for (k = 0; k < 3; k++) {
		size_t at = (size_t)((double)n * p[k] / 100);

		printf("bench %s-p%.0f %.3f ms\n", httpload_name, p[k],
		       all[at < n ? at : n - 1] * 1e3);
	}
	printf("bench %s-errors %llu errors\n", httpload_name,
	       (unsigned long long)errors);
	printf("httpload: %s: %zu responses in %.2f s, %llu errors, %llu "
	       "connections opened again\n",
	       httpload_name, n, end - start, (unsigned long long)errors,
	       (unsigned long long)reopened);
	return 0;
}
