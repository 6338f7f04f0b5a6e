/*
 * The xenbus handshake's common steps for a domU's split drivers
 * (blkfront, netfront): listing a class's devices, reading numbers and
 * states from xenstore, publishing the frontend's keys, setting its state,
 * waiting for the backend's, and the closing handshake.
 *
 * Waiting polls the backend's state every 10 ms instead of taking watch
 * events: the xenstore client has one queue of watch events, which the
 * application may be using, and a handshake is rare and short. A wait of
 * more than a few seconds says on the console which path it watches.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "xenbus.h"

#define XENBUS_POLL_NS 10000000ull
/* A wait this long says on the console what it waits for. */
#define XENBUS_SAY_NS 5000000000ull

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
	uint64_t say = time_monotonic_ns() + XENBUS_SAY_NS;

	for (;;) {
		*state = xenbus_state(dir);
		if (mask & (1u << *state))
			return 0;
		uint64_t now = time_monotonic_ns();
		if (now >= deadline)
			return ETIMEDOUT;
		if (say != 0 && now >= say) {
			say = 0;
			platform_console_printf(
				"xenbus: waiting for %s/state to be one of "
				"%#x (it is %d), %lu s more at most\n",
				dir, mask, *state,
				(unsigned long)((deadline - now) / 1000000000));
		}
		sched_sleep_until(now + XENBUS_POLL_NS);
	}
}

unsigned
xenbus_list(const char *class, struct xenbus_dev *out, unsigned max)
{
	char ids[512], dir[32];
	unsigned n = 0;
	size_t len;
	int err;

	fmt_snprintf(dir, sizeof(dir), "device/%s", class);
	err = xs_directory(0, dir, ids, sizeof(ids), &len);
	if (err != 0) {
		/* ENODEV: no xenstore (a dom0 of the test host): no devices. */
		if (err != ENOENT && err != ENODEV)
			platform_console_printf("xenbus: cannot list %s: error "
						"%d\n",
						dir, err);
		return 0;
	}
	for (size_t at = 0; at < len && n < max; at += strlen(ids + at) + 1) {
		struct xenbus_dev *d = &out[n];
		char path[96];
		long id;

		if (num_parse_long(ids + at, &id) != 0 || id < 0)
			continue;
		d->id = (unsigned long)id;
		fmt_snprintf(d->front, sizeof(d->front), "%s/%ld", dir, id);
		fmt_snprintf(path, sizeof(path), "%s/backend", d->front);
		if (xs_read(0, path, d->back, sizeof(d->back)) != 0 ||
		    xenbus_read_ulong(d->front, "backend-id", &d->backend_id) !=
			    0 ||
		    d->backend_id >= DOMID_FIRST_RESERVED)
			continue;
		n++;
	}
	return n;
}

int
xenbus_publish(const char *front, const struct xenbus_key *keys, unsigned n)
{
	char path[128], value[24];
	uint32_t tx;
	int err;

	do {
		err = xs_transaction_start(&tx);
		if (err != 0)
			return err;
		for (unsigned i = 0; err == 0 && i < n; i++) {
			fmt_snprintf(path, sizeof(path), "%s/%s", front,
				     keys[i].key);
			if (keys[i].str == NULL)
				fmt_snprintf(value, sizeof(value), "%lu",
					     keys[i].value);
			err = xs_write(tx, path,
				       keys[i].str != NULL ? keys[i].str
							   : value);
		}
		if (err != 0) {
			xs_transaction_end(tx, 1);
			return err;
		}
		err = xs_transaction_end(tx, 0);
	} while (err == EAGAIN);
	return err;
}

void
xenbus_close(const char *front, const char *back, uint64_t step_ns)
{
	int state = xenbus_state(back);

	if (state == XenbusStateUnknown || state == XenbusStateClosed) {
		/* The backend is gone, or closed first. */
		xenbus_set_state(front, XenbusStateClosed);
		return;
	}
	xenbus_set_state(front, XenbusStateClosing);
	xenbus_wait_state(back,
			  1u << XenbusStateClosing | 1u << XenbusStateClosed,
			  time_monotonic_ns() + step_ns, &state);
	xenbus_set_state(front, XenbusStateClosed);
	xenbus_wait_state(back,
			  1u << XenbusStateClosed | 1u << XenbusStateInitWait |
				  1u << XenbusStateUnknown,
			  time_monotonic_ns() + step_ns, &state);
}
