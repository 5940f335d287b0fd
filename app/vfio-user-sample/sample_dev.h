/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef SAMPLE_DEV_H
#define SAMPLE_DEV_H

/*
 * A small PCI device served over vfio-user: config space with its own
 * identity, BAR0 registers, BAR1 holding the MSI-X table and PBA, BAR2 of
 * which the second page is offered as sparse mmap, MSI-X with 4 vectors.
 */

#include <stdint.h>

#include <rte_vfio_user.h>

#define SAMPLE_VENDOR_ID	0xcafe
#define SAMPLE_DEVICE_ID	0xd00d
#define SAMPLE_CLASS		0xff0000
#define SAMPLE_MAGIC		0x454d5531u /* "1UME" */
#define SAMPLE_MSIX_VECTORS	4

/* BAR0 registers */
#define SAMPLE_REG_MAGIC	0x00	/* RO */
#define SAMPLE_REG_SCRATCH	0x04	/* RW */
#define SAMPLE_REG_COUNTER	0x08	/* RO, counts its own reads */
#define SAMPLE_REG_IRQ		0x0c	/* WO: raise MSI-X vector n */
#define SAMPLE_REG_DMA_ADDR	0x10	/* RW, 64-bit */
#define SAMPLE_REG_DMA_CMD	0x18	/* WO: 1 = write SCRATCH to DMA_ADDR */
#define SAMPLE_REG_DMA_STATUS	0x1c	/* RO: 0 or the errno of the last DMA */
#define SAMPLE_BAR0_SIZE	4096
#define SAMPLE_BAR1_SIZE	4096
#define SAMPLE_PBA_OFFSET	0x800
#define SAMPLE_BAR2_SIZE	8192
#define SAMPLE_BAR2_MMAP_OFFSET	4096

struct sample_dev;

/* Register, describe and start serving a sample device on path. */
struct sample_dev *sample_dev_create(const char *path, uint64_t flags);
void sample_dev_destroy(struct sample_dev *sd);
int sample_dev_id(const struct sample_dev *sd);
/* The server's view of the BAR2 page the client may mmap. */
volatile uint8_t *sample_dev_shared_page(const struct sample_dev *sd);
uint32_t sample_dev_resets(const struct sample_dev *sd);
/* Hooks called for memory-change notifications (a data path's readers). */
void sample_dev_set_mem_hooks(struct sample_dev *sd,
		rte_vfio_user_mem_change_t changing, rte_vfio_user_mem_change_t changed);

#endif /* SAMPLE_DEV_H */
