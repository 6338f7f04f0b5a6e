/*
 * sys.h: the syscall layer's own declarations: each system call's
 * function, by the file that holds it. A call gets the six argument
 * registers and returns a value or -errno, as Linux does.
 */
#ifndef RUMPXEN_KERN_SYS_H
#define RUMPXEN_KERN_SYS_H

#include "../kern.h"

/* Linux's errno values that the layer returns. */
#define KERN_EPERM  1
#define KERN_ESRCH  3
#define KERN_EBADF  9
#define KERN_EAGAIN 11
#define KERN_EFAULT 14
#define KERN_EINVAL 22
#define KERN_ENOTTY 25
#define KERN_ENOSYS 38

/* Linux's struct timespec. */
struct kern_timespec {
	long sec, nsec;
};

typedef long kern_sys_fn(const long a[6]);

/* console.c: fds 0, 1 and 2. */
kern_sys_fn sys_read, sys_write, sys_readv, sys_writev, sys_ioctl, sys_fstat;
/* proc.c: the process. */
kern_sys_fn sys_getpid, sys_getppid, sys_getuid, sys_uname, sys_arch_prctl,
	sys_sched_yield;
/* thread.c: its threads. */
kern_sys_fn sys_exit, sys_exit_group, sys_set_tid_address, sys_set_robust_list,
	sys_get_robust_list, sys_gettid;
/* futex.c */
kern_sys_fn sys_futex;
/* mem.c: anonymous memory. */
kern_sys_fn sys_mmap, sys_munmap, sys_mremap, sys_mprotect, sys_madvise,
	sys_brk;
/* signal.c: actions, the mask, kill. */
kern_sys_fn sys_rt_sigaction, sys_rt_sigprocmask, sys_rt_sigpending,
	sys_sigaltstack, sys_kill, sys_tkill, sys_tgkill;
/* limits.c: rlimits, sysinfo, affinity. */
kern_sys_fn sys_getrlimit, sys_setrlimit, sys_prlimit64, sys_sysinfo,
	sys_sched_getaffinity;
/* time.c: clocks, sleeps, random bytes. */
kern_sys_fn sys_clock_gettime, sys_clock_getres, sys_gettimeofday, sys_time,
	sys_nanosleep, sys_clock_nanosleep, sys_getrandom;

#endif /* RUMPXEN_KERN_SYS_H */
