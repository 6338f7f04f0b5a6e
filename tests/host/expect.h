/*
 * expect: how the host tests of the ring code report a finding: "ok:
 * what" or "FAILED: what", the failures counted for the exit status.
 */
#ifndef RUMPXEN_TESTS_HOST_EXPECT_H
#define RUMPXEN_TESTS_HOST_EXPECT_H

#include <stdio.h>

static int failures;

static inline void
expect(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		failures++;
}

#endif /* RUMPXEN_TESTS_HOST_EXPECT_H */
