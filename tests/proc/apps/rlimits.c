/*
 * Resource limits enforced as Linux enforces them (tests/proc/
 * rlimits.sh): RLIMIT_FSIZE (a write past it is EFBIG with SIGXFSZ to
 * the thread, one that starts below it is cut short at it; pwrite,
 * writev, sendfile, truncate, ftruncate and fallocate the same; shrinking is
 * free), RLIMIT_AS and RLIMIT_DATA (an mmap or an mremap growth past
 * them is ENOMEM, DATA counting only private writable mappings),
 * RLIMIT_STACK's hard limit unlimited as Linux's default, getrlimit and
 * prlimit64 agreeing, a soft limit above the hard one EINVAL. Run
 * natively and on Xen; prints "N failures" and exits 0 when there are
 * none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

#define MIB (1024 * 1024ul)

static volatile int xfsz;

static void
on_xfsz(int sig)
{
	(void)sig;
	xfsz++;
}

/* fsize_set: RLIMIT_FSIZE's soft limit becomes cur. */
static int
fsize_set(rlim_t cur)
{
	struct rlimit lim;

	getrlimit(RLIMIT_FSIZE, &lim);
	lim.rlim_cur = cur;
	return setrlimit(RLIMIT_FSIZE, &lim);
}

static void
fsize(void)
{
	char buf[300];
	struct stat st;
	int fd = open("/tmp/rlimits.f", O_RDWR | O_CREAT | O_TRUNC, 0600);

	memset(buf, 'f', sizeof(buf));
	signal(SIGXFSZ, on_xfsz);
	check(fd >= 0 && fsize_set(1000) == 0, "RLIMIT_FSIZE set to 1000");
	check(write(fd, buf, 300) == 300 && xfsz == 0,
	      "a write below the limit: whole, no signal");
	check(pwrite(fd, buf, 300, 900) == 100 && xfsz == 0,
	      "pwrite at 900: cut short to 100 bytes, no signal");
	errno = 0;
	check(pwrite(fd, buf, 10, 1000) == -1 && errno == EFBIG && xfsz == 1,
	      "pwrite at the limit: EFBIG and SIGXFSZ");
	lseek(fd, 995, SEEK_SET);
	struct iovec iov[2] = {{buf, 3}, {buf, 100}};
	check(writev(fd, iov, 2) == 5, "writev at 995: 5 bytes");
	struct iovec two[2] = {{buf, 10}, {buf, 10}};
	check(pwritev(fd, two, 2, 990) == 10 && xfsz == 1,
	      "pwritev at 990 whose first buffer ends at the limit: "
	      "10 bytes, no signal");
	errno = 0;
	check(write(fd, buf, 1) == -1 && errno == EFBIG && xfsz == 2,
	      "write at the limit: EFBIG and SIGXFSZ");
	check(write(fd, buf, 0) == 0 && xfsz == 2,
	      "a write of nothing at the limit: 0, no signal");
	errno = 0;
	check(ftruncate(fd, 1001) == -1 && errno == EFBIG && xfsz == 3,
	      "ftruncate past the limit: EFBIG and SIGXFSZ");
	check(ftruncate(fd, 1000) == 0 && ftruncate(fd, 10) == 0 &&
		      fstat(fd, &st) == 0 && st.st_size == 10,
	      "ftruncate to the limit, and down: taken");
	errno = 0;
	check(truncate("/tmp/rlimits.f", 5000) == -1 && errno == EFBIG &&
		      xfsz == 4,
	      "truncate past the limit: EFBIG and SIGXFSZ");
	errno = 0;
	check(fallocate(fd, 0, 500, 600) == -1 && errno == EFBIG && xfsz == 5,
	      "fallocate past the limit: EFBIG and SIGXFSZ");
	check(fallocate(fd, 0, 0, 1000) == 0 && fstat(fd, &st) == 0 &&
		      st.st_size == 1000,
	      "fallocate up to the limit: taken");
	int ap = open("/tmp/rlimits.f", O_WRONLY | O_APPEND);
	errno = 0;
	check(ap >= 0 && write(ap, buf, 1) == -1 && errno == EFBIG && xfsz == 6,
	      "O_APPEND at the limit: EFBIG, whatever the offset");
	close(ap);
	int null = open("/dev/null", O_WRONLY);
	check(write(null, buf, 300) == 300 && xfsz == 6,
	      "a device is not limited");
	close(null);
	int out = open("/tmp/rlimits.o", O_RDWR | O_CREAT | O_TRUNC, 0600);
	off_t from = 0;
	lseek(out, 900, SEEK_SET);
	/* Linux's sendfile goes on after the short write: SIGXFSZ. */
	check(out >= 0 && sendfile(out, fd, &from, 300) == 100 && xfsz == 7,
	      "sendfile at 900: 100 bytes, and SIGXFSZ going on");
	errno = 0;
	check(sendfile(out, fd, &from, 300) == -1 && errno == EFBIG &&
		      xfsz == 8,
	      "sendfile at the limit: EFBIG and SIGXFSZ");
	close(out);
	unlink("/tmp/rlimits.o");
	signal(SIGXFSZ, SIG_IGN);
	errno = 0;
	check(write(fd, buf, 1) == -1 && errno == EFBIG,
	      "SIGXFSZ ignored: EFBIG still");
	check(fsize_set(RLIM_INFINITY) == 0 &&
		      pwrite(fd, buf, 300, 5000) == 300,
	      "unlimited again: the file grows");
	close(fd);
	unlink("/tmp/rlimits.f");
}

