/*
 * musl's malloc on the kernel under stress (tests/proc/libc.sh): blocks of
 * random sizes from 1 byte to 4 MiB (a PRNG with a fixed seed), each
 * filled with a pattern of its own and checked whole before it is freed
 * or reallocated, in slots that are reused at random, with realloc that
 * grows and shrinks (the common part kept); every block aligned to 16;
 * calloc zeroes even memory that was dirty when freed, and fails cleanly
 * when the product overflows; malloc of 1 TiB fails with ENOMEM;
 * posix_memalign and aligned_alloc from 8 bytes to 1 MiB of alignment
 * (and EINVAL for alignments that are not powers of two);
 * malloc_usable_size; free(NULL). Then the same stress from 8 threads at
 * once, each checking its own blocks, taking turns (sched_yield) every 16
 * steps so that their blocks mix in the heap. Prints totals, "N failures" last.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Which stress last made a step, and how often that changed hands. */
static const void *last_stepper;
static long handovers;

static uint64_t
rnd(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* The pattern of a block: its byte k depends on the block's tag and k. */
static void
fill(unsigned char *p, size_t n, uint32_t tag)
{
	for (size_t k = 0; k < n; k++)
		p[k] = (unsigned char)(tag + k * 7 + (k >> 8));
}

/*
 * The first bad offset, or n when all of [0, n) holds the pattern: each
 * 4 KiB compared at once (a loop the compiler makes vector code of), then
 * byte by byte where it differs.
 */
static size_t
verify(const unsigned char *p, size_t n, uint32_t tag)
{
	for (size_t at = 0; at < n; at += 4096) {
		size_t end = n - at < 4096 ? n : at + 4096;
		unsigned char diff = 0;
		for (size_t k = at; k < end; k++)
			diff |= p[k] ^ (unsigned char)(tag + k * 7 + (k >> 8));
		if (diff == 0)
			continue;
		for (size_t k = at; k < end; k++)
			if (p[k] != (unsigned char)(tag + k * 7 + (k >> 8)))
				return k;
	}
	return n;
}

struct stress {
	uint64_t seed;
	int nslots, rounds, yield_every;
	size_t max_size, max_live;
	/* Results. */
	long allocs, reallocs, frees, bad, misaligned, nulls;
	size_t bytes, peak;
};

struct slot {
	unsigned char *p;
	size_t n;
	uint32_t tag;
};

/* A size: mostly small, some of a few KiB, one in a hundred up to max. */
static size_t
pick_size(uint64_t *s, size_t max)
{
	uint64_t r = rnd(s);
	unsigned kind = r % 100;
	r >>= 8;
	if (kind < 60)
		return 1 + r % 256;
	if (kind < 90)
		return 257 + r % 16384;
	if (kind < 99)
		return 16641 + r % 262144;
	return 1 + r % max;
}

static void
take_back(struct stress *st, struct slot *sl, size_t *live)
{
	size_t at = verify(sl->p, sl->n, sl->tag);
	if (at != sl->n) {
		if (st->bad++ < 5)
			printf("  block %p of %zu bytes: bad at %zu\n",
			       (void *)sl->p, sl->n, at);
	}
	free(sl->p);
	st->frees++;
	*live -= sl->n;
	sl->p = NULL;
}

static void *
stress(void *arg)
{
	struct stress *st = arg;
	struct slot *slots = calloc(st->nslots, sizeof(*slots));
	size_t live = 0;
	uint64_t s = st->seed;

	if (slots == NULL) {
		st->nulls++;
		return NULL;
	}
	for (int i = 0; i < st->rounds; i++) {
		struct slot *sl = &slots[rnd(&s) % st->nslots];
		size_t n = pick_size(&s, st->max_size);

		/* No preemption: the threads take turns where they yield. */
		if (st->yield_every && i % st->yield_every == 0)
			sched_yield();
		if (last_stepper != st) {
			last_stepper = st;
			handovers++;
		}

		if (live + n > st->max_live)
			n = 1 + n % 1024;
		if (sl->p == NULL) {
			sl->p = malloc(n);
			st->allocs++;
		} else if (rnd(&s) % 3 == 0) {
			/* realloc: what both sizes hold is kept. */
			size_t keep = n < sl->n ? n : sl->n;
			size_t at = verify(sl->p, sl->n, sl->tag);
			if (at != sl->n && st->bad++ < 5)
				printf("  before realloc: bad at %zu of %zu\n",
				       at, sl->n);
			unsigned char *q = realloc(sl->p, n);
			st->reallocs++;
			live -= sl->n;
			if (q == NULL) {
				st->nulls++;
				free(sl->p);
				sl->p = NULL;
				continue;
			}
			at = verify(q, keep, sl->tag);
			if (at != keep && st->bad++ < 5)
				printf("  realloc %zu -> %zu lost byte %zu\n",
				       sl->n, n, at);
			sl->p = q;
		} else {
			take_back(st, sl, &live);
			continue;
		}
		if (sl->p == NULL) {
			st->nulls++;
			continue;
		}
		if ((uintptr_t)sl->p % 16 != 0)
			st->misaligned++;
		sl->n = n;
		sl->tag = (uint32_t)rnd(&s);
		fill(sl->p, n, sl->tag);
		live += n;
		st->bytes += n;
		if (live > st->peak)
			st->peak = live;
	}
	for (int i = 0; i < st->nslots; i++)
		if (slots[i].p != NULL)
			take_back(st, &slots[i], &live);
	free(slots);
	return NULL;
}

static void
report(const char *who, const struct stress *st)
{
	printf("%s: %ld mallocs, %ld reallocs, %ld frees, %zu KiB written, "
	       "peak %zu KiB live, %ld bad, %ld misaligned, %ld NULL\n",
	       who, st->allocs, st->reallocs, st->frees, st->bytes >> 10,
	       st->peak >> 10, st->bad, st->misaligned, st->nulls);
}

static int
stress_ok(const struct stress *st)
{
	return st->bad == 0 && st->misaligned == 0 && st->nulls == 0 &&
	       st->frees == st->allocs && st->allocs > 0;
}

static void
test_calloc(void)
{
	static const size_t sizes[] = {1,     24,     100,    4096,
				       65536, 300000, 3 << 20};
	/* Through a volatile: gcc would refuse the sizes we mean. */
	volatile size_t huge = SIZE_MAX / 2, tib = (size_t)1 << 40;
	int ok = 1;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];
		/* Dirty memory of that size, freed, then calloc. */
		for (int j = 0; j < 4; j++) {
			unsigned char *d = malloc(n);
			memset(d, 0xa5, n);
			free(d);
		}
		unsigned char *z = calloc(n, 1);
		ok &= z != NULL;
		for (size_t k = 0; z != NULL && k < n; k++)
			if (z[k] != 0) {
				printf("  calloc(%zu): byte %zu is %#x\n", n, k,
				       z[k]);
				ok = 0;
				break;
			}
		free(z);
	}
	check(ok, "calloc gives zeroes, from 1 byte to 3 MiB, after dirt");
	errno = 0;
	void *p = calloc(huge, 4);
	check(p == NULL && errno == ENOMEM,
	      "calloc whose product overflows: NULL, ENOMEM");
	errno = 0;
	p = malloc(tib);
	check(p == NULL && errno == ENOMEM, "malloc of 1 TiB: NULL, ENOMEM");
	free(p);
}

