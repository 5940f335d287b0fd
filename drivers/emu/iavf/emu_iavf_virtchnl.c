/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * The PF side of virtchnl. Every message is validated against what was
 * granted and what guest memory holds before anything is applied; a bad
 * one gets ERR_PARAM and changes nothing. Every op but RESET_VF is
 * answered, unknown ones with NOT_SUPPORTED.
 */

#include <string.h>

#include "emu_iavf_internal.h"

typedef int32_t (*vc_handler_t)(struct emu_iavf *dev, const uint8_t *msg,
		uint16_t len, struct emu_iavf_vc_reply *r);

struct vc_op_desc {
	const char *name;
	vc_handler_t handler;
	uint32_t cap;       /* capability the op needs, 0 for none */
	uint16_t min_len;   /* fixed part of the message */
};

/* Capabilities this PF implements; it grants their intersection with the
 * VF's request. */
#define EMU_IAVF_CAPS_SUPPORTED (VIRTCHNL_VF_OFFLOAD_L2 | VIRTCHNL_VF_OFFLOAD_VLAN | \
		VIRTCHNL_VF_OFFLOAD_RSS_PF | VIRTCHNL_VF_CAP_ADV_LINK_SPEED)
/* What a virtchnl 1.0 VF gets (it sends no request). */
#define EMU_IAVF_CAPS_V10 (VIRTCHNL_VF_OFFLOAD_L2 | VIRTCHNL_VF_OFFLOAD_VLAN)

/* Hash types the data path computes: IPv4/IPv6 TCP, UDP, SCTP, other,
 * fragments, and the variants RSS_PCTYPE_V2 adds, plus L2 payload. */
#define EMU_IAVF_HENA_SUPPORTED UINT64_C(0x80007f9fe0000000) /* 29-36, 39-46, 63 */

static bool
vsi_ok(uint16_t vsi_id)
{
	return vsi_id == IAVF_VSI_ID;
}

/* True when [addr, addr + size) is readable and writable guest memory. */
static bool
guest_range_ok(struct emu_iavf *dev, uint64_t addr, uint64_t size)
{
	const struct rte_vfio_user_mem_table *mem =
		rte_vfio_user_get_mem_table(dev->vu_id);
	const uint32_t rw = RTE_VFIO_USER_PROT_READ | RTE_VFIO_USER_PROT_WRITE;

	if (mem == NULL || addr + size < addr)
		return false;
	while (size > 0) {
		uint64_t chunk = size;

		if (rte_vfio_user_mem_translate(mem, addr, &chunk, rw) == NULL)
			return false;
		addr += chunk;
		size -= chunk;
	}
	return true;
}

static int32_t
virtchnl_version_info(struct emu_iavf *dev, const uint8_t *msg, uint16_t len __rte_unused,
		struct emu_iavf_vc_reply *r)
{
	struct virtchnl_version_info vf;

	memcpy(&vf, msg, sizeof(vf));
	if (vf.major != VIRTCHNL_VERSION_MAJOR)
		return VIRTCHNL_STATUS_ERR_PARAM;
	dev->vc_major = VIRTCHNL_VERSION_MAJOR;
	/* A 1.0 VF gets 1.0 (no caps in GET_VF_RESOURCES); others 1.1. */
	dev->vc_minor = vf.minor == 0 ? 0 : VIRTCHNL_VERSION_MINOR;
	dev->version_ok = true;
	r->version.major = dev->vc_major;
	r->version.minor = dev->vc_minor;
	r->len = sizeof(r->version);
	return VIRTCHNL_STATUS_SUCCESS;
}

static int32_t
vc_get_vf_resources(struct emu_iavf *dev, const uint8_t *msg, uint16_t len,
		struct emu_iavf_vc_reply *r)
{
	struct virtchnl_vf_resource *res = &r->res;
	uint32_t requested = EMU_IAVF_CAPS_V10;

