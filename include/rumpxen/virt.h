/*
 * The virtual network interface hypercalls of a rump kernel (if_virt,
 * interface revision 20140313, NetBSD's sys/rump/net/lib/libvirtif): how the
 * kernel's "virtN" interfaces move Ethernet frames through the platform, with
 * the names that the default VIRTIF_BASE "virt" gives them. The platform
 * provides the four rumpcomp_virt_* calls; the kernel provides the deliver
 * upcall.
 *
 * Calling contexts follow rumpuser.h: the kernel calls these holding a
 * virtual CPU, and a call that blocks gives it back first (wrapped).
 */
#ifndef RUMPXEN_VIRT_H
#define RUMPXEN_VIRT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define VIFHYPER_REVISION 20140313

/* The platform's state of one interface, and the kernel's softc. */
struct virtif_user;
struct virtif_sc;

/*
 * rumpcomp_virt_create: attaches interface unit linkstr (its decimal
 * number) to a device of the platform's; sc is kept for the upcall; enaddr
 * holds a suggested MAC, which the platform may replace with the device's.
 * Returns 0 and *viup, or a NetBSD errno. Wrapped.
 */
int rumpcomp_virt_create(const char *linkstr, struct virtif_sc *sc,
			 uint8_t *enaddr, struct virtif_user **viup);
/*
 * rumpcomp_virt_dying: the interface is going: the platform stops
 * delivering frames to it. Returns 0 (non-zero aborts the unclone).
 */
int rumpcomp_virt_dying(struct virtif_user *viu);
/* rumpcomp_virt_destroy: releases the device and viu. Wrapped. */
void rumpcomp_virt_destroy(struct virtif_user *viu);
/*
 * rumpcomp_virt_send: sends one frame, given in up to 32 fragments, which
 * the platform copies or consumes before it returns; frames may be
 * dropped. Wrapped around slow I/O.
 */
void rumpcomp_virt_send(struct virtif_user *viu, struct iovec *iov,
			size_t iovlen);

/*
 * rumpxen's extension, for a kernel that takes more than Ethernet-sized
 * frames (kern/net): rumpxen_virt_create is rumpcomp_virt_create asking
 * for the offloads in want (VIRT_OFFLOAD_*), of which *got says which the
 * device gives. With VIRT_OFFLOAD_TSO4 asked for, frames delivered may be
 * TCP/IPv4 super-frames of up to VIRT_SUPER_MAX bytes (the IP length
 * covering the whole; checksums complete as in any frame); given, the
 * kernel may send one with rumpxen_virt_send_tso, which the device cuts
 * into segments of mss bytes of payload:
 * its TCP checksum field holds the sum of the pseudo-header only (as
 * checksum offload wants it), every other field as the first segment's,
 * the flags as the last's. Frames the kernel sends carry correct
 * checksums, which the device may then skip checking.
 */
#define VIRT_OFFLOAD_TSO4 1u
#define VIRT_SUPER_MAX	  65535
int rumpxen_virt_create(const char *linkstr, struct virtif_sc *sc,
			uint8_t *enaddr, unsigned want, unsigned *got,
			struct virtif_user **viup);
void rumpxen_virt_send_tso(struct virtif_user *viu, struct iovec *iov,
			   size_t iovlen, unsigned mss);

/*
 * rump_virtif_virt_deliverpkt: the kernel's upcall for one received frame,
 * called by a thread that has an lwp and holds a CPU, never from an event
 * handler; the kernel copies the frame before it returns.
 */
void rump_virtif_virt_deliverpkt(struct virtif_sc *sc, struct iovec *iov,
				 size_t iovlen);

#endif /* RUMPXEN_VIRT_H */
