/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Protocol dispatch: every client command is checked (type, negotiation
 * state, payload size, fds) and handled here, in arrival order. A handler
 * returns a negative errno, sent as an error reply, or sends its reply.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>

#include "vfio_user_internal.h"

#define HDR_SIZE sizeof(struct vfio_user_header)

typedef int (*handler_t)(struct vfio_user_dev *dev, struct vfio_user_msg *msg);

static int
reply(struct vfio_user_dev *dev, const struct vfio_user_msg *msg,
		const void *payload, size_t len, const int *fds, int nfds)
{
	if (msg->hdr.flags & VFIO_USER_F_NO_REPLY)
		return 0;
	return vfio_user_server_reply(dev, &msg->hdr, payload, len, fds, nfds);
}

static int
handle_version(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	const struct vfio_user_version *v = (const void *)msg->payload;
	struct vfio_user_version *rv;
	struct vfio_user_peer_caps peer;
	size_t jlen;
	char *json;
	int rc;

	if (dev->negotiated || v->major != VFIO_USER_MAJOR)
		return -EINVAL;
	rc = vfio_user_version_parse(&peer, v->caps, msg->len - sizeof(*v));
	if (rc < 0)
		return rc;
	json = vfio_user_version_reply_json(&peer, dev->limits.max_dma_maps,
			&jlen);
	rv = json ? malloc(sizeof(*rv) + jlen) : NULL;
	if (rv == NULL) {
		free(json);
		return -ENOMEM;
	}
	rv->major = VFIO_USER_MAJOR;
	rv->minor = RTE_MIN(v->minor, (uint16_t)VFIO_USER_MINOR);
	memcpy(rv->caps, json, jlen);
	rc = reply(dev, msg, rv, sizeof(*rv) + jlen, NULL, 0);
	free(rv);
	free(json);
	if (rc < 0)
		return rc;
	dev->peer = peer;
	dev->negotiated = true;
	if (dev->ops != NULL && dev->ops->new_device != NULL)
		dev->ops->new_device(dev->id);
	return 0;
}

static void
notify_status(struct vfio_user_dev *dev, enum rte_vfio_user_status what)
{
	if (dev->ops != NULL && dev->ops->update_status != NULL)
		dev->ops->update_status(dev->id, what);
}

/*
 * Monotonic microseconds: the clock the socket's deadlines use, which
 * needs no EAL (the timer's frequency is 0 before rte_eal_init()).
 */
static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Microseconds since start (now_us()), added to a sum and a maximum. */
static void
count_wait(uint64_t start, uint64_t *sum, uint64_t *max)
{
	uint64_t us = now_us() - start;

	*sum += us;
	*max = RTE_MAX(*max, us);
}

static int
handle_dma_map(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	const struct vfio_user_dma_map *m = (const void *)msg->payload;
	uint64_t start = now_us();
	uint32_t prot = 0;
	int rc;

	if (msg->len != sizeof(*m) || m->argsz != sizeof(*m) ||
	    (m->flags & ~(VFIO_USER_DMA_F_READ | VFIO_USER_DMA_F_WRITE)) ||
	    msg->nfds > 1)
		return -EINVAL;
	if (m->flags & VFIO_USER_DMA_F_READ)
		prot |= RTE_VFIO_USER_PROT_READ;
	if (m->flags & VFIO_USER_DMA_F_WRITE)
		prot |= RTE_VFIO_USER_PROT_WRITE;
	rc = vfio_user_dma_map(dev, m->addr, m->size, prot,
			msg->nfds ? msg->fds[0] : -1, m->offset);
	if (rc < 0) {
		VFIO_USER_LOG_RL(ERR, "%s: DMA map [%#" PRIx64 ", +%#" PRIx64
				") failed: %s", dev->path, m->addr, m->size,
				strerror(-rc));
		return rc;
	}
	dev->stats.dma_maps++;
	notify_status(dev, RTE_VFIO_USER_STATUS_MEM_TABLE);
	count_wait(start, &dev->stats.dma_map_us, &dev->stats.dma_map_us_max);
	return reply(dev, msg, NULL, 0, NULL, 0);
}

