/*
 * Pipes, eventfd and the one wait mechanism under poll, select and epoll
 * (kern/wait.c, kern/sys/pipe.c, poll.c, epoll.c) as a host program on
 * platform/posix, through the syscall entry, with threads made by
 * __rumpxen_clone racing the main thread: a pipe's data, EOF, EPIPE with
 * SIGPIPE, PIPE_BUF atomicity, 1 MiB through a pipe between two threads,
 * a poll that times out and one a writer wakes, select, epoll level,
 * edge and one-shot, an epoll item gone with its file, eventfd (and its
 * semaphore mode), and a signal ending a poll with EINTR. Built with
 * ASan/UBSan and, as kernwait-tsan, with ThreadSanitizer. Exits 0 when
 * all holds.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rumpxen/platform.h>

#include "../../kern/kern.h"
#include "kernjob.h"

#define SYS_read	  0
#define SYS_write	  1
#define SYS_close	  3
#define SYS_poll	  7
#define SYS_rt_sigaction  13
#define SYS_ioctl	  16
#define SYS_select	  23
#define SYS_gettid	  186
#define SYS_tkill	  200
#define SYS_epoll_wait	  232
#define SYS_epoll_ctl	  233
#define SYS_eventfd2	  290
#define SYS_epoll_create1 291
#define SYS_pipe2	  293
#define O_NONBLOCK	  04000
#define POLLIN		  1
#define POLLOUT		  4
#define POLLHUP		  0x10
#define EPOLLET		  (1u << 31)
#define EPOLLONESHOT	  (1u << 30)
#define EAGAIN		  11
#define EINTR		  4
#define EPIPE		  32
#define EPERM		  1

/* A thread of the layer's and what it is given to do. */
struct job {
	int fd;
	long count, delay_ms, result;
	int tid, ctid, ready;
};

/* start, join: a job's thread, through kernjob.h. */
static void
start(int (*fn)(void *), struct job *j)
{
	job_start(fn, j, &j->ctid);
}

static void
join(struct job *j)
{
	job_join(&j->ctid);
}

/* writer: count bytes of a pattern into fd, in pieces, after a delay. */
static int
writer(void *arg)
{
	struct job *j = arg;
	unsigned char buf[7000];
	long done = 0;

	sleep_ms(j->delay_ms);
	while (done < j->count) {
		long n = j->count - done < (long)sizeof(buf)
				 ? j->count - done
				 : (long)sizeof(buf);
		for (long i = 0; i < n; i++)
			buf[i] = (unsigned char)((done + i) * 7);
		long w = sys(SYS_write, j->fd, (long)buf, n, 0, 0);
		if (w <= 0)
			break;
		done += w;
	}
	j->result = done;
	return 0;
}

static int sigpipes, usr1s;

static void
on_pipe(int sig)
{
	sigpipes += sig == 13;
}

static void
on_usr1(int sig)
{
	usr1s += sig == 10;
}

/* poller: polls fd for input, a long time: the result. */
static int
poller(void *arg)
{
	struct job *j = arg;
	struct {
		int fd;
		short events, revents;
	} p = {j->fd, POLLIN, 0};

	j->tid = (int)sys(SYS_gettid, 0, 0, 0, 0, 0);
	job_mark(&j->ready);
	j->result = sys(SYS_poll, (long)&p, 1, 10000, 0, 0);
	return 0;
}

