/*
 * ext2's directories: entries found, added, removed and rewritten, a new
 * directory's "." and "..", readdir and the emptiness rmdir asks about.
 *
 * A directory is blocks of entries, each block a chain that covers it
 * exactly: an inode number (0: an unused entry), the entry's length
 * (rec_len, padding included), the name's length, a file type (with the
 * filetype feature) and the name. Every operation walks the blocks in
 * order and each block's chain from its start (ext2_dir_walk), checking
 * every entry on the way; a malformed one, or a hole inside the size,
 * is corruption (EIO). A hashed-index directory (dir_index) reads the
 * same way, its index hidden in unused space; a change clears its index
 * flag, as Linux's ext2 does, so nothing trusts a stale index later.
 *
 * A new entry takes an unused entry that is long enough or the spare
 * room at the end of a used one; failing both, a block is appended. A
 * removed entry's space goes to the entry before it in its block (the
 * first of a block becomes unused instead). readdir's cookie is the
 * entry's byte position in the directory plus one, so it stays valid
 * while other entries come and go.
 */
#include "ext2.h"

/* An entry's fields, by byte offset. */
enum {
	DE_INODE = 0,
	DE_REC_LEN = 4,
	DE_NAME_LEN = 6,
	DE_FILE_TYPE = 7,
	DE_NAME = 8,
};

/* EXT2_DIR_REC: the room an entry with a name of n bytes needs. */
#define EXT2_DIR_REC(n) ((DE_NAME + (unsigned)(n) + 3) & ~3u)

/* DT_* of the file types: regular, dir, chrdev, blkdev, fifo, sock, link. */
static const unsigned char ext2_dt[8] = {0, 8, 4, 2, 6, 1, 12, 10};

/* An entry as the walk sees it: in block lbn (held in b) at off. */
struct ext2_de {
	struct vnode *dir;
	struct ext2_mount *em;
	struct buf *b;
	unsigned long lbn;
	unsigned off, prev; /* its offset, its predecessor's (if off > 0) */
	uint32_t ino;
	unsigned rec_len, name_len;
	const char *name;
};

/* ext2_de_fn: called for each entry; 0 goes on, else the walk stops. */
typedef int ext2_de_fn(struct ext2_de *de, void *arg);

/* A name for the calls that look for one, and what it is to name. */
struct ext2_name {
	const char *name;
	size_t len;
	uint32_t ino;
	unsigned mode;
};

/* ext2_de_ptr: the entry's bytes. */
static char *
ext2_de_ptr(struct ext2_de *de)
{
	return (char *)de->b->data + de->off;
}

/* ext2_ftype: the file type an entry for mode gets on this mount. */
static uint8_t
ext2_ftype(struct ext2_mount *em, unsigned mode)
{
	if (!(em->feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE))
		return EXT2_FT_UNKNOWN;
	for (uint8_t ft = 1; ft < sizeof(ext2_dt); ft++)
		if (ext2_dt[ft] == (mode & S_IFMT) >> 12)
			return ft;
	return EXT2_FT_UNKNOWN;
}

/* ext2_de_put: writes an entry at e. */
static void
ext2_de_put(struct ext2_mount *em, char *e, uint32_t ino, unsigned rec_len,
	    const char *name, size_t len, unsigned mode)
{
	ext2_put32(e, DE_INODE, ino);
	ext2_put16(e, DE_REC_LEN, (uint16_t)rec_len);
	e[DE_NAME_LEN] = (char)len;
	e[DE_FILE_TYPE] = (char)ext2_ftype(em, mode);
	memcpy(e + DE_NAME, name, len);
}

/* ext2_de_load: reads and checks the entry at de->off. */
static int
ext2_de_load(struct ext2_de *de)
{
	struct ext2_mount *em = de->em;
	const char *e = ext2_de_ptr(de);
	const char *why = NULL;

	de->ino = 0;
	de->rec_len = de->name_len = 0;
	if (em->bsize - de->off < DE_NAME) {
		why = "no room for an entry";
	} else {
		de->ino = ext2_get32(e, DE_INODE);
		de->rec_len = ext2_get16(e, DE_REC_LEN);
		de->name_len = (uint8_t)e[DE_NAME_LEN];
		de->name = e + DE_NAME;
		if (de->rec_len < DE_NAME || de->rec_len % 4 != 0 ||
		    de->rec_len > em->bsize - de->off)
			why = "bad rec_len";
		else if (de->ino != 0 && DE_NAME + de->name_len > de->rec_len)
			why = "name longer than its entry";
		else if (de->ino > em->inodes)
			why = "inode past the last";
	}
	if (why == NULL)
		return 0;
	return ext2_corrupt(
		em,
		"directory %lu, block %lu, offset %u: %s (inode %u, "
		"rec_len %u, name_len %u)",
		de->dir->ino, de->lbn, de->off, why, de->ino, de->rec_len,
		de->name_len);
}