/*
 * A range removes every map it contains, as VFIO type1 does (QEMU unmaps
 * whole IOVA ranges behind a vIOMMU); a range that would split a map is
 * refused and changes nothing; a range without maps succeeds. Replied
 * only once nothing of the range is referenced.
 */
static int
handle_dma_unmap(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	const struct vfio_user_dma_unmap *u = (const void *)msg->payload;
	uint64_t start = now_us();
	int rc = 0;

	if (msg->len != sizeof(*u) || u->argsz != sizeof(*u))
		return -EINVAL;
	if (u->flags == VFIO_USER_UNMAP_F_ALL) {
		if (u->addr != 0 || u->size != 0)
			return -EINVAL;
		vfio_user_dma_unmap_all(dev);
	} else if (u->flags != 0) {
		return -EINVAL;
	} else {
		rc = vfio_user_dma_unmap(dev, u->addr, u->size);
	}
	if (rc < 0) {
		VFIO_USER_LOG_RL(ERR, "%s: DMA unmap [%#" PRIx64 ", +%#" PRIx64
				") failed: %s", dev->path, u->addr, u->size,
				rc == -EINVAL ? "it splits a map" : strerror(-rc));
		return rc;
	}
	dev->stats.dma_unmaps++;
	notify_status(dev, RTE_VFIO_USER_STATUS_MEM_TABLE);
	count_wait(start, &dev->stats.dma_unmap_us,
		   &dev->stats.dma_unmap_us_max);
	return reply(dev, msg, u, sizeof(*u), NULL, 0);
}

static int
handle_get_info(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	const struct vfio_user_device_info *req = (const void *)msg->payload;
	struct vfio_user_device_info info = {
		.argsz = sizeof(info),
		.flags = dev->info.flags,
		.num_regions = dev->info.num_regions,
		.num_irqs = dev->info.num_irqs,
	};

	if (req->argsz < sizeof(info))
		return -EINVAL;
	return reply(dev, msg, &info, sizeof(info), NULL, 0);
}

static const struct vfio_user_region_slot *
region_get(const struct vfio_user_dev *dev, uint32_t index)
{
	if (index >= dev->info.num_regions || index >= RTE_VFIO_USER_MAX_REGIONS)
		return NULL;
	return &dev->regions[index];
}

static int
handle_get_region_info(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	const struct vfio_user_region_info *req = (const void *)msg->payload;
	uint8_t out[sizeof(struct vfio_user_region_info) +
		    sizeof(struct vfio_user_cap_sparse_mmap) +
		    RTE_VFIO_USER_MAX_SPARSE_AREAS *
		    sizeof(struct vfio_user_sparse_area)];
	struct vfio_user_region_info info = { .index = req->index };
	struct vfio_user_cap_sparse_mmap cap = {
		.header.id = VFIO_USER_CAP_SPARSE_MMAP,
		.header.version = VFIO_USER_CAP_SPARSE_MMAP_VER,
	};
	const struct vfio_user_region_slot *slot;
	const struct rte_vfio_user_region *r;
	size_t cap_len;
	bool mmap;

	if (req->argsz < sizeof(info))
		return -EINVAL;
	slot = region_get(dev, req->index);
	if (slot == NULL)
		return -EINVAL;
	r = &slot->desc;
	info.argsz = sizeof(info);
	if (r->size == 0)
		return reply(dev, msg, &info, sizeof(info), NULL, 0);
	mmap = (r->flags & RTE_VFIO_USER_REGION_F_MMAP) != 0;
	cap_len = mmap && r->nr_areas ?
		sizeof(cap) + r->nr_areas * sizeof(struct vfio_user_sparse_area) : 0;
	info.argsz = sizeof(info) + cap_len;
	info.flags = r->flags & (RTE_VFIO_USER_REGION_F_READ |
				 RTE_VFIO_USER_REGION_F_WRITE);
	info.size = r->size;
	/* Too small for the caps: say how much is needed, give no fd. */
	if (req->argsz < info.argsz)
		return reply(dev, msg, &info, sizeof(info), NULL, 0);
	if (mmap) {
		info.flags |= RTE_VFIO_USER_REGION_F_MMAP;
		info.offset = r->fd_offset;
	}
	if (cap_len) {
		info.flags |= 1u << 3; /* VFIO_REGION_INFO_FLAG_CAPS */
		info.cap_offset = sizeof(info);
		cap.nr_areas = r->nr_areas;
		memcpy(out + sizeof(info), &cap, sizeof(cap));
		memcpy(out + sizeof(info) + sizeof(cap), r->areas,
		       cap_len - sizeof(cap));
	}
	memcpy(out, &info, sizeof(info));
	return reply(dev, msg, out, info.argsz, mmap ? &r->fd : NULL, mmap ? 1 : 0);
}

