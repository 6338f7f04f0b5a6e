/*
 * Mutexes, reader/writer locks and condition variables for the rump kernel
 * on a Linux process, on pthreads, following the wrapped-wait sequences
 * that rumpuser.h describes: a contended wait gives the kernel's CPU back
 * first and takes it again after; the _nowrap and SPIN paths never touch
 * it. The owner fields that other threads may read (mutex_owner,
 * rw_held) are accessed atomically, so ThreadSanitizer sees no race.
 * Reader/writer locks are our own, on a mutex and two condition
 * variables: pthread's cannot upgrade or downgrade.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "posix.h"

struct rumpuser_mtx {
	pthread_mutex_t pm;
	int flags;
	struct lwp *owner; /* atomic: the holder's lwp, or NULL */
};

struct rumpuser_rw {
	pthread_mutex_t mu;
	pthread_cond_t readers_cv, writers_cv;
	int readers;
	int writer;
	int writers_waiting;
	struct lwp *writer_lwp; /* atomic */
};

struct rumpuser_cv {
	pthread_cond_t c;
	int waiters; /* atomic */
};

static void *
posix_sync_alloc(size_t size)
{
	void *p = calloc(1, size);

	if (p == NULL) {
		fprintf(stderr, "rumpuser: no memory for a lock\n");
		abort();
	}
	return p;
}

static void
posix_mutex_owned(struct rumpuser_mtx *mtx)
{
	__atomic_store_n(&mtx->owner, rumpuser_curlwp(), __ATOMIC_RELAXED);
}

void
rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags)
{
	struct rumpuser_mtx *mtx = posix_sync_alloc(sizeof(*mtx));
	pthread_mutexattr_t attr;

	/* An error-checking mutex catches a thread locking against itself. */
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&mtx->pm, &attr);
	pthread_mutexattr_destroy(&attr);
	mtx->flags = flags;
	*mtxp = mtx;
}

int
rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx)
{
	if (pthread_mutex_trylock(&mtx->pm) != 0)
		return 16; /* EBUSY */
	posix_mutex_owned(mtx);
	return 0;
}

void
rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *mtx)
{
	if (pthread_mutex_lock(&mtx->pm) != 0) {
		fprintf(stderr, "rumpuser: mutex %p locked against itself\n",
			(void *)mtx);
		abort();
	}
	posix_mutex_owned(mtx);
}

void
rumpuser_mutex_enter(struct rumpuser_mtx *mtx)
{
	int nlocks;

	if (rumpuser_mutex_tryenter(mtx) == 0)
		return;
	if (mtx->flags & RUMPUSER_MTX_SPIN) {
		rumpuser_mutex_enter_nowrap(mtx);
		return;
	}
	nlocks = rumpuser_unschedule(NULL);
	rumpuser_mutex_enter_nowrap(mtx);
	rumpuser_schedule(nlocks, NULL);
}

void
rumpuser_mutex_exit(struct rumpuser_mtx *mtx)
{
	__atomic_store_n(&mtx->owner, NULL, __ATOMIC_RELAXED);
	if (pthread_mutex_unlock(&mtx->pm) != 0) {
		fprintf(stderr,
			"rumpuser: mutex %p released by a thread that "
			"does not hold it\n",
			(void *)mtx);
		abort();
	}
}

void
rumpuser_mutex_destroy(struct rumpuser_mtx *mtx)
{
	if (pthread_mutex_destroy(&mtx->pm) != 0) {
		fprintf(stderr, "rumpuser: destroying a mutex in use\n");
		abort();
	}
	free(mtx);
}

void
rumpuser_mutex_owner(struct rumpuser_mtx *mtx, struct lwp **lp)
{
	*lp = __atomic_load_n(&mtx->owner, __ATOMIC_RELAXED);
}

void
rumpuser_rw_init(struct rumpuser_rw **rwp)
{
	struct rumpuser_rw *rw = posix_sync_alloc(sizeof(*rw));

	pthread_mutex_init(&rw->mu, NULL);
	pthread_cond_init(&rw->readers_cv, NULL);
	pthread_cond_init(&rw->writers_cv, NULL);
	*rwp = rw;
}

