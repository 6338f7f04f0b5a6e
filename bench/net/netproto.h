/*
 * What bench/net's two programs say to each other. dom0's load generator
 * (netload) opens a TCP connection to the server under test (netserve)
 * and sends one header; what follows depends on its op. UDP datagrams to
 * the same port are echoed as they are.
 */
#ifndef NETPROTO_H
#define NETPROTO_H

#include <stdint.h>

#define NETPROTO_PORT  5001
#define NETPROTO_MAGIC 0x4e425631u /* "NBV1" */
#define NETPROTO_CHUNK (64 * 1024) /* what each side reads or writes */

enum netproto_op {
	NETPROTO_SINK = 1, /* server reads to EOF, then sends the byte count */
	NETPROTO_SOURCE,   /* server writes until the client goes */
	NETPROTO_RR,	   /* server echoes messages of arg bytes to EOF */
	NETPROTO_QUIT,	   /* server answers one byte and exits 0 */
};

struct netproto_hdr {
	uint32_t magic;
	uint32_t op;
	uint64_t arg;
};

#endif
