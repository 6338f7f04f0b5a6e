/*
 * The cost of a system call: getpid() (musl and glibc both make the
 * call each time), timed over many calls, next to a call of an empty
 * function that is not inlined, the unit of the machine's own speed
 * (the guest runs emulated, the host natively). Prints one line of
 * figures for bench/syscall.sh.
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
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	volatile long sink = 0;

	double t0 = now_ns();
	for (long i = 0; i < n; i++)
		sink += getpid();
	double t1 = now_ns();
	for (long i = 0; i < n; i++)
		sink += empty((int)i);
	double t2 = now_ns();
	printf("getpid_ns %.1f call_ns %.2f calls %ld\n", (t1 - t0) / n,
	       (t2 - t1) / n, n);
	return 0;
}
