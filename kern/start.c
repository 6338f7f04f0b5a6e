/*
 * The process's start: the platform's entry for an image with an
 * application. It brings the kernel up, builds a Linux-style initial
 * stack (argc, argv from the command line, the environment from the
 * configuration's words env.NAME=VALUE, as NAME=VALUE, with HOME, PATH,
 * TERM and LANG as a Linux login would have them unless such a word
 * gives them, and the
 * auxiliary vector musl reads: AT_PHDR, AT_PHNUM, AT_PHENT from the
 * image's own headers, which its linker script loads; AT_PAGESZ,
 * AT_RANDOM, AT_ENTRY, AT_HWCAP, AT_SECURE, the ids) and enters musl's
 * __libc_start_main, which sets up TLS, runs the constructors and main,
 * and ends with exit(main's value). The program runs on a thread of its
 * own with a KERN_MAIN_STACK stack; the platform's main thread waits for
 * it and then leaves: the process ends with exit, exit_group or the end
 * of its last thread.
 */
#include <string.h>

#include "kern.h"

#define AT_NULL	  0
#define AT_PHDR	  3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_ENTRY  9
#define AT_UID	  11
#define AT_EUID	  12
#define AT_GID	  13
#define AT_EGID	  14
#define AT_HWCAP  16
#define AT_SECURE 23
#define AT_RANDOM 25

/* The fields of the ELF header that the auxiliary vector needs. */
struct start_ehdr {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

/* The ELF header, loaded at the start of the image (image.lds). */
extern const char _image_start[];

int main(int, char **, char **);
int __libc_start_main(int (*)(int, char **, char **), int, char **,
		      void (*)(void), void (*)(void), void (*)(void));

/* The initial stack's argv, for the program's thread. */
static char **start_argv;
static int start_argc;

static void
start_program(void *arg)
{
	(void)arg;
	__libc_start_main(main, start_argc, start_argv, NULL, NULL, NULL);
	platform_panic("kern: __libc_start_main returned");
}

/* The environment a program gets unless env.NAME=VALUE words say. */
static const char *const start_env_defaults[] = {
	"HOME=/root",
	"PATH=/usr/local/bin:/usr/bin:/bin",
	"TERM=linux",
	"LANG=C.UTF-8",
};
#define START_ENV_DEFAULTS                                                     \
	(sizeof(start_env_defaults) / sizeof(start_env_defaults[0]))

/* start_env_given: an env. word names def's variable (NAME=...). */
static int
start_env_given(const char *def)
{
	size_t len = (size_t)(strchr(def, '=') - def) + 1;

	for (int k = 0; platform_config_word(k) != NULL; k++) {
		const char *w = platform_config_word(k);
		if (strncmp(w, "env.", 4) == 0 && strncmp(w + 4, def, len) == 0)
			return 1;
	}
	return 0;
}

/* start_envc: how many variables: env.NAME=VALUE words, and defaults. */
static size_t
start_envc(void)
{
	size_t envc = 0;

	for (int k = 0; platform_config_word(k) != NULL; k++)
		envc += strncmp(platform_config_word(k), "env.", 4) == 0;
	for (size_t k = 0; k < START_ENV_DEFAULTS; k++)
		envc += !start_env_given(start_env_defaults[k]);
	return envc;
}

/*
 * start_stack: the initial stack, in pages of its own: argc, argv and a
 * NULL, the environment and a NULL, then the auxiliary vector aux,
 * naux words (its AT_NULL row last). Returns its argv.
 */
static char **
start_stack(int argc, char **argv, const long *aux, size_t naux)
{
	size_t words = 1 + (size_t)argc + 1 + start_envc() + 1 + naux;
	size_t i = 0;
	long *vec;
	void *p;

	if (platform_pages_alloc((words * sizeof(long) + PLATFORM_PAGE_SIZE -
				  1) / PLATFORM_PAGE_SIZE,
				 1, &p) != 0)
		platform_panic("kern: no memory for the initial stack");
	vec = p;
	vec[i++] = argc;
	for (int k = 0; k < argc; k++)
		vec[i++] = (long)argv[k];
	vec[i++] = 0; /* the end of argv */
	for (int k = 0; platform_config_word(k) != NULL; k++)
		if (strncmp(platform_config_word(k), "env.", 4) == 0)
			vec[i++] = (long)(platform_config_word(k) + 4);
	for (size_t k = 0; k < START_ENV_DEFAULTS; k++)
		if (!start_env_given(start_env_defaults[k]))
			vec[i++] = (long)start_env_defaults[k];
	vec[i++] = 0; /* the end of the environment */
	memcpy(&vec[i], aux, naux * sizeof(long));
	return (char **)&vec[1];
}

/*
 * start_args_copy: the kernel's own copy of argv's and the environment's
 * pointers (the strings stay where they are), for /proc: the program may
 * change its own vectors as it likes.
 */
static char **
start_args_copy(char **argv, int argc)
{
	size_t words = (size_t)argc + 1 + start_envc() + 1;
	void *p;

	if (rumpuser_malloc(words * sizeof(char *), 0, &p) != 0)
		platform_panic("kern: no memory for the arguments");
	memcpy(p, argv, words * sizeof(char *));
	return p;
}

int
rumpxen_main(int argc, char **argv)
{
	const struct platform_thread_attr attr = {
		.name = "main", .stack_size = KERN_MAIN_STACK, .joinable = 1};
	const struct start_ehdr *eh = (const void *)_image_start;
	struct platform_thread *t;
	static unsigned char random[16];
	size_t got;
	int err;

	err = kern_init();
	if (err != 0)
		platform_panic("kern: kern_init failed: error %d", -err);
	if (rumpuser_getrandom(random, sizeof(random), 0, &got) != 0)
		platform_panic("kern: no random bytes for AT_RANDOM");
	const long aux[][2] = {
		{AT_PHDR, (long)(_image_start + eh->phoff)},
		{AT_PHENT, eh->phentsize},
		{AT_PHNUM, eh->phnum},
		{AT_PAGESZ, PLATFORM_PAGE_SIZE},
		{AT_ENTRY, (long)eh->entry},
		{AT_UID, 0},
		{AT_EUID, 0},
		{AT_GID, 0},
		{AT_EGID, 0},
		{AT_HWCAP, 0},
		{AT_SECURE, 0},
		{AT_RANDOM, (long)random},
		{AT_NULL, 0},
	};
	if (argc > 0) {
		const char *slash = strrchr(argv[0], '/');
		const char *name = slash != NULL ? slash + 1 : argv[0];
		size_t len = strlen(name);
		memcpy(kern_comm, name,
		       len < sizeof(kern_comm) ? len : sizeof(kern_comm) - 1);
	}
	char **stack_argv = start_stack(argc, argv, &aux[0][0],
					sizeof(aux) / sizeof(aux[0][0]));
	start_argc = argc;
	start_argv = stack_argv;
	kern_argc = argc;
	kern_argv = start_args_copy(stack_argv, argc);
	kern_phdr = _image_start + eh->phoff;
	kern_phnum = eh->phnum;
	if (platform_thread_create(&attr, start_program, NULL, &t) != 0)
		platform_panic("kern: no memory for the program's stack");
	platform_thread_join(t);
	platform_thread_exit(); /* its threads may live on */
}
