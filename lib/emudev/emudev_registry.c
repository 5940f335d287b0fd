/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/* The device registry and the provider side of the API. */

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_string_fns.h>
#include <rte_malloc.h>

#include "emudev_internal.h"

RTE_LOG_REGISTER(emudev_logtype, lib.emudev, INFO);

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rte_emudev *devices[RTE_EMUDEV_MAX_DEVS];
/* The device whose callback this thread runs, if any. */
static __thread const struct rte_emudev *in_callback;

bool
emudev_in_callback(const char *func)
{
	if (in_callback == NULL)
		return false;
	EMUDEV_LOG(ERR, "%s() called from a callback of %s: refused", func,
			in_callback->name);
	return true;
}

bool
emudev_delivering(const struct rte_emudev *dev)
{
	return in_callback == dev;
}

struct rte_emudev *
emudev_get(uint16_t dev_id)
{
	return dev_id < RTE_EMUDEV_MAX_DEVS ? devices[dev_id] : NULL;
}

void
emudev_foreach(void (*f)(struct rte_emudev *dev, void *arg), void *arg)
{
	unsigned int i;

	pthread_mutex_lock(&registry_lock);
	for (i = 0; i < RTE_DIM(devices); i++)
		if (devices[i] != NULL)
			f(devices[i], arg);
	pthread_mutex_unlock(&registry_lock);
}

void
rte_emudev_foreach_of(const struct rte_emudev_ops *ops,
		void (*f)(struct rte_emudev *dev, void *arg), void *arg)
{
	unsigned int i;

	pthread_mutex_lock(&registry_lock);
	for (i = 0; i < RTE_DIM(devices); i++)
		if (devices[i] != NULL && devices[i]->ops == ops)
			f(devices[i], arg);
	pthread_mutex_unlock(&registry_lock);
}

static struct rte_emudev *
find_locked(const char *name)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(devices); i++)
		if (devices[i] != NULL && strcmp(devices[i]->name, name) == 0)
			return devices[i];
	return NULL;
}

static int
free_slot_locked(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(devices); i++)
		if (devices[i] == NULL)
			return i;
	return -1;
}

static struct rte_emudev *
dev_new(const char *name, uint16_t nb_queues,
		const struct rte_emudev_ops *ops, void *priv)
{
	struct rte_emudev *dev;
	unsigned int q;

	dev = calloc(1, sizeof(*dev));
	if (dev == NULL)
		return NULL;
	/* Guards sit in their own cache lines, away from control state. */
	dev->guards = rte_zmalloc("emudev_qguards",
			sizeof(*dev->guards) * RTE_MAX(nb_queues, 1),
			RTE_CACHE_LINE_SIZE);
	if (dev->guards == NULL) {
		free(dev);
		return NULL;
	}
	for (q = 0; q < nb_queues; q++)
		rte_spinlock_init(&dev->guards[q].lock);
	dev->nb_guards = nb_queues;
	strlcpy(dev->name, name, sizeof(dev->name));
	dev->ops = ops;
	dev->priv = priv;
	pthread_mutex_init(&dev->delivery, NULL);
	pthread_mutex_init(&dev->lock, NULL);
	return dev;
}

struct rte_emudev *
rte_emudev_allocate(const char *name, uint16_t nb_queues,
		const struct rte_emudev_ops *ops, void *priv)
{
	struct rte_emudev *dev = NULL;
	int slot;

	if (name == NULL || ops == NULL || name[0] == '\0' ||
	    strlen(name) >= RTE_EMUDEV_NAME_MAX_LEN) {
		rte_errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&registry_lock);
	slot = free_slot_locked();
	if (find_locked(name) != NULL)
		rte_errno = EEXIST;
	else if (slot < 0)
		rte_errno = ENOSPC;
	else if ((dev = dev_new(name, nb_queues, ops, priv)) == NULL)
		rte_errno = ENOMEM;
	if (dev != NULL) {
		dev->id = slot;
		devices[slot] = dev;
	}
	pthread_mutex_unlock(&registry_lock);
	if (dev != NULL)
		EMUDEV_LOG(DEBUG, "%s: device %u", name, dev->id);
	return dev;
}

int
rte_emudev_release(struct rte_emudev *dev)
{
	if (dev == NULL)
		return -EINVAL;
	pthread_mutex_lock(&registry_lock);
	if (devices[dev->id] != dev) {
		pthread_mutex_unlock(&registry_lock);
		return -ENODEV;
	}
	devices[dev->id] = NULL;
	pthread_mutex_unlock(&registry_lock);
	pthread_mutex_destroy(&dev->lock);
	pthread_mutex_destroy(&dev->delivery);
	rte_free(dev->guards);
	free(dev);
	return 0;
}

