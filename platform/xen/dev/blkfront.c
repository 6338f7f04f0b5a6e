/*
 * blkfront: the disks of a domU, spoken to through Xen's blkif protocol
 * (xen/io/blkif.h) over one shared ring page each.
 *
 * A disk connects on first use: the xenbus handshake as a state machine
 * (wait for the backend's InitWait, publish ring-ref, event-channel and
 * protocol, become Initialised, wait for Connected, read sectors,
 * sector-size, info and the flush features, become Connected); a backend
 * that fails or closes is reported with the device's path.
 *
 * Data never lives in the caller's pages while the backend may touch it:
 * each ring request (up to 11 segments of a page) gets pages of its own,
 * granted to the backend for that request only; writes are copied in
 * before the request goes out, reads copied out once it came back. So a
 * backend that breaks the rules can only ever reach pages we set aside:
 * when it still maps a page after responding, the page is kept out of use
 * until it lets go. Requests wait in a queue for room in the ring, so
 * starting one never blocks; the ring's responses are checked by blkring.c
 * and the first bad one disconnects the disk, failing what is pending.
 *
 * A BIO_SYNC-style write (BLKFRONT_SYNC) ends only after a cache flush
 * (BLKIF_OP_FLUSH_DISKCACHE, else WRITE_BARRIER, whichever the backend
 * offers) that was sent once the write completed. Completions are taken
 * by blkfront_poll and delivered by blkfront_deliver, in a thread, never
 * in the event handler, which only wakes threads.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "../xenbus/xenbus.h"
#include "dev.h"

#include "blkring.h"

#include <xen/io/protocols.h>

#define BLKFRONT_MAX	 8
#define BLKFRONT_SEGS	 BLKIF_MAX_SEGMENTS_PER_REQUEST
#define BLKFRONT_HS_NS	 30000000000ull /* a handshake step's time limit */
#define BLKFRONT_BYE_NS	 5000000000ull	/* detach: time for each stage */
#define BLKFRONT_ZOMBIES 64

struct blkfront_req;

/* One request of the caller's, in one or more ring requests (parts). */
struct blkfront_req {
	struct blkfront_req *next; /* on the done list */
	struct blkfront *dev;
	int op, sync, error;
	unsigned parts; /* parts not ended yet */
	char *data;
	size_t len;
	uint64_t off;
	blkfront_done_fn *done; /* NULL: a blkfront_io waits */
	void *arg;
	int finished;
};

/* One ring request and the pages it has granted. */
struct blkfront_part {
	struct blkfront_part *next; /* in the device's queue */
	struct blkfront_req *req;
	size_t at, len; /* the part of req's data it carries */
	uint8_t op;
	unsigned npages;
	char *pages;
	grant_ref_t grefs[BLKFRONT_SEGS];
};

struct blkfront {
	struct xenbus_dev xb; /* xb.id is the virtual device number */
	char name[16];
	int connected, broken;
	uint64_t sectors;
	unsigned long sector_size;
	int readonly;
	int flush_op; /* BLKIF_OP_*, or -1: none offered */
	struct blkring ring;
	void *ring_page;
	grant_ref_t ring_ref;
	evtchn_port_t port;
	struct blkfront_part *queue, *queue_tail;
	struct waitq *notify; /* the caller's, for done functions */
	struct waitq waiters; /* blkfront_io's */
};

static struct blkfront blkfront_devs[BLKFRONT_MAX];
static unsigned blkfront_ndevs;
static struct blkfront_req *blkfront_done_head, *blkfront_done_tail;
/* Pages a backend kept mapped after its response: not ours to reuse. */
static struct {
	char *page;
	grant_ref_t gref;
} blkfront_zombies[BLKFRONT_ZOMBIES];
static unsigned blkfront_nzombies;
static int blkfront_detached;

