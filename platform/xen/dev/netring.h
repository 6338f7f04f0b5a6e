/*
 * netring: a network frontend's bookkeeping of its two shared rings with
 * the backend (Xen's netif protocol: transmit and receive, one page each),
 * free of hypercalls so that host tests can play a hostile backend
 * against it (tests/host/netring.c).
 *
 * Transmit requests go out under the id of the caller's buffer, receive
 * buffers are posted under theirs. A frame may take several slots when
 * the frontend offered scatter-gather (netring_init's sg): a transmit
 * frame its pages and a GSO extra-info slot, a received one its buffers
 * and extra-info slots, each of which uses up the buffer posted in its
 * ring slot (the backend answers in the slot it took the request from).
 *
 * Responses are checked before anything in them is believed: a producer
 * index may not claim more responses than requests are outstanding; a
 * transmit id must name an outstanding request, and its status be one
 * the protocol defines for it (NULL only for an extra-info slot); a
 * received buffer's id must be the one posted in that slot, its data lie
 * inside its page, a frame be at least an Ethernet header long and take
 * at most NETRING_FRAME_SLOTS slots; more-data and extra-info flags come
 * only when offered. A frame over NETRING_FRAME_MAX bytes is dropped:
 * its buffers come back as for the backend's error. The
 * first bad response breaks the rings: r->why describes it and nothing
 * more is taken from them.
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
/* The longest frame we take: what a pbuf holds. */
#define NETRING_FRAME_MAX 65535
/* Slots one received frame may take: its pages and extra-info slots. */
#define NETRING_FRAME_SLOTS 24

struct netring {
	netif_tx_front_ring_t tx;
	netif_rx_front_ring_t rx;
	int sg;				  /* multi-slot frames were offered */
	uint8_t tx_busy[NETRING_SIZE];	  /* sent, no response yet */
	uint16_t rx_posted[NETRING_SIZE]; /* the buffer in each ring slot */
	unsigned tx_out, tx_extra, rx_out;
	int broken;
	char why[160];
};

/*
 * netring_init: fresh rings in tx_page and rx_page (4096 bytes each);
 * sg: the frontend offers scatter-gather and GSO (multi-slot frames).
 */
void netring_init(struct netring *r, void *tx_page, void *rx_page, int sg);

/*
 * netring_tx_put: a frame's slot: size bytes at offset in the page
 * granted as gref, under id (< NETRING_SIZE, not outstanding), with flags
 * (NETTXF_*; a frame's first slot gives the whole frame's size).
 * netring_tx_put_gso: the GSO extra-info slot after a first slot flagged
 * NETTXF_extra_info: TCP/IPv4 segments of mss bytes.
 * netring_tx_push makes what was put visible; it returns whether the
 * backend must be notified. netring_tx_room: slots free on the ring.
 */
void netring_tx_put(struct netring *r, unsigned id, grant_ref_t gref,
		    uint16_t offset, uint16_t size, uint16_t flags);
void netring_tx_put_gso(struct netring *r, uint16_t mss);
int netring_tx_push(struct netring *r);
unsigned netring_tx_room(const struct netring *r);
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

/* One received frame (or the backend's error for one buffer). */
struct netring_frame {
	unsigned nslots; /* buffers it used, each the caller's again */
	struct {
		uint16_t id, offset;
		int len; /* bytes of the frame in it; 0 for an extra slot */
	} slot[NETRING_FRAME_SLOTS];
	int len;	/* the whole frame's bytes; <= 0: no frame (an error) */
	uint16_t flags; /* the first slot's NETRXF_* */
	uint16_t gso_size; /* from a GSO extra slot, or 0 */
};
/*
 * netring_rx_next: the next whole frame into f: 0, EAGAIN when none is
 * complete yet (the backend is asked to notify when more comes), or
 * EPROTO; f holds no slots unless 0.
 */
int netring_rx_next(struct netring *r, struct netring_frame *f);

#endif /* RUMPXEN_NETRING_H */
