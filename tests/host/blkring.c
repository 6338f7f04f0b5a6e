/*
 * platform/xen/dev/blkring.c against a hostile backend, played by this test
 * on a ring page in host memory (under ASan and UBSan): good responses
 * are delivered once each with their cookie and status, in any order;
 * an id out of range, a duplicate id, a response for an id never sent, a
 * producer index jumping past what is outstanding (and past the ring), an
 * operation other than the one sent and a status the protocol does not
 * define are each refused, nothing after them is taken, and aborting the
 * ring then fails every outstanding request exactly once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "../../platform/xen/dev/blkring.h"

static int delivered[BLKRING_SIZE]; /* per cookie index */
static int last_status[BLKRING_SIZE];
static char cookies[BLKRING_SIZE];

static void
on_done(void *arg, void *cookie, int status)
{
	int i = (int)((char *)cookie - cookies);

	(void)arg;
	delivered[i]++;
	last_status[i] = status;
}

/*
 * The backend's view: the ring page, the requests it read off it (a
 * response overwrites the slot of a request, as on the real ring) and
 * its response producer.
 */
static blkif_sring_t *sring;
static blkif_request_t seen[BLKRING_SIZE];
static RING_IDX back_req_cons, back_rsp_prod;

/* backend_read: takes the requests pushed since the last call. */
static void
backend_read(void)
{
	while (back_req_cons != sring->req_prod) {
		seen[back_req_cons % BLKRING_SIZE] =
			sring->ring[back_req_cons % BLKRING_SIZE].req;
		back_req_cons++;
	}
}

/* fresh: a ring with n requests sent (cookie i, operation i % 2). */
static void
fresh(struct blkring *r, int n)
{
	memset(delivered, 0, sizeof(delivered));
	memset(last_status, 0, sizeof(last_status));
	memset(sring, 0xa5, 4096);
	blkring_init(r, sring);
	back_req_cons = back_rsp_prod = 0;
	for (int i = 0; i < n; i++) {
		blkif_request_t req = {.operation = (uint8_t)(i % 2),
				       .nr_segments = 1,
				       .sector_number = (uint64_t)i};
		blkring_put(r, &req, &cookies[i]);
	}
	blkring_push(r);
	backend_read();
}

/* respond: the backend answers request number k (in ring order). */
static void
respond(int k, uint64_t id_delta, int op, int status)
{
	blkif_request_t req = seen[k % BLKRING_SIZE];
	blkif_response_t *rsp = &sring->ring[back_rsp_prod % BLKRING_SIZE].rsp;

	rsp->id = req.id + id_delta;
	rsp->operation = (uint8_t)(op < 0 ? req.operation : op);
	rsp->status = (int16_t)status;
	back_rsp_prod++;
	__atomic_store_n(&sring->rsp_prod, back_rsp_prod, __ATOMIC_RELEASE);
}

static int
sum_delivered(void)
{
	int n = 0;
	for (int i = 0; i < BLKRING_SIZE; i++)
		n += delivered[i];
	return n;
}

/* abort_check: after a refusal, abort fails everything once. */
static void
abort_check(struct blkring *r, int n, const char *what)
{
	blkring_abort(r, on_done, NULL);
	int ok = 1;
	for (int i = 0; i < n; i++)
		ok &= delivered[i] == 1;
	expect(ok && r->inflight == 0, what);
}

