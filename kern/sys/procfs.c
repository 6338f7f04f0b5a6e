/*
 * /proc and /sys: the trees of the proc and sysfs file systems (pseudo
 * file systems, kern/fs/pseudo.c), mounted at boot on /proc and /sys
 * when the root has, or can make, those directories; mount(2) mounts
 * them elsewhere too. The process's own files are here, each written
 * from the kernel's state when read; the system's are procinfo.c's.
 *
 * /proc/self links to the pid's directory, /proc/thread-self to the
 * calling thread's. A pid's directory (and each of its task/TID
 * directories, for that thread) has cmdline and environ (the initial
 * stack's strings, as the program may have changed them), exe (the
 * program's name, made absolute: the image is not a file of the
 * guest), cwd, root, fd/ (a link for each open fd, named as fdname.c
 * says: the path a file was opened by, not resolved again), maps (the
 * image's segments and every mapping, as runs of one protection; a
 * file's mapping shows its device and inode but no path), status, stat
 * and statm (the ids, the thread's state and signals, the memory
 * mapped: all of it resident, there is no swap), comm, limits and
 * mounts. /proc/sys/kernel has hostname, osrelease, ostype and version
 * (uname's); /sys/devices/system/cpu has online, possible and present
 * (one CPU). Nothing here can be written.
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "sys.h"

#define PT_LOAD		 1
#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC	 0x62656572
#define RLIM_NLIMITS	 16
#define RLIM_INFINITY	 (~0ul)
#define KB		 1024ul

/* The fields of an ELF program header that maps need. */
struct procfs_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static long procfs_pid(void);

/*
 * procfs_thread: the thread tid names (for the pid, once the main thread
 * is gone, the first left), or NULL when it has ended.
 */
static struct kern_thread *
procfs_thread(long tid)
{
	struct kern_thread *t = kern_thread_find((int)tid);

	return t != NULL || tid != procfs_pid() ? t : kern_threads();
}

static long
procfs_pid(void)
{
	const long none[6] = {0};

	return sys_getpid(none);
}

static int
procfs_self(struct pseudo_buf *b, long arg)
{
	(void)arg;
	pseudo_printf(b, "%ld", procfs_pid());
	return 0;
}

static int
procfs_thread_self(struct pseudo_buf *b, long arg)
{
	(void)arg;
	pseudo_printf(b, "%ld/task/%d", procfs_pid(), kern_thread_self()->tid);
	return 0;
}

/* procfs_strings: the NUL-ended strings of v (to a NULL), one after another. */
static void
procfs_strings(struct pseudo_buf *b, char *const *v)
{
	for (; v != NULL && *v != NULL; v++)
		pseudo_write(b, *v, strlen(*v) + 1);
}

static int
procfs_cmdline(struct pseudo_buf *b, long arg)
{
	(void)arg;
	procfs_strings(b, kern_argv);
	return 0;
}

static int
procfs_environ(struct pseudo_buf *b, long arg)
{
	(void)arg;
	if (kern_argv != NULL)
		procfs_strings(b, kern_argv + kern_argc + 1);
	return 0;
}

static int
procfs_exe(struct pseudo_buf *b, long arg)
{
	char *path;
	void *mem;

	(void)arg;
	if (kern_argc < 1)
		return -KERN_ENOENT;
	if (rumpuser_malloc(VFS_PATH_MAX, 0, &mem) != 0)
		return -KERN_ENOMEM;
	path = mem;
	strcpy(path, "/");
	long n = kern_path_join(path, kern_argv[0]);
	if (n > 0)
		pseudo_write(b, path, (size_t)n);
	rumpuser_free(mem, VFS_PATH_MAX);
	return n > 0 ? 0 : (int)n;
}

static int
procfs_cwd(struct pseudo_buf *b, long arg)
{
	char *path;
	void *mem;

	(void)arg;
	if (rumpuser_malloc(VFS_PATH_MAX, 0, &mem) != 0)
		return -KERN_ENOMEM;
	path = mem;
	long n = vfs_getcwd(path, VFS_PATH_MAX);
	if (n > 0)
		pseudo_write(b, path, (size_t)n - 1);
	rumpuser_free(mem, VFS_PATH_MAX);
	return n > 0 ? 0 : (int)n;
}

