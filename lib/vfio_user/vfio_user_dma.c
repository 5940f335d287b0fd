/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Guest memory table: the client's DMA maps, sorted by iova so that
 * translation is a binary search. File-backed maps are mmap'd (exactly
 * [offset, offset + size) of the file, MAP_SHARED); maps without an fd are
 * recorded and reached only through DMA_READ/DMA_WRITE messages.
 *
 * The data path reads the table without a lock, so a published table
 * never changes: a map or unmap builds the next table, the device is told
 * (mem_changing), the next table is published with one pointer store, and
 * the device waits until no reader uses the previous one (mem_changed)
 * before it is freed and what was removed is unmapped. Readers are never
 * stopped for a change, however many a vIOMMU guest makes; the device
 * stops only the queues whose rings lie in the range.
 *
 * Every map costs the process a VMA, of which the kernel allows
 * vm.max_map_count for all of it: a client may hold its device's
 * max_dma_maps, and all devices together at most a process budget (half
 * of vm.max_map_count unless set), so that one tenant can neither take
 * the maps of the others nor the mmaps of the rest of the process.
 * Every mmap'd range is guarded against SIGBUS (vfio_user_memguard.c).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <rte_common.h>

#include "vfio_user_internal.h"

/* The table of a device without maps: shared, never freed. */
static struct rte_vfio_user_mem_table empty_table;

/* Maps of every device, and the most the process allows (0: not set). */
static uint32_t maps_total;
static uint32_t maps_total_max;

static uint32_t
default_total_max(void)
{
	unsigned long n = 0;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");

	if (f != NULL) {
		if (fscanf(f, "%lu", &n) != 1)
			n = 0;
		fclose(f);
	}
	if (n == 0)
		n = 65530; /* the kernel's default */
	return (uint32_t)RTE_MIN(n / 2, (unsigned long)UINT32_MAX);
}

static uint32_t
total_max(void)
{
	uint32_t m = __atomic_load_n(&maps_total_max, __ATOMIC_RELAXED);

	if (m == 0) {
		m = default_total_max();
		__atomic_store_n(&maps_total_max, m, __ATOMIC_RELAXED);
	}
	return m;
}

int
rte_vfio_user_set_max_dma_maps_total(uint32_t n)
{
	if (n == 0)
		return -EINVAL;
	__atomic_store_n(&maps_total_max, n, __ATOMIC_RELAXED);
	return 0;
}

uint32_t
rte_vfio_user_get_max_dma_maps_total(void)
{
	return total_max();
}

/* Take one map of the device's and the process's budgets. */
static int
budget_take(struct vfio_user_dev *dev)
{
	if (dev->dma.cur->nregions >= dev->limits.max_dma_maps) {
		VFIO_USER_LOG_RL(ERR, "%s: the client holds its %u DMA maps "
				"(max_dma_maps)", dev->path,
				dev->limits.max_dma_maps);
		return -ENOSPC;
	}
	if (__atomic_add_fetch(&maps_total, 1, __ATOMIC_RELAXED) > total_max()) {
		__atomic_fetch_sub(&maps_total, 1, __ATOMIC_RELAXED);
		VFIO_USER_LOG_RL(ERR, "%s: the process holds its %u DMA maps "
				"(all devices)", dev->path, total_max());
		return -ENOSPC;
	}
	return 0;
}

static void
budget_give(uint32_t n)
{
	__atomic_fetch_sub(&maps_total, n, __ATOMIC_RELAXED);
}

void
vfio_user_dma_init(struct vfio_user_dma_table *t)
{
	memset(t, 0, sizeof(*t));
	t->cur = &empty_table;
}

static void
table_free(struct rte_vfio_user_mem_table *mt)
{
	if (mt != &empty_table)
		free(mt);
}

static struct rte_vfio_user_mem_table *
table_alloc(uint32_t n)
{
	struct rte_vfio_user_mem_table *mt;

	if (n == 0)
		return &empty_table;
	mt = malloc(sizeof(*mt) + n * sizeof(mt->regions[0]));
	if (mt != NULL)
		mt->nregions = n;
	return mt;
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

/*
 * The range must lie inside the file now; whether the client can shrink
 * it later (no F_SEAL_SHRINK) is counted: the guard covers that case.
 */
static int
check_backing(struct vfio_user_dev *dev, int fd, uint64_t offset,
		uint64_t size)
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
	if (seals < 0 || !(seals & F_SEAL_SHRINK))
		dev->stats.dma_maps_unsealed++;
	return 0;
}

