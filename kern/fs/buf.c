/*
 * The buffer cache: blocks of rumpuser's block devices in memory, for the
 * disk file systems (ext2). vnode.h has the contract.
 *
 * A device's buffers hang in a hash table by block number; those nobody
 * holds are also on an LRU list, the least recently let go first. A
 * buffer is VALID when its bytes are the disk's or newer, DIRTY when
 * newer, BUSY while a request on it is in flight (its memory is then the
 * request's: nobody changes or frees it). Requests go to rumpuser_bio,
 * which starts them and calls buf_done later, holding the CPU, from a
 * thread of the platform's; a waiter sleeps on the device's queue until
 * its buffer is no longer busy.
 *
 * Memory is bounded: a device's buffers take at most BUF_CACHE_BYTES.
 * A new buffer that would pass that first evicts clean buffers nobody
 * holds, oldest first; when there are none, the oldest dirty ones (up
 * to BUF_BATCH) are written, all at once, and evicted when they are
 * clean. bdev_sync writes every dirty buffer at once and then flushes
 * the device (rumpuser_syncfd). A write that fails leaves its buffer
 * dirty (nothing is lost) and the error for the next sync; such a buffer
 * is not evicted. A wait longer than BUF_WAIT_SEC ends with -EIO, the
 * buffer kept busy forever (the request still owns its memory); the
 * console says every WAIT_SAY_SEC what is waited for.
 */
#include <string.h>

#include "../vfs/vnode.h"

#define BUF_VALID 1
#define BUF_DIRTY 2
#define BUF_BUSY  4
#define BUF_WERR  8  /* its last write failed */
#define BUF_LOST  16 /* its request never came back */
#define BUF_WRITE 32 /* the request in flight is a write */

#define BUF_HASH	1024
#define BUF_CACHE_BYTES (4ul << 20)
#define BUF_BATCH	64
#define BUF_RUN_BYTES	(128u << 10) /* the most one request carries */
#define WAIT_SAY_SEC	10
#define NS		1000000000ull

struct bdev {
	int fd;
	int rdonly;
	unsigned bsize;
	uint64_t size; /* in bytes */
	size_t bytes;  /* the buffers' memory */
	long writing;  /* writes in flight */
	long ndirty;   /* dirty buffers */
	int error;     /* a failed write's, for the next sync */
	struct buf *hash[BUF_HASH];
	struct buf *lru_first, *lru_last;
	/*
	 * A request ended: waiters sleep on cv without the CPU (not on a
	 * kern_waitq: the boot's thread, mounting a root, is no process
	 * thread and must not become one).
	 */
	struct rumpuser_mtx *mtx;
	struct rumpuser_cv *cv;
	struct bdev *next; /* the devices open */
	char name[64];
};

static struct bdev *bdev_list;

static void buf_lru_remove(struct bdev *d, struct buf *b);
static void buf_free(struct bdev *d, struct buf *b);

int
bdev_open(const char *name, int rdonly, struct bdev **out)
{
	uint64_t size;
	int type, fd, err;
	struct bdev *d;
	void *p;

	for (struct bdev *o = bdev_list; o != NULL; o = o->next)
		if (strcmp(o->name, name) == 0)
			return -KERN_EBUSY; /* two caches would fight */
	if (strlen(name) >= sizeof(d->name))
		return -KERN_ENAMETOOLONG;
	err = rumpuser_getfileinfo(name, &size, &type);
	if (err != 0)
		return kern_errno(err);
	if (type != RUMPUSER_FT_BLK && type != RUMPUSER_FT_REG)
		return -KERN_ENOTBLK;
	err = rumpuser_open(name,
			    RUMPUSER_OPEN_BIO | (rdonly ? RUMPUSER_OPEN_RDONLY
							: RUMPUSER_OPEN_RDWR),
			    &fd);
	if (err != 0)
		return kern_errno(err);
	if (rumpuser_malloc(sizeof(*d), 0, &p) != 0) {
		rumpuser_close(fd);
		return -KERN_ENOMEM;
	}
	d = p;
	memset(d, 0, sizeof(*d));
	rumpuser_mutex_init(&d->mtx, RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX);
	rumpuser_cv_init(&d->cv);
	d->fd = fd;
	d->rdonly = rdonly;
	d->bsize = 1024;
	d->size = size;
	memcpy(d->name, name, strlen(name));
	d->next = bdev_list;
	bdev_list = d;
	*out = d;
	return 0;
}

