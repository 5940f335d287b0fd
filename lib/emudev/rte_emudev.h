/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef RTE_EMUDEV_H
#define RTE_EMUDEV_H

/**
 * @file
 * Emulated devices: consumer API.
 *
 * An emulated device is served to a VMM by a provider driver (such as
 * emu_iavf, which plays an Intel AVF over vfio-user). A consumer (a
 * data-path driver such as net_iavfbe, or an application) attaches to it
 * by name, learns where the guest's queues, doorbells and memory are, and
 * raises interrupts, without knowing the provider's internals.
 *
 * Threads: the control functions may be called from any control thread.
 * Events are delivered on the provider's control thread. The functions
 * marked "data path" never block and may be called from any lcore.
 *
 * Quiescing: every queue has a guard. The data path enters it for each
 * burst (rte_emudev_qguard_enter(), a try-lock that fails while the
 * provider is changing what the queue points at) and leaves it after.
 * The provider takes the guards of the affected queues before it resets
 * the device, disables a queue or changes the memory a queue's ring lies
 * in, so no burst is in flight then, and there is no global lock on the
 * fast path. Other memory changes (a vIOMMU guest's buffers, mapped and
 * unmapped by the thousand) stop no queue: the provider publishes the new
 * memory table and waits until the bursts that may use the previous one
 * have ended (they count themselves out of the guard).
 *
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_compat.h>
#include <rte_spinlock.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest device name, with the terminating NUL. */
#define RTE_EMUDEV_NAME_MAX_LEN 64
/** Most devices in a process. */
#define RTE_EMUDEV_MAX_DEVS 64
/** Most subscribers to one device's events. */
#define RTE_EMUDEV_MAX_SUBSCRIBERS 8

/** Device classes. */
enum rte_emudev_type {
	RTE_EMUDEV_TYPE_NET = 1, /**< network device, see rte_emudev_net.h */
};

/** Device information. */
struct rte_emudev_info {
	enum rte_emudev_type type; /**< device class */
	const char *driver_name; /**< provider driver */
	uint16_t max_queues;     /**< queue ids are 0 .. max_queues - 1 */
	uint16_t max_vectors;    /**< interrupt vectors 0 .. max_vectors - 1 */
	uint16_t max_doorbells;  /**< doorbell ids 0 .. max_doorbells - 1 */
	uint32_t max_frame_len;  /**< NET: largest frame the guest may use */
};

/** Consumer configuration, given with rte_emudev_configure(). */
struct rte_emudev_conf {
	/**
	 * Called by the provider (on its control thread) when the guest
	 * asks for the device's counters. For NET devices stats is a
	 * struct rte_emudev_net_stats. May be NULL (counters read 0).
	 */
	int (*stats_get)(uint16_t dev_id, void *stats, size_t len, void *arg);
	void *arg; /**< passed to the callbacks */
};

/** Descriptor formats a provider may place in a queue. */
enum rte_emudev_desc_fmt {
	RTE_EMUDEV_DESC_AVF_TX = 1,      /**< AVF 16-byte Tx descriptors */
	RTE_EMUDEV_DESC_AVF_RX_32B = 2,  /**< AVF 32-byte legacy Rx descriptors */
};

/** A guest queue, as the guest configured it. */
struct rte_emudev_q_info {
	bool enabled;       /**< the guest enabled the queue */
	uint8_t desc_fmt;   /**< enum rte_emudev_desc_fmt */
	uint16_t doorbell_id; /**< see rte_emudev_get_db_info() */
	int32_t irq_vector; /**< vector mapped to the queue, -1 if none */
	uint32_t size;      /**< descriptors in the ring */
	uint64_t base;      /**< guest address of the ring */
	uint32_t buf_size;  /**< NET receive: guest buffer size */
	uint32_t max_pkt_len; /**< NET receive: largest frame to deliver */
	bool keep_crc;      /**< NET receive: the guest wants the FCS */
};

