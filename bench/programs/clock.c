/*
 * The cost of reading the clock: clock_gettime(CLOCK_MONOTONIC), argv[2]
 * calls a run (on Linux musl takes the vDSO's when the kernel offers it;
 * on rumpxen it is a call into the kernel). Runs argv[1] times and prints
 * each run's ns a call as a "bench NAME VALUE UNIT" line (bench/like.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
ns(const struct timespec *ts)
{
	return ts->tv_sec * 1e9 + ts->tv_nsec;
}

int
main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	long n = argc > 2 ? atol(argv[2]) : 5000;
	struct timespec t0, t, t1;

	for (int r = 0; r < runs; r++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < n; i++)
			clock_gettime(CLOCK_MONOTONIC, &t);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("bench clock-gettime %.1f ns\n",
		       (ns(&t1) - ns(&t0)) / n);
	}
	return 0;
}
