/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * PCI config space with write masks. Everything a guest may change is
 * described by wmask (writable bits) and w1c (write-1-to-clear bits);
 * BAR sizing and "no ROM" follow from the masks alone.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "emunic_compat.h"
#include "rte_vfio_user_pci.h"

#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_REVISION_ID		0x08
#define PCI_CLASS_PROG		0x09
#define PCI_CACHE_LINE_SIZE	0x0c
#define PCI_LATENCY_TIMER	0x0d
#define PCI_BASE_ADDRESS_0	0x10
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_STD_HEADER_END	0x40

#define PCI_COMMAND_IO		0x0001
#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004
#define PCI_COMMAND_PARITY	0x0040
#define PCI_COMMAND_SERR	0x0100
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS_CAP_LIST	0x0010
#define PCI_STATUS_W1C		0xf900

#define PCI_CAP_ID_EXP		0x10
#define PCI_CAP_ID_MSIX		0x11

struct rte_vfio_user_pci_config {
	uint32_t size;
	uint8_t next_cap;	/* where the next capability goes */
	uint8_t *last_next;	/* next pointer to update, in init */
	uint8_t data[RTE_VFIO_USER_PCIE_CFG_SIZE];
	uint8_t wmask[RTE_VFIO_USER_PCIE_CFG_SIZE];
	uint8_t w1c[RTE_VFIO_USER_PCIE_CFG_SIZE];
	uint8_t init[RTE_VFIO_USER_PCIE_CFG_SIZE]; /* state for reset */
};

static void
put(uint8_t *p, uint32_t off, uint64_t v, uint32_t width)
{
	memcpy(p + off, &v, width); /* little-endian host */
}

struct rte_vfio_user_pci_config *
rte_vfio_user_pci_config_create(const struct rte_vfio_user_pci_ids *ids,
		bool express)
{
	struct rte_vfio_user_pci_config *cfg;

	if (ids == NULL)
		return NULL;
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL)
		return NULL;
	cfg->size = express ? RTE_VFIO_USER_PCIE_CFG_SIZE :
			      RTE_VFIO_USER_PCI_CFG_SIZE;
	put(cfg->data, PCI_VENDOR_ID, ids->vendor_id, 2);
	put(cfg->data, PCI_DEVICE_ID, ids->device_id, 2);
	put(cfg->data, PCI_REVISION_ID, ids->revision, 1);
	put(cfg->data, PCI_CLASS_PROG, ids->class_code & 0xffffff, 3);
	put(cfg->data, PCI_SUBSYSTEM_VENDOR_ID, ids->subsys_vendor_id, 2);
	put(cfg->data, PCI_SUBSYSTEM_ID, ids->subsys_id, 2);
	put(cfg->wmask, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
	    PCI_COMMAND_MASTER | PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
	    PCI_COMMAND_INTX_DISABLE, 2);
	put(cfg->w1c, PCI_STATUS, PCI_STATUS_W1C, 2);
	put(cfg->wmask, PCI_CACHE_LINE_SIZE, 0xff, 1);
	put(cfg->wmask, PCI_LATENCY_TIMER, 0xff, 1);
	put(cfg->wmask, PCI_INTERRUPT_LINE, 0xff, 1);
	cfg->next_cap = PCI_STD_HEADER_END;
	cfg->last_next = &cfg->data[PCI_CAPABILITY_LIST];
	memcpy(cfg->init, cfg->data, sizeof(cfg->init));
	return cfg;
}

void
rte_vfio_user_pci_config_free(struct rte_vfio_user_pci_config *cfg)
{
	free(cfg);
}

uint32_t
rte_vfio_user_pci_config_size(const struct rte_vfio_user_pci_config *cfg)
{
	return cfg->size;
}

int
rte_vfio_user_pci_config_set_bar(struct rte_vfio_user_pci_config *cfg,
		uint32_t bar, uint64_t size, uint32_t flags)
{
	bool io = flags & RTE_VFIO_USER_PCI_BAR_IO;
	bool mem64 = flags & RTE_VFIO_USER_PCI_BAR_MEM64;
	uint32_t off = PCI_BASE_ADDRESS_0 + 4 * bar, type;
	uint64_t mask;

	if (bar > 5 || (mem64 && bar > 4) || (io && (mem64 ||
	    (flags & RTE_VFIO_USER_PCI_BAR_PREFETCH))) ||
	    !rte_is_power_of_2(size) || size < (io ? 4u : 16u) ||
	    (!mem64 && size > (1ull << 31)))
		return -EINVAL;
	type = io ? 0x1 : (mem64 ? 0x4 : 0) |
		((flags & RTE_VFIO_USER_PCI_BAR_PREFETCH) ? 0x8 : 0);
	mask = ~(size - 1) & ~(uint64_t)(io ? 0x3 : 0xf);
	put(cfg->data, off, type, 4);
	put(cfg->wmask, off, (uint32_t)mask, 4);
	if (mem64) {
		put(cfg->data, off + 4, 0, 4);
		put(cfg->wmask, off + 4, (uint32_t)(mask >> 32), 4);
	}
	memcpy(cfg->init, cfg->data, sizeof(cfg->init));
	return 0;
}

