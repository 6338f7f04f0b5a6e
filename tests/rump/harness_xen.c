/*
 * tests/rump/netbsd_rump.c as a Xen guest: host threads are scheduler
 * threads, and the FFS image is the disk the configuration's "disk"
 * names (a vbd, "/dev/xvda"), else the RAM disk the runner attached.
 */
#include <stdarg.h>

#include <rumpxen/platform.h>

#include "../../platform/xen/core/core.h"
#include "harness.h"

void
rt_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}

uint64_t
rt_now_ns(void)
{
	return time_monotonic_ns();
}

void *
rt_thread_start(void (*fn)(void *), void *arg)
{
	struct thread_attr attr = {.name = "worker", .joinable = 1};
	struct thread *t;

	return sched_thread_create(&attr, fn, arg, &t) == 0 ? t : NULL;
}

void
rt_thread_join(void *thread)
{
	if (thread != NULL)
		sched_thread_join(thread);
}

int
rt_errno(void)
{
	return *sched_current_errno();
}

const char *
rt_blockdev(void)
{
	const char *disk = platform_config_get("disk");

	if (disk != NULL)
		return disk;
	return boot_start_info->mod_len > 0 ? "/dev/ramdisk" : NULL;
}
