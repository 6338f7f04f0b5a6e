/*
 * lwIP's port header for the kernel world: the compiler's and musl's
 * types (from the freestanding headers), lwIP's own character classes
 * (no libc ctype: the kernel takes nothing from the libc but <string.h>),
 * and diagnostics and failed assertions on the platform's console, an
 * assertion a panic that names it.
 */
#ifndef RUMPXEN_LWIP_ARCH_CC_H
#define RUMPXEN_LWIP_ARCH_CC_H

#include <rumpxen/platform.h>

#define LWIP_NO_CTYPE_H 1

#define LWIP_PLATFORM_DIAG(x)                                                  \
	do {                                                                   \
		platform_console_printf x;                                     \
	} while (0)
#define LWIP_PLATFORM_ASSERT(x)                                                \
	platform_panic("lwip: assertion \"%s\" failed at %s:%d", x, __FILE__,  \
		       __LINE__)

#endif /* RUMPXEN_LWIP_ARCH_CC_H */
