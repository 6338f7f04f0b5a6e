/*
 * The syscall layer's entry: one table by Linux x86_64 number. An
 * unknown number gives -ENOSYS and is logged once. __rumpxen_syscall is
 * what musl calls (libc/overlay): the caller takes the virtual CPU for
 * the call and gives it back after, then takes its pending signals;
 * the clock reads need neither (sys_needs_cpu). A call that returns
 * -KERN_ERESTARTNOINTR is made again once its signals are taken. A
 * thread that makes system calls without waiting yields every slice
 * (SYS_SLICE_NS, looked at every SYS_SLICE_CALLS calls), so that a busy
 * loop does not starve the kernel's timer and network threads on the
 * cooperative vCPU.
 */
#include "sys.h"

#define SYS_MAX		512
#define SYS_SLICE_CALLS 256
#define SYS_SLICE_NS	10000000 /* 10 ms, a Linux time slice's order */

static kern_sys_fn *const sys_table[SYS_MAX] = {
	[0] = sys_read,
	[1] = sys_write,
	[2] = sys_open,
	[3] = sys_close,
	[4] = sys_stat,
	[5] = sys_fstat,
	[6] = sys_lstat,
	[7] = sys_poll,
	[8] = sys_lseek,
	[9] = sys_mmap,
	[10] = sys_mprotect,
	[11] = sys_munmap,
	[12] = sys_brk,
	[13] = sys_rt_sigaction,
	[14] = sys_rt_sigprocmask,
	[16] = sys_ioctl,
	[17] = sys_pread64,
	[18] = sys_pwrite64,
	[19] = sys_readv,
	[20] = sys_writev,
	[21] = sys_access,
	[22] = sys_pipe,
	[23] = sys_select,
	[24] = sys_sched_yield,
	[25] = sys_mremap,
	[26] = sys_msync,
	[28] = sys_madvise,
	[29] = sys_shmget,
	[30] = sys_shmat,
	[31] = sys_shmctl,
	[32] = sys_dup,
	[33] = sys_dup2,
	[34] = sys_pause,
	[35] = sys_nanosleep,
	[36] = sys_getitimer,
	[37] = sys_alarm,
	[38] = sys_setitimer,
	[39] = sys_getpid,
	[40] = sys_sendfile,
	[41] = sys_socket,
	[42] = sys_connect,
	[43] = sys_accept,
	[44] = sys_sendto,
	[45] = sys_recvfrom,
	[46] = sys_sendmsg,
	[47] = sys_recvmsg,
	[48] = sys_shutdown,
	[49] = sys_bind,
	[50] = sys_listen,
	[51] = sys_getsockname,
	[52] = sys_getpeername,
	[53] = sys_socketpair,
	[54] = sys_setsockopt,
	[55] = sys_getsockopt,
	[60] = sys_exit,
	[62] = sys_kill,
	[63] = sys_uname,
	[64] = sys_semget,
	[65] = sys_semop,
	[66] = sys_semctl,
	[67] = sys_shmdt,
	[68] = sys_msgget,
	[69] = sys_msgsnd,
	[70] = sys_msgrcv,
	[71] = sys_msgctl,
	[72] = sys_fcntl,
	[73] = sys_flock,
	[74] = sys_fsync,
	[75] = sys_fdatasync,
	[76] = sys_truncate,
	[77] = sys_ftruncate,
	[79] = sys_getcwd,
	[80] = sys_chdir,
	[81] = sys_fchdir,
	[82] = sys_rename,
	[83] = sys_mkdir,
	[84] = sys_rmdir,
	[85] = sys_creat,
	[86] = sys_link,
	[87] = sys_unlink,
	[88] = sys_symlink,
	[89] = sys_readlink,
	[90] = sys_chmod,
	[91] = sys_fchmod,
	[92] = sys_chown,
	[93] = sys_fchown,
	[94] = sys_lchown,
	[95] = sys_umask,
	[96] = sys_gettimeofday,
	[97] = sys_getrlimit,
	[98] = sys_getrusage,
	[99] = sys_sysinfo,
	[100] = sys_times,
	[102] = sys_getuid, /* getuid */
	[104] = sys_getuid, /* getgid */
	[107] = sys_getuid, /* geteuid */
	[108] = sys_getuid, /* getegid */
	[110] = sys_getppid,
	[127] = sys_rt_sigpending,
	[128] = sys_rt_sigtimedwait,
	[129] = sys_rt_sigqueueinfo,
	[130] = sys_rt_sigsuspend,
	[131] = sys_sigaltstack,
	[133] = sys_mknod,
	[137] = sys_statfs,
	[138] = sys_fstatfs,
	[157] = sys_prctl,
	[158] = sys_arch_prctl,
	[160] = sys_setrlimit,
	[162] = sys_sync,
	[165] = sys_mount,
	[166] = sys_umount2,
	[186] = sys_gettid,
	[200] = sys_tkill,
	[201] = sys_time,
	[202] = sys_futex,
	[204] = sys_sched_getaffinity,
	[213] = sys_epoll_create,
	[217] = sys_getdents64,
	[218] = sys_set_tid_address,
	[220] = sys_semtimedop,
	[222] = sys_timer_create,
	[223] = sys_timer_settime,
	[224] = sys_timer_gettime,
	[225] = sys_timer_getoverrun,
	[226] = sys_timer_delete,
	[228] = sys_clock_gettime,
	[229] = sys_clock_getres,
	[230] = sys_clock_nanosleep,
	[231] = sys_exit_group,
	[232] = sys_epoll_wait,
	[233] = sys_epoll_ctl,
	[234] = sys_tgkill,
	[257] = sys_openat,
	[258] = sys_mkdirat,
	[259] = sys_mknodat,
	[260] = sys_fchownat,
	[262] = sys_newfstatat,
	[263] = sys_unlinkat,
	[264] = sys_renameat,
	[265] = sys_linkat,
	[266] = sys_symlinkat,
	[267] = sys_readlinkat,
	[268] = sys_fchmodat,
	[269] = sys_faccessat,
	[270] = sys_pselect6,
	[271] = sys_ppoll,
	[273] = sys_set_robust_list,
	[274] = sys_get_robust_list,
	[280] = sys_utimensat,
	[281] = sys_epoll_pwait,
	[282] = sys_signalfd,
	[283] = sys_timerfd_create,
	[284] = sys_eventfd,
	[285] = sys_fallocate,
	[286] = sys_timerfd_settime,
	[287] = sys_timerfd_gettime,
	[288] = sys_accept4,
	[289] = sys_signalfd4,
	[290] = sys_eventfd2,
	[291] = sys_epoll_create1,
	[292] = sys_dup3,
	[293] = sys_pipe2,
	[295] = sys_preadv,
	[296] = sys_pwritev,
	[297] = sys_rt_tgsigqueueinfo,
	[299] = sys_recvmmsg,
	[302] = sys_prlimit64,
	[306] = sys_syncfs,
	[307] = sys_sendmmsg,
	[309] = sys_getcpu,
	[316] = sys_renameat2,
	[318] = sys_getrandom,
	[319] = sys_memfd_create,
	[326] = sys_copy_file_range,
	[332] = sys_statx,
	[436] = sys_close_range,
	[439] = sys_faccessat2,
};

