/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * The vdev and its ethdev ops: devargs, attaching to the server and
 * checking that it is an AVF, the port's configuration turned into
 * virtchnl requests, link and statistics.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <bus_vdev_driver.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>
#include <rte_alarm.h>
#include <rte_interrupts.h>
#include <rte_kvargs.h>
#include <rte_malloc.h>
#include <rte_memzone.h>
#include <rte_string_fns.h>
#include <rte_vfio_user.h>
#include <rte_vfio_user_pci.h>

#include "emunic_kvargs.h"
#include "iavf_client.h"

RTE_LOG_REGISTER(iavf_client_logtype, pmd.net.iavf_client, NOTICE);

#define ARG_PATH "path"
#define ARG_QUEUES "queues"
#define ARG_MAC "mac"
#define ARG_RECONNECT "reconnect"
#define ARG_INTR "intr"
#define RECONNECT_MAX_MS 3600000
#define MAILBOX_POLL_US 50000 /* intr=0: how often the PF's events are read */

static const char *const valid_args[] = {
	ARG_PATH, ARG_QUEUES, ARG_MAC, ARG_RECONNECT, ARG_INTR, NULL
};

#define RX_OFFLOADS (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | \
	RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM | \
	RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_VLAN_STRIP | \
	RTE_ETH_RX_OFFLOAD_VLAN_FILTER | RTE_ETH_RX_OFFLOAD_RSS_HASH)
#define TX_OFFLOADS (RTE_ETH_TX_OFFLOAD_MULTI_SEGS | \
	RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM | \
	RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_SCTP_CKSUM | \
	RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_VLAN_INSERT)
#define RSS_KEY_LEN 52
#define RSS_LUT_LEN 64
#define RSS_HF (RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_FRAG_IPV4 | \
	RTE_ETH_RSS_NONFRAG_IPV4_TCP | RTE_ETH_RSS_NONFRAG_IPV4_UDP | \
	RTE_ETH_RSS_NONFRAG_IPV4_SCTP | RTE_ETH_RSS_NONFRAG_IPV4_OTHER | \
	RTE_ETH_RSS_IPV6 | RTE_ETH_RSS_FRAG_IPV6 | \
	RTE_ETH_RSS_NONFRAG_IPV6_TCP | RTE_ETH_RSS_NONFRAG_IPV6_UDP | \
	RTE_ETH_RSS_NONFRAG_IPV6_SCTP | RTE_ETH_RSS_NONFRAG_IPV6_OTHER)

static struct iavfc_adapter *
adapter_of(struct rte_eth_dev *dev)
{
	return dev->data->dev_private;
}

static void server_lost(void *arg);

/*
 * One of the port's alarms, unless the port is being closed (its close
 * cancels them once no more can come); called with the lock held.
 */
static void
alarm_arm_locked(struct iavfc_adapter *ad, uint64_t us,
		rte_eal_alarm_callback fn)
{
	if (!ad->closing)
		rte_eal_alarm_set(us, fn, ad);
}

/*
 * Leave the control path; tell the application of a link change. A PF
 * that resets the VF ends the session: the VF comes back as after the
 * server went away, with reconnect=.
 */
static void
unlock_and_notify(struct iavfc_adapter *ad)
{
	bool lsc = ad->lsc_pending;

	ad->lsc_pending = false;
	if (ad->resetting && ad->up) {
		ad->up = false;
		alarm_arm_locked(ad, 1, server_lost);
	}
	pthread_mutex_unlock(&ad->lock);
	if (lsc)
		rte_eth_dev_callback_process(&rte_eth_devices[ad->port_id],
				RTE_ETH_EVENT_INTR_LSC, NULL);
}

/* The hash types of the RSS hash functions ethdev names. */
static uint64_t
hena_of(uint64_t rss_hf)
{
	static const struct { uint64_t hf; uint64_t hena; } map[] = {
		{ RTE_ETH_RSS_NONFRAG_IPV4_UDP, 1ull << AVF_HENA_IPV4_UDP |
			1ull << AVF_HENA_IPV4_UDP_UCAST | 1ull << AVF_HENA_IPV4_UDP_MCAST },
		{ RTE_ETH_RSS_NONFRAG_IPV4_TCP, 1ull << AVF_HENA_IPV4_TCP |
			1ull << AVF_HENA_IPV4_TCP_SYN },
		{ RTE_ETH_RSS_NONFRAG_IPV4_SCTP, 1ull << AVF_HENA_IPV4_SCTP },
		{ RTE_ETH_RSS_NONFRAG_IPV4_OTHER | RTE_ETH_RSS_IPV4,
			1ull << AVF_HENA_IPV4_OTHER },
		{ RTE_ETH_RSS_FRAG_IPV4, 1ull << AVF_HENA_IPV4_FRAG },
		{ RTE_ETH_RSS_NONFRAG_IPV6_UDP, 1ull << AVF_HENA_IPV6_UDP |
			1ull << AVF_HENA_IPV6_UDP_UCAST | 1ull << AVF_HENA_IPV6_UDP_MCAST },
		{ RTE_ETH_RSS_NONFRAG_IPV6_TCP, 1ull << AVF_HENA_IPV6_TCP |
			1ull << AVF_HENA_IPV6_TCP_SYN },
		{ RTE_ETH_RSS_NONFRAG_IPV6_SCTP, 1ull << AVF_HENA_IPV6_SCTP },
		{ RTE_ETH_RSS_NONFRAG_IPV6_OTHER | RTE_ETH_RSS_IPV6,
			1ull << AVF_HENA_IPV6_OTHER },
		{ RTE_ETH_RSS_FRAG_IPV6, 1ull << AVF_HENA_IPV6_FRAG },
	};
	uint64_t hena = 0;
	size_t i;

	for (i = 0; i < RTE_DIM(map); i++)
		if (rss_hf & map[i].hf)
			hena |= map[i].hena;
	return hena;
}

/* The default key, as DPDK's iavf has one of its own: any fixed one. */
static const uint8_t default_rss_key[RSS_KEY_LEN] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d,
	0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b,
	0xbe, 0xac, 0x01, 0xfa, 0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d,
};

static int
config_rss(struct iavfc_adapter *ad, struct rte_eth_dev *dev)
{
	const struct rte_eth_rss_conf *rc = &dev->data->dev_conf.rx_adv_conf.rss_conf;
	uint16_t nb_rxq = dev->data->nb_rx_queues, i;
	uint8_t lut[RSS_LUT_LEN];
	const uint8_t *key = default_rss_key;
	uint64_t hf = rc->rss_hf;

	if (!(dev->data->dev_conf.rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG))
		hf = 0;
	if (rc->rss_key != NULL && rc->rss_key_len == RSS_KEY_LEN)
		key = rc->rss_key;
	for (i = 0; i < RSS_LUT_LEN; i++)
		lut[i] = hf != 0 ? i % nb_rxq : 0;
	return iavfc_vc_rss(ad, key, RSS_KEY_LEN, lut, RSS_LUT_LEN, hena_of(hf));
}