/*
 * ext2_dir_walk: calls fn for each entry of dir from file block first on.
 * 0 when all were walked, fn's value when it stopped the walk, or -errno.
 */
static int
ext2_dir_walk(struct vnode *dir, unsigned long first, ext2_de_fn *fn, void *arg)
{
	struct ext2_de de = {.dir = dir, .em = ext2_mount_of(dir)};
	unsigned long nblocks = (unsigned long)dir->size / de.em->bsize;
	uint32_t blk;
	int r = 0;

	for (de.lbn = first; r == 0 && de.lbn < nblocks; de.lbn++) {
		r = ext2_bmap(dir, de.lbn, 0, &blk);
		if (r == 0 && blk == 0)
			r = ext2_corrupt(de.em,
					 "directory %lu: block %lu is a hole",
					 dir->ino, de.lbn);
		if (r == 0)
			r = buf_read(de.em->dev, blk, &de.b);
		if (r != 0)
			return r;
		for (de.off = 0; r == 0 && de.off < de.em->bsize;
		     de.off += de.rec_len) {
			r = ext2_de_load(&de);
			if (r == 0)
				r = fn(&de, arg);
			de.prev = de.off;
		}
		buf_put(de.b);
	}
	return r;
}

/* ext2_de_is: the entry is used and named n. */
static int
ext2_de_is(const struct ext2_de *de, const struct ext2_name *n)
{
	return de->ino != 0 && de->name_len == n->len &&
	       memcmp(de->name, n->name, n->len) == 0;
}

/* ext2_dir_changed: dir's entries changed: no index, new times. */
static void
ext2_dir_changed(struct vnode *dir)
{
	ext2_node(dir)->flags &= ~EXT2_INDEX_FL;
	vnode_touch(dir, VNODE_M | VNODE_C);
}

/* ext2_dir_named: walks dir with fn, which stops at n: -ENOENT if not. */
static int
ext2_dir_named(struct vnode *dir, ext2_de_fn *fn, struct ext2_name *n)
{
	int r = ext2_dir_walk(dir, 0, fn, n);

	if (r == 0)
		return -KERN_ENOENT;
	return r < 0 ? r : 0;
}

/* ext2_find_fn: the entry named n gives its inode number. */
static int
ext2_find_fn(struct ext2_de *de, void *arg)
{
	struct ext2_name *n = arg;

	if (!ext2_de_is(de, n))
		return 0;
	n->ino = de->ino;
	return 1;
}

int
ext2_dir_find(struct vnode *dir, const char *name, size_t len, uint32_t *ino)
{
	struct ext2_name n = {.name = name, .len = len};
	int err = ext2_dir_named(dir, ext2_find_fn, &n);

	if (err == 0)
		*ino = n.ino;
	return err;
}

/* ext2_add_fn: an entry with room for n (unused, or its tail) takes it. */
static int
ext2_add_fn(struct ext2_de *de, void *arg)
{
	struct ext2_name *n = arg;
	unsigned used = de->ino == 0 ? 0 : EXT2_DIR_REC(de->name_len);
	char *e = ext2_de_ptr(de);

	if (de->rec_len < used + EXT2_DIR_REC(n->len))
		return 0;
	if (used != 0) {
		ext2_put16(e, DE_REC_LEN, (uint16_t)used);
		e += used;
	}
	ext2_de_put(de->em, e, n->ino, de->rec_len - used, n->name, n->len,
		    n->mode);
	buf_dirty(de->b);
	return 1;
}

int
ext2_dir_add(struct vnode *dir, const char *name, size_t len, uint32_t ino,
	     unsigned mode)
{
	struct ext2_mount *em = ext2_mount_of(dir);
	struct ext2_name n = {name, len, ino, mode};
	struct buf *b;
	uint32_t blk;
	int err = ext2_dir_walk(dir, 0, ext2_add_fn, &n);

	if (err < 0)
		return err;
	if (err == 0) {
		/* No room: a new block, one entry across it. */
		err = ext2_bmap(dir, (uint64_t)dir->size / em->bsize, 1, &blk);
		if (err == 0)
			err = buf_read(em->dev, blk, &b);
		if (err != 0)
			return err;
		ext2_de_put(em, b->data, ino, em->bsize, name, len, mode);
		buf_dirty(b);
		buf_put(b);
		dir->size += em->bsize;
	}
	ext2_dir_changed(dir);
	return 0;
}

