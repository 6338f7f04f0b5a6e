/*
 * Pipes, eventfd, poll, select and epoll through musl
 * (tests/proc/waits.sh): producer threads write numbered records into
 * pipes, and the main thread takes them as they come with poll, then
 * select, then epoll level-triggered and edge-triggered (reading until
 * EAGAIN), checking every record arrives once and in order; an eventfd
 * counts a thread's posts; SIGPIPE ignored makes a write to a pipe
 * without reader EPIPE (and, with argument "sigpipe", SIGPIPE's default
 * action ends the guest); threads bump a counter in a file under OFD
 * locks; classic locks and flock.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/select.h>
#include <unistd.h>

#include "check.h"

#define PRODUCERS 4
#define RECORDS	  500

struct producer {
	int fd, id;
};

static void *
produce(void *arg)
{
	struct producer *p = arg;
	char rec[32];

	for (int i = 0; i < RECORDS; i++) {
		int n = snprintf(rec, sizeof(rec), "%d:%05d\n", p->id, i);
		if (write(p->fd, rec, (size_t)n) != n)
			break;
		if (i % 50 == 0)
			usleep(1000);
	}
	close(p->fd);
	return NULL;
}

/* Where each producer's records are read into and checked. */
struct stream {
	char buf[64];
	size_t len;
	int next, bad, done;
};

/* take: bytes from producer id's stream; whole records checked. */
static void
take(struct stream *s, int id, const char *data, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		s->buf[s->len++] = data[i];
		if (data[i] != '\n' && s->len < sizeof(s->buf))
			continue;
		int who = -1, num = -1;
		if (sscanf(s->buf, "%d:%d", &who, &num) != 2 || who != id ||
		    num != s->next)
			s->bad++;
		s->next++;
		s->len = 0;
	}
}

/* run: producers into pipes; mode "poll", "select", "epoll", "epollet". */
static void
run(const char *mode)
{
	struct producer prod[PRODUCERS];
	struct stream st[PRODUCERS];
	pthread_t t[PRODUCERS];
	int rfd[PRODUCERS], open_left = PRODUCERS, ep = -1;
	int et = strcmp(mode, "epollet") == 0;

	memset(st, 0, sizeof(st));
	if (strncmp(mode, "epoll", 5) == 0)
		ep = epoll_create1(EPOLL_CLOEXEC);
	for (int i = 0; i < PRODUCERS; i++) {
		int fds[2];
		pipe2(fds, O_CLOEXEC);
		rfd[i] = fds[0];
		if (et)
			fcntl(rfd[i], F_SETFL, O_NONBLOCK);
		prod[i] = (struct producer){fds[1], i};
		if (ep >= 0) {
			struct epoll_event ev = {.events = EPOLLIN |
							   (et ? EPOLLET : 0),
						 .data.u32 = (unsigned)i};
			epoll_ctl(ep, EPOLL_CTL_ADD, rfd[i], &ev);
		}
		pthread_create(&t[i], NULL, produce, &prod[i]);
	}
	while (open_left > 0) {
		int ready[PRODUCERS], nready = 0;
		if (strcmp(mode, "poll") == 0) {
			struct pollfd p[PRODUCERS];
			for (int i = 0; i < PRODUCERS; i++)
				p[i] = (struct pollfd){st[i].done ? -1 : rfd[i],
						       POLLIN, 0};
			if (poll(p, PRODUCERS, 10000) <= 0)
				break;
			for (int i = 0; i < PRODUCERS; i++)
				if (p[i].revents)
					ready[nready++] = i;
		} else if (strcmp(mode, "select") == 0) {
			fd_set r;
			int maxfd = 0;
			FD_ZERO(&r);
			for (int i = 0; i < PRODUCERS; i++)
				if (!st[i].done) {
					FD_SET(rfd[i], &r);
					maxfd = rfd[i] > maxfd ? rfd[i] : maxfd;
				}
			struct timeval tv = {10, 0};
			if (select(maxfd + 1, &r, NULL, NULL, &tv) <= 0)
				break;
			for (int i = 0; i < PRODUCERS; i++)
				if (!st[i].done && FD_ISSET(rfd[i], &r))
					ready[nready++] = i;
		} else {
			struct epoll_event ev[PRODUCERS];
			int n = epoll_wait(ep, ev, PRODUCERS, 10000);
			if (n <= 0)
				break;
			for (int i = 0; i < n; i++)
				ready[nready++] = (int)ev[i].data.u32;
		}
		for (int k = 0; k < nready; k++) {
			int i = ready[k];
			char buf[300];
			ssize_t r;
			/* Edge-triggered: read until EAGAIN, or miss data. */
			do {
				r = read(rfd[i], buf, sizeof(buf));
				if (r > 0)
					take(&st[i], i, buf, (size_t)r);
			} while (et && r > 0);
			if (r == 0 && !st[i].done) {
				st[i].done = 1;
				open_left--;
				if (ep >= 0)
					epoll_ctl(ep, EPOLL_CTL_DEL, rfd[i],
						  NULL);
			}
		}
	}
	int records = 0, bad = 0;
	for (int i = 0; i < PRODUCERS; i++) {
		pthread_join(t[i], NULL);
		close(rfd[i]);
		records += st[i].next;
		bad += st[i].bad;
	}
	if (ep >= 0)
		close(ep);
	printf("%s: %d records, %d out of order\n", mode, records, bad);
	char what[64];
	snprintf(what, sizeof(what), "%s: every record once, in order", mode);
	check(records == PRODUCERS * RECORDS && bad == 0 && open_left == 0,
	      what);
}

