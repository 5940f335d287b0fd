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
 * against the device information. Only mem_get, irq_raise and irq_poll are
 * called on the data path; they must not block. The library calls none
 * of the others from an event callback, so a provider may hold its own
 * lock while it posts events and take it in these.
 */
struct rte_emudev_ops {
	/** rte_emudev_info_get(). */
	int (*info_get)(struct rte_emudev *dev, struct rte_emudev_info *info);
	/** The consumer started moving data. */
	int (*start)(struct rte_emudev *dev);
	/** The consumer stopped moving data. */
	int (*stop)(struct rte_emudev *dev);
	/** rte_emudev_get_queue_info(). */
	int (*queue_info_get)(struct rte_emudev *dev, uint16_t qid,
			struct rte_emudev_q_info *info);
	/** rte_emudev_get_db_info(). */
	int (*db_info_get)(struct rte_emudev *dev, uint16_t db_id,
			struct rte_emudev_db_info *info);
	/** rte_emudev_get_irq_info(); may be called from a callback. */
	int (*irq_info_get)(struct rte_emudev *dev, uint16_t vector,
			struct rte_emudev_irq_info *info);
	/** Data path: rte_emudev_irq_raise(). */
	int (*irq_raise)(struct rte_emudev *dev, uint16_t vector);
	/** Data path: rte_emudev_irq_poll(); optional. */
	void (*irq_poll)(struct rte_emudev *dev);
	/** rte_emudev_get_mem_table(). */
	int (*mem_table_get)(struct rte_emudev *dev,
			struct rte_emudev_mem_region *regions, uint32_t max);
	/**
	 * Data path: rte_emudev_get_mem(); the table published now, which
	 * stays valid until the caller's guard is left.
	 */
	const struct rte_emudev_mem_table *(*mem_get)(struct rte_emudev *dev);
	/** rte_emudev_get_attr(). */
	int (*attr_get)(struct rte_emudev *dev, const char *name, void *val,
			size_t len);
	/** rte_emudev_set_attr(). */
	int (*attr_set)(struct rte_emudev *dev, const char *name,
			const void *val, size_t len);
	/** rte_emudev_region_map(). */
	int (*region_map)(struct rte_emudev *dev, const char *name,
			void **base, uint64_t *size);
};

/**
 * Register a device.
 *
 * @param name
 *   Its name, unique in the process (shorter than RTE_EMUDEV_NAME_MAX_LEN).
 * @param nb_queues
 *   Number of queue guards to create (the device's max_queues).
 * @param ops
 *   The provider's operations; they outlive the device.
 * @param priv
 *   The provider's pointer, returned by rte_emudev_priv().
 * @return
 *   The device, or NULL (rte_errno: EEXIST name taken, ENOSPC, ENOMEM,
 *   EINVAL).
 */
__rte_internal
struct rte_emudev *rte_emudev_allocate(const char *name, uint16_t nb_queues,
		const struct rte_emudev_ops *ops, void *priv);

/**
 * Unregister a device; its consumer and subscribers are dropped.
 *
 * @param dev
 *   A device from rte_emudev_allocate().
 * @return
 *   0, -EINVAL, -ENODEV when not registered.
 */
__rte_internal
int rte_emudev_release(struct rte_emudev *dev);

/**
 * Find a registered device by name.
 *
 * @param name
 *   The device name.
 * @return
 *   The device, or NULL.
 */
__rte_internal
struct rte_emudev *rte_emudev_allocated(const char *name);

/**
 * Call f on every device a provider registered, under the registry lock:
 * rte_emudev_release() of one of them waits until f returns, so f may use
 * the provider's state. f must not register or release a device.
 *
 * @param ops
 *   The provider's operations, as given to rte_emudev_allocate().
 * @param f
 *   Called with each device and arg.
 * @param arg
 *   Passed to f.
 */
__rte_internal
void rte_emudev_foreach_of(const struct rte_emudev_ops *ops,
		void (*f)(struct rte_emudev *dev, void *arg), void *arg);

/**
 * The id consumers know a device by.
 *
 * @param dev
 *   The device.
 * @return
 *   Its id.
 */
__rte_internal
uint16_t rte_emudev_id(const struct rte_emudev *dev);

/**
 * The provider's pointer.
 *
 * @param dev
 *   The device.
 * @return
 *   What was given to rte_emudev_allocate().
 */
__rte_internal
void *rte_emudev_priv(const struct rte_emudev *dev);

/**
 * Deliver an event to every subscriber, on the calling thread. The event
 * carries the state it reports (see rte_emudev_event_cb_t): the provider
 * may hold its own control lock meanwhile.
 *
 * @param dev
 *   The device.
 * @param ev
 *   The event.
 */
__rte_internal
void rte_emudev_event_post(struct rte_emudev *dev,
		const struct rte_emudev_event *ev);

/**
 * Take a queue's guard, waiting for a burst in flight to end; the data
 * path then skips the queue until rte_emudev_queue_resume().
 *
 * @param dev
 *   The device.
 * @param qid
 *   The queue; ids past the guards are ignored.
 */
__rte_internal
void rte_emudev_queue_quiesce(struct rte_emudev *dev, uint16_t qid);

/**
 * Release a guard taken with rte_emudev_queue_quiesce().
 *
 * @param dev
 *   The device.
 * @param qid
 *   The queue.
 */
__rte_internal
void rte_emudev_queue_resume(struct rte_emudev *dev, uint16_t qid);

/**
 * Quiesce every queue (in id order).
 *
 * @param dev
 *   The device.
 */
__rte_internal
void rte_emudev_quiesce_all(struct rte_emudev *dev);

/**
 * Resume every queue.
 *
 * @param dev
 *   The device.
 */
__rte_internal
void rte_emudev_resume_all(struct rte_emudev *dev);

/**
 * Wait until every burst that may have started before the call has
 * ended, without stopping any: after it, no burst uses what the provider
 * replaced before the call (a previous memory table, say). Guards the
 * provider holds itself are skipped.
 *
 * @param dev
 *   The device.
 */
__rte_internal
void rte_emudev_sync_all(struct rte_emudev *dev);

/**
 * Ask the consumer for the device's counters. The consumer's stats_get
 * runs as an event callback does.
 *
 * @param dev
 *   The device.
 * @param stats
 *   Receives the counters (a struct rte_emudev_net_stats for NET devices).
 * @param len
 *   Its size.
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
