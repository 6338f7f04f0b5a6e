/*
 * musl's start and stdio on the kernel (tests/proc/start.sh): printf with
 * integers, strings and a double; argv as given; a constructor that ran
 * before main; an atexit handler that runs after it; the environment
 * (from the configuration's env.NAME=VALUE words); main's value (its
 * first argument, 0 without one) as the exit status.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int constructed;

__attribute__((constructor)) static void
before_main(void)
{
	constructed = 1;
}

static void
after_main(void)
{
	printf("atexit handler ran\n");
}

int
main(int argc, char **argv)
{
	printf("hello from musl: %d %s %.2f\n", 42, "text", 3.25);
	printf("argc=%d", argc);
	for (int i = 0; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\nconstructor ran: %s\n", constructed ? "yes" : "no");
	for (char **e = environ; *e != NULL; e++)
		printf("environ: [%s]\n", *e);
	printf("GREETING is %s\n",
	       getenv("GREETING") ? getenv("GREETING") : "unset");
	atexit(after_main);
	return argc > 1 ? atoi(argv[1]) : 0;
}
