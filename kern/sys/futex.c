/*
 * futex: FUTEX_WAIT, FUTEX_WAKE, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET,
 * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE, with FUTEX_PRIVATE_FLAG (every
 * futex is private: there is one address space) and FUTEX_CLOCK_REALTIME.
 *
 * A waiter is a record on its own stack, queued by address in a small
 * hash table; the check of the futex word and the queueing happen with
 * the CPU held, so a wake made after the word changed cannot miss it.
 * FUTEX_WAIT's timeout is relative (monotonic), FUTEX_WAIT_BITSET's is
 * absolute, on the realtime clock with FUTEX_CLOCK_REALTIME (turned into
 * a monotonic deadline when the call starts). A wait is interruptible: a
 * signal the thread must take ends it with EINTR. The PI operations
 * are futexpi.c's: LOCK_PI's absolute timeout is on the realtime clock,
 * LOCK_PI2's on the monotonic one unless FUTEX_CLOCK_REALTIME, which the
 * other PI operations refuse (ENOSYS), as Linux does. WAKE_OP and the
 * requeueing to PI futexes give ENOSYS.
 */
#include "sys.h"

#define FUTEX_WAIT	     0
#define FUTEX_WAKE	     1
#define FUTEX_REQUEUE	     3
#define FUTEX_CMP_REQUEUE    4
#define FUTEX_LOCK_PI	     6
#define FUTEX_UNLOCK_PI	     7
#define FUTEX_TRYLOCK_PI     8
#define FUTEX_WAIT_BITSET    9
#define FUTEX_WAKE_BITSET    10
#define FUTEX_LOCK_PI2	     13
#define FUTEX_PRIVATE_FLAG   128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BUCKETS	     64

struct futex_waiter {
	const int *addr;
	unsigned bitset;
	struct kern_thread *thread;
	int woken;
	struct futex_waiter *next;
};

static struct futex_waiter *futex_buckets[FUTEX_BUCKETS];

static struct futex_waiter **
futex_bucket(const int *addr)
{
	return &futex_buckets[((uintptr_t)addr >> 2) % FUTEX_BUCKETS];
}

static void
futex_unlink(struct futex_waiter *w)
{
	struct futex_waiter **pp = futex_bucket(w->addr);

	while (*pp != w)
		pp = &(*pp)->next;
	*pp = w->next;
}

/*
 * futex_move: wakes up to nwake waiters on addr whose bitset meets
 * bitset, then moves up to nmove more to addr2. Returns how many it woke
 * plus how many it moved.
 */
static long
futex_move(const int *addr, long nwake, unsigned bitset, const int *addr2,
	   long nmove)
{
	struct futex_waiter **pp = futex_bucket(addr), *w, *moved = NULL;
	long done = 0;

	while ((w = *pp) != NULL && (nwake > 0 || nmove > 0)) {
		if (w->addr != addr || !(w->bitset & bitset)) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		if (nwake > 0) {
			nwake--;
			w->woken = 1;
			kern_thread_wake(w->thread);
		} else {
			nmove--;
			w->addr = addr2;
			w->next = moved;
			moved = w;
		}
		done++;
	}
	/* Queued on addr2 after its own waiters, oldest first. */
	while (moved != NULL) {
		w = moved;
		moved = w->next;
		struct futex_waiter **tail = futex_bucket(addr2);
		while (*tail != NULL)
			tail = &(*tail)->next;
		w->next = NULL;
		*tail = w;
	}
	return done;
}

int
kern_futex_wake(const int *addr, int n)
{
	return (int)futex_move(addr, n, ~0u, NULL, 0);
}

