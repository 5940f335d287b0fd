/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/* Devarg helpers for consumer vdevs. */

#include <errno.h>

#include <rte_kvargs.h>

#include "emudev_internal.h"
#include "rte_emudev_vdev.h"

int
rte_emudev_vdev_kvarg(const char *key __rte_unused, const char *value,
		void *opaque)
{
	int id;

	if (value == NULL)
		return -EINVAL;
	id = rte_emudev_get_dev_id(value);
	if (id < 0) {
		EMUDEV_LOG(ERR, "no emulated device named \"%s\" (create its "
				"vdev before the consumer's)", value);
		return id;
	}
	*(uint16_t *)opaque = id;
	return 0;
}

int
rte_emudev_vdev_parse(const char *args)
{
	static const char *const keys[] = { RTE_EMUDEV_VDEV_ARG, NULL };
	struct rte_kvargs *kv;
	uint16_t id;
	int rc;

	if (args == NULL)
		return -EINVAL;
	/* Other keys belong to the consumer: parse only ours. */
	kv = rte_kvargs_parse_delim(args, NULL, NULL);
	if (kv == NULL)
		return -EINVAL;
	if (rte_kvargs_count(kv, keys[0]) != 1)
		rc = -EINVAL;
	else	/* directly: kvargs_process would hide the handler's errno */
		rc = rte_emudev_vdev_kvarg(keys[0], rte_kvargs_get(kv, keys[0]),
				&id);
	rte_kvargs_free(kv);
	return rc < 0 ? rc : id;
}
