/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef RTE_VFIO_USER_PCI_H
#define RTE_VFIO_USER_PCI_H

/**
 * @file
 * PCI configuration space for devices served with librte_vfio_user.
 *
 * A config space with per-bit write masks: BAR sizing, the expansion ROM,
 * command and status registers and capability registers then behave as a
 * guest and QEMU expect, whatever the guest writes. Serve it from the
 * config region's callback with rte_vfio_user_pci_config_access().
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Size of a conventional config space. */
#define RTE_VFIO_USER_PCI_CFG_SIZE 256
/** Size of a PCI Express config space. */
#define RTE_VFIO_USER_PCIE_CFG_SIZE 4096

/** BAR flags for rte_vfio_user_pci_config_set_bar(). */
#define RTE_VFIO_USER_PCI_BAR_IO       (1u << 0) /**< an I/O BAR */
#define RTE_VFIO_USER_PCI_BAR_MEM64    (1u << 1) /**< 64-bit memory BAR */
#define RTE_VFIO_USER_PCI_BAR_PREFETCH (1u << 2) /**< prefetchable */

/** Identity of a PCI function. */
struct rte_vfio_user_pci_ids {
	uint16_t vendor_id;        /**< vendor */
	uint16_t device_id;        /**< device */
	uint16_t subsys_vendor_id; /**< subsystem vendor */
	uint16_t subsys_id;        /**< subsystem */
	uint32_t class_code; /**< base class, sub class, prog-if: 0x020000 */
	uint8_t revision;          /**< revision id */
};

/** A PCI config space. */
struct rte_vfio_user_pci_config;

/**
 * Create a config space with the given identity, no BAR and no
 * capability.
 *
 * @param ids
 *   The identity registers.
 * @param express
 *   4096-byte PCI Express space (add a PCIe capability) or 256 bytes.
 * @return
 *   The config space, or NULL (out of memory).
 */
__rte_experimental
struct rte_vfio_user_pci_config *
rte_vfio_user_pci_config_create(const struct rte_vfio_user_pci_ids *ids,
		bool express);

/**
 * Free a config space.
 *
 * @param cfg
 *   The config space; NULL is ignored.
 */
__rte_experimental
void rte_vfio_user_pci_config_free(struct rte_vfio_user_pci_config *cfg);

/**
 * The size of a config space.
 *
 * @param cfg
 *   The config space.
 * @return
 *   Bytes: 256 or 4096.
 */
__rte_experimental
uint32_t rte_vfio_user_pci_config_size(const struct rte_vfio_user_pci_config *cfg);

/**
 * Declare a BAR; a 64-bit BAR also takes bar + 1.
 *
 * @param cfg
 *   The config space.
 * @param bar
 *   BAR number, 0 to 5.
 * @param size
 *   A power of two (QEMU aborts otherwise), at least 16 bytes (4 for I/O).
 * @param flags
 *   RTE_VFIO_USER_PCI_BAR_*.
 * @return
 *   0, or -EINVAL.
 */
__rte_experimental
int rte_vfio_user_pci_config_set_bar(struct rte_vfio_user_pci_config *cfg,
		uint32_t bar, uint64_t size, uint32_t flags);

/**
 * Append a capability to the list.
 *
 * @param cfg
 *   The config space.
 * @param id
 *   Capability id (0x11 MSI-X, 0x10 PCI Express, ...).
 * @param body
 *   Bytes after the id and next pointer.
 * @param len
 *   Their number.
 * @param wmask
 *   Writable bits of body (may be NULL: read-only).
 * @return
 *   Config offset of the capability, or a negative errno.
 */
__rte_experimental
int rte_vfio_user_pci_config_add_cap(struct rte_vfio_user_pci_config *cfg,
		uint8_t id, const void *body, uint32_t len, const void *wmask);

/**
 * Append an MSI-X capability.
 *
 * @param cfg
 *   The config space.
 * @param nvec
 *   Vectors.
 * @param table_bar
 *   BAR of the vector table.
 * @param table_off
 *   Its offset in the BAR.
 * @param pba_bar
 *   BAR of the pending bit array.
 * @param pba_off
 *   Its offset in the BAR.
 * @return
 *   Config offset of the capability, or a negative errno.
 */
__rte_experimental
int rte_vfio_user_pci_config_add_msix(struct rte_vfio_user_pci_config *cfg,
		uint16_t nvec, uint8_t table_bar, uint32_t table_off,
		uint8_t pba_bar, uint32_t pba_off);

/**
 * Append a PCI Express endpoint capability (version 2).
 *
 * @param cfg
 *   The config space.
 * @return
 *   Config offset of the capability, or a negative errno.
 */
__rte_experimental
int rte_vfio_user_pci_config_add_pcie(struct rte_vfio_user_pci_config *cfg);

/**
 * Serve a config access: reads return the bytes, writes change only the
 * writable bits (status bits are write-1-to-clear).
 *
 * @param cfg
 *   The config space.
 * @param offset
 *   Where.
 * @param buf
 *   The bytes read or written.
 * @param count
 *   How many.
 * @param is_write
 *   true for a write.
 * @return
 *   count, or -EINVAL when out of range.
 */
__rte_experimental
ssize_t rte_vfio_user_pci_config_access(struct rte_vfio_user_pci_config *cfg,
		uint64_t offset, void *buf, size_t count, bool is_write);

/**
 * Read a config register.
 *
 * @param cfg
 *   The config space.
 * @param offset
 *   Where.
 * @param width
 *   1, 2 or 4 bytes.
 * @return
 *   The value; 0 out of range.
 */
__rte_experimental
uint32_t rte_vfio_user_pci_config_read(const struct rte_vfio_user_pci_config *cfg,
		uint32_t offset, uint32_t width);

/**
 * Tell whether the device may access memory.
 *
 * @param cfg
 *   The config space.
 * @return
 *   true when the guest enabled bus mastering (COMMAND.BME).
 */
__rte_experimental
bool rte_vfio_user_pci_bus_master(const struct rte_vfio_user_pci_config *cfg);

/**
 * Region callback (rte_vfio_user_region_rw_t) of a BAR that holds only
 * the MSI-X table, which the VMM emulates, and the PBA: no vector is ever
 * pending at the MSI-X level (the VMM masks), so reads return 0; writes
 * are ignored.
 *
 * @param dev_id
 *   Device id (unused).
 * @param index
 *   Region index (unused).
 * @param offset
 *   Where in the BAR (unused).
 * @param buf
 *   Zeroed for a read.
 * @param count
 *   Bytes.
 * @param is_write
 *   true for a write.
 * @return
 *   count.
 */
__rte_experimental
ssize_t rte_vfio_user_pci_msix_bar_rw(int dev_id, uint32_t index,
		uint64_t offset, void *buf, size_t count, bool is_write);

/**
 * Restore the config space to its state after create and setup.
 *
 * @param cfg
 *   The config space.
 */
__rte_experimental
void rte_vfio_user_pci_config_reset(struct rte_vfio_user_pci_config *cfg);

#ifdef __cplusplus
}
#endif

#endif /* RTE_VFIO_USER_PCI_H */
