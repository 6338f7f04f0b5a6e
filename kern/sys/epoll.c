/*
 * epoll: epoll_create1 (and epoll_create), epoll_ctl, epoll_wait and
 * epoll_pwait, on the one wait mechanism.
 *
 * An epoll file holds its interest list: an item a watched fd and its
 * open file, the events wanted and the user's data. epoll_wait asks each
 * file what is ready (its poll operation) and, with nothing ready, waits
 * on all their queues at once (as poll does) until a wake, the timeout or
 * a signal. Level-triggered items are reported while ready;
 * edge-triggered ones (EPOLLET) when their file's queues have changed
 * since the item was last reported; EPOLLONESHOT items once, until
 * EPOLL_CTL_MOD arms them again; EPOLLEXCLUSIVE is taken and means no
 * more here (each waiter wakes). An item goes when its file's last fd is
 * closed, as on Linux (kern_epoll_file_gone). A wait's table of queues
 * is kept for the next wait, so waiting allocates nothing once the
 * interest list stops growing. Regular files and
 * directories cannot be watched (EPERM). An epoll file is itself
 * readable when one of its items is ready.
 */
#include <string.h>

#include "sys.h"

#define EPOLL_CTL_ADD  1
#define EPOLL_CTL_DEL  2
#define EPOLL_CTL_MOD  3
#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLONESHOT   (1u << 30)
#define EPOLLET	       (1u << 31)
#define EPOLL_CLOEXEC  02000000
#define EP_QUEUES      4 /* queues an edge-triggered item's file may have */
#define EP_MAX_EVENTS  (0x7fffffff / 12) /* Linux's bound on maxevents */

/* Linux's struct epoll_event (packed on x86_64). */
struct kern_epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

struct epitem {
	struct epitem *next;	   /* the epoll's items */
	struct epitem *next_watch; /* the file's watchers */
	struct epoll *ep;
	int fd;
	struct kern_file *file;
	uint32_t events;
	uint64_t data;
	unsigned long seen; /* ET: the queues' changes last reported */
	int disarmed;	    /* ONESHOT: reported, until MOD */
};

struct epoll {
	struct epitem *items;
	/* A wait's table of queues, kept for the next wait (ep_table_*). */
	struct kern_waiter *spare;
	int spare_max;
};

static const struct kern_file_ops epoll_ops;

/* ep_changes: the sum of f's queues' change counts (for EPOLLET). */
static unsigned long
ep_changes(struct kern_file *f)
{
	struct kern_poll pt;
	struct kern_waiter w[EP_QUEUES];
	unsigned long sum = 0;

	memset(&pt, 0, sizeof(pt));
	pt.thread = kern_thread_self();
	pt.waiters = w;
	pt.max = EP_QUEUES;
	kern_file_poll(f, &pt);
	for (int i = 0; i < pt.n; i++)
		sum += w[i].q->seq;
	kern_poll_forget(&pt);
	return sum;
}

/* ep_ready: the events of item it to report now; 0 for none. */
static uint32_t
ep_ready(struct epitem *it, struct kern_poll *pt)
{
	uint32_t want = it->events | KERN_POLLERR | KERN_POLLHUP;
	uint32_t ev;

	if (it->disarmed)
		return 0;
	ev = kern_file_poll(it->file, pt) & want & 0xffff;
	if (ev == 0 || !(it->events & EPOLLET))
		return ev;
	unsigned long changes = ep_changes(it->file);
	if (changes == it->seen)
		return 0;
	it->seen = changes;
	return ev;
}

/* ep_collect: up to max ready events into out; how many. */
static int
ep_collect(struct epoll *ep, struct kern_epoll_event *out, int max,
	   struct kern_poll *pt)
{
	int n = 0;

	for (struct epitem *it = ep->items; it != NULL && n < max;
	     it = it->next) {
		uint32_t ev = ep_ready(it, pt);
		if (ev == 0)
			continue;
		out[n].events = ev;
		out[n].data = it->data;
		n++;
		if (it->events & EPOLLONESHOT)
			it->disarmed = 1;
	}
	return n;
}

static unsigned
epoll_poll(struct kern_file *f, struct kern_poll *pt)
{
	struct epoll *ep = f->priv;

	for (struct epitem *it = ep->items; it != NULL; it = it->next) {
		uint32_t want = it->events | KERN_POLLERR | KERN_POLLHUP;
		if (!it->disarmed && (kern_file_poll(it->file, pt) & want))
			return KERN_POLLIN | KERN_POLLRDNORM;
	}
	return 0;
}

