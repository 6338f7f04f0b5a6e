/*
 * tmpfs: files and directories in memory.
 *
 * A file's (or symlink's) data is pages from the platform, found through
 * a radix tree of 512 pointers a level that grows as the file does; a
 * page never written is a hole and reads as zeros, so sparse files cost
 * nothing. A directory is a list of entries, each with a cookie that only
 * grows (readdir resumes after a cookie, so entries made or removed
 * meanwhile never make it repeat or skip others); "." and ".." are
 * cookies 1 and 2. A symlink's target shorter than TMPFS_INLINE bytes is
 * kept in its node, as Linux's tmpfs keeps it. The mount's size limit counts
 * every page (data and tree); past it a write is ENOSPC (what fitted is
 * written). Mount options: size=BYTES (with k, m or g), mode=OCTAL for the
 * root.
 */
#include <string.h>

#include "../vfs/vnode.h"

#define TMPFS_FANOUT   512
#define TMPFS_SHIFT    9
#define PAGE	       PLATFORM_PAGE_SIZE
#define TMPFS_MAGIC    0x01021994
#define TMPFS_MAX_SIZE (1l << 44) /* 16 TiB: a tree of four levels */
#define TMPFS_INLINE   128	  /* a symlink shorter is kept in its node */

struct tmpfs_dirent {
	struct tmpfs_dirent *next;
	struct vnode *vp;
	long cookie;
	size_t len;
	char name[];
};

struct tmpfs_node {
	/* a directory */
	struct tmpfs_dirent *first;
	long next_cookie;
	struct vnode *parent;
	/* a file or a symlink */
	char link[TMPFS_INLINE]; /* a short symlink's target */
	void *root; /* the tree's root: a page (depth 0) or a node */
	int depth;
	long pages; /* data pages */
};

struct tmpfs_mount {
	long limit; /* pages, or 0 for no limit */
	long used;
};

static const struct vnode_ops tmpfs_ops;

static struct tmpfs_node *
tmpfs_node(struct vnode *vp)
{
	return vp->data;
}

/* tmpfs_page_get: a zeroed page counted against the mount's limit. */
static void *
tmpfs_page_get(struct mount *mp)
{
	struct tmpfs_mount *tm = mp->data;
	void *p;

	if (tm->limit != 0 && tm->used >= tm->limit)
		return NULL;
	if (platform_pages_alloc(1, 1, &p) != 0)
		return NULL;
	tm->used++;
	return p;
}

static void
tmpfs_page_put(struct mount *mp, void *p)
{
	struct tmpfs_mount *tm = mp->data;

	platform_pages_free(p, 1);
	tm->used--;
}

/* tmpfs_slot: where page pg of n hangs; made (if create) or NULL. */
static void **
tmpfs_slot(struct mount *mp, struct tmpfs_node *n, unsigned long pg, int create)
{
	int need = 0;

	for (unsigned long cap = 1; pg >= cap; cap <<= TMPFS_SHIFT)
		need++;
	while (n->depth < need) {
		if (!create)
			return NULL;
		if (n->root != NULL) {
			void **node = tmpfs_page_get(mp);
			if (node == NULL)
				return NULL;
			node[0] = n->root;
			n->root = node;
		}
		n->depth++;
	}
	void **slot = &n->root;
	for (int level = n->depth; level > 0; level--) {
		if (*slot == NULL) {
			if (!create || (*slot = tmpfs_page_get(mp)) == NULL)
				return NULL;
		}
		void **node = *slot;
		slot = &node[(pg >> (TMPFS_SHIFT * (level - 1))) &
			     (TMPFS_FANOUT - 1)];
	}
	return slot;
}

/*
 * tmpfs_free_from: frees the pages of the subtree at *slot (level, its
 * first page base) from page first on; the subtree goes too when it
 * empties. Returns the data pages freed.
 */
static long
tmpfs_free_from(struct mount *mp, void **slot, int level, unsigned long base,
		unsigned long first)
{
	unsigned long span = 1ul << (TMPFS_SHIFT * level);
	long freed = 0;

	if (*slot == NULL || base + span <= first)
		return 0;
	if (level == 0) {
		tmpfs_page_put(mp, *slot);
		*slot = NULL;
		return 1;
	}
	void **node = *slot;
	unsigned long child = span >> TMPFS_SHIFT;
	int left = 0;
	for (int i = 0; i < TMPFS_FANOUT; i++) {
		freed += tmpfs_free_from(mp, &node[i], level - 1,
					 base + i * child, first);
		left += node[i] != NULL;
	}
	if (left == 0) {
		tmpfs_page_put(mp, node);
		*slot = NULL;
	}
	return freed;
}

