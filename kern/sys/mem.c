/*
 * Memory: anonymous mappings and mappings of tmpfs files; mmap, munmap,
 * mremap, mprotect, madvise, msync and brk.
 *
 * An anonymous mapping is a run of zeroed pages from the platform, with
 * mmap's protection, kept in a table of regions. munmap of a whole
 * region gives its pages back, and so does munmap of its head or its
 * tail (the region shrinks: what malloc does to give memory back); munmap
 * of a part inside it marks those pages in the region's bitmap, and the
 * region goes back once every page of it is unmapped (until then those
 * pages stay as they were). mprotect changes
 * pages of regions through the platform; a region goes back with the
 * platform's own protection restored. mremap grows or moves a whole
 * anonymous region (with MREMAP_MAYMOVE) or shrinks one in place.
 * MAP_FIXED works inside an existing region (zeroed, as a fresh mapping
 * would be). A new mapping, or mremap's growth, that would take the
 * mappings past RLIMIT_AS, or the private writable ones past
 * RLIMIT_DATA (as Linux counts them, but as they were mapped: mprotect
 * does not move a region in or out of the count), is ENOMEM. madvise
 * with MADV_DONTNEED zeroes the range, as Linux does for private
 * anonymous memory (a private copy of a file gets the file's bytes
 * again); other advice is taken and ignored. Each page's protection is
 * recorded, so the kernel can write protected pages (MADV_DONTNEED,
 * mremap) and put it back. brk
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
 * the file was opened read-only (EACCES); MAP_FIXED of a file, or over
 * a window, is not supported (EINVAL), nor is mremap of a window.
 *
 * A MAP_PRIVATE mapping of a file is anonymous memory holding a copy of
 * its bytes, made at mmap (what the file does later is not seen: POSIX
 * leaves that open). A character device maps as anonymous memory
 * (/dev/zero). On POSIX, whose platform has no windows, a shared file
 * mapping is ENODEV.
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "sys.h"

#define PROT_MASK      7
#define MEM_PROT_ALL   7 /* what the platform's pages come with */
#define MAP_SHARED     0x01
#define MAP_PRIVATE    0x02
#define MAP_FIXED      0x10
#define MAP_ANONYMOUS  0x20
#define MADV_DONTNEED  4
#define MREMAP_MAYMOVE 1
#define RLIMIT_DATA    2
#define RLIMIT_AS      9
#define MS_ASYNC       1
#define MS_INVALIDATE  2
#define MS_SYNC	       4
#define MEM_REGIONS    4096
#define MEM_MAX	       (1ul << 40) /* more than any domain has */
#define PAGE	       PLATFORM_PAGE_SIZE

struct mem_region {
	uintptr_t addr;	 /* 0: a free slot */
	size_t pages;	 /* its length */
	int data;	 /* private and writable when mapped (RLIMIT_DATA) */
	size_t unmapped; /* pages munmap took so far */
	uint8_t *gone;	 /* which, one bit a page, once a part went */
	int protected;	 /* some page is not as the platform gave it */
	uint8_t *prot;	 /* each page's protection (NULL: all the platform's) */
	/* A shared mapping of a file: a window its pages are shown in. */
	struct vnode *vnode; /* referenced */
	long file_page;	     /* the file's page at addr */
	int writable;	     /* its fd was open for writing too */
	/* A private mapping of a file: a copy, which MADV_DONTNEED reloads. */
	struct vnode *source; /* referenced */
	long source_off;
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
	if (r->vnode != NULL) {
		platform_window_free((void *)r->addr, r->pages);
		vnode_put(r->vnode);
		rumpuser_free(r->prot, r->pages);
		if (r->gone != NULL)
			rumpuser_free(r->gone, (r->pages + 7) / 8);
		memset(r, 0, sizeof(*r));
		return;
	}
	if (r->protected)
		platform_pages_protect((void *)r->addr, r->pages, MEM_PROT_ALL);
	platform_pages_free((void *)r->addr, r->pages);
	if (r->gone != NULL)
		rumpuser_free(r->gone, (r->pages + 7) / 8);
	if (r->prot != NULL)
		rumpuser_free(r->prot, r->pages);
	if (r->source != NULL)
		vnode_put(r->source);
	memset(r, 0, sizeof(*r));
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
		memset(r->prot, MEM_PROT_ALL, r->pages);
	}
	memset(r->prot + first, prot, n);
	r->protected = 1;
	return -platform_pages_protect((void *)(r->addr + first * PAGE), n,
				       prot);
}

