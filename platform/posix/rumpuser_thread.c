/*
 * Threads and curlwp for the rump kernel on a Linux process: a pthread per
 * kernel thread, and curlwp in a thread-local variable (one load to read,
 * as the contract wants it cheap). A joinable thread's cookie is a
 * heap-allocated pthread_t, freed by the join.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "posix.h"

static __thread struct lwp *posix_curlwp;

struct posix_start {
	void *(*fun)(void *);
	void *arg;
};

static void *
posix_thread_start(void *p)
{
	struct posix_start start = *(struct posix_start *)p;

	free(p);
	return start.fun(start.arg);
}

int
rumpuser_thread_create(void *(*fun)(void *), void *arg, const char *thrname,
		       int mustjoin, int priority, int cpuidx, void **cookie)
{
	struct posix_start *start = malloc(sizeof(*start));
	pthread_t *tid = malloc(sizeof(*tid));
	pthread_attr_t attr;
	int err;

	(void)priority;
	(void)cpuidx;
	if (start == NULL || tid == NULL) {
		free(start);
		free(tid);
		return 12; /* ENOMEM */
	}
	start->fun = fun;
	start->arg = arg;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, POSIX_THREAD_STACK);
	if (!mustjoin)
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* The host retries a while when it is short of threads. */
	for (int tries = 0; tries < 10; tries++) {
		err = pthread_create(tid, &attr, posix_thread_start, start);
		if (err != EAGAIN)
			break;
	}
	pthread_attr_destroy(&attr);
	if (err != 0) {
		free(start);
		free(tid);
		return rumpuser_errtrans(err);
	}
	if (thrname != NULL) {
		char name[16];
		snprintf(name, sizeof(name), "%s", thrname);
		pthread_setname_np(*tid, name);
	}
	if (mustjoin && cookie != NULL)
		*cookie = tid;
	else
		free(tid);
	return 0;
}

void
rumpuser_thread_exit(void)
{
	pthread_exit(NULL);
}

int
rumpuser_thread_join(void *cookie)
{
	pthread_t *tid = cookie;
	int nlocks, err;

	nlocks = rumpuser_unschedule(NULL);
	err = pthread_join(*tid, NULL);
	rumpuser_schedule(nlocks, NULL);
	if (err != 0)
		return rumpuser_errtrans(err);
	free(tid);
	return 0;
}

void
rumpuser_curlwpop(int enum_rumplwpop, struct lwp *l)
{
	switch (enum_rumplwpop) {
	case RUMPUSER_LWP_CREATE:
	case RUMPUSER_LWP_DESTROY:
		break;
	case RUMPUSER_LWP_SET:
		if (posix_curlwp != NULL) {
			fprintf(stderr, "rumpuser: curlwp SET over %p\n",
				(void *)posix_curlwp);
			abort();
		}
		posix_curlwp = l;
		break;
	case RUMPUSER_LWP_CLEAR:
		if (posix_curlwp != l) {
			fprintf(stderr,
				"rumpuser: curlwp CLEAR of %p, bound "
				"is %p\n",
				(void *)l, (void *)posix_curlwp);
			abort();
		}
		posix_curlwp = NULL;
		break;
	default:
		abort();
	}
}

struct lwp *
rumpuser_curlwp(void)
{
	return posix_curlwp;
}
