/*
 * ext2's inodes: read into vnodes (one vnode an inode, found through a
 * hash table while it is in memory), written back from them, made and
 * freed; and a file's block map (12 direct pointers, then single, double
 * and triple indirect blocks), its data read and written through the
 * buffer cache, holes, truncation.
 *
 * The vnode is the inode in memory: its attributes (mode, owners, times,
 * size, links) are the truth while it lives, and ext2_iupdate copies
 * them into the inode's bytes in the cache (only the fields it knows;
 * extended attributes in the inode and other fields stay as they are).
 * That happens when the vnode is let go, at every sync, and when a new
 * inode is made. Times keep nanoseconds in 256-byte inodes (their extra
 * fields), seconds in 128-byte ones. A device's number is in i_block as
 * Linux puts it (old encoding when it fits, else the new one).
 *
 * Reading ahead: a read maps the blocks that follow it (EXT2_RA_BYTES)
 * and starts them all, so a sequential reader finds them in the cache.
 */
#include "ext2.h"

/* How far ahead of a sequential reader blocks are read, in bytes. */
#define EXT2_RA_BYTES (512 << 10)

static struct ext2_node **
ext2_hash_slot(struct ext2_mount *em, uint32_t ino)
{
	return &em->hash[ino % (sizeof(em->hash) / sizeof(em->hash[0]))];
}

/*
 * ext2_iread: the buffer holding inode ino, held (buf_put it), and the
 * inode's bytes in it. 0 or -errno.
 */
static int
ext2_iread(struct ext2_mount *em, uint32_t ino, struct buf **b, char **raw)
{
	if (ino == 0 || ino > em->inodes)
		return ext2_corrupt(em, "inode %u: past the last, %u", ino,
				    em->inodes);
	uint32_t g = (ino - 1) / em->ipg, i = (ino - 1) % em->ipg;
	uint64_t byte = (uint64_t)i * em->isize;
	int err = buf_read(em->dev,
			   ext2_get32(ext2_gd(em, g), GD_INODE_TABLE) +
				   (uint32_t)(byte / em->bsize),
			   b);
	if (err == 0)
		*raw = (char *)(*b)->data + byte % em->bsize;
	return err;
}

/* ext2_has_extra: the inode's extra fields reach past field end. */
static int
ext2_has_extra(struct ext2_mount *em, const char *raw, unsigned end)
{
	return em->isize > EXT2_GOOD_OLD_ISIZE &&
	       EXT2_GOOD_OLD_ISIZE + (unsigned)ext2_get16(raw, I_EXTRA_ISIZE) >=
		       end;
}

static struct kern_timespec
ext2_time_get(struct ext2_mount *em, const char *raw, unsigned f, unsigned x)
{
	struct kern_timespec ts = {(int32_t)ext2_get32(raw, f), 0};

	if (ext2_has_extra(em, raw, x + 4)) {
		uint32_t extra = ext2_get32(raw, x);
		ts.sec += (long)(extra & 3) << 32;
		ts.nsec = extra >> 2;
	}
	return ts;
}

static void
ext2_time_put(struct ext2_mount *em, char *raw, unsigned f, unsigned x,
	      struct kern_timespec ts)
{
	ext2_put32(raw, f, (uint32_t)ts.sec);
	if (ext2_has_extra(em, raw, x + 4))
		ext2_put32(raw, x,
			   (uint32_t)(((ts.sec - (int32_t)ts.sec) >> 32) & 3) |
				   (uint32_t)ts.nsec << 2);
}

int
ext2_fast_link(struct vnode *vp)
{
	struct ext2_node *n = ext2_node(vp);
	uint64_t ea = n->file_acl != 0 ? ext2_mount_of(vp)->bsize / 512 : 0;

	return S_ISLNK(vp->mode) && n->iblocks == ea;
}

/* ext2_is_dev: vp keeps a device number in i_block. */
static int
ext2_is_dev(const struct vnode *vp)
{
	unsigned t = vp->mode & S_IFMT;

	return t == S_IFCHR || t == S_IFBLK || t == S_IFIFO || t == S_IFSOCK;
}

