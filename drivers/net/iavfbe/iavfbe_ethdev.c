/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/* The net_iavfbe vdev: devargs, probe and remove, ethdev operations. */

#include <errno.h>
#include <inttypes.h>

#include <bus_vdev_driver.h>
#include <ethdev_vdev.h>
#include <rte_cycles.h>
#include <rte_kvargs.h>
#include <rte_malloc.h>

#include <rte_emudev_vdev.h>

#include "iavfbe.h"

RTE_LOG_REGISTER(iavfbe_logtype, pmd.net.iavfbe, NOTICE);

#define IAVFBE_ARG_OFFLOAD "guest_offload"

static const char *const valid_args[] = {
	RTE_EMUDEV_VDEV_ARG, IAVFBE_ARG_OFFLOAD, NULL
};

static struct iavfbe_adapter *
adapter_of(struct rte_eth_dev *dev)
{
	return dev->data->dev_private;
}

static uint16_t
guest_pairs_enabled(const struct iavfbe_adapter *ad)
{
	uint16_t q, n = 0;

	for (q = 0; q < ad->nb_qp; q++)
		n += ad->gtx[q].enabled || ad->grx[q].enabled;
	return n;
}

/*
 * Any queue count works with any guest: queues are mapped at start. The
 * guest's Tx rings need a poller, hence at least one Rx queue.
 */
static int
iavfbe_dev_configure(struct rte_eth_dev *dev)
{
	struct iavfbe_adapter *ad = adapter_of(dev);

	if (dev->data->nb_rx_queues == 0) {
		IAVFBE_LOG(ERR, "%s: at least one Rx queue is needed to serve "
			   "the guest's Tx queues", ad->name);
		return -EINVAL;
	}
	if (dev->data->nb_rx_queues > IAVFBE_MAX_QUEUES ||
	    dev->data->nb_tx_queues > IAVFBE_MAX_QUEUES)
		return -EINVAL;
	return 0;
}

static int
iavfbe_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	uint16_t enabled = RTE_MAX(guest_pairs_enabled(ad), 1);

	info->max_mac_addrs = 1;
	info->max_rx_queues = IAVFBE_MAX_QUEUES;
	info->max_tx_queues = IAVFBE_MAX_QUEUES;
	info->default_rxportconf.nb_queues = enabled;
	info->default_txportconf.nb_queues = enabled;
	info->max_rx_pktlen = ad->max_frame;
	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mtu = ad->max_frame - RTE_ETHER_HDR_LEN - RTE_ETHER_CRC_LEN;
	info->min_rx_bufsize = IAVFBE_MIN_MBUF_ROOM;
	info->rx_offload_capa = RTE_ETH_RX_OFFLOAD_SCATTER;
	info->tx_offload_capa = RTE_ETH_TX_OFFLOAD_MULTI_SEGS |
		RTE_ETH_TX_OFFLOAD_VLAN_INSERT;
	info->speed_capa = RTE_ETH_LINK_SPEED_FIXED;
	return 0;
}

static int
iavfbe_link_update(struct rte_eth_dev *dev, int wait __rte_unused)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	struct rte_eth_link link = {
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED,
	};

	pthread_mutex_lock(&ad->lock);
	link.link_status = ad->link_up && dev->data->dev_started;
	if (link.link_status)
		link.link_speed = ad->link_speed;
	pthread_mutex_unlock(&ad->lock);
	return rte_eth_linkstatus_set(dev, &link);
}

static void
flush_rx_stashes(struct rte_eth_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		if (dev->data->rx_queues[i] != NULL)
			iavfbe_rxq_flush(dev->data->rx_queues[i]);
}

static int
iavfbe_dev_start(struct rte_eth_dev *dev)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	uint16_t i;
	int rc;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		if (dev->data->rx_queues[i] == NULL)
			return -EINVAL;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		if (dev->data->tx_queues[i] == NULL)
			return -EINVAL;
	iavfbe_map_guest_queues(ad, dev->data->nb_rx_queues);
	/* Started first, so that the link event finds the port started. */
	dev->data->dev_started = 1;
	rc = rte_emudev_start(ad->emu_id);
	if (rc < 0) {
		dev->data->dev_started = 0;
		return rc;
	}
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = RTE_ETH_QUEUE_STATE_STARTED;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		dev->data->tx_queue_state[i] = RTE_ETH_QUEUE_STATE_STARTED;
	iavfbe_link_update(dev, 0); /* -1 only means "unchanged" */
	return 0;
}

