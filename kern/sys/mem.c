/*
 * Anonymous memory: mmap, munmap, mremap, mprotect, madvise and brk.
 *
 * A mapping is a run of zeroed pages from the platform, with mmap's
 * protection, kept in a table of regions. munmap of a whole region gives its
 * pages back; munmap of a part marks those pages in the region's bitmap, and
 * the region goes back once every page of it is unmapped (until then the pages
 * stay as they were: its protections are the last mprotect's). mprotect changes
 * pages of regions through the platform; a region goes back with the platform's
 * own protection restored. mremap grows or moves a whole region
 * (with MREMAP_MAYMOVE) or shrinks one in place. MAP_FIXED works inside
 * an existing region (the range is zeroed, as a fresh mapping would be).
 * File mappings come with the VFS (ENODEV until then). madvise with
 * MADV_DONTNEED zeroes the range, as Linux does for private anonymous
 * memory; other advice is taken and ignored. brk keeps no heap: it always
 * answers the break 0, which musl's malloc takes for "use mmap".
 */
#include <string.h>

#include "sys.h"

#define PROT_MASK      7
#define MEM_PROT_ALL   7 /* what the platform's pages come with */
#define MAP_SHARED     0x01
#define MAP_PRIVATE    0x02
#define MAP_FIXED      0x10
#define MAP_ANONYMOUS  0x20
#define MADV_DONTNEED  4
#define MREMAP_MAYMOVE 1
#define KERN_ENOMEM    12
#define KERN_ENODEV    19
#define MEM_REGIONS    4096
#define MEM_MAX	       (1ul << 40) /* more than any domain has */
#define PAGE	       PLATFORM_PAGE_SIZE

struct mem_region {
	uintptr_t addr;	 /* 0: a free slot */
	size_t pages;	 /* its length */
	size_t unmapped; /* pages munmap took so far */
	uint8_t *gone;	 /* which, one bit a page, once a part went */
	int protected;	 /* some page is not as the platform gave it */
};

static struct mem_region mem_regions[MEM_REGIONS];

/* mem_find: the region holding addr, or NULL. */
static struct mem_region *
mem_find(uintptr_t addr)
{
	for (int i = 0; i < MEM_REGIONS; i++) {
		struct mem_region *r = &mem_regions[i];
		if (r->addr != 0 && addr >= r->addr &&
		    addr < r->addr + r->pages * PAGE)
			return r;
	}
	return NULL;
}

static void
mem_release(struct mem_region *r)
{
	if (r->protected)
		platform_pages_protect((void *)r->addr, r->pages, MEM_PROT_ALL);
	platform_pages_free((void *)r->addr, r->pages);
	if (r->gone != NULL)
		rumpuser_free(r->gone, (r->pages + 7) / 8);
	memset(r, 0, sizeof(*r));
}

/* mem_protect_new: pages of r, new, get mmap's protection. */
static void
mem_protect_new(struct mem_region *r, void *p, size_t pages, int prot)
{
	const int rw = PLATFORM_PROT_READ | PLATFORM_PROT_WRITE;

	if ((prot & rw) != rw) {
		platform_pages_protect(p, pages, prot);
		r->protected = 1;
	}
}

long
sys_mmap(const long a[6])
{
	uintptr_t hint = (uintptr_t)a[0];
	size_t len = (size_t)a[1], pages = (len + PAGE - 1) / PAGE;
	long flags = a[3];
	void *p;

	if (len == 0 || (a[2] & ~PROT_MASK) != 0 ||
	    !(flags & (MAP_SHARED | MAP_PRIVATE)))
		return -KERN_EINVAL;
	if (len > MEM_MAX)
		return -KERN_ENOMEM;
	if (!(flags & MAP_ANONYMOUS))
		return -KERN_ENODEV; /* file mappings come with the VFS */
	kern_thread_reap();	     /* the stacks of threads that ended */
	if (flags & MAP_FIXED) {
		struct mem_region *r = mem_find(hint);
		if (hint % PAGE != 0)
			return -KERN_EINVAL;
		if (r == NULL ||
		    hint + pages * PAGE > r->addr + r->pages * PAGE)
			return -KERN_ENOMEM;
		platform_pages_protect((void *)hint, pages,
				       PLATFORM_PROT_READ |
					       PLATFORM_PROT_WRITE);
		memset((void *)hint, 0, pages * PAGE);
		mem_protect_new(r, (void *)hint, pages, (int)a[2]);
		return (long)hint;
	}
	for (int i = 0; i < MEM_REGIONS; i++) {
		struct mem_region *r = &mem_regions[i];
		if (r->addr != 0)
			continue;
		if (platform_pages_alloc(pages, 1, &p) != 0)
			return -KERN_ENOMEM;
		r->addr = (uintptr_t)p;
		r->pages = pages;
		mem_protect_new(r, p, pages, (int)a[2]);
		return (long)p;
	}
	return -KERN_ENOMEM;
}

