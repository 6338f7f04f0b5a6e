/*
 * Signals through musl on the kernel (tests/proc/start.sh): a handler
 * installed with sigaction runs when the process raises its signal (as
 * kill and as raise, which musl makes tkill), with SA_SIGINFO's si_code;
 * a blocked signal stays pending until unblocked; an ignored one is
 * dropped; sigsuspend waits for one another thread sends; getrlimit,
 * sysinfo and sched_getaffinity answer. Last, with
 * argv[1] "term", SIGTERM with no handler ends the guest (143) with a
 * report naming it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "check.h"

static volatile int got_usr1, got_code, got_usr2;

static void
on_usr1(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	got_usr1 += sig == SIGUSR1;
	got_code = info->si_code;
}

static void
on_usr2(int sig)
{
	got_usr2 += sig == SIGUSR2;
}

static void *
send_usr2_later(void *arg)
{
	(void)arg;
	usleep(50000);
	kill(getpid(), SIGUSR2);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t set, pending;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	check(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction with SA_SIGINFO");
	check(kill(getpid(), SIGUSR1) == 0 && got_usr1 == 1 &&
		      got_code == SI_USER,
	      "kill of ourselves runs the handler, si_code SI_USER");
	check(raise(SIGUSR1) == 0 && got_usr1 == 2 && got_code == SI_TKILL,
	      "raise runs it again, si_code SI_TKILL");

	signal(SIGUSR2, on_usr2);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);
	check(got_usr2 == 0 && sigpending(&pending) == 0 &&
		      sigismember(&pending, SIGUSR2),
	      "a blocked signal stays pending");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	check(got_usr2 == 1, "and is delivered once unblocked");

	/* sigsuspend: another thread's kill comes to the thread waiting. */
	pthread_t sender;
	sigset_t empty, now;
	int before = got_usr2;
	sigprocmask(SIG_BLOCK, &set, NULL);
	pthread_create(&sender, NULL, send_usr2_later, NULL);
	sigemptyset(&empty);
	int r = sigsuspend(&empty);
	check(r == -1 && errno == EINTR && got_usr2 == before + 1,
	      "sigsuspend: EINTR once another thread's kill was handled");
	sigprocmask(SIG_SETMASK, NULL, &now);
	check(sigismember(&now, SIGUSR2), "and its mask ended with it");
	pthread_join(sender, NULL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	signal(SIGTERM, SIG_IGN);
	check(raise(SIGTERM) == 0, "an ignored SIGTERM is dropped");
	signal(SIGTERM, SIG_DFL);

	struct rlimit rl;
	struct sysinfo si;
	cpu_set_t cpus;
	check(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 1024 &&
		      getrlimit(RLIMIT_STACK, &rl) == 0 &&
		      rl.rlim_cur == 1 << 20,
	      "getrlimit: 1024 files, a 1 MiB stack");
	check(sysinfo(&si) == 0 && si.procs == 1, "sysinfo");
	check(sched_getaffinity(0, sizeof(cpus), &cpus) == 0 &&
		      CPU_COUNT(&cpus) == 1,
	      "sched_getaffinity: one CPU");

	if (argc > 1 && strcmp(argv[1], "term") == 0) {
		printf("raising SIGTERM\n");
		fflush(stdout);
		raise(SIGTERM);
		printf("still here\n");
	}
	return failures != 0;
}
