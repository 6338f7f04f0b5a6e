/*
 * kern/net/tso.c: which of lwIP's frames may be joined into a super-frame
 * and the headers the join gets. A data segment with ACK (and PSH) is
 * joinable; SYN, FIN, RST, TCP or IP options, a fragment, UDP, IPv6 and
 * an empty segment are not. A segment follows another when its sequence
 * number follows on, the first is mss long without PSH, and addresses,
 * ports, TOS and TTL agree. The joined headers carry an IP length over
 * the whole with a valid IP checksum, the last segment's acknowledgement,
 * window and flags, and the pseudo-header's sum as the TCP checksum.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "expect.h"
#include "../../kern/net/net.h"

#define MSS 1460

/* seg: a TCP/IPv4 frame of payload bytes at sequence seq into f. */
static size_t
seg(unsigned char *f, uint32_t seq, size_t payload, unsigned flags)
{
	size_t len = 54 + payload, iplen = len - 14;

	memset(f, 0, len);
	memcpy(f, "\x00\x16\x3e\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	f[12] = 0x08;
	f[14] = 0x45, f[16] = (unsigned char)(iplen >> 8);
	f[17] = (unsigned char)iplen, f[20] = 0x40, f[22] = 255, f[23] = 6;
	memcpy(f + 26, "\xc0\x00\x02\x0a\xc0\x00\x02\x01", 8);
	f[34] = 0x13, f[35] = 0x89, f[36] = 0xc0, f[37] = 0x01;
	f[38] = (unsigned char)(seq >> 24), f[39] = (unsigned char)(seq >> 16);
	f[40] = (unsigned char)(seq >> 8), f[41] = (unsigned char)seq;
	f[42] = 0, f[43] = 0, f[44] = 0x11, f[45] = 0x22; /* ack */
	f[46] = 0x50, f[47] = (unsigned char)flags;
	f[48] = 0x10, f[49] = 0x00;
	return len;
}

static uint32_t
sum16(const unsigned char *p, size_t len, uint32_t s)
{
	for (size_t i = 0; i < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

int
main(void)
{
	static unsigned char a[2000], b[2000], c[2000];
	size_t al = seg(a, 1000, MSS, 0x10);

	expect(kern_net_tso_payload(a, al) == MSS, "an ACK data segment joins");
	size_t cl = seg(c, 1000, MSS, 0x18);
	expect(kern_net_tso_payload(c, cl) == MSS, "with PSH too");
	const struct {
		int at;
		unsigned char v;
		const char *what;
	} bad[] = {
		{47, 0x12, "SYN"},
		{47, 0x11, "FIN"},
		{47, 0x14, "RST"},
		{47, 0x30, "URG"},
		{46, 0x60, "TCP options"},
		{14, 0x46, "IP options"},
		{20, 0x20, "a fragment (MF)"},
		{23, 17, "UDP"},
		{12, 0x86, "IPv6"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cl = seg(c, 1000, MSS, 0x10);
		c[bad[i].at] = bad[i].v;
		char what[64];
		snprintf(what, sizeof(what), "%s does not join", bad[i].what);
		expect(kern_net_tso_payload(c, cl) == 0, what);
	}
	cl = seg(c, 1000, 0, 0x10);
	expect(kern_net_tso_payload(c, cl) == 0, "an empty segment does not");

	size_t bl = seg(b, 1000 + MSS, 700, 0x18);
	expect(kern_net_tso_follows(a, al, b, bl, MSS),
	       "the next segment follows");
	bl = seg(b, 1001 + MSS, 700, 0x18);
	expect(!kern_net_tso_follows(a, al, b, bl, MSS), "a gap does not");
	bl = seg(b, 1000 + MSS, 700, 0x18);
	b[37] = 0x02;
	expect(!kern_net_tso_follows(a, al, b, bl, MSS),
	       "another connection does not");
	seg(b, 1000 + MSS, 700, 0x18);
	b[22] = 64;
	expect(!kern_net_tso_follows(a, al, b, bl, MSS),
	       "another TTL does not");
	cl = seg(c, 1000, MSS, 0x18);
	bl = seg(b, 1000 + MSS, 700, 0x18);
	expect(!kern_net_tso_follows(c, cl, b, bl, MSS),
	       "nothing follows a PSH");
	cl = seg(c, 1000, 700, 0x10);
	bl = seg(b, 1000 + MSS, 700, 0x10);
	expect(!kern_net_tso_follows(c, cl, b, bl, MSS),
	       "nothing follows a segment shorter than the mss");

	unsigned char h[KERN_NET_TSO_HDR];
	bl = seg(b, 1000 + MSS, 700, 0x18);
	b[44] = 0x33, b[48] = 0x20; /* a later ack and window */
	size_t total = al + 700;
	kern_net_tso_header(h, a, b, total);
	size_t iplen = (size_t)h[16] << 8 | h[17];
	expect(iplen == total - 14 && sum16(h + 14, 20, 0) == 0xffff,
	       "the joined IP header's length covers both; its checksum holds");
	expect(h[44] == 0x33 && h[48] == 0x20 && h[47] == 0x18 &&
		       memcmp(h + 38, a + 38, 4) == 0,
	       "the first's sequence number, the last's ack, window and flags");
	uint32_t pseudo = sum16(h + 26, 8, 6 + (uint32_t)(iplen - 20));
	expect(((uint32_t)h[50] << 8 | h[51]) == pseudo,
	       "the TCP checksum field holds the pseudo-header's sum");

	printf("%s\n", failures ? "FAILED" : "all passed");
	return failures != 0;
}
