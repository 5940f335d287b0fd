/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * The VF side of the admin queue and of virtchnl. The rings and their
 * buffers are in one memzone that the server reaches through the DMA
 * maps; registers go over the socket. One request is in flight at a time
 * (the caller holds the adapter's lock); while it waits for its reply,
 * the PF's events that come first are handled. Everything the PF writes
 * (descriptors, lengths, replies) is checked before use.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_memzone.h>
#include <rte_vfio_user.h>
#include <rte_vfio_user_pci.h>

#include "iavf_client.h"

#define AQ_FLAG_SI 0x2000
#define AQ_FLAG_RD 0x0400
#define AQ_FLAG_LB 0x0200
#define AQ_FLAG_ERR 0x0004

static uint32_t
reg_read(struct iavfc_adapter *ad, uint32_t off)
{
	uint32_t v = UINT32_MAX;

	if (rte_vfio_user_client_region_read(ad->c, RTE_VFIO_USER_PCI_BAR0, off,
			&v, sizeof(v)) < 0)
		return UINT32_MAX;
	return v;
}

static int
reg_write(struct iavfc_adapter *ad, uint32_t off, uint32_t v)
{
	return rte_vfio_user_client_region_write(ad->c, RTE_VFIO_USER_PCI_BAR0,
			off, &v, sizeof(v), false);
}

int
iavfc_aq_init(struct iavfc_adapter *ad)
{
	struct iavfc_aq *aq = &ad->aq;
	size_t ring = IAVFC_AQ_LEN * sizeof(struct iavf_aq_desc);
	char name[RTE_MEMZONE_NAMESIZE];

	snprintf(name, sizeof(name), "iavfc_aq_%u", ad->port_id);
	aq->mz = rte_memzone_reserve_aligned(name,
			2 * ring + 2 * IAVFC_AQ_LEN * IAVFC_AQ_BUF, SOCKET_ID_ANY,
			RTE_MEMZONE_IOVA_CONTIG, 4096);
	if (aq->mz == NULL)
		return -ENOMEM;
	aq->atq = aq->mz->addr;
	aq->arq = (void *)((uint8_t *)aq->mz->addr + ring);
	aq->atq_buf = (uint8_t *)aq->mz->addr + 2 * ring;
	aq->arq_buf = aq->atq_buf + IAVFC_AQ_LEN * IAVFC_AQ_BUF;
	aq->atq_iova = aq->mz->iova;
	aq->arq_iova = aq->mz->iova + ring;
	aq->atq_buf_iova = aq->mz->iova + 2 * ring;
	aq->arq_buf_iova = aq->atq_buf_iova + IAVFC_AQ_LEN * IAVFC_AQ_BUF;
	return 0;
}

void
iavfc_aq_free(struct iavfc_adapter *ad)
{
	rte_memzone_free(ad->aq.mz);
	ad->aq.mz = NULL;
}

static void
arq_arm(struct iavfc_aq *aq, uint16_t i)
{
	uint64_t buf = aq->arq_buf_iova + (uint64_t)IAVFC_AQ_BUF * i;
	struct iavf_aq_desc *d = &aq->arq[i];

	memset(d, 0, sizeof(*d));
	d->flags = IAVF_AQ_FLAG_BUF | AQ_FLAG_LB;
	d->datalen = IAVFC_AQ_BUF;
	d->addr_high = buf >> 32;
	d->addr_low = (uint32_t)buf;
}

/* Program both rings, as Linux's iavf does after a reset. */
static int
aq_start(struct iavfc_adapter *ad)
{
	struct iavfc_aq *aq = &ad->aq;
	uint16_t i;
	int rc = 0;

	memset(aq->atq, 0, IAVFC_AQ_LEN * sizeof(*aq->atq));
	for (i = 0; i < IAVFC_AQ_LEN; i++)
		arq_arm(aq, i);
	aq->atq_ntu = aq->arq_ntc = 0;
	rte_wmb();
	rc |= reg_write(ad, IAVF_VF_ATQH1, 0);
	rc |= reg_write(ad, IAVF_VF_ATQT1, 0);
	rc |= reg_write(ad, IAVF_VF_ATQLEN1, IAVFC_AQ_LEN | IAVF_AQ_LEN_ENABLE);
	rc |= reg_write(ad, IAVF_VF_ATQBAL1, (uint32_t)aq->atq_iova);
	rc |= reg_write(ad, IAVF_VF_ATQBAH1, aq->atq_iova >> 32);
	rc |= reg_write(ad, IAVF_VF_ARQH1, 0);
	rc |= reg_write(ad, IAVF_VF_ARQT1, 0);
	rc |= reg_write(ad, IAVF_VF_ARQLEN1, IAVFC_AQ_LEN | IAVF_AQ_LEN_ENABLE);
	rc |= reg_write(ad, IAVF_VF_ARQBAL1, (uint32_t)aq->arq_iova);
	rc |= reg_write(ad, IAVF_VF_ARQBAH1, aq->arq_iova >> 32);
	rc |= reg_write(ad, IAVF_VF_ARQT1, IAVFC_AQ_LEN - 1);
	return rc != 0 ? -EIO : 0;
}

/*
 * VFGEN_RSTAT reads VFACTIVE or COMPLETED: the device is out of reset.
 * A server that never gets there fails the probe after the timeout.
 */
static int
wait_reset_done(struct iavfc_adapter *ad)
{
	uint64_t end = rte_get_timer_cycles() +
		rte_get_timer_hz() * IAVFC_RESET_TIMEOUT_MS / 1000;

	do {
		uint32_t st = reg_read(ad, IAVF_VFGEN_RSTAT) & 3;

		if (st == IAVF_RSTAT_VFACTIVE || st == IAVF_RSTAT_COMPLETED)
			return 0;
		usleep(1000);
	} while (rte_get_timer_cycles() < end);
	IAVFC_LOG(ERR, "%s: the device stays in reset", ad->name);
	return -ETIMEDOUT;
}

/* A PF event; link changes leave ad->lsc_pending for the ethdev layer. */
static void
handle_event(struct iavfc_adapter *ad, const uint8_t *msg, uint16_t len)
{
	struct virtchnl_pf_event ev;

	if (len < sizeof(ev)) {
		ad->bad_msgs++;
		IAVFC_LOG_RL(WARNING, "%s: PF event of %u bytes", ad->name, len);
		return;
	}
	memcpy(&ev, msg, sizeof(ev));
	switch (ev.event) {
	case VIRTCHNL_EVENT_LINK_CHANGE:
		if (ad->link_up != !!ev.link_status ||
		    ad->link_speed != ev.link_speed)
			ad->lsc_pending = true;
		ad->link_up = !!ev.link_status;
		ad->link_speed = ev.link_speed;
		break;
	case VIRTCHNL_EVENT_RESET_IMPENDING:
	case VIRTCHNL_EVENT_PF_DRIVER_CLOSE:
		IAVFC_LOG(WARNING, "%s: the PF resets the VF", ad->name);
		ad->resetting = true;
		if (ad->link_up)
			ad->lsc_pending = true;
		ad->link_up = false;
		break;
	default:
		ad->bad_msgs++;
		IAVFC_LOG_RL(WARNING, "%s: unknown PF event %d", ad->name,
			     ev.event);
	}
}

/*
 * Take the next ARQ message into buf (up to IAVFC_AQ_BUF bytes); 1 when
 * one came, 0 when none, a negative errno for a register read that
 * failed or a head outside the ring. A descriptor that does not describe
 * a message is counted and handed back.
 */
static int
arq_take(struct iavfc_adapter *ad, uint32_t *op, int32_t *status,
		uint8_t *buf, uint16_t *len)
{
	struct iavfc_aq *aq = &ad->aq;
	uint16_t i = aq->arq_ntc;
	struct iavf_aq_desc d;
	uint32_t head = reg_read(ad, IAVF_VF_ARQH1);

	if (head == UINT32_MAX)
		return -EIO;
	head &= IAVF_AQ_PTR_MASK;
	if (head >= IAVFC_AQ_LEN) {
		/* the head would never meet ours: every read a message */
		ad->bad_msgs++;
		IAVFC_LOG_RL(WARNING, "%s: ARQ head %u outside a ring of %u",
			     ad->name, head, IAVFC_AQ_LEN);
		return -EPROTO;
	}
	if (head == i)
		return 0;
	rte_rmb();
	memcpy(&d, &aq->arq[i], sizeof(d));
	if (!(d.flags & IAVF_AQ_FLAG_DD) || d.opcode != IAVF_AQ_OP_MSG_TO_VF ||
	    d.datalen > IAVFC_AQ_BUF) {
		ad->bad_msgs++;
		IAVFC_LOG_RL(WARNING, "%s: ARQ descriptor %u: flags 0x%x opcode "
			     "0x%x length %u", ad->name, i, d.flags, d.opcode,
			     d.datalen);
		*op = VIRTCHNL_OP_UNKNOWN;
		*len = 0;
	} else {
		*op = d.cookie_high;
		*status = (int32_t)d.cookie_low;
		*len = d.datalen;
		memcpy(buf, aq->arq_buf + (size_t)IAVFC_AQ_BUF * i, d.datalen);
	}
	arq_arm(aq, i);
	aq->arq_ntc = (i + 1) % IAVFC_AQ_LEN;
	rte_wmb();
	return reg_write(ad, IAVF_VF_ARQT1, i) < 0 ? -EIO : 1;
}

void
iavfc_vc_poll_events(struct iavfc_adapter *ad)
{
	uint8_t *buf = ad->vc_reply;
	uint32_t op;
	int32_t status;
	uint16_t len;
	int n;

	for (n = 0; n < IAVFC_AQ_LEN; n++) {
		if (arq_take(ad, &op, &status, buf, &len) <= 0)
			break;
		if (op == VIRTCHNL_OP_EVENT)
			handle_event(ad, buf, len);
		else if (op != VIRTCHNL_OP_UNKNOWN)
			IAVFC_LOG_RL(DEBUG, "%s: late reply to op %u", ad->name,
				     op);
	}
}

static int
atq_post(struct iavfc_adapter *ad, uint32_t op, const void *msg,
		uint16_t len)
{
	struct iavfc_aq *aq = &ad->aq;
	uint16_t i = aq->atq_ntu;
	struct iavf_aq_desc *d = &aq->atq[i];
	uint64_t buf = aq->atq_buf_iova + (uint64_t)IAVFC_AQ_BUF * i;

	if (len > IAVFC_AQ_BUF)
		return -EMSGSIZE;
	memset(d, 0, sizeof(*d));
	d->flags = AQ_FLAG_SI;
	d->opcode = IAVF_AQ_OP_MSG_TO_PF;
	d->cookie_high = op;
	if (len > 0) {
		memcpy(aq->atq_buf + (size_t)IAVFC_AQ_BUF * i, msg, len);
		d->flags |= IAVF_AQ_FLAG_BUF | AQ_FLAG_RD;
		d->datalen = len;
		d->addr_high = buf >> 32;
		d->addr_low = (uint32_t)buf;
	}
	aq->atq_ntu = (i + 1) % IAVFC_AQ_LEN;
	rte_wmb();
	if (reg_write(ad, IAVF_VF_ATQT1, aq->atq_ntu) < 0)
		return -EIO;
	return 0;
}

/*
 * One virtchnl request and its reply (copied into reply, at most
 * *rlen bytes; *rlen set to the reply's length). 0, the PF's failure as
 * -EIO (its status logged), or -ETIMEDOUT. The deadline holds however
 * many other messages come: a server that keeps the ARQ full of events
 * or of replies to other requests cannot keep the caller here. Called
 * with the lock held.
 */
static int
vc_request(struct iavfc_adapter *ad, uint32_t op, const void *msg,
		uint16_t len, void *reply, uint16_t *rlen)
{
	uint8_t *buf = ad->vc_reply;
	uint64_t end = rte_get_timer_cycles() +
		rte_get_timer_hz() * IAVFC_VC_TIMEOUT_MS / 1000;
	int rc = atq_post(ad, op, msg, len);

	while (rc == 0) {
		uint32_t rop;
		int32_t status = 0;
		uint16_t n;

		rc = arq_take(ad, &rop, &status, buf, &n);
		if (rc < 0)
			break;
		if (rte_get_timer_cycles() > end) {
			rc = -ETIMEDOUT;
			break;
		}
		if (rc == 0) {
			usleep(100);
			continue;
		}
		rc = 0;
		if (rop == VIRTCHNL_OP_EVENT) {
			handle_event(ad, buf, n);
			continue;
		}
		if (rop != op) {
			/* a late reply to a request that timed out */
			if (rop != VIRTCHNL_OP_UNKNOWN)
				IAVFC_LOG_RL(WARNING, "%s: a reply to op %u while "
					     "waiting for op %u", ad->name, rop,
					     op);
			continue;
		}
		if (status != VIRTCHNL_STATUS_SUCCESS) {
			ad->vc_errors++;
			IAVFC_LOG(ERR, "%s: virtchnl op %u failed: status %d",
				  ad->name, op, status);
			return -EIO;
		}
		if (reply != NULL && rlen != NULL) {
			memcpy(reply, buf, RTE_MIN(*rlen, n));
			*rlen = n;
		}
		return 0;
	}
	IAVFC_LOG(ERR, "%s: virtchnl op %u: %s", ad->name, op, strerror(-rc));
	return rc;
}

int
iavfc_vf_reset(struct iavfc_adapter *ad)
{
	int rc = wait_reset_done(ad);

	if (rc == 0)
		rc = aq_start(ad);
	ad->resetting = false;
	return rc;
}

static int
vc_version(struct iavfc_adapter *ad)
{
	struct virtchnl_version_info v = { VIRTCHNL_VERSION_MAJOR,
		VIRTCHNL_VERSION_MINOR }, r = { 0 };
	uint16_t len = sizeof(r);
	int rc = vc_request(ad, VIRTCHNL_OP_VERSION, &v, sizeof(v), &r, &len);

	if (rc == 0 && (len != sizeof(r) || r.major != VIRTCHNL_VERSION_MAJOR)) {
		IAVFC_LOG(ERR, "%s: virtchnl %u.%u (%u bytes) is not 1.x",
			  ad->name, r.major, r.minor, len);
		rc = -EPROTO;
	}
	return rc;
}

#define CAPS_WANTED (VIRTCHNL_VF_OFFLOAD_L2 | VIRTCHNL_VF_OFFLOAD_VLAN | \
	VIRTCHNL_VF_OFFLOAD_RSS_PF | VIRTCHNL_VF_CAP_ADV_LINK_SPEED)

