/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Host Tx: frames into the guest's Rx rings. Like the hardware, the device
 * picks the guest queue by the guest's RSS configuration, filters by the
 * guest's MAC and VLAN settings, strips or inserts the VLAN tag, fills the
 * buffers the guest posted (chaining frames larger than one buffer),
 * writes the 32-byte write-back descriptors with DD last, all of a burst's
 * together after its copies, and interrupts the guest. A frame the guest
 * has no buffers for is dropped and counted, as hardware drops it. While
 * the device changes what a guest queue points at (a DMA map or unmap, a
 * reset), the burst stops there and leaves the remaining mbufs to the
 * application, as a full ring would: the guest did nothing wrong, and the
 * lcore goes on to other work instead of waiting for the device.
 */

#include <rte_ether.h>

#include "iavfbe.h"
#include "iavfbe_classify.h"

/* A frame as a list of byte ranges: mbuf data, or a VLAN tag to insert. */
struct frame {
	struct {
		const struct rte_mbuf *m; /* NULL: raw */
		const void *raw;
		uint32_t off, len;
	} pc[3];
	uint32_t npc;
	uint32_t len;
	uint8_t vlan_hdr[4];
	uint16_t l2tag1;
	uint64_t flags;   /* Rx descriptor bits of the last buffer */
	uint32_t hash;
	struct iavfbe_pkt_info info;
};

struct frame_cursor {
	uint32_t pc;
	uint32_t off;
};

static void
add_piece(struct frame *f, const struct rte_mbuf *m, const void *raw,
		uint32_t off, uint32_t len)
{
	f->pc[f->npc].m = m;
	f->pc[f->npc].raw = raw;
	f->pc[f->npc].off = off;
	f->pc[f->npc].len = len;
	f->npc++;
	f->len += len;
}

static void
frame_read(const struct frame *f, struct frame_cursor *c, uint8_t *dst,
		uint32_t len)
{
	/* Most frames: the whole of a one-segment mbuf. */
	if (f->npc == 1 && f->pc[0].m != NULL && f->pc[0].m->nb_segs == 1) {
		iavfbe_copy_to_guest(dst, rte_pktmbuf_mtod_offset(f->pc[0].m,
				uint8_t *, f->pc[0].off + c->off), len);
		c->off += len;
		return;
	}
	while (len > 0) {
		uint32_t n = RTE_MIN(len, f->pc[c->pc].len - c->off);
		const void *src;

		if (f->pc[c->pc].m == NULL) {
			src = (const uint8_t *)f->pc[c->pc].raw + c->off;
		} else {
			src = rte_pktmbuf_read(f->pc[c->pc].m,
					f->pc[c->pc].off + c->off, n, dst);
		}
		if (src != dst)
			iavfbe_copy(dst, src, n);
		dst += n;
		len -= n;
		c->off += n;
		if (c->off == f->pc[c->pc].len) {
			c->pc++;
			c->off = 0;
		}
	}
}

static bool
vlan_accepted(const struct rte_emudev_net_config *c, uint16_t tci)
{
	uint16_t vid = tci & 0xfff;

	return vid == 0 || c->promisc ||
		(c->vlan_filter[vid / 64] & (1ull << (vid % 64)));
}

static bool
mac_accepted(const struct rte_emudev_net_config *c,
		const struct rte_ether_addr *dst)
{
	uint16_t i, n = RTE_MIN(c->nb_macs, RTE_EMUDEV_NET_MAX_MACS);

	if (rte_is_same_ether_addr(dst, &c->mac) ||
	    rte_is_broadcast_ether_addr(dst))
		return true;
	if (rte_is_multicast_ether_addr(dst) ? c->allmulti || c->promisc :
	    c->promisc || rte_is_same_ether_addr(dst, &c->mac))
		return true;
	for (i = 0; i < n; i++)
		if (rte_is_same_ether_addr(dst, &c->macs[i]))
			return true;
	return false;
}

/*
 * The frame's bytes: the mbuf's, without the tag the device strips from
 * the frame, or with the one the application asked to insert.
 */
static void
add_pieces(struct frame *f, const struct rte_mbuf *m, uint16_t tci,
		bool strip, bool insert)
{
	const uint32_t macs = 2 * RTE_ETHER_ADDR_LEN;

	if (strip) {
		add_piece(f, m, NULL, 0, macs);
		add_piece(f, m, NULL, macs + 4, m->pkt_len - macs - 4);
	} else if (insert) {
		f->vlan_hdr[0] = RTE_ETHER_TYPE_VLAN >> 8;
		f->vlan_hdr[1] = RTE_ETHER_TYPE_VLAN & 0xff;
		f->vlan_hdr[2] = tci >> 8;
		f->vlan_hdr[3] = tci & 0xff;
		add_piece(f, m, NULL, 0, macs);
		add_piece(f, NULL, f->vlan_hdr, 0, 4);
		add_piece(f, m, NULL, macs, m->pkt_len - macs);
	} else {
		add_piece(f, m, NULL, 0, m->pkt_len);
	}
}

