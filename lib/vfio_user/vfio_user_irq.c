/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Interrupts: the eventfds the client binds to each vector with
 * DEVICE_SET_IRQS, with the semantics of kernel VFIO_DEVICE_SET_IRQS as
 * QEMU uses them, and raising a vector from any thread.
 *
 * The client owns the other end of every fd it binds, and shares the open
 * file with us: it can saturate an eventfd's counter or clear O_NONBLOCK
 * at any time, and a write to such an fd blocks. So no thread but the
 * device's own control thread ever writes a client fd: a trigger marks the
 * vector pending and kicks that thread through a private eventfd (ours,
 * never full), which delivers with non-blocking writes outside any lock.
 * Only eventfds are accepted; a client caught clearing O_NONBLOCK is
 * disconnected. A client can therefore delay only its own interrupts.
 *
 * A vector raised while it has no fd or is masked is held, as a PCI
 * function's pending bit holds a masked MSI-X message, and delivered when
 * the client binds an fd to it or unmasks it; disabling the index drops
 * what is held.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "emunic_compat.h"
#include "vfio_user_internal.h"

void
vfio_user_irqs_init(struct vfio_user_irqs *irqs)
{
	memset(irqs, 0, sizeof(*irqs));
	rte_rwlock_init(&irqs->lock);
	irqs->kickfd = -1;
}

#define PENDING_WORDS(count) (((count) + 63) / 64)

