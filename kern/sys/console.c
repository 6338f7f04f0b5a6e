/*
 * The console as fds 0, 1 and 2: what the process writes goes to the
 * platform's console, what it reads comes from the console's input (the
 * read gives the CPU back while it waits; a signal the thread must take
 * ends the wait with EINTR). ioctl answers TCGETS and
 * TIOCGWINSZ as a terminal of 80 by 25 would; fstat says character
 * device. Any other fd is EBADF until the fd table comes.
 */
#include <string.h>

#include "sys.h"

#define TCGETS	   0x5401
#define TIOCGWINSZ 0x5413

static int
console_fd(long fd)
{
	return fd >= 0 && fd <= 2;
}

static long
console_write(const char *buf, size_t len)
{
	platform_console_write(buf, len);
	return (long)len;
}

long
sys_write(const long a[6])
{
	if (!console_fd(a[0]))
		return -KERN_EBADF;
	return console_write((const char *)a[1], (size_t)a[2]);
}

/* The layout of Linux's struct iovec. */
struct kern_iovec {
	void *base;
	size_t len;
};

long
sys_writev(const long a[6])
{
	const struct kern_iovec *iov = (const struct kern_iovec *)a[1];
	long total = 0;

	if (!console_fd(a[0]))
		return -KERN_EBADF;
	if (a[2] < 0 || a[2] > 1024)
		return -KERN_EINVAL;
	for (long i = 0; i < a[2]; i++)
		total += console_write(iov[i].base, iov[i].len);
	return total;
}

long
sys_read(const long a[6])
{
	size_t got = 0;

	if (!console_fd(a[0]))
		return -KERN_EBADF;
	if (a[2] == 0)
		return 0;
	struct kern_thread *t = kern_thread_self();
	for (;;) {
		if (kern_signal_deliverable(t))
			return -KERN_EINTR;
		t->interrupt = 0;
		t->console_wait = 1;
		kern_leave(); /* waiting for input holds no CPU */
		int err = platform_console_read((char *)a[1], (size_t)a[2], 0,
						&t->interrupt, &got);
		kern_enter();
		t->console_wait = 0;
		if (err == 0)
			return (long)got;
	}
}

long
sys_readv(const long a[6])
{
	const struct kern_iovec *iov = (const struct kern_iovec *)a[1];

	if (!console_fd(a[0]))
		return -KERN_EBADF;
	for (long i = 0; i < a[2]; i++) {
		if (iov[i].len == 0)
			continue;
		const long r[6] = {a[0], (long)iov[i].base, (long)iov[i].len};
		return sys_read(r); /* what one wait brings */
	}
	return 0;
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

long
sys_ioctl(const long a[6])
{
	if (!console_fd(a[0]))
		return -KERN_EBADF;
	switch (a[1]) {
	case TIOCGWINSZ: {
		struct kern_winsize *w = (struct kern_winsize *)a[2];
		memset(w, 0, sizeof(*w));
		w->row = 25;
		w->col = 80;
		return 0;
	}
	case TCGETS: {
		struct kern_termios *t = (struct kern_termios *)a[2];
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

/* The layout of Linux's struct stat on x86_64. */
struct kern_stat {
	unsigned long dev, ino, nlink;
	unsigned mode, uid, gid, pad0;
	unsigned long rdev;
	long size, blksize, blocks;
	unsigned long atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	long unused[3];
};

long
sys_fstat(const long a[6])
{
	struct kern_stat *st = (struct kern_stat *)a[1];

	if (!console_fd(a[0]))
		return -KERN_EBADF;
	memset(st, 0, sizeof(*st));
	st->mode = 020620; /* a character device, rw--w---- */
	st->nlink = 1;
	st->rdev = 5 << 8 | 1; /* 5:1, Linux's /dev/console */
	st->blksize = 1024;
	return 0;
}
