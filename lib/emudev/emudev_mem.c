/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/* Guest memory: the table, translation, and copies across regions. */

#include <errno.h>
#include <string.h>

#include "emudev_internal.h"

int
rte_emudev_get_mem_table(uint16_t dev_id,
		struct rte_emudev_mem_region *regions, uint32_t max)
{
	struct rte_emudev *dev = emudev_get(dev_id);

	if (dev == NULL || (regions == NULL && max > 0))
		return -EINVAL;
	if (emudev_in_callback(__func__))
		return -EDEADLK;
	if (dev->ops->mem_table_get == NULL)
		return -ENOTSUP;
	return dev->ops->mem_table_get(dev, regions, max);
}

const struct rte_emudev_mem_table *
rte_emudev_get_mem(uint16_t dev_id)
{
	struct rte_emudev *dev = emudev_get(dev_id);

	if (dev == NULL || dev->ops->mem_get == NULL)
		return NULL;
	return dev->ops->mem_get(dev);
}

void *
rte_emudev_translate(uint16_t dev_id, uint64_t iova, uint64_t *len,
		uint32_t prot)
{
	uint32_t hint = 0;

	return rte_emudev_mem_translate(rte_emudev_get_mem(dev_id), iova, len,
			prot, &hint);
}

/* Copy len bytes between buf and guest memory, one mapped chunk at a time. */
static int
guest_copy(uint16_t dev_id, uint64_t iova, uint8_t *buf, size_t len,
		bool to_guest)
{
	while (len > 0) {
		uint64_t chunk = len;
		uint8_t *va;

		if (iova + len < iova)
			return -EFAULT; /* wraps around the address space */
		va = rte_emudev_translate(dev_id, iova, &chunk, to_guest ?
				RTE_EMUDEV_PROT_WRITE : RTE_EMUDEV_PROT_READ);
		if (va == NULL || chunk == 0 || chunk > len)
			return -EFAULT;
		if (to_guest)
			memcpy(va, buf, chunk);
		else
			memcpy(buf, va, chunk);
		iova += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}

int
rte_emudev_read_guest(uint16_t dev_id, uint64_t iova, void *buf, size_t len)
{
	return guest_copy(dev_id, iova, buf, len, false);
}

int
rte_emudev_write_guest(uint16_t dev_id, uint64_t iova, const void *buf,
		size_t len)
{
	return guest_copy(dev_id, iova, (uint8_t *)(uintptr_t)buf, len, true);
}
