/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * libFuzzer target: net_iavf_client's admin queue, virtchnl and data
 * path against a hostile server. The client's mailbox and ring code runs
 * as it is; the socket under it is replaced by this harness, which plays
 * the PF: it answers BAR0 reads and writes, and writes what the input
 * says into the client's ARQ and descriptor rings (all in this process),
 * as a server would through its DMA maps.
 *
 * Each input starts with a VF reset, one Rx and one Tx queue of 64
 * descriptors filled, then runs records, the first byte of each choosing:
 *   0: a PF message in the next ARQ slot: flags (2), opcode (2),
 *      datalen (2), virtchnl op (4), status (4), length (1), payload
 *   1: the ARQ head the PF reports: value (2), 0xffff for its own
 *   2: a control request: which (1), then the reply to its first
 *      virtchnl message: op (1, 0 for the right one), status (1),
 *      length (1), payload; its other messages get sound replies
 *   3: an Rx write-back: slot after the next (1), qw1 (8), rss (4),
 *      l2tag1 (2)
 *   4: an Rx burst
 *   5: a Tx descriptor written by the device: slot (1), qw1 (8)
 *   6: a Tx burst: frames (1), length (2), segments (1), offloads (1)
 * After each input every mbuf must be back in the pool.
 */

#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_vfio_user.h>
#include <rte_vfio_user_pci.h>

#include "fuzz_eal.h"
#include "iavf_client.h"

#define NB_DESC 64
#define NB_MBUFS 1024
#define HEAD_OWN 0xffff

int iavf_client_logtype;

static struct iavfc_adapter ad;
static struct iavfc_rx_queue rxq;
static struct iavfc_tx_queue txq;
static struct rte_mempool *mp;
static uint32_t doorbells[2];
static volatile uint8_t sink;

/* The PF as this input scripts it. */
static struct {
	uint16_t head;          /* next ARQ slot the PF writes */
	uint16_t head_shown;    /* what ARQH reads, HEAD_OWN: head */
	const uint8_t *reply;   /* the scripted reply, NULL once sent */
	size_t reply_len;
	uint8_t reply_op;
	uint8_t reply_status;
} pf;

static void
pf_write(uint16_t flags, uint16_t opcode, uint16_t datalen, uint32_t op,
		uint32_t status, const uint8_t *p, size_t len)
{
	struct iavf_aq_desc *d = &ad.aq.arq[pf.head % IAVFC_AQ_LEN];

	if (len > 0)
		memcpy(ad.aq.arq_buf + (size_t)IAVFC_AQ_BUF *
		       (pf.head % IAVFC_AQ_LEN), p,
		       RTE_MIN(len, (size_t)IAVFC_AQ_BUF));
	d->flags = flags;
	d->opcode = opcode;
	d->datalen = datalen;
	d->cookie_high = op;
	d->cookie_low = status;
	pf.head = (pf.head + 1) % IAVFC_AQ_LEN;
}

/* A reply a sound PF would give to op. */
static void
pf_sound_reply(uint32_t op)
{
	struct virtchnl_version_info v = { 1, 1 };
	struct virtchnl_vf_resource r = { .num_vsis = 1,
		.num_queue_pairs = 4, .max_vectors = 5,
		.vf_cap_flags = VIRTCHNL_VF_OFFLOAD_L2 };
	struct virtchnl_eth_stats st = { 0 };
	const void *p = NULL;
	size_t len = 0;

	r.vsi_res[0].num_queue_pairs = 4;
	r.vsi_res[0].vsi_type = VIRTCHNL_VSI_SRIOV;
	if (op == VIRTCHNL_OP_VERSION) {
		p = &v;
		len = sizeof(v);
	} else if (op == VIRTCHNL_OP_GET_VF_RESOURCES) {
		p = &r;
		len = sizeof(r);
	} else if (op == VIRTCHNL_OP_GET_STATS) {
		p = &st;
		len = sizeof(st);
	}
	pf_write(IAVF_AQ_FLAG_DD | IAVF_AQ_FLAG_CMP, IAVF_AQ_OP_MSG_TO_VF, len,
		 op, VIRTCHNL_STATUS_SUCCESS, p, len);
}

/* The client posted its ATQ up to tail: the PF answers the message. */
static void
pf_answer(uint32_t tail)
{
	uint16_t i = (tail + IAVFC_AQ_LEN - 1) % IAVFC_AQ_LEN;
	uint32_t op = ad.aq.atq[i].cookie_high;

	if (pf.reply == NULL) {
		pf_sound_reply(op);
		return;
	}
	pf_write(IAVF_AQ_FLAG_DD | IAVF_AQ_FLAG_CMP, IAVF_AQ_OP_MSG_TO_VF,
		 pf.reply_len, pf.reply_op != 0 ? pf.reply_op : op,
		 (int8_t)pf.reply_status, pf.reply, pf.reply_len);
	pf.reply = NULL;
}

