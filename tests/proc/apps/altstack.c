/*
 * The alternate signal stack as Linux has it (tests/proc/altstack.sh):
 * sigaltstack's checks, made by the system call itself (bad flags
 * EINVAL, below MINSIGSTKSZ ENOMEM, SS_DISABLE, SS_AUTODISARM taken); a
 * handler with SA_ONSTACK runs on the alternate stack (its local
 * variable is there), which it reports with SS_ONSTACK and cannot change
 * (EPERM), while one without SA_ONSTACK runs on the thread's stack
 * (where a change it makes is undone when it returns);
 * SS_AUTODISARM disarms the stack while its handler runs; a SIGSEGV
 * handler with SA_ONSTACK for a fault leaves by siglongjmp. With the
 * argument "overflow" (natively: see altstack.sh), a thread whose stack
 * overflows by recursion is caught the same way. Prints "N failures"
 * and exits 0 when there are none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

#define STACK 65536
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1u << 31) /* Linux 4.7's; not in every libc */
#endif

static char altstack[STACK] __attribute__((aligned(16)));
static volatile uintptr_t handler_local;
static volatile int handler_flags, handler_eperm, handler_tries = 1;
static sigjmp_buf escape;

/* on_alt: p lies in the alternate stack. */
static int
on_alt(uintptr_t p)
{
	return p >= (uintptr_t)altstack && p < (uintptr_t)altstack + STACK;
}

/* altstack_set: the system call itself (libc checks some on its own). */
static long
altstack_set(void *sp, int flags, size_t size, stack_t *old)
{
	stack_t ss = {.ss_sp = sp, .ss_flags = flags, .ss_size = size};

	return syscall(SYS_sigaltstack, &ss, old);
}

static void
on_usr1(int sig)
{
	volatile char here;
	static char other[4096];
	stack_t now, again = {.ss_sp = other, .ss_size = sizeof(other)};

	(void)sig;
	handler_local = (uintptr_t)&here;
	sigaltstack(NULL, &now);
	handler_flags = now.ss_flags;
	/* (Linux's sigreturn would undo a change, or not: see below.) */
	handler_eperm = handler_tries && sigaltstack(&again, NULL) == -1 &&
			errno == EPERM;
}

static void
set_action(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = {.sa_handler = fn, .sa_flags = flags};

	sigaction(sig, &sa, NULL);
}

static void
checks(void)
{
	stack_t old;

	errno = 0;
	check(altstack_set(altstack, 4, STACK, NULL) == -1 && errno == EINVAL,
	      "unknown flags: EINVAL");
	errno = 0;
	check(altstack_set(altstack, 0, 2047, NULL) == -1 && errno == ENOMEM,
	      "2047 bytes: ENOMEM");
	check(altstack_set(altstack, 0, 2048, NULL) == 0 &&
		      sigaltstack(NULL, &old) == 0 && old.ss_size == 2048 &&
		      old.ss_flags == 0 && old.ss_sp == altstack,
	      "2048 bytes: taken, and reported");
	check(altstack_set(NULL, SS_DISABLE, 0, &old) == 0 &&
		      old.ss_size == 2048 && sigaltstack(NULL, &old) == 0 &&
		      old.ss_flags == SS_DISABLE,
	      "SS_DISABLE: the old one back, SS_DISABLE reported");
	check(altstack_set(altstack, SS_AUTODISARM, STACK, NULL) == 0 &&
		      sigaltstack(NULL, &old) == 0 &&
		      old.ss_flags == (int)SS_AUTODISARM,
	      "SS_AUTODISARM: taken, and reported");
}

static void
handlers(void)
{
	volatile char mine;

	check(altstack_set(altstack, 0, STACK, NULL) == 0, "a 64 KiB stack");
	set_action(SIGUSR1, on_usr1, SA_ONSTACK);
	raise(SIGUSR1);
	check(on_alt(handler_local),
	      "SA_ONSTACK: the handler's local is there");
	check(handler_flags == SS_ONSTACK, "... it reports SS_ONSTACK");
	check(handler_eperm, "... and changing it there is EPERM");
	set_action(SIGUSR1, on_usr1, 0);
	raise(SIGUSR1);
	check(!on_alt(handler_local) && handler_flags == 0 && !handler_eperm,
	      "without SA_ONSTACK: the thread's stack, the stack changes");
	stack_t now;
	check(sigaltstack(NULL, &now) == 0 && now.ss_sp == altstack &&
		      now.ss_size == STACK,
	      "... undone when the handler returns, as by sigreturn");
	uintptr_t d = handler_local > (uintptr_t)&mine
			      ? handler_local - (uintptr_t)&mine
			      : (uintptr_t)&mine - handler_local;
	check(d < STACK, "... near the caller's local");
	check(altstack_set(altstack, SS_AUTODISARM, STACK, NULL) == 0,
	      "SS_AUTODISARM");
	/*
	 * Not tried here: Linux sets the stack again at sigreturn, but not
	 * when the handler set one that the sigreturn runs on (EPERM).
	 */
	handler_tries = 0;
	set_action(SIGUSR1, on_usr1, SA_ONSTACK);
	raise(SIGUSR1);
	stack_t old;
	check(on_alt(handler_local) && handler_flags == SS_DISABLE,
	      "... its handler runs there, the stack disarmed meanwhile");
	check(sigaltstack(NULL, &old) == 0 && old.ss_sp == altstack &&
		      old.ss_flags == (int)SS_AUTODISARM,
	      "... and armed again after");
	altstack_set(altstack, 0, STACK, NULL);
}

static void
on_segv(int sig)
{
	volatile char here;

	(void)sig;
	handler_local = (uintptr_t)&here;
	siglongjmp(escape, 1);
}

static void
fault(void)
{
	char *page =
		mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	handler_local = 0;
	set_action(SIGSEGV, on_segv, SA_ONSTACK | SA_NODEFER);
	if (sigsetjmp(escape, 1) == 0)
		page[0] = 1;
	check(on_alt(handler_local), "a fault's SA_ONSTACK handler: there");
	munmap(page, 4096);
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int
recurse(int n)
{
	volatile char big[512];

	big[0] = (char)n;
	return recurse(n + 1) + big[0];
}

static void *
overflow_thread(void *arg)
{
	static char thread_alt[STACK];
	stack_t ss = {.ss_sp = thread_alt, .ss_size = STACK};

	(void)arg;
	sigaltstack(&ss, NULL);
	handler_local = 0;
	if (sigsetjmp(escape, 1) == 0)
		recurse(0);
	return (void *)(uintptr_t)(handler_local >= (uintptr_t)thread_alt &&
				   handler_local <
					   (uintptr_t)thread_alt + STACK);
}

static void
overflow(void)
{
	pthread_attr_t attr;
	pthread_t th;
	void *ok = NULL;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	check(pthread_create(&th, &attr, overflow_thread, NULL) == 0 &&
		      pthread_join(th, &ok) == 0 && ok != NULL,
	      "a thread's stack overflow: caught on its alternate stack");
}

int
main(int argc, char **argv)
{
	checks();
	handlers();
	fault();
	if (argc > 1 && strcmp(argv[1], "overflow") == 0)
		overflow();
	printf("%d failures\n", failures);
	return failures != 0;
}