/* ext2_inode_from: vp and its node from the inode's bytes raw. */
static int
ext2_inode_from(struct ext2_mount *em, struct vnode *vp, const char *raw)
{
	struct ext2_node *n = ext2_node(vp);

	vp->mode = ext2_get16(raw, I_MODE);
	vp->uid = ext2_get16(raw, I_UID) | (uint32_t)ext2_get16(raw, I_UID_HIGH)
						   << 16;
	vp->gid = ext2_get16(raw, I_GID) | (uint32_t)ext2_get16(raw, I_GID_HIGH)
						   << 16;
	vp->nlink = ext2_get16(raw, I_LINKS);
	vp->size = (long)ext2_get32(raw, I_SIZE);
	if (S_ISREG(vp->mode))
		vp->size |= (long)ext2_get32(raw, I_SIZE_HIGH) << 32;
	vp->atime = ext2_time_get(em, raw, I_ATIME, I_ATIME_EXTRA);
	vp->mtime = ext2_time_get(em, raw, I_MTIME, I_MTIME_EXTRA);
	vp->ctime = ext2_time_get(em, raw, I_CTIME, I_CTIME_EXTRA);
	n->flags = ext2_get32(raw, I_FLAGS);
	n->file_acl = ext2_get32(raw, I_FILE_ACL);
	n->iblocks = ext2_get32(raw, I_BLOCKS);
	for (int i = 0; i < EXT2_NBLOCKS; i++)
		n->block[i] = ext2_get32(raw, I_BLOCK + 4 * (unsigned)i);
	if (ext2_is_dev(vp))
		vp->rdev = n->block[0] != 0 ? n->block[0] : n->block[1];
	switch (vp->mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR:
	case S_IFLNK:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	default:
		return ext2_corrupt(em, "inode %lu: mode %#o", vp->ino,
				    vp->mode);
	}
	if (n->flags & EXT2_UNSUPP_FL)
		return ext2_corrupt(em, "inode %lu: extents, not ext2's map",
				    vp->ino);
	if (vp->size < 0 || (S_ISDIR(vp->mode) && vp->size % em->bsize != 0))
		return ext2_corrupt(em, "inode %lu: size %ld", vp->ino,
				    vp->size);
	if (S_ISLNK(vp->mode) && ext2_fast_link(vp) &&
	    vp->size >= EXT2_FAST_LINK_MAX)
		return ext2_corrupt(em,
				    "inode %lu: a symlink of %ld bytes in "
				    "its inode",
				    vp->ino, vp->size);
	return 0;
}

int
ext2_iupdate(struct vnode *vp)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	struct ext2_node *n = ext2_node(vp);
	struct buf *b;
	char *raw;

	if (vp->mount->rdonly)
		return 0;
	int err = ext2_iread(em, (uint32_t)vp->ino, &b, &raw);
	if (err != 0)
		return err;
	ext2_put16(raw, I_MODE, (uint16_t)vp->mode);
	ext2_put16(raw, I_UID, (uint16_t)vp->uid);
	ext2_put16(raw, I_UID_HIGH, (uint16_t)(vp->uid >> 16));
	ext2_put16(raw, I_GID, (uint16_t)vp->gid);
	ext2_put16(raw, I_GID_HIGH, (uint16_t)(vp->gid >> 16));
	ext2_put16(raw, I_LINKS, (uint16_t)vp->nlink);
	ext2_put32(raw, I_SIZE, (uint32_t)vp->size);
	if (S_ISREG(vp->mode))
		ext2_put32(raw, I_SIZE_HIGH, (uint32_t)(vp->size >> 32));
	ext2_time_put(em, raw, I_ATIME, I_ATIME_EXTRA, vp->atime);
	ext2_time_put(em, raw, I_MTIME, I_MTIME_EXTRA, vp->mtime);
	ext2_time_put(em, raw, I_CTIME, I_CTIME_EXTRA, vp->ctime);
	ext2_put32(raw, I_FLAGS, n->flags);
	ext2_put32(raw, I_BLOCKS, (uint32_t)n->iblocks);
	if (ext2_is_dev(vp)) {
		unsigned long major = (vp->rdev >> 8) & 0xfff;
		unsigned long minor =
			(vp->rdev & 0xff) | ((vp->rdev >> 12) & 0xfff00);
		int old = major < 256 && minor < 256;
		n->block[0] = old ? (uint32_t)(major << 8 | minor) : 0;
		n->block[1] = old ? 0
				  : (uint32_t)((minor & 0xff) | major << 8 |
					       (minor & ~0xfful) << 12);
	}
	for (int i = 0; i < EXT2_NBLOCKS; i++)
		ext2_put32(raw, I_BLOCK + 4 * (unsigned)i, n->block[i]);
	buf_dirty(b);
	buf_put(b);
	return 0;
}

