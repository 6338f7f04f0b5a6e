/*
 * The xenstore client of a domU: requests and replies over the shared
 * ring page of start_info (store_mfn, store_evtchn), watches, and
 * transactions.
 *
 * One request is on the wire at a time: a caller takes the client (a flag
 * and a wait queue, enough on one cooperative vCPU), writes header and
 * payload into the request ring as room appears, and reads messages from
 * the reply ring until its reply comes. Watch events that arrive on the
 * way (or while nobody asks anything: the event handler reads them then)
 * are queued for xs_watch_wait. Errors come back as errno values, never as
 * strings: xenstored's "ENOENT" and friends are looked up in its own
 * table (xs_wire.h). No wait is silent or endless: a request that waits
 * more than 5 s for room or for its reply says so on the console, with its
 * path, and one that waits 30 s fails with ETIMEDOUT (a reply that comes
 * later is dropped; a request left half-written disables the client). The
 * daemon is not trusted: a reply longer than the protocol allows, or ring
 * indices that claim more than a ring holds, disable the client with a message
 * instead of reading out of bounds.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "xenbus.h"

#include <xen/io/xs_wire.h>

#define XS_MAX_EVENTS 64
#define XS_SAY_NS     5000000000ull  /* a wait this long says so */
#define XS_LIMIT_NS   30000000000ull /* and one this long gives up */

static struct xenstore_domain_interface *xs_ring;
static evtchn_port_t xs_port;
static int xs_broken;
static int xs_busy;		/* a request is on the wire */
static struct waitq xs_waiters; /* for the client, room, a reply, events */
static uint32_t xs_next_id;

/* The request on the wire, for what its waits say. */
static struct {
	uint32_t type;
	const char *path; /* its payload's first string */
	uint64_t start;
	int said;
} xs_wire;

/* The reply being waited for, filled in by xs_read_messages. */
static struct {
	uint32_t id;
	int ready;
	uint32_t type;
	uint32_t len;
	char body[XENSTORE_PAYLOAD_MAX + 1];
} xs_reply;

/*
 * Watch events not yet taken: the watched path of each, on the heap (an
 * event that finds no memory, or no slot, is dropped, as a full queue
 * in xenstored would drop it too).
 */
static char *xs_events[XS_MAX_EVENTS];
static unsigned xs_events_head, xs_events_count;

static void
xs_fail(const char *what, unsigned long value)
{
	xs_broken = 1;
	platform_console_printf("xenstore: client disabled, bad %s (%lu)\n",
				what, value);
	waitq_wake_all(&xs_waiters);
}

/* xs_rsp_avail: bytes waiting in the reply ring, checked. */
static uint32_t
xs_rsp_avail(void)
{
	XENSTORE_RING_IDX prod =
		__atomic_load_n(&xs_ring->rsp_prod, __ATOMIC_ACQUIRE);
	uint32_t n = prod - xs_ring->rsp_cons;

	if (n > XENSTORE_RING_SIZE) {
		xs_fail("reply producer index", prod);
		return 0;
	}
	return n;
}

static void
xs_rsp_copy(void *dst, uint32_t len)
{
	char *d = dst;
	XENSTORE_RING_IDX cons = xs_ring->rsp_cons;

	for (uint32_t i = 0; i < len; i++)
		d[i] = xs_ring->rsp[MASK_XENSTORE_IDX(cons + i)];
	__atomic_store_n(&xs_ring->rsp_cons, cons + len, __ATOMIC_RELEASE);
}

/*
 * xs_read_messages: takes every whole message from the reply ring: the
 * awaited reply into xs_reply, watch events into xs_events.
 */
static void
xs_read_messages(void)
{
	static struct xsd_sockmsg hdr;
	static uint32_t got; /* of the current message's body */
	static int have_hdr;
	static char body[XENSTORE_PAYLOAD_MAX + 1];

	while (!xs_broken) {
		uint32_t avail = xs_rsp_avail();
		if (!have_hdr) {
			if (avail < sizeof(hdr))
				break;
			xs_rsp_copy(&hdr, sizeof(hdr));
			if (hdr.len > XENSTORE_PAYLOAD_MAX) {
				xs_fail("reply length", hdr.len);
				break;
			}
			have_hdr = 1;
			got = 0;
			continue;
		}
		if (got < hdr.len) {
			uint32_t k =
				hdr.len - got < avail ? hdr.len - got : avail;
			if (k == 0)
				break;
			xs_rsp_copy(body + got, k);
			got += k;
			continue;
		}
		body[hdr.len] = '\0';
		have_hdr = 0;
		if (hdr.type == XS_WATCH_EVENT) {
			size_t len = strlen(body) + 1; /* the path */
			void *copy;
			if (xs_events_count < XS_MAX_EVENTS &&
			    heap_alloc(len, 1, &copy) == 0) {
				unsigned i =
					(xs_events_head + xs_events_count++) %
					XS_MAX_EVENTS;
				memcpy(copy, body, len);
				xs_events[i] = copy;
			}
		} else if (xs_busy && hdr.req_id == xs_reply.id) {
			xs_reply.type = hdr.type;
			xs_reply.len = hdr.len;
			memcpy(xs_reply.body, body, hdr.len + 1);
			xs_reply.ready = 1;
		} else if (hdr.req_id - 1 < xs_next_id) {
			/* The late reply to a request that gave up: dropped. */
		} else {
			xs_fail("reply id", hdr.req_id);
		}
		evtchn_notify(xs_port);
	}
}

