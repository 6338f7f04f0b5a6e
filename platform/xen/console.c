/*
 * The console of a dom0 guest: HYPERVISOR_console_io writes, which Xen
 * copies to its serial console synchronously with the hypercall.
 *
 * A domU's console_io writes are dropped by a release build of Xen; the
 * console ring of start_info serves a domU and arrives with the full Xen
 * host. Formatted output goes through lib/fmt.c in pieces straight to the
 * hypervisor, so no message is cut at a buffer size.
 */
#include <stdarg.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "xen.h"

void
platform_console_write(const char *buf, size_t len)
{
	/*
	 * Xen copies what it can in one call and returns the count written
	 * (or a negative error, when there is nothing more we could do).
	 */
	while (len > 0) {
		long n = hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write,
				    len, (unsigned long)buf);
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/*
 * Formatted output is gathered in a small buffer, so that a line made of
 * many pieces reaches the hypervisor in few calls.
 */
struct console_buf {
	char data[256];
	size_t used;
};

static void
console_buf_flush(struct console_buf *b)
{
	platform_console_write(b->data, b->used);
	b->used = 0;
}

static void
console_buf_sink(void *ctx, const char *s, size_t len)
{
	struct console_buf *b = ctx;

	while (len > 0) {
		size_t room = sizeof(b->data) - b->used;
		size_t k = len < room ? len : room;
		memcpy(b->data + b->used, s, k);
		b->used += k;
		s += k;
		len -= k;
		if (b->used == sizeof(b->data))
			console_buf_flush(b);
	}
}

void
console_vprintf(const char *fmt, va_list ap)
{
	struct console_buf b;

	b.used = 0;
	fmt_vformat(console_buf_sink, &b, fmt, ap);
	console_buf_flush(&b);
}

void
platform_console_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}
