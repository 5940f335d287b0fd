/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * The consumer side of the API. The device lock guards consumer state and
 * is never held across a call out. Callbacks run while the provider holds
 * its own control lock, so control calls that reach the provider are
 * refused from a callback (emudev_in_callback()).
 */

#include <errno.h>
#include <string.h>

#include "emudev_internal.h"

static void
count_one(struct rte_emudev *dev __rte_unused, void *arg)
{
	(*(uint16_t *)arg)++;
}

uint16_t
rte_emudev_count(void)
{
	uint16_t n = 0;

	emudev_foreach(count_one, &n);
	return n;
}

bool
rte_emudev_is_valid_id(uint16_t dev_id)
{
	return emudev_get(dev_id) != NULL;
}

int
rte_emudev_get_dev_id(const char *name)
{
	struct rte_emudev *dev = rte_emudev_allocated(name);

	return dev != NULL ? dev->id : -ENODEV;
}

const char *
rte_emudev_get_name(uint16_t dev_id)
{
	struct rte_emudev *dev = emudev_get(dev_id);

	return dev != NULL ? dev->name : NULL;
}

int
rte_emudev_info_get(uint16_t dev_id, struct rte_emudev_info *info)
{
	struct rte_emudev *dev = emudev_get(dev_id);

	if (dev == NULL || info == NULL)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	if (dev->ops->info_get == NULL)
		return -ENOTSUP;
	return dev->ops->info_get(dev, info);
}

int
rte_emudev_configure(uint16_t dev_id, const struct rte_emudev_conf *conf)
{
	struct rte_emudev *dev = emudev_get(dev_id);
	int rc = 0;

	if (dev == NULL || conf == NULL)
		return -EINVAL;
	if (emudev_in_callback(__func__))
		return -EDEADLK;
	pthread_mutex_lock(&dev->lock);
	if (dev->started)
		rc = -EBUSY;
	else if (dev->configured && (dev->conf.stats_get != conf->stats_get ||
			dev->conf.arg != conf->arg))
		rc = -EBUSY; /* someone else's device */
	if (rc == 0) {
		dev->conf = *conf;
		dev->configured = true;
	}
	pthread_mutex_unlock(&dev->lock);
	return rc;
}

/* Move the consumer between stopped and started, then tell the provider. */
static int
set_started(struct rte_emudev *dev, bool start)
{
	int (*op)(struct rte_emudev *dev);
	int rc = 0;

	if (emudev_in_callback(start ? "rte_emudev_start" : "rte_emudev_stop"))
		return -EDEADLK;
	pthread_mutex_lock(&dev->lock);
	if (!dev->configured)
		rc = -EINVAL;
	else if (dev->started == start)
		rc = -EALREADY;
	else
		dev->started = start;
	pthread_mutex_unlock(&dev->lock);
	if (rc < 0)
		return rc == -EALREADY ? 0 : rc;
	op = start ? dev->ops->start : dev->ops->stop;
	rc = op != NULL ? op(dev) : 0;
	if (rc < 0 && start) {
		pthread_mutex_lock(&dev->lock);
		dev->started = false;
		pthread_mutex_unlock(&dev->lock);
	}
	return rc;
}

int
rte_emudev_start(uint16_t dev_id)
{
	struct rte_emudev *dev = emudev_get(dev_id);

	return dev != NULL ? set_started(dev, true) : -EINVAL;
}

int
rte_emudev_stop(uint16_t dev_id)
{
	struct rte_emudev *dev = emudev_get(dev_id);

	return dev != NULL ? set_started(dev, false) : -EINVAL;
}

int
rte_emudev_close(uint16_t dev_id)
{
	struct rte_emudev *dev = emudev_get(dev_id);
	int rc;

	if (dev == NULL)
		return -EINVAL;
	rc = set_started(dev, false);
	if (rc < 0 && rc != -EINVAL)
		return rc;
	/* Once no stats callback runs: it may use what the consumer frees. */
	pthread_mutex_lock(&dev->delivery);
	pthread_mutex_lock(&dev->lock);
	dev->configured = false;
	memset(&dev->conf, 0, sizeof(dev->conf));
	pthread_mutex_unlock(&dev->lock);
	pthread_mutex_unlock(&dev->delivery);
	return 0;
}

