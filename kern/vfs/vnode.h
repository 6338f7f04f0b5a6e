/*
 * vnode.h: the contract between the VFS (kern/vfs) and the file systems
 * (kern/fs: tmpfs; ext2 later): vnodes, mounts, and what a file system
 * does. A file system sees this, the core (kern.h) and the Linux ABI,
 * and nothing of open files, fds or system calls.
 *
 * A vnode is a file of a file system: its attributes live here, in the
 * vnode, and the VFS changes them (mode, owners, times); the file system
 * keeps the data and the directory entries. Everything runs with the CPU
 * held, which is the one lock. A vnode is counted (refs: open files, the
 * cwd, lookups in progress; a directory entry is the file system's own
 * affair, counted in nlink); when both reach 0 the file system reclaims
 * it. Errors are -errno (kern.h).
 */
#ifndef RUMPXEN_KERN_VNODE_H
#define RUMPXEN_KERN_VNODE_H

#include "../abi.h"
#include "../kern.h"

#define VFS_NAME_MAX 255
#define VFS_PATH_MAX 4096
#define VFS_LINK_MAX 40 /* symlinks followed in one lookup */

struct vnode;
struct mount;
struct vlock;

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
	/*
	 * read, write: at off; the count, or -errno. size grows by write.
	 * A write at off -1 is at the end (O_APPEND), which the file system
	 * reads when it writes (a disk file system may have waited).
	 */
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
	/*
	 * inactive: refs reached 0 while links remain; the file system may
	 * let the vnode go (it makes it again at the next lookup). NULL: it
	 * stays (tmpfs: the vnode is the file).
	 */
	void (*inactive)(struct vnode *vp);
	/*
	 * fsync: vp's data and, unless datasync, its attributes are on the
	 * disk, its cache flushed. NULL: nothing to do (memory is all).
	 */
	int (*fsync)(struct vnode *vp, int datasync);
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

