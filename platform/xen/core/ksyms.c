/*
 * Symbolizing code addresses for crash reports, from the table that
 * tools/ksyms embeds in the image (Xen's loader does not load .symtab).
 *
 * The table is sorted by address; an address belongs to the last symbol
 * at or below it, if it lies in the image's text at all.
 */
#include <stdint.h>

#include "core.h"

extern const char _ksyms_start[], _ksyms_end[];
extern const char _image_start[], _etext[];

/* The layout tools/ksyms writes. */
struct ksyms_entry {
	uint64_t addr;
	uint64_t name;
};

int
ksyms_lookup(unsigned long addr, const char **name, unsigned long *offset)
{
	const uint64_t *count = (const uint64_t *)_ksyms_start;
	const struct ksyms_entry *e;
	const char *names;
	uint64_t lo = 0, hi;

	if (_ksyms_end - _ksyms_start < (long)sizeof(*count) ||
	    addr < (unsigned long)_image_start || addr >= (unsigned long)_etext)
		return 0;
	e = (const struct ksyms_entry *)(count + 1);
	names = (const char *)(e + *count);
	hi = *count;
	if (hi == 0 || addr < e[0].addr)
		return 0;
	/* The last entry with e.addr <= addr lies in [lo, hi). */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (e[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*name = names + e[lo].name;
	*offset = addr - e[lo].addr;
	return 1;
}
