/*
 * Names in the tree: mkdirat, mknodat (regular files, device nodes,
 * FIFOs, sockets' names), unlinkat (and rmdir), renameat2 (with
 * RENAME_NOREPLACE and RENAME_EXCHANGE), linkat, symlinkat, readlinkat,
 * getdents64, and the cwd (getcwd, chdir, fchdir); the old calls without
 * "at" are these from AT_FDCWD. The checks and their errno values are
 * Linux's, in Linux's order where two could apply.
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "sys.h"

#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE	 2
#define RENAME_WHITEOUT	 4

/* fsdir_dot: the name is . or .. */
static int
fsdir_dot(const struct vfs_path *p)
{
	return (p->len == 1 && p->name[0] == '.') ||
	       (p->len == 2 && p->name[0] == '.' && p->name[1] == '.');
}

/* fsdir_new: where a new name goes: 0, or -errno (it exists...). */
static long
fsdir_new(const struct vfs_path *p)
{
	if (p->vp != NULL)
		return -KERN_EEXIST;
	if (p->dir->nlink == 0)
		return -KERN_ENOENT; /* a removed directory */
	return 0;
}

/*
 * fsdir_make: a new file of type (its mode's bits less the umask, rdev)
 * at path, where nothing is; the name space held.
 */
static long
fsdir_make(long dirfd, const char *path, unsigned type, unsigned mode,
	   unsigned long rdev)
{
	struct vfs_path p;
	long err = vfs_lookup(dirfd, path, VFS_PARENT, &p);

	if (err != 0)
		return err;
	err = fsdir_new(&p);
	if (err == 0)
		err = p.dir->ops->create(
			p.dir, p.name, p.len,
			type | (mode & 07777 & ~vfs_umask(0, 0)), rdev, &p.vp);
	vfs_path_done(&p);
	return err;
}

/* fsdir_mkdir: a directory made with the name space held (vfs_ns_enter). */
static long
fsdir_mkdir(long dirfd, const char *path, unsigned mode)
{
	vfs_ns_enter();
	long r = fsdir_make(dirfd, path, S_IFDIR, mode, 0);
	vfs_ns_leave();
	return r;
}

long
sys_mkdirat(const long a[6])
{
	return fsdir_mkdir(a[0], (const char *)a[1], (unsigned)a[2]);
}

long
sys_mkdir(const long a[6])
{
	return fsdir_mkdir(AT_FDCWD, (const char *)a[0], (unsigned)a[1]);
}

/*
 * fsdir_mknod_held: mknodat's work, as Linux's: a regular file (type
 * S_IFREG or 0), a device node of dev (root may make one), a FIFO or a
 * socket's name; a directory is EPERM, another type EINVAL.
 */
static long
fsdir_mknod_held(long dirfd, const char *path, unsigned mode, unsigned dev)
{
	unsigned type = mode & S_IFMT;

	if (type == S_IFDIR)
		return -KERN_EPERM;
	if (type == 0)
		type = S_IFREG;
	if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK &&
	    type != S_IFIFO && type != S_IFSOCK)
		return -KERN_EINVAL;
	return fsdir_make(dirfd, path, type, mode,
			  type == S_IFCHR || type == S_IFBLK ? dev : 0);
}

long
sys_mknodat(const long a[6])
{
	vfs_ns_enter();
	long r = fsdir_mknod_held(a[0], (const char *)a[1], (unsigned)a[2],
				  (unsigned)a[3]);
	vfs_ns_leave();
	return r;
}

long
sys_mknod(const long a[6])
{
	const long b[6] = {AT_FDCWD, a[0], a[1], a[2]};

	return sys_mknodat(b);
}

/* fsdir_mountpoint: vp is the root of a mount (or of everything). */
static int
fsdir_mountpoint(const struct vnode *vp)
{
	return vp == vp->mount->root;
}

static long
fsdir_unlink_held(long dirfd, const char *path, long flags)
{
	struct vfs_path p;
	long err;

	if (flags & ~AT_REMOVEDIR)
		return -KERN_EINVAL;
	err = vfs_lookup(dirfd, path, VFS_PARENT, &p);
	if (err != 0)
		return err;
	if (flags & AT_REMOVEDIR) {
		if (p.dir == NULL)
			err = -KERN_EBUSY; /* "/" */
		else if (p.len == 1 && p.name[0] == '.')
			err = -KERN_EINVAL;
		else if (p.len == 2 && p.name[0] == '.' && p.name[1] == '.')
			err = -KERN_ENOTEMPTY;
		else if (p.vp == NULL)
			err = -KERN_ENOENT;
		else if (!S_ISDIR(p.vp->mode))
			err = -KERN_ENOTDIR;
		else if (fsdir_mountpoint(p.vp))
			err = -KERN_EBUSY;
		else if (!p.vp->ops->empty(p.vp))
			err = -KERN_ENOTEMPTY;
	} else {
		if (p.vp == NULL)
			err = -KERN_ENOENT;
		else if (S_ISDIR(p.vp->mode))
			err = -KERN_EISDIR;
		else if (p.slash)
			err = -KERN_ENOTDIR;
	}
	if (err == 0)
		err = p.dir->ops->remove(p.dir, p.name, p.len, p.vp);
	vfs_path_done(&p);
	return err;
}