static int
iavfc_dev_configure(struct rte_eth_dev *dev)
{
	struct iavfc_adapter *ad = adapter_of(dev);
	struct rte_eth_conf *conf = &dev->data->dev_conf;

	if (dev->data->nb_rx_queues > ad->nb_qp ||
	    dev->data->nb_tx_queues > ad->nb_qp) {
		IAVFC_LOG(ERR, "%s: %u Rx and %u Tx queues, the device has %u "
			  "pairs", ad->name, dev->data->nb_rx_queues,
			  dev->data->nb_tx_queues, ad->nb_qp);
		return -EINVAL;
	}
	if (conf->intr_conf.rxq && !ad->intr) {
		IAVFC_LOG(ERR, "%s: Rx interrupts need " ARG_INTR "=1", ad->name);
		return -ENOTSUP;
	}
	if (conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG)
		conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_RSS_HASH;
	return 0;
}

static int
iavfc_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct iavfc_adapter *ad = adapter_of(dev);

	info->max_rx_queues = ad->nb_qp;
	info->max_tx_queues = ad->nb_qp;
	info->min_rx_bufsize = 1024;
	info->max_rx_pktlen = IAVFC_MAX_FRAME;
	info->max_mtu = IAVFC_MAX_FRAME - RTE_ETHER_HDR_LEN - RTE_ETHER_CRC_LEN -
		2 * RTE_VLAN_HLEN;
	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mac_addrs = 1;
	info->rx_offload_capa = RX_OFFLOADS;
	info->tx_offload_capa = TX_OFFLOADS;
	info->rx_queue_offload_capa = 0;
	info->tx_queue_offload_capa = 0;
	info->hash_key_size = RSS_KEY_LEN;
	info->reta_size = RSS_LUT_LEN;
	info->flow_type_rss_offloads = RSS_HF;
	info->rx_desc_lim = (struct rte_eth_desc_lim){ .nb_max = IAVFC_MAX_RING,
		.nb_min = IAVFC_MIN_RING, .nb_align = 32 };
	info->tx_desc_lim = (struct rte_eth_desc_lim){ .nb_max = IAVFC_MAX_RING,
		.nb_min = IAVFC_MIN_RING, .nb_align = 32,
		.nb_seg_max = IAVFC_TSO_MAX_SEGS,
		.nb_mtu_seg_max = IAVFC_TX_MAX_SEGS };
	info->default_rxportconf.ring_size = 512;
	info->default_txportconf.ring_size = 512;
	info->default_rxportconf.nb_queues = 1;
	info->default_txportconf.nb_queues = 1;
	info->speed_capa = RTE_ETH_LINK_SPEED_25G;
	return 0;
}

static const struct rte_memzone *
ring_zone(struct rte_eth_dev *dev, const char *what, uint16_t qid,
		size_t size, int socket)
{
	return rte_eth_dma_zone_reserve(dev, what, qid, size, IAVFC_RING_ALIGN,
			socket);
}

static void
rxq_free(struct iavfc_rx_queue *q)
{
	if (q == NULL)
		return;
	iavfc_rxq_drain(q);
	rte_memzone_free(q->mz);
	rte_free(q->sw_ring);
	rte_free(q);
}

static void
txq_free(struct iavfc_tx_queue *q)
{
	if (q == NULL)
		return;
	iavfc_txq_drain(q);
	rte_memzone_free(q->mz);
	rte_free(q->sw_ring);
	rte_free(q->rs_fifo);
	rte_free(q);
}

static void
iavfc_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	rxq_free(dev->data->rx_queues[qid]);
	dev->data->rx_queues[qid] = NULL;
}

static void
iavfc_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	txq_free(dev->data->tx_queues[qid]);
	dev->data->tx_queues[qid] = NULL;
}

static bool
ring_size_ok(uint16_t nb_desc)
{
	return nb_desc >= IAVFC_MIN_RING && nb_desc <= IAVFC_MAX_RING &&
		nb_desc % 32 == 0;
}

static int
iavfc_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		unsigned int socket, const struct rte_eth_rxconf *conf __rte_unused,
		struct rte_mempool *mp)
{
	struct iavfc_adapter *ad = adapter_of(dev);
	uint32_t room = rte_pktmbuf_data_room_size(mp) - RTE_PKTMBUF_HEADROOM;
	struct iavfc_rx_queue *q;

	if (!ring_size_ok(nb_desc) || room < 1024) {
		IAVFC_LOG(ERR, "%s: Rx queue %u: %u descriptors (%u..%u, a "
			  "multiple of 32), buffers of %u bytes (1024 or more)",
			  ad->name, qid, nb_desc, IAVFC_MIN_RING, IAVFC_MAX_RING,
			  room);
		return -EINVAL;
	}
	iavfc_rx_queue_release(dev, qid);
	q = rte_zmalloc_socket("iavfc_rxq", sizeof(*q), RTE_CACHE_LINE_SIZE,
			socket);
	if (q == NULL)
		return -ENOMEM;
	rte_spinlock_init(&q->lock);
	q->nb_desc = nb_desc;
	q->mp = mp;
	q->qid = qid;
	q->port_id = dev->data->port_id;
	/* the device writes in units of 128 bytes */
	q->buf_len = RTE_MIN(RTE_ALIGN_FLOOR(room, 128), IAVFC_RX_BUF_MAX);
	q->doorbell = (volatile uint32_t *)(ad->bar0 + IAVF_QRX_TAIL1(qid));
	q->sw_ring = rte_zmalloc_socket("iavfc_rx_sw", sizeof(q->sw_ring[0]) *
			nb_desc, RTE_CACHE_LINE_SIZE, socket);
	q->mz = ring_zone(dev, "rx_ring", qid, sizeof(union avf_rx_desc) *
			IAVFC_MAX_RING, socket);
	if (q->sw_ring == NULL || q->mz == NULL) {
		rxq_free(q);
		return -ENOMEM;
	}
	q->ring = q->mz->addr;
	dev->data->rx_queues[qid] = q;
	return 0;
}

static int
iavfc_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		unsigned int socket, const struct rte_eth_txconf *conf)
{
	struct iavfc_adapter *ad = adapter_of(dev);
	struct iavfc_tx_queue *q;

	if (!ring_size_ok(nb_desc)) {
		IAVFC_LOG(ERR, "%s: Tx queue %u: %u descriptors (%u..%u, a "
			  "multiple of 32)", ad->name, qid, nb_desc,
			  IAVFC_MIN_RING, IAVFC_MAX_RING);
		return -EINVAL;
	}
	iavfc_tx_queue_release(dev, qid);
	q = rte_zmalloc_socket("iavfc_txq", sizeof(*q), RTE_CACHE_LINE_SIZE,
			socket);
	if (q == NULL)
		return -ENOMEM;
	rte_spinlock_init(&q->lock);
	q->nb_desc = nb_desc;
	q->qid = qid;
	/* room for the descriptors not yet under an RS and a whole packet */
	q->rs_thresh = conf->tx_rs_thresh != 0 ?
		RTE_MIN(conf->tx_rs_thresh, nb_desc / 4) : RTE_MIN(32, nb_desc / 4);
	q->rs_len = nb_desc + 1;
	q->doorbell = (volatile uint32_t *)(ad->bar0 + IAVF_QTX_TAIL1(qid));
	q->sw_ring = rte_zmalloc_socket("iavfc_tx_sw", sizeof(q->sw_ring[0]) *
			nb_desc, RTE_CACHE_LINE_SIZE, socket);
	q->rs_fifo = rte_zmalloc_socket("iavfc_tx_rs", sizeof(q->rs_fifo[0]) *
			q->rs_len, 0, socket);
	q->mz = ring_zone(dev, "tx_ring", qid, sizeof(struct avf_tx_desc) *
			IAVFC_MAX_RING, socket);
	if (q->sw_ring == NULL || q->rs_fifo == NULL || q->mz == NULL) {
		txq_free(q);
		return -ENOMEM;
	}
	q->ring = q->mz->addr;
	iavfc_txq_reset(q);
	dev->data->tx_queues[qid] = q;
	return 0;
}

