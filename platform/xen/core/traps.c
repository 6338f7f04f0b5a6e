/*
 * Exceptions: the trap table, and the crash report of a fault.
 *
 * A fault goes first to the hook the kernel set (platform_fault_hook_set),
 * which turns one in application code into a signal; it resumes the
 * thread or lets the fault end the image. The report gives the vector and error
 * code, the faulting address for a page fault (Xen passes cr2 in the
 * vcpu_info, a PV guest cannot read the register), the registers, and a
 * backtrace along the frame-pointer chain, symbolized with the image's own
 * table (ksyms.c). The guest then exits as a Linux process killed by the
 * matching signal would: 128 + the signal number.
 */
#include <string.h>

#include <rumpxen/platform.h>

#include "core.h"

/* Linux's numbers for the signals that exceptions raise. */
#define SIGILL	4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS	7
#define SIGFPE	8
#define SIGSEGV 11

struct trap_kind {
	const char *name;
	int signal;
};

static const struct trap_kind trap_kinds[20] = {
	[0] = {"divide error", SIGFPE},
	[1] = {"debug", SIGTRAP},
	[3] = {"breakpoint", SIGTRAP},
	[4] = {"overflow", SIGSEGV},
	[5] = {"bound range exceeded", SIGSEGV},
	[6] = {"invalid opcode", SIGILL},
	[7] = {"device not available", SIGSEGV},
	[8] = {"double fault", SIGSEGV},
	[9] = {"coprocessor segment overrun", SIGFPE},
	[10] = {"invalid TSS", SIGSEGV},
	[11] = {"segment not present", SIGBUS},
	[12] = {"stack fault", SIGBUS},
	[13] = {"general protection", SIGSEGV},
	[14] = {"page fault", SIGSEGV},
	[15] = {"spurious interrupt", SIGSEGV},
	[16] = {"x87 floating point", SIGFPE},
	[17] = {"alignment check", SIGBUS},
	[18] = {"machine check", SIGBUS},
	[19] = {"SIMD floating point", SIGFPE},
};

/* The vectors with an entry stub in traps.S. */
// clang-format off
#define TRAP_ENTRIES(X) \
	X(0) X(1) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) \
	X(14) X(15) X(16) X(17) X(18) X(19)
// clang-format on
#define TRAP_DECLARE(v) extern char trap_entry_##v[];
TRAP_ENTRIES(TRAP_DECLARE)

/* Set while a report is being written: a fault inside it stops at once. */
static int trap_nesting;

