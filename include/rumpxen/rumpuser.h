/*
 * The rump kernel hypercall interface, revision 17: what a rump kernel
 * (our kern/, or a NetBSD rump kernel linked in its place) calls on its
 * host, and the upcalls it hands the host in return. Revision 17 is
 * NetBSD's: sys/rump/include/rump/rumpuser.h and the rumpuser(3) manual
 * page, in the sources that buildrump.sh builds (rumpkernel/src-netbsd,
 * branch buildrump-src), which is what "rumpuser(3)" means in this tree's
 * comments. The names, prototypes, flags and values are exactly revision
 * 17's, so NetBSD's librump*.a link against our implementations
 * unchanged; the rules an implementation must keep are written here.
 *
 * Conventions for every function below:
 * - A function returning int returns 0 or a positive NetBSD errno value
 *   (ETIMEDOUT is 60, EAGAIN 35, ENOSYS 78, ...); it never sets errno. A
 *   void function cannot fail.
 * - Every call is made by a thread that holds a virtual CPU of the rump
 *   kernel, unless its comment says otherwise. A call that blocks first
 *   gives the CPU back through hyp_backend_unschedule and takes it again
 *   through hyp_backend_schedule before it returns ("wrapped" below);
 *   calls marked "never blocks" touch no upcall at all.
 */
#ifndef RUMPXEN_RUMPUSER_H
#define RUMPXEN_RUMPUSER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RUMPUSER_VERSION 17

struct lwp;
struct rumpuser_mtx;
struct rumpuser_rw;
struct rumpuser_cv;
struct modinfo;
struct rump_component;

/* The upcalls the kernel gives rumpuser_init. */
struct rumpuser_hyperup {
	/* Enter the kernel from outside: get an lwp if none, take a CPU. */
	void (*hyp_schedule)(void);
	/* Leave the kernel: run softints, give the CPU back. */
	void (*hyp_unschedule)(void);
	/* Inside a hypercall, before blocking: give the CPU back. */
	void (*hyp_backend_unschedule)(int nlocks, int *countp,
				       void *interlock);
	/* Inside a hypercall, after blocking: take a CPU again. */
	void (*hyp_backend_schedule)(int nlocks, void *interlock);
	void (*hyp_lwproc_switch)(struct lwp *l);
	void (*hyp_lwproc_release)(void);
	int (*hyp_lwproc_rfork)(void *priv, int flags, const char *comm);
	/* Make a new lwp in process pid (0: the kernel) and switch to it. */
	int (*hyp_lwproc_newlwp)(pid_t pid);
	struct lwp *(*hyp_lwproc_curlwp)(void);
	int (*hyp_syscall)(int num, void *data, long *retval);
	void (*hyp_lwpexit)(void);
	void (*hyp_execnotify)(const char *comm);
	pid_t (*hyp_getpid)(void);
	void *hyp__extra[8];
};

/*
 * rumpuser_init: the first call, from rump_init, with no CPU (none exist
 * yet). Refuses any version but RUMPUSER_VERSION (returns non-zero);
 * keeps a copy of *hyp. Afterwards rumpuser_curlwp() is NULL everywhere.
 */
int rumpuser_init(int version, const struct rumpuser_hyperup *hyp);

/* Memory. */

/*
 * rumpuser_malloc: len bytes aligned to alignment (a power of two; 0 means
 * pointer alignment). ENOMEM when there is no memory. Never blocks.
 */
int rumpuser_malloc(size_t len, int alignment, void **memp);
/* rumpuser_free: frees what rumpuser_malloc gave; len is the same len. */
void rumpuser_free(void *mem, size_t len);
/*
 * rumpuser_anonmmap: size bytes (rounded up to pages) of zeroed memory,
 * aligned to 1 << alignbit (at least a page), executable too when exec is
 * non-zero; prefaddr is only a hint. ENOMEM when there is no memory.
 */
int rumpuser_anonmmap(void *prefaddr, size_t size, int alignbit, int exec,
		      void **memp);
/* rumpuser_unmap: gives back what rumpuser_anonmmap gave. */
void rumpuser_unmap(void *addr, size_t len);

