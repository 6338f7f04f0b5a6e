# rumpxen's __unmapself for musl (x86_64): a detached thread ends by
# freeing its own stack (base, size); the kernel's __rumpxen_unmapself
# does both once the thread runs on a stack of the kernel's.
.text
.global __unmapself
.type   __unmapself,@function
__unmapself:
	jmp __rumpxen_unmapself
