/*
 * Page tables of a 64-bit PV guest: the 1:1 map of all the domain's pages,
 * and single-page (un)mapping for guard pages, protections and the window
 * where foreign and granted frames will be mapped.
 *
 * Virtual address = pseudo-physical address: page pfn lives at
 * pfn * PAGE_SIZE. Xen leaves a 1:1 map of the first few MiB (the image,
 * start_info, its page tables, the boot stack and at least 512 KiB of
 * padding); mm_init extends it to every page of the domain. A page table
 * is never written directly: the PV ABI wants every table page mapped
 * read-only and each entry changed through mmu_update (Xen checks it), so
 * a new table is zeroed while still writable, remapped read-only, and then
 * hooked into its parent by mmu_update, at which point Xen validates and
 * types it. Tables are found by walking from the L4 at start_info.pt_base;
 * each entry holds a machine frame, turned back into a pseudo-physical
 * frame (and so an address) through Xen's machine-to-phys table.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "core.h"

#define PTE_ADDR 0x000ffffffffff000ul
/* Xen adds _PAGE_USER to leaf entries itself (the kernel runs in ring 3). */
#define PTE_TABLE                                                              \
	(PTE_PRESENT | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY | PTE_USER)

unsigned long mm_nr_pages;
static unsigned long *mm_p2m;
static uint64_t *mm_l4;
/* NX is only used when the CPU (and so Xen) supports it. */
static uint64_t mm_nx;

/* Page-table pages come from here until the page allocator runs. */
static unsigned long mm_boot_next_pfn;
static int mm_pages_ready;

unsigned long
mm_pfn_to_mfn(unsigned long pfn)
{
	return mm_p2m[pfn];
}

unsigned long
mm_mfn_to_pfn(unsigned long mfn)
{
	return machine_to_phys_mapping[mfn];
}

uint64_t
mm_prot_nx(void)
{
	return mm_nx;
}

/* mm_table: the table an entry points to, through its 1:1 address. */
static uint64_t *
mm_table(uint64_t entry)
{
	return (uint64_t *)(mm_mfn_to_pfn((entry & PTE_ADDR) >> PAGE_SHIFT)
			    << PAGE_SHIFT);
}

/* mm_machine_addr: the machine address of a mapped guest address. */
static uint64_t
mm_machine_addr(const void *p)
{
	unsigned long va = (unsigned long)p;

	return (mm_pfn_to_mfn(va >> PAGE_SHIFT) << PAGE_SHIFT) |
	       (va & (PAGE_SIZE - 1));
}

/* mm_entry_set: *slot = val through Xen, which checks the new entry. */
static int
mm_entry_set(uint64_t *slot, uint64_t val)
{
	struct mmu_update u = {
		.ptr = mm_machine_addr(slot) | MMU_NORMAL_PT_UPDATE,
		.val = val,
	};
	long rc = hypercall4(__HYPERVISOR_mmu_update, (unsigned long)&u, 1, 0,
			     DOMID_SELF);

	return rc == 0 ? 0 : EINVAL;
}

/* mm_table_page: a zeroed page for a new table, still mapped writable. */
static int
mm_table_page(unsigned long *pfn)
{
	void *p;

	if (mm_pages_ready) {
		if (pages_alloc(1, 1, &p) != 0)
			return ENOMEM;
		*pfn = (unsigned long)p >> PAGE_SHIFT;
	} else {
		*pfn = mm_boot_next_pfn++;
	}
	memset((void *)(*pfn << PAGE_SHIFT), 0, PAGE_SIZE);
	return 0;
}

/*
 * mm_table_add: makes a new table and hooks it into *slot (an empty entry
 * of its parent). The new page is mapped read-only first, as Xen requires
 * of anything it is to use as a page table.
 */
