/*
 * The syscall layer (kern/) as a host program on platform/posix under
 * ASan and UBSan, entered the way musl enters it (__rumpxen_syscall):
 * console writes and what they return; the fd table (close, dup, dup2,
 * dup3, fcntl); an unknown number is -ENOSYS and
 * logged once; anonymous memory (mmap, partial munmap, mremap, mprotect,
 * MAP_FIXED inside a mapping, munmap inside one and a hint into the
 * hole, MAP_FIXED_NOREPLACE, lengths that would wrap); /proc's status,
 * fd/ and maps; clocks and a
 * sleep; signals (a handler runs at the return of the kill that raised
 * it; a blocked one waits for its unblocking); limits; arch_prctl, which
 * glibc's FS base makes ENOTSUP here; a fault in the program, a signal
 * whose handler runs and lets it resume; the platform's shutdown request
 * (the host's SIGTERM) as the program's SIGTERM. Exits 0 when all holds.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rumpxen/platform.h>

#include "../../kern/kern.h"
#include "expect.h"

long __rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5,
		       long a6);

static long
sys(long n, long a1, long a2, long a3, long a4, long a5)
{
	return __rumpxen_syscall(n, a1, a2, a3, a4, a5, 0);
}

static int handled;

static void
on_usr1(int sig)
{
	handled += sig == 10;
}

static char *fault_page;
static int faulted;

/* on_segv: SA_SIGINFO; the page becomes writable, the write goes on. */
static void
on_segv(int sig, void *info, void *uc)
{
	(void)uc;
	faulted +=
		sig == 11 && *(char **)((char *)info + 16) == fault_page + 10;
	sys(10, (long)fault_page, 4096, 3, 0, 0);
}

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	expect(kern_init() == 0, "kern_init");

	expect(sys(1, 1, (long)"a line on the console\n", 22, 0, 0) == 22,
	       "write to fd 1 returns its length");
	expect(sys(1, 7, (long)"x", 1, 0, 0) == -9, "write to fd 7 is EBADF");
	expect(sys(400, 0, 0, 0, 0, 0) == -38 && sys(400, 0, 0, 0, 0, 0) == -38,
	       "an unknown syscall is ENOSYS (logged once, above)");

	char *m = (char *)sys(9, 0, 3 * 4096, 3, 0x22, -1);
	expect(m != NULL && (long)m > 0 && m[0] == 0 && m[3 * 4096 - 1] == 0,
	       "mmap of 3 zeroed pages");
	memset(m, 1, 3 * 4096);
	expect(sys(9, (long)(m + 4096), 4096, 3, 0x32, -1) ==
			       (long)(m + 4096) &&
		       m[4096] == 0 && m[0] == 1 && m[8192] == 1,
	       "MAP_FIXED inside it zeroes that page only");
	expect(sys(10, (long)m, 4096, 1, 0, 0) == 0 &&
		       sys(10, (long)m, 4096, 3, 0, 0) == 0,
	       "mprotect read-only and back");
	expect(sys(11, (long)m, 4096, 0, 0, 0) == 0 &&
		       sys(11, (long)(m + 4096), 8192, 0, 0, 0) == 0,
	       "munmap of a part, then the rest");
	char *c = (char *)sys(9, 0, 8 * 4096, 3, 0x22, -1);
	memset(c, 7, 8 * 4096);
	expect(sys(11, (long)(c + 2 * 4096), 2 * 4096, 0, 0, 0) == 0 &&
		       c[4096] == 7 && c[4 * 4096] == 7,
	       "munmap inside a mapping; the rest stays");
	expect(sys(9, (long)(c + 2 * 4096), 2 * 4096, 1, 0x22, -1) ==
			       (long)(c + 2 * 4096) &&
		       c[2 * 4096] == 0,
	       "a free hint is taken: the hole, zeroed");
	expect(sys(9, (long)(c + 4096), 4096, 3, 0x100022, -1) == -17,
	       "MAP_FIXED_NOREPLACE over a mapping: EEXIST");
	uintptr_t mine = (uintptr_t)&handled / 4096 * 4096;
	expect(sys(9, (long)mine, 4096, 3, 0x32, -1) == -12 && handled == 0,
	       "MAP_FIXED over memory that is not the platform's: ENOMEM");
	expect(sys(10, (long)c, 8 * 4096, 3, 0, 0) == 0,
	       "mprotect across the three mappings");
	expect(sys(25, (long)(c + 6 * 4096), 2 * 4096, 4096, 0, 0) ==
			       (long)(c + 6 * 4096) &&
		       sys(11, (long)c, 7 * 4096, 0, 0, 0) == 0,
	       "mremap shrinks a part; munmap across mappings");
	expect(sys(9, 0, -4096, 3, 0x22, -1) == -12 &&
		       sys(11, 4096, -4096, 0, 0, 0) == -22,
	       "lengths that would wrap are refused");
	char *r = (char *)sys(9, 0, 4096, 3, 0x22, -1);
	r[10] = 5;
	char *g = (char *)sys(25, (long)r, 4096, 16 * 4096, 1, 0);
	expect((long)g > 0 && g[10] == 5 && g[5 * 4096] == 0,
	       "mremap grows a mapping and keeps its bytes");
	g[4096] = 9;
	expect(sys(10, (long)g, 2 * 4096, 1, 0, 0) == 0 &&
		       sys(28, (long)(g + 4096), 4096, 4, 0, 0) == 0 &&
		       g[4096] == 0 && g[10] == 5,
	       "MADV_DONTNEED on read-only pages zeroes them (the kernel may)");
	sys(10, (long)g, 4096, 0, 0, 0); /* PROT_NONE: not even readable */
	char *h = (char *)sys(25, (long)g, 16 * 4096, 32 * 4096, 1, 0);
	expect((long)h > 0 && sys(10, (long)h, 4096, 3, 0, 0) == 0 &&
		       h[10] == 5,
	       "mremap moves a region whose first page is PROT_NONE, bytes "
	       "too");
	g = h;
	sys(11, (long)g, 32 * 4096, 0, 0, 0);
	expect(sys(9, 0, 4096, 3, 0x02, 3) == -9,
	       "mapping an fd not open: EBADF");
	long mf = sys(257, -100, (long)"/mapme", 0102, 0644, 0);
	sys(1, mf, (long)"file bytes", 10, 0, 0);
	char *pm = (char *)sys(9, 0, 4096, 3, 0x02, mf);
	expect((long)pm > 0 && memcmp(pm, "file bytes", 10) == 0 && pm[10] == 0,
	       "MAP_PRIVATE of a file: a copy of its bytes");
	expect(sys(9, 0, 4096, 3, 0x01, mf) == -19,
	       "MAP_SHARED of a file: ENODEV here (no windows on POSIX)");
	sys(11, (long)pm, 4096, 0, 0, 0);
	sys(3, mf, 0, 0, 0, 0);

	long ts[2], t2[2];
	expect(sys(228, 1, (long)ts, 0, 0, 0) == 0, "clock_gettime");
	long req[2] = {0, 20000000};
	expect(sys(35, (long)req, 0, 0, 0, 0) == 0 &&
		       sys(228, 1, (long)t2, 0, 0, 0) == 0 &&
		       (t2[0] - ts[0]) * 1000000000 + (t2[1] - ts[1]) >=
			       20000000,
	       "nanosleep of 20 ms lasts at least that");

	unsigned long act[4] = {(unsigned long)on_usr1, 0, 0, 0};
	expect(sys(13, 10, (long)act, 0, 8, 0) == 0, "rt_sigaction");
	expect(sys(62, 1, 10, 0, 0, 0) == 0 && handled == 1,
	       "kill of ourselves: the handler ran at the kill's return");
	unsigned long set = 1ul << 9, pending = 0;
	sys(14, 0, (long)&set, 0, 8, 0);
	sys(200, 1, 10, 0, 0, 0);
	expect(handled == 1 && sys(127, (long)&pending, 8, 0, 0, 0) == 0 &&
		       pending == set,
	       "a blocked signal waits, pending");
	sys(14, 1, (long)&set, 0, 8, 0);
	expect(handled == 2, "and runs once unblocked");

	unsigned long rl[2];
	expect(sys(97, 7, (long)rl, 0, 0, 0) == 0 && rl[0] == 1024,
	       "getrlimit(RLIMIT_NOFILE)");
	expect(sys(158, 0x1002, 0x1000, 0, 0, 0) == -95,
	       "arch_prctl(SET_FS) is ENOTSUP on POSIX");

	/* The fd table. */
	expect(sys(3, 1, 0, 0, 0, 0) == 0 &&
		       sys(1, 1, (long)"x", 1, 0, 0) == -9,
	       "close(1), then a write to fd 1 is EBADF");
	expect(sys(32, 2, 0, 0, 0, 0) == 1 &&
		       sys(1, 1, (long)"dup'd fd 1 writes\n", 18, 0, 0) == 18,
	       "dup(2) gives the lowest free fd, 1, on the console");
	expect(sys(33, 0, 100, 0, 0, 0) == 100 && sys(3, 100, 0, 0, 0, 0) == 0,
	       "dup2(0, 100), then close(100)");
	expect(sys(292, 0, 0, 0, 0, 0) == -22 && sys(33, 5, 6, 0, 0, 0) == -9,
	       "dup3(0, 0) is EINVAL, dup2 of a closed fd EBADF");
	expect(sys(72, 0, 1030, 10, 0, 0) == 10 &&
		       sys(72, 10, 1, 0, 0, 0) == 1 &&
		       sys(72, 10, 3, 0, 0, 0) == 2 &&
		       sys(3, 10, 0, 0, 0, 0) == 0,
	       "F_DUPFD_CLOEXEC from 10: fd 10, FD_CLOEXEC, O_RDWR");
	expect(sys(72, 0, 4, 04000, 0, 0) == 0 &&
		       sys(72, 0, 3, 0, 0, 0) == (2 | 04000) &&
		       sys(72, 0, 4, 0, 0, 0) == 0,
	       "F_SETFL O_NONBLOCK is kept, and taken back");
	expect(sys(3, 1023, 0, 0, 0, 0) == -9 && sys(3, 5000, 0, 0, 0, 0) == -9,
	       "close of a free fd or one out of range is EBADF");

	/* /proc, as the kernel mounts it. */
	char text[4096];
	long pf = sys(257, -100, (long)"/proc/self/status", 0, 0, 0);
	long got =
		pf >= 0 ? sys(0, pf, (long)text, sizeof(text) - 1, 0, 0) : -1;
	text[got > 0 ? got : 0] = '\0';
	expect(got > 0 && strstr(text, "\nPid:\t1\n") != NULL &&
		       strstr(text, "\nThreads:\t1\n") != NULL,
	       "/proc/self/status: the pid, one thread");
	sys(3, pf, 0, 0, 0, 0);
	long link = sys(89, (long)"/proc/self/fd/0", (long)text, 100, 0, 0);
	expect(link == 12 && memcmp(text, "/dev/console", 12) == 0,
	       "/proc/self/fd/0 is the console");
	char *ro = (char *)sys(9, 0, 2 * 4096, 1, 0x22, -1);
	char want[64];
	snprintf(want, sizeof(want), "%08lx-%08lx r--p ", (unsigned long)ro,
		 (unsigned long)ro + 2 * 4096);
	pf = sys(257, -100, (long)"/proc/self/maps", 0, 0, 0);
	got = pf >= 0 ? sys(0, pf, (long)text, sizeof(text) - 1, 0, 0) : -1;
	text[got > 0 ? got : 0] = '\0';
	expect(strstr(text, want) != NULL, "/proc/self/maps shows a mapping");
	sys(3, pf, 0, 0, 0, 0);
	sys(11, (long)ro, 2 * 4096, 0, 0, 0);

	expect(sys(165, (long)"none", (long)"/proc/self/fd", (long)"tmpfs", 0,
		   0) == -22,
	       "nothing is mounted inside /proc");

	/* A fault in the program: its SIGSEGV handler, then it resumes. */
	fault_page = (char *)sys(9, 0, 4096, 1, 0x22, -1);
	const unsigned long segv[4] = {(unsigned long)on_segv, 4, 0, 0};
	expect(sys(13, 11, (long)segv, 0, 8, 0) == 0, "a SIGSEGV handler");
	fault_page[10] = 5;
	expect(faulted == 1 && fault_page[10] == 5,
	       "a write to a read-only page ran the handler, then went on");

	/* The platform's request to go (SIGTERM here) is SIGTERM to it. */
	const unsigned long term = 1ul << 14;
	const long ten_s[2] = {10, 0};
	expect(sys(14, 0, (long)&term, 0, 8, 0) == 0 &&
		       kill(getpid(), SIGTERM) == 0 &&
		       sys(128, (long)&term, 0, (long)ten_s, 8, 0) == 15,
	       "the host's SIGTERM (the shutdown request) is the program's");
	printf("%s\n", failures ? "FAILED" : "all passed");
	return failures != 0;
}
