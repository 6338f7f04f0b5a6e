/*
 * Mounts: the root file system, the mount table from configuration, and
 * mounting and unmounting (for mount(2) and umount2(2), kern/sys/mount.c).
 *
 * A file system is a tmpfs (memory) or an ext2 on a block device. The
 * root is a tmpfs unless configured: root=tmpfs:OPTIONS (root=tmpfs:
 * size=16m) or root=ext2:DEVICE (root=ext2:/dev/xvda; read-only with
 * root=ext2:/dev/xvda,ro). Each configuration word
 * mount.PATH=FSTYPE:SOURCE mounts one more (its directory is made if
 * missing), in the order the words come: mount./tmp=tmpfs:size=1m,
 * mount./data=ext2:/dev/xvdb,ro. For tmpfs SOURCE is its options; for
 * ext2 it is the device (the platform's name: /dev/xvdb, /dev/ramdisk),
 * then options after a comma. A mount covers a directory; path lookup
 * steps onto the mounted root and, by "..", back. vfs_umount takes a
 * mount whose files nobody holds (EBUSY otherwise), syncs and frees it.
 */
#include <string.h>

#include "vfs.h"

static struct mount *vfs_mounts;
static struct vnode *vfs_root_vnode;

struct vnode *
vfs_root(void)
{
	return vfs_root_vnode;
}

/*
 * vfs_options_ro: options (comma-separated) hold "ro" (1), "rw" (0, the
 * later word wins) or neither (rdonly as it was).
 */
static int
vfs_options_ro(const char *options, int rdonly)
{
	for (const char *p = options; p != NULL && *p != '\0';) {
		size_t len = strcspn(p, ",");
		if (len == 2 && (p[0] == 'r') && (p[1] == 'o' || p[1] == 'w'))
			rdonly = p[1] == 'o';
		p += len + (p[len] == ',');
	}
	return rdonly;
}

/*
 * vfs_source_keep: what /proc/mounts names as mp's source: source (ext2:
 * the device), or the type when there is none.
 */
static void
vfs_source_keep(struct mount *mp, const char *source)
{
	if (source == NULL || *source == '\0')
		source = mp->fstype;
	size_t len = strlen(source);
	if (len >= sizeof(mp->source))
		len = sizeof(mp->source) - 1;
	memcpy(mp->source, source, len);
	mp->source[len] = '\0';
}

int
vfs_mount(struct vnode *dir, const char *fstype, const char *source,
	  const char *options, int rdonly)
{
	static unsigned long last_dev;
	struct mount *mp;
	void *p;
	int err, ext2 = strcmp(fstype, "ext2") == 0;
	const char *pseudo = pseudo_type(fstype);

	if (!ext2 && pseudo == NULL && strcmp(fstype, "tmpfs") != 0)
		return -KERN_ENODEV;
	if (dir != NULL && !S_ISDIR(dir->mode))
		return -KERN_ENOTDIR;
	if (dir != NULL && dir->mounted != NULL)
		return -KERN_EBUSY;
	/* A pseudo file system's vnodes are made anew at each lookup. */
	if (dir != NULL && pseudo_type(dir->mount->fstype) != NULL &&
	    dir != dir->mount->root)
		return -KERN_EINVAL;
	if (ext2 && (source == NULL || *source == '\0'))
		return -KERN_ENOTBLK;
	if (rumpuser_malloc(sizeof(*mp), 0, &p) != 0)
		return -KERN_ENOMEM;
	mp = p;
	memset(mp, 0, sizeof(*mp));
	mp->fstype = ext2 ? "ext2" : pseudo != NULL ? pseudo : "tmpfs";
	mp->dev = ++last_dev;
	mp->rdonly = vfs_options_ro(options, rdonly);
	vfs_source_keep(mp, source);
	if (options == NULL)
		options = "";
	if (ext2)
		err = ext2_mount(mp, source, options);
	else if (pseudo != NULL)
		err = pseudo_mount(mp, pseudo);
	else
		err = tmpfs_mount(mp, options);
	if (err != 0) {
		rumpuser_free(mp, sizeof(*mp));
		return err;
	}
	mp->covered = dir;
	if (dir != NULL) {
		vnode_ref(dir);
		dir->mounted = mp;
	} else {
		vfs_root_vnode = mp->root;
	}
	struct mount **pp = &vfs_mounts;
	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = mp; /* the last: vfs_mount_list keeps their order */
	return 0;
}

/* vfs_sync_each: the mounts (only, or every one) synced; the first error. */
static int
vfs_sync_each(struct mount *only, int clean)
{
	int first = 0;

	vfs_ns_enter(); /* no mount comes or goes meanwhile */
	for (struct mount *mp = vfs_mounts; mp != NULL; mp = mp->next) {
		if ((only != NULL && mp != only) || mp->sync == NULL)
			continue;
		int err = mp->sync(mp, clean);
		if (first == 0)
			first = err;
	}
	vfs_ns_leave();
	return first;
}

int
vfs_anon_root(struct vnode **out)
{
	static struct mount *anon;
	void *p;

	if (anon == NULL) {
		if (rumpuser_malloc(sizeof(*anon), 0, &p) != 0)
			return -KERN_ENOMEM;
		memset(p, 0, sizeof(*anon));
		int err = tmpfs_mount(p, "");
		if (err != 0) {
			rumpuser_free(p, sizeof(*anon));
			return err;
		}
		anon = p;
		anon->fstype = "tmpfs";
	}
	*out = anon->root;
	return 0;
}