/* mem_protect_new: pages of r, new, get mmap's protection. */
static void
mem_protect_new(struct mem_region *r, void *p, size_t pages, int prot)
{
	const int rw = PLATFORM_PROT_READ | PLATFORM_PROT_WRITE;

	if ((prot & rw) != rw)
		mem_protect(r, ((uintptr_t)p - r->addr) / PAGE, pages, prot);
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

/* mem_slot: a free slot of the table, or NULL. */
static struct mem_region *
mem_slot(void)
{
	for (int i = 0; i < MEM_REGIONS; i++)
		if (mem_regions[i].addr == 0)
			return &mem_regions[i];
	return NULL;
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
	r->addr = (uintptr_t)va;
	r->pages = pages;
	r->prot = p;
	r->vnode = vp;
	r->file_page = first;
	r->writable = writable;
	vnode_ref(vp);
	return (long)va;
}

/* mem_map_private: anonymous memory holding a copy of the file's bytes. */
static long
mem_map_private(struct vnode *vp, size_t pages, long prot, long off)
{
	const long anon[6] = {0,
			      (long)(pages * PAGE),
			      PLATFORM_PROT_READ | PLATFORM_PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS,
			      -1,
			      0};
	long va = sys_mmap(anon);

	if (va < 0)
		return va;
	long r = vp->ops->read(vp, (void *)va, pages * PAGE, off);
	if (r < 0) {
		const long un[6] = {va, (long)(pages * PAGE)};
		sys_munmap(un);
		return r;
	}
	struct mem_region *reg = mem_find((uintptr_t)va);
	reg->source = vp;
	reg->source_off = off;
	vnode_ref(vp);
	mem_protect_new(reg, (void *)va, pages, (int)prot);
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
	for (int k = 0; k < MEM_REGIONS; k++) {
		struct mem_region *r = &mem_regions[k];
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
mem_map_file(struct kern_file *f, size_t pages, long prot, long flags, long off)
{
	if (flags & MAP_FIXED)
		return -KERN_EINVAL; /* a file at a place: not yet */
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
	return mem_map_private(f->vnode, pages, prot, off);
}

/*
 * mem_map_fixed: MAP_FIXED anonymous memory at hint: pages already
 * mapped (by an earlier mmap), zeroed and given prot.
 */
static long
mem_map_fixed(uintptr_t hint, size_t pages, long prot)
{
	struct mem_region *r = mem_find(hint);

	if (hint % PAGE != 0)
		return -KERN_EINVAL;
	if (r == NULL || hint + pages * PAGE > r->addr + r->pages * PAGE)
		return -KERN_ENOMEM;
	if (r->vnode != NULL)
		return -KERN_EINVAL; /* over a file's window: not yet */
	size_t first = (hint - r->addr) / PAGE;
	mem_writable(r, first, pages);
	memset((void *)hint, 0, pages * PAGE);
	if (r->prot != NULL)
		memset(r->prot + first, MEM_PROT_ALL, pages);
	mem_protect_new(r, (void *)hint, pages, (int)prot);
	return (long)hint;
}

/* mem_map_anon: pages pages of new anonymous memory, a region's. */
static long
mem_map_anon(size_t pages, long prot)
{
	void *p;

	for (int i = 0; i < MEM_REGIONS; i++) {
		struct mem_region *r = &mem_regions[i];
		if (r->addr != 0)
			continue;
		if (platform_pages_alloc(pages, 1, &p) != 0)
			return -KERN_ENOMEM;
		r->addr = (uintptr_t)p;
		r->pages = pages;
		mem_protect_new(r, p, pages, (int)prot);
		return (long)p;
	}
	return -KERN_ENOMEM;
}

/*
 * mem_limits_ok: pages more pages (data: private writable ones) keep
 * the process's mappings within RLIMIT_AS and RLIMIT_DATA.
 */
static int
mem_limits_ok(size_t pages, int data)
{
	size_t all = pages, priv = data ? pages : 0;

	for (int i = 0; i < MEM_REGIONS; i++) {
		const struct mem_region *r = &mem_regions[i];
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
	if (f == NULL && (flags & MAP_FIXED))
		return mem_map_fixed(hint, pages, prot); /* inside a mapping */
	int data = !(flags & MAP_SHARED) && (prot & PLATFORM_PROT_WRITE);
	if (!(flags & MAP_FIXED) && !mem_limits_ok(pages, data))
		return -KERN_ENOMEM;
	long addr = f != NULL ? mem_map_file(f, pages, prot, flags, off)
			      : mem_map_anon(pages, prot);
	if (addr >= 0)
		mem_find((uintptr_t)addr)->data = data;
	return addr;
}

/*
 * mem_shrink: anonymous region r keeps its pages [from, from + keep) and
 * gives the others back to the platform (their protection first put
 * back), its records cut to match. 0, or -ENOMEM with nothing changed.
 */
static long
mem_shrink(struct mem_region *r, size_t from, size_t keep)
{
	uint8_t *gone = NULL, *prot = NULL;
	void *p;

	if (r->gone != NULL) {
		if (rumpuser_malloc((keep + 7) / 8, 0, &p) != 0)
			return -KERN_ENOMEM;
		gone = p;
		memset(gone, 0, (keep + 7) / 8);
		for (size_t i = 0; i < keep; i++)
			if (r->gone[(from + i) / 8] & (1u << ((from + i) % 8)))
				gone[i / 8] |= (uint8_t)(1u << (i % 8));
	}
	if (r->prot != NULL) {
		if (rumpuser_malloc(keep, 0, &p) != 0) {
			if (gone != NULL)
				rumpuser_free(gone, (keep + 7) / 8);
			return -KERN_ENOMEM;
		}
		prot = p;
		memcpy(prot, r->prot + from, keep);
	}
	size_t tail = r->pages - from - keep;
	char *base = (char *)r->addr;
	if (r->protected) {
		if (from > 0)
			platform_pages_protect(base, from, MEM_PROT_ALL);
		if (tail > 0)
			platform_pages_protect(base + (from + keep) * PAGE,
					       tail, MEM_PROT_ALL);
	}
	if (from > 0)
		platform_pages_free(base, from);
	if (tail > 0)
		platform_pages_free(base + (from + keep) * PAGE, tail);
	if (r->gone != NULL)
		rumpuser_free(r->gone, (r->pages + 7) / 8);
	if (r->prot != NULL)
		rumpuser_free(r->prot, r->pages);
	r->gone = gone;
	r->prot = prot;
	r->unmapped = 0;
	for (size_t i = 0; gone != NULL && i < keep; i++)
		r->unmapped += (gone[i / 8] >> (i % 8)) & 1;
	r->addr += from * PAGE;
	r->pages = keep;
	r->source_off += (long)(from * PAGE);
	return 0;
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
		/* Its head or its tail goes back (malloc giving memory back).
		 */
		if (r->vnode == NULL && n < r->pages &&
		    (first == 0 || first + n == r->pages) &&
		    mem_shrink(r, first == 0 ? n : 0, r->pages - n) == 0) {
			if (r->unmapped == r->pages)
				mem_release(r); /* what was left had gone */
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
		size_t first = (addr - r->addr) / PAGE;
		if (r->vnode != NULL) {
			platform_window_unmap((void *)addr, len / PAGE);
			return 0;
		}
		mem_writable(r, first, len / PAGE);
		memset((void *)addr, 0, len);
		if (r->source !=
		    NULL) /* a file's copy: the file's bytes again */
			r->source->ops->read(r->source, (void *)addr, len,
					     r->source_off +
						     (long)(addr - r->addr));
		mem_restore(r, first, len / PAGE);
	}
	return 0;
}

long
sys_msync(const long a[6])
{
	uintptr_t addr = (uintptr_t)a[0];
	size_t len = ((size_t)a[1] + PAGE - 1) / PAGE * PAGE;
	struct mem_region *r = mem_find(addr);

	if (addr % PAGE != 0 ||
	    (a[2] & ~(long)(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0 ||
	    (a[2] & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC))
		return -KERN_EINVAL;
	if (len == 0)
		return 0;
	if (r == NULL || addr + len > r->addr + r->pages * PAGE)
		return -KERN_ENOMEM;
	return 0; /* a shared mapping shows the file's own pages */
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
	if (r->vnode != NULL) {
		if ((a[2] & PLATFORM_PROT_WRITE) && !r->writable)
			return -KERN_EACCES; /* the file was opened read-only */
		memset(r->prot + (addr - r->addr) / PAGE, (int)a[2], pages);
		platform_window_unmap((void *)addr, pages);
		return 0;
	}
	return mem_protect(r, (addr - r->addr) / PAGE, pages, (int)a[2]);
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
	    r->unmapped != 0 || r->vnode != NULL)
		return -KERN_EINVAL; /* whole anonymous regions only */
	if (new_pages <= old_pages) {
		const long tail[6] = {(long)(old + new_pages * PAGE),
				      (long)((old_pages - new_pages) * PAGE)};
		if (new_pages < old_pages)
			sys_munmap(tail);
		return (long)old;
	}
	if (!(a[3] & MREMAP_MAYMOVE) ||
	    !mem_limits_ok(new_pages - old_pages, r->data))
		return -KERN_ENOMEM;
	long moved = mem_map_anon(new_pages, 3);
	if (moved < 0)
		return moved;
	mem_writable(r, 0, old_pages);
	memcpy((void *)moved, (void *)old, old_pages * PAGE);
	struct mem_region *to = mem_find((uintptr_t)moved);
	to->data = r->data;
	for (size_t i = 0; r->prot != NULL && i < old_pages; i++)
		if (r->prot[i] != MEM_PROT_ALL)
			mem_protect(to, i, 1, r->prot[i]);
	if (r->source != NULL) {
		to->source = r->source;
		to->source_off = r->source_off;
		r->source = NULL; /* it moves with the bytes */
	}
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
