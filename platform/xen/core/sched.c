/*
 * The scheduler: cooperative threads on one vCPU.
 *
 * A thread runs until it blocks, sleeps, yields or exits; then
 * sched_schedule picks the next one. Every pick first runs the handlers of
 * pending events (events.c) and wakes the sleepers whose deadline has
 * passed, so events and timers are only ever noticed here, never by an
 * asynchronous upcall. When nothing can run, the vCPU waits in Xen with
 * SCHEDOP_poll on every bound port, with the one-shot timer set to the
 * earliest deadline (its VIRQ port is among the polled ones): no busy
 * waiting, and no window in which an event could be missed, because Xen
 * checks the ports' pending bits before it blocks.
 *
 * Each thread's CPU time is counted from the monotonic clock, from when
 * it is put on the vCPU to when it enters sched_schedule; the time spent
 * picking the next (events, idling in Xen) is nobody's.
 *
 * Each thread has its own stack, with an unmapped guard page below it when
 * the scheduler allocated it, and its own FS base (the TLS pointer), set
 * through Xen on every switch. A thread that exits keeps its stack until
 * another thread runs (nobody can free the stack they stand on); a
 * joinable one keeps its struct until sched_thread_join collects it.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "core.h"

#include <xen/sched.h>

#define SCHED_DEFAULT_STACK (64 * 1024)

enum thread_state { THREAD_RUNNABLE, THREAD_BLOCKED, THREAD_EXITED };

struct thread {
	char name[32];
	unsigned long rsp;     /* saved stack pointer while switched out */
	unsigned long fs_base; /* TLS pointer, loaded on every switch */
	char *stack;	       /* lowest byte of the stack (above the guard) */
	size_t stack_size;
	int own_stack; /* the scheduler allocated the stack */
	int joinable;
	enum thread_state state;
	uint64_t deadline;	 /* when to wake a sleeper; 0 = none */
	int timed_out;		 /* the last wait ended at its deadline */
	struct waitq *queue;	 /* the wait queue it is blocked on */
	struct thread *next;	 /* on the run queue or a wait queue */
	struct thread *all_next; /* on sched_all */
	struct waitq exited;	 /* join waits here */
	void *lwp;		 /* the rump kernel\'s curlwp */
	int error;		 /* what rumpuser_seterrno set */
	uint64_t cputime;	 /* ns it ran, until it last left the vCPU */
	uint64_t since;		 /* when it was last put on the vCPU */
};

/* The boot context: the first "thread", which leaves and never returns. */
static struct thread sched_boot = {.name = "boot", .state = THREAD_RUNNABLE};
static struct thread *sched_current_thread = &sched_boot;
void **sched_lwp_slot = &sched_boot.lwp;
/* Runnable threads, in order; the running thread is not on it. */
static struct thread *sched_run_head, *sched_run_tail;
/* Every thread alive or not yet collected, for sleepers and the reaper. */
static struct thread *sched_all;
static unsigned long sched_switches;
/* The ns every thread ran, together, until the running one came on. */
static uint64_t sched_busy;

static void
sched_run_push(struct thread *t)
{
	t->next = NULL;
	if (sched_run_tail != NULL)
		sched_run_tail->next = t;
	else
		sched_run_head = t;
	sched_run_tail = t;
}

static struct thread *
sched_run_pop(void)
{
	struct thread *t = sched_run_head;

	if (t != NULL) {
		sched_run_head = t->next;
		if (sched_run_head == NULL)
			sched_run_tail = NULL;
		t->next = NULL;
	}
	return t;
}

/* waitq_remove: takes t off the wait queue it is blocked on. */
static void
waitq_remove(struct thread *t)
{
	struct thread **p = &t->queue->head;

	while (*p != t)
		p = &(*p)->next;
	*p = t->next;
	if (t->queue->tail == t) {
		t->queue->tail = NULL;
		for (struct thread *u = t->queue->head; u != NULL; u = u->next)
			t->queue->tail = u;
	}
	t->queue = NULL;
	t->next = NULL;
}

/* sched_wake: makes a blocked thread runnable. */
static void
sched_wake(struct thread *t, int timed_out)
{
	if (t->state != THREAD_BLOCKED)
		return;
	if (t->queue != NULL)
		waitq_remove(t);
	t->state = THREAD_RUNNABLE;
	t->deadline = 0;
	t->timed_out = timed_out;
	sched_run_push(t);
}