struct rte_emudev *
rte_emudev_allocated(const char *name)
{
	struct rte_emudev *dev;

	if (name == NULL)
		return NULL;
	pthread_mutex_lock(&registry_lock);
	dev = find_locked(name);
	pthread_mutex_unlock(&registry_lock);
	return dev;
}

uint16_t
rte_emudev_id(const struct rte_emudev *dev)
{
	return dev->id;
}

void *
rte_emudev_priv(const struct rte_emudev *dev)
{
	return dev->priv;
}

/* Enter and leave a callback of dev on this thread. */
static const struct rte_emudev *
callback_enter(struct rte_emudev *dev)
{
	const struct rte_emudev *outer = in_callback;

	pthread_mutex_lock(&dev->delivery);
	in_callback = dev;
	return outer;
}

static void
callback_leave(struct rte_emudev *dev, const struct rte_emudev *outer)
{
	in_callback = outer;
	pthread_mutex_unlock(&dev->delivery);
}

void
rte_emudev_event_post(struct rte_emudev *dev, const struct rte_emudev_event *ev)
{
	struct emudev_subscriber subs[RTE_EMUDEV_MAX_SUBSCRIBERS];
	const struct rte_emudev *outer;
	uint32_t i, n;

	/* From a snapshot, so that a callback may unsubscribe itself. */
	outer = callback_enter(dev);
	pthread_mutex_lock(&dev->lock);
	n = dev->nb_subscribers;
	memcpy(subs, dev->subscribers, n * sizeof(subs[0]));
	dev->events_posted++;
	pthread_mutex_unlock(&dev->lock);
	for (i = 0; i < n; i++)
		subs[i].cb(dev->id, ev, subs[i].arg);
	callback_leave(dev, outer);
}

void
rte_emudev_queue_quiesce(struct rte_emudev *dev, uint16_t qid)
{
	if (qid >= dev->nb_guards)
		return;
	__atomic_store_n(&dev->guards[qid].stop, 1, __ATOMIC_RELEASE);
	/* A control thread: yield rather than spin, the burst may need the
	 * very CPU this thread runs on. */
	while (!rte_spinlock_trylock(&dev->guards[qid].lock))
		sched_yield();
}

void
rte_emudev_queue_resume(struct rte_emudev *dev, uint16_t qid)
{
	if (qid >= dev->nb_guards)
		return;
	rte_spinlock_unlock(&dev->guards[qid].lock);
	__atomic_store_n(&dev->guards[qid].stop, 0, __ATOMIC_RELEASE);
}

void
rte_emudev_quiesce_all(struct rte_emudev *dev)
{
	uint16_t q;

	for (q = 0; q < dev->nb_guards; q++)
		rte_emudev_queue_quiesce(dev, q);
}

void
rte_emudev_resume_all(struct rte_emudev *dev)
{
	uint16_t q;

	for (q = 0; q < dev->nb_guards; q++)
		rte_emudev_queue_resume(dev, q);
}

void
rte_emudev_sync_all(struct rte_emudev *dev)
{
	uint16_t q;

	/* A burst that enters after this sees what was published before. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (q = 0; q < dev->nb_guards; q++) {
		struct rte_emudev_qguard *g = &dev->guards[q];
		uint32_t seq = __atomic_load_n(&g->seq, __ATOMIC_ACQUIRE);

		if (__atomic_load_n(&g->stop, __ATOMIC_ACQUIRE) != 0)
			continue; /* ours: no burst inside */
		/* A burst inside may be an old one: wait until one leaves. */
		while (rte_spinlock_is_locked(&g->lock) &&
		       __atomic_load_n(&g->seq, __ATOMIC_ACQUIRE) == seq)
			sched_yield();
	}
}

int
rte_emudev_consumer_stats(struct rte_emudev *dev, void *stats, size_t len)
{
	const struct rte_emudev *outer;
	struct rte_emudev_conf conf;
	bool configured;
	int rc = 0;

	memset(stats, 0, len);
	/* A callback: the consumer cannot close while it runs. */
	outer = callback_enter(dev);
	pthread_mutex_lock(&dev->lock);
	configured = dev->configured;
	conf = dev->conf;
	pthread_mutex_unlock(&dev->lock);
	if (configured && conf.stats_get != NULL)
		rc = conf.stats_get(dev->id, stats, len, conf.arg);
	callback_leave(dev, outer);
	return rc;
}
