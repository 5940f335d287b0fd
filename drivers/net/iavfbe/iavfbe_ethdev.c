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

bool
iavfbe_log_allowed(struct iavfbe_adapter *ad)
{
	uint64_t now = rte_get_timer_cycles();

	if (now - ad->log_tsc < rte_get_timer_hz())
		return false;
	ad->log_tsc = now;
	return true;
}

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

static int
iavfbe_dev_configure(struct rte_eth_dev *dev)
{
	struct iavfbe_adapter *ad = adapter_of(dev);

	if (dev->data->nb_rx_queues > ad->nb_qp ||
	    dev->data->nb_tx_queues > ad->nb_qp)
		return -EINVAL;
	return 0;
}

static int
iavfbe_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct iavfbe_adapter *ad = adapter_of(dev);
	uint16_t enabled = RTE_MAX(guest_pairs_enabled(ad), 1);

	info->max_mac_addrs = 1;
	info->max_rx_queues = ad->nb_qp;
	info->max_tx_queues = ad->nb_qp;
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
	uint32_t speed;

	link.link_status = ad->link_up && dev->data->dev_started;
	if (link.link_status && rte_emudev_get_attr(ad->emu_id,
			RTE_EMUDEV_NET_ATTR_LINK_SPEED, &speed, sizeof(speed)) ==
			(int)sizeof(speed))
		link.link_speed = speed;
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
iavfbe_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct iavfbe_rx_queue *rxq = dev->data->rx_queues[qid];

	if (rxq == NULL)
		return;
	iavfbe_rxq_flush(rxq);
	rte_free(rxq);
	dev->data->rx_queues[qid] = NULL;
}

static void
iavfbe_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	rte_free(dev->data->tx_queues[qid]);
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
	rxq->gq = &ad->gtx[qid];
	rxq->mp = mp;
	rxq->port_id = dev->data->port_id;
	rxq->queue_id = qid;
	dev->data->rx_queues[qid] = rxq;
	return 0;
}

static int
iavfbe_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
		uint16_t nb_desc __rte_unused, unsigned int socket,
		const struct rte_eth_txconf *conf __rte_unused)
{
	struct iavfbe_tx_queue *txq;

	iavfbe_tx_queue_release(dev, qid);
	txq = rte_zmalloc_socket("iavfbe_txq", sizeof(*txq),
			RTE_CACHE_LINE_SIZE, socket);
	if (txq == NULL)
		return -ENOMEM;
	txq->ad = adapter_of(dev);
	txq->queue_id = qid;
	dev->data->tx_queues[qid] = txq;
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

static void
port_totals(struct rte_eth_dev *dev, struct iavfbe_queue_stats *rx,
		struct iavfbe_queue_stats *tx)
{
	uint16_t i;

	memset(rx, 0, sizeof(*rx));
	memset(tx, 0, sizeof(*tx));
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		const struct iavfbe_rx_queue *q = dev->data->rx_queues[i];

		if (q != NULL)
			sum_stats(rx, &q->stats);
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		const struct iavfbe_tx_queue *q = dev->data->tx_queues[i];

		if (q != NULL)
			sum_stats(tx, &q->stats);
	}
}

static int
iavfbe_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *st)
{
	struct iavfbe_queue_stats rx, tx;
	uint16_t i;

	port_totals(dev, &rx, &tx);
	st->ipackets = rx.packets;
	st->ibytes = rx.bytes;
	st->ierrors = rx.errors;
	st->opackets = tx.packets;
	st->obytes = tx.bytes;
	st->oerrors = tx.errors;
	st->rx_nombuf = dev->data->rx_mbuf_alloc_failed;
	for (i = 0; i < dev->data->nb_rx_queues &&
		    i < RTE_ETHDEV_QUEUE_STAT_CNTRS; i++) {
		const struct iavfbe_rx_queue *q = dev->data->rx_queues[i];

		st->q_ipackets[i] = q->stats.packets;
		st->q_ibytes[i] = q->stats.bytes;
		st->q_errors[i] = q->stats.errors;
	}
	for (i = 0; i < dev->data->nb_tx_queues &&
		    i < RTE_ETHDEV_QUEUE_STAT_CNTRS; i++) {
		const struct iavfbe_tx_queue *q = dev->data->tx_queues[i];

		st->q_opackets[i] = q->stats.packets;
		st->q_obytes[i] = q->stats.bytes;
	}
	return 0;
}

