/*
 * Faults before it has printed a status line: writes through a pointer to
 * an address Xen never mapped. There is no trap table yet, so Xen crashes
 * the domain; tests/runner/crash.sh checks that the runner sees that at
 * once (status 125, Xen's register dump on stderr) instead of waiting for
 * its time limit.
 */
#include <rumpxen/platform.h>

/* volatile: the compiler must not know the address (it would emit ud2). */
static volatile unsigned long crash_address = 0x40000000000ul;

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	platform_console_printf("about to fault\n");
	*(volatile int *)crash_address = 1;
	platform_console_printf("still alive after the fault\n");
	return 0;
}