static int
procfs_root_link(struct pseudo_buf *b, long arg)
{
	(void)arg;
	pseudo_write(b, "/", 1);
	return 0;
}

static long
procfs_fd_next(long arg, long after)
{
	(void)arg;
	for (long fd = after + 1; fd < KERN_FD_MAX; fd++)
		if (kern_fd_file(fd) != NULL)
			return fd;
	return -1;
}

static int
procfs_fd(struct pseudo_buf *b, long fd)
{
	struct kern_file *f;
	char *name;
	void *mem;

	if (rumpuser_malloc(VFS_PATH_MAX, 0, &mem) != 0)
		return -KERN_ENOMEM;
	f = kern_file_hold(fd); /* naming a directory may wait for a disk */
	if (f == NULL) {
		rumpuser_free(mem, VFS_PATH_MAX);
		return -KERN_ENOENT;
	}
	name = mem;
	long n = kern_file_name(f, name, VFS_PATH_MAX);
	kern_file_drop(f);
	if (n >= 0)
		pseudo_write(b, name, (size_t)n);
	rumpuser_free(mem, VFS_PATH_MAX);
	return n >= 0 ? 0 : (int)n;
}

/* procfs_map_line: one line of maps. */
static void
procfs_map_line(struct pseudo_buf *b, unsigned long start, unsigned long end,
		int prot, int shared, unsigned long offset, unsigned long dev,
		unsigned long ino, const char *name)
{
	char line[96];
	size_t n = fmt_snprintf(
		line, sizeof(line),
		"%08lx-%08lx %c%c%c%c %08lx %02lx:%02lx %lu", start, end,
		prot & PLATFORM_PROT_READ ? 'r' : '-',
		prot & PLATFORM_PROT_WRITE ? 'w' : '-',
		prot & PLATFORM_PROT_EXEC ? 'x' : '-', shared ? 's' : 'p',
		offset, dev >> 8, dev & 0xff, ino);

	/* A name starts at column 73, as Linux pads it. */
	if (name != NULL)
		pseudo_printf(b, "%s%*s%s\n", line, n < 73 ? 73 - (int)n : 1,
			      "", name);
	else
		pseudo_printf(b, "%s\n", line);
}

static void
procfs_map_run(void *ctx, const struct kern_mem_run *run)
{
	const struct vnode *vp = run->vnode;

	procfs_map_line(ctx, run->start, run->end, run->prot, run->shared,
			run->offset, vp != NULL ? vp->mount->dev : 0,
			vp != NULL ? vp->ino : 0, NULL);
}

/* The memory the process maps, for status and stat, in bytes. */
struct procfs_vm {
	unsigned long size, exe, data;
};

static void
procfs_vm_run(void *ctx, const struct kern_mem_run *run)
{
	struct procfs_vm *vm = ctx;

	vm->size += run->end - run->start;
	if (!run->shared && (run->prot & PLATFORM_PROT_WRITE))
		vm->data += run->end - run->start;
}

/*
 * procfs_image: the image's loaded segments, each to fn as a run (the
 * image's text, data and bss, the kernel's with the program's).
 */
static void
procfs_image(kern_mem_fn *fn, void *ctx)
{
	const struct procfs_phdr *ph = kern_phdr;

	for (int i = 0; i < kern_phnum; i++) {
		if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
			continue;
		unsigned long start = ph[i].vaddr & ~(PLATFORM_PAGE_SIZE - 1);
		struct kern_mem_run run = {
			.start = start,
			.end = (ph[i].vaddr + ph[i].memsz + PLATFORM_PAGE_SIZE -
				1) &
			       ~(PLATFORM_PAGE_SIZE - 1),
			.offset = ph[i].offset & ~(PLATFORM_PAGE_SIZE - 1),
			/* ELF's PF_X 1, PF_W 2, PF_R 4 */
			.prot = (ph[i].flags & 4 ? PLATFORM_PROT_READ : 0) |
				(ph[i].flags & 2 ? PLATFORM_PROT_WRITE : 0) |
				(ph[i].flags & 1 ? PLATFORM_PROT_EXEC : 0),
		};
		fn(ctx, &run);
	}
}

