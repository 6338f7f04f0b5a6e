/*
 * The platform extensions of include/rumpxen/platform.h on a Linux process:
 * configuration from the environment, pages from mmap, threads from
 * pthreads (on the caller's stack when given one; a TLS pointer cannot be
 * given, since glibc owns the FS base) and their CPU time (the host's
 * clocks), the console on stdout and stdin,
 * faults as the host's signals offered to the hook, SIGTERM as the
 * request to go (a thread of ours hears it through a pipe the handler
 * writes, and calls the shutdown hook), and exit and panic as the
 * process's own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ucontext.h>
#include <time.h>
#include <unistd.h>

#include <rumpxen/platform.h>

#include "posix.h"

const char *
platform_config_get(const char *key)
{
	return getenv(key);
}

const char *
platform_config_word(int i)
{
	extern char **environ;

	for (int k = 0; k <= i; k++)
		if (environ[k] == NULL)
			return NULL;
	return environ[i];
}

int
platform_pages_alloc(size_t n, size_t align, void **out)
{
	void *p;
	uintptr_t base, start;
	size_t len = n * PLATFORM_PAGE_SIZE, slack;

	if (n == 0 || align == 0)
		return EINVAL;
	slack = (align - 1) * PLATFORM_PAGE_SIZE;
	p = mmap(NULL, len + slack, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return ENOMEM;
	base = (uintptr_t)p;
	start = (base + align * PLATFORM_PAGE_SIZE - 1) /
		(align * PLATFORM_PAGE_SIZE) * (align * PLATFORM_PAGE_SIZE);
	if (start > base)
		munmap(p, start - base);
	if (base + len + slack > start + len)
		munmap((void *)(start + len), base + len + slack - start - len);
	*out = (void *)start;
	return 0;
}

void
platform_pages_free(void *p, size_t n)
{
	munmap(p, n * PLATFORM_PAGE_SIZE);
}

int
platform_pages_claim(void *at, size_t n)
{
	size_t len = n * PLATFORM_PAGE_SIZE;
	void *p;

	if (n == 0 || (uintptr_t)at % PLATFORM_PAGE_SIZE != 0)
		return EINVAL;
	p = mmap(at, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return EBUSY;
	if (p != at) { /* a kernel before 4.17 took it for a hint */
		munmap(p, len);
		return EBUSY;
	}
	return 0;
}

void
platform_pages_count(size_t *total, size_t *free)
{
	long t = sysconf(_SC_PHYS_PAGES), f = sysconf(_SC_AVPHYS_PAGES);
	long scale = sysconf(_SC_PAGESIZE) / PLATFORM_PAGE_SIZE;

	*total = t > 0 ? (size_t)(t * scale) : 0;
	*free = f > 0 ? (size_t)(f * scale) : 0;
}

struct platform_thread {
	pthread_t tid;
	int joinable;
	void (*fn)(void *);
	void *arg;
};

static void *
posix_platform_thread_start(void *p)
{
	struct platform_thread *t = p;
	void (*fn)(void *) = t->fn;
	void *arg = t->arg;

	if (!t->joinable)
		free(t);
	fn(arg);
	return NULL;
}

int
platform_thread_create(const struct platform_thread_attr *attr,
		       void (*fn)(void *), void *arg,
		       struct platform_thread **out)
{
	struct platform_thread *t;
	pthread_attr_t pa;
	int err;

	if (attr->tls != 0)
		return ENOTSUP;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return ENOMEM;
	t->joinable = attr->joinable;
	t->fn = fn;
	t->arg = arg;
	pthread_attr_init(&pa);
	if (attr->stack != NULL)
		pthread_attr_setstack(&pa, attr->stack, attr->stack_size);
	else if (attr->stack_size != 0)
		pthread_attr_setstacksize(&pa, attr->stack_size);
	if (!attr->joinable)
		pthread_attr_setdetachstate(&pa, PTHREAD_CREATE_DETACHED);
	/* A detached thread frees t itself: nothing of t is read after. */
	struct platform_thread *keep = attr->joinable ? t : NULL;
	err = pthread_create(&t->tid, &pa, posix_platform_thread_start, t);
	pthread_attr_destroy(&pa);
	if (err != 0) {
		free(t);
		return err;
	}
	*out = keep;
	return 0;
}

int
platform_pages_protect(void *p, size_t n, int prot)
{
	return mprotect(p, n * PLATFORM_PAGE_SIZE, prot) == 0 ? 0 : errno;
}

/*
 * Windows: the pages of this platform are the process's anonymous memory,
 * which cannot be shown at a second address: ENOTSUP.
 */
int
platform_window_alloc(size_t n, void **out)
{
	(void)n;
	(void)out;
	return ENOTSUP;
}