static void
xs_event(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	if (xs_ring != NULL) {
		xs_read_messages();
		waitq_wake_all(&xs_waiters);
	}
}

/* xs_type_name: a request type's name, for messages. */
static const char *
xs_type_name(uint32_t type)
{
	static const char *const names[] = {
		[XS_DIRECTORY] = "DIRECTORY",
		[XS_READ] = "READ",
		[XS_WATCH] = "WATCH",
		[XS_UNWATCH] = "UNWATCH",
		[XS_TRANSACTION_START] = "TRANSACTION_START",
		[XS_TRANSACTION_END] = "TRANSACTION_END",
		[XS_WRITE] = "WRITE",
		[XS_MKDIR] = "MKDIR",
		[XS_RM] = "RM",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type] != NULL)
		return names[type];
	return "?";
}

/*
 * xs_wait: one wait of the request on the wire for what (room, or its
 * reply) within its time limit: 0 after an event or a while, ETIMEDOUT
 * once the limit has passed. Says once on the console that it waits.
 */
static int
xs_wait(const char *what)
{
	uint64_t now = time_monotonic_ns();
	uint64_t say = xs_wire.start + XS_SAY_NS;
	uint64_t limit = xs_wire.start + XS_LIMIT_NS;

	if (now >= limit) {
		platform_console_printf(
			"xenstore: no %s for %s %s in %lu s: "
			"gave up\n",
			what, xs_type_name(xs_wire.type), xs_wire.path,
			(unsigned long)(XS_LIMIT_NS / 1000000000));
		return ETIMEDOUT;
	}
	if (!xs_wire.said && now >= say) {
		xs_wire.said = 1;
		platform_console_printf(
			"xenstore: waiting for %s for %s %s "
			"(%lu s so far)\n",
			what, xs_type_name(xs_wire.type), xs_wire.path,
			(unsigned long)((now - xs_wire.start) / 1000000000));
	}
	waitq_wait(&xs_waiters, xs_wire.said ? limit : say);
	return 0;
}

/*
 * xs_put: copies len bytes into the request ring, waiting for room: 0,
 * EIO (the client is disabled) or ETIMEDOUT.
 */
static int
xs_put(const void *src, uint32_t len)
{
	const char *s = src;

	while (len > 0) {
		XENSTORE_RING_IDX cons =
			__atomic_load_n(&xs_ring->req_cons, __ATOMIC_ACQUIRE);
		XENSTORE_RING_IDX prod = xs_ring->req_prod;
		uint32_t used = prod - cons;
		if (xs_broken)
			return EIO;
		if (used > XENSTORE_RING_SIZE) {
			xs_fail("request consumer index", cons);
			return EIO;
		}
		if (used == XENSTORE_RING_SIZE) {
			evtchn_notify(xs_port);
			if (xs_wait("room in the ring") != 0)
				return ETIMEDOUT;
			continue;
		}
		uint32_t k = XENSTORE_RING_SIZE - used;
		if (k > len)
			k = len;
		for (uint32_t i = 0; i < k; i++)
			xs_ring->req[MASK_XENSTORE_IDX(prod + i)] = s[i];
		__atomic_store_n(&xs_ring->req_prod, prod + k,
				 __ATOMIC_RELEASE);
		s += k;
		len -= k;
	}
	evtchn_notify(xs_port);
	return 0;
}

/* xs_errno: the errno value of xenstored's error string. */
static int
xs_errno(const char *name)
{
	for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (strcmp(xsd_errors[i].errstring, name) == 0)
			return xsd_errors[i].errnum;
	return EIO;
}

/*
 * xs_request: one request with payload (len bytes) in transaction tx (0:
 * none), waiting for its reply; the reply's payload goes into out (NUL
 * added) when out is given, its length into *outlen. Returns 0 or an
 * errno value: xenstored's error, E2BIG (too long either way), ENODEV (no
 * xenstore: dom0 under the test host), EIO (the client is disabled),
 * ETIMEDOUT (no room or no reply within the time limit).
 */