static void *
poster(void *arg)
{
	int fd = *(int *)arg;

	for (int i = 0; i < 100; i++) {
		uint64_t one = 1;
		write(fd, &one, 8);
		if (i % 10 == 0)
			usleep(500);
	}
	return NULL;
}

/* A counter in a file, bumped under an OFD write lock by each thread. */
static void *
bump(void *arg)
{
	int fd = open("/counter", O_RDWR);
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};

	(void)arg;
	for (int i = 0; i < 200; i++) {
		int v = 0;
		fl.l_type = F_WRLCK;
		fcntl(fd, F_OFD_SETLKW, &fl);
		pread(fd, &v, sizeof(v), 0);
		if (i % 20 == 0)
			usleep(200); /* others try meanwhile */
		v++;
		pwrite(fd, &v, sizeof(v), 0);
		fl.l_type = F_UNLCK;
		fcntl(fd, F_OFD_SETLK, &fl);
	}
	close(fd);
	return NULL;
}

static void
locks(void)
{
	pthread_t t[4];
	int v = 0, fd = open("/counter", O_RDWR | O_CREAT | O_TRUNC, 0644);

	pwrite(fd, &v, sizeof(v), 0);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, bump, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	pread(fd, &v, sizeof(v), 0);
	printf("locks: counter %d\n", v);
	check(v == 800, "OFD locks: 4 threads, 800 bumps, none lost");

	int other = open("/counter", O_RDWR);
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	check(fcntl(fd, F_SETLK, &fl) == 0 && fcntl(other, F_SETLK, &fl) == 0,
	      "classic locks: one process's fds share them");
	check(flock(fd, LOCK_EX) == 0 &&
		      flock(other, LOCK_EX | LOCK_NB) == -1 &&
		      errno == EWOULDBLOCK,
	      "flock: a second open file waits (EWOULDBLOCK)");
	close(other);
	close(fd);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "sigpipe") == 0) {
		int fds[2];
		pipe(fds);
		close(fds[0]);
		printf("writing to a pipe nobody reads\n");
		fflush(stdout);
		write(fds[1], "x", 1); /* SIGPIPE's default: the end */
		printf("still here\n");
		return 0;
	}
	run("poll");
	run("select");
	run("epoll");
	run("epollet");
	locks();

	int efd = eventfd(0, 0);
	pthread_t t;
	uint64_t sum = 0, v;
	pthread_create(&t, NULL, poster, &efd);
	while (sum < 100 && read(efd, &v, 8) == 8)
		sum += v;
	pthread_join(t, NULL);
	check(sum == 100, "eventfd: a thread's 100 posts counted");

	int fds[2];
	signal(SIGPIPE, SIG_IGN);
	pipe(fds);
	close(fds[0]);
	check(write(fds[1], "x", 1) == -1 && errno == EPIPE,
	      "SIGPIPE ignored: EPIPE");
	printf("%d failures\n", failures);
	return failures != 0;
}
