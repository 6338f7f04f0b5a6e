/*
 * The private header of platform/xen: Xen's public headers, included with
 * the interface version this platform speaks, and the prototypes that cross
 * between the files of this layer, grouped by file. Nothing outside
 * platform/xen includes it (boot tests do, to look at the platform from
 * inside); the rest of the image sees the platform only through
 * include/rumpxen/.
 */
#ifndef RUMPXEN_XEN_H
#define RUMPXEN_XEN_H

/* Without this, the headers select old compat hypercall numbers. */
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040d00 /* Xen 4.13 and later */
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

#include "../../shared/rumpuser_shared.h"
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

/* boot.c: start of day, the start_info page and configuration. */

/* The start_info page Xen handed to _start; valid for the whole run. */
extern start_info_t *boot_start_info;
/* shared_info, mapped at start of day: events, time, cr2. */
extern struct shared_info *shared_info;

/* boot_start: called by _start; brings the platform up, runs the image. */
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

/* console_init: input for dom0, the console ring for a domU. */
void console_init(const start_info_t *si);
void console_vprintf(const char *fmt, va_list ap);
/*
 * console_status_line: prints "rumpxen: exit STATUS" on a line of its own,
 * ending first a line that the program's output left open.
 */
void console_status_line(int status);
/* console_input_put: queues received input for platform_console_read. */
void console_input_put(const char *buf, size_t len);
/* consring_init: starts using a domU's console ring; 0 or an errno. */
int consring_init(const start_info_t *si);
/* consring_write: all of buf into the ring, waiting for room. */
void consring_write(const char *buf, size_t len);
/*
 * console_flush, consring_flush: wait (a second at most) until the
 * backend has taken everything written, before the domain goes away.
 */
void console_flush(void);
void consring_flush(void);

/* shutdown.c: leaving the domain (platform_exit is in platform.h). */

/*
 * shutdown_domain: asks Xen to shut the domain down with reason (a
 * SHUTDOWN_* value); under the emulated test host first ends QEMU with
 * exit_code. Never returns.
 */
__attribute__((noreturn)) void shutdown_domain(unsigned reason,
					       unsigned exit_code);

/* crash_exit: prints the status line and shuts down as crashed. */
__attribute__((noreturn)) void crash_exit(int status);

/* mm.c: page tables, the 1:1 map, the foreign-mapping area, stacks. */

extern unsigned long mm_nr_pages;
unsigned long mm_pfn_to_mfn(unsigned long pfn);
unsigned long mm_mfn_to_pfn(unsigned long mfn);
/* The NX bit when the CPU has it, else 0. */
uint64_t mm_prot_nx(void);

/*
 * mm_init: maps every page of the domain 1:1, protects the image's
 * segments, unmaps page 0; returns the first page free for the allocator.
 */
unsigned long mm_init(const start_info_t *si);
/* mm_pages_started: from now on, page tables come from pages_alloc. */
void mm_pages_started(void);

/* mm_map: maps machine frame mfn at va with prot (PTE_* bits). */
int mm_map(unsigned long va, unsigned long mfn, uint64_t prot);
/* mm_unmap: removes the mapping at va, if any. */
void mm_unmap(unsigned long va);
/* mm_is_mapped: whether va is mapped (for code that must not fault). */
int mm_is_mapped(unsigned long va);

/*
 * mm_area_alloc, mm_area_free: n pages of address space in the window
 * kept for foreign and granted frames (outside the 1:1 map).
 */
int mm_area_alloc(unsigned long n, unsigned long *va);
void mm_area_free(unsigned long va, unsigned long n);

/*
 * mm_stack_alloc: size bytes (a multiple of the page size) of stack, with
 * an unmapped guard page just below *stack. mm_stack_free gives it back.
 */
int mm_stack_alloc(size_t size, char **stack);
void mm_stack_free(char *stack, size_t size);

/* pages.c: the page allocator. */

struct pages_stats {
	unsigned long total; /* pages the allocator manages */
	unsigned long free;  /* of which free now */
};

void pages_init(unsigned long first_free, const start_info_t *si);
/*
 * pages_alloc: n contiguous pages, the first page number a multiple of
 * align. Returns 0 or ENOMEM (EINVAL for n or align of 0).
 */
