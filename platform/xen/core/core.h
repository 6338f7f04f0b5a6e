/*
 * The contract of platform/xen's core (this folder): start of day, page
 * tables, the page allocator and the heap, traps, time, event channels,
 * the scheduler, the console and leaving the domain. The rooms above it
 * include it: xenbus/ (xenstore, the handshake, grant tables), dev/ (the
 * split drivers), rumpuser/ (include/rumpxen/ on this platform), and the
 * tests that look at the platform from inside (tests/boot, the domU
 * guests of tests/system, bench/guests). Nothing else does:
 * the kernel world sees the platform only through include/rumpxen/, so
 * that it builds on platform/posix too. It brings Xen's public headers,
 * with the interface version this platform speaks, the hypercalls
 * (arch/x86_64/hypercall.h) and the freestanding helpers (lib/klib.h).
 *
 * What every call here promises unless its comment says otherwise:
 *
 * - Errors are positive errno values of the image's <errno.h> (Linux's
 *   numbers), 0 for success. A void function cannot fail; where Xen
 *   refuses what cannot fail, it panics.
 * - It does not block: no other thread runs before it returns. A call
 *   that "blocks" puts the calling thread to sleep in the scheduler and
 *   others run meanwhile; one that "waits in Xen" holds the whole vCPU
 *   (SCHEDOP_poll) and no thread runs, which is allowed anywhere.
 * - An event handler may make it. Handlers (evtchn_handler_fn) run inside
 *   the scheduler, between two threads, on the stack of the thread that
 *   entered it, so they never interrupt another call; what they must not
 *   do is block. The platform's own rule is narrower: a handler takes
 *   what a ring holds and wakes threads (waitq_wake_*), nothing more. In
 *   a handler, "the calling thread" is whichever thread entered the
 *   scheduler, so handlers do not use the sched_current* calls.
 */
#ifndef RUMPXEN_XEN_CORE_H
#define RUMPXEN_XEN_CORE_H

/* Without this, the headers select old compat hypercall numbers. */
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040d00 /* Xen 4.13 and later */
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

#include "arch/x86_64/hypercall.h"
#include "klib.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ul << PAGE_SHIFT)

/* Page-table entry bits. */
#define PTE_PRESENT  0x001ul
#define PTE_WRITE    0x002ul
#define PTE_USER     0x004ul
#define PTE_ACCESSED 0x020ul
#define PTE_DIRTY    0x040ul
#define PTE_NX	     (1ul << 63)

/*
 * boot.c: start of day, the start_info page and the configuration. boot.c
 * is the one file of the core that calls upwards: it starts xenstore,
 * grant tables and the control thread (xenbus/) in their turn.
 */

/* The start_info page Xen handed to _start; valid for the whole run. */
extern start_info_t *boot_start_info;
/* shared_info, mapped at start of day: events, time, cr2. */
extern struct shared_info *shared_info;

/*
 * boot_start: called by _start (arch/x86_64/entry.S) on Xen's stack;
 * brings the platform up and runs rumpxen_main on the thread "main".
 * Never returns.
 */
__attribute__((noreturn)) void boot_start(start_info_t *si);

/*
 * boot_config_get: the value of a key=value word of the command line's
 * configuration part, or NULL when the key is absent.
 */
const char *boot_config_get(const char *key);
/* boot_config_word: the i-th word of the configuration, or NULL. */
const char *boot_config_word(int i);

/* boot_handover_ns: the system time at which Xen entered the image. */
uint64_t boot_handover_ns(void);

/* console.c, consring.c: see also platform_console_* in platform.h. */

/*
 * console_init: input for dom0 (VIRQ_CONSOLE), the console ring for a
 * domU; until then, and for dom0 always, output goes through console_io.
 * Called once, by boot_start.
 */
void console_init(const start_info_t *si);
/*
 * console_vprintf: formats as lib/klib.h's fmt_* describe and writes the
 * result, as platform_console_write does: on a domU whose ring is full it
 * waits in Xen for the backend (30 s at most, then the ring is given up).
 */
void console_vprintf(const char *fmt, va_list ap);
/*
 * console_status_line: prints "rumpxen: exit STATUS" on a line of its own,
 * ending first a line that the program's output left open.
 */
void console_status_line(int status);
/*
 * console_input_put: queues received input for platform_console_read
 * (the oldest unread bytes make way when the buffer is full) and wakes
 * its readers. The input handlers call it.
 */
void console_input_put(const char *buf, size_t len);
/*
 * consring_init: starts using a domU's console ring (listens to its
 * port). EINVAL when the ring's frame is not one of ours, ENOSPC when
 * its port is beyond those the event code keeps.
 */
