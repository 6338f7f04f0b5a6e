/*
 * mprotect and faults as signals (tests/proc/start.sh). Without
 * arguments: a page made read-only faults when written, and with no
 * handler the guest ends with a report naming SIGSEGV and status 139.
 * With "handlers": a SIGSEGV handler gets si_addr and SEGV_ACCERR, makes
 * the page writable and returns, and the write is made again and goes
 * through; a read of a PROT_NONE page and a division by zero (SIGFPE)
 * leave their handlers by siglongjmp, with the signal mask restored; a
 * second thread's fault is its own.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"

static volatile char *page;
static volatile void *fault_addr;
static volatile int fault_code, faults;
static sigjmp_buf escape;

static void
on_segv_fix(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	faults += sig == SIGSEGV;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	mprotect((void *)page, 4096, PROT_READ | PROT_WRITE);
}

static void
on_fault_escape(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	fault_addr = si->si_addr;
	siglongjmp(escape, sig);
}

static void *
thread_fault(void *arg)
{
	(void)arg;
	if (sigsetjmp(escape, 1) == 0) {
		(void)page[1];
		return (void *)0;
	}
	return (void *)1;
}

static void
handlers(void)
{
	struct sigaction sa;
	sigset_t mask;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv_fix;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	mprotect((void *)page, 4096, PROT_READ);
	page[5] = 7;
	check(faults == 1 && page[5] == 7 && fault_addr == page + 5 &&
		      fault_code == SEGV_ACCERR,
	      "SIGSEGV handler: si_addr, SEGV_ACCERR, the write made again");

	sa.sa_sigaction = on_fault_escape;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	mprotect((void *)page, 4096, PROT_NONE);
	int sig = sigsetjmp(escape, 1);
	if (sig == 0) {
		(void)page[100];
		check(0, "a PROT_NONE page was read");
	}
	sigprocmask(SIG_BLOCK, NULL, &mask);
	check(sig == SIGSEGV && fault_addr == page + 100 &&
		      !sigismember(&mask, SIGSEGV),
	      "a read of a PROT_NONE page: siglongjmp out, mask restored");

	volatile int zero = 0, n = 1000;
	sig = sigsetjmp(escape, 1);
	if (sig == 0) {
		printf("%d\n", n / zero);
		check(0, "a division by zero went through");
	}
	check(sig == SIGFPE, "a division by zero: SIGFPE");

	pthread_t t;
	void *r;
	pthread_create(&t, NULL, thread_fault, NULL);
	pthread_join(t, &r);
	check(r == (void *)1, "a thread's fault is its own signal");
}

int
main(int argc, char **argv)
{
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	page[0] = 1;
	if (argc > 1 && strcmp(argv[1], "handlers") == 0) {
		handlers();
		printf("%d failures\n", failures);
		return failures != 0;
	}
	if (mprotect((void *)page, 4096, PROT_READ) != 0)
		return 1;
	printf("writing to a read-only page\n");
	fflush(stdout);
	page[0] = 2;
	printf("the write went through\n");
	return 0;
}
