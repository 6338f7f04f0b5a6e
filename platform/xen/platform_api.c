/*
 * The platform extensions of include/rumpxen/platform.h that are thin
 * views of this layer's own parts: configuration (boot.c), pages
 * (pages.c) and threads (sched.c). Errors are Linux values already.
 */
#include <string.h>

#include <rumpxen/platform.h>

#include "xen.h"

const char *
platform_config_get(const char *key)
{
	return boot_config_get(key);
}

int
platform_pages_alloc(size_t n, size_t align, void **out)
{
	int err = pages_alloc(n, align, out);

	if (err == 0)
		memset(*out, 0, n * PAGE_SIZE);
	return err;
}

void
platform_pages_free(void *p, size_t n)
{
	pages_free(p, n);
}

int
platform_thread_create(const struct platform_thread_attr *attr,
		       void (*fn)(void *), void *arg,
		       struct platform_thread **out)
{
	struct thread_attr a = {.name = attr->name,
				.stack = attr->stack,
				.stack_size = attr->stack_size,
				.tls = attr->tls,
				.joinable = attr->joinable};
	struct thread *t;
	int err = sched_thread_create(&a, fn, arg, &t);

	if (err == 0)
		*out = (struct platform_thread *)t;
	return err;
}

void
platform_thread_exit(void)
{
	sched_thread_exit();
}

int
platform_thread_join(struct platform_thread *t)
{
	return sched_thread_join((struct thread *)t);
}