int
rte_vfio_user_pci_config_add_cap(struct rte_vfio_user_pci_config *cfg,
		uint8_t id, const void *body, uint32_t len, const void *wmask)
{
	uint32_t off = cfg->next_cap;

	if (body == NULL || off + 2 + len > RTE_VFIO_USER_PCI_CFG_SIZE)
		return -ENOSPC;
	cfg->data[off] = id;
	cfg->data[off + 1] = 0;
	memcpy(&cfg->data[off + 2], body, len);
	if (wmask != NULL)
		memcpy(&cfg->wmask[off + 2], wmask, len);
	*cfg->last_next = off;
	cfg->last_next = &cfg->data[off + 1];
	cfg->next_cap = RTE_ALIGN_CEIL(off + 2 + len, 4);
	put(cfg->data, PCI_STATUS,
	    rte_vfio_user_pci_config_read(cfg, PCI_STATUS, 2) |
	    PCI_STATUS_CAP_LIST, 2);
	memcpy(cfg->init, cfg->data, sizeof(cfg->init));
	return off;
}

int
rte_vfio_user_pci_config_add_msix(struct rte_vfio_user_pci_config *cfg,
		uint16_t nvec, uint8_t table_bar, uint32_t table_off,
		uint8_t pba_bar, uint32_t pba_off)
{
	/* message control, table offset|BIR, PBA offset|BIR */
	uint8_t body[10], wmask[10] = { 0 };

	if (nvec == 0 || nvec > 2048 || table_bar > 5 || pba_bar > 5 ||
	    (table_off | pba_off) & 7)
		return -EINVAL;
	put(body, 0, nvec - 1, 2);
	put(body, 2, table_off | table_bar, 4);
	put(body, 6, pba_off | pba_bar, 4);
	put(wmask, 0, 0xc000, 2); /* enable, function mask */
	return rte_vfio_user_pci_config_add_cap(cfg, PCI_CAP_ID_MSIX, body,
			sizeof(body), wmask);
}

int
rte_vfio_user_pci_config_add_pcie(struct rte_vfio_user_pci_config *cfg)
{
	/* PCIe capability v2, endpoint: 0x3a bytes after id/next. */
	uint8_t body[0x3a] = { 0 }, wmask[0x3a] = { 0 };

	if (cfg->size != RTE_VFIO_USER_PCIE_CFG_SIZE)
		return -EINVAL;
	put(body, 0x00, 0x0002, 2);		/* version 2, endpoint */
	put(body, 0x02, 0x10008000, 4);		/* devcap: FLR, RBER */
	put(wmask, 0x06, 0xfcff, 2);		/* device control */
	put(body, 0x0a, 0x00000000, 4);		/* link cap */
	put(wmask, 0x0e, 0x01c3, 2);		/* link control */
	put(wmask, 0x26, 0x040f, 2);		/* device control 2 */
	return rte_vfio_user_pci_config_add_cap(cfg, PCI_CAP_ID_EXP, body,
			sizeof(body), wmask);
}

ssize_t
rte_vfio_user_pci_config_access(struct rte_vfio_user_pci_config *cfg,
		uint64_t offset, void *buf, size_t count, bool is_write)
{
	uint8_t *p = buf;
	size_t i;

	if (cfg == NULL || offset > cfg->size || count > cfg->size - offset)
		return -EINVAL;
	if (!is_write) {
		memcpy(p, &cfg->data[offset], count);
		return count;
	}
	for (i = 0; i < count; i++) {
		size_t o = offset + i;
		uint8_t *d = &cfg->data[o];

		*d = (*d & ~cfg->wmask[o]) | (p[i] & cfg->wmask[o]);
		*d &= ~(p[i] & cfg->w1c[o]);
	}
	return count;
}

uint32_t
rte_vfio_user_pci_config_read(const struct rte_vfio_user_pci_config *cfg,
		uint32_t offset, uint32_t width)
{
	uint32_t v = 0;

	if (width <= 4 && offset + width <= cfg->size)
		memcpy(&v, &cfg->data[offset], width);
	return v;
}

bool
rte_vfio_user_pci_bus_master(const struct rte_vfio_user_pci_config *cfg)
{
	return rte_vfio_user_pci_config_read(cfg, PCI_COMMAND, 2) &
		PCI_COMMAND_MASTER;
}

void
rte_vfio_user_pci_config_reset(struct rte_vfio_user_pci_config *cfg)
{
	memcpy(cfg->data, cfg->init, sizeof(cfg->data));
}

ssize_t
rte_vfio_user_pci_msix_bar_rw(int dev_id __rte_unused,
		uint32_t index __rte_unused, uint64_t offset __rte_unused,
		void *buf, size_t count, bool is_write)
{
	if (!is_write)
		memset(buf, 0, count);
	return count;
}