static uint32_t
queue_mask(uint16_t n)
{
	return n >= 32 ? UINT32_MAX : (1u << n) - 1;
}

static uint32_t
max_pkt_len(struct rte_eth_dev *dev)
{
	return dev->data->mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN +
		2 * RTE_VLAN_HLEN;
}

/* Rx rings filled and handed to the device, Tx rings emptied. */
static int
queues_prepare(struct rte_eth_dev *dev)
{
	uint16_t i;
	int rc;

	for (i = 0; i < dev->data->nb_tx_queues; i++)
		iavfc_txq_reset(dev->data->tx_queues[i]);
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct iavfc_rx_queue *q = dev->data->rx_queues[i];

		q->vlan_strip = dev->data->dev_conf.rxmode.offloads &
			RTE_ETH_RX_OFFLOAD_VLAN_STRIP;
		rc = iavfc_rxq_fill(q);
		if (rc < 0) {
			while (i-- > 0)
				iavfc_rxq_drain(dev->data->rx_queues[i]);
			return rc;
		}
	}
	return 0;
}

static void
queues_drain(struct rte_eth_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		iavfc_rxq_drain(dev->data->rx_queues[i]);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		iavfc_txq_drain(dev->data->tx_queues[i]);
}

/* A queue vector's DYN_CTLN: in the shared page, or over the socket. */
static int
dyn_ctln_write(struct iavfc_adapter *ad, uint16_t vector, uint32_t v)
{
	uint32_t off = IAVF_VFINT_DYN_CTLN1(vector - 1);
	int rc;

	if (ad->dyn_ctln_shared) {
		__atomic_store_n((uint32_t *)(ad->bar0 + off), v,
				 __ATOMIC_RELEASE);
		return 0;
	}
	pthread_mutex_lock(&ad->lock);
	rc = !ad->up ? -ENOTCONN : rte_vfio_user_client_region_write(ad->c,
			RTE_VFIO_USER_PCI_BAR0, off, &v, sizeof(v), false);
	unlock_and_notify(ad);
	return rc;
}

/*
 * INTENA with CLEARPBA, as DPDK's iavf writes it: emu_iavf then delivers
 * what it raised while the vector was off, so a frame that came after
 * the application's last poll still wakes it.
 */
static int
iavfc_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid)
{
	return dyn_ctln_write(adapter_of(dev), qid + 1,
			IAVF_VFINT_DYN_CTLN1_INTENA_MASK |
			IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK | IAVF_ITR_NONE << 3);
}

static int
iavfc_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid)
{
	return dyn_ctln_write(adapter_of(dev), qid + 1, IAVF_ITR_NONE << 3);
}

/* The Rx queues' eventfds on their vectors; called with the lock held. */
static int
rx_intr_bind(struct iavfc_adapter *ad)
{
	if (ad->nb_rxq_efd == 0)
		return 0;
	return rte_vfio_user_client_set_irq_eventfds(ad->c,
			RTE_VFIO_USER_PCI_MSIX, 1, ad->nb_rxq_efd, ad->rxq_efd);
}

static void
rx_intr_free(struct iavfc_adapter *ad, struct rte_eth_dev *dev)
{
	int none[IAVFC_MAX_QP];
	uint16_t i;

	if (ad->nb_rxq_efd == 0)
		return;
	for (i = 0; i < ad->nb_rxq_efd; i++)
		none[i] = -1;
	pthread_mutex_lock(&ad->lock);
	if (ad->up)
		rte_vfio_user_client_set_irq_eventfds(ad->c,
				RTE_VFIO_USER_PCI_MSIX, 1, ad->nb_rxq_efd, none);
	pthread_mutex_unlock(&ad->lock);
	rte_intr_vec_list_free(dev->intr_handle);
	for (i = 0; i < ad->nb_rxq_efd; i++)
		close(ad->rxq_efd[i]);
	ad->nb_rxq_efd = 0;
}

/*
 * intr_conf.rxq: an eventfd per Rx queue, on vector q + 1 (as the IRQ map
 * puts it), handed to EAL as a vdev's interrupt handle.
 */
