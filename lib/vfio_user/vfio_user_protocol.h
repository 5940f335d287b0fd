/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef VFIO_USER_PROTOCOL_H
#define VFIO_USER_PROTOCOL_H

/*
 * Wire format of vfio-user as QEMU >= 10.1 speaks it (QEMU's
 * docs/interop/vfio-user.rst). Every structure here is what travels on
 * the socket, in host byte order; sizes are checked at compile time.
 */

#include <stdint.h>
#include <assert.h>

#define VFIO_USER_MAJOR 0
#define VFIO_USER_MINOR 0

enum vfio_user_command {
	VFIO_USER_VERSION = 1,
	VFIO_USER_DMA_MAP = 2,
	VFIO_USER_DMA_UNMAP = 3,
	VFIO_USER_DEVICE_GET_INFO = 4,
	VFIO_USER_DEVICE_GET_REGION_INFO = 5,
	VFIO_USER_DEVICE_GET_REGION_IO_FDS = 6,
	VFIO_USER_DEVICE_GET_IRQ_INFO = 7,
	VFIO_USER_DEVICE_SET_IRQS = 8,
	VFIO_USER_REGION_READ = 9,
	VFIO_USER_REGION_WRITE = 10,
	VFIO_USER_DMA_READ = 11,
	VFIO_USER_DMA_WRITE = 12,
	VFIO_USER_DEVICE_RESET = 13,
	/* 14 was DIRTY_PAGES of the retired migration v1. */
	VFIO_USER_REGION_WRITE_MULTI = 15,
	VFIO_USER_DEVICE_FEATURE = 16,
	VFIO_USER_MIG_DATA_READ = 17,
	VFIO_USER_MIG_DATA_WRITE = 18,
	VFIO_USER_MAX_COMMAND,
};

#define VFIO_USER_F_TYPE_MASK	0xfu
#define VFIO_USER_F_TYPE_COMMAND 0u
#define VFIO_USER_F_TYPE_REPLY	1u
#define VFIO_USER_F_NO_REPLY	0x10u
#define VFIO_USER_F_ERROR	0x20u

struct vfio_user_header {
	uint16_t msg_id;
	uint16_t cmd;
	uint32_t msg_size; /* whole message, header included */
	uint32_t flags;
	uint32_t error_no;
};
static_assert(sizeof(struct vfio_user_header) == 16, "header size");

struct vfio_user_version {
	uint16_t major;
	uint16_t minor;
	char caps[]; /* NUL-terminated JSON, optional */
};

#define VFIO_USER_DMA_F_READ	0x1u
#define VFIO_USER_DMA_F_WRITE	0x2u

struct vfio_user_dma_map {
	uint32_t argsz;
	uint32_t flags;
	uint64_t offset;
	uint64_t addr;
	uint64_t size;
};
static_assert(sizeof(struct vfio_user_dma_map) == 32, "dma_map size");

#define VFIO_USER_UNMAP_F_GET_DIRTY_BITMAP 0x1u
#define VFIO_USER_UNMAP_F_ALL		0x2u

struct vfio_user_dma_unmap {
	uint32_t argsz;
	uint32_t flags;
	uint64_t addr;
	uint64_t size;
};
static_assert(sizeof(struct vfio_user_dma_unmap) == 24, "dma_unmap size");

struct vfio_user_device_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t num_regions;
	uint32_t num_irqs;
};
static_assert(sizeof(struct vfio_user_device_info) == 16, "device_info size");

struct vfio_user_region_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t cap_offset;
	uint64_t size;
	uint64_t offset;
};
static_assert(sizeof(struct vfio_user_region_info) == 32, "region_info size");

struct vfio_user_cap_header {
	uint16_t id;
	uint16_t version;
	uint32_t next;
};

#define VFIO_USER_CAP_SPARSE_MMAP	1
#define VFIO_USER_CAP_SPARSE_MMAP_VER	1

struct vfio_user_sparse_area {
	uint64_t offset;
	uint64_t size;
};

struct vfio_user_cap_sparse_mmap {
	struct vfio_user_cap_header header;
	uint32_t nr_areas;
	uint32_t reserved;
	struct vfio_user_sparse_area areas[];
};
static_assert(sizeof(struct vfio_user_cap_sparse_mmap) == 16, "sparse cap size");

struct vfio_user_region_io_fds {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t count;
};
static_assert(sizeof(struct vfio_user_region_io_fds) == 16, "io_fds size");

struct vfio_user_irq_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t count;
};
static_assert(sizeof(struct vfio_user_irq_info) == 16, "irq_info size");

#define VFIO_USER_IRQ_SET_DATA_NONE	 0x01u
#define VFIO_USER_IRQ_SET_DATA_BOOL	 0x02u
#define VFIO_USER_IRQ_SET_DATA_EVENTFD	 0x04u
#define VFIO_USER_IRQ_SET_ACTION_MASK	 0x08u
#define VFIO_USER_IRQ_SET_ACTION_UNMASK	 0x10u
#define VFIO_USER_IRQ_SET_ACTION_TRIGGER 0x20u
#define VFIO_USER_IRQ_SET_DATA_MASK	 0x07u
#define VFIO_USER_IRQ_SET_ACTION_MASK_ALL 0x38u

struct vfio_user_irq_set {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t start;
	uint32_t count;
	uint8_t data[];
};
static_assert(sizeof(struct vfio_user_irq_set) == 20, "irq_set size");

struct vfio_user_region_access {
	uint64_t offset;
	uint32_t region;
	uint32_t count;
	uint8_t data[];
};
static_assert(sizeof(struct vfio_user_region_access) == 16, "region rw size");

/* DMA_READ/DMA_WRITE as the spec lays them out: data at payload offset 16. */
struct vfio_user_dma_rw {
	uint64_t addr;
	uint64_t count;
	uint8_t data[];
};
static_assert(sizeof(struct vfio_user_dma_rw) == 16, "dma rw size");

/* QEMU's client (<= 10.2 at least) keeps a 32-bit count: data at offset 12. */
#define VFIO_USER_DMA_RW_QEMU_HDR 12

#define VFIO_USER_WRITE_MULTI_MAX_DATA 8

struct vfio_user_write_multi_entry {
	uint64_t offset;
	uint32_t region;
	uint32_t count;
	uint8_t data[VFIO_USER_WRITE_MULTI_MAX_DATA];
};
static_assert(sizeof(struct vfio_user_write_multi_entry) == 24, "wr multi size");

#define VFIO_USER_DEVICE_FEATURE_MASK	0xffffu
#define VFIO_USER_DEVICE_FEATURE_GET	(1u << 16)
#define VFIO_USER_DEVICE_FEATURE_SET	(1u << 17)
#define VFIO_USER_DEVICE_FEATURE_PROBE	(1u << 18)

struct vfio_user_device_feature {
	uint32_t argsz;
	uint32_t flags;
	uint8_t data[];
};

#endif /* VFIO_USER_PROTOCOL_H */