static void
procfs_image_line(void *ctx, const struct kern_mem_run *run)
{
	struct pseudo_buf *b = ctx;

	procfs_map_line(b, run->start, run->end, run->prot, 0, run->offset, 0,
			0, kern_argc > 0 ? kern_argv[0] : "[image]");
}

static int
procfs_maps(struct pseudo_buf *b, long arg)
{
	(void)arg;
	procfs_image(procfs_image_line, b);
	kern_mem_each(procfs_map_run, b);
	return 0;
}

static void
procfs_vm_image(void *ctx, const struct kern_mem_run *run)
{
	struct procfs_vm *vm = ctx;

	vm->size += run->end - run->start;
	if (run->prot & PLATFORM_PROT_EXEC)
		vm->exe += run->end - run->start;
	else if (run->prot & PLATFORM_PROT_WRITE)
		vm->data += run->end - run->start;
}

static void
procfs_vm_count(struct procfs_vm *vm)
{
	memset(vm, 0, sizeof(*vm));
	procfs_image(procfs_vm_image, vm);
	kern_mem_each(procfs_vm_run, vm);
}

static int
procfs_threads(void)
{
	int n = 0;

	for (struct kern_thread *t = kern_threads(); t != NULL; t = t->next)
		n++;
	return n;
}

static const char *
procfs_comm(const struct kern_thread *t)
{
	return t->named ? t->comm : kern_comm;
}

static int
procfs_comm_show(struct pseudo_buf *b, long tid)
{
	struct kern_thread *t = procfs_thread(tid);

	if (t == NULL)
		return -KERN_ESRCH;
	pseudo_printf(b, "%s\n", procfs_comm(t));
	return 0;
}

static int
procfs_status(struct pseudo_buf *b, long tid)
{
	struct kern_thread *t = procfs_thread(tid);
	unsigned long ign, caught, cur, max;
	struct procfs_vm vm;

	if (t == NULL)
		return -KERN_ESRCH;
	procfs_vm_count(&vm);
	kern_signal_dispositions(&ign, &caught);
	kern_rlimit_get(11 /* RLIMIT_SIGPENDING */, &cur, &max);
	pseudo_printf(b,
		      "Name:\t%s\n"
		      "Umask:\t%04o\n"
		      "State:\t%s\n"
		      "Tgid:\t%ld\n"
		      "Ngid:\t0\n"
		      "Pid:\t%d\n"
		      "PPid:\t0\n"
		      "TracerPid:\t0\n"
		      "Uid:\t0\t0\t0\t0\n"
		      "Gid:\t0\t0\t0\t0\n"
		      "FDSize:\t%d\n"
		      "Groups:\t\n",
		      procfs_comm(t), vfs_umask(0, 0),
		      t->asleep ? "S (sleeping)" : "R (running)", procfs_pid(),
		      t->tid, KERN_FD_MAX);
	pseudo_printf(b,
		      "VmPeak:\t%8lu kB\n"
		      "VmSize:\t%8lu kB\n"
		      "VmLck:\t       0 kB\n"
		      "VmPin:\t       0 kB\n"
		      "VmHWM:\t%8lu kB\n"
		      "VmRSS:\t%8lu kB\n"
		      "VmData:\t%8lu kB\n"
		      "VmStk:\t%8lu kB\n"
		      "VmExe:\t%8lu kB\n"
		      "VmSwap:\t       0 kB\n"
		      "Threads:\t%d\n",
		      vm.size / KB, vm.size / KB, vm.size / KB, vm.size / KB,
		      vm.data / KB, (unsigned long)KERN_MAIN_STACK / KB,
		      vm.exe / KB, procfs_threads());
	pseudo_printf(b,
		      "SigQ:\t0/%lu\n"
		      "SigPnd:\t%016lx\n"
		      "ShdPnd:\t%016lx\n"
		      "SigBlk:\t%016lx\n"
		      "SigIgn:\t%016lx\n"
		      "SigCgt:\t%016lx\n"
		      "CapInh:\t0000000000000000\n"
		      "CapPrm:\t000001ffffffffff\n"
		      "CapEff:\t000001ffffffffff\n"
		      "CapBnd:\t000001ffffffffff\n"
		      "CapAmb:\t0000000000000000\n"
		      "NoNewPrivs:\t0\n"
		      "Seccomp:\t0\n"
		      "Cpus_allowed:\t1\n"
		      "Cpus_allowed_list:\t0\n"
		      "Mems_allowed:\t1\n"
		      "Mems_allowed_list:\t0\n",
		      cur, t->sig_pending, kern_proc_sig_pending, t->sig_mask,
		      ign, caught);
	return 0;
}