void
traps_init(void)
{
	/* int3 and into may be used at any privilege: DPL 3 for them. */
#define TRAP_INFO(v)                                                           \
	{v, (v == 3 || v == 4) ? 3 : 0, FLAT_KERNEL_CS,                        \
	 (unsigned long)trap_entry_##v},
	static const struct trap_info table[] = {
		TRAP_ENTRIES(TRAP_INFO){0, 0, 0, 0}};
	if (hypercall2(__HYPERVISOR_set_trap_table, (unsigned long)table, 0) !=
	    0)
		platform_panic("traps: set_trap_table failed");
}

/*
 * trap_print_addr: "addr <name+0xoff>", or the bare address. A return
 * address is looked up one byte back: the call it follows may be the last
 * instruction of its function (a call to a noreturn function is).
 */
static void
trap_print_addr(unsigned long addr, int is_return)
{
	const char *name;
	unsigned long off;

	if (ksyms_lookup(addr - (is_return ? 1 : 0), &name, &off))
		platform_console_printf("  %016lx <%s+0x%lx>\n", addr, name,
					off + (is_return ? 1 : 0));
	else
		platform_console_printf("  %016lx\n", addr);
}

/*
 * trap_frameless_caller: when the faulting function has not set up a frame
 * (gcc leaves small leaf functions without one, whatever the flags), or
 * has not yet, or the fault is a call to something that is no function,
 * the return address is still on top of the stack, and the frame-pointer
 * chain would skip the caller. Returns that address, or 0.
 */
static unsigned long
trap_frameless_caller(unsigned long rip, unsigned long rsp)
{
	static const unsigned char prologue[] = {0x55, 0x48, 0x89, 0xe5};
	const char *name;
	unsigned long off, ret;

	/* Outside any function (a call through a bad pointer): no frame. */
	if (ksyms_lookup(rip, &name, &off) && off >= sizeof(prologue) &&
	    memcmp((const void *)(rip - off), prologue, sizeof(prologue)) == 0)
		return 0; /* push %rbp; mov %rsp,%rbp: a proper frame */
	if ((rsp & 7) != 0 || !mm_is_mapped(rsp))
		return 0;
	ret = *(const unsigned long *)rsp;
	return ksyms_lookup(ret, &name, &off) ? ret : 0;
}

void
trap_backtrace(unsigned long rip, unsigned long rsp, unsigned long rbp)
{
	unsigned long caller = rsp != 0 ? trap_frameless_caller(rip, rsp) : 0;

	platform_console_printf("backtrace:\n");
	/* rip is where a trap happened, or (from a panic, rsp 0) a return. */
	trap_print_addr(rip, rsp == 0);
	if (caller != 0)
		trap_print_addr(caller, 1);
	/* Each frame: [rbp] = caller's rbp, [rbp + 8] = return address. */
	for (int depth = 0; depth < 32 && rbp != 0; depth++) {
		if ((rbp & 7) != 0 || !mm_is_mapped(rbp) ||
		    !mm_is_mapped(rbp + 8)) {
			platform_console_printf("  (frame pointer %#lx is "
						"not readable)\n",
						rbp);
			return;
		}
		const unsigned long *frame = (const unsigned long *)rbp;
		if (frame[1] == 0)
			return;
		trap_print_addr(frame[1], 1);
		if (frame[0] <= rbp)
			return; /* the chain must go up the stack */
		rbp = frame[0];
	}
}

static void
trap_print_regs(const struct trap_frame *f)
{
	platform_console_printf("rip %016lx  rsp %016lx  rflags %016lx\n"
				"rax %016lx  rbx %016lx  rcx %016lx\n"
				"rdx %016lx  rsi %016lx  rdi %016lx\n"
				"rbp %016lx  r8  %016lx  r9  %016lx\n"
				"r10 %016lx  r11 %016lx  r12 %016lx\n"
				"r13 %016lx  r14 %016lx  r15 %016lx\n",
				f->rip, f->rsp, f->rflags, f->rax, f->rbx,
				f->rcx, f->rdx, f->rsi, f->rdi, f->rbp, f->r8,
				f->r9, f->r10, f->r11, f->r12, f->r13, f->r14,
				f->r15);
}

static platform_fault_fn *trap_hook;

void
platform_fault_hook_set(platform_fault_fn *fn)
{
	trap_hook = fn;
}

/* trap_si_code: the si_code Linux gives for the exception. */
static int
trap_si_code(const struct trap_frame *f)
{
	switch (f->vector) {
	case 0: /* FPE_INTDIV */
	case 3: /* TRAP_BRKPT */
		return 1;
	case 6: /* ILL_ILLOPN */
		return 2;
	case 14: /* SEGV_ACCERR for a present page, else SEGV_MAPERR */
		return f->error & 1 ? 2 : 1;
	default:
		return 0x80; /* SI_KERNEL */
	}
}

/*
 * trap_offer: the hook's say on a fault; 1 when the thread goes on. Not
 * for a fault while reporting one. (A fault inside the hook's handler is
 * offered again: the hook knows its signal is blocked there.)
 */
static int
trap_offer(const struct trap_frame *f, int sig)
{
	struct platform_fault pf = {sig, trap_si_code(f), f->rip, f->rip};

	if (trap_hook == NULL || trap_nesting > 0)
		return 0;
	if (f->vector == 14 && shared_info != NULL)
		pf.addr = shared_info->vcpu_info[0].arch.cr2;
	return trap_hook(&pf);
}

int
trap_handle(struct trap_frame *f)
{
	const struct trap_kind *kind = NULL;
	int sig = SIGSEGV;

	if (f->vector < sizeof(trap_kinds) / sizeof(trap_kinds[0]) &&
	    trap_kinds[f->vector].name != NULL)
		sig = trap_kinds[f->vector].signal;
	if (trap_offer(f, sig))
		return 1;
	if (trap_nesting++ > 0) {
		platform_console_printf("rumpxen: fault %lu at %#lx while "
					"reporting a fault\n",
					f->vector, f->rip);
		crash_exit(128 + SIGSEGV);
	}
	if (f->vector < sizeof(trap_kinds) / sizeof(trap_kinds[0]) &&
	    trap_kinds[f->vector].name != NULL) {
		kind = &trap_kinds[f->vector];
		sig = kind->signal;
	}
	platform_console_printf("rumpxen: fatal trap %lu (%s), error code "
				"%#lx, in thread \"%s\"\n",
				f->vector, kind ? kind->name : "unknown",
				f->error, sched_current_name());
	if (f->vector == 14 && shared_info != NULL) {
		unsigned long cr2 = shared_info->vcpu_info[0].arch.cr2;
		const char *owner = sched_guard_owner(cr2);
		platform_console_printf(
			"page fault at 0x%lx: %s, %s\n", cr2,
			f->error & 1 ? "protection violation" : "not mapped",
			f->error & 16 ? "instruction fetch"
				      : (f->error & 2 ? "write" : "read"));
		if (owner != NULL)
			platform_console_printf("the address is in the guard "
						"page below the stack of "
						"thread \"%s\"\n",
						owner);
	}
	platform_console_printf("at:\n");
	trap_print_addr(f->rip, 0);
	trap_print_regs(f);
	trap_backtrace(f->rip, f->rsp, f->rbp);
	crash_exit(128 + sig);
}

void
platform_panic(const char *fmt, ...)
{
	va_list ap;

	platform_console_printf("rumpxen: panic: ");
	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
	platform_console_printf("\n");
	/* From the caller on: its return address, then its frame chain. */
	if (trap_nesting++ == 0)
		trap_backtrace((unsigned long)__builtin_return_address(0), 0,
			       *(unsigned long *)__builtin_frame_address(0));
	crash_exit(128 + SIGABRT);
}
