/*
 * The private header of platform/xen: Xen's public headers, included with
 * the interface version this platform speaks, and the prototypes that cross
 * between the files of this layer, grouped by file. Nothing outside
 * platform/xen includes it; the rest of the image sees the platform only
 * through include/rumpxen/.
 */
#ifndef RUMPXEN_XEN_H
#define RUMPXEN_XEN_H

/* Without this, the headers select old compat hypercall numbers. */
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040d00 /* Xen 4.13 and later */
#endif

#include <stdint.h>

#include <xen/xen.h>

#include "arch/x86_64/hypercall.h"

/* boot.c: start of day, the start_info page and configuration. */

/* The start_info page Xen handed to _start; valid for the whole run. */
extern start_info_t *boot_start_info;

/* boot_start: called by _start; brings the platform up, runs the image. */
__attribute__((noreturn)) void boot_start(start_info_t *si);

/*
 * boot_config_get: the value of a key=value word of the command line's
 * configuration part, or NULL when the key is absent.
 */
const char *boot_config_get(const char *key);

/* shutdown.c: leaving the domain (platform_exit is in platform.h). */

/*
 * shutdown_domain: asks Xen to shut the domain down with reason (a
 * SHUTDOWN_* value); under the emulated test host first ends QEMU with
 * exit_code. Never returns.
 */
__attribute__((noreturn)) void shutdown_domain(unsigned reason,
					       unsigned exit_code);

#endif /* RUMPXEN_XEN_H */
