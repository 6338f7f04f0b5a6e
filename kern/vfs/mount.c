/*
 * Mounts: the root file system, the mount table from configuration, and
 * mounting and unmounting (for mount(2) and umount2(2), kern/sys/mount.c).
 *
 * The root is a tmpfs (configuration root=tmpfs:OPTIONS, e.g.
 * root=tmpfs:size=16m). Each configuration word mount.PATH=FSTYPE:OPTIONS
 * mounts one more (its directory is made if missing), in the order the
 * words come: mount./tmp=tmpfs:size=1m. A mount covers a directory; path
 * lookup steps onto the mounted root and, by "..", back. vfs_umount takes
 * a mount whose files nobody holds (EBUSY otherwise) and frees them.
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

int
vfs_mount(struct vnode *dir, const char *fstype, const char *options)
{
	static unsigned long last_dev;
	struct mount *mp;
	void *p;
	int err;

	if (strcmp(fstype, "tmpfs") != 0)
		return -KERN_ENODEV;
	if (dir != NULL && !S_ISDIR(dir->mode))
		return -KERN_ENOTDIR;
	if (dir != NULL && dir->mounted != NULL)
		return -KERN_EBUSY;
	if (rumpuser_malloc(sizeof(*mp), 0, &p) != 0)
		return -KERN_ENOMEM;
	mp = p;
	memset(mp, 0, sizeof(*mp));
	mp->fstype = "tmpfs";
	mp->dev = ++last_dev;
	err = tmpfs_mount(mp, options != NULL ? options : "");
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
	mp->next = vfs_mounts;
	vfs_mounts = mp;
	return 0;
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

/* vfs_mount_config: one mount.PATH=FSTYPE:OPTIONS word. */
static void
vfs_mount_config(const char *word)
{
	char path[256], fstype[32];
	const char *eq = strchr(word, '='), *colon;
	struct vnode *dir;

	if (eq == NULL || (size_t)(eq - word) - 6 >= sizeof(path)) {
		platform_console_printf("rumpxen: bad mount word %s\n", word);
		return;
	}
	memcpy(path, word + 6, (size_t)(eq - word) - 6);
	path[eq - word - 6] = '\0';
	colon = strchr(eq + 1, ':');
	size_t tlen = colon != NULL ? (size_t)(colon - eq - 1) : strlen(eq + 1);
	if (tlen >= sizeof(fstype))
		tlen = sizeof(fstype) - 1;
	memcpy(fstype, eq + 1, tlen);
	fstype[tlen] = '\0';
	int err = vfs_mkdirs(path, &dir);
	if (err == 0) {
		err = vfs_mount(dir, fstype, colon != NULL ? colon + 1 : "");
		vnode_put(dir);
	}
	if (err != 0)
		platform_console_printf(
			"rumpxen: mount of %s on %s: error %d\n", fstype, path,
			-err);
}

int
vfs_init(void)
{
	const char *root = platform_config_get("root");
	const char *options = "";
	int err;

	if (root != NULL) {
		if (strncmp(root, "tmpfs", 5) != 0 ||
		    (root[5] != '\0' && root[5] != ':'))
			platform_console_printf("rumpxen: root=%s: only tmpfs "
						"can be the root\n",
						root);
		else if (root[5] == ':')
			options = root + 6;
	}
	err = vfs_mount(NULL, "tmpfs", options);
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
	for (pp = &vfs_mounts; *pp != mp; pp = &(*pp)->next)
		;
	*pp = mp->next;
	mp->covered->mounted = NULL;
	vnode_put(mp->covered);
	mp->root->refs--; /* the mount's own; none is left */
	mp->refs--;
	tmpfs_unmount(mp);
	rumpuser_free(mp, sizeof(*mp));
	return 0;
}
