/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef RTE_EMUDEV_DRIVER_H
#define RTE_EMUDEV_DRIVER_H

/**
 * @file
 * Emulated devices: provider API, for drivers that emulate a device.
 *
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_compat.h>

#include "rte_emudev.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rte_emudev;

/**
 * Provider operations; the library has validated dev_id and the ids
 * against the device information. Only mem_translate and irq_raise are
 * called on the data path; they must not block.
 */
struct rte_emudev_ops {
	int (*info_get)(struct rte_emudev *dev, struct rte_emudev_info *info);
	/** The consumer started or stopped moving data. */
	int (*start)(struct rte_emudev *dev);
	int (*stop)(struct rte_emudev *dev);
	int (*queue_info_get)(struct rte_emudev *dev, uint16_t qid,
			struct rte_emudev_q_info *info);
	int (*db_info_get)(struct rte_emudev *dev, uint16_t db_id,
			struct rte_emudev_db_info *info);
	int (*irq_info_get)(struct rte_emudev *dev, uint16_t vector,
			struct rte_emudev_irq_info *info);
	int (*irq_raise)(struct rte_emudev *dev, uint16_t vector);
	int (*mem_table_get)(struct rte_emudev *dev,
			struct rte_emudev_mem_region *regions, uint32_t max);
	void *(*mem_translate)(struct rte_emudev *dev, uint64_t iova,
			uint64_t *len, uint32_t prot);
	int (*attr_get)(struct rte_emudev *dev, const char *name, void *val,
			size_t len);
	int (*attr_set)(struct rte_emudev *dev, const char *name,
			const void *val, size_t len);
	int (*region_map)(struct rte_emudev *dev, const char *name,
			void **base, uint64_t *size);
};

/**
 * Register a device.
 *
 * @param nb_queues
 *   Number of queue guards to create (the device's max_queues).
 * @return
 *   The device, or NULL (rte_errno: EEXIST name taken, ENOSPC, ENOMEM,
 *   EINVAL).
 */
__rte_internal
struct rte_emudev *rte_emudev_allocate(const char *name, uint16_t nb_queues,
		const struct rte_emudev_ops *ops, void *priv);

/** Unregister a device; its consumer and subscribers are dropped. */
__rte_internal
int rte_emudev_release(struct rte_emudev *dev);

/** A registered device by name, or NULL. */
__rte_internal
struct rte_emudev *rte_emudev_allocated(const char *name);

/** The device id. */
__rte_internal
uint16_t rte_emudev_id(const struct rte_emudev *dev);

/** The provider's private pointer. */
__rte_internal
void *rte_emudev_priv(const struct rte_emudev *dev);

/** Deliver an event to every subscriber, on the calling thread. */
__rte_internal
void rte_emudev_event_post(struct rte_emudev *dev,
		const struct rte_emudev_event *ev);

/**
 * Take a queue's guard, waiting for a burst in flight to end; the data
 * path then skips the queue until rte_emudev_queue_resume().
 */
__rte_internal
void rte_emudev_queue_quiesce(struct rte_emudev *dev, uint16_t qid);

/** Release a guard taken with rte_emudev_queue_quiesce(). */
__rte_internal
void rte_emudev_queue_resume(struct rte_emudev *dev, uint16_t qid);

/** Quiesce every queue (in id order). */
__rte_internal
void rte_emudev_quiesce_all(struct rte_emudev *dev);

/** Resume every queue. */
__rte_internal
void rte_emudev_resume_all(struct rte_emudev *dev);

/**
 * Wait until every burst that may have started before the call has
 * ended, without stopping any: after it, no burst uses what the provider
 * replaced before the call (a previous memory table, say). Guards the
 * provider holds itself are skipped.
 */
__rte_internal
void rte_emudev_sync_all(struct rte_emudev *dev);

/**
 * Ask the consumer for the device's counters.
 *
 * @return
 *   0 (stats zeroed when there is no consumer), or the consumer's error.
 */
__rte_internal
int rte_emudev_consumer_stats(struct rte_emudev *dev, void *stats,
		size_t len);

#ifdef __cplusplus
}
#endif

#endif /* RTE_EMUDEV_DRIVER_H */
