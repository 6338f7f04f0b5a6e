/*
 * The rump kernel hypercalls for parameters, errno, signals, exit, the
 * console and random bytes on a Linux process.
 *
 * Parameters: _RUMPUSER_NCPU from $RUMP_NCPU (default 2: real threads
 * contend for the kernel's CPUs); _RUMPUSER_HOSTNAME is
 * "rumpxen-posix-<pid>"; any other name is the environment variable of
 * that name. Console output goes to stdout, unbuffered per call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "posix.h"

int
rumpuser_getparam(const char *name, void *buf, size_t buflen)
{
	const char *value;
	char host[64];

	if (strcmp(name, RUMPUSER_PARAM_NCPU) == 0) {
		value = getenv("RUMP_NCPU");
		return rumpuser_param_put(buf, buflen, value ? value : "2");
	}
	if (strcmp(name, RUMPUSER_PARAM_HOSTNAME) == 0) {
		snprintf(host, sizeof(host), "rumpxen-posix-%d", (int)getpid());
		return rumpuser_param_put(buf, buflen, host);
	}
	if (name[0] == '_')
		return 22; /* EINVAL */
	value = getenv(name);
	if (value == NULL)
		return 2; /* ENOENT */
	return rumpuser_param_put(buf, buflen, value);
}

void
rumpuser_seterrno(int error)
{
	errno = error;
}

int
rumpuser_kill(int64_t pid, int sig)
{
	/* NetBSD numbers: SIGQUIT 3, SIGILL 4, SIGABRT 6, SIGKILL 9. */
	if (sig == 3 || sig == 4 || sig == 6 || sig == 9) {
		fprintf(stderr,
			"rumpuser: the kernel raised fatal signal %d for "
			"process %lld\n",
			sig, (long long)pid);
		abort();
	}
	/*
	 * As on Xen: the signal reached the kernel's model of the process;
	 * the host process is not the kernel's to kill with a SIGPIPE.
	 */
	fprintf(stderr, "rumpuser: signal %d for process %lld\n", sig,
		(long long)pid);
	return 0;
}

void
rumpuser_exit(int value)
{
	if (value == RUMPUSER_PANIC) {
		fprintf(stderr, "rumpuser: the rump kernel panicked\n");
		abort();
	}
	exit(value);
}

void
rumpuser_putchar(int ch)
{
	char c = (char)ch;

	if (write(STDOUT_FILENO, &c, 1) < 0)
		return; /* nowhere to report it */
}

void
rumpuser_dprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	posix_console_vprintf(fmt, ap);
	va_end(ap);
}

int
rumpuser_getrandom(void *buf, size_t buflen, int flags, size_t *retp)
{
	ssize_t n;

	(void)flags; /* the kernel's pool never runs dry after boot */
	do
		n = getrandom(buf, buflen, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return rumpuser_errtrans(errno);
	*retp = (size_t)n;
	return 0;
}
