/*
 * Signals: actions for the process (rt_sigaction), a mask and pending
 * set per thread (rt_sigprocmask, rt_sigpending), waits for one
 * (rt_sigsuspend, whose mask holds until its handler returns; pause),
 * kill (to the process), tkill and tgkill (to one thread), and
 * rt_sigqueueinfo and rt_tgsigqueueinfo (sigqueue: a value comes with
 * it; a forged kernel's or kill's si_code is EPERM from any thread but
 * the one whose tid is the pid named, as Linux checks it). A handler
 * with SA_ONSTACK runs on the thread's alternate stack (sigstack.c,
 * sigaltstack), a fault's too.
 *
 * What is supported: a signal is delivered when its thread returns from a
 * system call, never asynchronously. Sending one to a thread that does
 * not block it ends that thread's interruptible wait (futex, sleeps,
 * console input) with EINTR, which is how musl's pthread_cancel works
 * here: its SIGCANCEL handler finds the thread outside musl's
 * cancellable-call window and leaves SIGCANCEL pending and blocked, and
 * the cancellable call itself (libc/overlay syscall_cp) sees the cancel
 * flag after the EINTR. A signal sent to the process goes to the sender,
 * or if it blocks the signal, to the first thread that does not or that
 * waits for it in rt_sigtimedwait (sigwait.c, which also has signalfd:
 * every signal sent wakes kern_signal_q, where signalfd's readers wait). A
 * handler gets sa_handler(sig) or, with SA_SIGINFO, sa_sigaction(sig,
 * info, ucontext) with si_signo, si_code (SI_USER, SI_TKILL, SI_QUEUE,
 * SI_TIMER...) and what comes with it (the sender's pid, a value, a
 * timer's id and overruns), and a ucontext whose uc_sigmask is the mask
 * restored when the handler returns (a handler may change it, as on
 * Linux) and whose PC is not the program's; the signal is blocked while
 * it runs (and sa_mask) unless SA_NODEFER. An ignored
 * signal is dropped; one whose default action ends the process ends the
 * guest with a report naming it and status 128 + its number. A fault in
 * the program (the platform's hook) is a signal for the faulting thread
 * at once: its handler runs, with si_addr, and the thread resumes (or
 * longjmps away); without a handler, or with the signal blocked or
 * ignored, the guest ends with the platform's report of the fault.
 *
 * A call a handler with SA_RESTART interrupted starts again after it
 * when Linux would restart it (dispatch.c's sys_restartable); others
 * return EINTR.
 *
 * Not supported: asynchronous delivery (a thread that never makes a
 * system call never sees its signals), stop and continue, and real-time
 * signals queueing more than once (one of each is pending at a time; a
 * second sent meanwhile is discarded, the first's record kept, as Linux
 * does for standard signals).
 */
#include <string.h>

#include "sys.h"

#define NSIG	     65
#define SIG_DFL	     0
#define SIG_IGN	     1
#define SA_SIGINFO   4
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000
#define SIG_BLOCK    0
#define SIG_UNBLOCK  1
#define SIG_SETMASK  2
#define SI_USER	     0
#define SI_TKILL     (-6)
#define SI_TIMER     (-2)
#define SI_KERNEL    0x80
#define SIGBUS	     7
#define SIGSEGV	     11
#define SIGTERM	     15
#define SEGV_ACCERR  2
#define BUS_ADRERR   2
#define SIGKILL	     9
#define SIGSTOP	     19
#define SIG_NEVER    ((1ul << (SIGKILL - 1)) | (1ul << (SIGSTOP - 1)))

/* Linux's struct sigaction as the kernel takes it (musl's k_sigaction). */
struct kern_sigaction {
	unsigned long handler, flags, restorer, mask;
};

/* The part of siginfo_t a handler gets (128 bytes in all). */
struct kern_siginfo {
	int signo, errno_, code, pad;
	union {
		struct {
			int a, b; /* pid and uid, or a timer's id and overrun */
			unsigned long value;
		} rec;		    /* a kern_sigrec's */
		unsigned long addr; /* a fault's */
	} u;
	char rest[96];
};

