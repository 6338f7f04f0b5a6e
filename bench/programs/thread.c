/*
 * Thread creation: argv[2] times a run, pthread_create of a thread that
 * returns at once, then pthread_join of it. Runs argv[1] times and prints
 * each run's ns for a create and join as a "bench NAME VALUE UNIT" line
 * (bench/like.sh).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void *
nothing(void *arg)
{
	return arg;
}

int
main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	long n = argc > 2 ? atol(argv[2]) : 100;
	pthread_t t;

	for (int r = 0; r < runs; r++) {
		double t0 = now_ns();
		for (long i = 0; i < n; i++) {
			if (pthread_create(&t, NULL, nothing, NULL)) {
				fprintf(stderr,
					"thread: pthread_create failed\n");
				return 1;
			}
			pthread_join(t, NULL);
		}
		printf("bench thread-create-join %.0f ns\n",
		       (now_ns() - t0) / n);
	}
	return 0;
}
