/*
 * ext2's vnode operations (vnode.h's contract): each holds the mount's
 * lock from start to end and calls inode.c and dir.c. Names, links and
 * directories: a new directory holds "." and "..", counts as two links
 * and adds one to its parent; rename rewrites a moved directory's "..".
 * Links past EXT2_LINK_MAX are EMLINK (a 16-bit count on the disk). On a
 * read-only mount everything that would change the disk is EROFS.
 */
#include "ext2.h"

#define EXT2_LINK_MAX 32000 /* Linux's ext2 */

/* ext2_ro: vp's mount is read-only: -EROFS, else 0. */
static int
ext2_ro(struct vnode *vp)
{
	return vp->mount->rdonly ? -KERN_EROFS : 0;
}

static int
ext2_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	struct ext2_mount *em = ext2_mount_of(dir);
	uint32_t ino;

	ext2_lock(em);
	int err = ext2_dir_find(dir, name, len, &ino);
	if (err == 0 && ino == dir->ino) {
		vnode_ref(dir);
		*out = dir;
	} else if (err == 0) {
		err = ext2_iget(em, ino, out);
	}
	ext2_unlock(em);
	return err;
}

static int
ext2_create(struct vnode *dir, const char *name, size_t len, unsigned mode,
	    unsigned long rdev, struct vnode **out)
{
	struct ext2_mount *em = ext2_mount_of(dir);
	struct vnode *vp = NULL;
	int err = ext2_ro(dir);

	if (err == 0 && S_ISDIR(mode) && dir->nlink >= EXT2_LINK_MAX)
		err = -KERN_EMLINK;
	if (err != 0)
		return err;
	ext2_lock(em);
	err = ext2_inew(dir, mode, rdev, &vp);
	if (err == 0 && S_ISDIR(mode))
		err = ext2_dir_init(vp, (uint32_t)dir->ino);
	if (err == 0)
		err = ext2_dir_add(dir, name, len, (uint32_t)vp->ino, mode);
	if (err == 0) {
		vp->nlink = S_ISDIR(mode) ? 2 : 1;
		if (S_ISDIR(mode))
			dir->nlink++;
		ext2_iupdate(vp); /* or later: the vnode is the truth */
		*out = vp;
	} else if (vp != NULL) {
		vnode_put(vp); /* no links: freed */
	}
	ext2_unlock(em);
	return err;
}

static int
ext2_link(struct vnode *dir, const char *name, size_t len, struct vnode *vp)
{
	struct ext2_mount *em = ext2_mount_of(dir);
	int err = ext2_ro(dir);

	if (err == 0 && vp->nlink >= EXT2_LINK_MAX)
		err = -KERN_EMLINK;
	if (err != 0)
		return err;
	ext2_lock(em);
	err = ext2_dir_add(dir, name, len, (uint32_t)vp->ino, vp->mode);
	if (err == 0) {
		vp->nlink++;
		vnode_touch(vp, VNODE_C);
	}
	ext2_unlock(em);
	return err;
}

static int
ext2_remove(struct vnode *dir, const char *name, size_t len, struct vnode *vp)
{
	struct ext2_mount *em = ext2_mount_of(dir);
	int err = ext2_ro(dir);

	if (err != 0)
		return err;
	ext2_lock(em);
	err = ext2_dir_remove(dir, name, len);
	if (err == 0)
		vnode_unlinked(dir, vp);
	ext2_unlock(em);
	return err;
}

/* ext2_moved: directory vp now lives in ndir instead of odir. */
static int
ext2_moved(struct vnode *vp, struct vnode *odir, struct vnode *ndir)
{
	if (!S_ISDIR(vp->mode) || odir == ndir)
		return 0;
	/* Its ".." changes, not its mtime (Linux's ext2 says the same). */
	struct kern_timespec mtime = vp->mtime;
	int err = ext2_dir_set(vp, "..", 2, (uint32_t)ndir->ino, S_IFDIR);
	vp->mtime = mtime;
	if (err != 0)
		return err;
	odir->nlink--;
	ndir->nlink++;
	return 0;
}

static int
ext2_rename_locked(struct vnode *odir, const char *oname, size_t olen,
		   struct vnode *vp, struct vnode *ndir, const char *nname,
		   size_t nlen, struct vnode *target, int exchange)
{
	int err;

	if (exchange) {
		err = ext2_dir_set(odir, oname, olen, (uint32_t)target->ino,
				   target->mode);
		if (err == 0)
			err = ext2_dir_set(ndir, nname, nlen, (uint32_t)vp->ino,
					   vp->mode);
		if (err == 0)
			err = ext2_moved(vp, odir, ndir);
		if (err == 0)
			err = ext2_moved(target, ndir, odir);
		vnode_touch(vp, VNODE_C);
		vnode_touch(target, VNODE_C);
		return err;
	}
	if (S_ISDIR(vp->mode) && odir != ndir && target == NULL &&
	    ndir->nlink >= EXT2_LINK_MAX)
		return -KERN_EMLINK;
	if (target != NULL) {
		err = ext2_dir_set(ndir, nname, nlen, (uint32_t)vp->ino,
				   vp->mode);
		if (err == 0)
			vnode_unlinked(ndir, target);
	} else {
		err = ext2_dir_add(ndir, nname, nlen, (uint32_t)vp->ino,
				   vp->mode);
	}
	if (err == 0)
		err = ext2_dir_remove(odir, oname, olen);
	if (err == 0)
		err = ext2_moved(vp, odir, ndir);
	vnode_touch(vp, VNODE_C);
	return err;
}

