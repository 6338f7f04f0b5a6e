/*
 * kern.h: the contract of the kernel world's core, which every layer
 * above it may call: core.c (the rumpuser client: upcalls, the virtual
 * CPU, lwps), thread.c (the process's threads and their sleeps),
 * timespec.c (time), wait.c (the one wait mechanism), errno.c,
 * sockopt.c (what the socket families' options share); and
 * kern_init (init.c), which brings every layer up for kern/start.c (the
 * process's start) and the host tests. The layers, bottom up: abi.h
 * and errno.h (the Linux ABI, for all); this core; the file systems
 * (kern/fs, vfs/vnode.h); the VFS and devices (kern/vfs, kern/dev,
 * vfs/vfs.h, vfs/file.h: open files and the fd table); the syscall
 * layer (kern/sys, sys/sys.h). A layer includes only its own headers
 * and those of the layers below, and calls nothing above it.
 *
 * Code here sees the platform only through include/rumpxen/ and takes
 * nothing from the libc but the <string.h> functions; the build checks
 * that the kernel's objects take nothing else from outside (the
 * Makefile's KERN_ALLOWED).
 *
 * Errors: a function of the kernel world that can fail returns 0 (or a
 * count, an fd, an address: a value >= 0) on success and a negated Linux
 * errno value on failure, -KERN_EINVAL (errno.h), as Linux's system
 * calls do, so that a system call returns its result unchanged. Nothing
 * in kern/ returns a positive errno, except the upcalls rumpuser makes
 * (core.c: rumpuser's contract wants NetBSD's positive values). The
 * platform's and rumpuser's calls return positive errno values, which
 * their callers convert where they call them: kern_errno for rumpuser's.
 */
#ifndef RUMPXEN_KERN_H
#define RUMPXEN_KERN_H

#include <stddef.h>
#include <stdint.h>

#include <rumpxen/platform.h>
#include <rumpxen/rumpuser.h>

#include "klib.h"

#include "errno.h"

/* The stack a program's main thread gets (RLIMIT_STACK says so too). */
#define KERN_MAIN_STACK (1024 * 1024)

/* The signals there are: 1 to 64, as on Linux. */
#define KERN_NSIG 65

/*
 * What a pending signal carries: its si_code and the three fields of
 * Linux's siginfo_t after it (at 16, 20 and 24): the sender's pid and
 * uid and a value (kill, sigqueue), or a timer's id, overrun count and
 * value (SI_TIMER).
 */
struct kern_sigrec {
	int code;
	int a, b;
	unsigned long value;
};

/*
 * A thread of the process: a Linux task of its one thread group. The
 * first thread to enter the kernel is tid 1 (the process's pid); clone
 * makes the others. Its fields change only with the CPU held.
 */
struct kern_thread {
	int tid;
	struct kern_thread *next;  /* the process's threads */
	int *clear_tid;		   /* set_tid_address, CLONE_CHILD_CLEARTID */
	unsigned long fs_base;	   /* its TLS pointer, as arch_prctl set it */
	unsigned long robust_list; /* set_robust_list's head */
	unsigned long sig_mask;	   /* the signals it blocks */
	unsigned long sig_pending; /* the signals sent to it (tkill) */
	unsigned long sig_saved_mask; /* sigsuspend's, for after */
	int sig_restore;	      /* sig_saved_mask is to come back */
	unsigned long sig_waiting;    /* rt_sigtimedwait's set, if waiting */
	struct kern_sigrec sig_info[KERN_NSIG]; /* each pending one's */
	struct {
		unsigned long sp; /* sigaltstack's, as Linux's stack_t; */
		int flags;	  /* only the thread itself changes it */
		unsigned long size;
	} altstack;
	int wakeup;		/* kern_thread_wake came */
	struct rumpuser_cv *cv; /* what it sleeps on */
	int (*start)(void *);	/* a new thread's function */
	void *start_arg;
	struct platform_thread *pt; /* clone's platform thread, to join */
	struct lwp *lwp;	    /* its lwp in the core (core.c) */
	/*
	 * reap: what kern_thread_reap does for it once it has stopped, if
	 * not NULL (the syscall layer's: unmap the stack __unmapself gave,
	 * unmap_base and unmap_len).
	 */
	void (*reap)(struct kern_thread *t);
	unsigned long unmap_base;
	unsigned long unmap_len;
	char comm[16]; /* prctl's PR_SET_NAME, if named (else kern_comm) */
	int named;
	int pdeathsig;	      /* prctl's PR_SET_PDEATHSIG: kept, never sent */
	int asleep;	      /* in kern_thread_sleep (not runnable) */
	unsigned calls;	      /* system calls made (dispatch.c's slices) */
	uint64_t slice_start; /* when it last let the others run */
};
/*
 * kern_comm: the process's name as Linux's comm has it: argv[0]'s last
 * component, 15 bytes at most (start.c sets it; thread.c has it).
 */