/* ep_unwatch: it leaves its file's list of watchers. */
static void
ep_unwatch(struct epitem *it)
{
	struct epitem **pp = (struct epitem **)&it->file->watchers;

	while (*pp != it)
		pp = &(*pp)->next_watch;
	*pp = it->next_watch;
}

/* ep_remove: it leaves its epoll and its file, and is freed. */
static void
ep_remove(struct epitem *it)
{
	struct epitem **pp = &it->ep->items;

	while (*pp != it)
		pp = &(*pp)->next;
	*pp = it->next;
	ep_unwatch(it);
	rumpuser_free(it, sizeof(*it));
}

void
kern_epoll_file_gone(struct kern_file *f)
{
	while (f->watchers != NULL) {
		struct epitem *it = f->watchers;
		struct epitem **pp = &it->ep->items;
		while (*pp != it)
			pp = &(*pp)->next;
		*pp = it->next;
		f->watchers = it->next_watch;
		rumpuser_free(it, sizeof(*it));
	}
}

static void
epoll_release(struct kern_file *f)
{
	struct epoll *ep = f->priv;

	while (ep->items != NULL)
		ep_remove(ep->items);
	if (ep->spare != NULL)
		rumpuser_free(ep->spare, sizeof(struct kern_waiter) *
						 (size_t)ep->spare_max);
	rumpuser_free(ep, sizeof(*ep));
	rumpuser_free(f, sizeof(*f));
}

static const struct kern_file_ops epoll_ops = {
	.fstat = kern_file_fstat_anon,
	.poll = epoll_poll,
	.release = epoll_release,
	.name = "anon_inode:[eventpoll]",
};

long
sys_epoll_create1(const long a[6])
{
	struct kern_file *f;
	struct epoll *ep;
	void *m;
	long fd;

	if (a[0] & ~EPOLL_CLOEXEC)
		return -KERN_EINVAL;
	if (rumpuser_malloc(sizeof(*ep), 0, &m) != 0)
		return -KERN_ENOMEM;
	ep = m;
	memset(ep, 0, sizeof(*ep));
	f = kern_file_new(&epoll_ops, KERN_O_RDWR, ep);
	if (f == NULL) {
		rumpuser_free(ep, sizeof(*ep));
		return -KERN_ENOMEM;
	}
	fd = kern_fd_install(f, 0, (a[0] & EPOLL_CLOEXEC) != 0);
	if (fd < 0)
		epoll_release(f);
	return fd;
}

long
sys_epoll_create(const long a[6])
{
	const long b[6] = {0};

	if (a[0] <= 0)
		return -KERN_EINVAL;
	return sys_epoll_create1(b);
}

/* ep_of: the epoll that fd is; or NULL with *err. */
static struct epoll *
ep_of(long fd, long *err)
{
	struct kern_file *f = kern_fd_file(fd);

	*err = f == NULL ? -KERN_EBADF : -KERN_EINVAL;
	return f != NULL && f->ops == &epoll_ops ? f->priv : NULL;
}

/* ep_add: target, fd's file, joins ep with events ev; 0 or -ENOMEM. */
static long
ep_add(struct epoll *ep, int fd, struct kern_file *target,
       const struct kern_epoll_event *ev)
{
	struct epitem *it;
	void *m;

	if (rumpuser_malloc(sizeof(*it), 0, &m) != 0)
		return -KERN_ENOMEM;
	it = m;
	memset(it, 0, sizeof(*it));
	it->ep = ep;
	it->fd = fd;
	it->file = target;
	it->events = ev->events;
	it->data = ev->data;
	it->seen = ~0ul; /* anything ready is news */
	it->next = ep->items;
	ep->items = it;
	it->next_watch = target->watchers;
	target->watchers = it;
	return 0;
}