/*
 * sched_timers: wakes the sleepers whose deadline has passed, in deadline
 * order, and returns the earliest deadline still to come (0 if none).
 */
static uint64_t
sched_timers(void)
{
	uint64_t now = time_monotonic_ns();

	for (;;) {
		struct thread *first = NULL;
		for (struct thread *t = sched_all; t != NULL; t = t->all_next) {
			if (t->state != THREAD_BLOCKED || t->deadline == 0)
				continue;
			if (first == NULL || t->deadline < first->deadline)
				first = t;
		}
		if (first == NULL)
			return 0;
		if (first->deadline > now)
			return first->deadline;
		sched_wake(first, 1);
	}
}

/*
 * sched_idle: waits in Xen until an event or the deadline. The one-shot
 * timer's VIRQ is one of the polled ports, so the deadline wakes us too.
 */
static void
sched_idle(uint64_t deadline)
{
	evtchn_port_t ports[128];
	struct sched_poll poll;

	if (deadline != 0)
		time_timer_set(deadline);
	poll.nr_ports = events_bound_ports(ports, 128);
	set_xen_guest_handle(poll.ports, ports);
	poll.timeout = 0;
	if (events_pending())
		return;
	hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, (unsigned long)&poll);
}

/* sched_reap: frees what exited threads left, except the running one. */
static void
sched_reap(void)
{
	struct thread **p = &sched_all;

	while (*p != NULL) {
		struct thread *t = *p;
		if (t->state != THREAD_EXITED || t == sched_current_thread) {
			p = &t->all_next;
			continue;
		}
		if (t->own_stack && t->stack != NULL) {
			mm_stack_free(t->stack, t->stack_size);
			t->stack = NULL;
		}
		if (t->joinable) {
			p = &t->all_next;
			continue;
		}
		*p = t->all_next;
		heap_free(t);
	}
}

static void
sched_switch_to(struct thread *next)
{
	struct thread *prev = sched_current_thread;

	if (next == prev)
		return;
	sched_current_thread = next;
	sched_lwp_slot = &next->lwp;
	sched_switches++;
	if (next->fs_base != prev->fs_base)
		hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_FS,
			   next->fs_base);
	sched_switch_stack(&prev->rsp, next->rsp);
	/* Back in prev, some time later. */
	sched_reap();
}

/*
 * sched_charge: the running thread t leaves the vCPU: the time since it
 * came on is its CPU time (and the vCPU's busy time).
 */
static void
sched_charge(struct thread *t)
{
	uint64_t ran = time_monotonic_ns() - t->since;

	t->cputime += ran;
	sched_busy += ran;
}

void
sched_schedule(void)
{
	struct thread *self = sched_current_thread, *next;
	/* Runnable on entry: a yield. Otherwise it blocks or exits. */
	int yielding = self->state == THREAD_RUNNABLE;

	/* From here until a thread runs again (events, idling): nobody's. */
	sched_charge(self);
	for (;;) {
		events_poll();
		uint64_t deadline = sched_timers();
		next = sched_run_pop();
		if (next != NULL)
			break;
		if (yielding) {
			self->since = time_monotonic_ns();
			return; /* nobody else to run */
		}
		sched_idle(deadline);
	}
	next->since = time_monotonic_ns();
	/*
	 * A thread that blocked may have been woken while it looked for
	 * work, and popped itself: it just goes on. (Pushing it again would
	 * leave it on the run queue while it runs.)
	 */
	if (next == self)
		return;
	if (yielding)
		sched_run_push(self);
	sched_switch_to(next);
}

void
sched_yield(void)
{
	sched_schedule();
}

/* sched_block: blocks the current thread until woken or the deadline. */
static int
sched_block(uint64_t deadline)
{
	struct thread *self = sched_current_thread;

	self->state = THREAD_BLOCKED;
	self->deadline = deadline;
	self->timed_out = 0;
	sched_schedule();
	return self->timed_out ? ETIMEDOUT : 0;
}

void
sched_sleep_until(uint64_t deadline)
{
	while (time_monotonic_ns() < deadline)
		sched_block(deadline);
}

int
waitq_wait(struct waitq *q, uint64_t deadline)
{
	struct thread *self = sched_current_thread;

	self->queue = q;
	self->next = NULL;
	if (q->tail != NULL)
		q->tail->next = self;
	else
		q->head = self;
	q->tail = self;
	return sched_block(deadline);
}

