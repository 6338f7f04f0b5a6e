/*
 * netfront: the network interfaces of a domU, spoken to through Xen's
 * netif protocol (xen/io/netif.h) over a transmit and a receive ring.
 *
 * An interface connects on first use: wait for the backend's InitWait,
 * publish the rings, the event channel and our features (receive by copy,
 * receive notifications; and, for a kernel that asks for offloads,
 * scatter-gather, GSO for TCP/IPv4 and checksum offload; without, none of
 * these, so the backend hands us frames of a page at most with their
 * checksums filled in), become Connected and wait for the backend to be.
 * Its MAC comes from the frontend's "mac" key.
 *
 * Each of the 256 transmit slots has a page of its own, granted to the
 * backend read-only for as long as the interface lives: a frame is copied
 * into the pages of as many free slots as it needs and sent (a
 * super-frame with a GSO extra-info slot, when the backend offers
 * feature-gso-tcpv4 and feature-sg); a slot is free again when its
 * response comes. The receive ring is kept full: 256 pages granted
 * writable, each posted again as soon as the frame in it has been taken;
 * netcsum.c fills in a checksum the backend left blank. The
 * rings' responses are checked by netring.c; the first bad one
 * disconnects the interface with a message, and from then on nothing is
 * sent or received. The link is down, with a message, once the backend
 * leaves Connected (its state is read at most once a second, by
 * netfront_link_up); a backend that closes the device has us close too. The
 * event handler only wakes the thread that waits for frames or free slots. At
 * the domain's end every interface closes and each grant is taken back once the
 * backend let go of it.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "../xenbus/xenbus.h"
#include "dev.h"

#include "netcsum.h"
#include "netring.h"

#define NETFRONT_MAX	 4
#define NETFRONT_HS_NS	 30000000000ull /* a handshake step's time limit */
#define NETFRONT_BYE_NS	 5000000000ull	/* detach: time for each stage */
#define NETFRONT_MAX_TX	 (PAGE_SIZE)
#define NETFRONT_MAX_TSO 65535 /* an IP packet's most, with its header */
#define NETFRONT_LINK_NS 1000000000ull /* link state read once a second */

struct netfront {
	struct xenbus_dev xb; /* xb.id is the vif's number */
	uint8_t mac[6];
	int connected, broken;
	int offload;   /* offered scatter-gather, GSO, checksum offload */
	int tso;       /* the backend takes TCP/IPv4 super-frames */
	int link_down; /* the backend left Connected */
	uint64_t link_checked; /* when its state was last read */
	struct netring ring;
	void *tx_ring_page, *rx_ring_page;
	grant_ref_t tx_ring_ref, rx_ring_ref;
	evtchn_port_t port;
	char *tx_pages, *rx_pages; /* NETRING_SIZE pages each */
	grant_ref_t tx_refs[NETRING_SIZE], rx_refs[NETRING_SIZE];
	uint16_t tx_free[NETRING_SIZE];
	unsigned tx_nfree;
	struct netring_frame taken; /* the frame netfront_recv gave */
	struct waitq *notify;
};

_Static_assert(NETFRONT_FRAGS >= NETRING_FRAME_SLOTS,
	       "a received frame's pieces fit netfront_recv's iov");

static struct netfront netfront_devs[NETFRONT_MAX];
static unsigned netfront_ndevs;
static int netfront_detached;

static void
netfront_event(evtchn_port_t port, void *arg)
{
	struct netfront *d = arg;

	(void)port;
	if (d->notify != NULL)
		waitq_wake_all(d->notify);
}

static int
netfront_fail(struct netfront *d, const char *what, long value)
{
	platform_console_printf("netfront vif%lu (%s, backend %s): %s %ld\n",
				d->xb.id, d->xb.front, d->xb.back, what, value);
	return EIO;
}

/* netfront_scan: learns the interfaces in device/vif once. */
static void
netfront_scan(void)
{
	static struct xenbus_dev found[NETFRONT_MAX];
	static int scanned;

	if (scanned)
		return;
	scanned = 1;
	netfront_ndevs = xenbus_list("vif", found, NETFRONT_MAX);
	for (unsigned i = 0; i < netfront_ndevs; i++)
		netfront_devs[i].xb = found[i];
}