static void
blkfront_event(evtchn_port_t port, void *arg)
{
	struct blkfront *d = arg;

	(void)port;
	waitq_wake_all(d->notify);
	waitq_wake_all(&d->waiters);
}

/* blkfront_name_of: "xvda" and so on, from the backend or the vdev id. */
static void
blkfront_name_of(struct blkfront *d)
{
	char path[192];
	unsigned long disk;

	fmt_snprintf(path, sizeof(path), "%s/dev", d->xb.back);
	if (xs_read(0, path, d->name, sizeof(d->name)) == 0)
		return;
	if (d->xb.id & (1ul << 28))
		disk = (d->xb.id >> 8) & 0xfffff;
	else
		disk = (d->xb.id >> 4) & 0xf;
	if (disk < 26)
		fmt_snprintf(d->name, sizeof(d->name), "xvd%c",
			     (int)('a' + disk));
	else
		fmt_snprintf(d->name, sizeof(d->name), "vbd%lu", d->xb.id);
}

/* blkfront_scan: learns the disks in device/vbd once. */
static void
blkfront_scan(void)
{
	static struct xenbus_dev found[BLKFRONT_MAX];
	static int scanned;

	if (scanned)
		return;
	scanned = 1;
	blkfront_ndevs = xenbus_list("vbd", found, BLKFRONT_MAX);
	for (unsigned i = 0; i < blkfront_ndevs; i++) {
		blkfront_devs[i].xb = found[i];
		blkfront_name_of(&blkfront_devs[i]);
	}
}

static int
blkfront_fail(struct blkfront *d, const char *what, long value)
{
	platform_console_printf("blkfront %s (%s, backend %s): %s %ld\n",
				d->name, d->xb.front, d->xb.back, what, value);
	return EIO;
}

/* blkfront_publish: the frontend's keys and Initialised, in one go. */
static int
blkfront_publish(struct blkfront *d)
{
	const struct xenbus_key keys[] = {
		{"ring-ref", NULL, d->ring_ref},
		{"event-channel", NULL, d->port},
		{"protocol", XEN_IO_PROTO_ABI_X86_64, 0},
		{"state", NULL, XenbusStateInitialised},
	};

	return xenbus_publish(d->xb.front, keys,
			      sizeof(keys) / sizeof(keys[0]));
}

/* blkfront_read_features: what the Connected backend offers, checked. */
static int
blkfront_read_features(struct blkfront *d)
{
	unsigned long sectors, ssize = 512, info = 0, flush = 0, barrier = 0;
	char path[192], mode[8];

	if (xenbus_read_ulong(d->xb.back, "sectors", &sectors) != 0)
		return blkfront_fail(d, "backend gave no sectors", 0);
	xenbus_read_ulong(d->xb.back, "sector-size", &ssize);
	if (ssize < 512 || ssize > 4096 || (ssize & (ssize - 1)) != 0)
		return blkfront_fail(d, "bad sector-size", (long)ssize);
	if (sectors > (1ul << 52))
		return blkfront_fail(d, "bad sectors", (long)sectors);
	xenbus_read_ulong(d->xb.back, "info", &info);
	xenbus_read_ulong(d->xb.back, "feature-flush-cache", &flush);
	xenbus_read_ulong(d->xb.back, "feature-barrier", &barrier);
	d->sectors = sectors;
	d->sector_size = ssize;
	d->readonly = (info & VDISK_READONLY) != 0;
	fmt_snprintf(path, sizeof(path), "%s/mode", d->xb.back);
	if (xs_read(0, path, mode, sizeof(mode)) == 0 && strcmp(mode, "r") == 0)
		d->readonly = 1;
	d->flush_op = flush	? BLKIF_OP_FLUSH_DISKCACHE
		      : barrier ? BLKIF_OP_WRITE_BARRIER
				: -1;
	return 0;
}

