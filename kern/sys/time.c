/*
 * Time: clock_gettime, clock_getres, gettimeofday and time from
 * rumpuser's clocks (the realtime clocks from the wall clock, every other
 * clock from the monotonic one, but the CPU-time clocks, which
 * cputime.c reads); nanosleep and clock_nanosleep, relative or
 * absolute, as a sleep of the thread (it gives the CPU back; a signal it
 * must take interrupts it; not on a CPU-time clock: EINVAL for the
 * thread's as on Linux, EOPNOTSUPP for the process's); getrandom.
 */
#include "sys.h"

#define CLOCK_REALTIME		 0
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID	 3
#define CLOCK_REALTIME_COARSE	 5
#define CLOCK_REALTIME_ALARM	 8
#define CLOCK_TAI		 11
#define TIMER_ABSTIME		 1

/* Linux's struct timeval. */
struct kern_timeval {
	long sec, usec;
};

static int
time_is_wall(long clk)
{
	return clk == CLOCK_REALTIME || clk == CLOCK_REALTIME_COARSE ||
	       clk == CLOCK_REALTIME_ALARM || clk == CLOCK_TAI;
}

/* time_now: clk's time; 0 or -EINVAL for a clock Linux lacks. */
static long
time_now(long clk, struct kern_timespec *ts)
{
	int64_t sec;
	long nsec;
	uint64_t ns;

	if (clk < 0 || clk == CLOCK_PROCESS_CPUTIME_ID ||
	    clk == CLOCK_THREAD_CPUTIME_ID) {
		long err = kern_cputime_clock(clk, &ns);
		if (err == 0)
			kern_timespec_from_ns(ns, ts);
		return err;
	}
	if (clk > CLOCK_TAI)
		return -KERN_EINVAL;
	if (rumpuser_clock_gettime(time_is_wall(clk) ? RUMPUSER_CLOCK_RELWALL
						     : RUMPUSER_CLOCK_ABSMONO,
				   &sec, &nsec) != 0)
		return -KERN_EINVAL;
	ts->sec = sec;
	ts->nsec = nsec;
	return 0;
}

long
sys_clock_gettime(const long a[6])
{
	return time_now(a[0], (struct kern_timespec *)a[1]);
}

long
sys_clock_getres(const long a[6])
{
	struct kern_timespec *res = (struct kern_timespec *)a[1];
	uint64_t ns;

	if (a[0] > CLOCK_TAI || (a[0] < 0 && kern_cputime_clock(a[0], &ns)))
		return -KERN_EINVAL;
	if (res != NULL) {
		res->sec = 0;
		res->nsec = 1;
	}
	return 0;
}

long
sys_gettimeofday(const long a[6])
{
	struct kern_timeval *tv = (struct kern_timeval *)a[0];
	struct kern_timespec ts = {0, 0};

	if (tv != NULL) {
		time_now(CLOCK_REALTIME, &ts);
		tv->sec = ts.sec;
		tv->usec = ts.nsec / 1000;
	}
	return 0;
}

long
sys_time(const long a[6])
{
	struct kern_timespec ts = {0, 0};

	time_now(CLOCK_REALTIME, &ts);
	if (a[0] != 0)
		*(long *)a[0] = ts.sec;
	return ts.sec;
}

/*
 * time_sleep: until the time req (absolute on clk) or for it, as a
 * deadline on the monotonic clock (an absolute wall-clock time counts
 * from now). A signal to take ends it with EINTR, the time left in rem
 * for a relative sleep.
 */
static long
time_sleep(long clk, int absolute, const struct kern_timespec *req,
	   struct kern_timespec *rem)
{
	uint64_t deadline, t;
	int err = kern_timespec_ns(req, &t);

	if (err != 0)
		return err;
	if (t == KERN_NS_FOREVER) {
		/* Longer than anything can run: until a signal. */
		kern_thread_sleep(kern_thread_self(), 0, 1);
		return -KERN_EINTR;
	}
	uint64_t mono = kern_now();
	if (!absolute) {
		deadline = mono + t;
	} else if (!time_is_wall(clk)) {
		deadline = t;
	} else {
		uint64_t wall = kern_wall();
		deadline = t > wall ? mono + (t - wall) : mono;
	}
	if (deadline <= mono)
		return 0;
	if (kern_thread_sleep(kern_thread_self(), deadline, 1) != -KERN_EINTR)
		return 0;
	if (!absolute && rem != NULL) {
		uint64_t left = kern_now();
		left = left < deadline ? deadline - left : 0;
		kern_timespec_from_ns(left, rem);
	}
	return -KERN_EINTR;
}

long
sys_nanosleep(const long a[6])
{
	return time_sleep(CLOCK_REALTIME, 0, (const struct kern_timespec *)a[0],
			  (struct kern_timespec *)a[1]);
}

long
sys_clock_nanosleep(const long a[6])
{
	if (a[0] == CLOCK_PROCESS_CPUTIME_ID)
		return -KERN_EOPNOTSUPP;
	if (a[0] < 0 || a[0] > CLOCK_TAI || a[0] == CLOCK_THREAD_CPUTIME_ID)
		return -KERN_EINVAL;
	return time_sleep(a[0], (a[1] & TIMER_ABSTIME) != 0,
			  (const struct kern_timespec *)a[2],
			  (struct kern_timespec *)a[3]);
}

long
sys_getrandom(const long a[6])
{
	size_t got = 0;
	int err = rumpuser_getrandom((void *)a[0], (size_t)a[1], 0, &got);

	return err != 0 ? kern_errno(err) : (long)got;
}
