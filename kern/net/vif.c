/*
 * The network interfaces over the if_virt calls (include/rumpxen/virt.h):
 * vifN, netfront's vif on Xen and a socketpair or TAP device on POSIX, is
 * an lwIP Ethernet interface with the address the configuration gives it
 * (net.vifN=192.0.2.10/24,gw=192.0.2.1; on Xen, without the word, the
 * address xl gave the vif, as /24) or, with net.vifN=dhcp (on Xen: a vif
 * xl gave no address), one that DHCP leases, with its router and DNS
 * servers; the program starts once the leases are in (or 30 s have gone,
 * said on the console). IPv6: a link-local address from the MAC, others
 * by SLAAC and from net.vifN.ip6=ADDRESS/64. The device's MAC; the
 * first vif is the default route.
 *
 * Frames lwIP sends are copied onto a queue and go out in
 * kern_net_vif_flush, once lwIP has returned: rumpcomp_virt_send may give
 * the CPU back, and with it lwIP to another thread, while lwIP is in the
 * middle of its work. One thread flushes at a time; frames queued
 * meanwhile go with its. Where the device cuts super-frames, a run of
 * one connection's segments goes as one (tso.c), and the device may send
 * us super-frames too. A received frame comes from the platform's
 * thread, holding the CPU, as a pbuf copy for the interface's input;
 * what lwIP answers goes out from the timer thread, as the receiving
 * thread must not wait to send.
 */
#include <string.h>

#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

#include <rumpxen/virt.h>

#include "net.h"

#define VIF_MAX	      4
#define VIF_MTU	      1500
#define VIF_DHCP_WAIT 30 /* seconds the program waits for leases */
#define VIF_RUN	      48 /* segments joined at most: 64 KiB of 1460 */

struct vif {
	struct netif netif;
	struct virtif_user *viu;
	int ready;	   /* up: frames may go in */
	int dhcp;	   /* its address comes from DHCP */
	unsigned offloads; /* VIRT_OFFLOAD_*, the device's */
	uint8_t mac[6];
};
static struct vif vif_all[VIF_MAX];

/* A frame to send, on the queue. */
struct vif_frame {
	struct vif_frame *next;
	struct vif *vif;
	size_t len;
	unsigned char data[];
};
static struct vif_frame *vif_txq, **vif_txq_tail = &vif_txq;
static int vif_flushing;

static err_t
vif_linkoutput(struct netif *netif, struct pbuf *p)
{
	struct vif_frame *f = kern_net_malloc(sizeof(*f) + p->tot_len);

	if (f == NULL)
		return ERR_MEM;
	f->next = NULL;
	f->vif = netif->state;
	f->len = pbuf_copy_partial(p, f->data, p->tot_len, 0);
	*vif_txq_tail = f;
	vif_txq_tail = &f->next;
	return ERR_OK;
}

/* vif_pop: the first frame of the queue, taken off it. */
static struct vif_frame *
vif_pop(void)
{
	struct vif_frame *f = vif_txq;

	vif_txq = f->next;
	if (vif_txq == NULL)
		vif_txq_tail = &vif_txq;
	return f;
}

/*
 * vif_send_run: f and the joinable frames after it on the queue as one
 * super-frame, taken off the queue; 0 if none follows it (f stays).
 */
static int
vif_send_run(struct vif_frame *f)
{
	struct vif_frame *run[VIF_RUN], *g;
	struct iovec iov[VIF_RUN + 1];
	unsigned char hdr[KERN_NET_TSO_HDR];
	size_t mss = kern_net_tso_payload(f->data, f->len), total = f->len;
	int n = 1;

	if (mss == 0)
		return 0;
	run[0] = f;
	for (g = f->next;
	     g != NULL && n < VIF_RUN && g->vif == f->vif &&
	     total + g->len - KERN_NET_TSO_HDR <= VIRT_SUPER_MAX &&
	     kern_net_tso_follows(run[n - 1]->data, run[n - 1]->len, g->data,
				  g->len, mss);
	     g = g->next) {
		run[n++] = g;
		total += g->len - KERN_NET_TSO_HDR;
	}
	if (n == 1)
		return 0;
	for (int i = 0; i < n; i++)
		vif_pop();
	kern_net_tso_header(hdr, f->data, run[n - 1]->data, total);
	iov[0] = (struct iovec){hdr, sizeof(hdr)};
	for (int i = 0; i < n; i++)
		iov[i + 1] = (struct iovec){run[i]->data + KERN_NET_TSO_HDR,
					    run[i]->len - KERN_NET_TSO_HDR};
	rumpxen_virt_send_tso(f->vif->viu, iov, (size_t)n + 1, (unsigned)mss);
	for (int i = 0; i < n; i++)
		kern_net_free(run[i]);
	return 1;
}

