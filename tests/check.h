/*
 * check: the one way guest tests report a finding: "ok: what" or
 * "FAILED: what" on the console, with the failures counted in
 * check_failures for the test's exit status.
 */
#ifndef RUMPXEN_TESTS_CHECK_H
#define RUMPXEN_TESTS_CHECK_H

#include <rumpxen/platform.h>

static int check_failures;

static inline void
check(int ok, const char *what)
{
	platform_console_printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		check_failures++;
}

#endif /* RUMPXEN_TESTS_CHECK_H */
