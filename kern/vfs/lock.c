/*
 * Advisory locks on a vnode: fcntl's record locks (F_GETLK, F_SETLK,
 * F_SETLKW), open-file-description locks (F_OFD_GETLK, F_OFD_SETLK,
 * F_OFD_SETLKW) and flock, with Linux's semantics.
 *
 * A record lock is a byte range (an end of -1 means "to the end of any
 * file") of one owner: the process for classic locks, which all its
 * threads share and which go when the process closes any fd of the file;
 * an open file for OFD locks, which go when its last fd closes. Two
 * locks conflict when their ranges meet, one is a write lock and their
 * owners differ: classic and OFD locks meet, so threads using OFD locks
 * exclude each other. Setting a lock first takes its range out of the
 * owner's other locks (splitting them), then adds it, joined with the
 * owner's locks of its type that it touches. flock locks the
 * whole file per open file, apart from record locks. A wait (SETLKW,
 * flock without LOCK_NB) is on the vnode's queue, which every release
 * wakes; a signal ends it with EINTR. Locks are not checked for
 * deadlocks (a process's classic locks cannot deadlock on their own).
 */
#include <string.h>

#include "vfs.h"

#define F_RDLCK	     0
#define F_WRLCK	     1
#define F_UNLCK	     2
#define LOCK_SH	     1
#define LOCK_EX	     2
#define LOCK_NB	     4
#define LOCK_UN	     8
#define LOCK_PROCESS ((const void *)1) /* the classic locks' owner */
#define LOCK_EOF     (~0ul >> 1)       /* a range's end "to EOF" */

struct vlock {
	struct vlock *next;
	const void *owner; /* LOCK_PROCESS or the open file */
	int type;	   /* F_RDLCK, F_WRLCK */
	int flock;	   /* flock's, not a record lock */
	long start, end;   /* inclusive */
};

static int
lock_meet(const struct vlock *l, long start, long end)
{
	return l->start <= end && start <= l->end;
}

/* lock_conflict: a lock on vp that keeps owner from this one, or NULL. */
static struct vlock *
lock_conflict(struct vnode *vp, const void *owner, int flock, int type,
	      long start, long end)
{
	for (struct vlock *l = vp->locks; l != NULL; l = l->next)
		if (l->flock == flock && l->owner != owner &&
		    (l->type == F_WRLCK || type == F_WRLCK) &&
		    lock_meet(l, start, end))
			return l;
	return NULL;
}

static struct vlock *
lock_new(const void *owner, int flock, int type, long start, long end)
{
	struct vlock *l;
	void *p;

	if (rumpuser_malloc(sizeof(*l), 0, &p) != 0)
		return NULL;
	l = p;
	*l = (struct vlock){NULL, owner, type, flock, start, end};
	return l;
}

/*
 * lock_clear: owner's locks of this kind leave [start, end] (split when
 * it lies inside one). 0, or -ENOLCK without memory for a split.
 */
static int
lock_clear(struct vnode *vp, const void *owner, int flock, long start, long end)
{
	struct vlock **pp = &vp->locks, *l;

	while ((l = *pp) != NULL) {
		if (l->owner != owner || l->flock != flock ||
		    !lock_meet(l, start, end)) {
			pp = &l->next;
			continue;
		}
		if (l->start < start && l->end > end) {
			struct vlock *tail = lock_new(owner, flock, l->type,
						      end + 1, l->end);
			if (tail == NULL)
				return -KERN_ENOLCK;
			l->end = start - 1;
			tail->next = l->next;
			l->next = tail;
			pp = &tail->next;
		} else if (l->start < start) {
			l->end = start - 1;
			pp = &l->next;
		} else if (l->end > end) {
			l->start = end + 1;
			pp = &l->next;
		} else {
			*pp = l->next;
			rumpuser_free(l, sizeof(*l));
		}
	}
	kern_waitq_wake(&vp->lockq);
	return 0;
}

/*
 * lock_set: owner's lock of type on [start, end], waiting for it if
 * wait; F_UNLCK takes the range out. 0 or -errno.
 */
static long
lock_set(struct vnode *vp, const void *owner, int flock, int type, long start,
	 long end, int wait)
{
	if (type == F_UNLCK)
		return lock_clear(vp, owner, flock, start, end);
	while (lock_conflict(vp, owner, flock, type, start, end) != NULL) {
		if (!wait)
			return -KERN_EAGAIN;
		if (kern_waitq_wait(&vp->lockq, 0) == -KERN_EINTR)
			return -KERN_EINTR;
	}
	struct vlock *l = lock_new(owner, flock, type, start, end);
	if (l == NULL)
		return -KERN_ENOLCK;
	long err = lock_clear(vp, owner, flock, start, end);
	if (err != 0) {
		rumpuser_free(l, sizeof(*l));
		return err;
	}
	/* The owner's locks of this type next to it join it, as on Linux. */
	for (struct vlock **pp = &vp->locks, *o; (o = *pp) != NULL;) {
		if (o->owner == owner && o->flock == flock && o->type == type &&
		    (o->end + 1 == l->start ||
		     (l->end != (long)LOCK_EOF && o->start == l->end + 1))) {
			if (o->start < l->start)
				l->start = o->start;
			else
				l->end = o->end;
			*pp = o->next;
			rumpuser_free(o, sizeof(*o));
			continue;
		}
		pp = &o->next;
	}
	l->next = vp->locks;
	vp->locks = l;
	return 0;
}