int pages_alloc(unsigned long n, unsigned long align, void **out);
/* pages_free: gives back n pages at p; a bad free panics. */
void pages_free(void *p, unsigned long n);
void pages_stats(struct pages_stats *st);

/* heap.c: the kernel heap. */

void heap_init(void);
/*
 * heap_alloc: size bytes aligned to align (a power of two). Returns 0,
 * ENOMEM, or EINVAL for a bad alignment.
 */
int heap_alloc(size_t size, size_t align, void **out);
/* heap_free: frees what heap_alloc gave (NULL is ignored). */
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

void traps_init(void);
/* trap_handle: 1 when the thread resumes; it never returns otherwise. */
int trap_handle(struct trap_frame *f);
/*
 * trap_backtrace: prints rip, its caller when rip's function has no frame
 * (found at rsp; pass 0 to skip that), and the frame-pointer chain from rbp.
 */
void trap_backtrace(unsigned long rip, unsigned long rsp, unsigned long rbp);
/* ksyms_lookup: the function containing addr; 0 if none is known. */
int ksyms_lookup(unsigned long addr, const char **name, unsigned long *offset);

/* time.c: the PV clock, wall-clock time, the one-shot timer. */

/* time_monotonic_ns: Xen system time in ns; never goes backwards. */
uint64_t time_monotonic_ns(void);
/* time_wall_ns: nanoseconds since the Unix epoch. */
uint64_t time_wall_ns(void);
/* time_tsc, time_tsc_to_ns: a TSC stamp now, and its system time. */
uint64_t time_tsc(void);
uint64_t time_tsc_to_ns(uint64_t tsc);
/* time_timer_set: raises VIRQ_TIMER at the system time deadline. */
void time_timer_set(uint64_t deadline);

/* events.c: event channels, polled by the scheduler. */

/* A port's handler: runs in scheduler context and may only wake threads. */
typedef void evtchn_handler_fn(evtchn_port_t port, void *arg);

/* evtchn_listen: handles a port someone else bound (the console's). */
int evtchn_listen(evtchn_port_t port, evtchn_handler_fn *handler, void *arg);
int evtchn_bind_virq(unsigned virq, evtchn_handler_fn *handler, void *arg,
		     evtchn_port_t *port);
int evtchn_alloc_unbound(domid_t remote, evtchn_handler_fn *handler, void *arg,
			 evtchn_port_t *port);
int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
			    evtchn_handler_fn *handler, void *arg,
			    evtchn_port_t *port);
void evtchn_close(evtchn_port_t port);
void evtchn_mask(evtchn_port_t port);
void evtchn_unmask(evtchn_port_t port);
int evtchn_notify(evtchn_port_t port);
/* events_pending: whether any unmasked event waits for events_poll. */
int events_pending(void);
/* events_poll: runs the handlers of pending ports; returns how many. */
unsigned events_poll(void);
/* events_bound_ports: up to max ports that have handlers. */
unsigned events_bound_ports(evtchn_port_t *ports, unsigned max);

/* sched.c, arch/x86_64/switch.S: cooperative threads. */

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

int sched_thread_create(const struct thread_attr *attr, void (*entry)(void *),
			void *arg, struct thread **out);
__attribute__((noreturn)) void sched_thread_exit(void);
/* sched_thread_join: waits for a joinable thread to exit and frees it. */
int sched_thread_join(struct thread *t);
void sched_yield(void);
/* sched_sleep_until: blocks until the monotonic time deadline. */
void sched_sleep_until(uint64_t deadline);
/*
 * waitq_wait: blocks on q until woken or, unless deadline is 0, until the
 * monotonic time deadline. Returns 0 when woken, ETIMEDOUT otherwise.
 */
int waitq_wait(struct waitq *q, uint64_t deadline);
/* waitq_wake_one: wakes the longest waiter; returns whether there was one. */
int waitq_wake_one(struct waitq *q);
void waitq_wake_all(struct waitq *q);
struct thread *sched_current(void);
const char *sched_current_name(void);
/* sched_set_tls: the running thread's FS base. */
void sched_set_tls(unsigned long fs_base);
/* sched_switch_count: context switches so far. */
unsigned long sched_switch_count(void);
/* sched_start: leaves the boot context for the runnable threads. */
__attribute__((noreturn)) void sched_start(void);
/* sched_guard_owner: the thread whose stack guard holds addr, or NULL. */
const char *sched_guard_owner(unsigned long addr);
/* The assembly halves (switch.S). */
void sched_switch_stack(unsigned long *save_rsp, unsigned long rsp);
void sched_thread_start(void);