	if (dev->vc_minor > 0) {
		if (len < sizeof(requested))
			return VIRTCHNL_STATUS_ERR_PARAM;
		memcpy(&requested, msg, sizeof(requested));
	}
	dev->caps = requested & EMU_IAVF_CAPS_SUPPORTED;
	dev->resources_sent = true;
	memset(res, 0, sizeof(*res));
	res->num_vsis = 1;
	res->num_queue_pairs = dev->num_qp;
	res->max_vectors = dev->num_vectors;
	res->max_mtu = dev->max_frame;
	res->vf_cap_flags = dev->caps;
	res->rss_key_size = sizeof(dev->net.rss_key);
	res->rss_lut_size = sizeof(dev->net.rss_lut);
	res->vsi_res[0].vsi_id = IAVF_VSI_ID;
	res->vsi_res[0].num_queue_pairs = dev->num_qp;
	res->vsi_res[0].vsi_type = VIRTCHNL_VSI_SRIOV;
	memcpy(res->vsi_res[0].default_mac, &dev->net.mac, RTE_ETHER_ADDR_LEN);
	r->len = sizeof(*res);
	r->link_event = true; /* as ice and i40e do */
	return VIRTCHNL_STATUS_SUCCESS;
}

static bool
ring_len_ok(uint32_t n)
{
	return n >= 64 && n <= 8160 && n % 32 == 0;
}

/* The ring of a queue: 128-byte aligned, all of it in guest memory. */
static bool
ring_ok(struct emu_iavf *dev, uint64_t addr, uint32_t n, uint32_t desc_size)
{
	return addr % 128 == 0 && guest_range_ok(dev, addr, (uint64_t)n * desc_size);
}

static bool
txq_info_ok(struct emu_iavf *dev, const struct virtchnl_txq_info *t)
{
	if (!vsi_ok(t->vsi_id) || t->queue_id >= dev->num_qp ||
	    t->headwb_enabled != 0)
		return false;
	return t->ring_len == 0 ||
		(ring_len_ok(t->ring_len) && ring_ok(dev, t->dma_ring_addr,
			t->ring_len, 16));
}

static bool
rxq_info_ok(struct emu_iavf *dev, const struct virtchnl_rxq_info *q)
{
	if (!vsi_ok(q->vsi_id) || q->queue_id >= dev->num_qp ||
	    q->splithdr_enabled != 0 || q->rxdid > 1 || q->crc_disable != 0)
		return false;
	if (q->ring_len == 0)
		return true;
	return ring_len_ok(q->ring_len) &&
		q->databuffer_size >= 1024 && q->databuffer_size <= 16256 &&
		q->max_pkt_size >= 64 && q->max_pkt_size <= dev->max_frame &&
		ring_ok(dev, q->dma_ring_addr, q->ring_len, 32);
}

static int32_t
vc_config_vsi_queues(struct emu_iavf *dev, const uint8_t *msg, uint16_t len,
		struct emu_iavf_vc_reply *r __rte_unused)
{
	const struct virtchnl_vsi_queue_config_info *c = (const void *)msg;
	struct virtchnl_queue_pair_info qp;
	uint16_t i, q;

