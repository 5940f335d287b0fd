/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * What the port learns from the emulated device: guest queues enabled and
 * disabled, memory-table changes, resets, the link and the guest's
 * configuration.
 *
 * Lock order: the provider delivers events holding its own lock, and the
 * callbacks take ad->lock. So the port never calls into emudev while it
 * holds ad->lock; it reads the device first and applies under the lock.
 */

#include "iavfbe.h"

/* A guest queue as the device describes it, before it is applied. */
struct gq_state {
	bool enabled;
	bool ready;
	void *ring;
	struct rte_emudev_q_info qi;
	struct rte_emudev_db_info db;
};

static struct iavfbe_gq *
gq_of(struct iavfbe_adapter *ad, uint16_t qid)
{
	return qid % 2 ? &ad->grx[qid / 2] : &ad->gtx[qid / 2];
}

/* The host address of a guest ring, which must be mapped in one piece. */
static void *
map_ring(struct iavfbe_adapter *ad, const struct rte_emudev_q_info *qi)
{
	uint32_t desc = qi->desc_fmt == RTE_EMUDEV_DESC_AVF_TX ?
		sizeof(struct avf_tx_desc) : sizeof(union avf_rx_desc);
	uint64_t len = (uint64_t)qi->size * desc;
	void *ring = rte_emudev_translate(ad->emu_id, qi->base, &len,
			RTE_EMUDEV_PROT_READ | RTE_EMUDEV_PROT_WRITE);

	if (ring == NULL || len != (uint64_t)qi->size * desc ||
	    ((uintptr_t)ring % desc) != 0)
		return NULL;
	return ring;
}

static bool
queue_info_usable(const struct rte_emudev_q_info *qi, bool guest_rx)
{
	if (qi->desc_fmt != (guest_rx ? RTE_EMUDEV_DESC_AVF_RX_32B :
			     RTE_EMUDEV_DESC_AVF_TX) ||
	    qi->size < 2 || qi->size > 8192)
		return false;
	return !guest_rx || (qi->buf_size >= 128 &&
		qi->buf_size <= AVF_RXD_LEN_MASK && qi->max_pkt_len > 0);
}

static void
read_queue(struct iavfbe_adapter *ad, uint16_t qid, struct gq_state *s)
{
	memset(s, 0, sizeof(*s));
	if (rte_emudev_get_queue_info(ad->emu_id, qid, &s->qi) < 0 ||
	    !s->qi.enabled)
		return;
	s->enabled = true;
	if (!queue_info_usable(&s->qi, qid % 2) ||
	    rte_emudev_get_db_info(ad->emu_id, s->qi.doorbell_id, &s->db) < 0 ||
	    s->db.type != RTE_EMUDEV_DB_MEM) {
		IAVFBE_LOG(ERR, "%s: queue %u: ring, descriptor format or "
			   "doorbell not usable", ad->name, qid);
		ad->ring_errors++;
		return;
	}
	s->ring = map_ring(ad, &s->qi);
	if (s->ring == NULL) {
		IAVFBE_LOG(ERR, "%s: queue %u: ring at %#" PRIx64 " x %u not in "
			   "one mapped region", ad->name, qid, s->qi.base,
			   s->qi.size);
		ad->ring_errors++;
		return;
	}
	s->ready = true;
}

/* Under ad->lock, with no burst on the queue. */
static void
apply_queue(struct iavfbe_gq *gq, const struct gq_state *s, bool keep_head)
{
	gq->enabled = s->enabled;
	gq->ready = false;
	if (!s->ready)
		return;
	if (!keep_head)
		gq->head = 0;
	gq->size = s->qi.size;
	gq->ring = s->ring;
	gq->tail = s->db.mem.addr;
	gq->tail_mask = s->db.mem.mask;
	gq->vector = s->qi.irq_vector;
	gq->buf_size = s->qi.buf_size;
	gq->max_pkt_len = s->qi.max_pkt_len;
	gq->ready = true;
}

static void
read_config(struct iavfbe_adapter *ad, struct rte_emudev_net_config *c)
{
	if (rte_emudev_get_attr(ad->emu_id, RTE_EMUDEV_NET_ATTR_CONFIG, c,
			sizeof(*c)) < 0)
		memset(c, 0, sizeof(*c));
}

/* The guest's settings, as the ethdev API shows them. */
static void
apply_config(struct iavfbe_adapter *ad, const struct rte_emudev_net_config *c)
{
	struct rte_eth_dev_data *data = ad->eth_dev->data;

	ad->cfg.net = *c;
	data->promiscuous = c->promisc;
	data->all_multicast = c->allmulti;
	if (!rte_is_zero_ether_addr(&c->mac))
		data->mac_addrs[0] = c->mac;
}

static void
queue_event(struct iavfbe_adapter *ad, uint16_t qid)
{
	struct gq_state s;

	read_queue(ad, qid, &s);
	pthread_mutex_lock(&ad->lock);
	apply_queue(gq_of(ad, qid), &s, false);
	ad->state_gen++;
	pthread_mutex_unlock(&ad->lock);
}

