/*
 * Start of day on Xen PV: from _start to the image's rumpxen_main.
 *
 * The command line (start_info.cmd_line) has two parts. When it contains a
 * word "--", the words before it are the platform's configuration, each
 * key=value (the runner adds testhost=1 there), and the words after it are
 * the application's arguments. Without a "--", every word is an argument.
 * Words are split as lib/cmdline.c describes, so quoted arguments keep
 * their spaces. argv[0] is the image's name, which the build links in as
 * rumpxen_image_name.
 */
#include <errno.h>
#include <string.h>

#include <rumpxen/platform.h>

#include "klib.h"
#include "xen.h"

#define BOOT_MAX_WORDS 256

start_info_t *boot_start_info;

/* The image's name, from a tiny object the build makes for each image. */
extern const char rumpxen_image_name[];

/* A copy of the command line; the words point into it. */
static char boot_cmdline[MAX_GUEST_CMDLINE + 1];
static char *boot_words[BOOT_MAX_WORDS];
static char **boot_config;
static int boot_nconfig;

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

/* boot_config_check: every configuration word must be key=value. */
static int
boot_config_check(void)
{
	for (int i = 0; i < boot_nconfig; i++) {
		const char *eq = strchr(boot_config[i], '=');
		if (eq == NULL || eq == boot_config[i]) {
			platform_console_printf(
				"rumpxen: configuration word \"%s\" is not "
				"key=value\n",
				boot_config[i]);
			return -1;
		}
	}
	return 0;
}

void
boot_start(start_info_t *si)
{
	int nwords, err, argc;
	char **argv;

	boot_start_info = si;
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

	argv = boot_words;
	argc = nwords + 1;
	for (int i = 1; i <= nwords; i++) {
		if (strcmp(boot_words[i], "--") == 0) {
			boot_config = boot_words + 1;
			boot_nconfig = i - 1;
			argv = boot_words + i;
			argc = nwords - i + 1;
			break;
		}
	}
	argv[0] = (char *)rumpxen_image_name;
	if (boot_config_check() != 0)
		platform_exit(2);

	platform_exit(rumpxen_main(argc, argv));
}
