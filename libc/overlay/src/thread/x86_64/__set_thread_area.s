# rumpxen's __set_thread_area for musl (x86_64): arch_prctl(ARCH_SET_FS,
# p) through the kernel's dispatcher.
.text
.global __set_thread_area
.hidden __set_thread_area
.type __set_thread_area,@function
__set_thread_area:
	mov %rdi,%rdx		# a2: the thread pointer
	mov $0x1002,%esi	# a1: ARCH_SET_FS
	mov $158,%edi		# SYS_arch_prctl
	jmp __rumpxen_syscall
