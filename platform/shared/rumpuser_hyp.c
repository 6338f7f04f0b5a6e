/*
 * What every rumpuser implementation does alike around the kernel's
 * upcalls: rumpuser_init checks the revision and keeps the table, and the
 * blocking hypercalls give the kernel's CPU back and take it again through
 * rumpuser_unschedule and rumpuser_schedule (a hypercall that kept the CPU
 * while it blocks would stall every other kernel thread, the kernel's
 * clock among them). Also the copying out of a parameter's value.
 */
#include <string.h>

#include <rumpxen/platform.h>

#include "rumpuser_shared.h"

struct rumpuser_hyperup rumpuser_hyp;

int
rumpuser_init(int version, const struct rumpuser_hyperup *hyp)
{
	if (version != RUMPUSER_VERSION) {
		platform_console_printf("rumpuser: the kernel wants revision "
					"%d, this is revision %d\n",
					version, RUMPUSER_VERSION);
		return 22; /* EINVAL */
	}
	rumpuser_hyp = *hyp;
	return 0;
}

int
rumpuser_unschedule(void *interlock)
{
	int nlocks = 0;

	rumpuser_hyp.hyp_backend_unschedule(0, &nlocks, interlock);
	return nlocks;
}

void
rumpuser_schedule(int nlocks, void *interlock)
{
	rumpuser_hyp.hyp_backend_schedule(nlocks, interlock);
}

int
rumpuser_param_put(void *buf, size_t buflen, const char *value)
{
	size_t len = strlen(value);

	if (len + 1 > buflen)
		return 22; /* EINVAL: it does not fit */
	memcpy(buf, value, len + 1);
	return 0;
}
