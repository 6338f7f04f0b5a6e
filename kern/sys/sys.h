/*
 * sys.h: the syscall layer's own declarations: each system call's
 * function, by the file that holds it, then the layer's other calls that
 * its files and kern/init.c share. A call gets the six argument
 * registers and returns a value or -errno, as Linux does. The layer is
 * the top of the kernel world: it may call every layer below (vfs.h,
 * file.h, kern.h), and none of those calls it.
 */
#ifndef RUMPXEN_KERN_SYS_H
#define RUMPXEN_KERN_SYS_H

#include "../kern.h"
#include "../vfs/file.h"

typedef long kern_sys_fn(const long a[6]);
/*
 * kern_sys_call (dispatch.c): fn, a system call of the layer's, made by
 * the kernel itself (at boot: the RAM disk, /etc) with up to five
 * arguments.
 */
long kern_sys_call(kern_sys_fn *fn, long a0, long a1, long a2, long a3,
		   long a4);

/* fd.c: the system calls on fds. */
/*
 * kern_file_hold: kern_fd_file with a reference, for a call that may
 * wait (a close meanwhile then frees nothing); kern_file_drop gives it
 * back (and releases the file if it was the last).
 */
struct kern_file *kern_file_hold(long fd);
void kern_file_drop(struct kern_file *f);
kern_sys_fn sys_read, sys_write, sys_readv, sys_writev, sys_ioctl, sys_fstat,
	sys_close, sys_dup, sys_dup2, sys_dup3, sys_fcntl, sys_close_range,
	sys_pread64, sys_pwrite64, sys_preadv, sys_pwritev, sys_lseek,
	sys_flock;
/* open.c: opening files, their sizes, syncs, copies. */
kern_sys_fn sys_openat, sys_open, sys_creat, sys_truncate, sys_ftruncate,
	sys_fallocate, sys_fsync, sys_fdatasync, sys_sync, sys_syncfs,
	sys_sendfile, sys_copy_file_range;
/* fsdir.c: names: directories, links, renames, the cwd. */
kern_sys_fn sys_mkdirat, sys_mkdir, sys_mknodat, sys_mknod, sys_unlinkat,
	sys_unlink, sys_rmdir, sys_renameat2, sys_renameat, sys_rename,
	sys_linkat, sys_link, sys_symlinkat, sys_symlink, sys_readlinkat,
	sys_readlink, sys_getdents64, sys_getcwd, sys_chdir, sys_fchdir;
/* fsattr.c: attributes: stat, modes, owners, times, access, umask. */
kern_sys_fn sys_newfstatat, sys_stat, sys_lstat, sys_statx, sys_statfs,
	sys_fstatfs, sys_fchmodat, sys_fchmod, sys_chmod, sys_fchownat,
	sys_fchown, sys_chown, sys_lchown, sys_utimensat, sys_faccessat,
	sys_faccessat2, sys_access, sys_umask;
/* mount.c */
kern_sys_fn sys_mount, sys_umount2;
/*
 * cpio.c: kern_cpio_unpack: the RAM disk's cpio archive, if it is one,
 * into the root, through the system calls. 0, or -EIO when the archive
 * was damaged (reported).
 */
int kern_cpio_unpack(void);
/*
 * etc.c: the standard tree, each part unless the root has it already:
 * kern_etc_init (/tmp, /var/tmp, /dev/shm, /home, /root; /etc's passwd,
 * group, nsswitch.conf, localtime, hosts, services, protocols) before the
 * RAM disk is unpacked, kern_etc_resolv (resolv.conf from the DNS
 * servers) once the network is up.
 */
void kern_etc_init(void);
void kern_etc_resolv(void);
/* pipe.c: pipes and eventfd. */
kern_sys_fn sys_pipe2, sys_pipe, sys_eventfd2, sys_eventfd;
struct vnode;
/*
 * kern_fifo_open: FIFO node vp opened as flags say (open's, less the
 * O_CREAT kind), as a pipe it shares with the node's other opens, into
 * *out, which takes the caller's reference on vp; it may wait for the
 * other end. 0, -ENXIO (O_WRONLY|O_NONBLOCK, no reader), -EINTR or
 * -ENOMEM.
 */
long kern_fifo_open(struct vnode *vp, int flags, struct kern_file **out);
/* socket.c: sockets, each family's through its operations below. */
kern_sys_fn sys_socket, sys_socketpair, sys_bind, sys_listen, sys_accept4,
	sys_accept, sys_connect, sys_shutdown, sys_sendto, sys_recvfrom,
	sys_sendmsg, sys_recvmsg, sys_sendmmsg, sys_recvmmsg, sys_getsockname,
	sys_getpeername, sys_setsockopt, sys_getsockopt;