static int
iavfbe_dev_stop(struct rte_eth_dev *dev)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	uint16_t i;

	dev->data->dev_started = 0;
	rte_emudev_stop(ad->emu_id);
	flush_rx_stashes(dev);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = RTE_ETH_QUEUE_STATE_STOPPED;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		dev->data->tx_queue_state[i] = RTE_ETH_QUEUE_STATE_STOPPED;
	iavfbe_link_update(dev, 0);
	return 0;
}

static void
sum_stats(struct iavfbe_queue_stats *sum, const struct iavfbe_queue_stats *s)
{
	const uint64_t *src = (const uint64_t *)s;
	uint64_t *dst = (uint64_t *)sum;
	size_t i;

	for (i = 0; i < sizeof(*s) / sizeof(uint64_t); i++)
		dst[i] += src[i];
}

/* What a queue counted stays in the guest's counters after it goes. */
static void
iavfbe_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	struct iavfbe_rx_queue *rxq = dev->data->rx_queues[qid];

	if (rxq == NULL)
		return;
	pthread_mutex_lock(&ad->lock);
	sum_stats(&ad->retired_rx, &rxq->stats);
	ad->rxq[qid] = NULL;
	pthread_mutex_unlock(&ad->lock);
	iavfbe_rxq_flush(rxq);
	rte_free(rxq);
	dev->data->rx_queues[qid] = NULL;
}

static void
iavfbe_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	struct iavfbe_tx_queue *txq = dev->data->tx_queues[qid];

	if (txq == NULL)
		return;
	pthread_mutex_lock(&ad->lock);
	sum_stats(&ad->retired_tx, &txq->stats);
	ad->txq[qid] = NULL;
	pthread_mutex_unlock(&ad->lock);
	rte_free(txq);
	dev->data->tx_queues[qid] = NULL;
}

static int
iavfbe_dev_close(struct rte_eth_dev *dev)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	uint16_t i;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	if (dev->data->dev_started)
		iavfbe_dev_stop(dev);
	iavfbe_events_detach(ad);
	rte_emudev_close(ad->emu_id);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		iavfbe_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		iavfbe_tx_queue_release(dev, i);
	pthread_mutex_destroy(&ad->lock);
	return 0;
}

static int
iavfbe_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
		uint16_t nb_desc __rte_unused, unsigned int socket,
		const struct rte_eth_rxconf *conf __rte_unused,
		struct rte_mempool *mp)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	struct iavfbe_rx_queue *rxq;

	if (rte_pktmbuf_data_room_size(mp) < RTE_PKTMBUF_HEADROOM +
	    IAVFBE_MIN_MBUF_ROOM) {
		IAVFBE_LOG(ERR, "%s: mbufs need at least %u bytes of room",
			   ad->name, IAVFBE_MIN_MBUF_ROOM);
		return -EINVAL;
	}
	iavfbe_rx_queue_release(dev, qid);
	rxq = rte_zmalloc_socket("iavfbe_rxq", sizeof(*rxq),
			RTE_CACHE_LINE_SIZE, socket);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->ad = ad;
	rxq->mp = mp;
	rxq->buf_room = rte_pktmbuf_data_room_size(mp) - RTE_PKTMBUF_HEADROOM;
	rxq->port_id = dev->data->port_id;
	rxq->queue_id = qid;
	dev->data->rx_queues[qid] = rxq;
	pthread_mutex_lock(&ad->lock);
	ad->rxq[qid] = rxq;
	pthread_mutex_unlock(&ad->lock);
	return 0;
}

