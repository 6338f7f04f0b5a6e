/*
 * Console input of a domU: prints a prompt, reads what is typed on its
 * console (through xenconsoled's pty and the console ring's input side)
 * up to a newline, and prints it back in brackets. Gives up after a
 * minute without a line (exit 1), so a lost input fails rather than
 * hangs.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "../../../platform/xen/core/core.h"

int
rumpxen_main(int argc, char **argv)
{
	uint64_t deadline = time_monotonic_ns() + 60000000000ull;
	char line[256];
	size_t len = 0, got;

	(void)argc;
	(void)argv;
	platform_console_printf("type a line: ");
	while (len < sizeof(line) && memchr(line, '\n', len) == NULL) {
		if (platform_console_read(line + len, sizeof(line) - len,
					  deadline, &got) == ETIMEDOUT) {
			platform_console_printf("\nno line typed within a "
						"minute (%zu bytes)\n",
						len);
			return 1;
		}
		len += got;
	}
	char *nl = memchr(line, '\n', len);
	platform_console_printf("\ngot [%.*s]\n",
				(int)(nl ? nl - line : (long)len), line);
	return 0;
}
