/*
 * A write with BLKFRONT_SYNC is on the disk when it completes: the guest
 * writes a marker to xvda that way and, as soon as the write completes,
 * has Xen crash the domain: no detach, no flush, no clean shutdown. The
 * host (tests/system/durable.sh) then finds the marker in the disk file.
 */
#include <string.h>

#include <rumpxen/platform.h>

#include "../../../platform/xen/core/core.h"
#include "../../../platform/xen/dev/dev.h"

#include <xen/sched.h>

int
rumpxen_main(int argc, char **argv)
{
	static char sector[512] = "durable before its completion";
	struct waitq notify = {0};
	struct blkfront *d;
	int err;

	(void)argc;
	(void)argv;
	if (blkfront_get("xvda", &notify, &d) != 0)
		return 1;
	err = blkfront_io(d, BLKFRONT_WRITE | BLKFRONT_SYNC, sector,
			  sizeof(sector), 4096);
	platform_console_printf("the synced write completed: %d\n", err);
	if (err != 0)
		return 1;
	shutdown_domain(SHUTDOWN_crash, 0);
}
