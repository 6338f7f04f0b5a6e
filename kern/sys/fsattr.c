/*
 * Attributes: stat (newfstatat, stat, lstat, and statx), statfs and
 * fstatfs, modes (fchmodat...), owners (fchownat...), times (utimensat),
 * access checks (faccessat, faccessat2, access), and umask.
 *
 * The process is root, so access checks follow root's rules, as on
 * Linux: reading and writing are allowed, executing needs an x bit for a
 * file (a directory may always be searched). chown of a regular file
 * clears its set-user-ID bit, and set-group-ID with group execute, as
 * Linux does even for root. A change of mode, owner or times sets ctime.
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "sys.h"

#define AT_STATX_MASK	  0x6000
#define X_OK		  1
#define STATX_BASIC_STATS 0x7ff

/*
 * attr_lookup: the vnode path names from dirfd (flags: AT_*), with a
 * reference in p.
 */
static long
attr_lookup(long dirfd, const char *path, long flags, struct vfs_path *p)
{
	return vfs_lookup(dirfd, path,
			  (flags & AT_SYMLINK_NOFOLLOW ? 0 : VFS_FOLLOW) |
				  (flags & AT_EMPTY_PATH ? VFS_EMPTY_OK : 0),
			  p);
}

/* attr_stat: struct stat of what path names (or fd's file, if empty). */
static long
attr_stat(long dirfd, const char *path, long flags, struct kern_stat *st)
{
	struct vfs_path p;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
		      AT_STATX_MASK))
		return -KERN_EINVAL;
	if ((flags & AT_EMPTY_PATH) && path[0] == '\0') {
		/* Any fd: the console's too. */
		struct kern_file *f = kern_fd_file(dirfd);
		if (dirfd == AT_FDCWD) {
			vnode_stat(vfs_cwd(), st);
			return 0;
		}
		if (f == NULL)
			return -KERN_EBADF;
		return f->ops->fstat(f, st);
	}
	err = attr_lookup(dirfd, path, flags, &p);
	if (err != 0)
		return err;
	vnode_stat(p.vp, st);
	vfs_path_done(&p);
	return 0;
}

long
sys_newfstatat(const long a[6])
{
	return attr_stat(a[0], (const char *)a[1], a[3],
			 (struct kern_stat *)a[2]);
}

long
sys_stat(const long a[6])
{
	return attr_stat(AT_FDCWD, (const char *)a[0], 0,
			 (struct kern_stat *)a[1]);
}

long
sys_lstat(const long a[6])
{
	return attr_stat(AT_FDCWD, (const char *)a[0], AT_SYMLINK_NOFOLLOW,
			 (struct kern_stat *)a[1]);
}

/* Linux's struct statx (256 bytes). */
struct kern_statx_time {
	int64_t sec;
	uint32_t nsec;
	int32_t pad;
};
struct kern_statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad0;
	uint64_t ino, size, blocks, attributes_mask;
	struct kern_statx_time atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};

static unsigned
attr_major(unsigned long dev)
{
	return (unsigned)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffu));
}

static unsigned
attr_minor(unsigned long dev)
{
	return (unsigned)((dev & 0xff) | ((dev >> 12) & ~0xffu));
}

long
sys_statx(const long a[6])
{
	struct kern_statx *sx = (struct kern_statx *)a[4];
	struct kern_stat st;
	long err;

	if ((unsigned long)a[3] & 0x80000000u)
		return -KERN_EINVAL; /* STATX__RESERVED */
	err = attr_stat(a[0], (const char *)a[1], a[2], &st);
	if (err != 0)
		return err;
	memset(sx, 0, sizeof(*sx));
	sx->mask = STATX_BASIC_STATS;
	sx->blksize = (uint32_t)st.blksize;
	sx->nlink = (uint32_t)st.nlink;
	sx->uid = st.uid;
	sx->gid = st.gid;
	sx->mode = (uint16_t)st.mode;
	sx->ino = st.ino;
	sx->size = (uint64_t)st.size;
	sx->blocks = (uint64_t)st.blocks;
	sx->atime = (struct kern_statx_time){(int64_t)st.atime,
					     (uint32_t)st.atime_ns, 0};
	sx->mtime = (struct kern_statx_time){(int64_t)st.mtime,
					     (uint32_t)st.mtime_ns, 0};
	sx->ctime = (struct kern_statx_time){(int64_t)st.ctime,
					     (uint32_t)st.ctime_ns, 0};
	sx->rdev_major = attr_major(st.rdev);
	sx->rdev_minor = attr_minor(st.rdev);
	sx->dev_major = attr_major(st.dev);
	sx->dev_minor = attr_minor(st.dev);
	return 0;
}

long
sys_statfs(const long a[6])
{
	struct vfs_path p;
	long err = vfs_lookup(AT_FDCWD, (const char *)a[0], VFS_FOLLOW, &p);

	if (err != 0)
		return err;
	err = p.vp->mount->statfs(p.vp->mount, (struct kern_statfs *)a[1]);
	vfs_path_done(&p);
	return err;
}

long
sys_fstatfs(const long a[6])
{
	struct kern_file *f = kern_fd_file(a[0]);

	if (f == NULL)
		return -KERN_EBADF;
	if (f->vnode == NULL)
		return -KERN_ENOSYS; /* not a file system's */
	return f->vnode->mount->statfs(f->vnode->mount,
				       (struct kern_statfs *)a[1]);
}

/* attr_fd_vnode: fd's vnode (an O_PATH fd too), or -EBADF. */
static long
attr_fd_vnode(long fd, struct vnode **out)
{
	long err = vfs_fd_vnode(fd, out);

	/* -ENOTDIR: a file with no vnode (the console's). */
	return err == -KERN_ENOTDIR ? -KERN_EBADF : err;
}

