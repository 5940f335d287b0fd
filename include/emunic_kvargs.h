/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef EMUNIC_KVARGS_H
#define EMUNIC_KVARGS_H

/* Devarg values the drivers share the parsing of. Internal. */

#include <errno.h>
#include <stdlib.h>

/*
 * An unsigned number (decimal, 0x hex or 0 octal) in [min, max]: 0, or
 * -EINVAL for anything else, a sign or trailing characters included.
 */
static inline int
emunic_parse_uint(const char *value, unsigned long min, unsigned long max,
		unsigned long *out)
{
	char *end;

	if (value == NULL || value[0] < '0' || value[0] > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(value, &end, 0);
	if (errno != 0 || *end != '\0' || *out < min || *out > max)
		return -EINVAL;
	return 0;
}

#endif /* EMUNIC_KVARGS_H */