int
vfio_user_irqs_set_info(struct vfio_user_irqs *irqs, uint32_t index,
		uint32_t count, uint32_t flags)
{
	struct vfio_user_irq_index *ix;
	int *fds = NULL;
	uint8_t *masked = NULL;
	uint64_t *pending = NULL, *held = NULL;
	uint32_t i;

	if (index >= RTE_VFIO_USER_MAX_IRQ_INDEXES ||
	    count > RTE_VFIO_USER_MAX_IRQ_VECTORS)
		return -EINVAL;
	if (count > 0) {
		fds = malloc(count * sizeof(*fds));
		masked = calloc(count, 1);
		pending = calloc(PENDING_WORDS(count), sizeof(*pending));
		held = calloc(PENDING_WORDS(count), sizeof(*held));
		if (fds == NULL || masked == NULL || pending == NULL ||
		    held == NULL) {
			free(fds);
			free(masked);
			free(pending);
			free(held);
			return -ENOMEM;
		}
		for (i = 0; i < count; i++)
			fds[i] = -1;
	}
	ix = &irqs->idx[index];
	vfio_user_close_fds(ix->fds, ix->count);
	free(ix->fds);
	free(ix->masked);
	free(ix->pending);
	free(ix->held);
	ix->fds = fds;
	ix->masked = masked;
	ix->pending = pending;
	ix->held = held;
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

/* What an eventfd's /proc link reads; the type cannot be told otherwise. */
static bool
is_eventfd(int fd)
{
	char path[32], target[32];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return strcmp(target, "anon_inode:[eventfd]") == 0;
}

/* Every fd of an EVENTFD request is an eventfd, made non-blocking. */
static int
prepare_eventfds(const struct vfio_user_msg *msg)
{
	int i, fl;

	for (i = 0; i < msg->nfds; i++) {
		if (msg->fds[i] < 0)
			continue;
		if (!is_eventfd(msg->fds[i])) {
			VFIO_USER_LOG_RL(ERR, "SET_IRQS: fd %d is not an eventfd",
					i);
			return -EINVAL;
		}
		fl = fcntl(msg->fds[i], F_GETFL);
		if (fl < 0 || fcntl(msg->fds[i], F_SETFL, fl | O_NONBLOCK) < 0)
			return -errno;
	}
	return 0;
}

/*
 * Write 1 to a client's eventfd, never blocking. A full counter means the
 * reader has a wakeup pending already: not an error. -EPERM when the
 * client made the fd blocking behind our back.
 */
static int
signal_fd(int fd)
{
	uint64_t one = 1;
	int fl;

	if (fd < 0)
		return 0;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -errno;
	if (!(fl & O_NONBLOCK))
		return -EPERM;
	if (write(fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		return -errno;
	return 0;
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

static int
trigger_range(struct vfio_user_irq_index *ix, const struct vfio_user_irq_set *set)
{
	uint32_t i;
	int rc = 0;

	for (i = 0; i < set->count && rc == 0; i++) {
		if (!(set->flags & VFIO_USER_IRQ_SET_DATA_BOOL) || set->data[i])
			rc = signal_fd(ix->fds[set->start + i]);
	}
	return rc;
}

/* Drop what the vectors of an index hold (the index is disabled). */
static void
clear_held(struct vfio_user_irq_index *ix)
{
	if (ix->held != NULL)
		memset(ix->held, 0, PENDING_WORDS(ix->count) * sizeof(*ix->held));
}

/*
 * Deliver what vectors of the range hold, now that they may have an fd
 * and be unmasked. On the control thread, after the change: a trigger
 * either saw the change or marked the vector held before it.
 */
static int
release_held(struct vfio_user_irq_index *ix, uint32_t start, uint32_t count)
{
	uint32_t v;
	int rc = 0;

	for (v = start; v < start + count && rc == 0; v++) {
		uint64_t bit = 1ull << (v % 64);

		if (ix->fds[v] < 0 || ix->masked[v] ||
		    !(__atomic_load_n(&ix->held[v / 64], __ATOMIC_ACQUIRE) & bit))
			continue;
		__atomic_fetch_and(&ix->held[v / 64], ~bit, __ATOMIC_ACQ_REL);
		rc = signal_fd(ix->fds[v]);
	}
	return rc;
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
	if (action == VFIO_USER_IRQ_SET_ACTION_TRIGGER &&
	    (set->flags & VFIO_USER_IRQ_SET_DATA_EVENTFD)) {
		rc = prepare_eventfds(msg);
		if (rc < 0)
			return rc;
	}
	/* Only this thread changes the fds: it may read them unlocked. */
	if (action == VFIO_USER_IRQ_SET_ACTION_TRIGGER &&
	    !(set->flags & VFIO_USER_IRQ_SET_DATA_EVENTFD) &&
	    !(set->count == 0 && (set->flags & VFIO_USER_IRQ_SET_DATA_NONE)))
		return trigger_range(ix, set);

	rte_rwlock_write_lock(&irqs->lock);
	if (action == VFIO_USER_IRQ_SET_ACTION_TRIGGER) {
		if (set->flags & VFIO_USER_IRQ_SET_DATA_EVENTFD) {
			bind_eventfds(ix, set, msg);
		} else {
			/* count 0, DATA_NONE: disable the whole index. */
			vfio_user_close_fds(ix->fds, ix->count);
			if (ix->count > 0)
				memset(ix->masked, 0, ix->count);
			clear_held(ix);
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
	return release_held(ix, set->start, set->count);
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
		if (ix->pending != NULL)
			memset(ix->pending, 0,
			       PENDING_WORDS(ix->count) * sizeof(*ix->pending));
		clear_held(ix);
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
		free(irqs->idx[i].pending);
		free(irqs->idx[i].held);
	}
	vfio_user_irqs_init(irqs);
}

static void
kick(const struct vfio_user_irqs *irqs)
{
	uint64_t one = 1;

	/* Our own eventfd, drained by the control thread: never full. */
	if (irqs->kickfd >= 0 && write(irqs->kickfd, &one, sizeof(one)) < 0)
		VFIO_USER_LOG_RL(ERR, "cannot kick the control thread: %s",
				strerror(errno));
}

int
vfio_user_irqs_trigger(struct vfio_user_irqs *irqs, uint32_t index,
		uint32_t vector, bool on_ctrl_thread)
{
	struct vfio_user_irq_index *ix;
	uint64_t bit, old = 0;
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
	/* Held under the lock, so that the bind or unmask sees it. */
	if (rc == -ENOENT || rc == -EAGAIN)
		__atomic_fetch_or(&ix->held[vector / 64], 1ull << (vector % 64),
				__ATOMIC_RELEASE);
	rte_rwlock_read_unlock(&irqs->lock);
	if (rc < 0)
		return rc;
	/*
	 * The control thread writes at once (it alone changes the fds), so
	 * that an interrupt a register write raises comes before its reply.
	 */
	if (on_ctrl_thread)
		return signal_fd(ix->fds[vector]);
	bit = 1ull << (vector % 64);
	old = __atomic_fetch_or(&ix->pending[vector / 64], bit,
			__ATOMIC_RELEASE) & bit;
	/* A vector pending already has its kick on the way. */
	if (old == 0)
		kick(irqs);
	return 0;
}

int
vfio_user_irqs_deliver(struct vfio_user_irqs *irqs)
{
	uint32_t i, w;
	int rc = 0;

	for (i = 0; i < RTE_VFIO_USER_MAX_IRQ_INDEXES; i++) {
		struct vfio_user_irq_index *ix = &irqs->idx[i];

		for (w = 0; w < PENDING_WORDS(ix->count); w++) {
			uint64_t bits = __atomic_exchange_n(&ix->pending[w], 0,
					__ATOMIC_ACQUIRE);

			while (bits != 0 && rc == 0) {
				uint32_t v = w * 64 + (uint32_t)__builtin_ctzll(bits);

				bits &= bits - 1;
				rc = signal_fd(ix->fds[v]);
			}
		}
	}
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