int consring_init(const start_info_t *si);
/*
 * consring_write: all of buf into the ring ("\n" as "\r\n"), waiting in
 * Xen for room; a ring that breaks or stalls for 30 s is given up and the
 * rest goes through console_io, with a message.
 */
void consring_write(const char *buf, size_t len);
/*
 * console_flush, consring_flush: wait in Xen (a second at most) until the
 * backend has taken everything written, before the domain goes away.
 */
void console_flush(void);
void consring_flush(void);

/*
 * shutdown.c: leaving the domain. platform_exit (platform.h) is here too;
 * it is the core's other call upwards: it detaches the disks and vifs
 * (dev/) before the status line.
 */

/*
 * shutdown_domain: waits in Xen for the console to drain (console_flush),
 * under the emulated test host first ends QEMU with exit_code, then asks
 * Xen to shut the domain down with reason (a SHUTDOWN_* value). Prints
 * nothing. Never returns.
 */
__attribute__((noreturn)) void shutdown_domain(unsigned reason,
					       unsigned exit_code);

/*
 * crash_exit: prints the status line (status & 0xff) and shuts down as
 * crashed, detaching no device. Never returns.
 */
__attribute__((noreturn)) void crash_exit(int status);

/* mm.c: page tables, the 1:1 map, the foreign-mapping area, stacks. */

/* The domain's pages; page pfn is at address pfn << PAGE_SHIFT. */
extern unsigned long mm_nr_pages;
/* mm_pfn_to_mfn: the machine frame of page pfn (< mm_nr_pages: unchecked). */
unsigned long mm_pfn_to_mfn(unsigned long pfn);
/*
 * mm_mfn_to_pfn: Xen's machine-to-phys entry for mfn; for a frame that
 * is not ours the result is meaningless, so callers check it against
 * mm_nr_pages.
 */
unsigned long mm_mfn_to_pfn(unsigned long mfn);
/* mm_prot_nx: the NX bit when the CPU has it, else 0. */
uint64_t mm_prot_nx(void);

/*
 * mm_init: maps every page of the domain 1:1, protects the image's
 * segments, unmaps page 0; returns the first page free for the allocator.
 * Called once, by boot_start; panics if Xen refuses a table.
 */
unsigned long mm_init(const start_info_t *si);
/* mm_pages_started: from now on, page tables come from pages_alloc. */
void mm_pages_started(void);

/*
 * mm_map: maps machine frame mfn at va with prot (PTE_* bits), replacing
 * what was there. ENOMEM when a page table cannot be had, EINVAL when
 * Xen refuses the entry (a frame we may not map, say).
 */
int mm_map(unsigned long va, unsigned long mfn, uint64_t prot);
/* mm_unmap: removes the mapping at va, if any. */
void mm_unmap(unsigned long va);
/* mm_is_mapped: whether va is mapped (for code that must not fault). */
int mm_is_mapped(unsigned long va);

/*
 * mm_area_alloc, mm_area_free: n pages of address space in the 1 GiB
 * window kept for foreign and granted frames (outside the 1:1 map),
 * nothing mapped. alloc: ENOMEM when no run of n is free, EINVAL for n
 * of 0. free unmaps the n pages first; a bad free panics.
 */
int mm_area_alloc(unsigned long n, unsigned long *va);
void mm_area_free(unsigned long va, unsigned long n);

/*
 * mm_stack_alloc: size bytes (a multiple of the page size) of stack, with
 * an unmapped guard page just below *stack; ENOMEM. mm_stack_free gives
 * back exactly what one alloc gave.
 */
int mm_stack_alloc(size_t size, char **stack);
void mm_stack_free(char *stack, size_t size);

/* pages.c: the page allocator. */

struct pages_stats {
	unsigned long total; /* pages the allocator manages */
	unsigned long free;  /* of which free now */
	unsigned long low;   /* the fewest free there have been */
};

/*
 * pages_init: every page from first_free on, less the allocator's bitmap
 * and the RAM disk module, becomes free. Called once, by boot_start.
 */
void pages_init(unsigned long first_free, const start_info_t *si);
/*
 * pages_alloc: n contiguous pages (not zeroed), the first page number a
 * multiple of align. Returns 0 or ENOMEM (EINVAL for n or align of 0).
 */
int pages_alloc(unsigned long n, unsigned long align, void **out);
/*
 * pages_claim: the n pages at p, if all are free: 0, EBUSY (one is not),
 * EINVAL (not pages of the allocator's).
 */
int pages_claim(void *p, unsigned long n);
/* pages_free: gives back n pages at p; a bad free panics. */
void pages_free(void *p, unsigned long n);
void pages_stats(struct pages_stats *st);

/* heap.c: the kernel heap. */

