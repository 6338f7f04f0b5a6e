/*
 * Time in the kernel world: the clocks in ns, and Linux's timespecs
 * checked and converted, once for every system call that takes one (the
 * sleeps, futex, ppoll and pselect6, utimensat's check of nsec).
 *
 * Kernel code counts time in uint64_t ns: the monotonic clock's reach of
 * 2^64 ns is about 584 years. A timeout of more than KERN_FOREVER_SEC
 * seconds (about 127 years) is no timeout: kern_timespec_ns gives it as
 * KERN_NS_FOREVER, and each caller says what that means for it.
 */
#include <string.h>

#include "abi.h"
#include "kern.h"

#define NSEC_PER_SEC 1000000000ull

/* ns_of: a clock's reading (sec, nsec) in ns. */
static uint64_t
ns_of(int64_t sec, long nsec)
{
	return (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
}

uint64_t
kern_now(void)
{
	int64_t sec;
	long nsec;

	rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec, &nsec);
	return ns_of(sec, nsec);
}

uint64_t
kern_wall(void)
{
	int64_t sec = 0;
	long nsec = 0;

	rumpuser_clock_gettime(RUMPUSER_CLOCK_RELWALL, &sec, &nsec);
	return ns_of(sec, nsec);
}

int
kern_timespec_nsec_ok(const struct kern_timespec *ts)
{
	return ts->nsec >= 0 && ts->nsec < (long)NSEC_PER_SEC;
}

int
kern_timespec_ns(const struct kern_timespec *ts, uint64_t *ns)
{
	if (ts->sec < 0 || !kern_timespec_nsec_ok(ts))
		return -KERN_EINVAL;
	*ns = ts->sec > KERN_FOREVER_SEC ? KERN_NS_FOREVER
					 : ns_of(ts->sec, ts->nsec);
	return 0;
}

void
kern_timespec_from_ns(uint64_t ns, struct kern_timespec *ts)
{
	ts->sec = (long)(ns / NSEC_PER_SEC);
	ts->nsec = (long)(ns % NSEC_PER_SEC);
}

/* Linux's struct timeval. */
struct timeo_timeval {
	long sec, usec;
};

int
kern_timeo_set(const void *val, unsigned len, uint64_t *ns)
{
	struct timeo_timeval tv;

	if (len < sizeof(tv))
		return -KERN_EINVAL;
	memcpy(&tv, val, sizeof(tv));
	if (tv.usec < 0 || tv.usec >= 1000000)
		return -KERN_EDOM;
	if (tv.sec < 0)
		*ns = 1; /* as Linux: a negative time ends a wait at once */
	else if (tv.sec > KERN_FOREVER_SEC)
		*ns = 0;
	else
		*ns = ns_of(tv.sec, tv.usec * 1000);
	return 0;
}

void
kern_timeo_get(uint64_t ns, void *val, unsigned *len)
{
	struct timeo_timeval tv = {(long)(ns / NSEC_PER_SEC),
				   (long)(ns % NSEC_PER_SEC / 1000)};

	kern_sockopt_out(val, len, &tv, sizeof(tv));
}