static int
ext2_rename(struct vnode *odir, const char *oname, size_t olen,
	    struct vnode *vp, struct vnode *ndir, const char *nname,
	    size_t nlen, struct vnode *target, int exchange)
{
	struct ext2_mount *em = ext2_mount_of(odir);
	int err = ext2_ro(odir);

	if (err != 0)
		return err;
	ext2_lock(em);
	err = ext2_rename_locked(odir, oname, olen, vp, ndir, nname, nlen,
				 target, exchange);
	ext2_unlock(em);
	return err;
}

static long
ext2_read(struct vnode *vp, void *buf, size_t len, long off)
{
	struct ext2_mount *em = ext2_mount_of(vp);

	ext2_lock(em);
	long r = ext2_data_read(vp, buf, len, off);
	ext2_unlock(em);
	return r;
}

static long
ext2_write(struct vnode *vp, const void *buf, size_t len, long off)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	long r = ext2_ro(vp);

	if (r != 0)
		return r;
	ext2_lock(em);
	r = ext2_data_write(vp, buf, len, off);
	ext2_unlock(em);
	return r;
}

static int
ext2_truncate(struct vnode *vp, long size)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	int err = ext2_ro(vp);

	if (err != 0)
		return err;
	ext2_lock(em);
	err = ext2_data_truncate(vp, size);
	ext2_unlock(em);
	return err;
}

static int
ext2_allocate(struct vnode *vp, long off, long len)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	int err = ext2_ro(vp);

	if (err != 0)
		return err;
	ext2_lock(em);
	err = ext2_data_allocate(vp, off, len);
	ext2_unlock(em);
	return err;
}

static int
ext2_punch(struct vnode *vp, long off, long len)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	int err = ext2_ro(vp);

	if (err != 0)
		return err;
	ext2_lock(em);
	err = ext2_data_punch(vp, off, len);
	ext2_unlock(em);
	return err;
}

static long
ext2_seek_data(struct vnode *vp, long off, int hole)
{
	struct ext2_mount *em = ext2_mount_of(vp);

	ext2_lock(em);
	long r = ext2_data_seek(vp, off, hole);
	ext2_unlock(em);
	return r;
}

static int
ext2_readdir(struct vnode *dir, long cookie, vfs_dirent_fn *fn, void *ctx)
{
	struct ext2_mount *em = ext2_mount_of(dir);

	ext2_lock(em);
	int err = ext2_dir_readdir(dir, cookie, fn, ctx);
	ext2_unlock(em);
	return err;
}

static int
ext2_empty(struct vnode *dir)
{
	struct ext2_mount *em = ext2_mount_of(dir);

	ext2_lock(em);
	int r = ext2_dir_empty(dir);
	ext2_unlock(em);
	return r;
}

static long
ext2_blocks(struct vnode *vp)
{
	return (long)ext2_node(vp)->iblocks;
}

/*
 * ext2_release: vp has no references: it leaves memory (and, with no
 * links, the disk), once the lock is had. Meanwhile a lookup may find it
 * again (it is still in the hash): then it stays; a second release on
 * its way meanwhile leaves it to the first.
 */
static void
ext2_release(struct vnode *vp)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	struct ext2_node *n = ext2_node(vp);

	if (n->releasing)
		return;
	n->releasing = 1;
	ext2_lock(em);
	n->releasing = 0;
	if (vp->refs == 0) {
		if (vp->nlink == 0 && !vp->mount->rdonly)
			ext2_ifree(vp);
		else
			ext2_iforget(vp);
	}
	ext2_unlock(em);
}

static int
ext2_fsync(struct vnode *vp, int datasync)
{
	struct ext2_mount *em = ext2_mount_of(vp);

	(void)datasync; /* the whole file system goes: more than asked */
	ext2_lock(em);
	int err = ext2_sync_all(em);
	ext2_unlock(em);
	return err;
}

const struct vnode_ops ext2_vnops = {
	.lookup = ext2_lookup,
	.create = ext2_create,
	.link = ext2_link,
	.remove = ext2_remove,
	.rename = ext2_rename,
	.read = ext2_read,
	.write = ext2_write,
	.truncate = ext2_truncate,
	.allocate = ext2_allocate,
	.punch = ext2_punch,
	.seek_data = ext2_seek_data,
	.readdir = ext2_readdir,
	.empty = ext2_empty,
	.blocks = ext2_blocks,
	.reclaim = ext2_release,
	.inactive = ext2_release,
	.fsync = ext2_fsync,
};
