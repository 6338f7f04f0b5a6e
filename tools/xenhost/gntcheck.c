/*
 * gntcheck DOMID REF...: dom0's side of the grant-table test. Maps each
 * page that domain DOMID granted (read-only, through xen-gntdev and
 * libxengnttab), checks that word j of the n-th page holds n << 16 | j,
 * as tests/system/guests/gnt.c fills them, and unmaps it again. Prints
 * "ok N" or "bad REF: why" and exits 0 or 1.
 *
 * gntcheck -hold DOMID REF: maps one page and keeps it mapped until its
 * standard input ends, saying "mapped" and then "unmapped" (the test that
 * a grant cannot end while the other side holds it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xengnttab.h>

/* hold: maps domid's ref until stdin ends. */
static int
hold(uint32_t domid, uint32_t ref)
{
	xengnttab_handle *xgt = xengnttab_open(NULL, 0);
	void *page;

	if (xgt == NULL) {
		perror("xengnttab_open");
		return 1;
	}
	page = xengnttab_map_grant_ref(xgt, domid, ref, PROT_READ);
	if (page == NULL) {
		printf("bad %u: cannot map it\n", ref);
		return 1;
	}
	printf("mapped\n");
	fflush(stdout);
	while (getchar() != EOF)
		;
	xengnttab_unmap(xgt, page, 1);
	xengnttab_close(xgt);
	printf("unmapped\n");
	return 0;
}

int
main(int argc, char **argv)
{
	xengnttab_handle *xgt;
	uint32_t domid;

	if (argc == 4 && strcmp(argv[1], "-hold") == 0)
		return hold((uint32_t)strtoul(argv[2], NULL, 10),
			    (uint32_t)strtoul(argv[3], NULL, 10));
	if (argc < 3) {
		fprintf(stderr,
			"usage: gntcheck DOMID REF... | -hold DOMID REF\n");
		return 2;
	}
	domid = (uint32_t)strtoul(argv[1], NULL, 10);
	xgt = xengnttab_open(NULL, 0);
	if (xgt == NULL) {
		perror("xengnttab_open");
		return 1;
	}
	for (int n = 0; n + 2 < argc; n++) {
		uint32_t ref = (uint32_t)strtoul(argv[n + 2], NULL, 10);
		uint32_t *page =
			xengnttab_map_grant_ref(xgt, domid, ref, PROT_READ);
		if (page == NULL) {
			printf("bad %u: cannot map it\n", ref);
			return 1;
		}
		for (uint32_t j = 0; j < 1024; j++) {
			if (page[j] != ((uint32_t)n << 16 | j)) {
				printf("bad %u: word %u is %#x\n", ref, j,
				       page[j]);
				return 1;
			}
		}
		xengnttab_unmap(xgt, page, 1);
	}
	printf("ok %d\n", argc - 2);
	xengnttab_close(xgt);
	return 0;
}
