/*
 * POSIX timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun and timer_delete, each a kern_timer (timer.c) of the
 * process's, numbered from 0 as Linux numbers them.
 *
 * A timer counts on CLOCK_REALTIME, CLOCK_MONOTONIC or CLOCK_BOOTTIME
 * (the same clock here: the guest does not suspend); its time is
 * relative, or absolute on its clock with TIMER_ABSTIME (an absolute
 * wall-clock time is a monotonic deadline counted from now: a later
 * clock_settime would not move it). When it expires it sends its signal
 * with si_code SI_TIMER, its id and sigev_value to the process
 * (SIGEV_SIGNAL; with no sigevent, SIGALRM carrying the id) or to one
 * thread (SIGEV_THREAD_ID, what musl's SIGEV_THREAD is built on), or
 * nothing (SIGEV_NONE: timer_gettime still counts). While its signal
 * is pending, expiries are counted rather than sent again; the taking
 * (kern_ptimer_taken, from kern_signal_take) gives them as si_overrun,
 * and timer_getoverrun says that count of the last one taken, as Linux
 * does.
 *
 * A deleted timer's signal, if pending, stays pending, as on Linux.
 *
 * Not supported: timers on the CPU-time clocks (EINVAL); a timer shares
 * its signal's one pending slot with any other sender of it.
 */
#include <string.h>

#include "sys.h"

#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME	7
#define SIGEV_SIGNAL	0
#define SIGEV_NONE	1
#define SIGEV_THREAD	2
#define SIGEV_THREAD_ID 4
#define SIGALRM		14
#define SI_TIMER	(-2)
#define TIMER_ABSTIME	1
#define OVERRUN_MAX	0x7fffffff /* DELAYTIMER_MAX */

/* Linux's struct sigevent, as the kernel takes it. */
struct kern_sigevent {
	unsigned long value;
	int signo, notify, tid;
};

/* Linux's struct itimerspec. */
struct kern_itimerspec {
	struct kern_timespec interval, value;
};

struct ptimer {
	struct kern_timer timer; /* first: fire finds the ptimer by it */
	int id;
	int clock;
	int notify;	     /* SIGEV_SIGNAL, SIGEV_NONE or SIGEV_THREAD_ID */
	int signo, tid;	     /* the signal, and the thread it goes to */
	unsigned long value; /* sigev_value */
	int pending;	     /* its signal is pending, not taken yet */
	uint64_t overrun;    /* expiries since it was sent */
	int overrun_last;    /* the count the last one taken gave */
	struct ptimer *next;
};

static struct ptimer *ptimers; /* the process's, in no order */

/* ptimer_find: the timer of this id, or NULL. */
static struct ptimer *
ptimer_find(long id)
{
	struct ptimer *p = ptimers;

	while (p != NULL && p->id != id)
		p = p->next;
	return p;
}

/* ptimer_id_free: the lowest id no timer has. */
static int
ptimer_id_free(void)
{
	int id = 0;

	while (ptimer_find(id) != NULL)
		id++;
	return id;
}

static void
ptimer_fire(struct kern_timer *t, uint64_t overruns)
{
	struct ptimer *p = (struct ptimer *)t;
	struct kern_thread *to = NULL;

	if (p->notify == SIGEV_NONE)
		return;
	if (p->pending) {
		p->overrun += overruns;
		return;
	}
	if (p->notify == SIGEV_THREAD_ID &&
	    (to = kern_thread_find(p->tid)) == NULL)
		return; /* its thread has ended */
	const struct kern_sigrec rec = {SI_TIMER, p->id, 0, p->value};
	p->overrun = overruns - 1;
	p->pending = kern_signal_queue(to, p->signo, &rec) > 0;
}

void
kern_ptimer_taken(struct kern_sigrec *rec)
{
	struct ptimer *p = ptimer_find(rec->a);

	if (p == NULL || !p->pending)
		return;
	p->overrun_last =
		p->overrun > OVERRUN_MAX ? OVERRUN_MAX : (int)p->overrun;
	rec->b = p->overrun_last;
	p->overrun = 0;
	p->pending = 0;
}

