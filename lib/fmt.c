/*
 * printf-style formatting for the freestanding layers.
 *
 * fmt_vformat walks the format once and hands its output to a sink in
 * pieces: literal runs straight from the format, and each conversion built
 * in a small buffer on the stack (padding is emitted in chunks, so a large
 * width costs no memory). fmt_vsnprintf is a sink that fills a caller's
 * buffer. Floating point is deliberately absent: kernel code has no use for
 * it, and it would drag in the FPU state.
 */
#include <stdint.h>
#include <string.h>

#include "klib.h"

/* The flags and sizes of one conversion specification. */
struct fmt_spec {
	int left;      /* '-': pad on the right */
	int plus;      /* '+': sign on non-negative numbers */
	int space;     /* ' ': space on non-negative numbers */
	int alt;       /* '#': 0x for hex, leading 0 for octal */
	int zero;      /* '0': pad numbers with zeros */
	int width;     /* minimum field width */
	int precision; /* minimum digits or maximum string bytes; -1 if none */
};

/* The state of one fmt_vformat call. */
struct fmt_out {
	fmt_sink_fn *sink;
	void *ctx;
	size_t total;
};

static void
fmt_emit(struct fmt_out *out, const char *s, size_t len)
{
	if (len == 0)
		return;
	out->sink(out->ctx, s, len);
	out->total += len;
}

static void
fmt_pad(struct fmt_out *out, char c, int n)
{
	char chunk[32];

	memset(chunk, c, sizeof(chunk));
	while (n > 0) {
		int k = n < (int)sizeof(chunk) ? n : (int)sizeof(chunk);
		fmt_emit(out, chunk, (size_t)k);
		n -= k;
	}
}

/* fmt_field: emits prefix and body as one field padded to spec->width. */
static void
fmt_field(struct fmt_out *out, const struct fmt_spec *spec, const char *prefix,
	  size_t prefix_len, int zeros, const char *body, size_t body_len)
{
	int pad = spec->width - (int)(prefix_len + body_len) - zeros;

	if (!spec->left)
		fmt_pad(out, ' ', pad);
	fmt_emit(out, prefix, prefix_len);
	fmt_pad(out, '0', zeros);
	fmt_emit(out, body, body_len);
	if (spec->left)
		fmt_pad(out, ' ', pad);
}

/*
 * fmt_number: formats the magnitude v in base with sign (0, '-', '+' or
 * ' ') and the spec's precision, '#' and '0' rules.
 */
static void
fmt_number(struct fmt_out *out, const struct fmt_spec *spec, uintmax_t v,
	   unsigned base, int upper, char sign)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24]; /* 22 octal digits hold 64 bits */
	char prefix[3];
	size_t plen = 0, len = 0;
	int zeros = 0;

	while (v != 0) {
		buf[sizeof(buf) - ++len] = digits[v % base];
		v /= base;
	}
	/* C: "%.0d" of zero prints nothing; without a precision, "0". */
	if (len == 0 && spec->precision != 0)
		buf[sizeof(buf) - ++len] = '0';
	if (spec->precision > (int)len)
		zeros = spec->precision - (int)len;

	if (sign)
		prefix[plen++] = sign;
	if (spec->alt && base == 16 && len > 0 &&
	    !(len == 1 && buf[sizeof(buf) - 1] == '0')) {
		prefix[plen++] = '0';
		prefix[plen++] = upper ? 'X' : 'x';
	}
	if (spec->alt && base == 8 && zeros == 0 &&
	    (len == 0 || buf[sizeof(buf) - len] != '0'))
		zeros = 1;
	/* '0' pads with zeros only when there is no precision and no '-'. */
	if (spec->zero && !spec->left && spec->precision < 0) {
		int fill = spec->width - (int)(plen + len);
		if (fill > zeros)
			zeros = fill;
	}
	fmt_field(out, spec, prefix, plen, zeros, buf + sizeof(buf) - len, len);
}

/* fmt_parse_int: reads a decimal number at *p, advancing *p. */
static int
fmt_parse_int(const char **p)
{
	int n = 0;

	while (**p >= '0' && **p <= '9') {
		if (n < 100000000)
			n = n * 10 + (**p - '0');
		(*p)++;
	}
	return n;
}

/* The length modifiers, from hh to the widest. */
enum fmt_len { LEN_HH, LEN_H, LEN_INT, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

static enum fmt_len
fmt_parse_len(const char **p)
{
	switch (**p) {
	case 'h':
		(*p)++;
		if (**p != 'h')
			return LEN_H;
		(*p)++;
		return LEN_HH;
	case 'l':
		(*p)++;
		if (**p != 'l')
			return LEN_L;
		(*p)++;
		return LEN_LL;
	case 'z':
		(*p)++;
		return LEN_Z;
	case 'j':
		(*p)++;
		return LEN_J;
	case 't':
		(*p)++;
		return LEN_T;
	default:
		return LEN_INT;
	}
}

static intmax_t
fmt_arg_signed(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_INT:
		return va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
	case LEN_T:
		return va_arg(*ap, long); /* ssize_t, ptrdiff_t on LP64 */
	default:
		return va_arg(*ap, intmax_t);
	}
}

