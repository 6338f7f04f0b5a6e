/*
 * blkring: a block frontend's bookkeeping of its shared ring with the
 * backend (Xen's blkif protocol), free of hypercalls so that host tests
 * can play a hostile backend against it (tests/host/blkring.c).
 *
 * Every request goes into the ring under an id of ours, with the
 * operation and a cookie remembered for that id. Responses are checked
 * before anything in them is believed: the producer index may not claim
 * more responses than requests are outstanding, the id must name an
 * outstanding request, the operation must be the one sent, the status
 * one the protocol defines. The first bad response breaks the ring: it
 * is described in r->why and no response is taken from it again; the
 * owner disconnects the device and fails what is left (blkring_abort).
 */
#ifndef RUMPXEN_BLKRING_H
#define RUMPXEN_BLKRING_H

#include <stddef.h>
#include <stdint.h>

#include "frontring.h"

#include <xen/io/blkif.h>

/* Requests one ring page holds (__CONST_RING_SIZE(blkif, 4096)). */
#define BLKRING_SIZE 32

struct blkring {
	blkif_front_ring_t front;
	struct {
		void *cookie; /* NULL: the id is free */
		uint8_t op;
	} sent[BLKRING_SIZE];
	unsigned inflight; /* requests in the ring without a response */
	int broken;
	char why[160]; /* what broke it */
};

/* blkring_init: a fresh ring in page (4096 bytes, page-aligned). */
void blkring_init(struct blkring *r, void *page);
/* blkring_room: how many requests blkring_put may add now. */
unsigned blkring_room(const struct blkring *r);
/*
 * blkring_put: adds req to the ring under a free id (set in the copy),
 * remembering cookie (not NULL) for its response. Only with room.
 */
void blkring_put(struct blkring *r, const blkif_request_t *req, void *cookie);
/*
 * blkring_push: makes the added requests visible to the backend; returns
 * whether it must be notified.
 */
int blkring_push(struct blkring *r);

/* A response's delivery: the request's cookie and the checked status. */
typedef void blkring_done_fn(void *arg, void *cookie, int status);

/*
 * blkring_take: takes every response waiting, calling done for each good
 * one. Returns 0, or EPROTO when one was bad (r->why says how; nothing
 * more is taken from the ring).
 */
int blkring_take(struct blkring *r, blkring_done_fn *done, void *arg);
/*
 * blkring_abort: for a broken or abandoned ring: calls done with
 * BLKIF_RSP_ERROR for each request still outstanding, once each.
 */
void blkring_abort(struct blkring *r, blkring_done_fn *done, void *arg);

#endif /* RUMPXEN_BLKRING_H */
