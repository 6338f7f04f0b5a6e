/*
 * What tests/rump/netbsd_rump.c needs from the platform it runs on, which
 * is not the rump kernel's business: output, time, threads of the host
 * (each making rump system calls) and the host name of the FFS disk.
 * harness_xen.c and harness_posix.c supply it.
 */
#ifndef RUMPXEN_RUMP_HARNESS_H
#define RUMPXEN_RUMP_HARNESS_H

#include <stdint.h>

void rt_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t rt_now_ns(void);
/* rt_thread_start: a host thread running fn(arg); rt_thread_join waits. */
void *rt_thread_start(void (*fn)(void *), void *arg);
void rt_thread_join(void *thread);
/* rt_errno: the calling thread's errno, as the kernel set it. */
int rt_errno(void);
/* rt_blockdev: the host's name of the FFS image, or NULL if none. */
const char *rt_blockdev(void);

/* netbsd_rump.c: runs the test; returns the number of failed checks. */
int rump_test_run(void);
/*
 * rump_test_check: boots the kernel and only checks the disk another run
 * of rump_test_run left: the tree and the new file, as written.
 */
int rump_test_check(void);

#endif /* RUMPXEN_RUMP_HARNESS_H */