/* ext2_remove_fn: the entry named n goes to its predecessor, or unused. */
static int
ext2_remove_fn(struct ext2_de *de, void *arg)
{
	char *block = de->b->data;

	if (!ext2_de_is(de, arg))
		return 0;
	if (de->off != 0)
		ext2_put16(block + de->prev, DE_REC_LEN,
			   (uint16_t)(de->off + de->rec_len - de->prev));
	ext2_put32(block + de->off, DE_INODE, 0);
	buf_dirty(de->b);
	return 1;
}

int
ext2_dir_remove(struct vnode *dir, const char *name, size_t len)
{
	struct ext2_name n = {.name = name, .len = len};
	int err = ext2_dir_named(dir, ext2_remove_fn, &n);

	if (err == 0)
		ext2_dir_changed(dir);
	return err;
}

/* ext2_set_fn: the entry named n names n->ino of n->mode now. */
static int
ext2_set_fn(struct ext2_de *de, void *arg)
{
	struct ext2_name *n = arg;
	char *e = ext2_de_ptr(de);

	if (!ext2_de_is(de, n))
		return 0;
	ext2_put32(e, DE_INODE, n->ino);
	e[DE_FILE_TYPE] = (char)ext2_ftype(de->em, n->mode);
	buf_dirty(de->b);
	return 1;
}

int
ext2_dir_set(struct vnode *dir, const char *name, size_t len, uint32_t ino,
	     unsigned mode)
{
	struct ext2_name n = {name, len, ino, mode};
	int err = ext2_dir_named(dir, ext2_set_fn, &n);

	if (err == 0)
		ext2_dir_changed(dir);
	return err;
}

int
ext2_dir_init(struct vnode *vp, uint32_t parent)
{
	struct ext2_mount *em = ext2_mount_of(vp);
	unsigned dot = EXT2_DIR_REC(1);
	struct buf *b;
	uint32_t blk;
	int err = ext2_bmap(vp, 0, 1, &blk);

	if (err == 0)
		err = buf_read(em->dev, blk, &b);
	if (err != 0)
		return err;
	ext2_de_put(em, b->data, (uint32_t)vp->ino, dot, ".", 1, S_IFDIR);
	ext2_de_put(em, (char *)b->data + dot, parent, em->bsize - dot, "..", 2,
		    S_IFDIR);
	buf_dirty(b);
	buf_put(b);
	vp->size = em->bsize;
	return 0;
}

/* What readdir reports to, and from where. */
struct ext2_readdir {
	long cookie;
	vfs_dirent_fn *fn;
	void *ctx;
};

/* ext2_de_type: the entry's DT_*, from its file type or its inode. */
static int
ext2_de_type(struct ext2_de *de, unsigned *type)
{
	struct vnode *vp;
	uint8_t ft = (uint8_t)ext2_de_ptr(de)[DE_FILE_TYPE];

	if (de->em->feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE) {
		*type = ft < sizeof(ext2_dt) ? ext2_dt[ft] : 0;
		return 0;
	}
	int err = ext2_iget(de->em, de->ino, &vp);
	if (err != 0)
		return err;
	*type = (vp->mode & S_IFMT) >> 12;
	vnode_put(vp);
	return 0;
}

/* ext2_readdir_fn: a used entry past the cookie is reported. */
static int
ext2_readdir_fn(struct ext2_de *de, void *arg)
{
	struct ext2_readdir *rd = arg;
	long pos = (long)de->lbn * de->em->bsize + de->off;
	unsigned type;

	if (de->ino == 0 || pos < rd->cookie)
		return 0;
	int err = ext2_de_type(de, &type);
	if (err != 0)
		return err;
	return rd->fn(rd->ctx, de->name, de->name_len, de->ino, type,
		      pos + 1) != 0;
}

int
ext2_dir_readdir(struct vnode *dir, long cookie, vfs_dirent_fn *fn, void *ctx)
{
	struct ext2_readdir rd = {cookie < 0 ? 0 : cookie, fn, ctx};
	unsigned long first =
		(unsigned long)rd.cookie / ext2_mount_of(dir)->bsize;
	int err = ext2_dir_walk(dir, first, ext2_readdir_fn, &rd);

	return err < 0 ? err : 0;
}

/* ext2_nonempty_fn: a used entry other than "." and ".." stops. */
static int
ext2_nonempty_fn(struct ext2_de *de, void *arg)
{
	(void)arg;
	if (de->ino == 0)
		return 0;
	return de->name_len == 0 || de->name_len > 2 ||
	       memcmp(de->name, "..", de->name_len) != 0;
}

int
ext2_dir_empty(struct vnode *dir)
{
	return ext2_dir_walk(dir, 0, ext2_nonempty_fn, NULL) == 0;
}
