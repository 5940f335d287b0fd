/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * The PCI function on vfio-user: config space, regions (BAR0 registers
 * with its tail pages offered as sparse mmap, BAR3 with the MSI-X table
 * and PBA), IRQ indexes, and the library's notifications.
 */

#include <errno.h>
#include <string.h>

#include "emu_iavf_internal.h"

static struct emu_iavf *
dev_of(int vu_id)
{
	return rte_vfio_user_get_priv(vu_id);
}

static ssize_t
config_rw(int vu_id, uint32_t index __rte_unused, uint64_t offset, void *buf,
		size_t count, bool is_write)
{
	struct emu_iavf *dev = dev_of(vu_id);
	bool bme_before;
	ssize_t rc;

	pthread_mutex_lock(&dev->lock);
	bme_before = rte_vfio_user_pci_bus_master(dev->cfg);
	rc = rte_vfio_user_pci_config_access(dev->cfg, offset, buf, count,
			is_write);
	/* Bus mastering off: the function may no longer touch memory. */
	if (bme_before && !rte_vfio_user_pci_bus_master(dev->cfg))
		emu_iavf_vf_reset(dev);
	pthread_mutex_unlock(&dev->lock);
	return rc;
}

static ssize_t
bar0_rw(int vu_id, uint32_t index __rte_unused, uint64_t offset, void *buf,
		size_t count, bool is_write)
{
	struct emu_iavf *dev = dev_of(vu_id);
	ssize_t rc;

	pthread_mutex_lock(&dev->lock);
	rc = emu_iavf_bar0_rw(dev, offset, buf, count, is_write);
	pthread_mutex_unlock(&dev->lock);
	return rc;
}

static int
notify_new_device(int vu_id)
{
	struct emu_iavf *dev = dev_of(vu_id);

	EMU_IAVF_LOG_RL(INFO, "%s: VMM connected", dev->name);
	return 0;
}

static void
notify_destroy_device(int vu_id)
{
	struct emu_iavf *dev = dev_of(vu_id);

	pthread_mutex_lock(&dev->lock);
	EMU_IAVF_LOG_RL(INFO, "%s: VMM disconnected", dev->name);
	emu_iavf_power_on_reset(dev);
	emu_iavf_out_event(dev, &(struct rte_emudev_event){
			.type = RTE_EMUDEV_EVENT_DRIVER_GONE });
	pthread_mutex_unlock(&dev->lock);
}

static void
notify_update_status(int vu_id, enum rte_vfio_user_status what)
{
	struct emu_iavf *dev = dev_of(vu_id);

	if (what != RTE_VFIO_USER_STATUS_IRQ)
		return; /* memory changes are told by mem_changing/changed */
	pthread_mutex_lock(&dev->lock);
	emu_iavf_irq_map_changed(dev);
	pthread_mutex_unlock(&dev->lock);
}

static void
post_mem(struct emu_iavf *dev, enum rte_emudev_event_type type,
		const struct rte_vfio_user_mem_change *chg)
{
	struct rte_emudev_event ev = {
		.type = type,
		.mem = { .iova = chg->iova, .size = chg->size,
			 .unmap = chg->unmap },
	};

	emu_iavf_out_event(dev, &ev);
}

/* True when [a, a + alen) and [b, b + blen) share a byte; no overflow. */
static bool
overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return b >= a ? b - a < alen : a - b < blen;
}

/*
 * A memory change stops only the queues whose rings lie in the range (the
 * consumer keeps translations of rings, not of buffers); the device lock
 * keeps the mailbox away until the change is over.
 */
static void
notify_mem_changing(int vu_id, const struct rte_vfio_user_mem_change *chg)
{
	struct emu_iavf *dev = dev_of(vu_id);
	uint16_t qid;

	pthread_mutex_lock(&dev->lock);
	dev->mem_quiesced = 0;
	for (qid = 0; qid < 2 * dev->num_qp; qid++) {
		const struct emu_iavf_queue *q = emu_iavf_queue(dev, qid);
		uint64_t len = (uint64_t)q->ring_len * (RTE_EMUDEV_NET_IS_RXQ(qid) ? 32 : 16);

		if (q->configured && overlaps(q->ring_addr, len, chg->iova,
				chg->size)) {
			rte_emudev_queue_quiesce(dev->edev, qid);
			dev->mem_quiesced |= RTE_BIT32(qid);
		}
	}
	post_mem(dev, RTE_EMUDEV_EVENT_MEM_CHANGING, chg);
}

/*
 * The new table is published: once every burst that may use the previous
 * one has ended, the library may free it and unmap what went away.
 */
static void
notify_mem_changed(int vu_id, const struct rte_vfio_user_mem_change *chg)
{
	struct emu_iavf *dev = dev_of(vu_id);
	uint16_t qid;

	rte_emudev_sync_all(dev->edev);
	post_mem(dev, RTE_EMUDEV_EVENT_MEM_CHANGED, chg);
	for (qid = 0; qid < 2 * dev->num_qp; qid++)
		if (dev->mem_quiesced & RTE_BIT32(qid))
			rte_emudev_queue_resume(dev->edev, qid);
	dev->mem_quiesced = 0;
	pthread_mutex_unlock(&dev->lock);
}

static int
notify_reset_device(int vu_id)
{
	struct emu_iavf *dev = dev_of(vu_id);

	pthread_mutex_lock(&dev->lock);
	emu_iavf_power_on_reset(dev);
	pthread_mutex_unlock(&dev->lock);
	return 0;
}

static const struct rte_vfio_user_notify_ops emu_iavf_vu_ops = {
	.new_device = notify_new_device,
	.destroy_device = notify_destroy_device,
	.update_status = notify_update_status,
	.mem_changing = notify_mem_changing,
	.mem_changed = notify_mem_changed,
	.reset_device = notify_reset_device,
};

