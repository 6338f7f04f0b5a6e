/*
 * Mappings as Linux makes them (tests/proc/memmap.sh): munmap of a part
 * inside a mapping (the rest keeps its bytes, maps no longer shows it),
 * an address hint that is free taken as it is, one in use not, MAP_FIXED
 * over part of a mapping (zeroed, its protection; the neighbours keep
 * theirs), MAP_FIXED_NOREPLACE over a mapping (EEXIST, with MAP_FIXED
 * too), munmap past the top (EINVAL), mprotect and MADV_DONTNEED across
 * two mappings, mremap shrinking a part, growing in place and moving,
 * and a private file mapping at a fixed address. Run natively and on
 * Xen; prints "N failures" and exits 0 when there are none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static long page;

/* perms: maps' permissions for the page at addr ("" when unmapped). */
static const char *
perms(const void *addr)
{
	static char buf[1 << 20], p[5];
	unsigned long a = (unsigned long)addr, start, end;
	int fd = open("/proc/self/maps", O_RDONLY);
	long n = 0, r;

	while (fd >= 0 && (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	for (char *l = buf; l != NULL && *l != '\0';
	     l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (sscanf(l, "%lx-%lx %4s", &start, &end, p) == 3 &&
		    start <= a && a < end)
			return p;
	return "";
}

/* filled: n pages at p each hold their index + base in every byte. */
static int
filled(const char *p, int n, int base)
{
	for (int i = 0; i < n; i++)
		for (long k = 0; k < page; k++)
			if (p[i * page + k] != (char)(base + i))
				return 0;
	return 1;
}

static void
fill(char *p, int n, int base)
{
	for (int i = 0; i < n; i++)
		memset(p + i * page, base + i, page);
}

int
main(void)
{
	page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 16 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(m != MAP_FAILED, "mmap 16 pages");
	fill(m, 16, 1);

	/* munmap inside */
	check(munmap(m + 4 * page, 4 * page) == 0, "munmap pages 4-7");
	check(filled(m, 4, 1) && filled(m + 8 * page, 8, 9),
	      "the rest keeps its bytes");
	check(strcmp(perms(m + 5 * page), "") == 0 &&
		      strcmp(perms(m + 3 * page), "rw-p") == 0 &&
		      strcmp(perms(m + 8 * page), "rw-p") == 0,
	      "maps: the hole, and the parts around it");

	/* a free hint is taken */
	char *h = mmap(m + 4 * page, 2 * page, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(h == m + 4 * page, "a free hint is where the mapping goes");
	check(h != MAP_FAILED && h[0] == 0 && h[2 * page - 1] == 0, "zeroed");
	check(strcmp(perms(h), "r--p") == 0, "with its protection");
	/* a hint in use is not */
	char *o = mmap(m, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(o != MAP_FAILED && o != m && filled(m, 4, 1),
	      "a hint in use: elsewhere, nothing lost");
	munmap(o, page);

	/* MAP_FIXED over part of a mapping */
	char *f = mmap(m + page, 2 * page, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check(f == m + page, "MAP_FIXED: at that address");
	check(f[0] == 0 && f[2 * page - 1] == 0, "MAP_FIXED: zeroed");
	check(strcmp(perms(f), "r--p") == 0 && strcmp(perms(m), "rw-p") == 0 &&
		      strcmp(perms(m + 3 * page), "rw-p") == 0,
	      "MAP_FIXED: its protection, the neighbours theirs");
	check(filled(m, 1, 1) && filled(m + 3 * page, 1, 4),
	      "MAP_FIXED: the neighbours keep their bytes");
	errno = 0;
	check(mmap(m + 2 * page, page, PROT_READ,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		   0) == MAP_FAILED &&
		      errno == EEXIST,
	      "MAP_FIXED_NOREPLACE over a mapping: EEXIST");
	errno = 0;
	check(mmap(m + 2 * page, page, PROT_READ,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
			   MAP_FIXED_NOREPLACE,
		   -1, 0) == MAP_FAILED &&
		      errno == EEXIST && filled(m + 3 * page, 1, 4),
	      "with MAP_FIXED too: EEXIST, nothing replaced");
	errno = 0;
	check(munmap((void *)((1ul << 47) - page), 2 * page) != 0 &&
		      errno == EINVAL,
	      "munmap past the top of the address space: EINVAL");

	/* mprotect across mappings: pages 0-3 (two mappings) */
	check(mprotect(m, 4 * page, PROT_READ) == 0,
	      "mprotect across two mappings");
	check(strcmp(perms(m), "r--p") == 0 &&
		      strcmp(perms(m + 3 * page), "r--p") == 0,
	      "both read-only");
	check(mprotect(m, 4 * page, PROT_READ | PROT_WRITE) == 0,
	      "and writable again");
	check(madvise(m, 4 * page, MADV_DONTNEED) == 0 && m[0] == 0 &&
		      m[3 * page] == 0,
	      "MADV_DONTNEED across two mappings zeroes both");
	errno = 0;
	check(mprotect(m, 8 * page, PROT_READ) != 0 && errno == ENOMEM,
	      "mprotect over a hole: ENOMEM");
	munmap(h, 2 * page);

	/* mremap: pages 8-15 */
	char *r = mremap(m + 8 * page, 8 * page, 4 * page, 0);
	check(r == m + 8 * page && filled(r, 4, 9), "mremap shrinks a part");
	check(strcmp(perms(m + 12 * page), "") == 0, "the rest is unmapped");
	r = mremap(m + 8 * page, 4 * page, 6 * page, 0);
	check(r == m + 8 * page && filled(r, 4, 9),
	      "mremap grows in place into free pages");
	check(r != MAP_FAILED && r[4 * page] == 0 && r[6 * page - 1] == 0,
	      "the new pages are zeroed");
	check(strcmp(perms(m + 13 * page), "rw-p") == 0, "and mapped");
	char *blocker = mmap(m + 14 * page, page, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check(blocker == m + 14 * page, "a mapping after it");
	errno = 0;
	check(mremap(m + 8 * page, 6 * page, 8 * page, 0) == MAP_FAILED &&
		      errno == ENOMEM,
	      "mremap cannot grow into it without MREMAP_MAYMOVE: ENOMEM");
	char *moved =
		mremap(m + 10 * page, 2 * page, 64 * page, MREMAP_MAYMOVE);
	check(moved != MAP_FAILED && moved != m + 10 * page &&
		      filled(moved, 2, 11),
	      "mremap moves a part, its bytes with it");
	check(filled(m + 8 * page, 2, 9) &&
		      strcmp(perms(m + 10 * page), "") == 0,
	      "what was before it stays, where it was is unmapped");
	munmap(moved, 64 * page);

	/* a private file mapping at a fixed address */
	int fd = open("/tmp/memmap-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	char bytes[8192];
	memset(bytes, 'x', sizeof(bytes));
	check(write(fd, bytes, sizeof(bytes)) == (long)sizeof(bytes),
	      "a file of two pages");
	char *pf = mmap(m + page, 2 * page, PROT_READ, MAP_PRIVATE | MAP_FIXED,
			fd, 0);
	check(pf == m + page && pf[0] == 'x' && pf[2 * page - 1] == 'x',
	      "MAP_PRIVATE|MAP_FIXED of a file: its bytes there");
	close(fd);
	unlink("/tmp/memmap-file");
	check(filled(m, 1, 0) && filled(m + 3 * page, 1, 0),
	      "and the neighbours keep theirs (zeros since MADV_DONTNEED)");

	printf("%d failures\n", failures);
	return failures != 0;
}
