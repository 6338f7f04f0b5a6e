/*
 * Prints its arguments, one per line between brackets, so that
 * tests/runner/args.sh can check that any argument survives the trip
 * through the runner, QEMU and Xen's command line unchanged.
 */
#include <rumpxen/platform.h>

int
rumpxen_main(int argc, char **argv)
{
	platform_console_printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		platform_console_printf("argv[%d]=[%s]\n", i, argv[i]);
	return 0;
}
