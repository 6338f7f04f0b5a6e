/*
 * The kernel heap: malloc-style memory with alignment, on top of the page
 * allocator.
 *
 * Requests up to half a page come from slabs: pages cut into objects of one
 * power-of-two size class (16 to 2048 bytes), so every object is aligned
 * to its size, which serves any alignment up to that size. A page of a
 * class that has free objects sits on the class's list; free objects are
 * chained through their first word. Larger requests take whole pages with
 * the alignment asked for. What each page is used for is kept beside it, in
 * an array indexed by page number, so free() needs only the pointer.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "core.h"

#define HEAP_MIN_SHIFT 4		/* 16 bytes */
#define HEAP_MAX_SHIFT (PAGE_SHIFT - 1) /* 2048 bytes */
#define HEAP_CLASSES   (HEAP_MAX_SHIFT - HEAP_MIN_SHIFT + 1)

enum heap_use { HEAP_NONE, HEAP_SLAB, HEAP_RUN };

/* What the heap uses one page for. */
struct heap_page {
	uint8_t use;		/* enum heap_use */
	uint8_t shift;		/* HEAP_SLAB: object size is 1 << shift */
	uint16_t nused;		/* HEAP_SLAB: objects handed out */
	uint32_t npages;	/* HEAP_RUN, first page: length of the run */
	void *free;		/* HEAP_SLAB: chain of free objects */
	struct heap_page *next; /* HEAP_SLAB: on its class's list */
};

static struct heap_page *heap_pages;
static struct heap_page *heap_partial[HEAP_CLASSES];
static unsigned long heap_bytes_in_use;

void
heap_init(void)
{
	size_t size = mm_nr_pages * sizeof(struct heap_page);
	void *p;

	if (pages_alloc((size + PAGE_SIZE - 1) / PAGE_SIZE, 1, &p) != 0)
		platform_panic("heap: no memory for page descriptors");
	memset(p, 0, size);
	heap_pages = p;
}

static struct heap_page *
heap_page_of(const void *p)
{
	return &heap_pages[(unsigned long)p >> PAGE_SHIFT];
}

/* heap_slab_new: a fresh page cut into objects of 1 << shift bytes. */
static int
heap_slab_new(unsigned shift)
{
	struct heap_page *hp;
	char *page;
	void *p;

	if (pages_alloc(1, 1, &p) != 0)
		return ENOMEM;
	page = p;
	hp = heap_page_of(page);
	hp->use = HEAP_SLAB;
	hp->shift = (uint8_t)shift;
	hp->nused = 0;
	hp->free = NULL;
	for (size_t off = PAGE_SIZE; off > 0; off -= (size_t)1 << shift) {
		void **obj = (void **)(page + off - ((size_t)1 << shift));
		*obj = hp->free;
		hp->free = obj;
	}
	hp->next = heap_partial[shift - HEAP_MIN_SHIFT];
	heap_partial[shift - HEAP_MIN_SHIFT] = hp;
	return 0;
}

static int
heap_slab_alloc(unsigned shift, void **out)
{
	struct heap_page **list = &heap_partial[shift - HEAP_MIN_SHIFT];
	struct heap_page *hp;
	void **obj;

	if (*list == NULL && heap_slab_new(shift) != 0)
		return ENOMEM;
	hp = *list;
	obj = hp->free;
	hp->free = *obj;
	hp->nused++;
	if (hp->free == NULL)
		*list = hp->next; /* full: off the list */
	*out = obj;
	return 0;
}

int
heap_alloc(size_t size, size_t align, void **out)
{
	unsigned shift = HEAP_MIN_SHIFT;
	size_t need = size > align ? size : align;
	int err;

	if (align == 0 || (align & (align - 1)) != 0)
		return EINVAL;
	if (need <= ((size_t)1 << HEAP_MAX_SHIFT)) {
		while (((size_t)1 << shift) < need)
			shift++;
		err = heap_slab_alloc(shift, out);
		if (err == 0)
			heap_bytes_in_use += (size_t)1 << shift;
		return err;
	}
	if (size > mm_nr_pages * PAGE_SIZE)
		return ENOMEM;
	unsigned long npages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned long palign = align > PAGE_SIZE ? align / PAGE_SIZE : 1;
	err = pages_alloc(npages, palign, out);
	if (err != 0)
		return err;
	struct heap_page *hp = heap_page_of(*out);
	hp->use = HEAP_RUN;
	hp->npages = (uint32_t)npages;
	heap_bytes_in_use += npages * PAGE_SIZE;
	return 0;
}

void
heap_free(void *p)
{
	struct heap_page *hp;

	if (p == NULL)
		return;
	hp = heap_page_of(p);
	if (hp->use == HEAP_RUN && ((unsigned long)p & (PAGE_SIZE - 1)) == 0) {
		hp->use = HEAP_NONE;
		heap_bytes_in_use -= hp->npages * PAGE_SIZE;
		pages_free(p, hp->npages);
		return;
	}
	if (hp->use != HEAP_SLAB ||
	    ((unsigned long)p & (((size_t)1 << hp->shift) - 1)) != 0)
		platform_panic("heap: free of %p, which the heap never gave",
			       p);

	struct heap_page **list = &heap_partial[hp->shift - HEAP_MIN_SHIFT];
	heap_bytes_in_use -= (size_t)1 << hp->shift;
	if (hp->free == NULL) {
		/* It was full: back on the list. */
		hp->next = *list;
		*list = hp;
	}
	*(void **)p = hp->free;
	hp->free = p;
	if (--hp->nused > 0)
		return;
	/* Empty: unlink it and give the page back. */
	while (*list != hp)
		list = &(*list)->next;
	*list = hp->next;
	hp->use = HEAP_NONE;
	pages_free((void *)((unsigned long)p & ~(PAGE_SIZE - 1)), 1);
}

size_t
heap_in_use(void)
{
	return heap_bytes_in_use;
}
