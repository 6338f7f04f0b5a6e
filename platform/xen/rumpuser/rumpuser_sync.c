/*
 * Mutexes, reader/writer locks and condition variables of the rump kernel
 * hypercalls, on the cooperative scheduler.
 *
 * With one vCPU and no preemption, a lock's state can only change when
 * its holder blocks or yields, so each is a few fields and a wait queue,
 * and "atomically release the mutex and sleep" is simply releasing it and
 * then waiting, with no switch in between. A contended wrapped wait gives
 * the kernel's CPU back first (rumpuser_unschedule) and takes it again
 * after; the _nowrap and SPIN paths wait in place without touching it, as
 * rumpuser.h demands. Every wait rechecks its condition, since a wakeup
 * only makes a thread runnable. Owners are recorded both as the lwp (for
 * mutex_owner, rw_held) and as the host thread (to catch a thread locking
 * against itself).
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>
#include <rumpxen/rumpuser.h>

#include "../../shared/rumpuser_shared.h"
#include "../core/core.h"

struct rumpuser_mtx {
	int flags;
	struct thread *owner;  /* the host thread holding it, or NULL */
	struct lwp *owner_lwp; /* its curlwp when it took the mutex */
	struct waitq waiters;
};

struct rumpuser_rw {
	int readers;	       /* threads holding it shared */
	struct thread *writer; /* the thread holding it exclusively */
	struct lwp *writer_lwp;
	int writers_waiting;
	struct waitq read_waiters, write_waiters;
};

struct rumpuser_cv {
	int waiters; /* in a wait, including woken ones not yet returned */
	struct waitq queue;
};

/* rumpuser_sync_alloc: zeroed memory for a lock; none left is fatal. */
static void *
rumpuser_sync_alloc(size_t size)
{
	void *p;

	if (heap_alloc(size, 16, &p) != 0)
		platform_panic("rumpuser: no memory for a lock");
	memset(p, 0, size);
	return p;
}

void
rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags)
{
	struct rumpuser_mtx *mtx = rumpuser_sync_alloc(sizeof(*mtx));

	mtx->flags = flags;
	*mtxp = mtx;
}

int
rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx)
{
	if (mtx->owner != NULL) {
		if (mtx->owner == sched_current())
			platform_panic("rumpuser: mutex %p locked against "
				       "itself",
				       (void *)mtx);
		return 16; /* EBUSY */
	}
	mtx->owner = sched_current();
	mtx->owner_lwp = rumpuser_curlwp();
	return 0;
}

void
rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *mtx)
{
	while (rumpuser_mutex_tryenter(mtx) != 0)
		waitq_wait(&mtx->waiters, 0);
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
	if (mtx->owner != sched_current())
		platform_panic("rumpuser: mutex %p released by a thread that "
			       "does not hold it",
			       (void *)mtx);
	mtx->owner = NULL;
	mtx->owner_lwp = NULL;
	waitq_wake_one(&mtx->waiters);
}

void
rumpuser_mutex_destroy(struct rumpuser_mtx *mtx)
{
	if (mtx->owner != NULL || mtx->waiters.head != NULL)
		platform_panic("rumpuser: destroying a mutex in use");
	heap_free(mtx);
}

void
rumpuser_mutex_owner(struct rumpuser_mtx *mtx, struct lwp **lp)
{
	*lp = mtx->owner_lwp;
}

void
rumpuser_rw_init(struct rumpuser_rw **rwp)
{
	*rwp = rumpuser_sync_alloc(sizeof(**rwp));
}

int
rumpuser_rw_tryenter(int enum_rumprwlock, struct rumpuser_rw *rw)
{
	switch (enum_rumprwlock) {
	case RUMPUSER_RW_READER:
		/* Writers first: no new reader while one waits. */
		if (rw->writer != NULL || rw->writers_waiting > 0)
			return 16; /* EBUSY */
		rw->readers++;
		return 0;
	case RUMPUSER_RW_WRITER:
		if (rw->writer != NULL || rw->readers > 0)
			return 16;
		rw->writer = sched_current();
		rw->writer_lwp = rumpuser_curlwp();
		return 0;
	default:
		return 22; /* EINVAL */
	}
}

void
rumpuser_rw_enter(int enum_rumprwlock, struct rumpuser_rw *rw)
{
	int writer = enum_rumprwlock == RUMPUSER_RW_WRITER;
	int nlocks;

	if (rumpuser_rw_tryenter(enum_rumprwlock, rw) == 0)
		return;
	nlocks = rumpuser_unschedule(NULL);
	/* A waiting writer keeps new readers out (tryenter checks). */
	if (writer)
		rw->writers_waiting++;
	while (rumpuser_rw_tryenter(enum_rumprwlock, rw) != 0)
		waitq_wait(writer ? &rw->write_waiters : &rw->read_waiters, 0);
	if (writer)
		rw->writers_waiting--;
	rumpuser_schedule(nlocks, NULL);
}

