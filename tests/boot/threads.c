/*
 * The scheduler: 1,000 threads that sleep random times wake in deadline
 * order, none before its deadline; a producer and a consumer move a million
 * items through a small ring with wait queues, none lost or reordered; wait
 * queues time out; every thread keeps its own FS base (TLS) across switches;
 * join waits for the end of a thread. Also reports the cost of a context switch
 * (the median of several rounds of yields between two threads). Exits 0 when
 * all holds.
 */
#include <errno.h>

#include <rumpxen/platform.h>

#include "../../platform/xen/core/core.h"
#include "../check.h"

#define SLEEPERS 1000
#define ITEMS	 1000000
#define RING	 64

static uint64_t
rnd(uint64_t *seed)
{
	*seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
	return *seed >> 33;
}

/*
 * Sleepers: all wait at a gate until main has made every one and set the
 * deadlines (100 ms and more ahead, far more than the thousand threads
 * need to go to sleep); then each sleeps until its deadline and records
 * it in the order they woke. A thread that found its deadline already
 * past never slept, so it says nothing about the order; it is counted.
 */
static uint64_t sleep_deadline[SLEEPERS];
static uint64_t wake_order[SLEEPERS];
static int nwoken, nlate, at_gate;
static struct waitq gate;

static void
sleeper(void *arg)
{
	uint64_t deadline;

	at_gate++;
	waitq_wait(&gate, 0);
	deadline = sleep_deadline[(unsigned long)arg];
	if (time_monotonic_ns() >= deadline) {
		nlate++;
		return;
	}
	sched_sleep_until(deadline);
	if (time_monotonic_ns() < deadline)
		check_failures++;
	wake_order[nwoken++] = deadline;
}

static void
test_sleepers(void)
{
	static struct thread *t[SLEEPERS];
	uint64_t seed = 42, start;
	struct thread_attr attr = {
		.name = "sleeper", .stack_size = 8192, .joinable = 1};
	int sorted = 1, created = 1;

	for (unsigned long i = 0; i < SLEEPERS; i++)
		created &= sched_thread_create(&attr, sleeper, (void *)i,
					       &t[i]) == 0;
	check(created, "1000 threads created");
	while (at_gate < SLEEPERS)
		sched_yield();
	start = time_monotonic_ns() + 100000000;
	for (int i = 0; i < SLEEPERS; i++)
		sleep_deadline[i] = start + rnd(&seed) % 300000000;
	waitq_wake_all(&gate);
	for (int i = 0; i < SLEEPERS; i++)
		sched_thread_join(t[i]);
	for (int i = 1; i < nwoken; i++)
		sorted &= wake_order[i - 1] <= wake_order[i];
	platform_console_printf("sleepers: %d slept, %d started too late\n",
				nwoken, nlate);
	check(nwoken >= SLEEPERS / 2 && sorted,
	      "the sleepers woke in deadline order, none early");
}

/* Producer and consumer over a ring of RING slots. */
static unsigned long ring[RING];
static unsigned long ring_head, ring_tail; /* put at head, take at tail */
static struct waitq ring_not_full, ring_not_empty;
static unsigned long consumed_sum, consumed_bad;

static void
producer(void *arg)
{
	(void)arg;
	for (unsigned long i = 1; i <= ITEMS; i++) {
		while (ring_head - ring_tail == RING)
			waitq_wait(&ring_not_full, 0);
		ring[ring_head++ % RING] = i;
		waitq_wake_one(&ring_not_empty);
	}
}

static void
consumer(void *arg)
{
	(void)arg;
	for (unsigned long i = 1; i <= ITEMS; i++) {
		while (ring_head == ring_tail)
			waitq_wait(&ring_not_empty, 0);
		unsigned long v = ring[ring_tail++ % RING];
		consumed_bad += v != i;
		consumed_sum += v;
		waitq_wake_one(&ring_not_full);
	}
}

static void
test_producer_consumer(void)
{
	struct thread_attr pa = {.name = "producer", .joinable = 1};
	struct thread_attr ca = {.name = "consumer", .joinable = 1};
	struct thread *p, *c;
	unsigned long switches = sched_switch_count();

	sched_thread_create(&ca, consumer, NULL, &c);
	sched_thread_create(&pa, producer, NULL, &p);
	sched_thread_join(p);
	sched_thread_join(c);
	platform_console_printf("producer/consumer: %lu switches\n",
				sched_switch_count() - switches);
	check(consumed_bad == 0 &&
		      consumed_sum == (unsigned long)ITEMS * (ITEMS + 1) / 2,
	      "a million items moved in order, none lost");
}

