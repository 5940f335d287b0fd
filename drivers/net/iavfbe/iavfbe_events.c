/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * What the port learns from the emulated device: guest queues enabled and
 * disabled, memory-table changes, resets, the link and the guest's
 * configuration.
 *
 * Events carry the state they report, and the callbacks never call back
 * into the device (the provider holds its own lock while it delivers).
 * Lock order: the provider's lock, then ad->lock; so the port never calls
 * into emudev while it holds ad->lock. What the port learns outside events
 * (at probe) it reads first and applies under the lock.
 */

#include <sched.h>

#include <rte_alarm.h>

#include "iavfbe.h"

/* A guest queue as the device describes it, before it is applied. */
struct gq_state {
	bool enabled;
	bool ready;
	struct iavfbe_gq_desc d;
	uint8_t desc_shift;
	uint16_t page_off;
	uint32_t nb_pages;
	uintptr_t page[IAVFBE_RING_MAX_PAGES];
};

static struct iavfbe_gq *
gq_of(struct iavfbe_adapter *ad, uint16_t qid)
{
	return RTE_EMUDEV_NET_IS_RXQ(qid) ? &ad->grx[RTE_EMUDEV_NET_QP(qid)] : &ad->gtx[RTE_EMUDEV_NET_QP(qid)];
}

/*
 * Translate a guest ring one 4 KiB guest page at a time: behind a vIOMMU
 * each page is a DMA map of its own, and pages that follow each other in
 * guest addresses need not in host ones. False when a page is not mapped
 * (readable and writable) in one piece.
 */
static bool
map_ring(struct iavfbe_adapter *ad, struct gq_state *s)
{
	const uint32_t mask = IAVFBE_PAGE_SIZE - 1;
	uint32_t desc = 1u << s->desc_shift;
	uint64_t iova = s->d.qi.base, len = (uint64_t)s->d.qi.size << s->desc_shift;
	uint32_t k = 0;

	if (iova % desc != 0 || iova + len < iova)
		return false;
	s->page_off = iova & mask;
	while (len > 0) {
		uint64_t chunk = RTE_MIN(len, IAVFBE_PAGE_SIZE - (iova & mask));
		uint64_t got = chunk;
		uint8_t *va = rte_emudev_translate(ad->emu_id, iova, &got,
				RTE_EMUDEV_PROT_READ | RTE_EMUDEV_PROT_WRITE);

		if (va == NULL || got != chunk || (uintptr_t)va % desc != 0 ||
		    k == IAVFBE_RING_MAX_PAGES)
			return false;
		s->page[k++] = (uintptr_t)va - (iova & mask);
		iova += chunk;
		len -= chunk;
	}
	s->nb_pages = k;
	return true;
}

static bool
queue_info_usable(const struct rte_emudev_q_info *qi, bool guest_rx)
{
	if (qi->desc_fmt != (guest_rx ? RTE_EMUDEV_DESC_AVF_RX_32B :
			     RTE_EMUDEV_DESC_AVF_TX) ||
	    qi->size < 2 || qi->size > IAVFBE_RING_MAX_DESCS)
		return false;
	return !guest_rx || (qi->buf_size >= 128 &&
		qi->buf_size <= AVF_RXD_LEN_MASK && qi->max_pkt_len > 0);
}

/* A queue as described; why it cannot be used, or NULL. */
static const char *
describe_queue(uint16_t qid, const struct iavfbe_gq_desc *d,
		struct gq_state *s)
{
	bool guest_rx = RTE_EMUDEV_NET_IS_RXQ(qid);

	memset(s, 0, offsetof(struct gq_state, page));
	s->d = *d;
	if (!d->qi.enabled)
		return NULL;
	s->enabled = true;
	s->desc_shift = guest_rx ? 5 : 4;
	if (!queue_info_usable(&d->qi, guest_rx) ||
	    d->db.type != RTE_EMUDEV_DB_MEM)
		return "ring, descriptor format or doorbell not usable";
	return NULL;
}

