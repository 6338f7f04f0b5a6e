/*
 * Conformance checks of mutexes, reader/writer locks and condition
 * variables (rumpuser.md §9 items 7-22), with several threads of the
 * model kernel contending for them.
 */
#include "conformance.h"

#define WORKERS 4
#define ROUNDS	200

static struct rumpuser_mtx *counter_mtx;
static int counter_blocking; /* whether to sleep inside the section */
static volatile long counter;

/* Item 7: increments under the mutex, with a sleep inside sometimes. */
static void
counter_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		rumpuser_mutex_enter(counter_mtx);
		long v = counter;
		if (counter_blocking && i % 16 == 0)
			rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 10000);
		counter = v + 1;
		rumpuser_mutex_exit(counter_mtx);
	}
}

static void
check_exclusion(int flags, int blocking, const char *what)
{
	void *t[WORKERS];

	rumpuser_mutex_init(&counter_mtx, flags);
	counter = 0;
	counter_blocking = blocking;
	for (int i = 0; i < WORKERS; i++)
		t[i] = suite_thread(counter_worker, NULL, "counter");
	for (int i = 0; i < WORKERS; i++)
		suite_join(t[i]);
	check(counter == WORKERS * ROUNDS, "%s: %d x %d increments give %ld",
	      what, WORKERS, ROUNDS, counter);
	rumpuser_mutex_destroy(counter_mtx);
}

/* Items 8-10: a holder, a waiter, tryenter and owner. */
static struct rumpuser_mtx *held_mtx;
static volatile int waiter_got_it;

static void
mutex_waiter(void *arg)
{
	(void)arg;
	rumpuser_mutex_enter(held_mtx); /* blocks until main exits */
	waiter_got_it = 1;
	rumpuser_mutex_exit(held_mtx);
}

static void
check_mutex(void)
{
	struct lwp *owner;

	check_exclusion(RUMPUSER_MTX_KMUTEX, 1, "adaptive mutex");
	check_exclusion(RUMPUSER_MTX_SPIN, 0, "spin mutex");

	rumpuser_mutex_init(&held_mtx, RUMPUSER_MTX_KMUTEX);
	rumpuser_mutex_enter(held_mtx);
	rumpuser_mutex_owner(held_mtx, &owner);
	check(owner == rumpuser_curlwp(), "mutex_owner is the holder's lwp");
	void *t = suite_thread(mutex_waiter, NULL, "waiter");
	rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 20000000);
	check(!waiter_got_it, "a waiter does not get a held mutex");
	rumpuser_mutex_exit(held_mtx);
	suite_join(t);
	check(waiter_got_it, "mutex_exit woke the waiter");
	check(rumpuser_mutex_tryenter(held_mtx) == 0,
	      "tryenter of a free mutex");
	rumpuser_mutex_owner(held_mtx, &owner);
	check(owner == rumpuser_curlwp(), "tryenter records the owner");
	/* Nobody waits now, so nobody can take it between exit and look. */
	rumpuser_mutex_exit(held_mtx);
	rumpuser_mutex_owner(held_mtx, &owner);
	check(owner == NULL, "mutex_owner is NULL after exit");
	rumpuser_mutex_destroy(held_mtx);
}

/* Items 12-16: readers, writers, upgrade and downgrade. */
static struct rumpuser_rw *rw;
static volatile int reader_in, writer_in;

static void
rw_reader(void *arg)
{
	(void)arg;
	rumpuser_rw_enter(RUMPUSER_RW_READER, rw);
	reader_in = 1;
	rumpuser_rw_exit(rw);
}

static void
rw_writer(void *arg)
{
	(void)arg;
	rumpuser_rw_enter(RUMPUSER_RW_WRITER, rw);
	writer_in = 1;
	rumpuser_rw_exit(rw);
}