/* ext2_vnode: a vnode with a node for inode ino, in the hash. */
static int
ext2_vnode(struct ext2_mount *em, uint32_t ino, unsigned mode,
	   struct vnode **out)
{
	struct vnode *vp = vnode_new(em->mp, &ext2_vnops, mode);
	void *p;

	if (vp == NULL)
		return -KERN_ENOMEM;
	if (rumpuser_malloc(sizeof(struct ext2_node), 0, &p) != 0) {
		vp->mount->refs--;
		rumpuser_free(vp, sizeof(*vp));
		return -KERN_ENOMEM;
	}
	struct ext2_node *n = p;
	memset(n, 0, sizeof(*n));
	n->vp = vp;
	vp->data = n;
	vp->ino = ino;
	struct ext2_node **slot = ext2_hash_slot(em, ino);
	n->hnext = *slot;
	*slot = n;
	*out = vp;
	return 0;
}

/* ext2_vnode_free: vp leaves the hash and memory, unwritten. */
static void
ext2_vnode_free(struct vnode *vp)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	struct ext2_node *n = ext2_node(vp);
	struct ext2_node **pp = ext2_hash_slot(em, (uint32_t)vp->ino);

	while (*pp != n)
		pp = &(*pp)->hnext;
	*pp = n->hnext;
	vp->mount->refs -= vp->refs;
	rumpuser_free(n, sizeof(*n));
	rumpuser_free(vp, sizeof(*vp));
}

int
ext2_iget(struct ext2_mount *em, uint32_t ino, struct vnode **out)
{
	struct buf *b;
	struct vnode *vp;
	char *raw;
	int err;

	for (struct ext2_node *n = *ext2_hash_slot(em, ino); n != NULL;
	     n = n->hnext)
		if (n->vp->ino == ino) {
			vnode_ref(n->vp);
			*out = n->vp;
			return 0;
		}
	if (ino != EXT2_ROOT_INO && ino < em->first_ino)
		return ext2_corrupt(em, "a directory names reserved inode %u",
				    ino);
	err = ext2_iread(em, ino, &b, &raw);
	if (err != 0)
		return err;
	err = ext2_vnode(em, ino, 0, &vp);
	if (err == 0) {
		err = ext2_inode_from(em, vp, raw);
		if (err == 0 && vp->nlink == 0)
			err = ext2_corrupt(em, "inode %u is named but free",
					   ino);
		if (err != 0)
			ext2_vnode_free(vp);
	}
	buf_put(b);
	if (err == 0)
		*out = vp;
	return err;
}

int
ext2_inew(struct vnode *dir, unsigned mode, unsigned long rdev,
	  struct vnode **out)
{
	static uint32_t generation;
	struct ext2_mount *em = ext2_mount_of(dir);
	struct vnode *vp;
	struct buf *b;
	uint32_t ino;
	char *raw;
	int err;