/** How the guest rings a doorbell. */
enum rte_emudev_db_type {
	/** A register in memory shared with the guest; poll it. */
	RTE_EMUDEV_DB_MEM = 1,
	/** An eventfd the provider signals. */
	RTE_EMUDEV_DB_FD = 2,
};

/** A doorbell. */
struct rte_emudev_db_info {
	enum rte_emudev_db_type type; /**< where the doorbell is */
	union {
		struct {
			volatile uint32_t *addr; /**< the register */
			uint32_t mask; /**< valid bits of a value */
		} mem;
		int fd;
	};
};

/** An interrupt vector. */
struct rte_emudev_irq_info {
	bool bound;   /**< the VMM gave a way to deliver it */
	bool enabled; /**< the guest has not masked it */
};

/** A range of guest memory. */
struct rte_emudev_mem_region {
	uint64_t iova;  /**< guest address */
	uint64_t size;  /**< bytes */
	uint8_t *vaddr; /**< host address, NULL if not accessible */
	uint32_t prot;  /**< RTE_EMUDEV_PROT_* */
};

#define RTE_EMUDEV_PROT_READ  (1u << 0) /**< the device may read */
#define RTE_EMUDEV_PROT_WRITE (1u << 1) /**< the device may write */

/**
 * Guest memory as the data path reads it: the regions sorted by iova,
 * without overlaps. A table the provider published never changes; a
 * memory change publishes a new one and frees the old one only after
 * every queue guard was left once, so a table got inside a guard
 * (rte_emudev_get_mem()) stays valid until that guard is left.
 */
struct rte_emudev_mem_table {
	uint32_t nregions; /**< entries in regions */
	struct rte_emudev_mem_region regions[]; /**< by iova */
};

/** Event types. */
enum rte_emudev_event_type {
	/** A queue was enabled or disabled; ev.queue says how it is now.
	 * Delivered while the queue's guard is held by the provider. */
	RTE_EMUDEV_EVENT_QUEUE_STATE = 1,
	/** The guest memory table is about to change (ev.mem says how).
	 * The guards of the queues whose rings lie in the range are held;
	 * host addresses in a range that goes away must not be used from
	 * now on. */
	RTE_EMUDEV_EVENT_MEM_CHANGING,
	/** The guest memory table changed (ev.mem); the same guards held,
	 * released after. */
	RTE_EMUDEV_EVENT_MEM_CHANGED,
	/** The device was reset: every queue is disabled. */
	RTE_EMUDEV_EVENT_RESET,
	/** The guest or the VMM is gone; the device waits for a new one. */
	RTE_EMUDEV_EVENT_DRIVER_GONE,
	/** The link the guest sees changed, or its speed; ev.link. */
	RTE_EMUDEV_EVENT_LINK,
	/** The guest changed configuration; ev.config. */
	RTE_EMUDEV_EVENT_CONFIG,
	/** The guest mapped queues to other vectors, or the VMM changed how
	 * vectors are delivered; ev.irq. */
	RTE_EMUDEV_EVENT_IRQ,
};

/**
 * An event, with the state it reports: a consumer applies it without
 * calling back into the device (see rte_emudev_event_cb_t).
 */
