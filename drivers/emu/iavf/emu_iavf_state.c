/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Device state: the guest's queues, the link it sees, its configuration,
 * and resets. Every change that consumers must know about leaves as an
 * event carrying the new state (emu_iavf_out_event()).
 */

#include <string.h>

#include <rte_alarm.h>
#include <rte_cycles.h>

#include "emu_iavf_internal.h"

/*
 * How long after its last write a partial RSS register update is told:
 * longer than a guest takes between two writes of one block (each is a
 * round trip to the VMM), short for a configuration change.
 */
#define CFG_COALESCE_US 10000

struct emu_iavf_queue *
emu_iavf_queue(struct emu_iavf *dev, uint16_t qid)
{
	uint16_t qp = RTE_EMUDEV_NET_QP(qid);

	if (qp >= dev->num_qp)
		return NULL;
	return RTE_EMUDEV_NET_IS_RXQ(qid) ? &dev->rxq[qp] : &dev->txq[qp];
}

/* A queue (which must exist) and its doorbell, as consumers see them. */
void
emu_iavf_queue_describe(struct emu_iavf *dev, uint16_t qid,
		struct rte_emudev_q_info *info, struct rte_emudev_db_info *db)
{
	const struct emu_iavf_queue *q = emu_iavf_queue(dev, qid);
	bool rx = RTE_EMUDEV_NET_IS_RXQ(qid);

	memset(info, 0, sizeof(*info));
	info->enabled = q->enabled;
	info->desc_fmt = rx ? RTE_EMUDEV_DESC_AVF_RX_32B : RTE_EMUDEV_DESC_AVF_TX;
	info->doorbell_id = qid;
	info->irq_vector = q->vector;
	info->size = q->ring_len;
	info->base = q->ring_addr;
	info->buf_size = rx ? q->buf_size : 0;
	info->max_pkt_len = rx ? q->max_pkt : 0;
	info->keep_crc = rx && q->keep_crc;
	memset(db, 0, sizeof(*db));
	db->type = RTE_EMUDEV_DB_MEM;
	db->mem.addr = (volatile uint32_t *)(dev->bar0 + (rx ?
			IAVF_QRX_TAIL1(RTE_EMUDEV_NET_QP(qid)) : IAVF_QTX_TAIL1(RTE_EMUDEV_NET_QP(qid))));
	db->mem.mask = IAVF_TAIL_MASK;
}

void
emu_iavf_set_queue(struct emu_iavf *dev, uint16_t qid, bool enable)
{
	struct rte_emudev_event ev = {
		.type = RTE_EMUDEV_EVENT_QUEUE_STATE,
		.queue = { .qid = qid, .enabled = enable },
	};

	/* Waits for a burst on the queue to end; none starts until resume. */
	rte_emudev_queue_quiesce(dev->edev, qid);
	/*
	 * A Tx queue starts empty, as hardware's does when enabled: a tail
	 * the guest wrote while it was off (a transmit that raced a VF reset)
	 * names no descriptor of the new ring. An Rx tail written before
	 * enable stays: it is the buffers the driver posted.
	 */
	if (enable && !RTE_EMUDEV_NET_IS_RXQ(qid))
		*(volatile uint32_t *)(dev->bar0 + IAVF_QTX_TAIL1(RTE_EMUDEV_NET_QP(qid))) = 0;
	emu_iavf_queue(dev, qid)->enabled = enable;
	emu_iavf_queue_describe(dev, qid, &ev.queue.info, &ev.queue.db);
	emu_iavf_out_event(dev, &ev);
	rte_emudev_queue_resume(dev->edev, qid);
}

/*
 * The queues' vectors, to consumers: the guest may map an enabled queue
 * to another vector (CONFIG_IRQ_MAP after ENABLE_QUEUES), which the
 * queue's next interrupt must use, as on hardware.
 */