	err = ext2_inode_alloc(em, (uint32_t)dir->ino, mode, &ino);
	if (err != 0)
		return err;
	err = ext2_iread(em, ino, &b, &raw);
	if (err != 0) {
		ext2_inode_free(em, ino, S_ISDIR(mode));
		return err;
	}
	memset(raw, 0, em->isize);
	if (em->isize > EXT2_GOOD_OLD_ISIZE)
		ext2_put16(raw, I_EXTRA_ISIZE, EXT2_EXTRA_ISIZE);
	ext2_put32(raw, I_GENERATION, ++generation);
	buf_dirty(b);
	buf_put(b);
	err = ext2_vnode(em, ino, mode, &vp);
	if (err != 0) {
		ext2_inode_free(em, ino, S_ISDIR(mode));
		return err;
	}
	vp->rdev = rdev;
	ext2_node(vp)->goal =
		ext2_get32(ext2_gd(em, (ino - 1) / em->ipg), GD_INODE_TABLE);
	err = ext2_iupdate(vp);
	if (err != 0) {
		ext2_vnode_free(vp);
		ext2_inode_free(em, ino, S_ISDIR(mode));
		return err;
	}
	*out = vp;
	return 0;
}

void
ext2_iforget(struct vnode *vp)
{
	ext2_iupdate(vp);
	ext2_vnode_free(vp);
}

/* ext2_acl_drop: vp's extended attribute block loses vp as a user. */
static void
ext2_acl_drop(struct vnode *vp)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	struct ext2_node *n = ext2_node(vp);
	uint32_t blk = n->file_acl;
	struct buf *b;

	n->file_acl = 0;
	if (blk < em->first_data || blk >= em->blocks) {
		ext2_corrupt(em, "inode %lu: attribute block %u", vp->ino, blk);
		return;
	}
	if (buf_read(em->dev, blk, &b) != 0)
		return;
	uint32_t refs = ext2_get32(b->data, 4);
	if (ext2_get32(b->data, 0) != 0xea020000 || refs == 0) {
		ext2_corrupt(em, "inode %lu: attribute block %u is not one",
			     vp->ino, blk);
		buf_put(b);
		return;
	}
	ext2_put32(b->data, 4, refs - 1);
	buf_dirty(b);
	buf_put(b);
	n->iblocks -= em->bsize / 512;
	if (refs == 1)
		ext2_block_free(em, blk);
}

void
ext2_ifree(struct vnode *vp)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	struct ext2_node *n = ext2_node(vp);
	struct buf *b;
	char *raw;

	if (!ext2_fast_link(vp) && !ext2_is_dev(vp))
		ext2_free_from(vp, 0);
	if (n->file_acl != 0)
		ext2_acl_drop(vp);
	vp->size = 0;
	memset(n->block, 0, sizeof(n->block));
	ext2_iupdate(vp);
	if (ext2_iread(em, (uint32_t)vp->ino, &b, &raw) == 0) {
		ext2_put32(raw, I_DTIME, (uint32_t)vnode_now().sec);
		buf_dirty(b);
		buf_put(b);
	}
	ext2_inode_free(em, (uint32_t)vp->ino, S_ISDIR(vp->mode));
	ext2_vnode_free(vp);
}

int
ext2_update_all(struct ext2_mount *em)
{
	int first = 0;

	for (size_t i = 0; i < sizeof(em->hash) / sizeof(em->hash[0]); i++)
		for (struct ext2_node *n = em->hash[i]; n != NULL;
		     n = n->hnext) {
			int err = ext2_iupdate(n->vp);
			if (first == 0)
				first = err;
		}
	return first;
}

long
ext2_max_size(struct ext2_mount *em)
{
	/* Revision 0 has no large_file: 2 GiB (Linux would upgrade it). */
	if (em->rev == 0)
		return 0x7fffffffl;
	uint64_t apb = em->apb;
	uint64_t map = EXT2_NDIR + apb + apb * apb + apb * apb * apb;
	/* i_blocks counts 512-byte units in 32 bits: data and map blocks. */
	uint64_t by_iblocks =
		(0xffffffffull / (em->bsize / 512)) - (1 + apb + apb * apb + 2);

	if (by_iblocks < map)
		map = by_iblocks;
	return (long)(map * em->bsize);
}

/* ext2_blk_ok: blk may be a block of a file. */
static int
ext2_blk_ok(struct ext2_mount *em, uint32_t blk)
{
	return blk >= em->first_data && blk < em->blocks;
}

/*
 * ext2_slot_fill: *slot (a pointer of the map, in the node or in buffer
 * b) names a block, allocated if 0 and alloc; the block, or 0 (a hole).
 */
