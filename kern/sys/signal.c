/*
 * Signals, for the one process and (so far) its one thread: actions
 * (rt_sigaction), the mask (rt_sigprocmask), pending signals
 * (rt_sigpending), the alternate stack (sigaltstack, recorded; handlers
 * run on the thread's own stack), and kill, tkill and tgkill aimed at this
 * process. A signal is made pending and delivered when the thread returns
 * from a system call (never asynchronously): a handler is called there,
 * with the signal blocked while it runs (and sa_mask too) unless
 * SA_NODEFER; an ignored signal is dropped; a signal whose default action
 * is to end the process ends the guest with a report naming it and
 * status 128 + its number. A handler is called as sa_handler(sig) or,
 * with SA_SIGINFO, sa_sigaction(sig, info, NULL) with si_signo, si_code
 * SI_USER or SI_TKILL and the sender's pid.
 */
#include <string.h>

#include "sys.h"

#define NSIG	     65
#define SIG_DFL	     0
#define SIG_IGN	     1
#define SA_SIGINFO   4
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000
#define SIG_BLOCK    0
#define SIG_UNBLOCK  1
#define SIG_SETMASK  2
#define SI_USER	     0
#define SI_TKILL     (-6)
#define KERN_ESRCH   3
#define SIGKILL	     9
#define SIGSTOP	     19

/* Linux's struct sigaction as the kernel takes it (musl's k_sigaction). */
struct kern_sigaction {
	unsigned long handler, flags, restorer, mask;
};

/* The part of siginfo_t a handler gets (128 bytes in all). */
struct kern_siginfo {
	int signo, errno_, code, pad;
	int pid, uid;
	char rest[104];
};

static struct kern_sigaction sig_actions[NSIG];
static unsigned long sig_mask, sig_pending;
static int sig_code[NSIG]; /* si_code of each pending signal */

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
	const unsigned long *set = (const void *)a[1];
	unsigned long *old = (void *)a[2];
	const unsigned long never = sig_bit(SIGKILL) | sig_bit(SIGSTOP);

	if (a[3] != 8)
		return -KERN_EINVAL;
	if (old != NULL)
		*old = sig_mask;
	if (set == NULL)
		return 0;
	switch (a[0]) {
	case SIG_BLOCK:
		sig_mask |= *set & ~never;
		return 0;
	case SIG_UNBLOCK:
		sig_mask &= ~*set;
		return 0;
	case SIG_SETMASK:
		sig_mask = *set & ~never;
		return 0;
	default:
		return -KERN_EINVAL;
	}
}

long
sys_rt_sigpending(const long a[6])
{
	if (a[1] != 8)
		return -KERN_EINVAL;
	*(unsigned long *)a[0] = sig_pending & sig_mask;
	return 0;
}

long
sys_sigaltstack(const long a[6])
{
	static long stack[3]; /* ss_sp, ss_flags, ss_size: recorded */

	if (a[1] != 0)
		memcpy((void *)a[1], stack, sizeof(stack));
	if (a[0] != 0)
		memcpy(stack, (const void *)a[0], sizeof(stack));
	return 0;
}

/* sig_post: sig becomes pending for the one thread. */
static long
sig_post(long sig, int code)
{
	if (sig < 0 || sig >= NSIG)
		return -KERN_EINVAL;
	if (sig == 0)
		return 0; /* the existence check */
	sig_pending |= sig_bit(sig);
	sig_code[sig] = code;
	return 0;
}

long
sys_kill(const long a[6])
{
	/* This process is pid 1; 0 and -1 name it too. */
	if (a[0] != 1 && a[0] != 0 && a[0] != -1)
		return -KERN_ESRCH;
	return sig_post(a[1], SI_USER);
}

long
sys_tkill(const long a[6])
{
	if (a[0] != 1)
		return -KERN_ESRCH;
	return sig_post(a[1], SI_TKILL);
}

long
sys_tgkill(const long a[6])
{
	if (a[0] != 1 || a[1] != 1)
		return -KERN_ESRCH;
	return sig_post(a[2], SI_TKILL);
}

/* sig_names: for the report of a signal that ends the guest. */
static const char *const sig_names[32] = {
	NULL,	   "SIGHUP",  "SIGINT",	   "SIGQUIT", "SIGILL",	   "SIGTRAP",
	"SIGABRT", "SIGBUS",  "SIGFPE",	   "SIGKILL", "SIGUSR1",   "SIGSEGV",
	"SIGUSR2", "SIGPIPE", "SIGALRM",   "SIGTERM", "SIGSTKFLT", "SIGCHLD",
	"SIGCONT", "SIGSTOP", "SIGTSTP",   "SIGTTIN", "SIGTTOU",   "SIGURG",
	"SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGIO",
	"SIGPWR",  "SIGSYS"};

void
kern_signal_deliver(void)
{
	while (sig_pending & ~sig_mask) {
		int sig = __builtin_ctzl(sig_pending & ~sig_mask) + 1;
		struct kern_sigaction act = sig_actions[sig];

		sig_pending &= ~sig_bit(sig);
		if (act.handler == SIG_IGN ||
		    (act.handler == SIG_DFL && sig_default_ignored(sig)))
			continue;
		if (act.handler == SIG_DFL) {
			platform_console_printf(
				"rumpxen: the process was ended by signal %d "
				"(%s)\n",
				sig,
				sig < 32 ? sig_names[sig]
					 : "a realtime signal");
			platform_exit(128 + sig);
		}
		unsigned long saved = sig_mask;
		sig_mask |= act.mask;
		if (!(act.flags & SA_NODEFER))
			sig_mask |= sig_bit(sig);
		if (act.flags & SA_RESETHAND)
			sig_actions[sig].handler = SIG_DFL;
		if (act.flags & SA_SIGINFO) {
			struct kern_siginfo info = {
				.signo = sig, .code = sig_code[sig], .pid = 1};
			((void (*)(int, void *, void *))act.handler)(sig, &info,
								     NULL);
		} else {
			((void (*)(int))act.handler)(sig);
		}
		sig_mask = saved;
	}
}
