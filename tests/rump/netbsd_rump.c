/*
 * A real NetBSD rump kernel on our rumpuser implementation (DESIGN.md
 * §5a), the same test on each platform (harness_xen.c, harness_posix.c).
 * It boots the kernel (rump_init), then: mkdir, write, read back and stat
 * on rumpfs; the same on a tmpfs mount; four threads making rump system
 * calls at once; a nanosleep that must last its length; and, when the
 * harness has a block device, an FFS image made by makefs from a tree of
 * tests/rump/netbsd.sh: mounted read-write through rumpuser_bio, every
 * file read and compared with what the tree holds, a new file written,
 * the file system unmounted, mounted again and the new file read back.
 * rump_test_run returns the number of failed checks; rump_test_check only
 * checks, in another run, the disk one left.
 */
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>
#include <rump/rumpkern_if_pub.h>

#include "harness.h"
#include "klib.h"
#include "tree.h"

/* NetBSD's struct stat (amd64), as rump_sys_stat fills it. */
struct netbsd_stat {
	uint64_t st_dev;
	uint32_t st_mode;
	uint64_t st_ino;
	uint32_t st_nlink, st_uid, st_gid;
	uint64_t st_rdev;
	int64_t st_times[8];
	int64_t st_size;
	int64_t st_blocks;
	uint32_t st_blksize, st_flags, st_gen, st_spare[2];
};

/* NetBSD's mount arguments for tmpfs (version 1) and FFS. */
struct tmpfs_args {
	int ta_version;
	uint64_t ta_nodes_max;
	int64_t ta_size_max;
	uint32_t ta_root_uid, ta_root_gid, ta_root_mode;
};
struct ufs_args {
	char *fspec;
};

#define NETBSD_S_IFDIR 0040000

static int failures;