static int
rx_intr_setup(struct iavfc_adapter *ad, struct rte_eth_dev *dev)
{
	uint16_t n = dev->data->nb_rx_queues, i;
	struct rte_intr_handle *h;

	if (!dev->data->dev_conf.intr_conf.rxq)
		return 0;
	if (n + 1u > ad->res.max_vectors) {
		IAVFC_LOG(ERR, "%s: Rx interrupts for %u queues need %u vectors, "
			  "the device has %u", ad->name, n, n + 1,
			  ad->res.max_vectors);
		return -ENOTSUP;
	}
	if (dev->intr_handle == NULL)
		dev->intr_handle =
			rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	h = dev->intr_handle;
	if (h == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		ad->rxq_efd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (ad->rxq_efd[i] < 0)
			break;
		ad->nb_rxq_efd++;
	}
	if (ad->nb_rxq_efd < n ||
	    rte_intr_type_set(h, RTE_INTR_HANDLE_VDEV) != 0 ||
	    rte_intr_nb_efd_set(h, n) != 0 || rte_intr_max_intr_set(h, n + 1) ||
	    rte_intr_efd_counter_size_set(h, sizeof(uint64_t)) != 0 ||
	    rte_intr_vec_list_alloc(h, "iavfc_intr_vec", n) != 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (rte_intr_efds_index_set(h, i, ad->rxq_efd[i]) != 0 ||
		    rte_intr_vec_list_index_set(h, i,
				RTE_INTR_VEC_RXTX_OFFSET + i) != 0)
			goto fail;
	pthread_mutex_lock(&ad->lock);
	i = rx_intr_bind(ad) == 0;
	pthread_mutex_unlock(&ad->lock);
	if (i)
		return 0;
fail:
	rx_intr_free(ad, dev);
	return -EIO;
}

static int
vc_start(struct iavfc_adapter *ad, struct rte_eth_dev *dev)
{
	uint16_t nrx = dev->data->nb_rx_queues, ntx = dev->data->nb_tx_queues;
	bool strip = dev->data->dev_conf.rxmode.offloads &
		RTE_ETH_RX_OFFLOAD_VLAN_STRIP;
	int rc;

	rc = iavfc_vc_config_queues(ad, nrx, ntx,
			(struct iavfc_rx_queue **)dev->data->rx_queues,
			(struct iavfc_tx_queue **)dev->data->tx_queues,
			max_pkt_len(dev));
	if (rc == 0)
		rc = iavfc_vc_irq_map(ad, RTE_MAX(nrx, ntx));
	if (rc == 0 && (ad->caps & VIRTCHNL_VF_OFFLOAD_RSS_PF))
		rc = config_rss(ad, dev);
	if (rc == 0 && (ad->caps & VIRTCHNL_VF_OFFLOAD_VLAN))
		rc = iavfc_vc_vlan_strip(ad, strip);
	if (rc == 0)
		rc = iavfc_vc_promisc(ad, dev->data->promiscuous,
				dev->data->all_multicast);
	if (rc == 0)
		rc = iavfc_vc_queues(ad, true, queue_mask(nrx), queue_mask(ntx));
	return rc;
}

static int
iavfc_dev_start(struct rte_eth_dev *dev)
{
	struct iavfc_adapter *ad = adapter_of(dev);
	uint16_t i;
	int rc;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		if (dev->data->rx_queues[i] == NULL)
			return -EINVAL;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		if (dev->data->tx_queues[i] == NULL)
			return -EINVAL;
	rc = queues_prepare(dev);
	if (rc < 0)
		return rc;
	rc = rx_intr_setup(ad, dev);
	if (rc == 0) {
		pthread_mutex_lock(&ad->lock);
		rc = !ad->up ? -ENOTCONN : vc_start(ad, dev);
		unlock_and_notify(ad);
	}
	if (rc < 0) {
		rx_intr_free(ad, dev);
		queues_drain(dev);
		return rc;
	}
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = RTE_ETH_QUEUE_STATE_STARTED;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		dev->data->tx_queue_state[i] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

static int
iavfc_dev_stop(struct rte_eth_dev *dev)
{
	struct iavfc_adapter *ad = adapter_of(dev);
	uint16_t i;

	pthread_mutex_lock(&ad->lock);
	/* The device lets go of the rings before their buffers are freed. */
	if (ad->up)
		iavfc_vc_queues(ad, false, queue_mask(dev->data->nb_rx_queues),
				queue_mask(dev->data->nb_tx_queues));
	unlock_and_notify(ad);
	rx_intr_free(ad, dev);
	queues_drain(dev);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = RTE_ETH_QUEUE_STATE_STOPPED;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		dev->data->tx_queue_state[i] = RTE_ETH_QUEUE_STATE_STOPPED;
	dev->data->dev_started = 0;
	return 0;
}

static uint32_t
speed_of(const struct iavfc_adapter *ad)
{
	if (ad->caps & VIRTCHNL_VF_CAP_ADV_LINK_SPEED)
		return ad->link_speed;
	switch (ad->link_speed) {
	case VIRTCHNL_LINK_SPEED_100MB: return RTE_ETH_SPEED_NUM_100M;
	case VIRTCHNL_LINK_SPEED_1GB: return RTE_ETH_SPEED_NUM_1G;
	case VIRTCHNL_LINK_SPEED_10GB: return RTE_ETH_SPEED_NUM_10G;
	case VIRTCHNL_LINK_SPEED_20GB: return RTE_ETH_SPEED_NUM_20G;
	case VIRTCHNL_LINK_SPEED_25GB: return RTE_ETH_SPEED_NUM_25G;
	case VIRTCHNL_LINK_SPEED_40GB: return RTE_ETH_SPEED_NUM_40G;
	default: return RTE_ETH_SPEED_NUM_UNKNOWN;
	}
}

static int
iavfc_link_update(struct rte_eth_dev *dev, int wait __rte_unused)
{
	struct iavfc_adapter *ad = adapter_of(dev);
	struct rte_eth_link link = { .link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED };

	pthread_mutex_lock(&ad->lock);
	if (ad->up)
		iavfc_vc_poll_events(ad);
	link.link_status = ad->up && ad->link_up && dev->data->dev_started;
	link.link_speed = link.link_status ? speed_of(ad) : RTE_ETH_SPEED_NUM_NONE;
	ad->lsc_pending = false; /* the caller learns it now */
	pthread_mutex_unlock(&ad->lock);
	return rte_eth_linkstatus_set(dev, &link);
}

/*
 * A device count since the last stats reset; one below the base is from
 * another device (the server came back anew): it counts from zero.
 */
static uint64_t
since_reset(uint64_t now, uint64_t *base)
{
	if (now < *base)
		*base = 0;
	return now - *base;
}

static int
fill_stats(struct rte_eth_dev *dev, struct rte_eth_stats *st,
		emunic_eth_qstats *qs)
{
	struct iavfc_adapter *ad = adapter_of(dev);
	struct virtchnl_eth_stats vs;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		const struct iavfc_rx_queue *q = dev->data->rx_queues[i];

		if (q == NULL)
			continue;
		st->ipackets += q->packets;
		st->ibytes += q->bytes;
		st->ierrors += q->errors + q->bad_desc;
		st->rx_nombuf += q->nombuf;
		if (qs != NULL && i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qs->q_ipackets[i] = q->packets;
			qs->q_ibytes[i] = q->bytes;
		}
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		const struct iavfc_tx_queue *q = dev->data->tx_queues[i];

		if (q == NULL)
			continue;
		st->opackets += q->packets;
		st->obytes += q->bytes;
		if (qs != NULL && i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qs->q_opackets[i] = q->packets;
			qs->q_obytes[i] = q->bytes;
		}
	}
	/* What the device dropped for want of our buffers. */
	pthread_mutex_lock(&ad->lock);
	if (ad->up && iavfc_vc_stats(ad, &vs) == 0) {
		st->imissed = since_reset(vs.rx_discards, &ad->imissed_base);
		st->oerrors = since_reset(vs.tx_errors + vs.tx_discards,
				&ad->oerrors_base);
	}
	unlock_and_notify(ad);
	return 0;
}

EMUNIC_ETH_STATS_GET(iavfc_stats_get, fill_stats)

static int
iavfc_stats_reset(struct rte_eth_dev *dev)
{
	struct iavfc_adapter *ad = adapter_of(dev);
	struct virtchnl_eth_stats vs;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct iavfc_rx_queue *q = dev->data->rx_queues[i];

		if (q != NULL)
			q->packets = q->bytes = q->errors = q->bad_desc =
				q->nombuf = 0;
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct iavfc_tx_queue *q = dev->data->tx_queues[i];

		if (q != NULL)
			q->packets = q->bytes = 0;
	}
	/* the device's counts never go back: ours start from here */
	pthread_mutex_lock(&ad->lock);
	if (ad->up && iavfc_vc_stats(ad, &vs) == 0) {
		ad->imissed_base = vs.rx_discards;
		ad->oerrors_base = vs.tx_errors + vs.tx_discards;
	}
	unlock_and_notify(ad);
	return 0;
}

/*
 * Extended stats: the port's counters of what the server did wrong, and
 * of its sessions. A well-behaved server leaves all but reconnects at 0.
 */
static const char *const xstat_names[] = {
	"rx_bad_descriptors", "rx_error_frames", "mailbox_bad_messages",
	"virtchnl_errors", "reconnects",
};

static int
iavfc_xstats_get_names(struct rte_eth_dev *dev __rte_unused,
		struct rte_eth_xstat_name *names, unsigned int n)
{
	unsigned int i;

