/*
 * Conformance checks of files and block I/O (rumpuser.md §9 items 36-40)
 * on the block device the harness names: 128 requests in flight, each
 * completed exactly once, with the whole count, in kernel context; a
 * BIO_SYNC write (whose durability the Xen disk test checks from the
 * host); errors through biodone; and, given a read-only device, EROFS for
 * opening it to write.
 */
#include <string.h>

#include "conformance.h"

#define BIO_REQS 128
#define BIO_SIZE 4096

static struct {
	int calls;
	size_t count;
	int error;
	int in_context; /* completed by a thread with an lwp and the CPU */
} bio_done[BIO_REQS + 1];
static volatile int bio_completed;

static void
bio_biodone(void *arg, size_t count, int error)
{
	long i = (long)arg;
	struct lwp *l = rumpuser_curlwp();

	bio_done[i].calls++;
	bio_done[i].count = count;
	bio_done[i].error = error;
	bio_done[i].in_context = l != NULL && l->holds_cpu;
	bio_completed++;
}

/* bio_wait: until n completions have come (ten seconds catch a hang). */
static void
bio_wait(int n)
{
	uint64_t end = model_now_ns() + 10000000000ull;

	while (bio_completed < n && model_now_ns() < end)
		rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 1000000);
}

void
suite_bio(void)
{
	static unsigned char buf[BIO_REQS][BIO_SIZE];
	uint64_t size = 0, dev_size;
	const char *name = harness_blockdev(&dev_size);
	int type = -1, fd, ok;

	if (name == NULL) {
		harness_print("no block device: block I/O checks skipped\n");
		return;
	}
	check(rumpuser_open(name, RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_BIO,
			    &fd) == 0,
	      "open(%s, RDWR|BIO)", name);
	check(rumpuser_getfileinfo(name, &size, &type) == 0 &&
		      size == dev_size &&
		      (type == RUMPUSER_FT_REG || type == RUMPUSER_FT_BLK ||
		       type == RUMPUSER_FT_CHR),
	      "getfileinfo: size %lu and a block-device type",
	      (unsigned long)size);
	check(rumpuser_getfileinfo(name, NULL, NULL) == 0,
	      "getfileinfo takes NULL pointers");
	check(rumpuser_open("/no/such/device", RUMPUSER_OPEN_RDONLY, &type) !=
		      0,
	      "open of a missing name fails");
	check(rumpuser_open(name, RUMPUSER_OPEN_ACCMODE, &type) == 22,
	      "open with a bad access mode is EINVAL");

	/* 128 writes in flight, then 128 reads of what they wrote. */
	for (long i = 0; i < BIO_REQS; i++) {
		memset(buf[i], (int)(i * 3 + 1), BIO_SIZE);
		rumpuser_bio(fd, RUMPUSER_BIO_WRITE, buf[i], BIO_SIZE,
			     i * BIO_SIZE, bio_biodone, (void *)i);
	}
	bio_wait(BIO_REQS);
	ok = 1;
	for (int i = 0; i < BIO_REQS; i++)
		ok &= bio_done[i].calls == 1 && bio_done[i].count == BIO_SIZE &&
		      bio_done[i].error == 0 && bio_done[i].in_context;
	check(ok,
	      "%d writes in flight, each completed once, whole, in "
	      "kernel context",
	      BIO_REQS);

	memset(bio_done, 0, sizeof(bio_done));
	bio_completed = 0;
	for (long i = 0; i < BIO_REQS; i++) {
		memset(buf[i], 0, BIO_SIZE);
		rumpuser_bio(fd, RUMPUSER_BIO_READ, buf[i], BIO_SIZE,
			     i * BIO_SIZE, bio_biodone, (void *)i);
	}
	bio_wait(BIO_REQS);
	ok = 1;
	for (int i = 0; i < BIO_REQS; i++)
		ok &= bio_done[i].calls == 1 &&
		      buf[i][0] == (i * 3 + 1) % 256 &&
		      buf[i][BIO_SIZE - 1] == (i * 3 + 1) % 256;
	check(ok, "the reads give back what the writes wrote");

	/* Item 40: past the end, an error through biodone. */
	memset(bio_done, 0, sizeof(bio_done));
	bio_completed = 0;
	rumpuser_bio(fd, RUMPUSER_BIO_READ, buf[0], BIO_SIZE,
		     (int64_t)dev_size + BIO_SIZE, bio_biodone, (void *)0);
	bio_wait(1);
	check(bio_done[0].calls == 1 && bio_done[0].count == 0 &&
		      bio_done[0].error != 0,
	      "a read past the end completes once with an error (%d)",
	      bio_done[0].error);

	/* Item 39: a BIO_SYNC write, completed once, whole. */
	memset(bio_done, 0, sizeof(bio_done));
	bio_completed = 0;
	memset(buf[0], 0x5a, BIO_SIZE);
	rumpuser_bio(fd, RUMPUSER_BIO_WRITE | RUMPUSER_BIO_SYNC, buf[0],
		     BIO_SIZE, 0, bio_biodone, (void *)0);
	bio_wait(1);
	check(bio_done[0].calls == 1 && bio_done[0].count == BIO_SIZE &&
		      bio_done[0].error == 0 && bio_done[0].in_context,
	      "a BIO_SYNC write completes once, whole, in kernel context");
	memset(buf[0], 1, BIO_SIZE);
	rumpuser_bio(fd, RUMPUSER_BIO_WRITE | RUMPUSER_BIO_SYNC, buf[0],
		     BIO_SIZE, 0, bio_biodone, (void *)0);
	bio_wait(2);

	struct rumpuser_iovec iov[2] = {{buf[0], 100}, {buf[1], 200}};
	size_t moved = 0;
	check(rumpuser_iovread(fd, iov, 2, 0, &moved) == 0 && moved == 300 &&
		      buf[0][0] == 1 && buf[1][0] == 1,
	      "iovread gathers 300 bytes from offset 0");
	struct rumpuser_iovec wiov[2] = {{"abcde", 5}, {"fghij", 5}};
	unsigned char back[20];
	struct rumpuser_iovec riov[1] = {{back, sizeof(back)}};
	check(rumpuser_iovwrite(fd, wiov, 2, 4096 + 5, &moved) == 0 &&
		      moved == 10 &&
		      rumpuser_iovread(fd, riov, 1, 4096, &moved) == 0 &&
		      moved == 20 && back[4] == 4 && back[15] == 4 &&
		      memcmp(back + 5, "abcdefghij", 10) == 0,
	      "iovwrite of 10 bytes at an odd offset keeps the bytes around "
	      "them");
	check(rumpuser_syncfd(fd, 0, 0, 0) == 22,
	      "syncfd without READ/WRITE is EINVAL");
	check(rumpuser_close(fd) == 0, "close");

	const char *ro = harness_blockdev_ro();
	if (ro == NULL)
		return;
	check(rumpuser_open(ro, RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_BIO, &fd) ==
		      30,
	      "open(%s, RDWR|BIO) of a read-only device is EROFS", ro);
	check(rumpuser_open(ro, RUMPUSER_OPEN_RDONLY | RUMPUSER_OPEN_BIO,
			    &fd) == 0,
	      "open(%s, RDONLY|BIO) works", ro);
	memset(bio_done, 0, sizeof(bio_done));
	bio_completed = 0;
	rumpuser_bio(fd, RUMPUSER_BIO_WRITE, buf[0], BIO_SIZE, 0, bio_biodone,
		     (void *)0);
	bio_wait(1);
	check(bio_done[0].calls == 1 && bio_done[0].count == 0 &&
		      bio_done[0].error != 0,
	      "a write to it completes once with an error (%d)",
	      bio_done[0].error);
	check(rumpuser_close(fd) == 0, "close");
}
