/*
 * Switching threads: sched_switch_stack(&old->rsp, new->rsp) saves the
 * registers the C calling convention asks a callee to keep on the old
 * stack, stores the old stack pointer, and resumes the new thread where it
 * last called this function (or, for a new thread, in sched_thread_start
 * with the entry point in r12 and its argument in r13, as sched.c lays
 * out the first frame). Everything else is caller-saved and already
 * saved by the C code around the call. The FS base is switched in C.
 */
	.text
	.globl sched_switch_stack
	.type sched_switch_stack, @function
sched_switch_stack:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size sched_switch_stack, . - sched_switch_stack

	/* The first code a new thread runs: entry(arg), then exit. */
	.globl sched_thread_start
	.type sched_thread_start, @function
sched_thread_start:
	xorl %ebp, %ebp		/* the end of this thread's backtraces */
	movq %r13, %rdi
	call *%r12
	call sched_thread_exit
	ud2
	.size sched_thread_start, . - sched_thread_start

	.section .note.GNU-stack, "", @progbits
