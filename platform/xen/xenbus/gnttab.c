/*
 * Grant tables, version 1: letting another domain (a backend) map pages
 * of ours.
 *
 * The table's frames come from GNTTABOP_setup_table and are mapped into
 * the foreign-mapping area. Granting fills an entry's frame and domain
 * first and its flags last (a barrier between), so the other domain never
 * sees a half-made entry. Ending access follows the protocol of Xen's
 * grant_table.h: only an entry the other domain has no mapping of
 * (neither GTF_reading nor GTF_writing) may be cleared, with a
 * compare-and-swap so that a mapping made meanwhile is not missed; an
 * entry still mapped is refused with EBUSY, so the page is not reused
 * under the backend. Free entries are chained through a list of indices.
 */
#include <errno.h>

#include <rumpxen/platform.h>

#include "xenbus.h"

#include <xen/grant_table.h>

#define GNTTAB_FRAMES  4
#define GNTTAB_ENTRIES (GNTTAB_FRAMES * PAGE_SIZE / sizeof(grant_entry_v1_t))
/* Entries 0-7 belong to the toolstack (xenstore and console rings). */
#define GNTTAB_RESERVED 8

static grant_entry_v1_t *gnttab_table;
static grant_ref_t gnttab_next[GNTTAB_ENTRIES];
static grant_ref_t gnttab_free_head;
static unsigned gnttab_free_count;
#define GNTTAB_NONE ((grant_ref_t)0)

int
gnttab_init(void)
{
	xen_pfn_t frames[GNTTAB_FRAMES];
	struct gnttab_setup_table setup = {.dom = DOMID_SELF,
					   .nr_frames = GNTTAB_FRAMES};
	unsigned long va;

	set_xen_guest_handle(setup.frame_list, frames);
	if (hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table,
		       (unsigned long)&setup, 1) != 0 ||
	    setup.status != GNTST_okay)
		return EINVAL;
	if (mm_area_alloc(GNTTAB_FRAMES, &va) != 0)
		return ENOMEM;
	for (unsigned i = 0; i < GNTTAB_FRAMES; i++)
		if (mm_map(va + i * PAGE_SIZE, frames[i],
			   PTE_PRESENT | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY |
				   mm_prot_nx()) != 0)
			return EINVAL;
	gnttab_table = (grant_entry_v1_t *)va;
	/* Chain the free entries; 0 (reserved anyway) ends the chain. */
	for (grant_ref_t r = GNTTAB_ENTRIES - 1; r >= GNTTAB_RESERVED; r--) {
		gnttab_next[r] = gnttab_free_head;
		gnttab_free_head = r;
		gnttab_free_count++;
	}
	return 0;
}

int
gnttab_grant_access(domid_t domid, unsigned long mfn, int readonly,
		    grant_ref_t *ref)
{
	grant_ref_t r = gnttab_free_head;

	if (gnttab_table == NULL)
		return ENODEV;
	if (r == GNTTAB_NONE)
		return ENOSPC; /* every entry is in use */
	gnttab_free_head = gnttab_next[r];
	gnttab_free_count--;
	gnttab_table[r].frame = (uint32_t)mfn;
	gnttab_table[r].domid = domid;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	gnttab_table[r].flags =
		GTF_permit_access | (readonly ? GTF_readonly : 0);
	*ref = r;
	return 0;
}

int
gnttab_end_access(grant_ref_t ref)
{
	uint16_t flags;

	if (ref < GNTTAB_RESERVED || ref >= GNTTAB_ENTRIES)
		return EINVAL;
	flags = __atomic_load_n(&gnttab_table[ref].flags, __ATOMIC_ACQUIRE);
	do {
		if (!(flags & GTF_permit_access))
			return EINVAL; /* not granted: ended already */
		if (flags & (GTF_reading | GTF_writing))
			return EBUSY; /* the other domain still maps it */
	} while (!__atomic_compare_exchange_n(&gnttab_table[ref].flags, &flags,
					      0, 0, __ATOMIC_SEQ_CST,
					      __ATOMIC_ACQUIRE));
	gnttab_next[ref] = gnttab_free_head;
	gnttab_free_head = ref;
	gnttab_free_count++;
	return 0;
}

int
gnttab_end_access_wait(grant_ref_t ref, uint64_t deadline)
{
	int err;

	while ((err = gnttab_end_access(ref)) == EBUSY &&
	       time_monotonic_ns() < deadline)
		sched_sleep_until(time_monotonic_ns() + 10000000);
	return err;
}

unsigned
gnttab_free_entries(void)
{
	return gnttab_free_count;
}
