/*
 * Exits at once ("exit"), sleeps 2 s ("sleep") or spins 2 s ("spin"), so
 * tests/boot/idle.sh can compare what each costs QEMU in CPU time: an
 * idle guest must wait in Xen, not burn the CPU.
 */
#include <string.h>

#include <rumpxen/platform.h>

#include "../../../platform/xen/core/core.h"

int
rumpxen_main(int argc, char **argv)
{
	uint64_t end = time_monotonic_ns() + 2000000000ull;

	if (argc < 2 || strcmp(argv[1], "exit") == 0)
		return 0;
	if (strcmp(argv[1], "sleep") == 0) {
		sched_sleep_until(end);
		return 0;
	}
	while (time_monotonic_ns() < end)
		;
	return 0;
}