/* tmpfs_next_page: the first page from pg on with data (or none: -1). */
static long
tmpfs_next_page(void *node, int level, unsigned long base, unsigned long pg)
{
	unsigned long span = 1ul << (TMPFS_SHIFT * level);

	if (node == NULL || base + span <= pg)
		return -1;
	if (level == 0)
		return (long)base;
	unsigned long child = span >> TMPFS_SHIFT;
	for (int i = 0; i < TMPFS_FANOUT; i++) {
		long r = tmpfs_next_page(((void **)node)[i], level - 1,
					 base + i * child, pg);
		if (r >= 0)
			return r;
	}
	return -1;
}

/* tmpfs_page: page pg of vp, made (zeroed) if a hole; NULL: no room. */
static void *
tmpfs_page(struct vnode *vp, unsigned long pg)
{
	struct tmpfs_node *n = tmpfs_node(vp);
	void **slot = tmpfs_slot(vp->mount, n, pg, 1);

	if (slot != NULL && *slot == NULL &&
	    (*slot = tmpfs_page_get(vp->mount)) != NULL)
		n->pages++;
	return slot != NULL ? *slot : NULL;
}

/* tmpfs_inline: vp is a symlink whose target is in its node. */
static int
tmpfs_inline(const struct vnode *vp)
{
	return S_ISLNK(vp->mode) && vp->size < TMPFS_INLINE;
}

static long
tmpfs_read(struct vnode *vp, void *buf, size_t len, long off)
{
	struct tmpfs_node *n = tmpfs_node(vp);
	size_t done = 0;

	if (off >= vp->size)
		return 0;
	if ((long)len > vp->size - off)
		len = (size_t)(vp->size - off);
	if (tmpfs_inline(vp)) {
		memcpy(buf, n->link + off, len);
		return (long)len;
	}
	while (done < len) {
		unsigned long pos = (unsigned long)off + done;
		size_t in = pos % PAGE, chunk = PAGE - in;
		if (chunk > len - done)
			chunk = len - done;
		void **slot = tmpfs_slot(vp->mount, n, pos / PAGE, 0);
		if (slot != NULL && *slot != NULL)
			memcpy((char *)buf + done, (char *)*slot + in, chunk);
		else
			memset((char *)buf + done, 0, chunk);
		done += chunk;
	}
	return (long)done;
}

static long
tmpfs_write(struct vnode *vp, const void *buf, size_t len, long off)
{
	struct tmpfs_node *n = tmpfs_node(vp);
	size_t done = 0;

	if (off < 0)
		off = vp->size; /* O_APPEND */
	if (off >= TMPFS_MAX_SIZE || (long)len > TMPFS_MAX_SIZE - off)
		return -KERN_EFBIG;
	if (S_ISLNK(vp->mode) && vp->size == 0 && off == 0 &&
	    len < TMPFS_INLINE) {
		/* A symlink's target, written once when it is made. */
		memcpy(n->link, buf, len);
		vp->size = (long)len;
		return (long)len;
	}
	while (done < len) {
		unsigned long pos = (unsigned long)off + done;
		size_t in = pos % PAGE, chunk = PAGE - in;
		if (chunk > len - done)
			chunk = len - done;
		char *page = tmpfs_page(vp, pos / PAGE);
		if (page == NULL)
			break;
		memcpy(page + in, (const char *)buf + done, chunk);
		done += chunk;
	}
	if (done == 0 && len > 0)
		return -KERN_ENOSPC;
	if (off + (long)done > vp->size)
		vp->size = off + (long)done;
	return (long)done;
}

static int
tmpfs_truncate(struct vnode *vp, long size)
{
	struct tmpfs_node *n = tmpfs_node(vp);

	if (size > TMPFS_MAX_SIZE)
		return -KERN_EFBIG;
	/* Not growing: pages past the end go (fallocate's too), as Linux. */
	if (size <= vp->size) {
		unsigned long first = ((unsigned long)size + PAGE - 1) / PAGE;
		n->pages -= tmpfs_free_from(vp->mount, &n->root, n->depth, 0,
					    first);
		/* The rest of the last page reads as zeros if it grows. */
		void **slot =
			tmpfs_slot(vp->mount, n, (unsigned long)size / PAGE, 0);
		if (size % PAGE != 0 && slot != NULL && *slot != NULL)
			memset((char *)*slot + size % PAGE, 0,
			       PAGE - size % PAGE);
	}
	vp->size = size;
	return 0;
}

