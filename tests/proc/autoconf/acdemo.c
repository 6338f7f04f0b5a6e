/*
 * tests/proc/autoconf/acdemo.c: the program of the autoconf test package.
 * `acdemo N...` prints what configure found (config.h), then the count,
 * sum (by threads), mean and standard deviation of its arguments (through
 * libstats.a), whether clock_gettime and getrandom work, and exits with the
 * sum modulo 256; a bad argument prints a usage line and exits 2.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef HAVE_SYS_RANDOM_H
#include <sys/random.h>
#endif

#include "stats.h"

#define MAX_ARGS 64

/*
 * SHOW(HAVE_X) prints "HAVE_X=1" when config.h defines HAVE_X (as 1), else
 * "HAVE_X=0" (the test of Linux's IS_ENABLED).
 */
#define ARG_1			    0,
#define SECOND(ignored, value, ...) value
#define IS_ONE_(comma)		    SECOND(comma 1, 0, 0)
#define IS_ONE(value)		    IS_ONE_(ARG_##value)
#define DEFINED(name)		    IS_ONE(name)
#define SHOW(name)		    printf("%s=%d\n", #name, DEFINED(name))

static void
print_config(void)
{
	printf("package: %s\n", PACKAGE_STRING);
	printf("host: %s\n", HOST_TRIPLET);
	SHOW(HAVE_PTHREAD_CREATE);
	SHOW(HAVE_CLOCK_GETTIME);
	SHOW(HAVE_GETRANDOM);
	SHOW(HAVE_MMAP);
	SHOW(HAVE_ARC4RANDOM);
	SHOW(HAVE_STDINT_H);
	SHOW(HAVE_PTHREAD_H);
	SHOW(HAVE_SYS_MMAN_H);
	SHOW(HAVE_EXECINFO_H);
	SHOW(HAVE_LIBM);
	SHOW(HAVE_LIBPTHREAD);
	printf("SIZEOF_LONG=%d\n", SIZEOF_LONG);
	printf("SIZEOF_VOID_P=%d\n", SIZEOF_VOID_P);
}

static void
print_runtime(void)
{
#ifdef HAVE_CLOCK_GETTIME
	struct timespec a, b;

	if (clock_gettime(CLOCK_MONOTONIC, &a) == 0 &&
	    clock_gettime(CLOCK_MONOTONIC, &b) == 0 &&
	    (b.tv_sec > a.tv_sec ||
	     (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec)))
		printf("clock_gettime: ok\n");
	else
		printf("clock_gettime: failed (%s)\n", strerror(errno));
#endif
#ifdef HAVE_GETRANDOM
	unsigned char buf[16];
	ssize_t got = getrandom(buf, sizeof(buf), 0);

	if (got == (ssize_t)sizeof(buf))
		printf("getrandom: %zd bytes\n", got);
	else
		printf("getrandom: failed (%s)\n", strerror(errno));
#endif
}

int
main(int argc, char **argv)
{
	long v[MAX_ARGS];
	int n = argc - 1, used;

	print_config();
	print_runtime();
	if (n > MAX_ARGS) {
		fprintf(stderr, "usage: acdemo N... (at most %d)\n", MAX_ARGS);
		return 2;
	}
	for (int i = 0; i < n; i++) {
		char *end;

		errno = 0;
		v[i] = strtol(argv[i + 1], &end, 10);
		if (errno != 0 || end == argv[i + 1] || *end != '\0') {
			fprintf(stderr, "acdemo: not a number: %s\n",
				argv[i + 1]);
			return 2;
		}
	}
	long sum = stats_sum(v, n, 4, &used);

	printf("count=%d sum=%ld threads=%d\n", n, sum, used);
	printf("mean=%.3f stddev=%.3f\n", stats_mean(v, n), stats_stddev(v, n));
	return (int)(sum & 0xff);
}
