/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Server devices: registration, the listening sockets, and the control
 * thread each started device has of its own: it serves the device's one
 * client, delivers its interrupts and recovers from faults in its memory.
 * Nothing a client does (stop reading, answer late, flood commands) can
 * hold another device's thread; the registry lock guards only the table
 * of devices and is never held while a thread waits or calls out.
 * Device state outlives clients.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>

#include <rte_common.h>
#include <rte_telemetry.h>

#include "emunic_compat.h"
#include "vfio_user_internal.h"

RTE_LOG_REGISTER(vfio_user_logtype, lib.vfio_user, INFO);

enum ev_kind { EV_WAKEUP, EV_LISTEN, EV_CONN, EV_NEGOTIATE };

/* Messages served per wakeup, so that the thread checks for a stop. */
#define MSGS_PER_EVENT 64

static const struct rte_vfio_user_limits default_limits = {
	.max_dma_maps = RTE_VFIO_USER_DEFAULT_DMA_MAPS,
	.max_deferred_msgs = 64,
	.max_deferred_bytes = 4u << 20,
	.max_deferred_fds = 64,
	.negotiate_ms = 5000,
	.dma_reply_ms = 2000,
};

static struct {
	pthread_mutex_t lock;	/* the registry: devs[] */
	struct vfio_user_dev *devs[RTE_VFIO_USER_MAX_DEVICES];
} srv = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

/*
 * Without the lock: a device id is its provider's, which does not use it
 * after (or while) unregistering it.
 */
static struct vfio_user_dev *
dev_get(int dev_id)
{
	if (dev_id < 0 || dev_id >= RTE_VFIO_USER_MAX_DEVICES)
		return NULL;
	return __atomic_load_n(&srv.devs[dev_id], __ATOMIC_ACQUIRE);
}

struct vfio_user_dev *
vfio_user_dev_get(int dev_id)
{
	return dev_get(dev_id);
}

static bool
on_dev_thread(const struct vfio_user_dev *dev)
{
	return dev->started && pthread_equal(pthread_self(), dev->tid);
}

static void
free_deferred(struct vfio_user_dev *dev)
{
	struct vfio_user_msg *m, *next;

	for (m = dev->deferred_head; m != NULL; m = next) {
		next = m->next;
		vfio_user_msg_free(m);
		free(m);
	}
	dev->deferred_head = dev->deferred_tail = NULL;
	dev->ndeferred = 0;
	dev->deferred_bytes = 0;
	dev->deferred_fds = 0;
}

static void
arm_timer(struct vfio_user_dev *dev, uint32_t ms)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = ms / 1000,
			      .tv_nsec = (long)(ms % 1000) * 1000000 },
	};

	if (dev->timerfd >= 0)
		timerfd_settime(dev->timerfd, 0, &its, NULL);
}

void
vfio_user_server_disconnect(struct vfio_user_dev *dev)
{
	if (dev->conn_fd < 0)
		return;
	if (dev->epfd >= 0)
		epoll_ctl(dev->epfd, EPOLL_CTL_DEL, dev->conn_fd, NULL);
	arm_timer(dev, 0);
	close(dev->conn_fd);
	dev->conn_fd = -1;
	dev->broken = NULL;
	vfio_user_rx_reset(&dev->rx);
	free_deferred(dev);
	if (dev->negotiated && dev->ops != NULL && dev->ops->destroy_device)
		dev->ops->destroy_device(dev->id);
	dev->negotiated = false;
	vfio_user_dma_unmap_all(dev);
	vfio_user_irqs_release(&dev->irqs);
	__atomic_store_n(&dev->mem_faulted, 0, __ATOMIC_RELAXED);
	dev->stats.disconnects++;
	VFIO_USER_LOG_RL(INFO, "%s: client disconnected; DMA_MAP %" PRIu64
			" (mean %" PRIu64 " us, max %" PRIu64 " us), DMA_UNMAP %"
			PRIu64 " (mean %" PRIu64 " us, max %" PRIu64 " us), "
			"most maps at once %u", dev->path, dev->stats.dma_maps,
			dev->stats.dma_map_us / RTE_MAX(dev->stats.dma_maps, 1u),
			dev->stats.dma_map_us_max, dev->stats.dma_unmaps,
			dev->stats.dma_unmap_us / RTE_MAX(dev->stats.dma_unmaps, 1u),
			dev->stats.dma_unmap_us_max, dev->dma.high_water);
}

