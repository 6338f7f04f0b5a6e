/*
 * check: how the programs of tests/proc report a finding, through
 * stdio: "ok: what" or "FAILED: what", the failures counted for main's
 * value.
 */
#ifndef RUMPXEN_TESTS_PROC_CHECK_H
#define RUMPXEN_TESTS_PROC_CHECK_H

#include <stdio.h>

static int failures;

static inline void
check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	failures += !ok;
}

#endif /* RUMPXEN_TESTS_PROC_CHECK_H */