int
waitq_wake_one(struct waitq *q)
{
	if (q->head == NULL)
		return 0;
	sched_wake(q->head, 0);
	return 1;
}

void
waitq_wake_all(struct waitq *q)
{
	while (q->head != NULL)
		sched_wake(q->head, 0);
}

int
sched_thread_create(const struct thread_attr *attr, void (*entry)(void *),
		    void *arg, struct thread **out)
{
	struct thread *t;
	unsigned long *top;
	void *p;
	int err;

	err = heap_alloc(sizeof(*t), 16, &p);
	if (err != 0)
		return err;
	t = p;
	memset(t, 0, sizeof(*t));
	strncpy(t->name, attr->name != NULL ? attr->name : "thread",
		sizeof(t->name) - 1);
	t->joinable = attr->joinable;
	t->fs_base = attr->tls;
	if (attr->stack != NULL) {
		t->stack = attr->stack;
		t->stack_size = attr->stack_size;
	} else {
		t->stack_size = attr->stack_size != 0 ? attr->stack_size
						      : SCHED_DEFAULT_STACK;
		t->stack_size =
			(t->stack_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		err = mm_stack_alloc(t->stack_size, &t->stack);
		if (err != 0) {
			heap_free(t);
			return err;
		}
		t->own_stack = 1;
	}
	/* The first frame, as sched_switch_stack pops it (see switch.S). */
	top = (unsigned long *)(((unsigned long)t->stack + t->stack_size) &
				~15ul);
	top[-2] = 0;
	top[-3] = (unsigned long)sched_thread_start;
	top[-4] = 0;			/* rbp */
	top[-5] = 0;			/* rbx */
	top[-6] = (unsigned long)entry; /* r12 */
	top[-7] = (unsigned long)arg;	/* r13 */
	top[-8] = 0;			/* r14 */
	top[-9] = 0;			/* r15 */
	t->rsp = (unsigned long)&top[-9];
	t->state = THREAD_RUNNABLE;
	t->all_next = sched_all;
	sched_all = t;
	sched_run_push(t);
	*out = t;
	return 0;
}

void
sched_thread_exit(void)
{
	struct thread *self = sched_current_thread;

	self->state = THREAD_EXITED;
	waitq_wake_all(&self->exited);
	sched_schedule();
	platform_panic("sched: thread \"%s\" ran again after its exit",
		       self->name);
}

int
sched_thread_join(struct thread *t)
{
	struct thread **p;

	if (!t->joinable || t == sched_current_thread)
		return EINVAL;
	while (t->state != THREAD_EXITED)
		waitq_wait(&t->exited, 0);
	t->joinable = 0;
	for (p = &sched_all; *p != t; p = &(*p)->all_next)
		;
	*p = t->all_next;
	if (t->own_stack && t->stack != NULL)
		mm_stack_free(t->stack, t->stack_size);
	heap_free(t);
	return 0;
}

struct thread *
sched_current(void)
{
	return sched_current_thread;
}

const char *
sched_current_name(void)
{
	return sched_current_thread->name;
}

int *
sched_current_errno(void)
{
	return &sched_current_thread->error;
}

void
sched_set_tls(unsigned long fs_base)
{
	sched_current_thread->fs_base = fs_base;
	hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_FS, fs_base);
}

uint64_t
sched_cputime(int self)
{
	uint64_t now = time_monotonic_ns() - sched_current_thread->since;

	return (self ? sched_current_thread->cputime : sched_busy) + now;
}

unsigned long
sched_switch_count(void)
{
	return sched_switches;
}

void
sched_start(void)
{
	/* The boot context leaves for good; its stack is never reused. */
	sched_boot.state = THREAD_EXITED;
	sched_boot.since = time_monotonic_ns(); /* booting counts for none */
	sched_schedule();
	platform_panic("sched: the boot context ran again");
}

const char *
sched_guard_owner(unsigned long addr)
{
	for (struct thread *t = sched_all; t != NULL; t = t->all_next)
		if (t->own_stack && t->stack != NULL &&
		    addr >= (unsigned long)t->stack - PAGE_SIZE &&
		    addr < (unsigned long)t->stack)
			return t->name;
	return NULL;
}