void
vfio_user_server_abuse(struct vfio_user_dev *dev, const char *why)
{
	if (dev->broken != NULL || dev->conn_fd < 0)
		return;
	dev->broken = why;
	dev->stats.abuse_disconnects++;
	VFIO_USER_LOG_RL(ERR, "%s: disconnecting the client: %s", dev->path,
			why);
}

/*
 * What a failed send says about the client: that it went (a VMM killed
 * mid-request is no abuse: it is disconnected, not counted), that it
 * does not read, or that its socket failed.
 */
static int
sent(struct vfio_user_dev *dev, int rc)
{
	if (rc == -EPIPE || rc == -ECONNRESET) {
		if (dev->broken == NULL && dev->conn_fd >= 0)
			dev->broken = "it closed its socket";
	} else if (rc == -ETIMEDOUT) {
		vfio_user_server_abuse(dev, "it does not read its socket");
	} else if (rc < 0) {
		vfio_user_server_abuse(dev, "its socket failed");
	}
	return rc;
}

static bool
can_send(const struct vfio_user_dev *dev)
{
	return dev->broken == NULL && dev->conn_fd >= 0;
}

int
vfio_user_server_send(struct vfio_user_dev *dev,
		const struct vfio_user_header *hdr, const void *payload,
		size_t len, const int *fds, int nfds)
{
	if (!can_send(dev))
		return -ENOTCONN;
	return sent(dev, vfio_user_send(dev->conn_fd, hdr, payload, len,
			fds, nfds));
}

int
vfio_user_server_reply(struct vfio_user_dev *dev,
		const struct vfio_user_header *req, const void *payload,
		size_t len, const int *fds, int nfds)
{
	if (!can_send(dev))
		return -ENOTCONN;
	return sent(dev, vfio_user_send_reply(dev->conn_fd, req, payload, len,
			fds, nfds));
}

void
vfio_user_server_error(struct vfio_user_dev *dev,
		const struct vfio_user_header *req, int err)
{
	if (can_send(dev))
		sent(dev, vfio_user_send_error(dev->conn_fd, req, err));
}