static int
iavfbe_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
		uint16_t nb_desc __rte_unused, unsigned int socket,
		const struct rte_eth_txconf *conf __rte_unused)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	struct iavfbe_tx_queue *txq;

	iavfbe_tx_queue_release(dev, qid);
	txq = rte_zmalloc_socket("iavfbe_txq", sizeof(*txq),
			RTE_CACHE_LINE_SIZE, socket);
	if (txq == NULL)
		return -ENOMEM;
	txq->ad = ad;
	txq->queue_id = qid;
	dev->data->tx_queues[qid] = txq;
	pthread_mutex_lock(&ad->lock);
	ad->txq[qid] = txq;
	pthread_mutex_unlock(&ad->lock);
	return 0;
}

/* A counter as the application sees it: since its last stats reset. */
static uint64_t
since_reset(const struct iavfbe_queue_stats *s,
		const struct iavfbe_queue_stats *base, size_t off)
{
	return *(const uint64_t *)((const uint8_t *)s + off) -
		*(const uint64_t *)((const uint8_t *)base + off);
}

#define SINCE_RESET(q, f) \
	since_reset(&(q)->stats, &(q)->stats_base, \
		    offsetof(struct iavfbe_queue_stats, f))

static int
stats_fill(struct rte_eth_dev *dev, struct rte_eth_stats *st,
		emunic_eth_qstats *qs)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		const struct iavfbe_rx_queue *q = dev->data->rx_queues[i];

		if (q == NULL)
			continue;
		st->ipackets += SINCE_RESET(q, packets);
		st->ibytes += SINCE_RESET(q, bytes);
		st->ierrors += SINCE_RESET(q, errors);
		if (qs != NULL && i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qs->q_ipackets[i] = SINCE_RESET(q, packets);
			qs->q_ibytes[i] = SINCE_RESET(q, bytes);
			qs->q_errors[i] = SINCE_RESET(q, errors);
		}
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		const struct iavfbe_tx_queue *q = dev->data->tx_queues[i];

		if (q == NULL)
			continue;
		st->opackets += SINCE_RESET(q, packets);
		st->obytes += SINCE_RESET(q, bytes);
		st->oerrors += SINCE_RESET(q, errors);
		if (qs != NULL && i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qs->q_opackets[i] = SINCE_RESET(q, packets);
			qs->q_obytes[i] = SINCE_RESET(q, bytes);
		}
	}
	st->rx_nombuf = dev->data->rx_mbuf_alloc_failed;
	return 0;
}

EMUNIC_ETH_STATS_GET(iavfbe_stats_get, stats_fill)

/* The counters keep growing (the guest reads them); base lines move. */
static int
iavfbe_stats_reset(struct rte_eth_dev *dev)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct iavfbe_rx_queue *q = dev->data->rx_queues[i];

		if (q != NULL)
			q->stats_base = q->stats;
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct iavfbe_tx_queue *q = dev->data->tx_queues[i];

		if (q != NULL)
			q->stats_base = q->stats;
	}
	for (i = 0; i < ad->nb_qp; i++) {
		ad->gtx_base[i] = ad->gtx[i].packets;
		ad->grx_base[i] = ad->grx[i].packets;
	}
	ad->port_base = ad->port_counts;
	dev->data->rx_mbuf_alloc_failed = 0;
	return 0;
}

/* Per-queue extended counters, by their place in the queue stats. */
static const struct {
	const char *name;
	size_t off;
} queue_xstats[] = {
#define QX(n, f) { n, offsetof(struct iavfbe_queue_stats, f) }
	QX("packets", packets), QX("bytes", bytes), QX("errors", errors),
	QX("multicast_packets", mcast), QX("broadcast_packets", bcast),
	QX("mbuf_allocation_errors", nombuf), QX("guest_interrupts", irqs),
	QX("tso_requests", tso), QX("checksum_requests", csum),
	QX("guest_bad_address_errors", err[IAVFBE_ERR_BAD_ADDR]),
	QX("guest_bad_length_errors", err[IAVFBE_ERR_BAD_LEN]),
	QX("guest_bad_descriptor_errors", err[IAVFBE_ERR_BAD_DESC]),
	QX("guest_ring_errors", err[IAVFBE_ERR_RING]),
	QX("guest_no_buffer_drops", err[IAVFBE_ERR_NO_BUFS]),
	QX("guest_too_long_drops", err[IAVFBE_ERR_TOO_BIG]),
	QX("guest_filter_drops", err[IAVFBE_ERR_FILTERED]),
#undef QX
};

