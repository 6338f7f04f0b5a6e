/*
 * What the rumpuser implementations of every platform share: the upcalls
 * and the CPU release around blocking (rumpuser_hyp.c), the errno
 * translation (rumpuser_errtrans.c) and the stubs the specification allows
 * (rumpuser_stubs.c, which needs no declarations here).
 */
#ifndef RUMPXEN_RUMPUSER_SHARED_H
#define RUMPXEN_RUMPUSER_SHARED_H

#include <stddef.h>

#include <rumpxen/rumpuser.h>

/* rumpuser_hyp.c */

/* The kernel's upcalls, copied by rumpuser_init. */
extern struct rumpuser_hyperup rumpuser_hyp;
/*
 * rumpuser_unschedule, rumpuser_schedule: give the kernel's CPU back
 * before blocking and take it again after (hyp_backend_*), passing
 * interlock; the first returns the lock count the second must restore.
 */
int rumpuser_unschedule(void *interlock);
void rumpuser_schedule(int nlocks, void *interlock);
/* rumpuser_param_put: value into buf; EINVAL (NetBSD's) if it is too long. */
int rumpuser_param_put(void *buf, size_t buflen, const char *value);

/* rumpuser_errtrans.c */

/* rumpuser_errtrans: a Linux errno value as NetBSD's (unknown: EINVAL). */
int rumpuser_errtrans(int error);

#endif /* RUMPXEN_RUMPUSER_SHARED_H */