/* blkfront_connect: the handshake; 0, or EIO with a message. */
static int
blkfront_connect(struct blkfront *d)
{
	const unsigned closed =
		1u << XenbusStateClosing | 1u << XenbusStateClosed;
	uint64_t end = time_monotonic_ns() + BLKFRONT_HS_NS;
	int state, err;

	err = xenbus_wait_state(d->xb.back,
				1u << XenbusStateInitWait | closed |
					1u << XenbusStateConnected,
				end, &state);
	if (err != 0 || state != XenbusStateInitWait)
		return blkfront_fail(d, "backend not waiting for us, state",
				     state);
	if (pages_alloc(1, 1, &d->ring_page) != 0)
		return blkfront_fail(d, "no memory for the ring", 0);
	blkring_init(&d->ring, d->ring_page);
	err = gnttab_grant_access(
		(domid_t)d->xb.backend_id,
		mm_pfn_to_mfn((unsigned long)d->ring_page >> PAGE_SHIFT), 0,
		&d->ring_ref);
	if (err == 0)
		err = evtchn_alloc_unbound((domid_t)d->xb.backend_id,
					   blkfront_event, d, &d->port);
	if (err == 0)
		err = blkfront_publish(d);
	if (err != 0)
		return blkfront_fail(d, "cannot publish the ring, error", err);
	err = xenbus_wait_state(d->xb.back, 1u << XenbusStateConnected | closed,
				end, &state);
	if (err != 0 || state != XenbusStateConnected)
		return blkfront_fail(d, "backend did not connect, state",
				     state);
	err = blkfront_read_features(d);
	if (err != 0)
		return err;
	err = xenbus_set_state(d->xb.front, XenbusStateConnected);
	if (err != 0)
		return blkfront_fail(d, "cannot become Connected, error", err);
	d->connected = 1;
	return 0;
}

int
blkfront_get(const char *name, struct waitq *notify, struct blkfront **out)
{
	blkfront_scan();
	for (unsigned i = 0; i < blkfront_ndevs; i++) {
		struct blkfront *d = &blkfront_devs[i];

		if (strcmp(d->name, name) != 0)
			continue;
		if (d->broken)
			return EIO;
		if (!d->connected) {
			d->notify = notify;
			if (blkfront_connect(d) != 0) {
				d->broken = 1;
				return EIO;
			}
		}
		*out = d;
		return 0;
	}
	return ENOENT;
}

void
blkfront_info(const struct blkfront *d, uint64_t *bytes, unsigned *sector_size,
	      int *readonly)
{
	*bytes = d->sectors * 512;
	*sector_size = (unsigned)d->sector_size;
	*readonly = d->readonly;
}

/* blkfront_req_end: a request has ended: to its waiter or the done list. */
static void
blkfront_req_end(struct blkfront_req *r)
{
	if (r->done == NULL) {
		r->finished = 1;
		waitq_wake_all(&r->dev->waiters);
		return;
	}
	r->next = NULL;
	if (blkfront_done_tail != NULL)
		blkfront_done_tail->next = r;
	else
		blkfront_done_head = r;
	blkfront_done_tail = r;
	waitq_wake_all(r->dev->notify);
}

static void
blkfront_enqueue(struct blkfront *d, struct blkfront_part *p)
{
	p->next = NULL;
	if (d->queue_tail != NULL)
		d->queue_tail->next = p;
	else
		d->queue = p;
	d->queue_tail = p;
}

/* blkfront_part_new: a part for req; ENOMEM. */
static int
blkfront_part_new(struct blkfront_req *r, uint8_t op, size_t at, size_t len)
{
	struct blkfront_part *p;
	void *mem;

	if (heap_alloc(sizeof(*p), 16, &mem) != 0)
		return ENOMEM;
	p = mem;
	memset(p, 0, sizeof(*p));
	p->req = r;
	p->op = op;
	p->at = at;
	p->len = len;
	p->npages = (unsigned)((len + PAGE_SIZE - 1) / PAGE_SIZE);
	r->parts++;
	blkfront_enqueue(r->dev, p);
	return 0;
}

