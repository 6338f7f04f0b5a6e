/*
 * Start of day on Xen PV: from _start to the image's rumpxen_main.
 *
 * The order matters: the trap table first, so that anything after it
 * faults with a report; then the 1:1 map, the page allocator and the heap;
 * then shared_info (events, time) and the console's input (or, for a
 * domU, its ring); then the timer's event channel and the scheduler, which
 * runs rumpxen_main on a thread of its own ("main").
 *
 * The command line (start_info.cmd_line) has two parts. When it contains a
 * word "--", the words before it are the platform's configuration, each
 * key=value (the runner adds testhost=1 there), and the words after it are
 * the application's arguments. Without a "--", every word is an argument.
 * Words are split as lib/cmdline.c describes, with shell-like quotes.
 * argv[0] is the image's name, which the build links in as
 * rumpxen_image_name.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "core.h"
#include "../xenbus/xenbus.h"

#define BOOT_MAX_WORDS	256
#define BOOT_MAIN_STACK (256 * 1024)

start_info_t *boot_start_info;
struct shared_info *shared_info;

/* The image's name, from a tiny object the build makes for each image. */
extern const char rumpxen_image_name[];

/* A copy of the command line; the words point into it. */
static char boot_cmdline[MAX_GUEST_CMDLINE + 1];
static char *boot_words[BOOT_MAX_WORDS];
static char **boot_config;
static int boot_nconfig;
static char **boot_argv;
static int boot_argc;
static uint64_t boot_tsc;

const char *
boot_config_get(const char *key)
{
	size_t len = strlen(key);

	for (int i = 0; i < boot_nconfig; i++)
		if (strncmp(boot_config[i], key, len) == 0 &&
		    boot_config[i][len] == '=')
			return boot_config[i] + len + 1;
	return NULL;
}

const char *
boot_config_word(int i)
{
	return i >= 0 && i < boot_nconfig ? boot_config[i] : NULL;
}

uint64_t
boot_handover_ns(void)
{
	return time_tsc_to_ns(boot_tsc);
}

/* boot_cmdline_parse: splits the command line into configuration and argv. */
static void
boot_cmdline_parse(const start_info_t *si)
{
	int nwords, err;

	strncpy(boot_cmdline, (const char *)si->cmd_line, MAX_GUEST_CMDLINE);
	/* Leave boot_words[0] free for argv[0]. */
	err = cmdline_split(boot_cmdline, boot_words + 1, BOOT_MAX_WORDS - 1,
			    &nwords);
	if (err != 0) {
		platform_console_printf("rumpxen: bad command line (%s): %s\n",
					err == E2BIG ? "too many words"
						     : "unbalanced quote or "
						       "trailing backslash",
					(const char *)si->cmd_line);
		platform_exit(2);
	}
	boot_argv = boot_words;
	boot_argc = nwords + 1;
	for (int i = 1; i <= nwords; i++) {
		if (strcmp(boot_words[i], "--") == 0) {
			boot_config = boot_words + 1;
			boot_nconfig = i - 1;
			boot_argv = boot_words + i;
			boot_argc = nwords - i + 1;
			break;
		}
	}
	boot_argv[0] = (char *)rumpxen_image_name;
	for (int i = 0; i < boot_nconfig; i++) {
		const char *eq = strchr(boot_config[i], '=');
		if (eq == NULL || eq == boot_config[i]) {
			platform_console_printf("rumpxen: configuration word "
						"\"%s\" is not key=value\n",
						boot_config[i]);
			platform_exit(2);
		}
	}
}

/* boot_shared_info_map: maps the shared_info frame into the area. */
static void
boot_shared_info_map(const start_info_t *si)
{
	unsigned long va;

	if (mm_area_alloc(1, &va) != 0 ||
	    mm_map(va, si->shared_info >> PAGE_SHIFT,
		   PTE_PRESENT | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY |
			   mm_prot_nx()) != 0)
		platform_panic("boot: cannot map shared_info");
	shared_info = (struct shared_info *)va;
}

/* The timer's VIRQ only has to wake the scheduler, which checks sleepers. */
static void
boot_timer_event(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
}

static void
boot_main_thread(void *arg)
{
	(void)arg;
	platform_exit(rumpxen_main(boot_argc, boot_argv));
}

void
boot_start(start_info_t *si)
{
	struct thread_attr main_attr = {.name = "main",
					.stack_size = BOOT_MAIN_STACK};
	struct thread *main_thread;
	evtchn_port_t timer_port;

	boot_tsc = time_tsc();
	boot_start_info = si;
	boot_cmdline_parse(si);
	traps_init();
	pages_init(mm_init(si), si);
	mm_pages_started();
	heap_init();
	boot_shared_info_map(si);
	console_init(si);
	xs_init(si); /* ENODEV as dom0: there is no xenstore then */
	if (gnttab_init() != 0)
		platform_console_printf("gnttab: no grant table\n");
	if (evtchn_bind_virq(VIRQ_TIMER, boot_timer_event, NULL, &timer_port) !=
	    0)
		platform_panic("boot: cannot bind VIRQ_TIMER");
	control_init();
	if (sched_thread_create(&main_attr, boot_main_thread, NULL,
				&main_thread) != 0)
		platform_panic("boot: cannot create the main thread");
	sched_start();
}