static void
pipes(void)
{
	int fds[2];
	char buf[70000];
	int left;

	expect(sys(SYS_pipe2, (long)fds, O_NONBLOCK, 0, 0, 0) == 0,
	       "pipe2 O_NONBLOCK");
	expect(sys(SYS_read, fds[0], (long)buf, 10, 0, 0) == -EAGAIN,
	       "an empty pipe: EAGAIN");
	expect(sys(SYS_write, fds[1], (long)"hello", 5, 0, 0) == 5 &&
		       sys(SYS_ioctl, fds[0], 0x541b, (long)&left, 0, 0) == 0 &&
		       left == 5 &&
		       sys(SYS_read, fds[0], (long)buf, 100, 0, 0) == 5 &&
		       memcmp(buf, "hello", 5) == 0,
	       "data through it, FIONREAD");
	memset(buf, 'p', sizeof(buf));
	long w = sys(SYS_write, fds[1], (long)buf, 65536 - 100, 0, 0);
	expect(w == 65436 &&
		       sys(SYS_write, fds[1], (long)buf, 200, 0, 0) == -EAGAIN,
	       "a write of up to PIPE_BUF goes whole or not at all");
	expect(sys(SYS_write, fds[1], (long)buf, 5000, 0, 0) == 100,
	       "a longer one takes what fits");
	sys(SYS_close, fds[1], 0, 0, 0, 0);
	long total = 0, r;
	while ((r = sys(SYS_read, fds[0], (long)buf, sizeof(buf), 0, 0)) > 0)
		total += r;
	expect(total == 65536 && r == 0, "the writer gone: all read, then EOF");
	sys(SYS_close, fds[0], 0, 0, 0, 0);

	const unsigned long act[4] = {(unsigned long)on_pipe, 0, 0, 0};
	sys(SYS_rt_sigaction, 13, (long)act, 0, 8, 0);
	sys(SYS_pipe2, (long)fds, 0, 0, 0, 0);
	sys(SYS_close, fds[0], 0, 0, 0, 0);
	expect(sys(SYS_write, fds[1], (long)"x", 1, 0, 0) == -EPIPE &&
		       sigpipes == 1,
	       "no reader: EPIPE, and SIGPIPE's handler ran");
	sys(SYS_close, fds[1], 0, 0, 0, 0);

	/* 1 MiB from a thread, read as it comes. */
	struct job j = {.count = 1 << 20};
	sys(SYS_pipe2, (long)fds, 0, 0, 0, 0);
	j.fd = fds[1];
	start(writer, &j);
	long got = 0, bad = 0;
	while (got < j.count) {
		r = sys(SYS_read, fds[0], (long)buf, 3000, 0, 0);
		if (r <= 0)
			break;
		for (long i = 0; i < r; i++)
			bad += (unsigned char)buf[i] !=
			       (unsigned char)((got + i) * 7);
		got += r;
	}
	join(&j);
	printf("pipe: %ld bytes read, %ld wrong\n", got, bad);
	expect(got == 1 << 20 && bad == 0 && j.result == 1 << 20,
	       "1 MiB through a pipe between two threads, in order");
	sys(SYS_close, fds[0], 0, 0, 0, 0);
	sys(SYS_close, fds[1], 0, 0, 0, 0);
}

static void
polls(void)
{
	int fds[2];
	struct {
		int fd;
		short events, revents;
	} p[2];
	char c;

	sys(SYS_pipe2, (long)fds, 0, 0, 0, 0);
	p[0] = (typeof(p[0])){fds[0], POLLIN, 0};
	p[1] = (typeof(p[1])){fds[1], POLLOUT, 0};
	expect(sys(SYS_poll, (long)p, 2, 0, 0, 0) == 1 && p[0].revents == 0 &&
		       p[1].revents == POLLOUT,
	       "poll: the write end is writable, the read end not yet");
	double t0 = now();
	long r = sys(SYS_poll, (long)p, 1, 50, 0, 0);
	double waited = now() - t0;
	printf("poll: %ld after %.3f s\n", r, waited);
	expect(r == 0 && waited >= 0.05,
	       "a poll of 50 ms times out, not early");

	struct job j = {.fd = fds[1], .count = 1, .delay_ms = 30};
	start(writer, &j);
	t0 = now();
	r = sys(SYS_poll, (long)p, 1, 10000, 0, 0);
	waited = now() - t0;
	join(&j);
	expect(r == 1 && p[0].revents == POLLIN && waited < 5,
	       "a writer's data wakes the poll");

	unsigned long rset[16] = {0}, wset[16] = {0};
	rset[0] = 1ul << fds[0];
	wset[0] = 1ul << fds[1];
	struct {
		long sec, usec;
	} tv = {1, 0};
	expect(sys(SYS_select, fds[1] + 1, (long)rset, (long)wset, 0,
		   (long)&tv) == 2 &&
		       rset[0] == 1ul << fds[0] && wset[0] == 1ul << fds[1],
	       "select: readable and writable");
	sys(SYS_read, fds[0], (long)&c, 1, 0, 0);

	/* A signal ends a poll with EINTR. */
	const unsigned long act[4] = {(unsigned long)on_usr1, 0, 0, 0};
	sys(SYS_rt_sigaction, 10, (long)act, 0, 8, 0);
	struct job q = {.fd = fds[0]};
	start(poller, &q);
	job_settle(&q.ready, 50);
	sys(SYS_tkill, q.tid, 10, 0, 0, 0);
	join(&q);
	expect(q.result == -EINTR && usr1s == 1,
	       "a signal ends a poll with EINTR, the handler ran");
	sys(SYS_close, fds[1], 0, 0, 0, 0);
	p[0].revents = 0;
	expect(sys(SYS_poll, (long)p, 1, 0, 0, 0) == 1 &&
		       (p[0].revents & POLLHUP),
	       "the writer gone: POLLHUP");
	sys(SYS_close, fds[0], 0, 0, 0, 0);
}

