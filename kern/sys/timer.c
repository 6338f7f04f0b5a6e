/*
 * Timers: what falls due at a time, fired by the kernel's own thread
 * ("ktimer", made at the first arming), which sleeps without the CPU
 * until the earliest due time and is woken when an earlier one is armed.
 * A timer fires once, or every interval; one that fires late counts the
 * intervals it missed (overruns), as Linux's do. Its fire function runs
 * with the CPU held, on the ktimer thread, which is none of the
 * process's threads.
 *
 * The interval timer ITIMER_REAL (setitimer, getitimer, alarm) is one:
 * it sends SIGALRM to the process. ITIMER_VIRTUAL and ITIMER_PROF, which
 * count CPU time, are cputimer.c's.
 */

#include "sys.h"

#define ITIMER_REAL    0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF    2
#define SIGALRM	       14
#define NS	       1000000000ull

/* Linux's struct itimerval: two struct timevals (sec, usec). */
struct kern_itimerval {
	long interval_sec, interval_usec, value_sec, value_usec;
};

static struct kern_timer *timer_list; /* armed, soonest first */
static struct rumpuser_mtx *timer_mtx;
static struct rumpuser_cv *timer_cv;
static uint64_t timer_sleep_due; /* the thread sleeps until it (0: awake) */
static int timer_started;

/* timer_fire_due: every timer due by now fires. The CPU held. */
static void
timer_fire_due(void)
{
	uint64_t now = kern_now();

	while (timer_list != NULL && timer_list->due <= now) {
		struct kern_timer *t = timer_list;
		uint64_t overruns = 1;
		timer_list = t->next;
		uint64_t next = 0;
		if (t->interval != 0) {
			overruns += (now - t->due) / t->interval;
			/* An interval past what the clock counts: once. */
			if (overruns <=
			    (KERN_NS_FOREVER - t->due) / t->interval)
				next = t->due + overruns * t->interval;
		}
		if (next != 0)
			kern_timer_arm(t, next, t->interval);
		else
			kern_timer_disarm(t);
		t->fire(t, overruns);
	}
}

static void *
timer_run(void *arg)
{
	(void)arg;
	kern_enter();
	for (;;) {
		timer_fire_due();
		uint64_t due =
			timer_list != NULL ? timer_list->due : KERN_NS_FOREVER;
		uint64_t now = kern_now();
		rumpuser_mutex_enter_nowrap(timer_mtx);
		timer_sleep_due = due;
		if (due > now) {
			struct kern_timespec rel;
			kern_timespec_from_ns(
				due == KERN_NS_FOREVER ? 3600 * NS : due - now,
				&rel);
			rumpuser_cv_timedwait(timer_cv, timer_mtx, rel.sec,
					      rel.nsec);
		}
		timer_sleep_due = 0;
		rumpuser_mutex_exit(timer_mtx);
	}
	return NULL;
}

/* timer_start: the thread, made once; 0 or -errno. */
static int
timer_start(void)
{
	if (timer_started)
		return 0;
	rumpuser_mutex_init(&timer_mtx,
			    RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX);
	rumpuser_cv_init(&timer_cv);
	int err = rumpuser_thread_create(timer_run, NULL, "ktimer", 0, 0, -1,
					 NULL);
	if (err != 0)
		return kern_errno(err);
	timer_started = 1;
	return 0;
}

/* timer_unlink: t leaves the armed list, if it is on it. */
static void
timer_unlink(struct kern_timer *t)
{
	for (struct kern_timer **pp = &timer_list; *pp != NULL;
	     pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			return;
		}
}

int
kern_timer_arm(struct kern_timer *t, uint64_t due, uint64_t interval)
{
	struct kern_timer **pp = &timer_list;
	int err = timer_start();

	if (err != 0)
		return err;
	timer_unlink(t);
	t->due = due != 0 ? due : 1;
	t->interval = interval;
	while (*pp != NULL && (*pp)->due <= t->due)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	/* Sooner than the thread sleeps until: it wakes to look again. */
	rumpuser_mutex_enter_nowrap(timer_mtx);
	if (timer_sleep_due != 0 && t->due < timer_sleep_due) {
		timer_sleep_due = 0;
		rumpuser_cv_signal(timer_cv);
	}
	rumpuser_mutex_exit(timer_mtx);
	return 0;
}

