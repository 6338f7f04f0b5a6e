/*
 * vfs.h: the contract between the VFS (kern/vfs: mounts, path lookup,
 * open files, attributes) and the file systems (kern/fs: tmpfs; ext2
 * later), and what the syscall layer calls.
 *
 * A vnode is a file of a file system: its attributes live here, in the
 * vnode, and the VFS changes them (mode, owners, times); the file system
 * keeps the data and the directory entries. Everything runs with the CPU
 * held, which is the one lock. A vnode is counted (refs: open files, the
 * cwd, lookups in progress; a directory entry is the file system's own
 * affair, counted in nlink); when both reach 0 the file system reclaims
 * it. Errors are Linux errno values, returned negative as -errno.
 */
#ifndef RUMPXEN_KERN_VFS_H
#define RUMPXEN_KERN_VFS_H

#include "../sys/sys.h"

#define VFS_NAME_MAX 255
#define VFS_PATH_MAX 4096
#define VFS_LINK_MAX 40 /* symlinks followed in one lookup */

/* File types and mode bits, as Linux's. */
#define S_IFMT	   0170000
#define S_IFSOCK   0140000
#define S_IFLNK	   0120000
#define S_IFREG	   0100000
#define S_IFBLK	   0060000
#define S_IFDIR	   0040000
#define S_IFCHR	   0020000
#define S_IFIFO	   0010000
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_ISLNK(m) (((m)&S_IFMT) == S_IFLNK)

struct vnode;
struct mount;
struct vlock;
struct kern_flock;

/* vfs_dirent_fn: readdir's callback for one entry; nonzero stops it. */
typedef int vfs_dirent_fn(void *ctx, const char *name, size_t len,
			  unsigned long ino, unsigned type, long cookie);

/*
 * What a file system does. Names are not NUL-terminated (name, len) and
 * are never "." or ".." except for lookup. Returns 0 or -errno unless
 * said otherwise.
 */
struct vnode_ops {
	/* lookup: the entry name of dir, with a reference; -ENOENT. */
	int (*lookup)(struct vnode *dir, const char *name, size_t len,
		      struct vnode **out);
	/*
	 * create: a new entry name in dir (which has none) for a new vnode
	 * of mode (its type included) and rdev, with a reference.
	 */
	int (*create)(struct vnode *dir, const char *name, size_t len,
		      unsigned mode, unsigned long rdev, struct vnode **out);
	/* link: a new entry name in dir for vp (not a directory). */
	int (*link)(struct vnode *dir, const char *name, size_t len,
		    struct vnode *vp);
	/* remove: the entry name of dir, for vp (a directory: empty). */
	int (*remove)(struct vnode *dir, const char *name, size_t len,
		      struct vnode *vp);
	/*
	 * rename: the entry oname of odir (for vp) becomes nname of ndir,
	 * replacing target (checked by the VFS) if not NULL; with exchange,
	 * the two entries trade their vnodes.
	 */
	int (*rename)(struct vnode *odir, const char *oname, size_t olen,
		      struct vnode *vp, struct vnode *ndir, const char *nname,
		      size_t nlen, struct vnode *target, int exchange);
	/* read, write: at off; the count, or -errno. size grows by write. */
	long (*read)(struct vnode *vp, void *buf, size_t len, long off);
	long (*write)(struct vnode *vp, const void *buf, size_t len, long off);
	/* truncate: size becomes size (zeroes beyond the old end). */
	int (*truncate)(struct vnode *vp, long size);
	/* page: file page pg's memory (made if a hole), or NULL (no room). */
	void *(*page)(struct vnode *vp, unsigned long pg);
	/* allocate: len bytes at off get storage (ENOSPC); data stays. */
	int (*allocate)(struct vnode *vp, long off, long len);
	/* punch: len bytes at off (inside the file) read as zeros after. */
	int (*punch)(struct vnode *vp, long off, long len);
	/* seek_data: the next offset from off with data (hole: 0) or hole. */
	long (*seek_data)(struct vnode *vp, long off, int hole);
	/*
	 * readdir: calls fn for each entry after cookie (0: from the first,
	 * "." and ".." included), in a stable order, until fn says stop.
	 */
	int (*readdir)(struct vnode *dir, long cookie, vfs_dirent_fn *fn,
		       void *ctx);
	/* empty: 1 when the directory has no entry but . and .. */
	int (*empty)(struct vnode *dir);
	/* blocks: its data's size in 512-byte blocks. */
	long (*blocks)(struct vnode *vp);
	/* reclaim: refs and nlink are 0: free it. */
	void (*reclaim)(struct vnode *vp);
};

struct vnode {
	const struct vnode_ops *ops;
	struct mount *mount;   /* the file system it is of */
	struct mount *mounted; /* what is mounted on it, or NULL */
	int refs;
	unsigned mode; /* the type and the permission bits */
	unsigned uid, gid;
	unsigned long ino, nlink, rdev;
	long size;
	struct kern_timespec atime, mtime, ctime;
	struct vlock *locks;	 /* advisory locks (lock.c) */
	struct kern_waitq lockq; /* who waits for one */
	void *data;		 /* the file system's */
};

/* Linux's struct statfs (statfs, fstatfs). */
struct kern_statfs {
	long type, bsize, blocks, bfree, bavail, files, ffree;
	int fsid[2];
	long namelen, frsize, flags, spare[4];
};

/* A mounted file system. */
struct mount {
	struct vnode *root;
	struct vnode *covered; /* what it is mounted on; NULL for / */
	const char *fstype;
	unsigned long dev; /* st_dev of its files */
	long refs;	   /* references to its vnodes, all told */
	long (*statfs)(struct mount *mp, struct kern_statfs *st);
	struct mount *next;
	void *data;
};

