/*
 * Numbers and control flow through musl on the kernel (tests/proc/libc.sh):
 * qsort of 10000 ints (sorted, nothing lost) and of 3000 strings, bsearch
 * finding each and missing what is not there; strtod of decimal and hex
 * strings compared bit for bit with what the compiler made of the same
 * literals (0.1, 1e308, DBL_MIN, a subnormal, a tie that rounds to even,
 * -0, inf, nan; overflow and underflow set ERANGE, the end pointer is
 * right); printf of doubles (%.17g, %e, %f, %a, %g) compared with the
 * exact strings; strtol, strtoul, strtoll and strtoull at and beyond
 * their limits (ERANGE), with bases 0, 2, 16 and 36; sqrt, sin, exp, log,
 * pow, fmod, floor, round and others against known values; setjmp and
 * longjmp (the value passed, 0 made 1, volatile locals kept, nested jumps,
 * out of a recursion 20 deep); sigsetjmp and siglongjmp restoring the
 * signal mask or not, also out of a signal handler; atexit handlers,
 * which print "atexit 3", "atexit 2", "atexit 1" after main (the script
 * checks the order). The exit status is argv[1] (0 without one), 1 if a
 * check failed; with argv[2] "exit" it comes from exit() in a nested call
 * instead of main's return.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define NINTS 10000
#define NSTRS 3000

static void
test_sort(void)
{
	static int v[NINTS], count[1000], after[1000];
	int ok = 1;

	for (int i = 0; i < NINTS; i++) {
		/* Many duplicates, and negative values. */
		v[i] = (int)(rnd() % 1000) - 500;
		count[v[i] + 500]++;
	}
	qsort(v, NINTS, sizeof(v[0]), cmp_int);
	for (int i = 0; i < NINTS; i++) {
		ok &= i == 0 || v[i - 1] <= v[i];
		after[v[i] + 500]++;
	}
	check(ok && memcmp(count, after, sizeof(count)) == 0,
	      "qsort of 10000 ints: sorted, the same values");

	int key = v[1234], missing = 1000;
	int *hit = bsearch(&key, v, NINTS, sizeof(v[0]), cmp_int);
	check(hit != NULL && *hit == key &&
		      bsearch(&missing, v, NINTS, sizeof(v[0]), cmp_int) ==
			      NULL,
	      "bsearch among ints finds a value, not a missing one");

	/* Sorted and reversed input too (quadratic sorts would show). */
	for (int i = 0; i < NINTS; i++)
		v[i] = NINTS - i;
	qsort(v, NINTS, sizeof(v[0]), cmp_int);
	ok = 1;
	for (int i = 0; i < NINTS; i++)
		ok &= v[i] == i + 1;
	qsort(v, NINTS, sizeof(v[0]), cmp_int);
	for (int i = 0; i < NINTS; i++)
		ok &= v[i] == i + 1;
	check(ok, "qsort of reversed and of sorted ints");

	static char *s[NSTRS];
	for (int i = 0; i < NSTRS; i++) {
		char buf[40];
		/* Lengths vary, so that prefixes compare too. */
		snprintf(buf, sizeof(buf), "%.*llx-%d", (int)(1 + rnd() % 12),
			 (unsigned long long)rnd(), i);
		s[i] = strdup(buf);
	}
	qsort(s, NSTRS, sizeof(s[0]), cmp_str);
	ok = 1;
	for (int i = 1; i < NSTRS; i++)
		ok &= strcmp(s[i - 1], s[i]) < 0;
	check(ok, "qsort of 3000 strings");
	int found = 0;
	for (int i = 0; i < NSTRS; i++) {
		char *k = s[i];
		char **h = bsearch(&k, s, NSTRS, sizeof(s[0]), cmp_str);
		found += h == &s[i];
	}
	char *absent = "~ not there";
	check(found == NSTRS &&
		      bsearch(&absent, s, NSTRS, sizeof(s[0]), cmp_str) == NULL,
	      "bsearch finds each of the 3000 strings where it is");
	for (int i = 0; i < NSTRS; i++)
		free(s[i]);
}

