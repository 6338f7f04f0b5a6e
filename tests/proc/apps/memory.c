/*
 * Memory through musl on the kernel (tests/proc/start.sh): malloc, calloc,
 * realloc and free of sizes from 1 byte to 1 MiB, each block filled and
 * checked before it is freed, in rounds that reuse freed memory; calloc
 * gives zeroes even from reused memory; anonymous mmap of 1 MiB, written
 * and read; MAP_FIXED inside it gives zeroed pages; a partial munmap,
 * then the rest; munmap of a mapping's tail and head gives their memory
 * back (sysinfo's free memory grows); madvise(MADV_DONTNEED) zeroes; mremap
 * grows a mapping keeping its bytes; mprotect makes a page read-only and
 * writable again (a write in between would fault: not tried here); file
 * mappings are ENODEV for now. Exits 0 when all holds.
 */
#define _GNU_SOURCE /* mremap */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>

#include "check.h"

#define SLACK (16 * 4096) /* pages the kernel's heap may take at any time */

int
main(void)
{
	static unsigned char *blocks[200];
	int ok = 1;

	for (int round = 0; round < 5 && ok; round++) {
		for (int i = 0; i < 200; i++) {
			size_t n = (size_t)1 << (i % 21);
			blocks[i] = malloc(n);
			ok &= blocks[i] != NULL;
			if (blocks[i])
				memset(blocks[i], i, n);
		}
		for (int i = 0; i < 200 && ok; i++) {
			size_t n = (size_t)1 << (i % 21);
			for (size_t k = 0; k < n; k += 97)
				ok &= blocks[i][k] == (unsigned char)i;
			blocks[i] = realloc(blocks[i], n + 1000);
			ok &= blocks[i] != NULL &&
			      blocks[i][0] == (unsigned char)i;
			free(blocks[i]);
		}
	}
	check(ok, "malloc, realloc and free from 1 byte to 1 MiB, 5 rounds");
	unsigned char *z = calloc(300000, 1);
	ok = z != NULL;
	for (size_t k = 0; ok && k < 300000; k++)
		ok = z[k] == 0;
	check(ok, "calloc gives zeroes from reused memory");
	free(z);

	unsigned char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(m != MAP_FAILED && m[12345] == 0,
	      "anonymous mmap of 1 MiB, zeroed");
	memset(m, 7, 1 << 20);
	unsigned char *f = mmap(m + 8192, 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check(f == m + 8192 && f[0] == 0 && f[4095] == 0 && m[8191] == 7 &&
		      m[12288] == 7,
	      "MAP_FIXED inside it gives a zeroed page there only");
	check(madvise(m + 65536, 4096, MADV_DONTNEED) == 0 && m[65536] == 0 &&
		      m[65536 + 4096] == 7,
	      "MADV_DONTNEED zeroes its range");
	check(munmap(m, 65536) == 0 &&
		      munmap(m + 65536, (1 << 20) - 65536) == 0,
	      "munmap of a part, then of the rest");
	unsigned char *g = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(g, 9, 8192);
	unsigned char *h = mremap(g, 8192, 1 << 20, MREMAP_MAYMOVE);
	check(h != MAP_FAILED && h[0] == 9 && h[8191] == 9 && h[8192] == 0,
	      "mremap grows a mapping, keeping its bytes");
	check(mprotect(h, 4096, PROT_READ) == 0 && h[100] == 9 &&
		      mprotect(h, 4096, PROT_READ | PROT_WRITE) == 0 &&
		      (h[100] = 1) == 1,
	      "mprotect: read-only, then writable again");
	munmap(h, 1 << 20);
	/* Giving memory back: the tail of a mapping, then its head. */
	struct sysinfo si;
	unsigned char *big = mmap(NULL, 16 << 20, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(big, 5, 16 << 20);
	mprotect(big + (12 << 20), 4096, PROT_READ);
	sysinfo(&si);
	unsigned long before = si.freeram;
	/* (The kernel's own heap may take a few pages meanwhile: SLACK.) */
	check(munmap(big + (8 << 20), 8 << 20) == 0 && sysinfo(&si) == 0 &&
		      si.freeram + SLACK >= before + (8 << 20),
	      "munmap of a mapping's tail gives its memory back");
	before = si.freeram;
	check(munmap(big, 4 << 20) == 0 && sysinfo(&si) == 0 &&
		      si.freeram + SLACK >= before + (4 << 20) &&
		      big[4 << 20] == 5 && big[(8 << 20) - 1] == 5,
	      "... and of its head, the rest as it was");
	check(munmap(big + (4 << 20), 4 << 20) == 0, "... and the rest");
	errno = 0;
	check(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 0, 0) == MAP_FAILED &&
		      errno == ENODEV,
	      "a file mapping is ENODEV until files come");
	return failures != 0;
}
