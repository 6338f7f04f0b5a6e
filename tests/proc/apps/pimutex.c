/*
 * Priority-inheritance futexes (tests/proc/ipc.sh): the futex word's
 * protocol through raw FUTEX_LOCK_PI, TRYLOCK_PI, UNLOCK_PI and
 * LOCK_PI2 (the owner's tid, EDEADLK, EPERM, EAGAIN, ESRCH, ETIMEDOUT,
 * FUTEX_OWNER_DIED kept, an unlock handing the lock to its waiter, a
 * signal not ending the wait), then musl's PTHREAD_PRIO_INHERIT mutexes:
 * threads contending, trylock's EBUSY, condition waits, a timed lock's
 * ETIMEDOUT, an error-checking relock's EDEADLK, and robust ones whose owner
 * exits (EOWNERDEAD, with and without a waiter). Run natively and on Xen;
 * prints "N failures" and exits 0 when there are none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* Linux's futex ABI (musl has no <linux/futex.h>). */
#define FUTEX_LOCK_PI	     6
#define FUTEX_UNLOCK_PI	     7
#define FUTEX_TRYLOCK_PI     8
#define FUTEX_LOCK_PI2	     13
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAITERS	     0x80000000
#define FUTEX_OWNER_DIED     0x40000000
#define FUTEX_TID_MASK	     0x3fffffff

static int word;

static long
futex(int *addr, int op, const struct timespec *ts)
{
	return syscall(SYS_futex, addr, op, 0, ts, NULL, 0);
}

static int
fails(long r, int e)
{
	return r == -1 && errno == e;
}

static void
nap(long ms)
{
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000};

	nanosleep(&ts, NULL);
}

static int
tid(void)
{
	return (int)syscall(SYS_gettid);
}

/* in: a time ms from now on clock. */
static struct timespec
in(clockid_t clock, long ms)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	ts.tv_nsec += ms % 1000 * 1000000;
	ts.tv_sec += ms / 1000 + ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	return ts;
}

/* other: what another thread's calls on word give while main owns it. */
static void *
other(void *arg)
{
	long *res = arg;
	struct timespec rt = in(CLOCK_REALTIME, 50);
	struct timespec mono = in(CLOCK_MONOTONIC, 50);

	res[0] = fails(futex(&word, FUTEX_TRYLOCK_PI, NULL), EAGAIN);
	res[1] = fails(futex(&word, FUTEX_UNLOCK_PI, NULL), EPERM);
	res[2] = fails(futex(&word, FUTEX_LOCK_PI, &rt), ETIMEDOUT);
	res[3] = fails(futex(&word, FUTEX_LOCK_PI2, &mono), ETIMEDOUT);
	return NULL;
}

static volatile int usr1s;

static void
on_usr1(int sig)
{
	(void)sig;
	usr1s++;
}

/* owner: takes word, lets main block on it, gives it up. */
static void *
owner(void *arg)
{
	(void)arg;
	futex(&word, FUTEX_LOCK_PI, NULL);
	nap(150);
	futex(&word, FUTEX_UNLOCK_PI, NULL);
	return NULL;
}

/* waiter: a raw FUTEX_LOCK_PI through a signal; its result. */
static void *
waiter(void *arg)
{
	long *res = arg;

	res[0] = futex(&word, FUTEX_LOCK_PI, NULL);
	res[1] = word & FUTEX_TID_MASK;
	res[2] = tid();
	futex(&word, FUTEX_UNLOCK_PI, NULL);
	return NULL;
}

static void
raw_checks(void)
{
	pthread_t t;
	long res[4] = {0};

	word = 0;
	check(futex(&word, FUTEX_LOCK_PI, NULL) == 0 && word == tid(),
	      "FUTEX_LOCK_PI: the word holds the owner's tid");
	check(fails(futex(&word, FUTEX_LOCK_PI, NULL), EDEADLK),
	      "FUTEX_LOCK_PI by the owner: EDEADLK");
	check(fails(futex(&word, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, NULL),
		    ENOSYS),
	      "FUTEX_LOCK_PI with FUTEX_CLOCK_REALTIME: ENOSYS");
	pthread_create(&t, NULL, other, res);
	pthread_join(t, NULL);
	check(res[0], "FUTEX_TRYLOCK_PI of another's: EAGAIN");
	check(res[1], "FUTEX_UNLOCK_PI of another's: EPERM");
	check(res[2], "FUTEX_LOCK_PI: ETIMEDOUT (realtime)");
	check(res[3], "FUTEX_LOCK_PI2: ETIMEDOUT (monotonic)");
	check(futex(&word, FUTEX_UNLOCK_PI, NULL) == 0 && word == 0,
	      "FUTEX_UNLOCK_PI: 0 again");
	word = 0x3ffffff0;
	check(fails(futex(&word, FUTEX_LOCK_PI, NULL), ESRCH),
	      "FUTEX_LOCK_PI of no thread's word: ESRCH");
	word = FUTEX_OWNER_DIED;
	check(futex(&word, FUTEX_TRYLOCK_PI, NULL) == 0 &&
		      word == (tid() | FUTEX_OWNER_DIED),
	      "FUTEX_TRYLOCK_PI keeps FUTEX_OWNER_DIED");
	word = 0;
	pthread_create(&t, NULL, owner, NULL);
	nap(50);
	check(futex(&word, FUTEX_LOCK_PI, NULL) == 0 &&
		      (word & FUTEX_TID_MASK) == tid() &&
		      (word & FUTEX_WAITERS),
	      "an unlock hands the lock over: tid | FUTEX_WAITERS");
	pthread_join(t, NULL);
	check(futex(&word, FUTEX_UNLOCK_PI, NULL) == 0 && word == 0,
	      "and its unlock frees it");
	futex(&word, FUTEX_LOCK_PI, NULL);
	pthread_create(&t, NULL, waiter, res);
	nap(50);
	pthread_kill(t, SIGUSR1);
	nap(50);
	futex(&word, FUTEX_UNLOCK_PI, NULL);
	pthread_join(t, NULL);
	check(usr1s == 1 && res[0] == 0 && res[1] == res[2],
	      "a signal's handler runs, the lock wait goes on");
}