/*
 * blkfront_release: takes back part's grants and frees its pages (none
 * if it never went out).
 */
static void
blkfront_release(struct blkfront *d, struct blkfront_part *p)
{
	for (unsigned i = 0; p->pages != NULL && i < p->npages; i++) {
		char *page = p->pages + i * PAGE_SIZE;

		if (gnttab_end_access(p->grefs[i]) == 0) {
			pages_free(page, 1);
			continue;
		}
		if (blkfront_nzombies < BLKFRONT_ZOMBIES) {
			blkfront_zombies[blkfront_nzombies].page = page;
			blkfront_zombies[blkfront_nzombies].gref = p->grefs[i];
			blkfront_nzombies++;
		}
		blkfront_fail(d,
			      "backend still maps a page it responded for, "
			      "grant",
			      (long)p->grefs[i]);
	}
	p->npages = 0;
}

/* blkfront_zombies_retry: frees what backends have let go of since. */
static void
blkfront_zombies_retry(void)
{
	for (unsigned i = 0; i < blkfront_nzombies;) {
		if (gnttab_end_access(blkfront_zombies[i].gref) == 0) {
			pages_free(blkfront_zombies[i].page, 1);
			blkfront_zombies[i] =
				blkfront_zombies[--blkfront_nzombies];
		} else {
			i++;
		}
	}
}

/* blkfront_send: grants part's pages and puts it in the ring. */
static int
blkfront_send(struct blkfront *d, struct blkfront_part *p)
{
	struct blkfront_req *r = p->req;
	blkif_request_t rq = {.operation = p->op,
			      .handle = (blkif_vdev_t)d->xb.id,
			      .sector_number = (r->off + p->at) / 512};
	void *mem = NULL;
	unsigned i;

	if (p->npages > 0 && pages_alloc(p->npages, 1, &mem) != 0)
		return ENOMEM;
	p->pages = mem;
	for (i = 0; i < p->npages; i++) {
		char *page = p->pages + i * PAGE_SIZE;
		size_t n = p->len - i * PAGE_SIZE;

		if (n > PAGE_SIZE)
			n = PAGE_SIZE;
		if (gnttab_grant_access(
			    (domid_t)d->xb.backend_id,
			    mm_pfn_to_mfn((unsigned long)page >> PAGE_SHIFT),
			    p->op == BLKIF_OP_WRITE, &p->grefs[i]) != 0)
			break;
		rq.seg[i].gref = p->grefs[i];
		rq.seg[i].first_sect = 0;
		rq.seg[i].last_sect = (uint8_t)(n / 512 - 1);
	}
	if (i < p->npages) {
		while (i-- > 0)
			gnttab_end_access(p->grefs[i]);
		pages_free(mem, p->npages);
		p->pages = NULL;
		return ENOSPC;
	}
	rq.nr_segments = (uint8_t)p->npages;
	if (p->op == BLKIF_OP_WRITE)
		memcpy(p->pages, r->data + p->at, p->len);
	blkring_put(&d->ring, &rq, p);
	return 0;
}

/* blkfront_kick: moves queued parts into the ring while there is room. */
static void
blkfront_kick(struct blkfront *d)
{
	int sent = 0;

	while (d->queue != NULL && blkring_room(&d->ring) > 0) {
		struct blkfront_part *p = d->queue;

		if (blkfront_send(d, p) != 0)
			break; /* no pages or grants now: after completions */
		d->queue = p->next;
		if (d->queue == NULL)
			d->queue_tail = NULL;
		sent = 1;
	}
	if (sent && blkring_push(&d->ring))
		evtchn_notify(d->port);
}