/* The x86_64 ucontext_t a SA_SIGINFO handler gets (musl's layout). */
struct kern_ucontext {
	unsigned long flags, link;
	struct kern_stack stack;
	unsigned long gregs[23]; /* gregs[16] is the PC */
	unsigned long fpregs, reserved[8];
	unsigned long sigmask[16];
	unsigned long fpregs_mem[64];
};
#define REG_RIP 16

static struct kern_sigaction sig_actions[NSIG];
static struct kern_sigrec sig_proc_info[NSIG];
struct kern_waitq kern_signal_q;

/* sig_bit: the mask bit of sig (1..64). */
static unsigned long
sig_bit(long sig)
{
	return 1ul << (sig - 1);
}

/* sig_default_ignored: SIGCHLD, SIGCONT, SIGURG, SIGWINCH. */
static int
sig_default_ignored(int sig)
{
	return sig == 17 || sig == 18 || sig == 23 || sig == 28;
}

long
sys_rt_sigaction(const long a[6])
{
	long sig = a[0];
	const struct kern_sigaction *act = (const void *)a[1];
	struct kern_sigaction *old = (void *)a[2];

	if (sig < 1 || sig >= NSIG || a[3] != 8)
		return -KERN_EINVAL;
	if (act != NULL && (sig == SIGKILL || sig == SIGSTOP))
		return -KERN_EINVAL;
	if (old != NULL)
		*old = sig_actions[sig];
	if (act != NULL)
		sig_actions[sig] = *act;
	return 0;
}

long
sys_rt_sigprocmask(const long a[6])
{
	struct kern_thread *t = kern_thread_self();
	const unsigned long *set = (const void *)a[1];
	unsigned long *old = (void *)a[2];

	if (a[3] != 8)
		return -KERN_EINVAL;
	if (old != NULL)
		*old = t->sig_mask;
	if (set == NULL)
		return 0;
	switch (a[0]) {
	case SIG_BLOCK:
		t->sig_mask |= *set & ~SIG_NEVER;
		return 0;
	case SIG_UNBLOCK:
		t->sig_mask &= ~*set;
		return 0;
	case SIG_SETMASK:
		t->sig_mask = *set & ~SIG_NEVER;
		return 0;
	default:
		return -KERN_EINVAL;
	}
}

long
sys_rt_sigpending(const long a[6])
{
	const struct kern_thread *t = kern_thread_self();

	if (a[1] != 8)
		return -KERN_EINVAL;
	*(unsigned long *)a[0] =
		(t->sig_pending | kern_proc_sig_pending) & t->sig_mask;
	return 0;
}

/* sig_wait: until a signal t must take; -EINTR. */
static long
sig_wait(struct kern_thread *t)
{
	while (kern_thread_sleep(t, 0, 1) != -KERN_EINTR)
		;
	return -KERN_EINTR;
}

long
sys_rt_sigsuspend(const long a[6])
{
	struct kern_thread *t = kern_thread_self();

	if (a[1] != 8)
		return -KERN_EINVAL;
	kern_signal_mask_for_call(t, *(const unsigned long *)a[0]);
	return sig_wait(t);
}

long
sys_pause(const long a[6])
{
	(void)a;
	return sig_wait(kern_thread_self());
}

void
kern_signal_mask_for_call(struct kern_thread *t, unsigned long mask)
{
	t->sig_saved_mask = t->sig_mask;
	t->sig_restore = 1;
	t->sig_mask = mask & ~SIG_NEVER;
}

/* sig_wants: t takes sig now: it does not block it, or waits for it. */
static int
sig_wants(const struct kern_thread *t, long sig)
{
	return !(t->sig_mask & sig_bit(sig)) || (t->sig_waiting & sig_bit(sig));
}

/*
 * sig_held: t (NULL: some thread of the process) blocks sig or waits for
 * it, so that it stays pending even if ignored (sigwait, signalfd).
 */
static int
sig_held(const struct kern_thread *t, long sig)
{
	if (t != NULL)
		return ((t->sig_mask | t->sig_waiting) & sig_bit(sig)) != 0;
	for (t = kern_threads(); t != NULL; t = t->next)
		if ((t->sig_mask | t->sig_waiting) & sig_bit(sig))
			return 1;
	return 0;
}