/* GET_VF_RESOURCES: the VSI, its queue pairs and MAC, checked. */
static int
vc_resources(struct iavfc_adapter *ad)
{
	uint32_t caps = CAPS_WANTED;
	struct virtchnl_vf_resource *r = &ad->res;
	uint16_t len = sizeof(*r);
	int rc;

	memset(r, 0, sizeof(*r));
	rc = vc_request(ad, VIRTCHNL_OP_GET_VF_RESOURCES, &caps, sizeof(caps),
			r, &len);
	if (rc < 0)
		return rc;
	if (len < sizeof(*r) || r->num_vsis < 1 || r->num_queue_pairs == 0 ||
	    r->vsi_res[0].vsi_type != VIRTCHNL_VSI_SRIOV ||
	    r->vsi_res[0].num_queue_pairs == 0) {
		IAVFC_LOG(ERR, "%s: GET_VF_RESOURCES: %u bytes, %u VSIs, %u "
			  "queue pairs: not a VF's resources", ad->name, len,
			  r->num_vsis, r->num_queue_pairs);
		return -EPROTO;
	}
	ad->vsi_id = r->vsi_res[0].vsi_id;
	ad->nb_qp = RTE_MIN(RTE_MIN(r->num_queue_pairs,
				r->vsi_res[0].num_queue_pairs), IAVFC_MAX_QP);
	if (ad->nb_qp_req != 0)
		ad->nb_qp = RTE_MIN(ad->nb_qp, ad->nb_qp_req);
	/* Rx interrupts need a vector per queue beside the mailbox's. */
	if (r->max_vectors < 2) {
		IAVFC_LOG(ERR, "%s: %u MSI-X vectors", ad->name, r->max_vectors);
		return -EPROTO;
	}
	ad->caps = r->vf_cap_flags & caps;
	if (!ad->mac_own) {
		memcpy(ad->mac.addr_bytes, r->vsi_res[0].default_mac,
		       RTE_ETHER_ADDR_LEN);
		if (!rte_is_valid_assigned_ether_addr(&ad->mac))
			rte_eth_random_addr(ad->mac.addr_bytes);
	}
	return 0;
}

