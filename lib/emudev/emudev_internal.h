/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef EMUDEV_INTERNAL_H
#define EMUDEV_INTERNAL_H

#include <pthread.h>

#include <rte_log.h>

#include "rte_emudev.h"
#include "rte_emudev_driver.h"

extern int emudev_logtype;

#define EMUDEV_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, emudev_logtype, \
		"EMUDEV: %s(): " fmt "\n", __func__, ##__VA_ARGS__)

struct emudev_subscriber {
	rte_emudev_event_cb_t cb;
	void *arg;
};

struct rte_emudev {
	char name[RTE_EMUDEV_NAME_MAX_LEN];
	uint16_t id;
	const struct rte_emudev_ops *ops;
	void *priv;
	uint16_t nb_guards;
	struct rte_emudev_qguard *guards;
	/*
	 * Held while a subscriber or the consumer's stats callback runs, so
	 * that unsubscribe and close return once none runs. Taken before
	 * lock, and never by a thread inside a callback.
	 */
	pthread_mutex_t delivery;
	/* Consumer state and subscribers; held for no call out. */
	pthread_mutex_t lock;
	bool configured;
	bool started;
	struct rte_emudev_conf conf;
	uint32_t nb_subscribers;
	struct emudev_subscriber subscribers[RTE_EMUDEV_MAX_SUBSCRIBERS];
	uint64_t events_posted;
};

/* The device of an id, or NULL. */
struct rte_emudev *emudev_get(uint16_t dev_id);

/*
 * True, and logged, on a thread inside a callback of this library: the
 * provider that runs it holds its control state, so control calls that
 * reach the provider are refused (-EDEADLK) rather than deadlock.
 */
bool emudev_in_callback(const char *func);

/* True on a thread inside a callback of dev. */
bool emudev_delivering(const struct rte_emudev *dev);

/* Calls f on every device under the registry lock. */
void emudev_foreach(void (*f)(struct rte_emudev *dev, void *arg), void *arg);

#endif /* EMUDEV_INTERNAL_H */
