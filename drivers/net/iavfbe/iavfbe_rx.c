/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Host Rx: the frames the guest transmits. Each burst visits the guest Tx
 * rings mapped to the queue, starting with a different one each time so
 * that a busy ring cannot starve the others. In each, walk from the
 * device's head to the tail doorbell, gather each packet's context and
 * data descriptors (copied once: the guest may rewrite them meanwhile),
 * copy the buffers into mbufs, apply the offloads the descriptors ask for,
 * write DESC_DONE into every RS descriptor and interrupt the guest.
 */

#include <rte_ether.h>

#include "iavfbe.h"

/* Ring slots one packet may take (its data, context and spare ones). */
#define PKT_MAX_SLOTS RTE_ALIGN(IAVFBE_MAX_PKT_DESCS + 2, 64)

/* One guest packet, from its descriptors. */
struct guest_pkt {
	uint32_t ndesc;     /* ring slots, context descriptor included */
	uint32_t nbuf;
	uint32_t len;       /* bytes in the buffers */
	uint32_t cmd;       /* of the first data descriptor */
	uint32_t offset;
	uint16_t l2tag1;
	bool tso;
	uint32_t tso_len, mss;
	int err;            /* enum iavfbe_guest_err, or 0 */
	/* Guest memory to read buf[] from; valid in the burst's guard. */
	const struct rte_emudev_mem_table *mem;
	uint32_t nrs;       /* ring slots with RS, to complete */
	uint32_t rs[PKT_MAX_SLOTS];
	struct {
		uint64_t addr;
		uint32_t len;
	} buf[IAVFBE_MAX_PKT_DESCS];
};

/* Where a copy out of a guest packet's buffers stands. */
struct guest_cursor {
	const struct guest_pkt *pkt;
	uint32_t buf;
	uint32_t off;
	uint32_t hint;      /* region of the last translation */
};

static void
set_err(struct guest_pkt *p, enum iavfbe_guest_err e)
{
	if (p->err == 0)
		p->err = e;
}

static void
note_context(struct guest_pkt *p, uint64_t qw1)
{
	uint32_t cmd = (qw1 >> AVF_TXD_CMD_SHIFT) & 0xffff;

	if (p->nbuf != 0) {
		set_err(p, IAVFBE_ERR_BAD_DESC); /* context inside a packet */
		return;
	}
	p->tso = cmd & AVF_TXC_CMD_TSO;
	p->tso_len = (qw1 >> AVF_TXC_TSO_LEN_SHIFT) & AVF_TXC_TSO_LEN_MASK;
	p->mss = (qw1 >> AVF_TXC_MSS_SHIFT) & AVF_TXC_MSS_MASK;
}

static __rte_always_inline void
note_data(struct guest_pkt *p, uint64_t addr, uint64_t qw1)
{
	uint32_t len = (qw1 >> AVF_TXD_BUF_SZ_SHIFT) & AVF_TXD_BUF_SZ_MASK;

	if (p->nbuf == 0) {
		p->cmd = (qw1 >> AVF_TXD_CMD_SHIFT) & AVF_TXD_CMD_MASK;
		p->offset = (qw1 >> AVF_TXD_OFFSET_SHIFT) & 0x3ffff;
		p->l2tag1 = qw1 >> AVF_TXD_L2TAG1_SHIFT;
	}
	if (len == 0)
		set_err(p, IAVFBE_ERR_BAD_LEN);
	if (p->nbuf == IAVFBE_MAX_PKT_DESCS) {
		set_err(p, IAVFBE_ERR_BAD_DESC);
		return;
	}
	p->buf[p->nbuf].addr = addr;
	p->buf[p->nbuf].len = len;
	p->nbuf++;
	p->len += len;
}

static volatile struct avf_tx_desc *
txd(const struct iavfbe_gq *gq, uint32_t idx)
{
	return iavfbe_desc(gq, idx);
}

/*
 * Gather the packet that starts at head. Returns false when its last
 * descriptor is not yet the device's (wait for the tail to move), true
 * when p describes a whole packet, or an erroneous run of descriptors
 * that is to be consumed and completed.
 */
static __rte_always_inline bool
gather_packet(const struct iavfbe_gq *gq, uint32_t head, uint32_t avail,
		struct guest_pkt *p)
{
	uint32_t i, idx = head;

