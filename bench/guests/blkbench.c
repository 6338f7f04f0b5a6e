/*
 * The rumpxen side of the disk benchmark (bench/blk.sh): on xvda, for
 * about SECONDS each (argv[1], default 3), sequential writes and reads in
 * 64 KiB requests and random 4 KiB reads, each with 1 and with 32 requests
 * in flight, straight through blkfront. Prints one line per run, "bench
 * TEST qd=N VALUE UNIT", as tools/xenhost/blkbench does in the Linux
 * domU it is compared with.
 */
#include <string.h>

#include <rumpxen/platform.h>

#include "../../platform/xen/core/core.h"
#include "../../platform/xen/dev/dev.h"

#define QD_MAX 32
#define SEQ_BS 65536
#define RND_BS 4096

static struct waitq notify;
static int busy[QD_MAX];
static char *bufs[QD_MAX];

static void
on_done(void *arg, int error)
{
	busy[(long)arg] = 0;
	if (error)
		platform_console_printf("bench: request failed: %d\n", error);
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* run: one test; requests done, and the microseconds they took, in *us. */
static uint64_t
run(struct blkfront *d, uint64_t size, int op, int random, int qd, uint64_t ns,
    uint64_t *us)
{
	uint64_t start = time_monotonic_ns(), end = start + ns, done = 0;
	uint64_t next = 0, seed = 88172645463325252ull;
	size_t bs = random ? RND_BS : SEQ_BS;
	int out = 0;

	for (;;) {
		int more = time_monotonic_ns() < end;
		for (long i = 0; i < qd; i++) {
			if (busy[i] || !more)
				continue;
			uint64_t off;
			if (random) {
				off = xorshift(&seed) % (size / bs) * bs;
			} else {
				off = next;
				next = (next + bs) % size;
			}
			busy[i] = 1;
			out++;
			if (blkfront_start(d, op, bufs[i], bs, off, on_done,
					   (void *)i) != 0)
				busy[i] = 0;
		}
		blkfront_poll();
		unsigned n = blkfront_deliver();
		done += n;
		out -= (int)n;
		if (!more && out == 0)
			break;
		if (n == 0)
			waitq_wait(&notify, time_monotonic_ns() + 100000000);
	}
	*us = (time_monotonic_ns() - start) / 1000;
	return done;
}

int
rumpxen_main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int op, random;
	} tests[] = {{"seqwrite", BLKFRONT_WRITE, 0},
		     {"seqread", BLKFRONT_READ, 0},
		     {"randread", BLKFRONT_READ, 1}};
	struct blkfront *d;
	uint64_t size;
	unsigned ss;
	int ro;
	long secs = 3;

	if (argc > 1 && (num_parse_long(argv[1], &secs) != 0 || secs < 1))
		return 2;
	for (int i = 0; i < QD_MAX; i++) {
		void *p;
		if (heap_alloc(SEQ_BS, 4096, &p) != 0)
			return 1;
		memset(p, i, SEQ_BS);
		bufs[i] = p;
	}
	if (blkfront_get("xvda", &notify, &d) != 0)
		return 1;
	blkfront_info(d, &size, &ss, &ro);
	for (unsigned t = 0; t < 3; t++) {
		for (int qd = 1; qd <= QD_MAX; qd += QD_MAX - 1) {
			uint64_t us;
			uint64_t n = run(d, size, tests[t].op, tests[t].random,
					 qd, (uint64_t)secs * 1000000000, &us);
			/* MB/s in tenths: kB * 10 / (us / 1e6) / 1000. */
			uint64_t tenths = n * SEQ_BS / 1000 * 10000 / us;
			if (tests[t].random)
				platform_console_printf(
					"bench %s qd=%d %lu IOPS\n",
					tests[t].name, qd,
					(unsigned long)(n * 1000000 / us));
			else
				platform_console_printf(
					"bench %s qd=%d %lu.%lu MB/s\n",
					tests[t].name, qd,
					(unsigned long)(tenths / 10),
					(unsigned long)(tenths % 10));
		}
	}
	return 0;
}
