/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef RTE_VFIO_USER_H
#define RTE_VFIO_USER_H

/**
 * @file
 * RTE vfio-user
 *
 * The vfio-user protocol (QEMU docs/interop/vfio-user.rst, protocol 0.x) on
 * both sides of an AF_UNIX socket:
 *
 * - server: a process that emulates a PCI device registers a socket path,
 *   describes the device (regions, IRQs) and answers the VMM (for example
 *   QEMU's vfio-user-pci) from a control thread of the device's own, so
 *   that one client's slowness costs the other devices nothing;
 * - client: a process that drives such a device (a VMM, a client PMD or a
 *   test) connects to the socket and issues commands.
 *
 * All guest-visible memory comes from the client as DMA maps. The server
 * maps file-backed ones into its address space; the data path translates
 * guest addresses with rte_vfio_user_mem_translate(), which always returns
 * the contiguous mapped length so that callers can check it and loop.
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest data count of one region or DMA access, advertised to the peer. */
#define RTE_VFIO_USER_MAX_DATA_XFER (1024 * 1024)
/** Most file descriptors the library accepts in one message. */
#define RTE_VFIO_USER_MAX_MSG_FDS 16
/** Most simultaneous DMA maps a device's limit may allow. */
#define RTE_VFIO_USER_MAX_DMA_MAPS 65535
/**
 * Default DMA maps of one device: 7 times what a Linux guest behind a
 * strict vIOMMU held at most in our tests (1169, 2 queue pairs).
 */
#define RTE_VFIO_USER_DEFAULT_DMA_MAPS 8192
/** Most devices served by one process. */
#define RTE_VFIO_USER_MAX_DEVICES 256
/** Most regions a device may describe (9 PCI regions plus device ones). */
#define RTE_VFIO_USER_MAX_REGIONS 16
/** Most IRQ indexes a device may describe. */
#define RTE_VFIO_USER_MAX_IRQ_INDEXES 8
/** Most vectors of one IRQ index. */
#define RTE_VFIO_USER_MAX_IRQ_VECTORS 2048
/** Most sparse-mmap areas of one region. */
#define RTE_VFIO_USER_MAX_SPARSE_AREAS 16

/** PCI region indexes, as kernel VFIO numbers them. */
enum rte_vfio_user_pci_region {
	RTE_VFIO_USER_PCI_BAR0 = 0,
	RTE_VFIO_USER_PCI_BAR1,
	RTE_VFIO_USER_PCI_BAR2,
	RTE_VFIO_USER_PCI_BAR3,
	RTE_VFIO_USER_PCI_BAR4,
	RTE_VFIO_USER_PCI_BAR5,
	RTE_VFIO_USER_PCI_ROM,
	RTE_VFIO_USER_PCI_CONFIG,
	RTE_VFIO_USER_PCI_VGA,
	RTE_VFIO_USER_PCI_NUM_REGIONS,
};

/** PCI IRQ indexes, as kernel VFIO numbers them. */
enum rte_vfio_user_pci_irq {
	RTE_VFIO_USER_PCI_INTX = 0,
	RTE_VFIO_USER_PCI_MSI,
	RTE_VFIO_USER_PCI_MSIX,
	RTE_VFIO_USER_PCI_ERR,
	RTE_VFIO_USER_PCI_REQ,
	RTE_VFIO_USER_PCI_NUM_IRQS,
};

/** Device flags (struct rte_vfio_user_dev_info::flags). */
#define RTE_VFIO_USER_DEV_F_RESET (1u << 0) /**< DEVICE_RESET supported */
#define RTE_VFIO_USER_DEV_F_PCI   (1u << 1) /**< a PCI device */

/** Region flags (struct rte_vfio_user_region::flags). */
#define RTE_VFIO_USER_REGION_F_READ  (1u << 0) /**< readable */
#define RTE_VFIO_USER_REGION_F_WRITE (1u << 1) /**< writable */
#define RTE_VFIO_USER_REGION_F_MMAP  (1u << 2) /**< fd given to the client */