static int
iavfbe_stats_reset(struct rte_eth_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct iavfbe_rx_queue *q = dev->data->rx_queues[i];

		memset(&q->stats, 0, sizeof(q->stats));
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct iavfbe_tx_queue *q = dev->data->tx_queues[i];

		memset(&q->stats, 0, sizeof(q->stats));
	}
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
	{ "guest_rings_unusable", offsetof(struct iavfbe_adapter, ring_errors) },
	{ "guest_resets", offsetof(struct iavfbe_adapter, guest_resets) },
	{ "device_events", offsetof(struct iavfbe_adapter, events) },
};

static unsigned int
xstats_count(const struct rte_eth_dev *dev)
{
	return RTE_DIM(port_xstats) + RTE_DIM(queue_xstats) *
		(dev->data->nb_rx_queues + dev->data->nb_tx_queues);
}

static int
iavfbe_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size)
{
	unsigned int n = xstats_count(dev), k = 0, i, q;

	if (names == NULL || size < n)
		return n;
	for (i = 0; i < RTE_DIM(port_xstats); i++)
		strlcpy(names[k++].name, port_xstats[i].name,
			sizeof(names[0].name));
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

static uint64_t
field(const void *base, size_t off)
{
	return *(const uint64_t *)((const uint8_t *)base + off);
}

static int
iavfbe_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xs,
		unsigned int size)
{
	unsigned int n = xstats_count(dev), k = 0, i, q;

	if (xs == NULL || size < n)
		return n;
	for (i = 0; i < RTE_DIM(port_xstats); i++, k++) {
		xs[k].id = k;
		xs[k].value = field(adapter_of(dev), port_xstats[i].off);
	}
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct iavfbe_rx_queue *rxq = dev->data->rx_queues[q];

		for (i = 0; i < RTE_DIM(queue_xstats); i++, k++) {
			xs[k].id = k;
			xs[k].value = field(&rxq->stats, queue_xstats[i].off);
		}
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct iavfbe_tx_queue *txq = dev->data->tx_queues[q];

		for (i = 0; i < RTE_DIM(queue_xstats); i++, k++) {
			xs[k].id = k;
			xs[k].value = field(&txq->stats, queue_xstats[i].off);
		}
	}
	return n;
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
};

/*
 * GET_STATS from the guest: its Rx is this port's Tx and the other way
 * round. Called on the provider's thread while bursts count.
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
	port_totals(ad->eth_dev, &rx, &tx);
	memset(gs, 0, sizeof(*gs));
	gs->rx_bytes = tx.bytes;
	gs->rx_multicast = tx.mcast;
	gs->rx_broadcast = tx.bcast;
	gs->rx_unicast = tx.packets - tx.mcast - tx.bcast;
	gs->rx_discards = tx.err[IAVFBE_ERR_NO_BUFS] + tx.err[IAVFBE_ERR_TOO_BIG];
	gs->tx_bytes = rx.bytes;
	gs->tx_multicast = rx.mcast;
	gs->tx_broadcast = rx.bcast;
	gs->tx_unicast = rx.packets - rx.mcast - rx.bcast;
	gs->tx_errors = rx.errors;
	return 0;
}

static int
offload_arg(const char *key __rte_unused, const char *value, void *arg)
{
	bool *flags = arg;

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
	pthread_mutexattr_t attr;

	strlcpy(ad->name, dev->data->name, sizeof(ad->name));
	ad->eth_dev = dev;
	ad->emu_id = emu_id;
	ad->nb_qp = info->max_queues / 2;
	ad->max_frame = info->max_frame_len;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&ad->lock, &attr);
	pthread_mutexattr_destroy(&attr);
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
	rc = adapter_init(ad, dev, emu_id, &info);
	if (rc == 0)
		rc = rte_emudev_configure(emu_id, &(struct rte_emudev_conf){
				.stats_get = guest_stats_get, .arg = ad });
	if (rc < 0) {
		IAVFBE_LOG(ERR, "%s: cannot use %s: %s", name,
			   rte_emudev_get_name(emu_id), strerror(-rc));
		pthread_mutex_destroy(&ad->lock);
		rte_eth_dev_release_port(dev);
		return rc;
	}
	rc = iavfbe_events_attach(ad);
	if (rc < 0) {
		rte_emudev_close(emu_id);
		pthread_mutex_destroy(&ad->lock);
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
