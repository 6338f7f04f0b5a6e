/*
 * A bitmap allocator of runs of units: pages of memory, or pages of a
 * virtual-address window. One bit per unit, set while the unit is in use.
 *
 * Allocation is next-fit: the search for n free units, starting at a
 * multiple of align, begins where the last one ended and wraps around once,
 * so that repeated small allocations do not rescan the busy front of the
 * map. Whole words of busy units are skipped at once. Freeing checks that
 * every unit was in use, so a double free is refused, not absorbed.
 */
#include <errno.h>
#include <limits.h>

#include "klib.h"

#define RUNMAP_WORD_BITS (sizeof(unsigned long) * CHAR_BIT)

static int
runmap_busy(const struct runmap *m, unsigned long i)
{
	return (m->bits[i / RUNMAP_WORD_BITS] >> (i % RUNMAP_WORD_BITS)) & 1;
}

static void
runmap_set(struct runmap *m, unsigned long i, unsigned long n, int busy)
{
	for (; n > 0; i++, n--) {
		unsigned long bit = 1ul << (i % RUNMAP_WORD_BITS);
		if (busy)
			m->bits[i / RUNMAP_WORD_BITS] |= bit;
		else
			m->bits[i / RUNMAP_WORD_BITS] &= ~bit;
	}
}

void
runmap_init(struct runmap *m, unsigned long *bits, unsigned long base,
	    unsigned long count)
{
	m->bits = bits;
	m->base = base;
	m->count = count;
	m->nfree = 0;
	m->hint = 0;
	for (unsigned long w = 0; w < RUNMAP_BITS_WORDS(count); w++)
		bits[w] = ~0ul;
}

/* runmap_range_ok: [first, first + n) lies inside the map. */
static int
runmap_range_ok(const struct runmap *m, unsigned long first, unsigned long n)
{
	return first >= m->base && n <= m->count &&
	       first - m->base <= m->count - n;
}

int
runmap_free(struct runmap *m, unsigned long first, unsigned long n)
{
	unsigned long i;

	if (n == 0 || !runmap_range_ok(m, first, n))
		return EINVAL;
	i = first - m->base;
	for (unsigned long k = 0; k < n; k++)
		if (!runmap_busy(m, i + k))
			return EINVAL;
	runmap_set(m, i, n, 0);
	m->nfree += n;
	return 0;
}

int
runmap_claim(struct runmap *m, unsigned long first, unsigned long n)
{
	unsigned long i;

	if (n == 0 || !runmap_range_ok(m, first, n))
		return EINVAL;
	i = first - m->base;
	for (unsigned long k = 0; k < n; k++)
		if (runmap_busy(m, i + k))
			return EBUSY;
	runmap_set(m, i, n, 1);
	m->nfree -= n;
	return 0;
}

/* runmap_align_up: the first index at or after i whose unit is aligned. */
static unsigned long
runmap_align_up(const struct runmap *m, unsigned long i, unsigned long align)
{
	unsigned long unit = m->base + i;
	unsigned long rem = unit % align;

	return rem == 0 ? i : i + (align - rem);
}

/*
 * runmap_search: looks for n free units at an aligned index in
 * [from, to); returns the index, or m->count when there is none.
 */
static unsigned long
runmap_search(const struct runmap *m, unsigned long n, unsigned long align,
	      unsigned long from, unsigned long to)
{
	unsigned long i = runmap_align_up(m, from, align);

	while (i < to && to - i >= n) {
		unsigned long k = 0;
		while (k < n && !runmap_busy(m, i + k))
			k++;
		if (k == n)
			return i;
		/* Unit i + k is busy: skip it and the busy units after it. */
		unsigned long j = i + k + 1;
		while (j < to) {
			unsigned long shift = j % RUNMAP_WORD_BITS;
			unsigned long rest =
				m->bits[j / RUNMAP_WORD_BITS] >> shift;
			unsigned long nbits = RUNMAP_WORD_BITS - shift;
			unsigned long all = nbits == RUNMAP_WORD_BITS
						    ? ~0ul
						    : (1ul << nbits) - 1;
			if (rest != all)
				break;
			j += nbits;
		}
		i = runmap_align_up(m, j, align);
	}
	return m->count;
}

int
runmap_alloc(struct runmap *m, unsigned long n, unsigned long align,
	     unsigned long *first)
{
	unsigned long i;

	if (n == 0 || align == 0)
		return EINVAL;
	if (n > m->nfree)
		return ENOMEM;
	i = runmap_search(m, n, align, m->hint, m->count);
	if (i == m->count) {
		/* Wrap around: the run may also straddle the old hint. */
		unsigned long end = m->hint + n - 1;
		i = runmap_search(m, n, align, 0,
				  end < m->count ? end : m->count);
	}
	if (i == m->count)
		return ENOMEM;
	runmap_set(m, i, n, 1);
	m->nfree -= n;
	m->hint = i + n < m->count ? i + n : 0;
	*first = m->base + i;
	return 0;
}