/* heap_init: called once, by boot_start, after pages_init. */
void heap_init(void);
/*
 * heap_alloc: size bytes (not zeroed) aligned to align (a power of two).
 * Returns 0, ENOMEM, or EINVAL for a bad alignment. The xenstore event
 * handler uses it.
 */
int heap_alloc(size_t size, size_t align, void **out);
/* heap_free: frees what heap_alloc gave (NULL is ignored); else panics. */
void heap_free(void *p);
/* heap_in_use: bytes handed out and not freed, rounded to size classes. */
size_t heap_in_use(void);

/* traps.c, ksyms.c: exceptions and crash reports. */

/* The registers of a trap, as arch/x86_64/traps.S saves them. */
struct trap_frame {
	unsigned long r15, r14, r13, r12, r11, r10, r9, r8;
	unsigned long rbp, rdi, rsi, rdx, rcx, rbx, rax;
	unsigned long vector, error;
	unsigned long rip, cs, rflags, rsp, ss;
};

/* traps_init: registers the trap table; the first thing boot_start does. */
void traps_init(void);
/*
 * trap_handle: called by traps.S on the faulting thread's stack; offers
 * the fault to platform_fault_hook_set's hook, else reports it and ends
 * the image (crash_exit, 128 + the signal). 1 when the thread resumes; it
 * never returns otherwise.
 */
int trap_handle(struct trap_frame *f);
/*
 * trap_backtrace: prints rip, its caller when rip's function has no frame
 * (found at rsp; pass 0 to skip that), and the frame-pointer chain from rbp.
 */
void trap_backtrace(unsigned long rip, unsigned long rsp, unsigned long rbp);
/* ksyms_lookup: the function containing addr; 0 if none is known. */
int ksyms_lookup(unsigned long addr, const char **name, unsigned long *offset);

/*
 * time.c: the PV clock, wall-clock time, the one-shot timer. Valid once
 * boot_start has mapped shared_info; the reads retry while Xen updates.
 */

/* time_monotonic_ns: Xen system time in ns; never goes backwards. */
uint64_t time_monotonic_ns(void);
/* time_wall_ns: nanoseconds since the Unix epoch. */
uint64_t time_wall_ns(void);
/* time_tsc, time_tsc_to_ns: a TSC stamp now, and its system time. */
uint64_t time_tsc(void);
uint64_t time_tsc_to_ns(uint64_t tsc);
/*
 * time_timer_set: raises VIRQ_TIMER at the system time deadline (a past
 * one at once), replacing the timer set before. The scheduler owns it:
 * it sets it each time it idles.
 */
void time_timer_set(uint64_t deadline);

/*
 * events.c: event channels, polled by the scheduler. Up to 1024 ports
 * can have handlers; binding a port beyond that fails with ENOSPC and
 * closes it again.
 */

/*
 * A port's handler: runs inside the scheduler (see the top of this
 * header) after the port's pending bit was cleared, so an event that comes
 * while it runs makes it run again at the next scan. It must not block.
 */
typedef void evtchn_handler_fn(evtchn_port_t port, void *arg);

/*
 * evtchn_listen: handles a port someone else bound (the console's, the
 * xenstore's: the toolstack's) and unmasks it. ENOSPC.
 */
int evtchn_listen(evtchn_port_t port, evtchn_handler_fn *handler, void *arg);
/*
 * evtchn_bind_virq, evtchn_alloc_unbound, evtchn_bind_interdomain: a new
 * port, bound in Xen, with a handler, unmasked; its number in *port.
 * EINVAL when Xen refuses (any reason), ENOSPC (the port then closed).
 */
int evtchn_bind_virq(unsigned virq, evtchn_handler_fn *handler, void *arg,
		     evtchn_port_t *port);
int evtchn_alloc_unbound(domid_t remote, evtchn_handler_fn *handler, void *arg,
			 evtchn_port_t *port);
int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
			    evtchn_handler_fn *handler, void *arg,
			    evtchn_port_t *port);
/*
 * evtchn_close: masks the port, forgets its handler, closes it in Xen
 * (whose answer is ignored) and drops an event still pending.
 */
void evtchn_close(evtchn_port_t port);
/*
 * evtchn_mask, evtchn_unmask: while masked, events stay pending and run
 * no handler; unmasking a port that became pending meanwhile has it
 * handled at the next scan.
 */
void evtchn_mask(evtchn_port_t port);
void evtchn_unmask(evtchn_port_t port);
/* evtchn_notify: signals the other end. EINVAL when Xen refuses. */
int evtchn_notify(evtchn_port_t port);

/* The scheduler's side (and the event test's): not for drivers. */

/* events_pending: whether any unmasked event waits for events_poll. */
int events_pending(void);
/*
 * events_poll: runs the handlers of pending ports, until none is left;
 * returns how many events it took. Not from a handler.
 */
