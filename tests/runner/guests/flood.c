/*
 * Prints 1 MiB on the console: 16384 lines of 64 bytes each (with the
 * newline), every line naming its number and filled with a pattern that
 * depends on it, so tests/runner/flood.sh can tell a lost, doubled, cut or
 * reordered byte from the real thing.
 */
#include <rumpxen/platform.h>

#define FLOOD_LINES 16384
#define FLOOD_WIDTH 64

int
rumpxen_main(int argc, char **argv)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char line[FLOOD_WIDTH];

	(void)argc;
	(void)argv;
	for (int n = 0; n < FLOOD_LINES; n++) {
		/* "flood NNNNN " is 12 bytes; 51 pattern bytes; newline. */
		int k = 0;
		line[k++] = 'f';
		line[k++] = 'l';
		line[k++] = 'o';
		line[k++] = 'o';
		line[k++] = 'd';
		line[k++] = ' ';
		for (int d = 10000; d > 0; d /= 10)
			line[k++] = (char)('0' + n / d % 10);
		line[k++] = ' ';
		while (k < FLOOD_WIDTH - 1) {
			line[k] = alphabet[(n * 7 + k) % 36];
			k++;
		}
		line[k++] = '\n';
		platform_console_write(line, FLOOD_WIDTH);
	}
	return 0;
}
