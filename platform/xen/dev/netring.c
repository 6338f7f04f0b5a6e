/*
 * The checked rings of a network frontend (netring.h). Each response is
 * copied out of the shared page before it is checked, so that a backend
 * changing it under our feet cannot make a checked value differ from a
 * used one; a received frame is taken only once all its slots are there.
 */
#include <errno.h>
#include <string.h>

#include "../../../lib/klib.h"
#include "netring.h"

void
netring_init(struct netring *r, void *tx_page, void *rx_page, int sg)
{
	netif_tx_sring_t *ts = tx_page;
	netif_rx_sring_t *rs = rx_page;

	memset(r, 0, sizeof(*r));
	SHARED_RING_INIT(ts);
	SHARED_RING_INIT(rs);
	FRONT_RING_INIT(&r->tx, ts, 4096);
	FRONT_RING_INIT(&r->rx, rs, 4096);
	r->sg = sg;
}

static int
netring_bad(struct netring *r, const char *what, long value)
{
	r->broken = 1;
	fmt_snprintf(r->why, sizeof(r->why), "%s %ld", what, value);
	return EPROTO;
}

void
netring_tx_put(struct netring *r, unsigned id, grant_ref_t gref,
	       uint16_t offset, uint16_t size, uint16_t flags)
{
	netif_tx_request_t *q = RING_GET_REQUEST(&r->tx, r->tx.req_prod_pvt);

	q->gref = gref;
	q->offset = offset;
	q->flags = flags;
	q->id = (uint16_t)id;
	q->size = size;
	r->tx.req_prod_pvt++;
	r->tx_busy[id] = 1;
	r->tx_out++;
}

void
netring_tx_put_gso(struct netring *r, uint16_t mss)
{
	netif_extra_info_t *e = (netif_extra_info_t *)RING_GET_REQUEST(
		&r->tx, r->tx.req_prod_pvt);

	memset(e, 0, sizeof(*e));
	e->type = XEN_NETIF_EXTRA_TYPE_GSO;
	e->u.gso.size = mss;
	e->u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
	r->tx.req_prod_pvt++;
	r->tx_extra++;
}

int
netring_tx_push(struct netring *r)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&r->tx, notify);
	return notify;
}

unsigned
netring_tx_room(const struct netring *r)
{
	return NETRING_SIZE - r->tx_out - r->tx_extra;
}

int
netring_tx_take(struct netring *r, netring_tx_fn *fn, void *arg)
{
	for (;;) {
		if (r->broken)
			return EPROTO;
		RING_IDX prod = __atomic_load_n(&r->tx.sring->rsp_prod,
						__ATOMIC_ACQUIRE);
		RING_IDX cons = r->tx.rsp_cons;

		if (prod - cons > r->tx_out + r->tx_extra)
			return netring_bad(r,
					   "transmit producer index jumps past "
					   "the requests outstanding:",
					   (long)(prod - cons));
		while (cons != prod) {
			netif_tx_response_t rsp;

			memcpy(&rsp, RING_GET_RESPONSE(&r->tx, cons),
			       sizeof(rsp));
			if (rsp.status == NETIF_RSP_NULL) {
				if (r->tx_extra == 0)
					return netring_bad(
						r,
						"NULL transmit response with "
						"no extra slot outstanding, id",
						rsp.id);
				r->tx_extra--;
				r->tx.rsp_cons = ++cons;
				continue;
			}
			if (rsp.id >= NETRING_SIZE || !r->tx_busy[rsp.id])
				return netring_bad(r,
						   "transmit response for no "
						   "request outstanding, id",
						   rsp.id);
			if (rsp.status != NETIF_RSP_OKAY &&
			    rsp.status != NETIF_RSP_ERROR &&
			    rsp.status != NETIF_RSP_DROPPED)
				return netring_bad(r, "transmit status",
						   rsp.status);
			r->tx_busy[rsp.id] = 0;
			r->tx_out--;
			r->tx.rsp_cons = ++cons;
			fn(arg, rsp.id, rsp.status);
		}
		int more;
		RING_FINAL_CHECK_FOR_RESPONSES(&r->tx, more);
		if (!more)
			return 0;
	}
}

void
netring_rx_post(struct netring *r, unsigned id, grant_ref_t gref)
{
	netif_rx_request_t *q = RING_GET_REQUEST(&r->rx, r->rx.req_prod_pvt);

	q->id = (uint16_t)id;
	q->gref = gref;
	r->rx_posted[r->rx.req_prod_pvt % NETRING_SIZE] = (uint16_t)id;
	r->rx.req_prod_pvt++;
	r->rx_out++;
}

int
netring_rx_push(struct netring *r)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&r->rx, notify);
	return notify;
}

/* netring_rx_slot: slot at of f: the buffer posted in ring slot i. */
static int
netring_rx_slot(struct netring *r, struct netring_frame *f, RING_IDX i,
		unsigned offset, int len)
{
	if (f->nslots == NETRING_FRAME_SLOTS)
		return netring_bad(r, "received frame takes more slots than",
				   NETRING_FRAME_SLOTS);
	if (len > 0 && offset + (unsigned)len > 4096)
		return netring_bad(r,
				   "received data past its page, offset + "
				   "length",
				   (long)offset + len);
	f->slot[f->nslots].id = r->rx_posted[i % NETRING_SIZE];
	f->slot[f->nslots].offset = (uint16_t)offset;
	f->slot[f->nslots].len = len;
	f->nslots++;
	return 0;
}

