/*
 * mount(2) and umount2(2): the system calls over kern/vfs/mount.c. mount
 * takes a file system type, its source (ext2: the block device's node,
 * or the platform's name of one) and its options, and MS_RDONLY (no
 * remount, no bind: EINVAL; other flags ignored); umount2 takes
 * MNT_FORCE, MNT_DETACH (both ignored) and UMOUNT_NOFOLLOW, and a mount
 * whose files nobody holds (EBUSY otherwise).
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "sys.h"

#define MS_RDONLY	1
#define MS_REMOUNT	32
#define MS_BIND		4096
#define MNT_FORCE	1
#define MNT_DETACH	2
#define UMOUNT_NOFOLLOW 8

/*
 * mount_source: for a disk file system, *source names a block device
 * node (its platform name replaces it) or, when there is no such path,
 * a device by the platform's name (on POSIX, an image file). -ENOTBLK:
 * a path that is no block device; -ENXIO: a node with no device.
 */
static long
mount_source(const char *fstype, const char **source)
{
	struct vfs_path p;

	if (strcmp(fstype, "ext2") != 0 || *source == NULL)
		return 0;
	long err = vfs_lookup(AT_FDCWD, *source, VFS_FOLLOW, &p);
	if (err == -KERN_ENOENT)
		return 0;
	if (err != 0)
		return err;
	unsigned mode = p.vp->mode;
	const char *name = dev_blk_name(p.vp->rdev);
	vfs_path_done(&p);
	if ((mode & S_IFMT) != S_IFBLK)
		return -KERN_ENOTBLK;
	if (name == NULL)
		return -KERN_ENXIO;
	*source = name;
	return 0;
}

long
sys_mount(const long a[6])
{
	const char *source = (const char *)a[0];
	const char *target = (const char *)a[1];
	const char *fstype = (const char *)a[2];
	long flags = a[3];
	const char *options = (const char *)a[4];
	struct vfs_path p;
	long err;

	if (flags & (MS_REMOUNT | MS_BIND))
		return -KERN_EINVAL;
	if (fstype == NULL)
		return -KERN_ENODEV;
	vfs_ns_enter();
	err = mount_source(fstype, &source);
	if (err == 0)
		err = vfs_lookup(AT_FDCWD, target, VFS_FOLLOW, &p);
	if (err == 0) {
		err = vfs_mount(p.vp, fstype, source, options,
				(flags & MS_RDONLY) != 0);
		vfs_path_done(&p);
	}
	vfs_ns_leave();
	return err;
}

long
sys_umount2(const long a[6])
{
	const char *target = (const char *)a[0];
	long flags = a[1];
	struct vfs_path p;
	long err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | UMOUNT_NOFOLLOW))
		return -KERN_EINVAL;
	vfs_ns_enter();
	err = vfs_lookup(AT_FDCWD, target,
			 flags & UMOUNT_NOFOLLOW ? 0 : VFS_FOLLOW, &p);
	if (err == 0)
		err = vfs_umount(&p);
	vfs_ns_leave();
	return err;
}
