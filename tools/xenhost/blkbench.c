/*
 * blkbench DEVICE [SECONDS]: the Linux domU's side of the disk benchmark
 * (bench/blk.sh), the same work as bench/guests/blkbench.c does through
 * blkfront: for about SECONDS each (default 3), sequential writes and
 * reads in 64 KiB requests and random 4 KiB reads, with 1 and with 32
 * requests in flight (as many threads, each with one request at a time),
 * with O_DIRECT so the page cache stays out of it. Prints "bench TEST
 * qd=N VALUE UNIT" lines. Built static, for the domU's tiny initramfs.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <time.h>
#include <unistd.h>

#define QD_MAX 32
#define SEQ_BS 65536
#define RND_BS 4096

static int fd;
static uint64_t size, end_ns;
static int op_write, op_random, qd;

struct worker {
	pthread_t t;
	int index;
	uint64_t done;
	char *buf;
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	uint64_t seed = 88172645463325252ull + (uint64_t)w->index * 7919;
	size_t bs = op_random ? RND_BS : SEQ_BS;
	uint64_t off = (uint64_t)w->index * bs;

	while (now_ns() < end_ns) {
		uint64_t at;
		ssize_t n;

		if (op_random) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			at = seed % (size / bs) * bs;
		} else {
			at = off;
			off = (off + (uint64_t)qd * bs) % size;
		}
		n = op_write ? pwrite(fd, w->buf, bs, (off_t)at)
			     : pread(fd, w->buf, bs, (off_t)at);
		if (n != (ssize_t)bs) {
			perror("blkbench: I/O");
			exit(1);
		}
		w->done++;
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int write, random;
	} tests[] = {{"seqwrite", 1, 0}, {"seqread", 0, 0}, {"randread", 0, 1}};
	static struct worker ws[QD_MAX];
	int secs = argc > 2 ? atoi(argv[2]) : 3;

	if (argc < 2 || secs < 1) {
		fprintf(stderr, "usage: blkbench DEVICE [SECONDS]\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size) != 0) {
		perror(argv[1]);
		return 1;
	}
	for (int i = 0; i < QD_MAX; i++) {
		if (posix_memalign((void **)&ws[i].buf, 4096, SEQ_BS) != 0)
			return 1;
		memset(ws[i].buf, i, SEQ_BS);
		ws[i].index = i;
	}
	for (unsigned t = 0; t < 3; t++) {
		for (qd = 1; qd <= QD_MAX; qd += QD_MAX - 1) {
			uint64_t start = now_ns(), done = 0;
			op_write = tests[t].write;
			op_random = tests[t].random;
			end_ns = start + (uint64_t)secs * 1000000000;
			for (int i = 0; i < qd; i++) {
				ws[i].done = 0;
				pthread_create(&ws[i].t, NULL, work, &ws[i]);
			}
			for (int i = 0; i < qd; i++) {
				pthread_join(ws[i].t, NULL);
				done += ws[i].done;
			}
			double s = (double)(now_ns() - start) / 1e9;
			if (op_random)
				printf("bench %s qd=%d %.0f IOPS\n",
				       tests[t].name, qd, (double)done / s);
			else
				printf("bench %s qd=%d %.1f MB/s\n",
				       tests[t].name, qd,
				       (double)done * SEQ_BS / s / 1e6);
			fflush(stdout);
		}
	}
	return 0;
}