struct mount *
vfs_mount_list(void)
{
	return vfs_mounts;
}

int
vfs_sync(struct mount *only)
{
	return vfs_sync_each(only, 0);
}

void
vfs_shutdown(void)
{
	int err = vfs_sync_each(NULL, 1);

	if (err != 0)
		platform_console_printf("rumpxen: syncing the file systems at "
					"the end: error %d\n",
					-err);
}

/*
 * vfs_mkdirs: the directory at path (absolute), made with its parents if
 * missing, with a reference. 0 or -errno.
 */
static int
vfs_mkdirs(const char *path, struct vnode **out)
{
	struct vnode *dir = vfs_root(), *next;
	const char *p = path;

	vnode_ref(dir);
	while (*p != '\0') {
		while (*p == '/')
			p++;
		size_t len = strcspn(p, "/");
		if (len == 0)
			break;
		if (dir->mounted != NULL) {
			struct vnode *root = dir->mounted->root;
			vnode_ref(root);
			vnode_put(dir);
			dir = root;
		}
		int err = dir->ops->lookup(dir, p, len, &next);
		if (err == -KERN_ENOENT)
			err = dir->ops->create(dir, p, len, S_IFDIR | 0755, 0,
					       &next);
		vnode_put(dir);
		if (err != 0)
			return err;
		dir = next;
		p += len;
	}
	*out = dir;
	return 0;
}

/*
 * vfs_source_split: "SOURCE,OPTIONS" of an ext2 word into source (its
 * own buffer) and the options after; 0, or -ENAMETOOLONG.
 */
static int
vfs_source_split(const char *spec, char *source, size_t size,
		 const char **options)
{
	size_t len = strcspn(spec, ",");

	if (len >= size)
		return -KERN_ENAMETOOLONG;
	memcpy(source, spec, len);
	source[len] = '\0';
	*options = spec[len] == ',' ? spec + len + 1 : "";
	return 0;
}

/*
 * vfs_mount_spec: a file system from "FSTYPE:SPEC" (tmpfs: options;
 * ext2: the device, then options after a comma) on dir (NULL: the
 * root); errors are logged with what was asked.
 */
static int
vfs_mount_spec(struct vnode *dir, const char *what, const char *spec,
	       int rdonly)
{
	char fstype[32], source[128] = "";
	const char *colon = strchr(spec, ':'), *options = "";
	size_t tlen = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
	int err = -KERN_ENODEV;

	if (tlen < sizeof(fstype)) {
		memcpy(fstype, spec, tlen);
		fstype[tlen] = '\0';
		err = 0;
	}
	const char *rest = colon != NULL ? colon + 1 : "";
	if (err == 0 && strcmp(fstype, "ext2") == 0)
		err = vfs_source_split(rest, source, sizeof(source), &options);
	else
		options = rest;
	if (err == 0)
		err = vfs_mount(dir, fstype, source, options, rdonly);
	if (err != 0)
		platform_console_printf("rumpxen: mount of %s on %s: error "
					"%d\n",
					spec, what, -err);
	return err;
}

/* vfs_mount_config: one mount.PATH=FSTYPE:SPEC word. */
static void
vfs_mount_config(const char *word)
{
	char path[256];
	const char *eq = strchr(word, '=');
	struct vnode *dir;

	if (eq == NULL || (size_t)(eq - word) - 6 >= sizeof(path)) {
		platform_console_printf("rumpxen: bad mount word %s\n", word);
		return;
	}
	memcpy(path, word + 6, (size_t)(eq - word) - 6);
	path[eq - word - 6] = '\0';
	int err = vfs_mkdirs(path, &dir);
	if (err != 0) {
		platform_console_printf("rumpxen: mount on %s: its directory: "
					"error %d\n",
					path, -err);
		return;
	}
	vfs_mount_spec(dir, path, eq + 1, 0);
	vnode_put(dir);
}

int
vfs_init(void)
{
	const char *root = platform_config_get("root");
	int err;

	err = vfs_mount_spec(NULL, "/", root != NULL ? root : "tmpfs", 0);
	if (err != 0)
		return err;
	vfs_set_cwd(vfs_root());
	for (int i = 0; platform_config_word(i) != NULL; i++)
		if (strncmp(platform_config_word(i), "mount.", 6) == 0)
			vfs_mount_config(platform_config_word(i));
	return 0;
}

int
vfs_umount(struct vfs_path *p)
{
	struct mount *mp = p->vp->mount, **pp;

	if (p->vp != mp->root || mp->covered == NULL) {
		vfs_path_done(p);
		return -KERN_EINVAL; /* not a mount point (or the root) */
	}
	/* Busy: a reference besides the mount's and this lookup's. */
	if (mp->refs > 2) {
		vfs_path_done(p);
		return -KERN_EBUSY;
	}
	vfs_path_done(p);
	/* The file system may find itself busy still (ext2: a close). */
	int err = mp->unmount(mp);
	if (err == -KERN_EBUSY)
		return err;
	for (pp = &vfs_mounts; *pp != mp; pp = &(*pp)->next)
		;
	*pp = mp->next;
	mp->covered->mounted = NULL;
	vnode_put(mp->covered);
	rumpuser_free(mp, sizeof(*mp));
	return err;
}
