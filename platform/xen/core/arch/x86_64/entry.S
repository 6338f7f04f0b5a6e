/*
 * The first instructions of a rumpxen image on 64-bit Xen PV, and the ELF
 * notes that tell Xen's loader how to build the domain.
 *
 * Xen enters _start in 64-bit kernel mode (ring 3 for a PV guest, with
 * events masked) with %rsi pointing at start_info and %rsp on a small boot
 * stack it made. We clear .bss (the loader already does, but the image must
 * not depend on it), move to our own stack and call boot_start in C with
 * start_info. The hypercall page is filled in by Xen before the guest runs:
 * 32 bytes of stub per hypercall number.
 */
#include <xen/elfnote.h>

#define ELFNOTE(type, desc)                   \
	.pushsection .note.Xen, "a", @note;   \
	.align 4;                             \
	.long 2f - 1f;                        \
	.long 4f - 3f;                        \
	.long type;                           \
1:	.asciz "Xen";                         \
2:	.align 4;                             \
3:	desc;                                 \
4:	.align 4;                             \
	.popsection

ELFNOTE(XEN_ELFNOTE_GUEST_OS, .asciz "rumpxen")
ELFNOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
ELFNOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
ELFNOTE(XEN_ELFNOTE_VIRT_BASE, .quad 0)
ELFNOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad 0)
ELFNOTE(XEN_ELFNOTE_ENTRY, .quad _start)
ELFNOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page)
ELFNOTE(XEN_ELFNOTE_FEATURES, .asciz "!writable_page_tables")

#define BOOT_STACK_SIZE 65536

	.text
	.globl _start
	.type _start, @function
_start:
	cld
	/* Zero .bss with Xen's boot stack still in use (ours is in .bss). */
	mov %rsi, %rbx
	lea __bss_start(%rip), %rdi
	lea __bss_end(%rip), %rcx
	sub %rdi, %rcx
	xor %eax, %eax
	rep stosb
	lea boot_stack + BOOT_STACK_SIZE(%rip), %rsp
	xor %ebp, %ebp          /* the end of every backtrace */
	mov %rbx, %rdi
	call boot_start
1:	hlt                     /* boot_start never returns */
	jmp 1b
	.size _start, . - _start

	.section .text.hypercall_page, "ax", @progbits
	.align 4096
	.globl hypercall_page
	.type hypercall_page, @object
hypercall_page:
	.fill 4096, 1, 0
	.size hypercall_page, 4096

	.section .bss.boot_stack, "aw", @nobits
	.align 16
boot_stack:
	.fill BOOT_STACK_SIZE, 1, 0

	.section .note.GNU-stack, "", @progbits
