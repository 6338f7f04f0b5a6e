/*
 * AF_UNIX (kern/sys/unix*.c) on platform/posix under ASan and UBSan,
 * entered as musl enters it, for what sockdiff's nonblocking calls
 * cannot show: a blocking accept woken by a connect from another thread,
 * a blocking read woken by a write and by the peer's close, a full
 * stream send buffer that waits for the reader, a connect waiting for
 * room in a full backlog, SO_RCVTIMEO ending a read; files passed with
 * SCM_RIGHTS that work on the other side (a pipe written through the
 * received fd, a socket passed over itself), MSG_CMSG_CLOEXEC; a bound
 * path that stat shows as a socket and that open refuses (ENXIO);
 * epoll waking on a datagram; and a cycle of sockets only in flight,
 * collected when the last fd goes (its name is free then), also one
 * through a listener's queue of connections. Exits 0 when all holds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "../../kern/kern.h"
#include "kernjob.h"

static long
call(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return __rumpxen_syscall(n, a1, a2, a3, a4, a5, a6);
}

static struct sockaddr_un
path_addr(const char *p)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};

	strncpy(a.sun_path, p, sizeof(a.sun_path) - 1);
	return a;
}

/* A thread's job: a call on fd, its result. */
struct job {
	int ctid, ready;
	long fd, r;
	char buf[64];
};

static int
job_accept(void *arg)
{
	struct job *j = arg;

	job_mark(&j->ready);
	j->r = call(SYS_accept4, j->fd, 0, 0, 0, 0, 0);
	return 0;
}

static int
job_read(void *arg)
{
	struct job *j = arg;

	job_mark(&j->ready);
	j->r = call(SYS_read, j->fd, (long)j->buf, sizeof(j->buf), 0, 0, 0);
	return 0;
}

static int
job_connect(void *arg)
{
	struct job *j = arg;
	struct sockaddr_un a = path_addr("/unix/l");

	job_mark(&j->ready);
	j->r = call(SYS_connect, j->fd, (long)&a, sizeof(a), 0, 0, 0);
	return 0;
}

static void
test_blocking(void)
{
	struct sockaddr_un a = path_addr("/unix/l");
	struct job j = {0};
	struct stat st;
	long l, c, c2, s;

	call(SYS_mkdir, (long)"/unix", 0755, 0, 0, 0, 0);
	l = call(SYS_socket, AF_UNIX, SOCK_STREAM, 0, 0, 0, 0);
	expect(call(SYS_bind, l, (long)&a, sizeof(a), 0, 0, 0) == 0,
	       "bind to a path");
	expect(call(SYS_stat, (long)"/unix/l", (long)&st, 0, 0, 0, 0) == 0 &&
		       S_ISSOCK(st.st_mode),
	       "stat shows the path as a socket");
	expect(call(SYS_open, (long)"/unix/l", O_RDWR, 0, 0, 0, 0) == -ENXIO,
	       "open of a socket node is ENXIO");
	expect(call(SYS_listen, l, 0, 0, 0, 0, 0) == 0, "listen, backlog 0");

	j.fd = l;
	job_start(job_accept, &j, &j.ctid);
	job_settle(&j.ready, 50);
	c = call(SYS_socket, AF_UNIX, SOCK_STREAM, 0, 0, 0, 0);
	expect(call(SYS_connect, c, (long)&a, sizeof(a), 0, 0, 0) == 0,
	       "connect while an accept waits");
	job_join(&j.ctid);
	s = j.r;
	expect(s >= 0, "the waiting accept is woken with the connection");

	/* A read woken by a write, then by the peer's close. */
	memset(&j, 0, sizeof(j));
	j.fd = s;
	job_start(job_read, &j, &j.ctid);
	job_settle(&j.ready, 50);
	call(SYS_write, c, (long)"hello", 5, 0, 0, 0);
	job_join(&j.ctid);
	expect(j.r == 5 && memcmp(j.buf, "hello", 5) == 0,
	       "a waiting read gets what was written");
	memset(&j, 0, sizeof(j));
	j.fd = s;
	job_start(job_read, &j, &j.ctid);
	job_settle(&j.ready, 50);
	call(SYS_close, c, 0, 0, 0, 0, 0);
	job_join(&j.ctid);
	expect(j.r == 0, "a waiting read ends (0) at the peer's close");

	/* A full backlog: with backlog 0 one connection may wait (Linux's
	 * queue is full past the backlog); the next waits (on another
	 * thread) until an accept makes room. */
	c = call(SYS_socket, AF_UNIX, SOCK_STREAM, 0, 0, 0, 0);
	expect(call(SYS_connect, c, (long)&a, sizeof(a), 0, 0, 0) == 0,
	       "one connection waits unaccepted");
	c2 = call(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, 0, 0, 0);
	expect(call(SYS_connect, c2, (long)&a, sizeof(a), 0, 0, 0) == -EAGAIN,
	       "a nonblocking connect to a full backlog: EAGAIN");
	memset(&j, 0, sizeof(j));
	j.fd = call(SYS_socket, AF_UNIX, SOCK_STREAM, 0, 0, 0, 0);
	job_start(job_connect, &j, &j.ctid);
	job_settle(&j.ready, 50);
	expect(j.r == 0 && __atomic_load_n(&j.ctid, __ATOMIC_SEQ_CST) != 0,
	       "a blocking connect waits for room");
	long a1 = call(SYS_accept4, l, 0, 0, 0, 0, 0);
	job_join(&j.ctid);
	expect(a1 >= 0 && j.r == 0, "an accept makes room: the connect ends");
	call(SYS_close, a1, 0, 0, 0, 0, 0);
	call(SYS_close, j.fd, 0, 0, 0, 0, 0);
	call(SYS_close, c, 0, 0, 0, 0, 0);
	call(SYS_close, c2, 0, 0, 0, 0, 0);
	call(SYS_close, s, 0, 0, 0, 0, 0);
	call(SYS_close, l, 0, 0, 0, 0, 0);
}