/*
 * Not implemented on purpose: no client uses it (QEMU has no support), and
 * our devices expose doorbells as sparse-mmap areas, which cost the guest
 * no exit at all and need no eventfd on a polling data path.
 */
static int
handle_get_region_io_fds(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	const struct vfio_user_region_io_fds *req = (const void *)msg->payload;

	if (msg->len != sizeof(*req) || req->argsz < sizeof(*req) ||
	    req->flags != 0 || region_get(dev, req->index) == NULL)
		return -EINVAL;
	return -ENOTSUP;
}

static int
handle_get_irq_info(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	const struct vfio_user_irq_info *req = (const void *)msg->payload;
	struct vfio_user_irq_info info;

	if (req->argsz < sizeof(info) || req->index >= dev->info.num_irqs)
		return -EINVAL;
	info.argsz = sizeof(info);
	info.index = req->index;
	info.count = dev->irqs.idx[req->index].count;
	info.flags = dev->irqs.idx[req->index].flags;
	return reply(dev, msg, &info, sizeof(info), NULL, 0);
}

static int
handle_set_irqs(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	int rc;

	rc = vfio_user_irqs_set(&dev->irqs, (const void *)msg->payload,
			msg->len, msg);
	if (rc < 0)
		return rc;
	notify_status(dev, RTE_VFIO_USER_STATUS_IRQ);
	return reply(dev, msg, NULL, 0, NULL, 0);
}

/* Checks common to every region access, then the device's callback. */
static ssize_t
region_access(struct vfio_user_dev *dev, uint32_t index, uint64_t offset,
		void *buf, uint32_t count, bool is_write)
{
	uint32_t need = is_write ? RTE_VFIO_USER_REGION_F_WRITE :
				   RTE_VFIO_USER_REGION_F_READ;
	const struct vfio_user_region_slot *slot = region_get(dev, index);
	const struct rte_vfio_user_region *r;
	ssize_t n;

	if (slot == NULL)
		return -EINVAL;
	r = &slot->desc;
	if (count == 0 || count > RTE_VFIO_USER_MAX_DATA_XFER ||
	    offset > r->size || count > r->size - offset ||
	    !(r->flags & need) || r->rw == NULL)
		return -EINVAL;
	n = r->rw(dev->id, index, offset, buf, count, is_write);
	if (n > (ssize_t)count)
		return -EIO;
	if (n >= 0)
		(is_write ? dev->stats.region_writes :
			    dev->stats.region_reads)[index]++;
	return n;
}

static int
handle_region_read(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	const struct vfio_user_region_access *req = (const void *)msg->payload;
	struct vfio_user_region_access *out;
	ssize_t n;
	int rc;

	if (msg->len != sizeof(*req) || req->count > RTE_VFIO_USER_MAX_DATA_XFER)
		return -EINVAL;
	out = malloc(sizeof(*out) + req->count);
	if (out == NULL)
		return -ENOMEM;
	*out = *req;
	n = region_access(dev, req->region, req->offset, out->data, req->count,
			false);
	if (n < 0) {
		free(out);
		return (int)n;
	}
	out->count = n;
	rc = reply(dev, msg, out, sizeof(*out) + n, NULL, 0);
	free(out);
	return rc;
}

