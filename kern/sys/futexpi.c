/*
 * futex's priority-inheritance operations (FUTEX_LOCK_PI, LOCK_PI2,
 * TRYLOCK_PI, UNLOCK_PI; futex.c decodes them), with Linux's protocol
 * for the futex word: 0 when free, else the owner's tid, with
 * FUTEX_WAITERS set by the kernel when a thread waits in it (the owner's
 * unlock then comes here) and FUTEX_OWNER_DIED kept from a robust
 * owner's death for the next owner to see. musl's
 * PTHREAD_PRIO_INHERIT mutexes are built on them.
 *
 * The inheritance itself has nothing to do: there is one virtual CPU
 * and every thread has the same priority, so a waiter never needs to
 * lend its priority to the owner. What is left is a lock the kernel
 * hands over: the waiters on a word queue in the order they came, each
 * knowing the owner's tid (which the word must still hold, else
 * EINVAL, as Linux says when user space changed it), and an unlock
 * makes the first of them the owner at once (word = its tid |
 * FUTEX_WAITERS, as Linux writes it). A thread that ends while it owns
 * a word that others wait for hands it over the same way, after its
 * robust list was walked (kern_futex_pi_exit), so that a robust mutex's
 * next owner finds FUTEX_OWNER_DIED. Locking a word whose owner is no
 * thread of ours is ESRCH; the caller's own, EDEADLK; unlocking a word
 * it does not own, EPERM; TRYLOCK_PI finding an owner, EAGAIN. A
 * signal does not end the wait: the call is made again after its
 * handler (ERESTARTNOINTR, as Linux does); the deadline ends it with
 * ETIMEDOUT.
 */
#include "sys.h"

#define FUTEX_TID_MASK	 0x3fffffffu
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_WAITERS	 0x80000000u

struct futex_pi_waiter {
	int *addr;
	int owner; /* the tid that holds the word it waits for */
	struct kern_thread *thread;
	int granted; /* the lock was handed to it */
	struct futex_pi_waiter *next;
};

/* The waiters, oldest first. */
static struct futex_pi_waiter *futex_pi_first;

/* futex_pi_top: the first waiter on addr, or NULL. */
static struct futex_pi_waiter *
futex_pi_top(const int *addr)
{
	struct futex_pi_waiter *w = futex_pi_first;

	while (w != NULL && w->addr != addr)
		w = w->next;
	return w;
}

static void
futex_pi_unlink(struct futex_pi_waiter *w)
{
	struct futex_pi_waiter **pp = &futex_pi_first;

	while (*pp != w)
		pp = &(*pp)->next;
	*pp = w->next;
}

static void
futex_pi_append(struct futex_pi_waiter *w)
{
	struct futex_pi_waiter **pp = &futex_pi_first;

	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = w;
}

/*
 * futex_pi_give: w, the first waiter on its word, owns it now (with
 * died, FUTEX_OWNER_DIED or 0, kept in the word) and wakes.
 */
static void
futex_pi_give(struct futex_pi_waiter *w, unsigned died)
{
	int tid = w->thread->tid;

	__atomic_store_n(w->addr, (int)((unsigned)tid | FUTEX_WAITERS | died),
			 __ATOMIC_SEQ_CST);
	futex_pi_unlink(w);
	for (struct futex_pi_waiter *o = futex_pi_first; o != NULL; o = o->next)
		if (o->addr == w->addr)
			o->owner = tid;
	w->granted = 1;
	kern_thread_wake(w->thread);
}

/*
 * futex_pi_take: one look at the word for a locker: 0 when it took the
 * lock, 1 when it must wait (FUTEX_WAITERS is set), 2 to look again (the
 * word changed under it), or -errno.
 */
static long
futex_pi_take(int *addr, int tid, int trylock)
{
	unsigned v = (unsigned)__atomic_load_n(addr, __ATOMIC_SEQ_CST);
	int owner = (int)(v & FUTEX_TID_MASK);
	struct futex_pi_waiter *top = futex_pi_top(addr);
	int expect = (int)v;

	if (owner == tid)
		return -KERN_EDEADLK;
	if (top != NULL && owner != top->owner)
		return -KERN_EINVAL; /* user space changed the word */
	if (top == NULL && owner == 0) {
		int mine = (int)((v & FUTEX_OWNER_DIED) | (unsigned)tid);
		return __atomic_compare_exchange_n(addr, &expect, mine, 0,
						   __ATOMIC_SEQ_CST,
						   __ATOMIC_SEQ_CST)
			       ? 0
			       : 2;
	}
	if (top == NULL && kern_thread_find(owner) == NULL)
		return __atomic_load_n(addr, __ATOMIC_SEQ_CST) == (int)v
			       ? -KERN_ESRCH
			       : 2;
	if (trylock)
		return -KERN_EAGAIN;
	if (v & FUTEX_WAITERS)
		return 1;
	return __atomic_compare_exchange_n(addr, &expect,
					   (int)(v | FUTEX_WAITERS), 0,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
		       ? 1
		       : 2;
}

long
kern_futex_pi_lock(int *addr, uint64_t deadline, int trylock)
{
	struct kern_thread *self = kern_thread_self();
	struct futex_pi_waiter w = {addr, 0, self, 0, NULL};
	long r;

	while ((r = futex_pi_take(addr, self->tid, trylock)) == 2)
		continue;
	if (r != 1)
		return r;
	w.owner = (int)((unsigned)__atomic_load_n(addr, __ATOMIC_SEQ_CST) &
			FUTEX_TID_MASK);
	futex_pi_append(&w);
	for (;;) {
		long err = kern_thread_sleep(self, deadline, 1);
		if (w.granted)
			return 0; /* it owns the lock, whatever else came */
		if (err != 0) {
			futex_pi_unlink(&w);
			return err == -KERN_EINTR ? -KERN_ERESTARTNOINTR : err;
		}
	}
}

long
kern_futex_pi_unlock(int *addr)
{
	int tid = kern_thread_self()->tid;

	for (;;) {
		int v = __atomic_load_n(addr, __ATOMIC_SEQ_CST);
		if (((unsigned)v & FUTEX_TID_MASK) != (unsigned)tid)
			return -KERN_EPERM;
		struct futex_pi_waiter *top = futex_pi_top(addr);
		if (top != NULL) {
			futex_pi_give(top, 0);
			return 0;
		}
		if (__atomic_compare_exchange_n(
			    addr, &v, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return 0;
	}
}

void
kern_futex_pi_exit(const struct kern_thread *t)
{
	struct futex_pi_waiter *w = futex_pi_first;

	while (w != NULL) {
		if (w->owner != t->tid) {
			w = w->next;
			continue;
		}
		unsigned v =
			(unsigned)__atomic_load_n(w->addr, __ATOMIC_SEQ_CST);
		futex_pi_give(w, v & FUTEX_OWNER_DIED);
		w = futex_pi_first; /* the list changed */
	}
}