/*
 * Describe an mbuf as the guest will receive it. Returns 0, or why the
 * device drops it.
 */
static int
prepare_frame(const struct iavfbe_guest_cfg *cfg, const struct rte_mbuf *m,
		struct frame *f)
{
	const struct rte_emudev_net_config *c = &cfg->net;
	struct rte_ether_hdr eh_buf;
	const struct rte_ether_hdr *eh =
		rte_pktmbuf_read(m, 0, sizeof(eh_buf), &eh_buf);
	uint16_t tci = 0;
	bool tagged = false, strip_in_frame = false;

	f->npc = f->len = 0;
	f->flags = 0;
	f->l2tag1 = 0;
	if (eh == NULL)
		return IAVFBE_ERR_BAD_LEN;
	if (!mac_accepted(c, &eh->dst_addr))
		return IAVFBE_ERR_FILTERED;
	if (m->ol_flags & RTE_MBUF_F_TX_VLAN) {
		tagged = true;
		tci = m->vlan_tci;
	} else if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_VLAN) &&
		   m->pkt_len >= RTE_ETHER_HDR_LEN + 4) {
		uint16_t be_tci;

		tagged = true;
		strip_in_frame = c->vlan_strip;
		rte_memcpy(&be_tci, rte_pktmbuf_read(m, RTE_ETHER_HDR_LEN, 2,
				&be_tci), 2);
		tci = rte_be_to_cpu_16(be_tci);
	}
	if (tagged && !vlan_accepted(c, tci))
		return IAVFBE_ERR_FILTERED;
	if (tagged && c->vlan_strip) {
		f->l2tag1 = tci;
		f->flags |= AVF_RXD_L2TAG1P;
	}
	add_pieces(f, m, tci, strip_in_frame,
		   (m->ol_flags & RTE_MBUF_F_TX_VLAN) && !c->vlan_strip);
	if (rte_is_broadcast_ether_addr(&eh->dst_addr))
		f->flags |= AVF_RXD_UMBCAST_BCAST << AVF_RXD_UMBCAST_SHIFT;
	else if (rte_is_multicast_ether_addr(&eh->dst_addr))
		f->flags |= AVF_RXD_UMBCAST_MCAST << AVF_RXD_UMBCAST_SHIFT;
	return 0;
}

/*
 * The guest Rx queue a burst is filling, inside its guard, with the guest
 * memory the guard keeps valid.
 */
#define WB_BATCH 64
struct rx_fill {
	struct iavfbe_gq *gq;
	uint32_t tail;          /* the guest's tail as last read */
	const struct rte_emudev_mem_table *mem;
	uint32_t hint;          /* region of the last translation */
	bool raise;             /* descriptors of a bad frame written */
	uint32_t sent;          /* frames delivered, counted on leaving */
	/* Write-backs not yet written (see write_back()). */
	uint32_t nb_wb;
	volatile union avf_rx_desc *wb_desc[WB_BATCH];
	uint64_t wb_qw0[WB_BATCH], wb_qw1[WB_BATCH];
};

/*
 * Write the pending write-backs, DD last. A guest that polls DD (as
 * drivers do) keeps pulling the descriptor it waits for into its cache:
 * a write-back per frame, between the copies, would take that cache line
 * back once per descriptor. Written in one go, as hardware writes back a
 * burst, the lines move together.
 */
static void
write_back(struct rx_fill *rf)
{
	uint32_t i;

	for (i = 0; i < rf->nb_wb; i++) {
		rf->wb_desc[i]->read.pkt_addr = rf->wb_qw0[i];
		rf->wb_desc[i]->read.rsvd1 = 0;
		rf->wb_desc[i]->read.rsvd2 = 0;
	}
	/*
	 * The guest reads the rest, and the frames, once it sees DD; the
	 * frames' streaming stores need the full barrier.
	 */
	rte_wmb();
	for (i = 0; i < rf->nb_wb; i++)
		rf->wb_desc[i]->read.hdr_addr = rf->wb_qw1[i];
	rf->nb_wb = 0;
}

/* A descriptor done: its write-back, to be written with the others. */
static __rte_always_inline void
add_write_back(struct rx_fill *rf, volatile union avf_rx_desc *d,
		uint64_t qw0, uint64_t qw1)
{
	uint32_t i = rf->nb_wb;

	if (unlikely(i == WB_BATCH)) {
		write_back(rf);
		i = 0;
	}
	rf->wb_desc[i] = d;
	rf->wb_qw0[i] = qw0;
	rf->wb_qw1[i] = qw1;
	rf->nb_wb = i + 1;
}

