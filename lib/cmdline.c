/*
 * Splitting a command line into words, in place, as a shell does with
 * quotes: '...' keeps everything literally, "..." keeps spaces and single
 * quotes but lets a backslash escape the next character, as it does
 * outside quotes too.
 *
 * The runner (tools/rumpxen) quotes each argument that holds a space, a
 * quote or a backslash with double quotes and backslash escapes; this is
 * the other half of that contract, so any argument survives the trip
 * through Xen's start_info command line unchanged.
 */
#include <errno.h>

#include "klib.h"

static int
cmdline_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

int
cmdline_split(char *line, char **argv, int max, int *argc)
{
	char *r = line, *w = line;
	int n = 0, err = 0;

	for (;;) {
		while (cmdline_is_space(*r))
			r++;
		if (*r == '\0')
			break;
		/* Words are compacted to the left as escapes are removed. */
		char *word = w;
		char quote = 0; /* the open quote, if any */
		while (*r != '\0' && (quote || !cmdline_is_space(*r))) {
			if (quote == '\'' && *r != '\'') {
				*w++ = *r++; /* literal up to the next ' */
			} else if (*r == '\'' || *r == '"') {
				if (quote == 0)
					quote = *r;
				else if (quote == *r)
					quote = 0;
				else
					*w++ = *r; /* the other quote, literal
						    */
				r++;
			} else if (*r == '\\') {
				if (r[1] == '\0')
					return EINVAL;
				*w++ = r[1];
				r += 2;
			} else {
				*w++ = *r++;
			}
		}
		if (quote)
			return EINVAL;
		/* r may be at the word's own NUL; step past a separator. */
		if (*r != '\0')
			r++;
		*w++ = '\0';
		if (n < max - 1)
			argv[n++] = word;
		else
			err = E2BIG;
	}
	if (max > 0)
		argv[n] = NULL;
	*argc = n;
	return err;
}
