/*
 * The page allocator: every page of the domain that Xen's start-of-day
 * layout and our page tables left free, handed out in runs of contiguous
 * pages (contiguous in the 1:1 map, not in machine memory) with a given
 * alignment, through a runmap (lib/runmap.c) of one bit per page.
 *
 * The bitmap lives in the first free pages themselves. The RAM disk module,
 * wherever Xen put it, stays reserved.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "core.h"

static struct runmap pages_map;
static unsigned long pages_total;
static unsigned long pages_low; /* the fewest free so far */

/* pages_reserve: keeps [first, first + n) out of the allocator. */
static void
pages_reserve(unsigned long first, unsigned long n)
{
	for (unsigned long pfn = first; pfn < first + n; pfn++)
		if (pfn >= pages_map.base &&
		    pfn < pages_map.base + pages_map.count)
			runmap_claim(&pages_map, pfn, 1);
}

void
pages_init(unsigned long first_free, const start_info_t *si)
{
	unsigned long nr = si->nr_pages;
	unsigned long words = RUNMAP_BITS_WORDS(nr);
	unsigned long map_pages =
		(words * sizeof(long) + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned long *bits = (unsigned long *)(first_free << PAGE_SHIFT);

	runmap_init(&pages_map, bits, 0, nr);
	runmap_free(&pages_map, first_free + map_pages,
		    nr - first_free - map_pages);
	if (si->mod_start != 0 && si->mod_len != 0) {
		unsigned long mod_pfn = si->flags & SIF_MOD_START_PFN
						? si->mod_start
						: si->mod_start >> PAGE_SHIFT;
		pages_reserve(mod_pfn,
			      (si->mod_len + PAGE_SIZE - 1) >> PAGE_SHIFT);
	}
	pages_total = pages_low = pages_map.nfree;
}

/* pages_note: the fewest pages free so far (pages_stats's low). */
static void
pages_note(void)
{
	if (pages_map.nfree < pages_low)
		pages_low = pages_map.nfree;
}

int
pages_alloc(unsigned long n, unsigned long align, void **out)
{
	unsigned long pfn;
	int err = runmap_alloc(&pages_map, n, align, &pfn);

	if (err != 0)
		return err;
	pages_note();
	*out = (void *)(pfn << PAGE_SHIFT);
	return 0;
}

int
pages_claim(void *p, unsigned long n)
{
	unsigned long va = (unsigned long)p;

	if ((va & (PAGE_SIZE - 1)) != 0)
		return EINVAL;
	int err = runmap_claim(&pages_map, va >> PAGE_SHIFT, n);
	pages_note();
	return err == EINVAL ? EBUSY : err; /* outside: not ours to give */
}

void
pages_free(void *p, unsigned long n)
{
	unsigned long va = (unsigned long)p;

	if ((va & (PAGE_SIZE - 1)) != 0 ||
	    runmap_free(&pages_map, va >> PAGE_SHIFT, n) != 0)
		platform_panic("pages: bad free of %lu pages at %p", n, p);
}

void
pages_stats(struct pages_stats *st)
{
	st->total = pages_total;
	st->free = pages_map.nfree;
	st->low = pages_low;
}