static int
handle_region_write(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	const struct vfio_user_region_access *req = (const void *)msg->payload;
	struct vfio_user_region_access out = *req;
	ssize_t n;

	if (msg->len != sizeof(*req) + (uint64_t)req->count)
		return -EINVAL;
	n = region_access(dev, req->region, req->offset, (void *)req->data,
			req->count, true);
	if (n < 0)
		return (int)n;
	out.count = n;
	return reply(dev, msg, &out, sizeof(out), NULL, 0);
}

static int
handle_write_multi(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	const struct vfio_user_write_multi_entry *e;
	uint64_t cnt, i;
	ssize_t n;

	if (!dev->peer.write_multiple)
		return -EINVAL;
	memcpy(&cnt, msg->payload, sizeof(cnt));
	if (cnt == 0 || cnt > (msg->len - sizeof(cnt)) / sizeof(*e) ||
	    msg->len != sizeof(cnt) + cnt * sizeof(*e))
		return -EINVAL;
	e = (const void *)(msg->payload + sizeof(cnt));
	for (i = 0; i < cnt; i++) {
		if (e[i].count > VFIO_USER_WRITE_MULTI_MAX_DATA)
			return -EINVAL;
		n = region_access(dev, e[i].region, e[i].offset,
				(void *)e[i].data, e[i].count, true);
		if (n < 0)
			return (int)n;
	}
	return reply(dev, msg, &cnt, sizeof(cnt), NULL, 0);
}

static int
handle_reset(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	int rc = 0;

	if (msg->len != 0)
		return -EINVAL;
	if (!(dev->info.flags & RTE_VFIO_USER_DEV_F_RESET))
		return -ENOTSUP;
	if (dev->ops != NULL && dev->ops->reset_device != NULL)
		rc = dev->ops->reset_device(dev->id);
	if (rc < 0)
		return rc;
	dev->stats.resets++;
	return reply(dev, msg, NULL, 0, NULL, 0);
}

/* Migration is not supported yet: every feature is refused. */
static int
handle_device_feature(struct vfio_user_dev *dev __rte_unused,
		struct vfio_user_msg *msg)
{
	const struct vfio_user_device_feature *f = (const void *)msg->payload;
	uint32_t ops = f->flags & (VFIO_USER_DEVICE_FEATURE_GET |
				   VFIO_USER_DEVICE_FEATURE_SET);

	if (f->argsz < sizeof(*f) || f->argsz > msg->len ||
	    (f->flags & ~(VFIO_USER_DEVICE_FEATURE_MASK |
			  VFIO_USER_DEVICE_FEATURE_GET |
			  VFIO_USER_DEVICE_FEATURE_SET |
			  VFIO_USER_DEVICE_FEATURE_PROBE)) ||
	    ops == 0 ||
	    (ops == (VFIO_USER_DEVICE_FEATURE_GET | VFIO_USER_DEVICE_FEATURE_SET) &&
	     !(f->flags & VFIO_USER_DEVICE_FEATURE_PROBE)))
		return -EINVAL;
	return -ENOTSUP;
}

static int
handle_mig_data(struct vfio_user_dev *dev __rte_unused,
		struct vfio_user_msg *msg __rte_unused)
{
	return -ENOTSUP;
}

static const struct {
	handler_t fn;
	uint32_t min_len;	/* fixed part of the payload */
	bool fds;		/* may carry fds */
} commands[VFIO_USER_MAX_COMMAND] = {
	[VFIO_USER_VERSION] = { handle_version, 4, false },
	[VFIO_USER_DMA_MAP] = { handle_dma_map, 32, true },
	[VFIO_USER_DMA_UNMAP] = { handle_dma_unmap, 24, false },
	[VFIO_USER_DEVICE_GET_INFO] = { handle_get_info, 16, false },
	[VFIO_USER_DEVICE_GET_REGION_INFO] = { handle_get_region_info, 32, false },
	[VFIO_USER_DEVICE_GET_REGION_IO_FDS] = { handle_get_region_io_fds, 16, false },
	[VFIO_USER_DEVICE_GET_IRQ_INFO] = { handle_get_irq_info, 16, false },
	[VFIO_USER_DEVICE_SET_IRQS] = { handle_set_irqs, 20, true },
	[VFIO_USER_REGION_READ] = { handle_region_read, 16, false },
	[VFIO_USER_REGION_WRITE] = { handle_region_write, 16, false },
	[VFIO_USER_DEVICE_RESET] = { handle_reset, 0, false },
	[VFIO_USER_REGION_WRITE_MULTI] = { handle_write_multi, 8, false },
	[VFIO_USER_DEVICE_FEATURE] = { handle_device_feature, 8, false },
	[VFIO_USER_MIG_DATA_READ] = { handle_mig_data, 8, false },
	[VFIO_USER_MIG_DATA_WRITE] = { handle_mig_data, 8, false },
};

