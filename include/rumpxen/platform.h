/*
 * rumpxen platform extensions: what the kernel world needs from the
 * platform beyond the rump kernel hypercall interface (rumpuser.h): the
 * image's entry point, the console, threads with a caller-given stack and
 * TLS pointer and their CPU time, page-granular memory, configuration lookup,
 * exit and panic.
 *
 * Everything here is implemented by each platform (platform/xen,
 * platform/posix). Errors are Linux errno values, as in the kernel world.
 * Unless a comment says otherwise, a call may be made from any thread and
 * does not block.
 */
#ifndef RUMPXEN_PLATFORM_H
#define RUMPXEN_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/*
 * rumpxen_main: the image's entry point, provided by the image, not by
 * the platform: by the kernel world (kern/start.c, which starts the
 * program through musl) or by a test that runs on the platform alone.
 *
 * The platform calls it once, after the platform is up, with the
 * application's arguments: argv[0] is the image's name and argv[1..] are the
 * words of the command line after the platform's configuration (see
 * platform/xen/core/boot.c for the command-line syntax). argv[argc] is NULL.
 * Its return value is the exit status, as if passed to platform_exit().
 */
int rumpxen_main(int argc, char **argv);

/*
 * platform_console_write: writes len bytes of buf to the console.
 *
 * Never fails and never blocks on other threads; returns once the
 * bytes have been handed to the hypervisor. Callable from any context.
 */
void platform_console_write(const char *buf, size_t len);

/*
 * platform_console_read: waits for console input and reads up to len
 * bytes of it into buf, setting *got. Blocks the calling thread (others
 * run) until some input arrives or, unless deadline is 0, until the
 * monotonic time deadline in nanoseconds. Returns 0 (with *got 0 at the
 * end of the input, which only a POSIX stdin has), or ETIMEDOUT with
 * nothing read.
 */
int platform_console_read(char *buf, size_t len, uint64_t deadline,
			  size_t *got);

/*
 * platform_console_printf: formats as lib/klib.h (fmt_vformat) describes
 * and writes the result to the console, in pieces if it is long. Callable
 * from any context.
 */
void platform_console_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * platform_config_get: the value of a configuration key (on Xen, a
 * key=value word before "--" on the command line, else the key in the
 * domain's own xenstore directory, read once and kept, for which a domU
 * blocks; on POSIX, the environment variable), or NULL when it is not
 * set.
 */
const char *platform_config_get(const char *key);
/*
 * platform_config_word: the i-th (from 0) KEY=VALUE word of the
 * configuration (on Xen, of the command line; on POSIX, of the
 * environment), or NULL past the last.
 */
const char *platform_config_word(int i);

/*
 * platform_pages_alloc: n zeroed pages in a row, the address a multiple of
 * align pages. Returns 0, ENOMEM, or EINVAL for n or align of 0.
 * platform_pages_free gives back what one alloc gave, or pages in a row
 * of it, readable, writable and executable as alloc gave them.
 */
int platform_pages_alloc(size_t n, size_t align, void **out);
void platform_pages_free(void *p, size_t n);
/*
 * platform_pages_claim: the n pages at at (page-aligned), as
 * platform_pages_alloc would give them, if none of them is in use:
 * 0, EBUSY (one is in use, or is not memory the allocator has), EINVAL.
 */
int platform_pages_claim(void *at, size_t n);
/*
 * platform_pages_count: the pages there are for platform_pages_alloc in
 * all (the guest's memory, less the platform's own) and those free now
 * (on POSIX: the host's physical and available pages).
 */
void platform_pages_count(size_t *total, size_t *free);

#define PLATFORM_PAGE_SIZE 4096

/* Page protections, with Linux's PROT_* values. */
#define PLATFORM_PROT_READ  1
#define PLATFORM_PROT_WRITE 2
#define PLATFORM_PROT_EXEC  4

/*
 * platform_pages_protect: n pages at p, which platform_pages_alloc gave,
 * may from now on be accessed only as prot says (0: not at all, an
 * access faults). Returns 0, or EINVAL for pages that are not the
 * allocator's.
 */
int platform_pages_protect(void *p, size_t n, int prot);

