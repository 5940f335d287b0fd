/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/* Device lifecycle and the list of devices. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <rte_errno.h>
#include <rte_string_fns.h>

#include "emu_iavf_internal.h"

RTE_LOG_REGISTER(emu_iavf_logtype, pmd.emu.iavf, INFO);

/* The devices are emudev's: its registry is the one list of them. */
struct foreach_req {
	void (*f)(struct emu_iavf *dev, void *arg);
	void *arg;
};

static void
foreach_one(struct rte_emudev *edev, void *arg)
{
	struct foreach_req *req = arg;

	req->f(rte_emudev_priv(edev), req->arg);
}

void
emu_iavf_foreach(void (*f)(struct emu_iavf *dev, void *arg), void *arg)
{
	struct foreach_req req = { .f = f, .arg = arg };

	rte_emudev_foreach_of(&emu_iavf_emudev_ops, foreach_one, &req);
}

struct find_req {
	const char *name;
	struct emu_iavf *dev;
};

static void
find_one(struct emu_iavf *dev, void *arg)
{
	struct find_req *req = arg;

	if (strcmp(dev->name, req->name) == 0)
		req->dev = dev;
}

struct emu_iavf *
emu_iavf_find(const char *name)
{
	struct find_req req = { .name = name, .dev = NULL };

	emu_iavf_foreach(find_one, &req);
	return req.dev;
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
	dev->num_qp = conf->num_qp;
	dev->num_vectors = conf->num_qp + 1;
	dev->link_speed = conf->link_speed;
	dev->max_dma_maps = conf->max_dma_maps;
	dev->shadow_irq = conf->shadow_irq;
	dev->max_frame = EMU_IAVF_MAX_FRAME;
	dev->vu_id = -1;
	dev->bar0_fd = -1;
	pthread_mutex_init(&dev->lock, NULL);
	rc = bar0_create(dev);
	if (rc < 0)
		goto err;
	dev->edev = rte_emudev_allocate(name, 2 * dev->num_qp, &emu_iavf_emudev_ops,
			dev);
	if (dev->edev == NULL) {
		rc = -rte_errno;
		goto err;
	}
	emu_iavf_state_init(dev);
	rc = emu_iavf_pci_init(dev);
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
	for (op = 0; op < EMU_IAVF_VC_OP_MAX && n < sizeof(line); op++)
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
	emu_iavf_pci_fini(dev);
	/* The client's thread is gone: no register write arms a timer now. */
	emu_iavf_state_release(dev);
	if (dev->edev != NULL)
		rte_emudev_release(dev->edev);
	/*
	 * Only now can nothing fire a vector (the consumers are gone too),
	 * hence re-arm a throttling timer.
	 */
	emu_iavf_irq_release(dev);
	emu_iavf_out_reset(dev);
	if (dev->bar0 != NULL)
		munmap(dev->bar0, IAVF_BAR0_SIZE);
	if (dev->bar0_fd >= 0)
		close(dev->bar0_fd);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
}