void
kern_net_vif_flush(void)
{
	if (vif_flushing)
		return;
	vif_flushing = 1;
	while (vif_txq != NULL) {
		struct vif_frame *f = vif_txq;
		if ((f->vif->offloads & VIRT_OFFLOAD_TSO4) && vif_send_run(f))
			continue;
		vif_pop();
		struct iovec iov = {f->data, f->len};
		rumpcomp_virt_send(f->vif->viu, &iov, 1);
		kern_net_free(f);
	}
	vif_flushing = 0;
}

int
kern_net_vif_unit(const struct netif *n)
{
	return (int)((const struct vif *)n->state - vif_all);
}

int
kern_net_vif_pending(void)
{
	return vif_txq != NULL;
}

void
rump_virtif_virt_deliverpkt(struct virtif_sc *sc, struct iovec *iov,
			    size_t iovlen)
{
	struct vif *v = (struct vif *)sc;
	size_t len = 0, off = 0;
	struct pbuf *p;

	for (size_t i = 0; i < iovlen; i++)
		len += iov[i].iov_len;
	/* Super-frames too: we asked for them. */
	if (!v->ready || len < 14 || len > VIRT_SUPER_MAX)
		return; /* not up yet, or no Ethernet frame: dropped */
	p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
	if (p == NULL)
		return;
	for (size_t i = 0; i < iovlen; i++) {
		pbuf_take_at(p, iov[i].iov_base, (u16_t)iov[i].iov_len,
			     (u16_t)off);
		off += iov[i].iov_len;
	}
	if (v->netif.input(p, &v->netif) != ERR_OK)
		pbuf_free(p);
	kern_net_kick_deferred();
}

static err_t
vif_netif_init(struct netif *n)
{
	struct vif *v = n->state;

	n->name[0] = 'e';
	n->name[1] = 'n';
	n->output = etharp_output;
	n->output_ip6 = ethip6_output;
	n->linkoutput = vif_linkoutput;
	n->mtu = VIF_MTU;
	n->hwaddr_len = 6;
	memcpy(n->hwaddr, v->mac, 6);
	n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		   NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP | NETIF_FLAG_MLD6;
	return ERR_OK;
}

/*
 * vif_parse: conf ("A.B.C.D[/PREFIX][,gw=A.B.C.D]") as an address, a mask
 * (/24 without a prefix: xl's ip= gives a bare address) and a gateway
 * (0.0.0.0 without one); 0 or -EINVAL.
 */
static int
vif_parse(const char *conf, ip4_addr_t *ip, ip4_addr_t *mask, ip4_addr_t *gw)
{
	char buf[64];
	const char *comma = strchr(conf, ',');
	size_t alen = comma != NULL ? (size_t)(comma - conf) : strlen(conf);
	long prefix = 24;

	if (alen >= sizeof(buf))
		return -KERN_EINVAL;
	memcpy(buf, conf, alen);
	buf[alen] = 0;
	char *slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash = 0;
		if (num_parse_long(slash + 1, &prefix) != 0 || prefix < 0 ||
		    prefix > 32)
			return -KERN_EINVAL;
	}
	if (!ip4addr_aton(buf, ip))
		return -KERN_EINVAL;
	ip4_addr_set_u32(
		mask,
		prefix == 0 ? 0 : lwip_htonl(0xffffffffu << (32 - prefix)));
	ip4_addr_set_zero(gw);
	if (comma == NULL)
		return 0;
	if (strncmp(comma + 1, "gw=", 3) != 0 || !ip4addr_aton(comma + 4, gw))
		return -KERN_EINVAL;
	return 0;
}

/*
 * vif_ip6_config: the word net.vifN.ip6=ADDRESS/PREFIX (a prefix of 64:
 * only on-link addresses; a router's prefixes come by SLAAC) gives vif
 * unit a static IPv6 address; 0 or -EINVAL, said.
 */
static int
vif_ip6_config(int unit, struct netif *n)
{
	char key[24] = "net.vif0.ip6", buf[64];
	const char *conf;
	ip6_addr_t a;
	s8_t idx;

	key[7] = (char)('0' + unit);
	if ((conf = platform_config_get(key)) == NULL)
		return 0;
	const char *slash = strchr(conf, '/');
	size_t len = slash != NULL ? (size_t)(slash - conf) : strlen(conf);
	if (len >= sizeof(buf) || (slash != NULL && strcmp(slash, "/64") != 0))
		goto bad;
	memcpy(buf, conf, len);
	buf[len] = 0;
	if (!ip6addr_aton(buf, &a))
		goto bad;
	ip6_addr_assign_zone(&a, IP6_UNICAST, n);
	if (netif_add_ip6_address(n, &a, &idx) != ERR_OK)
		goto bad;
	/*
	 * Tentative: duplicate detection first, after the link-local's (the
	 * lower index), so that the address's multicast group is reported
	 * from the link-local address, which snooping bridges heed.
	 */
	platform_console_printf("net: vif%d: IPv6 %s/64\n", unit,
				ip6addr_ntoa(&a));
	return 0;
bad:
	platform_console_printf("net: %s: cannot take \"%s\" (ADDRESS/64)\n",
				key, conf);
	return -KERN_EINVAL;
}

