/*
 * Memory: anonymous mappings and mappings of tmpfs files; mmap, munmap,
 * mremap, mprotect, madvise, msync and brk.
 *
 * An anonymous mapping is a run of zeroed pages from the platform, with
 * mmap's protection, kept in a table of regions (grown in blocks as
 * mappings need it): at the address asked
 * for if its pages are free (a hint; exactly there with MAP_FIXED, which
 * unmaps what was there first, or MAP_FIXED_NOREPLACE, EEXIST if
 * anything was), else where the platform has room. MAP_FIXED over a
 * window is EINVAL, and over memory that is not the platform's to give
 * (the kernel's, the image's) ENOMEM, with nothing lost. Addresses end
 * at 2^47, as a Linux program's do. munmap of any part
 * of one gives those pages back at once (the region is split around
 * them), as malloc expects when it gives memory back. mprotect changes
 * pages of regions through the platform, across regions too; a region
 * goes back with the platform's own protection restored. mremap shrinks
 * any part of an anonymous mapping in place, or grows it, in place when
 * the pages after it are free, else (with MREMAP_MAYMOVE) by moving it;
 * MREMAP_FIXED is not supported (EINVAL), and the old range must lie in
 * one region (where Linux would have merged two neighbours, EFAULT).
 * madvise with MADV_DONTNEED zeroes the range, as Linux does for
 * private anonymous memory (a private copy of a file gets the file's
 * bytes again, read a chunk at a time and only where the mapping is
 * still the same after the wait); other advice is taken and ignored. A
 * new mapping, or mremap's growth, that would take the mappings past
 * RLIMIT_AS, or the private writable ones past RLIMIT_DATA (as Linux
 * counts them, but as they were mapped: mprotect does not move a region
 * in or out of the count), is ENOMEM. Each
 * page's protection is recorded, so the kernel can write protected pages
 * (MADV_DONTNEED, mremap) and put it back. brk
 * keeps no heap: it always answers 0, which musl's malloc takes for "use
 * mmap".
 *
 * A MAP_SHARED mapping of a regular file is a window (platform.h) in
 * which the file's own tmpfs pages are shown as they are first touched
 * (kern_mem_fault, from the fault hook): writes through it are the
 * file's data at once, and the reverse; a page past the end of the file
 * is SIGBUS; truncating or punching the file hides its gone pages
 * (kern_mem_file_unmap), which come back, or fault, when touched again.
 * msync has nothing to do; mprotect cannot make the window writable if
 * the file was opened read-only (EACCES); a window at a fixed address is
 * not supported (EINVAL), nor is mremap of a window; munmap of part of a
 * window hides those pages, and the window goes once all of it is gone.
 *
 * A MAP_PRIVATE mapping of a file is anonymous memory holding a copy of
 * its bytes, made at mmap (MAP_FIXED too; what the file does later is not seen:
 * POSIX leaves that open). A character device maps as anonymous memory
 * (/dev/zero). On POSIX, whose platform has no windows, a shared file
 * mapping is ENODEV.
 *
 * System V shared memory (shm.c) is a tmpfs file of the kernel's own,
 * attached as such a shared window (kern_mem_map_vnode): each attachment
 * shows the same pages.
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "sys.h"

#define PROT_MASK	    7
#define MEM_PROT_ALL	    7 /* what the platform's pages come with */
#define MAP_SHARED	    0x01
#define MAP_PRIVATE	    0x02
#define MAP_FIXED	    0x10
#define MAP_ANONYMOUS	    0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MADV_DONTNEED	    4
#define MREMAP_MAYMOVE	    1
#define RLIMIT_DATA	    2
#define RLIMIT_AS	    9
#define MS_ASYNC	    1
#define MS_INVALIDATE	    2
#define MS_SYNC		    4
#define MEM_REGIONS	    4096 /* mappings at most (blocks of MEM_BLOCK) */
#define MEM_BLOCK	    64
#define MEM_MAX		    (1ul << 40) /* more than any domain has */
#define MEM_TOP		    (1ul << 47) /* a program's addresses end here */
#define MEM_CHUNK	    65536	/* a file's bytes read at a time */
#define PAGE		    PLATFORM_PAGE_SIZE

struct mem_region {
	uintptr_t addr;	 /* 0: a free slot */
	size_t pages;	 /* its length */
	int data;	 /* private and writable when mapped (RLIMIT_DATA) */
	size_t unmapped; /* pages munmap took so far */
	uint8_t *gone;	 /* which, one bit a page, once a part went */
	int protected;	 /* some page is not as the platform gave it */
	uint8_t *prot;	 /* each page's protection (NULL: all mode) */
	int mode; /* the protection mmap gave (the platform's pages: more) */
	/* A shared mapping of a file: a window its pages are shown in. */
	struct vnode *vnode; /* referenced */
	long file_page;	     /* the file's page at addr */
	int writable;	     /* its fd was open for writing too */
	/* A private mapping of a file: a copy, which MADV_DONTNEED reloads. */
	struct vnode *source; /* referenced */
	long source_off;
};

