/*
 * Signals taken as data rather than by handlers: rt_sigtimedwait (and
 * musl's sigwait, sigwaitinfo, sigtimedwait over it), which takes one of
 * a set of signals pending for the thread or the process, waiting for
 * one (until its timeout: EAGAIN; a signal outside the set that the
 * thread takes ends it with EINTR); and signalfd4 (and signalfd), a file
 * whose reads take the reader's pending signals of its mask as Linux's
 * struct signalfd_siginfo, 128 bytes each (waiting while there is none,
 * EAGAIN with O_NONBLOCK), and that poll and epoll see readable while
 * one is pending. The signals are normally blocked, as on Linux, so that
 * no handler takes them first. SIGKILL and SIGSTOP are never in a set.
 */
#include <string.h>

#include "sys.h"

#define SIG_NEVER ((1ul << 8) | (1ul << 18)) /* SIGKILL, SIGSTOP */
#define SFD_INFO  128

/* The start of siginfo_t that we fill: what a kern_sigrec holds. */
struct kern_siginfo_head {
	int signo, errno_, code, pad, a, b;
	unsigned long value;
};
/* The start of struct signalfd_siginfo. */
struct kern_sfd_head {
	unsigned signo;
	int errno_, code;
	unsigned pid, uid;
	int fd;
	unsigned tid, band, overrun, trapno;
	int status, int_;
	unsigned long ptr;
};
#define SI_TIMER (-2)

/* sfd_info: signalfd's record of sig, carrying rec, as Linux fills it. */
static void
sfd_info(struct kern_sfd_head *h, int sig, const struct kern_sigrec *rec)
{
	h->signo = (unsigned)sig;
	h->code = rec->code;
	if (rec->code == SI_TIMER) {
		h->tid = (unsigned)rec->a;
		h->overrun = (unsigned)rec->b;
	} else {
		h->pid = (unsigned)rec->a;
		h->uid = (unsigned)rec->b;
	}
	h->int_ = (int)rec->value;
	h->ptr = rec->value;
}

long
sys_rt_sigtimedwait(const long a[6])
{
	struct kern_thread *t = kern_thread_self();
	const struct kern_timespec *timeout = (const void *)a[2];
	uint64_t deadline = 0, ns = 0;
	struct kern_sigrec rec;

	if (a[3] != 8)
		return -KERN_EINVAL;
	if (a[0] == 0)
		return -KERN_EFAULT;
	unsigned long set = *(const unsigned long *)a[0] & ~SIG_NEVER;
	if (timeout != NULL) {
		if (kern_timespec_ns(timeout, &ns) != 0)
			return -KERN_EINVAL;
		deadline = ns == KERN_NS_FOREVER ? 0 : kern_now() + ns;
	}
	for (;;) {
		int sig = kern_signal_take(t, set, &rec);
		if (sig != 0) {
			if (a[1] != 0) {
				memset((void *)a[1], 0, 128);
				*(struct kern_siginfo_head *)a[1] =
					(struct kern_siginfo_head){
						sig,   0,     rec.code, 0,
						rec.a, rec.b, rec.value};
			}
			return sig;
		}
		if (timeout != NULL && ns == 0)
			return -KERN_EAGAIN;
		if (kern_thread_signalled(t))
			return -KERN_EINTR; /* one outside the set to take */
		t->sig_waiting = set;
		int err = kern_thread_sleep(t, deadline, 1);
		t->sig_waiting = 0;
		if (err == -KERN_ETIMEDOUT)
			return -KERN_EAGAIN;
	}
}

struct signalfd {
	unsigned long mask;
};

static long
signalfd_read(struct kern_file *f, void *buf, size_t len)
{
	struct signalfd *s = f->priv;
	struct kern_thread *t = kern_thread_self();
	size_t done = 0;
	struct kern_sigrec rec;

	if (len < SFD_INFO)
		return -KERN_EINVAL;
	while (done + SFD_INFO <= len) {
		int sig = kern_signal_take(t, s->mask, &rec);
		if (sig == 0 && done > 0)
			break;
		if (sig == 0) {
			if (f->flags & KERN_O_NONBLOCK)
				return -KERN_EAGAIN;
			long err = kern_waitq_wait(&kern_signal_q, 0);
			/* One of the mask that ended the wait is read. */
			if (err != 0 &&
			    ((t->sig_pending | kern_proc_sig_pending) &
			     s->mask))
				err = 0;
			if (err != 0)
				return err;
			continue;
		}
		char *info = (char *)buf + done;
		memset(info, 0, SFD_INFO);
		sfd_info((struct kern_sfd_head *)info, sig, &rec);
		done += SFD_INFO;
	}
	return (long)done;
}

static unsigned
signalfd_poll(struct kern_file *f, struct kern_poll *pt)
{
	struct signalfd *s = f->priv;
	struct kern_thread *t = kern_thread_self();

	kern_poll_wait(pt, &kern_signal_q);
	return ((t->sig_pending | kern_proc_sig_pending) & s->mask)
		       ? KERN_POLLIN | KERN_POLLRDNORM
		       : 0;
}

static void
signalfd_release(struct kern_file *f)
{
	rumpuser_free(f->priv, sizeof(struct signalfd));
	rumpuser_free(f, sizeof(*f));
}

static const struct kern_file_ops signalfd_ops = {
	.read = signalfd_read,
	.fstat = kern_file_fstat_anon,
	.poll = signalfd_poll,
	.release = signalfd_release,
	.name = "anon_inode:[signalfd]",
};

long
sys_signalfd4(const long a[6])
{
	unsigned long mask;
	struct kern_file *f;
	void *m;

	if (a[2] != 8 || (a[3] & ~(long)(KERN_O_CLOEXEC | KERN_O_NONBLOCK)))
		return -KERN_EINVAL;
	if (a[1] == 0)
		return -KERN_EFAULT;
	mask = *(const unsigned long *)a[1] & ~SIG_NEVER;
	if (a[0] != -1) {
		/* A new mask for a signalfd there is. */
		f = kern_fd_file(a[0]);
		if (f == NULL)
			return -KERN_EBADF;
		if (f->ops != &signalfd_ops)
			return -KERN_EINVAL;
		((struct signalfd *)f->priv)->mask = mask;
		kern_waitq_wake(&kern_signal_q); /* readers look again */
		return a[0];
	}
	if (rumpuser_malloc(sizeof(struct signalfd), 0, &m) != 0)
		return -KERN_ENOMEM;
	((struct signalfd *)m)->mask = mask;
	f = kern_file_new(&signalfd_ops,
			  KERN_O_RDONLY | (int)(a[3] & KERN_O_NONBLOCK), m);
	if (f == NULL) {
		rumpuser_free(m, sizeof(struct signalfd));
		return -KERN_ENOMEM;
	}
	long fd = kern_fd_install(f, 0, (a[3] & KERN_O_CLOEXEC) != 0);
	if (fd < 0)
		signalfd_release(f);
	return fd;
}

long
sys_signalfd(const long a[6])
{
	const long b[6] = {a[0], a[1], a[2], 0};

	return sys_signalfd4(b);
}
