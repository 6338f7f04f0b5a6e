/*
 * Commits the fault its first argument names, each in a function of its
 * own, so that tests/boot/faults.sh can check the crash report (the
 * function's name in the backtrace) and the exit status a Linux process
 * would have: null (page fault, 139), text (a write to read-only code,
 * 139), exec (a call into data, which is not executable, 139), ud2
 * (invalid opcode, 132), divide (divide error, 136), guard (a
 * write to the guard page below a thread's stack, 139), panic
 * (platform_panic, 134), kill (rumpuser_kill with SIGABRT, 134),
 * rumppanic (rumpuser_exit(RUMPUSER_PANIC), 134) and sigpipe (a signal
 * that is not fatal: the guest goes on and exits 0).
 */
#include <string.h>

#include <rumpxen/platform.h>
#include <rumpxen/rumpuser.h>

#include "../../../platform/xen/core/core.h"

#define NOINLINE __attribute__((noinline))

/* Addresses and values the compiler cannot see through. */
static volatile unsigned long fault_zero_address;
static volatile int fault_zero;
static volatile int fault_sink, fault_one = 1;

NOINLINE static void
fault_null(void)
{
	*(volatile int *)fault_zero_address = 1;
}

NOINLINE static void
fault_text(void)
{
	volatile unsigned long code = (unsigned long)fault_text;
	*(volatile char *)code = 0;
}

/* Calls a "ret" placed in data, which must not be executable. */
NOINLINE static void
fault_exec(void)
{
	static unsigned char code[16] = {0xc3};
	void (*volatile fn)(void) = (void (*)(void))code;

	fn();
}

NOINLINE static void
fault_ud2(void)
{
	__builtin_trap();
}

NOINLINE static void
fault_divide(void)
{
	fault_sink = fault_one / fault_zero;
}

/* Finds the unmapped page below its own stack and writes into it. */
NOINLINE static void
fault_guard_victim(void *arg)
{
	unsigned long page = (unsigned long)&arg & ~(PAGE_SIZE - 1);

	while (mm_is_mapped(page))
		page -= PAGE_SIZE;
	platform_console_printf("writing to %#lx\n", page + PAGE_SIZE - 8);
	*(volatile unsigned long *)(page + PAGE_SIZE - 8) = 1;
}

int
rumpxen_main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	if (strcmp(what, "null") == 0)
		fault_null();
	else if (strcmp(what, "text") == 0)
		fault_text();
	else if (strcmp(what, "exec") == 0)
		fault_exec();
	else if (strcmp(what, "ud2") == 0)
		fault_ud2();
	else if (strcmp(what, "divide") == 0)
		fault_divide();
	else if (strcmp(what, "panic") == 0)
		platform_panic("the test asked for a panic (%d)", 42);
	else if (strcmp(what, "kill") == 0)
		rumpuser_kill(RUMPUSER_PID_SELF, 6); /* NetBSD's SIGABRT */
	else if (strcmp(what, "rumppanic") == 0)
		rumpuser_exit(RUMPUSER_PANIC);
	else if (strcmp(what, "sigpipe") == 0) {
		/* Not fatal: it reaches the kernel's model, the guest goes on.
		 */
		if (rumpuser_kill(RUMPUSER_PID_SELF, 13) == 0)
			return 0;
	} else if (strcmp(what, "guard") == 0) {
		struct thread_attr attr = {.name = "victim", .joinable = 1};
		struct thread *t;
		if (sched_thread_create(&attr, fault_guard_victim, NULL, &t) ==
		    0)
			sched_thread_join(t);
	} else {
		platform_console_printf("unknown fault \"%s\"\n", what);
		return 2;
	}
	platform_console_printf("no fault happened\n");
	return 1;
}
