# rumpxen's cancellable system call for musl (x86_64):
# __syscall_cp_asm(cancel, nr, u, v, w, x, y, z) calls the kernel's
# dispatcher __rumpxen_syscall(nr, u, v, w, x, y, z), with the cancel
# flag checked first and again after an -EINTR return: cancellation is
# tkill(SIGCANCEL), which the kernel turns into a flag and an interrupted
# wait, never into an asynchronous signal. __cp_begin and __cp_end stay
# for musl's cancel handler, which finds no interrupted instruction here.
.text
.global __cp_begin
.hidden __cp_begin
.global __cp_end
.hidden __cp_end
.global __cp_cancel
.hidden __cp_cancel
.hidden __cancel
.global __syscall_cp_asm
.hidden __syscall_cp_asm
.type   __syscall_cp_asm,@function
__syscall_cp_asm:
__cp_begin:
	mov (%rdi),%eax
	test %eax,%eax
	jnz __cp_cancel
	push %rdi		# the flag's address, kept for after
	mov %rsi,%rdi		# nr
	mov %rdx,%rsi		# u
	mov %rcx,%rdx		# v
	mov %r8,%rcx		# w
	mov %r9,%r8		# x
	mov 16(%rsp),%r9	# y
	mov 24(%rsp),%rax	# z, the seventh argument, on the stack
	sub $8,%rsp		# keeps the stack 16-byte aligned at the call
	push %rax
	call __rumpxen_syscall
	add $16,%rsp
	pop %rdi
__cp_end:
	cmp $-4,%rax		# -EINTR: cancelled while it waited?
	jne 1f
	mov (%rdi),%ecx
	test %ecx,%ecx
	jnz __cp_cancel
1:	ret
__cp_cancel:
	jmp __cancel