/* ptimer_event: the sigevent ev (NULL: the default) checked, into p. */
static long
ptimer_event(struct ptimer *p, const struct kern_sigevent *ev)
{
	if (ev == NULL) {
		p->notify = SIGEV_SIGNAL;
		p->signo = SIGALRM;
		p->value = (unsigned long)p->id;
		return 0;
	}
	p->notify = ev->notify == SIGEV_THREAD ? SIGEV_SIGNAL : ev->notify;
	p->signo = ev->signo;
	p->value = ev->value;
	p->tid = ev->tid;
	if (p->notify == SIGEV_NONE)
		return 0;
	if (p->notify != SIGEV_SIGNAL && p->notify != SIGEV_THREAD_ID)
		return -KERN_EINVAL;
	if (p->notify == SIGEV_THREAD_ID &&
	    (p->tid <= 0 || kern_thread_find(p->tid) == NULL))
		return -KERN_EINVAL;
	if (p->signo <= 0 || p->signo >= KERN_NSIG)
		return -KERN_EINVAL;
	return 0;
}

long
sys_timer_create(const long a[6])
{
	long clock = a[0];
	const struct kern_sigevent *ev = (const void *)a[1];
	int *out = (int *)a[2];
	void *mem;

	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC &&
	    clock != CLOCK_BOOTTIME)
		return -KERN_EINVAL;
	if (out == NULL)
		return -KERN_EFAULT;
	if (rumpuser_malloc(sizeof(struct ptimer), 0, &mem) != 0)
		return -KERN_EAGAIN; /* as Linux says when it has no room */
	struct ptimer *p = mem;
	memset(p, 0, sizeof(*p));
	p->id = ptimer_id_free();
	p->clock = (int)clock;
	p->timer.fire = ptimer_fire;
	long err = ptimer_event(p, ev);
	if (err != 0) {
		rumpuser_free(p, sizeof(*p));
		return err;
	}
	p->next = ptimers;
	ptimers = p;
	*out = p->id;
	return 0;
}

/* ptimer_get: p's time left and interval. */
static void
ptimer_get(const struct ptimer *p, struct kern_itimerspec *cur)
{
	kern_timespec_from_ns(kern_timer_left(&p->timer), &cur->value);
	kern_timespec_from_ns(p->timer.due != 0 ? p->timer.interval : 0,
			      &cur->interval);
}

/* ptimer_due: the monotonic deadline of value ns on p's clock. */
static uint64_t
ptimer_due(const struct ptimer *p, uint64_t value, int absolute)
{
	uint64_t now = kern_now(), wall;

	if (!absolute)
		return value > KERN_NS_FOREVER - now ? KERN_NS_FOREVER
						     : now + value;
	if (p->clock != CLOCK_REALTIME)
		return value;
	wall = kern_wall();
	return value > wall ? now + (value - wall) : now;
}

long
sys_timer_settime(const long a[6])
{
	struct ptimer *p = ptimer_find(a[0]);
	const struct kern_itimerspec *new = (const void *)a[2];
	struct kern_itimerspec *old = (void *)a[3];
	uint64_t value, interval;

	if (p == NULL || new == NULL)
		return -KERN_EINVAL;
	if (kern_timespec_ns(&new->value, &value) != 0 ||
	    kern_timespec_ns(&new->interval, &interval) != 0)
		return -KERN_EINVAL;
	if (old != NULL)
		ptimer_get(p, old);
	p->overrun = 0;
	uint64_t due =
		value != 0 ? ptimer_due(p, value, a[1] & TIMER_ABSTIME) : 0;
	/* Never due (past what the clock counts) is as good as disarmed. */
	if (due == 0 || due == KERN_NS_FOREVER) {
		kern_timer_disarm(&p->timer);
		return 0;
	}
	return kern_timer_arm(&p->timer, due,
			      interval == KERN_NS_FOREVER ? 0 : interval);
}

long
sys_timer_gettime(const long a[6])
{
	struct ptimer *p = ptimer_find(a[0]);

	if (p == NULL)
		return -KERN_EINVAL;
	if (a[1] == 0)
		return -KERN_EFAULT;
	ptimer_get(p, (struct kern_itimerspec *)a[1]);
	return 0;
}

long
sys_timer_getoverrun(const long a[6])
{
	struct ptimer *p = ptimer_find(a[0]);

	return p != NULL ? p->overrun_last : -KERN_EINVAL;
}

long
sys_timer_delete(const long a[6])
{
	for (struct ptimer **pp = &ptimers; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->id == a[0]) {
			struct ptimer *p = *pp;
			*pp = p->next;
			kern_timer_disarm(&p->timer);
			rumpuser_free(p, sizeof(*p));
			return 0;
		}
	return -KERN_EINVAL;
}
