/*
 * Mappings of a tmpfs file through musl (tests/proc/mapped.sh): writes
 * through a MAP_SHARED mapping are what read() returns, and write() is
 * seen through the mapping; two mappings of one file share it;
 * MAP_PRIVATE is a copy (its writes stay its own); msync; a page past
 * the end of the file after a truncation is SIGBUS (caught, siglongjmp),
 * and growing the file again shows zeros there; a PROT_READ mapping
 * refuses a write (SIGSEGV); a write-only fd cannot be mapped (EACCES).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

#define SIZE (4 * 4096)

static sigjmp_buf escape;
static volatile int caught;

static void
on_fault(int sig)
{
	caught = sig;
	siglongjmp(escape, 1);
}

/* touch: reads p[0]; the signal it raised, or 0. */
static int
touch(volatile char *p, int write)
{
	caught = 0;
	if (sigsetjmp(escape, 1) == 0) {
		if (write)
			p[0] = 'w';
		else
			(void)p[0];
	}
	return caught;
}

int
main(void)
{
	char buf[SIZE];
	int fd = open("/mapped", O_RDWR | O_CREAT | O_TRUNC, 0644);

	memset(buf, 'a', sizeof(buf));
	write(fd, buf, sizeof(buf));
	char *m = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED && m[0] == 'a' && m[SIZE - 1] == 'a',
	      "MAP_SHARED shows the file");
	memcpy(m + 5000, "through the map", 15);
	pread(fd, buf, 15, 5000);
	check(memcmp(buf, "through the map", 15) == 0,
	      "a write through the mapping is what read() returns");
	pwrite(fd, "by write()", 10, 100);
	check(memcmp(m + 100, "by write()", 10) == 0,
	      "and write() is seen through the mapping");
	char *m2 = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096);
	check(m2 != MAP_FAILED && memcmp(m2 + 904, "through the map", 15) == 0,
	      "a second mapping, from an offset, shares the pages");
	check(msync(m, SIZE, MS_SYNC) == 0, "msync");

	char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	p[100] = 'P';
	pread(fd, buf, 1, 100);
	check(p != MAP_FAILED && p[101] == 'y' && buf[0] == 'b',
	      "MAP_PRIVATE: a copy; its writes stay its own");
	check(madvise(p, 4096, MADV_DONTNEED) == 0 && p[100] == 'b',
	      "MADV_DONTNEED on it: the file's bytes again");

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	ftruncate(fd, 4096);
	check(touch(m + 2 * 4096, 0) == SIGBUS,
	      "a page past the end after a truncation: SIGBUS");
	check(touch(m + 10, 0) == 0 && m[10] == 'a',
	      "the page within the end is still there");
	ftruncate(fd, SIZE);
	check(touch(m + 2 * 4096, 0) == 0 && m[2 * 4096] == 0,
	      "grown again, the page reads as zeros");
	check(touch(m2, 1) == SIGSEGV, "a PROT_READ mapping refuses a write");

	/* The kernel reading a page of the mapping not touched yet. */
	int fd2 = open("/copy", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *m3 = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);
	check(write(fd2, m3 + 4096, 100) == 100 && pread(fd2, buf, 1, 0) == 1 &&
		      buf[0] == 0,
	      "write() from a page of a mapping the program never touched");
	int ro = open("/mapped", O_RDONLY);
	char *m4 = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, 0);
	errno = 0;
	check(m4 != MAP_FAILED && mprotect(m4, 4096, PROT_WRITE) == -1 &&
		      errno == EACCES,
	      "mprotect cannot make a read-only file's mapping writable");

	int wo = open("/mapped", O_WRONLY);
	errno = 0;
	check(mmap(NULL, 4096, PROT_READ, MAP_SHARED, wo, 0) == MAP_FAILED &&
		      errno == EACCES,
	      "a write-only fd cannot be mapped: EACCES");
	check(munmap(m, SIZE) == 0 && munmap(m2, 4096) == 0 &&
		      munmap(p, SIZE) == 0,
	      "munmap");
	printf("%d failures\n", failures);
	return failures != 0;
}
