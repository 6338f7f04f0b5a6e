/*
 * The rump kernel hypercalls for parameters, errno, signals, exit and the
 * console on Xen.
 *
 * Parameters: _RUMPUSER_NCPU is "1" (one vCPU, cooperative threads);
 * _RUMPUSER_HOSTNAME is the configuration's "hostname", else "rumpxen";
 * other names come from the configuration (platform_config_get: the
 * command line's key=value words, then the domain's xenstore directory),
 * and RUMP_MEMLIMIT defaults to half of the domain's memory, as
 * rumprun chose, so that the kernel leaves room for everything else.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>
#include <rumpxen/rumpuser.h>

#include "../../shared/rumpuser_shared.h"
#include "../core/core.h"

int
rumpuser_getparam(const char *name, void *buf, size_t buflen)
{
	const char *value;

	if (strcmp(name, RUMPUSER_PARAM_NCPU) == 0)
		return rumpuser_param_put(buf, buflen, "1");
	if (strcmp(name, RUMPUSER_PARAM_HOSTNAME) == 0) {
		value = platform_config_get("hostname");
		return rumpuser_param_put(buf, buflen,
					  value != NULL ? value : "rumpxen");
	}
	if (name[0] == '_')
		return 22; /* EINVAL: not a host parameter we know */
	value = platform_config_get(name);
	if (value != NULL)
		return rumpuser_param_put(buf, buflen, value);
	if (strcmp(name, "RUMP_MEMLIMIT") == 0) {
		char limit[32];
		fmt_snprintf(limit, sizeof(limit), "%lu",
			     mm_nr_pages * PAGE_SIZE / 2);
		return rumpuser_param_put(buf, buflen, limit);
	}
	return 2; /* ENOENT: the kernel applies its default */
}

void
rumpuser_seterrno(int error)
{
	*sched_current_errno() = error;
}

int
rumpuser_kill(int64_t pid, int sig)
{
	/* NetBSD numbers: SIGQUIT 3, SIGILL 4, SIGABRT 6, SIGKILL 9. */
	switch (sig) {
	case 3:
	case 4:
	case 6:
	case 9:
		platform_panic("rumpuser: the kernel raised fatal signal %d "
			       "for process %ld",
			       sig, (long)pid);
	default:
		/*
		 * There is no host process to signal: the signal has
		 * reached the kernel's own model of the process, which is
		 * all a guest offers. Say so once per kind.
		 */
		if (sig > 0 && sig < 64) {
			static uint64_t seen;
			if (!(seen & (1ull << sig)))
				platform_console_printf("rumpuser: signal %d "
							"for process %ld\n",
							sig, (long)pid);
			seen |= 1ull << sig;
		}
		return 0;
	}
}

void
rumpuser_exit(int value)
{
	if (value == RUMPUSER_PANIC)
		platform_panic("rumpuser: the rump kernel panicked");
	platform_exit(value);
}

void
rumpuser_putchar(int ch)
{
	char c = (char)ch;

	platform_console_write(&c, 1);
}

void
rumpuser_dprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}
