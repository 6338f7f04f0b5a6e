/*
 * Time: clock_gettime, clock_getres, gettimeofday and time from
 * rumpuser's clocks (the realtime clocks from the wall clock, every other
 * clock from the monotonic one; the CPU-time clocks count as monotonic,
 * there being one process that owns the CPU); nanosleep and
 * clock_nanosleep, relative or absolute, through rumpuser_clock_sleep,
 * which gives the CPU back while it sleeps; getrandom. Sleeps are not yet
 * interrupted by signals.
 */
#include "sys.h"

#define CLOCK_REALTIME	      0
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_REALTIME_ALARM  8
#define CLOCK_TAI	      11
#define TIMER_ABSTIME	      1

/* Linux's struct timespec and struct timeval. */
struct kern_timespec {
	long sec, nsec;
};
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

	if (clk < 0 || clk > CLOCK_TAI)
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

	if (a[0] < 0 || a[0] > CLOCK_TAI)
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

/* time_sleep: until the time req (absolute on clk) or for it. */
static long
time_sleep(long clk, int absolute, const struct kern_timespec *req)
{
	struct kern_timespec now = {0, 0};

	if (req->nsec < 0 || req->nsec >= 1000000000 || req->sec < 0)
		return -KERN_EINVAL;
	if (!absolute) {
		rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, req->sec,
				     req->nsec);
		return 0;
	}
	if (!time_is_wall(clk)) {
		rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO, req->sec,
				     req->nsec);
		return 0;
	}
	/* An absolute wall-clock time: the span from now. */
	time_now(clk, &now);
	long sec = req->sec - now.sec, nsec = req->nsec - now.nsec;
	if (nsec < 0) {
		nsec += 1000000000;
		sec--;
	}
	if (sec >= 0)
		rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, sec, nsec);
	return 0;
}

long
sys_nanosleep(const long a[6])
{
	return time_sleep(CLOCK_REALTIME, 0,
			  (const struct kern_timespec *)a[0]);
}

long
sys_clock_nanosleep(const long a[6])
{
	if (a[0] < 0 || a[0] > CLOCK_TAI)
		return -KERN_EINVAL;
	return time_sleep(a[0], (a[1] & TIMER_ABSTIME) != 0,
			  (const struct kern_timespec *)a[2]);
}

long
sys_getrandom(const long a[6])
{
	size_t got = 0;
	int err = rumpuser_getrandom((void *)a[0], (size_t)a[1], 0, &got);

	return err != 0 ? -kern_errno(err) : (long)got;
}