void
emu_iavf_irq_map_changed(struct emu_iavf *dev)
{
	int32_t vectors[2 * IAVF_MAX_QP];
	uint16_t qid;

	for (qid = 0; qid < 2 * dev->num_qp; qid++)
		vectors[qid] = emu_iavf_queue(dev, qid)->vector;
	emu_iavf_out_event(dev, &(struct rte_emudev_event){
		.type = RTE_EMUDEV_EVENT_IRQ,
		.irq = { .nb_queues = 2 * dev->num_qp, .vectors = vectors },
	});
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

static void
post_link(struct emu_iavf *dev)
{
	struct rte_emudev_event ev = {
		.type = RTE_EMUDEV_EVENT_LINK,
		.link = { .up = dev->link_up, .speed = dev->link_speed },
	};

	emu_iavf_out_event(dev, &ev);
}

bool
emu_iavf_update_link(struct emu_iavf *dev)
{
	bool up = dev->consumer_started && any_queue_enabled(dev);

	if (up == dev->link_up)
		return false;
	dev->link_up = up;
	post_link(dev);
	return true;
}

static uint32_t
legacy_speed(uint32_t mbps)
{
	if (mbps >= 40000)
		return VIRTCHNL_LINK_SPEED_40GB;
	if (mbps >= 25000)
		return VIRTCHNL_LINK_SPEED_25GB;
	if (mbps >= 20000)
		return VIRTCHNL_LINK_SPEED_20GB;
	if (mbps >= 10000)
		return VIRTCHNL_LINK_SPEED_10GB;
	if (mbps >= 1000)
		return VIRTCHNL_LINK_SPEED_1GB;
	return VIRTCHNL_LINK_SPEED_100MB;
}

void
emu_iavf_link_msg(struct emu_iavf *dev)
{
	struct virtchnl_pf_event ev = {
		.event = VIRTCHNL_EVENT_LINK_CHANGE,
		.link_status = dev->link_up,
		.severity = PF_EVENT_SEVERITY_INFO,
	};

	if (!dev->resources_sent)
		return; /* the VF cannot parse events yet */
	ev.link_speed = (dev->caps & VIRTCHNL_VF_CAP_ADV_LINK_SPEED) ?
		dev->link_speed : legacy_speed(dev->link_speed);
	emu_iavf_out_msg(dev, VIRTCHNL_OP_EVENT, VIRTCHNL_STATUS_SUCCESS, &ev, sizeof(ev));
}

void
emu_iavf_set_link_speed(struct emu_iavf *dev, uint32_t mbps)
{
	dev->link_speed = mbps;
	if (!dev->link_up)
		return;
	post_link(dev);
	emu_iavf_link_msg(dev);
}

void
emu_iavf_config_changed(struct emu_iavf *dev, uint32_t what)
{
	struct rte_emudev_event ev = {
		.type = RTE_EMUDEV_EVENT_CONFIG,
		.config = { .changed = what | dev->cfg_pending,
			    .state = &dev->net },
	};

	dev->cfg_pending = 0;
	emu_iavf_out_event(dev, &ev);
}

static uint64_t
us_to_cycles(uint64_t us)
{
	return us * rte_get_timer_hz() / 1000000;
}

/*
 * A partial register update, told once no write came for a while: it is
 * complete by then, or the guest meant it to be partial. The timer is
 * never cancelled under the lock (its callback may be waiting for it):
 * it runs out and looks again.
 */
static void
cfg_alarm(void *arg)
{
	struct emu_iavf *dev = arg;
	uint64_t now = rte_get_timer_cycles();

	pthread_mutex_lock(&dev->lock);
	if (dev->cfg_pending != 0 && now < dev->cfg_deadline &&
	    rte_eal_alarm_set(RTE_MAX((dev->cfg_deadline - now) * 1000000 /
			rte_get_timer_hz(), 1ull), cfg_alarm, dev) == 0) {
		pthread_mutex_unlock(&dev->lock);
		return;
	}
	dev->cfg_alarm_armed = false;
	if (dev->cfg_pending != 0)
		emu_iavf_config_changed(dev, 0);
	pthread_mutex_unlock(&dev->lock);
}

void
emu_iavf_config_touched(struct emu_iavf *dev, uint32_t what, bool complete)
{
	dev->cfg_pending |= what;
	if (complete) {
		emu_iavf_config_changed(dev, 0);
		return;
	}
	dev->cfg_deadline = rte_get_timer_cycles() + us_to_cycles(CFG_COALESCE_US);
	if (dev->cfg_alarm_armed)
		return;
	if (rte_eal_alarm_set(CFG_COALESCE_US, cfg_alarm, dev) == 0)
		dev->cfg_alarm_armed = true;
	else
		emu_iavf_config_changed(dev, 0); /* no timer: tell it now */
}

/* What a VF reset forgets; the negotiated version and the primary
 * address survive it. */
static void
config_reset(struct emu_iavf *dev)
{
	struct rte_ether_addr mac = dev->net.mac;
	uint16_t q;

	dev->resources_sent = false;
	dev->caps = 0;
	for (q = 0; q < IAVF_MAX_QP; q++) {
		dev->txq[q] = (struct emu_iavf_queue){ .vector = -1 };
		dev->rxq[q] = (struct emu_iavf_queue){ .vector = -1 };
	}
	memset(&dev->net, 0, sizeof(dev->net));
	dev->net.mac = mac;
	dev->net.nb_queue_pairs = dev->num_qp;
	dev->net.max_frame_len = dev->max_frame;
	dev->net.rss_hena = EMU_IAVF_HENA_DEFAULT;
	dev->cfg_pending = 0;
}

/* Registers read their reset values; tails read 0, as on hardware. */
static void
regs_reset(struct emu_iavf *dev)
{
	memset(&dev->atq, 0, sizeof(dev->atq));
	memset(&dev->arq, 0, sizeof(dev->arq));
	emu_iavf_out_reset(dev);
	emu_iavf_irq_reset(dev);
	memset(dev->bar0 + IAVF_TX_TAIL_PAGE, 0, IAVF_PAGE_SIZE);
	memset(dev->bar0 + IAVF_RX_TAIL_PAGE, 0, IAVF_PAGE_SIZE);
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
	emu_iavf_out_event(dev,
		&(struct rte_emudev_event){ .type = RTE_EMUDEV_EVENT_RESET });
	config_reset(dev);
	regs_reset(dev);
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
	dev->net.mac = dev->perm_mac;
	rte_vfio_user_pci_config_reset(dev->cfg);
	dev->version_ok = false;
	dev->vc_major = 0;
	dev->vc_minor = 0;
	dev->device_resets++;
}

void
emu_iavf_state_init(struct emu_iavf *dev)
{
	dev->net.mac = dev->perm_mac;
	config_reset(dev);
	regs_reset(dev);
	dev->rstat = IAVF_RSTAT_VFACTIVE;
}

void
emu_iavf_state_release(struct emu_iavf *dev)
{
	rte_eal_alarm_cancel(cfg_alarm, dev);
}
