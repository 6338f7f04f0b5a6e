/*
 * mprotect takes effect (tests/proc/start.sh): a page made read-only
 * faults when written. Until faults in programs become signals, the
 * platform reports the fault and the guest ends with status 139.
 */
#include <stdio.h>
#include <sys/mman.h>

int
main(void)
{
	volatile char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	p[0] = 1;
	if (mprotect((void *)p, 4096, PROT_READ) != 0)
		return 1;
	printf("writing to a read-only page\n");
	fflush(stdout);
	p[0] = 2;
	printf("the write went through\n");
	return 0;
}