/* The socket's two calls the client's mailbox makes, played by the PF. */
int
rte_vfio_user_client_region_read(struct rte_vfio_user_client *c __rte_unused,
		uint32_t index, uint64_t offset, void *buf, size_t count)
{
	uint32_t v = 0;

	if (index != RTE_VFIO_USER_PCI_BAR0 || count != 4)
		return -EINVAL;
	if (offset == IAVF_VFGEN_RSTAT)
		v = IAVF_RSTAT_VFACTIVE;
	if (offset == IAVF_VF_ARQH1)
		v = pf.head_shown == HEAD_OWN ? pf.head : pf.head_shown;
	memcpy(buf, &v, 4);
	return 0;
}

int
rte_vfio_user_client_region_write(struct rte_vfio_user_client *c __rte_unused,
		uint32_t index, uint64_t offset, const void *buf, size_t count,
		bool posted __rte_unused)
{
	uint32_t v;

	if (index != RTE_VFIO_USER_PCI_BAR0 || count != 4)
		return -EINVAL;
	memcpy(&v, buf, 4);
	if (offset == IAVF_VF_ARQH1)
		pf.head = v % IAVFC_AQ_LEN;
	if (offset == IAVF_VF_ATQT1)
		pf_answer(v);
	return 0;
}

/* A control request, as the ethdev layer makes them. */
static void
control(uint8_t which)
{
	static const uint8_t key[52], lut[64];
	struct iavfc_rx_queue *rx[1] = { &rxq };
	struct iavfc_tx_queue *tx[1] = { &txq };
	struct virtchnl_eth_stats st;

	switch (which % 10) {
	case 0: iavfc_vc_bring_up(&ad); break;
	case 1: iavfc_vc_stats(&ad, &st); break;
	case 2: iavfc_vc_config_queues(&ad, 1, 1, rx, tx, 1518); break;
	case 3: iavfc_vc_irq_map(&ad, which / 10 % (IAVFC_MAX_QP + 1)); break;
	case 4: iavfc_vc_queues(&ad, which & 0x10, 1, 1); break;
	case 5: iavfc_vc_promisc(&ad, which & 0x10, which & 0x20); break;
	case 6: iavfc_vc_mac(&ad, &ad.mac, which & 0x10); break;
	case 7: iavfc_vc_vlan(&ad, which, which & 0x10); break;
	case 8: iavfc_vc_rss(&ad, key, sizeof(key), lut, sizeof(lut), ~0ull);
		break;
	default: iavfc_vc_poll_events(&ad); break;
	}
}

static void
rx_write_back(uint8_t slot, const uint8_t *p)
{
	volatile union avf_rx_desc *d = &rxq.ring[(rxq.next + slot) % NB_DESC];
	uint64_t qw1;
	uint32_t rss;
	uint16_t tag;

	memcpy(&qw1, p, 8);
	memcpy(&rss, p + 8, 4);
	memcpy(&tag, p + 12, 2);
	d->wb.rss = rss;
	d->wb.l2tag1 = tag;
	d->wb.qw1 = qw1;
}

static void
rx_burst(void)
{
	struct rte_mbuf *pkts[32];
	uint16_t n = iavfc_recv_pkts(&rxq, pkts, RTE_DIM(pkts)), i;

	for (i = 0; i < n; i++) {
		const struct rte_mbuf *s;
		uint32_t total = 0;

		/* what an application reads: every byte of every segment */
		for (s = pkts[i]; s != NULL; s = s->next) {
			const volatile uint8_t *b = rte_pktmbuf_mtod(s, uint8_t *);
			uint16_t k;

			/* mbufs live in EAL's memory, where ASan sees nothing */
			if (s->data_off + s->data_len > s->buf_len)
				abort();
			for (k = 0; k < s->data_len; k++)
				sink += b[k];
			total += s->data_len;
		}
		if (total != pkts[i]->pkt_len || total > IAVFC_MAX_FRAME)
			abort();
		rte_pktmbuf_free(pkts[i]);
	}
}

static void
tx_burst(uint8_t n, uint16_t len, uint8_t segs, uint8_t ol)
{
	struct rte_mbuf *pkts[32];
	uint16_t i, k, sent;

	n = n % RTE_DIM(pkts) + 1;
	segs = segs % 4 + 1;
	len = len % 2048 + 1;
	for (i = 0; i < n; i++) {
		pkts[i] = rte_pktmbuf_alloc(mp);
		if (pkts[i] == NULL)
			break;
		rte_pktmbuf_append(pkts[i], len);
		for (k = 1; k < segs; k++) {
			struct rte_mbuf *s = rte_pktmbuf_alloc(mp);

			if (s == NULL)
				break;
			rte_pktmbuf_append(s, len);
			if (rte_pktmbuf_chain(pkts[i], s) < 0)
				rte_pktmbuf_free(s);
		}
		pkts[i]->l2_len = 14;
		pkts[i]->l3_len = 20;
		pkts[i]->l4_len = 20;
		pkts[i]->tso_segsz = 1400;
		pkts[i]->ol_flags = (ol & 1 ? RTE_MBUF_F_TX_IPV4 : 0) |
			(ol & 2 ? RTE_MBUF_F_TX_IP_CKSUM : 0) |
			(ol & 4 ? RTE_MBUF_F_TX_TCP_CKSUM : 0) |
			(ol & 8 ? RTE_MBUF_F_TX_TCP_SEG : 0) |
			(ol & 16 ? RTE_MBUF_F_TX_VLAN : 0);
	}
	n = i;
	/* what prep refuses is not sent, as an application would do */
	k = iavfc_prep_pkts(&txq, pkts, n);
	sent = iavfc_xmit_pkts(&txq, pkts, k);
	for (i = sent; i < n; i++)
		rte_pktmbuf_free(pkts[i]);
}

