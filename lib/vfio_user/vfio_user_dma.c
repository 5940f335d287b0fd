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

/* Where a map of [iova, iova + size) goes, or -EEXIST when it overlaps. */
static int
insert_slot(const struct rte_vfio_user_mem_table *pub, uint64_t iova,
		uint64_t size, uint32_t *slot)
{
	uint32_t i = upper_bound(pub, iova);

	if (i > 0 && iova - pub->regions[i - 1].iova < pub->regions[i - 1].size)
		return -EEXIST;
	if (i < pub->nregions && pub->regions[i].iova - iova < size)
		return -EEXIST;
	*slot = i;
	return 0;
}

int
vfio_user_dma_prepare(const struct vfio_user_dma_table *t, uint64_t iova,
		uint64_t size, uint32_t prot, int fd, uint64_t fd_offset,
		struct vfio_user_dma_entry *e)
{
	uint32_t slot;
	int rc;

	memset(e, 0, sizeof(*e));
	if (size == 0 || iova + size - 1 < iova)
		return -EINVAL;
	rc = insert_slot(&t->pub, iova, size, &slot);
	if (rc < 0)
		return rc;
	if (t->pub.nregions >= RTE_VFIO_USER_MAX_DMA_MAPS)
		return -ENOSPC;
	if (fd >= 0) {
		rc = map_fd(fd, fd_offset, size, prot, &e->priv, &e->pub.vaddr);
		if (rc < 0)
			return rc;
	}
	e->pub.iova = iova;
	e->pub.size = size;
	e->pub.prot = prot;
	return 0;
}

void
vfio_user_dma_discard(struct vfio_user_dma_entry *e)
{
	if (e->priv.mmap_addr != NULL)
		munmap(e->priv.mmap_addr, e->priv.mmap_len);
	memset(e, 0, sizeof(*e));
}

int
vfio_user_dma_insert(struct vfio_user_dma_table *t,
		const struct vfio_user_dma_entry *e)
{
	struct rte_vfio_user_mem_table *pub = &t->pub;
	uint32_t i;
	int rc;

	/* The slot again: the table is as prepare saw it (only this thread
	 * changes it), but the index is needed. */
	rc = insert_slot(pub, e->pub.iova, e->pub.size, &i);
	if (rc < 0)
		return rc;
	if (pub->nregions == t->capacity) {
		rc = grow(t);
		if (rc < 0)
			return rc;
	}
	memmove(&pub->regions[i + 1], &pub->regions[i],
		(pub->nregions - i) * sizeof(pub->regions[0]));
	memmove(&t->priv[i + 1], &t->priv[i],
		(pub->nregions - i) * sizeof(t->priv[0]));
	pub->regions[i] = e->pub;
	t->priv[i] = e->priv;
	pub->nregions++;
	t->high_water = RTE_MAX(t->high_water, pub->nregions);
	return 0;
}

int
vfio_user_dma_add(struct vfio_user_dma_table *t, uint64_t iova, uint64_t size,
		uint32_t prot, int fd, uint64_t fd_offset)
{
	struct vfio_user_dma_entry e;
	int rc;

	rc = vfio_user_dma_prepare(t, iova, size, prot, fd, fd_offset, &e);
	if (rc < 0)
		return rc;
	rc = vfio_user_dma_insert(t, &e);
	if (rc < 0)
		vfio_user_dma_discard(&e);
	return rc;
}

/*
 * The maps [*first, *first + *n) that [iova, iova + size) contains. A map
 * the range covers only in part makes the whole request -EINVAL, as VFIO
 * type1 refuses to split a mapping.
 */
int
vfio_user_dma_find_range(const struct vfio_user_dma_table *t, uint64_t iova,
		uint64_t size, uint32_t *first, uint32_t *n)
{
	const struct rte_vfio_user_mem_table *pub = &t->pub;
	uint64_t last = iova + size - 1;
	uint32_t i, j;

	if (size == 0 || last < iova)
		return -EINVAL;
	i = upper_bound(pub, iova);
	/* A map that starts before the range and reaches into it. */
	if (i > 0 && iova - pub->regions[i - 1].iova < pub->regions[i - 1].size)
		i--;
	for (j = i; j < pub->nregions && pub->regions[j].iova <= last; j++) {
		const struct rte_vfio_user_mem_region *r = &pub->regions[j];

		if (r->iova < iova || r->size - 1 > last - r->iova)
			return -EINVAL;
	}
	*first = i;
	*n = j - i;
	return 0;
}

void
vfio_user_dma_remove(struct vfio_user_dma_table *t, uint32_t first, uint32_t n)
{
	struct rte_vfio_user_mem_table *pub = &t->pub;
	uint32_t i;

	if (n == 0)
		return; /* the table may not even be allocated */
	for (i = first; i < first + n; i++)
		if (t->priv[i].mmap_addr != NULL)
			munmap(t->priv[i].mmap_addr, t->priv[i].mmap_len);
	memmove(&pub->regions[first], &pub->regions[first + n],
		(pub->nregions - first - n) * sizeof(pub->regions[0]));
	memmove(&t->priv[first], &t->priv[first + n],
		(pub->nregions - first - n) * sizeof(t->priv[0]));
	pub->nregions -= n;
}

void
vfio_user_dma_remove_all(struct vfio_user_dma_table *t)
{
	vfio_user_dma_remove(t, 0, t->pub.nregions);
}

void
vfio_user_dma_free(struct vfio_user_dma_table *t)
{
	vfio_user_dma_remove_all(t);
	free(t->pub.regions);
	free(t->priv);
	vfio_user_dma_init(t);
}