	if (!vsi_ok(c->vsi_id) || c->num_queue_pairs == 0 ||
	    c->num_queue_pairs > dev->num_qp ||
	    len < sizeof(*c) + c->num_queue_pairs * sizeof(qp))
		return VIRTCHNL_STATUS_ERR_PARAM;
	for (i = 0; i < c->num_queue_pairs; i++) {
		memcpy(&qp, &c->qpair[i], sizeof(qp));
		if (qp.txq.queue_id != qp.rxq.queue_id ||
		    !txq_info_ok(dev, &qp.txq) || !rxq_info_ok(dev, &qp.rxq))
			return VIRTCHNL_STATUS_ERR_PARAM;
		/* An enabled queue is not reconfigured under the data path. */
		if (dev->txq[qp.txq.queue_id].enabled ||
		    dev->rxq[qp.rxq.queue_id].enabled)
			return VIRTCHNL_STATUS_ERR_PARAM;
	}
	for (i = 0; i < c->num_queue_pairs; i++) {
		memcpy(&qp, &c->qpair[i], sizeof(qp));
		q = qp.txq.queue_id;
		dev->txq[q].configured = qp.txq.ring_len != 0;
		dev->txq[q].ring_len = qp.txq.ring_len;
		dev->txq[q].ring_addr = qp.txq.dma_ring_addr;
		dev->rxq[q].configured = qp.rxq.ring_len != 0;
		dev->rxq[q].ring_len = qp.rxq.ring_len;
		dev->rxq[q].ring_addr = qp.rxq.dma_ring_addr;
		dev->rxq[q].buf_size = qp.rxq.databuffer_size;
		dev->rxq[q].max_pkt = qp.rxq.max_pkt_size;
		dev->rxq[q].keep_crc = qp.rxq.crc_disable;
	}
	emu_iavf_config_changed(dev, RTE_EMUDEV_NET_CFG_MTU);
	return VIRTCHNL_STATUS_SUCCESS;
}

static bool
queue_map_ok(const struct emu_iavf *dev, uint32_t map)
{
	return (map & ~RTE_LEN2MASK(dev->num_qp, uint32_t)) == 0;
}

static int32_t
vc_config_irq_map(struct emu_iavf *dev, const uint8_t *msg, uint16_t len,
		struct emu_iavf_vc_reply *r __rte_unused)
{
	const struct virtchnl_irq_map_info *m = (const void *)msg;
	struct virtchnl_vector_map v;
	uint16_t i, q;

	if (m->num_vectors == 0 || m->num_vectors > dev->num_vectors ||
	    len < sizeof(*m) + m->num_vectors * sizeof(v))
		return VIRTCHNL_STATUS_ERR_PARAM;
	for (i = 0; i < m->num_vectors; i++) {
		memcpy(&v, &m->vecmap[i], sizeof(v));
		if (!vsi_ok(v.vsi_id) || v.vector_id >= dev->num_vectors ||
		    !queue_map_ok(dev, v.rxq_map) ||
		    !queue_map_ok(dev, v.txq_map) ||
		    v.rxitr_idx > 3 || v.txitr_idx > 3)
			return VIRTCHNL_STATUS_ERR_PARAM;
	}
	for (i = 0; i < m->num_vectors; i++) {
		memcpy(&v, &m->vecmap[i], sizeof(v));
		for (q = 0; q < dev->num_qp; q++) {
			if (v.rxq_map & RTE_BIT32(q))
				dev->rxq[q].vector = v.vector_id;
			if (v.txq_map & RTE_BIT32(q))
				dev->txq[q].vector = v.vector_id;
		}
	}
	emu_iavf_irq_map_changed(dev);
	return VIRTCHNL_STATUS_SUCCESS;
}

/* A queue selection naming only existing queues, configured if enabling. */
static bool
queue_select_ok(struct emu_iavf *dev, const struct virtchnl_queue_select *s,
		bool enabling)
{
	uint16_t q;

	if (!vsi_ok(s->vsi_id) || (s->rx_queues | s->tx_queues) == 0 ||
	    !queue_map_ok(dev, s->rx_queues) || !queue_map_ok(dev, s->tx_queues))
		return false;
	for (q = 0; enabling && q < dev->num_qp; q++) {
		const struct emu_iavf_queue *t = &dev->txq[q], *rq = &dev->rxq[q];

		if ((s->tx_queues & RTE_BIT32(q)) && (!t->configured ||
		    !ring_ok(dev, t->ring_addr, t->ring_len, 16)))
			return false;
		if ((s->rx_queues & RTE_BIT32(q)) && (!rq->configured ||
		    !ring_ok(dev, rq->ring_addr, rq->ring_len, 32)))
			return false;
	}
	return true;
}

