/*
 * Pipe ping-pong between two threads: one writes a byte into one pipe,
 * the other reads it and writes it back through a second pipe, in blocks
 * of argv[2] round trips for at least RUN_NS (bench.h) a run; a 'q' ends
 * the echo. Runs argv[1] times and prints each run's round trips per
 * second as a "bench NAME VALUE UNIT" line (bench/like.sh).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

static int ping[2], pong[2];

/* echo: sends back every byte that comes, up to and with a 'q'. */
static void *
echo(void *arg)
{
	char c = 0;

	(void)arg;
	while (c != 'q')
		if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
			return "echo failed";
	return NULL;
}

/* trip: one round trip of c; 0, or 1 after saying why not. */
static int
trip(char c)
{
	if (write(ping[1], &c, 1) == 1 && read(pong[0], &c, 1) == 1)
		return 0;
	perror("pipe: ping");
	return 1;
}

int
main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	long n = argc > 2 ? atol(argv[2]) : 200;
	pthread_t t;
	void *err;

	if (pipe(ping) || pipe(pong)) {
		perror("pipe");
		return 1;
	}
	for (int r = 0; r < runs; r++) {
		long done = 0;
		if (pthread_create(&t, NULL, echo, NULL)) {
			fprintf(stderr, "pipe: pthread_create failed\n");
			return 1;
		}
		double t0 = now_ns(), t1;
		do {
			for (long i = 0; i < n; i++)
				if (trip('x'))
					return 1;
			done += n;
		} while ((t1 = now_ns()) - t0 < RUN_NS);
		if (trip('q'))
			return 1;
		pthread_join(t, &err);
		if (err) {
			fprintf(stderr, "pipe: %s\n", (char *)err);
			return 1;
		}
		printf("bench pipe-round-trip %.0f trips/s\n",
		       done / ((t1 - t0) / 1e9));
	}
	return 0;
}