static int
ext2_slot_fill(struct vnode *vp, uint32_t *slot, struct buf *b, int alloc,
	       uint32_t *out)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	struct ext2_node *n = ext2_node(vp);

	if (*slot != 0) {
		if (!ext2_blk_ok(em, *slot))
			return ext2_corrupt(em,
					    "inode %lu: block %u outside "
					    "the disk",
					    vp->ino, *slot);
		*out = *slot;
		return 0;
	}
	if (!alloc) {
		*out = 0;
		return 0;
	}
	int err = ext2_block_alloc(em, n->goal, out);
	if (err != 0)
		return err;
	*slot = *out;
	n->goal = *out + 1;
	n->iblocks += em->bsize / 512;
	if (b != NULL)
		buf_dirty(b);
	return 0;
}

int
ext2_bmap(struct vnode *vp, uint64_t lbn, int alloc, uint32_t *out)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	struct ext2_node *n = ext2_node(vp);
	uint64_t apb = em->apb, span = 1;
	int level = 0;

	if (lbn < EXT2_NDIR)
		return ext2_slot_fill(vp, &n->block[lbn], NULL, alloc, out);
	lbn -= EXT2_NDIR;
	for (level = 1; level <= 3; level++) {
		span *= apb;
		if (lbn < span)
			break;
		lbn -= span;
	}
	if (level > 3)
		return -KERN_EFBIG;
	uint32_t blk;
	int err = ext2_slot_fill(vp, &n->block[EXT2_IND + level - 1], NULL,
				 alloc, &blk);
	while (err == 0 && blk != 0 && level > 0) {
		struct buf *b;
		span /= apb;
		err = buf_read(em->dev, blk, &b);
		if (err != 0)
			break;
		uint32_t *slot = (uint32_t *)b->data + lbn / span;
		lbn %= span;
		err = ext2_slot_fill(vp, slot, b, alloc, &blk);
		buf_put(b);
		level--;
	}
	if (err == 0)
		*out = blk;
	return err;
}

/*
 * ext2_map_free: the blocks under *slot (a map block of level: 0 is a
 * data block) covering file blocks [base, base + its span) that lie in
 * [first, end) are freed; the map block too when it empties. Returns 1
 * when *slot changed.
 */
static int
ext2_map_free(struct vnode *vp, uint32_t *slot, int level, uint64_t base,
	      uint64_t first, uint64_t end)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	struct ext2_node *n = ext2_node(vp);
	uint64_t span = 1;
	struct buf *b;

	for (int i = 0; i < level; i++)
		span *= em->apb;
	if (*slot == 0 || base + span <= first || base >= end)
		return 0;
	if (!ext2_blk_ok(em, *slot)) {
		ext2_corrupt(em, "inode %lu: block %u outside the disk",
			     vp->ino, *slot);
		*slot = 0; /* not ours to free: dropped from the map */
		return 1;
	}
	if (level > 0) {
		if (buf_read(em->dev, *slot, &b) != 0)
			return 0;
		uint32_t *map = b->data;
		uint64_t child = span / em->apb;
		int used = 0, changed = 0;
		for (uint32_t i = 0; i < em->apb; i++) {
			changed |= ext2_map_free(vp, &map[i], level - 1,
						 base + i * child, first, end);
			used |= map[i] != 0;
		}
		if (changed)
			buf_dirty(b);
		buf_put(b);
		if (used)
			return 0;
	}
	ext2_block_free(em, *slot);
	n->iblocks -= em->bsize / 512;
	*slot = 0;
	return 1;
}

/* ext2_free_range: vp's blocks in [first, end) are freed. */
static void
ext2_free_range(struct vnode *vp, uint64_t first, uint64_t end)
{
	struct ext2_node *n = ext2_node(vp);
	uint64_t base = EXT2_NDIR, span = 1;

	for (uint64_t i = first; i < EXT2_NDIR && i < end; i++)
		ext2_map_free(vp, &n->block[i], 0, i, first, end);
	for (int level = 1; level <= 3; level++) {
		span *= ext2_mount_of(vp)->apb;
		ext2_map_free(vp, &n->block[EXT2_IND + level - 1], level, base,
			      first, end);
		base += span;
	}
}