/* Port-wide counters. */
static const struct {
	const char *name;
	size_t off;
} port_xstats[] = {
#define PX(n, f) { n, offsetof(struct iavfbe_port_counts, f) }
	PX("guest_rings_unusable", ring_errors),
	PX("guest_resets", guest_resets),
	PX("device_events", events),
#undef PX
};

/* Then, per guest queue pair: frames on its Tx and its Rx queue. */
#define GUEST_QUEUE_XSTATS 2

static unsigned int
xstats_count(const struct rte_eth_dev *dev)
{
	const struct iavfbe_adapter *ad = dev->data->dev_private;

	return RTE_DIM(port_xstats) + GUEST_QUEUE_XSTATS * ad->nb_qp +
		RTE_DIM(queue_xstats) *
		(dev->data->nb_rx_queues + dev->data->nb_tx_queues);
}

static int
iavfbe_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	unsigned int n = xstats_count(dev), k = 0, i, q;

	if (names == NULL || size < n)
		return n;
	for (i = 0; i < RTE_DIM(port_xstats); i++)
		strlcpy(names[k++].name, port_xstats[i].name,
			sizeof(names[0].name));
	for (q = 0; q < ad->nb_qp; q++) {
		snprintf(names[k++].name, sizeof(names[0].name),
			 "guest_txq%u_packets", q);
		snprintf(names[k++].name, sizeof(names[0].name),
			 "guest_rxq%u_packets", q);
	}
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		for (i = 0; i < RTE_DIM(queue_xstats); i++)
			snprintf(names[k++].name, sizeof(names[0].name),
				 "rx_q%u_%s", q, queue_xstats[i].name);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		for (i = 0; i < RTE_DIM(queue_xstats); i++)
			snprintf(names[k++].name, sizeof(names[0].name),
				 "tx_q%u_%s", q, queue_xstats[i].name);
	return n;
}

static void
queue_xstats_get(const struct iavfbe_queue_stats *s,
		const struct iavfbe_queue_stats *base, struct rte_eth_xstat *xs,
		unsigned int *k)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(queue_xstats); i++, (*k)++) {
		xs[*k].id = *k;
		xs[*k].value = s == NULL ? 0 :
			since_reset(s, base, queue_xstats[i].off);
	}
}

static int
iavfbe_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xs,
		unsigned int size)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	unsigned int n = xstats_count(dev), k = 0, i, q;

	if (xs == NULL || size < n)
		return n;
	for (i = 0; i < RTE_DIM(port_xstats); i++, k++) {
		xs[k].id = k;
		xs[k].value = *(const uint64_t *)((const uint8_t *)&ad->port_counts +
				port_xstats[i].off) -
			*(const uint64_t *)((const uint8_t *)&ad->port_base +
				port_xstats[i].off);
	}
	for (q = 0; q < ad->nb_qp; q++) {
		xs[k].id = k;
		xs[k++].value = ad->gtx[q].packets - ad->gtx_base[q];
		xs[k].id = k;
		xs[k++].value = ad->grx[q].packets - ad->grx_base[q];
	}
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct iavfbe_rx_queue *rxq = dev->data->rx_queues[q];

		queue_xstats_get(rxq ? &rxq->stats : NULL,
				 rxq ? &rxq->stats_base : NULL, xs, &k);
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct iavfbe_tx_queue *txq = dev->data->tx_queues[q];

		queue_xstats_get(txq ? &txq->stats : NULL,
				 txq ? &txq->stats_base : NULL, xs, &k);
	}
	return n;
}

/* Sum of what live and released queues counted; under ad->lock. */
static void
guest_totals(const struct iavfbe_adapter *ad, struct iavfbe_queue_stats *rx,
		struct iavfbe_queue_stats *tx)
{
	uint16_t i;

