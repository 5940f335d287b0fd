/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_vfio_user.h>
#include <rte_vfio_user_pci.h>

#include "sample_dev.h"

struct sample_dev {
	int id;
	struct rte_vfio_user_pci_config *cfg;
	uint32_t scratch;
	uint32_t counter;
	uint64_t dma_addr;
	uint32_t dma_status;
	uint32_t resets;
	int bar2_fd;
	uint8_t *bar2;	/* the whole BAR2, memfd-backed */
	rte_vfio_user_mem_change_t mem_changing, mem_changed;
};

static struct sample_dev *
sd_get(int dev_id)
{
	return rte_vfio_user_get_priv(dev_id);
}

static ssize_t
config_rw(int dev_id, uint32_t index __rte_unused, uint64_t offset, void *buf,
		size_t count, bool is_write)
{
	return rte_vfio_user_pci_config_access(sd_get(dev_id)->cfg, offset, buf,
			count, is_write);
}

/* The device's one DMA: write SCRATCH to guest memory, if allowed. */
static void
do_dma(struct sample_dev *sd)
{
	int rc = -EACCES;

	if (rte_vfio_user_pci_bus_master(sd->cfg))
		rc = rte_vfio_user_dma_rw(sd->id, sd->dma_addr, &sd->scratch,
				sizeof(sd->scratch), true);
	sd->dma_status = -rc;
	if (rc == 0)
		rte_vfio_user_irq_trigger(sd->id, RTE_VFIO_USER_PCI_MSIX, 0);
}

static uint64_t
bar0_read(struct sample_dev *sd, uint64_t reg)
{
	switch (reg) {
	case SAMPLE_REG_MAGIC:
		return SAMPLE_MAGIC;
	case SAMPLE_REG_SCRATCH:
		return sd->scratch;
	case SAMPLE_REG_COUNTER:
		return ++sd->counter;
	case SAMPLE_REG_DMA_ADDR:
		return sd->dma_addr;
	case SAMPLE_REG_DMA_ADDR + 4:
		return sd->dma_addr >> 32;
	case SAMPLE_REG_DMA_STATUS:
		return sd->dma_status;
	default:
		return 0;
	}
}

static void
bar0_write(struct sample_dev *sd, uint64_t reg, uint64_t v, size_t width)
{
	switch (reg) {
	case SAMPLE_REG_SCRATCH:
		sd->scratch = v;
		break;
	case SAMPLE_REG_IRQ:
		rte_vfio_user_irq_trigger(sd->id, RTE_VFIO_USER_PCI_MSIX, v);
		break;
	case SAMPLE_REG_DMA_ADDR:
		sd->dma_addr = width == 8 ? v :
			(sd->dma_addr & ~0xffffffffull) | (uint32_t)v;
		break;
	case SAMPLE_REG_DMA_ADDR + 4:
		sd->dma_addr = (sd->dma_addr & 0xffffffffull) | (v << 32);
		break;
	case SAMPLE_REG_DMA_CMD:
		if (v == 1)
			do_dma(sd);
		break;
	default:
		break; /* unknown registers ignore writes */
	}
}

/* Registers take aligned 4-byte accesses (8 for DMA_ADDR). */
static ssize_t
bar0_rw(int dev_id, uint32_t index __rte_unused, uint64_t offset, void *buf,
		size_t count, bool is_write)
{
	struct sample_dev *sd = sd_get(dev_id);
	uint64_t v = 0;

	if ((count != 4 && count != 8) || offset % count)
		return -EINVAL;
	if (is_write) {
		memcpy(&v, buf, count);
		bar0_write(sd, offset, v, count);
	} else {
		v = bar0_read(sd, offset);
		if (count == 8 && offset == SAMPLE_REG_DMA_ADDR)
			v = sd->dma_addr;
		memcpy(buf, &v, count);
	}
	return count;
}