int
ext2_free_from(struct vnode *vp, uint64_t lbn)
{
	ext2_free_range(vp, lbn, UINT64_MAX);
	return 0;
}

/*
 * ext2_readahead: file blocks [lbn, lbn + n) that are mapped start to be
 * read, those next to each other on the disk as one request.
 */
static void
ext2_readahead(struct vnode *vp, uint64_t lbn, uint64_t n)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	uint32_t first = 0, count = 0;

	for (uint64_t i = 0; i <= n; i++) {
		uint32_t blk = 0;
		if (i < n && ext2_bmap(vp, lbn + i, 0, &blk) != 0)
			blk = 0;
		if (count > 0 && blk == first + count) {
			count++;
			continue;
		}
		if (count > 0)
			buf_readahead(em->dev, first, count);
		first = blk;
		count = blk != 0;
	}
}

long
ext2_data_read(struct vnode *vp, void *buf, size_t len, long off)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	struct ext2_node *n = ext2_node(vp);
	size_t done = 0;

	if (off >= vp->size)
		return 0;
	if ((long)len > vp->size - off)
		len = (size_t)(vp->size - off);
	if (ext2_fast_link(vp)) {
		memcpy(buf, (char *)n->block + off, len);
		return (long)len;
	}
	uint64_t first = (uint64_t)off / em->bsize;
	uint64_t last = ((uint64_t)off + len - 1) / em->bsize;
	uint64_t eof = ((uint64_t)vp->size + em->bsize - 1) / em->bsize;
	uint64_t ra = EXT2_RA_BYTES / em->bsize;
	uint64_t ra_end = last + 1 + ra < eof ? last + 1 + ra : eof;
	if (first > n->ra_next || n->ra_next > ra_end + ra)
		n->ra_next = first;
	if (ra_end > n->ra_next) {
		ext2_readahead(vp, n->ra_next, ra_end - n->ra_next);
		n->ra_next = ra_end;
	}
	while (done < len) {
		uint64_t pos = (uint64_t)off + done;
		size_t in = pos % em->bsize, chunk = em->bsize - in;
		uint32_t blk;
		struct buf *b;
		if (chunk > len - done)
			chunk = len - done;
		int err = ext2_bmap(vp, pos / em->bsize, 0, &blk);
		if (err == 0 && blk == 0) {
			memset((char *)buf + done, 0, chunk);
		} else if (err == 0 &&
			   (err = buf_read(em->dev, blk, &b)) == 0) {
			memcpy((char *)buf + done, (char *)b->data + in, chunk);
			buf_put(b);
		}
		if (err != 0)
			return done > 0 ? (long)done : err;
		done += chunk;
	}
	return (long)done;
}

/* ext2_grown: vp's size became size; a large file is marked so. */
static void
ext2_grown(struct vnode *vp, long size)
{
	struct ext2_mount *em = ext2_mount_of(vp);

	vp->size = size;
	if (size > 0x7fffffffl && em->rev > 0 &&
	    !(em->feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE)) {
		em->feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
		em->sb_dirty = 1;
	}
}

long
ext2_data_write(struct vnode *vp, const void *buf, size_t len, long off)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	struct ext2_node *n = ext2_node(vp);
	long max = ext2_max_size(em);
	size_t done = 0;
	int err = 0;

	if (off < 0)
		off = vp->size; /* O_APPEND */
	if (off >= max)
		return -KERN_EFBIG;
	if ((long)len > max - off)
		len = (size_t)(max - off);
	if (S_ISLNK(vp->mode) && vp->size == 0 && off == 0 &&
	    len < EXT2_FAST_LINK_MAX && ext2_fast_link(vp)) {
		memcpy(n->block, buf, len); /* a target, written when made */
		vp->size = (long)len;
		return (long)len;
	}
	while (done < len) {
		uint64_t pos = (uint64_t)off + done;
		size_t in = pos % em->bsize, chunk = em->bsize - in;
		uint32_t blk;
		struct buf *b;
		if (chunk > len - done)
			chunk = len - done;
		err = ext2_bmap(vp, pos / em->bsize, 1, &blk);
		if (err != 0)
			break;
		err = chunk == em->bsize ? buf_get(em->dev, blk, &b)
					 : buf_read(em->dev, blk, &b);
		if (err != 0)
			break;
		memcpy((char *)b->data + in, (const char *)buf + done, chunk);
		buf_dirty(b);
		buf_put(b);
		done += chunk;
	}
	if (off + (long)done > vp->size)
		ext2_grown(vp, off + (long)done);
	return done > 0 || len == 0 ? (long)done : err;
}

