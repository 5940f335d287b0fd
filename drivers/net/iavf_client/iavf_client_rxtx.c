/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * The data path, as a VF driver's scalar path: descriptors in this
 * process's memory, the tail doorbells in BAR0's mmapped pages. What the
 * device writes back is checked: a length beyond the buffer, or a packet
 * of more buffers than a frame can take, drops the packet and counts it.
 */

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_net.h>

#include "iavf_client.h"

#define RX_FREE_THRESH 32

/* The AVF packet types the device reports, as mbuf packet types. */
static uint32_t
ptype_of(uint32_t avf)
{
	const uint32_t v4 = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4_EXT_UNKNOWN;
	const uint32_t v6 = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6_EXT_UNKNOWN;

	switch (avf) {
	case AVF_PTYPE_L2: return RTE_PTYPE_L2_ETHER;
	case AVF_PTYPE_ARP: return RTE_PTYPE_L2_ETHER_ARP;
	case AVF_PTYPE_IPV4_FRAG: return v4 | RTE_PTYPE_L4_FRAG;
	case AVF_PTYPE_IPV4: return v4 | RTE_PTYPE_L4_NONFRAG;
	case AVF_PTYPE_IPV4_UDP: return v4 | RTE_PTYPE_L4_UDP;
	case AVF_PTYPE_IPV4_TCP: return v4 | RTE_PTYPE_L4_TCP;
	case AVF_PTYPE_IPV4_SCTP: return v4 | RTE_PTYPE_L4_SCTP;
	case AVF_PTYPE_IPV4_ICMP: return v4 | RTE_PTYPE_L4_ICMP;
	case AVF_PTYPE_IPV6_FRAG: return v6 | RTE_PTYPE_L4_FRAG;
	case AVF_PTYPE_IPV6: return v6 | RTE_PTYPE_L4_NONFRAG;
	case AVF_PTYPE_IPV6_UDP: return v6 | RTE_PTYPE_L4_UDP;
	case AVF_PTYPE_IPV6_TCP: return v6 | RTE_PTYPE_L4_TCP;
	case AVF_PTYPE_IPV6_SCTP: return v6 | RTE_PTYPE_L4_SCTP;
	case AVF_PTYPE_IPV6_ICMP: return v6 | RTE_PTYPE_L4_ICMP;
	default: return RTE_PTYPE_UNKNOWN;
	}
}

static void
rx_post(struct iavfc_rx_queue *q, uint16_t i, struct rte_mbuf *m)
{
	volatile union avf_rx_desc *d = &q->ring[i];

	q->sw_ring[i] = m;
	d->read.pkt_addr = rte_cpu_to_le_64(rte_mbuf_data_iova_default(m));
	d->read.hdr_addr = 0; /* clears DD, which shares its place */
}

int
iavfc_rxq_fill(struct iavfc_rx_queue *q)
{
	uint16_t i;

	for (i = 0; i < q->nb_desc; i++) {
		struct rte_mbuf *m = rte_mbuf_raw_alloc(q->mp);

		if (m == NULL) {
			iavfc_rxq_drain(q);
			return -ENOMEM;
		}
		rx_post(q, i, m);
	}
	q->next = 0;
	q->nb_hold = 0;
	q->rearm = 0;
	rte_wmb();
	*q->doorbell = q->nb_desc - 1;
	return 0;
}

void
iavfc_rxq_drain(struct iavfc_rx_queue *q)
{
	uint16_t i;

	for (i = 0; i < q->nb_desc; i++) {
		if (q->sw_ring[i] != NULL)
			rte_pktmbuf_free_seg(q->sw_ring[i]);
		q->sw_ring[i] = NULL;
	}
	rte_pktmbuf_free(q->pkt_first);
	q->pkt_first = q->pkt_last = NULL;
	q->skip = false;
}

/* What a write-back says beyond the length, read before the slot is
 * posted again (the buffer address overwrites it). */
struct rx_wb {
	uint64_t qw1;
	uint32_t rss;
	uint16_t l2tag1;
};

