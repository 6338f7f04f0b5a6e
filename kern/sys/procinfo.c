/*
 * The system's own files of /proc, each written from the kernel's state
 * when read: meminfo (the platform's page counts; Buffers, the buffer
 * cache; Shmem and Cached, what the tmpfs mounts hold), cpuinfo (the one
 * virtual CPU as CPUID describes it), uptime (since kern_init; idle as
 * the time no thread ran: platform_cputime), loadavg (the runnable
 * threads, sampled every 5 s as Linux's averages are, though the samples
 * are taken when asked for: those due since the last see the threads
 * runnable then, the caller aside), stat (the CPU's time in ticks of
 * 1/100 s, the boot time, the threads made) and mounts. sysinfo's
 * figures come from here too, so the two agree.
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "sys.h"

#define KB	 1024ul
#define LOAD_SEC 5
#define FSHIFT	 11 /* Linux's fixed point for the averages */
#define FIXED_1	 (1ul << FSHIFT)

void
kern_meminfo(struct kern_meminfo *m)
{
	struct kern_statfs st;
	size_t total, free;

	platform_pages_count(&total, &free);
	m->total = total * PLATFORM_PAGE_SIZE;
	m->free = free * PLATFORM_PAGE_SIZE;
	m->buffers = bdev_cached();
	m->shmem = 0;
	for (struct mount *mp = vfs_mount_list(); mp != NULL; mp = mp->next)
		if (strcmp(mp->fstype, "tmpfs") == 0 &&
		    mp->statfs(mp, &st) == 0)
			m->shmem += (unsigned long)(st.blocks - st.bfree) *
				    (unsigned long)st.bsize;
}

int
kern_proc_meminfo(struct pseudo_buf *b, long arg)
{
	struct kern_meminfo m;

	(void)arg;
	kern_meminfo(&m);
	pseudo_printf(b,
		      "MemTotal:       %8lu kB\n"
		      "MemFree:        %8lu kB\n"
		      "MemAvailable:   %8lu kB\n"
		      "Buffers:        %8lu kB\n"
		      "Cached:         %8lu kB\n"
		      "SwapCached:            0 kB\n"
		      "SwapTotal:             0 kB\n"
		      "SwapFree:              0 kB\n"
		      "Shmem:          %8lu kB\n",
		      m.total / KB, m.free / KB, (m.free + m.buffers) / KB,
		      m.buffers / KB, m.shmem / KB, m.shmem / KB);
	return 0;
}

