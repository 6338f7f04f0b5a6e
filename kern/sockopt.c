/*
 * kern_sockopt_out: what both socket families' getsockopt shares (kern/net
 * for AF_INET and AF_INET6, kern/sys/unixopt.c for AF_UNIX, and
 * kern_timeo_get): an option's value copied out as Linux copies it, no
 * more than the caller's room, which then says how much came.
 */
#include <string.h>

#include "kern.h"

long
kern_sockopt_out(void *val, unsigned *len, const void *v, unsigned size)
{
	*len = *len < size ? *len : size;
	memcpy(val, v, *len);
	return 0;
}
