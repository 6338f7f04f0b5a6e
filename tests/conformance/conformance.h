/*
 * The rumpuser conformance suite (rumpuser.md §9): one body of tests,
 * run against each implementation of include/rumpxen/rumpuser.h. The
 * suite (suite*.c) and its model kernel (model.c) use nothing but the
 * hypercalls and the few harness functions below, which each platform's
 * test program supplies (harness_xen.c; the POSIX one comes with
 * platform/posix).
 */
#ifndef RUMPXEN_CONFORMANCE_H
#define RUMPXEN_CONFORMANCE_H

#include <stddef.h>
#include <stdint.h>

#include <rumpxen/rumpuser.h>

/* The model kernel's lwp: what it knows of each thread in the kernel. */
struct lwp {
	int holds_cpu;	 /* has the model's one CPU */
	int giant;	 /* the lock count backend_unschedule reports */
	void *interlock; /* what the last backend_unschedule was given */
	int unscheduled; /* backend_unschedule came, backend_schedule not */
	int temporary;	 /* made by hyp_schedule, freed by hyp_unschedule */
	uint64_t schedule_order; /* when it last took the CPU back */
};

struct model_counters {
	uint64_t unschedule, schedule;		 /* hyp_backend_* */
	uint64_t full_schedule, full_unschedule; /* hyp_schedule etc. */
	uint64_t order;
};

/* model.c */
extern struct model_counters model_counts;
extern int model_violations;
/* model_init: rumpuser_init with the model's upcalls; 0 or an errno. */
int model_init(void);
/* model_enter, model_leave: bind l to this thread and take the CPU, and back.
 */
void model_enter(struct lwp *l);
void model_leave(struct lwp *l);
/* model_upcalls: every upcall made so far. */
uint64_t model_upcalls(void);
/* model_now_ns: rumpuser's monotonic clock in nanoseconds. */
uint64_t model_now_ns(void);

/* suite.c, suite_*.c */
/* check: records and prints one numbered check of the suite. */
void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* suite_run: runs every check; returns the number that failed. */
int suite_run(void);
void suite_sync(void);
void suite_misc(void);
void suite_bio(void);
/* suite_measure: prints what mutexes and cvs cost; judges nothing. */
void suite_measure(void);
/*
 * suite_thread: a thread of the model kernel: runs fn(arg) holding the CPU
 * with an lwp of its own; suite_join waits for it (unscheduling).
 */
void *suite_thread(void (*fn)(void *), void *arg, const char *name);
void suite_join(void *cookie);

/* Supplied by each platform's harness. */
void harness_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* harness_errno: the calling thread's errno, as rumpuser_seterrno set it. */
int harness_errno(void);
/* harness_blockdev: a block device name and its size, or NULL if none. */
const char *harness_blockdev(uint64_t *size);
/* harness_blockdev_ro: a read-only block device's name, or NULL if none. */
const char *harness_blockdev_ro(void);

#endif /* RUMPXEN_CONFORMANCE_H */