/** IRQ flags (rte_vfio_user_set_irq_info()). */
#define RTE_VFIO_USER_IRQ_F_EVENTFD    (1u << 0) /**< signalled by eventfd */
#define RTE_VFIO_USER_IRQ_F_MASKABLE   (1u << 1) /**< MASK/UNMASK actions */
#define RTE_VFIO_USER_IRQ_F_AUTOMASKED (1u << 2) /**< masked when fired */
#define RTE_VFIO_USER_IRQ_F_NORESIZE   (1u << 3) /**< all vectors at once */

/** DMA access rights (struct rte_vfio_user_mem_region::prot). */
#define RTE_VFIO_USER_PROT_READ  (1u << 0) /**< the device may read */
#define RTE_VFIO_USER_PROT_WRITE (1u << 1) /**< the device may write */

/** Device description, as DEVICE_GET_INFO reports it. */
struct rte_vfio_user_dev_info {
	uint32_t flags;       /**< RTE_VFIO_USER_DEV_F_* */
	uint32_t num_regions; /**< at most RTE_VFIO_USER_MAX_REGIONS */
	uint32_t num_irqs;    /**< at most RTE_VFIO_USER_MAX_IRQ_INDEXES */
};

/**
 * Region access callback, called on the control thread for every
 * REGION_READ and REGION_WRITE of the region. The library has checked that
 * [offset, offset + count) lies inside the region.
 *
 * @return
 *   bytes accessed (a short count is a short access), or a negative errno
 *   that is sent to the client.
 */
typedef ssize_t (*rte_vfio_user_region_rw_t)(int dev_id, uint32_t index,
		uint64_t offset, void *buf, size_t count, bool is_write);

/** A part of a region that the client may mmap. */
struct rte_vfio_user_sparse_area {
	uint64_t offset; /**< from the start of the region, page aligned */
	uint64_t size;   /**< page multiple */
};

/** Region description. Absent regions need not be described (size 0). */
struct rte_vfio_user_region {
	uint32_t index; /**< region index */
	uint32_t flags; /**< RTE_VFIO_USER_REGION_F_* */
	uint64_t size;  /**< bytes */
	rte_vfio_user_region_rw_t rw; /**< access callback, may be NULL */
	/** fd the client mmaps when F_MMAP is set (the library dups it). */
	int fd;
	uint64_t fd_offset; /**< offset of the region in fd */
	/** mmap-able areas; none with F_MMAP means the whole region */
	uint32_t nr_areas;
	const struct rte_vfio_user_sparse_area *areas; /**< nr_areas of them */
};

/** One guest memory range given by the client with DMA_MAP. */
struct rte_vfio_user_mem_region {
	uint64_t iova;  /**< guest (bus) address */
	uint64_t size;  /**< bytes */
	uint8_t *vaddr; /**< host address; NULL when the client gave no fd */
	uint32_t prot;  /**< RTE_VFIO_USER_PROT_* */
};

/**
 * Guest memory table of a device: the client's maps, sorted by iova,
 * without overlaps. A published table never changes; a map or unmap
 * publishes a new one (see rte_vfio_user_get_mem_table()).
 */
struct rte_vfio_user_mem_table {
	uint32_t nregions; /**< entries in regions */
	struct rte_vfio_user_mem_region regions[]; /**< by iova */
};

/**
 * A change of the memory table, as the mem_changing and mem_changed
 * notifications describe it: a map added, or the maps inside a range
 * removed (a DMA_UNMAP range, UNMAP_ALL or the client's disconnect, which
 * cover every address).
 */
struct rte_vfio_user_mem_change {
	uint64_t iova;  /**< first guest address of the range */
	uint64_t size;  /**< bytes from iova (UINT64_MAX: to the end) */
	bool unmap;     /**< maps in the range go away; else one is added */
};

