/*
 * The cost of reading the clock: clock_gettime(CLOCK_MONOTONIC), in
 * blocks of argv[2] calls for at least RUN_NS (bench.h) a run (on Linux
 * musl takes the vDSO's when the kernel offers it; on rumpxen it is a
 * call into the kernel). Runs argv[1] times and prints each run's ns a
 * call as a "bench NAME VALUE UNIT" line (bench/like.sh).
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

int
main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	long n = argc > 2 ? atol(argv[2]) : 1000;
	struct timespec t;

	for (int r = 0; r < runs; r++) {
		long done = 0;
		double t0 = now_ns(), t1;
		do {
			for (long i = 0; i < n; i++)
				clock_gettime(CLOCK_MONOTONIC, &t);
			done += n;
		} while ((t1 = now_ns()) - t0 < RUN_NS);
		printf("bench clock-gettime %.1f ns\n", (t1 - t0) / done);
	}
	return 0;
}
