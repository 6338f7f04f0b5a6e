/*
 * ext2's mount: the superblock and the group descriptors read and
 * checked, the features judged, the root found; statfs, sync and
 * unmount; the mount's lock; the messages that name what is corrupt.
 *
 * A superblock or a group table that does not hold together (a bad
 * magic, sizes out of range, a bitmap or inode table outside the disk)
 * refuses the mount with -EINVAL and a message naming the device and the
 * reason. An unknown incompatible feature refuses it too; an unknown
 * read-only-compatible one mounts it read-only, saying so. A read-write
 * mount marks the file system not clean on the disk at once (so a crash
 * leaves it for e2fsck to check) and clean again when it is unmounted.
 *
 * The lock: an operation holds the mount from its start to its end,
 * waits for the disk included, so that another thread never sees an
 * operation half done. It is recursive, for a reclaim that a vnode_put
 * inside an operation starts.
 */
#include <stdarg.h>

#include "ext2.h"

void
ext2_lock(struct ext2_mount *em)
{
	/* The owner is an lwp: the boot's thread is none of the process's. */
	struct lwp *l = rumpuser_curlwp();

	while (em->owner != NULL && em->owner != l) {
		struct kern_thread *t = kern_thread_self();
		struct kern_waiter w;
		kern_waitq_add(&em->lockq, &w, t);
		kern_thread_sleep(t, 0, 0);
		kern_waitq_remove(&w);
	}
	em->owner = l;
	em->depth++;
}

void
ext2_unlock(struct ext2_mount *em)
{
	if (--em->depth == 0) {
		em->owner = NULL;
		kern_waitq_wake(&em->lockq);
	}
}

static void
ext2_say(struct ext2_mount *em, const char *fmt, va_list ap)
{
	char msg[160];

	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	platform_console_printf("ext2: %s: %s\n", em->name, msg);
}

int
ext2_corrupt(struct ext2_mount *em, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ext2_say(em, fmt, ap);
	va_end(ap);
	/* As Linux's ext2_error: e2fsck is to look at it, clean or not. */
	if (em->mp->root != NULL && !em->mp->rdonly) {
		ext2_put16(em->sb, SB_STATE,
			   ext2_get16(em->sb, SB_STATE) | EXT2_ERROR_FS);
		em->sb_dirty = 1;
	}
	return -KERN_EIO;
}

/* ext2_invalid: as ext2_corrupt, for a mount refused: -EINVAL. */
__attribute__((format(printf, 2, 3))) static int
ext2_invalid(struct ext2_mount *em, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ext2_say(em, fmt, ap);
	va_end(ap);
	return -KERN_EINVAL;
}

void *
ext2_gd(struct ext2_mount *em, uint32_t g)
{
	return (char *)em->gdt + (size_t)g * GD_SIZE;
}

/* ext2_sb_write: the superblock's changed fields into its buffer. */
static int
ext2_sb_write(struct ext2_mount *em)
{
	uint64_t blk = em->bsize == 1024 ? 1 : 0;
	unsigned off = em->bsize == 1024 ? 0 : EXT2_SB_OFFSET;
	struct buf *b;
	int err;

	ext2_put32(em->sb, SB_FREE_BLOCKS, em->free_blocks);
	ext2_put32(em->sb, SB_FREE_INODES, em->free_inodes);
	ext2_put32(em->sb, SB_FEATURE_RO_COMPAT, em->feature_ro_compat);
	ext2_put32(em->sb, SB_WTIME, (uint32_t)vnode_now().sec);
	err = buf_read(em->dev, blk, &b);
	if (err != 0)
		return err;
	memcpy((char *)b->data + off, em->sb, 1024);
	buf_dirty(b);
	buf_put(b);
	em->sb_dirty = 0;
	return 0;
}

/* ext2_gdt_write: the group descriptors into their buffers. */
static int
ext2_gdt_write(struct ext2_mount *em)
{
	size_t left = (size_t)em->ngroups * GD_SIZE;

	for (uint32_t i = 0; i < em->gdt_blocks; i++) {
		struct buf *b;
		int err = buf_read(em->dev, em->first_data + 1 + i, &b);
		if (err != 0)
			return err;
		size_t n = left < em->bsize ? left : em->bsize;
		memcpy(b->data, (char *)em->gdt + (size_t)i * em->bsize, n);
		left -= n;
		buf_dirty(b);
		buf_put(b);
	}
	em->gdt_dirty = 0;
	return 0;
}