void
kern_timer_disarm(struct kern_timer *t)
{
	timer_unlink(t);
	t->due = 0;
	t->interval = 0;
}

uint64_t
kern_timer_left(const struct kern_timer *t)
{
	uint64_t now = kern_now();

	if (t->due == 0)
		return 0;
	return t->due > now ? t->due - now : 1; /* due: about to fire */
}

/* The interval timer ITIMER_REAL. */

static void
itimer_fire(struct kern_timer *t, uint64_t overruns)
{
	(void)t;
	(void)overruns; /* one SIGALRM pending holds them all */
	kern_signal_send(NULL, SIGALRM);
}

static struct kern_timer itimer_real = {.fire = itimer_fire};

/*
 * itimer_get: interval timer which as Linux's itimerval (usec rounded
 * up).
 */
static void
itimer_get(long which, struct kern_itimerval *v)
{
	uint64_t left = kern_timer_left(&itimer_real);
	uint64_t interval = itimer_real.interval;

	if (which != ITIMER_REAL)
		kern_cputimer_get((int)which, &left, &interval);
	uint64_t us = (left + 999) / 1000, ius = interval / 1000;

	v->value_sec = (long)(us / 1000000);
	v->value_usec = (long)(us % 1000000);
	v->interval_sec = (long)(ius / 1000000);
	v->interval_usec = (long)(ius % 1000000);
}

long
sys_getitimer(const long a[6])
{
	struct kern_itimerval *v = (struct kern_itimerval *)a[1];

	if (v == NULL)
		return -KERN_EFAULT;
	if (a[0] != ITIMER_REAL && a[0] != ITIMER_VIRTUAL &&
	    a[0] != ITIMER_PROF)
		return -KERN_EINVAL;
	itimer_get(a[0], v);
	return 0;
}

/*
 * itimer_ns: a timeval's ns, or -EINVAL (usec out of range, negative);
 * more seconds than KERN_FOREVER_SEC are KERN_NS_FOREVER (never).
 */
static long
itimer_ns(long sec, long usec, uint64_t *ns)
{
	if (sec < 0 || usec < 0 || usec >= 1000000)
		return -KERN_EINVAL;
	*ns = sec > KERN_FOREVER_SEC
		      ? KERN_NS_FOREVER
		      : (uint64_t)sec * NS + (uint64_t)usec * 1000;
	return 0;
}

long
sys_setitimer(const long a[6])
{
	const struct kern_itimerval *v = (const void *)a[1];
	struct kern_itimerval *old = (struct kern_itimerval *)a[2];
	uint64_t value = 0, interval = 0;

	if (a[0] != ITIMER_REAL && a[0] != ITIMER_VIRTUAL &&
	    a[0] != ITIMER_PROF)
		return -KERN_EINVAL;
	if (v != NULL &&
	    (itimer_ns(v->value_sec, v->value_usec, &value) != 0 ||
	     itimer_ns(v->interval_sec, v->interval_usec, &interval) != 0))
		return -KERN_EINVAL;
	if (old != NULL)
		itimer_get(a[0], old);
	if (a[0] != ITIMER_REAL)
		return kern_cputimer_set((int)a[0], v != NULL ? value : 0,
					 interval);
	/* Never due (past what the clock counts) is as good as disarmed. */
	if (v == NULL || value == 0 || value == KERN_NS_FOREVER) {
		kern_timer_disarm(&itimer_real);
		return 0;
	}
	return kern_timer_arm(&itimer_real, kern_now() + value,
			      interval == KERN_NS_FOREVER ? 0 : interval);
}

long
sys_alarm(const long a[6])
{
	uint64_t left = kern_timer_left(&itimer_real);
	/* Linux rounds the seconds left to the nearest, and 0 up to 1. */
	long old = (long)((left + NS / 2) / NS);

	if (left != 0 && old == 0)
		old = 1;
	if ((unsigned long)a[0] == 0)
		kern_timer_disarm(&itimer_real);
	else /* alarm cannot fail: with no thread for timers, no alarm */
		kern_timer_arm(&itimer_real,
			       kern_now() + (unsigned long)a[0] * NS, 0);
	return old;
}