bool
rte_emudev_is_started(uint16_t dev_id)
{
	struct rte_emudev *dev = emudev_get(dev_id);
	bool started;

	if (dev == NULL)
		return false;
	pthread_mutex_lock(&dev->lock);
	started = dev->started;
	pthread_mutex_unlock(&dev->lock);
	return started;
}

static int
find_subscriber(const struct rte_emudev *dev, rte_emudev_event_cb_t cb,
		void *arg)
{
	uint32_t i;

	for (i = 0; i < dev->nb_subscribers; i++)
		if (dev->subscribers[i].cb == cb && dev->subscribers[i].arg == arg)
			return i;
	return -1;
}

int
rte_emudev_subscribe_event(uint16_t dev_id, rte_emudev_event_cb_t cb,
		void *arg)
{
	struct rte_emudev *dev = emudev_get(dev_id);
	int rc = 0;

	if (dev == NULL || cb == NULL)
		return -EINVAL;
	if (emudev_in_callback(__func__))
		return -EDEADLK;
	pthread_mutex_lock(&dev->lock);
	if (find_subscriber(dev, cb, arg) >= 0)
		rc = -EEXIST;
	else if (dev->nb_subscribers == RTE_EMUDEV_MAX_SUBSCRIBERS)
		rc = -ENOSPC;
	else
		dev->subscribers[dev->nb_subscribers++] =
			(struct emudev_subscriber){ .cb = cb, .arg = arg };
	pthread_mutex_unlock(&dev->lock);
	return rc;
}

int
rte_emudev_unsubscribe_event(uint16_t dev_id, rte_emudev_event_cb_t cb,
		void *arg)
{
	struct rte_emudev *dev = emudev_get(dev_id);
	bool own = dev != NULL && emudev_delivering(dev);
	int i;

	if (dev == NULL)
		return -EINVAL;
	if (!own && emudev_in_callback(__func__))
		return -EDEADLK;
	/* From another thread: once no callback runs (it may be this one). */
	if (!own)
		pthread_mutex_lock(&dev->delivery);
	pthread_mutex_lock(&dev->lock);
	i = find_subscriber(dev, cb, arg);
	if (i >= 0) {
		dev->nb_subscribers--;
		memmove(&dev->subscribers[i], &dev->subscribers[i + 1],
			(dev->nb_subscribers - i) * sizeof(dev->subscribers[0]));
	}
	pthread_mutex_unlock(&dev->lock);
	if (!own)
		pthread_mutex_unlock(&dev->delivery);
	return i >= 0 ? 0 : -ENOENT;
}

/* What a query of one of a device's objects checks its id against. */
enum query_kind {
	QUERY_QUEUE,
	QUERY_DOORBELL,
	QUERY_VECTOR,
};

/*
 * The device of a query, with its id in range and info zeroed; NULL with
 * *rc set otherwise. A query from a callback is refused unless it may be
 * made there (func NULL).
 */
static struct rte_emudev *
query_dev(uint16_t dev_id, enum query_kind kind, uint32_t id, void *info,
		size_t size, const char *func, int *rc)
{
	struct rte_emudev *dev = emudev_get(dev_id);
	struct rte_emudev_info di = { 0 };
	uint32_t limit;

	*rc = -EINVAL;
	if (dev == NULL || info == NULL || dev->ops->info_get == NULL ||
	    dev->ops->info_get(dev, &di) < 0)
		return NULL;
	limit = kind == QUERY_QUEUE ? di.max_queues :
		kind == QUERY_DOORBELL ? di.max_doorbells : di.max_vectors;
	if (id >= limit)
		return NULL;
	memset(info, 0, size);
	if (func != NULL && emudev_in_callback(func)) {
		*rc = -EDEADLK;
		return NULL;
	}
	*rc = 0;
	return dev;
}

