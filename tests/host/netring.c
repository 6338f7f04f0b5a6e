/*
 * platform/xen/dev/netring.c against a hostile backend, played by this test
 * on ring pages in host memory (under ASan and UBSan). Good transmit and
 * receive responses are delivered once each, in any order, ids reused
 * round after round; and each of these is refused, with nothing after it
 * taken: on either ring an id out of range, a duplicate id, an id never
 * sent or posted, a producer index jumping past what is outstanding (and
 * past the ring); a transmit status the protocol does not allow us (NULL,
 * 7); a received frame past its page, an oversized length, a runt, a
 * fragment flag (a chain that might never end) and an extra-info flag.
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

static void
on_rx(void *arg, unsigned id, unsigned offset, int len)
{
	(void)arg;
	rx_seen[id]++;
	rx_off[id] = offset;
	rx_len[id] = len;
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

/* fresh: new rings with n frames sent (id i) and n buffers posted. */
static void
fresh(struct netring *r, int n)
{
	memset(tx_seen, 0, sizeof(tx_seen));
	memset(rx_seen, 0, sizeof(rx_seen));
	memset(txs, 0x5a, 4096);
	memset(rxs, 0x5a, 4096);
	netring_init(r, txs, rxs);
	tx_prod = rx_prod = 0;
	for (int i = 0; i < n; i++) {
		netring_tx_put(r, (unsigned)i, 100 + (unsigned)i, 0, 60);
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

/* refused: the case is refused, only `before` responses taken. */
static void
refused(struct netring *r, int tx, int before, const char *what)
{
	int e = tx ? netring_tx_take(r, on_tx, NULL)
		   : netring_rx_take(r, on_rx, NULL);
	int n = tx ? sum(tx_seen) : sum(rx_seen);
	int again = tx ? netring_tx_take(r, on_tx, NULL)
		       : netring_rx_take(r, on_rx, NULL);
	expect(e == EPROTO && again == EPROTO && n == before && r->broken,
	       what);
	printf("    why: %s\n", r->why);
}

int
main(void)
{
	struct netring r;

	txs = aligned_alloc(4096, 4096);
	rxs = aligned_alloc(4096, 4096);
	if (txs == NULL || rxs == NULL)
		return 1;

	fresh(&r, NETRING_SIZE);
	for (int i = NETRING_SIZE - 1; i >= 0; i--) {
		tx_respond((unsigned)i, i == 7 ? NETIF_RSP_DROPPED : 0);
		rx_respond((unsigned)i, (unsigned)i * 8, 0,
			   i == 9 ? NETIF_RSP_ERROR : 60 + i);
	}
	int ok = netring_tx_take(&r, on_tx, NULL) == 0 &&
		 netring_rx_take(&r, on_rx, NULL) == 0;
	for (int i = 0; i < NETRING_SIZE; i++)
		ok &= tx_seen[i] == 1 && rx_seen[i] == 1 &&
		      tx_status[i] == (i == 7 ? NETIF_RSP_DROPPED : 0) &&
		      rx_len[i] == (i == 9 ? NETIF_RSP_ERROR : 60 + i) &&
		      rx_off[i] == (unsigned)i * 8;
	expect(ok, "256 transmit and 256 receive responses in reverse "
		   "order: each delivered once, as sent");
	expect(r.tx_out == 0 && r.rx_out == 0, "nothing is outstanding after");

	ok = 1;
	for (int round = 0; round < 50 && ok; round++) {
		memset(tx_seen, 0, sizeof(tx_seen));
		memset(rx_seen, 0, sizeof(rx_seen));
		for (unsigned i = 0; i < 100; i++) {
			netring_tx_put(&r, i, i, 0, 60);
			netring_rx_post(&r, i, i);
		}
		netring_tx_push(&r);
		netring_rx_push(&r);
		for (unsigned i = 0; i < 100; i++) {
			tx_respond(99 - i, 0);
			rx_respond(i, 0, 0, 1514);
		}
		ok = netring_tx_take(&r, on_tx, NULL) == 0 &&
		     netring_rx_take(&r, on_rx, NULL) == 0 &&
		     sum(tx_seen) == 100 && sum(rx_seen) == 100;
	}
	expect(ok, "50 rounds of 100 around both rings, indices wrapping");

	fresh(&r, 4);
	tx_respond(0, 0);
	tx_respond(4000, 0);
	refused(&r, 1, 1, "a transmit id out of range");
	fresh(&r, 4);
	tx_respond(2, 0);
	tx_respond(2, 0);
	refused(&r, 1, 1, "a duplicate transmit id");
	fresh(&r, 4);
	tx_respond(10, 0);
	refused(&r, 1, 0, "a transmit response for a frame never sent");
	fresh(&r, 4);
	__atomic_store_n(&txs->rsp_prod, 5, __ATOMIC_RELEASE);
	refused(&r, 1, 0, "a transmit producer past the frames outstanding");
	fresh(&r, 4);
	__atomic_store_n(&txs->rsp_prod, 0x7fff0000u, __ATOMIC_RELEASE);
	refused(&r, 1, 0, "a transmit producer far past the ring");
	fresh(&r, 4);
	tx_respond(1, NETIF_RSP_NULL);
	refused(&r, 1, 0, "a NULL transmit status (we send no extra slots)");
	fresh(&r, 4);
	tx_respond(1, 7);
	refused(&r, 1, 0, "a transmit status the protocol does not define");

	fresh(&r, 4);
	rx_respond(0, 0, 0, 60);
	rx_respond(300, 0, 0, 60);
	refused(&r, 0, 1, "a receive id out of range");
	fresh(&r, 4);
	rx_respond(3, 0, 0, 60);
	rx_respond(3, 0, 0, 60);
	refused(&r, 0, 1, "a duplicate receive id");
	fresh(&r, 4);
	rx_respond(100, 0, 0, 60);
	refused(&r, 0, 0, "a frame in a buffer never posted");
	fresh(&r, 4);
	__atomic_store_n(&rxs->rsp_prod, 9, __ATOMIC_RELEASE);
	refused(&r, 0, 0, "a receive producer past the buffers posted");
	fresh(&r, 4);
	rx_respond(1, 4000, 0, 200);
	refused(&r, 0, 0, "a frame running past its page (offset 4000)");
	fresh(&r, 4);
	rx_respond(1, 0, 0, 32000);
	refused(&r, 0, 0, "an oversized frame length");
	fresh(&r, 4);
	rx_respond(1, 0, 0, 5);
	refused(&r, 0, 0, "a frame shorter than an Ethernet header");
	fresh(&r, 4);
	rx_respond(0, 0, NETRXF_more_data, 1000);
	rx_respond(1, 0, NETRXF_more_data, 1000);
	rx_respond(2, 0, NETRXF_more_data, 1000);
	refused(&r, 0, 0, "fragments (a chain that would never end)");
	fresh(&r, 4);
	rx_respond(0, 0, NETRXF_extra_info, 1000);
	refused(&r, 0, 0, "an extra-info slot we never asked for");

	fresh(&r, 4);
	rx_respond(2, 0, NETRXF_data_validated, NETIF_RSP_ERROR);
	expect(netring_rx_take(&r, on_rx, NULL) == 0 && rx_seen[2] == 1 &&
		       rx_len[2] == NETIF_RSP_ERROR && !r.broken,
	       "a backend's error for one buffer gives the buffer back");

	free(txs);
	free(rxs);
	printf("%s\n", failures ? "FAILED" : "all passed");
	return failures != 0;
}
