/*
 * Futex wake-to-run latency: a thread waits on a futex word (FUTEX_WAIT);
 * another, after sleeping 1 ms so that the first is surely asleep, reads
 * the clock, changes the word and wakes it (FUTEX_WAKE), then waits for
 * its answer on a second futex; the woken thread reads the clock as soon
 * as its wait returns. argv[2] wakes a run; runs argv[1] times and prints
 * each run's median ns from before the wake call to the woken thread's
 * running as a "bench NAME VALUE UNIT" line (bench/like.sh); the figure
 * holds about one clock read (bench/programs/clock.c measures it), which
 * costs much under emulation. A wait that found the word already changed
 * (no sleep) is counted on a line of its own.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

/* Linux's futex operations (musl has no header of them). */
#define FUTEX_WAIT	   0
#define FUTEX_WAKE	   1
#define FUTEX_PRIVATE_FLAG 128

static volatile int word, answer;
static double woke, *lat;
static long n, nosleep;

static long
futex(volatile int *addr, int op, int val)
{
	return syscall(SYS_futex, addr, op | FUTEX_PRIVATE_FLAG, val, NULL,
		       NULL, 0);
}

/* await: waits until *addr is no longer 0; 1 if it never slept. */
static int
await(volatile int *addr)
{
	int first = 1, missed = 0;

	while (*addr == 0) {
		if (futex(addr, FUTEX_WAIT, 0) == 0)
			first = 0;
		else if (first)
			missed = 1;
	}
	return missed && first;
}

/* waiter: each round, waits for the word, notes the time, answers. */
static void *
waiter(void *arg)
{
	(void)arg;
	for (long i = 0; i < n; i++) {
		nosleep += await(&word);
		lat[i] = now_ns() - woke;
		word = 0;
		answer = 1;
		futex(&answer, FUTEX_WAKE, 1);
	}
	return NULL;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	struct timespec ms = {0, 1000000};
	pthread_t t;

	n = argc > 2 ? atol(argv[2]) : 100;
	lat = calloc(n, sizeof(*lat));
	for (int r = 0; r < runs; r++) {
		nosleep = 0;
		if (pthread_create(&t, NULL, waiter, NULL)) {
			fprintf(stderr, "futex: pthread_create failed\n");
			return 1;
		}
		for (long i = 0; i < n; i++) {
			nanosleep(&ms, NULL);
			woke = now_ns();
			word = 1;
			futex(&word, FUTEX_WAKE, 1);
			await(&answer);
			answer = 0;
		}
		pthread_join(t, NULL);
		qsort(lat, n, sizeof(*lat), cmp);
		printf("bench futex-wake-to-run %.0f ns\n", lat[n / 2]);
		if (nosleep)
			printf("futex: %ld of %ld waits did not sleep\n",
			       nosleep, n);
	}
	return 0;
}
