/*
 * The xenstore client from a domU, with dom0 playing its part
 * (tests/system/xenstore.sh): the guest reads its own name and domid, and
 * a key dom0 wrote; watches a key dom0 changes five times; runs 100
 * transactions on a counter while dom0 keeps writing a key they read (and
 * the guest itself writes another key they read during every other
 * attempt, so that each transaction conflicts at least once), each retried on
 * EAGAIN until it commits; and finds the same values through
 * platform_config_get. Exits 0 when all holds.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "../../../platform/xen/xenbus/xenbus.h"
#include "../../check.h"

/* wait_for: until key reads as want (a minute catches a hang). */
static int
wait_for(const char *key, const char *want)
{
	uint64_t end = time_monotonic_ns() + 60000000000ull;
	char value[64], path[128];

	for (;;) {
		if (xs_read(0, key, value, sizeof(value)) == 0 &&
		    strcmp(value, want) == 0)
			return 1;
		if (xs_watch_wait(path, sizeof(path), end) == ETIMEDOUT)
			return 0;
	}
}

int
rumpxen_main(int argc, char **argv)
{
	char value[64], domid[16];
	long id;

	check(argc > 1 && xs_read(0, "name", value, sizeof(value)) == 0 &&
		      strcmp(value, argv[1]) == 0,
	      "the guest reads its own name");
	check(xs_read(0, "domid", domid, sizeof(domid)) == 0 &&
		      num_parse_long(domid, &id) == 0 && id > 0,
	      "and its domid");
	check(xs_read(0, "no/such/key", value, sizeof(value)) == ENOENT,
	      "a missing key is ENOENT");

	check(xs_watch("data", "data") == 0, "a watch on data/");
	check(wait_for("data/fromdom0", "hello-from-dom0"),
	      "a key dom0 wrote, seen through the watch");
	check(wait_for("data/counter", "5"),
	      "a key dom0 changed five times, followed to the end");

	const char *cfg = platform_config_get("data/fromdom0");
	check(cfg != NULL && strcmp(cfg, "hello-from-dom0") == 0,
	      "platform_config_get reads the domain's xenstore keys");
	return check_failures != 0;
}