extern char kern_comm[16];
/*
 * The program's start as start.c made it (thread.c has them; none in
 * the host tests): kern_argv, its kern_argc words and a NULL, then the
 * environment up to a NULL (the kernel's copy of the initial stack's
 * pointers, to the strings there); kern_phdr, the
 * image's kern_phnum ELF program headers; kern_boot_ns, the monotonic
 * time kern_init began at.
 */
extern char **kern_argv;
extern int kern_argc;
extern const void *kern_phdr;
extern int kern_phnum;
extern uint64_t kern_boot_ns;

/* core.c */

/*
 * kern_core_init: hands our upcalls to rumpuser_init and makes the
 * virtual CPU. 0 or -errno.
 */
int kern_core_init(void);
/*
 * kern_enter, kern_leave: the calling thread takes the virtual CPU (with
 * an lwp of its own, made on its first entry) and gives it back. Kernel
 * code runs between them; a blocking hypercall gives the CPU back while
 * it blocks.
 */
void kern_enter(void);
void kern_leave(void);
/*
 * An lwp: a thread of the kernel world, as rumpuser sees it (core.c).
 * Shown here for the system call's door below, which is inline.
 */
struct lwp {
	int holds_cpu;
	int temporary; /* made by hyp_schedule, freed by hyp_unschedule */
	struct kern_thread *thread; /* the process's thread it is, if any */
};
/*
 * The virtual CPU (core.c): free, held, or held while threads may be
 * waiting for it. Only core.c and the door below touch it.
 */
enum { KERN_CPU_FREE, KERN_CPU_HELD, KERN_CPU_CONTENDED };
extern int kern_cpu_state;
/*
 * kern_enter_thread_slow: the door's way in when it is not the common
 * case (a thread's first entry, a CPU that is held). kern_cpu_wake: its
 * way out when threads were waiting for the CPU it gave back; it wakes
 * one.
 */
struct kern_thread *kern_enter_thread_slow(void);
void kern_cpu_wake(void);
/*
 * kern_enter_thread, kern_leave_thread: kern_enter and kern_leave for a
 * thread of the process, the system call's door: kern_enter_thread also
 * gives the calling thread's kern_thread (as kern_thread_self does), and
 * kern_leave_thread takes it back instead of looking the lwp up again.
 * Inline, because every system call pays for them: when the thread has
 * entered before and nobody else holds or wants the CPU, entering is a
 * look at curlwp and one compare-and-exchange, leaving one exchange.
 */
