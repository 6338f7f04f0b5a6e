/*
 * The console: output and input, whichever way this domain has.
 *
 * dom0 writes with HYPERVISOR_console_io, which Xen copies to its serial
 * console synchronously, and reads what Xen's serial line received with
 * CONSOLEIO_read when VIRQ_CONSOLE says there is some. A domU's
 * console_io writes are dropped by a release build of Xen; it uses the
 * console ring of start_info instead (consring.c). Before console_init
 * (and for dom0 always) output goes through console_io, so even the
 * earliest boot messages are seen. Input from either source is queued in
 * a small buffer that readers wait on. Formatted output goes through
 * lib/fmt.c in pieces, so no message is cut at a buffer size.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "core.h"

#include <xen/io/console.h>

/* Input received and not yet read: a ring of bytes. */
static char console_in[4096];
static unsigned long console_in_prod, console_in_cons;
static struct waitq console_readers;
static int console_use_ring;
/* Whether the last byte written ended a line: the status line starts one. */
static int console_at_line_start = 1;

void
console_input_put(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		/* Full: the oldest unread input makes way, as on a tty. */
		if (console_in_prod - console_in_cons == sizeof(console_in))
			console_in_cons++;
		console_in[console_in_prod++ % sizeof(console_in)] = buf[i];
	}
	if (len > 0)
		waitq_wake_all(&console_readers);
}

/* dom0: VIRQ_CONSOLE says Xen's serial line has input for us. */
static void
console_dom0_input(evtchn_port_t port, void *arg)
{
	char buf[256];
	long n;

	(void)port;
	(void)arg;
	while ((n = hypercall3(__HYPERVISOR_console_io, CONSOLEIO_read,
			       sizeof(buf), (unsigned long)buf)) > 0)
		console_input_put(buf, (size_t)n);
}

void
console_init(const start_info_t *si)
{
	evtchn_port_t port;

	if (si->flags & SIF_INITDOMAIN) {
		if (evtchn_bind_virq(VIRQ_CONSOLE, console_dom0_input, NULL,
				     &port) != 0)
			platform_console_printf("console: no VIRQ_CONSOLE, "
						"no input\n");
		return;
	}
	if (consring_init(si) == 0)
		console_use_ring = 1;
}

void
platform_console_write(const char *buf, size_t len)
{
	if (len > 0)
		console_at_line_start = buf[len - 1] == '\n';
	if (console_use_ring) {
		consring_write(buf, len);
		return;
	}
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

void
console_status_line(int status)
{
	/*
	 * The runner trusts a line that is exactly "rumpxen: exit N": a
	 * program's last output without its newline must not run into it.
	 */
	platform_console_printf("%srumpxen: exit %d\n",
				console_at_line_start ? "" : "\n", status);
}

void
console_flush(void)
{
	if (console_use_ring)
		consring_flush();
}

int
platform_console_read(char *buf, size_t len, uint64_t deadline, size_t *got)
{
	size_t n = 0;

	while (console_in_prod == console_in_cons) {
		if (waitq_wait(&console_readers, deadline) == ETIMEDOUT &&
		    console_in_prod == console_in_cons)
			return ETIMEDOUT;
	}
	while (n < len && console_in_cons != console_in_prod)
		buf[n++] = console_in[console_in_cons++ % sizeof(console_in)];
	*got = n;
	return 0;
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