static void
rx_offloads(const struct iavfc_rx_queue *q, struct rte_mbuf *m,
		const struct rx_wb *wb)
{
	uint64_t qw1 = wb->qw1;

	m->packet_type = ptype_of((qw1 >> AVF_RXD_PTYPE_SHIFT) & 0xff);
	m->ol_flags = 0;
	if (qw1 & AVF_RXD_L3L4P) {
		m->ol_flags |= (qw1 & AVF_RXD_IPE) ? RTE_MBUF_F_RX_IP_CKSUM_BAD :
			RTE_MBUF_F_RX_IP_CKSUM_GOOD;
		m->ol_flags |= (qw1 & AVF_RXD_L4E) ? RTE_MBUF_F_RX_L4_CKSUM_BAD :
			RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	}
	if ((qw1 & AVF_RXD_FLTSTAT_RSS) == AVF_RXD_FLTSTAT_RSS) {
		m->hash.rss = wb->rss;
		m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
	}
	if ((qw1 & AVF_RXD_L2TAG1P) && q->vlan_strip) {
		m->vlan_tci = wb->l2tag1;
		m->ol_flags |= RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED;
	}
}

/*
 * A frame the device wrote wrong: what came of it is freed, and the
 * descriptors up to its last are skipped.
 */
static void
rx_drop(struct iavfc_rx_queue *q, struct rte_mbuf *m, bool eof)
{
	q->bad_desc++;
	rte_pktmbuf_free_seg(m);
	rte_pktmbuf_free(q->pkt_first);
	q->pkt_first = q->pkt_last = NULL;
	q->skip = !eof;
}

/* A segment the device wrote; NULL when the packet is dropped. */
static struct rte_mbuf *
rx_chain(struct iavfc_rx_queue *q, struct rte_mbuf *m, uint32_t len, bool eof)
{
	struct rte_mbuf *first = q->pkt_first;

	if ((first != NULL ? first->pkt_len : 0) + len > IAVFC_MAX_FRAME) {
		IAVFC_LOG_RL(WARNING, "rx queue %u: a frame of more than %u "
			     "bytes", q->qid, IAVFC_MAX_FRAME);
		rx_drop(q, m, eof);
		return NULL;
	}
	m->data_len = len;
	m->data_off = RTE_PKTMBUF_HEADROOM;
	m->nb_segs = 1;
	m->next = NULL;
	if (first == NULL) {
		m->pkt_len = len;
		m->port = q->port_id;
		q->pkt_first = q->pkt_last = m;
		return m;
	}
	q->pkt_last->next = m;
	q->pkt_last = m;
	first->nb_segs++;
	first->pkt_len += len;
	return first;
}

/*
 * The descriptors taken, posted again with fresh mbufs, RX_FREE_THRESH at
 * a time. Not when each is taken: the device has just written its line,
 * and a store there waits for the line to come back from the device's
 * CPU; stores to a run of lines at once overlap those waits. Until then a
 * taken descriptor is beyond the device's reach: the doorbell names the
 * descriptor before the first of them, and the device never fills the
 * descriptor the doorbell names.
 */
static void
rx_refill(struct iavfc_rx_queue *q)
{
	struct rte_mbuf *fresh[RX_FREE_THRESH];
	bool posted = false;
	uint16_t k;

	while (q->nb_hold >= RX_FREE_THRESH) {
		if (rte_mempool_get_bulk(q->mp, (void **)fresh,
				RX_FREE_THRESH) != 0) {
			q->nombuf += RX_FREE_THRESH;
			break;
		}
		for (k = 0; k < RX_FREE_THRESH; k++) {
			rx_post(q, q->rearm, fresh[k]);
			q->rearm = q->rearm + 1 == q->nb_desc ? 0 : q->rearm + 1;
		}
		q->nb_hold -= RX_FREE_THRESH;
		posted = true;
	}
	if (posted) {
		rte_wmb();
		*q->doorbell = q->rearm == 0 ? q->nb_desc - 1 : q->rearm - 1;
	}
}

