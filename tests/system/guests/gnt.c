/*
 * Grant tables from a domU, with dom0 mapping what it was granted
 * (tests/system/gnttab.dom0 runs tools/xenhost/gntcheck): 1,000 pages,
 * word j of page n holding n << 16 | j, granted read-only to dom0, their
 * refs published under data/grefs/ in xenstore; dom0 maps each page,
 * checks it and unmaps it, then writes data/result; then every grant must
 * end (dom0 let go of them all). A page dom0 keeps mapped cannot have its
 * grant ended (EBUSY, the grant intact) until dom0 lets go; ending a
 * grant twice is EINVAL and frees nothing; and a full
 * table refuses with ENOSPC. Exits 0 when all holds.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "../../../platform/xen/xenbus/xenbus.h"
#include "../../check.h"

#define PAGES	1000
#define PER_KEY 100

/* wait_key: waits up to two minutes for key to exist; its value in buf. */
static int
wait_key(const char *key, char *buf, size_t size)
{
	uint64_t end = time_monotonic_ns() + 120000000000ull;
	char path[64];

	while (xs_read(0, key, buf, size) != 0)
		if (xs_watch_wait(path, sizeof(path), end) == ETIMEDOUT)
			return 0;
	return 1;
}

/*
 * hold_test: grants the page at p, has dom0 map it and hold it; ending the
 * grant must fail with EBUSY until dom0 unmapped it, then succeed.
 */
static int
hold_test(void *p)
{
	char value[32];
	grant_ref_t ref;
	int busy, ended;

	if (gnttab_grant_access(0,
				mm_pfn_to_mfn((unsigned long)p >> PAGE_SHIFT),
				1, &ref) != 0)
		return 0;
	fmt_snprintf(value, sizeof(value), "%u", ref);
	xs_watch("data", "data");
	xs_write(0, "data/holdref", value);
	if (!wait_key("data/held", value, sizeof(value)) ||
	    strcmp(value, "mapped") != 0) {
		platform_console_printf("dom0 did not map the page\n");
		return 0;
	}
	busy = gnttab_end_access(ref);
	platform_console_printf("ending the grant while dom0 maps it: %d\n",
				busy);
	xs_write(0, "data/release", "1");
	if (!wait_key("data/released", value, sizeof(value)))
		return 0;
	ended = gnttab_end_access(ref);
	platform_console_printf("once dom0 said %s: %d\n", value, ended);
	return busy == EBUSY && ended == 0;
}

int
rumpxen_main(int argc, char **argv)
{
	static grant_ref_t refs[PAGES], extra[4096];
	char list[PER_KEY * 8 + 1], key[32], result[64], path[64];
	uint32_t *pages;
	void *p;
	int ok = 1, nextra = 0;

	(void)argc;
	(void)argv;
	if (pages_alloc(PAGES, 1, &p) != 0)
		return 1;
	pages = p;
	for (uint32_t n = 0; n < PAGES; n++) {
		for (uint32_t j = 0; j < 1024; j++)
			pages[n * 1024 + j] = n << 16 | j;
		unsigned long pfn = ((unsigned long)p >> PAGE_SHIFT) + n;
		ok &= gnttab_grant_access(0, mm_pfn_to_mfn(pfn), 1, &refs[n]) ==
		      0;
	}
	check(ok, "1000 pages granted to dom0");
	for (int k = 0; k < PAGES / PER_KEY; k++) {
		size_t len = 0;
		for (int i = 0; i < PER_KEY; i++)
			len += fmt_snprintf(list + len, sizeof(list) - len,
					    "%s%u", i ? " " : "",
					    refs[k * PER_KEY + i]);
		fmt_snprintf(key, sizeof(key), "data/grefs/%d", k);
		ok &= xs_write(0, key, list) == 0;
	}
	ok &= xs_watch("data/result", "result") == 0;
	ok &= xs_write(0, "data/ready", "1") == 0;
	check(ok, "their refs published in xenstore");

	uint64_t end = time_monotonic_ns() + 120000000000ull;
	while (xs_read(0, "data/result", result, sizeof(result)) != 0)
		if (xs_watch_wait(path, sizeof(path), end) == ETIMEDOUT)
			break;
	platform_console_printf("dom0 says: %s\n", result);
	check(strcmp(result, "ok 1000") == 0,
	      "dom0 mapped every page and found its pattern");

	ok = 1;
	for (int n = 0; n < PAGES; n++)
		ok &= gnttab_end_access(refs[n]) == 0;
	check(ok, "every grant ended: dom0 had let go of them");
	unsigned free_before = gnttab_free_entries();
	check(gnttab_end_access(refs[0]) == EINVAL &&
		      gnttab_free_entries() == free_before,
	      "ending a grant twice is EINVAL, the free list unchanged");

	check(hold_test(p), "a grant dom0 holds mapped ends only once "
			    "dom0 let go");

	while (nextra < 4096 &&
	       gnttab_grant_access(
		       0, mm_pfn_to_mfn((unsigned long)p >> PAGE_SHIFT), 1,
		       &extra[nextra]) == 0)
		nextra++;
	grant_ref_t spare;
	check(gnttab_free_entries() == 0 &&
		      gnttab_grant_access(0, 0, 1, &spare) == ENOSPC,
	      "a full table refuses with ENOSPC");
	for (int i = 0; i < nextra; i++)
		gnttab_end_access(extra[i]);
	return check_failures != 0;
}
