/*
 * The program's side of `xl shutdown` (tests/proc/sigterm*.sh): it says
 * it waits, then sleeps in pause() until a signal ends it. With
 * "handle" a SIGTERM handler reports the signal's sender (the kernel:
 * SI_KERNEL, pid 0) and exits 3; with "ignore" SIGTERM is ignored, so
 * that only the toolstack's second request ends the guest; with
 * "default" SIGTERM's default action ends the process.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void
sigterm_report(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	printf("handled signal %d, si_code %#x, si_pid %d\n", sig, si->si_code,
	       (int)si->si_pid);
	fflush(stdout);
	_exit(3);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	const char *mode = argc > 1 ? argv[1] : "default";

	memset(&sa, 0, sizeof(sa));
	if (strcmp(mode, "handle") == 0) {
		sa.sa_sigaction = sigterm_report;
		sa.sa_flags = SA_SIGINFO;
	} else if (strcmp(mode, "ignore") == 0) {
		sa.sa_handler = SIG_IGN;
		printf("this process ignores SIGTERM\n");
	} else
		sa.sa_handler = SIG_DFL;
	if (sigaction(SIGTERM, &sa, NULL) != 0) {
		perror("sigaction");
		return 1;
	}
	printf("waiting for xl shutdown\n");
	fflush(stdout);
	for (;;)
		pause();
}
