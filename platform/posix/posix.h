/*
 * The private header of platform/posix: the rump kernel hypercalls on a
 * Linux process (pthreads, host files), for running kernel code as an
 * ordinary program under sanitizers. Prototypes that cross between its
 * files, grouped by file.
 */
#ifndef RUMPXEN_POSIX_H
#define RUMPXEN_POSIX_H

#include <rumpxen/rumpuser.h>

#include "../shared/rumpuser_shared.h"

/* platform_api.c */

#include <stdarg.h>

/* posix_console_vprintf: formatted output to stdout, flushed. */
void posix_console_vprintf(const char *fmt, va_list ap);

/* rumpuser_thread.c */

/* posix_thread_stack_size: the stack each kernel thread gets. */
#define POSIX_THREAD_STACK (256 * 1024)

#endif /* RUMPXEN_POSIX_H */
