/*
 * lib/runmap.c against a model: a random sequence of allocations (of
 * random lengths and alignments) and frees is applied both to the runmap
 * and to a plain byte array; every allocation must be free in the model,
 * aligned and in bounds, ENOMEM only when the model has no such run, and
 * the free counts must agree throughout. Double frees and out-of-range
 * frees and claims are refused without changing anything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klib.h"

#define UNITS 1000
#define BASE  37

static unsigned char model[UNITS];

static int
model_has_run(unsigned long n, unsigned long align)
{
	for (unsigned long i = 0; i + n <= UNITS; i++) {
		if ((BASE + i) % align != 0)
			continue;
		unsigned long k = 0;
		while (k < n && !model[i + k])
			k++;
		if (k == n)
			return 1;
	}
	return 0;
}

int
main(void)
{
	unsigned long bits[RUNMAP_BITS_WORDS(UNITS)];
	struct {
		unsigned long first, n;
	} live[UNITS];
	int nlive = 0, failures = 0;
	unsigned long nfree = UNITS, first;
	struct runmap m;

	runmap_init(&m, bits, BASE, UNITS);
	if (m.nfree != 0 || runmap_alloc(&m, 1, 1, &first) != ENOMEM)
		failures++;
	if (runmap_free(&m, BASE, UNITS) != 0)
		failures++;
	srand(12345);
	for (int step = 0; step < 200000 && failures < 10; step++) {
		if (nlive > 0 && (rand() % 2 || nfree < 50)) {
			int k = rand() % nlive;
			if (runmap_free(&m, live[k].first, live[k].n) != 0) {
				printf("step %d: free failed\n", step);
				failures++;
			}
			memset(model + live[k].first - BASE, 0, live[k].n);
			nfree += live[k].n;
			/* A second free of the same run is refused. */
			if (runmap_free(&m, live[k].first, live[k].n) !=
			    EINVAL) {
				printf("step %d: double free accepted\n", step);
				failures++;
			}
			live[k] = live[--nlive];
		} else {
			unsigned long n = 1 + rand() % (rand() % 8 ? 8 : 64);
			unsigned long align = 1ul << (rand() % 5);
			int err = runmap_alloc(&m, n, align, &first);
			if (err == ENOMEM) {
				if (model_has_run(n, align)) {
					printf("step %d: ENOMEM with a run "
					       "free\n",
					       step);
					failures++;
				}
				continue;
			}
			if (err != 0 || first < BASE ||
			    first + n > BASE + UNITS || first % align != 0) {
				printf("step %d: bad run %lu+%lu\n", step,
				       first, n);
				failures++;
				continue;
			}
			for (unsigned long i = 0; i < n; i++) {
				if (model[first - BASE + i]) {
					printf("step %d: unit %lu given "
					       "twice\n",
					       step, first + i);
					failures++;
				}
				model[first - BASE + i] = 1;
			}
			nfree -= n;
			live[nlive].first = first;
			live[nlive++].n = n;
		}
		if (m.nfree != nfree) {
			printf("step %d: nfree %lu, model %lu\n", step, m.nfree,
			       nfree);
			failures++;
		}
	}
	if (runmap_free(&m, BASE - 1, 1) != EINVAL ||
	    runmap_free(&m, BASE + UNITS - 1, 2) != EINVAL ||
	    runmap_claim(&m, BASE + UNITS, 1) != EINVAL ||
	    runmap_alloc(&m, 0, 1, &first) != EINVAL) {
		printf("out-of-range requests accepted\n");
		failures++;
	}
	/* Claiming a busy unit fails; claiming free ones works. */
	while (nlive > 0) {
		nlive--;
		runmap_free(&m, live[nlive].first, live[nlive].n);
	}
	if (runmap_claim(&m, BASE + 10, 5) != 0 ||
	    runmap_claim(&m, BASE + 12, 1) != EBUSY || m.nfree != UNITS - 5) {
		printf("claim misbehaves\n");
		failures++;
	}
	if (failures != 0)
		return 1;
	printf("runmap: ok\n");
	return 0;
}
