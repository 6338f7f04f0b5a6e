/*
 * Threads and curlwp for the rump kernel, on the cooperative scheduler.
 *
 * A kernel thread is a scheduler thread with a 128 KiB stack and a guard
 * page; it starts with no curlwp (the scheduler zeroes it) and no CPU, as
 * the contract says, and priority and CPU hints are ignored (one vCPU, no
 * preemption). curlwp is a field of the thread, so it follows the thread
 * through every switch and costs one load to read.
 */
#include <rumpxen/platform.h>
#include <rumpxen/rumpuser.h>

#include "../../shared/rumpuser_shared.h"
#include "../core/core.h"

#define RUMPUSER_THREAD_STACK (128 * 1024)

/* What the trampoline needs; freed as soon as the thread starts. */
struct rumpuser_thread_start {
	void *(*fun)(void *);
	void *arg;
};

static void
rumpuser_thread_trampoline(void *p)
{
	struct rumpuser_thread_start start = *(struct rumpuser_thread_start *)p;

	heap_free(p);
	start.fun(start.arg);
	rumpuser_thread_exit();
}

int
rumpuser_thread_create(void *(*fun)(void *), void *arg, const char *thrname,
		       int mustjoin, int priority, int cpuidx, void **cookie)
{
	struct thread_attr attr = {.name = thrname,
				   .stack_size = RUMPUSER_THREAD_STACK,
				   .joinable = mustjoin};
	struct rumpuser_thread_start *start;
	struct thread *t;
	void *p;
	int err;

	(void)priority;
	(void)cpuidx;
	err = heap_alloc(sizeof(*start), 16, &p);
	if (err != 0)
		return rumpuser_errtrans(err);
	start = p;
	start->fun = fun;
	start->arg = arg;
	err = sched_thread_create(&attr, rumpuser_thread_trampoline, start, &t);
	if (err != 0) {
		heap_free(start);
		return rumpuser_errtrans(err);
	}
	if (cookie != NULL)
		*cookie = t;
	return 0;
}

void
rumpuser_thread_exit(void)
{
	sched_thread_exit();
}

int
rumpuser_thread_join(void *cookie)
{
	int nlocks, err;

	nlocks = rumpuser_unschedule(NULL);
	err = sched_thread_join(cookie);
	rumpuser_schedule(nlocks, NULL);
	return err == 0 ? 0 : rumpuser_errtrans(err);
}

void
rumpuser_curlwpop(int enum_rumplwpop, struct lwp *l)
{
	void **slot = sched_current_lwp();

	switch (enum_rumplwpop) {
	case RUMPUSER_LWP_CREATE:
	case RUMPUSER_LWP_DESTROY:
		break; /* nothing to keep per lwp */
	case RUMPUSER_LWP_SET:
		if (*slot != NULL)
			platform_panic("rumpuser: curlwp SET over %p", *slot);
		*slot = l;
		break;
	case RUMPUSER_LWP_CLEAR:
		if (*slot != l)
			platform_panic("rumpuser: curlwp CLEAR of %p, bound "
				       "is %p",
				       (void *)l, *slot);
		*slot = NULL;
		break;
	default:
		platform_panic("rumpuser: unknown curlwp op %d",
			       enum_rumplwpop);
	}
}

struct lwp *
rumpuser_curlwp(void)
{
	return *sched_current_lwp();
}