/* Returns true when the link the guest sees changed. */
static bool
set_queues(struct emu_iavf *dev, const struct virtchnl_queue_select *s, bool enable)
{
	uint16_t q;

	for (q = 0; q < dev->num_qp; q++) {
		if ((s->tx_queues & RTE_BIT32(q)) && dev->txq[q].enabled != enable)
			emu_iavf_set_queue(dev, RTE_EMUDEV_NET_TXQ(q), enable);
		if ((s->rx_queues & RTE_BIT32(q)) && dev->rxq[q].enabled != enable)
			emu_iavf_set_queue(dev, RTE_EMUDEV_NET_RXQ(q), enable);
	}
	return emu_iavf_update_link(dev);
}

static int32_t
vc_enable_queues(struct emu_iavf *dev, const uint8_t *msg,
		uint16_t len __rte_unused, struct emu_iavf_vc_reply *r)
{
	struct virtchnl_queue_select s;

	memcpy(&s, msg, sizeof(s));
	if (!queue_select_ok(dev, &s, true))
		return VIRTCHNL_STATUS_ERR_PARAM;
	set_queues(dev, &s, true);
	/* Every time: Linux takes a link up only once it is running. */
	r->link_event = true;
	return VIRTCHNL_STATUS_SUCCESS;
}

static int32_t
vc_disable_queues(struct emu_iavf *dev, const uint8_t *msg,
		uint16_t len __rte_unused, struct emu_iavf_vc_reply *r)
{
	struct virtchnl_queue_select s;

	memcpy(&s, msg, sizeof(s));
	if (!queue_select_ok(dev, &s, false))
		return VIRTCHNL_STATUS_ERR_PARAM;
	/* The data path has left the rings before the guest frees them. */
	r->link_event = set_queues(dev, &s, false);
	return VIRTCHNL_STATUS_SUCCESS;
}

static int
mac_find(const struct emu_iavf *dev, const uint8_t *addr)
{
	uint16_t i;

	for (i = 0; i < dev->net.nb_macs; i++)
		if (memcmp(&dev->net.macs[i], addr, RTE_ETHER_ADDR_LEN) == 0)
			return i;
	return -1;
}

/* The address list, checked: well-formed, no zero address. */
static const struct virtchnl_ether_addr_list *
mac_list(const uint8_t *msg, uint16_t len)
{
	const struct virtchnl_ether_addr_list *l = (const void *)msg;
	struct virtchnl_ether_addr e;
	uint16_t i;

	if (!vsi_ok(l->vsi_id) ||
	    len < sizeof(*l) + l->num_elements * sizeof(e))
		return NULL;
	for (i = 0; i < l->num_elements; i++) {
		memcpy(&e, &l->list[i], sizeof(e));
		if (rte_is_zero_ether_addr((const void *)e.addr))
			return NULL;
	}
	return l;
}

static int32_t
vc_add_eth_addr(struct emu_iavf *dev, const uint8_t *msg, uint16_t len,
		struct emu_iavf_vc_reply *r __rte_unused)
{
	const struct virtchnl_ether_addr_list *l = mac_list(msg, len);
	struct virtchnl_ether_addr e;
	uint16_t i, fresh = 0;

	if (l == NULL)
		return VIRTCHNL_STATUS_ERR_PARAM;
	for (i = 0; i < l->num_elements; i++) {
		memcpy(&e, &l->list[i], sizeof(e));
		fresh += mac_find(dev, e.addr) < 0;
	}
	if (dev->net.nb_macs + fresh > IAVF_MAX_MACS)
		return VIRTCHNL_STATUS_ERR_NO_MEMORY;
	for (i = 0; i < l->num_elements; i++) {
		memcpy(&e, &l->list[i], sizeof(e));
		if (mac_find(dev, e.addr) < 0)
			memcpy(&dev->net.macs[dev->net.nb_macs++], e.addr,
			       RTE_ETHER_ADDR_LEN);
		/* The VF's primary address may change (ip link set address). */
		if ((e.type & VIRTCHNL_ETHER_ADDR_TYPE_MASK) == 1)
			memcpy(&dev->net.mac, e.addr, RTE_ETHER_ADDR_LEN);
	}
	emu_iavf_config_changed(dev, RTE_EMUDEV_NET_CFG_MAC);
	return VIRTCHNL_STATUS_SUCCESS;
}