static int
tmpfs_allocate(struct vnode *vp, long off, long len)
{
	if (off >= TMPFS_MAX_SIZE || len > TMPFS_MAX_SIZE - off)
		return -KERN_EFBIG;
	for (unsigned long pg = (unsigned long)off / PAGE;
	     pg <= (unsigned long)(off + len - 1) / PAGE; pg++)
		if (tmpfs_page(vp, pg) == NULL)
			return -KERN_ENOSPC;
	return 0;
}

static int
tmpfs_punch(struct vnode *vp, long off, long len)
{
	struct tmpfs_node *n = tmpfs_node(vp);
	long end = off + len;

	while (off < end) {
		unsigned long pg = (unsigned long)off / PAGE;
		long in = off % PAGE, chunk = PAGE - in;
		if (chunk > end - off)
			chunk = end - off;
		void **slot = tmpfs_slot(vp->mount, n, pg, 0);
		if (slot != NULL && *slot != NULL) {
			if (chunk == PAGE) {
				tmpfs_page_put(vp->mount, *slot);
				*slot = NULL;
				n->pages--;
			} else {
				memset((char *)*slot + in, 0, (size_t)chunk);
			}
		}
		off += chunk;
	}
	return 0;
}

static long
tmpfs_seek_data(struct vnode *vp, long off, int hole)
{
	struct tmpfs_node *n = tmpfs_node(vp);
	unsigned long pg = (unsigned long)off / PAGE;

	if (off >= vp->size)
		return -KERN_ENXIO;
	for (;;) {
		long data = tmpfs_next_page(n->root, n->depth, 0, pg);
		if (!hole) {
			if (data < 0 || data * PAGE >= vp->size)
				return -KERN_ENXIO;
			return data * PAGE > off ? data * PAGE : off;
		}
		if (data != (long)pg)
			return (long)pg * PAGE > off ? (long)pg * PAGE : off;
		pg++;
		if ((long)pg * PAGE >= vp->size)
			return vp->size;
	}
}

static long
tmpfs_blocks(struct vnode *vp)
{
	return S_ISDIR(vp->mode) || tmpfs_inline(vp)
		       ? 0
		       : tmpfs_node(vp)->pages * (PAGE / 512);
}

static struct tmpfs_dirent *
tmpfs_find(struct tmpfs_node *d, const char *name, size_t len,
	   struct tmpfs_dirent ***prevp)
{
	struct tmpfs_dirent **pp = &d->first;

	for (; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->len == len && memcmp((*pp)->name, name, len) == 0) {
			if (prevp != NULL)
				*prevp = pp;
			return *pp;
		}
	}
	return NULL;
}

static int
tmpfs_lookup(struct vnode *dir, const char *name, size_t len,
	     struct vnode **out)
{
	struct tmpfs_node *d = tmpfs_node(dir);
	struct tmpfs_dirent *e;

	if (len == 1 && name[0] == '.')
		*out = dir;
	else if (len == 2 && name[0] == '.' && name[1] == '.')
		*out = d->parent;
	else if ((e = tmpfs_find(d, name, len, NULL)) != NULL)
		*out = e->vp;
	else
		return -KERN_ENOENT;
	vnode_ref(*out);
	return 0;
}

/* tmpfs_enter: a new entry for vp at the end of dir's list. */
static int
tmpfs_enter(struct vnode *dir, const char *name, size_t len, struct vnode *vp)
{
	struct tmpfs_node *d = tmpfs_node(dir);
	struct tmpfs_dirent *e, **pp = &d->first;
	void *p;

	if (rumpuser_malloc(sizeof(*e) + len, 0, &p) != 0)
		return -KERN_ENOMEM;
	e = p;
	e->next = NULL;
	e->vp = vp;
	e->cookie = d->next_cookie++;
	e->len = len;
	memcpy(e->name, name, len);
	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = e;
	vnode_touch(dir, VNODE_M | VNODE_C);
	return 0;
}

/* tmpfs_leave: dir's entry name goes (the vnode's links are untouched). */
static void
tmpfs_leave(struct vnode *dir, const char *name, size_t len)
{
	struct tmpfs_dirent **pp, *e;

	e = tmpfs_find(tmpfs_node(dir), name, len, &pp);
	*pp = e->next;
	rumpuser_free(e, sizeof(*e) + e->len);
	vnode_touch(dir, VNODE_M | VNODE_C);
}

