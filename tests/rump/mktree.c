/*
 * Writes the tree of tree.h into the directory given as the only argument
 * (which must exist), for tests/rump/netbsd.sh to make an FFS image of.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "tree.h"

int
main(int argc, char **argv)
{
	static char buf[TREE_MAX_FILE];
	char path[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: mktree DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/dir", argv[1]);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		return 1;
	}
	for (int i = 0; i < TREE_FILES; i++) {
		size_t len = tree_file(i, buf);
		snprintf(path, sizeof(path), "%s/%s", argv[1], tree_name(i));
		FILE *f = fopen(path, "wb");
		if (f == NULL || fwrite(buf, 1, len, f) != len ||
		    fclose(f) != 0) {
			perror(path);
			return 1;
		}
	}
	return 0;
}
