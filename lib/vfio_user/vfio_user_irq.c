/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Interrupts: the eventfds the client binds to each vector with
 * DEVICE_SET_IRQS, with the semantics of kernel VFIO_DEVICE_SET_IRQS as
 * QEMU uses them, and raising a vector from any thread.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "vfio_user_internal.h"

void
vfio_user_irqs_init(struct vfio_user_irqs *irqs)
{
	memset(irqs, 0, sizeof(*irqs));
	rte_rwlock_init(&irqs->lock);
}

int
vfio_user_irqs_set_info(struct vfio_user_irqs *irqs, uint32_t index,
		uint32_t count, uint32_t flags)
{
	struct vfio_user_irq_index *ix;
	int *fds = NULL;
	uint8_t *masked = NULL;
	uint32_t i;

	if (index >= RTE_VFIO_USER_MAX_IRQ_INDEXES ||
	    count > RTE_VFIO_USER_MAX_IRQ_VECTORS)
		return -EINVAL;
	if (count > 0) {
		fds = malloc(count * sizeof(*fds));
		masked = calloc(count, 1);
		if (fds == NULL || masked == NULL) {
			free(fds);
			free(masked);
			return -ENOMEM;
		}
		for (i = 0; i < count; i++)
			fds[i] = -1;
	}
	ix = &irqs->idx[index];
	vfio_user_close_fds(ix->fds, ix->count);
	free(ix->fds);
	free(ix->masked);
	ix->fds = fds;
	ix->masked = masked;
	ix->count = count;
	ix->flags = flags;
	return 0;
}

/* Check a SET_IRQS request against the index and the fds it carries. */
static int
validate_set(const struct vfio_user_irqs *irqs,
		const struct vfio_user_irq_set *set, size_t len, int nfds)
{
	uint32_t data = set->flags & VFIO_USER_IRQ_SET_DATA_MASK;
	uint32_t action = set->flags & VFIO_USER_IRQ_SET_ACTION_MASK_ALL;
	const struct vfio_user_irq_index *ix;

	if (set->flags & ~(VFIO_USER_IRQ_SET_DATA_MASK |
			   VFIO_USER_IRQ_SET_ACTION_MASK_ALL))
		return -EINVAL;
	if (!rte_is_power_of_2(data) || !rte_is_power_of_2(action))
		return -EINVAL;
	if (set->argsz < sizeof(*set) || set->argsz != len)
		return -EINVAL;
	if (set->index >= RTE_VFIO_USER_MAX_IRQ_INDEXES ||
	    set->index >= irqs->nindexes)
		return -EINVAL;
	ix = &irqs->idx[set->index];
	if (set->start > ix->count || set->count > ix->count - set->start)
		return -EINVAL;
	switch (data) {
	case VFIO_USER_IRQ_SET_DATA_NONE:
		if (len != sizeof(*set) || nfds != 0)
			return -EINVAL;
		break;
	case VFIO_USER_IRQ_SET_DATA_BOOL:
		if (len != sizeof(*set) + set->count || nfds != 0)
			return -EINVAL;
		break;
	case VFIO_USER_IRQ_SET_DATA_EVENTFD:
		if (len != sizeof(*set) ||
		    (nfds != 0 && (uint32_t)nfds != set->count))
			return -EINVAL;
		break;
	}
	return 0;
}

static void
signal_fd(int fd)
{
	uint64_t one = 1;

	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0)
		VFIO_USER_LOG_RL(DEBUG, "eventfd write failed: %s",
				strerror(errno));
}

/* EVENTFD|TRIGGER: bind (replacing and closing old fds) or de-assign. */
static void
bind_eventfds(struct vfio_user_irq_index *ix, const struct vfio_user_irq_set *set,
		struct vfio_user_msg *msg)
{
	uint32_t i;

	for (i = 0; i < set->count; i++) {
		int *slot = &ix->fds[set->start + i];
		int fd = msg->nfds ? vfio_user_msg_take_fd(msg, i) : -1;

		if (*slot >= 0)
			close(*slot);
		*slot = fd;
	}
}

static void
set_masks(struct vfio_user_irq_index *ix, const struct vfio_user_irq_set *set,
		bool mask)
{
	uint32_t i;

	for (i = 0; i < set->count; i++) {
		if (!(set->flags & VFIO_USER_IRQ_SET_DATA_BOOL) || set->data[i])
			ix->masked[set->start + i] = mask;
	}
}

