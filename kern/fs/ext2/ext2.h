/*
 * ext2.h: what the files of the ext2 driver share: the on-disk layout
 * (the second extended file system, revision 0 and 1, as Linux and
 * e2fsprogs define it: little-endian, a superblock at byte 1024, groups
 * of blocks each with a block bitmap, an inode bitmap and an inode
 * table, inodes mapping their blocks through 12 direct pointers and
 * single, double and triple indirect blocks, directories as chains of
 * variable-length entries), the in-memory mount and inode, and the calls
 * between super.c (mount, superblock, groups, the lock, sync), alloc.c
 * (bitmaps), inode.c (inodes, the block map, data), dir.c (entries) and
 * vnops.c (the vnode operations). Not a contract: kern/fs/ext2 only.
 */
#ifndef RUMPXEN_KERN_FS_EXT2_H
#define RUMPXEN_KERN_FS_EXT2_H

#include <string.h>

#include "../../vfs/vnode.h"

#define EXT2_MAGIC	    0xef53
#define EXT2_SB_OFFSET	    1024
#define EXT2_ROOT_INO	    2
#define EXT2_NDIR	    12 /* direct pointers */
#define EXT2_IND	    12 /* i_block[]: single, double, triple */
#define EXT2_NBLOCKS	    15
#define EXT2_GOOD_OLD_ISIZE 128
#define EXT2_FAST_LINK_MAX  60 /* a target shorter lives in i_block */

/* s_state */
#define EXT2_VALID_FS 1
#define EXT2_ERROR_FS 2

/* Features this driver knows. */
#define EXT2_FEATURE_INCOMPAT_FILETYPE	    0x0002
#define EXT2_FEATURE_INCOMPAT_SUPP	    EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE   0x0002
#define EXT2_FEATURE_RO_COMPAT_SUPP                                            \
	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER |                                 \
	 EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

/* i_flags */
#define EXT2_INDEX_FL 0x1000 /* a hashed-index directory */
#define EXT2_UNSUPP_FL                                                         \
	0x80000 /* extents: not ext2's; such an inode is refused */

/* Directory entry file types (with the filetype feature). */
#define EXT2_FT_UNKNOWN 0
#define EXT2_FT_DIR	2

/* Little-endian fields of on-disk structures (x86 is little-endian). */
static inline uint32_t
ext2_get32(const void *base, unsigned off)
{
	uint32_t v;
	memcpy(&v, (const char *)base + off, 4);
	return v;
}

static inline uint16_t
ext2_get16(const void *base, unsigned off)
{
	uint16_t v;
	memcpy(&v, (const char *)base + off, 2);
	return v;
}

static inline void
ext2_put32(void *base, unsigned off, uint32_t v)
{
	memcpy((char *)base + off, &v, 4);
}

static inline void
ext2_put16(void *base, unsigned off, uint16_t v)
{
	memcpy((char *)base + off, &v, 2);
}

/* The superblock's fields that the driver uses, by byte offset. */
enum {
	SB_INODES_COUNT = 0,
	SB_BLOCKS_COUNT = 4,
	SB_FREE_BLOCKS = 12,
	SB_FREE_INODES = 16,
	SB_FIRST_DATA_BLOCK = 20,
	SB_LOG_BLOCK_SIZE = 24,
	SB_BLOCKS_PER_GROUP = 32,
	SB_INODES_PER_GROUP = 40,
	SB_MTIME = 44,
	SB_WTIME = 48,
	SB_MNT_COUNT = 52,
	SB_MAGIC = 56,
	SB_STATE = 58,
	SB_REV_LEVEL = 76,
	SB_FIRST_INO = 84,
	SB_INODE_SIZE = 88,
	SB_FEATURE_COMPAT = 92,
	SB_FEATURE_INCOMPAT = 96,
	SB_FEATURE_RO_COMPAT = 100,
	SB_UUID = 104,
};

/* A group descriptor's fields (32 bytes each). */
enum {
	GD_BLOCK_BITMAP = 0,
	GD_INODE_BITMAP = 4,
	GD_INODE_TABLE = 8,
	GD_FREE_BLOCKS = 12,
	GD_FREE_INODES = 14,
	GD_USED_DIRS = 16,
	GD_SIZE = 32,
};

/* An inode's fields. */
enum {
	I_MODE = 0,
	I_UID = 2,
	I_SIZE = 4,
	I_ATIME = 8,
	I_CTIME = 12,
	I_MTIME = 16,
	I_DTIME = 20,
	I_GID = 24,
	I_LINKS = 26,
	I_BLOCKS = 28,
	I_FLAGS = 32,
	I_BLOCK = 40,
	I_GENERATION = 100,
	I_FILE_ACL = 104,
	I_SIZE_HIGH = 108,
	I_UID_HIGH = 120,
	I_GID_HIGH = 122,
	I_EXTRA_ISIZE = 128,
	I_CTIME_EXTRA = 132,
	I_MTIME_EXTRA = 136,
	I_ATIME_EXTRA = 140,
	I_CRTIME = 144,
	I_CRTIME_EXTRA = 148,
};
#define EXT2_EXTRA_ISIZE 32 /* what new inodes get in 256-byte ones */