long
kern_signal_queue(struct kern_thread *t, long sig,
		  const struct kern_sigrec *rec)
{
	if (sig < 0 || sig >= NSIG)
		return -KERN_EINVAL;
	if (sig == 0)
		return 0; /* the existence check */
	if ((sig_actions[sig].handler == SIG_IGN ||
	     (sig_actions[sig].handler == SIG_DFL &&
	      sig_default_ignored(sig))) &&
	    !sig_held(t, sig))
		return 0; /* discarded when sent, as Linux does */
	/*
	 * One already pending takes no second, as Linux's standard signals
	 * (its record stays: a timer's is not lost to a later sender).
	 */
	if ((t != NULL ? t->sig_pending : kern_proc_sig_pending) & sig_bit(sig))
		return 0;
	if (t != NULL) {
		t->sig_pending |= sig_bit(sig);
		t->sig_info[sig] = *rec;
	} else {
		kern_proc_sig_pending |= sig_bit(sig);
		sig_proc_info[sig] = *rec;
		/*
		 * The sender takes it if it can, as on Linux; else another
		 * (the kernel's own threads, timers', are none of them).
		 */
		struct lwp *l = rumpuser_curlwp();
		t = l != NULL ? l->thread : NULL;
		if (t == NULL || !sig_wants(t, sig)) {
			/* As Linux: the main thread first, then the oldest. */
			struct kern_thread *best = NULL;
			for (t = kern_threads(); t != NULL; t = t->next)
				if (sig_wants(t, sig) &&
				    (best == NULL || t->tid < best->tid))
					best = t;
			t = best;
		}
	}
	if (t != NULL && (t->sig_waiting & sig_bit(sig)))
		kern_thread_wake(t); /* it blocks sig: no interrupt ends it */
	else if (t != NULL && sig_wants(t, sig))
		kern_thread_interrupt(t);
	kern_waitq_wake(&kern_signal_q); /* signalfd's readers look */
	return 1;
}

/* sig_post: sig from this process, with code, to t or the process. */
static long
sig_post(struct kern_thread *t, long sig, int code)
{
	const struct kern_sigrec rec = {code, 1, 0, 0}; /* pid 1, uid 0 */
	long r = kern_signal_queue(t, sig, &rec);

	return r > 0 ? 0 : r;
}

long
kern_signal_send(struct kern_thread *t, int sig)
{
	const struct kern_sigrec rec = {SI_KERNEL, 0, 0, 0};
	long r = kern_signal_queue(t, sig, &rec);

	return r > 0 ? 0 : r;
}

long
sys_kill(const long a[6])
{
	/* This process is pid 1; 0 and -1 name it too. */
	if (a[0] != 1 && a[0] != 0 && a[0] != -1)
		return -KERN_ESRCH;
	return sig_post(NULL, a[1], SI_USER);
}

long
sys_tkill(const long a[6])
{
	struct kern_thread *t = kern_thread_find((int)a[0]);

	if (t == NULL || a[0] <= 0)
		return -KERN_ESRCH;
	return sig_post(t, a[1], SI_TKILL);
}

long
sys_tgkill(const long a[6])
{
	struct kern_thread *t = kern_thread_find((int)a[1]);

	if (a[0] != 1 || t == NULL || a[1] <= 0)
		return -KERN_ESRCH;
	return sig_post(t, a[2], SI_TKILL);
}

/*
 * sig_queue_info: rt_sigqueueinfo's and rt_tgsigqueueinfo's siginfo
 * info, sig to t (NULL: the process) from the calling thread, whose tid
 * Linux wants to be the pid named (self) for a code >= 0 or SI_TKILL:
 * a code the kernel's own or kill's, which may not be forged.
 */
static long
sig_queue_info(struct kern_thread *t, long pid, long sig,
	       const struct kern_siginfo *info)
{
	if (info == NULL)
		return -KERN_EFAULT;
	if ((info->code >= 0 || info->code == SI_TKILL) &&
	    kern_thread_self()->tid != pid)
		return -KERN_EPERM;
	const struct kern_sigrec rec = {info->code, info->u.rec.a,
					info->u.rec.b, info->u.rec.value};
	long r = kern_signal_queue(t, sig, &rec);
	return r > 0 ? 0 : r;
}

