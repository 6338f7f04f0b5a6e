/*
 * blkfront from inside a domU (tests/system/blk.sh gives it a 64 MiB
 * read-write xvda and a 1 MiB read-only xvdb): the disks connect with the
 * right size and mode; a pattern goes over all of xvda in 64 KiB requests,
 * 64 in flight, then a flush; reading it all back (64 in flight again,
 * and once more in odd sizes with blkfront_io) gives the pattern; xvdb
 * refuses a write with EROFS but reads; misaligned and out-of-range
 * requests are refused with EINVAL before anything is sent; a write with
 * BLKFRONT_SYNC completes. Word w of sector s holds s * 2654435761 + w
 * (the host checks the file after the run). Exits 0 when all holds.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "../../../platform/xen/core/core.h"
#include "../../../platform/xen/dev/dev.h"
#include "../../check.h"

#define CHUNK	 65536
#define INFLIGHT 64

static struct waitq notify;
static char *bufs[INFLIGHT];
static struct {
	int busy, error;
	uint64_t off;
} slot[INFLIGHT];
static unsigned completions, errors;

static void
fill(uint32_t *w, uint64_t off, size_t len)
{
	for (size_t i = 0; i < len / 4; i++) {
		uint64_t s = (off + i * 4) / 512;
		w[i] = (uint32_t)(s * 2654435761u + i % 128);
	}
}

static int
matches(const uint32_t *w, uint64_t off, size_t len)
{
	for (size_t i = 0; i < len / 4; i++) {
		uint64_t s = (off + i * 4) / 512;
		if (w[i] != (uint32_t)(s * 2654435761u + i % 128))
			return 0;
	}
	return 1;
}

static void
on_done(void *arg, int error)
{
	long i = (long)arg;

	slot[i].busy = 0;
	slot[i].error = error;
	completions++;
	if (error)
		errors++;
}

/* pump: delivers completions, waiting for at least one if need be. */
static void
pump(int wait)
{
	blkfront_poll();
	if (blkfront_deliver() == 0 && wait)
		waitq_wait(&notify, time_monotonic_ns() + 1000000000ull);
}

/* sweep: op over the whole disk in CHUNKs, INFLIGHT at once; bad chunks. */
static unsigned
sweep(struct blkfront *d, int op, uint64_t size)
{
	unsigned bad = 0;
	uint64_t next = 0;

	completions = errors = 0;
	for (;;) {
		int idle = 1;
		for (long i = 0; i < INFLIGHT; i++) {
			if (slot[i].busy) {
				idle = 0;
				continue;
			}
			if (slot[i].off != ~0ull && op == BLKFRONT_READ &&
			    !matches((uint32_t *)bufs[i], slot[i].off, CHUNK))
				bad++;
			slot[i].off = ~0ull;
			if (next >= size)
				continue;
			if (op == BLKFRONT_WRITE)
				fill((uint32_t *)bufs[i], next, CHUNK);
			slot[i].busy = 1;
			slot[i].off = next;
			if (blkfront_start(d, op, bufs[i], CHUNK, next, on_done,
					   (void *)i) != 0) {
				slot[i].busy = 0;
				errors++;
			}
			next += CHUNK;
			idle = 0;
		}
		if (idle)
			break;
		pump(1);
	}
	return bad + errors;
}

int
rumpxen_main(int argc, char **argv)
{
	struct blkfront *a, *b;
	uint64_t size, bsize;
	unsigned ssize, bssize;
	int ro, bro;
	static char odd[3 * 4096 + 1024];

	(void)argc;
	(void)argv;
	for (int i = 0; i < INFLIGHT; i++) {
		void *p;
		if (heap_alloc(CHUNK, 4096, &p) != 0)
			return 1;
		bufs[i] = p;
		slot[i].off = ~0ull;
	}
	check(blkfront_get("xvda", &notify, &a) == 0, "xvda connects");
	blkfront_info(a, &size, &ssize, &ro);
	platform_console_printf("xvda: %lu bytes, sectors of %u, %s\n",
				(unsigned long)size, ssize, ro ? "ro" : "rw");
	check(size == 64 << 20 && ssize == 512 && !ro,
	      "xvda is 64 MiB, read-write");
	check(blkfront_get("xvdz", &notify, &b) == ENOENT,
	      "a disk the domain lacks is ENOENT");

	uint64_t t0 = time_monotonic_ns();
	check(sweep(a, BLKFRONT_WRITE, size) == 0,
	      "a pattern written over all of xvda, 64 requests in flight");
	uint64_t t1 = time_monotonic_ns();
	check(blkfront_io(a, BLKFRONT_FLUSH, NULL, 0, 0) == 0,
	      "a flush of the write cache");
	uint64_t t2 = time_monotonic_ns();
	check(sweep(a, BLKFRONT_READ, size) == 0,
	      "all of it read back as written, 64 requests in flight");
	uint64_t t3 = time_monotonic_ns();
	platform_console_printf("write %lu ms, flush %lu ms, read %lu ms\n",
				(unsigned long)((t1 - t0) / 1000000),
				(unsigned long)((t2 - t1) / 1000000),
				(unsigned long)((t3 - t2) / 1000000));

	/* Sizes that are not whole pages, into a buffer at an odd place. */
	int ok = 1;
	for (uint64_t off = 512; off < size; off += 7 * 1024 * 1024) {
		memset(odd, 0, sizeof(odd));
		ok &= blkfront_io(a, BLKFRONT_READ, odd + 512, 3 * 4096, off) ==
			      0 &&
		      matches((uint32_t *)(odd + 512), off, 3 * 4096);
	}
	check(ok, "unaligned buffers and odd offsets read right");

	memcpy(odd, bufs[0], 1024);
	fill((uint32_t *)odd, size - 1024, 1024);
	check(blkfront_io(a, BLKFRONT_WRITE | BLKFRONT_SYNC, odd, 1024,
			  size - 1024) == 0,
	      "a write with BLKFRONT_SYNC (write, then flush) completes");
	check(blkfront_io(a, BLKFRONT_READ, odd, 100, 0) == EINVAL &&
		      blkfront_io(a, BLKFRONT_READ, odd, 512, 100) == EINVAL &&
		      blkfront_io(a, BLKFRONT_READ, odd, 1024, size - 512) ==
			      EINVAL &&
		      blkfront_io(a, BLKFRONT_READ, odd, 512, size + 512) ==
			      EINVAL,
	      "misaligned and out-of-range requests are EINVAL");

	check(blkfront_get("xvdb", &notify, &b) == 0, "xvdb connects");
	blkfront_info(b, &bsize, &bssize, &bro);
	check(bsize == 1 << 20 && bro, "xvdb is 1 MiB, read-only");
	check(blkfront_io(b, BLKFRONT_WRITE, odd, 512, 0) == EROFS,
	      "a write to xvdb is EROFS");
	check(blkfront_io(b, BLKFRONT_READ, odd, 4096, 4096) == 0 &&
		      memcmp(odd, "read-only disk", 14) == 0,
	      "a read of xvdb gives what the host put there");
	return check_failures != 0;
}