static void
queue_setup(void)
{
	const struct rte_memzone *rz, *tz;

	rz = rte_memzone_reserve_aligned("fuzz_rx", NB_DESC * 32, SOCKET_ID_ANY,
			RTE_MEMZONE_IOVA_CONTIG, 4096);
	tz = rte_memzone_reserve_aligned("fuzz_tx", NB_DESC * 16, SOCKET_ID_ANY,
			RTE_MEMZONE_IOVA_CONTIG, 4096);
	if (rz == NULL || tz == NULL)
		abort();
	rxq.ring = rz->addr;
	rxq.mz = rz;
	rxq.sw_ring = calloc(NB_DESC, sizeof(*rxq.sw_ring));
	rxq.mp = mp;
	rxq.doorbell = &doorbells[0];
	rxq.nb_desc = NB_DESC;
	rxq.buf_len = RTE_MBUF_DEFAULT_DATAROOM;
	rxq.vlan_strip = true;
	rte_spinlock_init(&rxq.lock);
	txq.ring = tz->addr;
	txq.mz = tz;
	txq.sw_ring = calloc(NB_DESC, sizeof(*txq.sw_ring));
	txq.rs_len = NB_DESC;
	txq.rs_fifo = calloc(txq.rs_len, sizeof(*txq.rs_fifo));
	txq.doorbell = &doorbells[1];
	txq.nb_desc = NB_DESC;
	txq.rs_thresh = 32;
	rte_spinlock_init(&txq.lock);
	if (rxq.sw_ring == NULL || txq.sw_ring == NULL || txq.rs_fifo == NULL)
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc __rte_unused, char ***argv __rte_unused)
{

	fuzz_eal_init("64");
	iavf_client_logtype = rte_log_register("fuzz.iavf_client");
	mp = rte_pktmbuf_pool_create("fuzz_mp", NB_MBUFS, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	snprintf(ad.name, sizeof(ad.name), "fuzz_iavf_client");
	ad.c = (struct rte_vfio_user_client *)&pf; /* never dereferenced */
	if (mp == NULL || iavfc_aq_init(&ad) < 0)
		abort();
	queue_setup();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i = 0;

	memset(&pf, 0, sizeof(pf));
	pf.head_shown = HEAD_OWN;
	if (iavfc_vf_reset(&ad) < 0 || iavfc_rxq_fill(&rxq) < 0)
		abort();
	iavfc_txq_reset(&txq);
	while (i < size) {
		uint8_t kind = data[i++] % 7;
		const uint8_t *p = data + i;
		size_t left = size - i;
		uint16_t a, b, c;
		uint32_t op, st;

		if (kind == 0 && left >= 15) {
			size_t len = RTE_MIN((size_t)p[14], left - 15);

			memcpy(&a, p, 2);
			memcpy(&b, p + 2, 2);
			memcpy(&c, p + 4, 2);
			memcpy(&op, p + 6, 4);
			memcpy(&st, p + 10, 4);
			pf_write(a, b, c, op, st, p + 15, len);
			i += 15 + len;
		} else if (kind == 1 && left >= 2) {
			memcpy(&pf.head_shown, p, 2);
			i += 2;
		} else if (kind == 2 && left >= 4) {
			pf.reply_op = p[1];
			pf.reply_status = p[2];
			pf.reply_len = RTE_MIN((size_t)p[3], left - 4);
			pf.reply = p + 4;
			control(p[0]);
			pf.reply = NULL;
			i += 4 + pf.reply_len;
		} else if (kind == 3 && left >= 15) {
			rx_write_back(p[0], p + 1);
			i += 15;
		} else if (kind == 4) {
			rx_burst();
		} else if (kind == 5 && left >= 9) {
			uint64_t qw1;

			memcpy(&qw1, p + 1, 8);
			txq.ring[p[0] % NB_DESC].qw1 = qw1;
			i += 9;
		} else if (kind == 6 && left >= 5) {
			memcpy(&a, p + 1, 2);
			tx_burst(p[0], a, p[3], p[4]);
			i += 5;
		} else {
			break;
		}
	}
	iavfc_rxq_drain(&rxq);
	iavfc_txq_drain(&txq);
	if (rte_mempool_avail_count(mp) != NB_MBUFS)
		abort(); /* an mbuf lost or freed twice */
	return 0;
}