static int
mm_table_add(uint64_t *slot)
{
	unsigned long pfn, mfn;
	int err;

	err = mm_table_page(&pfn);
	if (err != 0)
		return err;
	mfn = mm_pfn_to_mfn(pfn);
	if (hypercall3(__HYPERVISOR_update_va_mapping, pfn << PAGE_SHIFT,
		       (mfn << PAGE_SHIFT) | PTE_PRESENT | PTE_ACCESSED | mm_nx,
		       UVMF_INVLPG) != 0)
		return EINVAL;
	return mm_entry_set(slot, (mfn << PAGE_SHIFT) | PTE_TABLE);
}

/*
 * mm_pte: the slot of the L1 entry that maps va, making missing tables on
 * the way when create is set. Returns NULL when a table is missing (and
 * not to be made) or cannot be made.
 */
static uint64_t *
mm_pte(unsigned long va, int create)
{
	uint64_t *table = mm_l4;

	for (int shift = 39; shift > PAGE_SHIFT; shift -= 9) {
		uint64_t *slot = &table[(va >> shift) & 511];
		if (!(*slot & PTE_PRESENT) &&
		    (!create || mm_table_add(slot) != 0))
			return NULL;
		table = mm_table(*slot);
	}
	return &table[(va >> PAGE_SHIFT) & 511];
}

int
mm_map(unsigned long va, unsigned long mfn, uint64_t prot)
{
	uint64_t *pte = mm_pte(va, 1);

	if (pte == NULL)
		return ENOMEM;
	if (hypercall3(__HYPERVISOR_update_va_mapping, va,
		       (mfn << PAGE_SHIFT) | prot, UVMF_INVLPG) != 0)
		return EINVAL;
	return 0;
}

void
mm_unmap(unsigned long va)
{
	uint64_t *pte = mm_pte(va, 0);

	if (pte == NULL || !(*pte & PTE_PRESENT))
		return;
	/* Removing a mapping of our own page cannot fail. */
	if (hypercall3(__HYPERVISOR_update_va_mapping, va, 0, UVMF_INVLPG) != 0)
		platform_panic("mm: cannot unmap %#lx", va);
}

int
mm_is_mapped(unsigned long va)
{
	uint64_t *pte = mm_pte(va, 0);

	return pte != NULL && (*pte & PTE_PRESENT);
}

/*
 * mm_map_rest: adds every page Xen left unmapped to the 1:1 map, 512
 * entries (one L1 table) per hypercall.
 */
static void
mm_map_rest(void)
{
	struct mmu_update u[512];
	unsigned n = 0;

	for (unsigned long pfn = 0; pfn < mm_nr_pages; pfn++) {
		uint64_t *pte = mm_pte(pfn << PAGE_SHIFT, 1);
		if (pte == NULL)
			platform_panic("mm: no page table for pfn %#lx", pfn);
		if (!(*pte & PTE_PRESENT)) {
			u[n].ptr = mm_machine_addr(pte) | MMU_NORMAL_PT_UPDATE;
			u[n].val = (mm_pfn_to_mfn(pfn) << PAGE_SHIFT) |
				   PTE_PRESENT | PTE_WRITE | PTE_ACCESSED |
				   PTE_DIRTY | mm_nx;
			n++;
		}
		/* Flush at the end of each L1 table and at the end. */
		if (n > 0 && ((pfn & 511) == 511 || pfn + 1 == mm_nr_pages)) {
			if (hypercall4(__HYPERVISOR_mmu_update,
				       (unsigned long)u, n, 0, DOMID_SELF) != 0)
				platform_panic("mm: mmu_update failed");
			n = 0;
		}
	}
}

/* mm_protect_range: remaps [start, end) of the 1:1 map with prot. */
static void
mm_protect_range(unsigned long start, unsigned long end, uint64_t prot)
{
	for (unsigned long va = start; va < end; va += PAGE_SIZE)
		if (mm_map(va, mm_pfn_to_mfn(va >> PAGE_SHIFT), prot) != 0)
			platform_panic("mm: cannot protect %#lx", va);
}

