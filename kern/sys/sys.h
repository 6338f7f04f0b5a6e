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
#define KERN_EMFILE 24
#define KERN_ENOTTY 25
#define KERN_ENOSYS 38

/* Linux's struct timespec. */
struct kern_timespec {
	long sec, nsec;
};

/* The layout of Linux's struct stat on x86_64. */
struct kern_stat {
	unsigned long dev, ino, nlink;
	unsigned mode, uid, gid, pad0;
	unsigned long rdev;
	long size, blksize, blocks;
	unsigned long atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	long unused[3];
};

typedef long kern_sys_fn(const long a[6]);

/*
 * An open file: what an fd names (dup shares it). Its operations return
 * a value or -errno; one it lacks is NULL (read or write: EBADF;
 * ioctl: ENOTTY). flags holds the open flags fcntl reads and changes.
 */
struct kern_file;
struct vnode;
struct epitem;
struct kern_file_ops {
	long (*read)(struct kern_file *f, void *buf, size_t len);
	long (*write)(struct kern_file *f, const void *buf, size_t len);
	/* pread, pwrite, lseek: NULL for a file that cannot seek (ESPIPE) */
	long (*pread)(struct kern_file *f, void *buf, size_t len, long off);
	long (*pwrite)(struct kern_file *f, const void *buf, size_t len,
		       long off);
	long (*lseek)(struct kern_file *f, long off, int whence);
	long (*ioctl)(struct kern_file *f, unsigned long req, long arg);
	long (*fstat)(struct kern_file *f, struct kern_stat *st);
	/*
	 * poll: the KERN_POLL* events ready now; pt (if not NULL) waits on
	 * the file's queues too. NULL: always readable and writable.
	 */
	unsigned (*poll)(struct kern_file *f, struct kern_poll *pt);
	void (*release)(struct kern_file *f); /* the last fd closed */
};
struct kern_file {
	const struct kern_file_ops *ops;
	int refs;	     /* fds naming it */
	int flags;	     /* O_APPEND, O_NONBLOCK, the access mode, O_PATH */
	struct vnode *vnode; /* a file of the VFS: its vnode, referenced */
	long offset;	     /* where read and write go */
	struct epitem *watchers; /* epoll's items watching it */
	void *priv;
};

/* Linux's poll events. */
#define KERN_POLLIN	0x001
#define KERN_POLLPRI	0x002
#define KERN_POLLOUT	0x004
#define KERN_POLLERR	0x008
#define KERN_POLLHUP	0x010
#define KERN_POLLNVAL	0x020
#define KERN_POLLRDNORM 0x040
#define KERN_POLLWRNORM 0x100

/* Linux's open flags. */
#define KERN_O_RDONLY	 0
#define KERN_O_WRONLY	 1
#define KERN_O_RDWR	 2
#define KERN_O_ACCMODE	 3
#define KERN_O_CREAT	 0100
#define KERN_O_EXCL	 0200
#define KERN_O_NOCTTY	 0400
#define KERN_O_TRUNC	 01000
#define KERN_O_APPEND	 02000
#define KERN_O_NONBLOCK	 04000
#define KERN_O_DIRECTORY 0200000
#define KERN_O_NOFOLLOW	 0400000
#define KERN_O_CLOEXEC	 02000000
#define KERN_O_PATH	 010000000
#define KERN_O_TMPFILE	 020000000
#define AT_FDCWD	 (-100)
#define KERN_FD_MAX	 1024 /* RLIMIT_NOFILE */

/* fd.c: the fd table. */
/* kern_fd_file: the file fd names, or NULL. */
struct kern_file *kern_fd_file(long fd);
/* kern_file_new: an open file of ops, one reference; NULL without memory. */
struct kern_file *kern_file_new(const struct kern_file_ops *ops, int flags,
				void *priv);
/* kern_file_fstat_anon: fstat of a file with no inode (eventfd, epoll). */
long kern_file_fstat_anon(struct kern_file *f, struct kern_stat *st);
/*
 * kern_file_hold: kern_fd_file with a reference, for a call that may
 * wait (a close meanwhile then frees nothing); kern_file_drop gives it
 * back (and releases the file if it was the last).
 */