	p->ndesc = p->nbuf = p->len = 0;
	p->tso = false;
	p->tso_len = p->mss = p->cmd = p->offset = p->l2tag1 = 0;
	p->err = 0;
	p->nrs = 0;
	for (i = 0; i < avail; i++, idx = iavfbe_next(gq, idx)) {
		volatile struct avf_tx_desc *d = txd(gq, idx);
		uint64_t qw1 = d->qw1, addr = d->addr;
		uint32_t cmd = (qw1 >> AVF_TXD_CMD_SHIFT) & AVF_TXD_CMD_MASK;

		if (cmd & AVF_TXD_CMD_RS)
			p->rs[p->nrs++] = idx;
		p->ndesc = i + 1;
		switch (qw1 & AVF_TXD_DTYPE_MASK) {
		case AVF_TXD_DTYPE_CONTEXT:
			note_context(p, qw1);
			break;
		case AVF_TXD_DTYPE_DATA:
			note_data(p, addr, qw1);
			if (cmd & AVF_TXD_CMD_EOP)
				return true;
			break;
		default: /* a type we do not offer ends the packet */
			set_err(p, IAVFBE_ERR_BAD_DESC);
			return true;
		}
		if (p->ndesc >= PKT_MAX_SLOTS) {
			set_err(p, IAVFBE_ERR_BAD_DESC); /* no EOP in sight */
			return true;
		}
	}
	/* A ring the guest filled without an EOP never completes. */
	if (avail == gq->size - 1) {
		set_err(p, IAVFBE_ERR_BAD_DESC);
		return true;
	}
	return false;
}

/* Copy len bytes of the packet's buffers at the cursor into dst. */
static __rte_always_inline int
guest_read(struct guest_cursor *c, uint8_t *dst, uint32_t len)
{
	while (len > 0) {
		const struct guest_pkt *p = c->pkt;
		uint64_t n;
		void *src;

		if (c->buf >= p->nbuf)
			return -EFAULT;
		n = RTE_MIN(len, p->buf[c->buf].len - c->off);
		src = rte_emudev_mem_translate(p->mem,
				p->buf[c->buf].addr + c->off, &n,
				RTE_EMUDEV_PROT_READ, &c->hint);
		if (src == NULL || n == 0)
			return -EFAULT;
		iavfbe_copy(dst, src, n);
		dst += n;
		len -= n;
		c->off += n;
		if (c->off == p->buf[c->buf].len) {
			c->buf++;
			c->off = 0;
		}
	}
	return 0;
}

/*
 * An mbuf chain holding prefix (copied from host memory) followed by len
 * bytes from the guest at the cursor.
 */
static __rte_always_inline struct rte_mbuf *
build_mbuf(struct iavfbe_rx_queue *rxq, const uint8_t *prefix,
		uint32_t prefix_len, struct guest_cursor *c, uint32_t len,
		int *err)
{
	struct rte_mbuf *head = rte_pktmbuf_alloc(rxq->mp), *m = head;

	*err = 0;
	if (head == NULL)
		goto nombuf;
	rte_memcpy(rte_pktmbuf_mtod(m, void *), prefix, prefix_len);
	m->data_len = prefix_len;
	while (len > 0) {
		uint32_t n = RTE_MIN(len, (uint32_t)rte_pktmbuf_tailroom(m));

		if (n == 0) {
			struct rte_mbuf *next = rte_pktmbuf_alloc(rxq->mp);

			if (next == NULL)
				goto nombuf;
			m->next = next;
			head->nb_segs++;
			m = next;
			continue;
		}
		if (guest_read(c, rte_pktmbuf_mtod_offset(m, uint8_t *,
				m->data_len), n) < 0) {
			*err = IAVFBE_ERR_BAD_ADDR;
			goto fail;
		}
		m->data_len += n;
		head->pkt_len += n;
		len -= n;
	}
	head->pkt_len += prefix_len;
	head->port = rxq->port_id;
	return head;
nombuf:
	rxq->stats.nombuf++;
	rxq->ad->eth_dev->data->rx_mbuf_alloc_failed++;
fail:
	rte_pktmbuf_free(head);
	return NULL;
}

/*
 * What hardware does last: pad short frames, insert the VLAN tag (or, with
 * guest_offload=flags, ask for it in the mbuf).
 */
static __rte_always_inline int
finish_frame(const struct iavfbe_rx_queue *rxq, const struct guest_pkt *p,
		struct rte_mbuf **m)
{
	uint32_t pad = (*m)->pkt_len < RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN ?
		RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN - (*m)->pkt_len : 0;
	char *tail;

