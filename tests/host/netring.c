/*
 * platform/xen/dev/netring.c against a hostile backend, played by this test
 * on ring pages in host memory (under ASan and UBSan). Good transmit
 * responses are delivered once each, in any order, received frames in
 * ring order, ids reused round after round; a transmit frame of several
 * slots with a GSO extra-info slot, and a received one (taken only once
 * all its slots are there), come and go whole. Each of these is refused,
 * with nothing after it taken: on the transmit ring an id out of range, a
 * duplicate id, an id never sent, a producer index jumping past what is
 * outstanding (and past the ring), a NULL status with no extra slot out
 * and a status the protocol does not define; on the receive ring a
 * buffer not the one posted in its slot (out of range, a duplicate, never
 * posted), a producer past the buffers posted, data past its page, a
 * runt, more-data and extra-info flags we did not offer, and with them
 * offered: a chain over the slot limit, an extra of a type we never asked
 * for, an error inside a frame and a GSO prefix. A frame over 64 KiB is
 * no frame (its buffers come back) and the ring stays whole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "../../platform/xen/dev/netring.h"

static int tx_seen[NETRING_SIZE], tx_status[NETRING_SIZE];
static int rx_seen[NETRING_SIZE], rx_len[NETRING_SIZE];
static unsigned rx_off[NETRING_SIZE];

static void
on_tx(void *arg, unsigned id, int status)
{
	(void)arg;
	tx_seen[id]++;
	tx_status[id] = status;
}

/* rx_take: every whole frame now there, counted by its first buffer. */
static int
rx_take(struct netring *r)
{
	struct netring_frame f;
	int err;

	while ((err = netring_rx_next(r, &f)) == 0) {
		rx_seen[f.slot[0].id]++;
		rx_off[f.slot[0].id] = f.slot[0].offset;
		rx_len[f.slot[0].id] = f.len;
	}
	return err == EAGAIN ? 0 : err;
}

static netif_tx_sring_t *txs;
static netif_rx_sring_t *rxs;
static RING_IDX tx_prod, rx_prod; /* the backend's response producers */

static int
sum(const int *a)
{
	int n = 0;
	for (int i = 0; i < NETRING_SIZE; i++)
		n += a[i];
	return n;
}

/* fresh: new rings (sg offered or not) with n frames sent (id i) and n
 * buffers posted (id i in slot i). */
static void
fresh(struct netring *r, int n, int sg)
{
	memset(tx_seen, 0, sizeof(tx_seen));
	memset(rx_seen, 0, sizeof(rx_seen));
	memset(txs, 0x5a, 4096);
	memset(rxs, 0x5a, 4096);
	netring_init(r, txs, rxs, sg);
	tx_prod = rx_prod = 0;
	for (int i = 0; i < n; i++) {
		netring_tx_put(r, (unsigned)i, 100 + (unsigned)i, 0, 60, 0);
		netring_rx_post(r, (unsigned)i, 500 + (unsigned)i);
	}
	netring_tx_push(r);
	netring_rx_push(r);
}

static void
tx_respond(unsigned id, int status)
{
	netif_tx_response_t *p = &txs->ring[tx_prod % NETRING_SIZE].rsp;
	p->id = (uint16_t)id;
	p->status = (int16_t)status;
	tx_prod++;
	__atomic_store_n(&txs->rsp_prod, tx_prod, __ATOMIC_RELEASE);
}

static void
rx_respond(unsigned id, unsigned offset, unsigned flags, int status)
{
	netif_rx_response_t *p = &rxs->ring[rx_prod % NETRING_SIZE].rsp;
	p->id = (uint16_t)id;
	p->offset = (uint16_t)offset;
	p->flags = (uint16_t)flags;
	p->status = (int16_t)status;
	rx_prod++;
	__atomic_store_n(&rxs->rsp_prod, rx_prod, __ATOMIC_RELEASE);
}

static void
rx_extra(unsigned type, unsigned gso_type, unsigned flags)
{
	netif_extra_info_t *e =
		(netif_extra_info_t *)&rxs->ring[rx_prod % NETRING_SIZE].rsp;
	memset(e, 0, sizeof(*e));
	e->type = (uint8_t)type;
	e->flags = (uint8_t)flags;
	e->u.gso.size = 1448;
	e->u.gso.type = (uint8_t)gso_type;
	rx_prod++;
	__atomic_store_n(&rxs->rsp_prod, rx_prod, __ATOMIC_RELEASE);
}

/* refused: the case is refused, only `before` frames taken. */
static void
refused(struct netring *r, int tx, int before, const char *what)
{
	int e = tx ? netring_tx_take(r, on_tx, NULL) : rx_take(r);
	int n = tx ? sum(tx_seen) : sum(rx_seen);
	int again = tx ? netring_tx_take(r, on_tx, NULL) : rx_take(r);
	expect(e == EPROTO && again == EPROTO && n == before && r->broken,
	       what);
	printf("    why: %s\n", r->why);
}