int
bdev_set_bsize(struct bdev *d, unsigned bsize)
{
	if (bsize < 512 || bsize > 65536 || (bsize & (bsize - 1)) != 0)
		return -KERN_EINVAL;
	while (d->lru_first != NULL &&
	       !(d->lru_first->flags & (BUF_DIRTY | BUF_BUSY))) {
		struct buf *b = d->lru_first;
		buf_lru_remove(d, b);
		buf_free(d, b);
	}
	for (int i = 0; i < BUF_HASH; i++)
		if (d->hash[i] != NULL)
			return -KERN_EBUSY;
	d->bsize = bsize;
	return 0;
}

unsigned
bdev_bsize(const struct bdev *d)
{
	return d->bsize;
}

uint64_t
bdev_blocks(const struct bdev *d)
{
	return d->size / d->bsize;
}

static struct buf **
buf_slot(struct bdev *d, uint64_t blkno)
{
	return &d->hash[(blkno ^ (blkno >> 10)) % BUF_HASH];
}

static struct buf *
buf_find(struct bdev *d, uint64_t blkno)
{
	struct buf *b = *buf_slot(d, blkno);

	while (b != NULL && b->blkno != blkno)
		b = b->hnext;
	return b;
}

static void
buf_lru_remove(struct bdev *d, struct buf *b)
{
	if (b->lru_prev != NULL)
		b->lru_prev->lru_next = b->lru_next;
	else
		d->lru_first = b->lru_next;
	if (b->lru_next != NULL)
		b->lru_next->lru_prev = b->lru_prev;
	else
		d->lru_last = b->lru_prev;
	b->lru_prev = b->lru_next = NULL;
}

static void
buf_lru_append(struct bdev *d, struct buf *b)
{
	b->lru_next = NULL;
	b->lru_prev = d->lru_last;
	if (d->lru_last != NULL)
		d->lru_last->lru_next = b;
	else
		d->lru_first = b;
	d->lru_last = b;
}

/* buf_free: b, not busy and not on the LRU, leaves the cache. */
static void
buf_free(struct bdev *d, struct buf *b)
{
	struct buf **pp = buf_slot(d, b->blkno);

	while (*pp != b)
		pp = &(*pp)->hnext;
	*pp = b->hnext;
	rumpuser_free(b->data, d->bsize);
	rumpuser_free(b, sizeof(*b));
	d->bytes -= d->bsize;
}

/* bdev_wake: a request of d ended: its waiters look again. CPU held. */
static void
bdev_wake(struct bdev *d)
{
	rumpuser_mutex_enter_nowrap(d->mtx);
	rumpuser_cv_broadcast(d->cv);
	rumpuser_mutex_exit(d->mtx);
}

/*
 * buf_finish: b's request (a write, or a read) ended, well (ok) or with
 * error (rumpuser's); the CPU held.
 */
static void
buf_finish(struct bdev *d, struct buf *b, int ok, int error)
{
	int write = (b->flags & BUF_WRITE) != 0;

	b->flags &= ~(BUF_BUSY | BUF_WRITE);
	if (ok) {
		b->flags |= write ? 0 : BUF_VALID;
		b->error = 0;
	} else {
		b->error = error != 0 ? kern_errno(error) : -KERN_EIO;
		platform_console_printf("buf: %s: block %lu: %s failed: "
					"error %d\n",
					d->name, (unsigned long)b->blkno,
					write ? "write" : "read", -b->error);
	}
	if (write) {
		d->writing--;
		if (!ok) {
			b->flags |= BUF_DIRTY | BUF_WERR;
			d->ndirty++;
			if (d->error == 0)
				d->error = b->error;
		}
	}
}

/* buf_done: rumpuser_bio's completion of a request on b; the CPU held. */
static void
buf_done(void *arg, size_t count, int error)
{
	struct buf *b = arg;
	struct bdev *d = b->dev;

	buf_finish(d, b, error == 0 && count == d->bsize, error);
	bdev_wake(d);
}

/* buf_begin: b's request (write or not) is in flight from now. */
static void
buf_begin(struct bdev *d, struct buf *b, int write)
{
	b->flags |= BUF_BUSY;
	b->flags &= ~BUF_WERR;
	if (write) {
		d->ndirty -= (b->flags & BUF_DIRTY) != 0;
		b->flags &= ~BUF_DIRTY;
		b->flags |= BUF_WRITE;
		d->writing++;
	}
}

/* buf_start: a request on b (read or write) starts. */
static void
buf_start(struct bdev *d, struct buf *b, int write)
{
	buf_begin(d, b, write);
	rumpuser_bio(d->fd, write ? RUMPUSER_BIO_WRITE : RUMPUSER_BIO_READ,
		     b->data, d->bsize, (int64_t)(b->blkno * d->bsize),
		     buf_done, b);
}