/* A mounted file system. */
struct mount {
	struct vnode *root;
	struct vnode *covered; /* what it is mounted on; NULL for / */
	const char *fstype;
	char source[64];   /* what it was mounted from (/proc/mounts) */
	unsigned long dev; /* st_dev of its files */
	long refs;	   /* references to its vnodes, all told */
	int rdonly;	   /* mounted read-only: changes are EROFS */
	long (*statfs)(struct mount *mp, struct kern_statfs *st);
	/*
	 * sync: what is dirty goes to the disk, flushed; with clean, the
	 * system is going down and the file system is marked clean too.
	 * NULL: nothing to do.
	 */
	int (*sync)(struct mount *mp, int clean);
	/*
	 * unmount: mp, whose vnodes nobody holds but the mount itself (its
	 * root), is synced and freed (an error from the sync is returned,
	 * the mount freed all the same); -EBUSY, and nothing done, if the
	 * file system finds a vnode still busy.
	 */
	int (*unmount)(struct mount *mp);
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
 * vnode_unlinked: a file system took vp's entry out of dir: its links
 * (a directory's all, and one of dir's) and its ctime as Linux has them.
 */
void vnode_unlinked(struct vnode *dir, struct vnode *vp);
/*
 * vnode_accessed: vp was read: atime becomes now as Linux's relatime
 * has it (when atime is not after mtime or ctime, or is a day old),
 * unless its mount is read-only.
 */
void vnode_accessed(struct vnode *vp);
/* vnode_stat: Linux's struct stat of vp. */
void vnode_stat(struct vnode *vp, struct kern_stat *st);

/* fs/tmpfs.c */

/*
 * tmpfs_mount: a new tmpfs in mp; options "size=BYTES" (k, m, g). The
 * file systems' mount functions fill in mp (root, statfs, unmount...).
 */
int tmpfs_mount(struct mount *mp, const char *options);

/* fs/ext2.c */

/*
 * ext2_mount: the ext2 file system on block device dev (a rumpuser name,
 * e.g. /dev/xvdb) in mp, read-only if mp->rdonly. Options: none yet but
 * "ro" and "rw", which the VFS takes. Errors are logged with dev's name.
 */
int ext2_mount(struct mount *mp, const char *dev, const char *options);

/*
 * fs/pseudo.c: pseudo file systems (proc, sysfs), whose files are
 * written when read from the kernel's state, by the layer above that
 * registers each type's tree: a tree of entries, each a directory, a
 * regular file or a symlink.
 */
struct pseudo_buf;
/* pseudo_write, pseudo_printf: a show's bytes (ENOMEM is remembered). */
void pseudo_write(struct pseudo_buf *b, const void *p, size_t len);
void pseudo_printf(struct pseudo_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct pseudo_entry {
	const char *name; /* NULL ends a table */
	unsigned mode;	  /* S_IFDIR, S_IFREG or S_IFLNK, and permissions */
	/*
	 * show: a file's bytes or a link's target for arg (the entry's
	 * number, or its directory's) into b. 0, or -errno (-ENOENT: it is
	 * not there after all).
	 */
	int (*show)(struct pseudo_buf *b, long arg);
	/* A directory: its fixed entries, a table... */
	const struct pseudo_entry *entries;
	/*
	 * ...then numbered ones, named in decimal, each an entry numbered
	 * of its own number: next is the first number after after (-1:
	 * the first) that exists, or -1.
	 */
	long (*next)(long arg, long after);
	const struct pseudo_entry *numbered;
};
/*
 * pseudo_register: a type of pseudo file system, fstype (kept), whose
 * tree is root (a directory) and whose statfs type is magic. 0 or
 * -ENOMEM (too many types). Nothing can be mounted on its directories
 * but its root.
 */
int pseudo_register(const char *fstype, long magic,
		    const struct pseudo_entry *root);
/* pseudo_type: the registered name equal to fstype, or NULL. */
const char *pseudo_type(const char *fstype);
/* pseudo_mount: mp becomes one of the type pseudo_type named. */
int pseudo_mount(struct mount *mp, const char *fstype);

/*
 * fs/buf.c: the buffer cache, between the disk file systems and the
 * block devices of rumpuser (rumpuser_open, rumpuser_bio). A buffer is a
 * block of a device, held (counted) while its user reads or changes it,
 * written back when the file system syncs or when the cache, bounded in
 * memory, needs its room. Requests go out asynchronously, many at once;
 * a wait for one is bounded (BUF_WAIT_SEC) and says what it waits for.
 * The CPU is held for all of them, which a wait for the disk gives up;
 * its users keep to one thread at a time on a device (ext2's lock), as
 * what a call found before a wait is not looked at again after it.
 */
struct bdev;
struct buf {
	void *data;	/* the block's bytes: bdev_bsize of them */
	uint64_t blkno; /* its number, in blocks of bdev_bsize */
	struct bdev *dev;
	int flags; /* buf.c's */
	int refs;
	int error; /* the last request's, -errno */
	struct buf *hnext, *lru_prev, *lru_next;
};
#define BUF_WAIT_SEC 120
/*
 * bdev_open: the block device name (rumpuser's name space), read-only
 * or read-write; blocks of 1024 bytes until bdev_set_bsize. -EROFS when
 * it can only be read and rdonly is 0; -EBUSY when it is open already;
 * -ENXIO, -ENOENT as rumpuser says.
 */
int bdev_open(const char *name, int rdonly, struct bdev **out);
/*
 * bdev_set_bsize: blocks of bsize bytes (512 to 65536, a power of 2);
 * the clean buffers go, -EBUSY if others remain.
 */
int bdev_set_bsize(struct bdev *d, unsigned bsize);
unsigned bdev_bsize(const struct bdev *d);
/* bdev_blocks: the device's size in its blocks. */
uint64_t bdev_blocks(const struct bdev *d);
/*
 * bdev_sync: every dirty buffer written (all in flight at once), then
 * the device's write cache flushed. The first error, or 0.
 */
int bdev_sync(struct bdev *d);
/* bdev_cached: the memory every device's buffers take, in bytes. */
size_t bdev_cached(void);
/* bdev_close: synced (unless it is read-only), every buffer freed. */
int bdev_close(struct bdev *d);
/*
 * buf_read: block blkno of d, read if not cached, held. -EIO when the
 * disk failed, -ENXIO past its end, -ENOMEM.
 */
int buf_read(struct bdev *d, uint64_t blkno, struct buf **out);
/* buf_get: block blkno held, not read: zeroed unless cached. */
int buf_get(struct bdev *d, uint64_t blkno, struct buf **out);
/* buf_readahead: blocks blkno... (n of them) start to be read. */
void buf_readahead(struct bdev *d, uint64_t blkno, unsigned n);
/* buf_dirty: b was changed; it goes to the disk at the next sync. */
void buf_dirty(struct buf *b);
/* buf_put: b is let go (it stays cached). */
void buf_put(struct buf *b);

#endif /* RUMPXEN_KERN_VNODE_H */
