/*
 * lwIP's options for the kernel world (kern/net/): upstream's lwIP 2.1.3,
 * unpatched, on its raw API. NO_SYS: lwIP runs in no thread of its own;
 * every call into it, and every callback out of it, runs with the
 * kernel's virtual CPU held, which is the one lock it needs (so no
 * SYS_LIGHTWEIGHT_PROT), and the kernel's timer thread (stack.c) drives
 * its timeouts. LWIP_SOCKET and LWIP_NETCONN are off: the sockets are
 * the kernel's own files (socket.c), in its fd table and its one wait
 * mechanism.
 *
 * Sizing: for a server, in a small domain. Every pool comes from the
 * kernel's heap as it is needed (MEMP_MEM_MALLOC), so hundreds of PCBs
 * cost nothing until they exist; segments are full Ethernet frames (MSS
 * 1460), the window scales to 256 KiB and a send buffer may reach 1 MiB
 * (within the kernel's budget for send queues, sndq.c).
 */
#ifndef RUMPXEN_LWIPOPTS_H
#define RUMPXEN_LWIPOPTS_H

#include <stddef.h>
#include <stdint.h>

/* stack.c: the kernel's heap and randomness, as lwIP's port takes them. */
void *kern_net_malloc(size_t size);
void *kern_net_calloc(size_t n, size_t size);
void kern_net_free(void *p);
uint32_t kern_net_rand(void);

#define NO_SYS		     1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET	     0
#define LWIP_NETCONN	     0
#define LWIP_TIMERS	     1

/* Memory: the kernel's heap (stack.c), for the heap and every pool. */
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
#define MEM_ALIGNMENT	8
/* More than 64000: mem_size_t is 32 bits; the heap itself bounds it. */
#define MEM_SIZE		(256 * 1024 * 1024)
#define mem_clib_malloc		kern_net_malloc
#define mem_clib_calloc		kern_net_calloc
#define mem_clib_free		kern_net_free
#define MEMP_NUM_TCP_PCB	1024
#define MEMP_NUM_TCP_PCB_LISTEN 256
#define MEMP_NUM_UDP_PCB	256
#define MEMP_NUM_TCP_SEG	4096
#define PBUF_POOL_SIZE		1024

/* IPv4 over Ethernet, with loopback; ICMP answers pings. */
#define LWIP_IPV4	     1
#define LWIP_IPV6	     1
#define LWIP_IPV6_MLD	     1
#define LWIP_IPV6_AUTOCONFIG 1
#define LWIP_IPV6_FRAG	     1
#define LWIP_IPV6_REASS	     1
/* 64-bit pointers do not fit in the fragment header: a copy, as lwIP says */
#define IPV6_FRAG_COPYHEADER	1
#define LWIP_ICMP6		1
#define LWIP_IPV6_NUM_ADDRESSES 4
#define MEMP_NUM_MLD6_GROUP	16
#define LWIP_ARP		1
#define LWIP_ETHERNET		1
#define ARP_TABLE_SIZE		64
#define ARP_QUEUEING		1
#define LWIP_ICMP		1
#define LWIP_RAW		0
#define LWIP_UDP		1
#define LWIP_TCP		1
#define LWIP_DHCP		1
#define LWIP_AUTOIP		0
#define LWIP_IGMP		0
/* lwIP's resolver is not used (musl's is); its server list holds what
 * DHCP and the dns= word give, and asks DHCP servers for them. */
#define LWIP_DNS		   1
#define DNS_MAX_SERVERS		   3
#define IP_REASSEMBLY		   1
#define IP_FRAG			   1
#define LWIP_HAVE_LOOPIF	   1
#define LWIP_NETIF_LOOPBACK	   1
#define LWIP_LOOPBACK_MAX_PBUFS	   0
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK   0
#define LWIP_SINGLE_NETIF	   0
#define LWIP_CHECKSUM_ON_COPY	   0
#define LWIP_STATS		   0
#define LWIP_ALTCP		   0
#define LWIP_CALLBACK_API	   1

/* Eight bytes a step: every frame in and out is summed. */
#define LWIP_CHKSUM_ALGORITHM 3

/*
 * TCP for a server. The send buffer is what may be in flight: 256 KiB held
 * TCP to dom0 to about half the Linux domU's speed once segments went out
 * joined (bench/net.sh). TCP_SND_BUF is only the most a socket may hold:
 * the socket layer gives each less (half its SO_SNDBUF), and all of them
 * together no more than the send-queue budget (sndq.c), so that many
 * connections cannot queue the guest's memory away.
 */
#define TCP_MSS		 1460
#define LWIP_WND_SCALE	 1
#define TCP_RCV_SCALE	 3
#define TCP_WND		 (256 * 1024)
#define TCP_SND_BUF	 (1024 * 1024)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
/* Below lwIP's 16-bit bound; the socket layer judges room by itself. */
#define TCP_SNDLOWAT	(32 * 1024)
#define TCP_OVERSIZE	TCP_MSS
#define TCP_QUEUE_OOSEQ 1
/*
 * Out-of-order segments a connection keeps: the whole window's (which
 * bounds them anyway). A lost 64 KiB super-frame leaves the rest of the
 * window out of order; keeping only 64 KiB of it made the sender send
 * all that again, and time out (bench/net.sh, tcp-in-8).
 */
#define TCP_OOSEQ_MAX_PBUFS	   (TCP_WND / 512)
#define TCP_OOSEQ_MAX_BYTES	   TCP_WND
#define TCP_LISTEN_BACKLOG	   1
#define TCP_DEFAULT_LISTEN_BACKLOG 0xff
#define LWIP_TCP_KEEPALIVE	   1
#define SO_REUSE		   1
#define SO_REUSE_RXTOALL	   1

/* The kernel's randomness, for ports; isn.c for initial sequences. */
#define LWIP_RAND() kern_net_rand()

/*
 * hooks.h: a client that reuses a port finds no TIME_WAIT in its way, as
 * with Linux: a new SYN beyond the old connection's sequence ends the
 * TIME_WAIT before lwIP sees it (lwIP would reset it), and an in-window
 * RST ends it (lwIP, after RFC 1337, ignores it), as Linux clients send
 * one when their SYN was answered from TIME_WAIT.
 */
#define LWIP_HOOK_FILENAME	    "hooks.h"
#define LWIP_HOOK_IP4_INPUT(p, inp) kern_net_ip4_input(p, inp)
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p)         \
	kern_net_tcp_inpacket(pcb, hdr)
/* hooks.h: initial sequence numbers as RFC 6528 makes them. */
#define LWIP_HOOK_TCP_ISN(lip, lport, rip, rport)                              \
	kern_net_tcp_isn(lip, lport, rip, rport)

#endif /* RUMPXEN_LWIPOPTS_H */
