/*
 * Transactions of the xenstore client, with a watch set and dom0 changing
 * a key the transactions read (tests/system/xenstore.sh): 100 increments
 * of a counter, each in a transaction retried on EAGAIN until it commits;
 * the guest itself writes a key they read during every other attempt, so
 * every increment conflicts at least once. Exits 0 when the counter is 100
 * with exactly 100 commits.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "../../../platform/xen/xenbus/xenbus.h"

int
rumpxen_main(int argc, char **argv)
{
	int attempts = 0, commits = 0, other = 0;
	char value[16];

	(void)argc;
	(void)argv;
	xs_watch("data", "data");
	for (int i = 1; i <= 100; i++) {
		for (;;) {
			uint32_t tx;
			char c[16], n[32];
			long v = 0;
			attempts++;
			if (xs_transaction_start(&tx) != 0) {
				other++;
				break;
			}
			xs_read(tx, "data/noise", n, sizeof(n));
			xs_read(tx, "data/dom0noise", n, sizeof(n));
			if (xs_read(tx, "data/txcount", c, sizeof(c)) == 0)
				num_parse_long(c, &v);
			fmt_snprintf(c, sizeof(c), "%ld", v + 1);
			xs_write(tx, "data/txcount", c);
			if (attempts % 2 == 1)
				xs_write(0, "data/noise", "guest");
			int err = xs_transaction_end(tx, 0);
			if (err == 0) {
				commits++;
				break;
			}
			if (err != EAGAIN) {
				other++;
				break;
			}
		}
		if (i % 10 == 0)
			platform_console_printf("%d commits, %d attempts\n",
						commits, attempts);
	}
	int ok = xs_read(0, "data/txcount", value, sizeof(value)) == 0 &&
		 strcmp(value, "100") == 0 && commits == 100 && other == 0;
	platform_console_printf("%s: 100 transactions committed, each exactly "
				"once (%d attempts)\n",
				ok ? "ok" : "FAILED", attempts);
	return !ok;
}