/* netring_rx_data: the data response in slot i, checked. */
static int
netring_rx_data(struct netring *r, RING_IDX i, netif_rx_response_t *rsp)
{
	memcpy(rsp, RING_GET_RESPONSE(&r->rx, i), sizeof(*rsp));
	if (rsp->id != r->rx_posted[i % NETRING_SIZE])
		return netring_bad(r,
				   "receive response for a buffer not posted "
				   "in its slot, id",
				   rsp->id);
	if (rsp->flags & NETRXF_gso_prefix)
		return netring_bad(
			r, "receive flags with a GSO prefix:", rsp->flags);
	if (!r->sg && (rsp->flags & (NETRXF_more_data | NETRXF_extra_info)))
		return netring_bad(r,
				   "receive response flags we never "
				   "offered:",
				   rsp->flags);
	return 0;
}

/*
 * netring_rx_frame: the frame whose first slot is cons, of the responses
 * up to prod, into f; 0, EAGAIN if some of its slots are still to come,
 * or EPROTO. Nothing is consumed unless it returns 0.
 */
static int
netring_rx_frame(struct netring *r, RING_IDX cons, RING_IDX prod,
		 struct netring_frame *f)
{
	netif_rx_response_t rsp;
	RING_IDX i = cons;
	int more, extra, err;

	f->nslots = 0;
	f->gso_size = 0;
	if ((err = netring_rx_data(r, i, &rsp)) != 0)
		return err;
	f->flags = rsp.flags;
	f->len = rsp.status;
	if (rsp.status <= 0) {
		/* The backend's error for this buffer: no frame. */
		if (rsp.flags & (NETRXF_more_data | NETRXF_extra_info))
			return netring_bad(r, "receive error with flags",
					   rsp.flags);
		err = netring_rx_slot(r, f, i++, 0, 0);
		goto done;
	}
	if ((err = netring_rx_slot(r, f, i++, rsp.offset, rsp.status)) != 0)
		return err;
	more = rsp.flags & NETRXF_more_data;
	extra = rsp.flags & NETRXF_extra_info;
	while (extra) {
		netif_extra_info_t e;

		if (i == prod)
			return EAGAIN;
		memcpy(&e, RING_GET_RESPONSE(&r->rx, i), sizeof(e));
		if (e.type != XEN_NETIF_EXTRA_TYPE_GSO ||
		    e.u.gso.type != XEN_NETIF_GSO_TYPE_TCPV4 ||
		    e.u.gso.size == 0)
			return netring_bad(r,
					   "received extra info we never "
					   "offered, type",
					   e.type);
		f->gso_size = e.u.gso.size;
		if ((err = netring_rx_slot(r, f, i++, 0, 0)) != 0)
			return err;
		extra = e.flags & XEN_NETIF_EXTRA_FLAG_MORE;
	}
	while (more) {
		if (i == prod)
			return EAGAIN;
		if ((err = netring_rx_data(r, i, &rsp)) != 0)
			return err;
		if (rsp.status <= 0 || (rsp.flags & NETRXF_extra_info))
			return netring_bad(r,
					   "receive error or extra info inside "
					   "a frame, status",
					   rsp.status);
		if ((err = netring_rx_slot(r, f, i++, rsp.offset,
					   rsp.status)) != 0)
			return err;
		f->len += rsp.status;
		more = rsp.flags & NETRXF_more_data;
	}
	/* Longer than a pbuf holds (a backend may merge so far): its
	 * buffers come back as for the backend's error. */
	if (f->len > NETRING_FRAME_MAX)
		f->len = NETIF_RSP_DROPPED;
	else if (f->len < NETRING_MIN_FRAME)
		return netring_bad(
			r, "received frame shorter than a header:", f->len);
done:
	if (err != 0)
		return err;
	r->rx_out -= i - cons;
	r->rx.rsp_cons = i;
	return 0;
}

/* netring_rx_look: netring_rx_next's work, its frame in f if 0. */
static int
netring_rx_look(struct netring *r, struct netring_frame *f)
{
	/* A few looks: a backend that keeps moving its index must not keep
	 * us here (the scheduler is cooperative); its event comes. */
	for (int look = 0; look < 4; look++) {
		if (r->broken)
			return EPROTO;
		RING_IDX prod = __atomic_load_n(&r->rx.sring->rsp_prod,
						__ATOMIC_ACQUIRE);
		RING_IDX cons = r->rx.rsp_cons;

		if (prod - cons > r->rx_out)
			return netring_bad(r,
					   "receive producer index jumps past "
					   "the buffers posted:",
					   (long)(prod - cons));
		if (cons != prod) {
			int err = netring_rx_frame(r, cons, prod, f);
			if (err != EAGAIN)
				return err;
			/* A frame half there: be told when more comes. */
			r->rx.sring->rsp_event = prod + 1;
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			if (__atomic_load_n(&r->rx.sring->rsp_prod,
					    __ATOMIC_ACQUIRE) != prod)
				continue;
			return EAGAIN;
		}
		int more;
		RING_FINAL_CHECK_FOR_RESPONSES(&r->rx, more);
		if (!more)
			return EAGAIN;
	}
	return EAGAIN;
}

int
netring_rx_next(struct netring *r, struct netring_frame *f)
{
	int err = netring_rx_look(r, f);

	if (err != 0)
		f->nslots = 0; /* no frame: nothing of it to give back */
	return err;
}