/*
 * A run: buffers of blocks one after another, one request for them all,
 * through memory of its own (buffers are apart in memory).
 */
struct buf_run {
	struct bdev *d;
	unsigned n;
	void *data;
	struct buf *bufs[BUF_RUN_BYTES / 512];
};

/* buf_run_done: rumpuser_bio's completion of a run; the CPU held. */
static void
buf_run_done(void *arg, size_t count, int error)
{
	struct buf_run *r = arg;
	struct bdev *d = r->d;
	int ok = error == 0 && count == (size_t)r->n * d->bsize;

	for (unsigned i = 0; i < r->n; i++) {
		struct buf *b = r->bufs[i];
		if (ok && !(b->flags & BUF_WRITE))
			memcpy(b->data, (char *)r->data + (size_t)i * d->bsize,
			       d->bsize);
		buf_finish(d, b, ok, error);
	}
	rumpuser_free(r->data, (size_t)r->n * d->bsize);
	rumpuser_free(r, sizeof(*r));
	bdev_wake(d);
}

/*
 * buf_start_run: one request (write or read) for bufs[0..n), blocks one
 * after another; each alone if there is no memory for the run.
 */
static void
buf_start_run(struct bdev *d, struct buf **bufs, unsigned n, int write)
{
	struct buf_run *r = NULL;
	size_t len = (size_t)n * d->bsize;
	void *p, *data;

	if (n > 1 && rumpuser_malloc(sizeof(*r), 0, &p) == 0) {
		if (rumpuser_malloc(len, 4096, &data) == 0)
			r = p;
		else
			rumpuser_free(p, sizeof(*r));
	}
	if (r == NULL) {
		for (unsigned i = 0; i < n; i++)
			buf_start(d, bufs[i], write);
		return;
	}
	r->d = d;
	r->n = n;
	r->data = data;
	for (unsigned i = 0; i < n; i++) {
		r->bufs[i] = bufs[i];
		if (write)
			memcpy((char *)data + (size_t)i * d->bsize,
			       bufs[i]->data, d->bsize);
		buf_begin(d, bufs[i], write);
	}
	rumpuser_bio(d->fd, write ? RUMPUSER_BIO_WRITE : RUMPUSER_BIO_READ,
		     data, len, (int64_t)(bufs[0]->blkno * d->bsize),
		     buf_run_done, r);
}

/* buf_writable: b is dirty, not in flight, and did not fail. */
static int
buf_writable(const struct buf *b)
{
	return b != NULL &&
	       (b->flags & (BUF_DIRTY | BUF_BUSY | BUF_WERR)) == BUF_DIRTY;
}

/*
 * buf_write_run: b (writable) is written with the writable buffers of
 * the blocks around it, as one request; how many.
 */
static unsigned
buf_write_run(struct bdev *d, struct buf *b)
{
	struct buf *run[BUF_RUN_BYTES / 512];
	unsigned max = BUF_RUN_BYTES / d->bsize, n = 0;
	struct buf *first = b, *p;

	while (first->blkno > 0 && n + 1 < max &&
	       buf_writable(p = buf_find(d, first->blkno - 1))) {
		first = p;
		n++;
	}
	n = 0;
	for (p = first; n < max && buf_writable(p);
	     p = buf_find(d, p->blkno + 1))
		run[n++] = p;
	buf_start_run(d, run, n, 1);
	return n;
}

/*
 * bdev_wait: the calling thread waits once for a request of d to end,
 * since since (kern_now); -EIO when that is BUF_WAIT_SEC ago, saying
 * every WAIT_SAY_SEC what it waits for (what, blkno).
 */
static int
bdev_wait(struct bdev *d, uint64_t since, const char *what, uint64_t blkno)
{
	uint64_t now = kern_now();
	uint64_t waited = (now - since) / (WAIT_SAY_SEC * NS);
	uint64_t next = since + (waited + 1) * WAIT_SAY_SEC * NS;

	if (waited > 0)
		platform_console_printf("buf: %s: waiting %lu s for %s %lu\n",
					d->name,
					(unsigned long)(waited * WAIT_SAY_SEC),
					what, (unsigned long)blkno);
	if (now - since >= BUF_WAIT_SEC * NS) {
		platform_console_printf("buf: %s: gave up on %s %lu\n", d->name,
					what, (unsigned long)blkno);
		return -KERN_EIO;
	}
	struct kern_timespec rel;
	kern_timespec_from_ns(next - now, &rel);
	rumpuser_mutex_enter_nowrap(d->mtx);
	rumpuser_cv_timedwait(d->cv, d->mtx, rel.sec, rel.nsec);
	rumpuser_mutex_exit(d->mtx);
	return 0;
}