/** What changed, in update_status() notifications. */
enum rte_vfio_user_status {
	RTE_VFIO_USER_STATUS_MEM_TABLE, /**< DMA map or unmap */
	RTE_VFIO_USER_STATUS_IRQ,       /**< SET_IRQS */
};

/** See struct rte_vfio_user_notify_ops::mem_changing and mem_changed. */
typedef void (*rte_vfio_user_mem_change_t)(int dev_id,
		const struct rte_vfio_user_mem_change *chg);

/**
 * Notifications from the control thread to the device. Every member may
 * be NULL.
 */
struct rte_vfio_user_notify_ops {
	/** A client connected and negotiated the protocol version. */
	int (*new_device)(int dev_id);
	/**
	 * The client is gone; its maps and fds are released after this
	 * returns. Device state is kept for the next client.
	 */
	void (*destroy_device)(int dev_id);
	/** The memory table or the IRQ fds changed. */
	void (*update_status)(int dev_id, enum rte_vfio_user_status what);
	/**
	 * The memory table is about to change (chg): stop using host
	 * addresses of a range that goes away (ring translations the device
	 * keeps, say). Readers of the table itself need not stop.
	 */
	rte_vfio_user_mem_change_t mem_changing;
	/**
	 * The new table is published. Return only when no reader can still
	 * be using the previous one: the library then frees it, unmaps what
	 * went away and only then answers the client, so that nothing of an
	 * unmapped range is touched after the reply. Called after
	 * mem_changing, for every change and on disconnect.
	 */
	rte_vfio_user_mem_change_t mem_changed;
	/** DEVICE_RESET from the client; DMA maps and IRQ fds are kept. */
	int (*reset_device)(int dev_id);
};

/**
 * What one client may hold or cost its device (rte_vfio_user_set_limits()).
 * A member left 0 takes its default. A client that exceeds a limit gets
 * an error reply (maps) or is disconnected (protocol abuse).
 */
struct rte_vfio_user_limits {
	/** DMA maps held at once (RTE_VFIO_USER_DEFAULT_DMA_MAPS). */
	uint32_t max_dma_maps;
	/** Commands queued while the server waits for a DMA reply (64). */
	uint32_t max_deferred_msgs;
	/** Their payload bytes (4 MiB). */
	uint32_t max_deferred_bytes;
	/** Their fds (64). */
	uint32_t max_deferred_fds;
	/** Time from connecting to VERSION, in ms (5000). */
	uint32_t negotiate_ms;
	/** Time for the reply to a DMA_READ/DMA_WRITE, in ms (2000). */
	uint32_t dma_reply_ms;
};

/** Registration flags. */
/** Use the DMA_READ/DMA_WRITE layout of QEMU <= 10.2 (data at +12). */
#define RTE_VFIO_USER_F_QEMU_DMA_RW_LAYOUT (1ull << 0)

/**
 * Register a device served on a UNIX socket path.
 *
 * @param path
 *   Socket path; created by rte_vfio_user_start(), removed on unregister.
 * @param ops
 *   Notifications; the structure must outlive the registration.
 * @param flags
 *   RTE_VFIO_USER_F_*.
 * @param priv
 *   Opaque pointer returned by rte_vfio_user_get_priv().
 * @return
 *   A device id >= 0, or a negative errno.
 */
__rte_experimental
int rte_vfio_user_register(const char *path,
		const struct rte_vfio_user_notify_ops *ops, uint64_t flags,
		void *priv);

/**
 * Stop serving a device: stop its control thread, disconnect its client
 * (releasing every map and fd), close and remove the socket, free the
 * device.
 *
 * Lookups by id take no lock, so that the data path needs none: the
 * caller (the device's provider) makes sure that no other thread uses
 * dev_id during or after this call.
 *
 * @param dev_id
 *   Device id.
 * @return
 *   0, or -ENOENT.
 */
__rte_experimental
int rte_vfio_user_unregister(int dev_id);