/* Two threads that yield to each other; the cost of one switch. */
static volatile int pingpong_rounds;

static void
pingpong(void *arg)
{
	(void)arg;
	for (int i = 0; i < pingpong_rounds; i++)
		sched_yield();
}

static void
test_switch_cost(void)
{
	uint64_t ns[9];
	struct thread_attr attr = {.name = "pingpong", .joinable = 1};

	pingpong_rounds = 10000;
	for (int r = 0; r < 9; r++) {
		struct thread *a, *b;
		unsigned long s0 = sched_switch_count();
		uint64_t t0 = time_monotonic_ns();
		sched_thread_create(&attr, pingpong, NULL, &a);
		sched_thread_create(&attr, pingpong, NULL, &b);
		sched_thread_join(a);
		sched_thread_join(b);
		ns[r] = (time_monotonic_ns() - t0) /
			(sched_switch_count() - s0);
	}
	for (int i = 1; i < 9; i++)
		for (int j = i; j > 0 && ns[j - 1] > ns[j]; j--) {
			uint64_t x = ns[j];
			ns[j] = ns[j - 1];
			ns[j - 1] = x;
		}
	platform_console_printf("context switch: %lu ns (median of 9 rounds "
				"of 20000 switches)\n",
				(unsigned long)ns[4]);
}

/* TLS: each thread's FS base points at its own word. */
static int tls_bad;

static void
tls_thread(void *arg)
{
	unsigned long want = (unsigned long)arg;

	for (int i = 0; i < 100; i++) {
		unsigned long v;
		__asm__ volatile("movq %%fs:0, %0" : "=r"(v));
		tls_bad += v != want;
		sched_yield();
	}
}

static void
test_tls(void)
{
	static unsigned long words[4][2];
	struct thread *t[4];

	for (unsigned long i = 0; i < 4; i++) {
		struct thread_attr attr = {.name = "tls",
					   .tls = (unsigned long)words[i],
					   .joinable = 1};
		words[i][0] = 1000 + i;
		sched_thread_create(&attr, tls_thread, (void *)(1000 + i),
				    &t[i]);
	}
	for (int i = 0; i < 4; i++)
		sched_thread_join(t[i]);
	check(tls_bad == 0, "each thread kept its own FS base");
}

/* A thread on a stack its creator gave, as the kernel will for lwps. */
static volatile unsigned long given_stack_local;

static void
given_stack_thread(void *arg)
{
	int local;

	(void)arg;
	given_stack_local = (unsigned long)&local;
	sched_yield();
}

static void
test_given_stack(void)
{
	static char stack[16384] __attribute__((aligned(16)));
	struct thread_attr attr = {.name = "given",
				   .stack = stack,
				   .stack_size = sizeof(stack),
				   .joinable = 1};
	struct thread *t;

	check(sched_thread_create(&attr, given_stack_thread, NULL, &t) == 0 &&
		      sched_thread_join(t) == 0,
	      "a thread on a caller-given stack ran and was joined");
	check(given_stack_local >= (unsigned long)stack &&
		      given_stack_local < (unsigned long)stack + sizeof(stack),
	      "and its locals were on that stack");
}

static struct waitq nobody;

static void
test_timeout_and_join(void)
{
	uint64_t t0 = time_monotonic_ns();
	int err = waitq_wait(&nobody, t0 + 20000000);

	check(err == ETIMEDOUT && time_monotonic_ns() - t0 >= 20000000,
	      "a wait queue times out at its deadline, not before");
	check(nobody.head == NULL, "the timed-out thread left the queue");
	check(sched_thread_join(sched_current()) == EINVAL,
	      "a thread cannot join itself");
}

int
rumpxen_main(int argc, char **argv)
{
	struct pages_stats before, after;

	(void)argc;
	(void)argv;
	pages_stats(&before);
	test_sleepers();
	test_producer_consumer();
	test_switch_cost();
	test_tls();
	test_given_stack();
	test_timeout_and_join();
	sched_yield(); /* let the reaper run */
	pages_stats(&after);
	check(after.free == before.free, "every stack was given back");
	return check_failures != 0;
}
