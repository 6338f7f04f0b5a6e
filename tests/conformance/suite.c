/*
 * The conformance suite's driver and its checks of initialisation and of
 * the upcall discipline (rumpuser.md §9 items 1-6 and 26); the other
 * groups are in suite_*.c. Checks are numbered and printed as they run;
 * suite_run returns how many failed, counting every violation the model
 * kernel saw.
 */
#include <stdarg.h>

#include "conformance.h"
#include "klib.h"

static int check_count, check_failed;

void
check(int ok, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	check_count++;
	if (!ok)
		check_failed++;
	harness_print("%s %d - %s\n", ok ? "ok" : "not ok", check_count, msg);
}

struct suite_start {
	void (*fn)(void *);
	void *arg;
};

static void *
suite_trampoline(void *p)
{
	struct suite_start start = *(struct suite_start *)p;
	struct lwp l;

	int no_lwp = rumpuser_curlwp() == NULL;

	rumpuser_free(p, sizeof(start));
	/* Checks are made holding the CPU, which orders their output. */
	model_enter(&l);
	check(no_lwp, "a new thread starts with no curlwp");
	start.fn(start.arg);
	model_leave(&l);
	rumpuser_thread_exit();
}

void *
suite_thread(void (*fn)(void *), void *arg, const char *name)
{
	struct suite_start *start;
	void *cookie = NULL, *p;

	if (rumpuser_malloc(sizeof(*start), 0, &p) != 0)
		return NULL;
	start = p;
	start->fn = fn;
	start->arg = arg;
	if (rumpuser_thread_create(suite_trampoline, start, name, 1, 0, -1,
				   &cookie) != 0)
		return NULL;
	return cookie;
}

void
suite_join(void *cookie)
{
	if (cookie != NULL)
		check(rumpuser_thread_join(cookie) == 0, "thread_join");
}

/*
 * Item 26: a sleeping thread does not keep the CPU. The other thread waits
 * (sleeping too, so without the CPU) until the sleeper is asleep, then
 * needs the CPU once: it must get it before the sleeper wakes.
 */
static uint64_t sleeper_start, sleeper_end, other_ran_at;
static int sleeper_asleep;

static void
sleeper(void *arg)
{
	(void)arg;
	sleeper_start = model_now_ns();
	__atomic_store_n(&sleeper_asleep, 1, __ATOMIC_RELEASE);
	rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 200000000);
	sleeper_end = model_now_ns();
}

static void
other(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&sleeper_asleep, __ATOMIC_ACQUIRE))
		rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 100000);
	other_ran_at = model_now_ns();
}

static void
suite_discipline(void)
{
	struct rumpuser_mtx *m, *spin;
	struct rumpuser_cv *cv;
	uint64_t before;
	void *p;
	int64_t sec;
	long nsec;
	char buf[16];

	rumpuser_mutex_init(&m, RUMPUSER_MTX_KMUTEX);
	rumpuser_mutex_init(&spin, RUMPUSER_MTX_SPIN);
	rumpuser_cv_init(&cv);

	/* Item 4: calls that never block touch no upcall. */
	before = model_upcalls();
	rumpuser_mutex_enter(spin);
	rumpuser_mutex_exit(spin);
	rumpuser_mutex_enter_nowrap(spin);
	rumpuser_mutex_exit(spin);
	check(rumpuser_mutex_tryenter(m) == 0, "tryenter of a free mutex");
	rumpuser_mutex_exit(m);
	rumpuser_cv_signal(cv);
	rumpuser_cv_broadcast(cv);
	rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec, &nsec);
	rumpuser_curlwp();
	rumpuser_getparam(RUMPUSER_PARAM_NCPU, buf, sizeof(buf));
	if (rumpuser_malloc(64, 0, &p) == 0)
		rumpuser_free(p, 64);
	rumpuser_putchar('\n');
	check(model_upcalls() == before,
	      "SPIN enter, nowrap, tryenter, exit, signal, broadcast, "
	      "gettime, curlwp, getparam, malloc, putchar: no upcall");

	/* Item 6: uncontended enters do not unschedule. */
	before = model_upcalls();
	rumpuser_mutex_enter(m);
	rumpuser_mutex_exit(m);
	check(model_upcalls() == before, "an uncontended enter keeps the CPU");

	/* Items 3, 25: a sleep is wrapped, exactly once each way. */
	before = __atomic_load_n(&model_counts.unschedule, __ATOMIC_RELAXED);
	uint64_t sched_before =
		__atomic_load_n(&model_counts.schedule, __ATOMIC_RELAXED);
	rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 1000000);
	check(model_counts.unschedule == before + 1 &&
		      model_counts.schedule == sched_before + 1,
	      "clock_sleep brackets its wait with one unschedule and one "
	      "schedule");

	/* Item 5: the cv's mutex is the interlock, in the right order. */
	struct rumpuser_mtx *both;
	rumpuser_mutex_init(&both, RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX);
	rumpuser_mutex_enter(both);
	int rv = rumpuser_cv_timedwait(cv, both, 0, 1000000);
	struct lwp *owner;
	rumpuser_mutex_owner(both, &owner);
	check(rv == 60 && owner == rumpuser_curlwp() &&
		      rumpuser_curlwp()->interlock == both,
	      "cv_timedwait: ETIMEDOUT (60: %d), mutex held again (%d), its "
	      "mutex was the interlock (%d)",
	      rv, owner == rumpuser_curlwp(),
	      rumpuser_curlwp()->interlock == both);
	rumpuser_mutex_exit(both);
	rumpuser_mutex_destroy(both);

	/* Item 26: while one thread sleeps, another runs kernel code. */
	void *a = suite_thread(sleeper, NULL, "sleeper");
	void *b = suite_thread(other, NULL, "other");
	suite_join(a);
	suite_join(b);
	check(other_ran_at > sleeper_start && other_ran_at < sleeper_end,
	      "another thread ran while one slept (at +%ld us of %ld)",
	      (long)(other_ran_at - sleeper_start) / 1000,
	      (long)(sleeper_end - sleeper_start) / 1000);

	rumpuser_cv_destroy(cv);
	rumpuser_mutex_destroy(m);
	rumpuser_mutex_destroy(spin);
}

int
suite_run(void)
{
	struct lwp self;
	struct rumpuser_hyperup none = {0};

	/* Items 1, 2. */
	check(rumpuser_init(16, &none) != 0,
	      "rumpuser_init refuses revision 16");
	check(rumpuser_init(18, &none) != 0,
	      "rumpuser_init refuses revision 18");
	check(model_init() == 0, "rumpuser_init accepts revision 17");
	check(rumpuser_curlwp() == NULL, "no curlwp after init");
	model_enter(&self);
	check(rumpuser_curlwp() == &self, "curlwp after SET");

	suite_discipline();
	suite_sync();
	suite_misc();
	suite_bio();
	suite_measure();

	model_leave(&self);
	check(rumpuser_curlwp() == NULL, "curlwp NULL after CLEAR");
	check(model_violations == 0, "the model kernel saw no violation (%d)",
	      model_violations);
	harness_print("%d checks, %d failed\n", check_count, check_failed);
	return check_failed;
}
