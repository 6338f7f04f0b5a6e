/*
 * Event channels, polled: binding, masking, notification, and the scan of
 * pending events that the scheduler runs every time it picks a thread.
 *
 * Events are never delivered asynchronously: the upcall mask stays set for
 * the whole run, so that no handler ever interrupts a thread (interrupt
 * races and red-zone corruption cannot happen). Xen marks a port pending in
 * shared_info.evtchn_pending and, unless the port is masked, the word's bit
 * in vcpu_info.evtchn_pending_sel (the first level) and upcall_pending.
 * events_poll takes the selector with an atomic exchange, clears each
 * pending unmasked port before calling its handler (so an event that
 * arrives during the handler is seen by the next scan), and runs handlers
 * in scheduler context, where they may only wake threads. Unmasking a
 * port that became pending while masked sets the selector bit itself,
 * since Xen did not.
 */
#include <errno.h>

#include <rumpxen/platform.h>

#include "core.h"

#include <xen/event_channel.h>

#define EVENTS_MAX_PORTS 1024

struct events_port {
	evtchn_handler_fn *handler;
	void *arg;
};

static struct events_port events_ports[EVENTS_MAX_PORTS];
static unsigned long events_bits_per_word = sizeof(xen_ulong_t) * 8;

static void
events_bit_set(volatile xen_ulong_t *words, unsigned bit)
{
	__atomic_fetch_or(&words[bit / events_bits_per_word],
			  1ul << (bit % events_bits_per_word),
			  __ATOMIC_SEQ_CST);
}

static void
events_bit_clear(volatile xen_ulong_t *words, unsigned bit)
{
	__atomic_fetch_and(&words[bit / events_bits_per_word],
			   ~(1ul << (bit % events_bits_per_word)),
			   __ATOMIC_SEQ_CST);
}

static int
events_bit_test(volatile xen_ulong_t *words, unsigned bit)
{
	return (words[bit / events_bits_per_word] >>
		(bit % events_bits_per_word)) &
	       1;
}

int
evtchn_listen(evtchn_port_t port, evtchn_handler_fn *handler, void *arg)
{
	if (port >= EVENTS_MAX_PORTS)
		return ENOSPC;
	events_ports[port].handler = handler;
	events_ports[port].arg = arg;
	evtchn_unmask(port);
	return 0;
}

/* events_attach: listens to a port just bound; closes it if it cannot. */
static int
events_attach(evtchn_port_t port, evtchn_handler_fn *handler, void *arg)
{
	int err = evtchn_listen(port, handler, arg);

	if (err != 0) {
		struct evtchn_close c = {.port = port};
		hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_close,
			   (unsigned long)&c);
	}
	return err;
}

int
evtchn_bind_virq(unsigned virq, evtchn_handler_fn *handler, void *arg,
		 evtchn_port_t *port)
{
	struct evtchn_bind_virq op = {.virq = virq, .vcpu = 0};

	if (hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq,
		       (unsigned long)&op) != 0)
		return EINVAL;
	*port = op.port;
	return events_attach(op.port, handler, arg);
}

int
evtchn_alloc_unbound(domid_t remote, evtchn_handler_fn *handler, void *arg,
		     evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {.dom = DOMID_SELF,
					  .remote_dom = remote};

	if (hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
		       (unsigned long)&op) != 0)
		return EINVAL;
	*port = op.port;
	return events_attach(op.port, handler, arg);
}

int
evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
			evtchn_handler_fn *handler, void *arg,
			evtchn_port_t *port)
{
	struct evtchn_bind_interdomain op = {.remote_dom = remote,
					     .remote_port = remote_port};

	if (hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain,
		       (unsigned long)&op) != 0)
		return EINVAL;
	*port = op.local_port;
	return events_attach(op.local_port, handler, arg);
}

void
evtchn_close(evtchn_port_t port)
{
	struct evtchn_close op = {.port = port};

	evtchn_mask(port);
	if (port < EVENTS_MAX_PORTS)
		events_ports[port].handler = NULL;
	hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_close,
		   (unsigned long)&op);
	events_bit_clear(shared_info->evtchn_pending, port);
}

void
evtchn_mask(evtchn_port_t port)
{
	events_bit_set(shared_info->evtchn_mask, port);
}

void
evtchn_unmask(evtchn_port_t port)
{
	struct vcpu_info *v = &shared_info->vcpu_info[0];

	events_bit_clear(shared_info->evtchn_mask, port);
	/* Pending while masked: Xen set no selector bit, so we do. */
	if (events_bit_test(shared_info->evtchn_pending, port)) {
		events_bit_set(&v->evtchn_pending_sel,
			       port / events_bits_per_word);
		v->evtchn_upcall_pending = 1;
	}
}

int
evtchn_notify(evtchn_port_t port)
{
	struct evtchn_send op = {.port = port};

	return hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
			  (unsigned long)&op) == 0
		       ? 0
		       : EINVAL;
}

int
events_pending(void)
{
	return shared_info->vcpu_info[0].evtchn_upcall_pending != 0;
}

unsigned
events_poll(void)
{
	struct vcpu_info *v = &shared_info->vcpu_info[0];
	unsigned handled = 0;

	while (v->evtchn_upcall_pending) {
		v->evtchn_upcall_pending = 0;
		xen_ulong_t sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0,
						      __ATOMIC_SEQ_CST);
		while (sel != 0) {
			unsigned w = (unsigned)__builtin_ctzl(sel);
			sel &= sel - 1;
			xen_ulong_t bits = shared_info->evtchn_pending[w] &
					   ~shared_info->evtchn_mask[w];
			while (bits != 0) {
				unsigned b = (unsigned)__builtin_ctzl(bits);
				unsigned port = w * events_bits_per_word + b;
				bits &= bits - 1;
				events_bit_clear(shared_info->evtchn_pending,
						 port);
				if (port < EVENTS_MAX_PORTS &&
				    events_ports[port].handler != NULL)
					events_ports[port].handler(
						port, events_ports[port].arg);
				handled++;
			}
		}
	}
	return handled;
}

unsigned
events_bound_ports(evtchn_port_t *ports, unsigned max)
{
	unsigned n = 0;

	for (unsigned p = 0; p < EVENTS_MAX_PORTS && n < max; p++)
		if (events_ports[p].handler != NULL)
			ports[n++] = p;
	return n;
}
