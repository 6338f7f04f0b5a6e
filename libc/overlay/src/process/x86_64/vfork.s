# rumpxen's vfork for musl (x86_64): SYS_vfork through the kernel's
# dispatcher (there is one process: it fails with ENOSYS), the result to
# errno by __syscall_ret.
.global vfork
.type vfork,@function
vfork:
	sub $8,%rsp		# keeps the stack 16-byte aligned at the call
	mov $58,%edi		# SYS_vfork
	call __rumpxen_syscall
	add $8,%rsp
	mov %rax,%rdi
	.hidden __syscall_ret
	jmp __syscall_ret