/*
 * The table of regions: blocks of MEM_BLOCK slots, made as mappings
 * need them (a region never moves: callers hold pointers to them), the
 * first in the image. MEM_REGION(i) is slot i, below mem_nslots.
 */
static struct mem_region mem_first_block[MEM_BLOCK];
static struct mem_region *mem_blocks[MEM_REGIONS / MEM_BLOCK] = {
	mem_first_block};
static int mem_nslots = MEM_BLOCK;
#define MEM_REGION(i) (&mem_blocks[(i) / MEM_BLOCK][(i) % MEM_BLOCK])

/* mem_find: the region holding addr, or NULL. */
static struct mem_region *
mem_find(uintptr_t addr)
{
	for (int i = 0; i < mem_nslots; i++) {
		struct mem_region *r = MEM_REGION(i);
		if (r->addr != 0 && addr >= r->addr &&
		    addr < r->addr + r->pages * PAGE)
			return r;
	}
	return NULL;
}

/*
 * mem_forget: anonymous region r's records go, its pages left as the
 * platform gave them (their protection put back) to the caller.
 */
static void
mem_forget(struct mem_region *r)
{
	if (r->protected)
		platform_pages_protect((void *)r->addr, r->pages, MEM_PROT_ALL);
	if (r->prot != NULL)
		rumpuser_free(r->prot, r->pages);
	if (r->source != NULL)
		vnode_put(r->source);
	memset(r, 0, sizeof(*r));
}

static void
mem_release(struct mem_region *r)
{
	if (r->vnode != NULL) {
		platform_window_free((void *)r->addr, r->pages);
		vnode_put(r->vnode);
		rumpuser_free(r->prot, r->pages);
		if (r->gone != NULL)
			rumpuser_free(r->gone, (r->pages + 7) / 8);
		memset(r, 0, sizeof(*r));
		return;
	}
	void *p = (void *)r->addr;
	size_t pages = r->pages;
	mem_forget(r);
	platform_pages_free(p, pages);
}

/*
 * mem_protect: n pages of anonymous region r from page first get prot,
 * recorded (so that the kernel can write them and put it back). 0 or
 * -errno.
 */
static long
mem_protect(struct mem_region *r, size_t first, size_t n, int prot)
{
	void *p;

	if (r->prot == NULL) {
		if (rumpuser_malloc(r->pages, 0, &p) != 0)
			return -KERN_ENOMEM;
		r->prot = p;
		memset(r->prot, r->mode, r->pages);
	}
	memset(r->prot + first, prot, n);
	r->protected = 1;
	return -platform_pages_protect((void *)(r->addr + first * PAGE), n,
				       prot);
}

/* mem_protect_new: pages of r, new, get mmap's protection. 0 or -errno. */
static long
mem_protect_new(struct mem_region *r, void *p, size_t pages, int prot)
{
	const int rw = PLATFORM_PROT_READ | PLATFORM_PROT_WRITE;

	if ((prot & rw) != rw)
		return mem_protect(r, ((uintptr_t)p - r->addr) / PAGE, pages,
				   prot);
	return 0;
}

/*
 * mem_writable: n pages of anonymous region r from page first may be
 * written by the kernel now (undo: mem_restore).
 */
static void
mem_writable(struct mem_region *r, size_t first, size_t n)
{
	if (r->prot != NULL)
		platform_pages_protect((void *)(r->addr + first * PAGE), n,
				       MEM_PROT_ALL);
}

static void
mem_restore(struct mem_region *r, size_t first, size_t n)
{
	for (size_t i = first; r->prot != NULL && i < first + n; i++)
		platform_pages_protect((void *)(r->addr + i * PAGE), 1,
				       r->prot[i]);
}

/* mem_file_check: whether f may be mapped so; 0 or -errno. */
static long
mem_file_check(struct kern_file *f, long prot, long flags, long off)
{
	if (f == NULL || (f->flags & KERN_O_PATH))
		return -KERN_EBADF;
	if (off < 0 || off % PAGE != 0)
		return -KERN_EINVAL;
	if (f->vnode == NULL ||
	    (!S_ISREG(f->vnode->mode) && (f->vnode->mode & S_IFMT) != S_IFCHR))
		return -KERN_ENODEV;
	if ((f->flags & KERN_O_ACCMODE) == KERN_O_WRONLY)
		return -KERN_EACCES;
	if ((flags & MAP_SHARED) && (prot & PLATFORM_PROT_WRITE) &&
	    (f->flags & KERN_O_ACCMODE) != KERN_O_RDWR)
		return -KERN_EACCES;
	return 0;
}

