/*
 * hooks.h: the lwIP hooks of the kernel world (lwipopts.h names them),
 * included by the lwIP files that call them.
 */
#ifndef RUMPXEN_LWIP_HOOKS_H
#define RUMPXEN_LWIP_HOOKS_H

#include "lwip/err.h"
#include "lwip/ip_addr.h"

struct pbuf;
struct netif;
struct tcp_pcb;
struct tcp_hdr;
/*
 * kern_net_ip4_input: 0, lwIP goes on with the IPv4 packet p; a SYN (no
 * ACK) to a pcb in TIME_WAIT with a sequence number beyond the old
 * connection's ends that pcb first, so a listener takes the SYN.
 */
int kern_net_ip4_input(struct pbuf *p, struct netif *inp);
/*
 * kern_net_tcp_inpacket: ERR_OK lets lwIP go on with a segment for pcb
 * (hdr's ports, seqno, ackno and wnd already in host order); an
 * in-window RST for a pcb in TIME_WAIT ends the pcb instead (ERR_ABRT:
 * lwIP drops the segment).
 */
err_t kern_net_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr);

/*
 * kern_net_tcp_isn (isn.c): the initial sequence number of a connection
 * between the two ends: a keyed hash of them (SipHash-2-4 under a random
 * key made at the first call) plus the clock in 4 us steps, as RFC 6528
 * asks, so it cannot be guessed and a new connection of the same ends
 * starts beyond the old one.
 */
u32_t kern_net_tcp_isn(const ip_addr_t *lip, u16_t lport, const ip_addr_t *rip,
		       u16_t rport);

#endif /* RUMPXEN_LWIP_HOOKS_H */
