/*
 * POSIX threads through musl on the kernel (tests/proc/threads.sh):
 * mutexes under contention, condition variables (signal, broadcast, a
 * timed wait that times out), reader/writer locks, barriers, 200 threads
 * at once joined, detached threads, thread-local storage, pthread_once,
 * pthread_cancel of a thread blocked in a condition wait and of one in
 * nanosleep (cleanup handlers run), semaphores (sem_timedwait too), a
 * robust mutex whose owner died, and pthread_kill with a handler run in
 * the target thread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define NTHREADS 200

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *
count_up(void *arg)
{
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(&counter_lock);
		long v = counter;
		if (i % 100 == 0)
			sched_yield(); /* others find the lock taken */
		counter = v + 1;
		pthread_mutex_unlock(&counter_lock);
	}
	return arg;
}

static __thread int tls_value = 7;

static void *
tls_check(void *arg)
{
	int ok = tls_value == 7;
	tls_value = (int)(intptr_t)arg;
	sched_yield();
	return (void *)(intptr_t)(ok && tls_value == (int)(intptr_t)arg);
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Condition variables: a queue of one item. */
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cond = PTHREAD_COND_INITIALIZER;
static int q_items, q_taken;

static void *
consumer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&q_lock);
	while (q_items == 0)
		pthread_cond_wait(&q_cond, &q_lock);
	q_items--;
	q_taken++;
	pthread_mutex_unlock(&q_lock);
	return NULL;
}

static void
test_condvars(void)
{
	pthread_t t[8];
	struct timespec ts;

	for (int i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, consumer, NULL);
	usleep(20000);
	pthread_mutex_lock(&q_lock);
	q_items = 1;
	pthread_cond_signal(&q_cond);
	pthread_mutex_unlock(&q_lock);
	usleep(20000);
	pthread_mutex_lock(&q_lock);
	int one = q_taken == 1;
	q_items = 7;
	pthread_cond_broadcast(&q_cond);
	pthread_mutex_unlock(&q_lock);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	check(one && q_taken == 8, "cond_signal woke one, broadcast the rest");

	pthread_mutex_lock(&q_lock);
	/*
	 * From before the deadline is read: a thread may be switched out
	 * between any two calls (here as on Linux), and time spent so after
	 * the deadline was set must not look like an early wake.
	 */
	double t0 = now();
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 100 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	int r = pthread_cond_timedwait(&q_cond, &q_lock, &ts);
	double waited = now() - t0;
	pthread_mutex_unlock(&q_lock);
	printf("timed wait: %s after %.3f s\n",
	       r == ETIMEDOUT ? "ETIMEDOUT" : "?", waited);
	check(r == ETIMEDOUT && waited >= 0.099,
	      "cond_timedwait times out, not early");
}

/* Reader/writer locks: readers together, a writer alone. */
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int readers_in, max_readers, writer_saw_readers;

static void *
reader(void *arg)
{
	(void)arg;
	pthread_rwlock_rdlock(&rw);
	__atomic_add_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
	if (readers_in > max_readers)
		max_readers = readers_in;
	usleep(10000);
	__atomic_sub_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
	pthread_rwlock_unlock(&rw);
	return NULL;
}

static void *
writer(void *arg)
{
	(void)arg;
	pthread_rwlock_wrlock(&rw);
	writer_saw_readers += readers_in;
	usleep(5000);
	writer_saw_readers += readers_in;
	pthread_rwlock_unlock(&rw);
	return NULL;
}

static void
test_rwlocks(void)
{
	pthread_t t[6];

	for (int i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, i == 3 ? writer : reader, NULL);
	for (int i = 0; i < 6; i++)
		pthread_join(t[i], NULL);
	check(max_readers > 1 && writer_saw_readers == 0,
	      "rwlock: readers shared it, the writer was alone");
}

static pthread_barrier_t barrier;
static int before_barrier, after_saw_all;

static void *
barrier_thread(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&before_barrier, 1, __ATOMIC_SEQ_CST);
	int r = pthread_barrier_wait(&barrier);
	if (before_barrier == 5)
		__atomic_add_fetch(&after_saw_all, 1, __ATOMIC_SEQ_CST);
	return (void *)(intptr_t)(r == PTHREAD_BARRIER_SERIAL_THREAD);
}

static void
test_barrier(void)
{
	pthread_t t[5];
	int serial = 0;

	pthread_barrier_init(&barrier, NULL, 5);
	for (int i = 0; i < 5; i++)
		pthread_create(&t[i], NULL, barrier_thread, NULL);
	for (int i = 0; i < 5; i++) {
		void *r;
		pthread_join(t[i], &r);
		serial += (int)(intptr_t)r;
	}
	check(after_saw_all == 5 && serial == 1,
	      "barrier: all five arrived before any left, one serial");
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;

static void
once_fn(void)
{
	once_runs++;
	usleep(10000); /* the others wait meanwhile */
}

static void *
once_thread(void *arg)
{
	pthread_once(&once, once_fn);
	return (void *)(intptr_t)(once_runs == 1 && arg == NULL);
}

static int cleanups;
static pthread_mutex_t cancel_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cancel_cond = PTHREAD_COND_INITIALIZER;
static volatile int cancel_waiting;

static void
cleanup(void *arg)
{
	cleanups++;
	if (arg != NULL)
		pthread_mutex_unlock(arg);
}

static void *
wait_forever(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cancel_lock);
	pthread_cleanup_push(cleanup, &cancel_lock);
	cancel_waiting = 1;
	for (;;)
		pthread_cond_wait(&cancel_cond, &cancel_lock);
	pthread_cleanup_pop(1);
	return NULL;
}