static int strtod_bad;

static uint64_t
bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	return u;
}

/*
 * strtod(s) must be want bit for bit, set errno to err (any, for -1), and
 * stop at end.
 */
static void
strtod_is(const char *s, double want, int err, size_t end)
{
	char *e;

	errno = 0;
	double got = strtod(s, &e);
	if (bits(got) != bits(want) && !(isnan(got) && isnan(want))) {
		printf("  strtod(\"%s\") = %a, want %a\n", s, got, want);
		strtod_bad++;
	}
	if ((err != -1 && errno != err) || (size_t)(e - s) != end) {
		printf("  strtod(\"%s\"): errno %d, end %zu; want %d, %zu\n", s,
		       errno, (size_t)(e - s), err, end);
		strtod_bad++;
	}
}

#define STRTOD(lit) strtod_is(#lit, lit, 0, strlen(#lit))

static void
test_strtod(void)
{
	STRTOD(0.1);
	STRTOD(1e308);
	STRTOD(2.2250738585072014e-308);
	STRTOD(0x1p-1074);
	STRTOD(123456789.125);
	STRTOD(0.30000000000000004);
	STRTOD(1e23);
	STRTOD(1.7976931348623157e308);
	STRTOD(3.14159265358979323846264338327950288419716939937510);
	STRTOD(9007199254740993.0); /* 2^53 + 1: a tie, to even */
	STRTOD(0x1.8p1);
	STRTOD(0x1.fffffffffffffp1023);
	strtod_is("0.1", 0x1.999999999999ap-4, 0, 3);
	strtod_is("2.2250738585072014e-308", DBL_MIN, 0, 23);
	strtod_is("9007199254740993", 9007199254740992.0, 0, 16);
	strtod_is("0X.8p0", 0.5, 0, 6);
	strtod_is("0x10", 16.0, 0, 4);
	strtod_is("-0", -0.0, 0, 2);
	strtod_is("inf", INFINITY, 0, 3);
	strtod_is("-Infinity", -INFINITY, 0, 9);
	strtod_is("nan", NAN, 0, 3);
	strtod_is("  +1.5e+2xyz", 150.0, 0, 9);
	strtod_is("1e", 1.0, 0, 1);
	strtod_is(".5", 0.5, 0, 2);
	/* musl: EINVAL when nothing converts. */
	strtod_is("", 0.0, EINVAL, 0);
	strtod_is("abc", 0.0, EINVAL, 0);
	strtod_is("1e400", HUGE_VAL, ERANGE, 5);
	strtod_is("-1e400", -HUGE_VAL, ERANGE, 6);
	strtod_is("1.7976931348623159e308", HUGE_VAL, ERANGE, 22);
	strtod_is("1e-400", 0.0, ERANGE, 6);
	/*
	 * Inexact subnormals: musl says ERANGE for the first and not for the
	 * second (it only looks near the exponent's limits); glibc says it
	 * for both. The value is what counts here.
	 */
	strtod_is("2.2250738585072011e-308", 0x0.fffffffffffffp-1022, -1, 23);
	strtod_is("4.9406564584124654e-324", 0x1p-1074, -1, 23);
	check(strtod_bad == 0, "strtod: exact doubles, errno and the end");
	double neg0 = strtod("-0", NULL);
	check(neg0 == 0 && signbit(neg0), "strtod(\"-0\") is negative zero");

	errno = 0;
	float f = strtof("0.1", NULL);
	check(f == 0.1f && errno == 0, "strtof(\"0.1\") is 0.1f");
	long double ld = strtold("0.1", NULL);
	check(ld == 0.1L && ld != 0.1, "strtold(\"0.1\") is 0.1L");
}

static int fmt_bad;

__attribute__((format(printf, 2, 3))) static void
fmt_is(const char *want, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, want) != 0) {
		printf("  format \"%s\": got \"%s\", want \"%s\"\n", fmt, buf,
		       want);
		fmt_bad++;
	}
}

