/*
 * Files that came in a cpio RAM disk (tests/proc/initramfs.sh): argv[1]
 * is a list the host made with cksum(1) beside the files ("CRC SIZE
 * PATH" a line, paths from the root); each file is read and its POSIX
 * cksum CRC and size compared. argv[2], if given, is a list of "MODE
 * PATH" (octal mode, with its type) for stat to match, symlinks as
 * links. Prints how many matched and which did not. With "blockdev
 * PATH": PATH is a block device, read to its end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"

/* cksum: the POSIX checksum of f's bytes, as cksum(1) computes it. */
static uint32_t
cksum(FILE *f, long *size)
{
	uint32_t crc = 0;
	unsigned long n = 0;
	int c;

	while ((c = getc(f)) != EOF) {
		crc ^= (uint32_t)c << 24;
		for (int i = 0; i < 8; i++)
			crc = crc & 0x80000000u ? crc << 1 ^ 0x04c11db7u
						: crc << 1;
		n++;
	}
	*size = (long)n;
	for (unsigned long len = n; len != 0; len >>= 8) {
		crc ^= (uint32_t)(len & 0xff) << 24;
		for (int i = 0; i < 8; i++)
			crc = crc & 0x80000000u ? crc << 1 ^ 0x04c11db7u
						: crc << 1;
	}
	return ~crc;
}

/* blockdev: path is a block device of zeros, read to its end. */
static int
blockdev(const char *path)
{
	struct stat st;
	char buf[4096];
	long total = 0, nonzero = 0;
	size_t n;
	FILE *f = fopen(path, "rb");

	check(stat(path, &st) == 0 && S_ISBLK(st.st_mode), "a block device");
	while (f != NULL && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		for (size_t i = 0; i < n; i++)
			nonzero += buf[i] != 0;
		total += (long)n;
	}
	if (f != NULL)
		fclose(f);
	printf("%s: %ld bytes, %ld not zero\n", path, total, nonzero);
	printf("%d failures\n", failures);
	return failures != 0;
}

int
main(int argc, char **argv)
{
	char path[4096];
	unsigned long want_crc;
	long want_size;
	int files = 0, bad = 0;
	FILE *list;

	if (argc > 2 && strcmp(argv[1], "blockdev") == 0)
		return blockdev(argv[2]);
	if (argc < 2 || (list = fopen(argv[1], "r")) == NULL) {
		printf("no list of sums\n");
		return 2;
	}
	while (fscanf(list, "%lu %ld %4095s", &want_crc, &want_size, path) ==
	       3) {
		FILE *f = fopen(path, "rb");
		long size = -1;
		uint32_t crc = f != NULL ? cksum(f, &size) : 0;
		if (f != NULL)
			fclose(f);
		files++;
		if (f == NULL || crc != want_crc || size != want_size) {
			printf("mismatch: %s (crc %u size %ld)\n", path, crc,
			       size);
			bad++;
		}
	}
	fclose(list);
	printf("%d files checked, %d mismatches\n", files, bad);
	check(files > 0 && bad == 0, "every file's sum matches");
	if (argc > 2 && (list = fopen(argv[2], "r")) != NULL) {
		unsigned mode;
		int modes = 0, wrong = 0;
		while (fscanf(list, "%o %4095s", &mode, path) == 2) {
			struct stat st;
			modes++;
			if (lstat(path, &st) != 0 || st.st_mode != mode) {
				printf("mode: %s is %o, not %o\n", path,
				       st.st_mode, mode);
				wrong++;
			}
		}
		fclose(list);
		printf("%d modes checked, %d wrong\n", modes, wrong);
		check(modes > 0 && wrong == 0, "every mode matches");
	}
	printf("%d failures\n", failures);
	return failures != 0;
}