long
sys_rt_sigqueueinfo(const long a[6])
{
	if (a[0] != 1)
		return -KERN_ESRCH; /* this process is pid 1 */
	return sig_queue_info(NULL, a[0], a[1], (const void *)a[2]);
}

long
sys_rt_tgsigqueueinfo(const long a[6])
{
	struct kern_thread *t = kern_thread_find((int)a[1]);

	if (a[0] != 1 || t == NULL || a[1] <= 0)
		return -KERN_ESRCH;
	return sig_queue_info(t, a[0], a[2], (const void *)a[3]);
}

/* sig_names: for the report of a signal that ends the guest. */
static const char *const sig_names[32] = {
	NULL,	   "SIGHUP",  "SIGINT",	   "SIGQUIT", "SIGILL",	   "SIGTRAP",
	"SIGABRT", "SIGBUS",  "SIGFPE",	   "SIGKILL", "SIGUSR1",   "SIGSEGV",
	"SIGUSR2", "SIGPIPE", "SIGALRM",   "SIGTERM", "SIGSTKFLT", "SIGCHLD",
	"SIGCONT", "SIGSTOP", "SIGTSTP",   "SIGTTIN", "SIGTTOU",   "SIGURG",
	"SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGIO",
	"SIGPWR",  "SIGSYS"};

int
kern_signal_take(struct kern_thread *t, unsigned long set,
		 struct kern_sigrec *rec)
{
	unsigned long ready = (t->sig_pending | kern_proc_sig_pending) & set;

	if (ready == 0)
		return 0;
	int sig = __builtin_ctzl(ready) + 1;
	if (t->sig_pending & sig_bit(sig)) {
		t->sig_pending &= ~sig_bit(sig);
		*rec = t->sig_info[sig];
	} else {
		kern_proc_sig_pending &= ~sig_bit(sig);
		*rec = sig_proc_info[sig];
	}
	if (rec->code == SI_TIMER)
		kern_ptimer_taken(rec); /* its overruns until now */
	return sig;
}

/*
 * sig_take: the next signal t must take, with its action and si_code,
 * taken off the pending sets, and t's mask set for its handler; 0 when
 * there is none. The CPU held.
 */
static int
sig_take(struct kern_thread *t, struct kern_sigaction *act,
	 struct kern_sigrec *rec)
{
	int sig;

	for (;;) {
		sig = kern_signal_take(t, ~t->sig_mask, rec);
		if (sig == 0)
			return 0;
		*act = sig_actions[sig];
		if (act->handler == SIG_IGN ||
		    (act->handler == SIG_DFL && sig_default_ignored(sig)))
			continue;
		if (act->handler == SIG_DFL)
			return sig;
		if (act->flags & SA_RESETHAND)
			sig_actions[sig].handler = SIG_DFL;
		return sig;
	}
}

void
kern_signal_shutdown(const char *request)
{
	(void)request; /* poweroff, halt or reboot: all mean "go" */
	kern_enter();
	kern_signal_send(NULL, SIGTERM);
	kern_leave_done(); /* the hook's thread ends */
}

void
kern_signal_fatal(int sig)
{
	platform_console_printf(
		"rumpxen: the process was ended by signal %d "
		"(%s)\n",
		sig, sig < 32 ? sig_names[sig] : "a realtime signal");
	kern_enter();
	kern_proc_end(128 + sig);
}

/* A handler's call, for kern_sigstack_call. */
struct sig_call {
	const struct kern_sigaction *act;
	int sig;
	struct kern_siginfo *info;
	struct kern_ucontext *uc;
};

static void
sig_call_handler(void *arg)
{
	const struct sig_call *c = arg;

	if (c->act->flags & SA_SIGINFO)
		((void (*)(int, void *, void *))c->act->handler)(
			c->sig, c->info, c->uc);
	else
		((void (*)(int))c->act->handler)(c->sig);
}

/*
 * sig_run: runs sig's handler act in thread t, which holds no CPU, with
 * the mask the handler runs under, and the mask the handler's ucontext
 * says (changed or not) after it.
 */
static void
sig_run(struct kern_thread *t, int sig, const struct kern_sigaction *act,
	struct kern_siginfo *info)
{
	struct kern_ucontext uc;