static void
test_printf_float(void)
{
	fmt_is("0.10000000000000001", "%.17g", 0.1);
	fmt_is("0.33333333333333331", "%.17g", 1.0 / 3);
	fmt_is("0.66666666666666663", "%.17g", 2.0 / 3);
	fmt_is("1e+308", "%.17g", 1e308);
	fmt_is("1.7976931348623157e+308", "%.17g", DBL_MAX);
	fmt_is("2.2250738585072014e-308", "%.17g", DBL_MIN);
	fmt_is("4.9406564584124654e-324", "%.17g", 0x1p-1074);
	fmt_is("0.30000000000000004", "%.17g", 0.1 + 0.2);
	fmt_is("9.9999999999999992e+22", "%.17g", 1e23);
	fmt_is("123456789.125", "%.17g", 123456789.125);
	fmt_is("1.234568e+04", "%e", 12345.678);
	fmt_is("0.000000e+00", "%e", 0.0);
	fmt_is("-1.234e-04", "%.3e", -0.00012345);
	fmt_is("6.022141E+23", "%E", 6.02214076e23);
	fmt_is("+1.23e+04", "%+.2e", 12345.0);
	fmt_is("2e+01 2e+01", "%.0e %.0e", 15.0, 25.0);
	fmt_is("3.333333333333333148296162562474e-01", "%.30e", 1.0 / 3);
	fmt_is("3.141590", "%f", 3.14159);
	fmt_is("100000000000000000000.000000", "%f", 1e20);
	fmt_is("-0.000000", "%f", -0.0);
	fmt_is("2.67", "%.2f", 2.675);
	fmt_is("0 2 2 4", "%.0f %.0f %.0f %.0f", 0.5, 1.5, 2.5, 3.5);
	fmt_is("     3.142|", "%10.3f|", 3.14159);
	fmt_is("3.142     |", "%-10.3f|", 3.14159);
	fmt_is("-00003.142", "%010.3f", -3.14159);
	fmt_is("0.10000000000000000555", "%.20f", 0.1);
	fmt_is("0.333333", "%f", 1.0 / 3);
	fmt_is("inf -inf nan INF", "%f %f %f %F", INFINITY, -INFINITY, NAN,
	       INFINITY);
	fmt_is("100000 1e+06", "%g %g", 100000.0, 1000000.0);
	fmt_is("0.0001 1e-05", "%g %g", 0.0001, 0.00001);
	fmt_is("1.23457e+08 123456789", "%g %.10g", 123456789.0, 123456789.0);
	fmt_is("1.00000 0.5 1E-10 1.23e+03", "%#g %g %G %.3g", 1.0, 0.5, 1e-10,
	       1234.5);
	fmt_is("0x1p+0 0x1.8p+1 0x1p-1", "%a %a %a", 1.0, 3.0, 0.5);
	fmt_is("0x1.999999999999ap-4", "%a", 0.1);
	fmt_is("-0x1.fffffffffffffp+1023", "%a", -DBL_MAX);
	fmt_is("0x1p-1022 0x1p-1074", "%a %a", DBL_MIN, 0x1p-1074);
	fmt_is("0X1.8P+1", "%A", 3.0);
	fmt_is("0x1.80p+1", "%.2a", 3.0);
	fmt_is("0x0p+0", "%a", 0.0);
	fmt_is("0.100000000000000000001", "%.21Lg", 0.1L);
	check(fmt_bad == 0, "printf of doubles: exact strings");
	printf("floats: %.17g %e %f %a %g\n", 0.1, 12345.678, -2.5, 3.0, 1e-5);
}

static int strtol_bad;

static void
strtol_is(const char *s, int base, long want, int err, size_t end)
{
	char *e;

	errno = 0;
	long got = strtol(s, &e, base);
	if (got != want || errno != err || (size_t)(e - s) != end) {
		printf("  strtol(\"%s\", %d) = %ld errno %d end %zu; want %ld "
		       "%d %zu\n",
		       s, base, got, errno, (size_t)(e - s), want, err, end);
		strtol_bad++;
	}
}