	if (names == NULL || n < RTE_DIM(xstat_names))
		return RTE_DIM(xstat_names);
	for (i = 0; i < RTE_DIM(xstat_names); i++)
		strlcpy(names[i].name, xstat_names[i], sizeof(names[i].name));
	return RTE_DIM(xstat_names);
}

static int
iavfc_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xs,
		unsigned int n)
{
	struct iavfc_adapter *ad = adapter_of(dev);
	uint64_t v[RTE_DIM(xstat_names)] = { 0 };
	unsigned int i;

	if (xs == NULL || n < RTE_DIM(xstat_names))
		return RTE_DIM(xstat_names);
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		const struct iavfc_rx_queue *q = dev->data->rx_queues[i];

		if (q != NULL) {
			v[0] += q->bad_desc;
			v[1] += q->errors;
		}
	}
	v[2] = ad->bad_msgs;
	v[3] = ad->vc_errors;
	v[4] = ad->reconnects;
	for (i = 0; i < RTE_DIM(xstat_names); i++) {
		xs[i].id = i;
		xs[i].value = v[i];
	}
	return RTE_DIM(xstat_names);
}

/* A virtchnl request from an ethdev op, with the lock and the link. */
#define VC_OP(ad, call) ({ \
	int rc__; \
	pthread_mutex_lock(&(ad)->lock); \
	rc__ = !(ad)->up ? -ENOTCONN : (call); \
	unlock_and_notify(ad); \
	rc__; })

static int
iavfc_promisc_enable(struct rte_eth_dev *dev)
{
	struct iavfc_adapter *ad = adapter_of(dev);

	return VC_OP(ad, iavfc_vc_promisc(ad, true, dev->data->all_multicast));
}

static int
iavfc_promisc_disable(struct rte_eth_dev *dev)
{
	struct iavfc_adapter *ad = adapter_of(dev);

	return VC_OP(ad, iavfc_vc_promisc(ad, false, dev->data->all_multicast));
}

static int
iavfc_allmulti_enable(struct rte_eth_dev *dev)
{
	struct iavfc_adapter *ad = adapter_of(dev);

	return VC_OP(ad, iavfc_vc_promisc(ad, dev->data->promiscuous, true));
}

static int
iavfc_allmulti_disable(struct rte_eth_dev *dev)
{
	struct iavfc_adapter *ad = adapter_of(dev);

	return VC_OP(ad, iavfc_vc_promisc(ad, dev->data->promiscuous, false));
}

/* ethdev sets the address again at every start: the same is no change. */
static int
swap_mac(struct iavfc_adapter *ad, struct rte_ether_addr *mac)
{
	int rc;

	if (rte_is_same_ether_addr(mac, &ad->mac))
		return 0;
	rc = iavfc_vc_mac(ad, mac, true);

	if (rc == 0) {
		iavfc_vc_mac(ad, &ad->mac, false);
		ad->mac = *mac;
		ad->mac_own = true; /* a reconnect adds it again */
	}
	return rc;
}

static int
iavfc_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *mac)
{
	struct iavfc_adapter *ad = adapter_of(dev);

	return VC_OP(ad, swap_mac(ad, mac));
}

static int
iavfc_vlan_filter_set(struct rte_eth_dev *dev, uint16_t vlan, int on)
{
	struct iavfc_adapter *ad = adapter_of(dev);

	if (!(ad->caps & VIRTCHNL_VF_OFFLOAD_VLAN))
		return -ENOTSUP;
	return VC_OP(ad, iavfc_vc_vlan(ad, vlan, on != 0));
}

static int
iavfc_vlan_offload_set(struct rte_eth_dev *dev, int mask)
{
	struct iavfc_adapter *ad = adapter_of(dev);
	bool strip = dev->data->dev_conf.rxmode.offloads &
		RTE_ETH_RX_OFFLOAD_VLAN_STRIP;
	uint16_t i;
	int rc;

	if (!(mask & RTE_ETH_VLAN_STRIP_MASK))
		return 0;
	if (!(ad->caps & VIRTCHNL_VF_OFFLOAD_VLAN))
		return -ENOTSUP;
	rc = VC_OP(ad, iavfc_vc_vlan_strip(ad, strip));
	for (i = 0; rc == 0 && i < dev->data->nb_rx_queues; i++) {
		struct iavfc_rx_queue *q = dev->data->rx_queues[i];

		if (q != NULL)
			q->vlan_strip = strip;
	}
	return rc;
}

static int
iavfc_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	/* The device learns the frame size at the next start. */
	if (dev->data->dev_started)
		return -EBUSY;
	return (uint32_t)mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN +
		2 * RTE_VLAN_HLEN > IAVFC_MAX_FRAME ? -EINVAL : 0;
}

static int iavfc_dev_close(struct rte_eth_dev *dev);

static const struct eth_dev_ops iavfc_ops = {
	.dev_configure = iavfc_dev_configure,
	.dev_infos_get = iavfc_dev_infos_get,
	.dev_start = iavfc_dev_start,
	.dev_stop = iavfc_dev_stop,
	.dev_close = iavfc_dev_close,
	.link_update = iavfc_link_update,
	.rx_queue_setup = iavfc_rx_queue_setup,
	.rx_queue_release = iavfc_rx_queue_release,
	.tx_queue_setup = iavfc_tx_queue_setup,
	.tx_queue_release = iavfc_tx_queue_release,
	.stats_get = iavfc_stats_get,
	.stats_reset = iavfc_stats_reset,
	.xstats_get = iavfc_xstats_get,
	.xstats_get_names = iavfc_xstats_get_names,
	.promiscuous_enable = iavfc_promisc_enable,
	.promiscuous_disable = iavfc_promisc_disable,
	.allmulticast_enable = iavfc_allmulti_enable,
	.allmulticast_disable = iavfc_allmulti_disable,
	.mac_addr_set = iavfc_mac_addr_set,
	.vlan_filter_set = iavfc_vlan_filter_set,
	.vlan_offload_set = iavfc_vlan_offload_set,
	.mtu_set = iavfc_mtu_set,
	.rx_queue_intr_enable = iavfc_rx_queue_intr_enable,
	.rx_queue_intr_disable = iavfc_rx_queue_intr_disable,
};

