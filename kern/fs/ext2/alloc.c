/*
 * ext2's allocation of blocks and inodes: each group's bitmaps, its
 * descriptor's free counts and the superblock's, kept in step.
 *
 * A block is sought from a goal (the block after a file's last, or its
 * inode's group) onward through the groups; an inode for a file in its
 * directory's group, for a directory in the group with the most free
 * inodes (directories spread, their files stay near them). Reserved
 * inodes (below s_first_ino) and the blocks mke2fs marked used (the
 * superblock and its copies, the group tables and those reserved for
 * growing them, bitmaps, inode tables) are never handed out: they are
 * set in the bitmaps. Freeing what is already free is corruption,
 * reported, and changes nothing.
 */
#include "ext2.h"

/* alloc_group_blocks: how many blocks group g has (the last: fewer). */
static uint32_t
alloc_group_blocks(struct ext2_mount *em, uint32_t g)
{
	uint32_t base = em->first_data + g * em->per_group;
	uint32_t left = em->blocks - base;

	return left < em->per_group ? left : em->per_group;
}

/* alloc_find: the first clear bit in [from, n) of bitmap, or -1. */
static long
alloc_find(const unsigned char *bitmap, uint32_t from, uint32_t n)
{
	for (uint32_t i = from; i < n; i++) {
		if (bitmap[i / 8] == 0xff && i % 8 == 0) {
			i += 7;
			continue;
		}
		if (!(bitmap[i / 8] & (1u << (i % 8))))
			return (long)i;
	}
	return -1;
}

static void
alloc_counts(struct ext2_mount *em, void *gd, unsigned field, int delta)
{
	ext2_put16(gd, field, (uint16_t)(ext2_get16(gd, field) + delta));
	em->gdt_dirty = 1;
	em->sb_dirty = 1;
}

/* What a bitmap hands out: blocks or inodes. */
struct alloc_kind {
	unsigned bitmap, free; /* the group descriptor's fields */
	const char *name;
};
static const struct alloc_kind alloc_blocks = {GD_BLOCK_BITMAP, GD_FREE_BLOCKS,
					       "block"};
static const struct alloc_kind alloc_inodes = {GD_INODE_BITMAP, GD_FREE_INODES,
					       "inode"};

/*
 * alloc_take: a clear bit of group g's bitmap of kind, sought in
 * [from, n) and then, if wrap, in [0, from), is set and counted; *bit is
 * it, or -1 when the group has none (or counts none free). 0 or -errno.
 */
static int
alloc_take(struct ext2_mount *em, const struct alloc_kind *kind, uint32_t g,
	   uint32_t from, uint32_t n, int wrap, long *bit)
{
	void *gd = ext2_gd(em, g);
	struct buf *b;

	*bit = -1;
	if (ext2_get16(gd, kind->free) == 0)
		return 0;
	int err = buf_read(em->dev, ext2_get32(gd, kind->bitmap), &b);
	if (err != 0)
		return err;
	*bit = alloc_find(b->data, from, n);
	if (*bit < 0 && wrap)
		*bit = alloc_find(b->data, 0, from);
	if (*bit >= 0) {
		((unsigned char *)b->data)[*bit / 8] |= 1u << (*bit % 8);
		buf_dirty(b);
		alloc_counts(em, gd, kind->free, -1);
	}
	buf_put(b);
	return 0;
}

/*
 * alloc_release: bit of group g's bitmap of kind (number num, for the
 * message) is cleared and counted: 1, or 0 when it was clear already
 * (corruption, reported) or its bitmap cannot be read.
 */
static int
alloc_release(struct ext2_mount *em, const struct alloc_kind *kind, uint32_t g,
	      uint32_t bit, uint32_t num)
{
	void *gd = ext2_gd(em, g);
	struct buf *b;
	int done = 0;

	if (buf_read(em->dev, ext2_get32(gd, kind->bitmap), &b) != 0)
		return 0;
	unsigned char *map = b->data;
	if (!(map[bit / 8] & (1u << (bit % 8)))) {
		ext2_corrupt(em, "freeing %s %u, already free", kind->name,
			     num);
	} else {
		map[bit / 8] &= (unsigned char)~(1u << (bit % 8));
		buf_dirty(b);
		alloc_counts(em, gd, kind->free, 1);
		done = 1;
	}
	buf_put(b);
	return done;
}