static long
attr_chmod(struct vnode *vp, unsigned mode)
{
	if (vp->mount->rdonly)
		return -KERN_EROFS;
	vp->mode = (vp->mode & S_IFMT) | (mode & 07777);
	vnode_touch(vp, VNODE_C);
	return 0;
}

long
sys_fchmodat(const long a[6])
{
	struct vfs_path p;
	long err = vfs_lookup(a[0], (const char *)a[1], VFS_FOLLOW, &p);

	if (err != 0)
		return err;
	err = attr_chmod(p.vp, (unsigned)a[2]);
	vfs_path_done(&p);
	return err;
}

long
sys_chmod(const long a[6])
{
	const long b[6] = {AT_FDCWD, a[0], a[1]};

	return sys_fchmodat(b);
}

long
sys_fchmod(const long a[6])
{
	struct vnode *vp;
	long err = attr_fd_vnode(a[0], &vp);

	if (err != 0)
		return err;
	return attr_chmod(vp, (unsigned)a[1]);
}

static long
attr_chown(struct vnode *vp, long uid, long gid)
{
	if (vp->mount->rdonly)
		return -KERN_EROFS;
	if ((unsigned)uid != ~0u)
		vp->uid = (unsigned)uid;
	if ((unsigned)gid != ~0u)
		vp->gid = (unsigned)gid;
	if (S_ISREG(vp->mode) &&
	    ((unsigned)uid != ~0u || (unsigned)gid != ~0u)) {
		vp->mode &= ~04000u;
		if (vp->mode & 010)
			vp->mode &= ~02000u;
	}
	vnode_touch(vp, VNODE_C);
	return 0;
}

long
sys_fchownat(const long a[6])
{
	struct vfs_path p;
	long err;

	if (a[4] & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -KERN_EINVAL;
	err = attr_lookup(a[0], (const char *)a[1], a[4], &p);
	if (err != 0)
		return err;
	err = attr_chown(p.vp, a[2], a[3]);
	vfs_path_done(&p);
	return err;
}

long
sys_chown(const long a[6])
{
	const long b[6] = {AT_FDCWD, a[0], a[1], a[2], 0};

	return sys_fchownat(b);
}

long
sys_lchown(const long a[6])
{
	const long b[6] = {AT_FDCWD, a[0], a[1], a[2], AT_SYMLINK_NOFOLLOW};

	return sys_fchownat(b);
}

long
sys_fchown(const long a[6])
{
	struct vnode *vp;
	long err = attr_fd_vnode(a[0], &vp);

	if (err != 0)
		return err;
	return attr_chown(vp, a[1], a[2]);
}

/* attr_time: one of utimensat's times: now, kept (0) or given (1). */
static int
attr_time(const struct kern_timespec *ts, struct kern_timespec *out)
{
	if (ts == NULL || ts->nsec == UTIME_NOW) {
		*out = vnode_now();
		return 1;
	}
	if (ts->nsec == UTIME_OMIT)
		return 0;
	*out = *ts;
	return 1;
}

long
sys_utimensat(const long a[6])
{
	const struct kern_timespec *ts = (const void *)a[2];
	struct kern_timespec at, mt;
	struct vfs_path p = {.vp = NULL};
	struct vnode *vp;
	long err;

	/* Nothing to do: Linux does not even look the path up. */
	if (ts != NULL && ts[0].nsec == UTIME_OMIT && ts[1].nsec == UTIME_OMIT)
		return 0;
	if (a[3] & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -KERN_EINVAL;
	if (a[1] == 0) {
		/* futimens: the fd's file itself. */
		err = attr_fd_vnode(a[0], &vp);
	} else {
		err = attr_lookup(a[0], (const char *)a[1], a[3], &p);
		vp = p.vp;
	}
	if (err != 0)
		return err;
	for (int i = 0; ts != NULL && i < 2; i++) {
		if (!kern_timespec_nsec_ok(&ts[i]) && ts[i].nsec != UTIME_NOW &&
		    ts[i].nsec != UTIME_OMIT) {
			if (p.vp != NULL)
				vfs_path_done(&p);
			return -KERN_EINVAL;
		}
	}
	if (vp->mount->rdonly) {
		if (p.vp != NULL)
			vfs_path_done(&p);
		return -KERN_EROFS;
	}
	int set_a = attr_time(ts != NULL ? &ts[0] : NULL, &at);
	int set_m = attr_time(ts != NULL ? &ts[1] : NULL, &mt);
	if (set_a)
		vp->atime = at;
	if (set_m)
		vp->mtime = mt;
	if (set_a || set_m)
		vnode_touch(vp, VNODE_C);
	if (p.vp != NULL)
		vfs_path_done(&p);
	return 0;
}

static long
attr_access(long dirfd, const char *path, long mode, long flags)
{
	struct vfs_path p;
	long err;

	if (mode & ~7l)
		return -KERN_EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH))
		return -KERN_EINVAL;
	err = attr_lookup(dirfd, path, flags, &p);
	if (err != 0)
		return err;
	if ((mode & X_OK) && !S_ISDIR(p.vp->mode) && !(p.vp->mode & 0111))
		err = -KERN_EACCES;
	vfs_path_done(&p);
	return err;
}

long
sys_faccessat(const long a[6])
{
	return attr_access(a[0], (const char *)a[1], a[2], 0);
}

long
sys_faccessat2(const long a[6])
{
	return attr_access(a[0], (const char *)a[1], a[2], a[3]);
}

long
sys_access(const long a[6])
{
	return attr_access(AT_FDCWD, (const char *)a[0], a[1], 0);
}

long
sys_umask(const long a[6])
{
	return vfs_umask((unsigned)a[0], 1);
}
