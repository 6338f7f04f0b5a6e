/*
 * tests/proc/autoconf/stats.h: the convenience library libstats.a of the
 * autoconf test package: the sum, mean and standard deviation of numbers,
 * the sum computed by threads when configure found pthread_create.
 */
#ifndef STATS_H
#define STATS_H

/* The sum of v[0..n), split between up to nthreads threads; the number of
 * threads used goes into *used. */
long stats_sum(const long *v, int n, int nthreads, int *used);
double stats_mean(const long *v, int n);
double stats_stddev(const long *v, int n);

#endif
