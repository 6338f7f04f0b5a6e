/*
 * platform/xen/dev/netcsum.c: checksums it fills in for TCP over IPv4,
 * a UDP over IPv4 frame shorter than any TCP one, and UDP over IPv6,
 * given in pieces cut at odd offsets (a byte pair split between pieces),
 * equal those of a plain sum over the whole frame;
 * a frame whose IP length runs past its end, one too short for its
 * headers and one carrying neither TCP nor UDP are refused, untouched.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "../../platform/xen/dev/netcsum.h"

#define PAYLOAD 3001 /* odd: the last word is half a byte pair */

static uint8_t frame[14 + 40 + 20 + PAYLOAD];

/* The checksum of a flat buffer: pseudo-header words, then the packet. */
static uint16_t
flat_sum(const uint8_t *pseudo, size_t plen, const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < plen; i += 2)
		sum += (uint32_t)pseudo[i] << 8 | pseudo[i + 1];
	for (size_t i = 0; i < len; i++)
		sum += i & 1 ? p[i] : (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* fill: netcsum_fill on frame[0..len) cut into pieces at the cuts. */
static int
fill(size_t len)
{
	const size_t cuts[] = {1, 14, 37, 1001, 1500};
	struct iovec iov[6];
	size_t at = 0, n = 0;

	for (size_t i = 0; i < 5 && cuts[i] < len; i++) {
		iov[n].iov_base = frame + at;
		iov[n++].iov_len = cuts[i] - at;
		at = cuts[i];
	}
	iov[n].iov_base = frame + at;
	iov[n++].iov_len = len - at;
	return netcsum_fill(iov, n);
}

int
main(void)
{
	uint8_t pseudo[40];
	srand(7);
	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)rand();

	/* TCP over IPv4. */
	size_t l4len = 20 + PAYLOAD, len = 14 + 20 + l4len;
	uint8_t *ip = frame + 14, *tcp = ip + 20;
	frame[12] = 0x08, frame[13] = 0x00;
	ip[0] = 0x45, ip[2] = (uint8_t)((20 + l4len) >> 8);
	ip[3] = (uint8_t)(20 + l4len), ip[9] = 6;
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0, pseudo[9] = 6;
	pseudo[10] = (uint8_t)(l4len >> 8), pseudo[11] = (uint8_t)l4len;
	tcp[16] = tcp[17] = 0;
	uint16_t want = flat_sum(pseudo, 12, tcp, l4len);
	tcp[16] = 0x12, tcp[17] = 0x34; /* a partial sum's leftovers */
	expect(fill(len) == 0 && (uint16_t)(tcp[16] << 8 | tcp[17]) == want,
	       "TCP over IPv4 in six pieces gets the plain sum's checksum");
	expect(flat_sum(pseudo, 12, tcp, l4len) == 0,
	       "and the packet then sums to zero, as a receiver checks");

	uint8_t before[sizeof(frame)];
	memcpy(before, frame, sizeof(frame));
	expect(fill(len - 1) == EINVAL &&
		       memcmp(before, frame, sizeof(frame)) == 0,
	       "an IP length past the frame's end is refused, untouched");
	expect(fill(40) == EINVAL && memcmp(before, frame, sizeof(frame)) == 0,
	       "a frame too short for its headers is refused");
	ip[9] = 1;
	expect(fill(len) == EINVAL &&
		       memcmp(before + 24, frame + 24, sizeof(frame) - 24) == 0,
	       "ICMP is not ours to fill: refused");

	/* UDP over IPv4, a short one. */
	l4len = 8 + 10, len = 14 + 20 + l4len;
	ip[0] = 0x45, ip[2] = 0, ip[3] = (uint8_t)(20 + l4len), ip[9] = 17;
	frame[12] = 0x08, frame[13] = 0x00;
	uint8_t *udp4 = ip + 20;
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0, pseudo[9] = 17;
	pseudo[10] = 0, pseudo[11] = (uint8_t)l4len;
	udp4[6] = udp4[7] = 0;
	want = flat_sum(pseudo, 12, udp4, l4len);
	expect(fill(len) == 0 && (uint16_t)(udp4[6] << 8 | udp4[7]) ==
					 (want == 0 ? 0xffff : want),
	       "a short UDP over IPv4 gets the plain sum's checksum");

	/* UDP over IPv6. */
	l4len = 8 + PAYLOAD, len = 14 + 40 + l4len;
	uint8_t *udp = ip + 40;
	frame[12] = 0x86, frame[13] = 0xdd;
	ip[0] = 0x60, ip[4] = (uint8_t)(l4len >> 8), ip[5] = (uint8_t)l4len;
	ip[6] = 17;
	memcpy(pseudo, ip + 8, 32);
	memset(pseudo + 32, 0, 8);
	pseudo[34] = (uint8_t)(l4len >> 8), pseudo[35] = (uint8_t)l4len;
	pseudo[39] = 17;
	udp[6] = udp[7] = 0;
	want = flat_sum(pseudo, 40, udp, l4len);
	expect(fill(len) == 0 && (uint16_t)(udp[6] << 8 | udp[7]) ==
					 (want == 0 ? 0xffff : want),
	       "UDP over IPv6 gets the plain sum's checksum");

	/* TCP over IPv4 of random lengths, cut at random places. */
	int ok = 1;
	frame[12] = 0x08, frame[13] = 0x00, ip[0] = 0x45, ip[9] = 6;
	for (int round = 0; round < 500 && ok; round++) {
		l4len = 20 + (size_t)rand() % PAYLOAD;
		len = 14 + 20 + l4len;
		ip[2] = (uint8_t)((20 + l4len) >> 8),
		ip[3] = (uint8_t)(20 + l4len);
		memcpy(pseudo, ip + 12, 8);
		pseudo[8] = 0, pseudo[9] = 6;
		pseudo[10] = (uint8_t)(l4len >> 8), pseudo[11] = (uint8_t)l4len;
		tcp[16] = tcp[17] = 0;
		want = flat_sum(pseudo, 12, tcp, l4len);
		struct iovec iov[8];
		size_t at = 0, n = 0;
		while (n < 7 && at < len) {
			size_t k = 1 + (size_t)rand() % (len - at);
			iov[n].iov_base = frame + at;
			iov[n++].iov_len = k;
			at += k;
		}
		if (at < len) {
			iov[n].iov_base = frame + at;
			iov[n++].iov_len = len - at;
		}
		ok = netcsum_fill(iov, n) == 0 &&
		     (uint16_t)(tcp[16] << 8 | tcp[17]) == want;
	}
	expect(ok, "500 TCP frames of random lengths in random pieces: each "
		   "the plain sum's checksum");

	printf("%s\n", failures ? "FAILED" : "all passed");
	return failures != 0;
}