/* fsdir_unlink: fsdir_unlink_held with the name space held (vfs_ns_enter). */
static long
fsdir_unlink(long dirfd, const char *path, long flags)
{
	vfs_ns_enter();
	long r = fsdir_unlink_held(dirfd, path, flags);
	vfs_ns_leave();
	return r;
}

long
sys_unlinkat(const long a[6])
{
	return fsdir_unlink(a[0], (const char *)a[1], a[2]);
}

long
sys_unlink(const long a[6])
{
	return fsdir_unlink(AT_FDCWD, (const char *)a[0], 0);
}

long
sys_rmdir(const long a[6])
{
	return fsdir_unlink(AT_FDCWD, (const char *)a[0], AT_REMOVEDIR);
}

/*
 * fsdir_rename_check: what forbids this rename, in the order Linux's
 * do_renameat2 and vfs_rename look; 0 if nothing.
 */
static long
fsdir_rename_check(struct vfs_path *o, struct vfs_path *n, long flags)
{
	int exchange = (flags & RENAME_EXCHANGE) != 0;

	if (o->dir != NULL && n->dir != NULL && o->dir->mount != n->dir->mount)
		return -KERN_EXDEV;
	if (o->dir == NULL || fsdir_dot(o))
		return -KERN_EBUSY;
	if (n->dir == NULL || fsdir_dot(n))
		return flags & RENAME_NOREPLACE ? -KERN_EEXIST : -KERN_EBUSY;
	/* ENAMETOOLONG as each name is looked up: the old, then the new. */
	if (o->toolong)
		return -KERN_ENAMETOOLONG;
	if (o->vp == NULL)
		return -KERN_ENOENT;
	if (n->toolong)
		return -KERN_ENAMETOOLONG;
	if ((flags & RENAME_NOREPLACE) && n->vp != NULL)
		return -KERN_EEXIST;
	if (exchange) {
		if (n->vp == NULL)
			return -KERN_ENOENT;
		if (!S_ISDIR(n->vp->mode) && n->slash)
			return -KERN_ENOTDIR;
	}
	if (!S_ISDIR(o->vp->mode) && (o->slash || (!exchange && n->slash)))
		return -KERN_ENOTDIR;
	/* A directory cannot go under itself, nor be replaced by a parent. */
	if (S_ISDIR(o->vp->mode) && vfs_ancestor(o->vp, n->dir))
		return -KERN_EINVAL;
	if (n->vp != NULL && S_ISDIR(n->vp->mode) &&
	    vfs_ancestor(n->vp, o->dir))
		return exchange ? -KERN_EINVAL : -KERN_ENOTEMPTY;
	if (o->vp == n->vp)
		return 0; /* two names of one file: nothing to do */
	if (n->vp != NULL && !exchange) {
		if (S_ISDIR(o->vp->mode) && !S_ISDIR(n->vp->mode))
			return -KERN_ENOTDIR;
		if (!S_ISDIR(o->vp->mode) && S_ISDIR(n->vp->mode))
			return -KERN_EISDIR;
	}
	if (fsdir_mountpoint(o->vp) ||
	    (n->vp != NULL && fsdir_mountpoint(n->vp)))
		return -KERN_EBUSY;
	if (n->vp != NULL && !exchange && S_ISDIR(n->vp->mode) &&
	    !n->vp->ops->empty(n->vp))
		return -KERN_ENOTEMPTY;
	return 0;
}

static long
fsdir_rename_held(long ofd, const char *opath, long nfd, const char *npath,
		  long flags)
{
	struct vfs_path o, n;
	long err;

	if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) != 0 ||
	    (flags & (RENAME_NOREPLACE | RENAME_EXCHANGE)) ==
		    (RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -KERN_EINVAL;
	err = vfs_lookup(ofd, opath, VFS_PARENT | VFS_LONG_LATER, &o);
	if (err != 0)
		return err;
	err = vfs_lookup(nfd, npath, VFS_PARENT | VFS_LONG_LATER, &n);
	if (err != 0) {
		vfs_path_done(&o);
		return err;
	}
	err = fsdir_rename_check(&o, &n, flags);
	if (err == 0 && o.vp != n.vp)
		err = o.dir->ops->rename(o.dir, o.name, o.len, o.vp, n.dir,
					 n.name, n.len, n.vp,
					 (flags & RENAME_EXCHANGE) != 0);
	vfs_path_done(&o);
	vfs_path_done(&n);
	return err;
}