static int
check_and_run(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	uint16_t cmd = msg->hdr.cmd;

	if ((msg->hdr.flags & VFIO_USER_F_TYPE_MASK) != VFIO_USER_F_TYPE_COMMAND ||
	    (msg->hdr.flags & ~(VFIO_USER_F_TYPE_MASK | VFIO_USER_F_NO_REPLY)))
		return -EINVAL;
	if (cmd >= VFIO_USER_MAX_COMMAND || commands[cmd].fn == NULL)
		return -EINVAL;
	dev->stats.cmds[cmd]++;
	if (msg->len < commands[cmd].min_len || msg->fds_truncated ||
	    (msg->nfds > 0 && !commands[cmd].fds))
		return -EINVAL;
	return commands[cmd].fn(dev, msg);
}

void
vfio_user_dispatch(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	bool first = !dev->negotiated;
	int nfds = msg->nfds, rc, i;

	dev->stats.msgs++;
	/* VERSION must come first, and only first. */
	if (first && msg->hdr.cmd != VFIO_USER_VERSION)
		rc = -EINVAL;
	else
		rc = check_and_run(dev, msg);
	if (rc >= 0)
		return;
	dev->stats.errors++;
	for (i = 0; i < nfds; i++)
		if (msg->fds[i] >= 0)
			dev->stats.rejected_fds++;
	VFIO_USER_LOG_RL(DEBUG, "%s: command %u (id %u) failed: %s", dev->path,
			msg->hdr.cmd, msg->hdr.msg_id, strerror(-rc));
	if (!(msg->hdr.flags & VFIO_USER_F_NO_REPLY))
		vfio_user_server_error(dev, &msg->hdr, -rc);
	if (first)
		vfio_user_server_abuse(dev, "it did not negotiate first");
}

/*
 * Server-initiated DMA_READ/DMA_WRITE for maps the client gave without an
 * fd. Runs on the device's control thread inside a handler: client
 * commands that arrive before the reply are queued, within the device's
 * limits, and served afterwards, in order. The reply has one deadline,
 * which nothing the client sends extends; a client that misses it, floods
 * the queue or breaks the framing meanwhile is disconnected.
 */

static void
dma_msg_build(const struct vfio_user_dev *dev, uint64_t iova, const void *buf,
		size_t len, bool is_write, uint8_t *out, size_t *hdr_len)
{
	bool qemu = dev->flags & RTE_VFIO_USER_F_QEMU_DMA_RW_LAYOUT;
	uint32_t cnt32 = len;
	uint64_t cnt64 = len;

	memcpy(out, &iova, 8);
	if (qemu) {
		memcpy(out + 8, &cnt32, 4);
		*hdr_len = VFIO_USER_DMA_RW_QEMU_HDR;
	} else {
		memcpy(out + 8, &cnt64, 8);
		*hdr_len = sizeof(struct vfio_user_dma_rw);
	}
	if (is_write)
		memcpy(out + *hdr_len, buf, len);
}

