/*
 * Sequential file throughput: writes a file of argv[3] MiB in 64 KiB
 * writes into directory argv[2] (made if missing), reads it back the same
 * way (the data is checked, so nothing is skipped) and removes it, again
 * until a run has lasted RUN_NS (bench.h), and prints MB/s for the writes
 * and for the reads. On rumpxen the directory is on its tmpfs root; on a
 * Linux domU, a tmpfs mounted there. Runs argv[1] times; each run's
 * figures are "bench NAME VALUE UNIT" lines (bench/like.sh).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

#define CHUNK 65536

/* once: writes and reads back path's mib MiB, adding the ns each took to
 * *wr and *rd; 0, or 1 after saying why not. */
static int
once(const char *path, long mib, double *wr, double *rd)
{
	static unsigned char buf[CHUNK];
	long chunks = mib * 16, bad = 0;

	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	double t0 = now_ns();
	for (long i = 0; i < chunks; i++) {
		memset(buf, (int)(i & 0xff), sizeof(buf));
		if (write(fd, buf, CHUNK) != CHUNK) {
			perror("write");
			return 1;
		}
	}
	double t1 = now_ns();
	lseek(fd, 0, SEEK_SET);
	for (long i = 0; i < chunks; i++) {
		if (read(fd, buf, CHUNK) != CHUNK) {
			perror("read");
			return 1;
		}
		bad += buf[0] != (unsigned char)(i & 0xff) ||
		       buf[CHUNK - 1] != (unsigned char)(i & 0xff);
	}
	double t2 = now_ns();
	close(fd);
	unlink(path);
	if (bad) {
		fprintf(stderr, "tmpfs: %ld chunks read back wrong\n", bad);
		return 1;
	}
	*wr += t1 - t0;
	*rd += t2 - t1;
	return 0;
}

int
main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	const char *dir = argc > 2 ? argv[2] : "/tmp";
	long mib = argc > 3 ? atol(argv[3]) : 16;
	char path[512];

	mkdir(dir, 0777);
	snprintf(path, sizeof(path), "%s/bench.dat", dir);
	for (int r = 0; r < runs; r++) {
		double wr = 0, rd = 0, t0 = now_ns();
		long done = 0;
		do {
			if (once(path, mib, &wr, &rd))
				return 1;
			done += mib;
		} while (now_ns() - t0 < RUN_NS);
		printf("bench tmpfs-write %.1f MB/s\n", done * 1.048576e9 / wr);
		printf("bench tmpfs-read %.1f MB/s\n", done * 1.048576e9 / rd);
	}
	return 0;
}
