/*
 * netring: a network frontend's bookkeeping of its two shared rings with
 * the backend (Xen's netif protocol: transmit and receive, one page each),
 * free of hypercalls so that host tests can play a hostile backend
 * against it (tests/host/netring.c).
 *
 * Transmit requests go out under the id of the caller's buffer, receive
 * buffers are posted under theirs. Responses are checked before anything
 * in them is believed: a producer index may not claim more responses than
 * requests are outstanding; an id must name an outstanding request; a
 * transmit status must be one the protocol defines for a request we send
 * (no extra-info slots); a received frame must lie inside its page, be at
 * least an Ethernet header long and come in one slot (we offer neither
 * scatter-gather nor GSO, so a fragment or extra-info flag is a broken
 * rule: such a chain might never end). The first bad response breaks the
 * rings: r->why describes it and nothing more is taken from them.
 */
#ifndef RUMPXEN_NETRING_H
#define RUMPXEN_NETRING_H

#include <stddef.h>
#include <stdint.h>

#include "frontring.h"

#include <xen/io/netif.h>

/* Requests one ring page holds, on either ring. */
#define NETRING_SIZE 256
/* The shortest frame we take: an Ethernet header. */
#define NETRING_MIN_FRAME 14

struct netring {
	netif_tx_front_ring_t tx;
	netif_rx_front_ring_t rx;
	uint8_t tx_busy[NETRING_SIZE]; /* sent, no response yet */
	uint8_t rx_busy[NETRING_SIZE]; /* posted, no frame yet */
	unsigned tx_out, rx_out;
	int broken;
	char why[160];
};

/* netring_init: fresh rings in tx_page and rx_page (4096 bytes each). */
void netring_init(struct netring *r, void *tx_page, void *rx_page);

/*
 * netring_tx_put: a frame of size bytes at offset in the page granted as
 * gref, under id (< NETRING_SIZE, not outstanding). netring_tx_push makes
 * what was put visible; it returns whether the backend must be notified.
 */
void netring_tx_put(struct netring *r, unsigned id, grant_ref_t gref,
		    uint16_t offset, uint16_t size);
int netring_tx_push(struct netring *r);
/* A transmit response: the request's id and its status (NETIF_RSP_*). */
typedef void netring_tx_fn(void *arg, unsigned id, int status);
/* netring_tx_take: every waiting transmit response; 0 or EPROTO. */
int netring_tx_take(struct netring *r, netring_tx_fn *fn, void *arg);

/*
 * netring_rx_post: offers the page granted as gref under id for a frame;
 * netring_rx_push as netring_tx_push.
 */
void netring_rx_post(struct netring *r, unsigned id, grant_ref_t gref);
int netring_rx_push(struct netring *r);
/*
 * A receive response: buffer id holds a frame of len bytes at offset, or,
 * with len <= 0, nothing (the backend's error): the buffer is the
 * caller's again either way.
 */
typedef void netring_rx_fn(void *arg, unsigned id, unsigned offset, int len);
/* netring_rx_take: every waiting receive response; 0 or EPROTO. */
int netring_rx_take(struct netring *r, netring_rx_fn *fn, void *arg);

#endif /* RUMPXEN_NETRING_H */