struct event {
	unsigned events;
	unsigned long data;
} __attribute__((packed));

static void
epolls(void)
{
	int fds[2];
	struct event ev, out[4];
	char c;
	long ep = sys(SYS_epoll_create1, 0, 0, 0, 0, 0);

	sys(SYS_pipe2, (long)fds, 0, 0, 0, 0);
	ev = (struct event){POLLIN, 42};
	expect(sys(SYS_epoll_ctl, ep, 1, fds[0], (long)&ev, 0) == 0,
	       "epoll_ctl ADD");
	expect(sys(SYS_epoll_ctl, ep, 1, fds[0], (long)&ev, 0) == -17,
	       "ADD again: EEXIST");
	expect(sys(SYS_epoll_wait, ep, (long)out, 4, 0, 0) == 0,
	       "nothing ready");
	sys(SYS_write, fds[1], (long)"ab", 2, 0, 0);
	expect(sys(SYS_epoll_wait, ep, (long)out, 4, 0, 0) == 1 &&
		       out[0].data == 42 && out[0].events == POLLIN &&
		       sys(SYS_epoll_wait, ep, (long)out, 4, 0, 0) == 1,
	       "level-triggered: ready while data is there");
	ev = (struct event){POLLIN | EPOLLET, 43};
	sys(SYS_epoll_ctl, ep, 3, fds[0], (long)&ev, 0);
	expect(sys(SYS_epoll_wait, ep, (long)out, 4, 0, 0) == 1 &&
		       out[0].data == 43 &&
		       sys(SYS_epoll_wait, ep, (long)out, 4, 0, 0) == 0,
	       "edge-triggered: once");
	sys(SYS_read, fds[0], (long)&c, 1, 0, 0);
	expect(sys(SYS_epoll_wait, ep, (long)out, 4, 0, 0) == 1,
	       "and again after a change (a read)");
	struct job j = {.fd = fds[1], .count = 1, .delay_ms = 30};
	start(writer, &j);
	expect(sys(SYS_epoll_wait, ep, (long)out, 4, 10000, 0) == 1,
	       "a wait a thread's write ends");
	join(&j);
	ev = (struct event){POLLIN | EPOLLONESHOT, 44};
	sys(SYS_epoll_ctl, ep, 3, fds[0], (long)&ev, 0);
	expect(sys(SYS_epoll_wait, ep, (long)out, 4, 0, 0) == 1 &&
		       sys(SYS_epoll_wait, ep, (long)out, 4, 0, 0) == 0 &&
		       sys(SYS_epoll_ctl, ep, 3, fds[0], (long)&ev, 0) == 0 &&
		       sys(SYS_epoll_wait, ep, (long)out, 4, 0, 0) == 1,
	       "one-shot: once, then again when MOD arms it");
	sys(SYS_close, fds[0], 0, 0, 0, 0);
	expect(sys(SYS_epoll_ctl, ep, 2, fds[0], (long)&ev, 0) == -9 &&
		       sys(SYS_epoll_wait, ep, (long)out, 4, 0, 0) == 0,
	       "an item goes with its file's last fd");
	long reg = sys(257, -100, (long)"/regular", 0100 | 2, 0644, 0);
	ev = (struct event){POLLIN, 1};
	expect(sys(SYS_epoll_ctl, ep, 1, reg, (long)&ev, 0) == -EPERM,
	       "a regular file: EPERM");
	sys(SYS_close, reg, 0, 0, 0, 0);
	sys(SYS_close, fds[1], 0, 0, 0, 0);
	sys(SYS_close, ep, 0, 0, 0, 0);
}

/* reader: reads 1 byte from its fd, waiting: the result. */
static int
reader(void *arg)
{
	struct job *j = arg;
	char c = 0;

	job_mark(&j->ready);
	j->result = sys(SYS_read, j->fd, (long)&c, 1, 0, 0);
	j->count = c;
	return 0;
}

