/*
 * The process's threads: their list and tids, and how one sleeps.
 *
 * A thread sleeps on a condition variable of its own under one leaf
 * mutex (kern_sleep_mtx, a rumpuser SPIN|KMUTEX mutex: a sleeper takes
 * the CPU back before the mutex, so nobody holds the mutex while waiting
 * for the CPU). Whoever ends a sleep holds the CPU, sets the thread's
 * flag and signals its condition variable under the mutex; the sleeper
 * checks the flags with both held, so no wake-up is lost between its
 * check and its wait. tids count up from 1 and are not reused. A thread
 * that exits stays on a list of the dead until another thread reaps it,
 * since it cannot free the stack it stands on.
 */
#include <string.h>

#include "abi.h"
#include "kern.h"

static struct kern_thread *kern_thread_list;
static struct kern_thread *kern_thread_dead; /* exited, not yet reaped */
int kern_thread_last_tid;
static struct rumpuser_mtx *kern_sleep_mtx;
unsigned long kern_proc_sig_pending;

char kern_comm[16];
char **kern_argv;
int kern_argc;
const void *kern_phdr;
int kern_phnum;
uint64_t kern_boot_ns;

struct kern_thread *
kern_thread_new(const struct kern_thread *parent)
{
	struct kern_thread *t;
	void *p;

	if (kern_sleep_mtx == NULL)
		rumpuser_mutex_init(&kern_sleep_mtx,
				    RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX);
	if (rumpuser_malloc(sizeof(*t), 0, &p) != 0)
		return NULL;
	t = p;
	memset(t, 0, sizeof(*t));
	rumpuser_cv_init(&t->cv);
	t->tid = ++kern_thread_last_tid;
	if (parent != NULL) {
		t->sig_mask = parent->sig_mask;
		memcpy(t->comm, parent->comm, sizeof(t->comm));
		t->named = parent->named;
	}
	t->next = kern_thread_list;
	kern_thread_list = t;
	return t;
}

int
kern_thread_exit(struct kern_thread *t)
{
	struct kern_thread **pp = &kern_thread_list;
	int left = 0;

	while (*pp != t)
		pp = &(*pp)->next;
	*pp = t->next;
	t->next = kern_thread_dead;
	kern_thread_dead = t;
	for (struct kern_thread *o = kern_thread_list; o != NULL; o = o->next)
		left++;
	return left;
}

void
kern_thread_reap(void)
{
	while (kern_thread_dead != NULL) {
		struct kern_thread *t = kern_thread_dead;
		kern_thread_dead = t->next;
		/* It gave the CPU back; it may not have stopped yet. */
		if (t->pt != NULL)
			platform_thread_join(t->pt);
		if (t->reap != NULL)
			t->reap(t);
		rumpuser_cv_destroy(t->cv);
		rumpuser_free(t, sizeof(*t));
	}
}

struct kern_thread *
kern_thread_find(int tid)
{
	for (struct kern_thread *t = kern_thread_list; t != NULL; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

struct kern_thread *
kern_threads(void)
{
	return kern_thread_list;
}

int
kern_thread_sleep(struct kern_thread *t, uint64_t deadline, int interruptible)
{
	int err = 0;

	rumpuser_mutex_enter_nowrap(kern_sleep_mtx);
	t->wakeup = 0;
	t->asleep = 1;
	for (;;) {
		if (t->wakeup)
			break;
		if (interruptible && kern_thread_signalled(t)) {
			err = -KERN_EINTR;
			break;
		}
		if (deadline == 0) {
			rumpuser_cv_wait(t->cv, kern_sleep_mtx);
			continue;
		}
		uint64_t now = kern_now();
		if (now >= deadline) {
			err = -KERN_ETIMEDOUT;
			break;
		}
		struct kern_timespec rel;
		kern_timespec_from_ns(deadline - now, &rel);
		rumpuser_cv_timedwait(t->cv, kern_sleep_mtx, rel.sec, rel.nsec);
	}
	t->wakeup = 0;
	t->asleep = 0;
	rumpuser_mutex_exit(kern_sleep_mtx);
	return err;
}

void
kern_thread_wake(struct kern_thread *t)
{
	rumpuser_mutex_enter_nowrap(kern_sleep_mtx);
	t->wakeup = 1;
	rumpuser_cv_signal(t->cv);
	rumpuser_mutex_exit(kern_sleep_mtx);
}

void
kern_thread_interrupt(struct kern_thread *t)
{
	rumpuser_mutex_enter_nowrap(kern_sleep_mtx);
	rumpuser_cv_signal(t->cv);
	rumpuser_mutex_exit(kern_sleep_mtx);
}
