/*
 * The if_virt hypercalls on Xen: interface virtN is the domain's vifN
 * (dev/netfront.c), its MAC the one the toolstack gave the vif.
 *
 * A receive thread per interface takes a permanent lwp once (hyp_schedule,
 * hyp_lwproc_newlwp(0), hyp_unschedule) and delivers each frame between
 * hyp_backend_schedule and hyp_backend_unschedule (as the kernel's if_virt
 * expects), one at a time, straight from netfront's receive buffers, which go
 * back on the ring once the kernel has copied the frame; the event handler only
 * wakes it. A kernel that asks for offloads (rumpxen_virt_create) gets
 * netfront's: super-frames both ways. Sending copies the frame into transmit
 * slots with no CPU held; when too few are free it waits up to a second, then
 * drops the frame, as the contract allows. The receive thread also looks at the
 * link once a second, when the ring is empty, and ends when it is down (the
 * kernel's interface
 * then receives nothing more). Dying sets a flag and wakes the thread;
 * destroy joins it (the vif itself stays connected until the domain ends).
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>
#include <rumpxen/rumpuser.h>
#include <rumpxen/virt.h>

#include "../../shared/rumpuser_shared.h"
#include "../core/core.h"
#include "../dev/dev.h"

#define VIRT_SEND_WAIT_NS 1000000000ull

struct virtif_user {
	struct virtif_sc *sc;
	struct netfront *nf;
	struct waitq wake; /* netfront's notify: frames, free slots */
	int dying;
	struct thread *receiver;
};

static void
virt_receiver(void *arg)
{
	struct virtif_user *viu = arg;
	int dummy;

	rumpuser_hyp.hyp_schedule();
	rumpuser_hyp.hyp_lwproc_newlwp(0);
	rumpuser_hyp.hyp_unschedule();
	while (!viu->dying) {
		struct iovec iov[NETFRONT_FRAGS];
		size_t n;

		int err = netfront_recv(viu->nf, iov, &n);
		if (err == EAGAIN) {
			/*
			 * The link once the ring is empty: its check may block
			 * on xenstore, which with frames coming would let the
			 * ring fill and the backend drop. Then the ring again
			 * before we wait: a frame whose notification came
			 * meanwhile would wait for the timeout (the backend
			 * notifies once for a burst).
			 */
			if (!netfront_link_up(viu->nf))
				break; /* netfront said so */
			err = netfront_recv(viu->nf, iov, &n);
		}
		if (err == EAGAIN) {
			waitq_wait(&viu->wake,
				   time_monotonic_ns() + 1000000000);
			continue;
		}
		if (err != 0)
			break; /* disconnected: netfront said why */
		rumpuser_hyp.hyp_backend_schedule(0, NULL);
		rump_virtif_virt_deliverpkt(viu->sc, iov, n);
		rumpuser_hyp.hyp_backend_unschedule(0, &dummy, NULL);
		netfront_recv_done(viu->nf);
	}
	sched_thread_exit();
}

int
rumpxen_virt_create(const char *linkstr, struct virtif_sc *sc, uint8_t *enaddr,
		    unsigned want, unsigned *got, struct virtif_user **viup)
{
	struct thread_attr attr = {.name = "virtrx", .joinable = 1};
	struct virtif_user *viu;
	long unit;
	int nlocks, err, tso = 0;
	void *p;

	if (num_parse_long(linkstr, &unit) != 0 || unit < 0)
		return 22; /* EINVAL */
	nlocks = rumpuser_unschedule(NULL);
	err = heap_alloc(sizeof(*viu), 16, &p);
	if (err == 0) {
		viu = p;
		memset(viu, 0, sizeof(*viu));
		viu->sc = sc;
		err = netfront_get((unsigned)unit, &viu->wake,
				   (want & VIRT_OFFLOAD_TSO4) != 0, &viu->nf,
				   enaddr, &tso);
		if (err == 0)
			err = sched_thread_create(&attr, virt_receiver, viu,
						  &viu->receiver);
		if (err != 0)
			heap_free(viu);
	}
	rumpuser_schedule(nlocks, NULL);
	if (err != 0) {
		platform_console_printf("virt%s: no vif%ld (error %d)\n",
					linkstr, unit, err);
		return rumpuser_errtrans(err);
	}
	*got = tso ? VIRT_OFFLOAD_TSO4 : 0;
	*viup = viu;
	return 0;
}

int
rumpcomp_virt_create(const char *linkstr, struct virtif_sc *sc, uint8_t *enaddr,
		     struct virtif_user **viup)
{
	unsigned got;

	return rumpxen_virt_create(linkstr, sc, enaddr, 0, &got, viup);
}

int
rumpcomp_virt_dying(struct virtif_user *viu)
{
	viu->dying = 1;
	waitq_wake_all(&viu->wake);
	return 0;
}

void
rumpcomp_virt_destroy(struct virtif_user *viu)
{
	int nlocks = rumpuser_unschedule(NULL);

	sched_thread_join(viu->receiver);
	netfront_put(viu->nf);
	heap_free(viu);
	rumpuser_schedule(nlocks, NULL);
}

static void
virt_send(struct virtif_user *viu, struct iovec *iov, size_t iovlen,
	  unsigned mss)
{
	uint64_t end = time_monotonic_ns() + VIRT_SEND_WAIT_NS;
	int nlocks = rumpuser_unschedule(NULL);

	while (netfront_send(viu->nf, iov, iovlen, mss) == EAGAIN &&
	       time_monotonic_ns() < end)
		waitq_wait(&viu->wake, end);
	rumpuser_schedule(nlocks, NULL);
}

void
rumpcomp_virt_send(struct virtif_user *viu, struct iovec *iov, size_t iovlen)
{
	virt_send(viu, iov, iovlen, 0);
}

void
rumpxen_virt_send_tso(struct virtif_user *viu, struct iovec *iov, size_t iovlen,
		      unsigned mss)
{
	virt_send(viu, iov, iovlen, mss);
}
