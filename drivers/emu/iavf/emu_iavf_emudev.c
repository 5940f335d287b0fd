/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * The device as emudev consumers see it: queues (the guest's Tx ring of
 * pair k is queue 2k, its Rx ring 2k + 1), tail doorbells in shared
 * memory, MSI-X vectors, guest memory, configuration, events.
 */

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "emu_iavf_internal.h"

#define EMU_IAVF_DRIVER_NAME "emu_iavf"

static struct emu_iavf *
dev_of(struct rte_emudev *edev)
{
	return rte_emudev_priv(edev);
}

static int
ops_info_get(struct rte_emudev *edev, struct rte_emudev_info *info)
{
	struct emu_iavf *dev = dev_of(edev);

	info->type = RTE_EMUDEV_TYPE_NET;
	info->driver_name = EMU_IAVF_DRIVER_NAME;
	info->max_queues = 2 * dev->num_qp;
	info->max_vectors = dev->num_vectors;
	info->max_doorbells = 2 * dev->num_qp;
	info->max_frame_len = dev->max_frame;
	return 0;
}

/* The consumer moves data or stops: the guest's link follows. */
static int
consumer_start(struct emu_iavf *dev, bool start)
{
	pthread_mutex_lock(&dev->lock);
	dev->consumer_started = start;
	if (emu_iavf_update_link(dev))
		emu_iavf_link_msg(dev);
	pthread_mutex_unlock(&dev->lock);
	return 0;
}

static int
ops_start(struct rte_emudev *edev)
{
	return consumer_start(dev_of(edev), true);
}

static int
ops_stop(struct rte_emudev *edev)
{
	return consumer_start(dev_of(edev), false);
}

/* A queue and its doorbell (doorbell k is queue k's tail register). */
static int
describe_queue(struct rte_emudev *edev, uint16_t qid,
		struct rte_emudev_q_info *info, struct rte_emudev_db_info *db)
{
	struct emu_iavf *dev = dev_of(edev);

	pthread_mutex_lock(&dev->lock);
	emu_iavf_queue_describe(dev, qid, info, db);
	pthread_mutex_unlock(&dev->lock);
	return 0;
}

static int
ops_queue_info_get(struct rte_emudev *edev, uint16_t qid,
		struct rte_emudev_q_info *info)
{
	struct rte_emudev_db_info db;

	return describe_queue(edev, qid, info, &db);
}

static int
ops_db_info_get(struct rte_emudev *edev, uint16_t db_id,
		struct rte_emudev_db_info *info)
{
	struct rte_emudev_q_info q;

	return describe_queue(edev, db_id, &q, info);
}

static int
ops_irq_info_get(struct rte_emudev *edev, uint16_t vector,
		struct rte_emudev_irq_info *info)
{
	struct emu_iavf *dev = dev_of(edev);

	info->bound = rte_vfio_user_irq_is_bound(dev->vu_id,
			RTE_VFIO_USER_PCI_MSIX, vector);
	info->enabled = emu_iavf_irq_enabled(dev, vector);
	return 0;
}

/*
 * Vector 0 belongs to the mailbox: a DPDK guest maps its Rx queues there
 * when it polls them, and must not get queue interrupts on it.
 */
static int
ops_irq_raise(struct rte_emudev *edev, uint16_t vector)
{
	return vector == 0 ? 0 : emu_iavf_out_irq(dev_of(edev), vector);
}

static void
ops_irq_poll(struct rte_emudev *edev)
{
	emu_iavf_irq_poll(dev_of(edev));
}

static int
ops_mem_table_get(struct rte_emudev *edev,
		struct rte_emudev_mem_region *regions, uint32_t max)
{
	struct emu_iavf *dev = dev_of(edev);
	const struct rte_vfio_user_mem_table *mem;
	uint32_t i, n;

	pthread_mutex_lock(&dev->lock);
	mem = rte_vfio_user_get_mem_table(dev->vu_id);
	n = mem != NULL ? mem->nregions : 0;
	for (i = 0; i < n && i < max; i++) {
		regions[i].iova = mem->regions[i].iova;
		regions[i].size = mem->regions[i].size;
		regions[i].vaddr = mem->regions[i].vaddr;
		regions[i].prot = mem->regions[i].prot; /* same bits */
	}
	pthread_mutex_unlock(&dev->lock);
	return n;
}