/* ext2_zero_part: bytes [from, to) of file block lbn read as zeros. */
static int
ext2_zero_part(struct vnode *vp, uint64_t lbn, size_t from, size_t to)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	uint32_t blk;
	struct buf *b;
	int err = ext2_bmap(vp, lbn, 0, &blk);

	if (err != 0 || blk == 0)
		return err;
	err = buf_read(em->dev, blk, &b);
	if (err != 0)
		return err;
	memset((char *)b->data + from, 0, to - from);
	buf_dirty(b);
	buf_put(b);
	return 0;
}

int
ext2_data_truncate(struct vnode *vp, long size)
{
	struct ext2_mount *em = ext2_mount_of(vp);

	if (size > ext2_max_size(em))
		return -KERN_EFBIG;
	if (size < vp->size) {
		uint64_t keep = ((uint64_t)size + em->bsize - 1) / em->bsize;
		ext2_free_from(vp, keep);
		if (size % em->bsize != 0) {
			int err = ext2_zero_part(vp, keep - 1,
						 (size_t)size % em->bsize,
						 em->bsize);
			if (err != 0)
				return err;
		}
		vp->size = size;
	} else {
		ext2_grown(vp, size);
	}
	return 0;
}

int
ext2_data_allocate(struct vnode *vp, long off, long len)
{
	struct ext2_mount *em = ext2_mount_of(vp);

	if (off + len > ext2_max_size(em))
		return -KERN_EFBIG;
	/* e2fsck wants no blocks past the end in a file mapped by blocks. */
	if (off + len > vp->size)
		return -KERN_EOPNOTSUPP;
	for (uint64_t lbn = (uint64_t)off / em->bsize;
	     lbn <= (uint64_t)(off + len - 1) / em->bsize; lbn++) {
		uint32_t blk;
		int err = ext2_bmap(vp, lbn, 1, &blk);
		if (err != 0)
			return err;
	}
	return 0;
}

int
ext2_data_punch(struct vnode *vp, long off, long len)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	uint64_t end = (uint64_t)(off + len), bs = em->bsize;
	uint64_t first = ((uint64_t)off + bs - 1) / bs, last = end / bs;
	int err = 0;

	if (first > last) /* inside one block */
		return ext2_zero_part(vp, (uint64_t)off / bs,
				      (size_t)((uint64_t)off % bs),
				      (size_t)(end % bs));
	if ((uint64_t)off % bs != 0)
		err = ext2_zero_part(vp, (uint64_t)off / bs,
				     (size_t)((uint64_t)off % bs), bs);
	if (err == 0 && end % bs != 0)
		err = ext2_zero_part(vp, last, 0, (size_t)(end % bs));
	if (err == 0 && first < last)
		ext2_free_range(vp, first, last);
	return err;
}

long
ext2_data_seek(struct vnode *vp, long off, int hole)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	uint64_t eof = ((uint64_t)vp->size + em->bsize - 1) / em->bsize;

	if (off >= vp->size)
		return -KERN_ENXIO;
	if (ext2_fast_link(vp))
		return hole ? vp->size : off;
	for (uint64_t lbn = (uint64_t)off / em->bsize; lbn < eof; lbn++) {
		uint32_t blk;
		int err = ext2_bmap(vp, lbn, 0, &blk);
		if (err != 0)
			return err;
		if ((blk == 0) == (hole != 0)) {
			long at = (long)(lbn * em->bsize);
			return at > off ? at : off;
		}
	}
	return hole ? vp->size : -KERN_ENXIO;
}
