/*
 * What the programs of bench/like.sh share: the monotonic clock in ns,
 * and how long each measurement lasts at least (RUN_NS; a program repeats
 * its block of work until then). The emulated host gives dom0 a CPU of
 * its own (bench/like.sh's CPUS); with one CPU only, dom0's toolstack
 * takes it now and then while a job runs (its loop polls `xl list`),
 * and a measurement that lasts long enough takes in the same share of
 * that on both sides, where a short one may fall between.
 */
#include <time.h>

#define RUN_NS 500e6

static inline double
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}