static void
test_realloc(void)
{
	static const size_t steps[] = {1,  10,	    1000,   100000, 3 << 20,
				       50, 5 << 20, 200000, 17,	    0};
	unsigned char *p = realloc(NULL, 1);
	size_t have = 1;
	int ok = p != NULL;

	/* Byte k always holds k * 13: growing keeps all, shrinking a prefix. */
	if (p)
		p[0] = 0;
	for (int i = 1; ok && steps[i] != 0; i++) {
		size_t n = steps[i];
		unsigned char *q = realloc(p, n);
		if (q == NULL) {
			ok = 0;
			break;
		}
		size_t keep = n < have ? n : have;
		for (size_t k = 0; k < keep; k++)
			if (q[k] != (unsigned char)(k * 13)) {
				printf("  realloc %zu -> %zu: byte %zu lost\n",
				       have, n, k);
				ok = 0;
				break;
			}
		for (size_t k = keep; k < n; k++)
			q[k] = (unsigned char)(k * 13);
		p = q;
		have = n;
	}
	free(p);
	check(ok, "realloc from 1 byte to 5 MiB and back keeps the content");
	check(malloc_usable_size(NULL) == 0, "malloc_usable_size(NULL)");
	p = malloc(100);
	check(p != NULL && malloc_usable_size(p) >= 100,
	      "malloc_usable_size covers the request");
	free(p);
	free(NULL);
	check(1, "free(NULL) is harmless");
}

