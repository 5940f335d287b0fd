/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * The admin queue (mailbox): the VF's send queue (ATQ) is processed
 * synchronously on its doorbell, so that replies meet the drivers' short
 * polling timeouts; replies and events go into the VF's receive queue
 * (ARQ), or wait in a bounded backlog while the ARQ is full.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emu_iavf_internal.h"

/* Guest memory access for the mailbox: only while bus mastering is on. */
int
emu_iavf_dma(struct emu_iavf *dev, uint64_t iova, void *buf, size_t len,
		bool is_write)
{
	if (!rte_vfio_user_pci_bus_master(dev->cfg))
		return -EACCES;
	return rte_vfio_user_dma_rw(dev->vu_id, iova, buf, len, is_write);
}

static uint64_t
aq_base(const struct emu_iavf_aq *aq)
{
	return ((uint64_t)aq->bah << 32) | aq->bal;
}

static uint32_t
aq_ring_len(const struct emu_iavf_aq *aq)
{
	if (!(aq->len & IAVF_AQ_LEN_ENABLE))
		return 0;
	return aq->len & IAVF_AQ_LEN_MASK;
}

static uint64_t
aq_desc_addr(const struct emu_iavf_aq *aq, uint32_t idx)
{
	return aq_base(aq) + (uint64_t)idx * sizeof(struct iavf_aq_desc);
}

/* Handle one ATQ descriptor; its write-back fields are set in desc. */
static void
atq_handle(struct emu_iavf *dev, struct iavf_aq_desc *desc)
{
	uint8_t *buf = dev->aq_buf;
	uint16_t len = 0;

	desc->retval = 0;
	if (desc->opcode == IAVF_AQ_OP_QUEUE_SHUTDOWN)
		return; /* the driver is shutting its queues down */
	if (desc->opcode != IAVF_AQ_OP_MSG_TO_PF) {
		dev->err.aq_bad_desc++;
		desc->retval = IAVF_AQ_RC_ENOSYS;
		return;
	}
	if (desc->flags & IAVF_AQ_F_BUF) {
		uint64_t addr = ((uint64_t)desc->addr_high << 32) |
				desc->addr_low;

		len = desc->datalen;
		if (len > IAVF_AQ_BUF_MAX) {
			dev->err.aq_bad_desc++;
			len = 0; /* handled as an empty, hence short, message */
		} else if (emu_iavf_dma(dev, addr, buf, len, false) < 0) {
			EMU_IAVF_LOG_RL(ERR, "%s: mailbox buffer %#" PRIx64
					" +%u not in guest memory", dev->name,
					addr, len);
			dev->err.aq_dma++;
			len = 0;
		}
	}
	/* The buffer is reused: a message handler runs to completion. */
	emu_iavf_vc_handle(dev, desc->cookie_high, buf, len);
}

void
emu_iavf_atq_doorbell(struct emu_iavf *dev)
{
	struct emu_iavf_aq *atq = &dev->atq;
	uint32_t n = aq_ring_len(atq);

	if (n == 0 || atq->tail >= n)
		return; /* not enabled, or a tail outside the ring */
	if (!rte_vfio_user_pci_bus_master(dev->cfg)) {
		dev->err.aq_no_bme++;
		return;
	}
	/* A handler may reset the device (RESET_VF), clearing the ring. */
	while (aq_ring_len(atq) == n && atq->head != atq->tail &&
	       atq->head < n) {
		uint64_t addr = aq_desc_addr(atq, atq->head);
		struct iavf_aq_desc desc;

		if (emu_iavf_dma(dev, addr, &desc, sizeof(desc), false) < 0) {
			EMU_IAVF_LOG_RL(ERR, "%s: ATQ descriptor %u at %#"
					PRIx64 " not in guest memory",
					dev->name, atq->head, addr);
			dev->err.aq_dma++;
			return; /* the head stays: the driver sees a timeout */
		}
		atq_handle(dev, &desc);
		if (aq_ring_len(atq) != n)
			return; /* reset: nothing to complete any more */
		desc.flags |= IAVF_AQ_F_DD | IAVF_AQ_F_CMP;
		if (emu_iavf_dma(dev, addr, &desc, sizeof(desc), true) < 0)
			dev->err.aq_dma++;
		atq->head = (atq->head + 1) % n;
	}
}