static int32_t
vc_del_eth_addr(struct emu_iavf *dev, const uint8_t *msg, uint16_t len,
		struct emu_iavf_vc_reply *r __rte_unused)
{
	const struct virtchnl_ether_addr_list *l = mac_list(msg, len);
	struct virtchnl_ether_addr e;
	uint16_t i;
	int k;

	if (l == NULL)
		return VIRTCHNL_STATUS_ERR_PARAM;
	for (i = 0; i < l->num_elements; i++) {
		memcpy(&e, &l->list[i], sizeof(e));
		k = mac_find(dev, e.addr);
		if (k < 0)
			continue; /* deleting a missing filter is harmless */
		dev->net.nb_macs--;
		memmove(&dev->net.macs[k], &dev->net.macs[k + 1],
			(dev->net.nb_macs - k) * sizeof(dev->net.macs[0]));
	}
	emu_iavf_config_changed(dev, RTE_EMUDEV_NET_CFG_MAC);
	return VIRTCHNL_STATUS_SUCCESS;
}

static int32_t
vc_vlan_filter(struct emu_iavf *dev, const uint8_t *msg, uint16_t len,
		bool add)
{
	const struct virtchnl_vlan_filter_list *l = (const void *)msg;
	uint16_t i, vid;

	if (!vsi_ok(l->vsi_id) ||
	    len < sizeof(*l) + l->num_elements * sizeof(vid))
		return VIRTCHNL_STATUS_ERR_PARAM;
	for (i = 0; i < l->num_elements; i++) {
		memcpy(&vid, &l->vlan_id[i], sizeof(vid));
		if (vid >= 4096)
			return VIRTCHNL_STATUS_ERR_PARAM;
	}
	for (i = 0; i < l->num_elements; i++) {
		memcpy(&vid, &l->vlan_id[i], sizeof(vid));
		if (add)
			dev->net.vlan_filter[vid / 64] |= RTE_BIT64(vid % 64);
		else
			dev->net.vlan_filter[vid / 64] &= ~RTE_BIT64(vid % 64);
	}
	emu_iavf_config_changed(dev, RTE_EMUDEV_NET_CFG_VLAN);
	return VIRTCHNL_STATUS_SUCCESS;
}

static int32_t
vc_add_vlan(struct emu_iavf *dev, const uint8_t *msg, uint16_t len,
		struct emu_iavf_vc_reply *r __rte_unused)
{
	return vc_vlan_filter(dev, msg, len, true);
}

static int32_t
vc_del_vlan(struct emu_iavf *dev, const uint8_t *msg, uint16_t len,
		struct emu_iavf_vc_reply *r __rte_unused)
{
	return vc_vlan_filter(dev, msg, len, false);
}

static int32_t
vc_vlan_stripping(struct emu_iavf *dev, bool on)
{
	dev->net.vlan_strip = on;
	emu_iavf_config_changed(dev, RTE_EMUDEV_NET_CFG_VLAN);
	return VIRTCHNL_STATUS_SUCCESS;
}

static int32_t
vc_enable_vlan_stripping(struct emu_iavf *dev, const uint8_t *msg __rte_unused,
		uint16_t len __rte_unused, struct emu_iavf_vc_reply *r __rte_unused)
{
	return vc_vlan_stripping(dev, true);
}

static int32_t
vc_disable_vlan_stripping(struct emu_iavf *dev, const uint8_t *msg __rte_unused,
		uint16_t len __rte_unused, struct emu_iavf_vc_reply *r __rte_unused)
{
	return vc_vlan_stripping(dev, false);
}

