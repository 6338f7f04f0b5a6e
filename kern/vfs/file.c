/*
 * The open file and the fd table: KERN_FD_MAX slots, each naming an
 * open file (struct kern_file, shared by dup) and holding its
 * close-on-exec flag; at the start fds 0, 1 and 2 name the console (set
 * on the table's first use). Here an open file is made and an fd found
 * or given; the system calls on fds, and what closing one does, are
 * kern/sys/fd.c's.
 */
#include <string.h>

#include "vfs.h"

static struct kern_fd_slot fd_table[KERN_FD_MAX];
static int fd_ready;

struct kern_fd_slot *
kern_fd_slot(long fd)
{
	if (!fd_ready) {
		fd_ready = 1;
		for (int i = 0; i < 3; i++) {
			fd_table[i].file = &kern_console_file;
			kern_console_file.refs++;
		}
	}
	return fd >= 0 && fd < KERN_FD_MAX ? &fd_table[fd] : NULL;
}

struct kern_file *
kern_fd_file(long fd)
{
	struct kern_fd_slot *s = kern_fd_slot(fd);

	return s != NULL ? s->file : NULL;
}

static long fd_limit = KERN_FD_MAX;

long
kern_fd_limit(void)
{
	return fd_limit;
}

void
kern_fd_limit_set(unsigned long n)
{
	fd_limit = n < KERN_FD_MAX ? (long)n : KERN_FD_MAX;
}

long
kern_fd_install(struct kern_file *f, long min, int cloexec)
{
	for (long fd = min < 0 ? 0 : min; fd < fd_limit; fd++) {
		struct kern_fd_slot *s = kern_fd_slot(fd);
		if (s->file == NULL) {
			s->file = f;
			s->cloexec = cloexec;
			return fd;
		}
	}
	return -KERN_EMFILE;
}

int
kern_fd_room(void)
{
	for (long fd = 0; fd < fd_limit; fd++)
		if (kern_fd_slot(fd)->file == NULL)
			return 1;
	return 0;
}

struct kern_file *
kern_file_new(const struct kern_file_ops *ops, int flags, void *priv)
{
	struct kern_file *f;
	void *m;

	if (rumpuser_malloc(sizeof(*f), 0, &m) != 0)
		return NULL;
	f = m;
	memset(f, 0, sizeof(*f));
	f->ops = ops;
	f->refs = 1;
	f->flags = flags;
	f->priv = priv;
	return f;
}

long
kern_file_fstat_anon(struct kern_file *f, struct kern_stat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->mode = 0600; /* an anonymous inode */
	st->nlink = 1;
	return 0;
}

unsigned
kern_file_poll(struct kern_file *f, struct kern_poll *pt)
{
	if (f->ops->poll == NULL)
		return KERN_POLLIN | KERN_POLLOUT | KERN_POLLRDNORM |
		       KERN_POLLWRNORM; /* a regular file is always ready */
	return f->ops->poll(f, pt);
}