/* netfront_parse_mac: "aa:bb:cc:dd:ee:ff" into mac; 0 or EINVAL. */
static int
netfront_parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char c = *s++;
			unsigned digit;
			if (c >= '0' && c <= '9')
				digit = (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				digit = (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				digit = (unsigned)(c - 'A' + 10);
			else
				return EINVAL;
			v = v << 4 | digit;
		}
		mac[i] = (uint8_t)v;
		if (*s != (i < 5 ? ':' : '\0'))
			return EINVAL;
		s++;
	}
	return 0;
}

/* netfront_grant_pages: n fresh pages, each granted to the backend. */
static int
netfront_grant_pages(struct netfront *d, char **pages, grant_ref_t *refs,
		     int readonly)
{
	void *p;

	if (pages_alloc(NETRING_SIZE, 1, &p) != 0)
		return ENOMEM;
	*pages = p;
	memset(p, 0, NETRING_SIZE * PAGE_SIZE);
	for (unsigned i = 0; i < NETRING_SIZE; i++) {
		unsigned long pfn = ((unsigned long)p >> PAGE_SHIFT) + i;
		int err = gnttab_grant_access((domid_t)d->xb.backend_id,
					      mm_pfn_to_mfn(pfn), readonly,
					      &refs[i]);
		if (err != 0)
			return err;
	}
	return 0;
}

/* netfront_publish: the frontend's keys and Connected, in one go. */
static int
netfront_publish(struct netfront *d)
{
	const struct xenbus_key keys[] = {
		{"tx-ring-ref", NULL, d->tx_ring_ref},
		{"rx-ring-ref", NULL, d->rx_ring_ref},
		{"event-channel", NULL, d->port},
		{"request-rx-copy", NULL, 1},
		{"feature-rx-notify", NULL, 1},
		{"feature-sg", NULL, (unsigned long)d->offload},
		{"feature-gso-tcpv4", NULL, (unsigned long)d->offload},
		{"feature-no-csum-offload", NULL, (unsigned long)!d->offload},
		{"feature-ipv6-csum-offload", NULL, 0},
		{"state", NULL, XenbusStateConnected},
	};

	return xenbus_publish(d->xb.front, keys,
			      sizeof(keys) / sizeof(keys[0]));
}

/* netfront_backend_has: whether the backend offers feature name. */
static int
netfront_backend_has(struct netfront *d, const char *name)
{
	char path[96], v[8];

	fmt_snprintf(path, sizeof(path), "%s/%s", d->xb.back, name);
	return xs_read(0, path, v, sizeof(v)) == 0 && strcmp(v, "1") == 0;
}

/* netfront_connect: the handshake; 0, or EIO with a message. */
static int
netfront_connect(struct netfront *d)
{
	const unsigned closed =
		1u << XenbusStateClosing | 1u << XenbusStateClosed;
	uint64_t end = time_monotonic_ns() + NETFRONT_HS_NS;
	char path[96], mac[32];
	int state, err;

	fmt_snprintf(path, sizeof(path), "%s/mac", d->xb.front);
	if (xs_read(0, path, mac, sizeof(mac)) != 0 ||
	    netfront_parse_mac(mac, d->mac) != 0)
		return netfront_fail(d, "no usable mac", 0);
	err = xenbus_wait_state(d->xb.back,
				1u << XenbusStateInitWait | closed |
					1u << XenbusStateConnected,
				end, &state);
	if (err != 0 || state != XenbusStateInitWait)
		return netfront_fail(d, "backend not waiting for us, state",
				     state);
	if (pages_alloc(1, 1, &d->tx_ring_page) != 0 ||
	    pages_alloc(1, 1, &d->rx_ring_page) != 0)
		return netfront_fail(d, "no memory for the rings", 0);
	netring_init(&d->ring, d->tx_ring_page, d->rx_ring_page, d->offload);
	d->tso = d->offload && netfront_backend_has(d, "feature-sg") &&
		 netfront_backend_has(d, "feature-gso-tcpv4");
	err = gnttab_grant_access(
		(domid_t)d->xb.backend_id,
		mm_pfn_to_mfn((unsigned long)d->tx_ring_page >> PAGE_SHIFT), 0,
		&d->tx_ring_ref);
	if (err == 0)
		err = gnttab_grant_access(
			(domid_t)d->xb.backend_id,
			mm_pfn_to_mfn((unsigned long)d->rx_ring_page >>
				      PAGE_SHIFT),
			0, &d->rx_ring_ref);
	if (err == 0)
		err = netfront_grant_pages(d, &d->tx_pages, d->tx_refs, 1);
	if (err == 0)
		err = netfront_grant_pages(d, &d->rx_pages, d->rx_refs, 0);
	if (err != 0)
		return netfront_fail(d, "cannot grant the buffers, error", err);
	for (unsigned i = 0; i < NETRING_SIZE; i++) {
		d->tx_free[i] = (uint16_t)(NETRING_SIZE - 1 - i);
		netring_rx_post(&d->ring, i, d->rx_refs[i]);
	}
	d->tx_nfree = NETRING_SIZE;
	netring_rx_push(&d->ring);
	err = evtchn_alloc_unbound((domid_t)d->xb.backend_id, netfront_event, d,
				   &d->port);
	if (err == 0)
		err = netfront_publish(d);
	if (err != 0)
		return netfront_fail(d, "cannot publish the rings, error", err);
	err = xenbus_wait_state(d->xb.back, 1u << XenbusStateConnected | closed,
				end, &state);
	if (err != 0 || state != XenbusStateConnected)
		return netfront_fail(d, "backend did not connect, state",
				     state);
	d->connected = 1;
	evtchn_notify(d->port); /* the receive buffers are there */
	return 0;
}

