/*
 * A domU's view of its devices in xenstore, for the tests of the full
 * host's disks and vifs: `devices CLASS KEY...` lists device/CLASS/ and,
 * for each device, prints one line "CLASS ID: KEY=VALUE ..." with each
 * KEY read from the frontend's directory ("KEY") or, as "back:KEY", from
 * the backend's, whose path the frontend names. Then it waits for dom0's
 * part of the test (a script beside it) to write data/dom0 and prints
 * "dom0: VALUE". Exits 0 when it found at least one device and dom0
 * spoke within a minute, 1 otherwise.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "../../../platform/xen/xenbus/xenbus.h"

/* show_key: " key=value" from dir/key, or " key=<errno N>". */
static void
show_key(const char *dir, const char *key, const char *label)
{
	char path[256], value[256];
	int e;

	fmt_snprintf(path, sizeof(path), "%s/%s", dir, key);
	e = xs_read(0, path, value, sizeof(value));
	if (e == 0)
		platform_console_printf(" %s=%s", label, value);
	else
		platform_console_printf(" %s=<errno %d>", label, e);
}

int
rumpxen_main(int argc, char **argv)
{
	char ids[512], front[128], back[256], path[128], value[256];
	size_t len;
	int found = 0;

	if (argc < 2) {
		platform_console_printf("usage: devices CLASS KEY...\n");
		return 2;
	}
	fmt_snprintf(path, sizeof(path), "device/%s", argv[1]);
	if (xs_directory(0, path, ids, sizeof(ids), &len) != 0)
		len = 0;
	for (size_t at = 0; at < len; at += strlen(ids + at) + 1) {
		const char *id = ids + at;

		found++;
		fmt_snprintf(front, sizeof(front), "device/%s/%s", argv[1], id);
		fmt_snprintf(path, sizeof(path), "%s/backend", front);
		if (xs_read(0, path, back, sizeof(back)) != 0)
			strcpy(back, "<none>");
		platform_console_printf("%s %s: backend=%s", argv[1], id, back);
		for (int i = 2; i < argc; i++) {
			if (strncmp(argv[i], "back:", 5) == 0)
				show_key(back, argv[i] + 5, argv[i]);
			else
				show_key(front, argv[i], argv[i]);
		}
		platform_console_printf("\n");
	}
	if (!found)
		platform_console_printf("no %s devices\n", argv[1]);

	uint64_t end = time_monotonic_ns() + 60000000000ull;
	xs_watch("data", "data");
	while (xs_read(0, "data/dom0", value, sizeof(value)) != 0) {
		if (xs_watch_wait(path, sizeof(path), end) == ETIMEDOUT) {
			platform_console_printf("dom0 said nothing\n");
			return 1;
		}
	}
	platform_console_printf("dom0: %s\n", value);
	return found ? 0 : 1;
}
