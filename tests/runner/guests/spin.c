/*
 * Never exits: prints a line and spins, so tests/runner/timeout.sh can
 * check that the runner's time limit ends the run with status 124.
 */
#include <rumpxen/platform.h>

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	platform_console_printf("spinning forever\n");
	for (;;)
		__asm__ volatile("pause");
}