/* Outside events: the queue as the device describes it now. */
static const char *
query_queue(struct iavfbe_adapter *ad, uint16_t qid, struct gq_state *s)
{
	struct iavfbe_gq_desc d;

	memset(&d, 0, sizeof(d));
	if (rte_emudev_get_queue_info(ad->emu_id, qid, &d.qi) < 0)
		memset(&d.qi, 0, sizeof(d.qi));
	else if (d.qi.enabled &&
		 rte_emudev_get_db_info(ad->emu_id, d.qi.doorbell_id, &d.db) < 0)
		d.db.type = 0; /* not usable */
	return describe_queue(qid, &d, s);
}

/*
 * A queue the guest enabled is ready unless why says otherwise; an
 * unusable one is counted and logged when report is set (at enable), and
 * quietly left waiting otherwise (retries after memory changes).
 */
static void
finish_read(struct iavfbe_adapter *ad, uint16_t qid, struct gq_state *s,
		const char *why, bool report)
{
	s->ready = s->enabled && why == NULL;
	if (!s->enabled || why == NULL || !report)
		return;
	ad->port_counts.ring_errors++;
	IAVFBE_LOG_RL(ad, log_ctrl, ERR, "guest %s queue %u at %#" PRIx64
		      " x %u: %s", RTE_EMUDEV_NET_IS_RXQ(qid) ? "Rx" : "Tx", RTE_EMUDEV_NET_QP(qid), s->d.qi.base,
		      s->d.qi.size, why);
}

static const char *const ring_unmapped = "ring not in mapped guest memory";

/* In an event: the provider holds the queue's guard, so the table holds. */
static void
read_queue(struct iavfbe_adapter *ad, uint16_t qid,
		const struct iavfbe_gq_desc *d, struct gq_state *s)
{
	const char *why = describe_queue(qid, d, s);

	if (why == NULL && s->enabled && !map_ring(ad, s))
		why = ring_unmapped;
	finish_read(ad, qid, s, why, true);
}

/*
 * Outside events (at probe): the ring is translated inside the queue's
 * guard, which keeps the memory table from changing meanwhile. The queue
 * information is read before, as the provider takes its own lock first
 * and the guards next.
 */
static void
read_queue_guarded(struct iavfbe_adapter *ad, uint16_t qid, struct gq_state *s)
{
	struct rte_emudev_qguard *g = gq_of(ad, qid)->guard;
	const char *why = query_queue(ad, qid, s);

	if (why == NULL && s->enabled) {
		while (!rte_emudev_qguard_enter(g))
			sched_yield();
		if (!map_ring(ad, s))
			why = ring_unmapped;
		rte_emudev_qguard_leave(g);
	}
	finish_read(ad, qid, s, why, true);
}

/* Under ad->lock, with no burst on the queue. */
static void
apply_queue(struct iavfbe_adapter *ad, struct iavfbe_gq *gq,
		const struct gq_state *s, bool keep_head)
{
	ad->gdesc[gq->qid] = s->d;
	gq->enabled = s->enabled;
	gq->ready = false;
	if (!s->ready)
		return;
	if (!keep_head)
		gq->head = 0;
	gq->size = s->d.qi.size;
	gq->base = s->d.qi.base;
	gq->desc_shift = s->desc_shift;
	gq->page_off = s->page_off;
	memcpy(gq->page, s->page, s->nb_pages * sizeof(s->page[0]));
	gq->tail = s->d.db.mem.addr;
	gq->tail_mask = s->d.db.mem.mask;
	gq->vector = s->d.qi.irq_vector;
	gq->buf_size = s->d.qi.buf_size;
	gq->max_pkt_len = s->d.qi.max_pkt_len;
	gq->ready = true;
}

/*
 * The guest Rx queues frames go to when RSS does not pick one. Bursts
 * read the list while it changes: every entry is a valid queue id, and
 * the queue's readiness is checked again under its guard.
 */