int
ext2_block_alloc(struct ext2_mount *em, uint32_t goal, uint32_t *out)
{
	uint32_t g0 = 0, start = 0;
	struct buf *b;
	long bit;

	if (em->free_blocks == 0)
		return -KERN_ENOSPC;
	if (goal >= em->first_data && goal < em->blocks) {
		g0 = (goal - em->first_data) / em->per_group;
		start = (goal - em->first_data) % em->per_group;
	}
	for (uint32_t k = 0; k < em->ngroups; k++) {
		uint32_t g = (g0 + k) % em->ngroups;
		int err = alloc_take(em, &alloc_blocks, g, k == 0 ? start : 0,
				     alloc_group_blocks(em, g), k == 0, &bit);
		if (err != 0)
			return err;
		if (bit < 0)
			continue;
		em->free_blocks--;
		uint32_t blk =
			em->first_data + g * em->per_group + (uint32_t)bit;
		err = buf_get(em->dev, blk, &b);
		if (err != 0) {
			ext2_block_free(em, blk);
			return err;
		}
		memset(b->data, 0, em->bsize);
		buf_dirty(b);
		buf_put(b);
		*out = blk;
		return 0;
	}
	/* The counts said there was room; the bitmaps disagree. */
	ext2_corrupt(em, "%u blocks counted free, none found", em->free_blocks);
	return -KERN_ENOSPC;
}

void
ext2_block_free(struct ext2_mount *em, uint32_t blk)
{
	if (blk < em->first_data || blk >= em->blocks) {
		ext2_corrupt(em, "freeing block %u, outside the disk", blk);
		return;
	}
	if (alloc_release(em, &alloc_blocks,
			  (blk - em->first_data) / em->per_group,
			  (blk - em->first_data) % em->per_group, blk))
		em->free_blocks++;
}

int
ext2_inode_alloc(struct ext2_mount *em, uint32_t dir_ino, unsigned mode,
		 uint32_t *out)
{
	uint32_t g0 = (dir_ino - 1) / em->ipg;

	if (em->free_inodes == 0)
		return -KERN_ENOSPC;
	if (S_ISDIR(mode)) {
		uint32_t best = 0;
		for (uint32_t g = 0; g < em->ngroups; g++)
			if (ext2_get16(ext2_gd(em, g), GD_FREE_INODES) > best) {
				best = ext2_get16(ext2_gd(em, g),
						  GD_FREE_INODES);
				g0 = g;
			}
	}
	for (uint32_t k = 0; k < em->ngroups; k++) {
		uint32_t g = (g0 + k) % em->ngroups;
		long bit;
		int err = alloc_take(em, &alloc_inodes, g,
				     g == 0 ? em->first_ino - 1 : 0, em->ipg, 0,
				     &bit);
		if (err != 0)
			return err;
		if (bit < 0)
			continue;
		if (S_ISDIR(mode))
			alloc_counts(em, ext2_gd(em, g), GD_USED_DIRS, 1);
		em->free_inodes--;
		*out = g * em->ipg + (uint32_t)bit + 1;
		return 0;
	}
	ext2_corrupt(em, "%u inodes counted free, none found", em->free_inodes);
	return -KERN_ENOSPC;
}

void
ext2_inode_free(struct ext2_mount *em, uint32_t ino, int dir)
{
	if (ino < em->first_ino || ino > em->inodes) {
		ext2_corrupt(em, "freeing inode %u, reserved or past the end",
			     ino);
		return;
	}
	uint32_t g = (ino - 1) / em->ipg;
	if (!alloc_release(em, &alloc_inodes, g, (ino - 1) % em->ipg, ino))
		return;
	if (dir)
		alloc_counts(em, ext2_gd(em, g), GD_USED_DIRS, -1);
	em->free_inodes++;
}