/* mem_slot: a free slot of the table (a new block if need be), or NULL. */
static struct mem_region *
mem_slot(void)
{
	void *block;

	for (int i = 0; i < mem_nslots; i++)
		if (MEM_REGION(i)->addr == 0)
			return MEM_REGION(i);
	if (mem_nslots == MEM_REGIONS ||
	    rumpuser_malloc(sizeof(struct mem_region) * MEM_BLOCK, 0, &block) !=
		    0)
		return NULL;
	memset(block, 0, sizeof(struct mem_region) * MEM_BLOCK);
	mem_blocks[mem_nslots / MEM_BLOCK] = block;
	mem_nslots += MEM_BLOCK;
	return block;
}

/*
 * mem_split: anonymous region r ends before its page at; a region of its
 * own (a new slot) holds the pages from there. 0, or -ENOMEM with
 * nothing changed.
 */
static long
mem_split(struct mem_region *r, size_t at)
{
	struct mem_region *s = mem_slot();
	uint8_t *head = NULL, *tail = NULL;
	void *p;

	if (s == NULL)
		return -KERN_ENOMEM;
	if (r->prot != NULL) {
		if (rumpuser_malloc(at, 0, &p) != 0)
			return -KERN_ENOMEM;
		head = p;
		if (rumpuser_malloc(r->pages - at, 0, &p) != 0) {
			rumpuser_free(head, at);
			return -KERN_ENOMEM;
		}
		tail = p;
		memcpy(head, r->prot, at);
		memcpy(tail, r->prot + at, r->pages - at);
		rumpuser_free(r->prot, r->pages);
	}
	*s = *r;
	s->addr = r->addr + at * PAGE;
	s->pages = r->pages - at;
	s->prot = tail;
	s->source_off = r->source_off + (long)(at * PAGE);
	if (s->source != NULL)
		vnode_ref(s->source);
	r->pages = at;
	r->prot = head;
	return 0;
}

/*
 * mem_carve: the pages [addr, addr + n pages) of anonymous region r (all
 * inside it) become a region of their own, which is returned; NULL
 * (-ENOMEM: no slot or no memory) with nothing changed but a split.
 */
static struct mem_region *
mem_carve(struct mem_region *r, uintptr_t addr, size_t n)
{
	size_t first = (addr - r->addr) / PAGE;

	if (first + n < r->pages && mem_split(r, first + n) != 0)
		return NULL;
	if (first > 0 && mem_split(r, first) != 0)
		return NULL;
	return mem_find(addr);
}

/* mem_part: how many of left pages from r's page first on lie in r. */
static size_t
mem_part(const struct mem_region *r, size_t first, size_t left)
{
	return r->pages - first < left ? r->pages - first : left;
}

/* mem_range_ok: [addr, addr + pages pages) is a program's (no wrap). */
static int
mem_range_ok(uintptr_t addr, size_t pages)
{
	return pages <= MEM_TOP / PAGE && addr <= MEM_TOP - pages * PAGE;
}

/*
 * mem_mapped: every page of [addr, addr + pages pages) is in a region
 * (and, for a window, not unmapped).
 */
static int
mem_mapped(uintptr_t addr, size_t pages)
{
	uintptr_t end = addr + pages * PAGE;

	for (uintptr_t at = addr; at < end;) {
		const struct mem_region *r = mem_find(at);
		if (r == NULL)
			return 0;
		uintptr_t to = r->addr + r->pages * PAGE;
		if (to > end)
			to = end;
		for (size_t i = (at - r->addr) / PAGE;
		     r->gone != NULL && i < (to - r->addr) / PAGE; i++)
			if (r->gone[i / 8] & (1u << (i % 8)))
				return 0;
		at = to;
	}
	return 1;
}

/* mem_free_at: no region has a page of [addr, addr + pages pages). */
static int
mem_free_at(uintptr_t addr, size_t pages)
{
	for (int i = 0; i < mem_nslots; i++) {
		const struct mem_region *r = MEM_REGION(i);
		if (r->addr != 0 && r->addr < addr + pages * PAGE &&
		    addr < r->addr + r->pages * PAGE)
			return 0;
	}
	return 1;
}

/* mem_next: where the first region at or after addr starts, or MEM_TOP. */
static uintptr_t
mem_next(uintptr_t addr)
{
	uintptr_t next = MEM_TOP;

	for (int i = 0; i < mem_nslots; i++)
		if (MEM_REGION(i)->addr >= addr && MEM_REGION(i)->addr < next)
			next = MEM_REGION(i)->addr;
	return next;
}

/*
 * mem_gaps: the pages of [addr, end) in no region, claimed from the
 * platform in turn (claim), or given back (!claim) up to stop. The
 * address where a claim failed, or end.
 */
static uintptr_t
mem_gaps(uintptr_t addr, uintptr_t end, int claim, uintptr_t stop)
{
	for (uintptr_t at = addr; at < end && at < stop;) {
		const struct mem_region *r = mem_find(at);
		if (r != NULL) {
			at = r->addr + r->pages * PAGE;
			continue;
		}
		uintptr_t next = mem_next(at);
		uintptr_t to = next < end ? next : end;
		if (!claim)
			platform_pages_free((void *)at, (to - at) / PAGE);
		else if (platform_pages_claim((void *)at, (to - at) / PAGE) !=
			 0)
			return at;
		at = to;
	}
	return end;
}

