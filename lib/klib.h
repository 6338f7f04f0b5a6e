/*
 * klib: the freestanding helpers shared by the platform and the kernel
 * world: formatting, number parsing, command-line splitting and a bitmap
 * allocator.
 *
 * Code in these layers may take only the <string.h> functions from the libc
 * (kernel threads have no libc thread block, so no errno and no TLS; the
 * build checks the kernel's objects for it): nothing here touches errno,
 * thread-local storage or a syscall. Errors are returned as values (0 or a
 * Linux errno number). The same sources build for the host, where tests/host
 * checks them against the host's libc under sanitizers.
 */
#ifndef RUMPXEN_KLIB_H
#define RUMPXEN_KLIB_H

#include <stdarg.h>
#include <stddef.h>

/* fmt.c: printf-style formatting. */

/*
 * fmt_sink_fn: receives formatted output in pieces, in order. Pieces are
 * not NUL-terminated.
 */
typedef void fmt_sink_fn(void *ctx, const char *s, size_t len);

/*
 * fmt_vformat: formats fmt with ap into sink and returns the number of
 * bytes produced. Conversions: d i u o x X c s p %, with the flags
 * "-+ #0", a field width and precision (numbers or "*") and the length
 * modifiers hh h l ll z j t. An unknown conversion is copied as it stands.
 */
size_t fmt_vformat(fmt_sink_fn *sink, void *ctx, const char *fmt, va_list ap);

/*
 * fmt_vsnprintf, fmt_snprintf: as C's vsnprintf and snprintf: write at
 * most size bytes including a terminating NUL (none when size is 0) and
 * return the length the whole output would have had.
 */
size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* num.c: number parsing. */

/*
 * num_parse_long: parses the whole of s as a decimal integer with an
 * optional sign, or as hexadecimal after "0x". Returns 0 and sets *out, or
 * EINVAL when s is empty or has anything else in it, or ERANGE when the
 * value does not fit in a long.
 */
int num_parse_long(const char *s, long *out);

/* cmdline.c: splitting a command line into words. */

/*
 * cmdline_split: splits line, in place, into words separated by spaces and
 * tabs, reading quotes as a shell does: a single-quoted part is literal;
 * a double-quoted part keeps its spaces, and a backslash inside it makes
 * the next character literal, as it does outside quotes. Stores at most
 * max - 1 word pointers in argv followed by a NULL and sets *argc.
 * Returns 0, E2BIG when there are more words than fit (argv then holds
 * the first max - 1), or EINVAL for an unterminated quote or a trailing
 * backslash.
 */
int cmdline_split(char *line, char **argv, int max, int *argc);

/* runmap.c: a bitmap allocator of runs of units (pages, address slots). */

/* The state of one map; its bitmap is the caller's. */
struct runmap {
	unsigned long *bits; /* one bit per unit, set while in use */
	unsigned long base;  /* the number of the first unit */
	unsigned long count; /* how many units the map covers */
	unsigned long nfree; /* how many of them are free */
	unsigned long hint;  /* where the next search starts */
};

/* The number of words a bitmap of count units needs. */
#define RUNMAP_BITS_WORDS(count)                                               \
	(((count) + sizeof(unsigned long) * 8 - 1) /                           \
	 (sizeof(unsigned long) * 8))

/*
 * runmap_init: covers units [base, base + count) with bits (of
 * RUNMAP_BITS_WORDS(count) words), all in use; runmap_free then releases
 * the ones that are really free.
 */
void runmap_init(struct runmap *m, unsigned long *bits, unsigned long base,
		 unsigned long count);

/*
 * runmap_alloc: takes n free units in a row, the first a multiple of align,
 * and sets *first. Returns 0, ENOMEM when no such run is free, or EINVAL
 * for n or align of 0.
 */
int runmap_alloc(struct runmap *m, unsigned long n, unsigned long align,
		 unsigned long *first);

/*
 * runmap_free: releases units [first, first + n). Returns 0, or EINVAL
 * (changing nothing) when the range is outside the map or any unit in it
 * is already free.
 */
int runmap_free(struct runmap *m, unsigned long first, unsigned long n);

/*
 * runmap_claim: takes the particular units [first, first + n). Returns 0,
 * EBUSY (changing nothing) when one of them is in use, or EINVAL when the
 * range is outside the map.
 */
int runmap_claim(struct runmap *m, unsigned long first, unsigned long n);

#endif /* RUMPXEN_KLIB_H */
