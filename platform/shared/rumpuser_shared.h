/*
 * What the rumpuser implementations of every platform share: the errno
 * translation (rumpuser_errtrans.c) and the stubs the specification allows
 * (rumpuser_stubs.c, which needs no declarations here).
 */
#ifndef RUMPXEN_RUMPUSER_SHARED_H
#define RUMPXEN_RUMPUSER_SHARED_H

/* rumpuser_errtrans: a Linux errno value as NetBSD's (unknown: EINVAL). */
int rumpuser_errtrans(int error);

#endif /* RUMPXEN_RUMPUSER_SHARED_H */