/*
 * mem_place_fixed: the pages [addr, addr + pages pages) become the
 * caller's, zeroed, for a new mapping: the program's anonymous mappings
 * there go, the rest is claimed from the platform. 0, or -errno with no
 * mapping lost: EINVAL over a window, ENOMEM when a page there is not
 * the platform's to give (the kernel's or the image's).
 */
static long
mem_place_fixed(uintptr_t addr, size_t pages)
{
	uintptr_t end = addr + pages * PAGE;
	struct mem_region *r;

	for (int i = 0; i < mem_nslots; i++) {
		r = MEM_REGION(i);
		if (r->addr != 0 && r->vnode != NULL && r->addr < end &&
		    addr < r->addr + r->pages * PAGE)
			return -KERN_EINVAL; /* a window: not replaced */
	}
	/* The regions at its two ends are cut there (no harm if no more). */
	r = mem_find(addr);
	if (r != NULL && r->addr < addr &&
	    mem_split(r, (addr - r->addr) / PAGE) != 0)
		return -KERN_ENOMEM;
	r = mem_find(end - PAGE);
	if (r != NULL && r->addr + r->pages * PAGE > end &&
	    mem_split(r, (end - r->addr) / PAGE) != 0)
		return -KERN_ENOMEM;
	uintptr_t failed = mem_gaps(addr, end, 1, end);
	if (failed != end) {
		mem_gaps(addr, end, 0, failed);
		return -KERN_ENOMEM;
	}
	for (uintptr_t at = addr; at < end;) {
		r = mem_find(at);
		if (r == NULL) {
			at = mem_next(at); /* a gap, claimed above */
			continue;
		}
		at = r->addr + r->pages * PAGE;
		void *p = (void *)r->addr;
		size_t n = r->pages;
		mem_forget(r);
		memset(p, 0, n * PAGE);
	}
	return 0;
}

/*
 * mem_place: pages for a new mapping of pages pages, as mmap's flags
 * say, not yet a region's: with MAP_FIXED_NOREPLACE exactly at hint if
 * nothing is mapped there (else EEXIST), with MAP_FIXED exactly there
 * (what was mapped there goes: mem_place_fixed), else at hint if its
 * pages are free, or where the platform has room. Zeroed. The address
 * or -errno.
 */
static long
mem_place(uintptr_t hint, size_t pages, long flags)
{
	void *p = (void *)(hint / PAGE * PAGE);

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (hint % PAGE != 0 || hint == 0)
			return -KERN_EINVAL;
		if (!mem_range_ok(hint, pages))
			return -KERN_ENOMEM;
		if (flags & MAP_FIXED_NOREPLACE) { /* it wins over MAP_FIXED */
			if (!mem_free_at(hint, pages))
				return -KERN_EEXIST;
			return platform_pages_claim(p, pages) == 0
				       ? (long)hint
				       : -KERN_ENOMEM;
		}
		long err = mem_place_fixed(hint, pages);
		return err != 0 ? err : (long)hint;
	}
	if (hint != 0 && mem_range_ok((uintptr_t)p, pages) &&
	    mem_free_at((uintptr_t)p, pages) &&
	    platform_pages_claim(p, pages) == 0)
		return (long)p;
	if (platform_pages_alloc(pages, 1, &p) != 0)
		return -KERN_ENOMEM;
	return (long)p;
}

/*
 * mem_region_new: the pages at p (mem_place's) become an anonymous
 * region with protection prot. The address, or -ENOMEM with the pages
 * given back.
 */
static long
mem_region_new(long p, size_t pages, long prot)
{
	struct mem_region *r = mem_slot();

	if (r == NULL) {
		platform_pages_free((void *)p, pages);
		return -KERN_ENOMEM;
	}
	r->addr = (uintptr_t)p;
	r->pages = pages;
	r->mode = (int)prot;
	long err = mem_protect_new(r, (void *)p, pages, (int)prot);
	if (err != 0) {
		mem_release(r);
		return err;
	}
	return p;
}

/* mem_map_anon: new anonymous memory where mmap's hint and flags say. */
static long
mem_map_anon(uintptr_t hint, size_t pages, long prot, long flags)
{
	if (mem_slot() == NULL)
		return -KERN_ENOMEM;
	long p = mem_place(hint, pages, flags);
	return p < 0 ? p : mem_region_new(p, pages, prot);
}

/*
 * mem_map_shared: a window for pages of vp from file page first on; its
 * pages are shown as they are touched (kern_mem_fault).
 */