/* Write one message into the ARQ slot at the head; false when full. */
static bool
arq_write(struct emu_iavf *dev, const struct emu_iavf_arq_msg *m)
{
	struct emu_iavf_aq *arq = &dev->arq;
	uint32_t n = aq_ring_len(arq);
	struct iavf_aq_desc desc;
	uint64_t addr, buf;
	uint16_t len;

	if (n == 0 || arq->head >= n || arq->head == arq->tail)
		return false;
	addr = aq_desc_addr(arq, arq->head);
	if (emu_iavf_dma(dev, addr, &desc, sizeof(desc), false) < 0) {
		dev->err.aq_dma++;
		return false;
	}
	buf = ((uint64_t)desc.addr_high << 32) | desc.addr_low;
	/* The driver copies min(datalen, its buffer); never overrun it. */
	len = RTE_MIN(m->len, desc.datalen);
	if (len > 0 && emu_iavf_dma(dev, buf, m->data, len, true) < 0) {
		EMU_IAVF_LOG_RL(ERR, "%s: ARQ buffer %#" PRIx64
				" not in guest memory", dev->name, buf);
		dev->err.aq_dma++;
		len = 0;
	}
	desc.flags = IAVF_AQ_F_DD | IAVF_AQ_F_CMP |
		(desc.flags & IAVF_AQ_F_BUF);
	desc.opcode = IAVF_AQ_OP_MSG_TO_VF;
	desc.datalen = len;
	desc.retval = 0;
	desc.cookie_high = m->op;
	desc.cookie_low = (uint32_t)m->status;
	desc.param0 = 0;
	desc.param1 = 0;
	if (emu_iavf_dma(dev, addr, &desc, sizeof(desc), true) < 0) {
		dev->err.aq_dma++;
		return false;
	}
	arq->head = (arq->head + 1) % n;
	dev->arq_posted++;
	/* ADMINQ is set even when disabled: DPDK polls ICR01 for it. */
	dev->icr01 |= IAVF_ICR_ADMINQ;
	emu_iavf_vector_raise(dev, 0);
	return true;
}

static void
backlog_drop_head(struct emu_iavf *dev)
{
	free(dev->backlog[dev->backlog_head].data);
	dev->backlog_head = (dev->backlog_head + 1) % IAVF_ARQ_BACKLOG;
	dev->backlog_count--;
}

/* The driver gave ARQ slots back: deliver waiting messages, oldest first,
 * while there is room. */
void
emu_iavf_arq_doorbell(struct emu_iavf *dev)
{
	while (dev->backlog_count > 0 &&
	       arq_write(dev, &dev->backlog[dev->backlog_head]))
		backlog_drop_head(dev);
}

void
emu_iavf_arq_post(struct emu_iavf *dev, uint32_t op, int32_t status,
		const void *data, uint16_t len)
{
	struct emu_iavf_arq_msg m = { .op = op, .status = status, .len = len };
	uint32_t slot;

	m.data = (uint8_t *)(uintptr_t)data;
	if (dev->backlog_count == 0 && arq_write(dev, &m))
		return;
	if (aq_ring_len(&dev->arq) == 0 ||
	    dev->backlog_count == IAVF_ARQ_BACKLOG) {
		/* No mailbox (reset, not initialised) or a driver that stopped
		 * reading it: the message is lost, as on hardware. */
		dev->err.arq_overflow++;
		EMU_IAVF_LOG_RL(WARNING, "%s: ARQ %s, %s (%u) dropped",
				dev->name, aq_ring_len(&dev->arq) ?
				"full" : "disabled", emu_iavf_vc_op_name(op),
				op);
		return;
	}
	m.data = len > 0 ? malloc(len) : NULL;
	if (len > 0 && m.data == NULL) {
		dev->err.arq_overflow++;
		return;
	}
	if (len > 0)
		memcpy(m.data, data, len);
	slot = (dev->backlog_head + dev->backlog_count) % IAVF_ARQ_BACKLOG;
	dev->backlog[slot] = m;
	dev->backlog_count++;
}

void
emu_iavf_aq_reset(struct emu_iavf *dev)
{
	while (dev->backlog_count > 0)
		backlog_drop_head(dev);
	memset(&dev->atq, 0, sizeof(dev->atq));
	memset(&dev->arq, 0, sizeof(dev->arq));
}