int
iavfc_vc_bring_up(struct iavfc_adapter *ad)
{
	int rc = iavfc_vf_reset(ad);

	if (rc == 0)
		rc = vc_version(ad);
	if (rc == 0)
		rc = vc_resources(ad);
	/* An address of the user's own is one more filter on the VSI. */
	if (rc == 0 && ad->mac_own)
		rc = iavfc_vc_mac(ad, &ad->mac, true);
	return rc;
}

int
iavfc_vc_config_queues(struct iavfc_adapter *ad, uint16_t nb_rxq,
		uint16_t nb_txq, struct iavfc_rx_queue **rxq,
		struct iavfc_tx_queue **txq, uint32_t max_pkt)
{
	uint8_t *msg = ad->vc_msg;
	struct virtchnl_vsi_queue_config_info *c = (void *)msg;
	uint16_t n = RTE_MAX(nb_rxq, nb_txq), i;

	memset(msg, 0, IAVFC_AQ_BUF);
	c->vsi_id = ad->vsi_id;
	c->num_queue_pairs = n;
	for (i = 0; i < n; i++) {
		struct virtchnl_queue_pair_info *qp = &c->qpair[i];

		qp->txq.vsi_id = qp->rxq.vsi_id = ad->vsi_id;
		qp->txq.queue_id = qp->rxq.queue_id = i;
		if (i < nb_txq && txq[i] != NULL) {
			qp->txq.ring_len = txq[i]->nb_desc;
			qp->txq.dma_ring_addr = txq[i]->mz->iova;
		}
		if (i < nb_rxq && rxq[i] != NULL) {
			qp->rxq.ring_len = rxq[i]->nb_desc;
			qp->rxq.databuffer_size = rxq[i]->buf_len;
			qp->rxq.max_pkt_size = max_pkt;
			qp->rxq.dma_ring_addr = rxq[i]->mz->iova;
		}
	}
	return vc_request(ad, VIRTCHNL_OP_CONFIG_VSI_QUEUES, msg,
			sizeof(*c) + n * sizeof(c->qpair[0]), NULL, NULL);
}

