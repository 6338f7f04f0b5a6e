/*
 * The standard tree and environment a Linux program expects
 * (tests/proc/tree.sh): HOME, PATH, TERM and LANG set; /tmp, /var/tmp
 * and /dev/shm sticky directories anyone may write; /home and /root;
 * tmpfile() and mkstemp() in /tmp; getpwuid(0), getpwnam("root") and
 * getgrgid(0) from /etc/passwd and /etc/group; /etc/nsswitch.conf;
 * shm_open with a shared mapping, sem_open, on /dev/shm;
 * sysconf's page counts and sysinfo's memory, which agree. Run with
 * "native" on the host to show these hold on Linux; with "rumpxen" it
 * also checks our defaults (HOME=/root, PATH, TERM=linux, LANG=C.UTF-8,
 * the time zone UTC from /etc/localtime); with "override" it checks that
 * the RAM disk's /etc/passwd (root's home /admin) won over ours. Prints
 * "N failures" and exits 0 when there are none.
 */
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* sticky_dir: path is a directory of mode 01777. */
static int
sticky_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
	       (st.st_mode & 07777) == 01777;
}

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
env_is(const char *name, const char *want)
{
	const char *v = getenv(name);

	return v != NULL && strcmp(v, want) == 0;
}

static void
files(void)
{
	char name[] = "/tmp/treeXXXXXX", buf[8] = {0};
	FILE *f = tmpfile();

	check(f != NULL && fputs("temp", f) >= 0 &&
		      fseek(f, 0, SEEK_SET) == 0 && fread(buf, 1, 4, f) == 4 &&
		      strcmp(buf, "temp") == 0,
	      "tmpfile() writes and reads back");
	if (f != NULL)
		fclose(f);
	int fd = mkstemp(name);
	check(fd >= 0 && write(fd, "x", 1) == 1, "mkstemp in /tmp");
	if (fd >= 0) {
		close(fd);
		unlink(name);
	}
	check(sticky_dir("/tmp") && sticky_dir("/var/tmp") &&
		      sticky_dir("/dev/shm"),
	      "/tmp, /var/tmp and /dev/shm are sticky and open to all");
	check(is_dir("/home") && is_dir("/root") && is_dir("/etc"),
	      "/home, /root and /etc are there");
	check(access("/etc/nsswitch.conf", R_OK) == 0 &&
		      access("/etc/hosts", R_OK) == 0,
	      "/etc/nsswitch.conf and /etc/hosts are there");
}

static void
users(const char *home)
{
	struct passwd *pw = getpwuid(0);

	check(pw != NULL && strcmp(pw->pw_name, "root") == 0,
	      "getpwuid(0) is root");
	check(pw != NULL && strcmp(pw->pw_dir, home) == 0,
	      "root's home is the one expected");
	pw = getpwnam("root");
	check(pw != NULL && pw->pw_uid == 0, "getpwnam(\"root\") is uid 0");
	struct group *gr = getgrgid(0);
	check(gr != NULL && strcmp(gr->gr_name, "root") == 0,
	      "getgrgid(0) is root");
}

/* shm: POSIX shared memory and a named semaphore, on /dev/shm. */
static void
shm(void)
{
	int fd = shm_open("/tree-shm", O_CREAT | O_EXCL | O_RDWR, 0600);
	char *p = MAP_FAILED;

	if (fd >= 0 && ftruncate(fd, 8192) == 0)
		p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(p != MAP_FAILED, "shm_open, ftruncate and a shared mapping");
	if (p != MAP_FAILED) {
		strcpy(p + 4096, "shared");
		char buf[8] = {0};
		check(pread(fd, buf, 6, 4096) == 6 &&
			      strcmp(buf, "shared") == 0,
		      "... what the mapping holds, the file holds");
		munmap(p, 8192);
	}
	if (fd >= 0)
		close(fd);
	check(shm_unlink("/tree-shm") == 0, "shm_unlink");
	sem_t *s = sem_open("/tree-sem", O_CREAT | O_EXCL, 0600, 1);
	check(s != SEM_FAILED && sem_trywait(s) == 0 && sem_trywait(s) != 0 &&
		      sem_post(s) == 0,
	      "sem_open, and the semaphore counts");
	if (s != SEM_FAILED)
		sem_close(s);
	check(sem_unlink("/tree-sem") == 0, "sem_unlink");
}

static void
memory(void)
{
	long phys = sysconf(_SC_PHYS_PAGES), avail = sysconf(_SC_AVPHYS_PAGES);
	long page = sysconf(_SC_PAGESIZE);
	struct sysinfo si;

	check(phys > 0 && avail > 0 && avail <= phys,
	      "sysconf counts pages, some available");
	check(sysinfo(&si) == 0 &&
		      (unsigned long long)si.totalram * si.mem_unit ==
			      (unsigned long long)phys *
				      (unsigned long long)page,
	      "sysinfo's memory is sysconf's");
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "rumpxen";
	int ours = strcmp(mode, "native") != 0;

	check(getenv("HOME") != NULL && getenv("PATH") != NULL,
	      "HOME and PATH are set");
	/* The boot took no thread of the process: main is tid 1's. */
	check(syscall(SYS_gettid) == getpid(),
	      "the main thread's tid is the pid");
	files();
	users(strcmp(mode, "override") == 0 ? "/admin" : "/root");
	memory();
	shm();
	if (ours && strcmp(mode, "rumpxen") == 0) {
		check(env_is("HOME", "/root") &&
			      env_is("PATH", "/usr/local/bin:/usr/bin:/bin") &&
			      env_is("TERM", "linux") &&
			      env_is("LANG", "C.UTF-8"),
		      "the environment's defaults");
		time_t t = 86400 * 365 + 3600 * 13;
		struct tm *tm = localtime(&t);
		check(tm != NULL && tm->tm_hour == 13 &&
			      strcmp(tm->tm_zone, "UTC") == 0,
		      "local time is UTC, from /etc/localtime");
	}
	printf("%d failures\n", failures);
	return failures != 0;
}