static int32_t
vc_config_promisc(struct emu_iavf *dev, const uint8_t *msg,
		uint16_t len __rte_unused, struct emu_iavf_vc_reply *r __rte_unused)
{
	struct virtchnl_promisc_info p;

	memcpy(&p, msg, sizeof(p));
	if (!vsi_ok(p.vsi_id) ||
	    (p.flags & ~(FLAG_VF_UNICAST_PROMISC | FLAG_VF_MULTICAST_PROMISC)))
		return VIRTCHNL_STATUS_ERR_PARAM;
	dev->net.promisc = !!(p.flags & FLAG_VF_UNICAST_PROMISC);
	dev->net.allmulti = !!(p.flags & FLAG_VF_MULTICAST_PROMISC);
	emu_iavf_config_changed(dev, RTE_EMUDEV_NET_CFG_PROMISC);
	return VIRTCHNL_STATUS_SUCCESS;
}

static int32_t
vc_get_stats(struct emu_iavf *dev, const uint8_t *msg,
		uint16_t len __rte_unused, struct emu_iavf_vc_reply *r)
{
	struct virtchnl_queue_select s;

	memcpy(&s, msg, sizeof(s));
	if (!vsi_ok(s.vsi_id))
		return VIRTCHNL_STATUS_ERR_PARAM;
	static_assert(sizeof(r->stats) == 96, "GET_STATS reply");
	rte_emudev_consumer_stats(dev->edev, &r->stats, sizeof(r->stats));
	r->len = sizeof(r->stats);
	return VIRTCHNL_STATUS_SUCCESS;
}

static int32_t
vc_config_rss_key(struct emu_iavf *dev, const uint8_t *msg, uint16_t len,
		struct emu_iavf_vc_reply *r __rte_unused)
{
	const struct virtchnl_rss_key *k = (const void *)msg;

	if (!vsi_ok(k->vsi_id) || k->key_len != sizeof(dev->net.rss_key) ||
	    len < sizeof(*k) + k->key_len)
		return VIRTCHNL_STATUS_ERR_PARAM;
	memcpy(dev->net.rss_key, k->key, sizeof(dev->net.rss_key));
	emu_iavf_config_changed(dev, RTE_EMUDEV_NET_CFG_RSS);
	return VIRTCHNL_STATUS_SUCCESS;
}

static int32_t
vc_config_rss_lut(struct emu_iavf *dev, const uint8_t *msg, uint16_t len,
		struct emu_iavf_vc_reply *r __rte_unused)
{
	const struct virtchnl_rss_lut *l = (const void *)msg;
	uint16_t i;

	if (!vsi_ok(l->vsi_id) || l->lut_entries != sizeof(dev->net.rss_lut) ||
	    len < sizeof(*l) + l->lut_entries)
		return VIRTCHNL_STATUS_ERR_PARAM;
	for (i = 0; i < sizeof(dev->net.rss_lut); i++)
		if (l->lut[i] >= dev->num_qp)
			return VIRTCHNL_STATUS_ERR_PARAM;
	memcpy(dev->net.rss_lut, l->lut, sizeof(dev->net.rss_lut));
	emu_iavf_config_changed(dev, RTE_EMUDEV_NET_CFG_RSS);
	return VIRTCHNL_STATUS_SUCCESS;
}

static int32_t
vc_get_rss_hena_caps(struct emu_iavf *dev __rte_unused,
		const uint8_t *msg __rte_unused, uint16_t len __rte_unused,
		struct emu_iavf_vc_reply *r)
{
	r->hena.hena = EMU_IAVF_HENA_SUPPORTED;
	r->len = sizeof(r->hena);
	return VIRTCHNL_STATUS_SUCCESS;
}

static int32_t
vc_set_rss_hena(struct emu_iavf *dev, const uint8_t *msg,
		uint16_t len __rte_unused, struct emu_iavf_vc_reply *r __rte_unused)
{
	struct virtchnl_rss_hena h;

	memcpy(&h, msg, sizeof(h));
	if (h.hena & ~EMU_IAVF_HENA_SUPPORTED)
		return VIRTCHNL_STATUS_ERR_PARAM;
	dev->net.rss_hena = h.hena;
	emu_iavf_config_changed(dev, RTE_EMUDEV_NET_CFG_RSS);
	return VIRTCHNL_STATUS_SUCCESS;
}

