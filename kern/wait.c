/*
 * The one wait mechanism: wait queues that threads join, alone (a pipe's
 * reader waiting for data) or one queue per file at once (poll, select
 * and epoll), and that a change of state wakes. A waiter is a record on
 * the waiting thread's stack (or in a poll's table) naming its thread; a
 * wake ends every waiter's sleep (kern_thread_wake) and counts the
 * queue's changes (seq, which epoll's edge triggering reads). A waiter
 * then looks again at what it waits for: wakes carry no data. All of it
 * runs with the CPU held.
 */
#include <string.h>

#include "kern.h"

void
kern_waitq_add(struct kern_waitq *q, struct kern_waiter *w,
	       struct kern_thread *t)
{
	w->q = q;
	w->thread = t;
	w->next = q->first;
	q->first = w;
}

void
kern_waitq_remove(struct kern_waiter *w)
{
	if (w->q == NULL)
		return; /* its queue went (kern_waitq_detach) */
	struct kern_waiter **pp = &w->q->first;

	while (*pp != NULL && *pp != w)
		pp = &(*pp)->next;
	if (*pp == w)
		*pp = w->next;
	w->q = NULL;
}

void
kern_waitq_detach(struct kern_waitq *q)
{
	struct kern_waiter *w;

	while ((w = q->first) != NULL) {
		q->first = w->next;
		w->q = NULL;
		kern_thread_wake(w->thread);
	}
}

void
kern_waitq_wake(struct kern_waitq *q)
{
	q->seq++;
	for (struct kern_waiter *w = q->first; w != NULL; w = w->next)
		kern_thread_wake(w->thread);
}

int
kern_waitq_wait(struct kern_waitq *q, uint64_t deadline)
{
	struct kern_thread *t = kern_thread_self();
	struct kern_waiter w;
	int err;

	kern_waitq_add(q, &w, t);
	err = kern_thread_sleep(t, deadline, 1);
	kern_waitq_remove(&w);
	return err;
}

int
kern_poll_init(struct kern_poll *pt, int max)
{
	void *p;

	memset(pt, 0, sizeof(*pt));
	pt->thread = kern_thread_self();
	pt->max = max;
	if (max == 0)
		return 0;
	if (rumpuser_malloc(sizeof(struct kern_waiter) * (size_t)max, 0, &p) !=
	    0)
		return -KERN_ENOMEM;
	pt->waiters = p;
	return 0;
}

void
kern_poll_wait(struct kern_poll *pt, struct kern_waitq *q)
{
	if (pt == NULL)
		return;
	if (pt->n >= pt->max) {
		pt->overflow =
			1; /* its caller grows the table and asks again */
		return;
	}
	kern_waitq_add(q, &pt->waiters[pt->n++], pt->thread);
}

int
kern_poll_grow(struct kern_poll *pt)
{
	int max = pt->max * 2 + 8;
	void *p;

	kern_poll_forget(pt);
	if (rumpuser_malloc(sizeof(struct kern_waiter) * (size_t)max, 0, &p) !=
	    0)
		return -KERN_ENOMEM;
	if (pt->waiters != NULL)
		rumpuser_free(pt->waiters,
			      sizeof(struct kern_waiter) * (size_t)pt->max);
	pt->waiters = p;
	pt->max = max;
	pt->overflow = 0;
	return 0;
}

void
kern_poll_forget(struct kern_poll *pt)
{
	while (pt->n > 0)
		kern_waitq_remove(&pt->waiters[--pt->n]);
}

void
kern_poll_done(struct kern_poll *pt)
{
	kern_poll_forget(pt);
	if (pt->waiters != NULL)
		rumpuser_free(pt->waiters,
			      sizeof(struct kern_waiter) * (size_t)pt->max);
	pt->waiters = NULL;
}
