/*
 * The one translation of errno values from Linux numbering (what both of
 * our platforms use inside: musl's on Xen, the host's on POSIX) into the
 * NetBSD numbering that the rumpuser interface speaks (every int result
 * of a hypercall is 0 or a positive NetBSD errno value, rumpuser.h says).
 * Below 35 the two agree but for EAGAIN (Linux 11, NetBSD 35; NetBSD's
 * 11 is EDEADLK); an unknown value becomes EINVAL, as NetBSD's own
 * translation makes it.
 */
#include <errno.h>
#include <stddef.h>

#include "rumpuser_shared.h"

int
rumpuser_errtrans(int error)
{
	/* Where Linux and NetBSD differ. */
	static const struct {
		int ours, netbsd;
	} table[] = {
		{EAGAIN, 35},	  {EINPROGRESS, 36},  {EALREADY, 37},
		{EOPNOTSUPP, 45}, {ETIMEDOUT, 60},    {ECONNREFUSED, 61},
		{ENOSYS, 78},	  {ENAMETOOLONG, 63}, {ENOTEMPTY, 66},
		{EDQUOT, 69},	  {ELOOP, 62},	      {EDEADLK, 11},
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].ours == error)
			return table[i].netbsd;
	if (error >= 0 && error < 35)
		return error;
	return 22; /* EINVAL, as NetBSD's own translation does */
}
