/*
 * Number parsing for the freestanding layers: strict, whole-string parses
 * that report bad input and overflow as error values instead of through
 * errno, so a malformed command-line number is an error, never a guess.
 */
#include <errno.h>
#include <limits.h>

#include "klib.h"

static int
num_digit(char c, unsigned base)
{
	unsigned d;

	if (c >= '0' && c <= '9')
		d = (unsigned)(c - '0');
	else if (c >= 'a' && c <= 'f')
		d = (unsigned)(c - 'a') + 10;
	else if (c >= 'A' && c <= 'F')
		d = (unsigned)(c - 'A') + 10;
	else
		return -1;
	return d < base ? (int)d : -1;
}

int
num_parse_long(const char *s, long *out)
{
	unsigned long limit, v = 0;
	unsigned base = 10;
	int neg = 0, d;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return EINVAL;
	/* The magnitude of LONG_MIN is one more than LONG_MAX. */
	limit = neg ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;
	for (; *s != '\0'; s++) {
		d = num_digit(*s, base);
		if (d < 0)
			return EINVAL;
		if (v > (limit - (unsigned)d) / base)
			return ERANGE;
		v = v * base + (unsigned)d;
	}
	*out = neg ? (long)(0 - v) : (long)v;
	return 0;
}
