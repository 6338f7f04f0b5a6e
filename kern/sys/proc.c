/*
 * The process: one (pid 1, its first thread's tid; parent 0) run by
 * root; arch_prctl sets or reads the calling thread's FS base through
 * the platform; sched_yield lets the other threads run; uname describes
 * a Linux-compatible system called rumpxen. Its threads are thread.c's.
 */
#include <string.h>

#include "sys.h"

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE	 3
#define PR_SET_DUMPABLE	 4
#define PR_SET_NAME	 15
#define PR_GET_NAME	 16
#define ARCH_SET_FS	 0x1002
#define ARCH_GET_FS	 0x1003

long
sys_getpid(const long a[6])
{
	(void)a;
	return 1;
}

long
sys_getppid(const long a[6])
{
	(void)a;
	return 0;
}

long
sys_getuid(const long a[6])
{
	(void)a;
	return 0; /* root, and so are the gid and the effective ids */
}

long
sys_sched_yield(const long a[6])
{
	(void)a;
	/* A sleep of nothing: others run; it gives the CPU back itself. */
	rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 0);
	return 0;
}

long
sys_getcpu(const long a[6])
{
	/* One CPU, one node. */
	if (a[0] != 0)
		*(unsigned *)a[0] = 0;
	if (a[1] != 0)
		*(unsigned *)a[1] = 0;
	return 0;
}

/* Linux's struct utsname: six fields of 65 bytes. */
struct kern_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65],
		domainname[65];
};

long
sys_uname(const long a[6])
{
	struct kern_utsname *u = (struct kern_utsname *)a[0];
	const char *host = platform_config_get("hostname");

	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "Linux"); /* what programs test for */
	strncpy(u->nodename, host != NULL ? host : "rumpxen",
		sizeof(u->nodename) - 1);
	strcpy(u->release, "6.1.0-rumpxen");
	strcpy(u->version, "#1 rumpxen");
	strcpy(u->machine, "x86_64");
	strcpy(u->domainname, "(none)");
	return 0;
}

long
sys_prctl(const long a[6])
{
	struct kern_thread *t = kern_thread_self();
	static int dumpable = 1;

	if ((a[0] == PR_SET_NAME || a[0] == PR_GET_NAME ||
	     a[0] == PR_GET_PDEATHSIG) &&
	    a[1] == 0)
		return -KERN_EFAULT;
	switch (a[0]) {
	case PR_SET_NAME:
		/* As Linux: the first 15 bytes, the rest dropped. */
		memset(t->comm, 0, sizeof(t->comm));
		for (size_t i = 0; i < sizeof(t->comm) - 1; i++)
			if ((t->comm[i] = ((const char *)a[1])[i]) == '\0')
				break;
		t->named = 1;
		return 0;
	case PR_GET_NAME:
		memcpy((char *)a[1], t->named ? t->comm : kern_comm,
		       sizeof(t->comm));
		return 0;
	case PR_SET_PDEATHSIG:
		if (a[1] < 0 || a[1] >= KERN_NSIG)
			return -KERN_EINVAL;
		t->pdeathsig = (int)a[1]; /* the parent never dies: kept */
		return 0;
	case PR_GET_PDEATHSIG:
		*(int *)a[1] = t->pdeathsig;
		return 0;
	case PR_GET_DUMPABLE:
		return dumpable;
	case PR_SET_DUMPABLE:
		if (a[1] != 0 && a[1] != 1)
			return -KERN_EINVAL;
		dumpable = (int)a[1];
		return 0;
	default:
		return -KERN_EINVAL;
	}
}

long
sys_arch_prctl(const long a[6])
{
	switch (a[0]) {
	case ARCH_SET_FS: {
		int err = platform_thread_set_tls((unsigned long)a[1]);
		if (err != 0)
			return -err;
		kern_thread_self()->fs_base = (unsigned long)a[1];
		return 0;
	}
	case ARCH_GET_FS:
		*(unsigned long *)a[1] = kern_thread_self()->fs_base;
		return 0;
	default:
		return -KERN_EINVAL;
	}
}
