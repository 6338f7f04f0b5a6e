/*
 * /proc and /sys as Linux has them (tests/proc/procfs.sh): /proc/self,
 * cmdline and environ, exe and cwd, fd/ (a file's path, " (deleted)"
 * once unlinked, a pipe, an eventfd), maps (a mapping's protection, page
 * by page after mprotect), status, stat and comm (a thread's name read
 * by another through task/), limits, mounts, meminfo agreeing with
 * sysinfo and sysconf, cpuinfo, uptime, loadavg, stat, sys/kernel's
 * names, /sys's CPU list, and listings of the directories. Run natively
 * and on Xen, with the arguments "one" "two words"; prints "N failures"
 * and exits 0 when there are none.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* slurp: path's whole contents (NUL-ended) in buf; its length or -1. */
static long
slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	/* small reads, so that a file is read in many pieces */
	while (n < (long)size - 1 && (r = read(fd, buf + n, 100)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return n;
}

/*
 * field: the value after "name:" (tabs or spaces may come before the
 * colon, as in cpuinfo) in a status-like text, or NULL.
 */
static const char *
field(const char *text, const char *name, char *out, size_t size)
{
	size_t len = strlen(name);

	for (const char *l = text; l != NULL && *l != '\0';
	     l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *c = l + len;
		while (strncmp(l, name, len) == 0 && *c == '\t')
			c++;
		if (strncmp(l, name, len) == 0 && *c == ':') {
			const char *v = c + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t n = strcspn(v, "\n");
			if (n >= size)
				n = size - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return out;
		}
	}
	return NULL;
}

static int
link_is(const char *path, const char *want)
{
	char buf[4096];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return 0;
	buf[n] = '\0';
	if (strcmp(buf, want) != 0)
		printf("  %s -> %s, not %s\n", path, buf, want);
	return strcmp(buf, want) == 0;
}

static int
link_starts(const char *path, const char *prefix)
{
	char buf[4096];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return 0;
	buf[n] = '\0';
	return strncmp(buf, prefix, strlen(prefix)) == 0;
}

/* listed: dir has an entry name (of type type, DT_UNKNOWN: any). */
static int
listed(const char *dir, const char *name, int type)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, name) == 0 &&
		    (type == DT_UNKNOWN || e->d_type == type))
			found = 1;
	closedir(d);
	return found;
}

/* map_perms: the permissions of the maps line holding addr, in perms. */
static int
map_perms(unsigned long addr, char perms[5])
{
	static char buf[1 << 20];
	unsigned long start, end;

	if (slurp("/proc/self/maps", buf, sizeof(buf)) <= 0)
		return 0;
	for (char *l = buf; *l != '\0'; l = strchr(l, '\n') + 1) {
		if (sscanf(l, "%lx-%lx %4s", &start, &end, perms) == 3 &&
		    start <= addr && addr < end)
			return 1;
		if (strchr(l, '\n') == NULL)
			break;
	}
	return 0;
}

static void
check_self(int argc, char **argv)
{
	char buf[8192], want[64], path[64];

	snprintf(want, sizeof(want), "%d", getpid());
	check(link_is("/proc/self", want), "/proc/self links to the pid");
	snprintf(path, sizeof(path), "/proc/%d/status", getpid());
	check(access(path, R_OK) == 0, "/proc/PID/status is there");
	check(listed("/proc", want, DT_DIR), "/proc lists the pid");
	check(listed("/proc", "self", DT_LNK), "/proc lists self, a link");
	check(listed("/proc/self", "status", DT_REG),
	      "/proc/self lists status");

	long n = slurp("/proc/self/cmdline", buf, sizeof(buf));
	long at = 0;
	int same = n > 0;
	for (int i = 0; i < argc && same; i++) {
		same = at < n && strcmp(buf + at, argv[i]) == 0;
		at += (long)strlen(argv[i]) + 1;
	}
	check(same && at == n, "cmdline is argv, each string NUL-ended");

	n = slurp("/proc/self/environ", buf, sizeof(buf));
	snprintf(want, sizeof(want), "HOME=%s", getenv("HOME"));
	int found = 0;
	for (at = 0; at < n; at += (long)strlen(buf + at) + 1)
		found |= strcmp(buf + at, want) == 0;
	check(found, "environ holds HOME");

	char exe[4096];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	check(k > 1 && exe[0] == '/', "exe is an absolute path");

	check(chdir("/tmp") == 0 && link_is("/proc/self/cwd", "/tmp"),
	      "cwd links to the cwd");
	check(link_is("/proc/self/root", "/"), "root links to /");
}