static int
map_fd(struct vfio_user_dev *dev, int fd, uint64_t offset, uint64_t size,
		uint32_t prot, struct vfio_user_dma_map_priv *p, uint8_t **vaddr)
{
	uint64_t pgsz = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t base = RTE_ALIGN_FLOOR(offset, pgsz);
	int mprot = 0, rc;
	void *addr;

	rc = check_backing(dev, fd, offset, size);
	if (rc < 0)
		return rc;
	if (prot & RTE_VFIO_USER_PROT_READ)
		mprot |= PROT_READ;
	if (prot & RTE_VFIO_USER_PROT_WRITE)
		mprot |= PROT_WRITE;
	addr = mmap(NULL, size + (offset - base), mprot, MAP_SHARED, fd, base);
	if (addr == MAP_FAILED)
		return -errno;
	rc = vfio_user_memguard_add(addr, size + (offset - base), mprot,
			&dev->mem_faulted, dev->wakefd);
	if (rc < 0) {
		munmap(addr, size + (offset - base));
		return rc;
	}
	p->mmap_addr = addr;
	p->mmap_len = size + (offset - base);
	*vaddr = (uint8_t *)addr + (offset - base);
	return 0;
}

/* Where a map of [iova, iova + size) goes, or -EEXIST when it overlaps. */
static int
insert_slot(const struct rte_vfio_user_mem_table *mt, uint64_t iova,
		uint64_t size, uint32_t *slot)
{
	uint32_t i = upper_bound(mt, iova);

	if (i > 0 && iova - mt->regions[i - 1].iova < mt->regions[i - 1].size)
		return -EEXIST;
	if (i < mt->nregions && mt->regions[i].iova - iova < size)
		return -EEXIST;
	*slot = i;
	return 0;
}

/* Room in the private array for n maps. */
static int
priv_reserve(struct vfio_user_dma_table *t, uint32_t n)
{
	struct vfio_user_dma_map_priv *p;
	uint32_t cap = t->priv_cap ? t->priv_cap : 16;

	if (n <= t->priv_cap)
		return 0;
	while (cap < n)
		cap *= 2;
	p = realloc(t->priv, cap * sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	t->priv = p;
	t->priv_cap = cap;
	return 0;
}

static void
notify_changing(struct vfio_user_dev *dev,
		const struct rte_vfio_user_mem_change *chg)
{
	if (dev->ops != NULL && dev->ops->mem_changing != NULL)
		dev->ops->mem_changing(dev->id, chg);
}

/*
 * Publish next in place of the current table, between the device's two
 * notifications; the previous table is freed once the device returns
 * from mem_changed, when no reader uses it any more.
 */
static void
publish(struct vfio_user_dev *dev, struct rte_vfio_user_mem_table *next,
		const struct rte_vfio_user_mem_change *chg)
{
	struct rte_vfio_user_mem_table *prev = dev->dma.cur;

	notify_changing(dev, chg);
	__atomic_store_n(&dev->dma.cur, next, __ATOMIC_RELEASE);
	__atomic_store_n(&dev->dma.nmaps, next->nregions, __ATOMIC_RELAXED);
	if (dev->ops != NULL && dev->ops->mem_changed != NULL)
		dev->ops->mem_changed(dev->id, chg);
	table_free(prev);
}

int
vfio_user_dma_map(struct vfio_user_dev *dev, uint64_t iova, uint64_t size,
		uint32_t prot, int fd, uint64_t fd_offset)
{
	const struct rte_vfio_user_mem_change chg = {
		.iova = iova, .size = size, .unmap = false };
	struct vfio_user_dma_table *t = &dev->dma;
	const struct rte_vfio_user_mem_table *cur = t->cur;
	struct rte_vfio_user_mem_table *next;
	struct vfio_user_dma_map_priv p = { NULL, 0 };
	uint8_t *vaddr = NULL;
	uint32_t i;
	int rc;

	if (size == 0 || iova + size - 1 < iova)
		return -EINVAL;
	rc = insert_slot(cur, iova, size, &i);
	if (rc < 0)
		return rc;
	rc = budget_take(dev);
	if (rc < 0)
		return rc;
	if (priv_reserve(t, cur->nregions + 1) < 0 ||
	    (next = table_alloc(cur->nregions + 1)) == NULL) {
		budget_give(1);
		return -ENOMEM;
	}
	if (fd >= 0) {
		rc = map_fd(dev, fd, fd_offset, size, prot, &p, &vaddr);
		if (rc < 0) {
			table_free(next);
			budget_give(1);
			return rc;
		}
	}
	memcpy(next->regions, cur->regions, i * sizeof(cur->regions[0]));
	next->regions[i] = (struct rte_vfio_user_mem_region){
		.iova = iova, .size = size, .vaddr = vaddr, .prot = prot };
	memcpy(&next->regions[i + 1], &cur->regions[i],
	       (cur->nregions - i) * sizeof(cur->regions[0]));
	/* Only this thread reads the private array: it may change first. */
	memmove(&t->priv[i + 1], &t->priv[i],
		(cur->nregions - i) * sizeof(t->priv[0]));
	t->priv[i] = p;
	publish(dev, next, &chg);
	t->high_water = RTE_MAX(t->high_water, next->nregions);
	return 0;
}

/*
 * The maps [*first, *first + *n) that [iova, iova + size) contains. A map
 * the range covers only in part makes the whole request -EINVAL, as VFIO
 * type1 refuses to split a mapping.
 */
static int
find_range(const struct rte_vfio_user_mem_table *mt, uint64_t iova,
		uint64_t size, uint32_t *first, uint32_t *n)
{
	uint64_t last = iova + size - 1;
	uint32_t i, j;

	if (size == 0 || last < iova)
		return -EINVAL;
	i = upper_bound(mt, iova);
	/* A map that starts before the range and reaches into it. */
	if (i > 0 && iova - mt->regions[i - 1].iova < mt->regions[i - 1].size)
		i--;
	for (j = i; j < mt->nregions && mt->regions[j].iova <= last; j++) {
		const struct rte_vfio_user_mem_region *r = &mt->regions[j];

		if (r->iova < iova || r->size - 1 > last - r->iova)
			return -EINVAL;
	}
	*first = i;
	*n = j - i;
	return 0;
}

static void
release_maps(struct vfio_user_dma_map_priv *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (p[i].mmap_addr == NULL)
			continue;
		vfio_user_memguard_del(p[i].mmap_addr);
		munmap(p[i].mmap_addr, p[i].mmap_len);
	}
	budget_give(n);
}