/* Queue pair q on vector q + 1, the mailbox alone on vector 0. */
int
iavfc_vc_irq_map(struct iavfc_adapter *ad, uint16_t nb_qp)
{
	uint8_t msg[2 + sizeof(struct virtchnl_vector_map) * (IAVFC_MAX_QP + 1)];
	uint16_t nvec = RTE_MIN(nb_qp + 1u, ad->res.max_vectors), i, q;

	memset(msg, 0, sizeof(msg));
	msg[0] = nvec;
	for (i = 0; i < nvec; i++) {
		struct virtchnl_vector_map m = { .vsi_id = ad->vsi_id,
			.vector_id = i, .txitr_idx = 1 };

		/* with fewer vectors than queues, the last one shares */
		for (q = 0; q < nb_qp && i > 0; q++)
			if (RTE_MIN(q + 1u, nvec - 1u) == i)
				m.rxq_map = m.txq_map |= 1u << q;
		memcpy(msg + 2 + sizeof(m) * i, &m, sizeof(m));
	}
	return vc_request(ad, VIRTCHNL_OP_CONFIG_IRQ_MAP, msg,
			2 + sizeof(struct virtchnl_vector_map) * nvec, NULL, NULL);
}

int
iavfc_vc_queues(struct iavfc_adapter *ad, bool enable, uint32_t rx,
		uint32_t tx)
{
	struct virtchnl_queue_select s = { .vsi_id = ad->vsi_id,
		.rx_queues = rx, .tx_queues = tx };

	return vc_request(ad, enable ? VIRTCHNL_OP_ENABLE_QUEUES :
			VIRTCHNL_OP_DISABLE_QUEUES, &s, sizeof(s), NULL, NULL);
}