static void
tx_cases(struct netring *r)
{
	fresh(r, NETRING_SIZE, 0);
	for (int i = NETRING_SIZE - 1; i >= 0; i--)
		tx_respond((unsigned)i, i == 7 ? NETIF_RSP_DROPPED : 0);
	int ok = netring_tx_take(r, on_tx, NULL) == 0;
	for (int i = 0; i < NETRING_SIZE; i++)
		ok &= tx_seen[i] == 1 &&
		      tx_status[i] == (i == 7 ? NETIF_RSP_DROPPED : 0);
	expect(ok && r->tx_out == 0, "256 transmit responses in reverse "
				     "order: each delivered once, as sent");

	fresh(r, 0, 1);
	netring_tx_put(r, 0, 10, 0, 9000,
		       NETTXF_more_data | NETTXF_extra_info |
			       NETTXF_csum_blank);
	netring_tx_put_gso(r, 1448);
	netring_tx_put(r, 1, 11, 0, 4096, NETTXF_more_data);
	netring_tx_put(r, 2, 12, 0, 808, 0);
	netring_tx_push(r);
	expect(netring_tx_room(r) == NETRING_SIZE - 4,
	       "a GSO frame of three pages takes four slots");
	tx_respond(0, 0);
	tx_respond(0xffff, NETIF_RSP_NULL);
	tx_respond(2, 0);
	tx_respond(1, 0);
	expect(netring_tx_take(r, on_tx, NULL) == 0 && sum(tx_seen) == 3 &&
		       r->tx_out == 0 && r->tx_extra == 0 &&
		       netring_tx_room(r) == NETRING_SIZE,
	       "its responses, NULL for the extra slot, free every slot");

	fresh(r, 4, 0);
	tx_respond(0, 0);
	tx_respond(4000, 0);
	refused(r, 1, 1, "a transmit id out of range");
	fresh(r, 4, 0);
	tx_respond(2, 0);
	tx_respond(2, 0);
	refused(r, 1, 1, "a duplicate transmit id");
	fresh(r, 4, 0);
	tx_respond(10, 0);
	refused(r, 1, 0, "a transmit response for a frame never sent");
	fresh(r, 4, 0);
	__atomic_store_n(&txs->rsp_prod, 5, __ATOMIC_RELEASE);
	refused(r, 1, 0, "a transmit producer past the frames outstanding");
	fresh(r, 4, 0);
	__atomic_store_n(&txs->rsp_prod, 0x7fff0000u, __ATOMIC_RELEASE);
	refused(r, 1, 0, "a transmit producer far past the ring");
	fresh(r, 4, 0);
	tx_respond(1, NETIF_RSP_NULL);
	refused(r, 1, 0, "a NULL transmit status with no extra slot out");
	fresh(r, 4, 0);
	tx_respond(1, 7);
	refused(r, 1, 0, "a transmit status the protocol does not define");
}

