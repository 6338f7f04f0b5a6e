/*
 * The joining of TCP segments for a vif whose device cuts super-frames
 * (VIRT_OFFLOAD_TSO4): lwIP sends a window's worth of segments of one
 * connection at once, each a frame; consecutive ones that a device's
 * segmentation would give back unchanged (IPv4 without options, TCP
 * without options, ACK set, no SYN, FIN, RST or URG, PSH only on the
 * last, the same addresses, ports, TOS and TTL, each sequence number
 * following on, every payload but the last's mss bytes) go out as one
 * frame: the first's headers with the last's acknowledgement, window and
 * flags, an IP length over the whole, and the pseudo-header's sum in the
 * TCP checksum field. The joined frame saves the device, the backend and
 * the peer's stack all but one of their per-frame costs.
 */
#include <string.h>

#include "net.h"

#define TSO_ETH 14
#define TSO_IP	20
#define TSO_HDR (TSO_ETH + TSO_IP + 20) /* Ethernet, IPv4, TCP */
#define TSO_ACK 0x10
#define TSO_PSH 0x08

static uint32_t
tso_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

size_t
kern_net_tso_payload(const unsigned char *f, size_t len)
{
	const unsigned char *ip = f + TSO_ETH, *tcp = ip + TSO_IP;

	if (len <= TSO_HDR || f[12] != 0x08 || f[13] != 0x00 || ip[0] != 0x45 ||
	    ip[9] != 6 || ((ip[6] & 0x3f) | ip[7]) != 0 ||
	    ((size_t)ip[2] << 8 | ip[3]) != len - TSO_ETH ||
	    (tcp[12] >> 4) != 5 || (tcp[13] & ~TSO_PSH) != TSO_ACK)
		return 0;
	return len - TSO_HDR;
}

int
kern_net_tso_follows(const unsigned char *a, size_t alen,
		     const unsigned char *b, size_t blen, size_t mss)
{
	const unsigned char *aip = a + TSO_ETH, *bip = b + TSO_ETH;
	size_t bpay = kern_net_tso_payload(b, blen);

	return alen - TSO_HDR == mss && bpay > 0 && bpay <= mss &&
	       !(a[TSO_ETH + TSO_IP + 13] & TSO_PSH) &&
	       memcmp(a, b, TSO_ETH) == 0 && aip[1] == bip[1] &&
	       aip[8] == bip[8] && memcmp(aip + 12, bip + 12, 12) == 0 &&
	       tso_be32(bip + TSO_IP + 4) ==
		       tso_be32(aip + TSO_IP + 4) + (uint32_t)mss;
}

static uint32_t
tso_sum(const unsigned char *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

void
kern_net_tso_header(unsigned char *hdr, const unsigned char *first,
		    const unsigned char *last, size_t total)
{
	unsigned char *ip = hdr + TSO_ETH, *tcp = ip + TSO_IP;
	const unsigned char *ltcp = last + TSO_ETH + TSO_IP;
	size_t iplen = total - TSO_ETH, tcplen = iplen - TSO_IP;
	uint32_t sum;

	memcpy(hdr, first, TSO_HDR);
	memcpy(tcp + 8, ltcp + 8, 4);	/* acknowledgement */
	tcp[13] = ltcp[13];		/* flags */
	memcpy(tcp + 14, ltcp + 14, 2); /* window */
	ip[2] = (unsigned char)(iplen >> 8);
	ip[3] = (unsigned char)iplen;
	ip[10] = ip[11] = 0;
	sum = ~tso_sum(ip, TSO_IP, 0) & 0xffff;
	ip[10] = (unsigned char)(sum >> 8);
	ip[11] = (unsigned char)sum;
	sum = tso_sum(ip + 12, 8, 6 + (uint32_t)tcplen);
	tcp[16] = (unsigned char)(sum >> 8);
	tcp[17] = (unsigned char)sum;
}