/* tmpfs_vnode: a new vnode with its node, one reference, no links. */
static struct vnode *
tmpfs_vnode(struct mount *mp, unsigned mode, struct vnode *parent)
{
	struct vnode *vp = vnode_new(mp, &tmpfs_ops, mode);
	struct tmpfs_node *n;
	void *p;

	if (vp == NULL)
		return NULL;
	if (rumpuser_malloc(sizeof(*n), 0, &p) != 0) {
		rumpuser_free(vp, sizeof(*vp));
		return NULL;
	}
	n = p;
	memset(n, 0, sizeof(*n));
	n->next_cookie = 3;
	n->parent = parent != NULL ? parent : vp;
	vp->data = n;
	return vp;
}

static int
tmpfs_create(struct vnode *dir, const char *name, size_t len, unsigned mode,
	     unsigned long rdev, struct vnode **out)
{
	struct vnode *vp = tmpfs_vnode(dir->mount, mode, dir);
	int err;

	if (vp == NULL)
		return -KERN_ENOSPC;
	vp->rdev = rdev;
	err = tmpfs_enter(dir, name, len, vp);
	if (err != 0) {
		vnode_put(vp);
		return err;
	}
	if (S_ISDIR(mode)) {
		vp->nlink = 2;
		dir->nlink++;
	} else {
		vp->nlink = 1;
	}
	*out = vp;
	return 0;
}

static int
tmpfs_link(struct vnode *dir, const char *name, size_t len, struct vnode *vp)
{
	int err = tmpfs_enter(dir, name, len, vp);

	if (err != 0)
		return err;
	vp->nlink++;
	vnode_touch(vp, VNODE_C);
	return 0;
}

static int
tmpfs_remove(struct vnode *dir, const char *name, size_t len, struct vnode *vp)
{
	tmpfs_leave(dir, name, len);
	vnode_unlinked(dir, vp);
	return 0;
}

/* tmpfs_moved: directory vp now lives in ndir instead of odir. */
static void
tmpfs_moved(struct vnode *vp, struct vnode *odir, struct vnode *ndir)
{
	if (!S_ISDIR(vp->mode) || odir == ndir)
		return;
	odir->nlink--;
	ndir->nlink++;
	tmpfs_node(vp)->parent = ndir;
}

static int
tmpfs_rename(struct vnode *odir, const char *oname, size_t olen,
	     struct vnode *vp, struct vnode *ndir, const char *nname,
	     size_t nlen, struct vnode *target, int exchange)
{
	struct tmpfs_dirent *oe =
		tmpfs_find(tmpfs_node(odir), oname, olen, NULL);

	if (exchange) {
		struct tmpfs_dirent *ne =
			tmpfs_find(tmpfs_node(ndir), nname, nlen, NULL);
		oe->vp = target;
		ne->vp = vp;
		tmpfs_moved(vp, odir, ndir);
		tmpfs_moved(target, ndir, odir);
		vnode_touch(odir, VNODE_M | VNODE_C);
		vnode_touch(ndir, VNODE_M | VNODE_C);
		vnode_touch(vp, VNODE_C);
		vnode_touch(target, VNODE_C);
		return 0;
	}
	if (target != NULL) {
		/* The entry stays and points at vp: nothing to allocate. */
		struct tmpfs_dirent *ne =
			tmpfs_find(tmpfs_node(ndir), nname, nlen, NULL);
		ne->vp = vp;
		vnode_touch(ndir, VNODE_M | VNODE_C);
		vnode_unlinked(ndir, target);
	} else {
		int err = tmpfs_enter(ndir, nname, nlen, vp);
		if (err != 0)
			return err;
	}
	tmpfs_leave(odir, oname, olen);
	tmpfs_moved(vp, odir, ndir);
	vnode_touch(vp, VNODE_C);
	return 0;
}

static unsigned
tmpfs_dtype(unsigned mode)
{
	return (mode & S_IFMT) >> 12; /* DT_* are the type bits, shifted */
}

static int
tmpfs_readdir(struct vnode *dir, long cookie, vfs_dirent_fn *fn, void *ctx)
{
	struct tmpfs_node *d = tmpfs_node(dir);

	if (cookie < 1 && fn(ctx, ".", 1, dir->ino, 4, 1))
		return 0;
	if (cookie < 2 && fn(ctx, "..", 2, d->parent->ino, 4, 2))
		return 0;
	for (struct tmpfs_dirent *e = d->first; e != NULL; e = e->next)
		if (e->cookie > cookie &&
		    fn(ctx, e->name, e->len, e->vp->ino,
		       tmpfs_dtype(e->vp->mode), e->cookie))
			return 0;
	return 0;
}

