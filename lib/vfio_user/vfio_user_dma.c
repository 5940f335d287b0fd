/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Guest memory table: the client's DMA maps, kept sorted by iova so that
 * translation is a binary search. File-backed maps are mmap'd (exactly
 * [offset, offset + size) of the file, MAP_SHARED); maps without an fd are
 * recorded and reached only through DMA_READ/DMA_WRITE messages.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <rte_common.h>

#include "vfio_user_internal.h"

void
vfio_user_dma_init(struct vfio_user_dma_table *t)
{
	memset(t, 0, sizeof(*t));
}

/* Index of the first map whose iova is greater than iova. */
static uint32_t
upper_bound(const struct rte_vfio_user_mem_table *t, uint64_t iova)
{
	uint32_t lo = 0, hi = t->nregions;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (t->regions[mid].iova <= iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct rte_vfio_user_mem_region *
vfio_user_dma_lookup(const struct rte_vfio_user_mem_table *t, uint64_t iova)
{
	uint32_t i = upper_bound(t, iova);
	const struct rte_vfio_user_mem_region *r;

	if (i == 0)
		return NULL;
	r = &t->regions[i - 1];
	return iova - r->iova < r->size ? r : NULL;
}

void *
rte_vfio_user_mem_translate(const struct rte_vfio_user_mem_table *mem,
		uint64_t iova, uint64_t *len, uint32_t prot)
{
	const struct rte_vfio_user_mem_region *r;
	uint64_t off;

	if (mem == NULL || len == NULL)
		return NULL;
	r = vfio_user_dma_lookup(mem, iova);
	if (r == NULL || r->vaddr == NULL || (r->prot & prot) != prot) {
		*len = 0;
		return NULL;
	}
	off = iova - r->iova;
	*len = RTE_MIN(*len, r->size - off);
	return r->vaddr + off;
}

static int
grow(struct vfio_user_dma_table *t)
{
	uint32_t cap = t->capacity ? t->capacity * 2 : 16;
	struct rte_vfio_user_mem_region *r;
	struct vfio_user_dma_map_priv *p;

	cap = RTE_MIN(cap, (uint32_t)RTE_VFIO_USER_MAX_DMA_MAPS);
	r = realloc(t->pub.regions, cap * sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	t->pub.regions = r;
	p = realloc(t->priv, cap * sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	t->priv = p;
	t->capacity = cap;
	return 0;
}

/*
 * A file the client shrinks under a mapping turns accesses into SIGBUS,
 * so the range must lie inside the file now; QEMU's memfd backend also
 * seals the size, which we report when missing.
 */
static int
check_backing(int fd, uint64_t offset, uint64_t size)
{
	struct stat st;
	int seals;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode)) {
		VFIO_USER_LOG_RL(ERR, "DMA fd is not a regular file or memfd");
		return -EINVAL;
	}
	if (offset > (uint64_t)st.st_size || size > (uint64_t)st.st_size - offset) {
		VFIO_USER_LOG_RL(ERR, "DMA map [%#" PRIx64 ", +%#" PRIx64
				") beyond file size %#" PRIx64, offset, size,
				(uint64_t)st.st_size);
		return -EINVAL;
	}
	seals = fcntl(fd, F_GET_SEALS);
	if (seals >= 0 && !(seals & F_SEAL_SHRINK))
		VFIO_USER_LOG_RL(DEBUG, "DMA memfd is not sealed against shrinking");
	return 0;
}

static int
map_fd(int fd, uint64_t offset, uint64_t size, uint32_t prot,
		struct vfio_user_dma_map_priv *p, uint8_t **vaddr)
{
	uint64_t pgsz = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t base = RTE_ALIGN_FLOOR(offset, pgsz);
	int mprot = 0, rc;
	void *addr;

	rc = check_backing(fd, offset, size);
	if (rc < 0)
		return rc;
	if (prot & RTE_VFIO_USER_PROT_READ)
		mprot |= PROT_READ;
	if (prot & RTE_VFIO_USER_PROT_WRITE)
		mprot |= PROT_WRITE;
	addr = mmap(NULL, size + (offset - base), mprot, MAP_SHARED, fd, base);
	if (addr == MAP_FAILED)
		return -errno;
	p->mmap_addr = addr;
	p->mmap_len = size + (offset - base);
	*vaddr = (uint8_t *)addr + (offset - base);
	return 0;
}

int
vfio_user_dma_add(struct vfio_user_dma_table *t, uint64_t iova, uint64_t size,
		uint32_t prot, int fd, uint64_t fd_offset)
{
	struct rte_vfio_user_mem_table *pub = &t->pub;
	struct vfio_user_dma_map_priv p = { NULL, 0 };
	uint8_t *vaddr = NULL;
	uint32_t i;
	int rc;

	if (size == 0 || iova + size - 1 < iova)
		return -EINVAL;
	/* Overlap with the neighbours on either side of the slot. */
	i = upper_bound(pub, iova);
	if (i > 0 && iova - pub->regions[i - 1].iova < pub->regions[i - 1].size)
		return -EEXIST;
	if (i < pub->nregions && pub->regions[i].iova - iova < size)
		return -EEXIST;
	if (pub->nregions >= RTE_VFIO_USER_MAX_DMA_MAPS)
		return -ENOSPC;
	if (pub->nregions == t->capacity) {
		rc = grow(t);
		if (rc < 0)
			return rc;
	}
	if (fd >= 0) {
		rc = map_fd(fd, fd_offset, size, prot, &p, &vaddr);
		if (rc < 0)
			return rc;
	}
	memmove(&pub->regions[i + 1], &pub->regions[i],
		(pub->nregions - i) * sizeof(pub->regions[0]));
	memmove(&t->priv[i + 1], &t->priv[i],
		(pub->nregions - i) * sizeof(t->priv[0]));
	pub->regions[i] = (struct rte_vfio_user_mem_region){
		.iova = iova, .size = size, .vaddr = vaddr, .prot = prot,
	};
	t->priv[i] = p;
	pub->nregions++;
	return 0;
}

static void
unmap_slot(struct vfio_user_dma_table *t, uint32_t i)
{
	if (t->priv[i].mmap_addr != NULL)
		munmap(t->priv[i].mmap_addr, t->priv[i].mmap_len);
}

int
vfio_user_dma_remove(struct vfio_user_dma_table *t, uint64_t iova,
		uint64_t size)
{
	struct rte_vfio_user_mem_table *pub = &t->pub;
	uint32_t i = upper_bound(pub, iova);

	if (i == 0 || pub->regions[i - 1].iova != iova ||
	    pub->regions[i - 1].size != size)
		return -ENOENT;
	i--;
	unmap_slot(t, i);
	memmove(&pub->regions[i], &pub->regions[i + 1],
		(pub->nregions - i - 1) * sizeof(pub->regions[0]));
	memmove(&t->priv[i], &t->priv[i + 1],
		(pub->nregions - i - 1) * sizeof(t->priv[0]));
	pub->nregions--;
	return 0;
}

void
vfio_user_dma_remove_all(struct vfio_user_dma_table *t)
{
	uint32_t i;

	for (i = 0; i < t->pub.nregions; i++)
		unmap_slot(t, i);
	t->pub.nregions = 0;
}

void
vfio_user_dma_free(struct vfio_user_dma_table *t)
{
	vfio_user_dma_remove_all(t);
	free(t->pub.regions);
	free(t->priv);
	vfio_user_dma_init(t);
}