/**
 * Listen on the device's socket, served by a control thread of the
 * device's own. Device, region and IRQ information and limits must be set
 * before.
 *
 * @param dev_id
 *   Device id.
 * @return
 *   0, -ENOENT, -EBUSY (started already), -EINVAL (no regions), or
 *   another negative errno (socket, thread).
 */
__rte_experimental
int rte_vfio_user_start(int dev_id);

/**
 * Set the device information; only before rte_vfio_user_start().
 *
 * @param dev_id
 *   Device id.
 * @param info
 *   What DEVICE_GET_INFO reports.
 * @return
 *   0, -ENOENT, -EBUSY (started), -EINVAL (counts out of range).
 */
__rte_experimental
int rte_vfio_user_set_dev_info(int dev_id,
		const struct rte_vfio_user_dev_info *info);

/**
 * Set what one client may hold or cost the device; only before
 * rte_vfio_user_start().
 *
 * @param dev_id
 *   Device id.
 * @param limits
 *   Limits; members left 0 take their defaults.
 * @return
 *   0, -ENOENT (no such device), -EBUSY (started), -EINVAL (a limit out
 *   of range, such as max_dma_maps above RTE_VFIO_USER_MAX_DMA_MAPS).
 */
__rte_experimental
int rte_vfio_user_set_limits(int dev_id,
		const struct rte_vfio_user_limits *limits);

/**
 * The limits in force for a device, defaults filled in.
 *
 * @param dev_id
 *   Device id.
 * @param limits
 *   Filled in.
 * @return
 *   0, or -ENOENT.
 */
__rte_experimental
int rte_vfio_user_get_limits(int dev_id, struct rte_vfio_user_limits *limits);

/**
 * Set the most DMA maps all devices of the process may hold together.
 * Each costs a VMA, of which the process has vm.max_map_count; the
 * default is half of it.
 *
 * @param n
 *   Maps, > 0.
 * @return
 *   0, or -EINVAL.
 */
__rte_experimental
int rte_vfio_user_set_max_dma_maps_total(uint32_t n);

/**
 * The most DMA maps all devices of the process may hold together.
 *
 * @return
 *   The budget.
 */
__rte_experimental
uint32_t rte_vfio_user_get_max_dma_maps_total(void);

/**
 * Create the fd of a region the client may mmap: a memfd of size bytes,
 * sealed against shrinking and growing, so that the client cannot make
 * the server's accesses fault.
 *
 * @param name
 *   Name of the memfd (seen in /proc/PID/fd).
 * @param size
 *   Bytes.
 * @return
 *   The fd (the caller closes it), or a negative errno.
 */
__rte_experimental
int rte_vfio_user_region_memfd(const char *name, size_t size);

/**
 * Describe one region; only before rte_vfio_user_start().
 *
 * @param dev_id
 *   Device id.
 * @param region
 *   The region; an mmappable one needs a sealed fd
 *   (rte_vfio_user_region_memfd()).
 * @return
 *   0, -ENOENT, -EBUSY (started), -EINVAL (index, areas or fd refused),
 *   or the errno of duplicating the fd.
 */
__rte_experimental
int rte_vfio_user_set_region(int dev_id,
		const struct rte_vfio_user_region *region);

/**
 * Describe one IRQ index; only before rte_vfio_user_start().
 *
 * @param dev_id
 *   Device id.
 * @param index
 *   IRQ index (below RTE_VFIO_USER_MAX_IRQ_INDEXES).
 * @param count
 *   Vectors (at most RTE_VFIO_USER_MAX_IRQ_VECTORS).
 * @param flags
 *   RTE_VFIO_USER_IRQ_F_*.
 * @return
 *   0, -ENOENT, -EBUSY (started), -EINVAL.
 */
__rte_experimental
int rte_vfio_user_set_irq_info(int dev_id, uint32_t index, uint32_t count,
		uint32_t flags);