static long
mem_map_shared(struct vnode *vp, size_t pages, long prot, long first,
	       int writable)
{
	struct mem_region *r = mem_slot();
	void *va, *p;
	int err;

	if (r == NULL || rumpuser_malloc(pages, 0, &p) != 0)
		return -KERN_ENOMEM;
	err = platform_window_alloc(pages, &va);
	if (err != 0) {
		rumpuser_free(p, pages);
		return err == KERN_EOPNOTSUPP ? -KERN_ENODEV : -KERN_ENOMEM;
	}
	memset(p, (int)prot, pages);
	r->mode = (int)prot;
	r->addr = (uintptr_t)va;
	r->pages = pages;
	r->prot = p;
	r->vnode = vp;
	r->file_page = first;
	r->writable = writable;
	vnode_ref(vp);
	return (long)va;
}

/*
 * mem_map_private: anonymous memory holding a copy of the file's bytes,
 * where hint and flags place it.
 */
static long
mem_map_private(struct vnode *vp, uintptr_t hint, size_t pages, long prot,
		long flags, long off)
{
	long va = mem_place(hint, pages, flags);

	if (va < 0)
		return va;
	/*
	 * Read while no region shows the pages: other threads may map and
	 * unmap while the file system waits for its disk.
	 */
	long r = vp->ops->read(vp, (void *)va, pages * PAGE, off);
	if (r < 0) {
		platform_pages_free((void *)va, pages);
		return r;
	}
	va = mem_region_new(va, pages, prot);
	if (va < 0)
		return va;
	struct mem_region *reg = mem_find((uintptr_t)va);
	reg->source = vp;
	reg->source_off = off;
	vnode_ref(vp);
	return va;
}

int
kern_mem_fault(unsigned long addr, int accerr, int held)
{
	struct mem_region *r;
	int result = 0;

	if (!held)
		kern_enter();
	r = mem_find(addr);
	if (r != NULL && r->vnode != NULL && !accerr) {
		size_t i = (addr - r->addr) / PAGE;
		long pg = r->file_page + (long)i;
		struct vnode *vp = r->vnode;
		void *page;
		if (r->gone != NULL && (r->gone[i / 8] & (1u << (i % 8))))
			result = 0;
		else if ((unsigned long)pg >=
				 ((unsigned long)vp->size + PAGE - 1) / PAGE ||
			 (page = vp->ops->page(vp, (unsigned long)pg)) == NULL)
			result = -1; /* past the end, or no room: SIGBUS */
		else if (platform_window_map((void *)(r->addr + i * PAGE), page,
					     r->prot[i]) == 0)
			result = 1;
	}
	if (!held)
		kern_leave();
	return result;
}

void
kern_mem_file_unmap(struct vnode *vp, long first, long last)
{
	for (int k = 0; k < mem_nslots; k++) {
		struct mem_region *r = MEM_REGION(k);
		if (r->vnode != vp)
			continue;
		long from = first > r->file_page ? first : r->file_page;
		long to = r->file_page + (long)r->pages - 1;
		if (last < to)
			to = last;
		for (long pg = from; pg <= to; pg++)
			platform_window_unmap(
				(void *)(r->addr +
					 (uintptr_t)(pg - r->file_page) * PAGE),
				1);
	}
}

/*
 * mem_map_file: mmap of pages pages of the regular file f from off (its
 * checks made): a window on its pages (MAP_SHARED) or a copy of them.
 */
static long
mem_map_file(struct kern_file *f, uintptr_t hint, size_t pages, long prot,
	     long flags, long off)
{
	if ((flags & MAP_SHARED) && (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)))
		return -KERN_EINVAL; /* a window at a place: not yet */
	/*
	 * A file system without pages in memory (ext2) maps a read-only
	 * shared mapping as a copy (later writes to the file do not show
	 * in it); a writable one is ENODEV, as Linux says for no mmap.
	 */
	if ((flags & MAP_SHARED) && f->vnode->ops->page == NULL) {
		if (prot & PLATFORM_PROT_WRITE)
			return -KERN_ENODEV;
	} else if (flags & MAP_SHARED) {
		return mem_map_shared(f->vnode, pages, prot, off / PAGE,
				      (f->flags & KERN_O_ACCMODE) ==
					      KERN_O_RDWR);
	}
	return mem_map_private(f->vnode, hint, pages, prot, flags, off);
}

/* mem_count: how many pages of [addr, addr + pages pages) are mapped. */
static size_t
mem_count(uintptr_t addr, size_t pages)
{
	uintptr_t end = addr + pages * PAGE;
	size_t n = 0;

	for (int i = 0; i < mem_nslots; i++) {
		const struct mem_region *r = MEM_REGION(i);
		uintptr_t from = r->addr > addr ? r->addr : addr;
		uintptr_t to = r->addr + r->pages * PAGE;
		if (r->addr != 0 && from < (to < end ? to : end))
			n += ((to < end ? to : end) - from) / PAGE;
	}
	return n;
}