long
sys_munmap(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];
	size_t pages = ((size_t)a[1] + PAGE - 1) / PAGE;

	if (addr % PAGE != 0 || a[1] == 0 || (size_t)a[1] > MEM_MAX)
		return -KERN_EINVAL;
	for (size_t k = 0; k < pages;) {
		uintptr_t at = addr + k * PAGE;
		struct mem_region *r = mem_find(at);
		if (r == NULL) {
			k++; /* nothing mapped there: not an error */
			continue;
		}
		size_t first = (at - r->addr) / PAGE;
		size_t n = r->pages - first < pages - k ? r->pages - first
							: pages - k;
		if (first == 0 && n == r->pages && r->unmapped == 0) {
			mem_release(r);
			k += n;
			continue;
		}
		if (r->gone == NULL) {
			void *bits;
			if (rumpuser_malloc((r->pages + 7) / 8, 0, &bits) != 0)
				return -KERN_ENOMEM;
			memset(bits, 0, (r->pages + 7) / 8);
			r->gone = bits;
		}
		for (size_t i = first; i < first + n; i++) {
			if (!(r->gone[i / 8] & (1u << (i % 8)))) {
				r->gone[i / 8] |= (uint8_t)(1u << (i % 8));
				r->unmapped++;
			}
		}
		k += n;
		if (r->unmapped == r->pages)
			mem_release(r);
	}
	return 0;
}

long
sys_madvise(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];

	if (addr % PAGE != 0 || (size_t)a[1] > MEM_MAX)
		return -KERN_EINVAL;
	if (a[2] == MADV_DONTNEED) {
		size_t len = ((size_t)a[1] + PAGE - 1) / PAGE * PAGE;
		struct mem_region *r = mem_find(addr);
		if (r == NULL || addr + len > r->addr + r->pages * PAGE)
			return -KERN_ENOMEM;
		memset((void *)addr, 0, len);
	}
	return 0;
}

long
sys_brk(const long a[6])
{
	(void)a;
	return 0; /* no heap: the break stays where it is, at 0 */
}

long
sys_mprotect(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];
	size_t pages = ((size_t)a[1] + PAGE - 1) / PAGE;
	struct mem_region *r = mem_find(addr);

	if (addr % PAGE != 0 || (a[2] & ~PROT_MASK) != 0 ||
	    (size_t)a[1] > MEM_MAX)
		return -KERN_EINVAL;
	if (pages == 0)
		return 0;
	if (r == NULL || addr + pages * PAGE > r->addr + r->pages * PAGE)
		return -KERN_ENOMEM; /* Linux: not all of it is mapped */
	r->protected = 1;
	return -platform_pages_protect((void *)addr, pages, (int)a[2]);
}

long
sys_mremap(const long a[6])
{
	uintptr_t old = (uintptr_t)a[0];
	size_t old_pages = ((size_t)a[1] + PAGE - 1) / PAGE;
	size_t new_pages = ((size_t)a[2] + PAGE - 1) / PAGE;
	struct mem_region *r = mem_find(old);

	if (old % PAGE != 0 || new_pages == 0 || (a[3] & ~MREMAP_MAYMOVE) ||
	    (size_t)a[2] > MEM_MAX)
		return -KERN_EINVAL;
	if (r == NULL || r->addr != old || r->pages != old_pages ||
	    r->unmapped != 0)
		return -KERN_EINVAL; /* whole regions only */
	if (new_pages <= old_pages) {
		const long tail[6] = {(long)(old + new_pages * PAGE),
				      (long)((old_pages - new_pages) * PAGE)};
		if (new_pages < old_pages)
			sys_munmap(tail);
		return (long)old;
	}
	if (!(a[3] & MREMAP_MAYMOVE))
		return -KERN_ENOMEM;
	const long map[6] = {0,	 (long)(new_pages * PAGE),
			     3,	 MAP_PRIVATE | MAP_ANONYMOUS,
			     -1, 0};
	long moved = sys_mmap(map);
	if (moved < 0)
		return moved;
	memcpy((void *)moved, (void *)old, old_pages * PAGE);
	mem_release(r);
	return moved;
}

long
kern_mem_unmap(unsigned long addr, unsigned long len)
{
	const long a[6] = {(long)addr, (long)len};

	return sys_munmap(a);
}

unsigned long
kern_mem_base(unsigned long addr)
{
	struct mem_region *r = mem_find(addr);

	return r != NULL ? r->addr : 0;
}
