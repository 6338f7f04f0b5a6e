/*
 * The conformance suite on platform/xen: a boot image whose main runs the
 * suite and exits with the number of failed checks. The block device is
 * the RAM disk, when tests/conformance/xen.sh attached one.
 */
#include <stdarg.h>

#include <rumpxen/platform.h>

#include "../../platform/xen/xen.h"
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
	if (boot_start_info->mod_len == 0)
		return NULL;
	*size = boot_start_info->mod_len;
	return "/dev/ramdisk";
}

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return suite_run() != 0;
}
