/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/* Device lifecycle, resets, queue state and link. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/queue.h>

#include <rte_errno.h>
#include <rte_string_fns.h>

#include "emu_iavf_internal.h"

RTE_LOG_REGISTER(emu_iavf_logtype, pmd.emu.iavf, INFO);

struct emu_iavf_entry {
	TAILQ_ENTRY(emu_iavf_entry) next;
	struct emu_iavf *dev;
};

static TAILQ_HEAD(, emu_iavf_entry) devices = TAILQ_HEAD_INITIALIZER(devices);
static pthread_mutex_t devices_lock = PTHREAD_MUTEX_INITIALIZER;

void
emu_iavf_foreach(void (*f)(struct emu_iavf *dev, void *arg), void *arg)
{
	struct emu_iavf_entry *e;

	pthread_mutex_lock(&devices_lock);
	TAILQ_FOREACH(e, &devices, next)
		f(e->dev, arg);
	pthread_mutex_unlock(&devices_lock);
}

struct emu_iavf *
emu_iavf_find(const char *name)
{
	struct emu_iavf_entry *e;
	struct emu_iavf *dev = NULL;

	pthread_mutex_lock(&devices_lock);
	TAILQ_FOREACH(e, &devices, next)
		if (strcmp(e->dev->name, name) == 0)
			dev = e->dev;
	pthread_mutex_unlock(&devices_lock);
	return dev;
}

static int
list_add(struct emu_iavf *dev)
{
	struct emu_iavf_entry *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return -ENOMEM;
	e->dev = dev;
	pthread_mutex_lock(&devices_lock);
	TAILQ_INSERT_TAIL(&devices, e, next);
	pthread_mutex_unlock(&devices_lock);
	return 0;
}

static void
list_del(struct emu_iavf *dev)
{
	struct emu_iavf_entry *e;

	pthread_mutex_lock(&devices_lock);
	TAILQ_FOREACH(e, &devices, next)
		if (e->dev == dev)
			break;
	if (e != NULL)
		TAILQ_REMOVE(&devices, e, next);
	pthread_mutex_unlock(&devices_lock);
	free(e);
}

struct emu_iavf_queue *
emu_iavf_queue(struct emu_iavf *dev, uint16_t qid)
{
	uint16_t qp = qid / 2;

	if (qp >= dev->num_qp)
		return NULL;
	return qid % 2 ? &dev->rxq[qp] : &dev->txq[qp];
}

void
emu_iavf_set_queue(struct emu_iavf *dev, uint16_t qid, bool enable)
{
	struct emu_iavf_queue *q = emu_iavf_queue(dev, qid);

	/* Waits for a burst on the queue to end; none starts until resume. */
	rte_emudev_queue_quiesce(dev->edev, qid);
	/*
	 * A Tx queue starts empty, as hardware's does when enabled: a tail
	 * the guest wrote while it was off (a transmit that raced a VF reset)
	 * names no descriptor of the new ring. An Rx tail written before
	 * enable stays: it is the buffers the driver posted.
	 */
	if (enable && qid % 2 == 0)
		*(volatile uint32_t *)(dev->bar0 + IAVF_QTX_TAIL(qid / 2)) = 0;
	q->enabled = enable;
	emu_iavf_post_queue(dev, qid, enable);
	rte_emudev_queue_resume(dev->edev, qid);
}

static bool
any_queue_enabled(const struct emu_iavf *dev)
{
	uint16_t q;

	for (q = 0; q < dev->num_qp; q++)
		if (dev->txq[q].enabled || dev->rxq[q].enabled)
			return true;
	return false;
}

bool
emu_iavf_update_link(struct emu_iavf *dev)
{
	bool up = dev->consumer_started && any_queue_enabled(dev);

	if (up == dev->link_up)
		return false;
	dev->link_up = up;
	emu_iavf_post_event(dev, RTE_EMUDEV_EVENT_LINK);
	return true;
}

/*
 * VF reset (RESET_VF, and the core of every other reset): RSTAT goes
 * through INPROGRESS, the data path leaves every queue, the configuration
 * is forgotten, the mailbox registers read 0 (drivers wait for
 * ARQLEN.ENABLE = 0), then RSTAT reads VFACTIVE.
 */
void
emu_iavf_vf_reset(struct emu_iavf *dev)
{
	uint16_t q;

	dev->rstat = IAVF_RSTAT_INPROGRESS;
	rte_emudev_quiesce_all(dev->edev);
	for (q = 0; q < dev->num_qp; q++) {
		dev->txq[q].enabled = false;
		dev->rxq[q].enabled = false;
	}
	emu_iavf_post_event(dev, RTE_EMUDEV_EVENT_RESET);
	emu_iavf_vc_reset(dev);
	emu_iavf_aq_reset(dev);
	emu_iavf_regs_reset(dev);
	emu_iavf_update_link(dev);
	rte_emudev_resume_all(dev->edev);
	dev->vf_resets++;
	/* COMPLETED would never be seen: the reset ends under the lock. */
	dev->rstat = IAVF_RSTAT_VFACTIVE;
}

