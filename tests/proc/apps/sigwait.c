/*
 * Signals taken as data (tests/proc/sigwait.sh): sigtimedwait takes a
 * blocked pending signal with its si_code, times out with EAGAIN, and
 * waits for an alarm; signalfd reads a blocked signal as a
 * signalfd_siginfo, is EAGAIN with O_NONBLOCK when none is pending, is
 * seen by poll and epoll, takes a new mask, and a blocking read waits
 * for an alarm. Run natively and on Xen; prints "N failures" and exits
 * 0 when there are none.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
timedwait(void)
{
	sigset_t set;
	siginfo_t info;
	struct timespec zero = {0, 0}, short_wait = {0, 50000000};

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	check(sigtimedwait(&set, &info, &zero) == SIGUSR1 &&
		      info.si_signo == SIGUSR1 && info.si_code == SI_USER,
	      "sigtimedwait takes a pending SIGUSR1, SI_USER");
	sigset_t pending;
	sigpending(&pending);
	check(!sigismember(&pending, SIGUSR1), "... and it is pending no more");
	double t0 = now();
	check(sigtimedwait(&set, &info, &short_wait) < 0 && errno == EAGAIN &&
		      now() - t0 >= 0.049,
	      "nothing comes in 50 ms: EAGAIN, after 50 ms at least");
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sig = 0;
	t0 = now();
	alarm(1);
	check(sigwait(&set, &sig) == 0 && sig == SIGALRM && now() - t0 >= 0.999,
	      "sigwait waits for a blocked SIGALRM, a second at least");
}

static void
sfd(void)
{
	sigset_t set;
	struct signalfd_siginfo si[2];

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	check(fd >= 0 && read(fd, si, sizeof(si)) < 0 && errno == EAGAIN,
	      "signalfd: none pending, EAGAIN");
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN}, out;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	kill(getpid(), SIGUSR2);
	struct pollfd p = {fd, POLLIN, 0};
	check(poll(&p, 1, 5000) == 1 && (p.revents & POLLIN),
	      "poll sees it readable");
	check(epoll_wait(ep, &out, 1, 5000) == 1, "epoll sees it readable");
	check(read(fd, si, sizeof(si)) == (ssize_t)sizeof(si[0]) &&
		      si[0].ssi_signo == SIGUSR2 &&
		      si[0].ssi_pid == (unsigned)getpid(),
	      "a read takes SIGUSR2, one 128-byte record, our pid");
	/* Ignored by default, but blocked: it stays for signalfd. */
	sigset_t winch;
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch, NULL);
	int wfd = signalfd(-1, &winch, SFD_NONBLOCK);
	raise(SIGWINCH);
	check(wfd >= 0 && read(wfd, si, sizeof(si[0])) == sizeof(si[0]) &&
		      si[0].ssi_signo == SIGWINCH,
	      "a blocked SIGWINCH (ignored by default) is read");
	close(wfd);
	close(ep);
	sigaddset(&set, SIGALRM);
	check(signalfd(fd, &set, 0) == fd, "a new mask for it");
	close(fd);
	fd = signalfd(-1, &set, 0);
	double t0 = now();
	alarm(1);
	check(fd >= 0 && read(fd, si, sizeof(si[0])) == sizeof(si[0]) &&
		      si[0].ssi_signo == SIGALRM && now() - t0 >= 0.999,
	      "a blocking read waits for the alarm");
	close(fd);
}

int
main(void)
{
	timedwait();
	sfd();
	printf("%d failures\n", failures);
	return failures != 0;
}
