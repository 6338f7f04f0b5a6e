/*
 * Memory for the rump kernel: malloc-style blocks from the kernel heap
 * (core/heap.c), and page-granular anonymous memory straight from the page
 * allocator. Errors are NetBSD's: ENOMEM is 12 in both numberings.
 */
#include <string.h>

#include <rumpxen/platform.h>
#include <rumpxen/rumpuser.h>

#include "../../shared/rumpuser_shared.h"
#include "../core/core.h"

int
rumpuser_malloc(size_t len, int alignment, void **memp)
{
	size_t align = alignment > 0 ? (size_t)alignment : sizeof(void *);
	int err;

	if ((align & (align - 1)) != 0)
		return 22; /* EINVAL: not a power of two */
	err = heap_alloc(len > 0 ? len : 1, align, memp);
	return err == 0 ? 0 : rumpuser_errtrans(err);
}

void
rumpuser_free(void *mem, size_t len)
{
	(void)len; /* the heap knows each block's size */
	heap_free(mem);
}

int
rumpuser_anonmmap(void *prefaddr, size_t size, int alignbit, int exec,
		  void **memp)
{
	unsigned long npages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned long align = 1;
	int err;

	(void)prefaddr; /* only a hint; everything is in the 1:1 map */
	if (npages == 0 || alignbit < 0 || alignbit >= 48)
		return 22; /* EINVAL */
	if (alignbit > PAGE_SHIFT)
		align = 1ul << (alignbit - PAGE_SHIFT);
	err = pages_alloc(npages, align, memp);
	if (err != 0)
		return rumpuser_errtrans(err);
	memset(*memp, 0, npages * PAGE_SIZE);
	if (exec != 0) {
		/* RWX, as asked: clear NX on these pages. */
		for (unsigned long i = 0; i < npages; i++) {
			unsigned long va = (unsigned long)*memp + i * PAGE_SIZE;
			if (mm_map(va, mm_pfn_to_mfn(va >> PAGE_SHIFT),
				   PTE_PRESENT | PTE_WRITE | PTE_ACCESSED |
					   PTE_DIRTY) != 0)
				platform_panic("rumpuser: cannot make %#lx "
					       "executable",
					       va);
		}
	}
	return 0;
}

void
rumpuser_unmap(void *addr, size_t len)
{
	unsigned long npages = (len + PAGE_SIZE - 1) / PAGE_SIZE;

	/* Back to the ordinary protection, in case it was made executable. */
	for (unsigned long i = 0; i < npages; i++) {
		unsigned long va = (unsigned long)addr + i * PAGE_SIZE;
		if (mm_map(va, mm_pfn_to_mfn(va >> PAGE_SHIFT),
			   PTE_PRESENT | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY |
				   mm_prot_nx()) != 0)
			platform_panic("rumpuser: cannot unmap %#lx", va);
	}
	pages_free(addr, npages);
}