/* buf_unbusy: b's request has ended (0) or is lost (-EIO). */
static int
buf_unbusy(struct bdev *d, struct buf *b)
{
	uint64_t since = kern_now();

	while (b->flags & BUF_BUSY) {
		if (b->flags & BUF_LOST)
			return -KERN_EIO;
		if (bdev_wait(d, since, "block", b->blkno) != 0) {
			b->flags |= BUF_LOST;
			return -KERN_EIO;
		}
	}
	return 0;
}

/*
 * buf_write_oldest: the oldest dirty buffers nobody holds (BUF_BATCH of
 * them, with their neighbours on the disk) start to be written; how
 * many.
 */
static int
buf_write_oldest(struct bdev *d)
{
	int n = 0, starts = 0;

	for (struct buf *b = d->lru_first; b != NULL && starts < BUF_BATCH;
	     b = b->lru_next)
		if (buf_writable(b)) {
			n += (int)buf_write_run(d, b);
			starts++;
		}
	return n;
}

/*
 * buf_write_batch: buf_write_oldest, and the writes waited for. Returns
 * how many were written, or -EIO.
 */
static int
buf_write_batch(struct bdev *d)
{
	uint64_t since = kern_now();
	int n = buf_write_oldest(d), err = 0;

	while (d->writing > 0 && err == 0)
		err = bdev_wait(d, since, "writes, the first of", 0);
	return err != 0 ? err : n;
}

/* buf_room: room for one more buffer, made if it can be; 0 or -ENOMEM. */
static int
buf_room(struct bdev *d, int may_write)
{
	while (d->bytes + d->bsize > BUF_CACHE_BYTES) {
		struct buf *b = d->lru_first;
		while (b != NULL && (b->flags & (BUF_DIRTY | BUF_BUSY)) != 0)
			b = b->lru_next;
		if (b != NULL) {
			buf_lru_remove(d, b);
			buf_free(d, b);
			continue;
		}
		if (!may_write)
			return -KERN_ENOMEM;
		int n = buf_write_batch(d);
		if (n < 0)
			return n;
		if (n == 0)
			return 0; /* all held or failing: over the bound */
	}
	return 0;
}

/* buf_new: a buffer for blkno (not cached), held, not valid. */
static int
buf_new(struct bdev *d, uint64_t blkno, int may_write, struct buf **out)
{
	struct buf *b;
	void *p, *data;
	int err = buf_room(d, may_write);

	if (err != 0)
		return err;
	if (rumpuser_malloc(d->bsize, d->bsize > 4096 ? 4096 : d->bsize,
			    &data) != 0)
		return -KERN_ENOMEM;
	if (rumpuser_malloc(sizeof(*b), 0, &p) != 0) {
		rumpuser_free(data, d->bsize);
		return -KERN_ENOMEM;
	}
	b = p;
	memset(b, 0, sizeof(*b));
	b->data = data;
	b->blkno = blkno;
	b->dev = d;
	b->refs = 1;
	struct buf **slot = buf_slot(d, blkno);
	b->hnext = *slot;
	*slot = b;
	d->bytes += d->bsize;
	*out = b;
	return 0;
}

/* buf_hold: the cached b gets one more holder. */
static void
buf_hold(struct bdev *d, struct buf *b)
{
	if (b->refs++ == 0)
		buf_lru_remove(d, b);
}

/* buf_take: block blkno held, read (read) or zeroed when not cached. */
static int
buf_take(struct bdev *d, uint64_t blkno, int read, struct buf **out)
{
	struct buf *b;
	int err;

	if (blkno >= bdev_blocks(d))
		return -KERN_ENXIO;
	b = buf_find(d, blkno);
	if (b != NULL) {
		buf_hold(d, b);
	} else {
		err = buf_new(d, blkno, 1, &b);
		if (err != 0)
			return err;
	}
	for (int tries = 0;; tries++) {
		err = buf_unbusy(d, b);
		if (err != 0 || (b->flags & BUF_VALID))
			break;
		if (!read) {
			memset(b->data, 0, d->bsize);
			b->flags |= BUF_VALID;
			break;
		}
		if (tries == 2) {
			err = b->error < 0 ? b->error : -KERN_EIO;
			break;
		}
		buf_start(d, b, 0);
	}
	if (err != 0) {
		buf_put(b);
		return err;
	}
	*out = b;
	return 0;
}