static uint16_t
recv_locked(struct iavfc_rx_queue *q, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t nb_rx = 0, i = q->next;

	/*
	 * Only descriptors the device was given: not the one the doorbell
	 * names, nor those taken and not yet posted again, whatever a
	 * server wrote there.
	 */
	while (nb_rx < n && q->nb_hold < q->nb_desc - 1) {
		volatile union avf_rx_desc *d = &q->ring[i];
		uint64_t qw1 = rte_le_to_cpu_64(d->wb.qw1);
		struct rte_mbuf *m, *first;
		struct rx_wb wb;
		uint32_t len;

		if (!(qw1 & AVF_RXD_DD))
			break;
		rte_smp_rmb(); /* the rest of the descriptor after DD */
		wb.qw1 = qw1;
		wb.rss = rte_le_to_cpu_32(d->wb.rss);
		wb.l2tag1 = rte_le_to_cpu_16(d->wb.l2tag1);
		m = q->sw_ring[i];
		q->sw_ring[i] = NULL;
		len = (qw1 >> AVF_RXD_LEN_SHIFT) & AVF_RXD_LEN_MASK;
		i = i + 1 == q->nb_desc ? 0 : i + 1;
		q->nb_hold++;
		if (q->skip) {
			/* the rest of a frame already dropped */
			rte_pktmbuf_free_seg(m);
			q->skip = !(qw1 & AVF_RXD_EOF);
			continue;
		}
		if (len > q->buf_len) {
			IAVFC_LOG_RL(WARNING, "rx queue %u: %u bytes written in a "
				     "%u-byte buffer", q->qid, len, q->buf_len);
			rx_drop(q, m, qw1 & AVF_RXD_EOF);
			continue;
		}
		first = rx_chain(q, m, len, qw1 & AVF_RXD_EOF);
		if (first == NULL || !(qw1 & AVF_RXD_EOF))
			continue;
		q->pkt_first = q->pkt_last = NULL;
		if (qw1 & AVF_RXD_RXE) {
			q->errors++;
			rte_pktmbuf_free(first);
			continue;
		}
		rx_offloads(q, first, &wb);
		q->bytes += first->pkt_len;
		pkts[nb_rx++] = first;
	}
	q->next = i;
	q->packets += nb_rx;
	rx_refill(q);
	return nb_rx;
}

uint16_t
iavfc_recv_pkts(void *rxq, struct rte_mbuf **pkts, uint16_t n)
{
	struct iavfc_rx_queue *q = rxq;
	uint16_t nb_rx;

	if (!rte_spinlock_trylock(&q->lock))
		return 0; /* the ring is being rebuilt */
	nb_rx = recv_locked(q, pkts, n);
	rte_spinlock_unlock(&q->lock);
	return nb_rx;
}

void
iavfc_txq_reset(struct iavfc_tx_queue *q)
{
	uint16_t i;

	for (i = 0; i < q->nb_desc; i++) {
		q->ring[i].addr = 0;
		q->ring[i].qw1 = rte_cpu_to_le_64(AVF_TXD_DTYPE_DONE);
		q->sw_ring[i] = NULL;
	}
	q->tail = q->clean = 0;
	q->nb_free = q->nb_desc - 1;
	q->rs_head = q->rs_tail = 0;
	q->since_rs = 0;
}

void
iavfc_txq_drain(struct iavfc_tx_queue *q)
{
	uint16_t i;

	for (i = 0; i < q->nb_desc; i++) {
		if (q->sw_ring[i] != NULL)
			rte_pktmbuf_free_seg(q->sw_ring[i]);
		q->sw_ring[i] = NULL;
	}
}

#define TX_FREE_BATCH 64

/*
 * Transmitted segments go back to their pool in batches: one put for a
 * run of segments of one pool, rather than one per segment.
 */
struct tx_free {
	struct rte_mempool *mp;
	unsigned int n;
	void *objs[TX_FREE_BATCH];
};

static inline void
tx_free_flush(struct tx_free *f)
{
	if (f->n > 0)
		rte_mempool_put_bulk(f->mp, f->objs, f->n);
	f->n = 0;
}

static inline void
tx_free_add(struct tx_free *f, struct rte_mbuf *m)
{
	m = rte_pktmbuf_prefree_seg(m);
	if (m == NULL)
		return; /* still referenced elsewhere */
	if (f->n == TX_FREE_BATCH || (f->n > 0 && m->pool != f->mp))
		tx_free_flush(f);
	f->mp = m->pool;
	f->objs[f->n++] = m;
}

