/*
 * The kernel core: what a rump kernel is to rumpuser. The platform
 * contract is rumpuser's (include/rumpxen/rumpuser.h), so this kernel
 * plays the part a NetBSD rump kernel plays there, and a NetBSD rump
 * kernel links against the same platform unchanged.
 *
 * It hands rumpuser_init its upcall table and keeps the one virtual CPU
 * as a token that a thread must hold to run kernel code: a word that is
 * free, held, or held with threads waiting. Taking it when it is free
 * and giving it back when nobody waits is one atomic operation each;
 * only under contention do rumpuser's SPIN mutex and a condition
 * variable come in, for a thread to sleep until the holder gives it
 * back (both through the _nowrap calls, which never call back up).
 * Every thread that enters the kernel gets an lwp, bound to it with
 * rumpuser_curlwpop on its first entry and kept for its life. The
 * backend upcalls give the CPU back around a blocking hypercall and take
 * it again; hyp_schedule and hyp_unschedule serve threads of the
 * platform's that enter on their own (a bio or receive thread), with an
 * lwp made for the occasion unless hyp_lwproc_newlwp gave them one. A
 * thread of the process has its kern_thread in its lwp.
 */
#include <string.h>

#include "kern.h"

/*
 * The virtual CPU (its states in kern.h): threads waiting for it sleep
 * on kern_cpu_cv, under kern_cpu_mtx. A waiter marks the word contended,
 * under the mutex, before it sleeps, so a holder that sees it merely
 * held knows nobody needs waking. The acquire and release orders make
 * what one holder wrote visible to the next.
 */
int kern_cpu_state;
static struct rumpuser_mtx *kern_cpu_mtx;
static struct rumpuser_cv *kern_cpu_cv;

/* kern_cpu_wait: take the CPU, sleeping while others hold it. */
__attribute__((noinline)) static void
kern_cpu_wait(void)
{
	rumpuser_mutex_enter_nowrap(kern_cpu_mtx);
	while (__atomic_exchange_n(&kern_cpu_state, KERN_CPU_CONTENDED,
				   __ATOMIC_ACQUIRE) != KERN_CPU_FREE)
		rumpuser_cv_wait_nowrap(kern_cpu_cv, kern_cpu_mtx);
	rumpuser_mutex_exit(kern_cpu_mtx);
}

__attribute__((noinline)) void
kern_cpu_wake(void)
{
	rumpuser_mutex_enter_nowrap(kern_cpu_mtx);
	rumpuser_cv_signal(kern_cpu_cv);
	rumpuser_mutex_exit(kern_cpu_mtx);
}

static inline void
kern_cpu_take(void)
{
	int free = KERN_CPU_FREE;

	if (!__atomic_compare_exchange_n(&kern_cpu_state, &free, KERN_CPU_HELD,
					 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		kern_cpu_wait();
}

static inline void
kern_cpu_give(void)
{
	if (__atomic_exchange_n(&kern_cpu_state, KERN_CPU_FREE,
				__ATOMIC_RELEASE) != KERN_CPU_HELD)
		kern_cpu_wake();
}

/* kern_lwp_new: an lwp bound to the calling thread; NULL without memory. */
static struct lwp *
kern_lwp_new(void)
{
	void *p;

	if (rumpuser_malloc(sizeof(struct lwp), 0, &p) != 0)
		return NULL;
	memset(p, 0, sizeof(struct lwp));
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, p);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, p);
	return p;
}

static void
kern_lwp_free(struct lwp *l)
{
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
	rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, l);
	rumpuser_free(l, sizeof(*l));
}

static void
hyp_backend_unschedule(int nlocks, int *countp, void *interlock)
{
	struct lwp *l = rumpuser_curlwp();

	(void)nlocks;
	(void)interlock;
	if (!l->holds_cpu)
		platform_panic("kern: backend_unschedule by a thread without "
			       "the CPU");
	*countp = 0; /* no giant lock in this kernel */
	l->holds_cpu = 0;
	kern_cpu_give();
}

static void
hyp_backend_schedule(int nlocks, void *interlock)
{
	struct lwp *l = rumpuser_curlwp();

	(void)nlocks;
	(void)interlock;
	if (l->holds_cpu)
		platform_panic("kern: backend_schedule by a thread that holds "
			       "the CPU");
	kern_cpu_take();
	l->holds_cpu = 1;
}

