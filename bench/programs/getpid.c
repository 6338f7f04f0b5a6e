/*
 * The cost of a system call: getpid() (musl makes the call each time),
 * in blocks of argv[2] calls, next to blocks of 100 times as many calls of
 * an empty function that is not inlined, the unit of the machine's own
 * speed; each for at least RUN_NS (bench.h). Runs argv[1] times and prints
 * each run's figures as "bench NAME VALUE UNIT" lines (bench/like.sh): ns
 * a getpid, ns an empty call, and getpid in empty calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

__attribute__((noinline)) static int
empty(int x)
{
	__asm__ volatile("" : "+r"(x));
	return x;
}

int
main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	long n = argc > 2 ? atol(argv[2]) : 1000, calls = 100 * n;
	volatile long sink = 0;

	for (int r = 0; r < runs; r++) {
		long done = 0;
		double t0 = now_ns(), t1;
		do {
			for (long i = 0; i < n; i++)
				sink += getpid();
			done += n;
		} while ((t1 = now_ns()) - t0 < RUN_NS);
		double sys = (t1 - t0) / done;
		done = 0;
		do {
			for (long i = 0; i < calls; i++)
				sink += empty((int)i);
			done += calls;
		} while ((t0 = now_ns()) - t1 < RUN_NS);
		double call = (t0 - t1) / done;
		printf("bench getpid %.1f ns\n", sys);
		printf("bench empty-call %.2f ns\n", call);
		printf("bench getpid-in-calls %.1f calls\n", sys / call);
	}
	return 0;
}
