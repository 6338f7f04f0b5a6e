/*
 * The process and its threads, as far as this layer goes now: one
 * process (pid 1, parent 0) run by root; exit_group ends the guest with
 * the status, and so does exit of its one thread; set_tid_address is
 * recorded (the thread's id is 1); arch_prctl sets or reads the thread's
 * FS base through the platform; uname describes a Linux-compatible system
 * called rumpxen.
 */
#include <string.h>

#include "sys.h"

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

static int *proc_clear_tid;   /* set_tid_address's pointer */
static unsigned long proc_fs; /* the FS base the thread set */

long
sys_exit_group(const long a[6])
{
	kern_leave();
	platform_exit((int)a[0]);
}

long
sys_exit(const long a[6])
{
	/* The process has one thread: its end is the process's. */
	return sys_exit_group(a);
}

long
sys_set_tid_address(const long a[6])
{
	proc_clear_tid = (int *)a[0];
	return 1;
}

long
sys_getpid(const long a[6])
{
	(void)a;
	return 1;
}

long
sys_gettid(const long a[6])
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
sys_arch_prctl(const long a[6])
{
	switch (a[0]) {
	case ARCH_SET_FS: {
		int err = platform_thread_set_tls((unsigned long)a[1]);
		if (err != 0)
			return -err;
		proc_fs = (unsigned long)a[1];
		return 0;
	}
	case ARCH_GET_FS:
		*(unsigned long *)a[1] = proc_fs;
		return 0;
	default:
		return -KERN_EINVAL;
	}
}
