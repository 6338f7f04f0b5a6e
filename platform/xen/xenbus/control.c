/*
 * The domU's control directory in xenstore: `xl shutdown` writes
 * "poweroff" (or "halt", "reboot") to control/shutdown and waits for the
 * guest to go; a thread of ours watches the key, acknowledges by clearing
 * it, and ends the guest cleanly with status 0, or, the first time, hands
 * the request to the hook the kernel set (platform_shutdown_hook_set),
 * which asks the program to end, on a thread of its own: the hook may
 * wait (for the kernel's CPU), and a second request must still end the
 * guest. It also tells the toolstack the guest
 * understands the key (control/feature-poweroff).
 */
#include <string.h>

#include <rumpxen/platform.h>

#include "xenbus.h"

static platform_shutdown_fn *control_hook;
static char control_request[32]; /* what the hook is handed */

void
platform_shutdown_hook_set(platform_shutdown_fn *fn)
{
	control_hook = fn;
}

/* control_hand: the hook's own thread. */
static void
control_hand(void *arg)
{
	(void)arg;
	control_hook(control_request);
}

static void
control_thread(void *arg)
{
	char value[32], path[64];
	int asked = 0;

	(void)arg;
	for (;;) {
		if (xs_watch_wait(path, sizeof(path), 0) != 0)
			return;
		if (strcmp(path, "control/shutdown") != 0 ||
		    xs_read(0, "control/shutdown", value, sizeof(value)) != 0 ||
		    value[0] == '\0')
			continue;
		xs_write(0, "control/shutdown", "");
		platform_console_printf("rumpxen: the toolstack asked for %s\n",
					value);
		if (control_hook != NULL && !asked++) {
			struct thread_attr attr = {.name = "shutdown"};
			struct thread *t;
			memcpy(control_request, value, sizeof(control_request));
			if (sched_thread_create(&attr, control_hand, NULL,
						&t) == 0)
				continue;
			platform_console_printf("control: no thread to hand "
						"the request on: the guest "
						"ends\n");
		}
		platform_exit(0);
	}
}

void
control_init(void)
{
	struct thread_attr attr = {.name = "control"};
	struct thread *t;

	if (xs_watch("control/shutdown", "control") != 0)
		return; /* no xenstore: dom0 under the test host */
	xs_write(0, "control/feature-poweroff", "1");
	if (sched_thread_create(&attr, control_thread, NULL, &t) != 0)
		platform_console_printf("control: no thread, xl shutdown will "
					"not be heard\n");
}
