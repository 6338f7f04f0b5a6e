/*
 * Hypercalls on 64-bit Xen PV: a call into the hypercall page that Xen
 * filled in, at 32 bytes per hypercall number. Arguments go in rdi, rsi,
 * rdx, r10 and r8; the result comes back in rax; the stub clobbers rcx and
 * r11. Xen returns a negative Xen errno value on failure.
 */
#ifndef RUMPXEN_XEN_HYPERCALL_H
#define RUMPXEN_XEN_HYPERCALL_H

extern char hypercall_page[4096];

static inline long
hypercall5(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3,
	   unsigned long a4, unsigned long a5)
{
	register unsigned long rdi __asm__("rdi") = a1;
	register unsigned long rsi __asm__("rsi") = a2;
	register unsigned long rdx __asm__("rdx") = a3;
	register unsigned long r10 __asm__("r10") = a4;
	register unsigned long r8 __asm__("r8") = a5;
	long ret;

	__asm__ volatile("call *%[entry]"
			 : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx),
			   "+r"(r10), "+r"(r8)
			 : [entry] "r"(hypercall_page + nr * 32)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long
hypercall2(unsigned nr, unsigned long a1, unsigned long a2)
{
	return hypercall5(nr, a1, a2, 0, 0, 0);
}

static inline long
hypercall3(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3)
{
	return hypercall5(nr, a1, a2, a3, 0, 0);
}

static inline long
hypercall4(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3,
	   unsigned long a4)
{
	return hypercall5(nr, a1, a2, a3, a4, 0);
}

#endif /* RUMPXEN_XEN_HYPERCALL_H */
