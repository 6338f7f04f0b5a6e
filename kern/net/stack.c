/*
 * The network stack's life in the kernel world: lwIP's port (memory from
 * the kernel's heap, randomness, the clock in ms, its hooks) and its
 * time. lwIP runs on its raw API with the virtual CPU as its one lock
 * (lwipopts.h): a caller into it holds the CPU and calls nothing that
 * gives the CPU back until lwIP has returned (frames go out afterwards,
 * vif.c). kern_net_init brings lwIP up with its loopback interface
 * (127.0.0.1) and the configured vifs, and starts the timer thread,
 * which runs lwIP's timeouts when they fall due and sleeps without the
 * CPU until the next one, or until frames wait to go out for a thread
 * that may not send them itself (kern_net_kick_deferred); kern_net_kick,
 * which every entry into lwIP ends with, hands looped frames on, sends
 * what is queued and wakes the thread when a sooner timeout has come.
 */
#include <string.h>

#include "lwip/dns.h"
#include "lwip/inet_chksum.h"
#include "lwip/init.h"
#include "lwip/ip4.h"
#include "lwip/prot/ip4.h"
#include "lwip/netif.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"

#include "sock.h"

#include "net.h"

/* A block of the heap knows its size, which rumpuser_free wants. */
struct net_block {
	size_t size;
	size_t pad; /* the block stays 16-byte aligned */
};

void *
kern_net_malloc(size_t size)
{
	void *p;

	if (rumpuser_malloc(sizeof(struct net_block) + size, 16, &p) != 0)
		return NULL;
	((struct net_block *)p)->size = sizeof(struct net_block) + size;
	return (struct net_block *)p + 1;
}

void *
kern_net_calloc(size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > (size_t)-1 / 2 / size)
		return NULL;
	p = kern_net_malloc(n * size);
	if (p != NULL)
		memset(p, 0, n * size);
	return p;
}

void
kern_net_free(void *p)
{
	if (p != NULL) {
		struct net_block *b = (struct net_block *)p - 1;
		rumpuser_free(b, b->size);
	}
}

uint32_t
kern_net_rand(void)
{
	uint32_t r = 0;
	size_t got;

	rumpuser_getrandom(&r, sizeof(r), 0, &got);
	return r;
}

/* kern_net_atoi: what lwIP's netif_find asks of atoi (lwIP's CFLAGS). */
int
kern_net_atoi(const char *s)
{
	long v;

	return num_parse_long(s, &v) == 0 ? (int)v : 0;
}

/* lwIP's clock: the monotonic time in ms, wrapping as lwIP expects. */
u32_t
sys_now(void)
{
	return (u32_t)(kern_now() / 1000000);
}