/* Machine reset, DEVICE_RESET or a new VMM: the VF starts from scratch. */
void
emu_iavf_power_on_reset(struct emu_iavf *dev)
{
	emu_iavf_vf_reset(dev);
	rte_vfio_user_pci_config_reset(dev->cfg);
	dev->version_ok = false;
	dev->vc_major = 0;
	dev->vc_minor = 0;
	dev->mac = dev->perm_mac;
	dev->device_resets++;
}

static int
bar0_create(struct emu_iavf *dev)
{
	/* Sealed: the client mmaps it and must not be able to shrink it. */
	dev->bar0_fd = rte_vfio_user_region_memfd("emu_iavf-bar0",
			IAVF_BAR0_SIZE);
	if (dev->bar0_fd < 0)
		return dev->bar0_fd;
	dev->bar0 = mmap(NULL, IAVF_BAR0_SIZE, PROT_READ | PROT_WRITE,
			MAP_SHARED, dev->bar0_fd, 0);
	if (dev->bar0 == MAP_FAILED) {
		dev->bar0 = NULL;
		return -errno;
	}
	return 0;
}

static void
lock_init(pthread_mutex_t *lock)
{
	pthread_mutexattr_t attr;

	/* Recursive: callbacks from emudev consumers may re-enter. */
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(lock, &attr);
	pthread_mutexattr_destroy(&attr);
}

struct emu_iavf *
emu_iavf_create(const char *name, const struct emu_iavf_conf *conf)
{
	struct emu_iavf *dev = calloc(1, sizeof(*dev));
	int rc;

	if (dev == NULL)
		return NULL;
	strlcpy(dev->name, name, sizeof(dev->name));
	strlcpy(dev->path, conf->path, sizeof(dev->path));
	dev->perm_mac = conf->mac;
	dev->mac = conf->mac;
	dev->num_qp = conf->num_qp;
	dev->num_vectors = conf->num_qp + 1;
	dev->link_speed = conf->link_speed;
	dev->max_dma_maps = conf->max_dma_maps;
	dev->max_frame = VC_MAX_FRAME;
	dev->vu_id = -1;
	dev->bar0_fd = -1;
	lock_init(&dev->lock);
	rc = bar0_create(dev);
	if (rc < 0)
		goto err;
	dev->edev = rte_emudev_allocate(name, 2 * dev->num_qp, &emu_iavf_emudev_ops,
			dev);
	if (dev->edev == NULL) {
		rc = -rte_errno;
		goto err;
	}
	emu_iavf_vc_reset(dev);
	emu_iavf_regs_reset(dev);
	dev->rstat = IAVF_RSTAT_VFACTIVE;
	rc = emu_iavf_pci_init(dev);
	if (rc < 0)
		goto err;
	rc = list_add(dev);
	if (rc < 0)
		goto err;
	return dev;
err:
	EMU_IAVF_LOG(ERR, "%s: cannot create: %s", name, strerror(-rc));
	emu_iavf_destroy(dev);
	return NULL;
}

/* One line with every virtchnl op the guest sent, and the errors. */
static void
log_summary(const struct emu_iavf *dev)
{
	char line[1024];
	size_t n = 0;
	uint32_t op;

	line[0] = '\0';
	for (op = 0; op < VC_OP_MAX && n < sizeof(line); op++)
		if (dev->vc_ops[op] != 0)
			n += snprintf(line + n, sizeof(line) - n, " %s(%u)=%" PRIu64,
				emu_iavf_vc_op_name(op), op, dev->vc_ops[op]);
	EMU_IAVF_LOG(INFO, "%s: virtchnl ops:%s", dev->name,
			n > 0 ? line : " none");
	EMU_IAVF_LOG(INFO, "%s: VF resets %" PRIu64 ", device resets %" PRIu64
			", ARQ messages %" PRIu64 ", rejected messages %" PRIu64
			", unsupported %" PRIu64 ", mailbox DMA errors %" PRIu64
			", unknown register reads %" PRIu64 " writes %" PRIu64,
			dev->name, dev->vf_resets, dev->device_resets,
			dev->arq_posted, dev->err.vc_bad_msg + dev->err.vc_bad_state,
			dev->err.vc_unsupported, dev->err.aq_dma,
			dev->err.reg_unknown_rd, dev->err.reg_unknown_wr);
}

void
emu_iavf_destroy(struct emu_iavf *dev)
{
	if (dev == NULL)
		return;
	if (dev->vu_id >= 0)
		log_summary(dev);
	list_del(dev);
	emu_iavf_pci_fini(dev);
	if (dev->edev != NULL)
		rte_emudev_release(dev->edev);
	/*
	 * Only now can nothing fire a vector (the client's thread is gone,
	 * so are the consumers), hence re-arm a throttling timer after this.
	 */
	emu_iavf_regs_release(dev);
	emu_iavf_aq_reset(dev);
	if (dev->bar0 != NULL)
		munmap(dev->bar0, IAVF_BAR0_SIZE);
	if (dev->bar0_fd >= 0)
		close(dev->bar0_fd);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
}