int
rumpuser_rw_tryupgrade(struct rumpuser_rw *rw)
{
	if (rw->writer != NULL || rw->readers != 1)
		return 16; /* EBUSY: other readers hold it too */
	rw->readers = 0;
	rw->writer = sched_current();
	rw->writer_lwp = rumpuser_curlwp();
	return 0;
}

void
rumpuser_rw_downgrade(struct rumpuser_rw *rw)
{
	rw->writer = NULL;
	rw->writer_lwp = NULL;
	rw->readers = 1;
	/* Other readers may join now; waiting writers still wait for us. */
	if (rw->writers_waiting == 0)
		waitq_wake_all(&rw->read_waiters);
}

void
rumpuser_rw_exit(struct rumpuser_rw *rw)
{
	if (rw->writer != NULL) {
		rw->writer = NULL;
		rw->writer_lwp = NULL;
	} else if (rw->readers > 0) {
		if (--rw->readers > 0)
			return;
	} else {
		platform_panic("rumpuser: rw_exit of a free lock %p",
			       (void *)rw);
	}
	/* One writer if any waits, else every reader. */
	if (!waitq_wake_one(&rw->write_waiters))
		waitq_wake_all(&rw->read_waiters);
}

void
rumpuser_rw_destroy(struct rumpuser_rw *rw)
{
	if (rw->writer != NULL || rw->readers != 0)
		platform_panic("rumpuser: destroying a held rw lock");
	heap_free(rw);
}

void
rumpuser_rw_held(int enum_rumprwlock, struct rumpuser_rw *rw, int *heldp)
{
	if (enum_rumprwlock == RUMPUSER_RW_WRITER)
		*heldp = rw->writer != NULL &&
			 rw->writer_lwp == rumpuser_curlwp();
	else
		*heldp = rw->readers > 0;
}

void
rumpuser_cv_init(struct rumpuser_cv **cvp)
{
	*cvp = rumpuser_sync_alloc(sizeof(**cvp));
}

void
rumpuser_cv_destroy(struct rumpuser_cv *cv)
{
	if (cv->waiters != 0)
		platform_panic("rumpuser: destroying a cv with waiters");
	heap_free(cv);
}

/*
 * rumpuser_cv_block: the wrapped wait, in the order rumpuser.h gives at
 * rumpuser_cv_wait, with a monotonic deadline (0: none). Returns 0 or
 * ETIMEDOUT (ours).
 */
static int
rumpuser_cv_block(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
		  uint64_t deadline)
{
	int nlocks, err;

	cv->waiters++;
	nlocks = rumpuser_unschedule(mtx);
	rumpuser_mutex_exit(mtx);
	err = waitq_wait(&cv->queue, deadline);
	if ((mtx->flags & RUMPUSER_MTX_SPIN) &&
	    (mtx->flags & RUMPUSER_MTX_KMUTEX)) {
		rumpuser_schedule(nlocks, mtx);
		rumpuser_mutex_enter_nowrap(mtx);
	} else {
		rumpuser_mutex_enter_nowrap(mtx);
		rumpuser_schedule(nlocks, mtx);
	}
	cv->waiters--;
	return err;
}

void
rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{
	rumpuser_cv_block(cv, mtx, 0);
}

void
rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{
	cv->waiters++;
	rumpuser_mutex_exit(mtx);
	waitq_wait(&cv->queue, 0);
	rumpuser_mutex_enter_nowrap(mtx);
	cv->waiters--;
}

int
rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
		      int64_t sec, int64_t nsec)
{
	uint64_t now = time_monotonic_ns();
	uint64_t rel = sec < 0 ? 0
			       : (uint64_t)sec * 1000000000ull +
					 (uint64_t)(nsec < 0 ? 0 : nsec);

	/* A deadline of 0 would mean "none": the earliest real one is 1. */
	return rumpuser_cv_block(cv, mtx, now + (rel > 0 ? rel : 1)) ==
			       ETIMEDOUT
		       ? 60 /* NetBSD ETIMEDOUT */
		       : 0;
}

void
rumpuser_cv_signal(struct rumpuser_cv *cv)
{
	waitq_wake_one(&cv->queue);
}

void
rumpuser_cv_broadcast(struct rumpuser_cv *cv)
{
	waitq_wake_all(&cv->queue);
}

void
rumpuser_cv_has_waiters(struct rumpuser_cv *cv, int *waitersp)
{
	*waitersp = cv->waiters > 0;
}