struct rte_emudev_event {
	enum rte_emudev_event_type type; /**< what happened */
	union {
		/** QUEUE_STATE: the queue as rte_emudev_get_queue_info() and
		 * rte_emudev_get_db_info() would describe it now. */
		struct {
			uint16_t qid;   /**< queue id */
			bool enabled;   /**< same as info.enabled */
			struct rte_emudev_q_info info; /**< the queue */
			struct rte_emudev_db_info db;  /**< its doorbell */
		} queue;
		/** LINK: the link the guest sees. */
		struct {
			bool up;        /**< link up */
			uint32_t speed; /**< Mbps */
		} link;
		/** CONFIG: what changed, and the whole configuration. */
		struct {
			/** RTE_EMUDEV_NET_CFG_* for NET devices. */
			uint32_t changed;
			/** NET: a const struct rte_emudev_net_config, valid
			 * during the callback only. */
			const void *state;
		} config;
		/** IRQ: the vector of every queue, as irq_vector of
		 * rte_emudev_q_info would say now (-1: none). A queue
		 * keeps running: its next interrupt uses the new vector. */
		struct {
			uint16_t nb_queues;     /**< entries in vectors */
			/** by queue id; valid during the callback only */
			const int32_t *vectors;
		} irq;
		/** MEM_CHANGING, MEM_CHANGED: a range mapped, or unmapped. */
		struct {
			uint64_t iova;  /**< first guest address */
			uint64_t size;  /**< bytes (UINT64_MAX: to the end) */
			bool unmap;     /**< the range goes away */
		} mem;
	};
};

/**
 * Event callback, called on the provider's control thread while the
 * provider's control state is locked: the event carries the state it
 * reports. The callback must not wait for the data path (the guards may
 * be held). It may call the data-path functions of this API,
 * rte_emudev_info_get(), rte_emudev_get_irq_info() and
 * rte_emudev_unsubscribe_event(); the other control functions return
 * -EDEADLK from a callback.
 *
 * @param dev_id
 *   The device.
 * @param ev
 *   The event; valid during the call only.
 * @param arg
 *   What was given to rte_emudev_subscribe_event().
 */
typedef void (*rte_emudev_event_cb_t)(uint16_t dev_id,
		const struct rte_emudev_event *ev, void *arg);

/** Per-queue guard; see the file comment. */
struct rte_emudev_qguard {
	rte_spinlock_t lock; /**< held by a burst, or by the provider */
	/** Set while the provider waits for or holds the guard, so that a
	 * busy data path cannot starve it. */
	uint32_t stop;
	/** Bursts that left the guard, for the provider to see one end. */
	uint32_t seq;
} __rte_cache_aligned;

/**
 * Data path: enter a queue's guard before touching the queue or guest
 * memory for it.
 *
 * @param g
 *   The queue's guard (rte_emudev_get_qguard()).
 * @return
 *   true when entered; false while the provider holds the queue (skip the
 *   burst and try again later).
 */
static inline bool
rte_emudev_qguard_enter(struct rte_emudev_qguard *g)
{
	if (__atomic_load_n(&g->stop, __ATOMIC_ACQUIRE) != 0)
		return false;
	return rte_spinlock_trylock(&g->lock) != 0;
}

/**
 * Data path: leave a guard entered with rte_emudev_qguard_enter().
 *
 * @param g
 *   The guard entered.
 */
static inline void
rte_emudev_qguard_leave(struct rte_emudev_qguard *g)
{
	__atomic_store_n(&g->seq, g->seq + 1, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&g->lock);
}

/**
 * Count the devices.
 *
 * @return
 *   The number of emulated devices in the process.
 */
__rte_experimental
uint16_t rte_emudev_count(void);

/**
 * Check a device id.
 *
 * @param dev_id
 *   A device id.
 * @return
 *   true when dev_id names a device.
 */
__rte_experimental
bool rte_emudev_is_valid_id(uint16_t dev_id);

/**
 * Find a device by name.
 *
 * @param name
 *   The provider's device name (its vdev name, such as "emu_iavf0").
 * @return
 *   Device id, or -ENODEV.
 */
__rte_experimental
int rte_emudev_get_dev_id(const char *name);

/**
 * Name a device.
 *
 * @param dev_id
 *   The device.
 * @return
 *   Its name, or NULL for an invalid id.
 */
__rte_experimental
const char *rte_emudev_get_name(uint16_t dev_id);

/**
 * Describe a device.
 *
 * @param dev_id
 *   The device.
 * @param info
 *   Filled with the device's class and limits.
 * @return
 *   0, -EINVAL (bad id or NULL info), -ENOTSUP.
 */