int
rte_emudev_get_queue_info(uint16_t dev_id, uint16_t qid,
		struct rte_emudev_q_info *info)
{
	int rc;
	struct rte_emudev *dev = query_dev(dev_id, QUERY_QUEUE, qid, info,
			sizeof(*info), __func__, &rc);

	if (dev == NULL)
		return rc;
	if (dev->ops->queue_info_get == NULL)
		return -ENOTSUP;
	return dev->ops->queue_info_get(dev, qid, info);
}

struct rte_emudev_qguard *
rte_emudev_get_qguard(uint16_t dev_id, uint16_t qid)
{
	struct rte_emudev *dev = emudev_get(dev_id);

	return dev != NULL && qid < dev->nb_guards ? &dev->guards[qid] : NULL;
}

int
rte_emudev_get_db_info(uint16_t dev_id, uint16_t db_id,
		struct rte_emudev_db_info *info)
{
	int rc;
	struct rte_emudev *dev = query_dev(dev_id, QUERY_DOORBELL, db_id, info,
			sizeof(*info), __func__, &rc);

	if (dev == NULL)
		return rc;
	if (dev->ops->db_info_get == NULL)
		return -ENOTSUP;
	return dev->ops->db_info_get(dev, db_id, info);
}

/* Allowed from a callback: providers answer it without their lock. */
int
rte_emudev_get_irq_info(uint16_t dev_id, uint16_t vector,
		struct rte_emudev_irq_info *info)
{
	int rc;
	struct rte_emudev *dev = query_dev(dev_id, QUERY_VECTOR, vector, info,
			sizeof(*info), NULL, &rc);

	if (dev == NULL)
		return rc;
	if (dev->ops->irq_info_get == NULL)
		return -ENOTSUP;
	return dev->ops->irq_info_get(dev, vector, info);
}

int
rte_emudev_irq_raise(uint16_t dev_id, uint16_t vector)
{
	struct rte_emudev *dev = emudev_get(dev_id);

	if (dev == NULL || dev->ops->irq_raise == NULL)
		return -EINVAL;
	/* The provider checks the vector: no info query on the data path. */
	return dev->ops->irq_raise(dev, vector);
}

void
rte_emudev_irq_poll(uint16_t dev_id)
{
	struct rte_emudev *dev = emudev_get(dev_id);

	if (dev != NULL && dev->ops->irq_poll != NULL)
		dev->ops->irq_poll(dev);
}

int
rte_emudev_get_attr(uint16_t dev_id, const char *name, void *val,
		size_t len)
{
	struct rte_emudev *dev = emudev_get(dev_id);

	if (dev == NULL || name == NULL || val == NULL)
		return -EINVAL;
	if (emudev_in_callback(__func__))
		return -EDEADLK;
	if (dev->ops->attr_get == NULL)
		return -ENOTSUP;
	return dev->ops->attr_get(dev, name, val, len);
}

int
rte_emudev_set_attr(uint16_t dev_id, const char *name, const void *val,
		size_t len)
{
	struct rte_emudev *dev = emudev_get(dev_id);

	if (dev == NULL || name == NULL || val == NULL)
		return -EINVAL;
	if (emudev_in_callback(__func__))
		return -EDEADLK;
	if (dev->ops->attr_set == NULL)
		return -ENOTSUP;
	return dev->ops->attr_set(dev, name, val, len);
}

int
rte_emudev_region_map(uint16_t dev_id, const char *name, void **base,
		uint64_t *size)
{
	struct rte_emudev *dev = emudev_get(dev_id);

	if (dev == NULL || name == NULL || base == NULL || size == NULL)
		return -EINVAL;
	if (emudev_in_callback(__func__))
		return -EDEADLK;
	if (dev->ops->region_map == NULL)
		return -ENOTSUP;
	return dev->ops->region_map(dev, name, base, size);
}
