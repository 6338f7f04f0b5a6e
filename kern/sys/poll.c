/*
 * poll, ppoll, select and pselect6, on the one wait mechanism: a pass
 * over the fds asks each file what is ready (its poll operation) and
 * joins its queues; with nothing ready the thread sleeps until a queue
 * wakes it, the timeout passes (then a last pass) or a signal comes
 * (EINTR). ppoll and pselect6 set their signal mask until the call
 * returns. select's sets are as Linux builds them from poll's events:
 * readable on POLLIN, POLLHUP or POLLERR, writable on POLLOUT or POLLERR,
 * exceptional on POLLPRI; an fd not open is EBADF there (POLLNVAL for
 * poll). select writes back the time left.
 */
#include <string.h>

#include "sys.h"

#define POLL_IN_SET                                                            \
	(KERN_POLLIN | KERN_POLLRDNORM | KERN_POLLHUP | KERN_POLLERR)
#define POLL_OUT_SET (KERN_POLLOUT | KERN_POLLWRNORM | KERN_POLLERR)
#define POLL_EX_SET  KERN_POLLPRI

/* Linux's struct pollfd. */
struct kern_pollfd {
	int fd;
	short events, revents;
};

/*
 * poll_pass: sets each revents; the count of fds with any. With pt, the
 * files' queues are joined.
 */
static long
poll_pass(struct kern_pollfd *fds, unsigned long n, struct kern_poll *pt)
{
	long count = 0;

	for (unsigned long i = 0; i < n; i++) {
		struct kern_file *f;
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = kern_fd_file(fds[i].fd);
		if (f == NULL) {
			fds[i].revents = KERN_POLLNVAL;
		} else {
			unsigned want = (unsigned short)fds[i].events |
					KERN_POLLERR | KERN_POLLHUP;
			fds[i].revents = (short)(kern_file_poll(f, pt) & want);
		}
		count += fds[i].revents != 0;
	}
	return count;
}

/*
 * poll_wait: passes until something is ready, the monotonic deadline
 * (0: none; now or past: one pass) or a signal. The count or -errno.
 */
static long
poll_wait(struct kern_pollfd *fds, unsigned long n, uint64_t deadline, int once)
{
	struct kern_poll pt;
	long count;
	int err;

	if (kern_poll_init(&pt, (int)(2 * n + 8)) != 0)
		return -KERN_ENOMEM;
	for (;;) {
		count = poll_pass(fds, n, once ? NULL : &pt);
		if (count > 0 || once)
			break;
		if (pt.overflow) {
			/* Not every queue joined: a bigger table, again. */
			if (kern_poll_grow(&pt) != 0) {
				count = -KERN_ENOMEM;
				break;
			}
			continue;
		}
		err = kern_thread_sleep(pt.thread, deadline, 1);
		kern_poll_forget(&pt);
		if (err == -KERN_EINTR) {
			count = err;
			break;
		}
		once = err == -KERN_ETIMEDOUT; /* a last look */
	}
	kern_poll_done(&pt);
	return count;
}

/*
 * poll_deadline: the monotonic deadline of a relative timeout ts, 0 for
 * none (ts NULL, or forever); -EINVAL for a timespec that is not one.
 */
static long
poll_deadline(const struct kern_timespec *ts, uint64_t *deadline)
{
	uint64_t t;
	long err;

	*deadline = 0;
	if (ts == NULL)
		return 0;
	err = kern_timespec_ns(ts, &t);
	if (err != 0 || t == KERN_NS_FOREVER)
		return err;
	*deadline = kern_now() + t;
	if (*deadline == 0)
		*deadline = 1; /* 0 would mean none */
	return 0;
}

long
sys_poll(const long a[6])
{
	unsigned long n = (unsigned long)a[1];
	int ms = (int)a[2];

	if (n > KERN_FD_MAX)
		return -KERN_EINVAL;
	if (ms < 0)
		return poll_wait((struct kern_pollfd *)a[0], n, 0, 0);
	const struct kern_timespec ts = {ms / 1000, (ms % 1000) * 1000000l};
	uint64_t deadline;
	poll_deadline(&ts, &deadline); /* ms >= 0: a valid timespec */
	return poll_wait((struct kern_pollfd *)a[0], n, deadline, ms == 0);
}

/* poll_sigmask: ppoll's or pselect6's mask for the call, if any. */
static long
poll_sigmask(const unsigned long *mask, long size)
{
	if (mask == NULL)
		return 0;
	if (size != 8)
		return -KERN_EINVAL;
	kern_signal_mask_for_call(kern_thread_self(), *mask);
	return 0;
}

