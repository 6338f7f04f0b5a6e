/*
 * timerfd_create, timerfd_settime, timerfd_gettime: a timer as a file
 * (timer.c's kern_timer), which counts its expirations: a read takes the
 * count (8 bytes) and zeroes it, waiting while it is 0 (EAGAIN with
 * O_NONBLOCK); poll and epoll see it readable while the count is not 0.
 * CLOCK_MONOTONIC and CLOCK_BOOTTIME run alike here; CLOCK_REALTIME's
 * TFD_TIMER_ABSTIME times are wall-clock times, turned into monotonic
 * ones when set (a later change of the wall clock does not move them).
 * Setting the timer again zeroes the count, as on Linux; an absolute time
 * already past keeps its phase and counts the expirations it missed.
 */
#include <string.h>

#include "sys.h"

#define CLOCK_REALTIME	  0
#define CLOCK_MONOTONIC	  1
#define CLOCK_BOOTTIME	  7
#define TFD_TIMER_ABSTIME 1
/* Taken; the wall clock is never set here, so nothing is cancelled. */
#define TFD_TIMER_CANCEL_ON_SET 2
#define NS			1000000000ull

/* Linux's struct itimerspec: the interval, then the value. */
struct kern_itimerspec {
	struct kern_timespec interval, value;
};

struct timerfd {
	struct kern_timer timer; /* first: fire finds us from it */
	uint64_t count;		 /* expirations not read yet */
	int clock;
	struct kern_waitq q;
};

static void
timerfd_fire(struct kern_timer *t, uint64_t overruns)
{
	struct timerfd *tf = (struct timerfd *)t;

	tf->count += overruns;
	kern_waitq_wake(&tf->q);
}

static long
timerfd_read(struct kern_file *f, void *buf, size_t len)
{
	struct timerfd *tf = f->priv;

	if (len < 8)
		return -KERN_EINVAL;
	while (tf->count == 0) {
		if (f->flags & KERN_O_NONBLOCK)
			return -KERN_EAGAIN;
		long err = kern_waitq_wait(&tf->q, 0);
		if (err != 0)
			return err;
	}
	memcpy(buf, &tf->count, 8);
	tf->count = 0;
	return 8;
}

static unsigned
timerfd_poll(struct kern_file *f, struct kern_poll *pt)
{
	struct timerfd *tf = f->priv;

	kern_poll_wait(pt, &tf->q);
	return tf->count > 0 ? KERN_POLLIN | KERN_POLLRDNORM : 0;
}

static void
timerfd_release(struct kern_file *f)
{
	struct timerfd *tf = f->priv;

	kern_timer_disarm(&tf->timer);
	kern_waitq_detach(&tf->q);
	rumpuser_free(tf, sizeof(*tf));
	rumpuser_free(f, sizeof(*f));
}

static const struct kern_file_ops timerfd_ops = {
	.read = timerfd_read,
	.fstat = kern_file_fstat_anon,
	.poll = timerfd_poll,
	.release = timerfd_release,
	.name = "anon_inode:[timerfd]",
};

long
sys_timerfd_create(const long a[6])
{
	struct timerfd *tf;
	struct kern_file *f;
	void *m;

	if (a[0] != CLOCK_REALTIME && a[0] != CLOCK_MONOTONIC &&
	    a[0] != CLOCK_BOOTTIME)
		return -KERN_EINVAL;
	if (a[1] & ~(long)(KERN_O_CLOEXEC | KERN_O_NONBLOCK))
		return -KERN_EINVAL;
	if (rumpuser_malloc(sizeof(*tf), 0, &m) != 0)
		return -KERN_ENOMEM;
	tf = m;
	memset(tf, 0, sizeof(*tf));
	tf->timer.fire = timerfd_fire;
	tf->clock = (int)a[0];
	f = kern_file_new(&timerfd_ops,
			  KERN_O_RDONLY | (int)(a[1] & KERN_O_NONBLOCK), tf);
	if (f == NULL) {
		rumpuser_free(tf, sizeof(*tf));
		return -KERN_ENOMEM;
	}
	long fd = kern_fd_install(f, 0, (a[1] & KERN_O_CLOEXEC) != 0);
	if (fd < 0)
		timerfd_release(f);
	return fd;
}

/* timerfd_of: the timerfd fd names, or NULL (EBADF, EINVAL for others). */
static struct timerfd *
timerfd_of(long fd, long *err)
{
	struct kern_file *f = kern_fd_file(fd);

	*err = f == NULL		? -KERN_EBADF
	       : f->ops != &timerfd_ops ? -KERN_EINVAL
					: 0;
	return *err == 0 ? f->priv : NULL;
}

/* timerfd_get: tf's time left and interval. */
static void
timerfd_get(const struct timerfd *tf, struct kern_itimerspec *v)
{
	kern_timespec_from_ns(kern_timer_left(&tf->timer), &v->value);
	kern_timespec_from_ns(tf->timer.interval, &v->interval);
}

long
sys_timerfd_settime(const long a[6])
{
	const struct kern_itimerspec *v = (const void *)a[2];
	struct kern_itimerspec *old = (struct kern_itimerspec *)a[3];
	uint64_t value, interval, now = kern_now();
	long err;
	struct timerfd *tf = timerfd_of(a[0], &err);

	if (tf == NULL)
		return err;
	if (v == NULL)
		return -KERN_EFAULT;
	if ((a[1] & ~(long)(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) !=
		    0 ||
	    kern_timespec_ns(&v->value, &value) != 0 ||
	    kern_timespec_ns(&v->interval, &interval) != 0)
		return -KERN_EINVAL;
	if (old != NULL)
		timerfd_get(tf, old);
	tf->count = 0;
	if (interval == KERN_NS_FOREVER)
		interval = 0; /* past what the clock counts: once */
	if (value == 0 ||
	    (value == KERN_NS_FOREVER && !(a[1] & TFD_TIMER_ABSTIME))) {
		kern_timer_disarm(&tf->timer);
		return 0;
	}
	if (a[1] & TFD_TIMER_ABSTIME) {
		/* A time past keeps its phase: the missed expirations count. */
		uint64_t base = tf->clock == CLOCK_REALTIME ? kern_wall() : now;
		if (value >= base)
			value = value - base > KERN_NS_FOREVER - now
					? KERN_NS_FOREVER
					: now + (value - base);
		else
			value = base - value >= now ? 1 : now - (base - value);
	} else {
		value = value > KERN_NS_FOREVER - now ? KERN_NS_FOREVER
						      : now + value;
	}
	if (value == KERN_NS_FOREVER) {
		kern_timer_disarm(&tf->timer); /* never due */
		return 0;
	}
	return kern_timer_arm(&tf->timer, value, interval);
}

long
sys_timerfd_gettime(const long a[6])
{
	long err;
	struct timerfd *tf = timerfd_of(a[0], &err);

	if (tf == NULL)
		return err;
	if (a[1] == 0)
		return -KERN_EFAULT;
	timerfd_get(tf, (struct kern_itimerspec *)a[1]);
	return 0;
}
