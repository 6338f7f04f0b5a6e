# rumpxen's __clone for musl (x86_64): the kernel's __rumpxen_clone has
# the same arguments (func, stack, flags, arg, ptid, tls, ctid) and
# starts the new thread running func(arg) on stack itself.
.text
.global __clone
.hidden __clone
.type   __clone,@function
__clone:
	jmp __rumpxen_clone