static int32_t
vc_config_rss_hfunc(struct emu_iavf *dev __rte_unused, const uint8_t *msg,
		uint16_t len __rte_unused, struct emu_iavf_vc_reply *r __rte_unused)
{
	struct virtchnl_rss_hfunc f;

	memcpy(&f, msg, sizeof(f));
	if (!vsi_ok(f.vsi_id))
		return VIRTCHNL_STATUS_ERR_PARAM;
	/* The data path computes the asymmetric Toeplitz hash only. */
	return f.rss_algorithm == 0 ? VIRTCHNL_STATUS_SUCCESS :
		VIRTCHNL_STATUS_ERR_NOT_SUPPORTED;
}

static const struct vc_op_desc vc_ops[] = {
	[VIRTCHNL_OP_VERSION] = { "VERSION", virtchnl_version_info, 0,
		sizeof(struct virtchnl_version_info) },
	[VIRTCHNL_OP_RESET_VF] = { "RESET_VF", NULL, 0, 0 },
	[VIRTCHNL_OP_GET_VF_RESOURCES] = { "GET_VF_RESOURCES",
		vc_get_vf_resources, 0, 0 },
	[VIRTCHNL_OP_CONFIG_TX_QUEUE] = { "CONFIG_TX_QUEUE", NULL, 0, 0 },
	[VIRTCHNL_OP_CONFIG_RX_QUEUE] = { "CONFIG_RX_QUEUE", NULL, 0, 0 },
	[VIRTCHNL_OP_CONFIG_VSI_QUEUES] = { "CONFIG_VSI_QUEUES",
		vc_config_vsi_queues, 0, sizeof(struct virtchnl_vsi_queue_config_info) },
	[VIRTCHNL_OP_CONFIG_IRQ_MAP] = { "CONFIG_IRQ_MAP", vc_config_irq_map, 0,
		sizeof(struct virtchnl_irq_map_info) },
	[VIRTCHNL_OP_ENABLE_QUEUES] = { "ENABLE_QUEUES", vc_enable_queues, 0,
		sizeof(struct virtchnl_queue_select) },
	[VIRTCHNL_OP_DISABLE_QUEUES] = { "DISABLE_QUEUES", vc_disable_queues, 0,
		sizeof(struct virtchnl_queue_select) },
	[VIRTCHNL_OP_ADD_ETH_ADDR] = { "ADD_ETH_ADDR", vc_add_eth_addr, 0,
		sizeof(struct virtchnl_ether_addr_list) },
	[VIRTCHNL_OP_DEL_ETH_ADDR] = { "DEL_ETH_ADDR", vc_del_eth_addr, 0,
		sizeof(struct virtchnl_ether_addr_list) },
	[VIRTCHNL_OP_ADD_VLAN] = { "ADD_VLAN", vc_add_vlan, VIRTCHNL_VF_OFFLOAD_VLAN,
		sizeof(struct virtchnl_vlan_filter_list) },
	[VIRTCHNL_OP_DEL_VLAN] = { "DEL_VLAN", vc_del_vlan, VIRTCHNL_VF_OFFLOAD_VLAN,
		sizeof(struct virtchnl_vlan_filter_list) },
	[VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE] = { "CONFIG_PROMISCUOUS_MODE",
		vc_config_promisc, 0, sizeof(struct virtchnl_promisc_info) },
	[VIRTCHNL_OP_GET_STATS] = { "GET_STATS", vc_get_stats, 0,
		sizeof(struct virtchnl_queue_select) },
	[VIRTCHNL_OP_EVENT] = { "EVENT", NULL, 0, 0 },
	[VIRTCHNL_OP_CONFIG_RSS_HFUNC] = { "CONFIG_RSS_HFUNC", vc_config_rss_hfunc,
		VIRTCHNL_VF_OFFLOAD_RSS_PF, sizeof(struct virtchnl_rss_hfunc) },
	[VIRTCHNL_OP_CONFIG_RSS_KEY] = { "CONFIG_RSS_KEY", vc_config_rss_key,
		VIRTCHNL_VF_OFFLOAD_RSS_PF, sizeof(struct virtchnl_rss_key) },
	[VIRTCHNL_OP_CONFIG_RSS_LUT] = { "CONFIG_RSS_LUT", vc_config_rss_lut,
		VIRTCHNL_VF_OFFLOAD_RSS_PF, sizeof(struct virtchnl_rss_lut) },
	[VIRTCHNL_OP_GET_RSS_HENA_CAPS] = { "GET_RSS_HENA_CAPS",
		vc_get_rss_hena_caps, VIRTCHNL_VF_OFFLOAD_RSS_PF, 0 },
	[VIRTCHNL_OP_SET_RSS_HENA] = { "SET_RSS_HENA", vc_set_rss_hena,
		VIRTCHNL_VF_OFFLOAD_RSS_PF, sizeof(struct virtchnl_rss_hena) },
	[VIRTCHNL_OP_ENABLE_VLAN_STRIPPING] = { "ENABLE_VLAN_STRIPPING",
		vc_enable_vlan_stripping, VIRTCHNL_VF_OFFLOAD_VLAN, 0 },
	[VIRTCHNL_OP_DISABLE_VLAN_STRIPPING] = { "DISABLE_VLAN_STRIPPING",
		vc_disable_vlan_stripping, VIRTCHNL_VF_OFFLOAD_VLAN, 0 },
};

