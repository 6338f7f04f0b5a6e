# rumpxen's signal return trampoline for musl (x86_64): rt_sigreturn
# through the kernel's dispatcher. (The kernel runs handlers at syscall
# return as plain calls, so this is only the address sigaction records.)
.global __restore_rt
.hidden __restore_rt
.type __restore_rt,@function
__restore_rt:
	mov $15,%edi		# SYS_rt_sigreturn
	jmp __rumpxen_syscall
.size __restore_rt,.-__restore_rt