static void
hyp_schedule(void)
{
	struct lwp *l = rumpuser_curlwp();

	if (l == NULL) {
		l = kern_lwp_new();
		if (l == NULL)
			platform_panic("kern: no memory for an lwp");
		l->temporary = 1;
	}
	kern_cpu_take();
	l->holds_cpu = 1;
}

static void
hyp_unschedule(void)
{
	struct lwp *l = rumpuser_curlwp();

	l->holds_cpu = 0;
	kern_cpu_give();
	if (l->temporary)
		kern_lwp_free(l);
}

/*
 * hyp_lwproc_newlwp: a permanent lwp for a service thread. An upcall:
 * its errors are positive, as rumpuser takes them (NetBSD's values,
 * which agree with Linux's up to 34).
 */
static int
hyp_lwproc_newlwp(pid_t pid)
{
	struct lwp *old = rumpuser_curlwp(), *l;

	if (pid != 0)
		return KERN_ESRCH; /* there is one process */
	if (old == NULL)
		return KERN_EINVAL; /* only a scheduled thread asks */
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, old);
	l = kern_lwp_new();
	if (l == NULL) {
		rumpuser_curlwpop(RUMPUSER_LWP_SET, old);
		return KERN_ENOMEM;
	}
	l->holds_cpu = old->holds_cpu;
	if (old->temporary) {
		rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, old);
		rumpuser_free(old, sizeof(*old));
	}
	return 0;
}

static const struct rumpuser_hyperup kern_hyp = {
	.hyp_schedule = hyp_schedule,
	.hyp_unschedule = hyp_unschedule,
	.hyp_backend_unschedule = hyp_backend_unschedule,
	.hyp_backend_schedule = hyp_backend_schedule,
	.hyp_lwproc_newlwp = hyp_lwproc_newlwp,
};

int
kern_core_init(void)
{
	int err = rumpuser_init(RUMPUSER_VERSION, &kern_hyp);

	if (err != 0)
		return kern_errno(err);
	rumpuser_mutex_init(&kern_cpu_mtx, RUMPUSER_MTX_SPIN);
	rumpuser_cv_init(&kern_cpu_cv);
	return 0;
}

/* kern_lwp_self: the calling thread's lwp, made on its first entry. */
static struct lwp *
kern_lwp_self(void)
{
	struct lwp *l = rumpuser_curlwp();

	if (l == NULL && (l = kern_lwp_new()) == NULL)
		platform_panic("kern: no memory for an lwp");
	return l;
}

/* kern_lwp_thread: l's kern_thread, made on its first call. */
static struct kern_thread *
kern_lwp_thread(struct lwp *l)
{
	if (l->thread == NULL) {
		l->thread = kern_thread_new(NULL);
		if (l->thread == NULL)
			platform_panic("kern: no memory for a thread");
		l->thread->lwp = l;
	}
	return l->thread;
}

void
kern_enter(void)
{
	struct lwp *l = kern_lwp_self();

	kern_cpu_take();
	l->holds_cpu = 1;
}

struct kern_thread *
kern_enter_thread_slow(void)
{
	struct lwp *l = kern_lwp_self();

	kern_cpu_take();
	l->holds_cpu = 1;
	return kern_lwp_thread(l);
}

void
kern_leave(void)
{
	struct lwp *l = rumpuser_curlwp();

	l->holds_cpu = 0;
	kern_cpu_give();
}

void
kern_leave_done(void)
{
	struct lwp *l = rumpuser_curlwp();

	l->holds_cpu = 0;
	kern_cpu_give();
	kern_lwp_free(l);
}

void
kern_leave_exit(void)
{
	kern_leave_done();
	platform_thread_exit();
}

struct kern_thread *
kern_thread_self(void)
{
	return kern_lwp_thread(rumpuser_curlwp());
}

int
kern_cpu_held(void)
{
	struct lwp *l = rumpuser_curlwp();

	return l != NULL && l->holds_cpu;
}

struct kern_thread *
kern_thread_app(void)
{
	struct lwp *l = rumpuser_curlwp();

	return l != NULL && !l->holds_cpu ? l->thread : NULL;
}

void
kern_thread_bind(struct kern_thread *t)
{
	struct lwp *l = rumpuser_curlwp();

	l->thread = t;
	t->lwp = l;
}
