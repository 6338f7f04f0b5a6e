/*
 * frontring: what Xen's shared-ring macros (xen/io/ring.h) want from the
 * code that includes them: the interface version and the barriers, for
 * ring code built both into images and for host tests (blkring.h,
 * netring.h).
 */
#ifndef RUMPXEN_FRONTRING_H
#define RUMPXEN_FRONTRING_H

#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040d00 /* as core/core.h */
#endif
#ifndef xen_mb
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif

#endif /* RUMPXEN_FRONTRING_H */
