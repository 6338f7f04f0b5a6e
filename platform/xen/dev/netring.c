/*
 * The checked rings of a network frontend (netring.h). Each response is
 * copied out of the shared page before it is checked, so that a backend
 * changing it under our feet cannot make a checked value differ from a
 * used one.
 */
#include <errno.h>
#include <string.h>

#include "../../../lib/klib.h"
#include "netring.h"

void
netring_init(struct netring *r, void *tx_page, void *rx_page)
{
	netif_tx_sring_t *ts = tx_page;
	netif_rx_sring_t *rs = rx_page;

	memset(r, 0, sizeof(*r));
	SHARED_RING_INIT(ts);
	SHARED_RING_INIT(rs);
	FRONT_RING_INIT(&r->tx, ts, 4096);
	FRONT_RING_INIT(&r->rx, rs, 4096);
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
	       uint16_t offset, uint16_t size)
{
	netif_tx_request_t *q = RING_GET_REQUEST(&r->tx, r->tx.req_prod_pvt);

	q->gref = gref;
	q->offset = offset;
	q->flags = 0;
	q->id = (uint16_t)id;
	q->size = size;
	r->tx.req_prod_pvt++;
	r->tx_busy[id] = 1;
	r->tx_out++;
}

int
netring_tx_push(struct netring *r)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&r->tx, notify);
	return notify;
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

		if (prod - cons > r->tx_out)
			return netring_bad(r,
					   "transmit producer index jumps past "
					   "the requests outstanding:",
					   (long)(prod - cons));
		while (cons != prod) {
			netif_tx_response_t rsp;

			memcpy(&rsp, RING_GET_RESPONSE(&r->tx, cons),
			       sizeof(rsp));
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
	r->rx.req_prod_pvt++;
	r->rx_busy[id] = 1;
	r->rx_out++;
}

int
netring_rx_push(struct netring *r)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&r->rx, notify);
	return notify;
}

int
netring_rx_take(struct netring *r, netring_rx_fn *fn, void *arg)
{
	const unsigned chained =
		NETRXF_more_data | NETRXF_extra_info | NETRXF_gso_prefix;

	for (;;) {
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
		while (cons != prod) {
			netif_rx_response_t rsp;

			memcpy(&rsp, RING_GET_RESPONSE(&r->rx, cons),
			       sizeof(rsp));
			if (rsp.id >= NETRING_SIZE || !r->rx_busy[rsp.id])
				return netring_bad(r,
						   "receive response for no "
						   "buffer posted, id",
						   rsp.id);
			if (rsp.flags & chained)
				return netring_bad(r,
						   "receive response flags "
						   "we never offered:",
						   rsp.flags);
			if (rsp.status > 0 &&
			    (unsigned)rsp.offset + (unsigned)rsp.status > 4096)
				return netring_bad(r,
						   "received frame past its "
						   "page, offset + length",
						   (long)rsp.offset +
							   rsp.status);
			if (rsp.status > 0 && rsp.status < NETRING_MIN_FRAME)
				return netring_bad(r,
						   "received frame shorter "
						   "than a header:",
						   rsp.status);
			r->rx_busy[rsp.id] = 0;
			r->rx_out--;
			r->rx.rsp_cons = ++cons;
			fn(arg, rsp.id, rsp.offset, rsp.status);
		}
		int more;
		RING_FINAL_CHECK_FOR_RESPONSES(&r->rx, more);
		if (!more)
			return 0;
	}
}
