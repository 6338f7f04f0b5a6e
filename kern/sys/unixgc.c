/*
 * The garbage of AF_UNIX: a socket whose only references are messages
 * in flight on sockets that are themselves only in flight (a socket sent
 * over itself, two sockets sent over each other and closed) would hold
 * itself forever. As Linux's unix_gc does, after a socket's file is
 * released: the candidates are the sockets every reference to whose file
 * is in a queued message; a candidate that a message outside the
 * candidates' queues holds is alive, and so is everything an alive one's
 * queue holds; the rest are garbage, and their queues are dropped, which
 * releases them in turn.
 */
#include "unix.h"

enum { GC_NONE, GC_CANDIDATE, GC_ALIVE };

static struct unix_sock *unix_all_first;
static int unix_inflight_total;
static int unix_gc_running;

void
unix_all_add(struct unix_sock *s)
{
	s->all = unix_all_first;
	if (s->all != NULL)
		s->all->all_pp = &s->all;
	s->all_pp = &unix_all_first;
	unix_all_first = s;
}

void
unix_all_remove(struct unix_sock *s)
{
	*s->all_pp = s->all;
	if (s->all != NULL)
		s->all->all_pp = s->all_pp;
}

/* unix_of: the AF_UNIX socket file f is, or NULL. */
static struct unix_sock *
unix_of(const struct kern_file *f)
{
	return f->ops == &sys_sock_unix.file ? f->priv : NULL;
}

void
unix_inflight(struct kern_file *f, int delta)
{
	struct unix_sock *s = unix_of(f);

	if (s != NULL) {
		s->inflight += delta;
		unix_inflight_total += delta;
	}
}

int
unix_inflight_room(void)
{
	return unix_inflight_total < KERN_FD_MAX;
}

/* gc_queue_each: fn on every socket file in s's queues (and those of
 * the connections waiting on it). */
static void
gc_queue_each(struct unix_sock *s, void (*fn)(struct unix_sock *t))
{
	struct unix_sock *e = s;

	for (; e != NULL; e = (e == s ? s->acceptq : e->next))
		for (struct unix_msg *m = e->rx; m != NULL; m = m->next)
			for (int i = 0; i < m->nfiles; i++) {
				struct unix_sock *t = unix_of(m->files[i]);
				if (t != NULL && t->gc != GC_NONE)
					fn(t);
			}
}

static void
gc_count(struct unix_sock *t)
{
	t->gc_refs++;
}

static int gc_changed;

static void
gc_keep(struct unix_sock *t)
{
	if (t->gc == GC_CANDIDATE) {
		t->gc = GC_ALIVE;
		gc_changed = 1;
	}
}

/*
 * gc_drop: what s (garbage) and its waiting connections hold goes: every
 * queue is taken first, and only then freed, since freeing may release
 * s's file, whose kill frees the waiting connections.
 */
static void
gc_drop(struct unix_sock *s)
{
	struct unix_msg *all = NULL, **tail = &all;
	struct unix_sock *e = s;

	for (; e != NULL; e = (e == s ? s->acceptq : e->next)) {
		*tail = e->rx;
		while (*tail != NULL)
			tail = &(*tail)->next;
		e->rx = NULL;
		e->rx_tail = &e->rx;
		e->rx_len = 0;
		e->rx_count = 0;
	}
	while (all != NULL) {
		struct unix_msg *next = all->next;
		unix_msg_free(all);
		all = next;
	}
}

void
unix_gc(void)
{
	struct unix_sock *s, *garbage = NULL;

	if (unix_gc_running || unix_inflight_total == 0)
		return;
	unix_gc_running = 1;
	for (s = unix_all_first; s != NULL; s = s->all) {
		s->gc_refs = 0;
		s->gc = s->file != NULL && s->inflight > 0 &&
					s->file->refs == s->inflight
				? GC_CANDIDATE
				: GC_NONE;
	}
	for (s = unix_all_first; s != NULL; s = s->all)
		if (s->gc != GC_NONE)
			gc_queue_each(s, gc_count);
	/* Held from outside the candidates: alive, and what it holds. */
	for (s = unix_all_first; s != NULL; s = s->all)
		if (s->gc == GC_CANDIDATE && s->gc_refs < s->inflight)
			s->gc = GC_ALIVE;
	do {
		gc_changed = 0;
		for (s = unix_all_first; s != NULL; s = s->all)
			if (s->gc == GC_ALIVE)
				gc_queue_each(s, gc_keep);
	} while (gc_changed);
	/* The rest is garbage: held while its queues go. */
	for (s = unix_all_first; s != NULL; s = s->all)
		if (s->gc == GC_CANDIDATE) {
			s->refs++;
			s->gc_refs = 0;
			s->next_garbage = garbage;
			garbage = s;
		}
	while ((s = garbage) != NULL) {
		garbage = s->next_garbage;
		gc_drop(s);
		unix_put(s);
	}
	unix_gc_running = 0;
}
