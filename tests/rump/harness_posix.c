/*
 * tests/rump/netbsd_rump.c as a host program on platform/posix: host
 * threads are pthreads, and the FFS image is the file named by the only
 * argument (none: no FFS test).
 */
#include <string.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <rumpxen/platform.h>

#include "harness.h"

static const char *rt_disk;

void
rt_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

uint64_t
rt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct rt_start {
	void (*fn)(void *);
	void *arg;
};

static void *
rt_trampoline(void *p)
{
	struct rt_start start = *(struct rt_start *)p;

	free(p);
	start.fn(start.arg);
	return NULL;
}

void *
rt_thread_start(void (*fn)(void *), void *arg)
{
	struct rt_start *start = malloc(sizeof(*start));
	pthread_t *t = malloc(sizeof(*t));

	if (start == NULL || t == NULL)
		return NULL;
	start->fn = fn;
	start->arg = arg;
	if (pthread_create(t, NULL, rt_trampoline, start) != 0)
		return NULL;
	return t;
}

void
rt_thread_join(void *thread)
{
	if (thread != NULL) {
		pthread_join(*(pthread_t *)thread, NULL);
		free(thread);
	}
}

int
rt_errno(void)
{
	return errno;
}

const char *
rt_blockdev(void)
{
	return rt_disk;
}

int
rumpxen_main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--check") == 0) {
		rt_disk = argv[2];
		return rump_test_check() != 0;
	}
	rt_disk = argc > 1 ? argv[1] : NULL;
	return rump_test_run() != 0;
}