static int
xs_request(uint32_t type, uint32_t tx, const char *payload, uint32_t len,
	   char *out, size_t outsize, size_t *outlen)
{
	struct xsd_sockmsg hdr = {.type = type, .tx_id = tx, .len = len};
	int err;

	if (xs_ring == NULL)
		return ENODEV;
	if (len > XENSTORE_PAYLOAD_MAX)
		return E2BIG;
	while (xs_busy)
		waitq_wait(&xs_waiters, 0);
	xs_busy = 1;
	hdr.req_id = xs_reply.id = ++xs_next_id;
	xs_reply.ready = 0;
	xs_wire.type = type;
	xs_wire.path = len > 0 ? payload : "";
	xs_wire.start = time_monotonic_ns();
	xs_wire.said = 0;
	err = xs_put(&hdr, sizeof(hdr));
	if (err == 0)
		err = xs_put(payload, len);
	if (err == ETIMEDOUT)
		xs_fail("request ring (stalled with a request half-written)",
			type);
	while (err == 0 && !xs_reply.ready && !xs_broken) {
		xs_read_messages();
		if (!xs_reply.ready)
			err = xs_wait("the reply");
	}
	if (err == 0 && !xs_reply.ready)
		err = EIO;
	if (err == 0 && xs_reply.type == XS_ERROR)
		err = xs_errno(xs_reply.body);
	if (err == 0 && out != NULL) {
		if (xs_reply.len >= outsize)
			err = E2BIG;
		else
			memcpy(out, xs_reply.body, xs_reply.len + 1);
	}
	if (err == 0 && outlen != NULL)
		*outlen = xs_reply.len;
	xs_busy = 0;
	waitq_wake_all(&xs_waiters);
	return err;
}

/* xs_path_request: a request whose payload is one path. */
static int
xs_path_request(uint32_t type, uint32_t tx, const char *path, char *out,
		size_t outsize, size_t *outlen)
{
	return xs_request(type, tx, path, (uint32_t)strlen(path) + 1, out,
			  outsize, outlen);
}

/* xs_pair_request: path and a second string (no NUL after it if bare). */
static int
xs_pair_request(uint32_t type, uint32_t tx, const char *path,
		const char *second, int bare)
{
	char msg[XENSTORE_PAYLOAD_MAX];
	size_t plen = strlen(path) + 1, slen = strlen(second) + (bare ? 0 : 1);

	if (plen + slen > sizeof(msg))
		return E2BIG;
	memcpy(msg, path, plen);
	memcpy(msg + plen, second, slen);
	return xs_request(type, tx, msg, (uint32_t)(plen + slen), NULL, 0,
			  NULL);
}

int
xs_read(uint32_t tx, const char *path, char *buf, size_t size)
{
	return xs_path_request(XS_READ, tx, path, buf, size, NULL);
}

int
xs_write(uint32_t tx, const char *path, const char *value)
{
	/* The value is the payload's tail, without a NUL of its own. */
	return xs_pair_request(XS_WRITE, tx, path, value, 1);
}

int
xs_mkdir(uint32_t tx, const char *path)
{
	return xs_path_request(XS_MKDIR, tx, path, NULL, 0, NULL);
}

int
xs_rm(uint32_t tx, const char *path)
{
	return xs_path_request(XS_RM, tx, path, NULL, 0, NULL);
}

int
xs_directory(uint32_t tx, const char *path, char *buf, size_t size, size_t *len)
{
	return xs_path_request(XS_DIRECTORY, tx, path, buf, size, len);
}

int
xs_watch(const char *path, const char *token)
{
	return xs_pair_request(XS_WATCH, 0, path, token, 0);
}

int
xs_unwatch(const char *path, const char *token)
{
	return xs_pair_request(XS_UNWATCH, 0, path, token, 0);
}

int
xs_watch_wait(char *path, size_t size, uint64_t deadline)
{
	while (xs_events_count == 0) {
		if (xs_ring == NULL || xs_broken)
			return xs_ring == NULL ? ENODEV : EIO;
		if (!xs_busy)
			xs_read_messages();
		if (xs_events_count == 0 &&
		    waitq_wait(&xs_waiters, deadline) == ETIMEDOUT &&
		    xs_events_count == 0)
			return ETIMEDOUT;
	}
	char *event = xs_events[xs_events_head];
	int err = 0;

	xs_events_head = (xs_events_head + 1) % XS_MAX_EVENTS;
	xs_events_count--;
	if (strlen(event) >= size)
		err = E2BIG;
	else
		strcpy(path, event);
	heap_free(event);
	return err;
}

int
xs_transaction_start(uint32_t *tx)
{
	char id[16];
	long v;
	int err = xs_request(XS_TRANSACTION_START, 0, "", 1, id, sizeof(id),
			     NULL);

	if (err != 0)
		return err;
	if (num_parse_long(id, &v) != 0 || v <= 0 || v > 0xffffffffl)
		return EIO;
	*tx = (uint32_t)v;
	return 0;
}

int
xs_transaction_end(uint32_t tx, int abort)
{
	return xs_request(XS_TRANSACTION_END, tx, abort ? "F" : "T", 2, NULL, 0,
			  NULL);
}

int
xs_init(const start_info_t *si)
{
	unsigned long pfn;

	if (si->flags & SIF_INITDOMAIN)
		return ENODEV; /* dom0 under the test host: no xenstored */
	pfn = mm_mfn_to_pfn(si->store_mfn);
	if (pfn >= mm_nr_pages)
		return EINVAL;
	xs_ring = (struct xenstore_domain_interface *)(pfn << PAGE_SHIFT);
	xs_port = si->store_evtchn;
	return evtchn_listen(xs_port, xs_event, NULL);
}
