/*
 * vfs.h: what the VFS (kern/vfs: mounts, path lookup, open files of
 * vnodes, record locks) and the devices (kern/dev) offer the syscall
 * layer; the file systems' side of the VFS is vnode.h. Everything runs
 * with the CPU held. Errors are -errno (kern.h).
 */
#ifndef RUMPXEN_KERN_VFS_H
#define RUMPXEN_KERN_VFS_H

#include "file.h"
#include "vnode.h"

/* mount.c */

/* vfs_root: the root directory (no reference added). */
struct vnode *vfs_root(void);
/*
 * vfs_mount: a new file system of type fstype ("tmpfs", "ext2": of the
 * block device source) mounted on dir (NULL: as the root), read-only if
 * rdonly or options say "ro". Returns 0 or -errno.
 */
int vfs_mount(struct vnode *dir, const char *fstype, const char *source,
	      const char *options, int rdonly);
/*
 * vfs_sync: the mount only (NULL: every one) puts what is dirty on its
 * disk; the first error, or 0.
 */
int vfs_sync(struct mount *only);
/*
 * vfs_anon_root: the root of the kernel's own tmpfs, mounted nowhere
 * (memfd_create's files), made at the first call; no reference added.
 */
int vfs_anon_root(struct vnode **out);
/*
 * vfs_shutdown: the system is going down: every file system is synced
 * and marked clean (nothing changes them after).
 */
void vfs_shutdown(void);
/* vfs_mount_list: the mounts, the root's first, in the order made. */
struct mount *vfs_mount_list(void);
/* vfs_init: tmpfs as the root, the configuration's mounts. 0 or -errno. */
int vfs_init(void);
struct vfs_path;
/*
 * vfs_umount: the file system whose root p->vp is (p: a lookup's) is
 * unmounted: -EINVAL when p->vp is not a mount's root or is the root,
 * -EBUSY when something besides p holds one of its vnodes. p is done.
 */
int vfs_umount(struct vfs_path *p);

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
/*
 * vfs_ns_enter, vfs_ns_leave: the calling thread holds the name space,
 * from the lookups of a call that changes names (create, mkdir, link,
 * symlink, unlink, rmdir, rename, a socket's bind) to its end, so that
 * what it found stays true while a file system waits for its disk.
 * Not recursive. The CPU held.
 */
void vfs_ns_enter(void);
void vfs_ns_leave(void);
/* vfs_cwd: the cwd (no reference added); vfs_set_cwd takes one. */
struct vnode *vfs_cwd(void);
void vfs_set_cwd(struct vnode *vp);
/* vfs_umask: the umask, set to mask if set; the old one. */
unsigned vfs_umask(unsigned mask, int set);
/* vfs_ancestor: a is b or one of b's ancestors (for rename). */
int vfs_ancestor(struct vnode *a, struct vnode *b);
/* vfs_getcwd: the cwd's path into buf; its length with the NUL or -errno. */
long vfs_getcwd(char *buf, size_t size);
/*
 * vfs_dir_path: the path of directory dir, as vfs_getcwd gives the
 * cwd's (-ENOENT: it was removed).
 */
long vfs_dir_path(struct vnode *dir, char *buf, size_t size);

/* vfile.c */

/* vfs_open_vnode: an open file for vp (its reference taken over). */
long vfs_open_vnode(struct vnode *vp, int flags, struct kern_file **out);
/* vfs_fd_vnode: the vnode fd names (no reference added), or -errno. */
long vfs_fd_vnode(long fd, struct vnode **out);

/* dev/console.c: the console, fds 0, 1 and 2 at the start. */
extern struct kern_file kern_console_file;
/*
 * kern_console_node: /dev/console's vnode (held), whose dev, inode and
 * mode the console's fstat gives, so that ttyname finds it; NULL until
 * devfs has it.
 */
extern struct vnode *kern_console_node;

/* dev/dev.c */

/*
 * dev_open: f, an open file of device node vp, gets the device's
 * operations (and what it holds open). 0 or -errno (ENXIO: no such
 * device).
 */
long dev_open(struct vnode *vp, int flags, struct kern_file *f);
/*
 * dev_blk_name: the platform's (rumpuser's) name of the block device
 * rdev, or NULL when there is none.
 */
const char *dev_blk_name(unsigned long rdev);
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

#endif /* RUMPXEN_KERN_VFS_H */
