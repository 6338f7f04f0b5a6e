/*
 * TCP's initial sequence numbers, as RFC 6528 makes them: the clock in
 * 4 us steps plus SipHash-2-4 of the connection's two ends under a key
 * drawn from the kernel's randomness once. A peer cannot guess the next
 * one, and a new connection between the same ends starts beyond the
 * sequence of the one before, which is what lets it through the other
 * side's TIME_WAIT.
 */
#include <string.h>

#include "lwip/ip_addr.h"

#include "hooks.h"
#include "net.h"

static uint64_t isn_key[2];
static int isn_keyed;

static uint64_t
isn_rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

static void
isn_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = isn_rotl(v[1], 13) ^ v[0];
	v[0] = isn_rotl(v[0], 32);
	v[2] += v[3];
	v[3] = isn_rotl(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = isn_rotl(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = isn_rotl(v[1], 17) ^ v[2];
	v[2] = isn_rotl(v[2], 32);
}

/* isn_siphash: SipHash-2-4 of the 16 bytes m under isn_key. */
static uint64_t
isn_siphash(const uint64_t m[2])
{
	uint64_t v[4] = {isn_key[0] ^ 0x736f6d6570736575ull,
			 isn_key[1] ^ 0x646f72616e646f6dull,
			 isn_key[0] ^ 0x6c7967656e657261ull,
			 isn_key[1] ^ 0x7465646279746573ull};
	uint64_t last = (uint64_t)16 << 56;

	for (int i = 0; i < 2; i++) {
		v[3] ^= m[i];
		isn_round(v);
		isn_round(v);
		v[0] ^= m[i];
	}
	v[3] ^= last;
	isn_round(v);
	isn_round(v);
	v[0] ^= last;
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++)
		isn_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* isn_fold: an address in 32 bits: IPv4's, or IPv6's four words xored
 * (the hash keeps the guess out; it needs the ends told apart only). */
static uint32_t
isn_fold(const ip_addr_t *a)
{
	if (IP_IS_V4(a))
		return ip4_addr_get_u32(ip_2_ip4(a));
	const u32_t *w = ip_2_ip6(a)->addr;
	return w[0] ^ w[1] ^ w[2] ^ w[3];
}

u32_t
kern_net_tcp_isn(const ip_addr_t *lip, u16_t lport, const ip_addr_t *rip,
		 u16_t rport)
{
	uint64_t m[2];

	for (size_t have = 0, got; !isn_keyed; have += got) {
		if (rumpuser_getrandom((char *)isn_key + have,
				       sizeof(isn_key) - have, 0, &got) != 0)
			got = 0;
		isn_keyed = have + got == sizeof(isn_key);
	}
	m[0] = (uint64_t)isn_fold(lip) << 32 | isn_fold(rip);
	m[1] = (uint64_t)lport << 16 | rport;
	return (u32_t)(kern_now() / 4000) + (u32_t)isn_siphash(m);
}