static void
update_rx_active(struct iavfbe_adapter *ad)
{
	uint16_t q, n = 0;

	for (q = 0; q < ad->nb_qp; q++)
		if (ad->grx[q].ready)
			ad->rx_active[n++] = q;
	__atomic_store_n(&ad->nb_rx_active, n, __ATOMIC_RELEASE);
}

/* Outside events: the whole configuration. */
static void
query_config(struct iavfbe_adapter *ad, struct rte_emudev_net_config *c)
{
	if (rte_emudev_get_attr(ad->emu_id, RTE_EMUDEV_NET_ATTR_CONFIG, c,
			sizeof(*c)) < 0)
		memset(c, 0, sizeof(*c));
}

/* What changed of the guest's settings, as the ethdev API shows them. */
static void
apply_config(struct iavfbe_adapter *ad, const struct rte_emudev_net_config *c,
		uint32_t what)
{
	struct rte_emudev_net_config *mine = &ad->cfg.net;
	struct rte_eth_dev_data *data = ad->eth_dev->data;

	if (what & RTE_EMUDEV_NET_CFG_MAC) {
		mine->mac = c->mac;
		mine->nb_macs = c->nb_macs;
		memcpy(mine->macs, c->macs, sizeof(mine->macs));
		if (!rte_is_zero_ether_addr(&c->mac))
			data->mac_addrs[0] = c->mac;
	}
	if (what & RTE_EMUDEV_NET_CFG_PROMISC) {
		mine->promisc = c->promisc;
		mine->allmulti = c->allmulti;
		data->promiscuous = c->promisc;
		data->all_multicast = c->allmulti;
	}
	if (what & RTE_EMUDEV_NET_CFG_MTU)
		mine->max_frame_len = c->max_frame_len;
	if (what & RTE_EMUDEV_NET_CFG_VLAN) {
		mine->vlan_strip = c->vlan_strip;
		memcpy(mine->vlan_filter, c->vlan_filter,
		       sizeof(mine->vlan_filter));
	}
	if (what & RTE_EMUDEV_NET_CFG_RSS) {
		mine->rss_hena = c->rss_hena;
		memcpy(mine->rss_lut, c->rss_lut, sizeof(mine->rss_lut));
		if (memcmp(mine->rss_key, c->rss_key, sizeof(mine->rss_key)) != 0 ||
		    what == RTE_EMUDEV_NET_CFG_ALL) {
			memcpy(mine->rss_key, c->rss_key, sizeof(mine->rss_key));
			iavfbe_rss_key_set(&ad->cfg);
		}
	}
	if (what & RTE_EMUDEV_NET_CFG_QUEUES)
		mine->nb_queue_pairs = c->nb_queue_pairs;
}

static void
queue_event(struct iavfbe_adapter *ad, const struct rte_emudev_event *ev)
{
	const struct iavfbe_gq_desc d = {
		.qi = ev->queue.info, .db = ev->queue.db,
	};
	uint16_t qid = ev->queue.qid;
	struct gq_state s;

	read_queue(ad, qid, &d, &s);
	pthread_mutex_lock(&ad->lock);
	apply_queue(ad, gq_of(ad, qid), &s, false);
	update_rx_active(ad);
	ad->state_gen++;
	pthread_mutex_unlock(&ad->lock);
}

/* True when [a, a + alen) and [b, b + blen) share a byte; no overflow. */
static bool
overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return b >= a ? b - a < alen : a - b < blen;
}

/*
 * Before an unmap: rings in the range lose their memory (the provider
 * holds their guards). A well-behaved guest disables a queue before it
 * frees the ring, so this is counted.
 */
