/*
 * Reports the RAM disk Xen was given (the second multiboot module): its
 * length and 32-bit FNV-1a hash, so tests/runner/ramdisk.sh can check that
 * `rumpxen run --ramdisk FILE` attaches exactly FILE.
 */
#include <rumpxen/platform.h>

#include "../../../platform/xen/core/core.h"

int
rumpxen_main(int argc, char **argv)
{
	const start_info_t *si = boot_start_info;
	const unsigned char *p;
	uint32_t hash = 2166136261u;

	(void)argc;
	(void)argv;
	if (si->mod_start == 0) {
		platform_console_printf("ramdisk: none\n");
		return 1;
	}
	if (si->flags & SIF_MOD_START_PFN) {
		/* Given as a frame number: not mapped for us to read. */
		platform_console_printf("ramdisk: not mapped (pfn %#lx)\n",
					(unsigned long)si->mod_start);
		return 1;
	}
	p = (const unsigned char *)si->mod_start;
	for (unsigned long i = 0; i < si->mod_len; i++)
		hash = (hash ^ p[i]) * 16777619u;
	platform_console_printf("ramdisk: len=%lu fnv=%08x\n",
				(unsigned long)si->mod_len, hash);
	return 0;
}