/* xenstore.c: the xenstore client (errors are errno values). */

/* xs_init: starts the client on a domU's ring; ENODEV for dom0. */
int xs_init(const start_info_t *si);
/* In transaction tx (0: none): read path's value into buf (NUL-ended). */
int xs_read(uint32_t tx, const char *path, char *buf, size_t size);
int xs_write(uint32_t tx, const char *path, const char *value);
int xs_mkdir(uint32_t tx, const char *path);
int xs_rm(uint32_t tx, const char *path);
/* xs_directory: path's children as NUL-separated names, *len bytes. */
int xs_directory(uint32_t tx, const char *path, char *buf, size_t size,
		 size_t *len);
/* xs_watch, xs_unwatch: events for path (and below) carry token. */
int xs_watch(const char *path, const char *token);
int xs_unwatch(const char *path, const char *token);
/*
 * xs_watch_wait: blocks the calling thread until a watch event comes (or,
 * unless 0, the monotonic deadline): its path into path. 0 or ETIMEDOUT.
 */
int xs_watch_wait(char *path, size_t size, uint64_t deadline);
/* xs_transaction_*: end with abort 0 commits; EAGAIN means retry. */
int xs_transaction_start(uint32_t *tx);
int xs_transaction_end(uint32_t tx, int abort);

/* gnttab.c: grant tables (version 1). */

#include <xen/grant_table.h>

/* gnttab_init: sets up and maps the table; 0 or an errno value. */
int gnttab_init(void);
/*
 * gnttab_grant_access: lets domid map machine frame mfn (read-only if
 * readonly) through *ref. ENOSPC when the table is full.
 */
int gnttab_grant_access(domid_t domid, unsigned long mfn, int readonly,
			grant_ref_t *ref);
/*
 * gnttab_end_access: takes the grant back and frees ref; EBUSY (and
 * nothing changes) while the other domain still has it mapped.
 */
int gnttab_end_access(grant_ref_t ref);
/*
 * gnttab_end_access_wait: gnttab_end_access, tried every 10 ms while the
 * other domain still maps the page, until the monotonic deadline (then
 * EBUSY). Blocks the calling thread.
 */
int gnttab_end_access_wait(grant_ref_t ref, uint64_t deadline);
/* gnttab_free_entries: how many grants can still be made. */
unsigned gnttab_free_entries(void);

/* xenbus.c: the handshake of split drivers (xen/io/xenbus.h states). */

#include <xen/io/xenbus.h>

/* xenbus_read_ulong: dir/key as a decimal; ENOENT, EINVAL (not one). */
int xenbus_read_ulong(const char *dir, const char *key, unsigned long *out);
/* xenbus_state: dir/state, XenbusStateUnknown if missing or bad. */
int xenbus_state(const char *dir);
int xenbus_set_state(const char *dir, int state);
/*
 * xenbus_wait_state: waits until dir/state is one of mask's bits (1 <<
 * state) or the monotonic deadline (ETIMEDOUT); the last state seen in
 * *state either way. Blocks (a thread only); after 5 s it says on the
 * console what it waits for.
 */
int xenbus_wait_state(const char *dir, unsigned mask, uint64_t deadline,
		      int *state);

/* A split device: its number, both directories, the backend's domain. */
struct xenbus_dev {
	unsigned long id;
	char front[64], back[128];
	unsigned long backend_id;
};
/* xenbus_list: up to max devices of class in device/CLASS ("vbd"). */
unsigned xenbus_list(const char *class, struct xenbus_dev *out, unsigned max);
/* A key the frontend publishes: the string str, or else the number. */
struct xenbus_key {
	const char *key, *str;
	unsigned long value;
};
/* xenbus_publish: keys under front, in one transaction (EAGAIN retried). */
int xenbus_publish(const char *front, const struct xenbus_key *keys,
		   unsigned n);
/*
 * xenbus_close: the frontend's side of closing, each wait for the backend
 * at most step_ns; what a backend that went first has done is skipped.
 */
void xenbus_close(const char *front, const char *back, uint64_t step_ns);