static void *
sleep_forever(void *arg)
{
	(void)arg;
	pthread_cleanup_push(cleanup, NULL);
	cancel_waiting = 2;
	sleep(1000);
	pthread_cleanup_pop(0);
	return NULL;
}

static void
test_cancel(void)
{
	pthread_t t;
	void *r;

	pthread_create(&t, NULL, wait_forever, NULL);
	while (cancel_waiting != 1)
		usleep(1000);
	usleep(10000); /* it is in the wait now */
	pthread_cancel(t);
	pthread_join(t, &r);
	check(r == PTHREAD_CANCELED && cleanups == 1,
	      "cancel in a condition wait: cleanup ran");
	check(pthread_mutex_trylock(&cancel_lock) == 0,
	      "the cleanup handler gave the mutex back");
	pthread_mutex_unlock(&cancel_lock);

	double t0 = now();
	pthread_create(&t, NULL, sleep_forever, NULL);
	while (cancel_waiting != 2)
		usleep(1000);
	usleep(10000);
	pthread_cancel(t);
	pthread_join(t, &r);
	check(r == PTHREAD_CANCELED && cleanups == 2 && now() - t0 < 100,
	      "cancel in nanosleep: cleanup ran, no sleep to the end");
}

static sem_t sem;
static void *
sem_poster(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++)
		sem_post(&sem);
	return NULL;
}

static void
test_semaphores(void)
{
	pthread_t t;
	struct timespec ts;
	int got = 0;

	sem_init(&sem, 0, 0);
	pthread_create(&t, NULL, sem_poster, NULL);
	for (int i = 0; i < 100; i++)
		got += sem_wait(&sem) == 0;
	pthread_join(t, NULL);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	int r = sem_timedwait(&sem, &ts);
	check(got == 100 && r == -1 && errno == ETIMEDOUT,
	      "semaphores: 100 posts taken, then a timed wait times out");
	check(sem_trywait(&sem) == -1 && errno == EAGAIN,
	      "sem_trywait on zero: EAGAIN");
}

static pthread_mutex_t robust;
static void *
die_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	return NULL; /* ends without unlocking */
}

static void
test_robust(void)
{
	pthread_mutexattr_t a;
	pthread_t t;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &a);
	pthread_create(&t, NULL, die_holding, NULL);
	pthread_join(t, NULL);
	int r = pthread_mutex_lock(&robust);
	check(r == EOWNERDEAD, "a robust mutex whose owner died: EOWNERDEAD");
	pthread_mutex_consistent(&robust);
	pthread_mutex_unlock(&robust);
}

static volatile pthread_t usr1_in;
static void
on_usr1(int sig)
{
	(void)sig;
	usr1_in = pthread_self();
}

static void *
wait_for_usr1(void *arg)
{
	(void)arg;
	while (usr1_in == 0)
		usleep(1000); /* a syscall: signals come at its return */
	return (void *)(intptr_t)pthread_equal(usr1_in, pthread_self());
}

static void
test_pthread_kill(void)
{
	pthread_t t;
	void *r;

	signal(SIGUSR1, on_usr1);
	pthread_create(&t, NULL, wait_for_usr1, NULL);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, &r);
	check(r == (void *)1, "pthread_kill: the handler ran in the target");
}

static void *
detached(void *arg)
{
	__atomic_add_fetch((int *)arg, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

int
main(void)
{
	static pthread_t t[NTHREADS];
	int created = 0, joined = 0;

	for (int i = 0; i < NTHREADS; i++)
		created += pthread_create(&t[i], NULL, count_up,
					  (void *)(intptr_t)i) == 0;
	for (int i = 0; i < NTHREADS; i++) {
		void *r;
		joined +=
			pthread_join(t[i], &r) == 0 && r == (void *)(intptr_t)i;
	}
	printf("threads: %d created, %d joined, counter %ld\n", created, joined,
	       counter);
	check(created == NTHREADS && joined == NTHREADS &&
		      counter == NTHREADS * 1000L,
	      "200 threads counted under one mutex, each joined");

	int ok = 0;
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, tls_check,
			       (void *)(intptr_t)(i + 100));
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		ok += r == (void *)1;
	}
	check(ok == 4 && tls_value == 7, "thread-local storage per thread");

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, once_thread, NULL);
	ok = 0;
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		ok += r == (void *)1;
	}
	check(ok == 4 && once_runs == 1, "pthread_once ran once for four");

	static int detached_ran;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 50; i++)
			pthread_create(&t[i], &attr, detached, &detached_ran);
	for (int i = 0; i < 1000 && detached_ran < 150; i++)
		usleep(1000);
	check(detached_ran == 150, "150 detached threads ran and ended");

	test_condvars();
	test_rwlocks();
	test_barrier();
	test_cancel();
	test_semaphores();
	test_robust();
	test_pthread_kill();
	printf("%d failures\n", failures);
	return failures != 0;
}
