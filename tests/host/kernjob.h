/*
 * kernjob: what the host tests of the kernel's waits use to call it and
 * to race it: the entries musl calls (__rumpxen_syscall, __rumpxen_clone),
 * a short call, the monotonic time, a sleep through the layer, a
 * thread of the layer's own (started on a stack mapped by the layer, big
 * enough for ThreadSanitizer; joined through its CLONE_CHILD_CLEARTID
 * word, as musl's joiners do), and the handshake that lets a test act
 * only once a job's thread is on its way into the call that waits.
 */
#ifndef RUMPXEN_TESTS_HOST_KERNJOB_H
#define RUMPXEN_TESTS_HOST_KERNJOB_H

#include <time.h>

#include "expect.h"

long __rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5,
		       long a6);
int __rumpxen_clone(int (*fn)(void *), void *stack, int flags, void *arg,
		    int *ptid, unsigned long tls, int *ctid);

/* VM FS FILES SIGHAND THREAD SYSVSEM PARENT_SETTID CHILD_CLEARTID */
#define KERNJOB_FLAGS 0x3d0f00

static inline long
sys(long n, long a1, long a2, long a3, long a4, long a5)
{
	return __rumpxen_syscall(n, a1, a2, a3, a4, a5, 0);
}

static inline double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void
sleep_ms(long ms)
{
	struct timespec ts = {0, ms * 1000000};
	sys(35 /* nanosleep */, (long)&ts, 0, 0, 0, 0);
}

/* job_start: fn(arg) on a thread of the layer's; *ctid is its tid word. */
static inline void
job_start(int (*fn)(void *), void *arg, int *ctid)
{
	const long size = 2 << 20;
	char *stack = (char *)sys(9 /* mmap */, 0, size, 3, 0x22, -1);
	int ptid;

	*ctid = -1;
	if (__rumpxen_clone(fn, stack + size, KERNJOB_FLAGS, arg, &ptid, 0,
			    ctid) < 0) {
		expect(0, "a thread could not start");
		*ctid = 0; /* nothing to join */
	}
}

/* job_join: until the thread of *ctid has ended. */
static inline void
job_join(int *ctid)
{
	int tid;
	while ((tid = __atomic_load_n(ctid, __ATOMIC_SEQ_CST)) != 0)
		sys(202 /* futex */, (long)ctid, 128 /* FUTEX_WAIT_PRIVATE */,
		    tid, 0, 0);
}

/* job_mark: the job's thread is about to make its waiting call. */
static inline void
job_mark(int *ready)
{
	__atomic_store_n(ready, 1, __ATOMIC_SEQ_CST);
}

/*
 * job_settle: until the job's thread has marked *ready, then ms more for
 * it to reach its wait inside the call. Waiting for the mark first keeps
 * a loaded machine, slow to run a new thread, from making the test act
 * before the call was made.
 */
static inline void
job_settle(int *ready, long ms)
{
	while (!__atomic_load_n(ready, __ATOMIC_SEQ_CST))
		sys(24 /* sched_yield */, 0, 0, 0, 0, 0);
	sleep_ms(ms);
}

#endif /* RUMPXEN_TESTS_HOST_KERNJOB_H */
