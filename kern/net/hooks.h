/*
 * hooks.h: the lwIP hooks of the kernel world (lwipopts.h names them),
 * included by the lwIP files that call them.
 */
#ifndef RUMPXEN_LWIP_HOOKS_H
#define RUMPXEN_LWIP_HOOKS_H

#include "lwip/err.h"

struct tcp_pcb;
struct tcp_hdr;
/*
 * kern_net_tcp_inpacket: ERR_OK lets lwIP go on with a segment for pcb;
 * an in-window RST for a pcb in TIME_WAIT ends the pcb instead (ERR_ABRT:
 * lwIP drops the segment).
 */
err_t kern_net_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr);

#endif /* RUMPXEN_LWIP_HOOKS_H */
