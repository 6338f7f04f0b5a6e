/*
 * Thread creation: pthread_create of a thread that returns at once, then
 * pthread_join of it, in blocks of argv[2] for at least RUN_NS (bench.h)
 * a run. Runs argv[1] times and prints each run's ns for a create and
 * join as a "bench NAME VALUE UNIT" line (bench/like.sh).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

static void *
nothing(void *arg)
{
	return arg;
}

int
main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	long n = argc > 2 ? atol(argv[2]) : 20;
	pthread_t t;

	for (int r = 0; r < runs; r++) {
		long done = 0;
		double t0 = now_ns(), t1;
		do {
			for (long i = 0; i < n; i++) {
				if (pthread_create(&t, NULL, nothing, NULL)) {
					fprintf(stderr,
						"thread: pthread_create "
						"failed\n");
					return 1;
				}
				pthread_join(t, NULL);
			}
			done += n;
		} while ((t1 = now_ns()) - t0 < RUN_NS);
		printf("bench thread-create-join %.0f ns\n", (t1 - t0) / done);
	}
	return 0;
}