static void
check_rw(void)
{
	int held;

	rumpuser_rw_init(&rw);
	rumpuser_rw_enter(RUMPUSER_RW_READER, rw);
	check(rumpuser_rw_tryenter(RUMPUSER_RW_READER, rw) == 0,
	      "two readers at once");
	check(rumpuser_rw_tryenter(RUMPUSER_RW_WRITER, rw) == 16,
	      "a writer is refused while readers hold it (EBUSY)");
	check(rumpuser_rw_tryupgrade(rw) != 0,
	      "tryupgrade fails while another reader holds it");
	rumpuser_rw_exit(rw);
	check(rumpuser_rw_tryupgrade(rw) == 0, "the only reader upgrades");
	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw, &held);
	check(held, "rw_held(WRITER) after upgrade");
	check(rumpuser_rw_tryenter(RUMPUSER_RW_READER, rw) == 16,
	      "no reader gets in after an upgrade");
	check(rumpuser_rw_tryenter(7, rw) == 22,
	      "tryenter of a bad enum: EINVAL");

	/* A writer waits; the downgrader keeps it out until its exit. */
	writer_in = 0;
	void *w = suite_thread(rw_writer, NULL, "writer");
	rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 20000000);
	check(!writer_in, "a writer waits for the writer");
	rumpuser_rw_downgrade(rw);
	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw, &held);
	check(!held, "rw_held(WRITER) is false after downgrade");
	rumpuser_rw_held(RUMPUSER_RW_READER, rw, &held);
	check(held, "rw_held(READER) is true after downgrade");
	rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 20000000);
	check(!writer_in, "no writer gets in between downgrade and exit");
	rumpuser_rw_exit(rw);
	suite_join(w);
	check(writer_in, "the writer got in after the exit");
	rumpuser_rw_held(RUMPUSER_RW_READER, rw, &held);
	check(!held, "rw_held(READER) is false when free");

	/* A writer excludes readers. */
	reader_in = 0;
	rumpuser_rw_enter(RUMPUSER_RW_WRITER, rw);
	void *r = suite_thread(rw_reader, NULL, "reader");
	rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 20000000);
	check(!reader_in, "a reader waits for the writer");
	rumpuser_rw_exit(rw);
	suite_join(r);
	check(reader_in, "the reader got in after the writer");
	rumpuser_rw_destroy(rw);
}

/* Items 18-22: condition variables. */
static struct rumpuser_mtx *cv_mtx;
static struct rumpuser_cv *cv;
static volatile int cv_entered, cv_ready, cv_woken;

/*
 * cv_count: the value of *v under cv_mtx, once it reaches want or ten
 * seconds pass (a limit that only catches a hang).
 */
static int
cv_count(volatile int *v, int want)
{
	uint64_t end = model_now_ns() + 10000000000ull;
	int seen;

	for (;;) {
		rumpuser_mutex_enter(cv_mtx);
		seen = *v;
		rumpuser_mutex_exit(cv_mtx);
		if (seen >= want || model_now_ns() > end)
			return seen;
		rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 1000000);
	}
}

static void
cv_waiter(void *arg)
{
	(void)arg;
	rumpuser_mutex_enter(cv_mtx);
	cv_entered++;
	while (!cv_ready)
		rumpuser_cv_wait(cv, cv_mtx);
	struct lwp *owner;
	rumpuser_mutex_owner(cv_mtx, &owner);
	if (owner == rumpuser_curlwp() && rumpuser_curlwp()->holds_cpu)
		cv_woken++;
	rumpuser_mutex_exit(cv_mtx);
}