/* cpuinfo_cpuid: CPUID's leaf (and subleaf) into r: eax, ebx, ecx, edx. */
static void
cpuinfo_cpuid(unsigned leaf, unsigned sub, unsigned r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

/* The flags cpuinfo names: which leaf's register (0-3), its bit. */
static const struct {
	unsigned char leaf7, reg, bit;
	const char *name;
} cpuinfo_flags[] = {
	{0, 3, 0, "fpu"},     {0, 3, 4, "tsc"},	      {0, 3, 8, "cx8"},
	{0, 3, 15, "cmov"},   {0, 3, 19, "clflush"},  {0, 3, 23, "mmx"},
	{0, 3, 24, "fxsr"},   {0, 3, 25, "sse"},      {0, 3, 26, "sse2"},
	{0, 2, 0, "pni"},     {0, 2, 1, "pclmulqdq"}, {0, 2, 9, "ssse3"},
	{0, 2, 12, "fma"},    {0, 2, 13, "cx16"},     {0, 2, 19, "sse4_1"},
	{0, 2, 20, "sse4_2"}, {0, 2, 22, "movbe"},    {0, 2, 23, "popcnt"},
	{0, 2, 25, "aes"},    {0, 2, 26, "xsave"},    {0, 2, 28, "avx"},
	{0, 2, 29, "f16c"},   {0, 2, 30, "rdrand"},   {0, 2, 31, "hypervisor"},
	{1, 1, 3, "bmi1"},    {1, 1, 5, "avx2"},      {1, 1, 8, "bmi2"},
	{1, 1, 9, "erms"},    {1, 1, 18, "rdseed"},   {1, 1, 19, "adx"},
	{1, 1, 29, "sha_ni"},
};

int
kern_proc_cpuinfo(struct pseudo_buf *b, long arg)
{
	unsigned r[4], l1[4], l7[4] = {0}, max;
	char vendor[13], brand[49] = "";

	(void)arg;
	cpuinfo_cpuid(0, 0, r);
	max = r[0];
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = '\0';
	cpuinfo_cpuid(1, 0, l1);
	if (max >= 7)
		cpuinfo_cpuid(7, 0, l7);
	cpuinfo_cpuid(0x80000000u, 0, r);
	if (r[0] >= 0x80000004u) {
		for (unsigned i = 0; i < 3; i++)
			cpuinfo_cpuid(0x80000002u + i, 0,
				      (unsigned *)(brand + 16 * i));
		brand[48] = '\0';
	}
	unsigned family = (l1[0] >> 8) & 0xf, model = (l1[0] >> 4) & 0xf;
	if (family == 0xf)
		family += (l1[0] >> 20) & 0xff;
	if (family >= 6)
		model |= ((l1[0] >> 16) & 0xf) << 4;
	const char *name = brand;
	while (*name == ' ')
		name++;
	pseudo_printf(b,
		      "processor\t: 0\n"
		      "vendor_id\t: %s\n"
		      "cpu family\t: %u\n"
		      "model\t\t: %u\n"
		      "model name\t: %s\n"
		      "stepping\t: %u\n"
		      "physical id\t: 0\n"
		      "siblings\t: 1\n"
		      "core id\t\t: 0\n"
		      "cpu cores\t: 1\n"
		      "fpu\t\t: %s\n"
		      "flags\t\t:",
		      vendor, family, model, name, l1[0] & 0xf,
		      (l1[3] & 1) ? "yes" : "no");
	for (size_t i = 0; i < sizeof(cpuinfo_flags) / sizeof(cpuinfo_flags[0]);
	     i++) {
		const unsigned *reg = cpuinfo_flags[i].leaf7 ? l7 : l1;
		if (reg[cpuinfo_flags[i].reg] & (1u << cpuinfo_flags[i].bit))
			pseudo_printf(b, " %s", cpuinfo_flags[i].name);
	}
	pseudo_printf(b, "\n\n");
	return 0;
}

/* info_ticks: ns in ticks of 1/100 s. */
static unsigned long
info_ticks(uint64_t ns)
{
	return (unsigned long)(ns / KERN_TICK_NS);
}

/*
 * info_cpu_ns: the CPU's time since boot: the threads' (the platform
 * cannot tell the kernel's from the program's, so all of it is user, sys
 * 0) and idle, the rest.
 */
static void
info_cpu_ns(uint64_t *user, uint64_t *sys, uint64_t *idle)
{
	uint64_t up = kern_now() - kern_boot_ns;

	*user = platform_cputime(0);
	*sys = 0;
	*idle = up > *user ? up - *user : 0;
}

int
kern_proc_uptime(struct pseudo_buf *b, long arg)
{
	uint64_t up = kern_now() - kern_boot_ns, user, sys, idle;

	(void)arg;
	info_cpu_ns(&user, &sys, &idle);
	pseudo_printf(b, "%lu.%02lu %lu.%02lu\n",
		      (unsigned long)(up / 1000000000u), info_ticks(up) % 100,
		      (unsigned long)(idle / 1000000000u),
		      info_ticks(idle) % 100);
	return 0;
}

/* The averages, in Linux's fixed point, and when the next sample is due. */
static unsigned long info_loads[3];
static uint64_t info_load_due;

void
kern_loadavg(unsigned long loads[3], int *running)
{
	/* e^(-5/60), e^(-5/300), e^(-5/900) in the fixed point */
	static const unsigned long exp[3] = {1884, 2014, 2037};
	struct kern_thread *self = kern_thread_self();
	uint64_t now = kern_now();
	int n = 0;

	/*
	 * The samples due since the last are taken now, with the threads
	 * runnable now but the caller, which runs only to ask.
	 */
	for (struct kern_thread *t = kern_threads(); t != NULL; t = t->next)
		n += !t->asleep && t != self;
	if (info_load_due == 0)
		info_load_due = kern_boot_ns + LOAD_SEC * 1000000000ull;
	for (; info_load_due <= now; info_load_due += LOAD_SEC * 1000000000ull)
		for (int i = 0; i < 3; i++)
			info_loads[i] = (info_loads[i] * exp[i] +
					 (unsigned long)n * FIXED_1 *
						 (FIXED_1 - exp[i])) >>
					FSHIFT;
	for (int i = 0; i < 3; i++)
		loads[i] = info_loads[i] << (16 - FSHIFT); /* sysinfo's */
	*running = n + 1;
}

int
kern_proc_loadavg(struct pseudo_buf *b, long arg)
{
	unsigned long loads[3];
	int running, total = 0;

	(void)arg;
	kern_loadavg(loads, &running);
	for (struct kern_thread *t = kern_threads(); t != NULL; t = t->next)
		total++;
	for (int i = 0; i < 3; i++)
		pseudo_printf(b, "%lu.%02lu ", loads[i] >> 16,
			      ((loads[i] & 0xffff) * 100) >> 16);
	pseudo_printf(b, "%d/%d %d\n", running, total, kern_thread_last_tid);
	return 0;
}

int
kern_proc_stat(struct pseudo_buf *b, long arg)
{
	uint64_t up = kern_now() - kern_boot_ns, user_ns, sys_ns, idle_ns;
	unsigned long loads[3], user, sys, idle;
	int running;

	(void)arg;
	info_cpu_ns(&user_ns, &sys_ns, &idle_ns);
	user = info_ticks(user_ns);
	sys = info_ticks(sys_ns);
	idle = info_ticks(idle_ns);
	kern_loadavg(loads, &running);
	for (int cpu = -1; cpu < 1; cpu++) {
		if (cpu < 0)
			pseudo_printf(b, "cpu ");
		else
			pseudo_printf(b, "cpu%d", cpu);
		pseudo_printf(b, " %lu 0 %lu %lu 0 0 0 0 0 0\n", user, sys,
			      idle);
	}
	pseudo_printf(b,
		      "intr 0\n"
		      "btime %lu\n"
		      "processes %d\n"
		      "procs_running %d\n"
		      "procs_blocked 0\n",
		      (unsigned long)((kern_wall() - up) / 1000000000u),
		      kern_thread_last_tid, running);
	return 0;
}

/* info_escaped: s as /proc/mounts writes names: space, tab, \n, \ octal. */
static void
info_escaped(struct pseudo_buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			pseudo_printf(b, "\\%03o", (unsigned char)*s);
		else
			pseudo_write(b, s, 1);
}

int
kern_proc_mounts(struct pseudo_buf *b, long arg)
{
	char *path;
	void *mem;

	(void)arg;
	if (rumpuser_malloc(VFS_PATH_MAX, 0, &mem) != 0)
		return -KERN_ENOMEM;
	path = mem;
	vfs_ns_enter(); /* no mount comes or goes while a path is made */
	for (struct mount *mp = vfs_mount_list(); mp != NULL; mp = mp->next) {
		if (mp->covered == NULL)
			strcpy(path, "/");
		else if (vfs_dir_path(mp->covered, path, VFS_PATH_MAX) < 0)
			continue; /* under a directory removed since */
		info_escaped(b, mp->source);
		pseudo_write(b, " ", 1);
		info_escaped(b, path);
		pseudo_printf(b, " %s %s 0 0\n", mp->fstype,
			      mp->rdonly ? "ro" : "rw");
	}
	vfs_ns_leave();
	rumpuser_free(mem, VFS_PATH_MAX);
	return 0;
}
