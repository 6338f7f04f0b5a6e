/*
 * kern_errno: the one place where the NetBSD errno values that rumpuser
 * returns become the Linux values of the kernel world. The two agree up
 * to 34 (ERANGE); above that they part ways, and only the values
 * rumpuser's implementations return are mapped: anything else is EIO.
 */
#include "kern.h"

int
kern_errno(int netbsd)
{
	switch (netbsd) {
	case 35:
		return 11; /* EAGAIN */
	case 36:
		return 115; /* EINPROGRESS */
	case 45:
		return 95; /* EOPNOTSUPP */
	case 60:
		return 110; /* ETIMEDOUT */
	case 63:
		return 36; /* ENAMETOOLONG */
	case 78:
		return 38; /* ENOSYS */
	default:
		return netbsd >= 0 && netbsd <= 34 ? netbsd : 5;
	}
}