static void
rx_cases(struct netring *r)
{
	fresh(r, NETRING_SIZE, 0);
	for (int i = 0; i < NETRING_SIZE; i++)
		rx_respond((unsigned)i, (unsigned)i * 8, 0,
			   i == 9 ? NETIF_RSP_ERROR : 60 + i);
	int ok = rx_take(r) == 0;
	for (int i = 0; i < NETRING_SIZE; i++)
		ok &= rx_seen[i] == 1 &&
		      rx_len[i] == (i == 9 ? NETIF_RSP_ERROR : 60 + i) &&
		      rx_off[i] == (i == 9 ? 0u : (unsigned)i * 8);
	expect(ok && r->rx_out == 0,
	       "256 received frames (one the backend's error): each "
	       "delivered once, as posted");

	fresh(r, 0, 0); /* the rounds' requests alone outstanding */
	ok = 1;
	for (int round = 0; round < 50 && ok; round++) {
		memset(tx_seen, 0, sizeof(tx_seen));
		memset(rx_seen, 0, sizeof(rx_seen));
		for (unsigned i = 0; i < 100; i++) {
			netring_tx_put(r, i, i, 0, 60, 0);
			netring_rx_post(r, (i * 7) % 100, i);
		}
		netring_tx_push(r);
		netring_rx_push(r);
		for (unsigned i = 0; i < 100; i++) {
			tx_respond(99 - i, 0);
			rx_respond((i * 7) % 100, 0, 0, 1514);
		}
		ok = netring_tx_take(r, on_tx, NULL) == 0 && rx_take(r) == 0 &&
		     sum(tx_seen) == 100 && sum(rx_seen) == 100;
	}
	expect(ok, "50 rounds of 100 around both rings, indices wrapping");

	struct netring_frame f;
	fresh(r, 8, 1);
	rx_respond(0, 64,
		   NETRXF_more_data | NETRXF_extra_info | NETRXF_csum_blank,
		   4032);
	rx_extra(XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_GSO_TYPE_TCPV4, 0);
	rx_respond(2, 0, NETRXF_more_data, 4096);
	expect(netring_rx_next(r, &f) == EAGAIN && r->rx.rsp_cons == 0 &&
		       rxs->rsp_event == 4 && f.nslots == 0,
	       "a GSO frame half there is not taken; the backend is asked "
	       "to notify past it");
	rx_respond(3, 0, 0, 100);
	ok = netring_rx_next(r, &f) == 0 && f.nslots == 4 &&
	     f.len == 4032 + 4096 + 100 && f.gso_size == 1448 &&
	     (f.flags & NETRXF_csum_blank) && f.slot[0].offset == 64 &&
	     f.slot[1].id == 1 && f.slot[1].len == 0 && f.slot[3].id == 3;
	expect(ok && r->rx_out == 4, "once whole, it comes as one frame of "
				     "four slots, the extra's buffer too");

	fresh(r, 4, 0);
	rx_respond(0, 0, 0, 60);
	rx_respond(300, 0, 0, 60);
	refused(r, 0, 1, "a receive id out of range");
	fresh(r, 4, 0);
	rx_respond(0, 0, 0, 60);
	rx_respond(0, 0, 0, 60);
	refused(r, 0, 1, "a duplicate receive id");
	fresh(r, 4, 0);
	rx_respond(100, 0, 0, 60);
	refused(r, 0, 0, "a frame in a buffer never posted");
	fresh(r, 4, 0);
	__atomic_store_n(&rxs->rsp_prod, 9, __ATOMIC_RELEASE);
	refused(r, 0, 0, "a receive producer past the buffers posted");
	fresh(r, 4, 0);
	rx_respond(0, 4000, 0, 200);
	refused(r, 0, 0, "a frame running past its page (offset 4000)");
	fresh(r, 4, 0);
	rx_respond(0, 0, 0, 32000);
	refused(r, 0, 0, "an oversized frame length");
	fresh(r, 4, 0);
	rx_respond(0, 0, 0, 5);
	refused(r, 0, 0, "a frame shorter than an Ethernet header");
	fresh(r, 4, 0);
	rx_respond(0, 0, NETRXF_more_data, 1000);
	rx_respond(1, 0, 0, 1000);
	refused(r, 0, 0, "more data, never offered");
	fresh(r, 4, 0);
	rx_respond(0, 0, NETRXF_extra_info, 1000);
	refused(r, 0, 0, "an extra-info slot, never offered");

	fresh(r, NETRING_SIZE, 1);
	for (int i = 0; i < NETRING_FRAME_SLOTS + 1; i++)
		rx_respond((unsigned)i, 0, NETRXF_more_data, 100);
	refused(r, 0, 0, "a chain over the slot limit");
	fresh(r, NETRING_SIZE, 1);
	for (int i = 0; i < 17; i++)
		rx_respond((unsigned)i, 0, i < 16 ? NETRXF_more_data : 0, 4096);
	rx_respond(17, 0, 0, 60);
	ok = netring_rx_next(r, &f) == 0 && f.nslots == 17 && f.len <= 0 &&
	     netring_rx_next(r, &f) == 0 && f.len == 60 && !r->broken;
	expect(ok, "a frame over 64 KiB comes as an error (its 17 buffers "
		   "back), the ring whole, the next frame after it");
	fresh(r, 4, 1);
	rx_respond(0, 0, NETRXF_extra_info, 1000);
	rx_extra(XEN_NETIF_EXTRA_TYPE_HASH, 0, 0);
	refused(r, 0, 0, "an extra of a type we never asked for");
	fresh(r, 4, 1);
	rx_respond(0, 0, NETRXF_extra_info, 1000);
	rx_extra(XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_GSO_TYPE_TCPV6, 0);
	refused(r, 0, 0, "GSO for TCP over IPv6, never offered");
	fresh(r, 4, 1);
	rx_respond(0, 0, NETRXF_more_data, 1000);
	rx_respond(1, 0, 0, NETIF_RSP_ERROR);
	refused(r, 0, 0, "an error inside a frame");
	fresh(r, 4, 1);
	rx_respond(0, 0, NETRXF_gso_prefix, 1000);
	refused(r, 0, 0, "a GSO prefix");
}

int
main(void)
{
	struct netring r;

	txs = aligned_alloc(4096, 4096);
	rxs = aligned_alloc(4096, 4096);
	if (txs == NULL || rxs == NULL)
		return 1;
	tx_cases(&r);
	rx_cases(&r);
	free(txs);
	free(rxs);
	printf("%s\n", failures ? "FAILED" : "all passed");
	return failures != 0;
}
