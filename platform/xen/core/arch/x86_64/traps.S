/*
 * Exception entry on 64-bit Xen PV.
 *
 * Xen delivers an exception by building a frame on the current stack (the
 * guest kernel is always in "kernel mode"): from the top, rcx and r11
 * (which its bounce path used), the error code for the vectors that have
 * one, then rip, cs, rflags, rsp and ss. Each stub below restores rcx and
 * r11, pushes a zero where the CPU gives no error code and the vector
 * number, and joins trap_common, which saves every register into a struct
 * trap_frame (core.h) and calls trap_handle with it. When
 * trap_handle returns (the kernel's fault hook took the fault), the
 * registers come back from the frame and an iretq resumes the thread, as
 * a guest kernel may do when it stays in kernel mode.
 */
	.text

.macro TRAP_STUB vec, has_error
	.globl trap_entry_\vec
	.type trap_entry_\vec, @function
trap_entry_\vec:
	movq (%rsp), %rcx
	movq 8(%rsp), %r11
	addq $16, %rsp
	.if \has_error == 0
	pushq $0
	.endif
	pushq $\vec
	jmp trap_common
	.size trap_entry_\vec, . - trap_entry_\vec
.endm

TRAP_STUB 0, 0		/* #DE divide error */
TRAP_STUB 1, 0		/* #DB debug */
TRAP_STUB 3, 0		/* #BP breakpoint */
TRAP_STUB 4, 0		/* #OF overflow */
TRAP_STUB 5, 0		/* #BR bound range */
TRAP_STUB 6, 0		/* #UD invalid opcode */
TRAP_STUB 7, 0		/* #NM device not available */
TRAP_STUB 8, 1		/* #DF double fault */
TRAP_STUB 9, 0		/* coprocessor segment overrun */
TRAP_STUB 10, 1		/* #TS invalid TSS */
TRAP_STUB 11, 1		/* #NP segment not present */
TRAP_STUB 12, 1		/* #SS stack fault */
TRAP_STUB 13, 1		/* #GP general protection */
TRAP_STUB 14, 1		/* #PF page fault */
TRAP_STUB 15, 0		/* spurious interrupt bug */
TRAP_STUB 16, 0		/* #MF x87 floating point */
TRAP_STUB 17, 1		/* #AC alignment check */
TRAP_STUB 18, 0		/* #MC machine check */
TRAP_STUB 19, 0		/* #XM SIMD floating point */

	.type trap_common, @function
trap_common:
	cld
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	movq %rsp, %rbx		/* the frame, kept across the call */
	andq $-16, %rsp
	call trap_handle	/* returns only to resume */
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp		/* the vector and the error code */
	/* Back to guest kernel mode with a direct iretq: ring 3 selectors. */
	orb $3, 8(%rsp)
	orb $3, 32(%rsp)
	iretq
	.size trap_common, . - trap_common

	.section .note.GNU-stack, "", @progbits