	*rx = ad->retired_rx;
	*tx = ad->retired_tx;
	for (i = 0; i < IAVFBE_MAX_QUEUES; i++) {
		if (ad->rxq[i] != NULL)
			sum_stats(rx, &ad->rxq[i]->stats);
		if (ad->txq[i] != NULL)
			sum_stats(tx, &ad->txq[i]->stats);
	}
}

/*
 * GET_STATS from the guest, with the hardware's meaning (which both the
 * Linux and the DPDK iavf drivers assume): the guest's Rx is this port's
 * Tx and the other way round; the Rx packet counters include the frames
 * discarded for want of buffers (DPDK subtracts rx_discards from their
 * sum), and rx_bytes counts the 4 FCS bytes of each delivered frame
 * (DPDK subtracts them). The counters never go back: an application's
 * stats reset and its queue reconfiguration do not show. Called on the
 * provider's thread while bursts count.
 */
static int
guest_stats_get(uint16_t emu_id __rte_unused, void *stats, size_t len,
		void *arg)
{
	struct iavfbe_adapter *ad = arg;
	struct rte_emudev_net_stats *gs = stats;
	struct iavfbe_queue_stats rx, tx;

	if (len < sizeof(*gs))
		return -EINVAL;
	pthread_mutex_lock(&ad->lock);
	guest_totals(ad, &rx, &tx);
	pthread_mutex_unlock(&ad->lock);
	memset(gs, 0, sizeof(*gs));
	gs->rx_bytes = tx.bytes + RTE_ETHER_CRC_LEN * tx.packets;
	gs->rx_multicast = tx.mcast + tx.discard_mcast;
	gs->rx_broadcast = tx.bcast + tx.discard_bcast;
	gs->rx_unicast = tx.packets + tx.discards - gs->rx_multicast -
		gs->rx_broadcast;
	gs->rx_discards = tx.discards;
	gs->tx_bytes = rx.bytes;
	gs->tx_multicast = rx.mcast;
	gs->tx_broadcast = rx.bcast;
	gs->tx_unicast = rx.packets - rx.mcast - rx.bcast;
	gs->tx_discards = rx.nombuf;
	gs->tx_errors = rx.errors;
	return 0;
}

/* "1,3" for a set of queue ids. */
static void
list_ids(char *buf, size_t len, const uint16_t *ids, uint16_t n)
{
	size_t o = 0;
	uint16_t i;

	buf[0] = '\0';
	for (i = 0; i < n && o < len; i++)
		o += snprintf(buf + o, len - o, "%s%u", i ? "," : "", ids[i]);
}

void
iavfbe_describe_queues(struct iavfbe_adapter *ad, char *buf, size_t len)
{
	struct rte_eth_dev_data *data = ad->eth_dev->data;
	uint16_t ids[IAVFBE_MAX_QP] = { 0 }, nb = 0, q, g;
	char list[64];
	size_t o;

	for (q = 0; q < ad->nb_qp; q++)
		if (ad->gtx[q].enabled)
			ids[nb++] = q;
	list_ids(list, sizeof(list), ids, nb);
	o = snprintf(buf, len, "guest Tx queues enabled: %s;", nb ? list : "none");
	for (q = 0; q < data->nb_rx_queues && ad->rxq[q] != NULL && o < len; q++) {
		const struct iavfbe_rx_queue *rxq = ad->rxq[q];

		for (g = 0; g < rxq->nb_gq; g++)
			ids[g] = RTE_EMUDEV_NET_QP(rxq->gq[g]->qid);
		list_ids(list, sizeof(list), ids, rxq->nb_gq);
		o += snprintf(buf + o, len - o, " Rx queue %u polls guest Tx %s;",
			      q, rxq->nb_gq ? list : "none");
	}
	nb = __atomic_load_n(&ad->nb_rx_active, __ATOMIC_ACQUIRE);
	for (q = 0; q < nb; q++)
		ids[q] = ad->rx_active[q];
	list_ids(list, sizeof(list), ids, nb);
	if (o < len)
		snprintf(buf + o, len - o, " Tx queues 0-%u deliver to guest Rx "
			 "%s by the guest's RSS, else by Tx queue number",
			 RTE_MAX(data->nb_tx_queues, 1) - 1, nb ? list : "none");
}

