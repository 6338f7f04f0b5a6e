/*
 * The console as an open file (fds 0, 1 and 2 at the start): what is
 * written goes to the platform's console; what is read comes from a
 * buffer of the console's input that a thread of the kernel fills (it is
 * started by the first read or poll, and waits in platform_console_read
 * without the CPU), so readers wait on a queue of the one wait mechanism:
 * a signal the thread must take ends the wait with EINTR, O_NONBLOCK
 * makes it EAGAIN, and poll, select and epoll see the console readable
 * when input is buffered. The end of the input (POSIX's stdin at its
 * end) reads as 0. ioctl answers TCGETS and TIOCGWINSZ as a terminal of
 * 80 by 25 would, and FIONREAD; fstat says character device 5:1, and
 * gives /dev/console's own inode once devfs has it (ttyname finds it).
 */
#include <string.h>

#include "../vfs/vfs.h"

#define TCGETS	    0x5401
#define TIOCGWINSZ  0x5413
#define CONSOLE_BUF 4096
#define CONSOLE_NAP 10000000 /* ns a full buffer makes the reader wait */

static char console_buf[CONSOLE_BUF];
static size_t console_head, console_len;
static int console_eof, console_started;
static struct kern_waitq console_q;

static long
console_write(struct kern_file *f, const void *buf, size_t len)
{
	(void)f;
	platform_console_write(buf, len);
	return (long)len;
}

/* console_reader: the kernel's thread that takes the console's input. */
static void
console_reader(void *arg)
{
	char chunk[256];

	(void)arg;
	for (;;) {
		size_t got = 0, room;
		kern_enter();
		room = CONSOLE_BUF - console_len;
		kern_leave();
		if (room == 0) {
			rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0,
					     CONSOLE_NAP);
			continue;
		}
		if (room > sizeof(chunk))
			room = sizeof(chunk);
		int err = platform_console_read(chunk, room, 0, &got);
		kern_enter();
		for (size_t i = 0; err == 0 && i < got; i++)
			console_buf[(console_head + console_len++) %
				    CONSOLE_BUF] = chunk[i];
		if (err != 0 || got == 0)
			console_eof = 1;
		kern_waitq_wake(&console_q);
		kern_leave();
		if (console_eof)
			platform_thread_exit();
	}
}

/* console_start: the reader thread, once. The CPU held. */
static void
console_start(void)
{
	const struct platform_thread_attr attr = {.name = "console"};
	struct platform_thread *t;

	if (console_started)
		return;
	console_started = 1;
	if (platform_thread_create(&attr, console_reader, NULL, &t) != 0)
		console_eof = 1; /* no thread: no input */
}

static long
console_read(struct kern_file *f, void *buf, size_t len)
{
	size_t n = 0;

	if (len == 0)
		return 0;
	console_start();
	while (console_len == 0 && !console_eof) {
		if (f->flags & KERN_O_NONBLOCK)
			return -KERN_EAGAIN;
		if (kern_waitq_wait(&console_q, 0) == -KERN_EINTR)
			return -KERN_EINTR;
	}
	while (n < len && console_len > 0) {
		((char *)buf)[n++] = console_buf[console_head];
		console_head = (console_head + 1) % CONSOLE_BUF;
		console_len--;
	}
	return (long)n;
}

static unsigned
console_poll(struct kern_file *f, struct kern_poll *pt)
{
	(void)f;
	console_start();
	kern_poll_wait(pt, &console_q);
	return KERN_POLLOUT |
	       (console_len > 0 || console_eof ? KERN_POLLIN : 0);
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
	case FIONREAD:
		*(int *)arg = (int)console_len;
		return 0;
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

struct vnode *kern_console_node;

static long
console_fstat(struct kern_file *f, struct kern_stat *st)
{
	(void)f;
	if (kern_console_node != NULL) {
		vnode_stat(kern_console_node, st);
		return 0;
	}
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
	.poll = console_poll,
	.ioctl = console_ioctl,
	.fstat = console_fstat,
	.name = "/dev/console",
};

struct kern_file kern_console_file = {
	.ops = &console_ops,
	.flags = KERN_O_RDWR,
};