static unsigned char sys_logged[SYS_MAX / 8];

/* sys_unknown: -ENOSYS for number n, which is logged the first time. */
__attribute__((noinline, cold)) static long
sys_unknown(long n)
{
	unsigned long i = (unsigned long)n % SYS_MAX;

	if (n < 0 || n >= SYS_MAX || !(sys_logged[i / 8] & (1u << (i % 8)))) {
		if (n >= 0 && n < SYS_MAX)
			sys_logged[i / 8] |= (unsigned char)(1u << (i % 8));
		platform_console_printf("rumpxen: syscall %ld is not "
					"implemented (ENOSYS)\n",
					n);
	}
	return -KERN_ENOSYS;
}

/*
 * sys_needs_cpu: whether call n enters the kernel. The clock reads
 * (gettimeofday, time, clock_gettime) do not: they read the platform's
 * clocks, which need no CPU, and answer as Linux's vDSO answers them
 * without a trap, taking no pending signal on the way out either.
 */
static inline int
sys_needs_cpu(long n)
{
	return n != 96 && n != 201 && n != 228;
}

long __rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5,
		       long a6);

/*
 * sys_restartable: call n, interrupted by a signal whose handler has
 * SA_RESTART, starts again after it, as Linux restarts it: reads and
 * writes, ioctl, open, the socket calls that wait, flock, fcntl's lock
 * waits. Never the waits for a time or for signals (nanosleep, poll,
 * select, epoll_wait, sigsuspend, sigtimedwait...), as on Linux.
 */
static int
sys_restartable(long n)
{
	switch (n) {
	case 0:
	case 1:
	case 2:
	case 16:
	case 17:
	case 18:
	case 19:
	case 20:
	case 43:
	case 44:
	case 45:
	case 46:
	case 47:
	case 72:
	case 73:
	case 257:
	case 288:
	case 295:
	case 296:
	case 299:
	case 307:
		return 1;
	default:
		return 0;
	}
}

/*
 * sys_slice: t, which makes system calls without ever waiting, lets the
 * others run once its slice has passed: the scheduler is cooperative,
 * and the kernel's own threads (timers, the network) would otherwise
 * never run while it spins, as a preemptive kernel's would.
 */
static void
sys_slice(struct kern_thread *t)
{
	uint64_t now = kern_now();

	if (now - t->slice_start < SYS_SLICE_NS)
		return;
	rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 0); /* a yield */
	t->slice_start = kern_now();
}

long
__rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	const long a[6] = {a1, a2, a3, a4, a5, a6};
	long r;

	if (!sys_needs_cpu(n))
		return sys_table[n](a);
	for (;;) {
		struct kern_thread *t = kern_enter_thread();
		if ((unsigned long)n < SYS_MAX && sys_table[n] != NULL)
			r = sys_table[n](a);
		else
			r = sys_unknown(n);
		if (kern_cputimer_due != 0) /* ITIMER_VIRTUAL, ITIMER_PROF */
			kern_cputimer_poll();
		if (++t->calls % SYS_SLICE_CALLS == 0)
			sys_slice(t);
		int deliver = t->sig_restore || kern_thread_signalled(t);
		kern_leave_thread(t);
		int restart = deliver ? kern_signal_deliver(t) : 0;
		if (r == -KERN_ERESTARTNOINTR)
			continue; /* whatever the handlers were */
		if (r != -KERN_EINTR || !restart || !sys_restartable(n))
			return r;
	}
}

long
kern_sys_call(kern_sys_fn *fn, long a0, long a1, long a2, long a3, long a4)
{
	const long a[6] = {a0, a1, a2, a3, a4, 0};

	return fn(a);
}
