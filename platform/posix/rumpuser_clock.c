/*
 * Clocks and sleep for the rump kernel on a Linux process:
 * clock_gettime, and clock_nanosleep restarted after a signal, with the
 * kernel's CPU given back while asleep.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <time.h>

#include "posix.h"

int
rumpuser_clock_gettime(int enum_rumpclock, int64_t *sec, long *nsec)
{
	struct timespec ts;
	clockid_t clk;

	switch (enum_rumpclock) {
	case RUMPUSER_CLOCK_RELWALL:
		clk = CLOCK_REALTIME;
		break;
	case RUMPUSER_CLOCK_ABSMONO:
		clk = CLOCK_MONOTONIC;
		break;
	default:
		return 22;
	}
	clock_gettime(clk, &ts);
	*sec = ts.tv_sec;
	*nsec = ts.tv_nsec;
	return 0;
}

int
rumpuser_clock_sleep(int enum_rumpclock, int64_t sec, long nsec)
{
	struct timespec ts = {.tv_sec = sec, .tv_nsec = nsec}, now;
	int nlocks, rv;

	if (sec < 0 || nsec < 0 || nsec >= 1000000000)
		return 22;
	if (enum_rumpclock == RUMPUSER_CLOCK_RELWALL) {
		/* Made absolute, so that a sleep resumed after EINTR ends
		 * when the first one would have. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		ts.tv_sec += now.tv_sec;
		ts.tv_nsec += now.tv_nsec;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
	} else if (enum_rumpclock != RUMPUSER_CLOCK_ABSMONO) {
		return 22;
	}
	nlocks = rumpuser_unschedule(NULL);
	do
		rv = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	while (rv == EINTR);
	rumpuser_schedule(nlocks, NULL);
	return 0;
}