/* The mailbox vector fired: take the PF's events, arm it again. */
static void
mailbox_irq(void *arg)
{
	struct iavfc_adapter *ad = arg;
	uint64_t n;

	if (read(ad->mbx_efd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&ad->lock);
	if (ad->up) {
		iavfc_vc_poll_events(ad);
		rte_vfio_user_client_region_write(ad->c, RTE_VFIO_USER_PCI_BAR0,
				IAVF_VFINT_DYN_CTL01, &(uint32_t){
				IAVF_VFINT_DYN_CTLN1_INTENA_MASK |
				IAVF_ITR_NONE << 3 }, 4, false);
	}
	unlock_and_notify(ad);
}

static int
mailbox_irq_setup(struct iavfc_adapter *ad)
{
	uint32_t ena = IAVF_VFINT_ICR01_ADMINQ_MASK,
		 ctl = IAVF_VFINT_DYN_CTLN1_INTENA_MASK |
		       IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK | IAVF_ITR_NONE << 3;
	int rc;

	ad->mbx_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ad->mbx_efd < 0)
		return -errno;
	ad->mbx_intr = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_SHARED);
	if (ad->mbx_intr == NULL ||
	    rte_intr_type_set(ad->mbx_intr, RTE_INTR_HANDLE_EXT) != 0 ||
	    rte_intr_fd_set(ad->mbx_intr, ad->mbx_efd) != 0)
		return -ENOMEM;
	rc = rte_intr_callback_register(ad->mbx_intr, mailbox_irq, ad);
	if (rc < 0)
		return rc;
	/* The callback may run from here on: the socket is shared with it. */
	pthread_mutex_lock(&ad->lock);
	rc = rte_vfio_user_client_set_irq_eventfds(ad->c, RTE_VFIO_USER_PCI_MSIX,
			0, 1, &ad->mbx_efd);
	if (rc == 0)
		rc = rte_vfio_user_client_region_write(ad->c,
				RTE_VFIO_USER_PCI_BAR0, IAVF_VFINT_ICR0_ENA1,
				&ena, 4, false);
	if (rc == 0)
		rc = rte_vfio_user_client_region_write(ad->c,
				RTE_VFIO_USER_PCI_BAR0, IAVF_VFINT_DYN_CTL01,
				&ctl, 4, false);
	pthread_mutex_unlock(&ad->lock);
	return rc;
}

/* intr=0: an alarm reads the PF's events, as the vector would tell them. */
static void
mailbox_poll(void *arg)
{
	struct iavfc_adapter *ad = arg;

	pthread_mutex_lock(&ad->lock);
	if (ad->up) {
		iavfc_vc_poll_events(ad);
		alarm_arm_locked(ad, MAILBOX_POLL_US, mailbox_poll);
	}
	unlock_and_notify(ad);
}

/*
 * Unregister cb, waiting for a run of it in EAL's interrupt thread to
 * end. It sleeps between tries where rte_intr_callback_unregister_sync
 * spins under EAL's interrupt lock: that thread needs the lock to finish
 * the run, and gets it late when it shares our CPU, or never under
 * callgrind, which runs one thread at a time.
 */
static void
intr_unregister_wait(struct rte_intr_handle *h, rte_intr_callback_fn cb,
		void *arg)
{
	while (rte_intr_callback_unregister(h, cb, arg) == -EAGAIN)
		usleep(100);
}

/* The PF's events: on the mailbox vector (intr=1) or polled. */
static int
mailbox_events_start(struct iavfc_adapter *ad)
{
	if (ad->intr)
		return mailbox_irq_setup(ad);
	pthread_mutex_lock(&ad->lock);
	alarm_arm_locked(ad, MAILBOX_POLL_US, mailbox_poll);
	pthread_mutex_unlock(&ad->lock);
	return 0;
}

static void
mailbox_irq_free(struct iavfc_adapter *ad)
{
	if (ad->mbx_intr != NULL) {
		intr_unregister_wait(ad->mbx_intr, mailbox_irq, ad);
		rte_intr_instance_free(ad->mbx_intr);
		ad->mbx_intr = NULL;
	}
	if (ad->mbx_efd >= 0)
		close(ad->mbx_efd);
	ad->mbx_efd = -1;
}

/* The config space says 8086:1889, an AVF VF. */
static int
check_identity(struct iavfc_adapter *ad)
{
	struct rte_vfio_user_dev_info di;
	uint32_t id = 0;
	int rc = rte_vfio_user_client_get_dev_info(ad->c, &di);

	if (rc < 0)
		return rc;
	if (di.num_regions <= RTE_VFIO_USER_PCI_CONFIG ||
	    di.num_irqs <= RTE_VFIO_USER_PCI_MSIX) {
		IAVFC_LOG(ERR, "%s: %u regions, %u IRQ indexes: not a PCI "
			  "device", ad->name, di.num_regions, di.num_irqs);
		return -ENODEV;
	}
	rc = rte_vfio_user_client_region_read(ad->c, RTE_VFIO_USER_PCI_CONFIG,
			0, &id, sizeof(id));
	if (rc < 0)
		return rc;
	if (id != ((uint32_t)IAVF_DEVICE_ID << 16 | IAVF_VENDOR_ID)) {
		IAVFC_LOG(ERR, "%s: device %04x:%04x is not an AVF VF "
			  "(8086:1889)", ad->name, id & 0xffff, id >> 16);
		return -ENODEV;
	}
	return 0;
}

static bool
area_covers(const struct rte_vfio_user_region_info *ri, uint64_t off,
		uint64_t len)
{
	uint32_t i;

	if (ri->nr_areas == 0)
		return off + len <= ri->size;
	for (i = 0; i < ri->nr_areas && i < RTE_VFIO_USER_MAX_SPARSE_AREAS; i++)
		if (ri->areas[i].offset <= off &&
		    off + len <= ri->areas[i].offset + ri->areas[i].size)
			return true;
	return false;
}

/*
 * BAR0's doorbell pages, mmapped: the Tx tails in the first, the Rx
 * tails in the third, the queue vectors' DYN_CTLN in the fourth when the
 * device shares it (else those go over the socket). One mapping of the
 * first four pages; the second is never touched. It lasts until the port
 * is closed.
 */
static int
map_doorbells(struct iavfc_adapter *ad)
{
	struct rte_vfio_user_region_info ri;
	size_t len = IAVF_DYN_CTLN_PAGE + IAVF_PAGE_SIZE;
	void *p;
	int rc;

	rc = rte_vfio_user_client_get_region_info(ad->c, RTE_VFIO_USER_PCI_BAR0,
			&ri);
	if (rc < 0)
		return rc;
	if (ri.size < IAVF_BAR0_SIZE || ri.fd < 0 ||
	    !area_covers(&ri, IAVF_TX_TAIL_PAGE, IAVF_PAGE_SIZE) ||
	    !area_covers(&ri, IAVF_RX_TAIL_PAGE, IAVF_PAGE_SIZE)) {
		IAVFC_LOG(ERR, "%s: BAR0 of %" PRIu64 " bytes%s: its tail pages "
			  "are not mmappable", ad->name, ri.size,
			  ri.fd < 0 ? " without an fd" : "");
		if (ri.fd >= 0)
			close(ri.fd);
		return -ENOTSUP;
	}
	/*
	 * Back from a server that went away, the new BAR0 replaces the old
	 * at the same address: the queues' doorbell pointers stay valid.
	 */
	p = mmap(ad->bar0, len, PROT_READ | PROT_WRITE,
		 MAP_SHARED | (ad->bar0 != NULL ? MAP_FIXED : 0), ri.fd,
		 ri.offset);
	close(ri.fd);
	if (p == MAP_FAILED) {
		rc = -errno;
		IAVFC_LOG(ERR, "%s: mmap of BAR0: %s", ad->name, strerror(-rc));
		return rc;
	}
	ad->bar0 = p;
	ad->bar0_len = len;
	ad->dyn_ctln_shared = area_covers(&ri, IAVF_DYN_CTLN_PAGE,
			IAVF_PAGE_SIZE);
	return 0;
}

