/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Outbound: what the device tells its consumers (emudev events) and its
 * guest (PF->VF messages in the VF's receive queue, the ARQ). A message
 * that finds the ARQ full waits in a bounded backlog until the driver
 * gives slots back.
 */

#include <stdlib.h>
#include <string.h>

#include "emu_iavf_internal.h"

void
emu_iavf_out_event(struct emu_iavf *dev, const struct rte_emudev_event *ev)
{
	rte_emudev_event_post(dev->edev, ev);
}

/* Write one message into the ARQ slot at the head; false when full. */
static bool
arq_write(struct emu_iavf *dev, const struct emu_iavf_arq_msg *m)
{
	struct emu_iavf_aq *arq = &dev->arq;
	uint32_t n = emu_iavf_aq_ring_len(arq);
	struct iavf_aq_desc desc;
	uint64_t addr, buf;
	uint16_t len;

	if (n == 0 || arq->head >= n || arq->head == arq->tail)
		return false;
	addr = emu_iavf_aq_desc_addr(arq, arq->head);
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
	desc.flags = IAVF_AQ_FLAG_DD | IAVF_AQ_FLAG_CMP |
		(desc.flags & IAVF_AQ_FLAG_BUF);
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
	dev->icr01 |= IAVF_VFINT_ICR01_ADMINQ_MASK;
	emu_iavf_out_irq(dev, 0);
	return true;
}

static void
backlog_drop_head(struct emu_iavf *dev)
{
	free(dev->backlog[dev->backlog_head].data);
	dev->backlog_head = (dev->backlog_head + 1) % IAVF_ARQ_BACKLOG;
	dev->backlog_count--;
}

/* Deliver waiting messages, oldest first, while there is room. */
void
emu_iavf_out_arq_tail(struct emu_iavf *dev)
{
	while (dev->backlog_count > 0 &&
	       arq_write(dev, &dev->backlog[dev->backlog_head]))
		backlog_drop_head(dev);
}

void
emu_iavf_out_msg(struct emu_iavf *dev, uint32_t op, int32_t status,
		const void *data, uint16_t len)
{
	struct emu_iavf_arq_msg m = { .op = op, .status = status, .len = len };
	uint32_t slot;

	m.data = (uint8_t *)(uintptr_t)data;
	if (dev->backlog_count == 0 && arq_write(dev, &m))
		return;
	if (emu_iavf_aq_ring_len(&dev->arq) == 0 ||
	    dev->backlog_count == IAVF_ARQ_BACKLOG) {
		/* No mailbox (reset, not initialised) or a driver that stopped
		 * reading it: the message is lost, as on hardware. */
		dev->err.arq_overflow++;
		EMU_IAVF_LOG_RL(WARNING, "%s: ARQ %s, virtchnl op %u dropped",
				dev->name, emu_iavf_aq_ring_len(&dev->arq) ?
				"full" : "disabled", op);
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
emu_iavf_out_reset(struct emu_iavf *dev)
{
	while (dev->backlog_count > 0)
		backlog_drop_head(dev);
}
