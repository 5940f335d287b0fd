/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef EMUNIC_COMPAT_H
#define EMUNIC_COMPAT_H

/*
 * What differs between the DPDK LTS releases the tree builds against
 * (22.11, 24.11, 25.11), in one place, keyed on RTE_VERSION. Internal:
 * never installed, never included by a public header.
 */

#include <rte_bitops.h>  /* rte_is_power_of_2() since 23.11 */
#include <rte_common.h>
#include <rte_version.h>

/* Packed structures: 25.03 brackets them with begin and end markers. */
#if RTE_VERSION < RTE_VERSION_NUM(25, 3, 0, 0)
#define __rte_packed_begin
#define __rte_packed_end __rte_packed
#endif

/* Telemetry: unsigned integers are "uint" since 23.03 (u64 before). */
#if RTE_VERSION < RTE_VERSION_NUM(23, 3, 0, 0)
#define rte_tel_data_add_dict_uint rte_tel_data_add_dict_u64
#endif

/*
 * ethdev's stats_get: since 25.11 the per-queue counters come in a
 * struct of their own, with the same member names, and NULL when the
 * caller wants none. A driver fills both with fill(dev, stats, qstats)
 * and declares its op with EMUNIC_ETH_STATS_GET(op, fill).
 */
#if RTE_VERSION >= RTE_VERSION_NUM(25, 11, 0, 0)
typedef struct eth_queue_stats emunic_eth_qstats;
#define EMUNIC_ETH_STATS_GET(op, fill) \
static int \
op(struct rte_eth_dev *dev, struct rte_eth_stats *st, \
		struct eth_queue_stats *qs) \
{ \
	return fill(dev, st, qs); \
}
#else
typedef struct rte_eth_stats emunic_eth_qstats;
#define EMUNIC_ETH_STATS_GET(op, fill) \
static int \
op(struct rte_eth_dev *dev, struct rte_eth_stats *st) \
{ \
	return fill(dev, st, st); \
}
#endif

/*
 * Control threads: rte_thread_create_internal_control() since 23.11,
 * rte_ctrl_thread_create() before (removed in 24.11).
 */
#if RTE_VERSION >= RTE_VERSION_NUM(23, 11, 0, 0)
#include <stdlib.h>
#include <rte_thread.h>

struct emunic_thread_start {
	void *(*fn)(void *);
	void *arg;
};

static inline uint32_t
emunic_thread_trampoline(void *arg)
{
	struct emunic_thread_start t = *(struct emunic_thread_start *)arg;

	free(arg);
	t.fn(t.arg);
	return 0;
}

/* A DPDK control thread running fn(arg); 0 or a negative errno. */
static inline int
emunic_ctrl_thread_create(pthread_t *tid, const char *name,
		void *(*fn)(void *), void *arg)
{
	struct emunic_thread_start *t = malloc(sizeof(*t));
	rte_thread_t th;
	int rc;

	if (t == NULL)
		return -ENOMEM;
	t->fn = fn;
	t->arg = arg;
	rc = rte_thread_create_internal_control(&th, name,
			emunic_thread_trampoline, t);
	if (rc != 0) {
		free(t);
		return -rc;
	}
	*tid = (pthread_t)th.opaque_id;
	return 0;
}
#else
#include <rte_lcore.h>

static inline int
emunic_ctrl_thread_create(pthread_t *tid, const char *name,
		void *(*fn)(void *), void *arg)
{
	return -rte_ctrl_thread_create(tid, name, NULL, fn, arg);
}
#endif

#endif /* EMUNIC_COMPAT_H */