static void
sock_watch_free(struct iavfc_adapter *ad)
{
	rte_intr_instance_free(ad->sock_intr);
	ad->sock_intr = NULL;
}

static void server_watch(void *arg);

/* The session with the server ends; the rings and BAR0's mapping stay. */
static void
session_end(struct iavfc_adapter *ad)
{
	if (ad->sock_intr != NULL)
		intr_unregister_wait(ad->sock_intr, server_watch, ad);
	sock_watch_free(ad);
	rte_eal_alarm_cancel(mailbox_poll, ad);
	mailbox_irq_free(ad);
	pthread_mutex_lock(&ad->lock);
	ad->up = false;
	rte_vfio_user_client_detach(ad->c);
	ad->c = NULL;
	ad->nb_maps = 0;
	if (ad->link_up)
		ad->lsc_pending = true;
	ad->link_up = false;
	unlock_and_notify(ad);
}

static int
sock_watch_setup(struct iavfc_adapter *ad)
{
	ad->sock_intr = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_SHARED);
	if (ad->sock_intr == NULL ||
	    rte_intr_type_set(ad->sock_intr, RTE_INTR_HANDLE_EXT) != 0 ||
	    rte_intr_fd_set(ad->sock_intr,
			rte_vfio_user_client_socket(ad->c)) != 0)
		return -ENOMEM;
	return rte_intr_callback_register(ad->sock_intr, server_watch, ad);
}

/*
 * Attach, check the device, share memory, bring the VF up. Every request
 * is made under the lock, as a memory event may come meanwhile and map
 * memory; the session is for others to use once it is up.
 */
static int
connect_device(struct iavfc_adapter *ad)
{
	uint16_t cmd = 0x0006; /* memory space, bus master */
	struct rte_vfio_user_client *c;
	int rc;

	c = rte_vfio_user_client_attach(ad->path, NULL);
	if (c == NULL) {
		rc = -rte_errno;
		IAVFC_LOG(ERR, "%s: cannot attach to %s: %s", ad->name, ad->path,
			  strerror(-rc));
		return rc;
	}
	pthread_mutex_lock(&ad->lock);
	ad->c = c;
	rc = check_identity(ad);
	if (rc == 0)
		rc = map_doorbells(ad);
	pthread_mutex_unlock(&ad->lock);
	/* the memory's lock comes before the adapter's, as in its events */
	if (rc == 0)
		rc = iavfc_mem_attach(ad);
	pthread_mutex_lock(&ad->lock);
	if (rc == 0)
		rc = rte_vfio_user_client_region_write(ad->c,
				RTE_VFIO_USER_PCI_CONFIG, 4, &cmd, 2, false);
	if (rc == 0)
		rc = iavfc_vc_bring_up(ad);
	ad->up = rc == 0;
	pthread_mutex_unlock(&ad->lock);
	if (rc == 0)
		rc = mailbox_events_start(ad);
	if (rc == 0)
		rc = sock_watch_setup(ad);
	if (rc < 0)
		session_end(ad);
	return rc;
}

/*
 * The port was started when the server went: every ring starts again,
 * empty, with the queues' locks held so that no burst runs meanwhile,
 * and the device learns the configuration again.
 */