static ssize_t
bar2_rw(int dev_id, uint32_t index __rte_unused, uint64_t offset, void *buf,
		size_t count, bool is_write)
{
	struct sample_dev *sd = sd_get(dev_id);

	if (is_write)
		memcpy(sd->bar2 + offset, buf, count);
	else
		memcpy(buf, sd->bar2 + offset, count);
	return count;
}

static int
sample_reset(int dev_id)
{
	struct sample_dev *sd = sd_get(dev_id);

	rte_vfio_user_pci_config_reset(sd->cfg);
	sd->scratch = 0;
	sd->counter = 0;
	sd->dma_addr = 0;
	sd->dma_status = 0;
	memset(sd->bar2, 0, SAMPLE_BAR2_SIZE);
	sd->resets++;
	return 0;
}

static void
sample_mem_changing(int dev_id, const struct rte_vfio_user_mem_change *chg)
{
	struct sample_dev *sd = sd_get(dev_id);

	if (sd->mem_changing != NULL)
		sd->mem_changing(dev_id, chg);
}

static void
sample_mem_changed(int dev_id, const struct rte_vfio_user_mem_change *chg)
{
	struct sample_dev *sd = sd_get(dev_id);

	if (sd->mem_changed != NULL)
		sd->mem_changed(dev_id, chg);
}

static const struct rte_vfio_user_notify_ops sample_ops = {
	.reset_device = sample_reset,
	.mem_changing = sample_mem_changing,
	.mem_changed = sample_mem_changed,
};

static struct rte_vfio_user_pci_config *
sample_config(void)
{
	const struct rte_vfio_user_pci_ids ids = {
		.vendor_id = SAMPLE_VENDOR_ID,
		.device_id = SAMPLE_DEVICE_ID,
		.subsys_vendor_id = SAMPLE_VENDOR_ID,
		.subsys_id = 1,
		.class_code = SAMPLE_CLASS,
	};
	struct rte_vfio_user_pci_config *cfg;

	cfg = rte_vfio_user_pci_config_create(&ids, true);
	if (cfg == NULL ||
	    rte_vfio_user_pci_config_set_bar(cfg, 0, SAMPLE_BAR0_SIZE, 0) < 0 ||
	    rte_vfio_user_pci_config_set_bar(cfg, 1, SAMPLE_BAR1_SIZE, 0) < 0 ||
	    rte_vfio_user_pci_config_set_bar(cfg, 2, SAMPLE_BAR2_SIZE,
			RTE_VFIO_USER_PCI_BAR_MEM64) < 0 ||
	    rte_vfio_user_pci_config_add_pcie(cfg) < 0 ||
	    rte_vfio_user_pci_config_add_msix(cfg, SAMPLE_MSIX_VECTORS, 1, 0,
			1, SAMPLE_PBA_OFFSET) < 0) {
		rte_vfio_user_pci_config_free(cfg);
		return NULL;
	}
	return cfg;
}

