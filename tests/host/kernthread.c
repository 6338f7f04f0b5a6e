/*
 * Threads and futexes of the syscall layer (kern/) as a host program on
 * platform/posix under ASan and UBSan, entered as musl enters them
 * (__rumpxen_syscall, __rumpxen_clone): futex errors and timeouts; WAKE
 * of a waiting thread; WAKE_BITSET choosing by bitset; CMP_REQUEUE
 * moving waiters to another word; clone's flags (a fork is ENOSYS),
 * PARENT_SETTID and gettid agreeing, CHILD_CLEARTID cleared and woken at
 * the thread's end; the robust list of a thread that ends holding a
 * futex; tkill interrupting a futex wait and a nanosleep with EINTR and
 * running the handler in the target. Exits 0 when all holds.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rumpxen/platform.h>

#include "../../kern/kern.h"
#include "expect.h"

long __rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5,
		       long a6);
int __rumpxen_clone(int (*fn)(void *), void *stack, int flags, void *arg,
		    int *ptid, unsigned long tls, int *ctid);

#define SYS_mmap	  9
#define SYS_nanosleep	  35
#define SYS_gettid	  186
#define SYS_tkill	  200
#define SYS_futex	  202
#define SYS_set_robust	  273
#define SYS_rt_sigaction  13
#define FUTEX_WAIT	  0
#define FUTEX_WAKE	  1
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE	  128
#define THREAD_FLAGS	  0x3d0f00 /* VM FS FILES SIGHAND THREAD SYSVSEM */
/* PARENT_SETTID CHILD_CLEARTID */
#define CLONE_CHILD_SETTID 0x01000000
#define EAGAIN		   11
#define EINTR		   4
#define EINVAL		   22
#define ENOSYS		   38
#define ETIMEDOUT	   110
#define SIGUSR1		   10

static long
sys(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return __rumpxen_syscall(n, a1, a2, a3, a4, a5, a6);
}