static void
mem_changing(struct iavfbe_adapter *ad, const struct rte_emudev_event *ev)
{
	uint16_t qid;

	if (!ev->mem.unmap)
		return;
	pthread_mutex_lock(&ad->lock);
	for (qid = 0; qid < 2 * ad->nb_qp; qid++) {
		struct iavfbe_gq *gq = gq_of(ad, qid);

		if (!gq->ready || !overlaps(gq->base, (uint64_t)gq->size <<
				gq->desc_shift, ev->mem.iova, ev->mem.size))
			continue;
		gq->ready = false;
		ad->port_counts.ring_errors++;
		IAVFBE_LOG_RL(ad, log_ctrl, ERR, "guest %s queue %u: ring unmapped "
			      "while enabled", RTE_EMUDEV_NET_IS_RXQ(qid) ? "Rx" : "Tx", RTE_EMUDEV_NET_QP(qid));
	}
	update_rx_active(ad);
	ad->state_gen++;
	pthread_mutex_unlock(&ad->lock);
}

/*
 * After a change: enabled rings in the range that wait for memory are
 * tried again (the provider holds their guards; it holds no other, so
 * rings elsewhere are left alone).
 */
static void
mem_changed(struct iavfbe_adapter *ad, const struct rte_emudev_event *ev)
{
	struct iavfbe_gq_desc d;
	struct gq_state s;
	uint16_t qid;

	for (qid = 0; qid < 2 * ad->nb_qp; qid++) {
		struct iavfbe_gq *gq = gq_of(ad, qid);
		bool waiting;
		const char *why;

		pthread_mutex_lock(&ad->lock);
		waiting = gq->enabled && !gq->ready;
		d = ad->gdesc[qid];
		pthread_mutex_unlock(&ad->lock);
		if (!waiting)
			continue;
		why = describe_queue(qid, &d, &s);
		if (why != NULL || !s.enabled ||
		    !overlaps(s.d.qi.base, (uint64_t)s.d.qi.size << s.desc_shift,
			      ev->mem.iova, ev->mem.size) || !map_ring(ad, &s))
			continue;
		s.ready = true;
		pthread_mutex_lock(&ad->lock);
		apply_queue(ad, gq, &s, true);
		update_rx_active(ad);
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
	update_rx_active(ad);
	ad->state_gen++;
	ad->port_counts.guest_resets++;
	pthread_mutex_unlock(&ad->lock);
}

/* LSC callbacks run on the interrupt thread, as with hardware ports:
 * not under the provider's lock, so they may query the port. */
static void
lsc_alarm(void *arg)
{
	struct iavfbe_adapter *ad = arg;

	rte_eth_dev_callback_process(ad->eth_dev, RTE_ETH_EVENT_INTR_LSC, NULL);
}

static void
link_event(struct iavfbe_adapter *ad, const struct rte_emudev_event *ev)
{
	struct rte_eth_dev *dev = ad->eth_dev;
	char map[256];

	pthread_mutex_lock(&ad->lock);
	ad->link_up = ev->link.up;
	ad->link_speed = ev->link.speed;
	pthread_mutex_unlock(&ad->lock);
	if (ev->link.up) {
		iavfbe_describe_queues(ad, map, sizeof(map));
		IAVFBE_LOG_RL(ad, log_ctrl, NOTICE, "guest link up; %s", map);
	} else {
		IAVFBE_LOG_RL(ad, log_ctrl, NOTICE, "guest link down");
	}
	if (dev->data->dev_conf.intr_conf.lsc &&
	    rte_eal_alarm_set(1, lsc_alarm, ad) < 0)
		IAVFBE_LOG_RL(ad, log_ctrl, ERR, "link change not notified");
}

static void
config_event(struct iavfbe_adapter *ad, const struct rte_emudev_event *ev)
{
	if (ev->config.state == NULL)
		return;
	pthread_mutex_lock(&ad->lock);
	apply_config(ad, ev->config.state, ev->config.changed);
	ad->state_gen++;
	pthread_mutex_unlock(&ad->lock);
}

/*
 * The guest mapped queues to other vectors: a running queue keeps its
 * ring and head, and raises the new vector from its next burst on (the
 * bursts read it without a lock).
 */
static void
irq_event(struct iavfbe_adapter *ad, const struct rte_emudev_event *ev)
{
	uint16_t qid, n = RTE_MIN(ev->irq.nb_queues, 2 * ad->nb_qp);

	if (ev->irq.vectors == NULL)
		return;
	pthread_mutex_lock(&ad->lock);
	for (qid = 0; qid < n; qid++) {
		ad->gdesc[qid].qi.irq_vector = ev->irq.vectors[qid];
		__atomic_store_n(&gq_of(ad, qid)->vector, ev->irq.vectors[qid],
				 __ATOMIC_RELAXED);
	}
	ad->state_gen++;
	pthread_mutex_unlock(&ad->lock);
}

static void
on_event(uint16_t dev_id __rte_unused, const struct rte_emudev_event *ev,
		void *arg)
{
	struct iavfbe_adapter *ad = arg;

	ad->port_counts.events++;
	switch (ev->type) {
	case RTE_EMUDEV_EVENT_QUEUE_STATE:
		if (ev->queue.qid < 2 * ad->nb_qp)
			queue_event(ad, ev);
		break;
	case RTE_EMUDEV_EVENT_MEM_CHANGING:
		mem_changing(ad, ev);
		break;
	case RTE_EMUDEV_EVENT_MEM_CHANGED:
		mem_changed(ad, ev);
		break;
	case RTE_EMUDEV_EVENT_RESET:
		reset_event(ad);
		break;
	case RTE_EMUDEV_EVENT_DRIVER_GONE:
		IAVFBE_LOG_RL(ad, log_ctrl, INFO, "guest driver gone");
		break;
	case RTE_EMUDEV_EVENT_LINK:
		link_event(ad, ev);
		break;
	case RTE_EMUDEV_EVENT_IRQ:
		irq_event(ad, ev);
		break;
	case RTE_EMUDEV_EVENT_CONFIG:
		config_event(ad, ev);
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
	static struct gq_state s[2 * IAVFBE_MAX_QP]; /* probe runs alone */
	struct rte_emudev_net_config c;
	uint32_t speed = 0;
	uint64_t gen;
	uint16_t qid;
	bool applied = false;

	if (rte_emudev_get_attr(ad->emu_id, RTE_EMUDEV_NET_ATTR_LINK_SPEED,
			&speed, sizeof(speed)) != (int)sizeof(speed))
		speed = 0;
	while (!applied) {
		pthread_mutex_lock(&ad->lock);
		gen = ad->state_gen;
		pthread_mutex_unlock(&ad->lock);
		for (qid = 0; qid < 2 * ad->nb_qp; qid++)
			read_queue_guarded(ad, qid, &s[qid]);
		query_config(ad, &c);
		pthread_mutex_lock(&ad->lock);
		if (gen == ad->state_gen) {
			for (qid = 0; qid < 2 * ad->nb_qp; qid++)
				apply_queue(ad, gq_of(ad, qid), &s[qid], false);
			update_rx_active(ad);
			apply_config(ad, &c, RTE_EMUDEV_NET_CFG_ALL);
			if (ad->link_speed == 0)
				ad->link_speed = speed;
			applied = true;
		}
		pthread_mutex_unlock(&ad->lock);
	}
}

void
iavfbe_map_guest_queues(struct iavfbe_adapter *ad, uint16_t nb_rxq)
{
	uint16_t q, g;

	for (q = 0; q < nb_rxq; q++) {
		ad->rxq[q]->nb_gq = 0;
		ad->rxq[q]->next_gq = 0;
	}
	for (g = 0; g < ad->nb_qp; g++) {
		struct iavfbe_rx_queue *rxq = ad->rxq[g % nb_rxq];

		rxq->gq[rxq->nb_gq++] = &ad->gtx[g];
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
	rte_eal_alarm_cancel(lsc_alarm, ad);
}
