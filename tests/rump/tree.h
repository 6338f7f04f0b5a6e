/*
 * The tree of files that tests/rump/netbsd.sh turns into an FFS image,
 * described once for both sides: file i is called tree_name(i) and holds
 * tree_file(i)'s bytes. mktree.c writes it out on the host; the guest
 * computes what each file must hold.
 */
#ifndef RUMPXEN_TESTS_TREE_H
#define RUMPXEN_TESTS_TREE_H

#include <stddef.h>
#include <string.h>

#define TREE_FILES    24
#define TREE_MAX_FILE 70000

/* The name of file i, under the tree's root (some in a subdirectory). */
static inline const char *
tree_name(int i)
{
	static char name[32];
	int k = 0;

	if (i % 3 == 2) {
		memcpy(name, "dir/", 4);
		k = 4;
	}
	name[k++] = 'f';
	name[k++] = (char)('a' + i / 10 % 26);
	name[k++] = (char)('0' + i % 10);
	name[k] = '\0';
	return name;
}

/* tree_file: the contents of file i into buf; returns the length. */
static inline size_t
tree_file(int i, char *buf)
{
	size_t len = (size_t)(i * 2897) % TREE_MAX_FILE;

	for (size_t k = 0; k < len; k++)
		buf[k] = (char)((k * 131 + (size_t)i * 7) >> 3);
	return len;
}

#endif /* RUMPXEN_TESTS_TREE_H */
