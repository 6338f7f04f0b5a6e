/*
 * hooks.h: the lwIP hooks of the kernel world (lwipopts.h names them),
 * included by the lwIP files that call them.
 */
#ifndef RUMPXEN_LWIP_HOOKS_H
#define RUMPXEN_LWIP_HOOKS_H

#include "lwip/err.h"

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

#endif /* RUMPXEN_LWIP_HOOKS_H */