int
iavfc_vc_promisc(struct iavfc_adapter *ad, bool uc, bool mc)
{
	struct virtchnl_promisc_info p = { .vsi_id = ad->vsi_id,
		.flags = (uc ? FLAG_VF_UNICAST_PROMISC : 0) |
			 (mc ? FLAG_VF_MULTICAST_PROMISC : 0) };

	return vc_request(ad, VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE, &p,
			sizeof(p), NULL, NULL);
}

int
iavfc_vc_mac(struct iavfc_adapter *ad, const struct rte_ether_addr *mac,
		bool add)
{
	uint8_t msg[sizeof(struct virtchnl_ether_addr_list) +
		    sizeof(struct virtchnl_ether_addr)] = { 0 };
	struct virtchnl_ether_addr_list *l = (void *)msg;

	l->vsi_id = ad->vsi_id;
	l->num_elements = 1;
	memcpy(l->list[0].addr, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	return vc_request(ad, add ? VIRTCHNL_OP_ADD_ETH_ADDR :
			VIRTCHNL_OP_DEL_ETH_ADDR, msg, sizeof(msg), NULL, NULL);
}

int
iavfc_vc_vlan(struct iavfc_adapter *ad, uint16_t vlan, bool add)
{
	uint8_t msg[sizeof(struct virtchnl_vlan_filter_list) + 2] = { 0 };
	struct virtchnl_vlan_filter_list *l = (void *)msg;

	l->vsi_id = ad->vsi_id;
	l->num_elements = 1;
	l->vlan_id[0] = vlan;
	return vc_request(ad, add ? VIRTCHNL_OP_ADD_VLAN : VIRTCHNL_OP_DEL_VLAN,
			msg, sizeof(msg), NULL, NULL);
}

int
iavfc_vc_vlan_strip(struct iavfc_adapter *ad, bool on)
{
	return vc_request(ad, on ? VIRTCHNL_OP_ENABLE_VLAN_STRIPPING :
			VIRTCHNL_OP_DISABLE_VLAN_STRIPPING, NULL, 0, NULL, NULL);
}

int
iavfc_vc_rss(struct iavfc_adapter *ad, const uint8_t *key, uint16_t key_len,
		const uint8_t *lut, uint16_t lut_len, uint64_t hena)
{
	uint8_t *msg = ad->vc_msg;
	struct virtchnl_rss_key *k = (void *)msg;
	struct virtchnl_rss_lut *l = (void *)msg;
	struct virtchnl_rss_hena h = { hena };
	int rc;

	if (sizeof(*k) + key_len > IAVFC_AQ_BUF ||
	    sizeof(*l) + lut_len > IAVFC_AQ_BUF)
		return -EINVAL;
	k->vsi_id = ad->vsi_id;
	k->key_len = key_len;
	memcpy(k->key, key, key_len);
	rc = vc_request(ad, VIRTCHNL_OP_CONFIG_RSS_KEY, msg, sizeof(*k) + key_len,
			NULL, NULL);
	if (rc < 0)
		return rc;
	l->vsi_id = ad->vsi_id;
	l->lut_entries = lut_len;
	memcpy(l->lut, lut, lut_len);
	rc = vc_request(ad, VIRTCHNL_OP_CONFIG_RSS_LUT, msg, sizeof(*l) + lut_len,
			NULL, NULL);
	if (rc < 0)
		return rc;
	return vc_request(ad, VIRTCHNL_OP_SET_RSS_HENA, &h, sizeof(h), NULL, NULL);
}

int
iavfc_vc_stats(struct iavfc_adapter *ad, struct virtchnl_eth_stats *st)
{
	struct virtchnl_queue_select s = { .vsi_id = ad->vsi_id };
	uint16_t len = sizeof(*st);
	int rc;

	memset(st, 0, sizeof(*st));
	rc = vc_request(ad, VIRTCHNL_OP_GET_STATS, &s, sizeof(s), st, &len);
	if (rc == 0 && len != sizeof(*st)) {
		IAVFC_LOG_RL(WARNING, "%s: GET_STATS of %u bytes", ad->name, len);
		memset(st, 0, sizeof(*st));
		return -EPROTO;
	}
	return rc;
}
