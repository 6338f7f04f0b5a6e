/*
 * The xenbus handshake's common steps for a domU's split drivers
 * (blkfront, later netfront): reading numbers and states from xenstore,
 * setting the frontend's state, and waiting for the backend's.
 *
 * Waiting polls the backend's state every 10 ms instead of taking watch
 * events: the xenstore client has one queue of watch events, which the
 * application may be using, and a handshake is rare and short.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "xen.h"

#define XENBUS_POLL_NS 10000000ull

int
xenbus_read_ulong(const char *dir, const char *key, unsigned long *out)
{
	char path[192], value[32];
	long v;
	int err;

	fmt_snprintf(path, sizeof(path), "%s/%s", dir, key);
	err = xs_read(0, path, value, sizeof(value));
	if (err != 0)
		return err;
	if (num_parse_long(value, &v) != 0 || v < 0)
		return EINVAL;
	*out = (unsigned long)v;
	return 0;
}

int
xenbus_state(const char *dir)
{
	unsigned long state;

	if (xenbus_read_ulong(dir, "state", &state) != 0 || state > 8)
		return XenbusStateUnknown;
	return (int)state;
}

int
xenbus_set_state(const char *dir, int state)
{
	char path[192], value[4];

	fmt_snprintf(path, sizeof(path), "%s/state", dir);
	fmt_snprintf(value, sizeof(value), "%d", state);
	return xs_write(0, path, value);
}

int
xenbus_wait_state(const char *dir, unsigned mask, uint64_t deadline, int *state)
{
	for (;;) {
		*state = xenbus_state(dir);
		if (mask & (1u << *state))
			return 0;
		if (time_monotonic_ns() >= deadline)
			return ETIMEDOUT;
		sched_sleep_until(time_monotonic_ns() + XENBUS_POLL_NS);
	}
}