static long
futex(int *addr, int op, int val, const struct timespec *ts, int *addr2,
      int val3)
{
	return sys(SYS_futex, (long)addr, op | FUTEX_PRIVATE, val, (long)ts,
		   (long)addr2, val3);
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A thread's record: where it waits and what it saw. */
struct child {
	int *word;
	unsigned bitset;
	long result;
	int tid_seen;
	int handled;
	int ptid, ctid;
	int robust_word[4]; /* an entry: next pointer, then the futex word */
};

static __thread struct child *my_child;

static void
on_usr1(int sig)
{
	if (my_child != NULL)
		my_child->handled += sig == SIGUSR1;
}

static int
child_wait(void *arg)
{
	struct child *c = arg;

	my_child = c;
	c->tid_seen = (int)sys(SYS_gettid, 0, 0, 0, 0, 0, 0);
	c->result = futex(c->word, FUTEX_WAIT_BITSET, 0, NULL, NULL,
			  (int)c->bitset);
	return 0;
}

static int
child_sleep(void *arg)
{
	struct child *c = arg;
	struct timespec req = {10, 0}, rem = {0, 0};

	my_child = c;
	c->tid_seen = (int)sys(SYS_gettid, 0, 0, 0, 0, 0, 0);
	c->result = sys(SYS_nanosleep, (long)&req, (long)&rem, 0, 0, 0, 0);
	c->bitset = rem.tv_sec > 0 ? 1 : 0; /* time was left */
	return 0;
}

/* The robust list head, then one entry whose futex word we hold. */
static unsigned long robust_head[3];

static int
child_robust(void *arg)
{
	struct child *c = arg;
	unsigned long entry = (unsigned long)&c->robust_word[0];

	c->tid_seen = (int)sys(SYS_gettid, 0, 0, 0, 0, 0, 0);
	robust_head[0] = entry; /* the first entry */
	robust_head[1] = 8;	/* its futex word is 8 bytes on */
	robust_head[2] = 0;	/* nothing pending */
	*(unsigned long *)entry = (unsigned long)robust_head; /* the end */
	c->robust_word[2] = c->tid_seen | (int)0x80000000;    /* waiters */
	return (int)sys(SYS_set_robust, (long)robust_head, 24, 0, 0, 0, 0);
}

/*
 * child_start: a thread on a stack of the layer's own mmap, 2 MiB: big
 * enough for ThreadSanitizer's build of this test too.
 */
static int
child_start(int (*fn)(void *), struct child *c)
{
	const long size = 2 << 20;
	char *stack = (char *)sys(SYS_mmap, 0, size, 3, 0x22, -1, 0);

	c->ctid = -1;
	return __rumpxen_clone(fn, stack + size, THREAD_FLAGS, c, &c->ptid, 0,
			       &c->ctid);
}

/* wake_when_waiting: WAKE_BITSET on word until it wakes one. */
static long
wake_when_waiting(int *word, unsigned bitset)
{
	struct timespec ms = {0, 1000000};
	long r = 0;

	for (int i = 0; i < 5000 && r == 0; i++) {
		r = futex(word, FUTEX_WAKE_BITSET, 1, NULL, NULL, (int)bitset);
		if (r == 0)
			nanosleep(&ms, NULL);
	}
	return r;
}

/* join: waits for the thread's CHILD_CLEARTID word to be 0. */
static int
join(struct child *c)
{
	int tid;
	while ((tid = __atomic_load_n(&c->ctid, __ATOMIC_SEQ_CST)) != 0) {
		struct timespec ts = {10, 0};
		if (futex(&c->ctid, FUTEX_WAIT, tid, &ts, NULL, 0) ==
		    -ETIMEDOUT)
			return 0;
	}
	return 1;
}

int
rumpxen_main(int argc, char **argv)
{
	int word = 0, word2 = 0;
	struct timespec ts = {0, 50 * 1000000};

	(void)argc;
	(void)argv;
	expect(kern_init() == 0, "kern_init");

	/* Errors and a timeout. */
	expect(futex(&word, FUTEX_WAIT, 1, NULL, NULL, 0) == -EAGAIN,
	       "FUTEX_WAIT on a word that differs is EAGAIN");
	expect(futex((int *)((char *)&word + 1), FUTEX_WAKE, 1, NULL, NULL,
		     0) == -EINVAL,
	       "an unaligned futex is EINVAL");
	expect(futex(&word, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0) == -EINVAL,
	       "a bitset of 0 is EINVAL");
	expect(futex(&word, 12, 0, NULL, NULL, 0) == -ENOSYS,
	       "an operation we lack is ENOSYS");
	expect(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0) == 0,
	       "FUTEX_WAKE with nobody waiting wakes 0");
	double t0 = now();
	long r = futex(&word, FUTEX_WAIT, 0, &ts, NULL, 0);
	double waited = now() - t0;
	printf("a 50 ms wait: %ld after %.3f s\n", r, waited);
	expect(r == -ETIMEDOUT && waited >= 0.05,
	       "a FUTEX_WAIT of 50 ms times out, not early");

	/* Clone's flags. */
	struct child c1 = {.word = &word, .bitset = ~0u};
	expect(__rumpxen_clone(child_wait, &c1, 0x11, &c1, NULL, 0, NULL) ==
		       -ENOSYS,
	       "a fork (no CLONE_VM|CLONE_THREAD) is ENOSYS");
	expect(__rumpxen_clone(child_wait, &c1, THREAD_FLAGS | 0x20000000, &c1,
			       NULL, 0, NULL) == -EINVAL,
	       "an unknown clone flag is EINVAL");

	/* A thread waits; FUTEX_WAKE wakes it; its end clears its tid. */
	int tid = child_start(child_wait, &c1);
	expect(tid > 1 && c1.ptid == tid, "clone: PARENT_SETTID is its tid");
	expect(wake_when_waiting(&word, ~0u) == 1 && join(&c1),
	       "FUTEX_WAKE woke the waiting thread, whose end woke us");
	expect(c1.result == 0 && c1.tid_seen == tid && c1.ctid == 0,
	       "its wait returned 0, gettid agreed, CHILD_CLEARTID cleared");

	/* WAKE_BITSET wakes by bitset. */
	struct child a = {.word = &word, .bitset = 1};
	struct child b = {.word = &word, .bitset = 2};
	child_start(child_wait, &a);
	child_start(child_wait, &b);
	expect(wake_when_waiting(&word, 2) == 1 && join(&b) && a.ctid != 0,
	       "WAKE_BITSET 2 woke the waiter of bitset 2 only");
	expect(wake_when_waiting(&word, 1) == 1 && join(&a),
	       "and WAKE_BITSET 1 the other");

	/* CMP_REQUEUE: one woken, two moved to word2. */
	struct child q[3];
	for (int i = 0; i < 3; i++) {
		q[i] = (struct child){.word = &word, .bitset = ~0u};
		child_start(child_wait, &q[i]);
	}
	struct timespec ms = {0, 1000000};
	for (int i = 0; i < 100; i++)
		nanosleep(&ms, NULL); /* all three are waiting by now */
	expect(futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)2, &word2, 5) ==
		       -EAGAIN,
	       "CMP_REQUEUE with a stale value is EAGAIN");
	r = futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)2, &word2, 0);
	long on_word = futex(&word, FUTEX_WAKE, 10, NULL, NULL, 0);
	long on_word2 = futex(&word2, FUTEX_WAKE, 10, NULL, NULL, 0);
	printf("requeue: %ld, then %ld on the word, %ld on word2\n", r, on_word,
	       on_word2);
	expect(r == 3 && on_word == 0 && on_word2 == 2,
	       "CMP_REQUEUE woke one and moved two");
	for (int i = 0; i < 3; i++)
		expect(join(&q[i]) && q[i].result == 0, "each ended");

	/* The robust list of a thread that ends holding a futex. */
	struct child rb = {0};
	child_start(child_robust, &rb);
	expect(join(&rb) && rb.robust_word[2] == (int)0xc0000000,
	       "its robust futex says OWNER_DIED, waiters kept, tid gone");

	/* tkill ends a futex wait and a sleep with EINTR. */
	const unsigned long act[4] = {(unsigned long)on_usr1, 0, 0, 0};
	expect(sys(SYS_rt_sigaction, SIGUSR1, (long)act, 0, 8, 0, 0) == 0,
	       "a SIGUSR1 handler");
	struct child w = {.word = &word, .bitset = ~0u};
	tid = child_start(child_wait, &w);
	for (int i = 0; i < 100; i++)
		nanosleep(&ms, NULL);
	expect(sys(SYS_tkill, tid, SIGUSR1, 0, 0, 0, 0) == 0 && join(&w),
	       "tkill to the waiting thread");
	expect(w.result == -EINTR && w.handled == 1,
	       "its wait ended with EINTR, the handler ran in it");
	struct child s = {0};
	t0 = now();
	tid = child_start(child_sleep, &s);
	for (int i = 0; i < 100; i++)
		nanosleep(&ms, NULL);
	expect(sys(SYS_tkill, tid, SIGUSR1, 0, 0, 0, 0) == 0 && join(&s),
	       "tkill to the sleeping thread");
	expect(s.result == -EINTR && s.handled == 1 && s.bitset == 1 &&
		       now() - t0 < 10,
	       "its 10 s sleep ended early with EINTR, time left in rem");
	expect(sys(SYS_tkill, 9999, SIGUSR1, 0, 0, 0, 0) == -3,
	       "tkill to no such thread is ESRCH");
	/* The ended threads are joined now, not at some later clone. */
	kern_enter();
	kern_thread_reap();
	kern_leave();
	printf(failures == 0 ? "all passed\n" : "%d failed\n", failures);
	return failures != 0;
}