/* Copy len bytes of the frame into guest memory at iova, across regions. */
static bool
copy_to_guest(struct rx_fill *rf, uint64_t iova, const struct frame *f,
		struct frame_cursor *c, uint32_t len)
{
	while (len > 0) {
		uint64_t n = len;
		void *dst = rte_emudev_mem_translate(rf->mem, iova, &n,
				RTE_EMUDEV_PROT_WRITE, &rf->hint);

		if (dst == NULL || n == 0)
			return false;
		frame_read(f, c, dst, n);
		iova += n;
		len -= n;
	}
	return true;
}

/*
 * The guest's tail, read again only when the last reading does not cover
 * a frame: the doorbell is a cache line the guest's CPU keeps writing.
 */
static uint32_t
posted(const struct iavfbe_gq *gq, uint32_t tail)
{
	return tail >= gq->head ? tail - gq->head : tail + gq->size - gq->head;
}

static int
guest_buffers(struct iavfbe_gq *gq, uint32_t *tail, uint32_t need)
{
	if (need <= posted(gq, *tail))
		return 0;
	*tail = *gq->tail & gq->tail_mask;
	if (*tail >= gq->size)
		return IAVFBE_ERR_RING;
	return need <= posted(gq, *tail) ? 0 : IAVFBE_ERR_NO_BUFS;
}

/* Fill as many of the guest's buffers as the frame needs. */
static __rte_always_inline int
fill_guest_rx(struct rx_fill *rf, const struct frame *f)
{
	struct iavfbe_gq *gq = rf->gq;
	struct frame_cursor c = { 0, 0 };
	uint32_t left = f->len, need, k;
	int err;

	if (f->len > gq->max_pkt_len)
		return IAVFBE_ERR_TOO_BIG;
	need = f->len <= gq->buf_size ? 1 :
		(f->len + gq->buf_size - 1) / gq->buf_size;
	err = guest_buffers(gq, &rf->tail, need);
	if (err != 0)
		return err;
	for (k = 0; k < need; k++) {
		volatile union avf_rx_desc *d = iavfbe_desc(gq, gq->head);
		uint32_t n = RTE_MIN(left, gq->buf_size);
		bool ok = copy_to_guest(rf, d->read.pkt_addr, f, &c, n);
		bool last = k == need - 1 || !ok;
		uint64_t qw1 = AVF_RXD_DD |
			(uint64_t)f->info.ptype << AVF_RXD_PTYPE_SHIFT |
			(uint64_t)(ok ? n : 0) << AVF_RXD_LEN_SHIFT;

		if (last)
			qw1 |= AVF_RXD_EOF | (ok ? f->flags : AVF_RXD_RXE);
		add_write_back(rf, d, (uint64_t)f->l2tag1 << 16 |
			       (uint64_t)f->hash << 32, qw1);
		gq->head = iavfbe_next(gq, gq->head);
		if (!ok)
			return IAVFBE_ERR_BAD_ADDR;
		left -= n;
	}
	return 0;
}

/* A guard that other lcores' bursts may hold too: wait for them. */
static bool
enter_shared_guard(struct rte_emudev_qguard *g)
{
	while (!rte_emudev_qguard_enter(g)) {
		if (__atomic_load_n(&g->stop, __ATOMIC_ACQUIRE) != 0)
			return false;
		rte_pause();
	}
	return true;
}

/*
 * The guest Rx queue for a frame: the one the guest's RSS table picks, or
 * (no hash for this frame, or the table names a queue that is not ready)
 * one of the ready queues, the same for every frame of a host Tx queue.
 * -1 when the guest has no Rx queue ready.
 */
static int
pick_queue(const struct iavfbe_adapter *ad, const struct rte_mbuf *m,
		struct frame *f, uint16_t txq_id)
{
	uint16_t nb = __atomic_load_n(&ad->nb_rx_active, __ATOMIC_ACQUIRE);
	bool valid;
	uint16_t q;

	f->hash = iavfbe_rss_hash(&ad->cfg, m, &f->info, &valid);
	if (valid) {
		f->flags |= AVF_RXD_FLTSTAT_RSS;
		q = ad->cfg.net.rss_lut[f->hash % RTE_EMUDEV_NET_RSS_LUT_LEN];
		if (q < ad->nb_qp && ad->grx[q].ready)
			return q;
	}
	return nb > 0 ? ad->rx_active[txq_id % nb] : -1;
}

static void
count_drop(struct iavfbe_tx_queue *txq, int err)
{
	txq->stats.errors++;
	iavfbe_count_err(&txq->stats, err);
}