/*
 * A socket family: the operations of its sockets as open files first
 * (a socket's f->ops points there; read, write, readv, writev and fstat
 * are socket.c's sys_sock_* below, which come back through sendmsg and
 * recvmsg), then the socket calls on such a file f, each with f's
 * O_NONBLOCK to read. Addresses are Linux's sockaddrs: a name is copied
 * out up to *len bytes, and *len becomes its whole size. Values or
 * -errno; EPIPE from sendmsg raises SIGPIPE in socket.c.
 */
struct sys_sock_family {
	struct kern_file_ops file;
	/* open: a new socket of (domain, type, protocol), one reference,
	 * into *out */
	long (*open)(int domain, int type, int protocol,
		     struct kern_file **out);
	/* pair: two sockets joined (socketpair); -EOPNOTSUPP if none */
	long (*pair)(int type, int protocol, struct kern_file *out[2]);
	long (*bind)(struct kern_file *f, const void *addr, unsigned len);
	long (*listen)(struct kern_file *f, int backlog);
	/* accept: the next connection's new socket, one reference, and its
	 * peer's name (addr may be NULL) */
	long (*accept)(struct kern_file *f, struct kern_file **out, void *addr,
		       unsigned *len);
	long (*connect)(struct kern_file *f, const void *addr, unsigned len);
	/* sendmsg, recvmsg: m's name, iovecs and control; recvmsg sets
	 * m->namelen, m->controllen (0 when none came) and m->flags */
	long (*sendmsg)(struct kern_file *f, const struct kern_msghdr *m,
			int flags);
	long (*recvmsg)(struct kern_file *f, struct kern_msghdr *m, int flags);
	long (*shutdown)(struct kern_file *f, int how);
	/* name: f's own name (peer 0) or its peer's */
	long (*name)(struct kern_file *f, int peer, void *addr, unsigned *len);
	long (*setopt)(struct kern_file *f, int level, int name,
		       const void *val, unsigned len);
	long (*getopt)(struct kern_file *f, int level, int name, void *val,
		       unsigned *len);
};
/* The families: AF_INET and AF_INET6 (socket.c, over kern/net), AF_UNIX
 * (unix.c) and AF_NETLINK (netlink.c). */
extern const struct sys_sock_family sys_sock_inet, sys_sock_unix,
	sys_sock_netlink;
/* The file operations every family's sockets share. */
long sys_sock_read(struct kern_file *f, void *buf, size_t len);
long sys_sock_write(struct kern_file *f, const void *buf, size_t len);
long sys_sock_readv(struct kern_file *f, const struct kern_iovec *iov, int n);
long sys_sock_writev(struct kern_file *f, const struct kern_iovec *iov, int n);
long sys_sock_fstat(struct kern_file *f, struct kern_stat *st);
/* sys_sock_file_new: an open file of a family's socket priv, numbered. */
struct kern_file *sys_sock_file_new(const struct sys_sock_family *fam,
				    void *priv);
/* poll.c: poll, ppoll, select, pselect6. */
kern_sys_fn sys_poll, sys_ppoll, sys_select, sys_pselect6;
/* epoll.c */
/* kern_epoll_file_gone: f's last fd closed: epoll forgets it. */
void kern_epoll_file_gone(struct kern_file *f);
kern_sys_fn sys_epoll_create1, sys_epoll_create, sys_epoll_ctl, sys_epoll_wait,
	sys_epoll_pwait;
/* proc.c: the process. */
kern_sys_fn sys_memfd_create;
kern_sys_fn sys_rt_sigtimedwait, sys_signalfd, sys_signalfd4;
kern_sys_fn sys_getitimer, sys_setitimer, sys_alarm, sys_timerfd_create,
	sys_timerfd_settime, sys_timerfd_gettime;
kern_sys_fn sys_getpid, sys_getppid, sys_getuid, sys_uname, sys_prctl,
	sys_arch_prctl, sys_sched_yield, sys_getcpu;
/* thread.c: its threads. */
kern_sys_fn sys_exit, sys_exit_group, sys_set_tid_address, sys_set_robust_list,
	sys_get_robust_list, sys_gettid;
/* ptimer.c: POSIX timers. */
kern_sys_fn sys_timer_create, sys_timer_settime, sys_timer_gettime,
	sys_timer_getoverrun, sys_timer_delete;