/* futex_deadline: the monotonic deadline of a wait's timeout, or 0. */
static long
futex_deadline(int op, const struct kern_timespec *ts, uint64_t *deadline)
{
	*deadline = 0;
	if (ts == NULL)
		return 0;
	uint64_t t;
	long err = kern_timespec_ns(ts, &t);
	if (err != 0)
		return err;
	if (t == KERN_NS_FOREVER)
		return 0; /* no deadline */
	uint64_t now = kern_now();
	if ((op & 127) == FUTEX_WAIT) {
		*deadline = now + t;
	} else if (op & FUTEX_CLOCK_REALTIME) {
		uint64_t wall = kern_wall();
		*deadline = t > wall ? now + (t - wall) : now;
	} else {
		*deadline = t;
	}
	if (*deadline == 0)
		*deadline = 1; /* 0 would mean none */
	return 0;
}

static long
futex_wait(int *addr, int val, int op, const struct kern_timespec *ts,
	   unsigned bitset)
{
	struct kern_thread *self = kern_thread_self();
	struct futex_waiter w = {addr, bitset, self, 0, NULL};
	uint64_t deadline;
	long err = futex_deadline(op, ts, &deadline);

	if (err != 0)
		return err;
	if (bitset == 0)
		return -KERN_EINVAL;
	if (__atomic_load_n(addr, __ATOMIC_SEQ_CST) != val)
		return -KERN_EAGAIN;
	struct futex_waiter **pp = futex_bucket(addr);
	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = &w;
	err = kern_thread_sleep(self, deadline, 1);
	if (w.woken)
		return 0; /* woken, whatever else happened too */
	futex_unlink(&w);
	return err;
}

/* futex_pi: the PI operations, their clocks checked, to futexpi.c. */
static long
futex_pi(int *addr, int op, const struct kern_timespec *ts)
{
	int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	uint64_t deadline;

	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_LOCK_PI2)
		return -KERN_ENOSYS;
	if (cmd == FUTEX_UNLOCK_PI)
		return kern_futex_pi_unlock(addr);
	if (cmd == FUTEX_TRYLOCK_PI)
		return kern_futex_pi_lock(addr, 0, 1);
	if (cmd == FUTEX_LOCK_PI)
		op |= FUTEX_CLOCK_REALTIME;
	long err = futex_deadline(op, ts, &deadline);
	if (err != 0)
		return err;
	return kern_futex_pi_lock(addr, deadline, 0);
}

long
sys_futex(const long a[6])
{
	int *addr = (int *)a[0];
	int op = (int)a[1];
	const struct kern_timespec *ts = (const void *)a[3];

	if (((uintptr_t)addr & 3) != 0)
		return -KERN_EINVAL;
	switch (op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)) {
	case FUTEX_WAIT:
		return futex_wait(addr, (int)a[2], op, ts, ~0u);
	case FUTEX_WAIT_BITSET:
		return futex_wait(addr, (int)a[2], op, ts, (unsigned)a[5]);
	case FUTEX_WAKE:
		return futex_move(addr, (int)a[2], ~0u, NULL, 0);
	case FUTEX_WAKE_BITSET:
		if ((unsigned)a[5] == 0)
			return -KERN_EINVAL;
		return futex_move(addr, (int)a[2], (unsigned)a[5], NULL, 0);
	case FUTEX_CMP_REQUEUE:
		if (__atomic_load_n(addr, __ATOMIC_SEQ_CST) != (int)a[5])
			return -KERN_EAGAIN;
		/* fall through */
	case FUTEX_REQUEUE:
		if ((int)a[2] < 0 || (int)a[3] < 0)
			return -KERN_EINVAL;
		if (((uintptr_t)a[4] & 3) != 0)
			return -KERN_EINVAL;
		return futex_move(addr, (int)a[2], ~0u, (const int *)a[4],
				  (int)a[3]);
	case FUTEX_LOCK_PI:
	case FUTEX_UNLOCK_PI:
	case FUTEX_TRYLOCK_PI:
	case FUTEX_LOCK_PI2:
		return futex_pi(addr, op, ts);
	default:
		return -KERN_ENOSYS;
	}
}