/* blkfront_part_done: a part's response (status) has come, or never will. */
static void
blkfront_part_done(void *arg, void *cookie, int status)
{
	struct blkfront *d = arg;
	struct blkfront_part *p = cookie;
	struct blkfront_req *r = p->req;

	if (status != BLKIF_RSP_OKAY && r->error == 0)
		r->error = EIO;
	if (r->error == 0 && p->op == BLKIF_OP_READ && p->pages != NULL)
		memcpy(r->data + p->at, p->pages, p->len);
	blkfront_release(d, p);
	heap_free(p);
	if (--r->parts > 0)
		return;
	if (r->error == 0 && r->sync && d->flush_op >= 0 && !d->broken) {
		/* The write is done: now make it durable. */
		r->sync = 0;
		if (blkfront_part_new(r, (uint8_t)d->flush_op, 0, 0) == 0)
			return;
		r->error = ENOMEM;
	}
	blkfront_req_end(r);
}

/* blkfront_break: a bad response: disconnect, fail all that is pending. */
static void
blkfront_break(struct blkfront *d)
{
	blkfront_fail(d, d->ring.why, 0);
	platform_console_printf("blkfront %s: disconnected\n", d->name);
	d->broken = 1;
	blkring_abort(&d->ring, blkfront_part_done, d);
	while (d->queue != NULL) {
		struct blkfront_part *p = d->queue;
		d->queue = p->next;
		blkfront_part_done(d, p, BLKIF_RSP_ERROR);
	}
	d->queue_tail = NULL;
	xenbus_set_state(d->xb.front, XenbusStateClosing);
}

void
blkfront_poll(void)
{
	for (unsigned i = 0; i < blkfront_ndevs; i++) {
		struct blkfront *d = &blkfront_devs[i];

		if (!d->connected || d->broken)
			continue;
		if (blkring_take(&d->ring, blkfront_part_done, d) != 0)
			blkfront_break(d);
		else
			blkfront_kick(d);
	}
	if (blkfront_nzombies > 0)
		blkfront_zombies_retry();
}

unsigned
blkfront_deliver(void)
{
	unsigned n = 0;

	while (blkfront_done_head != NULL && !blkfront_detached) {
		struct blkfront_req *r = blkfront_done_head;
		blkfront_done_fn *done = r->done;
		void *arg = r->arg;
		int error = r->error;

		blkfront_done_head = r->next;
		if (blkfront_done_head == NULL)
			blkfront_done_tail = NULL;
		heap_free(r);
		done(arg, error);
		n++;
	}
	return n;
}

/* blkfront_check: whether op on len bytes at off may start on d. */
static int
blkfront_check(struct blkfront *d, int op, size_t len, uint64_t off)
{
	if (d->broken || blkfront_detached)
		return EIO;
	if (op == BLKFRONT_FLUSH)
		return 0;
	if (op != BLKFRONT_READ && op != BLKFRONT_WRITE)
		return EINVAL;
	if (op == BLKFRONT_WRITE && d->readonly)
		return EROFS;
	if (len % d->sector_size != 0 || off % d->sector_size != 0 ||
	    off > d->sectors * 512 || len > d->sectors * 512 - off)
		return EINVAL;
	return 0;
}

/* blkfront_queue: splits r into parts and starts them. */
static int
blkfront_queue(struct blkfront_req *r)
{
	struct blkfront *d = r->dev;
	const size_t most = BLKFRONT_SEGS * PAGE_SIZE;
	int err = 0;

	if (r->op == BLKFRONT_FLUSH) {
		if (d->flush_op < 0)
			return -1; /* nothing to do: no cache to flush */
		err = blkfront_part_new(r, (uint8_t)d->flush_op, 0, 0);
	}
	for (size_t at = 0; err == 0 && at < r->len; at += most) {
		size_t n = r->len - at < most ? r->len - at : most;
		err = blkfront_part_new(r,
					r->op == BLKFRONT_WRITE ? BLKIF_OP_WRITE
								: BLKIF_OP_READ,
					at, n);
	}
	if (err != 0)
		return err; /* parts made so far end with the error set */
	if (r->parts == 0)
		return -1; /* a zero-length read or write */
	blkfront_kick(d);
	return 0;
}