static int
procfs_stat(struct pseudo_buf *b, long tid)
{
	struct kern_thread *t = procfs_thread(tid);
	unsigned long ign, caught, cur, max;
	struct procfs_vm vm;

	if (t == NULL)
		return -KERN_ESRCH;
	procfs_vm_count(&vm);
	kern_signal_dispositions(&ign, &caught);
	kern_rlimit_get(5 /* RLIMIT_RSS */, &cur, &max);
	/*
	 * proc(5)'s 52 fields. utime: the process's CPU time, or in a
	 * thread's directory the thread's when it asks (another thread's is
	 * not counted apart: 0); stime 0 (the platform counts no kernel time
	 * apart).
	 */
	uint64_t cpu = tid == procfs_pid()		? platform_cputime(0)
		       : tid == kern_thread_self()->tid ? platform_cputime(1)
							: 0;
	pseudo_printf(b, "%d (%s) %c 0 %ld %ld 0 -1 4194560 0 0 0 0 %lu 0 0 0 ",
		      t->tid, procfs_comm(t), t->asleep ? 'S' : 'R',
		      procfs_pid(), procfs_pid(),
		      (unsigned long)(cpu / KERN_TICK_NS));
	pseudo_printf(b, "20 0 %d 0 0 %lu %lu %lu ", procfs_threads(), vm.size,
		      vm.size / PLATFORM_PAGE_SIZE, cur);
	pseudo_printf(b,
		      "0 0 0 0 0 %lu %lu %lu %lu 0 0 0 17 0 0 0 0 0 0 0 0 0 "
		      "0 0 0 0 0\n",
		      kern_proc_sig_pending | t->sig_pending, t->sig_mask, ign,
		      caught);
	return 0;
}

static int
procfs_statm(struct pseudo_buf *b, long arg)
{
	struct procfs_vm vm;

	(void)arg;
	procfs_vm_count(&vm);
	pseudo_printf(b, "%lu %lu 0 %lu 0 %lu 0\n",
		      vm.size / PLATFORM_PAGE_SIZE,
		      vm.size / PLATFORM_PAGE_SIZE, vm.exe / PLATFORM_PAGE_SIZE,
		      vm.data / PLATFORM_PAGE_SIZE);
	return 0;
}

/* The rows of limits: each resource's name and unit, in Linux's order. */
static const char *const procfs_limit_rows[RLIM_NLIMITS][2] = {
	{"Max cpu time", "seconds"},	 {"Max file size", "bytes"},
	{"Max data size", "bytes"},	 {"Max stack size", "bytes"},
	{"Max core file size", "bytes"}, {"Max resident set", "bytes"},
	{"Max processes", "processes"},	 {"Max open files", "files"},
	{"Max locked memory", "bytes"},	 {"Max address space", "bytes"},
	{"Max file locks", "locks"},	 {"Max pending signals", "signals"},
	{"Max msgqueue size", "bytes"},	 {"Max nice priority", ""},
	{"Max realtime priority", ""},	 {"Max realtime timeout", "us"},
};

/* procfs_limit: a limit's column, 20 wide ("unlimited" for infinity). */
static void
procfs_limit(struct pseudo_buf *b, unsigned long v)
{
	if (v == RLIM_INFINITY)
		pseudo_printf(b, "%-21s", "unlimited");
	else
		pseudo_printf(b, "%-21lu", v);
}

