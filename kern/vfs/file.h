/*
 * file.h: the open file, what an fd names, and the fd table (file.c),
 * for the layers that make open files (the VFS and the devices; pipes,
 * eventfd and epoll in kern/sys) and the syscall layer that reads,
 * writes and closes them through their operations. Nothing here is a
 * system call, and nothing here calls one. Everything runs with the
 * CPU held. Errors are -errno (kern.h).
 */
#ifndef RUMPXEN_KERN_FILE_H
#define RUMPXEN_KERN_FILE_H

#include "../abi.h"
#include "../kern.h"

#define KERN_FD_MAX 1024 /* RLIMIT_NOFILE */

/*
 * An open file: what an fd names (dup shares it). Its operations return
 * a value or -errno; one it lacks is NULL (read or write: EBADF;
 * ioctl: ENOTTY). flags holds the open flags fcntl reads and changes.
 */
struct kern_file;
struct vnode;
struct epitem;
struct kern_file_ops {
	long (*read)(struct kern_file *f, void *buf, size_t len);
	long (*write)(struct kern_file *f, const void *buf, size_t len);
	/*
	 * readv, writev: a vector in one go, for a file whose messages must
	 * not be split (a datagram socket); NULL: read or write each buffer
	 * in turn.
	 */
	long (*readv)(struct kern_file *f, const struct kern_iovec *iov, int n);
	long (*writev)(struct kern_file *f, const struct kern_iovec *iov,
		       int n);
	/* pread, pwrite, lseek: NULL for a file that cannot seek (ESPIPE) */
	long (*pread)(struct kern_file *f, void *buf, size_t len, long off);
	long (*pwrite)(struct kern_file *f, const void *buf, size_t len,
		       long off);
	long (*lseek)(struct kern_file *f, long off, int whence);
	long (*ioctl)(struct kern_file *f, unsigned long req, long arg);
	long (*fstat)(struct kern_file *f, struct kern_stat *st);
	/*
	 * poll: the KERN_POLL* events ready now; pt (if not NULL) waits on
	 * the file's queues too. NULL: always readable and writable.
	 */
	unsigned (*poll)(struct kern_file *f, struct kern_poll *pt);
	/*
	 * room: the bytes a write would take now without waiting (a TCP
	 * socket's send room; sendfile sizes its chunks by it), or -1 when
	 * the file cannot tell. NULL: it cannot.
	 */
	long (*room)(struct kern_file *f);
	void (*release)(struct kern_file *f); /* the last fd closed */
	/*
	 * name: what /proc/self/fd shows for such a file that has no path
	 * (anon_inode:[eventfd], /dev/console); NULL: its kind from fstat
	 * (pipe:[INO], socket:[INO]).
	 */
	const char *name;
};
struct kern_file {
	const struct kern_file_ops *ops;
	int refs;	     /* fds naming it */
	int flags;	     /* O_APPEND, O_NONBLOCK, the access mode, O_PATH */
	struct vnode *vnode; /* a file of the VFS: its vnode, referenced */
	long offset;	     /* where read and write go */
	struct epitem *watchers; /* epoll's items watching it */
	void *priv;
	char *path; /* the absolute path it was opened by, or NULL */
};

/* An fd's slot in the table. */
struct kern_fd_slot {
	struct kern_file *file; /* NULL: the fd is not open */
	int cloexec;
};
/* kern_fd_slot: fd's slot, or NULL for an fd past the table. */
struct kern_fd_slot *kern_fd_slot(long fd);
/* kern_fd_file: the file fd names, or NULL. */
struct kern_file *kern_fd_file(long fd);
/* kern_file_new: an open file of ops, one reference; NULL without memory. */
struct kern_file *kern_file_new(const struct kern_file_ops *ops, int flags,
				void *priv);
/* kern_file_fstat_anon: fstat of a file with no inode (eventfd, epoll). */
long kern_file_fstat_anon(struct kern_file *f, struct kern_stat *st);
/*
 * kern_fd_install: the lowest free fd from min on names f (whose refs
 * the caller counted for it). The fd or -EMFILE.
 */
long kern_fd_install(struct kern_file *f, long min, int cloexec);
/*
 * kern_fd_limit: fds are below it (RLIMIT_NOFILE's soft limit, at most
 * KERN_FD_MAX); kern_fd_limit_set sets it (open fds above stay open).
 */
long kern_fd_limit(void);
void kern_fd_limit_set(unsigned long n);
/*
 * kern_fd_room: an fd is free now (for a call that would lose what it
 * takes if none were, as accept loses a connection).
 */
int kern_fd_room(void);
/* kern_file_poll: f's ready events (pt as for the poll operation). */
unsigned kern_file_poll(struct kern_file *f, struct kern_poll *pt);

#endif /* RUMPXEN_KERN_FILE_H */
