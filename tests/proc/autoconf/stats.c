/*
 * tests/proc/autoconf/stats.c: libstats.a of the autoconf test package
 * (stats.h): sqrt from libm, and threads when configure found
 * pthread_create (HAVE_PTHREAD_CREATE in config.h).
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#ifdef HAVE_PTHREAD_H
#include <pthread.h>
#endif

#include "stats.h"

#define MAX_THREADS 8

struct part {
	const long *v;
	int n;
	long sum;
};

static void *
sum_part(void *arg)
{
	struct part *p = arg;

	p->sum = 0;
	for (int i = 0; i < p->n; i++)
		p->sum += p->v[i];
	return NULL;
}

long
stats_sum(const long *v, int n, int nthreads, int *used)
{
	struct part parts[MAX_THREADS];
	long sum = 0;
	int k = 0;

	if (nthreads > MAX_THREADS)
		nthreads = MAX_THREADS;
	if (nthreads > n)
		nthreads = n;
	*used = 0;
#if defined(HAVE_PTHREAD_CREATE) && defined(HAVE_PTHREAD_H)
	pthread_t tids[MAX_THREADS];
	int per = nthreads > 0 ? (n + nthreads - 1) / nthreads : 0;

	for (int t = 0; t < nthreads && k < n; t++) {
		parts[t].v = v + k;
		parts[t].n = n - k < per ? n - k : per;
		k += parts[t].n;
		if (pthread_create(&tids[t], NULL, sum_part, &parts[t]) != 0) {
			k -= parts[t].n;
			break;
		}
		(*used)++;
	}
	for (int t = 0; t < *used; t++) {
		pthread_join(tids[t], NULL);
		sum += parts[t].sum;
	}
#endif
	/* What the threads did not take (all of it without threads). */
	parts[0].v = v + k;
	parts[0].n = n - k;
	sum_part(&parts[0]);
	return sum + parts[0].sum;
}

double
stats_mean(const long *v, int n)
{
	int used;

	return n > 0 ? (double)stats_sum(v, n, 1, &used) / n : 0.0;
}

double
stats_stddev(const long *v, int n)
{
	double mean = stats_mean(v, n), sq = 0.0;

	if (n < 1)
		return 0.0;
	for (int i = 0; i < n; i++)
		sq += (v[i] - mean) * (v[i] - mean);
	return sqrt(sq / n);
}