__rte_experimental
int rte_emudev_info_get(uint16_t dev_id, struct rte_emudev_info *info);

/**
 * Become the device's consumer. A device has at most one.
 *
 * @param dev_id
 *   The device.
 * @param conf
 *   The consumer's callbacks.
 * @return
 *   0, -EBUSY when another consumer is configured or the device is
 *   started, -EINVAL, -EDEADLK from an event callback.
 */
__rte_experimental
int rte_emudev_configure(uint16_t dev_id, const struct rte_emudev_conf *conf);

/**
 * The consumer is ready to move data: NET devices may now show their link
 * up to the guest.
 *
 * @param dev_id
 *   A configured device.
 * @return
 *   0 (also when started already), -EINVAL when not configured, the
 *   provider's error, -EDEADLK from an event callback.
 */
__rte_experimental
int rte_emudev_start(uint16_t dev_id);

/**
 * The consumer stops moving data: NET devices show their link down.
 *
 * @param dev_id
 *   A configured device.
 * @return
 *   0 (also when stopped already), -EINVAL when not configured, the
 *   provider's error, -EDEADLK from an event callback.
 */
__rte_experimental
int rte_emudev_stop(uint16_t dev_id);

/**
 * Stop, and stop being the consumer. Returns once no stats callback of
 * the consumer runs.
 *
 * @param dev_id
 *   The device.
 * @return
 *   0, -EINVAL for a bad id, the provider's error, -EDEADLK from an event
 *   callback.
 */
__rte_experimental
int rte_emudev_close(uint16_t dev_id);

/**
 * Tell whether the consumer moves data.
 *
 * @param dev_id
 *   The device.
 * @return
 *   true between rte_emudev_start() and rte_emudev_stop().
 */
__rte_experimental
bool rte_emudev_is_started(uint16_t dev_id);

/**
 * Subscribe to a device's events. The same callback and argument may be
 * subscribed once.
 *
 * @param dev_id
 *   The device.
 * @param cb
 *   Called for every event (see rte_emudev_event_cb_t).
 * @param arg
 *   Passed to cb.
 * @return
 *   0, -EEXIST, -ENOSPC (RTE_EMUDEV_MAX_SUBSCRIBERS), -EINVAL, -EDEADLK
 *   from an event callback.
 */
__rte_experimental
int rte_emudev_subscribe_event(uint16_t dev_id, rte_emudev_event_cb_t cb,
		void *arg);

/**
 * Undo rte_emudev_subscribe_event(). From another thread than the one
 * delivering, it returns once no callback of this device runs; a callback
 * may unsubscribe itself.
 *
 * @param dev_id
 *   The device.
 * @param cb
 *   The callback subscribed.
 * @param arg
 *   Its argument.
 * @return
 *   0, -ENOENT when not subscribed, -EINVAL, -EDEADLK from a callback of
 *   another device.
 */
__rte_experimental
int rte_emudev_unsubscribe_event(uint16_t dev_id, rte_emudev_event_cb_t cb,
		void *arg);

/**
 * Describe a queue (QUEUE_STATE events carry the same).
 *
 * @param dev_id
 *   The device.
 * @param qid
 *   Below the device's max_queues.
 * @param info
 *   Filled with the queue's configuration.
 * @return
 *   0, -EINVAL, -ENOTSUP, -EDEADLK from an event callback.
 */
__rte_experimental
int rte_emudev_get_queue_info(uint16_t dev_id, uint16_t qid,
		struct rte_emudev_q_info *info);

/**
 * The guard of a queue.
 *
 * @param dev_id
 *   The device.
 * @param qid
 *   Below the device's max_queues.
 * @return
 *   The guard, valid until the device is released; NULL for a bad id.
 */
__rte_experimental
struct rte_emudev_qguard *rte_emudev_get_qguard(uint16_t dev_id,
		uint16_t qid);