int
ext2_sync_all(struct ext2_mount *em)
{
	int err;

	if (em->mp->rdonly)
		return 0;
	err = ext2_update_all(em);
	if (err == 0 && em->gdt_dirty)
		err = ext2_gdt_write(em);
	if (err == 0 && em->sb_dirty)
		err = ext2_sb_write(em);
	int serr = bdev_sync(em->dev);
	return err != 0 ? err : serr;
}

static int
ext2_sync(struct mount *mp, int clean)
{
	struct ext2_mount *em = mp->data;

	ext2_lock(em);
	if (clean && !mp->rdonly) {
		ext2_put16(em->sb, SB_STATE,
			   ext2_get16(em->sb, SB_STATE) | EXT2_VALID_FS);
		em->sb_dirty = 1;
	}
	int err = ext2_sync_all(em);
	ext2_unlock(em);
	return err;
}

static long
ext2_statfs(struct mount *mp, struct kern_statfs *st)
{
	struct ext2_mount *em = mp->data;
	uint32_t itb = em->ipg / (em->bsize / em->isize);
	uint64_t overhead = em->first_data + (uint64_t)em->ngroups * (2 + itb);
	uint32_t reserved = ext2_get32(em->sb, 8);

	memset(st, 0, sizeof(*st));
	st->type = EXT2_MAGIC;
	st->bsize = st->frsize = em->bsize;
	st->blocks = (long)(em->blocks - overhead);
	st->bfree = em->free_blocks;
	st->bavail =
		em->free_blocks > reserved ? em->free_blocks - reserved : 0;
	st->files = em->inodes;
	st->ffree = em->free_inodes;
	st->fsid[0] = (int)ext2_get32(em->sb, SB_UUID);
	st->fsid[1] = (int)ext2_get32(em->sb, SB_UUID + 4);
	st->namelen = VFS_NAME_MAX;
	st->flags = mp->rdonly ? 1 : 0; /* ST_RDONLY */
	return 0;
}

/* ext2_free: what ext2_mount made goes, the device closed. */
static int
ext2_free(struct ext2_mount *em)
{
	int err = bdev_close(em->dev);

	if (em->gdt != NULL)
		rumpuser_free(em->gdt, (size_t)em->gdt_blocks * em->bsize);
	if (em->sb != NULL)
		rumpuser_free(em->sb, 1024);
	rumpuser_free(em, sizeof(*em));
	return err;
}

static int
ext2_unmount(struct mount *mp)
{
	struct ext2_mount *em = mp->data;

	ext2_lock(em);
	/* Only the root may be left: a close on its way makes it busy. */
	for (size_t i = 0; i < sizeof(em->hash) / sizeof(em->hash[0]); i++)
		for (struct ext2_node *n = em->hash[i]; n != NULL; n = n->hnext)
			if (n->vp != mp->root || n->vp->refs != 1) {
				ext2_unlock(em);
				return -KERN_EBUSY;
			}
	ext2_iforget(mp->root);
	if (!mp->rdonly) {
		ext2_put16(em->sb, SB_STATE,
			   ext2_get16(em->sb, SB_STATE) | EXT2_VALID_FS);
		em->sb_dirty = 1;
	}
	int err = ext2_sync_all(em);
	ext2_unlock(em);
	int cerr = ext2_free(em);
	return err != 0 ? err : cerr;
}

