/*
 * ext2ro DEVICE DIR: DEVICE is a read-only disk holding an ext2 with a
 * file hello ("hello\n"): mounting it for writing is EROFS; read-only
 * it mounts and reads; a new file, a write and a chmod on it are EROFS.
 * Prints each finding ("ok: ..." or "FAILED: ...") and exits 0 when all
 * hold (tests/fs/ext2ro.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

static void
expect(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	failures += !ok;
}

int
main(int argc, char **argv)
{
	char path[256], buf[16] = {0};

	if (argc != 3) {
		printf("usage: ext2ro DEVICE DIR\n");
		return 2;
	}
	mkdir(argv[2], 0755);
	expect(mount(argv[1], argv[2], "ext2", 0, NULL) != 0 && errno == EROFS,
	       "a read-write mount of a read-only disk: EROFS");
	expect(mount(argv[1], argv[2], "ext2", MS_RDONLY, NULL) == 0,
	       "a read-only mount of it");
	snprintf(path, sizeof(path), "%s/hello", argv[2]);
	int fd = open(path, O_RDONLY);
	expect(fd >= 0 && read(fd, buf, sizeof(buf)) == 6 &&
		       strcmp(buf, "hello\n") == 0,
	       "its file reads");
	if (fd >= 0)
		close(fd);
	expect(open(path, O_WRONLY) < 0 && errno == EROFS,
	       "opening it for writing: EROFS");
	expect(chmod(path, 0600) != 0 && errno == EROFS, "chmod: EROFS");
	snprintf(path, sizeof(path), "%s/new", argv[2]);
	expect(open(path, O_CREAT | O_WRONLY, 0644) < 0 && errno == EROFS,
	       "a new file: EROFS");
	expect(umount(argv[2]) == 0, "umount");
	printf("%d failures\n", failures);
	return failures != 0;
}
