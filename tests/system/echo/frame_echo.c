/*
 * A frame echo on the if_virt path (tests/system/frames.sh): a guest that
 * plays the kernel towards the if_virt hypercalls (the conformance
 * suite's model kernel gives it rumpuser's upcalls) creates virt0 on vif0
 * and, in its deliver upcall, sends every frame of ethertype 0x88b5 back
 * with the addresses swapped, through rumpcomp_virt_send. A frame whose
 * payload starts "STOP" ends it, and so does data/detached in xenstore
 * (dom0 took the vif away: tests/system/link.sh), after two seconds in
 * which netfront sees the link go down. It then prints what dom0's packet
 * program (tools/xenhost/framecheck.c) wrote to data/result and exits 0
 * if that starts "ok" and the model saw no breach of the upcall
 * discipline.
 */
#include <string.h>

#include <rumpxen/platform.h>
#include <rumpxen/rumpuser.h>
#include <rumpxen/virt.h>

#include "../../../platform/xen/xenbus/xenbus.h"
#include "../../conformance/conformance.h"

#define ETHERTYPE_TEST 0x88b5

static struct virtif_user *viu;
static unsigned long echoed, ignored;
static int stopping;
static unsigned char frame[4096];

void
harness_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}

void
rump_virtif_virt_deliverpkt(struct virtif_sc *sc, struct iovec *iov,
			    size_t iovlen)
{
	size_t len = 0;

	(void)sc;
	for (size_t i = 0; i < iovlen; i++) {
		if (len + iov[i].iov_len > sizeof(frame))
			return;
		memcpy(frame + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	if (len < 18 || (frame[12] << 8 | frame[13]) != ETHERTYPE_TEST) {
		ignored++;
		return;
	}
	if (memcmp(frame + 14, "STOP", 4) == 0) {
		stopping = 1;
		return;
	}
	unsigned char mac[6];
	memcpy(mac, frame, 6);
	memcpy(frame, frame + 6, 6);
	memcpy(frame + 6, mac, 6);
	struct iovec out = {.iov_base = frame, .iov_len = len};
	rumpcomp_virt_send(viu, &out, 1);
	echoed++;
}

int
rumpxen_main(int argc, char **argv)
{
	static struct lwp self;
	static int sc; /* the kernel's softc: only a cookie here */
	uint8_t mac[6] = {0};
	char result[256];
	int err;

	(void)argc;
	(void)argv;
	if (model_init() != 0)
		return 1;
	model_enter(&self);
	err = rumpcomp_virt_create("0", (struct virtif_sc *)&sc, mac, &viu);
	if (err != 0) {
		platform_console_printf("virt0: error %d\n", err);
		return 1;
	}
	platform_console_printf("virt0 is %02x:%02x:%02x:%02x:%02x:%02x, "
				"ready to echo\n",
				mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	xs_write(0, "data/ready", "1");
	uint64_t end = model_now_ns() + 900000000000ull;
	while (!stopping && model_now_ns() < end) {
		rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 100000000);
		if (xs_read(0, "data/detached", result, sizeof(result)) == 0) {
			rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 2, 0);
			break;
		}
	}
	platform_console_printf("echoed %lu frames, ignored %lu\n", echoed,
				ignored);
	if (xs_read(0, "data/result", result, sizeof(result)) != 0)
		strcpy(result, "(dom0 wrote no result)");
	platform_console_printf("dom0: %s\n", result);
	rumpcomp_virt_dying(viu);
	rumpcomp_virt_destroy(viu);
	platform_console_printf("model violations: %d\n", model_violations);
	model_leave(&self);
	return strncmp(result, "ok", 2) != 0 || model_violations != 0;
}