/* posix_rw_try: one attempt with rw->mu held; 1 when it got the lock. */
static int
posix_rw_try(struct rumpuser_rw *rw, int writer)
{
	if (writer) {
		if (rw->writer || rw->readers > 0)
			return 0;
		rw->writer = 1;
		__atomic_store_n(&rw->writer_lwp, rumpuser_curlwp(),
				 __ATOMIC_RELAXED);
		return 1;
	}
	/* Writers first: no new reader while one waits. */
	if (rw->writer || rw->writers_waiting > 0)
		return 0;
	rw->readers++;
	return 1;
}

int
rumpuser_rw_tryenter(int enum_rumprwlock, struct rumpuser_rw *rw)
{
	int got;

	if (enum_rumprwlock != RUMPUSER_RW_READER &&
	    enum_rumprwlock != RUMPUSER_RW_WRITER)
		return 22; /* EINVAL */
	pthread_mutex_lock(&rw->mu);
	got = posix_rw_try(rw, enum_rumprwlock == RUMPUSER_RW_WRITER);
	pthread_mutex_unlock(&rw->mu);
	return got ? 0 : 16;
}

void
rumpuser_rw_enter(int enum_rumprwlock, struct rumpuser_rw *rw)
{
	int writer = enum_rumprwlock == RUMPUSER_RW_WRITER;
	int nlocks;

	if (rumpuser_rw_tryenter(enum_rumprwlock, rw) == 0)
		return;
	nlocks = rumpuser_unschedule(NULL);
	pthread_mutex_lock(&rw->mu);
	if (writer)
		rw->writers_waiting++;
	while (!posix_rw_try(rw, writer))
		pthread_cond_wait(writer ? &rw->writers_cv : &rw->readers_cv,
				  &rw->mu);
	if (writer)
		rw->writers_waiting--;
	pthread_mutex_unlock(&rw->mu);
	rumpuser_schedule(nlocks, NULL);
}

int
rumpuser_rw_tryupgrade(struct rumpuser_rw *rw)
{
	int got = 0;

	pthread_mutex_lock(&rw->mu);
	if (!rw->writer && rw->readers == 1) {
		rw->readers = 0;
		rw->writer = 1;
		__atomic_store_n(&rw->writer_lwp, rumpuser_curlwp(),
				 __ATOMIC_RELAXED);
		got = 1;
	}
	pthread_mutex_unlock(&rw->mu);
	return got ? 0 : 16;
}

void
rumpuser_rw_downgrade(struct rumpuser_rw *rw)
{
	pthread_mutex_lock(&rw->mu);
	rw->writer = 0;
	__atomic_store_n(&rw->writer_lwp, NULL, __ATOMIC_RELAXED);
	rw->readers = 1;
	/* Readers may join; a waiting writer still waits for us. */
	if (rw->writers_waiting == 0)
		pthread_cond_broadcast(&rw->readers_cv);
	pthread_mutex_unlock(&rw->mu);
}

void
rumpuser_rw_exit(struct rumpuser_rw *rw)
{
	pthread_mutex_lock(&rw->mu);
	if (rw->writer) {
		rw->writer = 0;
		__atomic_store_n(&rw->writer_lwp, NULL, __ATOMIC_RELAXED);
	} else if (rw->readers > 0) {
		rw->readers--;
	} else {
		fprintf(stderr, "rumpuser: rw_exit of a free lock\n");
		abort();
	}
	if (!rw->writer && rw->readers == 0) {
		/* One writer if any waits, else every reader. */
		if (rw->writers_waiting > 0)
			pthread_cond_signal(&rw->writers_cv);
		else
			pthread_cond_broadcast(&rw->readers_cv);
	}
	pthread_mutex_unlock(&rw->mu);
}

void
rumpuser_rw_destroy(struct rumpuser_rw *rw)
{
	pthread_cond_destroy(&rw->readers_cv);
	pthread_cond_destroy(&rw->writers_cv);
	pthread_mutex_destroy(&rw->mu);
	free(rw);
}