	if (pad != 0) {
		tail = rte_pktmbuf_append(*m, pad);
		if (tail == NULL)
			return -ENOMEM;
		memset(tail, 0, pad);
	}
	if (!(p->cmd & AVF_TXD_CMD_IL2TAG1))
		return 0;
	(*m)->vlan_tci = p->l2tag1;
	if (rxq->ad->offload_flags) {
		(*m)->ol_flags |= RTE_MBUF_F_TX_VLAN;
		return 0;
	}
	return rte_vlan_insert(m) != 0 ? -ENOMEM : 0;
}

static void
stash_push(struct iavfbe_rx_queue *rxq, struct rte_mbuf *m)
{
	rxq->stash[(rxq->stash_head + rxq->stash_len) % IAVFBE_MAX_TSO_SEGS] = m;
	rxq->stash_len++;
}

static uint16_t
stash_drain(struct iavfbe_rx_queue *rxq, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t nb = 0;

	while (nb < n && rxq->stash_len > 0) {
		pkts[nb++] = rxq->stash[rxq->stash_head];
		rxq->stash_head = (rxq->stash_head + 1) % IAVFBE_MAX_TSO_SEGS;
		rxq->stash_len--;
	}
	return nb;
}

void
iavfbe_rxq_flush(struct iavfbe_rx_queue *rxq)
{
	struct rte_mbuf *m;

	while (stash_drain(rxq, &m, 1) == 1)
		rte_pktmbuf_free(m);
}

/* Headers of a TSO request, checked against what the descriptors say. */
static int
tso_check(const struct guest_pkt *p, uint32_t *hdr_len)
{
	uint32_t l2 = AVF_TXD_MACLEN(p->offset), l3 = AVF_TXD_IPLEN(p->offset);
	uint32_t l4 = AVF_TXD_L4LEN(p->offset), nsegs;

	*hdr_len = l2 + l3 + l4;
	if ((p->cmd & AVF_TXD_CMD_L4T_MASK) != AVF_TXD_CMD_L4T_TCP ||
	    (p->cmd & AVF_TXD_CMD_IIPT_MASK) == 0 ||
	    l2 < RTE_ETHER_HDR_LEN || l3 < sizeof(struct rte_ipv4_hdr) ||
	    l4 < sizeof(struct rte_tcp_hdr))
		return IAVFBE_ERR_BAD_DESC;
	if (p->mss < IAVFBE_MIN_MSS || p->tso_len == 0 ||
	    *hdr_len + p->tso_len != p->len)
		return IAVFBE_ERR_BAD_LEN;
	nsegs = (p->tso_len + p->mss - 1) / p->mss;
	if (nsegs > IAVFBE_MAX_TSO_SEGS)
		return IAVFBE_ERR_BAD_LEN;
	return 0;
}

/*
 * A packet delivered as the guest wrote it, in one mbuf chain: a frame,
 * or (with guest_offload=flags) a whole TSO request checked by the caller.
 */
static __rte_always_inline int
receive_one(struct iavfbe_rx_queue *rxq, const struct guest_pkt *p,
		struct rte_mbuf **pkts, uint16_t room, uint16_t *nb)
{
	struct guest_cursor c = { .pkt = p };
	struct rte_mbuf *m;
	int err;

	if (!p->tso &&
	    (p->len < IAVFBE_MIN_FRAME || p->len > rxq->ad->max_frame))
		return IAVFBE_ERR_BAD_LEN;
	m = build_mbuf(rxq, NULL, 0, &c, p->len, &err);
	if (m == NULL)
		return err;
	if (rxq->ad->offload_flags)
		err = iavfbe_offload_flags(m, p->cmd, p->offset, p->tso);
	else if (p->cmd & (AVF_TXD_CMD_IIPT_MASK | AVF_TXD_CMD_L4T_MASK))
		err = iavfbe_csum_offload(m, p->cmd, p->offset);
	if (err != 0 || finish_frame(rxq, p, &m) < 0) {
		rte_pktmbuf_free(m);
		return err != 0 ? err : IAVFBE_ERR_BAD_DESC;
	}
	if (p->tso) {
		m->tso_segsz = p->mss;
		rxq->stats.tso++;
	} else if (p->cmd & (AVF_TXD_CMD_L4T_MASK | AVF_TXD_CMD_IIPT_IPV4_CSUM)) {
		rxq->stats.csum++;
	}
	RTE_ASSERT(*nb < room);
	RTE_SET_USED(room);
	pkts[(*nb)++] = m;
	return 0;
}

/*
 * Segment a TSO request while copying it out of the guest: each segment
 * is the headers plus up to MSS payload bytes, its headers fixed and
 * checksums computed. Segments beyond what the caller can take wait in
 * the stash.
 */