/* Free what the device completed: up to each RS descriptor it marked. */
static void
tx_clean(struct iavfc_tx_queue *q)
{
	struct tx_free f = { .n = 0 };

	while (q->rs_head != q->rs_tail) {
		uint16_t last = q->rs_fifo[q->rs_head];
		uint64_t qw1 = rte_le_to_cpu_64(q->ring[last].qw1);

		if ((qw1 & AVF_TXD_DTYPE_MASK) != AVF_TXD_DTYPE_DONE)
			break;
		for (;;) {
			uint16_t c = q->clean;

			/* a context descriptor has no mbuf */
			if (q->sw_ring[c] != NULL)
				tx_free_add(&f, q->sw_ring[c]);
			q->sw_ring[c] = NULL;
			q->clean = c + 1 == q->nb_desc ? 0 : c + 1;
			q->nb_free++;
			if (c == last)
				break;
		}
		q->rs_head = q->rs_head + 1 == q->rs_len ? 0 : q->rs_head + 1;
	}
	tx_free_flush(&f);
}

/* The data descriptor's command and offsets for the offloads asked. */
static uint64_t
tx_cmd_offset(const struct rte_mbuf *m, uint64_t *l2tag1)
{
	uint64_t ol = m->ol_flags, cmd = 0, off;

	off = m->l2_len >> 1;
	if (ol & RTE_MBUF_F_TX_IPV4)
		cmd |= (ol & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_SEG)) ?
			AVF_TXD_CMD_IIPT_IPV4_CSUM : AVF_TXD_CMD_IIPT_IPV4;
	else if (ol & RTE_MBUF_F_TX_IPV6)
		cmd |= AVF_TXD_CMD_IIPT_IPV6;
	if (cmd != 0)
		off |= (uint64_t)(m->l3_len >> 2) << 7;
	if (ol & RTE_MBUF_F_TX_TCP_SEG) {
		cmd |= AVF_TXD_CMD_L4T_TCP;
		off |= (uint64_t)(m->l4_len >> 2) << 14;
	} else {
		switch (ol & RTE_MBUF_F_TX_L4_MASK) {
		case RTE_MBUF_F_TX_TCP_CKSUM:
			cmd |= AVF_TXD_CMD_L4T_TCP;
			off |= (uint64_t)(sizeof(struct rte_tcp_hdr) >> 2) << 14;
			break;
		case RTE_MBUF_F_TX_UDP_CKSUM:
			cmd |= AVF_TXD_CMD_L4T_UDP;
			off |= (uint64_t)(sizeof(struct rte_udp_hdr) >> 2) << 14;
			break;
		case RTE_MBUF_F_TX_SCTP_CKSUM:
			cmd |= AVF_TXD_CMD_L4T_SCTP;
			off |= (uint64_t)(sizeof(struct rte_sctp_hdr) >> 2) << 14;
			break;
		}
	}
	*l2tag1 = 0;
	if (ol & RTE_MBUF_F_TX_VLAN) {
		cmd |= AVF_TXD_CMD_IL2TAG1;
		*l2tag1 = m->vlan_tci;
	}
	return cmd << AVF_TXD_CMD_SHIFT | off << AVF_TXD_OFFSET_SHIFT;
}

static void
tx_context(volatile struct avf_tx_desc *d, const struct rte_mbuf *m)
{
	uint64_t hdr = m->l2_len + m->l3_len + m->l4_len;
	uint64_t qw1 = AVF_TXD_DTYPE_CONTEXT |
		(uint64_t)AVF_TXC_CMD_TSO << AVF_TXD_CMD_SHIFT |
		((m->pkt_len - hdr) & AVF_TXC_TSO_LEN_MASK) << AVF_TXC_TSO_LEN_SHIFT |
		(uint64_t)(m->tso_segsz & AVF_TXC_MSS_MASK) << AVF_TXC_MSS_SHIFT;

	d->addr = 0;
	d->qw1 = rte_cpu_to_le_64(qw1);
}