/* lock_range: the struct flock's range for f, inclusive; 0 or -EINVAL. */
static long
lock_range(struct kern_file *f, const struct kern_flock *fl, long *start,
	   long *end)
{
	long base;

	switch (fl->whence) {
	case 0:
		base = 0;
		break;
	case 1:
		base = f->offset;
		break;
	case 2:
		base = f->vnode->size;
		break;
	default:
		return -KERN_EINVAL;
	}
	long s;
	if (__builtin_add_overflow(base, fl->start, &s))
		return -KERN_EOVERFLOW;
	if (fl->len > 0) {
		*start = s;
		if (__builtin_add_overflow(s, fl->len - 1, end))
			return -KERN_EOVERFLOW;
	} else if (fl->len < 0) {
		*start = s + fl->len;
		*end = s - 1;
	} else {
		*start = s;
		*end = (long)LOCK_EOF;
	}
	return *start < 0 ? -KERN_EINVAL : 0;
}

long
vfs_lock_fcntl(struct kern_file *f, long cmd, struct kern_flock *fl)
{
	int ofd = cmd >= F_OFD_GETLK;
	const void *owner = ofd ? (const void *)f : LOCK_PROCESS;
	long start, end, err;

	if (f->vnode == NULL || (f->flags & KERN_O_PATH))
		return -KERN_EBADF;
	if (ofd && fl->pid != 0)
		return -KERN_EINVAL;
	err = lock_range(f, fl, &start, &end);
	if (err != 0)
		return err;
	if (fl->type != F_RDLCK && fl->type != F_WRLCK && fl->type != F_UNLCK)
		return -KERN_EINVAL;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		struct vlock *l = fl->type == F_UNLCK
					  ? NULL
					  : lock_conflict(f->vnode, owner, 0,
							  fl->type, start, end);
		if (l == NULL) {
			fl->type = F_UNLCK;
			return 0;
		}
		fl->type = (short)l->type;
		fl->whence = 0;
		fl->start = l->start;
		fl->len = l->end == (long)LOCK_EOF ? 0 : l->end - l->start + 1;
		fl->pid = l->owner == LOCK_PROCESS ? 1 : -1;
		return 0;
	}
	int acc = f->flags & KERN_O_ACCMODE;
	if ((fl->type == F_RDLCK && acc == KERN_O_WRONLY) ||
	    (fl->type == F_WRLCK && acc == KERN_O_RDONLY))
		return -KERN_EBADF;
	return lock_set(f->vnode, owner, 0, fl->type, start, end,
			cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

void
vfs_lock_undo(struct kern_file *f, long cmd, const struct kern_flock *fl)
{
	struct kern_flock un = *fl;

	un.type = F_UNLCK;
	vfs_lock_fcntl(f, cmd == F_OFD_SETLKW ? F_OFD_SETLK : F_SETLK, &un);
}

long
vfs_flock(struct kern_file *f, long op)
{
	int type;

	if (f->vnode == NULL || (f->flags & KERN_O_PATH))
		return -KERN_EBADF;
	switch (op & ~LOCK_NB) {
	case LOCK_SH:
		type = F_RDLCK;
		break;
	case LOCK_EX:
		type = F_WRLCK;
		break;
	case LOCK_UN:
		type = F_UNLCK;
		break;
	default:
		return -KERN_EINVAL;
	}
	/* A conversion lets the old lock go first, as Linux's does. */
	if (type != F_UNLCK)
		lock_clear(f->vnode, f, 1, 0, (long)LOCK_EOF);
	return lock_set(f->vnode, f, 1, type, 0, (long)LOCK_EOF,
			!(op & LOCK_NB));
}

void
vfs_lock_closed(struct vnode *vp)
{
	if (vp->locks != NULL)
		lock_clear(vp, LOCK_PROCESS, 0, 0, (long)LOCK_EOF);
}

void
vfs_lock_file_gone(struct kern_file *f)
{
	if (f->vnode->locks != NULL) {
		lock_clear(f->vnode, f, 0, 0, (long)LOCK_EOF);
		lock_clear(f->vnode, f, 1, 0, (long)LOCK_EOF);
	}
}