static int
receive_tso(struct iavfbe_rx_queue *rxq, const struct guest_pkt *p,
		struct rte_mbuf **pkts, uint16_t room, uint16_t *nb)
{
	uint8_t hdr[IAVFBE_TX_HDR_MAX];
	struct guest_cursor c = { .pkt = p };
	uint32_t hdr_len, off, seg_no = 0;
	int err = tso_check(p, &hdr_len);

	if (err != 0)
		return err;
	if (rxq->ad->offload_flags)
		return receive_one(rxq, p, pkts, room, nb);
	if (guest_read(&c, hdr, hdr_len) < 0)
		return IAVFBE_ERR_BAD_ADDR;
	for (off = 0; off < p->tso_len; off += p->mss, seg_no++) {
		uint32_t n = RTE_MIN(p->mss, p->tso_len - off);
		struct rte_mbuf *m = build_mbuf(rxq, hdr, hdr_len, &c, n, &err);

		if (m == NULL)
			return err;
		if (iavfbe_tso_fixup(m, p->cmd, p->offset, seg_no, off,
				off + n == p->tso_len) < 0 ||
		    finish_frame(rxq, p, &m) < 0) {
			rte_pktmbuf_free(m);
			return IAVFBE_ERR_BAD_DESC;
		}
		if (*nb < room)
			pkts[(*nb)++] = m;
		else
			stash_push(rxq, m);
	}
	rxq->stats.tso++;
	return 0;
}

/*
 * DESC_DONE into each RS descriptor of a consumed packet; the head moves
 * past it.
 */
static __rte_always_inline void
complete_packet(struct iavfbe_gq *gq, const struct guest_pkt *p)
{
	uint32_t k;

	for (k = 0; k < p->nrs; k++)
		txd(gq, p->rs[k])->qw1 = AVF_TXD_DTYPE_DONE;
	gq->head = gq->head + p->ndesc < gq->size ? gq->head + p->ndesc :
		gq->head + p->ndesc - gq->size;
}

/*
 * The packet most guests send: one data descriptor with EOP, no context,
 * offload or tag, needing no padding, in one mbuf and one region of guest
 * memory. Such packets are taken in runs without gathering them; any
 * other packet (or one the pool has no mbuf for) ends the run, and the
 * general path takes it from the same descriptor, read again.
 */
#define SIMPLE_RUN 32u

struct simple_pkt {
	const void *src;
	uint32_t len;
	bool rs;
};

/* The simple packet at idx, translated; false if it is not one. */
static __rte_always_inline bool
simple_packet(const struct iavfbe_rx_queue *rxq, const struct iavfbe_gq *gq,
		uint32_t idx, const struct rte_emudev_mem_table *mem,
		uint32_t *hint, struct simple_pkt *sp)
{
	const uint32_t plain = AVF_TXD_CMD_EOP | AVF_TXD_CMD_RS |
		AVF_TXD_CMD_ICRC;
	volatile struct avf_tx_desc *d = txd(gq, idx);
	uint64_t qw1 = d->qw1, addr = d->addr;
	uint32_t cmd = (qw1 >> AVF_TXD_CMD_SHIFT) & AVF_TXD_CMD_MASK;
	uint32_t len = (qw1 >> AVF_TXD_BUF_SZ_SHIFT) & AVF_TXD_BUF_SZ_MASK;
	uint64_t n = len;

	if ((qw1 & AVF_TXD_DTYPE_MASK) != AVF_TXD_DTYPE_DATA ||
	    (cmd & ~plain) != 0 || !(cmd & AVF_TXD_CMD_EOP) ||
	    len < RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN ||
	    len > rxq->ad->max_frame || len > rxq->buf_room)
		return false;
	sp->src = rte_emudev_mem_translate(mem, addr, &n, RTE_EMUDEV_PROT_READ,
			hint);
	sp->len = len;
	sp->rs = (cmd & AVF_TXD_CMD_RS) != 0;
	return sp->src != NULL && n == len;
}

/*
 * A run of up to max simple packets from head, before the tail: all their
 * descriptors read and their buffers' first lines asked for before any is
 * copied, so that the misses of a burst overlap instead of following one
 * another (each is a trip to the guest's CPU). How many were taken.
 */
