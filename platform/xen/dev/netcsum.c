/*
 * The checksum a backend left blank (netcsum.h): the ones' complement sum
 * of the pseudo-header and the transport packet (RFC 1071), over the
 * pieces of the frame, each summed eight bytes a step.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "netcsum.h"

#define NETCSUM_ETH  14
#define NETCSUM_HEAD 128 /* bytes read for the headers */

/* netcsum_copy: bytes [off, off + len) of the frame to or from buf. */
static size_t
netcsum_copy(const struct iovec *iov, size_t n, size_t off, void *buf,
	     size_t len, int in)
{
	size_t done = 0;

	for (size_t i = 0; i < n && done < len; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		size_t k = iov[i].iov_len - off;
		if (k > len - done)
			k = len - done;
		if (in)
			memcpy((char *)iov[i].iov_base + off,
			       (char *)buf + done, k);
		else
			memcpy((char *)buf + done,
			       (char *)iov[i].iov_base + off, k);
		done += k;
		off = 0;
	}
	return done;
}

/*
 * netcsum_piece: the ones' complement sum of p[0..len) as little-endian
 * 16-bit words, folded to 16 bits: eight bytes a step, as RFC 1071's
 * sums may be taken in either byte order and any word size.
 */
static uint32_t
netcsum_piece(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;

	for (; len >= 8; p += 8, len -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		sum += (w & 0xffffffffu) + (w >> 32);
	}
	for (; len >= 2; p += 2, len -= 2)
		sum += (uint32_t)p[0] | (uint32_t)p[1] << 8;
	if (len == 1)
		sum += p[0];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint32_t)sum;
}

/*
 * netcsum_sum: the sum of bytes [off, off + len) of the frame as
 * big-endian 16-bit words, folded: each piece's little-endian sum is the
 * big-endian one byte-swapped, unless the piece starts at an odd offset
 * of the packet, where it is already.
 */
static uint64_t
netcsum_sum(const struct iovec *iov, size_t n, size_t off, size_t len)
{
	uint64_t sum = 0;
	size_t at = 0; /* bytes summed so far */

	for (size_t i = 0; i < n && at < len; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		const uint8_t *p = (const uint8_t *)iov[i].iov_base + off;
		size_t k = iov[i].iov_len - off;
		if (k > len - at)
			k = len - at;
		uint32_t s = netcsum_piece(p, k);
		sum += (at & 1) ? s : ((s & 0xff) << 8 | s >> 8);
		at += k;
		off = 0;
	}
	return sum;
}

static uint64_t
netcsum_words(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < len; i += 2)
		sum += (uint64_t)p[i] << 8 | p[i + 1];
	return sum;
}

int
netcsum_fill(const struct iovec *iov, size_t n)
{
	uint8_t h[NETCSUM_HEAD];
	size_t have = netcsum_copy(iov, n, 0, h, sizeof(h), 0);
	size_t l4, l4len, field;
	uint64_t sum;
	unsigned proto;

	if (have < NETCSUM_ETH + 20)
		return EINVAL;
	unsigned type = (unsigned)h[12] << 8 | h[13];
	const uint8_t *ip = h + NETCSUM_ETH;
	if (type == 0x0800 && (ip[0] >> 4) == 4) {
		size_t ihl = (size_t)(ip[0] & 15) * 4;
		size_t total = (size_t)ip[2] << 8 | ip[3];
		if (ihl < 20 || total < ihl || NETCSUM_ETH + ihl > have)
			return EINVAL;
		proto = ip[9];
		l4 = NETCSUM_ETH + ihl;
		l4len = total - ihl;
		sum = netcsum_words(ip + 12, 8);
	} else if (type == 0x86dd && (ip[0] >> 4) == 6 &&
		   have >= NETCSUM_ETH + 40) {
		proto = ip[6];
		l4 = NETCSUM_ETH + 40;
		l4len = (size_t)ip[4] << 8 | ip[5];
		sum = netcsum_words(ip + 8, 32);
	} else
		return EINVAL;
	if (proto == 6)
		field = l4 + 16;
	else if (proto == 17)
		field = l4 + 6;
	else
		return EINVAL;
	size_t frame = 0;
	for (size_t i = 0; i < n; i++)
		frame += iov[i].iov_len;
	if (field + 2 > have || l4len < field + 2 - l4 || l4 + l4len > frame)
		return EINVAL;
	uint8_t c[2] = {0, 0};
	netcsum_copy(iov, n, field, c, 2, 1);
	sum += proto + l4len + netcsum_sum(iov, n, l4, l4len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uint16_t v = (uint16_t)~sum;
	if (v == 0 && proto == 17)
		v = 0xffff; /* UDP's zero means no checksum */
	c[0] = (uint8_t)(v >> 8);
	c[1] = (uint8_t)v;
	netcsum_copy(iov, n, field, c, 2, 1);
	return 0;
}
