/*
 * tail: a program whose last output does not end a line, for the status
 * line's test (tests/proc/tail.sh, tests/system/tail.sh). argv[1] says
 * what it leaves open: "text" (printf without a newline, through stdio's
 * buffer flushed at exit), "utf8" (the first byte of a two-byte UTF-8
 * sequence), "nul" (a NUL byte, then text), or "all" (each of them).
 * It exits with status 3.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void
tail_write(const char *buf, size_t len)
{
	fflush(stdout);
	if (write(1, buf, len) != (ssize_t)len)
		_exit(1);
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "text";
	int all = strcmp(mode, "all") == 0;

	if (all || strcmp(mode, "nul") == 0)
		tail_write("nul:\0after", 10);
	if (all || strcmp(mode, "utf8") == 0)
		tail_write("caf\xc3", 4);
	if (all || strcmp(mode, "text") == 0)
		printf("no newline");
	return 3;
}
