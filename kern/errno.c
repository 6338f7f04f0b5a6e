/*
 * kern_errno: the one place where the NetBSD errno values that rumpuser
 * returns (positive, rumpuser's contract) become the kernel world's
 * -errno. The two numberings agree up to 34 (ERANGE); above that they
 * part ways, and only the values rumpuser's implementations return are
 * mapped: anything else is EIO.
 */
#include "kern.h"

/* errno_linux: netbsd as Linux's (positive) value. */
static int
errno_linux(int netbsd)
{
	switch (netbsd) {
	case 35:
		return KERN_EAGAIN;
	case 36:
		return KERN_EINPROGRESS;
	case 45:
		return KERN_EOPNOTSUPP;
	case 60:
		return KERN_ETIMEDOUT;
	case 63:
		return KERN_ENAMETOOLONG;
	case 78:
		return KERN_ENOSYS;
	default:
		return netbsd >= 0 && netbsd <= 34 ? netbsd : KERN_EIO;
	}
}

int
kern_errno(int netbsd)
{
	return -errno_linux(netbsd);
}
