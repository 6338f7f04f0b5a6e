/*
 * CPU time: getrusage (RUSAGE_SELF, RUSAGE_THREAD; RUSAGE_CHILDREN is
 * zeros, there being no children), times (in clock ticks of 100 a
 * second, since boot), and the CPU-time clocks that clock_gettime and
 * clock_getres read (time.c): CLOCK_PROCESS_CPUTIME_ID,
 * CLOCK_THREAD_CPUTIME_ID, and the clock ids clock_getcpuclockid and
 * pthread_getcpuclockid make for this process or the calling thread.
 *
 * The platform counts the time (platform_cputime): a thread's, and the
 * process's as every thread of the image together, the kernel's own
 * (timers, the network) included, since the image is the process. It
 * does not tell time in the kernel from time in the program, so all of
 * it is user time (ru_utime, tms_utime); the system time is 0. The
 * other fields of struct rusage are not counted (0).
 *
 * Not supported: the CPU clock of another thread of the process
 * (EINVAL: the platform counts only the caller's).
 */
#include <string.h>

#include "sys.h"

#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID	 3
#define RUSAGE_SELF		 0
#define RUSAGE_CHILDREN		 (-1)
#define RUSAGE_THREAD		 1
#define CPUCLOCK_SCHED		 2 /* a made clock id's low bits: */
#define CPUCLOCK_PERTHREAD	 4 /* the one clock Linux keeps for both */

/* Linux's struct rusage: the times, then 14 counters. */
struct kern_rusage {
	long utime_sec, utime_usec, stime_sec, stime_usec;
	long counters[14];
};

/* Linux's struct tms, in clock ticks. */
struct kern_tms {
	long utime, stime, cutime, cstime;
};

int
kern_cputime_clock(long clk, uint64_t *ns)
{
	if (clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID) {
		*ns = platform_cputime(clk == CLOCK_THREAD_CPUTIME_ID);
		return 0;
	}
	if (clk >= 0 || (clk & 3) > CPUCLOCK_SCHED)
		return -KERN_EINVAL;
	/* A made id: ~id >> 3 is the pid or tid (0: the caller's). */
	long id = ~clk >> 3;
	if (!(clk & CPUCLOCK_PERTHREAD)) {
		if (id != 0 && id != 1)
			return -KERN_EINVAL; /* this process is pid 1 */
		*ns = platform_cputime(0);
		return 0;
	}
	struct kern_thread *t = kern_thread_app();
	if (id != 0 && (t == NULL || id != t->tid))
		return -KERN_EINVAL; /* another thread's: not counted */
	*ns = platform_cputime(1);
	return 0;
}

long
sys_getrusage(const long a[6])
{
	struct kern_rusage *ru = (struct kern_rusage *)a[1];
	uint64_t ns = 0;

	if (a[0] != RUSAGE_SELF && a[0] != RUSAGE_THREAD &&
	    a[0] != RUSAGE_CHILDREN)
		return -KERN_EINVAL;
	if (ru == NULL)
		return -KERN_EFAULT;
	if (a[0] != RUSAGE_CHILDREN)
		ns = platform_cputime(a[0] == RUSAGE_THREAD);
	memset(ru, 0, sizeof(*ru));
	ru->utime_sec = (long)(ns / 1000000000u);
	ru->utime_usec = (long)(ns % 1000000000u / 1000);
	return 0;
}

long
sys_times(const long a[6])
{
	struct kern_tms *tms = (struct kern_tms *)a[0];

	if (tms != NULL) {
		memset(tms, 0, sizeof(*tms));
		tms->utime = (long)(platform_cputime(0) / KERN_TICK_NS);
	}
	return (long)(kern_now() / KERN_TICK_NS);
}