/*
 * mem_limits_ok: pages more pages (data: private writable ones) keep
 * the process's mappings within RLIMIT_AS and RLIMIT_DATA.
 */
static int
mem_limits_ok(size_t pages, int data)
{
	size_t all = pages, priv = data ? pages : 0;

	for (int i = 0; i < mem_nslots; i++) {
		const struct mem_region *r = MEM_REGION(i);
		all += r->addr != 0 ? r->pages - r->unmapped : 0;
		priv += r->addr != 0 && r->data ? r->pages - r->unmapped : 0;
	}
	return all <= kern_limit(RLIMIT_AS) / PAGE &&
	       priv <= kern_limit(RLIMIT_DATA) / PAGE;
}

long
sys_mmap(const long a[6])
{
	uintptr_t hint = (uintptr_t)a[0];
	size_t len = (size_t)a[1], pages = (len + PAGE - 1) / PAGE;
	long prot = a[2], flags = a[3], fd = a[4], off = a[5];

	if (len == 0 || (prot & ~PROT_MASK) != 0 ||
	    !(flags & (MAP_SHARED | MAP_PRIVATE)))
		return -KERN_EINVAL;
	if (len > MEM_MAX)
		return -KERN_ENOMEM;
	kern_thread_reap(); /* the stacks of threads that ended */
	struct kern_file *f = NULL;
	if (!(flags & MAP_ANONYMOUS)) {
		f = kern_fd_file(fd);
		long err = mem_file_check(f, prot, flags, off);
		if (err != 0)
			return err;
		if ((unsigned long)off / PAGE + pages > MEM_MAX / PAGE)
			return -KERN_EOVERFLOW;
		if (!S_ISREG(f->vnode->mode))
			f = NULL; /* /dev/zero and the like: anonymous memory */
	}
	int data = !(flags & MAP_SHARED) && (prot & PLATFORM_PROT_WRITE);
	size_t more = pages; /* MAP_FIXED: what it replaces is not more */
	if ((flags & MAP_FIXED) && mem_range_ok(hint, pages))
		more -= mem_count(hint, pages);
	if (!mem_limits_ok(more, data))
		return -KERN_ENOMEM;
	long addr = f != NULL ? mem_map_file(f, hint, pages, prot, flags, off)
			      : mem_map_anon(hint, pages, prot, flags);
	if (addr >= 0)
		mem_find((uintptr_t)addr)->data = data;
	return addr;
}

long
sys_munmap(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];
	size_t pages = ((size_t)a[1] + PAGE - 1) / PAGE;

	if (addr % PAGE != 0 || a[1] == 0 || (size_t)a[1] > MEM_MAX ||
	    !mem_range_ok(addr, pages))
		return -KERN_EINVAL;
	for (size_t k = 0; k < pages;) {
		uintptr_t at = addr + k * PAGE;
		struct mem_region *r = mem_find(at);
		if (r == NULL) { /* nothing mapped there: not an error */
			uintptr_t next = mem_next(at);
			k = next < addr + pages * PAGE ? (next - addr) / PAGE
						       : pages;
			continue;
		}
		size_t first = (at - r->addr) / PAGE;
		size_t n = mem_part(r, first, pages - k);
		if (first == 0 && n == r->pages && r->unmapped == 0) {
			mem_release(r);
			k += n;
			continue;
		}
		/* Any part of anonymous memory goes back at once. */
		if (r->vnode == NULL) {
			r = mem_carve(r, at, n);
			if (r == NULL)
				return -KERN_ENOMEM;
			mem_release(r);
			k += n;
			continue;
		}
		/* A window's pages are hidden until all of them are. */
		if (r->gone == NULL) {
			void *bits;
			if (rumpuser_malloc((r->pages + 7) / 8, 0, &bits) != 0)
				return -KERN_ENOMEM;
			memset(bits, 0, (r->pages + 7) / 8);
			r->gone = bits;
		}
		if (r->vnode != NULL)
			platform_window_unmap((void *)(r->addr + first * PAGE),
					      n);
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

/*
 * mem_reload: the private copy of a file at [addr, addr + n pages), in
 * one region, gets the file's bytes again, a chunk at a time through a
 * buffer of the kernel's: the file system may wait, and a chunk whose
 * pages the program unmapped or mapped anew meanwhile is left alone (a
 * chunk that cannot be read stays zeroed).
 */
static void
mem_reload(uintptr_t addr, size_t n)
{
	struct mem_region *r = mem_find(addr);
	struct vnode *vp = r->source;
	long off = r->source_off + (long)(addr - r->addr);
	void *buf;

	if (rumpuser_malloc(MEM_CHUNK, 0, &buf) != 0)
		return;
	vnode_ref(vp);
	for (size_t done = 0; done < n * PAGE; done += MEM_CHUNK) {
		size_t len = n * PAGE - done < MEM_CHUNK ? n * PAGE - done
							 : MEM_CHUNK;
		uintptr_t at = addr + done;
		long got = vp->ops->read(vp, buf, len, off + (long)done);
		r = mem_find(at);
		if (got <= 0 || r == NULL || r->source != vp ||
		    r->source_off + (long)(at - r->addr) != off + (long)done ||
		    at + len > r->addr + r->pages * PAGE)
			continue; /* changed meanwhile, or unreadable */
		size_t first = (at - r->addr) / PAGE;
		mem_writable(r, first, len / PAGE);
		memcpy((void *)at, buf, (size_t)got);
		mem_restore(r, first, len / PAGE);
	}
	vnode_put(vp);
	rumpuser_free(buf, MEM_CHUNK);
}

long
sys_madvise(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];
	size_t pages = ((size_t)a[1] + PAGE - 1) / PAGE;

	if (addr % PAGE != 0 || (size_t)a[1] > MEM_MAX ||
	    !mem_range_ok(addr, pages))
		return -KERN_EINVAL;
	if (a[2] != MADV_DONTNEED)
		return 0;
	if (!mem_mapped(addr, pages))
		return -KERN_ENOMEM;
	/* Each mapping's part reads as zeros, or a window's as the file... */
	for (size_t k = 0; k < pages;) {
		uintptr_t at = addr + k * PAGE;
		struct mem_region *r = mem_find(at);
		size_t first = (at - r->addr) / PAGE;
		size_t n = mem_part(r, first, pages - k);
		if (r->vnode != NULL) {
			platform_window_unmap((void *)at, n);
		} else {
			mem_writable(r, first, n);
			memset((void *)at, 0, n * PAGE);
			mem_restore(r, first, n);
		}
		k += n;
	}
	/* ...then a private copy of a file's as the file again. */
	for (size_t k = 0; k < pages;) {
		uintptr_t at = addr + k * PAGE;
		struct mem_region *r = mem_find(at);
		if (r == NULL) {
			k++; /* unmapped meanwhile */
			continue;
		}
		size_t first = (at - r->addr) / PAGE;
		size_t n = mem_part(r, first, pages - k);
		if (r->source != NULL)
			mem_reload(at, n);
		k += n;
	}
	return 0;
}

