/*
 * lib/num.c: whole-string number parsing, its limits and its refusals.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "klib.h"

static int failures;

static void
expect(const char *s, int want_err, long want)
{
	long v = 12345;
	int err = num_parse_long(s, &v);

	if (err != want_err || (err == 0 && v != want)) {
		printf("num_parse_long(\"%s\"): want %d/%ld, got %d/%ld\n", s,
		       want_err, want, err, v);
		failures++;
	}
}

int
main(void)
{
	expect("0", 0, 0);
	expect("7", 0, 7);
	expect("-1", 0, -1);
	expect("+200", 0, 200);
	expect("0x1f", 0, 31);
	expect("-0X10", 0, -16);
	expect("9223372036854775807", 0, LONG_MAX);
	expect("-9223372036854775808", 0, LONG_MIN);
	expect("9223372036854775808", ERANGE, 0);
	expect("-9223372036854775809", ERANGE, 0);
	expect("99999999999999999999999", ERANGE, 0);
	expect("0x8000000000000000", ERANGE, 0);
	expect("", EINVAL, 0);
	expect("-", EINVAL, 0);
	expect("0x", EINVAL, 0);
	expect("12a", EINVAL, 0);
	expect(" 1", EINVAL, 0);
	expect("1 ", EINVAL, 0);
	expect("seven", EINVAL, 0);
	if (failures != 0)
		return 1;
	printf("num: ok\n");
	return 0;
}