/* Memory changes: rings are mapped again where they now are. */
static void
mem_event(struct iavfbe_adapter *ad, bool changed)
{
	struct gq_state s;
	uint16_t qid;

	for (qid = 0; qid < 2 * ad->nb_qp; qid++) {
		struct iavfbe_gq *gq = gq_of(ad, qid);

		if (changed && gq->enabled) {
			read_queue(ad, qid, &s);
		} else {
			memset(&s, 0, sizeof(s));
			s.enabled = gq->enabled;
		}
		pthread_mutex_lock(&ad->lock);
		apply_queue(gq, &s, true);
		ad->state_gen++;
		pthread_mutex_unlock(&ad->lock);
	}
}

static void
reset_event(struct iavfbe_adapter *ad)
{
	uint16_t q;

	pthread_mutex_lock(&ad->lock);
	for (q = 0; q < ad->nb_qp; q++) {
		ad->gtx[q].enabled = ad->gtx[q].ready = false;
		ad->grx[q].enabled = ad->grx[q].ready = false;
	}
	ad->state_gen++;
	ad->guest_resets++;
	pthread_mutex_unlock(&ad->lock);
}

static void
link_event(struct iavfbe_adapter *ad, bool up)
{
	struct rte_eth_dev *dev = ad->eth_dev;

	pthread_mutex_lock(&ad->lock);
	ad->link_up = up;
	pthread_mutex_unlock(&ad->lock);
	IAVFBE_LOG(INFO, "%s: guest link %s", ad->name, up ? "up" : "down");
	if (dev->data->dev_conf.intr_conf.lsc)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
}

static void
config_event(struct iavfbe_adapter *ad)
{
	struct rte_emudev_net_config c;

	read_config(ad, &c);
	pthread_mutex_lock(&ad->lock);
	apply_config(ad, &c);
	ad->state_gen++;
	pthread_mutex_unlock(&ad->lock);
}

static void
on_event(uint16_t dev_id __rte_unused, const struct rte_emudev_event *ev,
		void *arg)
{
	struct iavfbe_adapter *ad = arg;

	ad->events++;
	switch (ev->type) {
	case RTE_EMUDEV_EVENT_QUEUE_STATE:
		if (ev->queue.qid < 2 * ad->nb_qp)
			queue_event(ad, ev->queue.qid);
		break;
	case RTE_EMUDEV_EVENT_MEM_CHANGING:
	case RTE_EMUDEV_EVENT_MEM_CHANGED:
		mem_event(ad, ev->type == RTE_EMUDEV_EVENT_MEM_CHANGED);
		break;
	case RTE_EMUDEV_EVENT_RESET:
		reset_event(ad);
		break;
	case RTE_EMUDEV_EVENT_DRIVER_GONE:
		IAVFBE_LOG(INFO, "%s: guest driver gone", ad->name);
		break;
	case RTE_EMUDEV_EVENT_LINK:
		link_event(ad, ev->link_up);
		break;
	case RTE_EMUDEV_EVENT_CONFIG:
		config_event(ad);
		break;
	default:
		break;
	}
}

/*
 * Learn the state the device already has. Events may arrive meanwhile;
 * what was read is applied only if none did (they applied newer state).
 */
static void
sync_state(struct iavfbe_adapter *ad)
{
	struct gq_state s[2 * IAVFBE_MAX_QP];
	struct rte_emudev_net_config c;
	uint64_t gen;
	uint16_t qid;
	bool applied = false;

	while (!applied) {
		pthread_mutex_lock(&ad->lock);
		gen = ad->state_gen;
		pthread_mutex_unlock(&ad->lock);
		for (qid = 0; qid < 2 * ad->nb_qp; qid++)
			read_queue(ad, qid, &s[qid]);
		read_config(ad, &c);
		pthread_mutex_lock(&ad->lock);
		if (gen == ad->state_gen) {
			for (qid = 0; qid < 2 * ad->nb_qp; qid++)
				apply_queue(gq_of(ad, qid), &s[qid], false);
			apply_config(ad, &c);
			applied = true;
		}
		pthread_mutex_unlock(&ad->lock);
	}
}

int
iavfbe_events_attach(struct iavfbe_adapter *ad)
{
	uint16_t qid;
	int rc;

	for (qid = 0; qid < 2 * ad->nb_qp; qid++) {
		gq_of(ad, qid)->qid = qid;
		gq_of(ad, qid)->vector = -1;
		gq_of(ad, qid)->guard = rte_emudev_get_qguard(ad->emu_id, qid);
		if (gq_of(ad, qid)->guard == NULL)
			return -ENODEV;
	}
	rc = rte_emudev_subscribe_event(ad->emu_id, on_event, ad);
	if (rc < 0)
		return rc;
	sync_state(ad);
	return 0;
}

void
iavfbe_events_detach(struct iavfbe_adapter *ad)
{
	rte_emudev_unsubscribe_event(ad->emu_id, on_event, ad);
}