/**
 * The provider's pointer.
 *
 * @param dev_id
 *   Device id.
 * @return
 *   The pointer given at registration, or NULL.
 */
__rte_experimental
void *rte_vfio_user_get_priv(int dev_id);

/**
 * Tell whether a client is attached.
 *
 * @param dev_id
 *   Device id.
 * @return
 *   true while a client is connected and negotiated.
 */
__rte_experimental
bool rte_vfio_user_is_connected(int dev_id);

/**
 * The guest memory table of a device, as published now. A reader on the
 * data path gets it once for each access (a burst, say) and again for the
 * next; the device's mem_changed notification makes sure that a table is
 * freed only when no reader can still be using it.
 *
 * @param dev_id
 *   Device id.
 * @return
 *   The table; never NULL for a registered device.
 */
__rte_experimental
const struct rte_vfio_user_mem_table *rte_vfio_user_get_mem_table(int dev_id);

/**
 * Translate a guest address.
 *
 * @param mem
 *   Memory table.
 * @param iova
 *   Guest address.
 * @param len
 *   In: bytes wanted. Out: bytes contiguously mapped from iova, at most
 *   the input; callers loop for buffers that span regions.
 * @param prot
 *   Access needed (RTE_VFIO_USER_PROT_*); a map without it fails.
 * @return
 *   Host address, or NULL (len set to 0) when iova is not mapped with an
 *   fd and the rights asked.
 */
__rte_experimental
void *rte_vfio_user_mem_translate(const struct rte_vfio_user_mem_table *mem,
		uint64_t iova, uint64_t *len, uint32_t prot);

/**
 * Read or write guest memory: fd-backed maps directly, fd-less maps with
 * DMA_READ/DMA_WRITE messages to the client (only from the control thread,
 * i.e. inside a notification or region callback).
 *
 * @param dev_id
 *   Device id.
 * @param iova
 *   First guest address.
 * @param buf
 *   Source (is_write) or destination of len bytes.
 * @param len
 *   Bytes.
 * @param is_write
 *   true to write guest memory.
 * @return
 *   0, or a negative errno (-EFAULT when a byte is not mapped).
 */
__rte_experimental
int rte_vfio_user_dma_rw(int dev_id, uint64_t iova, void *buf, size_t len,
		bool is_write);

/**
 * Raise an interrupt: the device's control thread writes 1 to the eventfd
 * the client bound to the vector, soon after. Safe from any thread, at
 * any time, and never blocks whatever the client does with its fds.
 *
 * @param dev_id
 *   Device id.
 * @param index
 *   IRQ index.
 * @param vector
 *   Vector of that index.
 * @return
 *   0 when raised; -ENOENT when no fd is bound, -EAGAIN when the vector
 *   is masked: the interrupt is then held, as a PCI function's pending
 *   bit, and delivered when the client binds an fd to the vector or
 *   unmasks it (disabling the index drops it); another negative errno on
 *   error.
 */
__rte_experimental
int rte_vfio_user_irq_trigger(int dev_id, uint32_t index, uint32_t vector);

/**
 * Tell whether an interrupt can be delivered.
 *
 * @param dev_id
 *   Device id.
 * @param index
 *   IRQ index.
 * @param vector
 *   Vector of that index.
 * @return
 *   true when the client bound an eventfd to the vector.
 */
__rte_experimental
bool rte_vfio_user_irq_is_bound(int dev_id, uint32_t index, uint32_t vector);