static uintmax_t
fmt_arg_unsigned(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned);
	case LEN_INT:
		return va_arg(*ap, unsigned);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
	case LEN_T:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, uintmax_t);
	}
}

/* fmt_spec_parse: reads flags, width and precision after the '%'. */
static void
fmt_spec_parse(const char **p, va_list *ap, struct fmt_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->precision = -1;
	for (;; (*p)++) {
		if (**p == '-')
			spec->left = 1;
		else if (**p == '+')
			spec->plus = 1;
		else if (**p == ' ')
			spec->space = 1;
		else if (**p == '#')
			spec->alt = 1;
		else if (**p == '0')
			spec->zero = 1;
		else
			break;
	}
	if (**p == '*') {
		(*p)++;
		spec->width = va_arg(*ap, int);
		if (spec->width < 0) {
			spec->left = 1;
			spec->width = -spec->width;
		}
	} else {
		spec->width = fmt_parse_int(p);
	}
	if (**p == '.') {
		(*p)++;
		if (**p == '*') {
			(*p)++;
			spec->precision = va_arg(*ap, int);
			if (spec->precision < 0)
				spec->precision = -1;
		} else {
			spec->precision = fmt_parse_int(p);
		}
	}
}

/* fmt_convert: performs one conversion c; returns 0 if c is unknown. */
static int
fmt_convert(struct fmt_out *out, struct fmt_spec *spec, enum fmt_len len,
	    char c, va_list *ap)
{
	switch (c) {
	case 'd':
	case 'i': {
		intmax_t v = fmt_arg_signed(ap, len);
		char sign = 0;
		if (v < 0)
			sign = '-';
		else if (spec->plus)
			sign = '+';
		else if (spec->space)
			sign = ' ';
		uintmax_t mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
		fmt_number(out, spec, mag, 10, 0, sign);
		return 1;
	}
	case 'u':
		fmt_number(out, spec, fmt_arg_unsigned(ap, len), 10, 0, 0);
		return 1;
	case 'o':
		fmt_number(out, spec, fmt_arg_unsigned(ap, len), 8, 0, 0);
		return 1;
	case 'x':
	case 'X':
		fmt_number(out, spec, fmt_arg_unsigned(ap, len), 16, c == 'X',
			   0);
		return 1;
	case 'p':
		spec->alt = 1;
		fmt_number(out, spec, (uintptr_t)va_arg(*ap, void *), 16, 0, 0);
		return 1;
	case 'c': {
		char ch = (char)va_arg(*ap, int);
		fmt_field(out, spec, "", 0, 0, &ch, 1);
		return 1;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);
		size_t n = 0;
		if (s == NULL)
			s = "(null)";
		while (s[n] != '\0' &&
		       (spec->precision < 0 || n < (size_t)spec->precision))
			n++;
		fmt_field(out, spec, "", 0, 0, s, n);
		return 1;
	}
	case '%':
		fmt_emit(out, "%", 1);
		return 1;
	default:
		return 0;
	}
}

size_t
fmt_vformat(fmt_sink_fn *sink, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out out = {sink, ctx, 0};
	struct fmt_spec spec;
	const char *p = fmt;
	va_list args;

	/* A copy, so that helpers can take a pointer to it portably. */
	va_copy(args, ap);
	while (*p != '\0') {
		const char *start = p;
		while (*p != '\0' && *p != '%')
			p++;
		fmt_emit(&out, start, (size_t)(p - start));
		if (*p == '\0')
			break;
		start = p++;
		fmt_spec_parse(&p, &args, &spec);
		enum fmt_len len = fmt_parse_len(&p);
		if (*p == '\0' || !fmt_convert(&out, &spec, len, *p, &args)) {
			/* Unknown or cut-off: copy the specification. */
			if (*p != '\0')
				p++;
			fmt_emit(&out, start, (size_t)(p - start));
			continue;
		}
		p++;
	}
	va_end(args);
	return out.total;
}

/* The sink of fmt_vsnprintf: a buffer that keeps room for the NUL. */
struct fmt_buf {
	char *buf;
	size_t size;
	size_t used;
};

static void
fmt_buf_sink(void *ctx, const char *s, size_t len)
{
	struct fmt_buf *b = ctx;
	size_t room;

	if (b->size == 0 || b->used >= b->size - 1)
		return;
	room = b->size - 1 - b->used;
	if (len > room)
		len = room;
	memcpy(b->buf + b->used, s, len);
	b->used += len;
}

size_t
fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buf b = {buf, size, 0};
	size_t total = fmt_vformat(fmt_buf_sink, &b, fmt, ap);

	if (size > 0)
		buf[b.used] = '\0';
	return total;
}

size_t
fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
