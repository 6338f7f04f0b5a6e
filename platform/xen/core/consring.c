/*
 * The console ring of a domU: one shared page (struct xencons_interface)
 * with an output ring that xenconsoled drains and an input ring it fills,
 * and an event channel each side notifies after moving an index.
 *
 * Output is flow-controlled, never dropped: when the ring is full the
 * writer notifies the backend and waits in Xen (SCHEDOP_poll on the
 * console's port, with a short timeout as a safety net) until the backend
 * has consumed some; this blocks the whole vCPU, which is what a console
 * write may do, and works before the scheduler runs and in crash reports.
 * A backend that takes nothing for 30 s has stopped: the ring is given up
 * (as below), so that the program goes on and ends rather than hang.
 * Indices are free-running 32-bit counters; the backend is not trusted:
 * an output consumer index that claims more than was produced, or input
 * that claims more than the ring holds, is treated as a broken ring and
 * output falls back to console_io (which Xen may drop) with a message.
 */
#include <errno.h>

#include <rumpxen/platform.h>

#include "core.h"

#include <xen/io/console.h>
#include <xen/sched.h>

#define CONSRING_STALL_NS 30000000000ull /* no room this long: given up */

static struct xencons_interface *consring;
static evtchn_port_t consring_port;
static int consring_broken;

/* consring_fail: the backend broke the ring's rules; stop using it. */
static void
consring_fail(const char *what, unsigned long value)
{
	consring_broken = 1;
	platform_console_printf("console: ring disabled, backend sent a bad "
				"%s (%lu)\n",
				what, value);
}

static void
consring_input(evtchn_port_t port, void *arg)
{
	XENCONS_RING_IDX cons, prod;
	char buf[sizeof(consring->in)];
	size_t n = 0;

	(void)port;
	(void)arg;
	if (consring_broken)
		return;
	cons = consring->in_cons;
	prod = __atomic_load_n(&consring->in_prod, __ATOMIC_ACQUIRE);
	if (prod - cons > sizeof(consring->in)) {
		consring_fail("input producer index", prod);
		return;
	}
	while (cons != prod)
		buf[n++] = consring->in[MASK_XENCONS_IDX(cons++, consring->in)];
	__atomic_store_n(&consring->in_cons, cons, __ATOMIC_RELEASE);
	evtchn_notify(consring_port);
	console_input_put(buf, n);
}

/* consring_wait: waits until the backend signals (or 10 ms pass). */
static void
consring_wait(void)
{
	struct sched_poll poll;
	evtchn_port_t port = consring_port;

	set_xen_guest_handle(poll.ports, &port);
	poll.nr_ports = 1;
	poll.timeout = time_monotonic_ns() + 10000000;
	hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, (unsigned long)&poll);
	/* The event may also carry input: take it now, it is ours. */
	consring_input(port, NULL);
}

/* consring_put: one byte into the output ring, waiting for room. */
static int
consring_put(char c)
{
	uint64_t stall_end = 0;

	for (;;) {
		XENCONS_RING_IDX prod = consring->out_prod;
		XENCONS_RING_IDX cons =
			__atomic_load_n(&consring->out_cons, __ATOMIC_ACQUIRE);
		if (prod - cons > sizeof(consring->out)) {
			consring_fail("output consumer index", cons);
			return EIO;
		}
		if (prod - cons < sizeof(consring->out)) {
			consring->out[MASK_XENCONS_IDX(prod, consring->out)] =
				c;
			__atomic_store_n(&consring->out_prod, prod + 1,
					 __ATOMIC_RELEASE);
			return 0;
		}
		if (stall_end == 0) {
			stall_end = time_monotonic_ns() + CONSRING_STALL_NS;
		} else if (time_monotonic_ns() >= stall_end) {
			consring_broken = 1;
			platform_console_printf("console: ring disabled, the "
						"backend took nothing for 30 "
						"s\n");
			return EIO;
		}
		evtchn_notify(consring_port);
		consring_wait();
	}
}

void
consring_write(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len && !consring_broken; i++) {
		/* A terminal on the other side wants "\r\n". */
		if (buf[i] == '\n' && consring_put('\r') != 0)
			break;
		if (consring_put(buf[i]) != 0)
			break;
	}
	evtchn_notify(consring_port);
	if (i < len) {
		/* Broken ring: what is left goes where Xen may print it. */
		hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, len - i,
			   (unsigned long)(buf + i));
	}
}

void
consring_flush(void)
{
	/* A second at most: a backend that stopped reading loses the rest. */
	uint64_t end = time_monotonic_ns() + 1000000000ull;

	while (!consring_broken &&
	       __atomic_load_n(&consring->out_cons, __ATOMIC_ACQUIRE) !=
		       consring->out_prod &&
	       time_monotonic_ns() < end) {
		evtchn_notify(consring_port);
		consring_wait();
	}
}

int
consring_init(const start_info_t *si)
{
	unsigned long pfn = mm_mfn_to_pfn(si->console.domU.mfn);

	if (pfn >= mm_nr_pages)
		return EINVAL;
	/* The ring page is one of ours, in the 1:1 map. */
	consring = (struct xencons_interface *)(pfn << PAGE_SHIFT);
	consring_port = si->console.domU.evtchn;
	/* The port is already bound by the toolstack: only listen to it. */
	return evtchn_listen(consring_port, consring_input, NULL);
}