unsigned events_poll(void);
/* events_bound_ports: up to max ports that have handlers. */
unsigned events_bound_ports(evtchn_port_t *ports, unsigned max);

/*
 * sched.c, arch/x86_64/switch.S: cooperative threads on one vCPU. A
 * thread runs until it blocks, yields or exits; every call that blocks
 * goes through the scheduler, which first runs the handlers of pending
 * events and wakes the sleepers whose deadline has passed. boot_start
 * runs before any thread, on the boot context: a call that blocks works
 * there too, but only a wake ends its wait, never its deadline (the boot
 * context is not among the sleepers the scheduler times).
 */

struct thread;

/* Threads blocked until someone wakes them, in the order they came. */
struct waitq {
	struct thread *head, *tail;
};

/* How to make a thread; zero means the default for every field. */
struct thread_attr {
	const char *name;
	size_t stack_size; /* default 64 KiB */
	void *stack;	   /* the caller's stack (no guard page), or NULL */
	unsigned long tls; /* FS base */
	int joinable;	   /* keep it for sched_thread_join */
};

/*
 * sched_thread_create: a thread running entry(arg), at the end of the run
 * queue: it first runs when the caller blocks, yields or exits. Its
 * stack is the caller's or one of ours (rounded up to whole pages, with a
 * guard page). Returns 0 and *out, or ENOMEM. Does not block (no handler
 * calls it, though it would be safe there).
 */
int sched_thread_create(const struct thread_attr *attr, void (*entry)(void *),
			void *arg, struct thread **out);
/*
 * sched_thread_exit: ends the calling thread and wakes its joiner; the
 * stack is freed once another thread runs. Never returns.
 */
__attribute__((noreturn)) void sched_thread_exit(void);
/*
 * sched_thread_join: blocks until t (joinable) has exited, then frees it.
 * EINVAL, without waiting, when t is not joinable or is the caller.
 */
int sched_thread_join(struct thread *t);
/*
 * sched_yield: the caller goes to the end of the run queue, behind every
 * runnable thread (and those that pending events wake), which run first;
 * returns at once when none is runnable. Not from a handler.
 */
void sched_yield(void);
/*
 * sched_sleep_until: blocks until the monotonic time deadline; returns at
 * once for one that has passed. Nothing else wakes it.
 */
void sched_sleep_until(uint64_t deadline);
/*
 * waitq_wait: blocks on q until woken or, unless deadline is 0, until the
 * monotonic time deadline. Returns 0 when woken, ETIMEDOUT otherwise
 * (also for a deadline that has passed, once the runnable threads had
 * their turn). A wake that comes before the call
 * is not remembered: check the condition, then wait, with nothing that
 * blocks in between.
 */
int waitq_wait(struct waitq *q, uint64_t deadline);
/*
 * waitq_wake_one, waitq_wake_all: make the longest waiter, or every
 * waiter, runnable; they run when the caller next blocks or yields (a
 * handler's wake: when the scheduler picks the next thread). wake_one
 * returns whether there was a waiter. What handlers are meant to call.
 */
int waitq_wake_one(struct waitq *q);
void waitq_wake_all(struct waitq *q);
/* sched_current, sched_current_name: the calling thread and its name. */
struct thread *sched_current(void);
const char *sched_current_name(void);
/* sched_set_tls: the calling thread's FS base, from now on. */
void sched_set_tls(unsigned long fs_base);
/*
 * sched_cputime: the ns of CPU time the calling thread (self 1), or all
 * threads together (self 0), ran until now.
 */
uint64_t sched_cputime(int self);
/* sched_switch_count: context switches so far. */
unsigned long sched_switch_count(void);
/*
 * sched_start: leaves the boot context for good (its stack is never used
 * again) and runs the runnable threads. Called once, by boot_start.
 */
__attribute__((noreturn)) void sched_start(void);
/* sched_guard_owner: the thread whose stack guard holds addr, or NULL. */
const char *sched_guard_owner(unsigned long addr);
/*
 * For rumpuser/ (rumpuser_curlwp, rumpuser_seterrno): the calling
 * thread's lwp and errno slots, which sched.c keeps with each thread.
 * The lwp's is read inline, since every system call asks for it:
 * sched_lwp_slot points into the running thread, set at each switch.
 */
extern void **sched_lwp_slot;
static inline void **
sched_current_lwp(void)
{
	return sched_lwp_slot;
}
int *sched_current_errno(void);
/* The assembly halves (switch.S), for sched.c only. */
void sched_switch_stack(unsigned long *save_rsp, unsigned long rsp);
void sched_thread_start(void);

#endif /* RUMPXEN_XEN_CORE_H */