/* A mounted ext2. */
struct ext2_mount {
	struct mount *mp;
	struct bdev *dev;
	char name[64]; /* the device's, for messages */
	unsigned bsize, isize;
	uint32_t blocks, inodes, first_data, per_group, ipg, first_ino;
	uint32_t ngroups, gdt_blocks, apb; /* apb: pointers a block */
	uint32_t feature_incompat, feature_ro_compat;
	uint32_t free_blocks, free_inodes;
	uint32_t rev;
	void *sb;  /* the superblock's 1024 bytes, as read */
	void *gdt; /* the group descriptors, gdt_blocks of them */
	int gdt_dirty;
	int sb_dirty;
	struct ext2_node *hash[256]; /* the inodes in memory */
	/* The lock: one operation at a time, across waits for the disk. */
	struct lwp *owner;
	int depth;
	struct kern_waitq lockq;
};

/* An inode in memory: vp->data of its vnode. */
struct ext2_node {
	struct vnode *vp;
	struct ext2_node *hnext;
	uint32_t block[EXT2_NBLOCKS];
	uint32_t flags;
	uint32_t file_acl;
	uint64_t iblocks; /* 512-byte units, as i_blocks */
	uint32_t goal;	  /* where the next block is sought */
	uint64_t ra_next; /* the file block reading ahead goes on from */
	int releasing;	  /* ext2_release waits for the lock for it */
};

static inline struct ext2_mount *
ext2_mount_of(struct vnode *vp)
{
	return vp->mount->data;
}

static inline struct ext2_node *
ext2_node(struct vnode *vp)
{
	return vp->data;
}

/* super.c */
void ext2_lock(struct ext2_mount *em);
void ext2_unlock(struct ext2_mount *em);
/* ext2_corrupt: says what is wrong (printf-like) and returns -EIO. */
int ext2_corrupt(struct ext2_mount *em, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* ext2_gd: group g's descriptor (in em->gdt). */
void *ext2_gd(struct ext2_mount *em, uint32_t g);
/* ext2_sync_all: inodes, groups, superblock, then the device. */
int ext2_sync_all(struct ext2_mount *em);

/* alloc.c */
/* ext2_block_alloc: a free block near goal, zeroed in the cache. */
int ext2_block_alloc(struct ext2_mount *em, uint32_t goal, uint32_t *out);
void ext2_block_free(struct ext2_mount *em, uint32_t blk);
/* ext2_inode_alloc: a free inode for a file of mode near dir's group. */
int ext2_inode_alloc(struct ext2_mount *em, uint32_t dir_ino, unsigned mode,
		     uint32_t *out);
void ext2_inode_free(struct ext2_mount *em, uint32_t ino, int dir);

/* inode.c */
extern const struct vnode_ops ext2_vnops;
/* ext2_iget: the vnode of inode ino, with a reference. */
int ext2_iget(struct ext2_mount *em, uint32_t ino, struct vnode **out);
/* ext2_inew: a new inode of mode for dir, with a reference, 0 links. */
int ext2_inew(struct vnode *dir, unsigned mode, unsigned long rdev,
	      struct vnode **out);
/* ext2_iupdate: vp's inode on disk (in the cache) becomes vp. */
int ext2_iupdate(struct vnode *vp);
/* ext2_iforget: vp leaves memory (its inode written first). */
void ext2_iforget(struct vnode *vp);
/* ext2_ifree: vp, with no links and no references, is freed on disk. */
void ext2_ifree(struct vnode *vp);
/* ext2_update_all: every inode in memory written to the cache. */
int ext2_update_all(struct ext2_mount *em);
/*
 * ext2_bmap: the disk block of file block lbn (0: a hole), allocated
 * (and zeroed) if alloc. -EFBIG past what the map can hold.
 */
int ext2_bmap(struct vnode *vp, uint64_t lbn, int alloc, uint32_t *out);
/* ext2_free_from: every block of vp from file block lbn on is freed. */
int ext2_free_from(struct vnode *vp, uint64_t lbn);
/* ext2_max_size: the largest file size the block map allows. */
long ext2_max_size(struct ext2_mount *em);
/* The data of a file, as the vnode operations of the same names. */
long ext2_data_read(struct vnode *vp, void *buf, size_t len, long off);
long ext2_data_write(struct vnode *vp, const void *buf, size_t len, long off);
int ext2_data_truncate(struct vnode *vp, long size);
int ext2_data_allocate(struct vnode *vp, long off, long len);
int ext2_data_punch(struct vnode *vp, long off, long len);
long ext2_data_seek(struct vnode *vp, long off, int hole);
/* ext2_fast_link: vp is a symlink whose target is in its i_block. */
int ext2_fast_link(struct vnode *vp);

/* dir.c */
/* ext2_dir_find: the inode number of entry name in dir (-ENOENT). */
int ext2_dir_find(struct vnode *dir, const char *name, size_t len,
		  uint32_t *ino);
/* ext2_dir_add: a new entry name for inode ino of mode in dir. */
int ext2_dir_add(struct vnode *dir, const char *name, size_t len, uint32_t ino,
		 unsigned mode);
/* ext2_dir_remove: the entry name of dir goes. */
int ext2_dir_remove(struct vnode *dir, const char *name, size_t len);
/* ext2_dir_set: the entry name of dir names inode ino of mode now. */
int ext2_dir_set(struct vnode *dir, const char *name, size_t len, uint32_t ino,
		 unsigned mode);
/* ext2_dir_init: new directory vp's first block: "." and "..". */
int ext2_dir_init(struct vnode *vp, uint32_t parent);
int ext2_dir_readdir(struct vnode *dir, long cookie, vfs_dirent_fn *fn,
		     void *ctx);
int ext2_dir_empty(struct vnode *dir);

#endif /* RUMPXEN_KERN_FS_EXT2_H */