static void
check(int ok, const char *what)
{
	rt_print("%s: %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		failures++;
}

/* file_put, file_matches: a whole file written, or compared with want. */
static int
file_put(const char *path, const void *data, size_t len)
{
	int fd = rump_sys_open(path, RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	int ok = fd >= 0 && rump_sys_write(fd, data, len) == (ssize_t)len;

	if (fd >= 0)
		ok &= rump_sys_close(fd) == 0;
	return ok;
}

/* file_matches: whether path holds want; buf (of size > len) is scratch. */
static int
file_matches(const char *path, const void *want, size_t len, char *buf,
	     size_t size)
{
	int fd = rump_sys_open(path, RUMP_O_RDONLY);
	ssize_t n;

	if (fd < 0 || len >= size)
		return 0;
	n = rump_sys_read(fd, buf, size);
	rump_sys_close(fd);
	return n == (ssize_t)len && memcmp(buf, want, len) == 0;
}

/* The scratch buffer of the single-threaded parts. */
static char scratch[TREE_MAX_FILE + 1];

static void
test_files(const char *dir, const char *what)
{
	static const char text[] = "a file on a NetBSD rump kernel\n";
	char path[64], msg[96];
	struct netbsd_stat st;

	fmt_snprintf(path, sizeof(path), "%s/sub", dir);
	fmt_snprintf(msg, sizeof(msg), "mkdir, write, read back, stat on %s",
		     what);
	int ok = rump_sys_mkdir(path, 0755) == 0;
	ok &= rump_sys_stat(path, (struct stat *)&st) == 0 &&
	      (st.st_mode & 0170000) == NETBSD_S_IFDIR;
	fmt_snprintf(path, sizeof(path), "%s/sub/file", dir);
	ok &= file_put(path, text, sizeof(text));
	ok &= file_matches(path, text, sizeof(text), scratch, sizeof(scratch));
	ok &= rump_sys_stat(path, (struct stat *)&st) == 0 &&
	      st.st_size == (int64_t)sizeof(text);
	check(ok, msg);
}

/* Four threads, each writing and reading its own file many times. */
static int worker_bad;
static int workers_done;

static void
worker(void *arg)
{
	char path[32], data[512], buf[600];
	long id = (long)arg;

	fmt_snprintf(path, sizeof(path), "/t/worker%ld", id);
	for (int round = 0; round < 50; round++) {
		memset(data, (int)(id * 50 + round), sizeof(data));
		if (!file_put(path, data, sizeof(data)) ||
		    !file_matches(path, data, sizeof(data), buf, sizeof(buf))) {
			if (__atomic_add_fetch(&worker_bad, 1,
					       __ATOMIC_RELAXED) == 1)
				rt_print("worker %ld round %d: errno %d\n", id,
					 round, rt_errno());
		}
	}
	__atomic_add_fetch(&workers_done, 1, __ATOMIC_RELAXED);
}

static void
test_threads(void)
{
	void *t[4];

	for (long i = 0; i < 4; i++)
		t[i] = rt_thread_start(worker, (void *)i);
	for (int i = 0; i < 4; i++)
		rt_thread_join(t[i]);
	if (worker_bad != 0)
		rt_print("%d of 200 rounds went wrong\n", worker_bad);
	check(workers_done == 4 && worker_bad == 0,
	      "four threads making rump system calls at once");
}

static void
test_sleep(void)
{
	struct timespec ts = {0, 100000000};
	uint64_t t0 = rt_now_ns();
	int rv = rump_sys_nanosleep(&ts, NULL);
	uint64_t slept = rt_now_ns() - t0;

	rt_print("nanosleep of 100 ms took %lu us\n",
		 (unsigned long)slept / 1000);
	check(rv == 0 && slept >= 100000000, "a sleep lasts its length");
}

static int
ffs_mount(void)
{
	struct ufs_args args = {.fspec = "/dev/ffs0"};

	return rump_sys_mount("ffs", "/mnt", 0, &args, sizeof(args));
}

static const char ffs_extra[] = "written by the guest, read after remount\n";

/* ffs_tree_matches: whether every file of the tree is on /mnt as made. */
static int
ffs_tree_matches(void)
{
	char path[64];
	int ok = 1;

	for (int i = 0; i < TREE_FILES; i++) {
		static char want[TREE_MAX_FILE];
		size_t len = tree_file(i, want);
		fmt_snprintf(path, sizeof(path), "/mnt/%s", tree_name(i));
		ok &= file_matches(path, want, len, scratch, sizeof(scratch));
	}
	return ok;
}

static void
test_ffs(const char *disk)
{
	int err = rump_pub_etfs_register("/dev/ffs0", disk, RUMP_ETFS_BLK);
	if (err != 0)
		rt_print("etfs_register(%s): error %d\n", disk, err);
	check(err == 0, "the disk registered as a block device");
	check(rump_sys_mkdir("/mnt", 0755) == 0 && ffs_mount() == 0,
	      "FFS mounted read-write from the disk");
	check(ffs_tree_matches(),
	      "every file of the tree reads back as makefs wrote it");
	check(file_put("/mnt/new", ffs_extra, sizeof(ffs_extra)),
	      "a new file written on FFS");
	check(rump_sys_unmount("/mnt", 0) == 0, "unmounted");
	check(ffs_mount() == 0 &&
		      file_matches("/mnt/new", ffs_extra, sizeof(ffs_extra),
				   scratch, sizeof(scratch)),
	      "mounted again, the new file reads back");
	check(rump_sys_unmount("/mnt", 0) == 0, "unmounted again");
}

int
rump_test_run(void)
{
	struct tmpfs_args targs = {.ta_version = 1, .ta_root_mode = 0777};
	const char *disk = rt_blockdev();
	uint64_t t0 = rt_now_ns();
	int rv;

	rv = rump_init();
	rt_print("rump_init took %lu ms\n",
		 (unsigned long)(rt_now_ns() - t0) / 1000000);
	check(rv == 0, "rump_init");
	if (rv != 0)
		return 1;
	check(rump_sys_getpid() > 0, "getpid");
	check(rump_sys_mkdir("/t", 0755) == 0, "mkdir /t on rumpfs");
	test_files("/t", "rumpfs");
	check(rump_sys_mkdir("/tmpfs", 0777) == 0 &&
		      rump_sys_mount("tmpfs", "/tmpfs", 0, &targs,
				     sizeof(targs)) == 0,
	      "tmpfs mounted");
	test_files("/tmpfs", "tmpfs");
	test_threads();
	test_sleep();
	if (disk != NULL)
		test_ffs(disk);
	else
		rt_print("no disk: FFS not tested\n");
	return failures;
}

int
rump_test_check(void)
{
	const char *disk = rt_blockdev();

	check(rump_init() == 0, "rump_init");
	check(rump_pub_etfs_register("/dev/ffs0", disk, RUMP_ETFS_BLK) == 0 &&
		      rump_sys_mkdir("/mnt", 0755) == 0 && ffs_mount() == 0,
	      "the disk's FFS mounted");
	check(ffs_tree_matches(),
	      "every file of the tree is as makefs wrote it");
	check(file_matches("/mnt/new", ffs_extra, sizeof(ffs_extra), scratch,
			   sizeof(scratch)),
	      "the file the other run wrote reads back");
	check(rump_sys_unmount("/mnt", 0) == 0, "unmounted");
	return failures;
}