/* ext2_check_super: em's superblock holds together; 0 or -EINVAL. */
static int
ext2_check_super(struct ext2_mount *em)
{
	const void *sb = em->sb;
	uint32_t log = ext2_get32(sb, SB_LOG_BLOCK_SIZE);

	if (ext2_get16(sb, SB_MAGIC) != EXT2_MAGIC)
		return ext2_invalid(em, "not an ext2 file system (magic %#x)",
				    ext2_get16(sb, SB_MAGIC));
	if (log > 2)
		return ext2_invalid(em, "block size %u KiB: only 1, 2 or 4",
				    log < 16 ? 1u << log : 0);
	em->bsize = 1024u << log;
	em->rev = ext2_get32(sb, SB_REV_LEVEL);
	if (em->rev > 1)
		return ext2_invalid(em, "revision %u", em->rev);
	em->isize = em->rev == 0 ? EXT2_GOOD_OLD_ISIZE
				 : ext2_get16(sb, SB_INODE_SIZE);
	em->first_ino = em->rev == 0 ? 11 : ext2_get32(sb, SB_FIRST_INO);
	em->blocks = ext2_get32(sb, SB_BLOCKS_COUNT);
	em->inodes = ext2_get32(sb, SB_INODES_COUNT);
	em->first_data = ext2_get32(sb, SB_FIRST_DATA_BLOCK);
	em->per_group = ext2_get32(sb, SB_BLOCKS_PER_GROUP);
	em->ipg = ext2_get32(sb, SB_INODES_PER_GROUP);
	em->apb = em->bsize / 4;
	if (em->isize < EXT2_GOOD_OLD_ISIZE || em->isize > em->bsize ||
	    (em->isize & (em->isize - 1)) != 0)
		return ext2_invalid(em, "inode size %u", em->isize);
	if (em->per_group == 0 || em->per_group > 8 * em->bsize ||
	    em->ipg == 0 || em->ipg > 8 * em->bsize ||
	    em->ipg % (em->bsize / em->isize) != 0)
		return ext2_invalid(em, "%u blocks and %u inodes a group",
				    em->per_group, em->ipg);
	if (em->first_data != (em->bsize == 1024 ? 1u : 0u) ||
	    em->blocks <= em->first_data)
		return ext2_invalid(em, "%u blocks from block %u", em->blocks,
				    em->first_data);
	em->ngroups = (em->blocks - em->first_data + em->per_group - 1) /
		      em->per_group;
	if ((uint64_t)em->ngroups * em->ipg != em->inodes)
		return ext2_invalid(em, "%u inodes in %u groups of %u",
				    em->inodes, em->ngroups, em->ipg);
	if (em->first_ino < 3 || em->first_ino >= em->inodes)
		return ext2_invalid(em, "first inode %u", em->first_ino);
	uint64_t gdt =
		((uint64_t)em->ngroups * GD_SIZE + em->bsize - 1) / em->bsize;
	if (gdt >= em->per_group)
		return ext2_invalid(em,
				    "%u groups: their table does not fit "
				    "in a group",
				    em->ngroups);
	em->gdt_blocks = (uint32_t)gdt;
	return 0;
}

/* ext2_check_features: unknown incompatible ones refuse; -EINVAL. */
static int
ext2_check_features(struct ext2_mount *em)
{
	uint32_t incompat =
		em->rev == 0 ? 0 : ext2_get32(em->sb, SB_FEATURE_INCOMPAT);
	uint32_t ro =
		em->rev == 0 ? 0 : ext2_get32(em->sb, SB_FEATURE_RO_COMPAT);

	em->feature_incompat = incompat;
	em->feature_ro_compat = ro;
	if (incompat & ~EXT2_FEATURE_INCOMPAT_SUPP)
		return ext2_invalid(em,
				    "incompatible features %#x unsupported: "
				    "not mounted",
				    incompat & ~EXT2_FEATURE_INCOMPAT_SUPP);
	if ((ro & ~EXT2_FEATURE_RO_COMPAT_SUPP) && !em->mp->rdonly) {
		platform_console_printf(
			"ext2: %s: read-only compatible features %#x "
			"unsupported: mounted read-only\n",
			em->name, ro & ~EXT2_FEATURE_RO_COMPAT_SUPP);
		em->mp->rdonly = 1;
	}
	return 0;
}

/* ext2_read_groups: the group descriptors, each checked. */
static int
ext2_read_groups(struct ext2_mount *em)
{
	size_t size = (size_t)em->gdt_blocks * em->bsize;
	uint32_t itb = em->ipg / (em->bsize / em->isize);
	void *p;

	if (em->first_data + 1 + em->gdt_blocks > em->blocks)
		return ext2_invalid(em, "group table past the end");
	if (rumpuser_malloc(size, 0, &p) != 0)
		return -KERN_ENOMEM;
	em->gdt = p;
	for (uint32_t i = 0; i < em->gdt_blocks; i++) {
		struct buf *b;
		int err = buf_read(em->dev, em->first_data + 1 + i, &b);
		if (err != 0)
			return err;
		memcpy((char *)p + (size_t)i * em->bsize, b->data, em->bsize);
		buf_put(b);
	}
	em->free_blocks = em->free_inodes = 0;
	for (uint32_t g = 0; g < em->ngroups; g++) {
		void *gd = ext2_gd(em, g);
		uint32_t bb = ext2_get32(gd, GD_BLOCK_BITMAP);
		uint32_t ib = ext2_get32(gd, GD_INODE_BITMAP);
		uint32_t it = ext2_get32(gd, GD_INODE_TABLE);
		if (bb < em->first_data || bb >= em->blocks ||
		    ib < em->first_data || ib >= em->blocks ||
		    it < em->first_data || it > em->blocks - itb ||
		    ext2_get16(gd, GD_FREE_BLOCKS) > em->per_group ||
		    ext2_get16(gd, GD_FREE_INODES) > em->ipg)
			return ext2_invalid(em,
					    "group %u: bitmaps at %u and %u, "
					    "inode table at %u: outside the "
					    "disk of %u blocks",
					    g, bb, ib, it, em->blocks);
		em->free_blocks += ext2_get16(gd, GD_FREE_BLOCKS);
		em->free_inodes += ext2_get16(gd, GD_FREE_INODES);
	}
	return 0;
}