const char *
emu_iavf_vc_op_name(uint32_t op)
{
	if (op < RTE_DIM(vc_ops) && vc_ops[op].name != NULL)
		return vc_ops[op].name;
	return "UNKNOWN";
}

/* The status of a message before its handler runs; SUCCESS to run it. */
static int32_t
vc_precheck(struct emu_iavf *dev, const struct vc_op_desc *d, uint32_t op,
		uint16_t len)
{
	if (d == NULL || d->handler == NULL) {
		dev->err.vc_unsupported++;
		return VIRTCHNL_STATUS_ERR_NOT_SUPPORTED;
	}
	if (op != VIRTCHNL_OP_VERSION && !dev->version_ok) {
		dev->err.vc_bad_state++;
		return VIRTCHNL_STATUS_ERR_PARAM;
	}
	if (d->cap != 0 && !(dev->caps & d->cap)) {
		dev->err.vc_bad_state++;
		return VIRTCHNL_STATUS_ERR_NOT_SUPPORTED;
	}
	if (len < d->min_len) {
		dev->err.vc_bad_msg++;
		return VIRTCHNL_STATUS_ERR_PARAM;
	}
	return VIRTCHNL_STATUS_SUCCESS;
}

int32_t
emu_iavf_vc_handle(struct emu_iavf *dev, uint32_t op, const uint8_t *msg,
		uint16_t len, struct emu_iavf_vc_reply *r)
{
	const struct vc_op_desc *d = op < RTE_DIM(vc_ops) ? &vc_ops[op] : NULL;
	int32_t status;

	if (op < EMU_IAVF_VC_OP_MAX)
		dev->vc_ops[op]++;
	EMU_IAVF_LOG_RL(DEBUG, "%s: %s (%u), %u bytes", dev->name,
			emu_iavf_vc_op_name(op), op, len);
	if (op == VIRTCHNL_OP_RESET_VF) {
		emu_iavf_vf_reset(dev);
		r->none = true;
		return VIRTCHNL_STATUS_SUCCESS;
	}
	status = vc_precheck(dev, d, op, len);
	if (status != VIRTCHNL_STATUS_SUCCESS)
		return status;
	status = d->handler(dev, msg, len, r);
	if (status != VIRTCHNL_STATUS_SUCCESS) {
		dev->err.vc_bad_msg++;
		EMU_IAVF_LOG_RL(NOTICE, "%s: %s rejected (%d)", dev->name,
				d->name, status);
	}
	return status;
}