/* vif_attach: vif unit as conf says; 0 or -errno, said on the console. */
static int
vif_attach(int unit, const char *conf)
{
	struct vif *v = &vif_all[unit];
	char name[2] = {(char)('0' + unit), 0};
	ip4_addr_t ip, mask, gw;
	int err = 0;

	v->dhcp = strcmp(conf, "dhcp") == 0;
	if (v->dhcp) {
		ip4_addr_set_zero(&ip);
		ip4_addr_set_zero(&mask);
		ip4_addr_set_zero(&gw);
	} else
		err = vif_parse(conf, &ip, &mask, &gw);
	if (err != 0) {
		platform_console_printf("net: vif%d: cannot read \"%s\" "
					"(ADDRESS[/PREFIX][,gw=ADDRESS] or "
					"dhcp)\n",
					unit, conf);
		return err;
	}
	/* Our own MAC unless the platform gives the device's. */
	v->mac[0] = 0x02;
	for (int i = 1; i < 6; i++)
		v->mac[i] = (uint8_t)kern_net_rand();
	err = rumpxen_virt_create(name, (struct virtif_sc *)v, v->mac,
				  VIRT_OFFLOAD_TSO4, &v->offloads, &v->viu);
	if (err != 0) {
		platform_console_printf("net: vif%d: no such interface "
					"(error %d)\n",
					unit, err);
		return kern_errno(err);
	}
	if (netif_add(&v->netif, &ip, &mask, &gw, v, vif_netif_init,
		      ethernet_input) == NULL) {
		platform_console_printf("net: vif%d: lwIP took no interface\n",
					unit);
		return -KERN_ENOMEM;
	}
	if (unit == 0)
		netif_set_default(&v->netif);
	/* IPv6: the link-local address from the MAC, SLAAC's from routers'
	 * advertisements, and the configuration's. */
	netif_create_ip6_linklocal_address(&v->netif, 1);
	netif_set_ip6_autoconfig_enabled(&v->netif, 1);
	if ((err = vif_ip6_config(unit, &v->netif)) != 0)
		return err;
	netif_set_up(&v->netif);
	v->ready = 1;
	if (v->dhcp && dhcp_start(&v->netif) != ERR_OK) {
		platform_console_printf("net: vif%d: DHCP would not start\n",
					unit);
		return -KERN_ENOMEM;
	}
	return 0;
}

/* vif_leases_due: the vifs still waiting for a DHCP lease. */
static int
vif_leases_due(void)
{
	int n = 0;

	for (int unit = 0; unit < VIF_MAX; unit++)
		if (vif_all[unit].dhcp &&
		    !dhcp_supplied_address(&vif_all[unit].netif))
			n++;
	return n;
}

/*
 * vif_leases_wait: until each DHCP vif has its lease (said on the
 * console), or VIF_DHCP_WAIT seconds: then the ones without are said,
 * and the program starts all the same (DHCP goes on asking).
 */
static void
vif_leases_wait(void)
{
	uint64_t start = kern_now(), next_say = start;

	while (vif_leases_due() > 0) {
		uint64_t now = kern_now();
		if (now - start >= VIF_DHCP_WAIT * 1000000000ull) {
			platform_console_printf(
				"net: no DHCP lease in %d s for %d vif(s); "
				"going on without their addresses\n",
				VIF_DHCP_WAIT, vif_leases_due());
			return;
		}
		if (now >= next_say) {
			platform_console_printf("net: waiting for a DHCP "
						"lease (%d s at most)\n",
						VIF_DHCP_WAIT);
			next_say = now + 5000000000ull;
		}
		kern_net_kick();
		/* The CPU goes meanwhile: to the frames, to the timers. */
		rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 50000000);
	}
	for (int unit = 0; unit < VIF_MAX; unit++) {
		struct netif *n = &vif_all[unit].netif;
		char a[16], m[16], g[16];
		if (!vif_all[unit].dhcp)
			continue;
		ip4addr_ntoa_r(netif_ip4_addr(n), a, sizeof(a));
		ip4addr_ntoa_r(netif_ip4_netmask(n), m, sizeof(m));
		ip4addr_ntoa_r(netif_ip4_gw(n), g, sizeof(g));
		platform_console_printf("net: vif%d: DHCP gave %s mask %s "
					"router %s\n",
					unit, a, m, g);
	}
}

int
kern_net_vif_init(void)
{
	for (int unit = 0; unit < VIF_MAX; unit++) {
		char key[16] = "net.vif0";
		key[7] = (char)('0' + unit);
		const char *conf = platform_config_get(key);
		if (conf == NULL)
			continue;
		int err = vif_attach(unit, conf);
		if (err != 0)
			return err;
	}
	vif_leases_wait();
	return 0;
}