long
sys_msync(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];
	size_t pages = ((size_t)a[1] + PAGE - 1) / PAGE;

	if (addr % PAGE != 0 ||
	    (a[2] & ~(long)(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0 ||
	    (a[2] & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC))
		return -KERN_EINVAL;
	if (pages == 0)
		return 0;
	if (!mem_range_ok(addr, pages) || !mem_mapped(addr, pages))
		return -KERN_ENOMEM;
	return 0; /* a shared mapping shows the file's own pages */
}

long
sys_brk(const long a[6])
{
	(void)a;
	return 0; /* no heap: the break stays where it is, at 0 */
}

/* mem_protect_part: mprotect of n pages at addr, all in region r. */
static long
mem_protect_part(struct mem_region *r, uintptr_t addr, size_t n, int prot)
{
	if (r->vnode != NULL) {
		if ((prot & PLATFORM_PROT_WRITE) && !r->writable)
			return -KERN_EACCES; /* the file was opened read-only */
		memset(r->prot + (addr - r->addr) / PAGE, prot, n);
		platform_window_unmap((void *)addr, n);
		return 0;
	}
	return mem_protect(r, (addr - r->addr) / PAGE, n, prot);
}

long
sys_mprotect(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];
	size_t pages = ((size_t)a[1] + PAGE - 1) / PAGE;

	if (addr % PAGE != 0 || (a[2] & ~PROT_MASK) != 0 ||
	    (size_t)a[1] > MEM_MAX)
		return -KERN_EINVAL;
	if (!mem_range_ok(addr, pages) || !mem_mapped(addr, pages))
		return -KERN_ENOMEM; /* Linux: not all of it is mapped */
	for (size_t k = 0; k < pages;) {
		uintptr_t at = addr + k * PAGE;
		struct mem_region *r = mem_find(at);
		size_t first = (at - r->addr) / PAGE;
		size_t n = mem_part(r, first, pages - k);
		long err = mem_protect_part(r, at, n, (int)a[2]);
		if (err != 0)
			return err;
		k += n;
	}
	return 0;
}

/*
 * mem_grow: anonymous region r gets more pages after its end, in place
 * (the pages there must be free). 0 or -ENOMEM.
 */
static long
mem_grow(struct mem_region *r, size_t more)
{
	uintptr_t end = r->addr + r->pages * PAGE;
	uint8_t *prot = NULL;
	void *p;

	if (!mem_free_at(end, more))
		return -KERN_ENOMEM;
	if (r->prot != NULL) {
		if (rumpuser_malloc(r->pages + more, 0, &p) != 0)
			return -KERN_ENOMEM;
		prot = p;
		memcpy(prot, r->prot, r->pages);
		memset(prot + r->pages, r->mode, more);
	}
	if (platform_pages_claim((void *)end, more) != 0) {
		if (prot != NULL)
			rumpuser_free(prot, r->pages + more);
		return -KERN_ENOMEM;
	}
	if (r->prot != NULL) {
		/* the new pages take the protection of the last */
		int last = r->prot[r->pages - 1];
		rumpuser_free(r->prot, r->pages);
		r->prot = prot;
		r->pages += more;
		return mem_protect(r, r->pages - more, more, last);
	}
	r->pages += more;
	return 0;
}

