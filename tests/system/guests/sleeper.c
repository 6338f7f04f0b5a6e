/*
 * Sleeps until the toolstack shuts it down (tests/system/shutdown.sh runs
 * `xl shutdown` from dom0), which must end it with status 0; if it ever
 * wakes on its own after ten minutes, it exits 1. With the argument
 * "silent" it says nothing first (tests/system/silent.sh).
 */
#include <string.h>

#include <rumpxen/platform.h>

#include "../../../platform/xen/core/core.h"

int
rumpxen_main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "silent") != 0)
		platform_console_printf("sleeping until shut down\n");
	sched_sleep_until(time_monotonic_ns() + 600000000000ull);
	return 1;
}