/*
 * kern_ptimer_taken: a timer's signal (rec, SI_TIMER) is being taken:
 * rec gets the overruns the timer counted until now, which it forgets.
 * The CPU held.
 */
void kern_ptimer_taken(struct kern_sigrec *rec);
/* timer.c: what falls due at a time, fired by the kernel's own thread. */
struct kern_timer {
	uint64_t due;	   /* monotonic ns; 0: disarmed */
	uint64_t interval; /* ns between firings; 0: once */
	/* fire: it fell due (overruns times); the CPU held. */
	void (*fire)(struct kern_timer *t, uint64_t overruns);
	struct kern_timer *next;
};
/*
 * kern_timer_arm: t fires at due (monotonic ns), then every interval (0:
 * once), instead of what it was armed for. 0 or -errno (no thread).
 */
int kern_timer_arm(struct kern_timer *t, uint64_t due, uint64_t interval);
void kern_timer_disarm(struct kern_timer *t);
/* kern_timer_left: ns until t fires (0: disarmed). */
uint64_t kern_timer_left(const struct kern_timer *t);
/*
 * cputimer.c: ITIMER_VIRTUAL (which 1) and ITIMER_PROF (2), in ns of
 * CPU time: kern_cputimer_get says what is left and the interval,
 * kern_cputimer_set arms one (value 0: disarms it). 0 or -errno.
 */
void kern_cputimer_get(int which, uint64_t *value, uint64_t *interval);
int kern_cputimer_set(int which, uint64_t value, uint64_t interval);
/*
 * kern_cputimer_due: the CPU time the soonest armed one is due at (0:
 * none); kern_cputimer_poll, at a system call's return while one is
 * armed, sends the signals of those due. The CPU held.
 */
extern uint64_t kern_cputimer_due;
void kern_cputimer_poll(void);

/* futex.c (and futexpi.c, its PI operations) */
kern_sys_fn sys_futex;
/* System V IPC (ipc.h): msg.c, sem.c, shm.c. */
kern_sys_fn sys_msgget, sys_msgsnd, sys_msgrcv, sys_msgctl;
kern_sys_fn sys_semget, sys_semop, sys_semtimedop, sys_semctl;
kern_sys_fn sys_shmget, sys_shmat, sys_shmdt, sys_shmctl;
/* mem.c: anonymous memory. */
kern_sys_fn sys_mmap, sys_munmap, sys_mremap, sys_mprotect, sys_madvise,
	sys_msync, sys_brk;
/* signal.c: actions, the mask, kill; sigstack.c: sigaltstack. */
kern_sys_fn sys_rt_sigaction, sys_rt_sigprocmask, sys_rt_sigpending,
	sys_sigaltstack, sys_kill, sys_tkill, sys_tgkill, sys_rt_sigsuspend,
	sys_pause, sys_rt_sigqueueinfo, sys_rt_tgsigqueueinfo;
/* sigstack.c: the alternate signal stack. Linux's stack_t: */
struct kern_stack {
	unsigned long sp;
	int flags;
	unsigned long size;
};
/*
 * kern_sigstack_call: fn(arg), a signal handler's call in thread t (no
 * CPU held) for an action with flags: on t's alternate stack if flags
 * have SA_ONSTACK, t has one and is not on it already, else where it
 * runs; *uc_stack becomes what the handler's ucontext says of the
 * alternate stack.
 */
void kern_sigstack_call(struct kern_thread *t, unsigned long flags,
			void (*fn)(void *), void *arg,
			struct kern_stack *uc_stack);
/* cputime.c: CPU time. */
kern_sys_fn sys_getrusage, sys_times;
/*
 * kern_cputime_clock: the CPU-time clock clk's time in *ns (the
 * process's or the calling thread's; a clock id clock_getcpuclockid or
 * pthread_getcpuclockid made). 0, or -EINVAL for any other. No CPU held
 * needed.
 */
int kern_cputime_clock(long clk, uint64_t *ns);
/* limits.c: rlimits, sysinfo, affinity. */
kern_sys_fn sys_getrlimit, sys_setrlimit, sys_prlimit64, sys_sysinfo,
	sys_sched_getaffinity;
/* kern_limit: the soft limit which (an RLIMIT_*; ~0ul: unlimited). */
unsigned long kern_limit(int which);
/*
 * kern_limit_write: RLIMIT_FSIZE on the calling thread's write of *len
 * bytes to f at pos (-1: f's offset; O_APPEND: its end), if f is a
 * regular file: *len cut to end at the limit, or -EFBIG (and SIGXFSZ to
 * the thread) when the write starts at or past it. 0.
 */