static void
trigger_range(struct vfio_user_irq_index *ix, const struct vfio_user_irq_set *set)
{
	uint32_t i;

	for (i = 0; i < set->count; i++) {
		if (!(set->flags & VFIO_USER_IRQ_SET_DATA_BOOL) || set->data[i])
			signal_fd(ix->fds[set->start + i]);
	}
}

int
vfio_user_irqs_set(struct vfio_user_irqs *irqs,
		const struct vfio_user_irq_set *set, size_t len,
		struct vfio_user_msg *msg)
{
	uint32_t action = set->flags & VFIO_USER_IRQ_SET_ACTION_MASK_ALL;
	struct vfio_user_irq_index *ix;
	int rc;

	rc = validate_set(irqs, set, len, msg->nfds);
	if (rc < 0)
		return rc;
	ix = &irqs->idx[set->index];

	rte_rwlock_write_lock(&irqs->lock);
	if (action == VFIO_USER_IRQ_SET_ACTION_TRIGGER) {
		if (set->flags & VFIO_USER_IRQ_SET_DATA_EVENTFD) {
			bind_eventfds(ix, set, msg);
		} else if (set->count == 0 &&
			   (set->flags & VFIO_USER_IRQ_SET_DATA_NONE)) {
			/* count 0, DATA_NONE: disable the whole index. */
			vfio_user_close_fds(ix->fds, ix->count);
			if (ix->count > 0)
				memset(ix->masked, 0, ix->count);
		} else {
			trigger_range(ix, set);
		}
	} else if (set->flags & VFIO_USER_IRQ_SET_DATA_EVENTFD) {
		/*
		 * Mask/unmask notification fds serve level-triggered INTx
		 * resampling, which an edge-only device never needs: accept
		 * and release them.
		 */
		vfio_user_close_fds(msg->fds, msg->nfds);
	} else {
		set_masks(ix, set, action == VFIO_USER_IRQ_SET_ACTION_MASK);
	}
	rte_rwlock_write_unlock(&irqs->lock);
	return 0;
}

void
vfio_user_irqs_release(struct vfio_user_irqs *irqs)
{
	uint32_t i;

	rte_rwlock_write_lock(&irqs->lock);
	for (i = 0; i < RTE_VFIO_USER_MAX_IRQ_INDEXES; i++) {
		struct vfio_user_irq_index *ix = &irqs->idx[i];

		vfio_user_close_fds(ix->fds, ix->count);
		if (ix->masked != NULL)
			memset(ix->masked, 0, ix->count);
	}
	rte_rwlock_write_unlock(&irqs->lock);
}

void
vfio_user_irqs_free(struct vfio_user_irqs *irqs)
{
	uint32_t i;

	vfio_user_irqs_release(irqs);
	for (i = 0; i < RTE_VFIO_USER_MAX_IRQ_INDEXES; i++) {
		free(irqs->idx[i].fds);
		free(irqs->idx[i].masked);
	}
	vfio_user_irqs_init(irqs);
}

int
vfio_user_irqs_trigger(struct vfio_user_irqs *irqs, uint32_t index,
		uint32_t vector)
{
	struct vfio_user_irq_index *ix;
	uint64_t one = 1;
	int rc = 0;

	if (index >= RTE_VFIO_USER_MAX_IRQ_INDEXES)
		return -EINVAL;
	rte_rwlock_read_lock(&irqs->lock);
	ix = &irqs->idx[index];
	if (vector >= ix->count)
		rc = -EINVAL;
	else if (ix->fds[vector] < 0)
		rc = -ENOENT;
	else if (ix->masked[vector])
		rc = -EAGAIN;
	else if (write(ix->fds[vector], &one, sizeof(one)) < 0)
		rc = -errno;
	rte_rwlock_read_unlock(&irqs->lock);
	return rc;
}

bool
vfio_user_irqs_is_bound(struct vfio_user_irqs *irqs, uint32_t index,
		uint32_t vector)
{
	bool bound;

	if (index >= RTE_VFIO_USER_MAX_IRQ_INDEXES)
		return false;
	rte_rwlock_read_lock(&irqs->lock);
	bound = vector < irqs->idx[index].count &&
		irqs->idx[index].fds[vector] >= 0;
	rte_rwlock_read_unlock(&irqs->lock);
	return bound;
}
