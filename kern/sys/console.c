/*
 * The console as an open file (fds 0, 1 and 2 at the start): what is
 * written goes to the platform's console, what is read comes from the
 * console's input (the read gives the CPU back while it waits; a signal
 * the thread must take ends the wait with EINTR; with O_NONBLOCK, no
 * input is EAGAIN). ioctl answers TCGETS and TIOCGWINSZ as a terminal of
 * 80 by 25 would; fstat says character device 5:1.
 */
#include <string.h>

#include "sys.h"

#define TCGETS	   0x5401
#define TIOCGWINSZ 0x5413

static long
console_write(struct kern_file *f, const void *buf, size_t len)
{
	(void)f;
	platform_console_write(buf, len);
	return (long)len;
}

static long
console_read(struct kern_file *f, void *buf, size_t len)
{
	struct kern_thread *t = kern_thread_self();
	size_t got = 0;

	if (len == 0)
		return 0;
	for (;;) {
		if (kern_signal_deliverable(t))
			return -KERN_EINTR;
		t->interrupt = 0;
		t->console_wait = 1;
		kern_leave(); /* waiting for input holds no CPU */
		int err = platform_console_read(
			buf, len, f->flags & KERN_O_NONBLOCK ? 1 : 0,
			&t->interrupt, &got);
		kern_enter();
		t->console_wait = 0;
		if (err == 0)
			return (long)got;
		if (err == KERN_ETIMEDOUT)
			return -KERN_EAGAIN; /* the deadline long past */
	}
}

/* Linux's struct winsize and the part of struct termios we fill. */
struct kern_winsize {
	unsigned short row, col, xpixel, ypixel;
};
struct kern_termios {
	unsigned iflag, oflag, cflag, lflag;
	unsigned char line, cc[32];
	unsigned ispeed, ospeed;
};

static long
console_ioctl(struct kern_file *f, unsigned long req, long arg)
{
	(void)f;
	switch (req) {
	case TIOCGWINSZ: {
		struct kern_winsize *w = (struct kern_winsize *)arg;
		memset(w, 0, sizeof(*w));
		w->row = 25;
		w->col = 80;
		return 0;
	}
	case TCGETS: {
		struct kern_termios *t = (struct kern_termios *)arg;
		memset(t, 0, sizeof(*t));
		t->oflag = 05;	 /* OPOST | ONLCR */
		t->cflag = 0277; /* B38400 | CS8 */
		t->lflag =
			0105073; /* ISIG ICANON ECHO ECHOE ECHOK IEXTEN ... */
		t->ispeed = t->ospeed = 15;
		return 0;
	}
	default:
		return -KERN_ENOTTY;
	}
}

static long
console_fstat(struct kern_file *f, struct kern_stat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->mode = 020620; /* a character device, rw--w---- */
	st->nlink = 1;
	st->rdev = 5 << 8 | 1; /* 5:1, Linux's /dev/console */
	st->blksize = 1024;
	return 0;
}

static const struct kern_file_ops console_ops = {
	.read = console_read,
	.write = console_write,
	.ioctl = console_ioctl,
	.fstat = console_fstat,
};

struct kern_file kern_console_file = {
	.ops = &console_ops,
	.flags = KERN_O_RDWR,
};
