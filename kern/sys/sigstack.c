/*
 * The alternate signal stack: sigaltstack, per thread, and running a
 * handler with SA_ONSTACK on it.
 *
 * sigaltstack checks as Linux does: flags other than SS_DISABLE,
 * SS_ONSTACK (taken as 0) and SS_AUTODISARM are EINVAL, a stack smaller
 * than MINSIGSTKSZ (2048) is ENOMEM, and a thread running on its
 * alternate stack cannot change it (EPERM); the old stack's flags say
 * SS_ONSTACK while the thread runs on it, SS_DISABLE when there is none.
 * Whether a thread runs on it is a look at its stack pointer: a system
 * call being a function call, the kernel runs on the program's stack.
 *
 * kern_sigstack_call moves the stack pointer to the alternate stack's
 * top for the handler's call (sigstack_switch, a few instructions of
 * assembly that keep the frame-pointer chain, so that a backtrace goes
 * on through the handler to the interrupted code) and back after it. A
 * handler that leaves by siglongjmp takes its own stack pointer back. A
 * handler that runs while the thread is on the alternate stack already
 * goes on where it is, as on Linux; with SS_AUTODISARM the stack is
 * disarmed while the handler runs. When a handler returns, the
 * alternate stack it found is set again, as Linux's sigreturn sets it
 * from the ucontext (a change the handler made is undone; Linux keeps
 * one only when it set a stack that the sigreturn itself runs on).
 *
 * Only the thread itself reads or changes its alternate stack, so this
 * needs no CPU held.
 */
#include "sys.h"

#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM (1u << 31)
#define MINSIGSTKSZ   2048
#define SA_ONSTACK    0x08000000

/*
 * sigstack_switch: fn(arg) with the stack pointer at top (aligned down
 * to 16 bytes), the caller's stack pointer back after it.
 */
void sigstack_switch(unsigned long top, void (*fn)(void *), void *arg);
__asm__(".text\n"
	".globl sigstack_switch\n"
	".hidden sigstack_switch\n"
	".type sigstack_switch, @function\n"
	"sigstack_switch:\n"
	"	pushq %rbp\n"
	"	movq %rsp, %rbp\n"
	"	andq $-16, %rdi\n"
	"	movq %rdi, %rsp\n"
	"	movq %rdx, %rdi\n"
	"	callq *%rsi\n"
	"	movq %rbp, %rsp\n"
	"	popq %rbp\n"
	"	ret\n"
	".size sigstack_switch, . - sigstack_switch\n");

/* sigstack_on: t runs on its alternate stack now (not SS_AUTODISARM). */
static int
sigstack_on(const struct kern_thread *t)
{
	unsigned long sp = (unsigned long)__builtin_frame_address(0);

	if (t->altstack.flags & SS_AUTODISARM)
		return 0; /* as Linux: it cannot be, by construction */
	return sp - t->altstack.sp < t->altstack.size;
}

/* sigstack_flags: the flags the stack reports now, as Linux's. */
static int
sigstack_flags(const struct kern_thread *t)
{
	int flags = (int)(t->altstack.flags & SS_AUTODISARM);

	if (t->altstack.size == 0)
		return flags | SS_DISABLE;
	return flags | (sigstack_on(t) ? SS_ONSTACK : 0);
}

long
sys_sigaltstack(const long a[6])
{
	struct kern_thread *t = kern_thread_self();
	const struct kern_stack *ss = (const void *)a[0];
	struct kern_stack *old = (void *)a[1], now;

	now.sp = t->altstack.sp;
	now.flags = sigstack_flags(t);
	now.size = t->altstack.size;
	if (ss != NULL) {
		int mode = ss->flags & ~(int)SS_AUTODISARM;
		if (sigstack_on(t))
			return -KERN_EPERM;
		if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
			return -KERN_EINVAL;
		if (mode != SS_DISABLE && ss->size < MINSIGSTKSZ)
			return -KERN_ENOMEM;
		t->altstack.sp = mode == SS_DISABLE ? 0 : ss->sp;
		t->altstack.size = mode == SS_DISABLE ? 0 : ss->size;
		t->altstack.flags = ss->flags & (int)SS_AUTODISARM;
	}
	if (old != NULL)
		*old = now;
	return 0;
}

void
kern_sigstack_call(struct kern_thread *t, unsigned long flags,
		   void (*fn)(void *), void *arg, struct kern_stack *uc_stack)
{
	unsigned long sp = t->altstack.sp, size = t->altstack.size;
	int saved = t->altstack.flags;

	uc_stack->sp = sp;
	uc_stack->flags = sigstack_flags(t);
	uc_stack->size = size;
	if (!(flags & SA_ONSTACK) || size == 0 || sigstack_on(t)) {
		fn(arg);
	} else {
		if (saved & SS_AUTODISARM) {
			t->altstack.sp = t->altstack.size = 0;
			t->altstack.flags = 0;
		}
		sigstack_switch(sp + size, fn, arg);
	}
	/* As Linux's sigreturn: the stack the handler found, set again. */
	t->altstack.sp = sp;
	t->altstack.size = size;
	t->altstack.flags = saved;
}