static int
tmpfs_empty(struct vnode *dir)
{
	return tmpfs_node(dir)->first == NULL;
}

static void
tmpfs_reclaim(struct vnode *vp)
{
	struct tmpfs_node *n = tmpfs_node(vp);

	tmpfs_free_from(vp->mount, &n->root, n->depth, 0, 0);
	rumpuser_free(n, sizeof(*n));
	rumpuser_free(vp, sizeof(*vp));
}

static const struct vnode_ops tmpfs_ops = {
	.lookup = tmpfs_lookup,
	.create = tmpfs_create,
	.link = tmpfs_link,
	.remove = tmpfs_remove,
	.rename = tmpfs_rename,
	.read = tmpfs_read,
	.write = tmpfs_write,
	.truncate = tmpfs_truncate,
	.page = tmpfs_page,
	.allocate = tmpfs_allocate,
	.punch = tmpfs_punch,
	.seek_data = tmpfs_seek_data,
	.readdir = tmpfs_readdir,
	.empty = tmpfs_empty,
	.blocks = tmpfs_blocks,
	.reclaim = tmpfs_reclaim,
};

static long
tmpfs_statfs(struct mount *mp, struct kern_statfs *st)
{
	struct tmpfs_mount *tm = mp->data;
	long total = tm->limit != 0 ? tm->limit : tm->used + 65536;

	memset(st, 0, sizeof(*st));
	st->type = TMPFS_MAGIC;
	st->bsize = st->frsize = PAGE;
	st->blocks = total;
	st->bfree = st->bavail = total - tm->used;
	st->files = st->ffree = 1 << 20;
	st->fsid[0] = (int)mp->dev;
	st->namelen = VFS_NAME_MAX;
	return 0;
}

/* tmpfs_option: the number after key= in options (k, m, g), or def. */
static unsigned long
tmpfs_option(const char *options, const char *key, int base, unsigned long def)
{
	size_t klen = strlen(key);
	const char *p = options;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			unsigned long v = 0;
			for (p += klen + 1; *p >= '0' && *p <= '9'; p++)
				v = v * (unsigned long)base +
				    (unsigned long)(*p - '0');
			if (*p == 'k' || *p == 'K')
				v <<= 10;
			else if (*p == 'm' || *p == 'M')
				v <<= 20;
			else if (*p == 'g' || *p == 'G')
				v <<= 30;
			return v;
		}
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return def;
}

/* tmpfs_free_tree: every entry under dir goes, and what they named. */
static void
tmpfs_free_tree(struct vnode *dir)
{
	struct tmpfs_node *d = tmpfs_node(dir);
	struct tmpfs_dirent *e;

	while ((e = d->first) != NULL) {
		struct vnode *vp = e->vp;
		d->first = e->next;
		rumpuser_free(e, sizeof(*e) + e->len);
		if (S_ISDIR(vp->mode))
			tmpfs_free_tree(vp);
		if (--vp->nlink == 0 || S_ISDIR(vp->mode)) {
			vp->nlink = 0;
			if (vp->refs == 0)
				tmpfs_reclaim(vp);
		}
	}
}

static int
tmpfs_unmount(struct mount *mp)
{
	tmpfs_free_tree(mp->root);
	tmpfs_reclaim(mp->root);
	rumpuser_free(mp->data, sizeof(struct tmpfs_mount));
	return 0;
}

int
tmpfs_mount(struct mount *mp, const char *options)
{
	struct tmpfs_mount *tm;
	struct vnode *root;
	void *p;

	if (rumpuser_malloc(sizeof(*tm), 0, &p) != 0)
		return -KERN_ENOMEM;
	tm = p;
	tm->limit = (long)((tmpfs_option(options, "size", 10, 0) + PAGE - 1) /
			   PAGE);
	tm->used = 0;
	mp->data = tm;
	mp->statfs = tmpfs_statfs;
	mp->unmount = tmpfs_unmount;
	root = tmpfs_vnode(mp, S_IFDIR | tmpfs_option(options, "mode", 8, 0755),
			   NULL);
	if (root == NULL) {
		rumpuser_free(tm, sizeof(*tm));
		return -KERN_ENOMEM;
	}
	root->nlink = 2;
	mp->root = root; /* its reference is the mount's */
	return 0;
}
