/*
 * Event channels: a loopback pair (an unbound port of our own domain and
 * an interdomain binding to it) carries notifications from one end to a
 * handler on the other, which wakes a waiting thread; a masked port's
 * events wait until it is unmasked; a closed port refuses notifications;
 * binding VIRQ_TIMER twice fails cleanly. Exits 0 when all holds.
 */
#include <errno.h>

#include <rumpxen/platform.h>

#include "../../platform/xen/core/core.h"
#include "../check.h"

static int handled;
static struct waitq waiters;

static void
on_event(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	handled++;
	waitq_wake_all(&waiters);
}

static void
nop_event(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
}

int
rumpxen_main(int argc, char **argv)
{
	evtchn_port_t a, b, extra;
	uint64_t deadline;

	(void)argc;
	(void)argv;
	check(evtchn_alloc_unbound(DOMID_SELF, nop_event, NULL, &a) == 0,
	      "an unbound port");
	check(evtchn_bind_interdomain(DOMID_SELF, a, on_event, NULL, &b) == 0,
	      "bound to it from the same domain");

	check(evtchn_notify(a) == 0, "notify");
	deadline = time_monotonic_ns() + 1000000000;
	while (handled == 0 && waitq_wait(&waiters, deadline) == 0)
		;
	check(handled == 1, "the handler ran and woke the waiting thread");

	evtchn_mask(b);
	evtchn_notify(a);
	sched_sleep_until(time_monotonic_ns() + 10000000);
	check(handled == 1, "a masked port's event waits");
	evtchn_unmask(b);
	sched_yield();
	check(handled == 2, "and is handled once the port is unmasked");

	for (int i = 0; i < 1000; i++) {
		evtchn_notify(a);
		if (i % 10 == 0)
			sched_yield();
	}
	sched_yield();
	check(handled > 2 && handled <= 1002,
	      "a burst of notifications is handled, at most once each");

	evtchn_close(b);
	check(evtchn_notify(b) == EINVAL, "a closed port refuses notify");
	evtchn_close(a);
	check(evtchn_bind_virq(VIRQ_TIMER, nop_event, NULL, &extra) != 0,
	      "VIRQ_TIMER cannot be bound twice");
	return check_failures != 0;
}
