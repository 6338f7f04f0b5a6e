/*
 * stdio through musl on the kernel's console (tests/proc/libc.sh): stdout
 * unbuffered, line buffered and fully buffered (setvbuf), each seen by
 * where its output lands among lines written meanwhile to stderr, which
 * also goes to the console, and fflush; printf's integer, string, char
 * and pointer conversions with widths, precisions and flags, compared
 * with the exact strings expected (through vsnprintf) and printed for the
 * script to compare too; snprintf's truncation and return value; sprintf
 * and sscanf round trips; fputs, puts, putchar and dprintf; 100 KiB of
 * known lines in two fwrite calls (the script compares every line);
 * open_memstream growing to 48 KiB; fmemopen for reading (fgets, fread,
 * fseek, ungetc, getline and getdelim, a 10000-byte line among them) and
 * for writing and reading back (fscanf). Prints "N failures" last.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static char lbuf[1024], fbuf[8192];

static void
test_buffering(void)
{
	/* Unbuffered: each piece reaches the console when written. */
	check(setvbuf(stdout, NULL, _IONBF, 0) == 0, "setvbuf _IONBF");
	printf("nbf: a");
	fprintf(stderr, "[err]");
	printf(" b\n");

	/* Line buffered: a partial line waits for its newline. */
	fflush(stdout);
	check(setvbuf(stdout, lbuf, _IOLBF, sizeof(lbuf)) == 0,
	      "setvbuf _IOLBF");
	printf("lbf: a");
	fprintf(stderr, "lbf: from stderr\n");
	printf(" b\n");
	printf("lbf: whole line\n");
	fprintf(stderr, "lbf: stderr after the whole line\n");

	/* Fully buffered: nothing goes out until fflush. */
	fflush(stdout);
	check(setvbuf(stdout, fbuf, _IOFBF, sizeof(fbuf)) == 0,
	      "setvbuf _IOFBF");
	printf("fbf: held 1\n");
	printf("fbf: held 2\n");
	fprintf(stderr, "fbf: from stderr\n");
	check(fflush(stdout) == 0, "fflush of stdout");
}

/* 1600 lines of 64 bytes: "big NNNN " and 54 letters from a shifting a-z. */
#define BIG_LINES 1600
#define BIG_WIDTH 64
static char big[BIG_LINES * BIG_WIDTH];

static void
test_fwrite_big(void)
{
	for (int i = 0; i < BIG_LINES; i++) {
		char *l = big + i * BIG_WIDTH;
		snprintf(l, 10, "big %04d ", i);
		l[9] = 'a';
		for (int j = 0; j < BIG_WIDTH - 10; j++)
			l[9 + j] = (char)('a' + (i + j) % 26);
		l[BIG_WIDTH - 1] = '\n';
	}
	/* Still fully buffered (8 KiB): pieces that straddle the buffer. */
	size_t half = sizeof(big) / 2;
	size_t a = fwrite(big, 1, half, stdout);
	size_t b = fwrite(big + half, BIG_WIDTH, BIG_LINES / 2, stdout);
	int f = fflush(stdout);
	printf("big: %zu bytes, then %zu lines of %d\n", a, b, BIG_WIDTH);
	check(a == half && b == BIG_LINES / 2 && f == 0,
	      "fwrite of 100 KiB in two calls");
}

static int fmt_cases, fmt_bad;

__attribute__((format(printf, 2, 3))) static void
fmt_is(const char *want, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fmt_cases++;
	if (n != (int)strlen(want) || strcmp(buf, want) != 0) {
		printf("  format \"%s\": got \"%s\" (%d), want \"%s\"\n", fmt,
		       buf, n, want);
		fmt_bad++;
	}
}