/* What the review of the code found, each a case. */
static void
edges(void)
{
	int fds[2], many[12][2];
	struct event ev;
	long ep = sys(SYS_epoll_create1, 0, 0, 0, 0, 0);

	/* A poll of an epoll fd whose items have more queues than room. */
	for (int i = 0; i < 12; i++) {
		sys(SYS_pipe2, (long)many[i], 0, 0, 0, 0);
		ev = (struct event){POLLIN, (unsigned long)i};
		sys(SYS_epoll_ctl, ep, 1, many[i][0], (long)&ev, 0);
	}
	struct job j = {.fd = many[11][1], .count = 1, .delay_ms = 30};
	start(writer, &j);
	struct {
		int fd;
		short events, revents;
	} p = {(int)ep, POLLIN, 0};
	long r = sys(SYS_poll, (long)&p, 1, 10000, 0, 0);
	join(&j);
	expect(r == 1 && p.revents == POLLIN,
	       "a poll of an epoll fd with 12 idle pipes wakes for the 12th");
	for (int i = 0; i < 12; i++) {
		sys(SYS_close, many[i][0], 0, 0, 0, 0);
		sys(SYS_close, many[i][1], 0, 0, 0, 0);
	}
	sys(SYS_close, ep, 0, 0, 0, 0);

	/* select: a write end whose reader is gone is writable, not readable.
	 */
	sys(SYS_pipe2, (long)fds, 0, 0, 0, 0);
	sys(SYS_close, fds[0], 0, 0, 0, 0);
	unsigned long rset[16] = {0}, wset[16] = {0};
	wset[0] = 1ul << fds[1];
	expect(sys(SYS_select, fds[1] + 1, (long)rset, (long)wset, 0, 0) == 1 &&
		       rset[0] == 0 && wset[0] == 1ul << fds[1],
	       "select reports an fd only in the sets it was asked in");
	sys(SYS_close, fds[1], 0, 0, 0, 0);

	/* A read waiting while another thread closes its fd. */
	sys(SYS_pipe2, (long)fds, 0, 0, 0, 0);
	struct job rd = {.fd = fds[0]};
	start(reader, &rd);
	job_settle(&rd.ready, 30);
	sys(SYS_close, fds[0], 0, 0, 0, 0);
	sys(SYS_write, fds[1], (long)"z", 1, 0, 0);
	join(&rd);
	expect(rd.result == 1 && rd.count == 'z',
	       "a read whose fd was closed meanwhile still ends with the data");
	sys(SYS_close, fds[1], 0, 0, 0, 0);

	/* A timeout too long to count waits, rather than ending at once. */
	sys(SYS_pipe2, (long)fds, 0, 0, 0, 0);
	struct job w = {.fd = fds[1], .count = 1, .delay_ms = 30};
	start(writer, &w);
	struct timespec forever = {0x7fffffffffffffffl, 0};
	p = (typeof(p)){fds[0], POLLIN, 0};
	expect(sys(271 /* ppoll */, (long)&p, 1, (long)&forever, 0, 0) == 1,
	       "ppoll with a timeout of LONG_MAX seconds waits for data");
	join(&w);
	sys(SYS_close, fds[0], 0, 0, 0, 0);
	sys(SYS_close, fds[1], 0, 0, 0, 0);
	struct event out;
	ep = sys(SYS_epoll_create1, 0, 0, 0, 0, 0);
	expect(sys(SYS_epoll_wait, ep, (long)&out, 1l << 31, 0, 0) == -22,
	       "epoll_wait with 2^31 events: EINVAL");
	sys(SYS_close, ep, 0, 0, 0, 0);
}

static void
eventfds(void)
{
	unsigned long v = 3, got = 0;
	long fd = sys(SYS_eventfd2, 0, O_NONBLOCK, 0, 0, 0);

	expect(sys(SYS_read, fd, (long)&got, 8, 0, 0) == -EAGAIN,
	       "eventfd at 0: EAGAIN");
	sys(SYS_write, fd, (long)&v, 8, 0, 0);
	sys(SYS_write, fd, (long)&v, 8, 0, 0);
	expect(sys(SYS_read, fd, (long)&got, 8, 0, 0) == 8 && got == 6,
	       "eventfd sums, read takes all");
	sys(SYS_close, fd, 0, 0, 0, 0);
	fd = sys(SYS_eventfd2, 2, O_NONBLOCK | 1, 0, 0, 0);
	int ones = 0;
	while (sys(SYS_read, fd, (long)&got, 8, 0, 0) == 8)
		ones += got == 1;
	expect(ones == 2, "EFD_SEMAPHORE: one at a time");
	v = ~0ul;
	expect(sys(SYS_write, fd, (long)&v, 8, 0, 0) == -22,
	       "writing 2^64 - 1: EINVAL");
	sys(SYS_close, fd, 0, 0, 0, 0);
}

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	expect(kern_init() == 0, "kern_init");
	pipes();
	polls();
	epolls();
	eventfds();
	edges();
	/* The ended threads are joined now, not at some later clone. */
	kern_enter();
	kern_thread_reap();
	kern_leave();
	printf(failures == 0 ? "all passed\n" : "%d failed\n", failures);
	return failures != 0;
}
