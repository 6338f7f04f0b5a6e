/*
 * Conformance checks of clocks, threads and curlwp, memory, parameters,
 * random bytes and errno (rumpuser.md §9 items 23-25 and 27-34).
 */
#include <string.h>

#include "conformance.h"
#include "klib.h"

static void
check_clocks(void)
{
	int64_t sec, prev_sec = 0;
	long nsec, prev_nsec = 0;
	int backwards = 0, bad_nsec = 0;
	uint64_t t0, t1;

	for (int i = 0; i < 100000; i++) {
		rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec, &nsec);
		bad_nsec += nsec < 0 || nsec >= 1000000000;
		backwards +=
			sec < prev_sec || (sec == prev_sec && nsec < prev_nsec);
		prev_sec = sec;
		prev_nsec = nsec;
	}
	check(backwards == 0 && bad_nsec == 0,
	      "ABSMONO never goes back in 1e5 reads, nsec in [0, 1e9)");

	/* The rump_delay requirement: time passes while the caller spins. */
	t0 = model_now_ns();
	do
		t1 = model_now_ns();
	while (t1 - t0 < 1000000);
	check(t1 - t0 >= 1000000, "ABSMONO advances while the caller spins");

	rumpuser_clock_gettime(RUMPUSER_CLOCK_RELWALL, &sec, &nsec);
	/* 2020-01-01 to 2100-01-01: the epoch time of a sane clock. */
	check(sec > 1577836800 && sec < 4102444800 && nsec >= 0 &&
		      nsec < 1000000000,
	      "RELWALL is a sane epoch time (%ld)", (long)sec);

	t0 = model_now_ns();
	check(rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 20000000) == 0 &&
		      model_now_ns() - t0 >= 20000000,
	      "a relative sleep of 20 ms lasts at least that");
	t0 = model_now_ns();
	uint64_t until = t0 + 20000000;
	check(rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO,
				   (int64_t)(until / 1000000000),
				   (long)(until % 1000000000)) == 0 &&
		      model_now_ns() >= until,
	      "an absolute sleep returns at or after its time");
	t0 = model_now_ns();
	check(rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO, 0, 1) == 0,
	      "an absolute sleep into the past returns at once");
}

/* Items 27-29: many threads, each with its own curlwp. */
#define MANY 80
static volatile int many_ok;

static void
many_thread(void *arg)
{
	struct lwp *self = rumpuser_curlwp();

	(void)arg;
	rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 1000000);
	if (rumpuser_curlwp() == self && self != NULL && self->holds_cpu)
		many_ok++;
}

static void
check_threads(void)
{
	static void *t[MANY];
	struct lwp *self = rumpuser_curlwp(), other;

	for (int i = 0; i < MANY; i++)
		t[i] = suite_thread(many_thread, NULL, "many");
	for (int i = 0; i < MANY; i++)
		suite_join(t[i]);
	check(many_ok == MANY,
	      "%d threads, each keeps its own curlwp across a sleep", MANY);

	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, &other);
	rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, &other);
	check(rumpuser_curlwp() == self, "CREATE and DESTROY leave curlwp");
}

static void
check_memory(void)
{
	static const int aligns[] = {0, 8, 64, 4096, 8192, 65536};
	int ok = 1;
	void *p;

	for (unsigned i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		size_t len = i % 2 ? 100 : 3 * 4096;
		size_t want = aligns[i] ? (size_t)aligns[i] : sizeof(void *);
		if (rumpuser_malloc(len, aligns[i], &p) != 0 ||
		    ((uintptr_t)p & (want - 1)) != 0) {
			ok = 0;
			continue;
		}
		memset(p, 0x5a, len);
		rumpuser_free(p, len);
	}
	check(ok, "malloc honours alignments of 0 to 64 KiB; free takes them");
	check(rumpuser_malloc((size_t)1 << 46, 0, &p) == 12,
	      "an impossible malloc returns ENOMEM (12)");

	check(rumpuser_anonmmap(NULL, 10000, 16, 0, &p) == 0 &&
		      ((uintptr_t)p & 0xffff) == 0 &&
		      ((const char *)p)[9999] == 0,
	      "anonmmap: zeroed, aligned to 1 << alignbit");
	if (p != NULL)
		rumpuser_unmap(p, 10000);
}

static void
check_params(void)
{
	char buf[256];
	long n;

	check(rumpuser_getparam(RUMPUSER_PARAM_NCPU, buf, sizeof(buf)) == 0 &&
		      num_parse_long(buf, &n) == 0 && n >= 1,
	      "_RUMPUSER_NCPU is a decimal >= 1 (%s)", buf);
	check(rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, buf, sizeof(buf)) ==
			      0 &&
		      strlen(buf) > 0 && strlen(buf) < sizeof(buf),
	      "_RUMPUSER_HOSTNAME is a name (%s)", buf);
	check(rumpuser_getparam("_RUMPUSER_NO_SUCH", buf, sizeof(buf)) == 22,
	      "an unknown _ name is EINVAL");
	check(rumpuser_getparam("RUMPXEN_NO_SUCH_PARAM", buf, sizeof(buf)) != 0,
	      "an unknown plain name is an error");
}

static void
check_random(void)
{
	unsigned char a[64], b[64];
	size_t n = 0, m = 0;

	check(rumpuser_getrandom(a, sizeof(a),
				 RUMPUSER_RANDOM_HARD | RUMPUSER_RANDOM_NOWAIT,
				 &n) == 0 &&
		      n >= 1 && n <= sizeof(a),
	      "getrandom(HARD|NOWAIT) makes progress (%zu bytes)", n);
	rumpuser_getrandom(b, sizeof(b), 0, &m);
	check(m == n ? memcmp(a, b, n) != 0 : 1,
	      "two getrandom calls give different bytes");
}

/* Item 31: errno is per thread. */
static volatile int errno_other;

static void
errno_thread(void *arg)
{
	(void)arg;
	rumpuser_seterrno(35);
	errno_other = harness_errno();
}

static void
check_errno(void)
{
	rumpuser_seterrno(2);
	suite_join(suite_thread(errno_thread, NULL, "errno"));
	check(harness_errno() == 2 && errno_other == 35,
	      "seterrno in one thread leaves another's alone");
}

void
suite_misc(void)
{
	check_clocks();
	check_threads();
	check_memory();
	check_params();
	check_random();
	check_errno();
}