/* vnode.c */

/* vnode_new: a vnode of mount mp, one reference, times now. */
struct vnode *vnode_new(struct mount *mp, const struct vnode_ops *ops,
			unsigned mode);
void vnode_ref(struct vnode *vp);
/* vnode_put: a reference less; the file system reclaims it at 0, 0. */
void vnode_put(struct vnode *vp);
/* vnode_now: the wall-clock time, for timestamps. */
struct kern_timespec vnode_now(void);
/* vnode_touch: sets the times flags says (VNODE_A, _M, _C) to now. */
void vnode_touch(struct vnode *vp, int flags);
#define VNODE_A 1
#define VNODE_M 2
#define VNODE_C 4
/*
 * vnode_accessed: vp was read: atime becomes now as Linux's relatime
 * has it (when atime is not after mtime or ctime, or is a day old).
 */
void vnode_accessed(struct vnode *vp);
/* vnode_stat: Linux's struct stat of vp. */
void vnode_stat(struct vnode *vp, struct kern_stat *st);

/* mount.c */

/* vfs_root: the root directory (no reference added). */
struct vnode *vfs_root(void);
/*
 * vfs_mount: a new file system of type fstype mounted on dir (NULL: as
 * the root). Returns 0 or -errno.
 */
int vfs_mount(struct vnode *dir, const char *fstype, const char *options);
/* vfs_init: tmpfs as the root, the configuration's mounts. 0 or -errno. */
int vfs_init(void);

/* cpio.c */

/*
 * vfs_cpio_unpack: the RAM disk's cpio archive, if it is one, into the
 * root. 0, or -EIO when the archive was damaged (reported).
 */
int vfs_cpio_unpack(void);

/* namei.c */

/* What vfs_lookup does with the last component. */
#define VFS_FOLLOW   1 /* follows a symlink there */
#define VFS_PARENT   2 /* wants its parent and name (it may not exist) */
#define VFS_EMPTY_OK 4 /* an empty path names the dirfd (AT_EMPTY_PATH) */
/* with VFS_PARENT: a last component too long is p->toolong, not an error */
#define VFS_LONG_LATER 8

struct vfs_path {
	struct vnode *dir;	     /* VFS_PARENT: the parent, referenced */
	struct vnode *vp;	     /* the file, referenced, or NULL */
	char name[VFS_NAME_MAX + 1]; /* VFS_PARENT: the last component */
	size_t len;
	int slash;   /* the path ended in a slash */
	int toolong; /* VFS_LONG_LATER: the last component is too long */
};

/*
 * vfs_lookup: path from dirfd (AT_FDCWD: the cwd). Without VFS_PARENT
 * p->vp is the file (-ENOENT if none). With it, p->dir and p->name name
 * the last component and p->vp is what is there now or NULL (or, for a
 * path of slashes only, p->vp is the root and p->dir NULL), and a
 * trailing slash after a file that is not a directory is the caller's to
 * judge (p->slash); without it, that is ENOTDIR. vfs_path_done drops the
 * references.
 */
int vfs_lookup(long dirfd, const char *path, int flags, struct vfs_path *p);
void vfs_path_done(struct vfs_path *p);
/* vfs_cwd: the cwd (no reference added); vfs_set_cwd takes one. */
struct vnode *vfs_cwd(void);
void vfs_set_cwd(struct vnode *vp);
/* vfs_umask: the umask, set to mask if set; the old one. */
unsigned vfs_umask(unsigned mask, int set);
/* vfs_ancestor: a is b or one of b's ancestors (for rename). */
int vfs_ancestor(struct vnode *a, struct vnode *b);
/* vfs_getcwd: the cwd's path into buf; its length with the NUL or -errno. */
long vfs_getcwd(char *buf, size_t size);

/* vfile.c */

/* vfs_open_vnode: an open file for vp (its reference taken over). */
long vfs_open_vnode(struct vnode *vp, int flags, struct kern_file **out);
/* vfs_file_vnode: the vnode fd names (no reference added), or -errno. */
long vfs_fd_vnode(long fd, struct vnode **out);

/* dev/dev.c */

/*
 * dev_open: f, an open file of device node vp, gets the device's
 * operations (and what it holds open). 0 or -errno (ENXIO: no such
 * device).
 */
long dev_open(struct vnode *vp, int flags, struct kern_file *f);
/* dev_init: devfs: a tmpfs at /dev with the devices' nodes. */
int dev_init(void);

/* lock.c */

/* vfs_lock_fcntl: fcntl's lock commands on f; fl is Linux's flock. */
long vfs_lock_fcntl(struct kern_file *f, long cmd, struct kern_flock *fl);
/* vfs_lock_undo: the lock a SETLKW fl took on f goes again. */
void vfs_lock_undo(struct kern_file *f, long cmd, const struct kern_flock *fl);
/* vfs_flock: flock(2) on f. */
long vfs_flock(struct kern_file *f, long op);
/* vfs_lock_closed: the process closed an fd of vp: its record locks go. */
void vfs_lock_closed(struct vnode *vp);
/* vfs_lock_file_gone: f's last fd closed: its OFD and flock locks go. */
void vfs_lock_file_gone(struct kern_file *f);

/* fs/tmpfs.c */

/* tmpfs_mount: a new tmpfs in mp; options "size=BYTES" (k, m, g). */
int tmpfs_mount(struct mount *mp, const char *options);
/* tmpfs_unmount: frees every file of mp, which nobody holds. */
void tmpfs_unmount(struct mount *mp);

#endif /* RUMPXEN_KERN_VFS_H */