/**
 * Describe a doorbell (QUEUE_STATE events carry the queue's).
 *
 * @param dev_id
 *   The device.
 * @param db_id
 *   Below the device's max_doorbells.
 * @param info
 *   Filled with where the doorbell is.
 * @return
 *   0, -EINVAL, -ENOTSUP, -EDEADLK from an event callback.
 */
__rte_experimental
int rte_emudev_get_db_info(uint16_t dev_id, uint16_t db_id,
		struct rte_emudev_db_info *info);

/**
 * Describe an interrupt vector; may be called from an event callback.
 *
 * @param dev_id
 *   The device.
 * @param vector
 *   Below the device's max_vectors.
 * @param info
 *   Filled with the vector's state.
 * @return
 *   0, -EINVAL, -ENOTSUP.
 */
__rte_experimental
int rte_emudev_get_irq_info(uint16_t dev_id, uint16_t vector,
		struct rte_emudev_irq_info *info);

/**
 * Data path: interrupt the guest on a vector, following the device's
 * masking and moderation rules.
 *
 * @param dev_id
 *   The device.
 * @param vector
 *   The vector; the provider checks it.
 * @return
 *   0 when raised or left pending for when the guest unmasks the vector,
 *   a negative errno otherwise.
 */
__rte_experimental
int rte_emudev_irq_raise(uint16_t dev_id, uint16_t vector);

/**
 * Data path: let the provider deliver the interrupts that wait for the
 * guest to unmask a vector, where the guest unmasks it in shared memory
 * and nobody tells the provider (emu_iavf's DYN_CTLN shadow). Call it in
 * the poll loop, once per burst: it costs a load when nothing waits. The
 * provider also looks by itself, later; a consumer that calls this only
 * makes delivery sooner.
 *
 * @param dev_id
 *   The device.
 */
__rte_experimental
void rte_emudev_irq_poll(uint16_t dev_id);

/**
 * Copy the guest memory table.
 *
 * @param dev_id
 *   The device.
 * @param regions
 *   Receives up to max regions; may be NULL when max is 0.
 * @param max
 *   Room in regions.
 * @return
 *   Number of regions (possibly more than max, of which max were copied),
 *   or a negative errno (-EDEADLK from an event callback).
 */
__rte_experimental
int rte_emudev_get_mem_table(uint16_t dev_id,
		struct rte_emudev_mem_region *regions, uint32_t max);

/**
 * Data path, inside a queue guard: the guest memory table, for
 * rte_emudev_mem_translate(). Take it after entering the guard, once per
 * burst; it is not to be kept after the guard is left.
 *
 * @param dev_id
 *   The device.
 * @return
 *   The table (possibly with no region), or NULL for an unknown device or
 *   one without guest memory.
 */
__rte_experimental
const struct rte_emudev_mem_table *rte_emudev_get_mem(uint16_t dev_id);

/**
 * Data path: translate a guest address with a table from
 * rte_emudev_get_mem(), in line. hint remembers the region of the last
 * hit, which the next address of a burst is usually in; start it at 0.
 *
 * @param mt
 *   The table; NULL translates nothing.
 * @param iova
 *   The guest address.
 * @param len
 *   In: bytes wanted (not 0). Out: bytes contiguously accessible from
 *   iova (at most the input, 0 on failure). A buffer that spans regions
 *   needs one call per region.
 * @param prot
 *   RTE_EMUDEV_PROT_* needed.
 * @param hint
 *   In and out: the index of a region to try first.
 * @return
 *   Host address, or NULL when iova is not mapped with those rights.
 */
static inline void *
rte_emudev_mem_translate(const struct rte_emudev_mem_table *mt,
		uint64_t iova, uint64_t *len, uint32_t prot, uint32_t *hint)
{
	const struct rte_emudev_mem_region *r;
	uint32_t lo = 0, hi;

	if (mt == NULL || *len == 0)
		goto fail;
	if (*hint < mt->nregions &&
	    iova - mt->regions[*hint].iova < mt->regions[*hint].size) {
		r = &mt->regions[*hint];
	} else {
		hi = mt->nregions;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;

			if (mt->regions[mid].iova <= iova)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0)
			goto fail;
		r = &mt->regions[lo - 1];
		if (iova - r->iova >= r->size)
			goto fail;
		*hint = lo - 1;
	}
	if (r->vaddr == NULL || (r->prot & prot) != prot)
		goto fail;
	*len = RTE_MIN(*len, r->size - (iova - r->iova));
	return r->vaddr + (iova - r->iova);
