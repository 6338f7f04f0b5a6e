/*
 * Clocks and sleep for the rump kernel: the PV clock read directly (never
 * a yield, so a busy-waiting DELAY() sees time pass), and sleeps on the
 * scheduler's deadlines with the kernel's CPU given back meanwhile.
 */
#include <rumpxen/rumpuser.h>

#include "../../shared/rumpuser_shared.h"
#include "../core/core.h"

int
rumpuser_clock_gettime(int enum_rumpclock, int64_t *sec, long *nsec)
{
	uint64_t ns;

	switch (enum_rumpclock) {
	case RUMPUSER_CLOCK_RELWALL:
		ns = time_wall_ns();
		break;
	case RUMPUSER_CLOCK_ABSMONO:
		ns = time_monotonic_ns();
		break;
	default:
		return 22; /* EINVAL */
	}
	*sec = (int64_t)(ns / 1000000000ull);
	*nsec = (long)(ns % 1000000000ull);
	return 0;
}

int
rumpuser_clock_sleep(int enum_rumpclock, int64_t sec, long nsec)
{
	uint64_t t, deadline;
	int nlocks;

	if (sec < 0 || nsec < 0)
		return 22; /* EINVAL */
	t = (uint64_t)sec * 1000000000ull + (uint64_t)nsec;
	switch (enum_rumpclock) {
	case RUMPUSER_CLOCK_RELWALL:
		deadline = time_monotonic_ns() + t;
		break;
	case RUMPUSER_CLOCK_ABSMONO:
		deadline = t;
		break;
	default:
		return 22;
	}
	nlocks = rumpuser_unschedule(NULL);
	if (time_monotonic_ns() >= deadline)
		sched_yield(); /* a sleep of nothing lets the others run */
	else
		sched_sleep_until(deadline);
	rumpuser_schedule(nlocks, NULL);
	return 0;
}