static int
describe(struct sample_dev *sd)
{
	static const struct rte_vfio_user_sparse_area bar2_area = {
		.offset = SAMPLE_BAR2_MMAP_OFFSET, .size = 4096,
	};
	const uint32_t rw = RTE_VFIO_USER_REGION_F_READ |
			    RTE_VFIO_USER_REGION_F_WRITE;
	const struct rte_vfio_user_dev_info info = {
		.flags = RTE_VFIO_USER_DEV_F_PCI | RTE_VFIO_USER_DEV_F_RESET,
		.num_regions = RTE_VFIO_USER_PCI_NUM_REGIONS,
		.num_irqs = RTE_VFIO_USER_PCI_NUM_IRQS,
	};
	const struct rte_vfio_user_region regions[] = {
		{ .index = RTE_VFIO_USER_PCI_CONFIG, .flags = rw, .fd = -1,
		  .size = rte_vfio_user_pci_config_size(sd->cfg), .rw = config_rw },
		{ .index = RTE_VFIO_USER_PCI_BAR0, .flags = rw, .fd = -1,
		  .size = SAMPLE_BAR0_SIZE, .rw = bar0_rw },
		{ .index = RTE_VFIO_USER_PCI_BAR1, .flags = rw, .fd = -1,
		  .size = SAMPLE_BAR1_SIZE, .rw = rte_vfio_user_pci_msix_bar_rw },
		{ .index = RTE_VFIO_USER_PCI_BAR2,
		  .flags = rw | RTE_VFIO_USER_REGION_F_MMAP,
		  .size = SAMPLE_BAR2_SIZE, .rw = bar2_rw, .fd = sd->bar2_fd,
		  .nr_areas = 1, .areas = &bar2_area },
	};
	unsigned int i;
	int rc;

	rc = rte_vfio_user_set_dev_info(sd->id, &info);
	for (i = 0; rc == 0 && i < RTE_DIM(regions); i++)
		rc = rte_vfio_user_set_region(sd->id, &regions[i]);
	if (rc == 0)
		rc = rte_vfio_user_set_irq_info(sd->id, RTE_VFIO_USER_PCI_MSIX,
				SAMPLE_MSIX_VECTORS, RTE_VFIO_USER_IRQ_F_EVENTFD);
	if (rc == 0)
		rc = rte_vfio_user_set_irq_info(sd->id, RTE_VFIO_USER_PCI_ERR,
				1, RTE_VFIO_USER_IRQ_F_EVENTFD);
	if (rc == 0)
		rc = rte_vfio_user_set_irq_info(sd->id, RTE_VFIO_USER_PCI_REQ,
				1, RTE_VFIO_USER_IRQ_F_EVENTFD);
	return rc;
}

struct sample_dev *
sample_dev_create(const char *path, uint64_t flags)
{
	struct sample_dev *sd = calloc(1, sizeof(*sd));

	if (sd == NULL)
		return NULL;
	sd->id = -1;
	sd->bar2_fd = rte_vfio_user_region_memfd("sample-bar2",
			SAMPLE_BAR2_SIZE);
	if (sd->bar2_fd < 0)
		goto err;
	sd->bar2 = mmap(NULL, SAMPLE_BAR2_SIZE, PROT_READ | PROT_WRITE,
			MAP_SHARED, sd->bar2_fd, 0);
	if (sd->bar2 == MAP_FAILED) {
		sd->bar2 = NULL;
		goto err;
	}
	sd->cfg = sample_config();
	if (sd->cfg == NULL)
		goto err;
	sd->id = rte_vfio_user_register(path, &sample_ops, flags, sd);
	if (sd->id < 0 || describe(sd) < 0 || rte_vfio_user_start(sd->id) < 0)
		goto err;
	return sd;
err:
	sample_dev_destroy(sd);
	return NULL;
}

void
sample_dev_destroy(struct sample_dev *sd)
{
	if (sd == NULL)
		return;
	if (sd->id >= 0)
		rte_vfio_user_unregister(sd->id);
	if (sd->bar2 != NULL)
		munmap(sd->bar2, SAMPLE_BAR2_SIZE);
	if (sd->bar2_fd >= 0)
		close(sd->bar2_fd);
	rte_vfio_user_pci_config_free(sd->cfg);
	free(sd);
}

int
sample_dev_id(const struct sample_dev *sd)
{
	return sd->id;
}

volatile uint8_t *
sample_dev_shared_page(const struct sample_dev *sd)
{
	return sd->bar2 + SAMPLE_BAR2_MMAP_OFFSET;
}

uint32_t
sample_dev_resets(const struct sample_dev *sd)
{
	return sd->resets;
}

void
sample_dev_set_mem_hooks(struct sample_dev *sd,
		rte_vfio_user_mem_change_t changing, rte_vfio_user_mem_change_t changed)
{
	sd->mem_changing = changing;
	sd->mem_changed = changed;
}