static int
defer_command(struct vfio_user_dev *dev, struct vfio_user_msg *m)
{
	const struct rte_vfio_user_limits *l = &dev->limits;
	struct vfio_user_msg *copy = NULL;

	if (dev->ndeferred >= l->max_deferred_msgs ||
	    dev->deferred_bytes + m->len > l->max_deferred_bytes ||
	    dev->deferred_fds + m->nfds > l->max_deferred_fds)
		vfio_user_server_abuse(dev, "too many commands during a DMA "
				"request");
	else if ((copy = malloc(sizeof(*copy))) == NULL)
		/* A command must not go unanswered: end the session. */
		vfio_user_server_abuse(dev, "no memory to queue a command");
	if (copy == NULL) {
		vfio_user_msg_free(m);
		return -ENOBUFS;
	}
	*copy = *m;
	copy->next = NULL;
	if (dev->deferred_tail != NULL)
		dev->deferred_tail->next = copy;
	else
		dev->deferred_head = copy;
	dev->deferred_tail = copy;
	dev->ndeferred++;
	dev->deferred_bytes += m->len;
	dev->deferred_fds += m->nfds;
	return 0;
}

static int
dma_reply_check(const struct vfio_user_msg *r, size_t hdr_len, void *buf,
		size_t len, bool is_write)
{
	if (r->hdr.flags & VFIO_USER_F_ERROR)
		return r->hdr.error_no ? -(int)r->hdr.error_no : -EIO;
	if (is_write)
		return r->len >= hdr_len ? 0 : -EIO;
	if (r->len != hdr_len + len)
		return -EIO;
	memcpy(buf, r->payload + hdr_len, len);
	return 0;
}

static int
dma_msg_one(struct vfio_user_dev *dev, uint64_t iova, void *buf, size_t len,
		bool is_write)
{
	uint16_t cmd = is_write ? VFIO_USER_DMA_WRITE : VFIO_USER_DMA_READ;
	struct vfio_user_header hdr = {
		.msg_id = dev->next_msg_id++,
		.cmd = cmd,
		.flags = VFIO_USER_F_TYPE_COMMAND,
	};
	struct timespec deadline;
	struct vfio_user_msg r;
	size_t hdr_len;
	uint8_t *out;
	int rc;

	out = malloc(sizeof(struct vfio_user_dma_rw) + (is_write ? len : 0));
	if (out == NULL)
		return -ENOMEM;
	dma_msg_build(dev, iova, buf, len, is_write, out, &hdr_len);
	hdr.msg_size = HDR_SIZE + hdr_len + (is_write ? len : 0);
	rc = vfio_user_server_send(dev, &hdr, out, hdr.msg_size - HDR_SIZE,
			NULL, 0);
	free(out);
	vfio_user_deadline_in(&deadline, (int)dev->limits.dma_reply_ms);
	while (rc == 0) {
		rc = vfio_user_recv_msg(dev->conn_fd, &dev->rx, &r,
				VFIO_USER_MAX_MSG, &deadline);
		if (rc < 0) {
			vfio_user_server_abuse(dev, rc == -ETIMEDOUT ?
					"no reply to a DMA request in time" :
					"its stream broke during a DMA request");
			break;
		}
		if ((r.hdr.flags & VFIO_USER_F_TYPE_MASK) == VFIO_USER_F_TYPE_COMMAND) {
			rc = defer_command(dev, &r);
			continue;
		}
		if (r.hdr.msg_id == hdr.msg_id && r.hdr.cmd == cmd) {
			rc = dma_reply_check(&r, hdr_len, buf, len, is_write);
			vfio_user_msg_free(&r);
			return rc;
		}
		VFIO_USER_LOG_RL(WARNING, "%s: stray reply id %u dropped",
				dev->path, r.hdr.msg_id);
		vfio_user_msg_free(&r);
	}
	return rc;
}

int
vfio_user_dma_msg_rw(struct vfio_user_dev *dev, uint64_t iova, void *buf,
		size_t len, bool is_write)
{
	uint64_t max = RTE_MIN(dev->peer.max_data_xfer_size,
			       (uint64_t)RTE_VFIO_USER_MAX_DATA_XFER);
	uint8_t *p = buf;
	int rc;

	if (dev->conn_fd < 0 || dev->broken != NULL)
		return -ENOTCONN;
	while (len > 0) {
		size_t chunk = RTE_MIN((uint64_t)len, max);

		rc = dma_msg_one(dev, iova, p, chunk, is_write);
		if (rc < 0)
			return rc;
		iova += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}