static void
test_formats(void)
{
	int n1 = -1, n2 = -1;

	fmt_is("42", "%d", 42);
	fmt_is("-42", "%i", -42);
	fmt_is("   42", "%5d", 42);
	fmt_is("42   |", "%-5d|", 42);
	fmt_is("00042", "%05d", 42);
	fmt_is("-0042", "%05d", -42);
	fmt_is("+42 +0 -1", "%+d %+d %+d", 42, 0, -1);
	fmt_is(" 42", "% d", 42);
	fmt_is("007", "%.3d", 7);
	fmt_is("     007", "%8.3d", 7);
	fmt_is("-007    |", "%-8.3d|", -7);
	fmt_is("[]", "[%.0d]", 0);
	fmt_is("    42", "%*d", 6, 42);
	fmt_is("42    |", "%*d|", -6, 42);
	fmt_is("-2147483648 2147483647", "%d %d", INT_MIN, INT_MAX);
	fmt_is("-9223372036854775808", "%ld", LONG_MIN);
	fmt_is("9223372036854775807", "%ld", LONG_MAX);
	fmt_is("-1234567890123", "%lld", -1234567890123LL);
	fmt_is("-9223372036854775808", "%lld", LLONG_MIN);
	fmt_is("4294967295", "%u", UINT_MAX);
	fmt_is("4294967295", "%u", (unsigned)-1);
	fmt_is("18446744073709551615", "%lu", ULONG_MAX);
	fmt_is("18446744073709551615", "%llu", ULLONG_MAX);
	fmt_is("44 4464", "%hhd %hd", 300, 70000);
	fmt_is("255 65535", "%hhu %hu", -1, -1);
	fmt_is("123 -5 -77", "%zu %jd %td", (size_t)123, (intmax_t)-5,
	       (ptrdiff_t)-77);
	fmt_is("deadbeef DEADBEEF", "%x %X", 0xdeadbeef, 0xdeadbeef);
	fmt_is("0xff 0XFF 0", "%#x %#X %#x", 255, 255, 0);
	fmt_is("0000beef", "%08x", 0xbeef);
	fmt_is("0x0000beef", "%#010x", 0xbeef);
	fmt_is("123456789abcdef0", "%lx", 0x123456789abcdef0UL);
	fmt_is("ffffffffffffffff", "%llx", -1LL);
	fmt_is("10 010 777 0", "%o %#o %o %#o", 8, 8, 0777, 0);
	fmt_is("1777777777777777777777", "%lo", ULONG_MAX);
	fmt_is("abc", "%s", "abc");
	fmt_is("       abc|", "%10s|", "abc");
	fmt_is("abc       |", "%-10s|", "abc");
	fmt_is("ab", "%.2s", "abcdef");
	fmt_is("    ab", "%*s", 6, "ab");
	fmt_is("ab    |", "%-*s|", 6, "ab");
	fmt_is("abc", "%.*s", 3, "abcdef");
	fmt_is("[]", "[%s]", "");
	fmt_is("x", "%c", 'x');
	fmt_is("  x", "%3c", 'x');
	fmt_is("x  |", "%-3c|", 'x');
	fmt_is("%", "%%");
	fmt_is("100% sure", "100%% %s", "sure");
	fmt_is("0x1234 0", "%p %p", (void *)0x1234, NULL);
	fmt_is("0xffffffff80000000", "%p", (void *)0xffffffff80000000UL);
	fmt_is("hello world", "%2$s %1$s", "world", "hello");
	errno = ERANGE;
	fmt_is("Result not representable", "%m");
	fmt_is("abcde", "abc%nde%n", &n1, &n2);
	printf("%d formats compared\n", fmt_cases);
	check(fmt_bad == 0 && n1 == 3 && n2 == 5,
	      "printf conversions, widths, precisions and flags");

	/* The same on the console, as the script expects it. */
	int r = printf("ints: %d %ld %lld %u %x %X %o %#x %#o %p %%\n", -42,
		       LONG_MIN, -1234567890123LL, 4294967295u, 0xdeadbeef,
		       0xdeadbeef, 0755, 255, 8, (void *)0x1234);
	check(r == 97, "printf's value is the bytes written");
	printf("widths: [%5d] [%-5d] [%05d] [%.3d] [%8.3f] [%-8s] [%8s] "
	       "[%.2s] [%c] [%-3c]\n",
	       42, 42, -42, 7, 3.14159, "ab", "ab", "abcdef", 'x', 'y');
}

static void
test_snprintf(void)
{
	char buf[16];
	int r;
	/* Sizes gcc cannot see: it would warn of the truncations we want. */
	volatile size_t eight = 8, one = 1, whole = sizeof(buf);

	memset(buf, '#', sizeof(buf));
	r = snprintf(buf, eight, "hello world %d", 42);
	check(r == 14 && strcmp(buf, "hello w") == 0 && buf[8] == '#',
	      "snprintf truncates to the size, returns the full length");
	check(snprintf(NULL, 0, "%d", 123456) == 6,
	      "snprintf(NULL, 0) gives the length");
	memset(buf, '#', sizeof(buf));
	r = snprintf(buf, one, "abc");
	check(r == 3 && buf[0] == '\0' && buf[1] == '#',
	      "snprintf of size 1 writes only the terminator");
	r = snprintf(buf, whole, "%s", "exactly 15 char");
	check(r == 15 && strcmp(buf, "exactly 15 char") == 0,
	      "snprintf that just fits");
	r = snprintf(buf, whole, "%s", "exactly 16 chars");
	check(r == 16 && strcmp(buf, "exactly 16 char") == 0,
	      "snprintf one byte too long");
}

