/* tests/rump/netbsd_rump.c's entry as a Xen guest. */
#include <rumpxen/platform.h>

#include "harness.h"

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return rump_test_run() != 0;
}
