/*
 * Memory for the rump kernel on a Linux process: aligned heap blocks, and
 * anonymous mappings aligned by trimming an oversized mmap.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "posix.h"

int
rumpuser_malloc(size_t len, int alignment, void **memp)
{
	size_t align = alignment > 0 ? (size_t)alignment : sizeof(void *);
	int err;

	if ((align & (align - 1)) != 0)
		return 22; /* EINVAL */
	err = posix_memalign(memp, align, len > 0 ? len : 1);
	return err == 0 ? 0 : rumpuser_errtrans(err);
}

void
rumpuser_free(void *mem, size_t len)
{
	(void)len;
	free(mem);
}

int
rumpuser_anonmmap(void *prefaddr, size_t size, int alignbit, int exec,
		  void **memp)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t align = alignbit > 0 ? (size_t)1 << alignbit : page;
	int prot = PROT_READ | PROT_WRITE | (exec ? PROT_EXEC : 0);
	size_t len = (size + page - 1) & ~(page - 1);
	uintptr_t base, start;
	void *p;

	if (len == 0 || alignbit < 0 || alignbit >= 48)
		return 22;
	if (align < page)
		align = page;
	/* Map enough to find an aligned start, then give back the rest. */
	p = mmap(prefaddr, len + align, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		 0);
	if (p == MAP_FAILED)
		return rumpuser_errtrans(errno);
	base = (uintptr_t)p;
	start = (base + align - 1) & ~(uintptr_t)(align - 1);
	if (start > base)
		munmap(p, start - base);
	if (base + len + align > start + len)
		munmap((void *)(start + len), base + len + align - start - len);
	*memp = (void *)start;
	return 0;
}

void
rumpuser_unmap(void *addr, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	munmap(addr, (len + page - 1) & ~(page - 1));
}