static int
procfs_limits(struct pseudo_buf *b, long arg)
{
	unsigned long cur, max;

	(void)arg;
	pseudo_printf(b, "%-26s%-21s%-21s%-10s\n", "Limit", "Soft Limit",
		      "Hard Limit", "Units");
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		kern_rlimit_get(i, &cur, &max);
		pseudo_printf(b, "%-26s", procfs_limit_rows[i][0]);
		procfs_limit(b, cur);
		procfs_limit(b, max);
		if (procfs_limit_rows[i][1][0] != '\0')
			pseudo_printf(b, "%-10s", procfs_limit_rows[i][1]);
		pseudo_write(b, "\n", 1);
	}
	return 0;
}

static long
procfs_task_next(long arg, long after)
{
	long next = -1;

	(void)arg;
	for (struct kern_thread *t = kern_threads(); t != NULL; t = t->next)
		if (t->tid > after && (next < 0 || t->tid < next))
			next = t->tid;
	return next;
}

static long
procfs_pid_next(long arg, long after)
{
	(void)arg;
	return after < procfs_pid() ? procfs_pid() : -1;
}

/* kern/sys/kernel: uname's fields. */
static int
procfs_uname_field(struct pseudo_buf *b, size_t at)
{
	char u[6 * 65];
	const long a[6] = {(long)u};

	sys_uname(a);
	pseudo_printf(b, "%s\n", u + at);
	return 0;
}

static int
procfs_hostname(struct pseudo_buf *b, long arg)
{
	(void)arg;
	return procfs_uname_field(b, 65);
}

static int
procfs_osrelease(struct pseudo_buf *b, long arg)
{
	(void)arg;
	return procfs_uname_field(b, 2 * 65);
}

static int
procfs_ostype(struct pseudo_buf *b, long arg)
{
	(void)arg;
	return procfs_uname_field(b, 0);
}

static int
procfs_kversion(struct pseudo_buf *b, long arg)
{
	(void)arg;
	return procfs_uname_field(b, 3 * 65);
}

/* /sys/devices/system/cpu's lists: the one CPU. */
static int
procfs_cpu_list(struct pseudo_buf *b, long arg)
{
	(void)arg;
	pseudo_printf(b, "0\n");
	return 0;
}

#define DIR  (S_IFDIR | 0555)
#define FILE (S_IFREG | 0444)
#define LINK (S_IFLNK | 0777)
/* A thread's files, and a process's (its main thread's, and task/). */
#define PROCFS_THREAD_FILES                                                    \
	{"cmdline", FILE, procfs_cmdline, NULL, NULL, NULL},                   \
		{"comm", S_IFREG | 0644, procfs_comm_show, NULL, NULL, NULL},  \
		{"cwd", LINK, procfs_cwd, NULL, NULL, NULL},                   \
		{"environ", S_IFREG | 0400, procfs_environ, NULL, NULL, NULL}, \
		{"exe", LINK, procfs_exe, NULL, NULL, NULL},                   \
		{"fd", S_IFDIR | 0500, NULL,                                   \
		 NULL, procfs_fd_next, &procfs_fd_entry},                      \
		{"limits", FILE, procfs_limits, NULL, NULL, NULL},             \
		{"maps", FILE, procfs_maps, NULL, NULL, NULL},                 \
		{"mounts", FILE, kern_proc_mounts, NULL, NULL, NULL},          \
		{"root", LINK, procfs_root_link, NULL, NULL, NULL},            \
		{"stat", FILE, procfs_stat, NULL, NULL, NULL},                 \
		{"statm", FILE, procfs_statm, NULL, NULL, NULL},               \
	{                                                                      \
		"status", FILE, procfs_status, NULL, NULL, NULL                \
	}

static const struct pseudo_entry procfs_fd_entry = {
	NULL, S_IFLNK | 0700, procfs_fd, NULL, NULL, NULL};
static const struct pseudo_entry procfs_thread_files[] = {
	PROCFS_THREAD_FILES, {NULL, 0, NULL, NULL, NULL, NULL}};
static const struct pseudo_entry procfs_task_entry = {
	NULL, DIR, NULL, procfs_thread_files, NULL, NULL};
static const struct pseudo_entry procfs_pid_files[] = {
	PROCFS_THREAD_FILES,
	{"task", DIR, NULL, NULL, procfs_task_next, &procfs_task_entry},
	{NULL, 0, NULL, NULL, NULL, NULL}};
