/*
 * Time on Xen PV: monotonic nanoseconds from the PV clock, wall-clock time
 * from shared_info, and a one-shot timer through set_timer_op.
 *
 * Xen publishes, per vCPU, the system time (ns since Xen booted) at a TSC
 * stamp, with a scale to turn TSC ticks since then into nanoseconds. It
 * bumps a version before and after an update (odd while updating), so a
 * reader copies the fields and retries until it saw one even version on
 * both sides. Successive updates can disagree by a few nanoseconds, so the
 * last value handed out is kept and time never goes backwards. Wall-clock
 * time is the wall time of system time 0 (wc_sec, wc_nsec, also versioned)
 * plus the system time.
 */
#include <rumpxen/platform.h>

#include "core.h"

static uint64_t time_last;

static inline uint64_t
time_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* time_scale: TSC ticks to nanoseconds with Xen's multiplier and shift. */
static uint64_t
time_scale(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

/* time_system_at: the system time at TSC value tsc (0: now). */
static uint64_t
time_system_at(uint64_t tsc)
{
	volatile struct vcpu_time_info *t = &shared_info->vcpu_info[0].time;
	uint32_t version, mul;
	uint64_t stamp, system;
	int8_t shift;

	do {
		version = t->version;
		__asm__ volatile("" ::: "memory");
		stamp = t->tsc_timestamp;
		system = t->system_time;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		if (tsc == 0)
			tsc = time_rdtsc();
		__asm__ volatile("" ::: "memory");
	} while ((version & 1) != 0 || version != t->version);
	/* A TSC read before the stamp (boot) counts back from it. */
	if (tsc < stamp)
		return system - time_scale(stamp - tsc, mul, shift);
	return system + time_scale(tsc - stamp, mul, shift);
}

uint64_t
time_monotonic_ns(void)
{
	uint64_t now = time_system_at(0);

	if (now < time_last)
		return time_last;
	time_last = now;
	return now;
}

uint64_t
time_tsc_to_ns(uint64_t tsc)
{
	return time_system_at(tsc);
}

uint64_t
time_tsc(void)
{
	return time_rdtsc();
}

uint64_t
time_wall_ns(void)
{
	volatile struct shared_info *s = shared_info;
	uint32_t version;
	uint64_t sec, nsec;

	do {
		version = s->wc_version;
		__asm__ volatile("" ::: "memory");
		sec = ((uint64_t)s->wc_sec_hi << 32) | s->wc_sec;
		nsec = s->wc_nsec;
		__asm__ volatile("" ::: "memory");
	} while ((version & 1) != 0 || version != s->wc_version);
	return sec * 1000000000ull + nsec + time_monotonic_ns();
}

void
time_timer_set(uint64_t deadline)
{
	/* Cannot fail for a PV guest's own vCPU; a past deadline fires now. */
	hypercall2(__HYPERVISOR_set_timer_op, deadline, 0);
}