fail:
	*len = 0;
	return NULL;
}

/**
 * Data path, inside a queue guard: translate a guest address, with
 * rte_emudev_get_mem() and rte_emudev_mem_translate() in one call.
 *
 * @param dev_id
 *   The device.
 * @param iova
 *   The guest address.
 * @param len
 *   In: bytes wanted. Out: bytes contiguously accessible from iova (at
 *   most the input, 0 on failure). A buffer that spans regions needs one
 *   call per region.
 * @param prot
 *   RTE_EMUDEV_PROT_* needed.
 * @return
 *   Host address, or NULL when iova is not mapped with those rights.
 */
__rte_experimental
void *rte_emudev_translate(uint16_t dev_id, uint64_t iova, uint64_t *len,
		uint32_t prot);

/**
 * Copy from guest memory, across regions; inside a queue guard, as
 * rte_emudev_translate().
 *
 * @param dev_id
 *   The device.
 * @param iova
 *   The first guest address.
 * @param buf
 *   Receives len bytes.
 * @param len
 *   Bytes to copy.
 * @return
 *   0, or -EFAULT when a byte is not readable (nothing is guaranteed about
 *   buf then).
 */
__rte_experimental
int rte_emudev_read_guest(uint16_t dev_id, uint64_t iova, void *buf,
		size_t len);

/**
 * Copy to guest memory, across regions; inside a queue guard, as
 * rte_emudev_translate().
 *
 * @param dev_id
 *   The device.
 * @param iova
 *   The first guest address.
 * @param buf
 *   The len bytes to write.
 * @param len
 *   Bytes to copy.
 * @return
 *   0, or -EFAULT when a byte is not writable (what comes before it may
 *   have been written).
 */
__rte_experimental
int rte_emudev_write_guest(uint16_t dev_id, uint64_t iova, const void *buf,
		size_t len);

/**
 * Read a device attribute (see the device class header for names).
 *
 * @param dev_id
 *   The device.
 * @param name
 *   The attribute.
 * @param val
 *   Receives the value.
 * @param len
 *   Room in val.
 * @return
 *   Bytes written to val, or a negative errno (-ENOTSUP unknown name,
 *   -ENOSPC len too small, -EDEADLK from an event callback).
 */
__rte_experimental
int rte_emudev_get_attr(uint16_t dev_id, const char *name, void *val,
		size_t len);

/**
 * Set a device attribute (see the device class header for names).
 *
 * @param dev_id
 *   The device.
 * @param name
 *   The attribute.
 * @param val
 *   The value.
 * @param len
 *   Its size.
 * @return
 *   0, or a negative errno (-ENOTSUP unknown or read-only name, -EINVAL
 *   bad value, -EDEADLK from an event callback).
 */
__rte_experimental
int rte_emudev_set_attr(uint16_t dev_id, const char *name, const void *val,
		size_t len);

/**
 * Map a named device region into the consumer's address space.
 *
 * @param dev_id
 *   The device.
 * @param name
 *   The region (provider-specific, such as "bar0").
 * @param base
 *   Receives the region's address.
 * @param size
 *   Receives its size.
 * @return
 *   0 with *base and *size set, or a negative errno (-ENOENT unknown name,
 *   -EDEADLK from an event callback).
 */
__rte_experimental
int rte_emudev_region_map(uint16_t dev_id, const char *name, void **base,
		uint64_t *size);

#ifdef __cplusplus
}
#endif

#endif /* RTE_EMUDEV_H */