static inline struct kern_thread *
kern_enter_thread(void)
{
	struct lwp *l = rumpuser_curlwp();
	int free = KERN_CPU_FREE;

	if (__builtin_expect(l == NULL || l->thread == NULL, 0) ||
	    !__atomic_compare_exchange_n(&kern_cpu_state, &free, KERN_CPU_HELD,
					 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return kern_enter_thread_slow();
	l->holds_cpu = 1;
	return l->thread;
}

static inline void
kern_leave_thread(struct kern_thread *t)
{
	t->lwp->holds_cpu = 0;
	if (__atomic_exchange_n(&kern_cpu_state, KERN_CPU_FREE,
				__ATOMIC_RELEASE) != KERN_CPU_HELD)
		kern_cpu_wake();
}
/*
 * kern_leave_done: kern_leave for a thread that will not enter again
 * (the platform's, for one errand): its lwp is freed.
 */
void kern_leave_done(void);
/*
 * kern_leave_exit: kern_leave for a thread that ends: its lwp is freed
 * and the thread exits.
 */
__attribute__((noreturn)) void kern_leave_exit(void);
/* kern_errno: a NetBSD errno value, from rumpuser, as the kernel's -errno. */
int kern_errno(int netbsd);
/*
 * kern_thread_self: the calling thread's kern_thread; the CPU held. A
 * thread that enters for the first time and was not made by clone gets
 * one now (the first is tid 1); none left is a panic.
 */
struct kern_thread *kern_thread_self(void);
/* kern_cpu_held: the calling thread holds the virtual CPU. */
int kern_cpu_held(void);
/*
 * kern_thread_app: the calling thread's kern_thread when it is in the
 * program (a thread of the process, not holding the CPU), else NULL.
 */
struct kern_thread *kern_thread_app(void);
/* kern_thread_bind: t is the calling thread's, which holds the CPU. */
void kern_thread_bind(struct kern_thread *t);

/* thread.c */

/*
 * kern_thread_new: a kern_thread with the next tid, on the process's
 * list, its mask copied from parent (if any). NULL without memory.
 */
struct kern_thread *kern_thread_new(const struct kern_thread *parent);
/*
 * kern_thread_exit: t leaves the process's list for the dead, which
 * kern_thread_reap empties: it joins each one's platform thread, runs
 * its reap hook (if any) and frees it. Returns how many threads
 * are left. The CPU held for both.
 */
int kern_thread_exit(struct kern_thread *t);
void kern_thread_reap(void);
/* kern_thread_last_tid: the tid the newest thread got. */
extern int kern_thread_last_tid;
/* kern_thread_find: the thread with this tid, or NULL. */
struct kern_thread *kern_thread_find(int tid);
/* kern_threads: the process's threads, for a walk of the list. */
struct kern_thread *kern_threads(void);
/*
 * kern_thread_sleep: the calling thread t, holding the CPU, sleeps
 * without it until kern_thread_wake(t), the monotonic time deadline in
 * ns (0: none) or, when interruptible, a signal t must take. Returns 0,
 * -KERN_ETIMEDOUT or -KERN_EINTR. A wake that came before the call is
 * forgotten.
 */
int kern_thread_sleep(struct kern_thread *t, uint64_t deadline,
		      int interruptible);
/* kern_thread_wake: t's sleep ends with 0. The CPU held. */
void kern_thread_wake(struct kern_thread *t);
/*
 * kern_thread_interrupt: t has a signal to take: its interruptible
 * sleep ends with -KERN_EINTR. The CPU held.
 */
void kern_thread_interrupt(struct kern_thread *t);
/*
 * The process's pending signals: those sent to it as a whole (kill) that
 * no thread has taken yet. sys/signal.c posts and takes them; the core
 * reads them, with each thread's own, to end an interruptible sleep.
 * The CPU held.
 */
extern unsigned long kern_proc_sig_pending;
/*
 * kern_thread_signalled: t has a pending signal (its own or the
 * process's) it does not block. The CPU held. Inline: every system call
 * asks on its way out.
 */
static inline int
kern_thread_signalled(const struct kern_thread *t)
{
	return ((t->sig_pending | kern_proc_sig_pending) & ~t->sig_mask) != 0;
}

/* timespec.c: time in ns, and Linux's timespecs. */

/* kern_now: the monotonic time in ns; kern_wall: the wall-clock time. */
uint64_t kern_now(void);
uint64_t kern_wall(void);
/*
 * A timeout of more seconds than this is no timeout: its deadline in ns
 * would not fit (about 127 years).
 */
#define KERN_FOREVER_SEC 4000000000l
#define KERN_NS_FOREVER	 UINT64_MAX
struct kern_timespec;
/*
 * kern_timespec_ns: ts, a timeout or a time since an epoch, in ns: 0, or
 * -KERN_EINVAL unless its sec is >= 0 and its nsec in [0, 10^9). One of
 * more than KERN_FOREVER_SEC seconds is KERN_NS_FOREVER.
 */
int kern_timespec_ns(const struct kern_timespec *ts, uint64_t *ns);
/*
 * kern_timespec_nsec_ok: ts's nsec is in [0, 10^9), whatever its sec (the
 * whole check for utimensat's times, beside UTIME_NOW and UTIME_OMIT).
 */
int kern_timespec_nsec_ok(const struct kern_timespec *ts);
/* kern_timespec_from_ns: ts becomes ns. */
void kern_timespec_from_ns(uint64_t ns, struct kern_timespec *ts);
/*
 * kern_timeo_set, kern_timeo_get: a socket's SO_RCVTIMEO or SO_SNDTIMEO
 * (in ns, 0: none) from and to Linux's struct timeval at val, len bytes
 * as setsockopt and getsockopt give them: -EINVAL for too short a
 * value, -EDOM for a bad usec; a negative time ends a wait at once.
 */
int kern_timeo_set(const void *val, unsigned len, uint64_t *ns);
void kern_timeo_get(uint64_t ns, void *val, unsigned *len);

/*
 * sockopt.c: kern_sockopt_out: getsockopt's value v of size bytes into
 * val, up to *len bytes, which *len becomes; 0.
 */
long kern_sockopt_out(void *val, unsigned *len, const void *v, unsigned size);

/* wait.c: the one wait mechanism. */

/* A queue of waiting threads; seq counts its wakes. */
struct kern_waitq {
	struct kern_waiter *first;
	unsigned long seq;
};
struct kern_waiter {
	struct kern_waitq *q;
	struct kern_thread *thread;
	struct kern_waiter *next;
};
/* kern_waitq_add, _remove: w (of thread t) joins q, or leaves its queue. */
void kern_waitq_add(struct kern_waitq *q, struct kern_waiter *w,
		    struct kern_thread *t);
void kern_waitq_remove(struct kern_waiter *w);
/*
 * kern_waitq_detach: q's memory is about to go: its waiters leave it
 * (their records know) and look again.
 */
void kern_waitq_detach(struct kern_waitq *q);
/* kern_waitq_wake: every waiter on q looks again. */
void kern_waitq_wake(struct kern_waitq *q);
/*
 * kern_waitq_wait: the calling thread waits on q until a wake, the
 * monotonic deadline (0: none) or a signal: 0, -KERN_ETIMEDOUT or
 * -KERN_EINTR. The caller looks at its condition again after.
 */
int kern_waitq_wait(struct kern_waitq *q, uint64_t deadline);

/*
 * A poll table: the queues one thread waits on at once, up to max (a
 * file's poll operation adds its own with kern_poll_wait).
 */
struct kern_poll {
	struct kern_thread *thread;
	struct kern_waiter *waiters;
	int n, max;
	int overflow; /* a queue found no room: grow the table, look again */
};
/* kern_poll_init: a table for max queues; 0 or -KERN_ENOMEM. */
int kern_poll_init(struct kern_poll *pt, int max);
/* kern_poll_wait: pt (if not NULL) waits on q too. */
void kern_poll_wait(struct kern_poll *pt, struct kern_waitq *q);
/*
 * kern_poll_grow: pt leaves its queues and gets room for more: 0 or
 * -KERN_ENOMEM.
 */
int kern_poll_grow(struct kern_poll *pt);
/* kern_poll_forget: pt leaves every queue (it may join them again). */
void kern_poll_forget(struct kern_poll *pt);
/* kern_poll_done: pt leaves every queue and is freed. */
void kern_poll_done(struct kern_poll *pt);

/*
 * init.c: kern_init: the kernel world comes up: the core, then the VFS,
 * the devices and the RAM disk's files. 0 or -errno.
 */
int kern_init(void);

#endif /* RUMPXEN_KERN_H */