int
kern_net_ip4_input(struct pbuf *p, struct netif *inp)
{
	const struct ip_hdr *ip = p->payload;
	const struct tcp_hdr *t;
	ip4_addr_t src, dst;
	u16_t ihl;

	(void)inp;
	if (p->len < IP_HLEN || IPH_V(ip) != 4 || IPH_PROTO(ip) != IP_PROTO_TCP)
		return 0;
	ihl = (u16_t)IPH_HL_BYTES(ip);
	if (ihl < IP_HLEN || p->len < ihl + TCP_HLEN)
		return 0;
	t = (const struct tcp_hdr *)((const u8_t *)p->payload + ihl);
	if ((TCPH_FLAGS(t) & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
		return 0;
	/* Only a whole, sound segment may end a TIME_WAIT. */
	u16_t len = lwip_ntohs(IPH_LEN(ip));
	if ((IPH_OFFSET(ip) & PP_HTONS(IP_OFFMASK | IP_MF)) != 0 ||
	    len < ihl + TCP_HLEN || len > p->tot_len)
		return 0;
	ip4_addr_copy(src, ip->src);
	ip4_addr_copy(dst, ip->dest);
	struct tcp_pcb *pcb = tcp_tw_pcbs;
	while (pcb != NULL && (pcb->remote_port != lwip_ntohs(t->src) ||
			       pcb->local_port != lwip_ntohs(t->dest) ||
			       !IP_IS_V4(&pcb->remote_ip) ||
			       !ip4_addr_cmp(ip_2_ip4(&pcb->remote_ip), &src) ||
			       !ip4_addr_cmp(ip_2_ip4(&pcb->local_ip), &dst)))
		pcb = pcb->next;
	if (pcb == NULL || !TCP_SEQ_GT(lwip_ntohl(t->seqno), pcb->rcv_nxt))
		return 0;
	pbuf_remove_header(p, ihl);
	u16_t sum =
		inet_chksum_pseudo_partial(p, IP_PROTO_TCP, (u16_t)(len - ihl),
					   (u16_t)(len - ihl), &src, &dst);
	pbuf_add_header(p, ihl);
	if (sum == 0)
		tcp_abort(pcb); /* from tcp_tw_pcbs, freed */
	return 0;
}

err_t
kern_net_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr)
{
	u32_t seqno = hdr->seqno; /* tcp_input made it host order */

	if (pcb->state == TIME_WAIT && (TCPH_FLAGS(hdr) & TCP_RST) &&
	    TCP_SEQ_BETWEEN(seqno, pcb->rcv_nxt, pcb->rcv_nxt + pcb->rcv_wnd)) {
		tcp_abort(pcb); /* from tcp_tw_pcbs, freed */
		return ERR_ABRT;
	}
	return ERR_OK;
}

/*
 * The timer thread's sleep: under net_timer_mtx, it sleeps on
 * net_timer_cv until net_timer_due (the monotonic ns; 0: it is awake).
 */
static struct rumpuser_mtx *net_timer_mtx;
static struct rumpuser_cv *net_timer_cv;
static uint64_t net_timer_due;

/* net_timer_next: when lwIP's next timeout falls due, in monotonic ns. */
static uint64_t
net_timer_next(void)
{
	u32_t ms = sys_timeouts_sleeptime();

	return ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE
		       ? KERN_NS_FOREVER
		       : kern_now() + (uint64_t)ms * 1000000;
}

static void *
net_timer_run(void *arg)
{
	(void)arg;
	kern_enter();
	for (;;) {
		sys_check_timeouts();
		sock_sndq_tick();
		kern_net_kick();
		uint64_t due = net_timer_next(), now = kern_now();
		rumpuser_mutex_enter_nowrap(net_timer_mtx);
		net_timer_due = due;
		if (due > now) {
			struct kern_timespec rel;
			kern_timespec_from_ns(due == KERN_NS_FOREVER
						      ? 3600000000000ull
						      : due - now,
					      &rel);
			rumpuser_cv_timedwait(net_timer_cv, net_timer_mtx,
					      rel.sec, rel.nsec);
		}
		net_timer_due = 0;
		rumpuser_mutex_exit(net_timer_mtx);
	}
	return NULL;
}

/* net_timer_wake: the timer thread wakes if it sleeps, now or by due. */
static void
net_timer_wake(uint64_t due)
{
	/*
	 * net_timer_due changes only with the CPU held, which the caller
	 * holds: most kicks find no sooner timeout and take no mutex.
	 */
	if (net_timer_mtx == NULL || net_timer_due == 0 || due >= net_timer_due)
		return;
	rumpuser_mutex_enter_nowrap(net_timer_mtx);
	if (net_timer_due != 0 && due < net_timer_due) {
		net_timer_due = 0;
		rumpuser_cv_signal(net_timer_cv);
	}
	rumpuser_mutex_exit(net_timer_mtx);
}

void
kern_net_kick(void)
{
	netif_poll_all();
	kern_net_vif_flush();
	net_timer_wake(net_timer_next());
}

void
kern_net_kick_deferred(void)
{
	netif_poll_all();
	net_timer_wake(kern_net_vif_pending() ? 0 : net_timer_next());
}

/* net_tcp_sending: connections with data or a FIN still unacknowledged. */
static int
net_tcp_sending(void)
{
	int n = 0;

	for (struct tcp_pcb *p = tcp_active_pcbs; p != NULL; p = p->next)
		n += p->unsent != NULL || p->unacked != NULL ||
		     p->state == FIN_WAIT_1 || p->state == CLOSING ||
		     p->state == LAST_ACK;
	return n;
}

void
kern_net_drain(uint64_t ns)
{
	struct kern_thread *t = kern_thread_self();
	uint64_t end = kern_now() + ns;
	int n;

	while ((n = net_tcp_sending()) > 0 && kern_now() < end)
		kern_thread_sleep(t, kern_now() + 10000000, 0);
	if (n > 0)
		platform_console_printf("rumpxen: %d TCP connections were "
					"still sending at the end\n",
					n);
}

static int net_dns_config(void);

int
kern_net_init(void)
{
	int err;

	lwip_init(); /* with the loopback interface, 127.0.0.1/8 */
	rumpuser_mutex_init(&net_timer_mtx,
			    RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX);
	rumpuser_cv_init(&net_timer_cv);
	/* The timers first: DHCP needs them while the vifs come up. */
	err = rumpuser_thread_create(net_timer_run, NULL, "lwiptimer", 0, 0, -1,
				     NULL);
	if (err != 0)
		return kern_errno(err);
	err = kern_net_vif_init();
	if (err != 0)
		return err;
	return net_dns_config();
}

/*
 * net_dns_config: the configuration's dns=ADDRESS[,ADDRESS...] (at most
 * DNS_MAX_SERVERS) replaces what DHCP gave. 0 or -EINVAL, said.
 */
static int
net_dns_config(void)
{
	const char *conf = platform_config_get("dns");
	char buf[16];
	int n = 0;

	while (conf != NULL && *conf != 0 && n < DNS_MAX_SERVERS) {
		const char *comma = strchr(conf, ',');
		size_t len =
			comma != NULL ? (size_t)(comma - conf) : strlen(conf);
		ip_addr_t a;
		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, conf, len);
		buf[len] = 0;
		if (!ipaddr_aton(buf, &a)) {
			platform_console_printf("net: dns=: \"%s\" is no "
						"address\n",
						buf);
			return -KERN_EINVAL;
		}
		dns_setserver((u8_t)n++, &a);
		conf = comma != NULL ? comma + 1 : NULL;
	}
	while (n > 0 && n < DNS_MAX_SERVERS)
		dns_setserver((u8_t)n++, NULL);
	return 0;
}

int
kern_net_dns_server(int i, char *buf, size_t len)
{
	const ip_addr_t *a;

	if (i < 0 || i >= DNS_MAX_SERVERS)
		return -KERN_ENOENT;
	a = dns_getserver((u8_t)i);
	if (ip_addr_isany(a))
		return -KERN_ENOENT;
	return ipaddr_ntoa_r(a, buf, (int)len) != NULL ? 0 : -KERN_ERANGE;
}
