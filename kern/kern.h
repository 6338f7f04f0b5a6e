/*
 * kern.h: the kernel world's own contract, between kern/core.c (the
 * rumpuser client: upcalls, the virtual CPU, lwps), kern/sys/ (the Linux
 * syscall layer) and kern/start.c (the process's start).
 *
 * Code here sees the platform only through include/rumpxen/ and takes
 * nothing from the libc but the <string.h> functions (DESIGN.md §1; the
 * build checks it). Errors are Linux errno values; the one conversion
 * from rumpuser's NetBSD values is kern_errno.
 */
#ifndef RUMPXEN_KERN_H
#define RUMPXEN_KERN_H

#include <stddef.h>
#include <stdint.h>

#include <rumpxen/platform.h>
#include <rumpxen/rumpuser.h>

#include "klib.h"

/* The stack a program's main thread gets (RLIMIT_STACK says so too). */
#define KERN_MAIN_STACK (1024 * 1024)

/* core.c */

/*
 * kern_init: hands our upcalls to rumpuser_init and makes the virtual CPU.
 * 0 or a Linux errno value.
 */
int kern_init(void);
/*
 * kern_enter, kern_leave: the calling thread takes the virtual CPU (with
 * an lwp of its own, made on its first entry) and gives it back. Kernel
 * code runs between them; a blocking hypercall gives the CPU back while
 * it blocks.
 */
void kern_enter(void);
void kern_leave(void);
/* kern_errno: a NetBSD errno value, from rumpuser, as Linux's. */
int kern_errno(int netbsd);

/* sys/signal.c */

/*
 * kern_signal_deliver: at a system call's return, with no CPU held: runs
 * the handlers of the thread's pending, unblocked signals, or ends the
 * guest for one whose default action ends the process.
 */
void kern_signal_deliver(void);

/* sys/dispatch.c */

/*
 * kern_syscall: Linux x86_64 system call n with its six arguments, in
 * the calling thread, which holds the CPU. Returns a value or -errno.
 */
long kern_syscall(long n, const long a[6]);

#endif /* RUMPXEN_KERN_H */