static pthread_mutex_t m;
static long count;

static void *
adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < 300; i++) {
		pthread_mutex_lock(&m);
		long c = count;
		sched_yield();
		count = c + 1;
		pthread_mutex_unlock(&m);
	}
	return NULL;
}

static void *
try_timed(void *arg)
{
	long *res = arg;
	struct timespec at = in(CLOCK_REALTIME, 100), now;

	res[0] = pthread_mutex_trylock(&m);
	res[1] = pthread_mutex_timedlock(&m, &at);
	clock_gettime(CLOCK_REALTIME, &now);
	res[2] = now.tv_sec > at.tv_sec ||
		 (now.tv_sec == at.tv_sec && now.tv_nsec >= at.tv_nsec);
	return NULL;
}

static void
mutex_init(int type, int robust)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	check(pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT) == 0,
	      "PTHREAD_PRIO_INHERIT is there");
	pthread_mutexattr_settype(&a, type);
	if (robust)
		pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&m, &a);
	pthread_mutexattr_destroy(&a);
}

static void
mutex_checks(void)
{
	pthread_t t[4];
	long res[3];

	mutex_init(PTHREAD_MUTEX_ERRORCHECK, 0);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, adder, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	check(count == 1200, "4 threads contending: every increment counted");
	pthread_mutex_lock(&m);
	check(pthread_mutex_lock(&m) == EDEADLK,
	      "an error-checking relock: EDEADLK");
	pthread_create(&t[0], NULL, try_timed, res);
	pthread_join(t[0], NULL);
	check(res[0] == EBUSY, "pthread_mutex_trylock: EBUSY");
	check(res[1] == ETIMEDOUT && res[2],
	      "pthread_mutex_timedlock: ETIMEDOUT, not before its time");
	check(pthread_mutex_unlock(&m) == 0, "unlock");
	pthread_mutex_destroy(&m);
}

static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int go, woke;

static void *
cond_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	while (!go)
		pthread_cond_wait(&cond, &m);
	woke++;
	pthread_mutex_unlock(&m);
	return NULL;
}

/* cond_checks: condition waits with a PI mutex, a broadcast ending them. */
static void
cond_checks(void)
{
	pthread_t t[3];

	mutex_init(PTHREAD_MUTEX_NORMAL, 0);
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, cond_waiter, NULL);
	nap(100);
	pthread_mutex_lock(&m);
	go = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&m);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	check(woke == 3,
	      "pthread_cond_wait on a PI mutex: a broadcast wakes 3");
	pthread_mutex_destroy(&m);
}

static void *
dier(void *arg)
{
	pthread_mutex_lock(&m);
	if (arg != NULL)
		nap(150); /* main waits meanwhile */
	return NULL;
}

static void
robust_checks(void)
{
	pthread_t t;

	mutex_init(PTHREAD_MUTEX_NORMAL, 1);
	pthread_create(&t, NULL, dier, NULL);
	pthread_join(t, NULL);
	check(pthread_mutex_lock(&m) == EOWNERDEAD,
	      "a robust PI mutex whose owner exited: EOWNERDEAD");
	check(pthread_mutex_consistent(&m) == 0 &&
		      pthread_mutex_unlock(&m) == 0 &&
		      pthread_mutex_lock(&m) == 0 &&
		      pthread_mutex_unlock(&m) == 0,
	      "made consistent, it locks again");
	pthread_create(&t, NULL, dier, "wait");
	nap(50);
	check(pthread_mutex_lock(&m) == EOWNERDEAD,
	      "a waiter on it when the owner exits: EOWNERDEAD");
	pthread_join(t, NULL);
	check(pthread_mutex_consistent(&m) == 0 &&
		      pthread_mutex_unlock(&m) == 0,
	      "consistent, unlocked");
	pthread_mutex_destroy(&m);
}

int
main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	raw_checks();
	mutex_checks();
	cond_checks();
	robust_checks();
	printf("%d failures\n", failures);
	return failures != 0;
}
