/*
 * Limits and the machine's shape: getrlimit, setrlimit and prlimit64 on
 * this process (the defaults say what the platform gives: an unlimited
 * address space, 1,024 files, the main thread's 1 MiB stack, which
 * cannot grow; the process is root, so a hard limit may be raised, as
 * Linux lets CAP_SYS_RESOURCE do). Enforced: RLIMIT_NOFILE (fds at or
 * past it are not given, EMFILE); RLIMIT_FSIZE (kern_limit_write and
 * kern_limit_size, for fd.c and open.c: a regular file does not grow
 * past it, EFBIG and SIGXFSZ to the thread, a write that starts below
 * it writing up to it: write, pwrite, writev, sendfile,
 * copy_file_range, truncate, fallocate); RLIMIT_AS and RLIMIT_DATA
 * (mem.c asks kern_limit before it maps), sysinfo (uptime since boot,
 * the load averages, memory as /proc/meminfo counts it: procinfo.c's;
 * procs, the threads), and sched_getaffinity (one CPU).
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "sys.h"

#define RLIMIT_FSIZE  1
#define RLIMIT_STACK  3
#define SIGXFSZ	      25
#define RLIMIT_NOFILE 7
#define RLIM_NLIMITS  16
#define RLIM_INFINITY (~0ul)

struct kern_rlimit {
	unsigned long cur, max;
};

static struct kern_rlimit limits[RLIM_NLIMITS];
static int limits_set;

static void
limits_init(void)
{
	if (limits_set)
		return;
	limits_set = 1;
	for (int i = 0; i < RLIM_NLIMITS; i++)
		limits[i].cur = limits[i].max = RLIM_INFINITY;
	limits[RLIMIT_STACK].cur = KERN_MAIN_STACK;
	limits[RLIMIT_NOFILE].cur = limits[RLIMIT_NOFILE].max = 1024;
}

/* limits_swap: old into *old, then new if given. */
static long
limits_swap(long which, const struct kern_rlimit *new, struct kern_rlimit *old)
{
	limits_init();
	if (which < 0 || which >= RLIM_NLIMITS)
		return -KERN_EINVAL;
	if (new != NULL &&new->cur > new->max)
		return -KERN_EINVAL;
	/* The fd table's size is this kernel's nr_open: more is EPERM. */
	if (new != NULL && which == RLIMIT_NOFILE &&new->max > KERN_FD_MAX)
		return -KERN_EPERM;
	if (old != NULL)
		*old = limits[which];
	if (new != NULL)
		limits[which] = *new;
	if (new != NULL && which == RLIMIT_NOFILE)
		kern_fd_limit_set(new->cur);
	return 0;
}

unsigned long
kern_limit(int which)
{
	limits_init();
	return limits[which].cur;
}

/* limits_fsize_over: the thread goes past RLIMIT_FSIZE: SIGXFSZ, EFBIG. */
static long
limits_fsize_over(void)
{
	kern_signal_send(kern_thread_self(), SIGXFSZ);
	return -KERN_EFBIG;
}

long
kern_limit_write(const struct kern_file *f, long pos, size_t *len)
{
	unsigned long lim = kern_limit(RLIMIT_FSIZE);

	if (*len == 0 || lim == RLIM_INFINITY || f->vnode == NULL ||
	    !S_ISREG(f->vnode->mode))
		return 0;
	if (f->flags & KERN_O_APPEND)
		pos = f->vnode->size;
	else if (pos < 0)
		pos = f->offset;
	if ((unsigned long)pos >= lim)
		return limits_fsize_over();
	if (*len > lim - (unsigned long)pos)
		*len = lim - (unsigned long)pos;
	return 0;
}

long
kern_limit_size(long size)
{
	unsigned long lim = kern_limit(RLIMIT_FSIZE);

	if (lim != RLIM_INFINITY && (unsigned long)size > lim)
		return limits_fsize_over();
	return 0;
}

long
sys_getrlimit(const long a[6])
{
	return limits_swap(a[0], NULL, (struct kern_rlimit *)a[1]);
}

long
sys_setrlimit(const long a[6])
{
	return limits_swap(a[0], (const struct kern_rlimit *)a[1], NULL);
}

long
sys_prlimit64(const long a[6])
{
	if (a[0] != 0 && a[0] != 1)
		return -KERN_ESRCH; /* only this process */
	return limits_swap(a[1], (const struct kern_rlimit *)a[2],
			   (struct kern_rlimit *)a[3]);
}

/* Linux's struct sysinfo on x86_64. */
struct kern_sysinfo {
	long uptime;
	unsigned long loads[3], totalram, freeram, sharedram, bufferram,
		totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned mem_unit;
};

long
sys_sysinfo(const long a[6])
{
	struct kern_sysinfo *si = (struct kern_sysinfo *)a[0];
	struct kern_meminfo m;
	int running;

	if (si == NULL)
		return -KERN_EFAULT;
	memset(si, 0, sizeof(*si));
	si->uptime = (long)((kern_now() - kern_boot_ns) / 1000000000u);
	kern_loadavg(si->loads, &running);
	kern_meminfo(&m);
	si->totalram = m.total;
	si->freeram = m.free;
	si->sharedram = m.shmem;
	si->bufferram = m.buffers;
	for (struct kern_thread *t = kern_threads(); t != NULL; t = t->next)
		si->procs++;
	si->mem_unit = 1;
	return 0;
}

long
sys_sched_getaffinity(const long a[6])
{
	unsigned char *mask = (unsigned char *)a[2];

	if (a[0] != 0 && a[0] != 1)
		return -KERN_ESRCH;
	if (a[1] < 8 || a[1] % 8 != 0)
		return -KERN_EINVAL;
	memset(mask, 0, (size_t)a[1]);
	mask[0] = 1; /* one CPU */
	return 8;
}

void
kern_rlimit_get(int which, unsigned long *cur, unsigned long *max)
{
	limits_init();
	*cur = limits[which].cur;
	*max = limits[which].max;
}