static const struct pseudo_entry procfs_pid_entry = {
	NULL, DIR, NULL, procfs_pid_files, NULL, NULL};
static const struct pseudo_entry procfs_kernel_files[] = {
	{"hostname", FILE, procfs_hostname, NULL, NULL, NULL},
	{"osrelease", FILE, procfs_osrelease, NULL, NULL, NULL},
	{"ostype", FILE, procfs_ostype, NULL, NULL, NULL},
	{"version", FILE, procfs_kversion, NULL, NULL, NULL},
	{NULL, 0, NULL, NULL, NULL, NULL}};
static const struct pseudo_entry procfs_sys_files[] = {
	{"kernel", DIR, NULL, procfs_kernel_files, NULL, NULL},
	{NULL, 0, NULL, NULL, NULL, NULL}};
static const struct pseudo_entry procfs_root_files[] = {
	{"cpuinfo", FILE, kern_proc_cpuinfo, NULL, NULL, NULL},
	{"loadavg", FILE, kern_proc_loadavg, NULL, NULL, NULL},
	{"meminfo", FILE, kern_proc_meminfo, NULL, NULL, NULL},
	{"mounts", FILE, kern_proc_mounts, NULL, NULL, NULL},
	{"self", LINK, procfs_self, NULL, NULL, NULL},
	{"stat", FILE, kern_proc_stat, NULL, NULL, NULL},
	{"sys", DIR, NULL, procfs_sys_files, NULL, NULL},
	{"thread-self", LINK, procfs_thread_self, NULL, NULL, NULL},
	{"uptime", FILE, kern_proc_uptime, NULL, NULL, NULL},
	{NULL, 0, NULL, NULL, NULL, NULL}};
static const struct pseudo_entry procfs_root = {
	"", DIR, NULL, procfs_root_files, procfs_pid_next, &procfs_pid_entry};

static const struct pseudo_entry sysfs_cpu_files[] = {
	{"online", FILE, procfs_cpu_list, NULL, NULL, NULL},
	{"possible", FILE, procfs_cpu_list, NULL, NULL, NULL},
	{"present", FILE, procfs_cpu_list, NULL, NULL, NULL},
	{NULL, 0, NULL, NULL, NULL, NULL}};
static const struct pseudo_entry sysfs_system_files[] = {
	{"cpu", DIR, NULL, sysfs_cpu_files, NULL, NULL},
	{NULL, 0, NULL, NULL, NULL, NULL}};
static const struct pseudo_entry sysfs_devices_files[] = {
	{"system", DIR, NULL, sysfs_system_files, NULL, NULL},
	{NULL, 0, NULL, NULL, NULL, NULL}};
static const struct pseudo_entry sysfs_root_files[] = {
	{"devices", DIR, NULL, sysfs_devices_files, NULL, NULL},
	{NULL, 0, NULL, NULL, NULL, NULL}};
static const struct pseudo_entry sysfs_root = {
	"", DIR, NULL, sysfs_root_files, NULL, NULL};

/*
 * procfs_mount: fstype on dir, made if missing; said if it cannot be
 * (but not when a read-only root has no such directory).
 */
static void
procfs_mount(const char *dir, const char *fstype)
{
	long err = kern_sys_call(sys_mkdirat, AT_FDCWD, (long)dir, 0555, 0, 0);

	/* A read-only root may have the directory: it is mounted on then. */
	if (err == 0 || err == -KERN_EEXIST || err == -KERN_EROFS)
		err = kern_sys_call(sys_mount, (long)fstype, (long)dir,
				    (long)fstype, 0, 0);
	if (err != 0 && err != -KERN_ENOENT)
		platform_console_printf("rumpxen: %s not mounted on %s: "
					"error %ld\n",
					fstype, dir, -err);
}

void
kern_proc_init(void)
{
	if (pseudo_register("proc", PROC_SUPER_MAGIC, &procfs_root) == 0)
		procfs_mount("/proc", "proc");
	if (pseudo_register("sysfs", SYSFS_MAGIC, &sysfs_root) == 0)
		procfs_mount("/sys", "sysfs");
}
