/*
 * The checked ring of a block frontend (blkring.h). Free ids are found
 * by a scan of sent[] (32 entries); a response is copied out of the
 * shared page before it is checked, so that a backend changing it under
 * our feet cannot make a checked value differ from a used one.
 */
#include <errno.h>
#include <string.h>

#include "../../../lib/klib.h"
#include "blkring.h"

void
blkring_init(struct blkring *r, void *page)
{
	blkif_sring_t *s = page;

	memset(r, 0, sizeof(*r));
	SHARED_RING_INIT(s);
	FRONT_RING_INIT(&r->front, s, 4096);
}

unsigned
blkring_room(const struct blkring *r)
{
	if (r->broken)
		return 0;
	return BLKRING_SIZE - r->inflight;
}

void
blkring_put(struct blkring *r, const blkif_request_t *req, void *cookie)
{
	unsigned id = 0;

	while (r->sent[id].cookie != NULL)
		id++;
	r->sent[id].cookie = cookie;
	r->sent[id].op = req->operation;
	blkif_request_t *slot =
		RING_GET_REQUEST(&r->front, r->front.req_prod_pvt);
	*slot = *req;
	slot->id = id;
	r->front.req_prod_pvt++;
	r->inflight++;
}

int
blkring_push(struct blkring *r)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&r->front, notify);
	return notify;
}

static int
blkring_bad(struct blkring *r, const char *what, long value)
{
	r->broken = 1;
	fmt_snprintf(r->why, sizeof(r->why), "%s %ld", what, value);
	return EPROTO;
}

int
blkring_take(struct blkring *r, blkring_done_fn *done, void *arg)
{
	for (;;) {
		if (r->broken)
			return EPROTO;
		RING_IDX prod = __atomic_load_n(&r->front.sring->rsp_prod,
						__ATOMIC_ACQUIRE);
		RING_IDX cons = r->front.rsp_cons;

		if (prod - cons > r->inflight)
			return blkring_bad(r,
					   "response producer index jumps past "
					   "the requests outstanding:",
					   (long)(prod - cons));
		while (cons != prod) {
			blkif_response_t rsp;

			memcpy(&rsp, RING_GET_RESPONSE(&r->front, cons),
			       sizeof(rsp));
			if (rsp.id >= BLKRING_SIZE)
				return blkring_bad(r,
						   "response id out of range:",
						   (long)rsp.id);
			if (r->sent[rsp.id].cookie == NULL)
				return blkring_bad(r,
						   "response for no request "
						   "outstanding, id",
						   (long)rsp.id);
			if (rsp.operation != r->sent[rsp.id].op)
				return blkring_bad(r,
						   "response with another "
						   "operation than sent:",
						   rsp.operation);
			if (rsp.status != BLKIF_RSP_OKAY &&
			    rsp.status != BLKIF_RSP_ERROR &&
			    rsp.status != BLKIF_RSP_EOPNOTSUPP)
				return blkring_bad(r, "response status",
						   rsp.status);
			void *cookie = r->sent[rsp.id].cookie;
			r->sent[rsp.id].cookie = NULL;
			r->inflight--;
			r->front.rsp_cons = ++cons;
			done(arg, cookie, rsp.status);
		}
		int more;
		RING_FINAL_CHECK_FOR_RESPONSES(&r->front, more);
		if (!more)
			return 0;
	}
}

void
blkring_abort(struct blkring *r, blkring_done_fn *done, void *arg)
{
	r->broken = 1;
	for (unsigned id = 0; id < BLKRING_SIZE; id++) {
		void *cookie = r->sent[id].cookie;
		if (cookie == NULL)
			continue;
		r->sent[id].cookie = NULL;
		r->inflight--;
		done(arg, cookie, BLKIF_RSP_ERROR);
	}
}