static void
test_buffers(void)
{
	static char big[300000];
	int sv[2];
	struct timeval tv = {0, 100000};
	double t0;
	long n, got = 0, r;

	call(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)sv, 0, 0);
	/* SO_RCVTIMEO ends a read that nothing answers, no sooner. */
	call(SYS_setsockopt, sv[0], SOL_SOCKET, SO_RCVTIMEO, (long)&tv,
	     sizeof(tv), 0);
	t0 = now();
	r = call(SYS_read, sv[0], (long)big, 10, 0, 0, 0);
	expect(r == -EAGAIN && now() - t0 >= 0.099,
	       "SO_RCVTIMEO: EAGAIN after its time");
	/* A write bigger than the send buffer: partial when nonblocking. */
	call(SYS_fcntl, sv[1], F_SETFL, O_NONBLOCK, 0, 0, 0);
	n = call(SYS_write, sv[1], (long)big, sizeof(big), 0, 0, 0);
	expect(n > 0 && n < (long)sizeof(big),
	       "a nonblocking write fills the send buffer, partly");
	expect(call(SYS_write, sv[1], (long)big, 1, 0, 0, 0) == -EAGAIN,
	       "then EAGAIN");
	while (got < n) {
		r = call(SYS_read, sv[0], (long)big, sizeof(big), 0, 0, 0);
		if (r <= 0)
			break;
		got += r;
	}
	expect(got == n, "the reader gets every byte written");
	expect(call(SYS_write, sv[1], (long)big, 1, 0, 0, 0) == 1,
	       "and room comes back");
	call(SYS_close, sv[0], 0, 0, 0, 0, 0);
	call(SYS_close, sv[1], 0, 0, 0, 0, 0);
}

/* send_fds: n fds over s with one byte; sendmsg's result. */
static long
send_fds(long s, const int *fds, int n)
{
	char room[CMSG_SPACE(sizeof(int) * 4)] = {0};
	struct iovec iov = {"x", 1};
	struct msghdr m = {.msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = room,
			   .msg_controllen = CMSG_SPACE(sizeof(int) * n)};
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);

	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(h), fds, sizeof(int) * n);
	return call(SYS_sendmsg, s, (long)&m, 0, 0, 0, 0);
}

/* recv_fd: the first fd a message on s carries, or -1. */
static int
recv_fd(long s, int flags)
{
	char room[CMSG_SPACE(sizeof(int) * 4)], c;
	struct iovec iov = {&c, 1};
	struct msghdr m = {.msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = room,
			   .msg_controllen = sizeof(room)};
	int fd = -1;

	if (call(SYS_recvmsg, s, (long)&m, flags, 0, 0, 0) != 1)
		return -1;
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	if (h != NULL && h->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(h), sizeof(fd));
	return fd;
}