/* mem_move: anonymous region r moves to new memory of new_pages pages. */
static long
mem_move(struct mem_region *r, size_t new_pages)
{
	size_t old_pages = r->pages;
	long moved = mem_map_anon(0, new_pages, MEM_PROT_ALL, 0);

	if (moved < 0)
		return moved;
	mem_writable(r, 0, old_pages);
	memcpy((void *)moved, (void *)r->addr, old_pages * PAGE);
	struct mem_region *to = mem_find((uintptr_t)moved);
	to->mode = r->mode;
	to->data = r->data;
	if (r->prot == NULL)
		mem_protect_new(to, (void *)moved, new_pages, r->mode);
	for (size_t i = 0; r->prot != NULL && i < new_pages; i++)
		mem_protect(to, i, 1,
			    r->prot[i < old_pages ? i : old_pages - 1]);
	if (r->source != NULL) {
		to->source = r->source;
		to->source_off = r->source_off;
		r->source = NULL; /* it moves with the bytes */
	}
	mem_release(r);
	return moved;
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
	if (old_pages == 0 || !mem_range_ok(old, old_pages) || r == NULL ||
	    old + old_pages * PAGE > r->addr + r->pages * PAGE)
		return -KERN_EFAULT; /* Linux: not one mapping */
	if (r->vnode != NULL)
		return -KERN_EINVAL; /* a window: not supported */
	if (new_pages <= old_pages) {
		const long tail[6] = {(long)(old + new_pages * PAGE),
				      (long)((old_pages - new_pages) * PAGE)};
		long err = new_pages < old_pages ? sys_munmap(tail) : 0;
		return err != 0 ? err : (long)old;
	}
	if (!mem_limits_ok(new_pages - old_pages, r->data))
		return -KERN_ENOMEM;
	/* The part asked for becomes a region of its own, to grow. */
	r = mem_carve(r, old, old_pages);
	if (r == NULL)
		return -KERN_ENOMEM;
	if (mem_grow(r, new_pages - old_pages) == 0)
		return (long)old;
	if (!(a[3] & MREMAP_MAYMOVE))
		return -KERN_ENOMEM;
	return mem_move(r, new_pages);
}

long
kern_mem_map_vnode(struct vnode *vp, unsigned long pages, int prot)
{
	kern_thread_reap(); /* the stacks of threads that ended */
	return mem_map_shared(vp, pages, prot, 0,
			      (prot & PLATFORM_PROT_WRITE) != 0);
}

struct vnode *
kern_mem_vnode(unsigned long addr)
{
	struct mem_region *r = mem_find(addr);

	return r != NULL && r->addr == addr ? r->vnode : NULL;
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

/*
 * mem_runs: r's pages, in runs of those still mapped with the same
 * protection, each to fn.
 */
static void
mem_runs(const struct mem_region *r, kern_mem_fn *fn, void *ctx)
{
	struct kern_mem_run run;
	size_t i = 0;

	while (i < r->pages) {
		size_t k = i;
		int prot = r->prot != NULL ? r->prot[i] : r->mode;
		while (k < r->pages &&
		       !(r->gone != NULL &&
			 (r->gone[k / 8] & (1u << (k % 8)))) &&
		       (r->prot != NULL ? r->prot[k] : r->mode) == prot)
			k++;
		if (k == i) {
			i++; /* an unmapped page */
			continue;
		}
		const struct vnode *vp =
			r->vnode != NULL ? r->vnode : r->source;
		run.start = r->addr + i * PAGE;
		run.end = r->addr + k * PAGE;
		run.prot = prot;
		run.shared = r->vnode != NULL;
		run.vnode = vp;
		run.offset = r->vnode != NULL
				     ? (unsigned long)(r->file_page * PAGE) +
					       i * PAGE
			     : r->source != NULL
				     ? (unsigned long)r->source_off + i * PAGE
				     : 0;
		fn(ctx, &run);
		i = k;
	}
}

void
kern_mem_each(kern_mem_fn *fn, void *ctx)
{
	uintptr_t last = 0;

	for (;;) {
		const struct mem_region *next = NULL;
		for (int i = 0; i < mem_nslots; i++)
			if (MEM_REGION(i)->addr > last &&
			    (next == NULL || MEM_REGION(i)->addr < next->addr))
				next = MEM_REGION(i);
		if (next == NULL)
			return;
		mem_runs(next, fn, ctx);
		last = next->addr;
	}
}