long kern_limit_write(const struct kern_file *f, long pos, size_t *len);
/*
 * kern_limit_size: a regular file grows to size (truncate, fallocate):
 * 0, or -EFBIG and SIGXFSZ to the calling thread past RLIMIT_FSIZE.
 */
long kern_limit_size(long size);
/* time.c: clocks, sleeps, random bytes. */
kern_sys_fn sys_clock_gettime, sys_clock_getres, sys_gettimeofday, sys_time,
	sys_nanosleep, sys_clock_nanosleep, sys_getrandom;

/* What the rest of the kernel world calls in the layer. */

/* mem.c: the process's memory. */

/* kern_mem_unmap: munmap of len bytes at addr. 0 or -errno. */
long kern_mem_unmap(unsigned long addr, unsigned long len);
struct vnode;
/*
 * kern_mem_map_vnode: a shared mapping of pages pages of vp from its
 * start, with prot, where the platform finds room (shmat). Its address,
 * or -ENOMEM (-ENODEV on POSIX, which has no windows).
 */
long kern_mem_map_vnode(struct vnode *vp, unsigned long pages, int prot);
/* kern_mem_vnode: the file of the shared mapping that starts at addr. */
struct vnode *kern_mem_vnode(unsigned long addr);
/* kern_mem_base: where the mapping holding addr starts, or 0. */
unsigned long kern_mem_base(unsigned long addr);
/*
 * kern_mem_fault: a fault (a protection one if accerr) at addr, in a
 * program's thread, or in the kernel touching a program's memory (held:
 * the CPU is the caller's already): 1 when a file's page is now shown
 * there, -1 when it is past the file's end (SIGBUS), 0 when it is not a
 * file mapping's business.
 */
int kern_mem_fault(unsigned long addr, int accerr, int held);
/* kern_mem_file_unmap: file pages first..last of vp are hidden. CPU held. */
void kern_mem_file_unmap(struct vnode *vp, long first, long last);

/* futex.c */

/* kern_futex_wake: wakes up to n threads waiting on addr. The CPU held. */
int kern_futex_wake(const int *addr, int n);

/*
 * futexpi.c: the PI futexes. kern_futex_pi_lock: the caller owns the
 * word at addr (trylock: now or never), or waits until the monotonic
 * deadline (0: none); kern_futex_pi_unlock: it gives it up, to its first
 * waiter if any. 0 or -errno. kern_futex_pi_exit: t ends: the words it
 * owns that others wait for go to them. The CPU held.
 */
long kern_futex_pi_lock(int *addr, uint64_t deadline, int trylock);
long kern_futex_pi_unlock(int *addr);
void kern_futex_pi_exit(const struct kern_thread *t);

/* signal.c */

/*
 * kern_signal_deliver: at a system call's return of the calling thread
 * t, with no CPU held: runs the handlers of its pending, unblocked
 * signals, or ends the guest for one whose default action ends the
 * process. Returns 1 when the first handler it ran has SA_RESTART (the
 * call, if it was interrupted, may start again), else 0.
 */
int kern_signal_deliver(struct kern_thread *t);
/*
 * kern_signal_mask_for_call: t's mask is mask until the system call it
 * makes returns (sigsuspend, ppoll, pselect6, epoll_pwait). CPU held.
 */
void kern_signal_mask_for_call(struct kern_thread *t, unsigned long mask);
/*
 * kern_signal_take: a signal of set pending for t (its own first, then
 * the process's) is taken off, what it carries in *rec; 0 if none. The
 * CPU held.
 */
int kern_signal_take(struct kern_thread *t, unsigned long set,
		     struct kern_sigrec *rec);
/*
 * kern_signal_queue: sig becomes pending for thread t, or the process (t
 * NULL: a thread that takes it is woken), carrying rec. 1, or 0 when
 * it was discarded (ignored; pending already, as a standard signal is
 * on Linux: the first one's record stays; or sig 0), -EINVAL for a bad
 * sig. The CPU held.
 */
long kern_signal_queue(struct kern_thread *t, long sig,
		       const struct kern_sigrec *rec);
