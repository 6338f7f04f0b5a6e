/*
 * Advisory locks (kern/vfs/lock.c) as a host program on platform/posix,
 * through the syscall entry, with threads made by __rumpxen_clone: the
 * process's record locks shared by its fds and threads and lost when any
 * fd of the file closes; OFD locks that exclude each other between open
 * files, threads too; F_GETLK and F_OFD_GETLK reports; ranges split by
 * an unlock; F_OFD_SETLKW waiting for another thread's unlock, and ended
 * by a signal; flock apart from record locks; EBADF for a lock the open
 * mode does not allow. Built with ASan/UBSan and, as kernlock-tsan, with
 * ThreadSanitizer. Exits 0 when all holds.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rumpxen/platform.h>

#include "../../kern/kern.h"
#include "kernjob.h"

#define SYS_close	 3
#define SYS_rt_sigaction 13
#define SYS_fcntl	 72
#define SYS_flock	 73
#define SYS_gettid	 186
#define SYS_tkill	 200
#define SYS_openat	 257
#define F_RDLCK		 0
#define F_WRLCK		 1
#define F_UNLCK		 2
#define F_GETLK		 5
#define F_SETLK		 6
#define F_OFD_GETLK	 36
#define F_OFD_SETLK	 37
#define F_OFD_SETLKW	 38
#define LOCK_SH		 1
#define LOCK_EX		 2
#define LOCK_NB		 4
#define LOCK_UN		 8
#define EAGAIN		 11
#define EINTR		 4
#define EBADF		 9

struct flock {
	short type, whence;
	long start, len;
	int pid;
};

static long
openf(long flags)
{
	return sys(SYS_openat, -100, (long)"/locked", flags | 0100, 0644, 0);
}

static long
lk(long fd, long cmd, short type, long start, long len, struct flock *out)
{
	struct flock fl = {type, 0, start, len, 0};
	long r = sys(SYS_fcntl, fd, cmd, (long)&fl, 0, 0);

	if (out != NULL)
		*out = fl;
	return r;
}

struct job {
	long fd, result;
	double got_at; /* when the lock was taken */
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

/* waiter: an OFD write lock on bytes 0-9 of its fd, waiting for it. */
static int
waiter(void *arg)
{
	struct job *j = arg;

	j->tid = (int)sys(SYS_gettid, 0, 0, 0, 0, 0);
	job_mark(&j->ready);
	j->result = lk(j->fd, F_OFD_SETLKW, F_WRLCK, 0, 10, NULL);
	j->got_at = now();
	return 0;
}

static int usr1s;

static void
on_usr1(int sig)
{
	usr1s += sig == 10;
}

int
rumpxen_main(int argc, char **argv)
{
	struct flock got;

	(void)argc;
	(void)argv;
	expect(kern_init() == 0, "kern_init");
	long a = openf(2), b = openf(2), ro = openf(0);

	/* The process's record locks. */
	expect(lk(a, F_SETLK, F_WRLCK, 0, 10, NULL) == 0 &&
		       lk(b, F_SETLK, F_WRLCK, 5, 10, NULL) == 0,
	       "classic locks: two fds of one process do not conflict");
	expect(lk(a, F_OFD_SETLK, F_RDLCK, 0, 1, NULL) == -EAGAIN,
	       "an OFD lock meets the process's write lock: EAGAIN");
	expect(lk(a, F_OFD_GETLK, F_RDLCK, 3, 1, &got) == 0 &&
		       got.type == F_WRLCK && got.pid == 1 && got.start == 0 &&
		       got.len == 15,
	       "F_OFD_GETLK names it: a write lock of pid 1 on 0-14");
	expect(lk(b, F_SETLK, F_UNLCK, 5, 5, NULL) == 0 &&
		       lk(a, F_OFD_GETLK, F_WRLCK, 6, 2, &got) == 0 &&
		       got.type == F_UNLCK &&
		       lk(a, F_OFD_GETLK, F_WRLCK, 2, 1, &got) == 0 &&
		       got.type == F_WRLCK && got.len == 5,
	       "an unlock splits the range");
	long c = openf(2);
	sys(SYS_close, c, 0, 0, 0, 0);
	expect(lk(a, F_OFD_GETLK, F_WRLCK, 0, 0, &got) == 0 &&
		       got.type == F_UNLCK,
	       "closing any fd of the file drops the process's locks");

	expect(lk(a, F_SETLK, F_WRLCK, 0x7ffffffffffffffel, 10, NULL) == -75,
	       "a range past the largest offset: EOVERFLOW");

	/* OFD locks, between open files and threads. */
	expect(lk(a, F_OFD_SETLK, F_WRLCK, 0, 10, NULL) == 0 &&
		       lk(b, F_OFD_SETLK, F_WRLCK, 0, 1, NULL) == -EAGAIN &&
		       lk(b, F_SETLK, F_RDLCK, 9, 1, NULL) == -EAGAIN,
	       "an OFD lock keeps other open files out, classic ones too");
	expect(lk(ro, F_SETLK, F_WRLCK, 100, 1, NULL) == -EBADF,
	       "a write lock through a read-only fd: EBADF");
	struct job j = {.fd = b};
	start(waiter, &j);
	job_settle(&j.ready, 50);
	double unlocked_at = now();
	lk(a, F_OFD_SETLK, F_UNLCK, 0, 10, NULL);
	join(&j);
	printf("the waiter took the lock %.6f s after the unlock\n",
	       j.got_at - unlocked_at);
	expect(j.result == 0 && j.got_at >= unlocked_at,
	       "F_OFD_SETLKW waits for another thread's unlock");
	expect(lk(a, F_OFD_SETLK, F_WRLCK, 0, 10, NULL) == -EAGAIN,
	       "and holds the lock now");

	const unsigned long act[4] = {(unsigned long)on_usr1, 0, 0, 0};
	sys(SYS_rt_sigaction, 10, (long)act, 0, 8, 0);
	struct job k = {.fd = a};
	start(waiter, &k);
	job_settle(&k.ready, 50);
	sys(SYS_tkill, k.tid, 10, 0, 0, 0);
	join(&k);
	expect(k.result == -EINTR && usr1s == 1,
	       "a signal ends F_OFD_SETLKW with EINTR");
	sys(SYS_close, b, 0, 0, 0, 0);
	expect(lk(a, F_OFD_SETLK, F_WRLCK, 0, 10, NULL) == 0,
	       "an open file's last close drops its OFD locks");

	/* flock. */
	long d = openf(2), e = openf(2);
	expect(sys(SYS_flock, d, LOCK_EX, 0, 0, 0) == 0 &&
		       sys(SYS_flock, e, LOCK_SH | LOCK_NB, 0, 0, 0) == -EAGAIN,
	       "flock: an exclusive lock keeps a shared one out");
	expect(lk(e, F_OFD_SETLK, F_WRLCK, 50, 1, NULL) == 0,
	       "flock and record locks are apart");
	expect(sys(SYS_flock, d, LOCK_UN, 0, 0, 0) == 0 &&
		       sys(SYS_flock, e, LOCK_SH | LOCK_NB, 0, 0, 0) == 0 &&
		       sys(SYS_flock, d, LOCK_SH | LOCK_NB, 0, 0, 0) == 0,
	       "unlocked, two shared locks");
	kern_enter();
	kern_thread_reap();
	kern_leave();
	printf(failures == 0 ? "all passed\n" : "%d failed\n", failures);
	return failures != 0;
}