/* Files and block I/O. */

#define RUMPUSER_OPEN_RDONLY  0x0000
#define RUMPUSER_OPEN_WRONLY  0x0001
#define RUMPUSER_OPEN_RDWR    0x0002
#define RUMPUSER_OPEN_ACCMODE 0x0003
#define RUMPUSER_OPEN_CREATE  0x0004
#define RUMPUSER_OPEN_EXCL    0x0008
#define RUMPUSER_OPEN_BIO     0x0010

#define RUMPUSER_FT_OTHER 0
#define RUMPUSER_FT_DIR	  1
#define RUMPUSER_FT_REG	  2
#define RUMPUSER_FT_BLK	  3
#define RUMPUSER_FT_CHR	  4

#define RUMPUSER_BIO_READ  0x01
#define RUMPUSER_BIO_WRITE 0x02
#define RUMPUSER_BIO_SYNC  0x04

#define RUMPUSER_IOV_NOSEEK -1

#define RUMPUSER_SYNCFD_READ	0x01
#define RUMPUSER_SYNCFD_WRITE	0x02
#define RUMPUSER_SYNCFD_BOTH	(RUMPUSER_SYNCFD_READ | RUMPUSER_SYNCFD_WRITE)
#define RUMPUSER_SYNCFD_BARRIER 0x04
#define RUMPUSER_SYNCFD_SYNC	0x08

/* The layout of struct iovec. */
struct rumpuser_iovec {
	void *iov_base;
	size_t iov_len;
};

typedef void (*rump_biodone_fn)(void *donearg, size_t count, int error);

/*
 * rumpuser_open: opens name in the host's name space with mode (an access
 * mode and CREATE, EXCL, BIO flags) and sets *fdp. Wrapped. EINVAL for a
 * bad access mode, ENOENT, EEXIST, EROFS (writing a read-only device).
 */
int rumpuser_open(const char *name, int mode, int *fdp);
/* rumpuser_close: closes fd. Wrapped. */
int rumpuser_close(int fd);
/*
 * rumpuser_getfileinfo: the size in bytes and the RUMPUSER_FT_* type of
 * name; either pointer may be NULL. Never blocks.
 */
int rumpuser_getfileinfo(const char *name, uint64_t *size, int *type);
/*
 * rumpuser_bio: starts a read or write (op: RUMPUSER_BIO_*, SYNC for a
 * write that must be durable before completion) of dlen bytes at byte
 * offset off, and returns. Exactly once, biodone(donearg, count, error) is
 * called from a thread that has an lwp and holds a CPU, never from an
 * event handler; count is dlen, or 0 with a NetBSD errno.
 */
void rumpuser_bio(int fd, int op, void *data, size_t dlen, int64_t off,
		  rump_biodone_fn biodone, void *donearg);
/*
 * rumpuser_iovread, rumpuser_iovwrite: vectored I/O at offset off (or at
 * the file's position for RUMPUSER_IOV_NOSEEK); *retv gets the bytes
 * moved. Wrapped.
 */
int rumpuser_iovread(int fd, struct rumpuser_iovec *iov, size_t iovlen,
		     int64_t off, size_t *retv);
int rumpuser_iovwrite(int fd, const struct rumpuser_iovec *iov, size_t iovlen,
		      int64_t off, size_t *retv);
/*
 * rumpuser_syncfd: flags has READ and/or WRITE (else EINVAL), optionally
 * BARRIER and SYNC; len 0 means to the end. Wrapped.
 */
int rumpuser_syncfd(int fd, int flags, uint64_t start, uint64_t len);

/* Clocks. */

enum rumpclock { RUMPUSER_CLOCK_RELWALL = 0, RUMPUSER_CLOCK_ABSMONO = 1 };

/*
 * rumpuser_clock_gettime: RELWALL: wall-clock time since the epoch;
 * ABSMONO: monotonic time. nsec is in [0, 1e9). Never blocks or yields,
 * and advances while the caller spins.
 */
