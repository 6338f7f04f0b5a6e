/*
 * The hello guest: the first image, and the runner's reference guest.
 *
 * It prints a greeting and exits with the status given as its first
 * argument (0 without one), so the runner can be checked end to end:
 * `tools/rumpxen run build/hello.elf 7` must exit 7. An argument that is
 * not a number is reported and exits 2, like a command-line error of any
 * Unix program.
 */
#include <rumpxen/platform.h>

#include "klib.h"

int
rumpxen_main(int argc, char **argv)
{
	long status = 0;

	platform_console_printf("Hello from rumpxen, a Xen PV guest!\n");
	if (argc > 1 && num_parse_long(argv[1], &status) != 0) {
		platform_console_printf("%s: not a number: \"%s\"\n", argv[0],
					argv[1]);
		return 2;
	}
	return (int)status;
}