static int
iavfbe_priv_dump(struct rte_eth_dev *dev, FILE *f)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	char map[512];

	iavfbe_describe_queues(ad, map, sizeof(map));
	fprintf(f, "%s on %s: %u guest queue pairs, link %s\n  %s\n", ad->name,
		rte_emudev_get_name(ad->emu_id), ad->nb_qp,
		ad->link_up ? "up" : "down", map);
	return 0;
}

/* The guest's settings rule: the application cannot change them. */
static int
iavfbe_promisc_noop(struct rte_eth_dev *dev __rte_unused)
{
	return 0;
}

static int
iavfbe_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct iavfbe_adapter *ad = adapter_of(dev);

	return (uint32_t)mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN >
		ad->max_frame ? -EINVAL : 0;
}

static const struct eth_dev_ops iavfbe_ops = {
	.dev_configure = iavfbe_dev_configure,
	.dev_infos_get = iavfbe_dev_infos_get,
	.dev_start = iavfbe_dev_start,
	.dev_stop = iavfbe_dev_stop,
	.dev_close = iavfbe_dev_close,
	.link_update = iavfbe_link_update,
	.rx_queue_setup = iavfbe_rx_queue_setup,
	.rx_queue_release = iavfbe_rx_queue_release,
	.tx_queue_setup = iavfbe_tx_queue_setup,
	.tx_queue_release = iavfbe_tx_queue_release,
	.stats_get = iavfbe_stats_get,
	.stats_reset = iavfbe_stats_reset,
	.xstats_get = iavfbe_xstats_get,
	.xstats_get_names = iavfbe_xstats_get_names,
	.xstats_reset = iavfbe_stats_reset,
	.promiscuous_enable = iavfbe_promisc_noop,
	.promiscuous_disable = iavfbe_promisc_noop,
	.allmulticast_enable = iavfbe_promisc_noop,
	.allmulticast_disable = iavfbe_promisc_noop,
	.mtu_set = iavfbe_mtu_set,
	.eth_dev_priv_dump = iavfbe_priv_dump,
};

static int
offload_arg(const char *key __rte_unused, const char *value, void *arg)
{
	bool *flags = arg;

	/* DPDK before 23.11 hands on a key without value as NULL. */
	if (value == NULL)
		return -EINVAL;
	if (strcmp(value, "sw") == 0)
		*flags = false;
	else if (strcmp(value, "flags") == 0)
		*flags = true;
	else
		return -EINVAL;
	return 0;
}

/* emu= is parsed by emudev; guest_offload=sw|flags here. */
static int
parse_devargs(const char *args, bool *offload_flags)
{
	struct rte_kvargs *kv;
	int rc = 0;

	*offload_flags = false;
	if (args == NULL || args[0] == '\0')
		return -EINVAL;
	kv = rte_kvargs_parse(args, valid_args);
	if (kv == NULL)
		return -EINVAL;
	if (rte_kvargs_count(kv, IAVFBE_ARG_OFFLOAD) > 1 ||
	    (rte_kvargs_count(kv, IAVFBE_ARG_OFFLOAD) == 1 &&
	     rte_kvargs_process(kv, IAVFBE_ARG_OFFLOAD, offload_arg,
			offload_flags) != 0))
		rc = -EINVAL;
	rte_kvargs_free(kv);
	return rc;
}

static int
adapter_init(struct iavfbe_adapter *ad, struct rte_eth_dev *dev,
		uint16_t emu_id, const struct rte_emudev_info *info)
{
	strlcpy(ad->name, dev->data->name, sizeof(ad->name));
	ad->eth_dev = dev;
	ad->emu_id = emu_id;
	ad->nb_qp = info->max_queues / 2;
	ad->max_frame = info->max_frame_len;
	pthread_mutex_init(&ad->lock, NULL);
	dev->data->mac_addrs = rte_zmalloc(NULL, sizeof(struct rte_ether_addr), 0);
	if (dev->data->mac_addrs == NULL)
		return -ENOMEM;
	dev->dev_ops = &iavfbe_ops;
	dev->rx_pkt_burst = iavfbe_recv_pkts;
	dev->tx_pkt_burst = iavfbe_xmit_pkts;
	dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC;
	dev->data->mtu = RTE_ETHER_MTU;
	return 0;
}

