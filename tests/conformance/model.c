/*
 * The model kernel of the conformance suite: the part a rump kernel plays
 * towards rumpuser, made small and strict.
 *
 * It has one virtual CPU, a token that a thread must hold to make a
 * hypercall, kept with rumpuser's own SPIN mutex and cv through the
 * _nowrap calls, as NetBSD's scheduler keeps its CPUs. Its upcall table
 * checks the discipline of rumpuser.md §1.3 as it goes: backend_unschedule
 * only by a thread that holds the CPU, backend_schedule only by one that
 * gave it back, with the lock count it was given and the same interlock.
 * Each violation is counted and reported. Every thread that uses it has
 * an lwp of the model's own, bound through rumpuser_curlwpop.
 */
#include <stdint.h>
#include <string.h>

#include "conformance.h"

/* The CPU token: free or not, guarded by a SPIN mutex. */
static struct rumpuser_mtx *model_cpu_mtx;
static struct rumpuser_cv *model_cpu_cv;
static int model_cpu_busy;

struct model_counters model_counts;
int model_violations;

/*
 * model_count: counters move in threads that may not hold the CPU (an
 * upcall is made before the token is taken), so they are atomic.
 */
static uint64_t
model_count(uint64_t *counter)
{
	return __atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
}

static void
model_violation(const char *what)
{
	__atomic_add_fetch(&model_violations, 1, __ATOMIC_RELAXED);
	harness_print("VIOLATION: %s\n", what);
}

static void
model_cpu_take(void)
{
	rumpuser_mutex_enter_nowrap(model_cpu_mtx);
	while (model_cpu_busy)
		rumpuser_cv_wait_nowrap(model_cpu_cv, model_cpu_mtx);
	model_cpu_busy = 1;
	rumpuser_mutex_exit(model_cpu_mtx);
}

static void
model_cpu_give(void)
{
	rumpuser_mutex_enter_nowrap(model_cpu_mtx);
	model_cpu_busy = 0;
	rumpuser_cv_signal(model_cpu_cv);
	rumpuser_mutex_exit(model_cpu_mtx);
}

static struct lwp *
model_self(void)
{
	return rumpuser_curlwp();
}

static void
hyp_backend_unschedule(int nlocks, int *countp, void *interlock)
{
	struct lwp *l = model_self();

	model_count(&model_counts.unschedule);
	if (nlocks != 0)
		model_violation("backend_unschedule with nlocks != 0");
	if (l == NULL || !l->holds_cpu) {
		model_violation("backend_unschedule without the CPU");
		*countp = 0;
		return;
	}
	l->holds_cpu = 0;
	l->interlock = interlock;
	l->unscheduled = 1;
	*countp = l->giant; /* an odd count, to see it come back */
	model_cpu_give();
}

static void
hyp_backend_schedule(int nlocks, void *interlock)
{
	struct lwp *l = model_self();

	model_count(&model_counts.schedule);
	if (l == NULL || l->holds_cpu) {
		model_violation("backend_schedule while holding the CPU");
		return;
	}
	/*
	 * After a backend_unschedule, the count and interlock it had must
	 * come back. A service thread may also start with backend_schedule
	 * (the bio completion pattern of spec §5), then with no locks.
	 */
	if (l->unscheduled) {
		if (nlocks != l->giant)
			model_violation("backend_schedule with another lock "
					"count");
		if (interlock != l->interlock)
			model_violation("backend_schedule with another "
					"interlock");
	} else if (nlocks != 0) {
		model_violation("backend_schedule with locks it never had");
	}
	l->unscheduled = 0;
	l->schedule_order = model_count(&model_counts.order);
	model_cpu_take();
	l->holds_cpu = 1;
}

/*
 * hyp_schedule: a thread from outside enters. One with no lwp gets a
 * temporary one (as NetBSD's borrows lwp0 and makes one), which
 * hyp_unschedule drops again unless newlwp replaced it.
 */
static void
hyp_schedule(void)
{
	static struct lwp temporary[8];
	struct lwp *l = model_self();

	model_count(&model_counts.full_schedule);
	if (l == NULL) {
		for (int i = 0; i < 8 && l == NULL; i++)
			if (!temporary[i].temporary)
				l = &temporary[i];
		if (l == NULL) {
			model_violation("more than 8 threads entering at once");
			return;
		}
		memset(l, 0, sizeof(*l));
		l->temporary = 1;
		rumpuser_curlwpop(RUMPUSER_LWP_CREATE, l);
		rumpuser_curlwpop(RUMPUSER_LWP_SET, l);
	}
	model_cpu_take();
	l->holds_cpu = 1;
}

static void
hyp_unschedule(void)
{
	struct lwp *l = model_self();

	model_count(&model_counts.full_unschedule);
	if (l == NULL || !l->holds_cpu) {
		model_violation("hyp_unschedule without the CPU");
		return;
	}
	l->holds_cpu = 0;
	model_cpu_give();
	if (l->temporary) {
		rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
		rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, l);
		l->temporary = 0;
	}
}

/* hyp_lwproc_newlwp: a permanent lwp for a service thread (bio). */
static int
hyp_lwproc_newlwp(pid_t pid)
{
	static struct lwp service[8];
	static int nservice;
	struct lwp *old = model_self();

	if (pid != 0 || nservice == 8)
		return 3; /* ESRCH */
	struct lwp *l = &service[nservice++];
	/* A service thread holds no giant lock: its count is 0. */
	memset(l, 0, sizeof(*l));
	l->holds_cpu = old != NULL && old->holds_cpu;
	if (old != NULL) {
		rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, old);
		if (old->temporary) {
			rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, old);
			old->temporary = 0;
		}
	}
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, l);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, l);
	return 0;
}

static const struct rumpuser_hyperup model_hyp = {
	.hyp_schedule = hyp_schedule,
	.hyp_unschedule = hyp_unschedule,
	.hyp_backend_unschedule = hyp_backend_unschedule,
	.hyp_backend_schedule = hyp_backend_schedule,
	.hyp_lwproc_newlwp = hyp_lwproc_newlwp,
};

int
model_init(void)
{
	int err = rumpuser_init(RUMPUSER_VERSION, &model_hyp);

	if (err != 0)
		return err;
	rumpuser_mutex_init(&model_cpu_mtx, RUMPUSER_MTX_SPIN);
	rumpuser_cv_init(&model_cpu_cv);
	return 0;
}

void
model_enter(struct lwp *l)
{
	memset(l, 0, sizeof(*l));
	l->giant = 3;
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, l);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, l);
	model_cpu_take();
	l->holds_cpu = 1;
}

void
model_leave(struct lwp *l)
{
	if (!l->holds_cpu)
		model_violation("leaving the kernel without the CPU");
	l->holds_cpu = 0;
	model_cpu_give();
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
	rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, l);
}

uint64_t
model_upcalls(void)
{
	return __atomic_load_n(&model_counts.unschedule, __ATOMIC_RELAXED) +
	       __atomic_load_n(&model_counts.schedule, __ATOMIC_RELAXED) +
	       __atomic_load_n(&model_counts.full_schedule, __ATOMIC_RELAXED) +
	       __atomic_load_n(&model_counts.full_unschedule, __ATOMIC_RELAXED);
}

uint64_t
model_now_ns(void)
{
	int64_t sec;
	long nsec;

	rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec, &nsec);
	return (uint64_t)sec * 1000000000ull + (uint64_t)nsec;
}