/** Counters of a server device (rte_vfio_user_get_stats()). */
struct rte_vfio_user_stats {
	uint64_t msgs;              /**< commands received */
	uint64_t errors;            /**< error replies sent */
	uint64_t rejected_fds;      /**< fds closed with a refused command */
	uint64_t connects;          /**< clients accepted */
	uint64_t disconnects;       /**< clients gone, for whatever reason */
	uint64_t abuse_disconnects; /**< clients disconnected for a broken rule */
	uint64_t mem_faults;        /**< accesses to memory the client shrank */
	uint64_t dma_map_cmds;      /**< DMA_MAP commands that succeeded */
	uint64_t dma_unmap_cmds;    /**< DMA_UNMAP commands that succeeded */
	uint64_t dma_maps_unsealed; /**< maps of files the client may shrink */
	uint32_t dma_maps;          /**< maps held now */
	uint32_t dma_maps_max;      /**< most maps held at once */
	/** REGION_READ accesses (and parts of them) the device served, by
	 * region: what the client could not do in mmapped memory. */
	uint64_t region_reads[RTE_VFIO_USER_MAX_REGIONS];
	/** REGION_WRITE (and WRITE_MULTI entries) served, by region. */
	uint64_t region_writes[RTE_VFIO_USER_MAX_REGIONS];
};

/**
 * Read a device's counters; safe from any thread.
 *
 * @param dev_id
 *   Device id.
 * @param stats
 *   Filled in.
 * @return
 *   0, -ENOENT (no such device) or -EINVAL (stats NULL).
 */
__rte_experimental
int rte_vfio_user_get_stats(int dev_id, struct rte_vfio_user_stats *stats);

/**
 * Print a device's state and counters (connections, commands received by
 * type, errors).
 *
 * @param dev_id
 *   Device id.
 * @param f
 *   Where to print.
 * @return
 *   0, -EINVAL (f NULL), -ENOENT.
 */
__rte_experimental
int rte_vfio_user_dump(int dev_id, FILE *f);

/*
 * Client side.
 */

struct rte_vfio_user_client;

/**
 * Service of server-initiated DMA_READ (is_write false: fill buf) and
 * DMA_WRITE (is_write true: store buf) for maps given without an fd.
 *
 * @param arg
 *   rte_vfio_user_client_conf::dma_rw_arg.
 * @param iova
 *   First guest address.
 * @param buf
 *   The data.
 * @param len
 *   Bytes.
 * @param is_write
 *   true for DMA_WRITE.
 * @return
 *   0, or a negative errno sent back to the server.
 */
typedef int (*rte_vfio_user_client_dma_rw_t)(void *arg, uint64_t iova,
		void *buf, size_t len, bool is_write);

/** Client configuration; zero is a valid default for every member. */
struct rte_vfio_user_client_conf {
	uint32_t timeout_ms; /**< reply wait, default 5000 */
	rte_vfio_user_client_dma_rw_t dma_rw; /**< NULL: answer EFAULT */
	void *dma_rw_arg; /**< passed to dma_rw */
	/** JSON capabilities object to propose instead of the default. */
	const char *caps_json;
	bool qemu_dma_rw_layout; /**< parse DMA_READ/WRITE as QEMU does */
};

/** Capabilities the server stated in its VERSION reply. */
struct rte_vfio_user_server_caps {
	uint16_t major;              /**< protocol version */
	uint16_t minor;              /**< protocol version */
	uint32_t max_msg_fds;        /**< fds in one message */
	uint64_t max_data_xfer_size; /**< bytes of one transfer */
	uint32_t max_dma_maps;       /**< maps the client may hold */
	uint64_t pgsizes;            /**< page sizes for maps */
	bool write_multiple;         /**< REGION_WRITE_MULTIPLE accepted */
};

/** A region as DEVICE_GET_REGION_INFO describes it. */
struct rte_vfio_user_region_info {
	uint32_t index;  /**< region index */
	uint32_t flags;  /**< RTE_VFIO_USER_REGION_F_* */
	uint64_t size;   /**< bytes */
	uint64_t offset; /**< mmap offset in fd */
	int fd;          /**< -1 unless F_MMAP; the caller owns it */
	uint32_t nr_areas; /**< mmappable areas (0: all of it) */
	/** The mmappable areas. */
	struct rte_vfio_user_sparse_area areas[RTE_VFIO_USER_MAX_SPARSE_AREAS];
};

