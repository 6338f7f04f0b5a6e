/*
 * The kernel's virtual CPU under contention, as a host program on
 * platform/posix (ASan and UBSan, and ThreadSanitizer): eight threads of
 * the process enter and leave the kernel thousands of times each, by
 * system calls (the fast path when the CPU is free) and by kern_enter
 * itself, with blocking calls in between that give the CPU back while
 * they block: a rumpuser sleep (the backend upcalls), nanosleep (a
 * kernel sleep) and reads of a pipe a partner thread writes. Holds:
 * never two threads inside at once (a flag checked at every step and a
 * plain counter that loses no update), the backend upcalls balanced
 * (the core panics on a hypercall's upcalls out of order), and every
 * thread done. Exits 0 when all holds.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rumpxen/platform.h>

#include "../../kern/kern.h"
#include "kernjob.h"

#define SYS_read    0
#define SYS_write   1
#define SYS_close   3
#define SYS_getpid  39
#define SYS_pipe2   293
#define THREADS	    8
#define ROUNDS	    3000
#define BLOCK_EVERY 64 /* a blocking call every so many rounds */
#define PASSES	    (ROUNDS / BLOCK_EVERY)

/* A thread and its partner (i ^ 1), which share two pipes. */
struct job {
	int id;
	int to_partner, from_partner;
	int ctid;
	long getpids_wrong; /* getpid() calls that did not return 1 */
	long passes;	    /* bytes exchanged with its partner */
};

static struct job jobs[THREADS];
/* Only a thread holding the CPU touches these. */
static int cpu_inside;
static long cpu_counter;
/* Any thread: how often one found another inside. */
static int cpu_overlaps;

/* cpu_step: one step inside the kernel, checking nobody else is. */
static void
cpu_step(void)
{
	if (__atomic_fetch_add(&cpu_inside, 1, __ATOMIC_RELAXED) != 0)
		__atomic_fetch_add(&cpu_overlaps, 1, __ATOMIC_RELAXED);
	cpu_counter++; /* plain: a second thread inside would lose updates */
	__atomic_fetch_sub(&cpu_inside, 1, __ATOMIC_RELAXED);
}

/* hammer: a thread's rounds of entering, blocking and passing bytes. */
static int
hammer(void *arg)
{
	struct job *j = arg;
	char c = (char)j->id;

	for (int r = 0; r < ROUNDS; r++) {
		if (sys(SYS_getpid, 0, 0, 0, 0, 0) != 1)
			j->getpids_wrong++;
		kern_enter();
		cpu_step();
		if (r % BLOCK_EVERY == j->id % BLOCK_EVERY) {
			/* The CPU goes back through the upcalls meanwhile. */
			rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 20000);
			cpu_step();
		}
		kern_leave();
		if (r % BLOCK_EVERY == 0) {
			struct timespec ts = {0, 10000};
			if (j->id % 2 == 0) /* a kernel sleep of 10 us */
				sys(35 /* nanosleep */, (long)&ts, 0, 0, 0, 0);
			/* Even ones write first, odd ones read first. */
			for (int k = 0; k < 2; k++) {
				if ((k == 0) == (j->id % 2 == 0))
					j->passes +=
						sys(SYS_write, j->to_partner,
						    (long)&c, 1, 0, 0);
				else
					j->passes +=
						sys(SYS_read, j->from_partner,
						    (long)&c, 1, 0, 0);
			}
		}
	}
	return 0;
}

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	expect(kern_init() == 0, "kern_init");
	for (int i = 0; i < THREADS; i += 2) {
		int ab[2], ba[2];
		sys(SYS_pipe2, (long)ab, 0, 0, 0, 0);
		sys(SYS_pipe2, (long)ba, 0, 0, 0, 0);
		jobs[i] = (struct job){
			.id = i, .to_partner = ab[1], .from_partner = ba[0]};
		jobs[i + 1] = (struct job){.id = i + 1,
					   .to_partner = ba[1],
					   .from_partner = ab[0]};
	}
	double t0 = now();
	for (int i = 0; i < THREADS; i++)
		job_start(hammer, &jobs[i], &jobs[i].ctid);
	long wrong = 0, passes = 0;
	for (int i = 0; i < THREADS; i++) {
		job_join(&jobs[i].ctid);
		wrong += jobs[i].getpids_wrong;
		passes += jobs[i].passes;
	}
	printf("%d threads x %d rounds in %.2f s\n", THREADS, ROUNDS,
	       now() - t0);
	expect(wrong == 0, "every getpid() through the fast path gave 1");
	expect(__atomic_load_n(&cpu_overlaps, __ATOMIC_RELAXED) == 0,
	       "never two threads holding the CPU at once");
	kern_enter();
	long counted = cpu_counter;
	kern_leave();
	long blocked = (long)THREADS *
		       (ROUNDS / BLOCK_EVERY + (ROUNDS % BLOCK_EVERY != 0));
	printf("steps inside %ld (expected %ld)\n", counted,
	       (long)THREADS * ROUNDS + blocked);
	expect(counted == (long)THREADS * ROUNDS + blocked,
	       "no step inside the CPU was lost");
	expect(passes == (long)THREADS * 2 * (PASSES + 1),
	       "every byte between partners went and came back");
	expect(!kern_cpu_held(), "the CPU is not held after the last leave");
	for (int i = 0; i < THREADS; i++) {
		sys(SYS_close, jobs[i].to_partner, 0, 0, 0, 0);
		sys(SYS_close, jobs[i].from_partner, 0, 0, 0, 0);
	}
	kern_enter();
	kern_thread_reap();
	kern_leave();
	printf(failures == 0 ? "all passed\n" : "%d failed\n", failures);
	return failures != 0;
}