static void
test_align(void)
{
	int ok = 1;

	for (size_t a = sizeof(void *); a <= (1 << 20); a <<= 1) {
		void *p = NULL;
		size_t n = a * 3 + 5;
		int r = posix_memalign(&p, a, n);
		if (r != 0 || (uintptr_t)p % a != 0) {
			printf("  posix_memalign(%zu, %zu): %d, %p\n", a, n, r,
			       p);
			ok = 0;
		}
		if (r == 0) {
			fill(p, n, (uint32_t)a);
			ok &= verify(p, n, (uint32_t)a) == n;
		}
		void *q = aligned_alloc(a, a * 2);
		if (q == NULL || (uintptr_t)q % a != 0) {
			printf("  aligned_alloc(%zu, %zu): %p\n", a, a * 2, q);
			ok = 0;
		}
		if (q != NULL)
			memset(q, 0x5a, a * 2);
		free(q);
		if (r == 0)
			ok &= verify(p, n, (uint32_t)a) == n;
		free(p);
	}
	check(ok, "posix_memalign and aligned_alloc from 8 bytes to 1 MiB");
	void *p = NULL;
	check(posix_memalign(&p, 24, 100) == EINVAL &&
		      posix_memalign(&p, 4, 100) == EINVAL && p == NULL,
	      "posix_memalign: EINVAL for 24 and for 4");
}

#define NTHREADS 8

int
main(void)
{
	struct stress one = {
		.seed = 0x9e3779b97f4a7c15ULL,
		.nslots = 128,
		.rounds = 4000,
		.max_size = 4 << 20,
		.max_live = 24 << 20,
	};
	stress(&one);
	report("one thread", &one);
	check(stress_ok(&one), "malloc stress: every block kept its pattern");

	test_calloc();
	test_realloc();
	test_align();

	static struct stress st[NTHREADS];
	pthread_t t[NTHREADS];
	int created = 0;
	handovers = 0;
	for (int i = 0; i < NTHREADS; i++) {
		st[i] = (struct stress){
			.seed = 0x2545f4914f6cdd1dULL * (i + 1),
			.nslots = 64,
			.rounds = 1200,
			.yield_every = 16,
			.max_size = 1 << 20,
			.max_live = 3 << 20,
		};
		created += pthread_create(&t[i], NULL, stress, &st[i]) == 0;
	}
	struct stress sum = {0};
	int ok = created == NTHREADS;
	for (int i = 0; i < NTHREADS; i++) {
		char who[16];
		pthread_join(t[i], NULL);
		snprintf(who, sizeof(who), "thread %d", i);
		report(who, &st[i]);
		ok &= stress_ok(&st[i]);
		sum.allocs += st[i].allocs;
		sum.reallocs += st[i].reallocs;
		sum.frees += st[i].frees;
		sum.bytes += st[i].bytes;
		sum.peak += st[i].peak;
		sum.bad += st[i].bad;
		sum.misaligned += st[i].misaligned;
		sum.nulls += st[i].nulls;
	}
	report("8 threads", &sum);
	printf("the threads took turns %ld times\n", handovers);
	check(ok, "malloc stress from 8 threads at once");
	check(handovers > 100, "the threads' blocks were interleaved");

	/* After all that, a large block still comes and is whole. */
	size_t n = 8 << 20;
	unsigned char *p = malloc(n);
	check(p != NULL && (fill(p, n, 99), verify(p, n, 99) == n),
	      "8 MiB in one block after the stress");
	free(p);
	printf("%d failures\n", failures);
	return failures != 0;
}
