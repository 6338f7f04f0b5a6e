/*
 * netcsum: fills in the TCP or UDP checksum of a received Ethernet frame
 * whose backend left it blank (NETRXF_csum_blank: the frame came from a
 * sender that offloads its checksums and never crossed a wire), so that
 * the kernel gets frames complete, as if_virt promises. The frame is given
 * in pieces (the pages it came in). Free of hypercalls, for host tests
 * (tests/host/netcsum.c).
 */
#ifndef RUMPXEN_NETCSUM_H
#define RUMPXEN_NETCSUM_H

#include <stddef.h>
#include <sys/uio.h>

/*
 * netcsum_fill: the checksum of the TCP or UDP packet in IPv4 or IPv6
 * (no extension headers) in the frame iov[0..n), written into it. 0, or
 * EINVAL when the frame holds no such packet whole (then it is left as
 * it is, and the kernel's own check refuses it).
 */
int netcsum_fill(const struct iovec *iov, size_t n);

#endif /* RUMPXEN_NETCSUM_H */