int
buf_read(struct bdev *d, uint64_t blkno, struct buf **out)
{
	return buf_take(d, blkno, 1, out);
}

int
buf_get(struct bdev *d, uint64_t blkno, struct buf **out)
{
	return buf_take(d, blkno, 0, out);
}

void
buf_readahead(struct bdev *d, uint64_t blkno, unsigned n)
{
	struct buf *run[BUF_RUN_BYTES / 512];
	unsigned max = BUF_RUN_BYTES / d->bsize, k = 0;

	for (unsigned i = 0; i <= n; i++) {
		uint64_t at = blkno + i;
		struct buf *b = NULL;
		int more = i < n && at < bdev_blocks(d) && k < max &&
			   buf_find(d, at) == NULL &&
			   buf_new(d, at, 0, &b) == 0;
		if (more)
			run[k++] = b;
		if (k > 0 && (!more || k == max)) {
			buf_start_run(d, run, k, 0);
			for (unsigned j = 0; j < k; j++)
				buf_put(run[j]);
			k = 0;
		}
		if (!more && i < n && at < bdev_blocks(d) &&
		    buf_find(d, at) == NULL)
			return; /* no room: the rest is not read ahead */
	}
}

void
buf_dirty(struct buf *b)
{
	struct bdev *d = b->dev;

	d->ndirty += (b->flags & BUF_DIRTY) == 0;
	b->flags |= BUF_DIRTY | BUF_VALID;
	/* Half the cache dirty: writing behind starts, nobody waits. */
	if (d->writing == 0 &&
	    (size_t)d->ndirty * d->bsize >= BUF_CACHE_BYTES / 2)
		buf_write_oldest(d);
}

void
buf_put(struct buf *b)
{
	struct bdev *d = b->dev;

	if (--b->refs > 0)
		return;
	if (!(b->flags & (BUF_VALID | BUF_BUSY))) {
		buf_free(d, b); /* a read that failed: nothing to keep */
		return;
	}
	buf_lru_append(d, b);
}

int
bdev_sync(struct bdev *d)
{
	uint64_t since = kern_now();
	int err = 0;

	if (d->rdonly)
		return 0;
	for (int i = 0; i < BUF_HASH; i++)
		for (struct buf *b = d->hash[i]; b != NULL; b = b->hnext)
			if (buf_writable(b))
				buf_write_run(d, b);
			else if ((b->flags & (BUF_DIRTY | BUF_BUSY)) ==
				 BUF_DIRTY)
				buf_start(d, b, 1); /* it failed: once more */
	while (d->writing > 0 && err == 0)
		err = bdev_wait(d, since, "writes, the first of", 0);
	/* Dirty ones that were being written when this began. */
	for (int i = 0; i < BUF_HASH && err == 0; i++)
		for (struct buf *b = d->hash[i]; b != NULL; b = b->hnext)
			if ((b->flags & (BUF_DIRTY | BUF_BUSY | BUF_WERR)) ==
			    BUF_DIRTY)
				return bdev_sync(d);
	if (err == 0) {
		err = d->error;
		d->error = 0;
	}
	int flush = rumpuser_syncfd(
		d->fd, RUMPUSER_SYNCFD_WRITE | RUMPUSER_SYNCFD_SYNC, 0,
		d->size);
	if (err == 0 && flush != 0)
		err = kern_errno(flush);
	return err;
}

size_t
bdev_cached(void)
{
	size_t bytes = 0;

	for (struct bdev *d = bdev_list; d != NULL; d = d->next)
		bytes += d->bytes;
	return bytes;
}

int
bdev_close(struct bdev *d)
{
	int err = bdev_sync(d);

	for (int i = 0; i < BUF_HASH; i++) {
		struct buf *b = d->hash[i];
		while (b != NULL) {
			struct buf *next = b->hnext;
			if (!(b->flags & BUF_BUSY)) {
				if (b->refs == 0)
					buf_lru_remove(d, b);
				buf_free(d, b);
			}
			b = next;
		}
	}
	struct bdev **pp = &bdev_list;
	while (*pp != d)
		pp = &(*pp)->next;
	*pp = d->next;
	if (d->bytes == 0) {
		rumpuser_close(d->fd);
		rumpuser_cv_destroy(d->cv);
		rumpuser_mutex_destroy(d->mtx);
		rumpuser_free(d, sizeof(*d));
	}
	return err;
}