static int
mm_cpu_has_nx(void)
{
	unsigned eax = 0x80000001, ebx, ecx = 0, edx;

	__asm__("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	return (edx >> 20) & 1;
}

unsigned long
mm_init(const start_info_t *si)
{
	extern char _image_start[], _etext[], _erodata[], _ebss[], _end[];

	mm_nr_pages = si->nr_pages;
	mm_p2m = (unsigned long *)si->mfn_list;
	mm_l4 = (uint64_t *)si->pt_base;
	mm_nx = mm_cpu_has_nx() ? PTE_NX : 0;
	/* Everything Xen built for us ends with its page tables. */
	mm_boot_next_pfn = (si->pt_base >> PAGE_SHIFT) + si->nr_pt_frames;

	mm_map_rest();

	/* No RWX: text R X, read-only data R, the rest of the image R W. */
	mm_protect_range((unsigned long)_image_start, (unsigned long)_etext,
			 PTE_PRESENT | PTE_ACCESSED);
	mm_protect_range((unsigned long)_etext, (unsigned long)_erodata,
			 PTE_PRESENT | PTE_ACCESSED | mm_nx);
	mm_protect_range((unsigned long)_erodata, (unsigned long)_ebss,
			 PTE_PRESENT | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY |
				 mm_nx);
	/* The embedded symbol table, after everything else, is read-only. */
	mm_protect_range((unsigned long)_ebss, (unsigned long)_end,
			 PTE_PRESENT | PTE_ACCESSED | mm_nx);
	/* Page 0 holds nothing: unmapped, a null pointer faults. */
	mm_unmap(0);

	return mm_boot_next_pfn;
}

void
mm_pages_started(void)
{
	mm_pages_ready = 1;
}

/*
 * The window for foreign and granted frames: 1 GiB of address space at
 * 512 GiB (the second L4 slot), far above any 1:1 map, handed out in pages
 * by a runmap. Its page tables are made when a page is first mapped.
 */
#define MM_AREA_START (1ul << 39)
#define MM_AREA_PAGES (1ul << 18)

static unsigned long mm_area_bits[RUNMAP_BITS_WORDS(MM_AREA_PAGES)];
static struct runmap mm_area;

int
mm_area_alloc(unsigned long n, unsigned long *va)
{
	unsigned long first;
	int err;

	if (mm_area.bits == NULL) {
		runmap_init(&mm_area, mm_area_bits, MM_AREA_START >> PAGE_SHIFT,
			    MM_AREA_PAGES);
		runmap_free(&mm_area, MM_AREA_START >> PAGE_SHIFT,
			    MM_AREA_PAGES);
	}
	err = runmap_alloc(&mm_area, n, 1, &first);
	if (err == 0)
		*va = first << PAGE_SHIFT;
	return err;
}

void
mm_area_free(unsigned long va, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		mm_unmap(va + i * PAGE_SIZE);
	if (runmap_free(&mm_area, va >> PAGE_SHIFT, n) != 0)
		platform_panic("mm: bad area free at %#lx", va);
}

int
mm_stack_alloc(size_t size, char **stack)
{
	unsigned long n = size / PAGE_SIZE + 1;
	void *p;
	int err;

	err = pages_alloc(n, 1, &p);
	if (err != 0)
		return err;
	/* The guard: touching it faults, and the report names the thread. */
	mm_unmap((unsigned long)p);
	*stack = (char *)p + PAGE_SIZE;
	return 0;
}

void
mm_stack_free(char *stack, size_t size)
{
	unsigned long guard = (unsigned long)stack - PAGE_SIZE;

	if (mm_map(guard, mm_pfn_to_mfn(guard >> PAGE_SHIFT),
		   PTE_PRESENT | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY |
			   mm_nx) != 0)
		platform_panic("mm: cannot remap the guard at %#lx", guard);
	pages_free((void *)guard, size / PAGE_SIZE + 1);
}