int rumpuser_clock_gettime(int enum_rumpclock, int64_t *sec, long *nsec);
/*
 * rumpuser_clock_sleep: RELWALL: sleeps at least sec:nsec; ABSMONO: until
 * the monotonic clock reaches sec:nsec (at once if it has). Wrapped.
 * Returns 0.
 */
int rumpuser_clock_sleep(int enum_rumpclock, int64_t sec, long nsec);

/* Parameters. */

#define RUMPUSER_PARAM_NCPU	"_RUMPUSER_NCPU"
#define RUMPUSER_PARAM_HOSTNAME "_RUMPUSER_HOSTNAME"

/*
 * rumpuser_getparam: the value of name as a NUL-terminated string in buf.
 * Names starting with '_' are the host's (unknown ones: EINVAL); others
 * are looked up in the configuration (ENOENT when unset). Called before
 * CPUs exist; never blocks.
 */
int rumpuser_getparam(const char *name, void *buf, size_t buflen);

/* errno, signals, exit, console. */

#define RUMPUSER_PID_SELF ((int64_t)-1)
#define RUMPUSER_PANIC	  (-1)

/* rumpuser_seterrno: the calling thread's errno (NetBSD numbering). */
void rumpuser_seterrno(int error);
/*
 * rumpuser_kill: raises NetBSD signal sig for the kernel's process (pid is
 * a hint). A fatal signal of the SIGABRT kind ends the instance with a
 * report; the return value is ignored by the kernel.
 */
int rumpuser_kill(int64_t pid, int sig);
/* rumpuser_exit: ends the instance; RUMPUSER_PANIC means a panic. */
__attribute__((noreturn)) void rumpuser_exit(int value);
/* rumpuser_putchar: one byte to the console. Never blocks. */
void rumpuser_putchar(int ch);
/* rumpuser_dprintf: formatted output around the kernel. Never blocks. */
void rumpuser_dprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* Random. */

#define RUMPUSER_RANDOM_HARD   0x01
#define RUMPUSER_RANDOM_NOWAIT 0x02

/*
 * rumpuser_getrandom: up to buflen random bytes into buf, the count in
 * *retp; always at least one byte when buflen > 0. Never blocks.
 */
int rumpuser_getrandom(void *buf, size_t buflen, int flags, size_t *retp);

/* Threads and curlwp. */

/*
 * rumpuser_thread_create: a thread running fun(arg), which starts with no
 * CPU and no curlwp; *cookie names it for rumpuser_thread_join when
 * mustjoin. priority and cpuidx are hints. Never blocks.
 */
int rumpuser_thread_create(void *(*fun)(void *), void *arg, const char *thrname,
			   int mustjoin, int priority, int cpuidx,
			   void **cookie);
/* rumpuser_thread_exit: ends the calling thread, which holds no CPU. */
__attribute__((noreturn)) void rumpuser_thread_exit(void);
/* rumpuser_thread_join: waits for a joinable thread's exit. Wrapped. */
int rumpuser_thread_join(void *cookie);

enum rumplwpop {
	RUMPUSER_LWP_CREATE = 0,
	RUMPUSER_LWP_DESTROY = 1,
	RUMPUSER_LWP_SET = 2,
	RUMPUSER_LWP_CLEAR = 3,
};

/*
 * rumpuser_curlwpop: CREATE and DESTROY announce an lwp's life; SET binds
 * l to the calling thread (nothing may be bound), CLEAR unbinds it.
 */
void rumpuser_curlwpop(int enum_rumplwpop, struct lwp *l);
/* rumpuser_curlwp: the calling thread's lwp or NULL; any context. */
struct lwp *rumpuser_curlwp(void);

/* Mutexes. */

#define RUMPUSER_MTX_SPIN   0x01
#define RUMPUSER_MTX_KMUTEX 0x02

void rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags);
/* Wrapped when contended, unless the mutex is SPIN. */
void rumpuser_mutex_enter(struct rumpuser_mtx *mtx);
/* Waits in place when contended; never touches the CPU. */
void rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *mtx);
/* 0, or EBUSY when held. Never blocks. */
int rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx);
void rumpuser_mutex_exit(struct rumpuser_mtx *mtx);
void rumpuser_mutex_destroy(struct rumpuser_mtx *mtx);
/* The holder's lwp (a KMUTEX mutex), or NULL when free. */
void rumpuser_mutex_owner(struct rumpuser_mtx *mtx, struct lwp **lp);

/* Reader/writer locks. */

enum rumprwlock { RUMPUSER_RW_READER = 0, RUMPUSER_RW_WRITER = 1 };

void rumpuser_rw_init(struct rumpuser_rw **rwp);
/* Wrapped when contended. Writers are preferred. */
void rumpuser_rw_enter(int enum_rumprwlock, struct rumpuser_rw *rw);
/* 0, EBUSY when it would wait, EINVAL for a bad enum. Never blocks. */
int rumpuser_rw_tryenter(int enum_rumprwlock, struct rumpuser_rw *rw);
/* A sole reader becomes the writer (0); EBUSY when others read too. */
int rumpuser_rw_tryupgrade(struct rumpuser_rw *rw);
/* The writer becomes a reader; no writer gets in between. */
void rumpuser_rw_downgrade(struct rumpuser_rw *rw);
void rumpuser_rw_exit(struct rumpuser_rw *rw);
void rumpuser_rw_destroy(struct rumpuser_rw *rw);
/* WRITER: held by the calling lwp; READER: held shared by anyone. */
void rumpuser_rw_held(int enum_rumprwlock, struct rumpuser_rw *rw, int *heldp);

/* Condition variables. */

void rumpuser_cv_init(struct rumpuser_cv **cvp);
void rumpuser_cv_destroy(struct rumpuser_cv *cv);
/*
 * rumpuser_cv_wait: releases mtx and sleeps, then takes mtx again.
 * Wrapped, in the order the kernel relies on: count the waiter, give the
 * CPU back with mtx as the interlock, release mtx and sleep; once woken,
 * for a mutex that is both SPIN and KMUTEX take the CPU first and then
 * mtx (nowrap), for any other take mtx (nowrap) first and then the CPU;
 * uncount the waiter.
 */
void rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx);
/* The same without touching the CPU. */
void rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx);
/* As cv_wait for at most sec:nsec (relative): 0, or ETIMEDOUT. */
int rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
			  int64_t sec, int64_t nsec);
void rumpuser_cv_signal(struct rumpuser_cv *cv);
void rumpuser_cv_broadcast(struct rumpuser_cv *cv);
void rumpuser_cv_has_waiters(struct rumpuser_cv *cv, int *waitersp);

/* Dynamic loading, daemonizing, sysproxy: stubs here. */

typedef void (*rump_modinit_fn)(const struct modinfo *const *, size_t);
typedef int (*rump_symload_fn)(void *, uint64_t, char *, uint64_t);
typedef void (*rump_compload_fn)(const struct rump_component *);

/* Does nothing: components come from link sets in a static image. */
void rumpuser_dl_bootstrap(rump_modinit_fn domodinit, rump_symload_fn symload,
			   rump_compload_fn compload);
/* Succeed at once; nothing forks. */
int rumpuser_daemonize_begin(void);
int rumpuser_daemonize_done(int error);
/* The remote system call server is not offered: ENOSYS. */
int rumpuser_sp_init(const char *url, const char *ostype, const char *osrelease,
		     const char *machine);
int rumpuser_sp_copyin(void *arg, const void *raddr, void *laddr, size_t len);
int rumpuser_sp_copyinstr(void *arg, const void *raddr, void *laddr,
			  size_t *len);
int rumpuser_sp_copyout(void *arg, const void *laddr, void *raddr, size_t len);
int rumpuser_sp_copyoutstr(void *arg, const void *laddr, void *raddr,
			   size_t *len);
int rumpuser_sp_anonmmap(void *arg, size_t howmuch, void **addr);
int rumpuser_sp_raise(void *arg, int signo);
void rumpuser_sp_fini(void *arg);

#endif /* RUMPXEN_RUMPUSER_H */
