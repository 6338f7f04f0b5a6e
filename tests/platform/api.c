/*
 * The platform extensions of include/rumpxen/platform.h, one test for
 * every platform (tests/platform/api.sh runs it on POSIX and on Xen):
 * configuration lookup, zeroed and aligned pages, a thread on a stack its
 * creator gave and one of the platform's, join, and a TLS pointer where
 * the platform offers one. Exits 0 when all holds.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>
#include "../check.h"

static volatile unsigned long local_at, tls_word;

static void
note_stack(void *arg)
{
	int local;

	(void)arg;
	local_at = (unsigned long)&local;
}

static void
read_tls(void *arg)
{
	unsigned long v;

	(void)arg;
	__asm__ volatile("movq %%fs:0, %0" : "=r"(v));
	tls_word = v;
}

int
rumpxen_main(int argc, char **argv)
{
	static char stack[32768] __attribute__((aligned(16)));
	static unsigned long tls_block[2] = {0x1234abcd, 0};
	struct platform_thread *t;
	unsigned char *p;
	const char *v;
	void *mem;
	int err;

	(void)argc;
	(void)argv;
	v = platform_config_get("RUMPXEN_API_TEST");
	check(v != NULL && strcmp(v, "42") == 0, "configuration lookup");
	check(platform_config_get("RUMPXEN_NO_SUCH_KEY") == NULL,
	      "an absent key is NULL");

	err = platform_pages_alloc(3, 4, &mem);
	p = mem;
	check(err == 0 && ((unsigned long)p % (4 * PLATFORM_PAGE_SIZE)) == 0 &&
		      p[0] == 0 && p[3 * PLATFORM_PAGE_SIZE - 1] == 0,
	      "3 zeroed pages aligned to 4");
	if (err == 0) {
		memset(p, 0xff, 3 * PLATFORM_PAGE_SIZE);
		platform_pages_free(p, 3);
	}
	check(platform_pages_alloc(0, 1, &mem) == EINVAL, "0 pages: EINVAL");
	size_t total, free1, free2;
	platform_pages_count(&total, &free1);
	check(total > 0 && free1 > 0 && free1 <= total,
	      "pages counted: some, some free");
	if (platform_pages_alloc(256, 1, &mem) == 0) {
		platform_pages_count(&total, &free2);
		platform_pages_free(mem, 256);
		/* On Xen the count is exact; the host's moves by itself. */
		check(free2 < free1 ||
			      platform_config_get("RUMPXEN_API_HOST") != NULL,
		      "1 MiB taken: fewer pages free");
	}

	struct platform_thread_attr given = {.name = "given",
					     .stack = stack,
					     .stack_size = sizeof(stack),
					     .joinable = 1};
	check(platform_thread_create(&given, note_stack, NULL, &t) == 0 &&
		      platform_thread_join(t) == 0,
	      "a thread on a given stack ran and was joined");
	check(local_at >= (unsigned long)stack &&
		      local_at < (unsigned long)stack + sizeof(stack),
	      "its locals were on that stack");

	struct platform_thread_attr ours = {.name = "ours", .joinable = 1};
	local_at = 0;
	check(platform_thread_create(&ours, note_stack, NULL, &t) == 0 &&
		      platform_thread_join(t) == 0 && local_at != 0,
	      "a thread on a stack of the platform's");

	struct platform_thread_attr tls = {
		.name = "tls", .tls = (unsigned long)tls_block, .joinable = 1};
	err = platform_thread_create(&tls, read_tls, NULL, &t);
	if (err == ENOTSUP) {
		platform_console_printf("no TLS pointer on this platform\n");
	} else {
		check(err == 0 && platform_thread_join(t) == 0 &&
			      tls_word == 0x1234abcd,
		      "the thread's FS base is the TLS pointer given");
	}
	return check_failures != 0;
}
