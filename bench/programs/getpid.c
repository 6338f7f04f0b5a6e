/*
 * The cost of a system call: getpid() (musl makes the call each time),
 * timed over argv[2] calls, next to 100 times as many calls of an empty
 * function that is not inlined, the unit of the machine's own speed (the
 * clock reads around each loop are then a small part of it, though they
 * cost many calls under emulation). Runs argv[1] times and prints each
 * run's figures as "bench NAME VALUE UNIT" lines (bench/like.sh): ns a
 * getpid, ns an empty call, and getpid in empty calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) static int
empty(int x)
{
	__asm__ volatile("" : "+r"(x));
	return x;
}

static double
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	long n = argc > 2 ? atol(argv[2]) : 5000, calls = 100 * n;
	volatile long sink = 0;

	for (int r = 0; r < runs; r++) {
		double t0 = now_ns();
		for (long i = 0; i < n; i++)
			sink += getpid();
		double t1 = now_ns();
		for (long i = 0; i < calls; i++)
			sink += empty((int)i);
		double t2 = now_ns();
		double sys = (t1 - t0) / n, call = (t2 - t1) / calls;
		printf("bench getpid %.1f ns\n", sys);
		printf("bench empty-call %.2f ns\n", call);
		printf("bench getpid-in-calls %.1f calls\n", sys / call);
	}
	return 0;
}