/* fsdir_rename: fsdir_rename_held with the name space held (vfs_ns_enter). */
static long
fsdir_rename(long ofd, const char *opath, long nfd, const char *npath,
	     long flags)
{
	vfs_ns_enter();
	long r = fsdir_rename_held(ofd, opath, nfd, npath, flags);
	vfs_ns_leave();
	return r;
}

long
sys_renameat2(const long a[6])
{
	return fsdir_rename(a[0], (const char *)a[1], a[2], (const char *)a[3],
			    a[4]);
}

long
sys_renameat(const long a[6])
{
	return fsdir_rename(a[0], (const char *)a[1], a[2], (const char *)a[3],
			    0);
}

long
sys_rename(const long a[6])
{
	return fsdir_rename(AT_FDCWD, (const char *)a[0], AT_FDCWD,
			    (const char *)a[1], 0);
}

static long
fsdir_link_held(long ofd, const char *opath, long nfd, const char *npath,
		long flags)
{
	struct vfs_path o, n;
	long err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -KERN_EINVAL;
	err = vfs_lookup(ofd, opath,
			 (flags & AT_SYMLINK_FOLLOW ? VFS_FOLLOW : 0) |
				 (flags & AT_EMPTY_PATH ? VFS_EMPTY_OK : 0),
			 &o);
	if (err != 0)
		return err;
	err = vfs_lookup(nfd, npath, VFS_PARENT, &n);
	if (err != 0) {
		vfs_path_done(&o);
		return err;
	}
	if (n.dir == NULL || n.vp != NULL)
		err = -KERN_EEXIST;
	else if (n.slash)
		err = -KERN_ENOENT;
	else if (o.vp->mount != n.dir->mount)
		err = -KERN_EXDEV;
	else if (S_ISDIR(o.vp->mode))
		err = -KERN_EPERM;
	else if (o.vp->nlink == 0 || n.dir->nlink == 0)
		err = -KERN_ENOENT;
	else
		err = n.dir->ops->link(n.dir, n.name, n.len, o.vp);
	vfs_path_done(&o);
	vfs_path_done(&n);
	return err;
}

/* fsdir_link: fsdir_link_held with the name space held (vfs_ns_enter). */
static long
fsdir_link(long ofd, const char *opath, long nfd, const char *npath, long flags)
{
	vfs_ns_enter();
	long r = fsdir_link_held(ofd, opath, nfd, npath, flags);
	vfs_ns_leave();
	return r;
}

long
sys_linkat(const long a[6])
{
	return fsdir_link(a[0], (const char *)a[1], a[2], (const char *)a[3],
			  a[4]);
}

long
sys_link(const long a[6])
{
	return fsdir_link(AT_FDCWD, (const char *)a[0], AT_FDCWD,
			  (const char *)a[1], 0);
}

static long
fsdir_symlink_held(const char *target, long dirfd, const char *path)
{
	struct vfs_path p;
	size_t tlen = strnlen(target, VFS_PATH_MAX);
	long err;

	if (tlen == 0)
		return -KERN_ENOENT;
	if (tlen >= VFS_PATH_MAX)
		return -KERN_ENAMETOOLONG;
	err = vfs_lookup(dirfd, path, VFS_PARENT, &p);
	if (err != 0)
		return err;
	err = fsdir_new(&p);
	if (err == 0 && p.slash)
		err = -KERN_ENOENT; /* a name for a directory, not a link */
	if (err == 0)
		err = p.dir->ops->create(p.dir, p.name, p.len, S_IFLNK | 0777,
					 0, &p.vp);
	if (err == 0) {
		long w = p.vp->ops->write(p.vp, target, tlen, 0);
		if (w != (long)tlen) {
			p.dir->ops->remove(p.dir, p.name, p.len, p.vp);
			err = w < 0 ? w : -KERN_ENOSPC;
		}
	}
	vfs_path_done(&p);
	return err;
}

/* fsdir_symlink: fsdir_symlink_held with the name space held (vfs_ns_enter). */
static long
fsdir_symlink(const char *target, long dirfd, const char *path)
{
	vfs_ns_enter();
	long r = fsdir_symlink_held(target, dirfd, path);
	vfs_ns_leave();
	return r;
}