/*
 * A window: address space that nothing backs until pages are shown in
 * it. platform_window_alloc gives n pages of it (an access faults);
 * platform_window_map shows page (one platform_pages_alloc gave) at va,
 * a page of a window, with prot: the same memory, so what is written
 * through either is seen through both; platform_window_unmap makes n
 * pages at va fault again; platform_window_free gives the window back.
 * Errors: ENOMEM, EINVAL for pages that are not the allocator's, and (on
 * POSIX, whose pages cannot be shown twice) ENOTSUP.
 */
int platform_window_alloc(size_t n, void **out);
int platform_window_map(void *va, void *page, int prot);
void platform_window_unmap(void *va, size_t n);
void platform_window_free(void *va, size_t n);

struct platform_thread;

/* How to make a thread; zero means the default for every field. */
struct platform_thread_attr {
	const char *name;
	void *stack;	   /* the caller's stack, or NULL for one of ours */
	size_t stack_size; /* its size, or the size of ours (default 64 KiB) */
	unsigned long tls; /* the thread's TLS pointer (FS base), or 0 */
	int joinable;	   /* platform_thread_join will collect it */
};

/*
 * platform_thread_create: a thread running fn(arg), scheduled with the
 * others (on Xen: cooperatively). Returns 0 and *out, ENOMEM, or (on
 * POSIX, whose libc owns the FS base) ENOTSUP for a TLS pointer.
 */
int platform_thread_create(const struct platform_thread_attr *attr,
			   void (*fn)(void *), void *arg,
			   struct platform_thread **out);
/*
 * platform_thread_set_tls: the calling thread's TLS pointer (FS base)
 * from now on. Returns 0, or (on POSIX, whose libc owns the FS base)
 * ENOTSUP.
 */
int platform_thread_set_tls(unsigned long tls);
/* platform_thread_exit: ends the calling thread. */
__attribute__((noreturn)) void platform_thread_exit(void);
/*
 * platform_thread_join: blocks the calling thread until t has exited and
 * frees it. Returns 0, or EINVAL when t is not joinable or is the caller.
 */
int platform_thread_join(struct platform_thread *t);
/*
 * platform_cputime: the CPU time, in ns, that the calling thread (self
 * 1) or every thread of the image together (self 0) has run until now:
 * on Xen counted at each switch from the monotonic clock (time the vCPU
 * spends idle, or picking the next thread, is nobody's), on POSIX the
 * host's thread and process CPU-time clocks. Needs no virtual CPU.
 */
uint64_t platform_cputime(int self);

/* A fault: an exception in code that runs on a thread. */
struct platform_fault {
	int sig;	    /* what Linux would raise: SIGSEGV, SIGBUS, ... */
	int code;	    /* its si_code (SEGV_MAPERR, SEGV_ACCERR, ...) */
	unsigned long addr; /* the address a page fault was for, or the PC */
	unsigned long pc;   /* the faulting instruction */
};
typedef int platform_fault_fn(const struct platform_fault *f);
/*
 * platform_fault_hook_set: from now on fn hears first of every fault, in
 * the faulting thread, on its stack. fn returns 1 to resume the thread
 * (the faulting instruction runs again), or 0 to let the fault end the
 * image with its report (status 128 + sig), as without a hook; it may
 * also leave by longjmp. A fault inside fn is reported at once.
 */
void platform_fault_hook_set(platform_fault_fn *fn);

typedef void platform_shutdown_fn(const char *request);
/*
 * platform_shutdown_hook_set: from now on, when the image is asked to go
 * (on Xen `xl shutdown`, request "poweroff", "halt" or "reboot"; on
 * POSIX a SIGTERM to the process, request "SIGTERM"), fn is called with
 * the request on a thread of the platform's of its own, instead of the
 * image ending with status 0; it may wait. A second request ends the
 * image with status 0 (at once on POSIX: _exit), as without a hook, even
 * while fn waits.
 */
void platform_shutdown_hook_set(platform_shutdown_fn *fn);

/*
 * platform_exit: ends the image with an exit status.
 *
 * Only the low 8 bits of status count, as for a Linux process. Prints
 * "rumpxen: exit N" as the last line on the console, then powers the domain
 * off. Under the emulated test host (the runner says so on the command
 * line) it also ends QEMU through its isa-debug-exit port. Never returns.
 */
__attribute__((noreturn)) void platform_exit(int status);

/*
 * platform_panic: reports an unrecoverable error of the kernel world (the
 * message and a backtrace) and ends the image as crashed, with status 134
 * (as for SIGABRT). Never returns.
 */
__attribute__((noreturn)) void platform_panic(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif /* RUMPXEN_PLATFORM_H */