static int
emudev_usable(uint16_t emu_id, struct rte_emudev_info *info)
{
	int rc = rte_emudev_info_get(emu_id, info);

	if (rc < 0)
		return rc;
	if (info->type != RTE_EMUDEV_TYPE_NET || info->max_queues < 2 ||
	    info->max_queues / 2 > IAVFBE_MAX_QP ||
	    strcmp(info->driver_name, "emu_iavf") != 0)
		return -ENOTSUP;
	return 0;
}

/* Become the device's consumer and learn its state; undone on failure. */
static int
attach_device(struct iavfbe_adapter *ad, struct rte_eth_dev *dev,
		uint16_t emu_id, const struct rte_emudev_info *info)
{
	int rc = adapter_init(ad, dev, emu_id, info);

	if (rc < 0)
		goto err;
	rc = rte_emudev_configure(emu_id, &(struct rte_emudev_conf){
			.stats_get = guest_stats_get, .arg = ad });
	if (rc < 0)
		goto err;
	rc = iavfbe_events_attach(ad);
	if (rc == 0)
		return 0;
	rte_emudev_close(emu_id);
err:
	pthread_mutex_destroy(&ad->lock);
	return rc;
}

static int
iavfbe_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	const char *args = rte_vdev_device_args(vdev);
	struct rte_emudev_info info;
	struct rte_eth_dev *dev;
	struct iavfbe_adapter *ad;
	bool offload_flags;
	int emu_id, rc;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		IAVFBE_LOG(ERR, "%s: secondary processes are not supported", name);
		return -ENOTSUP;
	}
	if (parse_devargs(args, &offload_flags) < 0) {
		IAVFBE_LOG(ERR, "%s: devargs are emu=<emulated device>"
			   "[,guest_offload=sw|flags]", name);
		return -EINVAL;
	}
	emu_id = rte_emudev_vdev_parse(args);
	if (emu_id < 0)
		return emu_id;
	rc = emudev_usable(emu_id, &info);
	if (rc < 0) {
		IAVFBE_LOG(ERR, "%s: %s is not an emu_iavf device", name,
			   rte_emudev_get_name(emu_id));
		return rc;
	}
	dev = rte_eth_vdev_allocate(vdev, sizeof(*ad));
	if (dev == NULL)
		return -ENOMEM;
	ad = dev->data->dev_private;
	ad->offload_flags = offload_flags;
	rc = attach_device(ad, dev, emu_id, &info);
	if (rc < 0) {
		IAVFBE_LOG(ERR, "%s: cannot use %s: %s", name,
			   rte_emudev_get_name(emu_id), strerror(-rc));
		rte_eth_dev_release_port(dev);
		return rc;
	}
	rte_eth_dev_probing_finish(dev);
	IAVFBE_LOG(INFO, "%s: port %u on %s, %u queue pairs", name,
		   dev->data->port_id, rte_emudev_get_name(emu_id), ad->nb_qp);
	return 0;
}

static int
iavfbe_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev =
		rte_eth_dev_allocated(rte_vdev_device_name(vdev));

	if (dev == NULL)
		return 0;
	if (dev->data->dev_started)
		rte_eth_dev_stop(dev->data->port_id);
	return rte_eth_dev_close(dev->data->port_id);
}

static struct rte_vdev_driver iavfbe_vdev_driver = {
	.probe = iavfbe_probe,
	.remove = iavfbe_remove,
};

RTE_PMD_REGISTER_VDEV(net_iavfbe, iavfbe_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(net_iavfbe, RTE_EMUDEV_VDEV_ARG "=<name> "
	IAVFBE_ARG_OFFLOAD "=sw|flags");
