/*
 * Leaving the domain: the devices' detach, the memory used (with memstats
 * in the configuration), the final status line, the emulated host's exit
 * port, and SCHEDOP_shutdown.
 *
 * The line "rumpxen: exit N" is the one the runner trusts: it is printed
 * last, and only then is the domain shut down. Under the emulated test
 * host (the runner puts testhost=1 in the configuration) the guest, as
 * dom0, also writes the status to QEMU's isa-debug-exit port, which ends
 * QEMU at once instead of leaving a halted machine behind. Writing to an
 * I/O port needs I/O privilege, granted by PHYSDEVOP_set_iopl. QEMU's own
 * exit code keeps only 7 bits of the value, which is why the line, not
 * QEMU's status, carries the result.
 */
#include <rumpxen/platform.h>

#include "core.h"
#include "../dev/dev.h"

#include <xen/physdev.h>
#include <xen/sched.h>

#define SHUTDOWN_DEBUG_EXIT_PORT 0xf4

static void
shutdown_debug_exit(unsigned code)
{
	struct physdev_set_iopl iopl = {.iopl = 3};

	if (hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl,
		       (unsigned long)&iopl) != 0)
		return;
	__asm__ volatile("outb %b0, %w1"
			 :
			 : "a"(code), "Nd"(SHUTDOWN_DEBUG_EXIT_PORT));
}

void
shutdown_domain(unsigned reason, unsigned exit_code)
{
	struct sched_shutdown sd = {.reason = reason};

	console_flush();
	if (boot_config_get("testhost") != NULL)
		shutdown_debug_exit(exit_code);
	for (;;)
		hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
			   (unsigned long)&sd);
}

/*
 * shutdown_memstats: with memstats in the configuration, what memory the
 * guest had for its pages, the most of it in use at once, and the
 * kernel heap's bytes at the end, for finding how small a domain a
 * program fits in.
 */
static void
shutdown_memstats(void)
{
	struct pages_stats st;

	if (boot_config_get("memstats") == NULL)
		return;
	pages_stats(&st);
	platform_console_printf("rumpxen: memory: %lu KiB of pages, at most "
				"%lu KiB in use, %lu KiB now; heap %lu KiB\n",
				st.total * 4, (st.total - st.low) * 4,
				(st.total - st.free) * 4,
				(unsigned long)heap_in_use() / 1024);
}

void
platform_exit(int status)
{
	/* Devices close cleanly, the backends releasing every grant first. */
	blkfront_detach_all();
	netfront_detach_all();
	shutdown_memstats();
	status &= 0xff;
	console_status_line(status);
	shutdown_domain(SHUTDOWN_poweroff, (unsigned)status);
}

void
crash_exit(int status)
{
	status &= 0xff;
	console_status_line(status);
	shutdown_domain(SHUTDOWN_crash, (unsigned)status);
}