static void
strtoul_is(const char *s, int base, unsigned long want, int err, size_t end)
{
	char *e;

	errno = 0;
	unsigned long got = strtoul(s, &e, base);
	if (got != want || errno != err || (size_t)(e - s) != end) {
		printf("  strtoul(\"%s\", %d) = %lu errno %d end %zu; want %lu "
		       "%d %zu\n",
		       s, base, got, errno, (size_t)(e - s), want, err, end);
		strtol_bad++;
	}
}

static void
test_strtol(void)
{
	strtol_is("9223372036854775807", 10, LONG_MAX, 0, 19);
	strtol_is("9223372036854775808", 10, LONG_MAX, ERANGE, 19);
	strtol_is("-9223372036854775808", 10, LONG_MIN, 0, 20);
	strtol_is("-9223372036854775809", 10, LONG_MIN, ERANGE, 20);
	strtol_is("99999999999999999999999", 10, LONG_MAX, ERANGE, 23);
	strtol_is("0x7fffffffffffffff", 0, LONG_MAX, 0, 18);
	strtol_is("0x1f", 0, 31, 0, 4);
	strtol_is("0x1f", 16, 31, 0, 4);
	strtol_is("0755", 0, 493, 0, 4);
	strtol_is("0755", 10, 755, 0, 4);
	strtol_is("101", 2, 5, 0, 3);
	strtol_is("z", 36, 35, 0, 1);
	strtol_is("Zz", 36, 35 * 36 + 35, 0, 2);
	strtol_is("  -42abc", 10, -42, 0, 5);
	strtol_is("+7", 10, 7, 0, 2);
	strtol_is("0x", 16, 0, 0, 1);
	/* musl: EINVAL when nothing converts. */
	strtol_is("", 10, 0, EINVAL, 0);
	strtol_is("-", 10, 0, EINVAL, 0);
	strtol_is("12", 1, 0, EINVAL, 0);
	strtoul_is("18446744073709551615", 10, ULONG_MAX, 0, 20);
	strtoul_is("18446744073709551616", 10, ULONG_MAX, ERANGE, 20);
	strtoul_is("0xffffffffffffffff", 16, ULONG_MAX, 0, 18);
	strtoul_is("-1", 10, ULONG_MAX, 0, 2);
	strtoul_is("4294967296", 10, 4294967296UL, 0, 10);
	check(strtol_bad == 0, "strtol and strtoul: limits, ERANGE, bases");

	errno = 0;
	long long ll = strtoll("-9223372036854775809", NULL, 10);
	int e1 = errno;
	errno = 0;
	unsigned long long ull = strtoull("18446744073709551616", NULL, 0);
	check(ll == LLONG_MIN && e1 == ERANGE && ull == ULLONG_MAX &&
		      errno == ERANGE,
	      "strtoll and strtoull beyond their limits: ERANGE");
	check(atoi("  123xyz") == 123 && atol("-77") == -77 &&
		      atoll("9000000000") == 9000000000LL,
	      "atoi, atol, atoll");
}

static int math_bad;

static void
near(const char *what, double got, double want)
{
	double tol = fabs(want) * 1e-15;
	if (!(fabs(got - want) <= tol)) {
		printf("  %s = %.17g, want %.17g\n", what, got, want);
		math_bad++;
	}
}

static void
exact(const char *what, double got, double want)
{
	if (bits(got) != bits(want)) {
		printf("  %s = %a, want %a\n", what, got, want);
		math_bad++;
	}
}

/* volatile: the compiler must not do the math itself. */
static volatile double one = 1.0, two = 2.0, ten = 10.0, half = 0.5;

#define NEAR(expr, want)  near(#expr, expr, want)
#define EXACT(expr, want) exact(#expr, expr, want)