static int
epoll_add(struct vfio_user_dev *dev, int fd, enum ev_kind kind)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = kind };

	return epoll_ctl(dev->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static void
accept_client(struct vfio_user_dev *dev)
{
	int fd;

	fd = accept4(dev->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (dev->conn_fd >= 0) {
		VFIO_USER_LOG_RL(WARNING, "%s: already has a client, "
				"refusing another", dev->path);
		close(fd);
		return;
	}
	if (epoll_add(dev, fd, EV_CONN) < 0) {
		close(fd);
		return;
	}
	dev->conn_fd = fd;
	vfio_user_rx_init(&dev->rx);
	dev->next_msg_id = 0;
	dev->stats.connects++;
	/* A client that never negotiates would hold the socket for ever. */
	arm_timer(dev, dev->limits.negotiate_ms);
	VFIO_USER_LOG_RL(INFO, "%s: client connected", dev->path);
}

static void
run_one(struct vfio_user_dev *dev, struct vfio_user_msg *msg)
{
	dev->in_handler = true;
	vfio_user_dispatch(dev, msg);
	dev->in_handler = false;
	vfio_user_msg_free(msg);
	if (dev->negotiated)
		arm_timer(dev, 0);
	if (dev->broken != NULL)
		vfio_user_server_disconnect(dev);
}

/* Commands that came in while a handler waited for a DMA reply. */
static void
run_deferred(struct vfio_user_dev *dev)
{
	while (dev->conn_fd >= 0 && dev->deferred_head != NULL) {
		struct vfio_user_msg *m = dev->deferred_head;

		dev->deferred_head = m->next;
		if (dev->deferred_head == NULL)
			dev->deferred_tail = NULL;
		dev->ndeferred--;
		dev->deferred_bytes -= m->len;
		dev->deferred_fds -= m->nfds;
		run_one(dev, m);
		free(m);
	}
}

static void
serve_client(struct vfio_user_dev *dev)
{
	struct vfio_user_msg msg;
	int n;

	for (n = 0; n < MSGS_PER_EVENT && dev->conn_fd >= 0; n++) {
		switch (vfio_user_rx_step(&dev->rx, dev->conn_fd,
					  VFIO_USER_MAX_MSG)) {
		case VFIO_USER_RX_AGAIN:
			return;
		case VFIO_USER_RX_MSG:
			vfio_user_rx_take(&dev->rx, &msg);
			run_one(dev, &msg);
			/* Before the next read: they may be all that comes. */
			run_deferred(dev);
			break;
		case VFIO_USER_RX_BAD_SIZE:
			/* The stream cannot be resynchronised: answer, close. */
			VFIO_USER_LOG_RL(ERR, "%s: message size %u out of bounds",
					dev->path, dev->rx.msg.hdr.msg_size);
			vfio_user_server_error(dev, &dev->rx.msg.hdr, EINVAL);
			dev->stats.errors++;
			vfio_user_server_disconnect(dev);
			return;
		case VFIO_USER_RX_CLOSED:
			vfio_user_server_disconnect(dev);
			return;
		}
	}
}

static void
negotiation_expired(struct vfio_user_dev *dev)
{
	uint64_t n;

	if (read(dev->timerfd, &n, sizeof(n)) < 0 || dev->conn_fd < 0 ||
	    dev->negotiated)
		return;
	vfio_user_server_abuse(dev, "no VERSION in time");
}

/* Stop requests, interrupts to deliver, a fault in the client's memory. */
static void
woken(struct vfio_user_dev *dev)
{
	uint64_t n;

	if (read(dev->wakefd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	if (__atomic_load_n(&dev->mem_faulted, __ATOMIC_ACQUIRE)) {
		dev->stats.mem_faults++;
		vfio_user_server_abuse(dev, "it truncated mapped guest memory");
	} else if (vfio_user_irqs_deliver(&dev->irqs) == -EPERM) {
		vfio_user_server_abuse(dev, "it made an interrupt eventfd "
				"blocking");
	}
}

static void *
dev_thread_main(void *arg)
{
	struct vfio_user_dev *dev = arg;
	struct epoll_event evs[4];
	int n, i;

	while (!__atomic_load_n(&dev->stopping, __ATOMIC_ACQUIRE)) {
		n = epoll_wait(dev->epfd, evs, RTE_DIM(evs), -1);
		if (n < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			if (__atomic_load_n(&dev->stopping, __ATOMIC_ACQUIRE))
				break;
			switch ((enum ev_kind)evs[i].data.u32) {
			case EV_WAKEUP:
				woken(dev);
				break;
			case EV_LISTEN:
				accept_client(dev);
				break;
			case EV_CONN:
				serve_client(dev);
				break;
			case EV_NEGOTIATE:
				negotiation_expired(dev);
				break;
			}
			/* Whatever the event, a client that broke a rule goes. */
			if (dev->broken != NULL)
				vfio_user_server_disconnect(dev);
		}
	}
	return NULL;
}

static void
close_thread_fds(struct vfio_user_dev *dev)
{
	if (dev->epfd >= 0)
		close(dev->epfd);
	if (dev->wakefd >= 0)
		close(dev->wakefd);
	if (dev->timerfd >= 0)
		close(dev->timerfd);
	dev->epfd = dev->wakefd = dev->timerfd = -1;
	dev->irqs.kickfd = -1;
}

static int
dev_thread_start(struct vfio_user_dev *dev)
{
	char name[16];
	int rc;

	dev->epfd = epoll_create1(EPOLL_CLOEXEC);
	dev->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	dev->timerfd = timerfd_create(CLOCK_MONOTONIC,
			TFD_CLOEXEC | TFD_NONBLOCK);
	if (dev->epfd < 0 || dev->wakefd < 0 || dev->timerfd < 0) {
		rc = -errno;
		goto err;
	}
	rc = epoll_add(dev, dev->wakefd, EV_WAKEUP);
	if (rc == 0)
		rc = epoll_add(dev, dev->timerfd, EV_NEGOTIATE);
	if (rc == 0)
		rc = epoll_add(dev, dev->listen_fd, EV_LISTEN);
	if (rc < 0)
		goto err;
	dev->irqs.kickfd = dev->wakefd;
	dev->stopping = false;
	/* DPDK keeps 10 characters of an internal thread's name. */
	snprintf(name, sizeof(name), "vfu-%d", dev->id);
	rc = emunic_ctrl_thread_create(&dev->tid, name, dev_thread_main,
			dev);
	if (rc < 0)
		goto err;
	dev->started = true;
	return 0;
err:
	close_thread_fds(dev);
	return rc;
}

static void
dev_thread_stop(struct vfio_user_dev *dev)
{
	uint64_t one = 1;

	if (!dev->started)
		return;
	__atomic_store_n(&dev->stopping, true, __ATOMIC_RELEASE);
	if (write(dev->wakefd, &one, sizeof(one)) < 0)
		VFIO_USER_LOG(ERR, "cannot wake the thread of %s", dev->path);
	pthread_join(dev->tid, NULL);
	dev->started = false;
}

int
rte_vfio_user_register(const char *path,
		const struct rte_vfio_user_notify_ops *ops, uint64_t flags,
		void *priv)
{
	struct vfio_user_dev *dev;
	int i, id = -1;

	if (path == NULL || path[0] == '\0' ||
	    strlen(path) >= sizeof(dev->path) ||
	    (flags & ~RTE_VFIO_USER_F_QEMU_DMA_RW_LAYOUT))
		return -EINVAL;
	dev = calloc(1, sizeof(*dev));
	if (dev == NULL)
		return -ENOMEM;
	strcpy(dev->path, path);
	dev->ops = ops;
	dev->flags = flags;
	dev->priv = priv;
	dev->limits = default_limits;
	dev->listen_fd = dev->conn_fd = -1;
	dev->epfd = dev->wakefd = dev->timerfd = -1;
	vfio_user_irqs_init(&dev->irqs);
	vfio_user_dma_init(&dev->dma);
	vfio_user_rx_init(&dev->rx);
	for (i = 0; i < RTE_VFIO_USER_MAX_REGIONS; i++) {
		dev->regions[i].desc.index = i;
		dev->regions[i].desc.fd = -1;
	}
	pthread_mutex_lock(&srv.lock);
	for (i = 0; i < RTE_VFIO_USER_MAX_DEVICES; i++) {
		if (srv.devs[i] == NULL) {
			if (id < 0)
				id = i;
		} else if (strcmp(srv.devs[i]->path, path) == 0) {
			id = -EEXIST;
			break;
		}
	}
	if (id >= 0) {
		dev->id = id;
		__atomic_store_n(&srv.devs[id], dev, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&srv.lock);
	if (id < 0) {
		free(dev);
		return id == -1 ? -ENOSPC : id;
	}
	return id;
}

static void
dev_free(struct vfio_user_dev *dev)
{
	int i;

	if (dev->listen_fd >= 0) {
		close(dev->listen_fd);
		unlink(dev->path);
	}
	close_thread_fds(dev);
	for (i = 0; i < RTE_VFIO_USER_MAX_REGIONS; i++) {
		if (dev->regions[i].desc.fd >= 0)
			close(dev->regions[i].desc.fd);
	}
	vfio_user_irqs_free(&dev->irqs);
	vfio_user_dma_free(&dev->dma);
	free(dev);
}

int
rte_vfio_user_unregister(int dev_id)
{
	struct vfio_user_dev *dev = dev_get(dev_id);

	if (dev == NULL)
		return -ENOENT;
	dev_thread_stop(dev);
	/* Notifications of the disconnect may still look the device up. */
	vfio_user_server_disconnect(dev);
	pthread_mutex_lock(&srv.lock);
	__atomic_store_n(&srv.devs[dev_id], NULL, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&srv.lock);
	dev_free(dev);
	return 0;
}

static int
listen_on(struct vfio_user_dev *dev)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	strcpy(sa.sun_path, dev->path);
	/* A stale socket of an earlier run may be replaced, nothing else. */
	if (lstat(dev->path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		unlink(dev->path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 4) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

/* Look a device up, holding the lock, if it is not started yet. */
static struct vfio_user_dev *
dev_get_stopped_locked(int dev_id, int *rc)
{
	struct vfio_user_dev *dev;

	pthread_mutex_lock(&srv.lock);
	dev = dev_get(dev_id);
	*rc = dev == NULL ? -ENOENT : dev->started ? -EBUSY : 0;
	if (*rc < 0) {
		pthread_mutex_unlock(&srv.lock);
		return NULL;
	}
	return dev;
}

int
rte_vfio_user_start(int dev_id)
{
	struct vfio_user_dev *dev;
	int rc;

	dev = dev_get_stopped_locked(dev_id, &rc);
	if (dev == NULL)
		return rc;
	rc = -EINVAL;
	if (dev->info.num_regions == 0)
		goto out;
	rc = listen_on(dev);
	if (rc < 0)
		goto out;
	dev->listen_fd = rc;
	rc = dev_thread_start(dev);
	if (rc < 0) {
		close(dev->listen_fd);
		unlink(dev->path);
		dev->listen_fd = -1;
		goto out;
	}
	VFIO_USER_LOG(INFO, "serving device %d on %s", dev->id, dev->path);
out:
	pthread_mutex_unlock(&srv.lock);
	return rc;
}

int
rte_vfio_user_set_limits(int dev_id, const struct rte_vfio_user_limits *limits)
{
	struct rte_vfio_user_limits l;
	struct vfio_user_dev *dev;
	int rc;

	if (limits == NULL || limits->max_dma_maps > RTE_VFIO_USER_MAX_DMA_MAPS)
		return -EINVAL;
	l = *limits;
#define DEFAULT_IF_0(m) do { if (l.m == 0) l.m = default_limits.m; } while (0)
	DEFAULT_IF_0(max_dma_maps);
	DEFAULT_IF_0(max_deferred_msgs);
	DEFAULT_IF_0(max_deferred_bytes);
	DEFAULT_IF_0(max_deferred_fds);
	DEFAULT_IF_0(negotiate_ms);
	DEFAULT_IF_0(dma_reply_ms);
#undef DEFAULT_IF_0
	if (l.negotiate_ms > INT32_MAX || l.dma_reply_ms > INT32_MAX)
		return -EINVAL;
	dev = dev_get_stopped_locked(dev_id, &rc);
	if (dev == NULL)
		return rc;
	dev->limits = l;
	pthread_mutex_unlock(&srv.lock);
	return 0;
}

int
rte_vfio_user_get_limits(int dev_id, struct rte_vfio_user_limits *limits)
{
	struct vfio_user_dev *dev = dev_get(dev_id);

	if (dev == NULL || limits == NULL)
		return dev == NULL ? -ENOENT : -EINVAL;
	*limits = dev->limits;
	return 0;
}

int
rte_vfio_user_region_memfd(const char *name, size_t size)
{
	int fd, rc;

	if (name == NULL || size == 0)
		return -EINVAL;
	fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, size) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int
rte_vfio_user_set_dev_info(int dev_id, const struct rte_vfio_user_dev_info *info)
{
	struct vfio_user_dev *dev;
	int rc;

	if (info == NULL || info->num_regions == 0 ||
	    info->num_regions > RTE_VFIO_USER_MAX_REGIONS ||
	    info->num_irqs > RTE_VFIO_USER_MAX_IRQ_INDEXES ||
	    (info->flags & ~(RTE_VFIO_USER_DEV_F_RESET | RTE_VFIO_USER_DEV_F_PCI)))
		return -EINVAL;
	dev = dev_get_stopped_locked(dev_id, &rc);
	if (dev == NULL)
		return rc;
	dev->info = *info;
	dev->irqs.nindexes = info->num_irqs;
	pthread_mutex_unlock(&srv.lock);
	return 0;
}

static bool
valid_areas(const struct rte_vfio_user_region *r)
{
	uint64_t pg = (uint64_t)sysconf(_SC_PAGESIZE);
	uint32_t i;

	if (r->nr_areas > RTE_VFIO_USER_MAX_SPARSE_AREAS ||
	    (r->nr_areas > 0 && r->areas == NULL))
		return false;
	for (i = 0; i < r->nr_areas; i++) {
		const struct rte_vfio_user_sparse_area *a = &r->areas[i];

		if (a->size == 0 || (a->offset | a->size) & (pg - 1) ||
		    a->offset > r->size || a->size > r->size - a->offset)
			return false;
	}
	return true;
}

int
rte_vfio_user_set_region(int dev_id, const struct rte_vfio_user_region *region)
{
	struct vfio_user_region_slot *slot;
	struct vfio_user_dev *dev;
	int rc, seals, fd = -1;

	if (region == NULL || region->index >= RTE_VFIO_USER_MAX_REGIONS ||
	    (region->flags & ~(RTE_VFIO_USER_REGION_F_READ |
			       RTE_VFIO_USER_REGION_F_WRITE |
			       RTE_VFIO_USER_REGION_F_MMAP)) ||
	    !valid_areas(region))
		return -EINVAL;
	if (region->flags & RTE_VFIO_USER_REGION_F_MMAP) {
		/* A client that could shrink it would make our accesses fault. */
		seals = region->fd < 0 ? -1 : fcntl(region->fd, F_GET_SEALS);
		if (seals < 0 || !(seals & F_SEAL_SHRINK)) {
			VFIO_USER_LOG(ERR, "region %u: an mmap-able region needs "
					"a memfd sealed against shrinking "
					"(rte_vfio_user_region_memfd())",
					region->index);
			return -EINVAL;
		}
		fd = fcntl(region->fd, F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
	}
	dev = dev_get_stopped_locked(dev_id, &rc);
	if (dev == NULL) {
		if (fd >= 0)
			close(fd);
		return rc;
	}
	slot = &dev->regions[region->index];
	if (slot->desc.fd >= 0)
		close(slot->desc.fd);
	slot->desc = *region;
	slot->desc.fd = fd;
	if (region->nr_areas > 0)
		memcpy(slot->areas, region->areas,
		       region->nr_areas * sizeof(slot->areas[0]));
	slot->desc.areas = slot->areas;
	pthread_mutex_unlock(&srv.lock);
	return 0;
}

int
rte_vfio_user_set_irq_info(int dev_id, uint32_t index, uint32_t count,
		uint32_t flags)
{
	struct vfio_user_dev *dev;
	int rc;

	if (flags & ~(RTE_VFIO_USER_IRQ_F_EVENTFD | RTE_VFIO_USER_IRQ_F_MASKABLE |
		      RTE_VFIO_USER_IRQ_F_AUTOMASKED | RTE_VFIO_USER_IRQ_F_NORESIZE))
		return -EINVAL;
	dev = dev_get_stopped_locked(dev_id, &rc);
	if (dev == NULL)
		return rc;
	rc = vfio_user_irqs_set_info(&dev->irqs, index, count, flags);
	pthread_mutex_unlock(&srv.lock);
	return rc;
}

void *
rte_vfio_user_get_priv(int dev_id)
{
	struct vfio_user_dev *dev = dev_get(dev_id);

	return dev ? dev->priv : NULL;
}

bool
rte_vfio_user_is_connected(int dev_id)
{
	struct vfio_user_dev *dev = dev_get(dev_id);

	return dev != NULL && dev->negotiated;
}

const struct rte_vfio_user_mem_table *
rte_vfio_user_get_mem_table(int dev_id)
{
	struct vfio_user_dev *dev = dev_get(dev_id);

	return dev ? __atomic_load_n(&dev->dma.cur, __ATOMIC_ACQUIRE) : NULL;
}

int
rte_vfio_user_irq_trigger(int dev_id, uint32_t index, uint32_t vector)
{
	struct vfio_user_dev *dev = dev_get(dev_id);
	bool here;
	int rc;

	if (dev == NULL)
		return -ENOENT;
	here = on_dev_thread(dev);
	rc = vfio_user_irqs_trigger(&dev->irqs, index, vector, here);
	if (rc == -EPERM && here) {
		/* Disconnected once the command (or the wakeup) ends. */
		vfio_user_server_abuse(dev, "it made an interrupt eventfd "
				"blocking");
		return 0;
	}
	return rc;
}

bool
rte_vfio_user_irq_is_bound(int dev_id, uint32_t index, uint32_t vector)
{
	struct vfio_user_dev *dev = dev_get(dev_id);

	return dev != NULL && vfio_user_irqs_is_bound(&dev->irqs, index, vector);
}

int
rte_vfio_user_dma_rw(int dev_id, uint64_t iova, void *buf, size_t len,
		bool is_write)
{
	uint32_t prot = is_write ? RTE_VFIO_USER_PROT_WRITE : RTE_VFIO_USER_PROT_READ;
	struct vfio_user_dev *dev = dev_get(dev_id);
	uint8_t *p = buf;
	int rc;

	if (dev == NULL || (buf == NULL && len > 0))
		return -EINVAL;
	while (len > 0) {
		const struct rte_vfio_user_mem_region *r = vfio_user_dma_lookup(
			__atomic_load_n(&dev->dma.cur, __ATOMIC_ACQUIRE), iova);
		uint64_t chunk;

		if (r == NULL || (r->prot & prot) != prot)
			return -EFAULT;
		chunk = RTE_MIN((uint64_t)len, r->size - (iova - r->iova));
		if (r->vaddr != NULL) {
			if (is_write)
				memcpy(r->vaddr + (iova - r->iova), p, chunk);
			else
				memcpy(p, r->vaddr + (iova - r->iova), chunk);
		} else {
			if (!on_dev_thread(dev) || !dev->in_handler)
				return -EPERM;
			rc = vfio_user_dma_msg_rw(dev, iova, p, chunk, is_write);
			if (rc < 0)
				return rc;
		}
		iova += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

int
rte_vfio_user_get_stats(int dev_id, struct rte_vfio_user_stats *stats)
{
	struct vfio_user_dev *dev = dev_get(dev_id);

	if (dev == NULL || stats == NULL)
		return dev == NULL ? -ENOENT : -EINVAL;
	/* Counters of another thread: each read whole, not all at once. */
	*stats = (struct rte_vfio_user_stats){
		.msgs = dev->stats.msgs,
		.errors = dev->stats.errors,
		.rejected_fds = dev->stats.rejected_fds,
		.connects = dev->stats.connects,
		.disconnects = dev->stats.disconnects,
		.abuse_disconnects = dev->stats.abuse_disconnects,
		.mem_faults = dev->stats.mem_faults,
		.dma_map_cmds = dev->stats.dma_maps,
		.dma_unmap_cmds = dev->stats.dma_unmaps,
		.dma_maps_unsealed = dev->stats.dma_maps_unsealed,
		.dma_maps = __atomic_load_n(&dev->dma.nmaps, __ATOMIC_RELAXED),
		.dma_maps_max = dev->dma.high_water,
	};
	memcpy(stats->region_reads, dev->stats.region_reads,
	       sizeof(stats->region_reads));
	memcpy(stats->region_writes, dev->stats.region_writes,
	       sizeof(stats->region_writes));
	return 0;
}

static const char *const cmd_names[VFIO_USER_MAX_COMMAND] = {
	[VFIO_USER_VERSION] = "VERSION",
	[VFIO_USER_DMA_MAP] = "DMA_MAP",
	[VFIO_USER_DMA_UNMAP] = "DMA_UNMAP",
	[VFIO_USER_DEVICE_GET_INFO] = "DEVICE_GET_INFO",
	[VFIO_USER_DEVICE_GET_REGION_INFO] = "DEVICE_GET_REGION_INFO",
	[VFIO_USER_DEVICE_GET_REGION_IO_FDS] = "DEVICE_GET_REGION_IO_FDS",
	[VFIO_USER_DEVICE_GET_IRQ_INFO] = "DEVICE_GET_IRQ_INFO",
	[VFIO_USER_DEVICE_SET_IRQS] = "DEVICE_SET_IRQS",
	[VFIO_USER_REGION_READ] = "REGION_READ",
	[VFIO_USER_REGION_WRITE] = "REGION_WRITE",
	[VFIO_USER_DMA_READ] = "DMA_READ",
	[VFIO_USER_DMA_WRITE] = "DMA_WRITE",
	[VFIO_USER_DEVICE_RESET] = "DEVICE_RESET",
	[VFIO_USER_REGION_WRITE_MULTI] = "REGION_WRITE_MULTI",
	[VFIO_USER_DEVICE_FEATURE] = "DEVICE_FEATURE",
	[VFIO_USER_MIG_DATA_READ] = "MIG_DATA_READ",
	[VFIO_USER_MIG_DATA_WRITE] = "MIG_DATA_WRITE",
};

int
rte_vfio_user_dump(int dev_id, FILE *f)
{
	struct vfio_user_dev *dev;
	int i;

	if (f == NULL)
		return -EINVAL;
	pthread_mutex_lock(&srv.lock);
	dev = dev_get(dev_id);
	if (dev == NULL) {
		pthread_mutex_unlock(&srv.lock);
		return -ENOENT;
	}
	fprintf(f, "vfio-user device %d on %s: %s, %u DMA maps (at most %u)\n",
		dev->id, dev->path,
		dev->negotiated ? "client attached" : "no client",
		__atomic_load_n(&dev->dma.nmaps, __ATOMIC_RELAXED),
		dev->dma.high_water);
	fprintf(f, "  connects %" PRIu64 " disconnects %" PRIu64
		" messages %" PRIu64 " error replies %" PRIu64
		" rejected fds %" PRIu64 "\n", dev->stats.connects,
		dev->stats.disconnects, dev->stats.msgs, dev->stats.errors,
		dev->stats.rejected_fds);
	for (i = 0; i < VFIO_USER_MAX_COMMAND; i++)
		if (dev->stats.cmds[i] != 0)
			fprintf(f, "  %-26s %" PRIu64 "\n", cmd_names[i],
				dev->stats.cmds[i]);
	pthread_mutex_unlock(&srv.lock);
	return 0;
}

/*
 * Telemetry: /vfio_user/list and /vfio_user/info,<id>.
 */

static int
telemetry_list(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	int i;

	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	pthread_mutex_lock(&srv.lock);
	for (i = 0; i < RTE_VFIO_USER_MAX_DEVICES; i++)
		if (srv.devs[i] != NULL)
			rte_tel_data_add_array_int(d, i);
	pthread_mutex_unlock(&srv.lock);
	return 0;
}

/* "region<N>_reads"/"_writes": the accesses the device served, for the
 * regions that had any. */
static void
add_region_counts(struct rte_tel_data *d, const struct vfio_user_stats *s)
{
	char key[32];
	unsigned int i;

	for (i = 0; i < RTE_VFIO_USER_MAX_REGIONS; i++) {
		if (s->region_reads[i] == 0 && s->region_writes[i] == 0)
			continue;
		snprintf(key, sizeof(key), "region%u_reads", i);
		rte_tel_data_add_dict_uint(d, key, s->region_reads[i]);
		snprintf(key, sizeof(key), "region%u_writes", i);
		rte_tel_data_add_dict_uint(d, key, s->region_writes[i]);
	}
}

static int
telemetry_info(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	struct vfio_user_dev *dev;
	char *end;
	long id;

	if (params == NULL)
		return -EINVAL;
	id = strtol(params, &end, 10);
	if (*end != '\0' || id < 0 || id >= RTE_VFIO_USER_MAX_DEVICES)
		return -EINVAL;
	pthread_mutex_lock(&srv.lock);
	dev = dev_get((int)id);
	if (dev == NULL) {
		pthread_mutex_unlock(&srv.lock);
		return -ENOENT;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "path", dev->path);
	rte_tel_data_add_dict_int(d, "connected", dev->conn_fd >= 0);
	rte_tel_data_add_dict_int(d, "negotiated", dev->negotiated);
	rte_tel_data_add_dict_int(d, "dma_maps",
			__atomic_load_n(&dev->dma.nmaps, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_int(d, "dma_maps_limit", dev->limits.max_dma_maps);
	rte_tel_data_add_dict_int(d, "dma_maps_max", dev->dma.high_water);
	rte_tel_data_add_dict_uint(d, "msgs", dev->stats.msgs);
	rte_tel_data_add_dict_uint(d, "errors", dev->stats.errors);
	rte_tel_data_add_dict_uint(d, "rejected_fds", dev->stats.rejected_fds);
	rte_tel_data_add_dict_uint(d, "connects", dev->stats.connects);
	rte_tel_data_add_dict_uint(d, "disconnects", dev->stats.disconnects);
	rte_tel_data_add_dict_uint(d, "dma_map_cmds", dev->stats.dma_maps);
	rte_tel_data_add_dict_uint(d, "dma_unmap_cmds", dev->stats.dma_unmaps);
	rte_tel_data_add_dict_uint(d, "dma_maps_removed",
			dev->stats.dma_maps_removed);
	rte_tel_data_add_dict_uint(d, "dma_map_us", dev->stats.dma_map_us);
	rte_tel_data_add_dict_uint(d, "dma_map_us_max",
			dev->stats.dma_map_us_max);
	rte_tel_data_add_dict_uint(d, "dma_unmap_us", dev->stats.dma_unmap_us);
	rte_tel_data_add_dict_uint(d, "dma_unmap_us_max",
			dev->stats.dma_unmap_us_max);
	rte_tel_data_add_dict_uint(d, "dma_maps_unsealed",
			dev->stats.dma_maps_unsealed);
	rte_tel_data_add_dict_uint(d, "resets", dev->stats.resets);
	rte_tel_data_add_dict_uint(d, "abuse_disconnects",
			dev->stats.abuse_disconnects);
	rte_tel_data_add_dict_uint(d, "mem_faults", dev->stats.mem_faults);
	add_region_counts(d, &dev->stats);
	pthread_mutex_unlock(&srv.lock);
	return 0;
}

RTE_INIT(vfio_user_telemetry_init)
{
	rte_telemetry_register_cmd("/vfio_user/list", telemetry_list,
			"List vfio-user server device ids. No parameters");
	rte_telemetry_register_cmd("/vfio_user/info", telemetry_info,
			"State and counters of a vfio-user device. Parameters: int dev_id");
}
