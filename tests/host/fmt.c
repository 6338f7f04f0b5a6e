/*
 * lib/fmt.c against the host's snprintf: every case is formatted by both
 * and must give the same bytes and the same return value, including when
 * the output is cut to a small buffer.
 */
/* Cutting output to small buffers is the point of these cases. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
/* And so are the odd flag combinations that C defines but gcc frowns on. */
#pragma GCC diagnostic ignored "-Wformat"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "klib.h"

static int failures;

/*
 * CHECK(fmt, args...): formats with both implementations, into a large
 * buffer and into buffers of 0, 1 and 5 bytes.
 */
#define CHECK(...)                                                             \
	do {                                                                   \
		char want[512], got[512];                                      \
		int wn = snprintf(want, sizeof(want), __VA_ARGS__);            \
		size_t gn = fmt_snprintf(got, sizeof(got), __VA_ARGS__);       \
		if ((size_t)wn != gn || strcmp(want, got) != 0) {              \
			printf("line %d: %s: want [%s] (%d), got [%s] "        \
			       "(%zu)\n",                                      \
			       __LINE__, #__VA_ARGS__, want, wn, got, gn);     \
			failures++;                                            \
		}                                                              \
		for (size_t size = 0; size < 6; size += size < 1 ? 1 : 4) {    \
			char w[8] = "xxxxxxx", g[8] = "xxxxxxx";               \
			snprintf(w, size, __VA_ARGS__);                        \
			fmt_snprintf(g, size, __VA_ARGS__);                    \
			if (memcmp(w, g, sizeof(w)) != 0) {                    \
				printf("line %d: size %zu differs\n",          \
				       __LINE__, size);                        \
				failures++;                                    \
			}                                                      \
		}                                                              \
	} while (0)

static void
check_integers(void)
{
	CHECK("%d %i %u", 0, -1, 42u);
	CHECK("%d %d", INT_MAX, INT_MIN);
	CHECK("%ld %ld", LONG_MAX, LONG_MIN);
	CHECK("%lld %llu", LLONG_MIN, ULLONG_MAX);
	CHECK("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	CHECK("%zu %zd %jd %td", (size_t)-1, (ssize_t)-5, (intmax_t)-7,
	      (ptrdiff_t)9);
	CHECK("%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0755u);
	CHECK("%lx %#lx %#X %#o %#o %#x", ULONG_MAX, 255ul, 255u, 8u, 0u, 0u);
	CHECK("[%5d] [%-5d] [%05d] [%+d] [% d] [%+5d]", 42, 42, 42, 42, 42,
	      -42);
	CHECK("[%.2d] [%.3d] [%8.3d] [%-8.3d] [%08.3d] [%.0d] [%5.0d]", 7, 7, 7,
	      -7, 7, 0, 0);
	CHECK("[%*d] [%-*d] [%*d] [%.*d] [%.*d]", 6, 1, 6, 1, -6, 1, 4, 3, -1,
	      3);
	CHECK("[%#10x] [%#010x] [%-#10x] [%#.6x] [%#5o]", 255u, 255u, 255u,
	      255u, 8u);
	CHECK("[%016lx] [%p] [%20p] [%-20p|]", 0x1234ul, (void *)0xabc,
	      (void *)0xabc, (void *)0xabc);
}

static void
check_strings(void)
{
	CHECK("%s|%5s|%-5s|%.2s|%8.3s|", "abc", "abc", "abc", "abc", "abcdef");
	CHECK("%c%c%5c%-3c|", 'a', 'b', 'c', 'd');
	CHECK("100%% %s", "");
	CHECK("%.*s|", 3, "abcdef");
	CHECK("plain text, no conversions");
	CHECK("%s", "a string longer than the small buffers of the cut test");
}

static void
check_unknown(void)
{
	/* Not a literal, so that the compiler lets the bad format pass. */
	const char *bad = "a%qb %";
	char buf[64];
	size_t n = fmt_snprintf(buf, sizeof(buf), bad, 1);

	/* Unknown and cut-off specifications are copied as they stand. */
	if (strcmp(buf, "a%qb %") != 0 || n != 6) {
		printf("unknown conversions: got [%s] (%zu)\n", buf, n);
		failures++;
	}
}

int
main(void)
{
	check_integers();
	check_strings();
	check_unknown();
	if (failures != 0) {
		printf("%d failures\n", failures);
		return 1;
	}
	printf("fmt: all cases agree with the host's snprintf\n");
	return 0;
}