static void
test_rights(void)
{
	int sv[2], p[2], fd;
	char buf[8] = {0};

	call(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, (long)sv, 0, 0);
	call(SYS_pipe2, (long)p, 0, 0, 0, 0, 0);
	expect(send_fds(sv[0], &p[1], 1) == 1, "a pipe's end sent");
	call(SYS_close, p[1], 0, 0, 0, 0, 0);
	fd = recv_fd(sv[1], MSG_CMSG_CLOEXEC);
	expect(fd >= 0 && fd != p[1] + 100, "received as a new fd");
	expect(call(SYS_fcntl, fd, F_GETFD, 0, 0, 0, 0) == FD_CLOEXEC,
	       "MSG_CMSG_CLOEXEC: close-on-exec");
	expect(call(SYS_write, fd, (long)"pipe", 4, 0, 0, 0) == 4 &&
		       call(SYS_read, p[0], (long)buf, 4, 0, 0, 0) == 4 &&
		       memcmp(buf, "pipe", 4) == 0,
	       "the received fd writes into the same pipe");
	call(SYS_close, fd, 0, 0, 0, 0, 0);
	expect(call(SYS_read, p[0], (long)buf, 4, 0, 0, 0) == 0,
	       "its last writer closed: the pipe's end");
	call(SYS_close, p[0], 0, 0, 0, 0, 0);
	int bad = 9999;
	expect(send_fds(sv[0], &bad, 1) == -EBADF, "a bad fd: EBADF");
	/*
	 * The ends of a pair sent over each other, then closed: a cycle
	 * only in flight, which the collection ends; one end bound to a
	 * name shows it: a datagram to the name finds nobody (a live end
	 * would refuse it with EPERM, being connected to the other).
	 */
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	memcpy(a.sun_path, "\0cycle", 6);
	expect(call(SYS_bind, sv[1], (long)&a, 2 + 6, 0, 0, 0) == 0 &&
		       send_fds(sv[0], &sv[1], 1) == 1 &&
		       send_fds(sv[1], &sv[0], 1) == 1,
	       "each end of a pair sent over the other");
	call(SYS_close, sv[0], 0, 0, 0, 0, 0);
	call(SYS_close, sv[1], 0, 0, 0, 0, 0);
	/* As on Linux, the next release of a socket runs the collection. */
	call(SYS_close, call(SYS_socket, AF_UNIX, SOCK_DGRAM, 0, 0, 0, 0), 0, 0,
	     0, 0, 0);
	long o = call(SYS_socket, AF_UNIX, SOCK_DGRAM, 0, 0, 0, 0);
	expect(call(SYS_sendto, o, (long)"?", 1, 0, (long)&a, 2 + 6) ==
		       -ECONNREFUSED,
	       "the cycle is collected when its last fd goes");
	call(SYS_close, o, 0, 0, 0, 0, 0);
}

/*
 * test_gc_listener: a listener sent, in flight, to its own connection
 * that waits to be accepted, then closed with that connection's client:
 * a cycle through the accept queue, collected at the next release (its
 * name free after), which must free the connection's queue before the
 * listener's kill frees the connection.
 */
static void
test_gc_listener(void)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	long l, c, l2;
	int lfd;

	memcpy(a.sun_path, "\0gcl", 4);
	l = call(SYS_socket, AF_UNIX, SOCK_STREAM, 0, 0, 0, 0);
	c = call(SYS_socket, AF_UNIX, SOCK_STREAM, 0, 0, 0, 0);
	lfd = (int)l;
	expect(call(SYS_bind, l, (long)&a, 2 + 4, 0, 0, 0) == 0 &&
		       call(SYS_listen, l, 1, 0, 0, 0, 0) == 0 &&
		       call(SYS_connect, c, (long)&a, 2 + 4, 0, 0, 0) == 0 &&
		       send_fds(c, &lfd, 1) == 1,
	       "a listener sent to its own waiting connection");
	call(SYS_close, l, 0, 0, 0, 0, 0);
	call(SYS_close, c, 0, 0, 0, 0, 0);
	call(SYS_close, call(SYS_socket, AF_UNIX, SOCK_DGRAM, 0, 0, 0, 0), 0, 0,
	     0, 0, 0);
	l2 = call(SYS_socket, AF_UNIX, SOCK_STREAM, 0, 0, 0, 0);
	expect(call(SYS_bind, l2, (long)&a, 2 + 4, 0, 0, 0) == 0,
	       "that cycle is collected: its name is free again");
	call(SYS_close, l2, 0, 0, 0, 0, 0);
}

static void
test_epoll(void)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	struct epoll_event ev = {.events = EPOLLIN}, out;
	long s, c, ep;

	memcpy(a.sun_path, "\0epoll", 6);
	s = call(SYS_socket, AF_UNIX, SOCK_DGRAM, 0, 0, 0, 0);
	c = call(SYS_socket, AF_UNIX, SOCK_DGRAM, 0, 0, 0, 0);
	expect(call(SYS_bind, s, (long)&a, 2 + 6, 0, 0, 0) == 0,
	       "bind to an abstract name");
	ep = call(SYS_epoll_create1, 0, 0, 0, 0, 0, 0);
	ev.data.fd = (int)s;
	call(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, s, (long)&ev, 0, 0);
	expect(call(SYS_epoll_wait, ep, (long)&out, 1, 0, 0, 0) == 0,
	       "epoll: nothing yet");
	expect(call(SYS_sendto, c, (long)"d", 1, 0, (long)&a, 2 + 6) == 1,
	       "a datagram to the abstract name");
	expect(call(SYS_epoll_wait, ep, (long)&out, 1, 1000, 0, 0) == 1 &&
		       out.data.fd == s && (out.events & EPOLLIN),
	       "epoll: the socket is readable");
	call(SYS_close, ep, 0, 0, 0, 0, 0);
	call(SYS_close, s, 0, 0, 0, 0, 0);
	call(SYS_close, c, 0, 0, 0, 0, 0);
}

int rumpxen_main(int argc, char **argv);

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	expect(kern_init() == 0, "kern_init");
	test_blocking();
	test_buffers();
	test_rights();
	test_gc_listener();
	test_epoll();
	printf("%d failures\n", failures);
	return failures != 0;
}