static void
test_scanf(void)
{
	char buf[256], word[32], c;
	int d, n;
	long l;
	unsigned long long u;
	unsigned x, o;
	double g;

	sprintf(buf, "%d %ld %llu %x %o %s %c %.17g", -123, -9000000000L,
		18446744073709551615ULL, 0xabcdef, 0755, "word", 'Z', 0.1);
	n = sscanf(buf, "%d %ld %llu %x %o %31s %c %lg", &d, &l, &u, &x, &o,
		   word, &c, &g);
	check(n == 8 && d == -123 && l == -9000000000L &&
		      u == 18446744073709551615ULL && x == 0xabcdef &&
		      o == 0755 && strcmp(word, "word") == 0 && c == 'Z' &&
		      g == 0.1,
	      "sprintf then sscanf gives the same values back");

	int h, m, s;
	check(sscanf("12:34:56", "%d:%d:%d", &h, &m, &s) == 3 && h == 12 &&
		      m == 34 && s == 56,
	      "sscanf with literal separators");
	check(sscanf("  42abc", "%d%31s", &d, word) == 2 && d == 42 &&
		      strcmp(word, "abc") == 0,
	      "sscanf skips blanks, a number ends at a letter");
	int i1, i2, i3;
	check(sscanf("0x1f 017 -9", "%i %i %i", &i1, &i2, &i3) == 3 &&
		      i1 == 31 && i2 == 15 && i3 == -9,
	      "sscanf %i: hex, octal, decimal");
	check(sscanf("abc", "%d", &d) == 0, "sscanf: no match is 0");
	check(sscanf("", "%d", &d) == EOF, "sscanf: empty input is EOF");
	char set[32], rest[32];
	check(sscanf("hello-world", "%31[a-z]-%31s", set, rest) == 2 &&
		      strcmp(set, "hello") == 0 && strcmp(rest, "world") == 0,
	      "sscanf %[a-z]");
	check(sscanf("abcdefgh", "%3c%n", set, &n) == 1 &&
		      memcmp(set, "abc", 3) == 0 && n == 3,
	      "sscanf %3c and %n");
}

static void
test_puts(void)
{
	check(fputs("fputs line\n", stdout) >= 0, "fputs");
	check(puts("puts line") >= 0, "puts");
	int a = putchar('p'), b = putchar('c'), c = putchar('\n');
	check(a == 'p' && b == 'c' && c == '\n', "putchar gives its char");
	check(fileno(stdout) == 1 && fileno(stderr) == 2 && isatty(1),
	      "stdout is fd 1, stderr fd 2, a terminal");
	fflush(stdout);
	check(dprintf(1, "dprintf to fd %d\n", 1) == 16, "dprintf");
	fprintf(stderr, "stderr: %s %d\n", "fprintf", 2);
	errno = ENOENT;
	perror("perror");
}

static void
test_memstream(void)
{
	char *p = NULL, want[16];
	size_t len = 0, expect = 0;

	FILE *m = open_memstream(&p, &len);
	check(m != NULL, "open_memstream");
	for (int i = 0; i < 10000; i++)
		fprintf(m, "%d\n", i);
	fflush(m);
	check(len == 48890 && p != NULL && p[len] == '\0',
	      "open_memstream: 10000 lines, 48890 bytes, terminated");
	fputs("tail", m);
	fclose(m);
	int ok = len == 48894 && strcmp(p + 48890, "tail") == 0;
	char *q = p;
	for (int i = 0; ok && i < 10000; i++) {
		int n = snprintf(want, sizeof(want), "%d\n", i);
		ok = memcmp(q, want, n) == 0;
		q += n;
		expect += n;
	}
	check(ok && expect == 48890, "open_memstream content after fclose");
	free(p);
}

