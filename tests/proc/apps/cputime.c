/*
 * CPU time as Linux counts it (tests/proc/cputime.sh): a busy loop of
 * 0.3 s shows in CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
 * getrusage (RUSAGE_SELF, RUSAGE_THREAD: user plus system time) and
 * times, at least a third of it (the host may be busy); a 0.3 s sleep
 * adds less than half of that; another thread's busy loop shows in the
 * process's clock and not in the caller's thread clock; the clock ids
 * of clock_getcpuclockid and pthread_getcpuclockid read; RUSAGE_CHILDREN
 * is zeros; a bad who is EINVAL; times' return counts 100 a second.
 * Prints "N failures" and exits 0 when there are none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define MS 1000000l
/* What the kernel fills (musl's struct has room for more after it). */
#define KERNEL_RUSAGE (offsetof(struct rusage, ru_nivcsw) + sizeof(long))

static long
ns_of(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts) != 0)
		return -1;
	return ts.tv_sec * 1000000000l + ts.tv_nsec;
}

/* rusage_ns: user plus system time of who, in ns. */
static long
rusage_ns(int who)
{
	struct rusage ru;

	if (getrusage(who, &ru) != 0)
		return -1;
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000l +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000l;
}

/* ticks: user plus system time in clock ticks (times). */
static long
ticks(void)
{
	struct tms t;

	times(&t);
	return (long)(t.tms_utime + t.tms_stime);
}

/* busy: spins for 0.3 s of the monotonic clock. */
static void
busy(void)
{
	long start = ns_of(CLOCK_MONOTONIC);
	volatile unsigned long x = 0;

	while (ns_of(CLOCK_MONOTONIC) - start < 300 * MS)
		x++;
}

static void *
busy_thread(void *arg)
{
	(void)arg;
	busy();
	return NULL;
}

static void
loops(void)
{
	long p0 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
	long t0 = ns_of(CLOCK_THREAD_CPUTIME_ID);
	long r0 = rusage_ns(RUSAGE_SELF), rt0 = rusage_ns(RUSAGE_THREAD);
	long k0 = ticks();

	busy();
	check(ns_of(CLOCK_PROCESS_CPUTIME_ID) - p0 >= 100 * MS,
	      "a 0.3 s busy loop: the process's CPU clock");
	check(ns_of(CLOCK_THREAD_CPUTIME_ID) - t0 >= 100 * MS,
	      "... the thread's CPU clock");
	check(rusage_ns(RUSAGE_SELF) - r0 >= 100 * MS, "... RUSAGE_SELF");
	check(rusage_ns(RUSAGE_THREAD) - rt0 >= 100 * MS, "... RUSAGE_THREAD");
	check(ticks() - k0 >= 10, "... times, in ticks of 100 a second");

	p0 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
	r0 = rusage_ns(RUSAGE_SELF);
	struct tms t;
	clock_t c0 = times(&t);
	long m0 = ns_of(CLOCK_MONOTONIC);
	usleep(300000);
	long slept = ns_of(CLOCK_MONOTONIC) - m0;
	clock_t c1 = times(&t);
	check(ns_of(CLOCK_PROCESS_CPUTIME_ID) - p0 < 150 * MS &&
		      rusage_ns(RUSAGE_SELF) - r0 < 150 * MS,
	      "a 0.3 s sleep: less than half of it");
	check(c1 - c0 >= 25 && c1 - c0 <= slept / (10 * MS) + 2,
	      "times' return counts ticks of 10 ms");
}

static void
threads(void)
{
	pthread_t th;
	clockid_t self_clk, proc_clk;
	long p0 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
	long t0 = ns_of(CLOCK_THREAD_CPUTIME_ID);

	pthread_create(&th, NULL, busy_thread, NULL);
	pthread_join(th, NULL);
	check(ns_of(CLOCK_PROCESS_CPUTIME_ID) - p0 >= 100 * MS,
	      "another thread's busy loop: in the process's clock");
	check(ns_of(CLOCK_THREAD_CPUTIME_ID) - t0 < 150 * MS,
	      "... not in this thread's");
	check(pthread_getcpuclockid(pthread_self(), &self_clk) == 0 &&
		      ns_of(self_clk) >= t0,
	      "pthread_getcpuclockid of this thread reads");
	check(clock_getcpuclockid(0, &proc_clk) == 0 &&
		      ns_of(proc_clk) >= p0 + 100 * MS,
	      "clock_getcpuclockid of this process reads");
	struct timespec res;
	check(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res) == 0 &&
		      res.tv_sec == 0 && res.tv_nsec > 0,
	      "clock_getres of the process's CPU clock");
}

static void
others(void)
{
	struct rusage ru;
	static const struct rusage zero;

	memset(&ru, 0xff, sizeof(ru));
	check(getrusage(RUSAGE_CHILDREN, &ru) == 0 &&
		      memcmp(&ru, &zero, KERNEL_RUSAGE) == 0,
	      "RUSAGE_CHILDREN: zeros (no children)");
	errno = 0;
	check(getrusage(5, &ru) == -1 && errno == EINVAL, "who 5: EINVAL");
	check(times(NULL) != (clock_t)-1, "times(NULL) answers");
}

int
main(void)
{
	loops();
	threads();
	others();
	printf("%d failures\n", failures);
	return failures != 0;
}
