/*
 * The page allocator and the heap under a whole domain's worth of use.
 *
 * Pages: runs of 1 to 64 pages with alignments of 1 to 16 pages are taken
 * until none is left, each filled with a pattern of its own address; then
 * every other run is checked and freed, then the rest, and the free count
 * must be what it was. Then a run as large as half the free memory.
 * Heap: objects of many sizes and alignments, each filled and checked, and
 * everything handed back. Exits 0 when all holds.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "../../platform/xen/core/core.h"

#define MAX_RUNS 20000

static struct {
	unsigned long *p;
	unsigned long n;
} runs[MAX_RUNS];
static int failures;

static void
check(int ok, const char *what)
{
	if (!ok) {
		platform_console_printf("FAILED: %s\n", what);
		failures++;
	}
}

static unsigned long
pattern(const unsigned long *p, unsigned long i)
{
	return (unsigned long)p * 2654435761u + i;
}

static int
run_ok(int k)
{
	unsigned long words = runs[k].n * PAGE_SIZE / sizeof(long);

	for (unsigned long i = 0; i < words; i += 97)
		if (runs[k].p[i] != pattern(runs[k].p, i))
			return 0;
	return runs[k].p[words - 1] == pattern(runs[k].p, words - 1);
}

static void
test_pages(void)
{
	struct pages_stats before, full, after;
	unsigned long taken = 0, seed = 1;
	int nruns = 0;

	pages_stats(&before);
	platform_console_printf("pages: %lu managed, %lu free (%lu KiB)\n",
				before.total, before.free,
				before.free * PAGE_SIZE / 1024);
	for (;;) {
		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		unsigned long n = 1 + (seed >> 33) % 64;
		unsigned long align = 1ul << ((seed >> 50) % 5);
		void *p;
		int err = pages_alloc(n, align, &p);
		if (err == ENOMEM && (n > 1 || align > 1))
			err = pages_alloc(n = 1, align = 1, &p);
		if (err == ENOMEM)
			break;
		check(err == 0 && nruns < MAX_RUNS, "pages_alloc");
		if (err != 0 || nruns >= MAX_RUNS)
			return;
		check(((unsigned long)p / PAGE_SIZE) % align == 0, "alignment");
		runs[nruns].p = p;
		runs[nruns].n = n;
		unsigned long words = n * PAGE_SIZE / sizeof(long);
		for (unsigned long i = 0; i < words; i++)
			runs[nruns].p[i] = pattern(p, i);
		taken += n;
		nruns++;
	}
	pages_stats(&full);
	check(full.free == 0, "every page was handed out");
	platform_console_printf("pages: %d runs, %lu pages (%lu KiB) "
				"allocated and filled\n",
				nruns, taken, taken * PAGE_SIZE / 1024);
	check(taken == before.free, "the runs add up to the free pages");
	for (int pass = 0; pass < 2; pass++) {
		for (int k = pass; k < nruns; k += 2) {
			check(run_ok(k), "contents survived");
			pages_free(runs[k].p, runs[k].n);
		}
	}
	pages_stats(&after);
	check(after.free == before.free, "the free count is back");

	void *big;
	unsigned long half = after.free / 2;
	check(pages_alloc(half, 512, &big) == 0, "a run of half the memory");
	check(((unsigned long)big / PAGE_SIZE) % 512 == 0, "2 MiB aligned");
	memset(big, 0xa5, half * PAGE_SIZE);
	pages_free(big, half);
	check(pages_alloc(after.free + 1, 1, &big) == ENOMEM,
	      "more than is free is refused");
}

static void
test_heap(void)
{
	static void *objs[4000];
	static size_t sizes[4000];
	unsigned long seed = 7;
	size_t in_use = heap_in_use();

	for (int i = 0; i < 4000; i++) {
		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		size_t size = 1 + (seed >> 33) % (i % 10 == 0 ? 20000 : 600);
		size_t align = (size_t)1 << ((seed >> 50) % 13);
		check(heap_alloc(size, align, &objs[i]) == 0, "heap_alloc");
		check(((unsigned long)objs[i] & (align - 1)) == 0,
		      "heap alignment");
		memset(objs[i], i & 0xff, size);
		sizes[i] = size;
	}
	for (int i = 0; i < 4000; i += 2) {
		const unsigned char *b = objs[i];
		check(b[0] == (i & 0xff) && b[sizes[i] - 1] == (i & 0xff),
		      "heap contents");
		heap_free(objs[i]);
	}
	for (int i = 1; i < 4000; i += 2)
		heap_free(objs[i]);
	check(heap_in_use() == in_use, "the heap gave everything back");
	check(heap_alloc(16, 3, &objs[0]) == EINVAL, "a bad alignment");
}

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	test_pages();
	test_heap();
	platform_console_printf("%s\n", failures ? "FAILED" : "ok");
	return failures != 0;
}