static void
test_fmemopen(void)
{
	char text[] = "abcdefgh\nijklmnopqrstuvwxyz";
	char buf[32];

	FILE *f = fmemopen(text, strlen(text), "r");
	check(f != NULL, "fmemopen for reading");
	check(fgets(buf, 5, f) == buf && strcmp(buf, "abcd") == 0 &&
		      fgets(buf, 5, f) == buf && strcmp(buf, "efgh") == 0 &&
		      fgets(buf, 5, f) == buf && strcmp(buf, "\n") == 0,
	      "fgets in pieces of 4, then the newline");
	check(fgetc(f) == 'i' && ungetc('I', f) == 'I' && fgetc(f) == 'I' &&
		      ftell(f) == 10,
	      "fgetc, ungetc and ftell");
	size_t n = fread(buf, 1, 10, f);
	check(n == 10 && memcmp(buf, "jklmnopqrs", 10) == 0,
	      "fread of 10 bytes");
	n = fread(buf, 4, 5, f);
	check(n == 1 && memcmp(buf, "tuvw", 4) == 0 && feof(f) && !ferror(f),
	      "fread short at the end: one whole item, then EOF");
	check(fseek(f, 2, SEEK_SET) == 0 && fgetc(f) == 'c' && !feof(f),
	      "fseek back clears EOF");
	fclose(f);

	char lines[] = "first line\nsecond\n\nlast without newline";
	char *line = NULL;
	size_t cap = 0;
	ssize_t l1, l2, l3, l4, l5;
	f = fmemopen(lines, strlen(lines), "r");
	l1 = getline(&line, &cap, f);
	int ok = l1 == 11 && strcmp(line, "first line\n") == 0;
	l2 = getline(&line, &cap, f);
	ok &= l2 == 7 && strcmp(line, "second\n") == 0;
	l3 = getline(&line, &cap, f);
	ok &= l3 == 1 && strcmp(line, "\n") == 0;
	l4 = getline(&line, &cap, f);
	ok &= l4 == 20 && strcmp(line, "last without newline") == 0;
	l5 = getline(&line, &cap, f);
	printf("getline: %zd %zd %zd %zd %zd\n", l1, l2, l3, l4, l5);
	check(ok && l5 == -1 && feof(f), "getline from fmemopen");
	fclose(f);

	size_t longlen = 10000 + 5; /* no terminator: "r" reads it all */
	char *longtext = malloc(longlen + 1);
	for (int i = 0; i < 10000; i++)
		longtext[i] = (char)('A' + i % 26);
	memcpy(longtext + 10000, "\nnext", 6);
	f = fmemopen(longtext, longlen, "r");
	l1 = getline(&line, &cap, f);
	ok = l1 == 10001 && cap >= 10002 && line[10000] == '\n' &&
	     line[10001] == '\0';
	for (int i = 0; ok && i < 10000; i++)
		ok = line[i] == 'A' + i % 26;
	l2 = getline(&line, &cap, f);
	check(ok && l2 == 4 && strcmp(line, "next") == 0,
	      "getline of a 10000-byte line grows its buffer");
	fclose(f);
	free(longtext);

	char csv[] = "a,bb,,ccc";
	f = fmemopen(csv, strlen(csv), "r");
	l1 = getdelim(&line, &cap, ',', f);
	ok = l1 == 2 && strcmp(line, "a,") == 0;
	l2 = getdelim(&line, &cap, ',', f);
	ok &= l2 == 3 && strcmp(line, "bb,") == 0;
	l3 = getdelim(&line, &cap, ',', f);
	ok &= l3 == 1 && strcmp(line, ",") == 0;
	l4 = getdelim(&line, &cap, ',', f);
	ok &= l4 == 3 && strcmp(line, "ccc") == 0;
	check(ok && getdelim(&line, &cap, ',', f) == -1, "getdelim on ','");
	fclose(f);
	free(line);

	char out[64];
	memset(out, '#', sizeof(out));
	f = fmemopen(out, sizeof(out), "w");
	fprintf(f, "x=%d y=%s", 5, "five");
	fflush(f);
	check(strcmp(out, "x=5 y=five") == 0 && ftell(f) == 10,
	      "fmemopen for writing: the text, terminated");
	fclose(f);

	f = fmemopen(NULL, 128, "w+");
	check(f != NULL, "fmemopen of its own buffer, w+");
	fprintf(f, "%d %s %.1f", 12, "dozen", 1.5);
	rewind(f);
	int d = 0;
	double g = 0;
	char word[16];
	check(fscanf(f, "%d %15s %lf", &d, word, &g) == 3 && d == 12 &&
		      strcmp(word, "dozen") == 0 && g == 1.5,
	      "what was written is read back with fscanf");
	fclose(f);
}

int
main(void)
{
	test_buffering();
	test_fwrite_big();
	/* Line buffered again, with the same buffer, for the rest. */
	fflush(stdout);
	setvbuf(stdout, lbuf, _IOLBF, sizeof(lbuf));
	test_formats();
	test_snprintf();
	test_scanf();
	test_puts();
	test_memstream();
	test_fmemopen();
	printf("%d failures\n", failures);
	return failures != 0;
}