int
netfront_get(unsigned index, struct waitq *notify, int offload,
	     struct netfront **out, uint8_t mac[6], int *tso)
{
	netfront_scan();
	for (unsigned i = 0; i < netfront_ndevs; i++) {
		struct netfront *d = &netfront_devs[i];

		if (d->xb.id != index)
			continue;
		if (d->broken)
			return EIO;
		if (d->connected && d->offload != offload)
			return EINVAL; /* frames it was offered stay */
		d->notify = notify;    /* the caller's, from now on */
		if (!d->connected) {
			d->offload = offload;
			if (netfront_connect(d) != 0) {
				d->broken = 1;
				return EIO;
			}
		}
		memcpy(mac, d->mac, 6);
		*tso = d->tso;
		*out = d;
		return 0;
	}
	return ENOENT;
}

void
netfront_put(struct netfront *d)
{
	d->notify = NULL;
}

/* netfront_break: a bad response: disconnect, say why. */
static void
netfront_break(struct netfront *d)
{
	netfront_fail(d, d->ring.why, 0);
	platform_console_printf("netfront vif%lu: disconnected\n", d->xb.id);
	d->broken = 1;
	xenbus_set_state(d->xb.front, XenbusStateClosing);
	if (d->notify != NULL)
		waitq_wake_all(d->notify);
}

static void
netfront_tx_done(void *arg, unsigned id, int status)
{
	struct netfront *d = arg;

	(void)status; /* a dropped frame is the network's business */
	d->tx_free[d->tx_nfree++] = (uint16_t)id;
}

int
netfront_link_up(struct netfront *d)
{
	uint64_t now = time_monotonic_ns();
	int state;

	if (d->broken || d->link_down)
		return 0;
	if (now - d->link_checked < NETFRONT_LINK_NS)
		return 1;
	d->link_checked = now;
	state = xenbus_state(d->xb.back);
	if (state == XenbusStateConnected)
		return 1;
	d->link_down = 1;
	platform_console_printf("netfront vif%lu: link down: backend %s in "
				"state %d\n",
				d->xb.id, d->xb.back, state);
	/* A backend closing the device wants us to close too. */
	if (state == XenbusStateClosing)
		xenbus_set_state(d->xb.front, XenbusStateClosed);
	return 0;
}

int
netfront_send(struct netfront *d, const struct iovec *iov, size_t n,
	      unsigned mss)
{
	size_t len = 0, at = 0, iv = 0, ivoff = 0;
	uint16_t flags = d->offload ? NETTXF_data_validated : 0;
	unsigned slots;

	if (d->broken || d->link_down || netfront_detached || !d->connected)
		return EIO;
	for (size_t i = 0; i < n; i++)
		len += iov[i].iov_len;
	if (len > (mss > 0 ? NETFRONT_MAX_TSO : NETFRONT_MAX_TX) ||
	    len < NETRING_MIN_FRAME || (mss > 0 && !d->tso))
		return EMSGSIZE;
	if (netring_tx_take(&d->ring, netfront_tx_done, d) != 0) {
		netfront_break(d);
		return EIO;
	}
	slots = (unsigned)((len + PAGE_SIZE - 1) / PAGE_SIZE);
	if (d->tx_nfree < slots ||
	    netring_tx_room(&d->ring) < slots + (mss > 0))
		return EAGAIN;
	if (mss > 0)
		flags |= NETTXF_csum_blank | NETTXF_extra_info;
	for (unsigned k = 0; k < slots; k++) {
		unsigned id = d->tx_free[--d->tx_nfree];
		char *page = d->tx_pages + (size_t)id * PAGE_SIZE;
		size_t piece = len - at < PAGE_SIZE ? len - at : PAGE_SIZE;

		/* The frame's bytes [at, at + piece) into this slot's page. */
		for (size_t got = 0; got < piece;) {
			size_t c = iov[iv].iov_len - ivoff;
			if (c > piece - got)
				c = piece - got;
			memcpy(page + got, (char *)iov[iv].iov_base + ivoff, c);
			got += c;
			ivoff += c;
			if (ivoff == iov[iv].iov_len) {
				iv++;
				ivoff = 0;
			}
		}
		uint16_t f = k + 1 < slots ? NETTXF_more_data : 0;
		if (k == 0)
			f |= flags;
		/* The first slot gives the whole frame's size. */
		netring_tx_put(&d->ring, id, d->tx_refs[id], 0,
			       (uint16_t)(k == 0 ? len : piece), f);
		if (k == 0 && mss > 0)
			netring_tx_put_gso(&d->ring, (uint16_t)mss);
		at += piece;
	}
	if (netring_tx_push(&d->ring))
		evtchn_notify(d->port);
	return 0;
}