struct kern_file *kern_file_hold(long fd);
void kern_file_drop(struct kern_file *f);
/*
 * kern_fd_install: the lowest free fd from min on names f (whose refs
 * the caller counted for it). The fd or -EMFILE.
 */
long kern_fd_install(struct kern_file *f, long min, int cloexec);
kern_sys_fn sys_read, sys_write, sys_readv, sys_writev, sys_ioctl, sys_fstat,
	sys_close, sys_dup, sys_dup2, sys_dup3, sys_fcntl, sys_close_range,
	sys_pread64, sys_pwrite64, sys_preadv, sys_pwritev, sys_lseek,
	sys_flock;
/* open.c: opening files, their sizes, syncs, copies. */
kern_sys_fn sys_openat, sys_open, sys_creat, sys_truncate, sys_ftruncate,
	sys_fallocate, sys_fsync, sys_sync, sys_syncfs, sys_sendfile,
	sys_copy_file_range;
/* fsdir.c: names: directories, links, renames, the cwd. */
kern_sys_fn sys_mkdirat, sys_mkdir, sys_unlinkat, sys_unlink, sys_rmdir,
	sys_renameat2, sys_renameat, sys_rename, sys_linkat, sys_link,
	sys_symlinkat, sys_symlink, sys_readlinkat, sys_readlink,
	sys_getdents64, sys_getcwd, sys_chdir, sys_fchdir;
/* fsattr.c: attributes: stat, modes, owners, times, access, umask. */
kern_sys_fn sys_newfstatat, sys_stat, sys_lstat, sys_statx, sys_statfs,
	sys_fstatfs, sys_fchmodat, sys_fchmod, sys_chmod, sys_fchownat,
	sys_fchown, sys_chown, sys_lchown, sys_utimensat, sys_faccessat,
	sys_faccessat2, sys_access, sys_umask;
/* vfs/mount.c */
kern_sys_fn sys_mount, sys_umount2;
/* kern_file_poll: f's ready events (pt as for the poll operation). */
unsigned kern_file_poll(struct kern_file *f, struct kern_poll *pt);
/* pipe.c: pipes and eventfd. */
kern_sys_fn sys_pipe2, sys_pipe, sys_eventfd2, sys_eventfd;
/* poll.c: poll, ppoll, select, pselect6. */
kern_sys_fn sys_poll, sys_ppoll, sys_select, sys_pselect6;
/* epoll.c */
/* kern_epoll_file_gone: f's last fd closed: epoll forgets it. */
void kern_epoll_file_gone(struct kern_file *f);
kern_sys_fn sys_epoll_create1, sys_epoll_create, sys_epoll_ctl, sys_epoll_wait,
	sys_epoll_pwait;
/* console.c: the console, fds 0, 1 and 2 at the start. */
extern struct kern_file kern_console_file;
/* proc.c: the process. */
kern_sys_fn sys_getpid, sys_getppid, sys_getuid, sys_uname, sys_arch_prctl,
	sys_sched_yield, sys_getcpu;
/* thread.c: its threads. */
kern_sys_fn sys_exit, sys_exit_group, sys_set_tid_address, sys_set_robust_list,
	sys_get_robust_list, sys_gettid;
/* futex.c */
kern_sys_fn sys_futex;
/* mem.c: anonymous memory. */
kern_sys_fn sys_mmap, sys_munmap, sys_mremap, sys_mprotect, sys_madvise,
	sys_msync, sys_brk;
/* signal.c: actions, the mask, kill. */
kern_sys_fn sys_rt_sigaction, sys_rt_sigprocmask, sys_rt_sigpending,
	sys_sigaltstack, sys_kill, sys_tkill, sys_tgkill, sys_rt_sigsuspend,
	sys_pause;
/* limits.c: rlimits, sysinfo, affinity. */
kern_sys_fn sys_getrlimit, sys_setrlimit, sys_prlimit64, sys_sysinfo,
	sys_sched_getaffinity;
/* time.c: clocks, sleeps, random bytes. */
kern_sys_fn sys_clock_gettime, sys_clock_getres, sys_gettimeofday, sys_time,
	sys_nanosleep, sys_clock_nanosleep, sys_getrandom;

#endif /* RUMPXEN_KERN_SYS_H */