static int
restore_started(struct iavfc_adapter *ad, struct rte_eth_dev *dev)
{
	uint16_t i;
	int rc;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		rte_spinlock_lock(&((struct iavfc_rx_queue *)
				dev->data->rx_queues[i])->lock);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		rte_spinlock_lock(&((struct iavfc_tx_queue *)
				dev->data->tx_queues[i])->lock);
	queues_drain(dev);
	rc = queues_prepare(dev);
	if (rc == 0) {
		pthread_mutex_lock(&ad->lock);
		rc = rx_intr_bind(ad);
		if (rc == 0)
			rc = vc_start(ad, dev);
		unlock_and_notify(ad);
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		rte_spinlock_unlock(&((struct iavfc_tx_queue *)
				dev->data->tx_queues[i])->lock);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		rte_spinlock_unlock(&((struct iavfc_rx_queue *)
				dev->data->rx_queues[i])->lock);
	return rc;
}

/* An alarm, every reconnect= ms while the server is away. */
static void
reconnect_try(void *arg)
{
	struct iavfc_adapter *ad = arg;
	struct rte_eth_dev *dev = &rte_eth_devices[ad->port_id];
	int rc = connect_device(ad);

	if (rc == 0 && dev->data->dev_started) {
		rc = restore_started(ad, dev);
		if (rc < 0)
			session_end(ad);
	}
	if (rc == 0) {
		ad->reconnects++;
		IAVFC_LOG(NOTICE, "%s: back on %s", ad->name, ad->path);
		return;
	}
	pthread_mutex_lock(&ad->lock);
	alarm_arm_locked(ad, ad->reconnect_ms * 1000ull, reconnect_try);
	pthread_mutex_unlock(&ad->lock);
}

/* An alarm: the server went, or reset the VF. */
static void
server_lost(void *arg)
{
	struct iavfc_adapter *ad = arg;

	session_end(ad);
	pthread_mutex_lock(&ad->lock);
	if (ad->reconnect_ms != 0)
		alarm_arm_locked(ad, ad->reconnect_ms * 1000ull, reconnect_try);
	pthread_mutex_unlock(&ad->lock);
}

/*
 * The socket is readable with no request waiting (requests hold the
 * lock): the server closed it, or sent what nobody asked for. Either
 * ends the session; the alarm does it outside this callback.
 */
static void
server_watch(void *arg)
{
	struct iavfc_adapter *ad = arg;
	const char *why = NULL;
	ssize_t n;
	char b;

	pthread_mutex_lock(&ad->lock);
	if (ad->up) {
		n = recv(rte_vfio_user_client_socket(ad->c), &b, 1,
			 MSG_PEEK | MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			why = "the server closed the socket";
		else if (n > 0)
			why = "the server sent a message no request asked for";
	}
	pthread_mutex_unlock(&ad->lock);
	if (why == NULL)
		return;
	IAVFC_LOG(WARNING, "%s: %s; the link is down%s", ad->name, why,
		  ad->reconnect_ms ? ", reconnecting" : "");
	/* level-triggered: no more calls until session_end unregisters it */
	rte_intr_callback_unregister_pending(ad->sock_intr, server_watch, ad,
			NULL);
	pthread_mutex_lock(&ad->lock);
	ad->up = false;
	alarm_arm_locked(ad, 1, server_lost);
	pthread_mutex_unlock(&ad->lock);
}

/* Everything of the server's, at close. */
static void
disconnect(struct iavfc_adapter *ad)
{
	/*
	 * The socket's watch, an alarm, or a reconnect under way may each
	 * arm another alarm; none does once closing is set, so that what
	 * the cancels leave is nothing (an alarm on the freed port would
	 * act on zeroed memory: session_end's close of fd 0).
	 */
	pthread_mutex_lock(&ad->lock);
	ad->closing = true;
	pthread_mutex_unlock(&ad->lock);
	rte_eal_alarm_cancel(server_lost, ad);
	rte_eal_alarm_cancel(reconnect_try, ad);
	session_end(ad);
	if (ad->bar0 != NULL)
		munmap(ad->bar0, ad->bar0_len);
	ad->bar0 = NULL;
	iavfc_mem_detach(ad);
}

static int
iavfc_dev_close(struct rte_eth_dev *dev)
{
	struct iavfc_adapter *ad = adapter_of(dev);
	uint16_t i;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	if (dev->data->dev_started)
		iavfc_dev_stop(dev);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		iavfc_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		iavfc_tx_queue_release(dev, i);
	pthread_mutex_lock(&ad->lock);
	/* as a VF driver's remove: the device forgets our rings */
	if (ad->up)
		rte_vfio_user_client_reset(ad->c);
	ad->up = false; /* its admin queue is gone with the reset */
	pthread_mutex_unlock(&ad->lock);
	disconnect(ad);
	iavfc_aq_free(ad);
	rte_intr_instance_free(dev->intr_handle);
	dev->intr_handle = NULL;
	pthread_mutex_destroy(&ad->lock);
	return 0;
}

static int
path_arg(const char *key __rte_unused, const char *value, void *arg)
{
	struct iavfc_adapter *ad = arg;

	if (value == NULL || value[0] == '\0' ||
	    strlcpy(ad->path, value, sizeof(ad->path)) >= sizeof(ad->path))
		return -EINVAL;
	return 0;
}

static int
queues_arg(const char *key __rte_unused, const char *value, void *arg)
{
	struct iavfc_adapter *ad = arg;
	unsigned long n;
	int rc = emunic_parse_uint(value, 1, IAVFC_MAX_QP, &n);

	if (rc == 0)
		ad->nb_qp_req = n;
	return rc;
}

static int
reconnect_arg(const char *key __rte_unused, const char *value, void *arg)
{
	struct iavfc_adapter *ad = arg;
	unsigned long ms;
	int rc = emunic_parse_uint(value, 0, RECONNECT_MAX_MS, &ms);

	if (rc == 0)
		ad->reconnect_ms = ms;
	return rc;
}

static int
intr_arg(const char *key __rte_unused, const char *value, void *arg)
{
	struct iavfc_adapter *ad = arg;
	unsigned long on;
	int rc = emunic_parse_uint(value, 0, 1, &on);

	if (rc == 0)
		ad->intr = on;
	return rc;
}

static int
mac_arg(const char *key __rte_unused, const char *value, void *arg)
{
	struct iavfc_adapter *ad = arg;

	if (value == NULL || rte_ether_unformat_addr(value, &ad->mac) < 0 ||
	    !rte_is_valid_assigned_ether_addr(&ad->mac))
		return -EINVAL;
	ad->mac_own = true;
	return 0;
}

static int
parse_devargs(struct iavfc_adapter *ad, const char *args)
{
	struct rte_kvargs *kv;
	int rc = -EINVAL;

	if (args == NULL)
		return -EINVAL;
	kv = rte_kvargs_parse(args, valid_args);
	if (kv == NULL)
		return -EINVAL;
	if (rte_kvargs_count(kv, ARG_PATH) == 1 &&
	    rte_kvargs_count(kv, ARG_QUEUES) <= 1 &&
	    rte_kvargs_count(kv, ARG_MAC) <= 1 &&
	    rte_kvargs_count(kv, ARG_RECONNECT) <= 1 &&
	    rte_kvargs_count(kv, ARG_INTR) <= 1 &&
	    rte_kvargs_process(kv, ARG_INTR, intr_arg, ad) == 0 &&
	    rte_kvargs_process(kv, ARG_RECONNECT, reconnect_arg, ad) == 0 &&
	    rte_kvargs_process(kv, ARG_PATH, path_arg, ad) == 0 &&
	    rte_kvargs_process(kv, ARG_QUEUES, queues_arg, ad) == 0 &&
	    rte_kvargs_process(kv, ARG_MAC, mac_arg, ad) == 0)
		rc = 0;
	rte_kvargs_free(kv);
	return rc;
}

static int
adapter_init(struct iavfc_adapter *ad, struct rte_eth_dev *dev)
{
	strlcpy(ad->name, dev->data->name, sizeof(ad->name));
	ad->port_id = dev->data->port_id;
	ad->mbx_efd = -1;
	pthread_mutex_init(&ad->lock, NULL);
	dev->data->mac_addrs = rte_zmalloc(NULL, sizeof(struct rte_ether_addr), 0);
	if (dev->data->mac_addrs == NULL)
		return -ENOMEM;
	dev->dev_ops = &iavfc_ops;
	dev->rx_pkt_burst = iavfc_recv_pkts;
	dev->tx_pkt_burst = iavfc_xmit_pkts;
	dev->tx_pkt_prepare = iavfc_prep_pkts;
	dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC;
	dev->data->mtu = RTE_ETHER_MTU;
	return iavfc_aq_init(ad);
}

static int
iavfc_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rte_eth_dev *dev;
	struct iavfc_adapter *ad;
	int rc;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		IAVFC_LOG(ERR, "%s: secondary processes are not supported", name);
		return -ENOTSUP;
	}
	dev = rte_eth_vdev_allocate(vdev, sizeof(*ad));
	if (dev == NULL)
		return -ENOMEM;
	ad = dev->data->dev_private;
	ad->intr = true;
	if (parse_devargs(ad, rte_vdev_device_args(vdev)) < 0) {
		IAVFC_LOG(ERR, "%s: devargs are " ARG_PATH "=<socket>[,"
			  ARG_QUEUES "=1..%u][," ARG_MAC "=<address>][,"
			  ARG_RECONNECT "=<ms, up to %u>][," ARG_INTR "=0|1]", name, IAVFC_MAX_QP,
			  RECONNECT_MAX_MS);
		rte_eth_dev_release_port(dev);
		return -EINVAL;
	}
	rc = adapter_init(ad, dev);
	if (rc == 0)
		rc = connect_device(ad);
	if (rc < 0) {
		/* what failed on the way may not have said it */
		IAVFC_LOG(ERR, "%s: no device on %s: %s", name, ad->path,
			  strerror(-rc));
		disconnect(ad);
		iavfc_aq_free(ad);
		rte_eth_dev_release_port(dev);
		return rc;
	}
	*dev->data->mac_addrs = ad->mac;
	rte_eth_dev_probing_finish(dev);
	IAVFC_LOG(INFO, "%s: port %u on %s, %u queue pairs, MAC "
		  RTE_ETHER_ADDR_PRT_FMT, name, dev->data->port_id, ad->path,
		  ad->nb_qp, RTE_ETHER_ADDR_BYTES(&ad->mac));
	return 0;
}

static int
iavfc_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev =
		rte_eth_dev_allocated(rte_vdev_device_name(vdev));

	if (dev == NULL)
		return 0;
	if (dev->data->dev_started)
		rte_eth_dev_stop(dev->data->port_id);
	return rte_eth_dev_close(dev->data->port_id);
}

static struct rte_vdev_driver iavfc_vdev_driver = {
	.probe = iavfc_probe,
	.remove = iavfc_remove,
};

RTE_PMD_REGISTER_VDEV(net_iavf_client, iavfc_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(net_iavf_client, ARG_PATH "=<socket> "
	ARG_QUEUES "=<1-16> " ARG_MAC "=<address> " ARG_RECONNECT "=<ms> "
	ARG_INTR "=0|1");