int
main(void)
{
	struct blkring r;

	sring = aligned_alloc(4096, 4096);
	if (sring == NULL)
		return 1;

	fresh(&r, BLKRING_SIZE);
	expect(blkring_room(&r) == 0, "a full ring has no room");
	for (int k = BLKRING_SIZE - 1; k >= 0; k--)
		respond(k, 0, -1, k == 3 ? BLKIF_RSP_ERROR : BLKIF_RSP_OKAY);
	int ok = blkring_take(&r, on_done, NULL) == 0;
	for (int i = 0; i < BLKRING_SIZE; i++)
		ok &= delivered[i] == 1 &&
		      last_status[i] == (i == 3 ? BLKIF_RSP_ERROR : 0);
	expect(ok, "32 responses in reverse order: each delivered once, "
		   "with its status");
	expect(blkring_room(&r) == BLKRING_SIZE && r.inflight == 0,
	       "and every id is free again");
	expect(blkring_take(&r, on_done, NULL) == 0 && sum_delivered() == 32,
	       "nothing more to take");

	/* Ids reused across many rounds. */
	ok = 1;
	for (int round = 0; round < 100 && ok; round++) {
		blkif_request_t req = {.operation = BLKIF_OP_READ};
		memset(delivered, 0, sizeof(delivered));
		for (int i = 0; i < 5; i++)
			blkring_put(&r, &req, &cookies[i]);
		blkring_push(&r);
		backend_read();
		for (int i = 0; i < 5; i++)
			respond((int)(r.front.req_prod_pvt - 5 + (unsigned)i),
				0, -1, 0);
		ok = blkring_take(&r, on_done, NULL) == 0 &&
		     sum_delivered() == 5;
	}
	expect(ok, "100 rounds around the ring, indices wrapping");

	fresh(&r, 4);
	respond(0, 0, -1, 0);
	respond(1, 1000, -1, 0);
	respond(2, 0, -1, 0);
	expect(blkring_take(&r, on_done, NULL) == EPROTO && delivered[0] == 1 &&
		       sum_delivered() == 1,
	       "an id out of range is refused, nothing after it taken");
	printf("    why: %s\n", r.why);
	expect(blkring_take(&r, on_done, NULL) == EPROTO &&
		       blkring_room(&r) == 0,
	       "and the ring stays broken");
	abort_check(&r, 4, "abort fails each outstanding request once");

	fresh(&r, 4);
	respond(1, 0, -1, 0);
	respond(1, 0, -1, 0);
	expect(blkring_take(&r, on_done, NULL) == EPROTO && delivered[1] == 1,
	       "a duplicate id is refused");
	abort_check(&r, 4, "abort after a duplicate: once each in all");

	fresh(&r, 2);
	{
		/* An id that is in range but was never sent. */
		blkif_response_t *rsp = &sring->ring[0].rsp;
		rsp->id = 7;
		rsp->operation = 0;
		rsp->status = 0;
		__atomic_store_n(&sring->rsp_prod, 1, __ATOMIC_RELEASE);
	}
	expect(blkring_take(&r, on_done, NULL) == EPROTO &&
		       sum_delivered() == 0,
	       "a response for a request never sent is refused");
	abort_check(&r, 2, "abort fails the two sent");

	fresh(&r, 2);
	__atomic_store_n(&sring->rsp_prod, 3, __ATOMIC_RELEASE);
	expect(blkring_take(&r, on_done, NULL) == EPROTO &&
		       sum_delivered() == 0,
	       "a producer index past the requests outstanding is refused");
	abort_check(&r, 2, "abort fails both");

	fresh(&r, 2);
	__atomic_store_n(&sring->rsp_prod, 0x80000000u, __ATOMIC_RELEASE);
	expect(blkring_take(&r, on_done, NULL) == EPROTO,
	       "a producer index far past the ring is refused");
	blkring_abort(&r, on_done, NULL);

	fresh(&r, 2);
	respond(0, 0, BLKIF_OP_FLUSH_DISKCACHE, 0);
	expect(blkring_take(&r, on_done, NULL) == EPROTO &&
		       sum_delivered() == 0,
	       "a response with another operation than sent is refused");
	blkring_abort(&r, on_done, NULL);

	fresh(&r, 2);
	respond(0, 0, -1, 0);
	respond(1, 0, -1, 5);
	expect(blkring_take(&r, on_done, NULL) == EPROTO && delivered[0] == 1 &&
		       delivered[1] == 0,
	       "a status the protocol does not define is refused");
	abort_check(&r, 2, "abort fails only the one left");

	fresh(&r, 2);
	respond(0, 0, -1, BLKIF_RSP_EOPNOTSUPP);
	expect(blkring_take(&r, on_done, NULL) == 0 &&
		       last_status[0] == BLKIF_RSP_EOPNOTSUPP,
	       "EOPNOTSUPP is a status like the others");
	blkring_abort(&r, on_done, NULL);

	free(sring);
	printf("%s\n", failures ? "FAILED" : "all passed");
	return failures != 0;
}