/* blkfront.c: the domU's disks, xvda, xvdb, ... (Xen's blkif). */

struct blkfront;

/* Operations; BLKFRONT_SYNC with a write: durable before it completes. */
#define BLKFRONT_READ  1
#define BLKFRONT_WRITE 2
#define BLKFRONT_FLUSH 3
#define BLKFRONT_SYNC  0x10

/* A request's end: error is 0 or an errno (EIO, EROFS, EINVAL, ENOMEM). */
typedef void blkfront_done_fn(void *arg, int error);

/*
 * blkfront_get: the disk called name ("xvda"), connected to its backend
 * at the first call; notify is woken whenever requests may have ended
 * (give the same one for every disk). ENOENT when there is no such disk,
 * EIO when its backend fails the handshake (with a message).
 */
int blkfront_get(const char *name, struct waitq *notify, struct blkfront **out);
/* blkfront_info: its size in bytes, sector size and whether read-only. */
void blkfront_info(const struct blkfront *d, uint64_t *bytes,
		   unsigned *sector_size, int *readonly);
/*
 * blkfront_start: starts op on len bytes at byte offset off (multiples
 * of the sector size; len 0 for a flush) to or from data; done is called
 * later by blkfront_deliver. An error (EINVAL, EROFS, EIO once
 * disconnected, ENOMEM) is returned at once instead, and done not called.
 */
int blkfront_start(struct blkfront *d, int op, void *data, size_t len,
		   uint64_t off, blkfront_done_fn *done, void *arg);
/* blkfront_io: as blkfront_start, but waits for the end; its error. */
int blkfront_io(struct blkfront *d, int op, void *data, size_t len,
		uint64_t off);
/*
 * blkfront_poll: takes the responses of every disk (from any thread);
 * blkfront_deliver then calls the done functions of the requests that
 * ended, in the calling thread, and returns how many.
 */
void blkfront_poll(void);
unsigned blkfront_deliver(void);
/*
 * blkfront_detach_all: at the domain's end: waits (seconds at most) for
 * outstanding requests, closes every disk and takes back each grant once
 * the backend let go of it. Done functions are not called any more.
 */
void blkfront_detach_all(void);

/* netfront.c: the domU's network interfaces, vif0, ... (Xen's netif). */

#include <sys/uio.h>

struct netfront;

/*
 * netfront_get: interface index, connected to its backend at the first
 * call, and its MAC; notify is woken whenever frames or free transmit
 * slots may have come. ENOENT when there is no such interface, EIO when
 * its backend fails the handshake (with a message).
 */
int netfront_get(unsigned index, struct waitq *notify, struct netfront **out,
		 uint8_t mac[6]);
/*
 * netfront_send: copies the frame in iov[0..n) out and sends it. EAGAIN
 * when every transmit slot is busy (wait on notify), EMSGSIZE for a frame
 * larger than a page or smaller than a header, EIO once disconnected.
 */
int netfront_send(struct netfront *d, const struct iovec *iov, size_t n);
/*
 * netfront_recv: the next received frame, in the interface's buffer id
 * until netfront_recv_done(id) gives the buffer back. EAGAIN when there
 * is none now (wait on notify, with nothing that blocks in between: the
 * notification of the next frame may come meanwhile, and only once), EIO
 * once disconnected. Never blocks.
 */
int netfront_recv(struct netfront *d, void **frame, size_t *len, unsigned *id);
void netfront_recv_done(struct netfront *d, unsigned id);
/*
 * netfront_link_up: whether the backend is still Connected (read at most
 * once a second); once it is not, the link stays down and sends fail.
 * Blocks on xenstore when it reads the state.
 */
int netfront_link_up(struct netfront *d);
/*
 * netfront_detach_all: at the domain's end: closes every interface and
 * takes back each grant once the backend let go of it.
 */
void netfront_detach_all(void);

/* control.c: xl shutdown through control/shutdown. */
void control_init(void);

/* rumpuser_*.c: the rump kernel hypercalls (include/rumpxen/rumpuser.h). */

/* (rumpuser_hyp, rumpuser_unschedule/schedule: ../shared/rumpuser_shared.h) */
/* The calling thread's lwp and errno slots (sched.c keeps them). */
void **sched_current_lwp(void);
int *sched_current_errno(void);

#endif /* RUMPXEN_XEN_H */