int
platform_window_map(void *va, void *page, int prot)
{
	(void)va;
	(void)page;
	(void)prot;
	return ENOTSUP;
}

void
platform_window_unmap(void *va, size_t n)
{
	(void)va;
	(void)n;
}

void
platform_window_free(void *va, size_t n)
{
	(void)va;
	(void)n;
}

int
platform_thread_set_tls(unsigned long tls)
{
	(void)tls;
	return ENOTSUP; /* glibc owns the FS base */
}

void
platform_thread_exit(void)
{
	pthread_exit(NULL);
}

int
platform_thread_join(struct platform_thread *t)
{
	if (t == NULL || !t->joinable || pthread_equal(t->tid, pthread_self()))
		return EINVAL;
	pthread_join(t->tid, NULL);
	free(t);
	return 0;
}

uint64_t
platform_cputime(int self)
{
	struct timespec ts;

	clock_gettime(self ? CLOCK_THREAD_CPUTIME_ID : CLOCK_PROCESS_CPUTIME_ID,
		      &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void
platform_console_write(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, buf, len);
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

void
posix_console_vprintf(const char *fmt, va_list ap)
{
	vfprintf(stdout, fmt, ap);
	fflush(stdout);
}

void
platform_console_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	posix_console_vprintf(fmt, ap);
	va_end(ap);
}

int
platform_console_read(char *buf, size_t len, uint64_t deadline, size_t *got)
{
	struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
	struct timespec now;
	int timeout = -1;
	ssize_t n;

	if (deadline != 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		uint64_t t = (uint64_t)now.tv_sec * 1000000000ull +
			     (uint64_t)now.tv_nsec;
		timeout = deadline > t
				  ? (int)((deadline - t + 999999) / 1000000)
				  : 0;
	}
	if (poll(&pfd, 1, timeout) == 0)
		return ETIMEDOUT;
	n = read(STDIN_FILENO, buf, len);
	if (n < 0)
		return errno;
	*got = (size_t)n;
	return 0;
}

static platform_fault_fn *posix_fault_hook;
static struct sigaction posix_fault_old[32];
static const int posix_fault_sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL,
				       SIGTRAP};

/* posix_fault: the host's signal for a fault, offered to the hook. */
static void
posix_fault(int sig, siginfo_t *si, void *ctx)
{
	const ucontext_t *uc = ctx;
	struct platform_fault f = {
		sig, si->si_code, (unsigned long)si->si_addr,
		(unsigned long)uc->uc_mcontext.gregs[REG_RIP]};

	if (posix_fault_hook(&f))
		return;
	/* Declined: the fault comes again, to what handled it before. */
	sigaction(sig, &posix_fault_old[sig], NULL);
}

void
platform_fault_hook_set(platform_fault_fn *fn)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = posix_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	posix_fault_hook = fn;
	for (size_t i = 0; i < sizeof(posix_fault_sigs) / sizeof(int); i++)
		sigaction(posix_fault_sigs[i], &sa,
			  &posix_fault_old[posix_fault_sigs[i]]);
}

static platform_shutdown_fn *posix_shutdown_hook;
static int posix_shutdown_pipe[2];
static volatile sig_atomic_t posix_shutdown_asked;

/* posix_shutdown_signal: the first SIGTERM goes to the thread; the second ends
 * us. */
static void
posix_shutdown_signal(int sig)
{
	char c = (char)sig;
	int saved = errno;

	if (posix_shutdown_asked++ || write(posix_shutdown_pipe[1], &c, 1) != 1)
		_exit(0);
	errno = saved;
}

/* posix_shutdown_wait: hands the first SIGTERM to the hook. */
static void *
posix_shutdown_wait(void *arg)
{
	char c;

	(void)arg;
	while (read(posix_shutdown_pipe[0], &c, 1) != 1)
		if (errno != EINTR)
			return NULL;
	posix_shutdown_hook("SIGTERM");
	return NULL;
}

void
platform_shutdown_hook_set(platform_shutdown_fn *fn)
{
	struct sigaction sa;
	pthread_t t;

	if (posix_shutdown_hook != NULL) {
		posix_shutdown_hook = fn;
		return;
	}
	if (pipe(posix_shutdown_pipe) != 0 ||
	    pthread_create(&t, NULL, posix_shutdown_wait, NULL) != 0) {
		fprintf(stderr,
			"rumpxen: no SIGTERM thread (%s): SIGTERM "
			"ends the process\n",
			strerror(errno));
		return;
	}
	pthread_detach(t);
	posix_shutdown_hook = fn;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = posix_shutdown_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
}

void
platform_exit(int status)
{
	exit(status & 0xff);
}

void
platform_panic(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "rumpxen: panic: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}
