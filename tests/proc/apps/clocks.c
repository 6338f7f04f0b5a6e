/*
 * Time through musl on the kernel (tests/proc/start.sh): the monotonic
 * clock never goes back; a 100 ms nanosleep, and an absolute
 * clock_nanosleep 100 ms ahead, each last at least that long; the wall
 * clock (time, gettimeofday, clock_gettime) agrees with itself and with
 * the host's time the runner passed (argv[1], seconds since the epoch)
 * within a minute; getrandom fills a buffer, twice differently. Exits 0
 * when all holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>

#include "check.h"

static long long
ns(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	long long t0 = ns(CLOCK_MONOTONIC), prev = t0;
	int back = 0;

	for (int i = 0; i < 10000; i++) {
		long long t = ns(CLOCK_MONOTONIC);
		back |= t < prev;
		prev = t;
	}
	check(!back, "the monotonic clock never goes back");

	struct timespec req = {0, 100000000};
	t0 = ns(CLOCK_MONOTONIC);
	check(nanosleep(&req, NULL) == 0 &&
		      ns(CLOCK_MONOTONIC) - t0 >= 100000000,
	      "nanosleep of 100 ms lasts at least that");
	t0 = ns(CLOCK_MONOTONIC);
	struct timespec until = {(t0 + 100000000) / 1000000000,
				 (t0 + 100000000) % 1000000000};
	check(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) ==
			      0 &&
		      ns(CLOCK_MONOTONIC) >= t0 + 100000000,
	      "an absolute clock_nanosleep waits until its time");

	struct timeval tv;
	time_t now = time(NULL);
	gettimeofday(&tv, NULL);
	check(llabs((long long)tv.tv_sec - now) <= 1 &&
		      llabs(ns(CLOCK_REALTIME) / 1000000000 - now) <= 1,
	      "time, gettimeofday and clock_gettime agree");
	long long host = argc > 1 ? atoll(argv[1]) : 0;
	printf("wall clock %lld, host %lld\n", (long long)now, host);
	check(llabs((long long)now - host) < 60,
	      "the wall clock is the host's");

	unsigned char a[32], b[32];
	check(getrandom(a, sizeof(a), 0) == sizeof(a) &&
		      getrandom(b, sizeof(b), 0) == sizeof(b) &&
		      memcmp(a, b, sizeof(a)) != 0,
	      "getrandom fills buffers, differently each time");
	return failures != 0;
}