/* kern_signal_q: woken whenever a signal is sent (signalfd waits on it). */
extern struct kern_waitq kern_signal_q;
/* kern_signal_send: the kernel sends sig to thread t (SIGPIPE). */
long kern_signal_send(struct kern_thread *t, int sig);
/*
 * kern_proc_end: the process ends with status: its fds are closed, TCP
 * connections get up to 2 s to send what they hold (kern_net_drain),
 * the file systems are synced and marked clean (vfs_shutdown), and the
 * platform exits. The CPU held.
 */
__attribute__((noreturn)) void kern_proc_end(int status);
/*
 * kern_signal_fatal: the process ends by signal sig: a report naming it
 * and status 128 + sig (kern_proc_end). The CPU not held.
 */
__attribute__((noreturn)) void kern_signal_fatal(int sig);
/*
 * kern_signal_shutdown: the platform's shutdown hook (platform.h): the
 * toolstack's request to go (xl shutdown) is SIGTERM to the process, as
 * a Linux system's shutdown begins, sent by the kernel (SI_KERNEL); on a
 * thread of the platform's, which waits for the CPU.
 */
void kern_signal_shutdown(const char *request);
/*
 * kern_signal_fault: the platform's fault hook (platform.h): a fault in
 * the program becomes its signal for the faulting thread. 1 to resume.
 */
int kern_signal_fault(const struct platform_fault *f);

/* What /proc shows (procfs.c, procinfo.c), and where it comes from. */

/*
 * kern_proc_init: /proc and /sys are file system types (proc, sysfs),
 * mounted at boot where the root allows.
 */
void kern_proc_init(void);
/* procinfo.c: the system's files of /proc (the tree is procfs.c's). */
struct pseudo_buf;
int kern_proc_meminfo(struct pseudo_buf *b, long arg);
int kern_proc_cpuinfo(struct pseudo_buf *b, long arg);
int kern_proc_uptime(struct pseudo_buf *b, long arg);
int kern_proc_loadavg(struct pseudo_buf *b, long arg);
int kern_proc_stat(struct pseudo_buf *b, long arg);
int kern_proc_mounts(struct pseudo_buf *b, long arg);
/* USER_HZ: the clock ticks of times() and /proc, 100 a second, in ns. */
#define KERN_TICK_NS 10000000ull
/* The memory as meminfo and sysinfo count it, in bytes. */
struct kern_meminfo {
	unsigned long total, free, buffers, shmem;
};
void kern_meminfo(struct kern_meminfo *m);
/*
 * kern_loadavg: the load averages over 1, 5 and 15 minutes, times
 * 65536 (sysinfo's fixed point), of the threads that are runnable,
 * sampled every 5 s (the samples due are taken when asked, without the
 * caller); *running, those runnable now, the caller with them.
 */
void kern_loadavg(unsigned long loads[3], int *running);

/* fdname.c: the names /proc/self/fd shows. */

/*
 * kern_file_path_set: f, just opened by path from dirfd, keeps the path
 * made absolute (nothing kept without memory); kern_file_path_free
 * drops it (the file's last fd closed).
 */
void kern_file_path_set(struct kern_file *f, long dirfd, const char *path);
void kern_file_path_free(struct kern_file *f);
/* kern_file_path_keep: f's name is name as it is (memfd's). */
void kern_file_path_keep(struct kern_file *f, const char *name);
/*
 * kern_path_join: path appended to the absolute path in buf (VFS_PATH_MAX
 * bytes) and the whole tidied there: no "." or ".." components, no
 * repeated slashes. Its length, or -ENAMETOOLONG.
 */
long kern_path_join(char *buf, const char *path);
/* kern_file_name: f's name into buf; its length, or -errno. */
long kern_file_name(struct kern_file *f, char *buf, size_t size);

/* mem.c: kern_mem_each: the mappings in address order, as runs of pages. */
struct kern_mem_run {
	unsigned long start, end, offset;
	int prot;		   /* PLATFORM_PROT_* */
	int shared;		   /* a shared mapping (of a file) */
	const struct vnode *vnode; /* the file it maps or copies, or NULL */
};
typedef void kern_mem_fn(void *ctx, const struct kern_mem_run *run);
void kern_mem_each(kern_mem_fn *fn, void *ctx);
/* limits.c: kern_rlimit_get: a resource's limits (RLIM_INFINITY: ~0). */
void kern_rlimit_get(int which, unsigned long *cur, unsigned long *max);
/* signal.c: the signals the process ignores and catches, as masks. */
void kern_signal_dispositions(unsigned long *ignored, unsigned long *caught);

#endif /* RUMPXEN_KERN_SYS_H */
