/*
 * Time: the monotonic clock never goes backwards over a million reads;
 * sleeps of 100 ms (and shorter ones) last at least their length of guest
 * time; the wall clock agrees with the host's clock, which the runner
 * passes as hosttime=NS, to within a few seconds (QEMU and Xen take about
 * one to boot). Also reports the time from Xen's hand-over to the image
 * until main began. Exits 0 when all holds.
 */
#include <rumpxen/platform.h>

#include "../../platform/xen/core/core.h"
#include "../check.h"

int
rumpxen_main(int argc, char **argv)
{
	uint64_t main_ns = time_monotonic_ns();
	uint64_t prev = main_ns, backwards = 0;
	const char *host = boot_config_get("hosttime");
	long host_ns;

	(void)argc;
	(void)argv;
	platform_console_printf("boot: Xen's hand-over to main took %lu us\n",
				(unsigned long)(main_ns - boot_handover_ns()) /
					1000);
	for (int i = 0; i < 1000000; i++) {
		uint64_t now = time_monotonic_ns();
		if (now < prev)
			backwards++;
		prev = now;
	}
	check(backwards == 0, "monotonic time never went back in 1e6 reads");

	static const uint64_t lengths[] = {1000, 100000, 10000000, 100000000};
	for (unsigned i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		uint64_t len = lengths[i], t0 = time_monotonic_ns();
		sched_sleep_until(t0 + len);
		uint64_t slept = time_monotonic_ns() - t0;
		platform_console_printf("sleep of %lu ns lasted %lu ns\n",
					(unsigned long)len,
					(unsigned long)slept);
		check(slept >= len, "a sleep lasts at least its length");
	}

	check(host != NULL && num_parse_long(host, &host_ns) == 0,
	      "the runner passed hosttime");
	if (host != NULL) {
		long diff =
			(long)(time_wall_ns() / 1000000) - host_ns / 1000000;
		platform_console_printf("wall clock - host clock = %ld ms\n",
					diff);
		check(diff > -5000 && diff < 5000,
		      "the wall clock is within 5 s of the host's");
	}
	return check_failures != 0;
}
