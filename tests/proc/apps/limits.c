/*
 * Limits, names and memory files as Linux has them (tests/proc/
 * limits.sh): RLIMIT_NOFILE enforced (open stops with EMFILE at the
 * limit, dup2 past it is EBADF, F_DUPFD from it EINVAL); prctl's
 * PR_SET_NAME and PR_GET_NAME (15 bytes kept; before, the program's
 * name), PR_SET_PDEATHSIG kept; memfd_create: a file no path names,
 * unlinked, that grows, reads, maps shared and takes MFD_CLOEXEC, and
 * refuses a long name or unknown flags. Run natively and on Xen; prints
 * "N failures" and exits 0 when there are none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static void
nofile(void)
{
	struct rlimit lim, got, all;
	int last = -1, fd, err = 0;

	getrlimit(RLIMIT_NOFILE, &all);
	lim = (struct rlimit){42, all.rlim_max};
	check(setrlimit(RLIMIT_NOFILE, &lim) == 0 &&
		      getrlimit(RLIMIT_NOFILE, &got) == 0 && got.rlim_cur == 42,
	      "RLIMIT_NOFILE set to 42");
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		last = fd;
	err = errno;
	check(last == 41 && err == EMFILE, "open stops at fd 41 with EMFILE");
	check(dup2(0, 42) < 0 && errno == EBADF, "dup2 to fd 42: EBADF");
	check(fcntl(0, F_DUPFD, 42) < 0 && errno == EINVAL,
	      "F_DUPFD from 42: EINVAL");
	for (fd = 3; fd <= last; fd++)
		close(fd);
	check(setrlimit(RLIMIT_NOFILE, &all) == 0 && dup2(0, 500) == 500,
	      "raised again, fd 500 opens");
	close(500);
}

static void
names(const char *prog)
{
	char name[32] = {0};
	int sig = 0;

	check(prctl(PR_GET_NAME, name) == 0 && strcmp(name, prog) == 0,
	      "PR_GET_NAME is the program's name at first");
	check(prctl(PR_SET_NAME, "a-name-longer-than-fifteen") == 0 &&
		      prctl(PR_GET_NAME, name) == 0 &&
		      strcmp(name, "a-name-longer-t") == 0,
	      "PR_SET_NAME keeps 15 bytes");
	check(prctl(PR_SET_PDEATHSIG, SIGTERM) == 0 &&
		      prctl(PR_GET_PDEATHSIG, &sig) == 0 && sig == SIGTERM,
	      "PR_SET_PDEATHSIG is kept");
}

static void
memfd(void)
{
	static char data[10000], back[10000];
	char longname[300];
	struct stat st;
	int fd = memfd_create("test", MFD_CLOEXEC);

	check(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC),
	      "memfd_create with MFD_CLOEXEC");
	memset(data, 'm', sizeof(data));
	check(write(fd, data, sizeof(data)) == (ssize_t)sizeof(data) &&
		      pread(fd, back, sizeof(back), 0) ==
			      (ssize_t)sizeof(back) &&
		      memcmp(data, back, sizeof(data)) == 0,
	      "... it writes and reads back");
	check(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 0 &&
		      st.st_size == (off_t)sizeof(data),
	      "... a regular file, no links, its size");
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(p != MAP_FAILED && p[0] == 'm', "... it maps shared");
	if (p != MAP_FAILED) {
		p[1] = 'x';
		check(pread(fd, back, 2, 0) == 2 && back[1] == 'x',
		      "... what the mapping writes, the file holds");
		munmap(p, 4096);
	}
	close(fd);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	check(memfd_create(longname, 0) < 0 && errno == EINVAL,
	      "a name of 299 bytes: EINVAL");
	check(memfd_create("x", 0x100) < 0 && errno == EINVAL,
	      "unknown flags: EINVAL");
}

int
main(int argc, char **argv)
{
	const char *slash = strrchr(argv[0], '/');

	(void)argc;
	nofile();
	names(slash != NULL ? slash + 1 : argv[0]);
	memfd();
	printf("%d failures\n", failures);
	return failures != 0;
}