/* netfront_repost: buffer id goes back on the receive ring. */
static void
netfront_repost(struct netfront *d, unsigned id)
{
	if (d->broken || netfront_detached)
		return;
	netring_rx_post(&d->ring, id, d->rx_refs[id]);
}

int
netfront_recv(struct netfront *d, struct iovec *iov, size_t *n)
{
	struct netring_frame *f = &d->taken;

	/* At most a ring's worth of errors before the CPU goes: a backend
	 * that errs on every buffer must not hold it (it is cooperative). */
	for (int tries = 0; tries < NETRING_SIZE; tries++) {
		if (d->broken || netfront_detached)
			return EIO;
		int err = netring_rx_next(&d->ring, f);
		if (err == EAGAIN)
			return EAGAIN;
		if (err != 0) {
			netfront_break(d);
			return EIO;
		}
		*n = 0;
		for (unsigned i = 0; i < f->nslots && f->len > 0; i++) {
			if (f->slot[i].len <= 0)
				continue; /* an extra slot */
			iov[*n].iov_base = d->rx_pages +
					   (size_t)f->slot[i].id * PAGE_SIZE +
					   f->slot[i].offset;
			iov[(*n)++].iov_len = (size_t)f->slot[i].len;
		}
		/* A blank checksum we cannot fill: the kernel refuses it. */
		if (*n > 0 && (f->flags & NETRXF_csum_blank))
			netcsum_fill(iov, *n);
		if (*n > 0)
			return 0;
		/* The backend's error, or a frame too long: no frame. */
		netfront_recv_done(d);
	}
	return EAGAIN;
}

void
netfront_recv_done(struct netfront *d)
{
	for (unsigned i = 0; i < d->taken.nslots; i++)
		netfront_repost(d, d->taken.slot[i].id);
	d->taken.nslots = 0;
	if (!d->broken && !netfront_detached && netring_rx_push(&d->ring))
		evtchn_notify(d->port);
}

/* netfront_end_grants: takes back n grants, waiting for each to be let go. */
static void
netfront_end_grants(struct netfront *d, grant_ref_t *refs, unsigned n,
		    uint64_t end)
{
	for (unsigned i = 0; i < n; i++) {
		if (gnttab_end_access_wait(refs[i], end) != 0) {
			netfront_fail(d, "backend never let go of grant",
				      (long)refs[i]);
			return;
		}
	}
}

/* netfront_detach: closes d, then takes every grant back. */
static void
netfront_detach(struct netfront *d)
{
	uint64_t end;

	xenbus_close(d->xb.front, d->xb.back, NETFRONT_BYE_NS);
	end = time_monotonic_ns() + NETFRONT_BYE_NS;
	netfront_end_grants(d, &d->tx_ring_ref, 1, end);
	netfront_end_grants(d, &d->rx_ring_ref, 1, end);
	netfront_end_grants(d, d->tx_refs, NETRING_SIZE, end);
	netfront_end_grants(d, d->rx_refs, NETRING_SIZE, end);
	evtchn_close(d->port);
	d->connected = 0;
}

void
netfront_detach_all(void)
{
	netfront_detached = 1;
	for (unsigned i = 0; i < netfront_ndevs; i++)
		if (netfront_devs[i].connected)
			netfront_detach(&netfront_devs[i]);
}
