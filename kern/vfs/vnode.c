/*
 * Vnodes: their making, counting and timestamps, and what stat reports
 * of them. A vnode goes back to its file system when it has neither
 * references nor links.
 */
#include <string.h>

#include "vnode.h"

#define DAY 86400l

struct kern_timespec
vnode_now(void)
{
	int64_t sec;
	long nsec;

	rumpuser_clock_gettime(RUMPUSER_CLOCK_RELWALL, &sec, &nsec);
	return (struct kern_timespec){(long)sec, nsec};
}

struct vnode *
vnode_new(struct mount *mp, const struct vnode_ops *ops, unsigned mode)
{
	static unsigned long last_ino = 1;
	struct vnode *vp;
	void *p;

	if (rumpuser_malloc(sizeof(*vp), 0, &p) != 0)
		return NULL;
	vp = p;
	memset(vp, 0, sizeof(*vp));
	vp->ops = ops;
	vp->mount = mp;
	vp->refs = 1;
	mp->refs++;
	vp->mode = mode;
	vp->ino = ++last_ino;
	vp->atime = vp->mtime = vp->ctime = vnode_now();
	return vp;
}

void
vnode_ref(struct vnode *vp)
{
	vp->refs++;
	vp->mount->refs++;
}

void
vnode_put(struct vnode *vp)
{
	vp->mount->refs--;
	if (--vp->refs != 0)
		return;
	if (vp->nlink == 0)
		vp->ops->reclaim(vp);
	else if (vp->ops->inactive != NULL)
		vp->ops->inactive(vp);
}

void
vnode_touch(struct vnode *vp, int flags)
{
	struct kern_timespec now = vnode_now();

	if (flags & VNODE_A)
		vp->atime = now;
	if (flags & VNODE_M)
		vp->mtime = now;
	if (flags & VNODE_C)
		vp->ctime = now;
}

void
vnode_unlinked(struct vnode *dir, struct vnode *vp)
{
	if (S_ISDIR(vp->mode)) {
		vp->nlink = 0;
		dir->nlink--; /* its ".." named dir */
	} else {
		vp->nlink--;
	}
	vnode_touch(vp, VNODE_C);
}

void
vnode_accessed(struct vnode *vp)
{
	struct kern_timespec now = vnode_now();
	struct kern_timespec a = vp->atime;

	if (vp->mount->rdonly)
		return;
	if (a.sec < vp->mtime.sec ||
	    (a.sec == vp->mtime.sec && a.nsec <= vp->mtime.nsec) ||
	    a.sec < vp->ctime.sec ||
	    (a.sec == vp->ctime.sec && a.nsec <= vp->ctime.nsec) ||
	    now.sec - a.sec >= DAY)
		vp->atime = now;
}

void
vnode_stat(struct vnode *vp, struct kern_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = vp->mount->dev;
	st->ino = vp->ino;
	st->nlink = vp->nlink;
	st->mode = vp->mode;
	st->uid = vp->uid;
	st->gid = vp->gid;
	st->rdev = vp->rdev;
	/* A device's size is its own affair (BLKGETSIZE64), not stat's. */
	st->size = (vp->mode & S_IFMT) == S_IFBLK ? 0 : vp->size;
	st->blksize = PLATFORM_PAGE_SIZE;
	st->blocks = vp->ops->blocks(vp);
	st->atime = (unsigned long)vp->atime.sec;
	st->atime_ns = (unsigned long)vp->atime.nsec;
	st->mtime = (unsigned long)vp->mtime.sec;
	st->mtime_ns = (unsigned long)vp->mtime.nsec;
	st->ctime = (unsigned long)vp->ctime.sec;
	st->ctime_ns = (unsigned long)vp->ctime.nsec;
}
