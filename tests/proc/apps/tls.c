/*
 * Static TLS and the main thread's stack (tests/proc/start.sh): a
 * __thread variable starts with its initial value and a __thread array
 * zeroed, as musl's start copies the image's PT_TLS template; each holds
 * what is stored in it; and main's thread can recurse 600 KiB deep.
 */
#include <stdio.h>
#include <string.h>

static __thread int counter = 41;
static __thread char zeros[100];

static int
deep(int n)
{
	volatile char frame[4096];

	memset((char *)frame, n, sizeof(frame));
	/* The frames below must not have touched this one. */
	int below = n == 0 ? 0 : deep(n - 1);
	return below + (frame[100] != (char)n);
}

int
main(void)
{
	int ok = 1;

	for (size_t i = 0; i < sizeof(zeros); i++)
		ok &= zeros[i] == 0;
	printf("counter starts at %d, zeros %s\n", counter,
	       ok ? "all zero" : "not zero");
	counter++;
	zeros[5] = 'x';
	printf("counter is now %d, zeros[5] is %c\n", counter, zeros[5]);
	printf("150 frames of 4 KiB deep: %d\n", deep(150));
	return !(ok && counter == 42 && zeros[5] == 'x');
}
