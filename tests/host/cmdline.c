/*
 * lib/cmdline.c: splitting, quoting and escapes, the argv limit, and the
 * malformed lines that must be refused rather than guessed at.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "klib.h"

static int failures;

/* expect: splits line; want is the expected words, NULL-terminated. */
static void
expect(const char *line, int max, int want_err, const char *const *want)
{
	char buf[256];
	char *argv[16];
	int argc = -1, n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	int err = cmdline_split(buf, argv, max, &argc);
	if (err != want_err) {
		printf("[%s]: want error %d, got %d\n", line, want_err, err);
		failures++;
		return;
	}
	if (err == EINVAL)
		return;
	while (want[n] != NULL)
		n++;
	if (argc != n || argv[argc] != NULL) {
		printf("[%s]: want %d words, got %d\n", line, n, argc);
		failures++;
		return;
	}
	for (int i = 0; i < n; i++) {
		if (strcmp(argv[i], want[i]) != 0) {
			printf("[%s]: word %d: want [%s], got [%s]\n", line, i,
			       want[i], argv[i]);
			failures++;
		}
	}
}

#define WORDS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE	   ((const char *const[]){NULL})

int
main(void)
{
	expect("", 16, 0, NONE);
	expect("   \t ", 16, 0, NONE);
	expect("a", 16, 0, WORDS("a"));
	expect("  a  bb\tccc  ", 16, 0, WORDS("a", "bb", "ccc"));
	expect("\"two words\" x", 16, 0, WORDS("two words", "x"));
	expect("a\"b c\"d", 16, 0, WORDS("ab cd"));
	expect("\"\" x \"\"", 16, 0, WORDS("", "x", ""));
	expect("\"q\\\"uote\" \"back\\\\slash\"", 16, 0,
	       WORDS("q\"uote", "back\\slash"));
	expect("esc\\ aped", 16, 0, WORDS("esc aped"));
	expect("'single \\ \"quoted\"' x", 16, 0,
	       WORDS("single \\ \"quoted\"", "x"));
	expect("\"it's\" 'say \"hi\"'", 16, 0, WORDS("it's", "say \"hi\""));
	expect("a'b c'd''", 16, 0, WORDS("ab cd"));
	expect("'open", 16, EINVAL, NONE);
	expect("k=v -- 7", 16, 0, WORDS("k=v", "--", "7"));
	expect("a b c d", 3, E2BIG, WORDS("a", "b"));
	expect("a b", 3, 0, WORDS("a", "b"));
	expect("\"open", 16, EINVAL, NONE);
	expect("trailing\\", 16, EINVAL, NONE);
	if (failures != 0)
		return 1;
	printf("cmdline: ok\n");
	return 0;
}
