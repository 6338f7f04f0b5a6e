/*
 * The platform extensions of include/rumpxen/platform.h that are thin
 * views of the rooms below: configuration (core/boot.c's command line,
 * then the domain's xenstore keys), pages (core/pages.c, core/mm.c) and
 * threads and their CPU time (core/sched.c). Errors are Linux values already.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "../xenbus/xenbus.h"

/*
 * Configuration: the command line's key=value words first, then the keys
 * of the domain's own xenstore directory (a key is a path relative to
 * it: "name", "domid", "data/x"), and for net.vifN the address the
 * toolstack gave vif N. Values read from xenstore are kept, so the
 * pointers stay valid, and a key is looked up there only once.
 */
#define CONFIG_CACHE 32

static struct {
	char *key, *value;
} config_cache[CONFIG_CACHE];

static char *
config_strdup(const char *s)
{
	size_t len = strlen(s) + 1;
	void *p;

	if (heap_alloc(len, 1, &p) != 0)
		return NULL;
	memcpy(p, s, len);
	return p;
}

/*
 * config_vif_ip: for the key net.vifN, the address the toolstack gave
 * vif N (its backend's "ip" key, from domain_config's ip=; the first, if
 * it lists more) into value, or "dhcp" for a vif it gave none; 0 or an
 * errno value (ENOENT: no vif N).
 */
static int
config_vif_ip(const char *key, char *value, size_t len)
{
	char path[128], back[128];
	long unit;

	if (strncmp(key, "net.vif", 7) != 0 ||
	    num_parse_long(key + 7, &unit) != 0 || unit < 0)
		return ENOENT;
	fmt_snprintf(path, sizeof(path), "device/vif/%ld/backend", unit);
	if (xs_read(0, path, back, sizeof(back)) != 0)
		return ENOENT;
	fmt_snprintf(path, sizeof(path), "%s/ip", back);
	if (xs_read(0, path, value, len) != 0 || value[0] == 0) {
		fmt_snprintf(value, len, "dhcp");
		return 0;
	}
	for (char *c = value; *c != 0; c++)
		if (*c == ' ')
			*c = 0; /* the first address only */
	return 0;
}

const char *
platform_config_get(const char *key)
{
	char value[256];
	const char *v = boot_config_get(key);
	int i;

	if (v != NULL)
		return v;
	for (i = 0; i < CONFIG_CACHE && config_cache[i].key != NULL; i++)
		if (strcmp(config_cache[i].key, key) == 0)
			return config_cache[i].value;
	if (i == CONFIG_CACHE ||
	    (xs_read(0, key, value, sizeof(value)) != 0 &&
	     config_vif_ip(key, value, sizeof(value)) != 0))
		return NULL;
	config_cache[i].value = config_strdup(value);
	config_cache[i].key = config_strdup(key);
	return config_cache[i].value;
}

const char *
platform_config_word(int i)
{
	return boot_config_word(i);
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
platform_pages_claim(void *at, size_t n)
{
	if (n == 0)
		return EINVAL;
	int err = pages_claim(at, n);
	if (err == 0)
		memset(at, 0, n * PAGE_SIZE);
	return err;
}

void
platform_pages_count(size_t *total, size_t *free)
{
	struct pages_stats st;

	pages_stats(&st);
	*total = st.total;
	*free = st.free;
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

int
platform_pages_protect(void *p, size_t n, int prot)
{
	unsigned long first = (unsigned long)p >> PAGE_SHIFT;
	uint64_t bits = PTE_PRESENT | PTE_ACCESSED | PTE_DIRTY;

	if ((unsigned long)p % PAGE_SIZE != 0 || first + n > mm_nr_pages ||
	    first + n < first)
		return EINVAL;
	if (prot & PLATFORM_PROT_WRITE)
		bits |= PTE_WRITE;
	if (!(prot & PLATFORM_PROT_EXEC))
		bits |= mm_prot_nx();
	for (unsigned long pfn = first; pfn < first + n; pfn++) {
		unsigned long va = pfn << PAGE_SHIFT;
		if (prot == 0)
			mm_unmap(va);
		else if (mm_map(va, mm_pfn_to_mfn(pfn), bits) != 0)
			return EINVAL;
	}
	return 0;
}

int
platform_window_alloc(size_t n, void **out)
{
	unsigned long va;
	int err = mm_area_alloc(n, &va);

	if (err == 0)
		*out = (void *)va;
	return err;
}

int
platform_window_map(void *va, void *page, int prot)
{
	unsigned long pfn = (unsigned long)page >> PAGE_SHIFT;
	uint64_t bits = PTE_PRESENT | PTE_ACCESSED | PTE_DIRTY;

	if ((unsigned long)page % PAGE_SIZE != 0 || pfn >= mm_nr_pages)
		return EINVAL;
	if (prot == 0) {
		mm_unmap((unsigned long)va);
		return 0;
	}
	if (prot & PLATFORM_PROT_WRITE)
		bits |= PTE_WRITE;
	if (!(prot & PLATFORM_PROT_EXEC))
		bits |= mm_prot_nx();
	return mm_map((unsigned long)va, mm_pfn_to_mfn(pfn), bits);
}

void
platform_window_unmap(void *va, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mm_unmap((unsigned long)va + i * PAGE_SIZE);
}

void
platform_window_free(void *va, size_t n)
{
	mm_area_free((unsigned long)va, n);
}

int
platform_thread_set_tls(unsigned long tls)
{
	sched_set_tls(tls);
	return 0;
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

uint64_t
platform_cputime(int self)
{
	return sched_cputime(self);
}
