/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * The admin queue transport: the VF's send queue (ATQ) is processed
 * synchronously on its doorbell, so that replies meet the drivers' short
 * polling timeouts. Each descriptor's message goes to the virtchnl layer;
 * its reply goes out through the ARQ (emu_iavf_out_msg()).
 */

#include <string.h>

#include "emu_iavf_internal.h"

/* The message of a descriptor into dev->aq_buf; its length. */
static uint16_t
atq_message(struct emu_iavf *dev, const struct iavf_aq_desc *desc)
{
	uint64_t addr = ((uint64_t)desc->addr_high << 32) | desc->addr_low;
	uint16_t len = desc->datalen;

	if (!(desc->flags & IAVF_AQ_FLAG_BUF))
		return 0;
	if (len > IAVF_AQ_BUF_MAX) {
		dev->err.aq_bad_desc++;
		return 0; /* handled as an empty, hence short, message */
	}
	if (emu_iavf_dma(dev, addr, dev->aq_buf, len, false) < 0) {
		EMU_IAVF_LOG_RL(ERR, "%s: mailbox buffer %#" PRIx64
				" +%u not in guest memory", dev->name, addr, len);
		dev->err.aq_dma++;
		return 0;
	}
	return len;
}

/* Handle one ATQ descriptor; its write-back fields are set in desc. */
static void
atq_handle(struct emu_iavf *dev, struct iavf_aq_desc *desc)
{
	struct emu_iavf_vc_reply r = { .len = 0 };
	uint32_t op = desc->cookie_high;
	uint16_t len;
	int32_t status;

	desc->retval = 0;
	if (desc->opcode == IAVF_AQ_OP_QUEUE_SHUTDOWN)
		return; /* the driver is shutting its queues down */
	if (desc->opcode != IAVF_AQ_OP_MSG_TO_PF) {
		dev->err.aq_bad_desc++;
		desc->retval = IAVF_AQ_RC_ENOSYS;
		return;
	}
	len = atq_message(dev, desc);
	/* The buffer is reused: a message handler runs to completion. */
	status = emu_iavf_vc_handle(dev, op, dev->aq_buf, len, &r);
	if (r.none)
		return;
	emu_iavf_out_msg(dev, op, status, &r.data,
			status == VIRTCHNL_STATUS_SUCCESS ? r.len : 0);
	if (status == VIRTCHNL_STATUS_SUCCESS && r.link_event)
		emu_iavf_link_msg(dev);
}

void
emu_iavf_atq_doorbell(struct emu_iavf *dev)
{
	struct emu_iavf_aq *atq = &dev->atq;
	uint32_t n = emu_iavf_aq_ring_len(atq);

	if (n == 0 || atq->tail >= n)
		return; /* not enabled, or a tail outside the ring */
	if (!rte_vfio_user_pci_bus_master(dev->cfg)) {
		dev->err.aq_no_bme++;
		return;
	}
	/* A handler may reset the device (RESET_VF), clearing the ring. */
	while (emu_iavf_aq_ring_len(atq) == n && atq->head != atq->tail &&
	       atq->head < n) {
		uint64_t addr = emu_iavf_aq_desc_addr(atq, atq->head);
		struct iavf_aq_desc desc;

		if (emu_iavf_dma(dev, addr, &desc, sizeof(desc), false) < 0) {
			EMU_IAVF_LOG_RL(ERR, "%s: ATQ descriptor %u at %#"
					PRIx64 " not in guest memory",
					dev->name, atq->head, addr);
			dev->err.aq_dma++;
			return; /* the head stays: the driver sees a timeout */
		}
		atq_handle(dev, &desc);
		if (emu_iavf_aq_ring_len(atq) != n)
			return; /* reset: nothing to complete any more */
		desc.flags |= IAVF_AQ_FLAG_DD | IAVF_AQ_FLAG_CMP;
		if (emu_iavf_dma(dev, addr, &desc, sizeof(desc), true) < 0)
			dev->err.aq_dma++;
		atq->head = (atq->head + 1) % n;
	}
}
