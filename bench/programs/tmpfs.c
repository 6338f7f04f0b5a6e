/*
 * Sequential file throughput: writes a file of argv[2] MiB in 64 KiB
 * writes into directory argv[1], reads it back the same way, and prints
 * MB/s for each (the data is checked, so nothing is skipped). On rumpxen
 * the directory is on its tmpfs root; on the host, a tmpfs such as
 * /dev/shm. One line of figures for bench/files.sh.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static unsigned char buf[CHUNK];
	char path[512];
	long mib = argc > 2 ? atol(argv[2]) : 16, chunks = mib * 16, bad = 0;

	snprintf(path, sizeof(path), "%s/bench.dat", argc > 1 ? argv[1] : "/");
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	double t0 = now();
	for (long i = 0; i < chunks; i++) {
		memset(buf, (int)(i & 0xff), sizeof(buf));
		if (write(fd, buf, CHUNK) != CHUNK) {
			perror("write");
			return 1;
		}
	}
	double t1 = now();
	lseek(fd, 0, SEEK_SET);
	for (long i = 0; i < chunks; i++) {
		if (read(fd, buf, CHUNK) != CHUNK)
			return 1;
		bad += buf[0] != (unsigned char)(i & 0xff) ||
		       buf[CHUNK - 1] != (unsigned char)(i & 0xff);
	}
	double t2 = now();
	close(fd);
	unlink(path);
	printf("write_mbs %.1f read_mbs %.1f mib %ld bad %ld\n",
	       mib * 1.048576 / (t1 - t0), mib * 1.048576 / (t2 - t1), mib,
	       bad);
	return bad != 0;
}