static uint16_t
xmit_locked(struct iavfc_tx_queue *q, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t nb_tx, t = q->tail, last = 0;

	if (q->nb_free < q->nb_desc / 4)
		tx_clean(q);
	for (nb_tx = 0; nb_tx < n; nb_tx++) {
		struct rte_mbuf *m = pkts[nb_tx], *s;
		bool tso = m->ol_flags & RTE_MBUF_F_TX_TCP_SEG;
		uint16_t need = m->nb_segs + tso;
		uint64_t flags, l2tag1;

		if (need > q->nb_free) {
			tx_clean(q);
			if (need > q->nb_free)
				break;
		}
		flags = tx_cmd_offset(m, &l2tag1);
		if (tso) {
			tx_context(&q->ring[t], m);
			q->sw_ring[t] = NULL;
			t = t + 1 == q->nb_desc ? 0 : t + 1;
		}
		for (s = m; s != NULL; s = s->next) {
			volatile struct avf_tx_desc *d = &q->ring[t];
			uint64_t cmd = s->next == NULL ?
				(uint64_t)AVF_TXD_CMD_EOP << AVF_TXD_CMD_SHIFT : 0;

			q->sw_ring[t] = s;
			d->addr = rte_cpu_to_le_64(rte_mbuf_data_iova(s));
			d->qw1 = rte_cpu_to_le_64(AVF_TXD_DTYPE_DATA | flags | cmd |
				(uint64_t)s->data_len << AVF_TXD_BUF_SZ_SHIFT |
				l2tag1 << AVF_TXD_L2TAG1_SHIFT);
			last = t;
			t = t + 1 == q->nb_desc ? 0 : t + 1;
		}
		q->nb_free -= need;
		q->since_rs += need;
		q->bytes += m->pkt_len;
		if (q->since_rs >= q->rs_thresh) {
			q->ring[last].qw1 |= rte_cpu_to_le_64(
				(uint64_t)AVF_TXD_CMD_RS << AVF_TXD_CMD_SHIFT);
			q->rs_fifo[q->rs_tail] = last;
			q->rs_tail = q->rs_tail + 1 == q->rs_len ? 0 : q->rs_tail + 1;
			q->since_rs = 0;
		}
	}
	if (nb_tx == 0)
		return 0;
	/* What is left without RS is completed with the next burst's RS. */
	q->tail = t;
	q->packets += nb_tx;
	rte_wmb();
	*q->doorbell = t;
	return nb_tx;
}

uint16_t
iavfc_xmit_pkts(void *txq, struct rte_mbuf **pkts, uint16_t n)
{
	struct iavfc_tx_queue *q = txq;
	uint16_t nb_tx;

	if (!rte_spinlock_trylock(&q->lock))
		return 0; /* the ring is being rebuilt */
	nb_tx = xmit_locked(q, pkts, n);
	rte_spinlock_unlock(&q->lock);
	return nb_tx;
}

uint16_t
iavfc_prep_pkts(void *txq __rte_unused, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		bool tso = m->ol_flags & RTE_MBUF_F_TX_TCP_SEG;
		const struct rte_mbuf *s;
		int rc;

		if ((!tso && m->nb_segs > IAVFC_TX_MAX_SEGS) ||
		    (tso && m->nb_segs > IAVFC_TSO_MAX_SEGS) ||
		    (tso && (m->tso_segsz == 0 || m->tso_segsz > AVF_TXC_MSS_MASK ||
			     m->pkt_len > AVF_TXC_TSO_LEN_MASK)) ||
		    (!tso && m->pkt_len > IAVFC_MAX_FRAME) ||
		    m->l2_len > 126 || m->l3_len > 508 || m->l4_len > 60) {
			rte_errno = EINVAL;
			return i;
		}
		for (s = m; s != NULL; s = s->next)
			if (s->data_len == 0 || s->data_len > IAVFC_TX_MAX_BUF) {
				rte_errno = EINVAL;
				return i;
			}
		rc = rte_net_intel_cksum_prepare(m);
		if (rc != 0) {
			rte_errno = -rc;
			return i;
		}
	}
	return i;
}