/**
 * Connect to a server and negotiate the protocol version.
 *
 * @param path
 *   The server's socket.
 * @param conf
 *   Options; NULL for the defaults.
 * @return
 *   A client handle, or NULL with rte_errno set.
 */
__rte_experimental
struct rte_vfio_user_client *rte_vfio_user_client_attach(const char *path,
		const struct rte_vfio_user_client_conf *conf);

/**
 * Disconnect and free the client.
 *
 * @param c
 *   The client; NULL is ignored.
 */
__rte_experimental
void rte_vfio_user_client_detach(struct rte_vfio_user_client *c);

/**
 * What the server stated at negotiation.
 *
 * @param c
 *   The client.
 * @return
 *   The capabilities, valid until detach; NULL for a NULL client.
 */
__rte_experimental
const struct rte_vfio_user_server_caps *
rte_vfio_user_client_server_caps(const struct rte_vfio_user_client *c);

/**
 * DEVICE_GET_INFO.
 *
 * @param c
 *   The client.
 * @param info
 *   Filled in.
 * @return
 *   0, or a negative errno (of the server's error reply, or -ETIMEDOUT).
 */
__rte_experimental
int rte_vfio_user_client_get_dev_info(struct rte_vfio_user_client *c,
		struct rte_vfio_user_dev_info *info);

/**
 * DEVICE_GET_REGION_INFO, re-queried with a larger buffer if needed.
 *
 * @param c
 *   The client.
 * @param index
 *   Region index.
 * @param info
 *   Filled in; info->fd is the caller's to close.
 * @return
 *   0, or a negative errno.
 */
__rte_experimental
int rte_vfio_user_client_get_region_info(struct rte_vfio_user_client *c,
		uint32_t index, struct rte_vfio_user_region_info *info);

/**
 * DEVICE_GET_IRQ_INFO: count and flags of an IRQ index.
 *
 * @param c
 *   The client.
 * @param index
 *   IRQ index.
 * @param count
 *   Receives the number of vectors.
 * @param flags
 *   Receives RTE_VFIO_USER_IRQ_F_*.
 * @return
 *   0, or a negative errno.
 */
__rte_experimental
int rte_vfio_user_client_get_irq_info(struct rte_vfio_user_client *c,
		uint32_t index, uint32_t *count, uint32_t *flags);

/**
 * DMA_MAP a range of guest memory.
 *
 * @param c
 *   The client.
 * @param iova
 *   First guest address.
 * @param size
 *   Bytes.
 * @param fd
 *   The memory's fd, or < 0 to send none (the server then reaches the
 *   range with DMA_READ/WRITE messages).
 * @param fd_offset
 *   Where iova is in the fd.
 * @param prot
 *   RTE_VFIO_USER_PROT_*.
 * @return
 *   0, or a negative errno.
 */
__rte_experimental
int rte_vfio_user_client_dma_map(struct rte_vfio_user_client *c,
		uint64_t iova, uint64_t size, int fd, uint64_t fd_offset,
		uint32_t prot);

/**
 * DMA_UNMAP: the server removes every map inside [iova, iova + size) and
 * refuses a range that covers a map in part.
 *
 * @param c
 *   The client.
 * @param iova
 *   First guest address.
 * @param size
 *   Bytes.
 * @param all
 *   Unmap everything (with iova = size = 0).
 * @return
 *   0, or a negative errno.
 */
__rte_experimental
int rte_vfio_user_client_dma_unmap(struct rte_vfio_user_client *c,
		uint64_t iova, uint64_t size, bool all);

/**
 * DEVICE_SET_IRQS with eventfds, split into chunks of the server's
 * max_msg_fds.
 *
 * @param c
 *   The client.
 * @param index
 *   IRQ index.
 * @param start
 *   First vector.
 * @param count
 *   Vectors; 0 de-assigns the range.
 * @param fds
 *   fds[i] (or -1) for vector start + i.
 * @return
 *   0, or a negative errno.
 */