long
sys_ppoll(const long a[6])
{
	const struct kern_timespec *ts = (const void *)a[2];
	unsigned long n = (unsigned long)a[1];

	uint64_t deadline;

	if (n > KERN_FD_MAX)
		return -KERN_EINVAL;
	long err = poll_deadline(ts, &deadline);
	if (err != 0)
		return err;
	err = poll_sigmask((const unsigned long *)a[3], a[4]);
	if (err != 0)
		return err;
	return poll_wait((struct kern_pollfd *)a[0], n, deadline,
			 ts != NULL && ts->sec == 0 && ts->nsec == 0);
}

/*
 * select_wait: select's work on sets of nfds bits, till deadline (as
 * poll_wait). Rewrites the sets; the count of bits set, or -errno.
 */
static long
select_wait(int nfds, unsigned long *r, unsigned long *w, unsigned long *e,
	    uint64_t deadline, int once)
{
	unsigned long *sets[3] = {r, w, e};
	const unsigned masks[3] = {POLL_IN_SET, POLL_OUT_SET, POLL_EX_SET};
	struct kern_pollfd *fds;
	unsigned char *in; /* the sets each fd came in, a bit each */
	size_t size;
	unsigned long n = 0;
	long count;
	void *m;

	if (nfds < 0 || nfds > KERN_FD_MAX)
		return -KERN_EINVAL;
	size = (sizeof(*fds) + 1) * (size_t)(nfds + 1);
	if (rumpuser_malloc(size, 0, &m) != 0)
		return -KERN_ENOMEM;
	fds = m;
	in = (unsigned char *)(fds + nfds + 1);
	for (int fd = 0; fd < nfds; fd++) {
		short ev = 0;
		unsigned char bits = 0;
		for (int k = 0; k < 3; k++)
			if (sets[k] != NULL &&
			    (sets[k][fd / 64] >> (fd % 64)) & 1) {
				ev |= (short)masks[k];
				bits |= (unsigned char)(1u << k);
			}
		if (ev == 0)
			continue;
		if (kern_fd_file(fd) == NULL) {
			rumpuser_free(m, size);
			return -KERN_EBADF;
		}
		in[n] = bits;
		fds[n++] = (struct kern_pollfd){fd, ev, 0};
	}
	count = poll_wait(fds, n, deadline, once);
	if (count >= 0) {
		count = 0;
		for (int k = 0; k < 3; k++)
			if (sets[k] != NULL)
				memset(sets[k], 0,
				       (size_t)(nfds + 63) / 64 * 8);
		for (unsigned long i = 0; i < n; i++)
			for (int k = 0; k < 3; k++)
				if ((in[i] & (1u << k)) &&
				    ((unsigned)fds[i].revents & masks[k])) {
					sets[k][fds[i].fd / 64] |=
						1ul << (fds[i].fd % 64);
					count++;
				}
	}
	rumpuser_free(m, size);
	return count;
}

/* Linux's struct timeval. */
struct kern_timeval {
	long sec, usec;
};

long
sys_select(const long a[6])
{
	struct kern_timeval *tv = (struct kern_timeval *)a[4];
	uint64_t deadline = 0;
	int once = 0;

	if (tv != NULL) {
		if (tv->sec < 0 || tv->usec < 0 || tv->usec >= 1000000)
			return -KERN_EINVAL;
		const struct kern_timespec ts = {tv->sec, tv->usec * 1000};
		poll_deadline(&ts, &deadline); /* a valid timespec */
		once = tv->sec == 0 && tv->usec == 0;
	}
	long r = select_wait((int)a[0], (unsigned long *)a[1],
			     (unsigned long *)a[2], (unsigned long *)a[3],
			     deadline, once);
	if (tv != NULL && r >= 0) {
		uint64_t now = kern_now(),
			 left = deadline > now ? deadline - now : 0;
		struct kern_timespec ts;
		kern_timespec_from_ns(left, &ts);
		tv->sec = ts.sec;
		tv->usec = ts.nsec / 1000;
	}
	return r;
}

long
sys_pselect6(const long a[6])
{
	const struct kern_timespec *ts = (const void *)a[4];
	const unsigned long *sig = (const unsigned long *)a[5];

	uint64_t deadline;
	long err = poll_deadline(ts, &deadline);

	if (err != 0)
		return err;
	if (sig != NULL) {
		err = poll_sigmask((const unsigned long *)sig[0], (long)sig[1]);
		if (err != 0)
			return err;
	}
	return select_wait((int)a[0], (unsigned long *)a[1],
			   (unsigned long *)a[2], (unsigned long *)a[3],
			   deadline,
			   ts != NULL && ts->sec == 0 && ts->nsec == 0);
}