static void
test_math(void)
{
	EXACT(sqrt(two), 0x1.6a09e667f3bcdp+0);
	EXACT(sqrt(ten * ten), 10.0);
	check(isnan(sqrt(-one)), "sqrt(-1) is nan");
	NEAR(sin(one), 0.8414709848078965);
	NEAR(cos(one), 0.5403023058681398);
	NEAR(tan(one), 1.5574077246549023);
	NEAR(sin(M_PI / 6 * one), 0.5);
	NEAR(sin(1e22 * one), -0.8522008497671888);
	EXACT(sin(0 * one), 0.0);
	EXACT(cos(0 * one), 1.0);
	NEAR(exp(one), 2.718281828459045);
	NEAR(exp(-ten), 4.5399929762484854e-05);
	EXACT(exp(0 * one), 1.0);
	NEAR(log(ten), 2.302585092994046);
	EXACT(log(one), 0.0);
	EXACT(log(0 * one), -INFINITY);
	NEAR(log10(two), 0.3010299956639812);
	EXACT(log10(ten * ten * ten), 3.0);
	NEAR(log2(3 * one), 1.584962500721156);
	EXACT(log2(1024 * one), 10.0);
	EXACT(pow(two, ten), 1024.0);
	NEAR(pow(1.5 * one, 2.5 * one), 2.7556759606310752);
	EXACT(pow(two, half), 0x1.6a09e667f3bcdp+0);
	EXACT(pow(0 * one, 0 * one), 1.0);
	check(isnan(pow(-8 * one, 1.0 / 3)), "pow(-8, 1/3) is nan");
	NEAR(atan2(-one, -one), -2.356194490192345);
	NEAR(asin(half), 0.5235987755982989);
	NEAR(acos(half), 1.0471975511965979);
	NEAR(sinh(one), 1.1752011936438014);
	NEAR(cosh(one), 1.5430806348152437);
	NEAR(tanh(half), 0.46211715726000974);
	NEAR(cbrt(two), 1.2599210498948732);
	EXACT(cbrt(27 * one), 3.0);
	EXACT(hypot(3 * one, 4 * one), 5.0);
	NEAR(expm1(1e-10 * one), 1.00000000005e-10);
	NEAR(log1p(1e-10 * one), 9.999999999500001e-11);
	NEAR(erf(half), 0.5204998778130465);
	NEAR(lgamma(ten), 12.801827480081467);
	EXACT(tgamma(5 * one), 24.0);
	EXACT(fmod(10.5 * one, 3 * one), 1.5);
	EXACT(fmod(-10.5 * one, 3 * one), -1.5);
	EXACT(fmod(1e300 * one, 3 * one), 1.0 * fmod(1e300, 3));
	EXACT(floor(2.5 * one), 2.0);
	EXACT(floor(-2.5 * one), -3.0);
	EXACT(ceil(-2.5 * one), -2.0);
	EXACT(round(2.5 * one), 3.0);
	EXACT(round(-2.5 * one), -3.0);
	EXACT(round(0.49999999999999994 * one), 0.0);
	EXACT(trunc(-2.7 * one), -2.0);
	EXACT(rint(2.5 * one), 2.0);
	EXACT(rint(3.5 * one), 4.0);
	EXACT(nearbyint(-0.5 * one), -0.0);
	EXACT(fabs(-3 * one), 3.0);
	EXACT(copysign(3 * one, -0.0), -3.0);
	EXACT(ldexp(one, 1000), 0x1p1000);
	EXACT(fma(0x1p-30 * one, 0x1p-30, one), 1.0 + 0x1p-60);
	int e;
	EXACT(frexp(48 * one, &e), 0.75);
	double ip;
	EXACT(modf(-3.25 * one, &ip), -0.25);
	check(math_bad == 0 && e == 6 && ip == -3.0 && lround(2.5 * one) == 3 &&
		      llrint(2.5 * one) == 2,
	      "math functions against known values");
}

/* setjmp and longjmp. */
static jmp_buf env, outer, inner;
static int depth_reached;

static void
jump_back(int v)
{
	longjmp(env, v);
}

static int
jump_with(int v)
{
	volatile int r = setjmp(env);
	if (r == 0)
		jump_back(v);
	return r;
}

static volatile int depth_limit = 1000;