void
rumpuser_rw_held(int enum_rumprwlock, struct rumpuser_rw *rw, int *heldp)
{
	if (enum_rumprwlock == RUMPUSER_RW_WRITER) {
		*heldp = __atomic_load_n(&rw->writer_lwp, __ATOMIC_RELAXED) ==
				 rumpuser_curlwp() &&
			 rumpuser_curlwp() != NULL;
		return;
	}
	pthread_mutex_lock(&rw->mu);
	*heldp = rw->readers > 0;
	pthread_mutex_unlock(&rw->mu);
}

void
rumpuser_cv_init(struct rumpuser_cv **cvp)
{
	struct rumpuser_cv *cv = posix_sync_alloc(sizeof(*cv));
	pthread_condattr_t attr;

	/* Timed waits use the monotonic clock, as the kernel's time does. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&cv->c, &attr);
	pthread_condattr_destroy(&attr);
	*cvp = cv;
}

void
rumpuser_cv_destroy(struct rumpuser_cv *cv)
{
	if (__atomic_load_n(&cv->waiters, __ATOMIC_RELAXED) != 0) {
		fprintf(stderr, "rumpuser: destroying a cv with waiters\n");
		abort();
	}
	pthread_cond_destroy(&cv->c);
	free(cv);
}

/*
 * posix_cv_block: the wrapped wait, in the order rumpuser.h gives at
 * rumpuser_cv_wait; with deadline NULL it waits for a signal alone.
 * Returns 0 or ETIMEDOUT.
 */
static int
posix_cv_block(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
	       const struct timespec *deadline)
{
	int nlocks, rv;

	__atomic_add_fetch(&cv->waiters, 1, __ATOMIC_RELAXED);
	nlocks = rumpuser_unschedule(mtx);
	__atomic_store_n(&mtx->owner, NULL, __ATOMIC_RELAXED);
	if (deadline != NULL)
		rv = pthread_cond_timedwait(&cv->c, &mtx->pm, deadline);
	else
		rv = pthread_cond_wait(&cv->c, &mtx->pm);
	/* pthread gave the mutex back; the order of CPU and mutex differs. */
	if ((mtx->flags & RUMPUSER_MTX_SPIN) &&
	    (mtx->flags & RUMPUSER_MTX_KMUTEX)) {
		pthread_mutex_unlock(&mtx->pm);
		rumpuser_schedule(nlocks, mtx);
		rumpuser_mutex_enter_nowrap(mtx);
	} else {
		posix_mutex_owned(mtx);
		rumpuser_schedule(nlocks, mtx);
	}
	__atomic_sub_fetch(&cv->waiters, 1, __ATOMIC_RELAXED);
	return rv == ETIMEDOUT ? ETIMEDOUT : 0;
}

void
rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{
	posix_cv_block(cv, mtx, NULL);
}

void
rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{
	__atomic_add_fetch(&cv->waiters, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&mtx->owner, NULL, __ATOMIC_RELAXED);
	pthread_cond_wait(&cv->c, &mtx->pm);
	posix_mutex_owned(mtx);
	__atomic_sub_fetch(&cv->waiters, 1, __ATOMIC_RELAXED);
}

int
rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
		      int64_t sec, int64_t nsec)
{
	struct timespec deadline;

	/* The deadline is read before the CPU is given back, as NetBSD does. */
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += sec > 0 ? sec : 0;
	deadline.tv_nsec += nsec > 0 ? nsec % 1000000000 : 0;
	deadline.tv_sec += nsec > 0 ? nsec / 1000000000 : 0;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	return posix_cv_block(cv, mtx, &deadline) == ETIMEDOUT ? 60 : 0;
}

void
rumpuser_cv_signal(struct rumpuser_cv *cv)
{
	pthread_cond_signal(&cv->c);
}

void
rumpuser_cv_broadcast(struct rumpuser_cv *cv)
{
	pthread_cond_broadcast(&cv->c);
}

void
rumpuser_cv_has_waiters(struct rumpuser_cv *cv, int *waitersp)
{
	*waitersp = __atomic_load_n(&cv->waiters, __ATOMIC_RELAXED) > 0;
}