static void
check_fds(void)
{
	char path[64], want[64];
	int fd = open("/tmp/procfs-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	struct stat a, b;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	check(link_is(path, "/tmp/procfs-file"), "fd/N names the file");
	check(stat(path, &a) == 0 && fstat(fd, &b) == 0 &&
		      a.st_ino == b.st_ino && a.st_dev == b.st_dev,
	      "stat through fd/N is the file's");
	snprintf(want, sizeof(want), "%d", fd);
	check(listed("/proc/self/fd", want, DT_LNK), "fd/ lists the fd");
	int rel = openat(AT_FDCWD, "./../tmp//procfs-file", O_RDONLY);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", rel);
	check(link_is(path, "/tmp/procfs-file"), "a relative path made whole");
	close(rel);
	unlink("/tmp/procfs-file");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	check(link_is(path, "/tmp/procfs-file (deleted)"),
	      "an unlinked file is (deleted)");
	close(fd);
	check(access(path, F_OK) != 0 && errno == ENOENT,
	      "a closed fd's link is gone");

	int p[2];
	check(pipe(p) == 0, "pipe");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	check(link_starts(path, "pipe:["), "a pipe is pipe:[INO]");
	int e = eventfd(0, 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", e);
	check(link_is(path, "anon_inode:[eventfd]"), "an eventfd's name");
	close(p[0]);
	close(p[1]);
	close(e);

	/* ttyname: fd 0's link, a file with fd 0's inode (if it is a tty) */
	char *tty = isatty(0) ? ttyname(0) : NULL;
	check(!isatty(0) ||
		      (tty != NULL && stat(tty, &a) == 0 && fstat(0, &b) == 0 &&
		       a.st_ino == b.st_ino && a.st_dev == b.st_dev),
	      "ttyname names fd 0's own file");
}

static void
check_maps(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 4 * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	char perms[5] = "";

	check(m != MAP_FAILED, "mmap");
	check(map_perms((unsigned long)m, perms) && strcmp(perms, "r--p") == 0,
	      "maps shows the mapping r--p");
	check(mprotect(m + page, page, PROT_READ | PROT_WRITE) == 0,
	      "mprotect one page");
	check(map_perms((unsigned long)m + page, perms) &&
		      strcmp(perms, "rw-p") == 0,
	      "maps shows that page rw-p");
	check(map_perms((unsigned long)m + 2 * page, perms) &&
		      strcmp(perms, "r--p") == 0,
	      "and the next still r--p");
	munmap(m, 4 * page);
	check(!map_perms((unsigned long)m, perms) || strcmp(perms, "r--p") != 0,
	      "unmapped, it is gone from maps");
	check(map_perms((unsigned long)&check_maps, perms) && perms[2] == 'x',
	      "the program's text is r-x");
}

static void *
named_thread(void *arg)
{
	prctl(PR_SET_NAME, "procfs-worker");
	pthread_barrier_wait(arg);
	pthread_barrier_wait(arg);
	return NULL;
}

static void
check_status(void)
{
	char buf[8192], v[256], want[64];
	pthread_barrier_t bar;
	pthread_t t;

	check(prctl(PR_SET_NAME, "procfs-main") == 0, "PR_SET_NAME");
	check(slurp("/proc/self/comm", buf, sizeof(buf)) > 0 &&
		      strcmp(buf, "procfs-main\n") == 0,
	      "comm is the name");
	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&t, NULL, named_thread, &bar);
	pthread_barrier_wait(&bar);
	check(pthread_getname_np(t, v, sizeof(v)) == 0 &&
		      strcmp(v, "procfs-worker") == 0,
	      "another thread's name through task/TID/comm");
	slurp("/proc/self/status", buf, sizeof(buf));
	check(field(buf, "Name", v, sizeof(v)) && strcmp(v, "procfs-main") == 0,
	      "status: Name");
	snprintf(want, sizeof(want), "%d", getpid());
	check(field(buf, "Pid", v, sizeof(v)) && strcmp(v, want) == 0,
	      "status: Pid");
	check(field(buf, "Tgid", v, sizeof(v)) && strcmp(v, want) == 0,
	      "status: Tgid");
	check(field(buf, "Threads", v, sizeof(v)) && strcmp(v, "2") == 0,
	      "status: Threads 2");
	check(field(buf, "VmSize", v, sizeof(v)) && atol(v) > 0,
	      "status: VmSize");
	check(field(buf, "SigBlk", v, sizeof(v)) && strlen(v) == 16,
	      "status: SigBlk");

	int pid = 0, threads = 0;
	char comm[64], state;
	slurp("/proc/self/stat", buf, sizeof(buf));
	check(sscanf(buf, "%d (%63[^)]) %c", &pid, comm, &state) == 3 &&
		      pid == getpid() && strcmp(comm, "procfs-main") == 0,
	      "stat: pid (comm) state");
	char *after = strrchr(buf, ')');
	int fields = 2;
	for (char *s = after + 1; s != NULL && *s != '\0';) {
		while (*s == ' ')
			s++;
		if (*s == '\0' || *s == '\n')
			break;
		fields++;
		if (fields == 20)
			threads = atoi(s);
		s = strchr(s, ' ');
	}
	check(fields >= 52, "stat: 52 fields");
	struct timespec cpu = {0, 0};
	while (cpu.tv_sec == 0 && cpu.tv_nsec < 200000000)
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	slurp("/proc/self/stat", buf, sizeof(buf));
	long utime = 0, stime = 0;
	after = strrchr(buf, ')');
	check(after != NULL &&
		      sscanf(after + 2,
			     "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
			     "%*u %ld %ld",
			     &utime, &stime) == 2 &&
		      utime + stime >= 10,
	      "stat: utime + stime, after 0.2 s of CPU, at least 0.1 s");
	check(threads == 2, "stat: num_threads 2");
	pthread_barrier_wait(&bar);
	pthread_join(t, NULL);

	struct rlimit rl = {100, 200};
	check(setrlimit(RLIMIT_NOFILE, &rl) == 0, "setrlimit");
	slurp("/proc/self/limits", buf, sizeof(buf));
	check(strstr(buf, "Max open files            100                  200"
			  "                  files") != NULL,
	      "limits shows RLIMIT_NOFILE");
	rl.rlim_cur = rl.rlim_max = 1024;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* mounted: a line of mounts has this directory and type. */
static int
mounted(const char *path, const char *dir, const char *type)
{
	char buf[16384], src[256], d[256], t[64];

	slurp(path, buf, sizeof(buf));
	for (char *l = buf; l != NULL && *l != '\0';
	     l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (sscanf(l, "%255s %255s %63s", src, d, t) == 3 &&
		    strcmp(d, dir) == 0 && strcmp(t, type) == 0)
			return 1;
	return 0;
}

static void
check_system(void)
{
	char buf[65536], v[256];
	struct sysinfo si;
	struct utsname u;

	check(mounted("/proc/mounts", "/proc", "proc"), "mounts: /proc");
	check(mounted("/proc/self/mounts", "/sys", "sysfs"),
	      "self/mounts: /sys");
	check(slurp("/proc/meminfo", buf, sizeof(buf)) > 0 && sysinfo(&si) == 0,
	      "meminfo, sysinfo");
	unsigned long total =
		field(buf, "MemTotal", v, sizeof(v)) ? atol(v) : 0;
	unsigned long free = field(buf, "MemFree", v, sizeof(v)) ? atol(v) : 0;
	check(total > 0 && total == si.totalram * si.mem_unit / 1024,
	      "MemTotal is sysinfo's totalram");
	check(total == (unsigned long)sysconf(_SC_PHYS_PAGES) *
			       (unsigned long)sysconf(_SC_PAGESIZE) / 1024,
	      "MemTotal is sysconf's");
	check(free > 0 && free <= total, "MemFree");
	check(field(buf, "MemAvailable", v, sizeof(v)) != NULL, "MemAvailable");

	slurp("/proc/cpuinfo", buf, sizeof(buf));
	int cpus = 0;
	for (char *l = buf; l != NULL; l = strchr(l, '\n'), l = l ? l + 1 : l)
		cpus += strncmp(l, "processor\t:", 11) == 0;
	check(cpus > 0 && cpus == sysconf(_SC_NPROCESSORS_ONLN),
	      "cpuinfo: a processor for each CPU online");
	check(field(buf, "vendor_id", v, sizeof(v)) && strlen(v) == 12,
	      "cpuinfo: vendor_id");
	check(field(buf, "flags", v, sizeof(v)) && strstr(v, "sse2") != NULL,
	      "cpuinfo: flags");

	double up = -1, idle = -1;
	slurp("/proc/uptime", buf, sizeof(buf));
	check(sscanf(buf, "%lf %lf", &up, &idle) == 2 && up >= 0 && idle >= 0,
	      "uptime: two times");
	sysinfo(&si);
	long si_up = (long)si.uptime; /* musl's is unsigned */
	if (!(up >= si_up - 2 && up <= si_up + 2))
		printf("  uptime %.2f, sysinfo's %ld\n", up, si_up);
	check(up >= si_up - 2 && up <= si_up + 2, "uptime agrees with sysinfo");

	double l1, l5, l15;
	int running, total_threads, last;
	slurp("/proc/loadavg", buf, sizeof(buf));
	check(sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running,
		     &total_threads, &last) == 6 &&
		      running >= 1 && total_threads >= running,
	      "loadavg");

	slurp("/proc/stat", buf, sizeof(buf));
	long btime = 0;
	char *bt = strstr(buf, "\nbtime ");
	if (bt != NULL)
		btime = atol(bt + 7);
	check(strncmp(buf, "cpu ", 4) == 0, "stat: the cpu line first");
	check(btime > 0 && btime <= time(NULL), "stat: btime");
	check(strstr(buf, "\nprocesses ") != NULL, "stat: processes");

	uname(&u);
	check(slurp("/proc/sys/kernel/hostname", buf, sizeof(buf)) > 0 &&
		      strncmp(buf, u.nodename, strlen(u.nodename)) == 0,
	      "sys/kernel/hostname is uname's");
	check(slurp("/proc/sys/kernel/osrelease", buf, sizeof(buf)) > 0 &&
		      strncmp(buf, u.release, strlen(u.release)) == 0,
	      "sys/kernel/osrelease is uname's");
	check(slurp("/sys/devices/system/cpu/online", buf, sizeof(buf)) > 0 &&
		      buf[0] == '0',
	      "/sys/devices/system/cpu/online");
	check(listed("/proc/sys/kernel", "osrelease", DT_REG),
	      "/proc/sys/kernel lists osrelease");
	check(open("/proc/nonesuch", O_RDONLY) < 0 && errno == ENOENT,
	      "a missing file: ENOENT");
	check(mkdir("/proc/newdir", 0755) < 0, "nothing is made in /proc");
}

int
main(int argc, char **argv)
{
	check_self(argc, argv);
	check_fds();
	check_maps();
	check_status();
	check_system();
	printf("%d failures\n", failures);
	return failures != 0;
}
