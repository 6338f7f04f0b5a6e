/*
 * The syscall layer's entry: one table by Linux x86_64 number. An
 * unknown number gives -ENOSYS and is logged once. __rumpxen_syscall is
 * what musl calls (libc/overlay): the caller takes the virtual CPU for
 * the call and gives it back after, then takes its pending signals.
 */
#include "sys.h"

#define SYS_MAX 512

static kern_sys_fn *const sys_table[SYS_MAX] = {
	[0] = sys_read,
	[1] = sys_write,
	[3] = sys_close,
	[5] = sys_fstat,
	[9] = sys_mmap,
	[10] = sys_mprotect,
	[11] = sys_munmap,
	[12] = sys_brk,
	[13] = sys_rt_sigaction,
	[14] = sys_rt_sigprocmask,
	[16] = sys_ioctl,
	[19] = sys_readv,
	[20] = sys_writev,
	[24] = sys_sched_yield,
	[25] = sys_mremap,
	[28] = sys_madvise,
	[32] = sys_dup,
	[33] = sys_dup2,
	[34] = sys_pause,
	[35] = sys_nanosleep,
	[39] = sys_getpid,
	[60] = sys_exit,
	[62] = sys_kill,
	[63] = sys_uname,
	[72] = sys_fcntl,
	[96] = sys_gettimeofday,
	[97] = sys_getrlimit,
	[99] = sys_sysinfo,
	[102] = sys_getuid, /* getuid */
	[104] = sys_getuid, /* getgid */
	[107] = sys_getuid, /* geteuid */
	[108] = sys_getuid, /* getegid */
	[110] = sys_getppid,
	[127] = sys_rt_sigpending,
	[130] = sys_rt_sigsuspend,
	[131] = sys_sigaltstack,
	[158] = sys_arch_prctl,
	[160] = sys_setrlimit,
	[186] = sys_gettid,
	[200] = sys_tkill,
	[201] = sys_time,
	[202] = sys_futex,
	[204] = sys_sched_getaffinity,
	[218] = sys_set_tid_address,
	[228] = sys_clock_gettime,
	[229] = sys_clock_getres,
	[230] = sys_clock_nanosleep,
	[231] = sys_exit_group,
	[234] = sys_tgkill,
	[273] = sys_set_robust_list,
	[274] = sys_get_robust_list,
	[292] = sys_dup3,
	[302] = sys_prlimit64,
	[309] = sys_getcpu,
	[318] = sys_getrandom,
};

static unsigned char sys_logged[SYS_MAX / 8];

long
kern_syscall(long n, const long a[6])
{
	if (n < 0 || n >= SYS_MAX || sys_table[n] == NULL) {
		unsigned long i = (unsigned long)n % SYS_MAX;
		if (n < 0 || n >= SYS_MAX ||
		    !(sys_logged[i / 8] & (1u << (i % 8)))) {
			if (n >= 0 && n < SYS_MAX)
				sys_logged[i / 8] |=
					(unsigned char)(1u << (i % 8));
			platform_console_printf("rumpxen: syscall %ld is not "
						"implemented (ENOSYS)\n",
						n);
		}
		return -KERN_ENOSYS;
	}
	return sys_table[n](a);
}

long __rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5,
		       long a6);

long
__rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	const long a[6] = {a1, a2, a3, a4, a5, a6};
	long r;

	kern_enter();
	struct kern_thread *t = kern_thread_self();
	r = kern_syscall(n, a);
	kern_leave();
	kern_signal_deliver(t);
	return r;
}
