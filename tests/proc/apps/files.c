/*
 * Files on the tmpfs root through musl (tests/proc/files.sh): stdio
 * files written and read back, a directory tree made, listed (readdir)
 * and removed, rename, links and symlinks, stat, the cwd, the devices of
 * /dev; then, on a root with a size limit (the script boots it with
 * root=tmpfs:size=...), files are written until ENOSPC, and every one
 * written before still reads back intact, and space freed by unlink can
 * be written again.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

#define CHUNK 65536

/* fill: the byte at offset i of file n. */
static unsigned char
fill(int n, long i)
{
	return (unsigned char)(n * 131 + i * 7 + (i >> 12));
}

static void
tree(void)
{
	FILE *f;
	char line[64];
	struct stat st;

	check(mkdir("/data", 0755) == 0 && mkdir("/data/sub", 0700) == 0,
	      "mkdir /data and /data/sub");
	f = fopen("/data/notes.txt", "w");
	check(f != NULL, "fopen for writing");
	for (int i = 0; i < 1000; i++)
		fprintf(f, "line %d\n", i);
	check(fclose(f) == 0, "fclose");
	f = fopen("/data/notes.txt", "r");
	int lines = 0, ok = 1;
	while (fgets(line, sizeof(line), f) != NULL) {
		char want[32];
		snprintf(want, sizeof(want), "line %d\n", lines++);
		ok &= strcmp(line, want) == 0;
	}
	fclose(f);
	check(lines == 1000 && ok, "1000 lines read back in order");
	check(stat("/data/notes.txt", &st) == 0 && S_ISREG(st.st_mode) &&
		      st.st_size == 8890,
	      "stat: its size");
	for (int i = 0; i < 50; i++) {
		char name[64];
		snprintf(name, sizeof(name), "/data/sub/f%02d", i);
		close(open(name, O_CREAT | O_WRONLY, 0644));
	}
	DIR *d = opendir("/data/sub");
	int entries = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		entries += e->d_name[0] == 'f' && e->d_type == DT_REG;
	closedir(d);
	check(entries == 50, "readdir lists the 50 files");
	check(rename("/data/sub/f00", "/data/moved") == 0 &&
		      access("/data/moved", F_OK) == 0 &&
		      access("/data/sub/f00", F_OK) == -1 && errno == ENOENT,
	      "rename across directories");
	check(symlink("notes.txt", "/data/link") == 0 &&
		      link("/data/notes.txt", "/data/hard") == 0 &&
		      stat("/data/link", &st) == 0 && st.st_nlink == 2 &&
		      lstat("/data/link", &st) == 0 && S_ISLNK(st.st_mode),
	      "a symlink and a hard link");
	check(chdir("/data/sub") == 0 && getcwd(line, sizeof(line)) != NULL &&
		      strcmp(line, "/data/sub") == 0 &&
		      access("f01", F_OK) == 0 && chdir("/") == 0,
	      "chdir, getcwd, a relative path");
	check(rmdir("/data/sub") == -1 && errno == ENOTEMPTY,
	      "rmdir of a full directory: ENOTEMPTY");
	for (int i = 1; i < 50; i++) {
		char name[64];
		snprintf(name, sizeof(name), "/data/sub/f%02d", i);
		unlink(name);
	}
	check(rmdir("/data/sub") == 0, "emptied, it goes");
}

static void
devices(void)
{
	unsigned char buf[32];
	int fd;

	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 1, sizeof(buf));
	check(read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf) &&
		      buf[0] == 0 && buf[31] == 0,
	      "/dev/zero");
	close(fd);
	fd = open("/dev/null", O_RDWR);
	check(write(fd, buf, 10) == 10 && read(fd, buf, 10) == 0, "/dev/null");
	close(fd);
	fd = open("/dev/full", O_WRONLY);
	check(write(fd, buf, 1) == -1 && errno == ENOSPC, "/dev/full");
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	check(read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf),
	      "/dev/urandom");
	close(fd);
	FILE *tty = fopen("/dev/tty", "w");
	check(tty != NULL && fprintf(tty, "written to /dev/tty\n") > 0 &&
		      fclose(tty) == 0,
	      "/dev/tty");
}

/* write_file: file n of size bytes; what it wrote, or -1 with errno. */
static long
write_file(int n, long size)
{
	static unsigned char buf[CHUNK];
	char name[32];
	long done = 0;
	int fd;

	snprintf(name, sizeof(name), "/fill/%03d", n);
	fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	while (done < size) {
		long want = size - done < CHUNK ? size - done : CHUNK;
		for (long i = 0; i < want; i++)
			buf[i] = fill(n, done + i);
		ssize_t w = write(fd, buf, (size_t)want);
		if (w <= 0)
			break;
		done += w;
	}
	int saved = errno;
	close(fd);
	errno = saved;
	return done;
}

/* file_intact: file n holds size bytes of its pattern. */
static int
file_intact(int n, long size)
{
	static unsigned char buf[CHUNK];
	char name[32];
	long done = 0;
	int fd, ok = 1;

	snprintf(name, sizeof(name), "/fill/%03d", n);
	fd = open(name, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t r;
	while ((r = read(fd, buf, CHUNK)) > 0) {
		for (ssize_t i = 0; i < r; i++)
			ok &= buf[i] == fill(n, done + i);
		done += r;
	}
	close(fd);
	return ok && done == size;
}

static void
limit(void)
{
	long sizes[200];
	int n = 0, full = 0;

	mkdir("/fill", 0755);
	for (; n < 200; n++) {
		sizes[n] = 10000 + 37 * 1024 * (n % 5);
		long w = write_file(n, sizes[n]);
		if (w != sizes[n]) {
			full = errno == ENOSPC;
			sizes[n] = w;
			n++;
			break;
		}
	}
	printf("limit: %d files written before ENOSPC\n", n - 1);
	check(full, "the writes end with ENOSPC");
	int intact = 0;
	for (int i = 0; i < n - 1; i++)
		intact += file_intact(i, sizes[i]);
	check(intact == n - 1, "every file written before is intact");
	check(file_intact(n - 1, sizes[n - 1]),
	      "the last one holds what was written of it");
	char name[32];
	snprintf(name, sizeof(name), "/fill/%03d", 0);
	long freed = sizes[0];
	check(unlink(name) == 0 && write_file(0, freed) == freed &&
		      file_intact(0, freed),
	      "unlink frees room: the same file fits again");
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "limit") == 0) {
		limit();
	} else {
		tree();
		devices();
	}
	printf("%d failures\n", failures);
	return failures != 0;
}