	memset(&uc, 0, sizeof(uc));
	kern_enter();
	uc.sigmask[0] = t->sig_restore ? t->sig_saved_mask : t->sig_mask;
	t->sig_restore = 0;
	uc.gregs[REG_RIP] = (unsigned long)sig_run;
	t->sig_mask |= act->mask;
	if (!(act->flags & SA_NODEFER))
		t->sig_mask |= sig_bit(sig);
	t->sig_mask &= ~SIG_NEVER;
	kern_leave();
	struct sig_call call = {act, sig, info, &uc};
	kern_sigstack_call(t, act->flags, sig_call_handler, &call, &uc.stack);
	kern_enter();
	t->sig_mask = uc.sigmask[0] & ~SIG_NEVER;
	kern_leave();
}

int
kern_signal_deliver(struct kern_thread *t)
{
	struct kern_sigaction act;
	struct kern_sigrec rec;
	int sig, restart = -1;

	/* A look without the CPU: what comes meanwhile waits for the next. */
	while ((t->sig_pending | kern_proc_sig_pending) & ~t->sig_mask) {
		kern_enter();
		sig = sig_take(t, &act, &rec);
		kern_leave();
		if (sig == 0)
			break;
		if (act.handler == SIG_DFL)
			kern_signal_fatal(sig);
		struct kern_siginfo info = {.signo = sig,
					    .code = rec.code,
					    .u.rec = {rec.a, rec.b, rec.value}};
		sig_run(t, sig, &act, &info);
		/*
		 * A handler that left its signal pending again wants the call
		 * to end (musl's SIGCANCEL handler, outside the cancellable
		 * window: its syscall_cp acts on the EINTR).
		 */
		if (restart < 0)
			restart = (act.flags & SA_RESTART) &&
				  !((t->sig_pending | kern_proc_sig_pending) &
				    sig_bit(sig));
	}
	if (t->sig_restore) {
		/* A call's own mask (sigsuspend, ppoll...) ends with it. */
		kern_enter();
		t->sig_mask = t->sig_saved_mask;
		t->sig_restore = 0;
		kern_leave();
		restart = 0; /* sigsuspend, ppoll...: never started again */
	}
	return restart > 0;
}

int
kern_signal_fault(const struct platform_fault *f)
{
	struct kern_thread *t = kern_thread_app();
	struct kern_sigaction act;
	int held = kern_cpu_held();

	if (t == NULL && !held)
		return 0; /* a platform thread's: the platform's report */
	struct platform_fault bus = *f;
	if (f->sig == SIGSEGV) {
		/* The kernel too may touch a file's page not shown yet. */
		int m = kern_mem_fault(f->addr, f->code == SEGV_ACCERR, held);
		if (m > 0)
			return 1; /* a file's page, shown now: go on */
		if (held)
			return 0; /* the kernel's own fault: the report */
		if (m < 0) {
			bus.sig = SIGBUS;
			bus.code = BUS_ADRERR;
			f = &bus;
		}
	}
	if (t == NULL)
		return 0; /* the kernel's own fault: the platform's report */
	act = sig_actions[f->sig];
	if (act.handler == SIG_DFL || act.handler == SIG_IGN ||
	    (t->sig_mask & sig_bit(f->sig))) {
		/* Ended, as Linux ends a process that cannot take it. */
		platform_console_printf("rumpxen: the process was ended by "
					"signal %d (%s)\n",
					f->sig, sig_names[f->sig]);
		return 0;
	}
	if (act.flags & SA_RESETHAND)
		sig_actions[f->sig].handler = SIG_DFL;
	struct kern_siginfo info = {
		.signo = f->sig, .code = f->code, .u.addr = f->addr};
	sig_run(t, f->sig, &act, &info);
	return 1;
}

void
kern_signal_dispositions(unsigned long *ignored, unsigned long *caught)
{
	*ignored = *caught = 0;
	for (int sig = 1; sig < NSIG; sig++)
		if (sig_actions[sig].handler == SIG_IGN)
			*ignored |= sig_bit(sig);
		else if (sig_actions[sig].handler != SIG_DFL)
			*caught |= sig_bit(sig);
}