__rte_experimental
int rte_vfio_user_client_set_irq_eventfds(struct rte_vfio_user_client *c,
		uint32_t index, uint32_t start, uint32_t count, const int *fds);

/**
 * DEVICE_SET_IRQS without fds.
 *
 * @param c
 *   The client.
 * @param index
 *   IRQ index.
 * @param flags
 *   VFIO_IRQ_SET_* (DATA_NONE or DATA_BOOL, and an action).
 * @param start
 *   First vector.
 * @param count
 *   Vectors.
 * @param bools
 *   count bytes with DATA_BOOL, else NULL.
 * @return
 *   0, or a negative errno.
 */
__rte_experimental
int rte_vfio_user_client_set_irqs(struct rte_vfio_user_client *c,
		uint32_t index, uint32_t flags, uint32_t start, uint32_t count,
		const uint8_t *bools);

/**
 * REGION_READ, split into transfers the server accepts.
 *
 * @param c
 *   The client.
 * @param index
 *   Region index.
 * @param offset
 *   Where in the region.
 * @param buf
 *   Receives count bytes.
 * @param count
 *   Bytes.
 * @return
 *   0, or a negative errno.
 */
__rte_experimental
int rte_vfio_user_client_region_read(struct rte_vfio_user_client *c,
		uint32_t index, uint64_t offset, void *buf, size_t count);

/**
 * REGION_WRITE, split into transfers the server accepts.
 *
 * @param c
 *   The client.
 * @param index
 *   Region index.
 * @param offset
 *   Where in the region.
 * @param buf
 *   count bytes.
 * @param count
 *   Bytes.
 * @param posted
 *   Send with NO_REPLY and do not wait (as QEMU does for memory BARs).
 * @return
 *   0, or a negative errno.
 */
__rte_experimental
int rte_vfio_user_client_region_write(struct rte_vfio_user_client *c,
		uint32_t index, uint64_t offset, const void *buf, size_t count,
		bool posted);

/**
 * DEVICE_RESET.
 *
 * @param c
 *   The client.
 * @return
 *   0, or a negative errno.
 */
__rte_experimental
int rte_vfio_user_client_reset(struct rte_vfio_user_client *c);

/**
 * Send a command as given and wait for its reply (for conformance tests
 * and tools). The reply payload is copied into reply (at most *reply_len
 * bytes; *reply_len is set to the payload size received) and received fds
 * into reply_fds (at most *nreply_fds; the caller owns them).
 *
 * @param c
 *   The client.
 * @param cmd
 *   The command.
 * @param flags
 *   Header flags (NO_REPLY to send only).
 * @param payload
 *   What follows the header.
 * @param len
 *   Its size.
 * @param fds
 *   fds to pass.
 * @param nfds
 *   How many.
 * @param reply
 *   Receives the reply payload; may be NULL.
 * @param reply_len
 *   In: room in reply. Out: payload size received.
 * @param reply_fds
 *   Receives fds; may be NULL.
 * @param nreply_fds
 *   In: room in reply_fds. Out: fds received.
 * @return
 *   0 for a successful reply, the negative errno of an error reply,
 *   -ETIMEDOUT or another negative errno when no reply came.
 */
__rte_experimental
int rte_vfio_user_client_request(struct rte_vfio_user_client *c,
		uint16_t cmd, uint32_t flags, const void *payload, size_t len,
		const int *fds, int nfds, void *reply, size_t *reply_len,
		int *reply_fds, int *nreply_fds);

/**
 * The connected socket, for tests that need raw access.
 *
 * @param c
 *   The client.
 * @return
 *   The socket fd (owned by the client), or -1 for a NULL client.
 */
__rte_experimental
int rte_vfio_user_client_socket(const struct rte_vfio_user_client *c);

#ifdef __cplusplus
}
#endif

#endif /* RTE_VFIO_USER_H */