/* limit_set: resource which's soft limit becomes cur (hard unchanged). */
static int
limit_set(int which, rlim_t cur)
{
	struct rlimit lim;

	getrlimit(which, &lim);
	lim.rlim_cur = cur;
	return setrlimit(which, &lim);
}

/* map: n bytes, private anonymous (or shared) with prot; NULL if none. */
static void *
map(size_t n, int prot, int flags)
{
	void *p = mmap(NULL, n, prot, flags | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void
as(void)
{
	void *p = map(24 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	/* The memory is there: what fails next is the limit's doing. */
	check(p != NULL, "24 MiB map without a limit");
	munmap(p, 24 * MIB);
	check(limit_set(RLIMIT_AS, 16 * MIB) == 0, "RLIMIT_AS set to 16 MiB");
	errno = 0;
	check(map(24 * MIB, PROT_READ, MAP_PRIVATE) == NULL && errno == ENOMEM,
	      "24 MiB past RLIMIT_AS: ENOMEM");
	p = map(MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	check(p != NULL, "1 MiB within it: mapped");
	void *q = p != NULL ? mremap(p, MIB, 24 * MIB, MREMAP_MAYMOVE) : NULL;
	check(q == MAP_FAILED && errno == ENOMEM,
	      "mremap growing past it: ENOMEM");
	q = p != NULL ? mremap(p, MIB, 2 * MIB, MREMAP_MAYMOVE) : NULL;
	check(q != NULL && q != MAP_FAILED, "mremap growing within it");
	if (q != NULL && q != MAP_FAILED)
		munmap(q, 2 * MIB);
	check(limit_set(RLIMIT_AS, RLIM_INFINITY) == 0, "RLIMIT_AS unlimited");
}

static void
data(void)
{
	check(limit_set(RLIMIT_DATA, 16 * MIB) == 0,
	      "RLIMIT_DATA set to 16 MiB");
	void *p = map(24 * MIB, PROT_READ, MAP_PRIVATE);
	check(p != NULL, "24 MiB read-only: not data, mapped");
	if (p != NULL)
		munmap(p, 24 * MIB);
	p = map(24 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED);
	check(p != NULL, "24 MiB shared writable: not data, mapped");
	if (p != NULL)
		munmap(p, 24 * MIB);
	errno = 0;
	check(map(24 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE) == NULL &&
		      errno == ENOMEM,
	      "24 MiB private writable: ENOMEM");
	p = map(MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	check(p != NULL, "1 MiB private writable: mapped");
	errno = 0;
	check(p != NULL &&
		      mremap(p, MIB, 24 * MIB, MREMAP_MAYMOVE) == MAP_FAILED &&
		      errno == ENOMEM,
	      "mremap of it past RLIMIT_DATA: ENOMEM");
	if (p != NULL)
		munmap(p, MIB);
	check(limit_set(RLIMIT_DATA, RLIM_INFINITY) == 0,
	      "RLIMIT_DATA unlimited");
}

static void
others(void)
{
	struct rlimit lim, got, bad;

	check(getrlimit(RLIMIT_STACK, &lim) == 0 &&
		      lim.rlim_max == RLIM_INFINITY && lim.rlim_cur >= MIB &&
		      lim.rlim_cur != RLIM_INFINITY,
	      "RLIMIT_STACK: a soft limit, the hard one unlimited");
	check(prlimit(0, RLIMIT_STACK, NULL, &got) == 0 &&
		      got.rlim_cur == lim.rlim_cur &&
		      got.rlim_max == lim.rlim_max,
	      "prlimit agrees with getrlimit");
	bad = (struct rlimit){2 * MIB, MIB};
	errno = 0;
	check(setrlimit(RLIMIT_STACK, &bad) == -1 && errno == EINVAL,
	      "soft above hard: EINVAL");
	lim = (struct rlimit){MIB, 4 * MIB};
	check(setrlimit(RLIMIT_CORE, &lim) == 0 &&
		      prlimit(0, RLIMIT_CORE, NULL, &got) == 0 &&
		      got.rlim_cur == MIB && got.rlim_max == 4 * MIB,
	      "setrlimit then prlimit: the same");
	errno = 0;
	check(prlimit(12345, RLIMIT_CORE, NULL, &got) == -1 && errno == ESRCH,
	      "prlimit of another pid: ESRCH");
}

/* vm_size: VmSize from /proc/self/status, in bytes (0: not found). */
static unsigned long
vm_size(void)
{
	char buf[4096], *v;
	int fd = open("/proc/self/status", O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	v = strstr(buf, "VmSize:");
	return v != NULL ? strtoul(v + 7, NULL, 10) * 1024 : 0;
}

/* as_fixed: MAP_FIXED into free space counts against RLIMIT_AS too. */
static void
as_fixed(void)
{
	struct rlimit old, rl;
	size_t len = 4 << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	check(p != MAP_FAILED && munmap(p, len) == 0, "a free place");
	getrlimit(RLIMIT_AS, &old);
	rl.rlim_cur = vm_size() + (1 << 20);
	rl.rlim_max = old.rlim_max;
	check(rl.rlim_cur > (1 << 20) && setrlimit(RLIMIT_AS, &rl) == 0,
	      "RLIMIT_AS 1 MiB above what is mapped");
	errno = 0;
	check(mmap(p, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		   0) == MAP_FAILED &&
		      errno == ENOMEM,
	      "MAP_FIXED of 4 MiB into free space: ENOMEM");
	setrlimit(RLIMIT_AS, &old);
}

int
main(void)
{
	fsize();
	as_fixed();
	as();
	data();
	others();
	printf("%d failures\n", failures);
	return failures != 0;
}
