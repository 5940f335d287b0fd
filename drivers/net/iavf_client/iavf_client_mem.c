/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * This process's memory, as the server sees it: DPDK's memory segments
 * given with DMA_MAP and the fd EAL keeps for them (the memfd of
 * --no-huge, hugetlbfs files otherwise), nothing copied. Segments that
 * follow one another in address, IOVA and file become one map. EAL's
 * memory events keep the maps in step: added memory is mapped before
 * anything can be allocated from it, freed memory is unmapped (a map only
 * partly freed is mapped again without the freed part).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal_memconfig.h>
#include <rte_memory.h>
#include <rte_vfio_user.h>

#include "iavf_client.h"

#define RW (RTE_VFIO_USER_PROT_READ | RTE_VFIO_USER_PROT_WRITE)

/* A run of segments being gathered into one map. */
struct run {
	struct iavfc_adapter *ad;
	struct iavfc_map m;
	bool open;
	int rc;
};

static int
map_add(struct iavfc_adapter *ad, const struct iavfc_map *m)
{
	int rc;

	if (ad->nb_maps == ad->max_maps) {
		uint32_t cap = ad->max_maps ? ad->max_maps * 2 : 64;
		struct iavfc_map *t = realloc(ad->maps, cap * sizeof(*t));

		if (t == NULL)
			return -ENOMEM;
		ad->maps = t;
		ad->max_maps = cap;
	}
	rc = rte_vfio_user_client_dma_map(ad->c, m->iova, m->len, m->fd,
			m->fd_off, RW);
	if (rc < 0) {
		IAVFC_LOG(ERR, "%s: DMA_MAP [0x%" PRIx64 ", +0x%" PRIx64
			  ") refused: %s", ad->name, m->iova, m->len,
			  strerror(-rc));
		return rc;
	}
	ad->maps[ad->nb_maps++] = *m;
	return 0;
}

static void
run_flush(struct run *r)
{
	if (r->open && r->rc == 0)
		r->rc = map_add(r->ad, &r->m);
	r->open = false;
}

/* Extend the run with a segment, or map the run and start another. */
static void
run_add(struct run *r, const struct rte_memseg *ms)
{
	uint64_t va = (uintptr_t)ms->addr;
	size_t off;
	int fd;

	if (r->rc < 0)
		return;
	fd = rte_memseg_get_fd_thread_unsafe(ms);
	if (fd < 0 || rte_memseg_get_fd_offset_thread_unsafe(ms, &off) < 0 ||
	    ms->iova == RTE_BAD_IOVA) {
		IAVFC_LOG(ERR, "%s: memory at %p has no fd or no IOVA to share "
			  "with the server (EAL's memory must be hugepages or "
			  "--no-huge with memfd)", r->ad->name, ms->addr);
		r->rc = -ENOTSUP;
		return;
	}
	if (r->open && fd == r->m.fd && va == r->m.va + r->m.len &&
	    ms->iova == r->m.iova + r->m.len && off == r->m.fd_off + r->m.len) {
		r->m.len += ms->len;
		return;
	}
	run_flush(r);
	r->m = (struct iavfc_map){ .iova = ms->iova, .va = va, .len = ms->len,
		.fd = fd, .fd_off = off };
	r->open = true;
}

static int
walk_seg(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	/* Memory an application registered has no EAL fd; not shared. */
	if (!msl->external)
		run_add(arg, ms);
	return 0;
}

/* Map the segments of [va, va + len) that EAL has, in runs. */
static int
map_range(struct iavfc_adapter *ad, uint64_t va, uint64_t len)
{
	struct run r = { .ad = ad };
	const struct rte_memseg_list *msl = rte_mem_virt2memseg_list(
			(void *)(uintptr_t)va);
	uint64_t a;

	if (msl == NULL || msl->external)
		return 0;
	for (a = va; a < va + len; a += msl->page_sz) {
		const struct rte_memseg *ms =
			rte_mem_virt2memseg((void *)(uintptr_t)a, msl);

		if (ms != NULL && ms->addr != NULL)
			run_add(&r, ms);
	}
	run_flush(&r);
	return r.rc;
}

static void
map_remove(struct iavfc_adapter *ad, uint32_t i)
{
	const struct iavfc_map *m = &ad->maps[i];
	int rc = rte_vfio_user_client_dma_unmap(ad->c, m->iova, m->len, false);

	if (rc < 0)
		IAVFC_LOG(WARNING, "%s: DMA_UNMAP [0x%" PRIx64 ", +0x%" PRIx64
			  "): %s", ad->name, m->iova, m->len, strerror(-rc));
	ad->maps[i] = ad->maps[--ad->nb_maps];
}

/* Unmap what overlaps [va, va + len); map again what is left of each. */
static void
unmap_range(struct iavfc_adapter *ad, uint64_t va, uint64_t len)
{
	uint32_t i = 0;

	while (i < ad->nb_maps) {
		struct iavfc_map m = ad->maps[i];
		uint64_t end = va + len, mend = m.va + m.len;

		if (m.va >= end || mend <= va) {
			i++;
			continue;
		}
		map_remove(ad, i);
		if (m.va < va)
			map_range(ad, m.va, va - m.va);
		if (mend > end)
			map_range(ad, end, mend - end);
		/* the slot now holds another map: look at it too */
	}
}

static void
mem_event(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	struct iavfc_adapter *ad = arg;
	uint64_t va = (uintptr_t)addr;

	pthread_mutex_lock(&ad->lock);
	if (ad->c != NULL) {
		if (type == RTE_MEM_EVENT_ALLOC)
			map_range(ad, va, len);
		else
			unmap_range(ad, va, len);
	}
	pthread_mutex_unlock(&ad->lock);
}

/* Map all of EAL's memory; called with the adapter's lock held. */
static int
map_all(struct iavfc_adapter *ad)
{
	struct run r = { .ad = ad };

	rte_memseg_walk_thread_unsafe(walk_seg, &r);
	run_flush(&r);
	return r.rc;
}

int
iavfc_mem_attach(struct iavfc_adapter *ad)
{
	int rc;

	/*
	 * The event callback is registered before the walk, under EAL's
	 * memory lock, so that no segment comes or goes between the two.
	 */
	rte_mcfg_mem_read_lock();
	if (!ad->mem_cb) {
		rc = rte_mem_event_callback_register(ad->name, mem_event, ad);
		if (rc < 0 && rte_errno != ENOTSUP) {
			rte_mcfg_mem_read_unlock();
			return -rte_errno;
		}
		ad->mem_cb = rc == 0;
	}
	pthread_mutex_lock(&ad->lock);
	rc = map_all(ad);
	pthread_mutex_unlock(&ad->lock);
	rte_mcfg_mem_read_unlock();
	if (rc == 0)
		IAVFC_LOG(INFO, "%s: %u DMA maps", ad->name, ad->nb_maps);
	return rc;
}

void
iavfc_mem_detach(struct iavfc_adapter *ad)
{
	if (ad->mem_cb)
		rte_mem_event_callback_unregister(ad->name, ad);
	ad->mem_cb = false;
	free(ad->maps);
	ad->maps = NULL;
	ad->nb_maps = ad->max_maps = 0;
}
