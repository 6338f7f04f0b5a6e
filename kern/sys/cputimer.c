/*
 * The CPU-time interval timers, ITIMER_VIRTUAL (SIGVTALRM) and
 * ITIMER_PROF (SIGPROF), for setitimer and getitimer (timer.c's). Both
 * count the image's CPU time as the platform counts it
 * (platform_cputime), which is all user time here, so the two count
 * alike. A timer is looked at when a system call returns (while one is
 * armed: kern_cputimer_due), since a busy thread never lets the kernel's
 * timer thread run on the one cooperative vCPU; and by a kern_timer due
 * when the CPU time left could have passed at the soonest (no sooner than
 * that much wall-clock time), for CPU time that passes while the
 * program's threads wait. Its signal goes to the process, and like every
 * signal here is taken when a thread returns from a system call: a
 * thread busy in the program without one does not see it until it
 * makes one.
 */
#include "sys.h"

#define SIGVTALRM 26
#define SIGPROF	  27

struct cputimer {
	struct kern_timer watch; /* first: its fire finds the timer */
	int sig;
	uint64_t due;	   /* the CPU time it fires at, in ns; 0: disarmed */
	uint64_t interval; /* ns of CPU time between firings; 0: once */
};

static void cputimer_fire(struct kern_timer *t, uint64_t overruns);

uint64_t kern_cputimer_due;

static struct cputimer cputimers[2] = {
	{{.fire = cputimer_fire}, SIGVTALRM, 0, 0},
	{{.fire = cputimer_fire}, SIGPROF, 0, 0},
};

/* cputimer_watch: c's watch is due when its CPU time could have passed. */
static int
cputimer_watch(struct cputimer *c, uint64_t cpu)
{
	uint64_t left = c->due > cpu ? c->due - cpu : 0;

	return kern_timer_arm(&c->watch, kern_now() + left, 0);
}

/* cputimer_next: kern_cputimer_due is the soonest armed timer's due. */
static void
cputimer_next(void)
{
	kern_cputimer_due = 0;
	for (int i = 0; i < 2; i++)
		if (cputimers[i].due != 0 &&
		    (kern_cputimer_due == 0 ||
		     cputimers[i].due < kern_cputimer_due))
			kern_cputimer_due = cputimers[i].due;
}

/* cputimer_check: c, if its CPU time passed, signals; 1 if still armed. */
static int
cputimer_check(struct cputimer *c, uint64_t cpu)
{
	if (c->due == 0)
		return 0;
	if (cpu >= c->due) {
		kern_signal_send(NULL, c->sig);
		if (c->interval == 0) {
			c->due = 0;
			kern_timer_disarm(&c->watch);
			cputimer_next();
			return 0;
		}
		/* the periods passed meanwhile are one signal, as on Linux */
		c->due += c->interval * (1 + (cpu - c->due) / c->interval);
		cputimer_next();
	}
	return 1;
}

static void
cputimer_fire(struct kern_timer *t, uint64_t overruns)
{
	struct cputimer *c = (struct cputimer *)t;
	uint64_t cpu = platform_cputime(0);

	(void)overruns;
	if (cputimer_check(c, cpu))
		cputimer_watch(c, cpu);
}

void
kern_cputimer_poll(void)
{
	uint64_t cpu = platform_cputime(0);

	if (cpu >= kern_cputimer_due)
		for (int i = 0; i < 2; i++)
			cputimer_check(&cputimers[i], cpu);
}

void
kern_cputimer_get(int which, uint64_t *value, uint64_t *interval)
{
	struct cputimer *c = &cputimers[which - 1];
	uint64_t cpu = platform_cputime(0);

	*value = c->due == 0 ? 0 : c->due > cpu ? c->due - cpu : 1;
	*interval = c->interval;
}

int
kern_cputimer_set(int which, uint64_t value, uint64_t interval)
{
	struct cputimer *c = &cputimers[which - 1];
	uint64_t cpu = platform_cputime(0);

	if (value == 0 || value == KERN_NS_FOREVER) {
		c->due = 0;
		c->interval = 0;
		kern_timer_disarm(&c->watch);
		cputimer_next();
		return 0;
	}
	c->due = cpu + value;
	c->interval = interval == KERN_NS_FOREVER ? 0 : interval;
	cputimer_next();
	return cputimer_watch(c, cpu);
}
