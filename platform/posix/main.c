/*
 * The entry of a program on platform/posix: as on Xen, the platform owns
 * start-up and calls the image's rumpxen_main, whose return value is the
 * exit status.
 */
#include <rumpxen/platform.h>

int
main(int argc, char **argv)
{
	platform_exit(rumpxen_main(argc, argv));
}
