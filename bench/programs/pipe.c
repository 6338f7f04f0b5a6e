/*
 * Pipe ping-pong between two threads: one writes a byte into one pipe,
 * the other reads it and writes it back through a second pipe, argv[2]
 * round trips a run. Runs argv[1] times and prints each run's round trips
 * per second as a "bench NAME VALUE UNIT" line (bench/like.sh).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int ping[2], pong[2];
static long trips;

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* echo: sends back every byte that comes, trips of them. */
static void *
echo(void *arg)
{
	char c;

	(void)arg;
	for (long i = 0; i < trips; i++)
		if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
			return "echo failed";
	return NULL;
}

int
main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	pthread_t t;
	void *err;
	char c = 'x';

	trips = argc > 2 ? atol(argv[2]) : 1000;
	if (pipe(ping) || pipe(pong)) {
		perror("pipe");
		return 1;
	}
	for (int r = 0; r < runs; r++) {
		if (pthread_create(&t, NULL, echo, NULL)) {
			fprintf(stderr, "pipe: pthread_create failed\n");
			return 1;
		}
		double t0 = now();
		for (long i = 0; i < trips; i++)
			if (write(ping[1], &c, 1) != 1 ||
			    read(pong[0], &c, 1) != 1) {
				perror("pipe: ping");
				return 1;
			}
		double t1 = now();
		pthread_join(t, &err);
		if (err) {
			fprintf(stderr, "pipe: %s\n", (char *)err);
			return 1;
		}
		printf("bench pipe-round-trip %.0f trips/s\n",
		       trips / (t1 - t0));
	}
	return 0;
}
