/*
 * The interfaces as Linux shows them to a socket's ioctl: "lo" (lwIP's
 * loopback) and "ethN" (vifN), with their index (from 1, in lwIP's
 * order), flags, address, netmask, MTU and MAC. SIOCGIFCONF lists those
 * that have an IPv4 address, as Linux does. kern_net_link gives the same
 * and the IPv6 addresses to netlink (kern/sys/netlink.c).
 */
#include <string.h>

#include "lwip/netif.h"

#include "net.h"

#define IFNAMSIZ 16

/* Linux's struct ifreq: a name, then a union of 24 bytes. */
struct kern_ifreq {
	char name[IFNAMSIZ];
	union {
		struct kern_sockaddr_in addr;
		struct {
			unsigned short family;
			unsigned char data[14];
		} hwaddr;
		int ivalue;
		short flags;
		unsigned char pad[24];
	} u;
};
/* Linux's struct ifconf. */
struct kern_ifconf {
	int len;
	struct kern_ifreq *req;
};

#define SIOCGIFNAME	0x8910
#define SIOCGIFCONF	0x8912
#define SIOCGIFFLAGS	0x8913
#define SIOCGIFADDR	0x8915
#define SIOCGIFNETMASK	0x891b
#define SIOCGIFMTU	0x8921
#define SIOCGIFHWADDR	0x8927
#define SIOCGIFINDEX	0x8933
#define IFF_UP		0x1
#define IFF_BROADCAST	0x2
#define IFF_LOOPBACK	0x8
#define IFF_RUNNING	0x40
#define IFF_MULTICAST	0x1000
#define ARPHRD_ETHER	1
#define ARPHRD_LOOPBACK 772

/* if_name: n's Linux name into buf (IFNAMSIZ bytes). */
static void
if_name(const struct netif *n, char *buf)
{
	memset(buf, 0, IFNAMSIZ);
	if (n->name[0] == 'l' && n->name[1] == 'o') {
		memcpy(buf, "lo", 2);
		return;
	}
	memcpy(buf, "eth", 3);
	buf[3] = (char)('0' + kern_net_vif_unit(n));
}

/* if_find: the interface Linux would call name, or NULL. */
static struct netif *
if_find(const char *name)
{
	struct netif *n;
	char buf[IFNAMSIZ];

	NETIF_FOREACH(n)
	{
		if_name(n, buf);
		if (strncmp(buf, name, IFNAMSIZ) == 0)
			return n;
	}
	return NULL;
}

_Static_assert(LWIP_IPV6_NUM_ADDRESSES <=
		       sizeof(((struct kern_net_link *)0)->ip6) /
			       sizeof(((struct kern_net_link *)0)->ip6[0]),
	       "kern_net_link holds every IPv6 address of an interface");

/* if_flags: n's IFF_* flags. */
static unsigned
if_flags(const struct netif *n)
{
	int loop = n->name[0] == 'l' && n->name[1] == 'o';

	return (netif_is_up(n) ? IFF_UP | IFF_RUNNING : 0) |
	       (loop ? IFF_LOOPBACK : IFF_BROADCAST | IFF_MULTICAST);
}

int
kern_net_link(int i, struct kern_net_link *l)
{
	/* In the order of their indices, as Linux dumps them. */
	for (int index = 1; index <= 255; index++) {
		struct netif *n = netif_get_by_index((u8_t)index);
		if (n == NULL || i-- > 0)
			continue;
		int loop = n->name[0] == 'l' && n->name[1] == 'o';
		memset(l, 0, sizeof(*l));
		l->index = netif_get_index(n);
		if_name(n, l->name);
		l->flags = if_flags(n);
		l->type = loop ? ARPHRD_LOOPBACK : ARPHRD_ETHER;
		l->mtu = loop ? 65536 : n->mtu;
		l->maclen = loop ? 6 : n->hwaddr_len; /* lo's: zeros */
		memcpy(l->mac, n->hwaddr, loop ? 0 : n->hwaddr_len);
		l->ip4 = ip4_addr_get_u32(netif_ip4_addr(n));
		l->mask4 = ip4_addr_get_u32(netif_ip4_netmask(n));
		for (int k = 0; k < LWIP_IPV6_NUM_ADDRESSES; k++) {
			if (!ip6_addr_isvalid(netif_ip6_addr_state(n, k)))
				continue;
			const ip6_addr_t *a = netif_ip6_addr(n, k);
			memcpy(l->ip6[l->n6].addr, a->addr, 16);
			l->ip6[l->n6].link = ip6_addr_islinklocal(a);
			l->n6++;
		}
		return 0;
	}
	return -KERN_ENODEV;
}

static void
if_addr(struct kern_sockaddr_in *sin, const ip4_addr_t *ip)
{
	memset(sin, 0, sizeof(*sin));
	sin->family = KERN_AF_INET;
	sin->addr = ip4_addr_get_u32(ip);
}

/* if_conf: SIOCGIFCONF into c: as many as fit, or the room all need. */
static long
if_conf(struct kern_ifconf *c)
{
	struct netif *n;
	int at = 0;

	NETIF_FOREACH(n)
	{
		if (ip4_addr_isany_val(*netif_ip4_addr(n)))
			continue;
		if (c->req != NULL) {
			if (at + (int)sizeof(struct kern_ifreq) > c->len)
				break;
			struct kern_ifreq *r = &c->req[at / sizeof(*r)];
			memset(r, 0, sizeof(*r));
			if_name(n, r->name);
			if_addr(&r->u.addr, netif_ip4_addr(n));
		}
		at += (int)sizeof(struct kern_ifreq);
	}
	c->len = at;
	return 0;
}

long
kern_net_ioctl(unsigned long req, void *arg)
{
	struct kern_ifreq *r = arg;
	struct netif *n;

	if (req == SIOCGIFCONF)
		return if_conf(arg);
	if (req == SIOCGIFNAME) {
		n = netif_get_by_index((u8_t)r->u.ivalue);
		if (n == NULL)
			return -KERN_ENODEV;
		if_name(n, r->name);
		return 0;
	}
	if (req != SIOCGIFFLAGS && req != SIOCGIFADDR &&
	    req != SIOCGIFNETMASK && req != SIOCGIFMTU &&
	    req != SIOCGIFHWADDR && req != SIOCGIFINDEX)
		return -KERN_ENOTTY;
	n = if_find(r->name);
	if (n == NULL)
		return -KERN_ENODEV;
	int loop = r->name[0] == 'l';
	memset(&r->u, 0, sizeof(r->u));
	switch (req) {
	case SIOCGIFFLAGS:
		r->u.flags = (short)if_flags(n);
		return 0;
	case SIOCGIFADDR:
		if_addr(&r->u.addr, netif_ip4_addr(n));
		return 0;
	case SIOCGIFNETMASK:
		if_addr(&r->u.addr, netif_ip4_netmask(n));
		return 0;
	case SIOCGIFMTU:
		r->u.ivalue = loop ? 65536 : n->mtu;
		return 0;
	case SIOCGIFHWADDR:
		r->u.hwaddr.family = loop ? ARPHRD_LOOPBACK : ARPHRD_ETHER;
		memcpy(r->u.hwaddr.data, n->hwaddr, n->hwaddr_len);
		return 0;
	default: /* SIOCGIFINDEX */
		r->u.ivalue = netif_get_index(n);
		return 0;
	}
}
