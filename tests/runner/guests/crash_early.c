/*
 * Dies in a way only Xen can report: it points its stack at an address
 * that was never mapped and faults, so Xen cannot push the exception frame
 * and crashes the domain before the platform's trap handler could print a
 * status line. tests/runner/crash.sh checks that the runner sees that at
 * once (status 125, Xen's register dump on stderr) instead of waiting for
 * its time limit.
 */
#include <rumpxen/platform.h>

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	platform_console_printf("about to fault\n");
	__asm__ volatile("movq $0x40000000000, %%rsp\n\t"
			 "movq $1, (%%rsp)" ::
				 : "memory");
	platform_console_printf("still alive after the fault\n");
	return 0;
}
