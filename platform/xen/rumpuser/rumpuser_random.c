/*
 * Random bytes for the rump kernel: RDRAND where the CPU has it (Xen
 * passes it through; RDSEED it does not), always mixed with timing jitter,
 * the low bits of TSC differences around work whose length varies, so
 * that neither a missing RDRAND nor a bad one leaves only the clock.
 *
 * The mixing is a 256-bit pool stirred with a splitmix64-style finalizer:
 * each output word is the pool's state after folding in a fresh RDRAND
 * value and fresh jitter. Output never runs dry (the kernel loops until it
 * has what it asked for), so HARD and NOWAIT change nothing here.
 */
#include <rumpxen/rumpuser.h>

#include "../core/core.h"

static uint64_t random_pool[4];
static int random_rdrand = -1; /* unknown until first use */

static uint64_t
random_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static int
random_has_rdrand(void)
{
	unsigned eax = 1, ebx, ecx, edx;

	__asm__("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
	return (ecx >> 30) & 1;
}

/* random_rdrand64: a hardware random word, or 0 if none came. */
static uint64_t
random_rdrand64(void)
{
	uint64_t v;
	unsigned char ok;

	for (int tries = 0; tries < 10; tries++) {
		__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
		if (ok)
			return v;
	}
	return 0;
}

/* random_jitter: the spread of TSC differences around uneven work. */
static uint64_t
random_jitter(void)
{
	uint64_t acc = 0;

	for (int i = 0; i < 16; i++) {
		uint64_t t0 = time_tsc();
		volatile uint64_t sink = acc;
		for (uint64_t k = 0; k < (acc & 7) + 1; k++)
			sink = random_mix(sink + k);
		acc = (acc << 4 | acc >> 60) ^ (time_tsc() - t0) ^ sink;
	}
	return acc;
}

static uint64_t
random_word(void)
{
	if (random_rdrand < 0)
		random_rdrand = random_has_rdrand();
	random_pool[0] ^= random_jitter();
	if (random_rdrand)
		random_pool[1] ^= random_rdrand64();
	random_pool[2] += 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < 4; i++)
		random_pool[(i + 1) % 4] ^= random_mix(random_pool[i]);
	return random_mix(random_pool[3] ^ random_pool[0]);
}

int
rumpuser_getrandom(void *buf, size_t buflen, int flags, size_t *retp)
{
	unsigned char *p = buf;

	(void)flags;
	for (size_t done = 0; done < buflen;) {
		uint64_t w = random_word();
		for (int i = 0; i < 8 && done < buflen; i++, w >>= 8)
			p[done++] = (unsigned char)w;
	}
	*retp = buflen;
	return 0;
}