long
sys_symlinkat(const long a[6])
{
	return fsdir_symlink((const char *)a[0], a[1], (const char *)a[2]);
}

long
sys_symlink(const long a[6])
{
	return fsdir_symlink((const char *)a[0], AT_FDCWD, (const char *)a[1]);
}

static long
fsdir_readlink(long dirfd, const char *path, char *buf, long size)
{
	struct vfs_path p;
	long err;

	if (size <= 0)
		return -KERN_EINVAL;
	err = vfs_lookup(dirfd, path, VFS_EMPTY_OK, &p);
	if (err != 0)
		return err;
	if (!S_ISLNK(p.vp->mode)) {
		err = path[0] == '\0' ? -KERN_ENOENT : -KERN_EINVAL;
	} else {
		err = p.vp->ops->read(
			p.vp, buf,
			(size_t)(size < p.vp->size ? size : p.vp->size), 0);
		if (err >= 0)
			vnode_accessed(p.vp);
	}
	vfs_path_done(&p);
	return err;
}

long
sys_readlinkat(const long a[6])
{
	return fsdir_readlink(a[0], (const char *)a[1], (char *)a[2], a[3]);
}

long
sys_readlink(const long a[6])
{
	return fsdir_readlink(AT_FDCWD, (const char *)a[0], (char *)a[1], a[2]);
}

/* Linux's struct linux_dirent64, with the name after it. */
struct kern_dirent64 {
	uint64_t ino;
	int64_t off;
	uint16_t reclen;
	uint8_t type;
	char name[];
} __attribute__((packed));

/* Where getdents64 puts what readdir gives it. */
struct fsdir_fill {
	char *buf;
	size_t size, used;
	long cookie; /* the last entry's that fitted */
};

static int
fsdir_fill_one(void *ctx, const char *name, size_t len, unsigned long ino,
	       unsigned type, long cookie)
{
	struct fsdir_fill *fill = ctx;
	size_t reclen = (sizeof(struct kern_dirent64) + len + 1 + 7) & ~7ul;
	struct kern_dirent64 *d;

	if (fill->used + reclen > fill->size)
		return 1;
	d = (struct kern_dirent64 *)(fill->buf + fill->used);
	memset(d, 0, reclen);
	d->ino = ino;
	d->off = cookie;
	d->reclen = (uint16_t)reclen;
	d->type = (uint8_t)type;
	memcpy(d->name, name, len);
	fill->used += reclen;
	fill->cookie = cookie;
	return 0;
}

long
sys_getdents64(const long a[6])
{
	struct kern_file *f = kern_fd_file(a[0]);
	struct fsdir_fill fill = {(char *)a[1], (size_t)a[2], 0, 0};

	if (f == NULL || (f->flags & KERN_O_PATH))
		return -KERN_EBADF;
	if (f->vnode == NULL || !S_ISDIR(f->vnode->mode))
		return -KERN_ENOTDIR;
	if (f->vnode->nlink == 0)
		return -KERN_ENOENT;
	fill.cookie = f->offset;
	long err = f->vnode->ops->readdir(f->vnode, f->offset, fsdir_fill_one,
					  &fill);
	if (err != 0 && fill.used == 0)
		return err;
	vnode_accessed(f->vnode);
	if (fill.used == 0) {
		/* Nothing fitted: the end, or a buffer too small (EINVAL)? */
		char one[sizeof(struct kern_dirent64) + VFS_NAME_MAX + 8];
		struct fsdir_fill probe = {one, sizeof(one), 0, 0};
		f->vnode->ops->readdir(f->vnode, f->offset, fsdir_fill_one,
				       &probe);
		if (probe.used != 0)
			return -KERN_EINVAL;
	}
	f->offset = fill.cookie;
	return (long)fill.used;
}

long
sys_getcwd(const long a[6])
{
	return vfs_getcwd((char *)a[0], (size_t)a[1]);
}

/* fsdir_cd: the cwd becomes vp, a directory. */
static long
fsdir_cd(struct vnode *vp)
{
	if (!S_ISDIR(vp->mode))
		return -KERN_ENOTDIR;
	vfs_set_cwd(vp);
	return 0;
}

long
sys_chdir(const long a[6])
{
	struct vfs_path p;
	long err = vfs_lookup(AT_FDCWD, (const char *)a[0], VFS_FOLLOW, &p);

	if (err != 0)
		return err;
	err = fsdir_cd(p.vp);
	vfs_path_done(&p);
	return err;
}

long
sys_fchdir(const long a[6])
{
	struct vnode *vp;
	long err = vfs_fd_vnode(a[0], &vp);

	return err != 0 ? err : fsdir_cd(vp);
}