/* A frame for the guest that it could not take (not a filtered one). */
static void
count_discard(struct iavfbe_tx_queue *txq, const struct frame *f, int err)
{
	uint64_t cast = (f->flags >> AVF_RXD_UMBCAST_SHIFT) & 3;

	count_drop(txq, err);
	txq->stats.discards++;
	txq->stats.discard_mcast += cast == AVF_RXD_UMBCAST_MCAST;
	txq->stats.discard_bcast += cast == AVF_RXD_UMBCAST_BCAST;
}

/* A frame delivered; the frame counts are added on leaving the queue. */
static void
count_sent(struct iavfbe_tx_queue *txq, struct rx_fill *rf,
		const struct frame *f)
{
	uint64_t cast = (f->flags >> AVF_RXD_UMBCAST_SHIFT) & 3;

	rf->sent++;
	txq->stats.bytes += f->len;
	if (unlikely(cast != 0)) {
		txq->stats.mcast += cast == AVF_RXD_UMBCAST_MCAST;
		txq->stats.bcast += cast == AVF_RXD_UMBCAST_BCAST;
	}
}

/*
 * Ask for the descriptors the next frames are likely to use, one buffer
 * each, for writing. The guest's CPU wrote them last (it posted them):
 * fetched one by one, each would be a miss the burst waits for.
 */
#define PREFETCH_DESCS 32u
static void
prefetch_descs(const struct iavfbe_gq *gq, uint32_t frames)
{
	uint32_t step = RTE_CACHE_LINE_SIZE >> gq->desc_shift, idx = gq->head;
	uint32_t k;

	for (k = 0; k < RTE_MIN(frames, PREFETCH_DESCS); k += step) {
		rte_prefetch0_write(iavfbe_desc(gq, idx));
		idx += step;
		if (idx >= gq->size)
			idx -= gq->size;
	}
}

/* Enter the guard of the guest queue the next frames go to. */
static bool
enter_queue(struct rx_fill *rf, struct iavfbe_adapter *ad,
		struct iavfbe_gq *gq, uint32_t frames)
{
	if (!enter_shared_guard(gq->guard))
		return false;
	prefetch_descs(gq, frames);
	rf->gq = gq;
	rf->tail = gq->head; /* nothing known to be posted yet */
	rf->mem = rte_emudev_get_mem(ad->emu_id);
	rf->hint = 0;
	rf->raise = false;
	rf->sent = 0;
	rf->nb_wb = 0;
	return true;
}

/* Leave the guard of the guest queue a run of frames went to. */
static void
leave_queue(struct iavfbe_tx_queue *txq, struct rx_fill *rf)
{
	struct iavfbe_gq *gq = rf->gq;

	write_back(rf);
	txq->stats.packets += rf->sent;
	gq->packets += rf->sent; /* under the queue's guard */
	if (rf->raise || rf->sent != 0)
		iavfbe_raise(txq->ad, gq, &txq->stats);
	rte_emudev_qguard_leave(gq->guard);
	rf->gq = NULL;
}

/*
 * One frame into the guest Rx queue the burst entered; the guest is to be
 * interrupted when descriptors were written, even with an error.
 */
static void
deliver(struct iavfbe_tx_queue *txq, struct rx_fill *rf, struct frame *f)
{
	int err;

	if (!rf->gq->ready) {
		count_discard(txq, f, IAVFBE_ERR_NO_BUFS);
		return;
	}
	err = fill_guest_rx(rf, f);
	if (err == 0) {
		count_sent(txq, rf, f);
		return;
	}
	count_discard(txq, f, err);
	if (err != IAVFBE_ERR_BAD_ADDR)
		return;
	rf->raise = true;
	IAVFBE_LOG_GUEST(txq->ad, "guest Rx queue %u: buffer outside guest "
			 "memory", RTE_EMUDEV_NET_QP(rf->gq->qid));
}

uint16_t
iavfbe_xmit_pkts(void *queue, struct rte_mbuf **pkts, uint16_t n)
{
	struct iavfbe_tx_queue *txq = queue;
	struct iavfbe_adapter *ad = txq->ad;
	struct rx_fill rf;
	struct frame f;
	uint16_t i;

	rf.gq = NULL;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		int err, q;

		iavfbe_ptype(m, &f.info);
		err = prepare_frame(&ad->cfg, m, &f);
		if (err != 0) {
			count_drop(txq, err);
			continue;
		}
		f.flags |= f.info.csum_bits;
		q = pick_queue(ad, m, &f, txq->queue_id);
		if (q < 0) {
			count_discard(txq, &f, IAVFBE_ERR_NO_BUFS);
			continue;
		}
		if (rf.gq != &ad->grx[q]) {
			if (rf.gq != NULL)
				leave_queue(txq, &rf);
			if (!enter_queue(&rf, ad, &ad->grx[q], n - i))
				break;
		}
		deliver(txq, &rf, &f);
	}
	if (rf.gq != NULL)
		leave_queue(txq, &rf);
	rte_pktmbuf_free_bulk(pkts, i);
	return i;
}