static void
check_cv(void)
{
	void *t[3];
	int waiters;

	rumpuser_mutex_init(&cv_mtx, RUMPUSER_MTX_KMUTEX);
	rumpuser_cv_init(&cv);
	rumpuser_cv_signal(cv); /* not remembered */
	rumpuser_cv_has_waiters(cv, &waiters);
	check(!waiters, "no waiters at first");
	for (int i = 0; i < 3; i++)
		t[i] = suite_thread(cv_waiter, NULL, "cvwaiter");
	/* Once all three counted themselves in, all three are waiting. */
	check(cv_count(&cv_entered, 3) == 3, "three threads in cv_wait");
	rumpuser_cv_has_waiters(cv, &waiters);
	check(waiters, "cv_has_waiters while threads wait");
	rumpuser_mutex_enter(cv_mtx);
	cv_ready = 1;
	rumpuser_cv_signal(cv);
	rumpuser_mutex_exit(cv_mtx);
	cv_count(&cv_woken, 1);
	rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 20000000);
	check(cv_woken == 1, "cv_signal woke one waiter (%d)", cv_woken);
	rumpuser_mutex_enter(cv_mtx);
	rumpuser_cv_broadcast(cv);
	rumpuser_mutex_exit(cv_mtx);
	for (int i = 0; i < 3; i++)
		suite_join(t[i]);
	check(cv_woken == 3,
	      "cv_broadcast woke the rest, each with the mutex and a CPU");
	rumpuser_cv_has_waiters(cv, &waiters);
	check(!waiters, "no waiters after all returned");

	uint64_t t0 = model_now_ns();
	rumpuser_mutex_enter(cv_mtx);
	int rv = rumpuser_cv_timedwait(cv, cv_mtx, 0, 30000000);
	uint64_t waited = model_now_ns() - t0;
	struct lwp *owner;
	rumpuser_mutex_owner(cv_mtx, &owner);
	rumpuser_mutex_exit(cv_mtx);
	check(rv == 60 && waited >= 30000000 && owner == rumpuser_curlwp(),
	      "cv_timedwait times out with 60 after at least 30 ms, holding "
	      "the mutex");
	rumpuser_cv_destroy(cv);
	rumpuser_mutex_destroy(cv_mtx);
}

void
suite_sync(void)
{
	check_mutex();
	check_rw();
	check_cv();
}

/*
 * Costs, measured and printed, never judged: an uncontended mutex
 * enter/exit pair, and a cv signal/wait round trip between two threads.
 */
#define PINGS 2000
static struct rumpuser_cv *ping_cv, *pong_cv;
static int ping_turn;

static void
ponger(void *arg)
{
	(void)arg;
	rumpuser_mutex_enter(cv_mtx);
	for (int i = 0; i < PINGS; i++) {
		while (ping_turn != 1)
			rumpuser_cv_wait(ping_cv, cv_mtx);
		ping_turn = 0;
		rumpuser_cv_signal(pong_cv);
	}
	rumpuser_mutex_exit(cv_mtx);
}

void
suite_measure(void)
{
	struct rumpuser_mtx *m;
	uint64_t t0, pair, trip;

	rumpuser_mutex_init(&m, RUMPUSER_MTX_KMUTEX);
	t0 = model_now_ns();
	for (int i = 0; i < 100000; i++) {
		rumpuser_mutex_enter(m);
		rumpuser_mutex_exit(m);
	}
	pair = (model_now_ns() - t0) / 100000;
	rumpuser_mutex_destroy(m);

	rumpuser_mutex_init(&cv_mtx, RUMPUSER_MTX_KMUTEX);
	rumpuser_cv_init(&ping_cv);
	rumpuser_cv_init(&pong_cv);
	void *t = suite_thread(ponger, NULL, "ponger");
	t0 = model_now_ns();
	rumpuser_mutex_enter(cv_mtx);
	for (int i = 0; i < PINGS; i++) {
		ping_turn = 1;
		rumpuser_cv_signal(ping_cv);
		while (ping_turn != 0)
			rumpuser_cv_wait(pong_cv, cv_mtx);
	}
	rumpuser_mutex_exit(cv_mtx);
	trip = (model_now_ns() - t0) / PINGS;
	suite_join(t);
	rumpuser_cv_destroy(ping_cv);
	rumpuser_cv_destroy(pong_cv);
	rumpuser_mutex_destroy(cv_mtx);
	harness_print("cost: mutex enter+exit %lu ns, cv signal/wait round "
		      "trip %lu ns\n",
		      (unsigned long)pair, (unsigned long)trip);
}
