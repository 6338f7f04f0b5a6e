/*
 * The conformance suite on platform/posix: a host program (run under
 * AddressSanitizer and, built again, ThreadSanitizer) whose main runs the
 * suite with a 1 MiB temporary file as its block device.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rumpxen/platform.h>

#include "conformance.h"

static char harness_disk[] = "/tmp/rumpxen-conformance-XXXXXX";

void
harness_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

int
harness_errno(void)
{
	return errno;
}

const char *
harness_blockdev(uint64_t *size)
{
	*size = 1 << 20;
	return harness_disk;
}

const char *
harness_blockdev_ro(void)
{
	return NULL; /* root may write any file: no read-only device here */
}

int
rumpxen_main(int argc, char **argv)
{
	int fd = mkstemp(harness_disk), failed;

	(void)argc;
	(void)argv;
	if (fd < 0 || ftruncate(fd, 1 << 20) != 0) {
		perror("the block device file");
		return 2;
	}
	close(fd);
	failed = suite_run();
	unlink(harness_disk);
	return failed != 0;
}

/* The suite checks that exhausting memory is an error, not a crash. */
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

const char *
__tsan_default_options(void)
{
	return "allocator_may_return_null=1";
}