long
sys_epoll_ctl(const long a[6])
{
	long epfd = a[0], op = a[1], fd = a[2];
	const struct kern_epoll_event *ev = (const void *)a[3];
	struct kern_file *target = kern_fd_file(fd);
	struct epitem *it;
	long err;
	struct epoll *ep = ep_of(epfd, &err);

	if (ep == NULL)
		return err;
	if (target == NULL)
		return -KERN_EBADF;
	if (fd == epfd || target->ops == &epoll_ops) /* no nesting here */
		return -KERN_EINVAL;
	if (target->ops->poll == NULL || (target->flags & KERN_O_PATH))
		return -KERN_EPERM; /* a regular file is always ready */
	for (it = ep->items; it != NULL; it = it->next)
		if (it->fd == fd && it->file == target)
			break;
	switch (op) {
	case EPOLL_CTL_ADD:
		return it != NULL ? -KERN_EEXIST
				  : ep_add(ep, (int)fd, target, ev);
	case EPOLL_CTL_MOD:
		if (it == NULL)
			return -KERN_ENOENT;
		if ((ev->events | it->events) & EPOLLEXCLUSIVE)
			return -KERN_EINVAL;
		it->events = ev->events;
		it->data = ev->data;
		it->disarmed = 0;
		it->seen = ~0ul;
		return 0;
	case EPOLL_CTL_DEL:
		if (it == NULL)
			return -KERN_ENOENT;
		ep_remove(it);
		return 0;
	default:
		return -KERN_EINVAL;
	}
}

/*
 * ep_table_get: a table in pt for max queues: the one the last wait
 * kept if it is big enough (no allocation each wait), else a new one. 0
 * or -ENOMEM.
 */
static int
ep_table_get(struct epoll *ep, struct kern_poll *pt, int max)
{
	if (ep->spare != NULL && ep->spare_max < max) {
		rumpuser_free(ep->spare, sizeof(struct kern_waiter) *
						 (size_t)ep->spare_max);
		ep->spare = NULL;
	}
	if (ep->spare == NULL)
		return kern_poll_init(pt, max);
	kern_poll_init(pt, 0);
	pt->waiters = ep->spare;
	pt->max = ep->spare_max;
	ep->spare = NULL;
	return 0;
}

/* ep_table_put: pt leaves its queues; its table is kept, or freed. */
static void
ep_table_put(struct epoll *ep, struct kern_poll *pt)
{
	kern_poll_forget(pt);
	if (ep->spare != NULL || pt->waiters == NULL) {
		kern_poll_done(pt); /* another wait's is kept already */
		return;
	}
	ep->spare = pt->waiters;
	ep->spare_max = pt->max;
	pt->waiters = NULL;
}

/* ep_wait_held: epoll_wait's work on ep, whose file is held. */
static long
ep_wait_held(struct epoll *ep, struct kern_epoll_event *out, int max, long ms)
{
	struct kern_poll pt;
	uint64_t deadline = 0;
	long err, n;

	if (ms == 0)
		return ep_collect(ep, out, max, NULL);
	if (ms > 0)
		deadline = kern_now() + (uint64_t)ms * 1000000ull;
	int items = 0;
	for (struct epitem *it = ep->items; it != NULL; it = it->next)
		items++;
	if (ep_table_get(ep, &pt, 2 * items + 8) != 0)
		return -KERN_ENOMEM;
	for (;;) {
		n = ep_collect(ep, out, max, &pt);
		if (n > 0)
			break;
		if (pt.overflow) {
			/* Not every queue joined: a bigger table, again. */
			if (kern_poll_grow(&pt) != 0) {
				n = -KERN_ENOMEM;
				break;
			}
			continue;
		}
		err = kern_thread_sleep(pt.thread, deadline, 1);
		kern_poll_forget(&pt);
		if (err == -KERN_EINTR) {
			n = err;
			break;
		}
		if (err == -KERN_ETIMEDOUT) {
			n = ep_collect(ep, out, max, NULL);
			break;
		}
	}
	ep_table_put(ep, &pt);
	return n;
}

static long
ep_wait(long epfd, struct kern_epoll_event *out, long max, long ms)
{
	long err;
	struct epoll *ep = ep_of(epfd, &err);

	if (ep == NULL)
		return err;
	if (max <= 0 || max > EP_MAX_EVENTS)
		return -KERN_EINVAL;
	/* A close of the epoll fd meanwhile must not free it. */
	struct kern_file *f = kern_file_hold(epfd);
	long n = ep_wait_held(ep, out, (int)max, ms);
	kern_file_drop(f);
	return n;
}

long
sys_epoll_wait(const long a[6])
{
	return ep_wait(a[0], (struct kern_epoll_event *)a[1], a[2], (int)a[3]);
}

long
sys_epoll_pwait(const long a[6])
{
	const unsigned long *mask = (const unsigned long *)a[4];

	if (mask != NULL) {
		if (a[5] != 8)
			return -KERN_EINVAL;
		kern_signal_mask_for_call(kern_thread_self(), *mask);
	}
	return ep_wait(a[0], (struct kern_epoll_event *)a[1], a[2], (int)a[3]);
}