/* vfio_user's table is read as emudev's: the same layout, checked here. */
static_assert(sizeof(struct rte_emudev_mem_region) ==
	      sizeof(struct rte_vfio_user_mem_region) &&
	      offsetof(struct rte_emudev_mem_region, iova) ==
	      offsetof(struct rte_vfio_user_mem_region, iova) &&
	      offsetof(struct rte_emudev_mem_region, size) ==
	      offsetof(struct rte_vfio_user_mem_region, size) &&
	      offsetof(struct rte_emudev_mem_region, vaddr) ==
	      offsetof(struct rte_vfio_user_mem_region, vaddr) &&
	      offsetof(struct rte_emudev_mem_region, prot) ==
	      offsetof(struct rte_vfio_user_mem_region, prot) &&
	      offsetof(struct rte_emudev_mem_table, regions) ==
	      offsetof(struct rte_vfio_user_mem_table, regions) &&
	      RTE_EMUDEV_PROT_READ == RTE_VFIO_USER_PROT_READ &&
	      RTE_EMUDEV_PROT_WRITE == RTE_VFIO_USER_PROT_WRITE,
	      "emudev and vfio_user memory tables");

/*
 * Inside a queue guard: the table published now stays valid until the
 * burst leaves, as a memory change waits for it (notify_mem_changed).
 * Read in place, not copied: a vIOMMU guest changes it thousands of
 * times a second.
 */
static const struct rte_emudev_mem_table *
ops_mem_get(struct rte_emudev *edev)
{
	const void *mt = rte_vfio_user_get_mem_table(dev_of(edev)->vu_id);

	return mt;
}

static int
ops_attr_get(struct rte_emudev *edev, const char *name, void *val, size_t len)
{
	struct emu_iavf *dev = dev_of(edev);
	int rc;

	pthread_mutex_lock(&dev->lock);
	if (strcmp(name, RTE_EMUDEV_NET_ATTR_CONFIG) == 0) {
		rc = len < sizeof(struct rte_emudev_net_config) ? -ENOSPC :
			(int)sizeof(struct rte_emudev_net_config);
		if (rc > 0)
			memcpy(val, &dev->net, sizeof(dev->net));
	} else if (strcmp(name, RTE_EMUDEV_NET_ATTR_LINK_SPEED) == 0) {
		rc = len < sizeof(uint32_t) ? -ENOSPC : (int)sizeof(uint32_t);
		if (rc > 0)
			memcpy(val, &dev->link_speed, sizeof(uint32_t));
	} else {
		rc = -ENOTSUP;
	}
	pthread_mutex_unlock(&dev->lock);
	return rc;
}

static int
ops_attr_set(struct rte_emudev *edev, const char *name, const void *val,
		size_t len)
{
	struct emu_iavf *dev = dev_of(edev);
	uint32_t speed;

	if (strcmp(name, RTE_EMUDEV_NET_ATTR_LINK_SPEED) != 0)
		return -ENOTSUP;
	if (len != sizeof(speed))
		return -EINVAL;
	memcpy(&speed, val, sizeof(speed));
	if (speed == 0)
		return -EINVAL;
	pthread_mutex_lock(&dev->lock);
	emu_iavf_set_link_speed(dev, speed);
	pthread_mutex_unlock(&dev->lock);
	return 0;
}

/* "bar0": the shared BAR0 memory, where the tail doorbells live. */
static int
ops_region_map(struct rte_emudev *edev, const char *name, void **base,
		uint64_t *size)
{
	struct emu_iavf *dev = dev_of(edev);

	if (strcmp(name, "bar0") != 0)
		return -ENOENT;
	*base = dev->bar0;
	*size = IAVF_BAR0_SIZE;
	return 0;
}

const struct rte_emudev_ops emu_iavf_emudev_ops = {
	.info_get = ops_info_get,
	.start = ops_start,
	.stop = ops_stop,
	.queue_info_get = ops_queue_info_get,
	.db_info_get = ops_db_info_get,
	.irq_info_get = ops_irq_info_get,
	.irq_raise = ops_irq_raise,
	.irq_poll = ops_irq_poll,
	.mem_table_get = ops_mem_table_get,
	.mem_get = ops_mem_get,
	.attr_get = ops_attr_get,
	.attr_set = ops_attr_set,
	.region_map = ops_region_map,
};