static struct rte_vfio_user_pci_config *
config_create(uint16_t nvec)
{
	const struct rte_vfio_user_pci_ids ids = {
		.vendor_id = IAVF_VENDOR_ID,
		.device_id = IAVF_DEVICE_ID,
		.subsys_vendor_id = IAVF_VENDOR_ID,
		.subsys_id = 0,
		.class_code = IAVF_CLASS,
		.revision = IAVF_REVISION,
	};
	const uint32_t bar_flags = RTE_VFIO_USER_PCI_BAR_MEM64 |
		RTE_VFIO_USER_PCI_BAR_PREFETCH;
	struct rte_vfio_user_pci_config *cfg;

	cfg = rte_vfio_user_pci_config_create(&ids, true);
	if (cfg == NULL ||
	    rte_vfio_user_pci_config_set_bar(cfg, 0, IAVF_BAR0_SIZE, bar_flags) < 0 ||
	    rte_vfio_user_pci_config_set_bar(cfg, 3, IAVF_BAR3_SIZE, bar_flags) < 0 ||
	    rte_vfio_user_pci_config_add_msix(cfg, nvec, 3, 0, 3,
			IAVF_MSIX_PBA_OFFSET) < 0 ||
	    rte_vfio_user_pci_config_add_pcie(cfg) < 0) {
		rte_vfio_user_pci_config_free(cfg);
		return NULL;
	}
	return cfg;
}

static int
describe(struct emu_iavf *dev)
{
	/*
	 * Tx tails alone in page 0; Rx tails and ITRN page 2; the queue
	 * vectors' DYN_CTLN alone in page 3 (emu_iavf_irq.c), unless
	 * shadow_irq=0 keeps them trapped.
	 */
	static const struct rte_vfio_user_sparse_area shared_pages[] = {
		{ .offset = IAVF_TX_TAIL_PAGE, .size = IAVF_PAGE_SIZE },
		{ .offset = IAVF_RX_TAIL_PAGE, .size = IAVF_PAGE_SIZE },
		{ .offset = IAVF_DYN_CTLN_PAGE, .size = IAVF_PAGE_SIZE },
	};
	const uint32_t rw = RTE_VFIO_USER_REGION_F_READ |
		RTE_VFIO_USER_REGION_F_WRITE;
	const struct rte_vfio_user_dev_info info = {
		.flags = RTE_VFIO_USER_DEV_F_PCI | RTE_VFIO_USER_DEV_F_RESET,
		.num_regions = RTE_VFIO_USER_PCI_NUM_REGIONS,
		.num_irqs = RTE_VFIO_USER_PCI_NUM_IRQS,
	};
	const struct rte_vfio_user_region regions[] = {
		{ .index = RTE_VFIO_USER_PCI_CONFIG, .flags = rw, .fd = -1,
		  .size = rte_vfio_user_pci_config_size(dev->cfg),
		  .rw = config_rw },
		{ .index = RTE_VFIO_USER_PCI_BAR0,
		  .flags = rw | RTE_VFIO_USER_REGION_F_MMAP,
		  .size = IAVF_BAR0_SIZE, .rw = bar0_rw, .fd = dev->bar0_fd,
		  .nr_areas = RTE_DIM(shared_pages) - !dev->shadow_irq,
		  .areas = shared_pages },
		{ .index = RTE_VFIO_USER_PCI_BAR3, .flags = rw, .fd = -1,
		  .size = IAVF_BAR3_SIZE, .rw = rte_vfio_user_pci_msix_bar_rw },
	};
	unsigned int i;
	int rc;

	rc = rte_vfio_user_set_dev_info(dev->vu_id, &info);
	for (i = 0; rc == 0 && i < RTE_DIM(regions); i++)
		rc = rte_vfio_user_set_region(dev->vu_id, &regions[i]);
	/* VFs have no INTx; MSI-X only, without NORESIZE. */
	if (rc == 0)
		rc = rte_vfio_user_set_irq_info(dev->vu_id,
				RTE_VFIO_USER_PCI_MSIX, dev->num_vectors,
				RTE_VFIO_USER_IRQ_F_EVENTFD);
	if (rc == 0)
		rc = rte_vfio_user_set_irq_info(dev->vu_id,
				RTE_VFIO_USER_PCI_ERR, 1,
				RTE_VFIO_USER_IRQ_F_EVENTFD);
	if (rc == 0)
		rc = rte_vfio_user_set_irq_info(dev->vu_id,
				RTE_VFIO_USER_PCI_REQ, 1,
				RTE_VFIO_USER_IRQ_F_EVENTFD);
	return rc;
}

int
emu_iavf_pci_init(struct emu_iavf *dev)
{
	int rc;

	dev->cfg = config_create(dev->num_vectors);
	if (dev->cfg == NULL)
		return -ENOMEM;
	rc = rte_vfio_user_register(dev->path, &emu_iavf_vu_ops, 0, dev);
	if (rc < 0)
		return rc;
	dev->vu_id = rc;
	rc = describe(dev);
	if (rc == 0) {
		const struct rte_vfio_user_limits l = {
			.max_dma_maps = dev->max_dma_maps };

		rc = rte_vfio_user_set_limits(dev->vu_id, &l);
	}
	if (rc == 0)
		rc = rte_vfio_user_start(dev->vu_id);
	return rc;
}

void
emu_iavf_pci_fini(struct emu_iavf *dev)
{
	if (dev->vu_id >= 0)
		rte_vfio_user_unregister(dev->vu_id);
	dev->vu_id = -1;
	rte_vfio_user_pci_config_free(dev->cfg);
	dev->cfg = NULL;
}
