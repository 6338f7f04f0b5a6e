/*
 * What the platform finds and sets up at start of day, seen from inside a
 * guest: Xen's start_info (magic, the 64 MiB the runner asks for, dom0
 * flags), the configuration the runner passed, argv[0], a zeroed .bss, and
 * the freestanding helpers working on musl's string functions. Exits 0
 * when everything holds, 1 after reporting each thing that does not.
 */
#include <string.h>

#include <rumpxen/platform.h>

#include "../../platform/xen/core/core.h"
#include "klib.h"
#include "../check.h"

static char zeroed[4096];

int
rumpxen_main(int argc, char **argv)
{
	const start_info_t *si = boot_start_info;
	char buf[64];
	int zero = 1;

	check(strncmp(si->magic, "xen-3.0-x86_64", 14) == 0,
	      "start_info magic is xen-3.0-x86_64");
	check(si->nr_pages == 64 * 1024 * 1024 / 4096,
	      "the domain has the 64 MiB the runner asked for");
	check((si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)) ==
		      (SIF_PRIVILEGED | SIF_INITDOMAIN),
	      "the guest runs as dom0");
	check(boot_config_get("testhost") != NULL &&
		      strcmp(boot_config_get("testhost"), "1") == 0,
	      "the runner's testhost=1 is in the configuration");
	check(boot_config_get("absent") == NULL, "absent keys are absent");
	check(argc == 1 && strcmp(argv[0], "start_of_day") == 0 &&
		      argv[1] == NULL,
	      "argv is the image's name alone");
	for (size_t i = 0; i < sizeof(zeroed); i++)
		zero &= zeroed[i] == 0;
	check(zero, ".bss is zeroed");
	fmt_snprintf(buf, sizeof(buf), "%s=%05d|%-4x|%p", "k", 42, 0xab,
		     (void *)0x1000);
	check(strcmp(buf, "k=00042|ab  |0x1000") == 0,
	      "formatting works in the guest");
	return check_failures == 0 ? 0 : 1;
}