/* blkfront_new_req: a request for op, checked; or an error. */
static int
blkfront_new_req(struct blkfront *d, int op, void *data, size_t len,
		 uint64_t off, struct blkfront_req **out)
{
	int sync = op & BLKFRONT_SYNC, err;
	void *mem;

	op &= ~BLKFRONT_SYNC;
	err = blkfront_check(d, op, len, off);
	if (err != 0)
		return err;
	if (heap_alloc(sizeof(**out), 16, &mem) != 0)
		return ENOMEM;
	*out = mem;
	memset(*out, 0, sizeof(**out));
	(*out)->dev = d;
	(*out)->op = op;
	(*out)->sync = sync && op == BLKFRONT_WRITE;
	(*out)->data = data;
	(*out)->len = len;
	(*out)->off = off;
	return 0;
}

int
blkfront_start(struct blkfront *d, int op, void *data, size_t len, uint64_t off,
	       blkfront_done_fn *done, void *arg)
{
	struct blkfront_req *r;
	int err = blkfront_new_req(d, op, data, len, off, &r);

	if (err != 0)
		return err;
	r->done = done;
	r->arg = arg;
	err = blkfront_queue(r);
	if (err != 0 && r->parts > 0) {
		r->error = err;
		return 0; /* it ends through its parts, with the error */
	}
	if (err != 0) {
		r->error = err > 0 ? err : 0;
		blkfront_req_end(r);
	}
	return 0;
}

int
blkfront_io(struct blkfront *d, int op, void *data, size_t len, uint64_t off)
{
	struct blkfront_req *r;
	int err = blkfront_new_req(d, op, data, len, off, &r);

	if (err != 0)
		return err;
	err = blkfront_queue(r);
	if (err != 0 && r->parts == 0) {
		heap_free(r);
		return err > 0 ? err : 0;
	}
	if (err != 0)
		r->error = err;
	while (!r->finished) {
		blkfront_poll();
		if (!r->finished)
			waitq_wait(&d->waiters, 0);
	}
	err = r->error;
	heap_free(r);
	return err;
}

/* blkfront_detach: closes d, waiting for the backend at each step. */
static void
blkfront_detach(struct blkfront *d)
{
	uint64_t end = time_monotonic_ns() + BLKFRONT_BYE_NS;

	while (!d->broken && d->ring.inflight > 0 &&
	       time_monotonic_ns() < end) {
		if (blkring_take(&d->ring, blkfront_part_done, d) != 0)
			break;
		sched_sleep_until(time_monotonic_ns() + 1000000);
	}
	if (d->ring.inflight > 0)
		platform_console_printf("blkfront %s: %u requests still out "
					"at detach\n",
					d->name, d->ring.inflight);
	xenbus_close(d->xb.front, d->xb.back, BLKFRONT_BYE_NS);
	/* The backend unmaps the ring as it disconnects: wait for that. */
	if (gnttab_end_access_wait(d->ring_ref, time_monotonic_ns() +
							BLKFRONT_BYE_NS) != 0) {
		blkfront_fail(d, "backend never let go of the ring, grant",
			      (long)d->ring_ref);
		return;
	}
	evtchn_close(d->port);
	d->connected = 0;
}

void
blkfront_detach_all(void)
{
	blkfront_detached = 1;
	for (unsigned i = 0; i < blkfront_ndevs; i++)
		if (blkfront_devs[i].connected)
			blkfront_detach(&blkfront_devs[i]);
	uint64_t end = time_monotonic_ns() + BLKFRONT_BYE_NS;
	while (blkfront_nzombies > 0 && time_monotonic_ns() < end) {
		blkfront_zombies_retry();
		sched_sleep_until(time_monotonic_ns() + 10000000);
	}
}