/* ext2_read_super: the superblock read from the disk and checked. */
static int
ext2_read_super(struct ext2_mount *em)
{
	struct buf *b;
	void *p;
	int err;

	if (rumpuser_malloc(1024, 0, &p) != 0)
		return -KERN_ENOMEM;
	em->sb = p;
	if (bdev_blocks(em->dev) < 2)
		return ext2_invalid(em, "too small for a superblock");
	err = buf_read(em->dev, 1, &b);
	if (err != 0)
		return err;
	memcpy(em->sb, b->data, 1024);
	buf_put(b);
	err = ext2_check_super(em);
	if (err == 0 && em->blocks > bdev_blocks(em->dev) / (em->bsize / 1024))
		err = ext2_invalid(em,
				   "%u blocks of %u bytes: the disk has "
				   "fewer",
				   em->blocks, em->bsize);
	if (err == 0)
		err = bdev_set_bsize(em->dev, em->bsize);
	return err;
}

int
ext2_mount(struct mount *mp, const char *dev, const char *options)
{
	struct ext2_mount *em;
	struct vnode *root;
	void *p;
	int err;

	(void)options;
	if (rumpuser_malloc(sizeof(*em), 0, &p) != 0)
		return -KERN_ENOMEM;
	em = p;
	memset(em, 0, sizeof(*em));
	em->mp = mp;
	size_t len = strlen(dev);
	memcpy(em->name, dev,
	       len < sizeof(em->name) ? len : sizeof(em->name) - 1);
	err = bdev_open(dev, mp->rdonly, &em->dev);
	if (err != 0) {
		platform_console_printf(
			"ext2: %s: cannot open it%s: error "
			"%d\n",
			dev, err == -KERN_EROFS ? " for writing" : "", -err);
		rumpuser_free(em, sizeof(*em));
		return err;
	}
	mp->data = em;
	err = ext2_read_super(em);
	if (err == 0)
		err = ext2_check_features(em);
	if (err == 0)
		err = ext2_read_groups(em);
	if (err == 0)
		err = ext2_iget(em, EXT2_ROOT_INO, &root);
	if (err == 0 && !S_ISDIR(root->mode)) {
		ext2_iforget(root);
		err = ext2_corrupt(em, "the root inode is not a directory");
	}
	if (err != 0) {
		ext2_free(em);
		return err;
	}
	mp->root = root; /* its reference is the mount's */
	mp->statfs = ext2_statfs;
	mp->sync = ext2_sync;
	mp->unmount = ext2_unmount;
	if (!mp->rdonly) {
		uint16_t state = ext2_get16(em->sb, SB_STATE);
		if (!(state & EXT2_VALID_FS) || (state & EXT2_ERROR_FS))
			platform_console_printf("ext2: %s: not cleanly "
						"unmounted: run e2fsck\n",
						dev);
		ext2_put16(em->sb, SB_STATE, state & ~EXT2_VALID_FS);
		ext2_put16(em->sb, SB_MNT_COUNT,
			   ext2_get16(em->sb, SB_MNT_COUNT) + 1);
		ext2_put32(em->sb, SB_MTIME, (uint32_t)vnode_now().sec);
		em->sb_dirty = 1;
		ext2_lock(em);
		err = ext2_sync_all(em);
		ext2_unlock(em);
		if (err != 0) {
			platform_console_printf("ext2: %s: cannot mark it in "
						"use: error %d\n",
						dev, -err);
			ext2_iforget(root);
			ext2_free(em);
			return err;
		}
	}
	return 0;
}
