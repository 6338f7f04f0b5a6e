/*
 * The conformance suite on platform/xen: a boot image whose main runs the
 * suite and exits with the number of failed checks. The block device is
 * the one the configuration names (blockdev=/dev/xvda, blockdev_size=
 * its bytes, and blockdev_ro= a read-only one: tests/conformance/vbd.sh)
 * or else the RAM disk, when tests/conformance/xen.sh attached one.
 */
#include <stdarg.h>

#include <rumpxen/platform.h>

#include "../../platform/xen/core/core.h"
#include "conformance.h"

void
harness_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}

int
harness_errno(void)
{
	return *sched_current_errno();
}

const char *
harness_blockdev(uint64_t *size)
{
	const char *dev = platform_config_get("blockdev");
	const char *bytes = platform_config_get("blockdev_size");
	long n;

	if (dev != NULL && bytes != NULL && num_parse_long(bytes, &n) == 0) {
		*size = (uint64_t)n;
		return dev;
	}
	if (boot_start_info->mod_len == 0)
		return NULL;
	*size = boot_start_info->mod_len;
	return "/dev/ramdisk";
}

const char *
harness_blockdev_ro(void)
{
	return platform_config_get("blockdev_ro");
}

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return suite_run() != 0;
}