static __rte_always_inline uint16_t
receive_simple_run(struct iavfbe_rx_queue *rxq, struct iavfbe_gq *gq,
		uint32_t avail, const struct rte_emudev_mem_table *mem,
		uint32_t *hint, struct rte_mbuf **out, uint16_t max)
{
	struct simple_pkt sp[SIMPLE_RUN];
	uint32_t idx = gq->head;
	uint16_t cnt, k;

	max = RTE_MIN(RTE_MIN((uint32_t)max, avail), SIMPLE_RUN);
	for (cnt = 0; cnt < max; cnt++) {
		if (!simple_packet(rxq, gq, idx, mem, hint, &sp[cnt]))
			break;
		rte_prefetch0(sp[cnt].src);
		idx = iavfbe_next(gq, idx);
	}
	/* Reads of the descriptors before the buffers they name. */
	rte_smp_rmb();
	for (k = 0; k < cnt; k++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(rxq->mp);

		if (m == NULL)
			break;
		iavfbe_copy(rte_pktmbuf_mtod(m, void *), sp[k].src, sp[k].len);
		m->data_len = m->pkt_len = sp[k].len;
		m->port = rxq->port_id;
		if (sp[k].rs)
			txd(gq, gq->head)->qw1 = AVF_TXD_DTYPE_DONE;
		gq->head = iavfbe_next(gq, gq->head);
		out[k] = m;
	}
	gq->packets += k;
	return k;
}

static uint16_t
walk_guest_tx_ring(struct iavfbe_rx_queue *rxq, struct iavfbe_gq *gq,
		struct rte_mbuf **pkts, uint16_t n)
{
	uint32_t tail = *gq->tail & gq->tail_mask;
	uint16_t nb = 0;
	bool done = false;
	struct guest_pkt p;
	uint32_t hint = 0;

	p.mem = rte_emudev_get_mem(rxq->ad->emu_id);
	if (tail >= gq->size) {
		iavfbe_count_err(&rxq->stats, IAVFBE_ERR_RING);
		IAVFBE_LOG_GUEST(rxq->ad, "guest Tx queue %u: tail %u beyond "
				 "ring of %u", RTE_EMUDEV_NET_QP(gq->qid), tail, gq->size);
		return 0;
	}
	/* A TSO request needs an empty stash to land in. */
	while (nb < n && rxq->stash_len == 0 && gq->head != tail) {
		uint32_t avail = tail >= gq->head ? tail - gq->head :
			tail + gq->size - gq->head;
		uint16_t run = receive_simple_run(rxq, gq, avail, p.mem, &hint,
				pkts + nb, n - nb);
		int err;

		if (run > 0) {
			nb += run;
			done = true;
			continue;
		}
		if (!gather_packet(gq, gq->head, avail, &p))
			break;
		/* Reads of the descriptors before the buffers they name. */
		rte_smp_rmb();
		err = p.err;
		if (err == 0)
			err = p.tso ? receive_tso(rxq, &p, pkts, n, &nb) :
				receive_one(rxq, &p, pkts, n, &nb);
		if (err != 0) {
			rxq->stats.errors++;
			iavfbe_count_err(&rxq->stats, err);
			IAVFBE_LOG_GUEST(rxq->ad, "guest Tx queue %u: packet at %u "
					 "dropped (%s)", RTE_EMUDEV_NET_QP(gq->qid), gq->head,
					 err == IAVFBE_ERR_BAD_ADDR ? "bad address" :
					 err == IAVFBE_ERR_BAD_LEN ? "bad length" :
					 "bad descriptor");
		} else {
			gq->packets++;
		}
		complete_packet(gq, &p);
		done = true;
	}
	if (done)
		iavfbe_raise(rxq->ad, gq, &rxq->stats);
	return nb;
}

uint16_t
iavfbe_recv_pkts(void *queue, struct rte_mbuf **pkts, uint16_t n)
{
	struct iavfbe_rx_queue *rxq = queue;
	uint16_t nb = stash_drain(rxq, pkts, n), i, k, g = rxq->next_gq;

	for (k = 0; k < rxq->nb_gq && nb < n; k++) {
		struct iavfbe_gq *gq = rxq->gq[g];

		if (rte_emudev_qguard_enter(gq->guard)) {
			if (gq->ready)
				nb += walk_guest_tx_ring(rxq, gq, pkts + nb,
						n - nb);
			rte_emudev_qguard_leave(gq->guard);
		}
		g = g + 1 == rxq->nb_gq ? 0 : g + 1;
	}
	if (rxq->nb_gq > 1)
		rxq->next_gq = rxq->next_gq + 1 == rxq->nb_gq ? 0 :
			rxq->next_gq + 1;
	/* Interrupts waiting for the guest to unmask: delivered sooner. */
	rte_emudev_irq_poll(rxq->ad->emu_id);
	rxq->stats.packets += nb;
	for (i = 0; i < nb; i++) {
		rxq->stats.bytes += pkts[i]->pkt_len;
		iavfbe_count_cast(&rxq->stats, pkts[i]);
	}
	return nb;
}