/*
 * Remove maps [first, first + n): published without them, then unmapped
 * once no reader can still reach them.
 */
static int
remove_maps(struct vfio_user_dev *dev, uint32_t first, uint32_t n,
		const struct rte_vfio_user_mem_change *chg)
{
	struct vfio_user_dma_table *t = &dev->dma;
	const struct rte_vfio_user_mem_table *cur = t->cur;
	struct rte_vfio_user_mem_table *next = table_alloc(cur->nregions - n);
	struct vfio_user_dma_map_priv *gone = malloc(n * sizeof(*gone));
	uint32_t rest = cur->nregions - first - n;

	if (next == NULL || gone == NULL) {
		table_free(next);
		free(gone);
		return -ENOMEM;
	}
	memcpy(next->regions, cur->regions, first * sizeof(cur->regions[0]));
	memcpy(&next->regions[first], &cur->regions[first + n],
	       rest * sizeof(cur->regions[0]));
	memcpy(gone, &t->priv[first], n * sizeof(*gone));
	memmove(&t->priv[first], &t->priv[first + n], rest * sizeof(*gone));
	publish(dev, next, chg);
	release_maps(gone, n);
	free(gone);
	dev->stats.dma_maps_removed += n;
	return 0;
}

int
vfio_user_dma_unmap(struct vfio_user_dev *dev, uint64_t iova, uint64_t size)
{
	const struct rte_vfio_user_mem_change chg = {
		.iova = iova, .size = size, .unmap = true };
	uint32_t first, n;
	int rc;

	rc = find_range(dev->dma.cur, iova, size, &first, &n);
	if (rc < 0 || n == 0)
		return rc;
	return remove_maps(dev, first, n, &chg);
}

/* Needs no memory, so that a disconnect always releases everything. */
void
vfio_user_dma_unmap_all(struct vfio_user_dev *dev)
{
	const struct rte_vfio_user_mem_change all = {
		.iova = 0, .size = UINT64_MAX, .unmap = true };
	struct vfio_user_dma_table *t = &dev->dma;
	uint32_t n = t->cur->nregions;
	struct vfio_user_dma_map_priv *gone = t->priv;

	if (n == 0)
		return;
	t->priv = NULL;
	t->priv_cap = 0;
	publish(dev, &empty_table, &all);
	release_maps(gone, n);
	free(gone);
	dev->stats.dma_maps_removed += n;
}

void
vfio_user_dma_free(struct vfio_user_dma_table *t)
{
	uint32_t n = t->cur->nregions;

	/* No client, hence no reader: nothing to wait for. */
	release_maps(t->priv, n);
	free(t->priv);
	table_free(t->cur);
	vfio_user_dma_init(t);
}