static int
recurse(int n)
{
	volatile char pad[512];

	pad[n % 512] = (char)n;
	depth_reached = n;
	if (n == 20)
		longjmp(outer, 20);
	if (n >= depth_limit)
		return n;
	return recurse(n + 1) + pad[n % 512]; /* no tail call */
}

static void
test_setjmp(void)
{
	check(jump_with(5) == 5, "longjmp's value comes out of setjmp");
	check(jump_with(0) == 1, "longjmp with 0 makes setjmp return 1");

	volatile int kept = 1;
	volatile double kd = 1.5;
	if (setjmp(env) == 0) {
		kept = 2;
		kd = 2.5;
		jump_back(3);
	}
	check(kept == 2 && kd == 2.5, "volatile locals keep their new values");

	volatile int inner_value = 0, outer_value = 0;
	if ((outer_value = setjmp(outer)) == 0) {
		if ((inner_value = setjmp(inner)) == 0)
			longjmp(inner, 3);
		recurse(1);
	}
	check(inner_value == 3 && outer_value == 20 && depth_reached == 20,
	      "nested: an inner jump, then out of a recursion 20 deep");
}

static sigjmp_buf sj;
static volatile int usr2_runs;
static volatile sig_atomic_t plain_jump;

static void
on_usr2(int sig)
{
	(void)sig;
	usr2_runs++;
	if (plain_jump)
		longjmp(env, 1);
	siglongjmp(sj, 1);
}

static int
blocked(int sig)
{
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	return sigismember(&now, sig);
}

static void
test_sigsetjmp(void)
{
	sigset_t none, usr1;

	sigemptyset(&none);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (sigsetjmp(sj, 1) == 0) {
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		siglongjmp(sj, 1);
	}
	check(!blocked(SIGUSR1), "siglongjmp restores the mask saved");

	if (sigsetjmp(sj, 0) == 0) {
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		siglongjmp(sj, 1);
	}
	check(blocked(SIGUSR1), "sigsetjmp(env, 0) saves no mask");
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* Out of a handler, which runs with its signal and sa_mask blocked. */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr2;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR1);
	sigaction(SIGUSR2, &sa, NULL);
	if (sigsetjmp(sj, 1) == 0) {
		raise(SIGUSR2);
		printf("  the handler did not jump\n");
	}
	volatile int first =
		usr2_runs == 1 && !blocked(SIGUSR2) && !blocked(SIGUSR1);
	if (sigsetjmp(sj, 1) == 0)
		raise(SIGUSR2);
	check(first && usr2_runs == 2,
	      "siglongjmp out of a handler unblocks its signals, twice");

	/* musl's longjmp keeps the mask: the handler's, here. */
	plain_jump = 1;
	if (setjmp(env) == 0)
		raise(SIGUSR2);
	check(usr2_runs == 3 && blocked(SIGUSR2) && blocked(SIGUSR1),
	      "longjmp out of a handler leaves its mask in place");
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGUSR2, SIG_DFL);
}

static void
atexit1(void)
{
	printf("atexit 1\n");
}

static void
atexit2(void)
{
	printf("atexit 2\n");
}

static void
atexit3(void)
{
	printf("atexit 3\n");
}

static void
deeper(int status)
{
	printf("exiting with %d from a nested call\n", status);
	exit(status);
}

static void
nested_exit(int status)
{
	deeper(status);
	printf("exit returned\n");
}

int
main(int argc, char **argv)
{
	int status = argc > 1 ? atoi(argv[1]) : 0;

	check(atexit(atexit1) == 0 && atexit(atexit2) == 0 &&
		      atexit(atexit3) == 0,
	      "atexit registers three handlers");
	test_sort();
	test_strtod();
	test_printf_float();
	test_strtol();
	test_math();
	test_setjmp();
	test_sigsetjmp();
	printf("%d failures\n", failures);
	if (failures)
		status = 1;
	if (argc > 2 && strcmp(argv[2], "exit") == 0)
		nested_exit(status);
	printf("returning %d from main\n", status);
	return status;
}
