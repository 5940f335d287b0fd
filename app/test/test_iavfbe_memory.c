/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * net_iavfbe with guest memory as a guest behind a vIOMMU maps it: one
 * DMA map per 4 KiB page, pages in another order in the backing file
 * than in guest addresses, maps and unmaps while frames flow.
 */

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_vfio_user.h>

#include "test.h"
#include "test_iavfbe.h"

#define NB_MBUFS 2047
/* Queue pair 0's rings at their largest, not starting on a page. */
#define BIG_RING 8160
#define BIG_TX_OFF 0x680080u  /* 32 pages */
#define BIG_RX_OFF 0x6a0100u  /* 64 pages */
/* Rx buffers that straddle a page boundary: slot i at this + 4 KiB i. */
#define STRADDLE_OFF (RXBUF_OFF + 3072)
#define BATCH 64

static int
paged_setup(void)
{
	const struct vf_opts o = { .paged = true, .q0_len = BIG_RING,
		.q0_tx_off = BIG_TX_OFF, .q0_rx_off = BIG_RX_OFF };

	return iavfbe_test_up_opts(tb.mp, &o, NQP);
}

/* Post n guest Rx buffers on queue pair 0, each across two pages. */
static void
post_straddling(uint32_t n)
{
	while (n-- > 0) {
		uint32_t slot = tb.rx_tail[0];
		union avf_rx_desc *d = grx_desc(0, slot);

		memset(d, 0, sizeof(*d));
		d->read.pkt_addr = iova(STRADDLE_OFF + (slot % RXBUFS_PER_Q) * 4096u);
		tb.rx_tail[0] = (slot + 1) % RLEN(0);
	}
	rte_smp_wmb();
	*vf_rxq_tail(0) = tb.rx_tail[0];
}

/* Frame k of the run: sizes from 60 to 1514 bytes, every 50th jumbo. */
static uint32_t
frame_len(uint32_t k)
{
	return k % 50 == 49 ? JUMBO : 60 + (k * 97) % (1514 - 60);
}

/* The guest sends a batch, the host takes it and sends it back. */
static int
guest_tx_batch(uint32_t first, struct rte_mbuf **pkts)
{
	static uint8_t f[JUMBO];
	uint32_t k, got = 0;
	int round;

	for (k = first; k < first + BATCH; k++) {
		make_frame(f, frame_len(k), NULL, (uint8_t)k);
		/* Buffers of up to 1000 bytes: frames span buffers and pages. */
		gtx_frame(0, f, frame_len(k), 1000, 0, 0);
	}
	gtx_ring(0);
	for (round = 0; round < 50 && got < BATCH; round++)
		got += rte_eth_rx_burst(tb.port, 0, pkts + got, BATCH - got);
	TEST_ASSERT_EQUAL(got, BATCH, "the batch from %u arrived", first);
	for (k = 0; k < BATCH; k++) {
		make_frame(f, frame_len(first + k), NULL, (uint8_t)(first + k));
		TEST_ASSERT(mbuf_is(pkts[k], f, frame_len(first + k)),
			    "guest frame %u intact", first + k);
	}
	return 0;
}

/* What the guest received of a batch, buffer by buffer. */
static int
guest_rx_batch(uint32_t first)
{
	static uint8_t f[JUMBO];
	uint32_t k;

	for (k = first; k < first + BATCH; k++) {
		uint32_t len = frame_len(k), off = 0;

		make_frame(f, len, NULL, (uint8_t)k);
		while (off < len) {
			uint32_t slot = tb.rx_next[0];
			uint64_t qw1 = rxd_qw1(0, slot);
			uint32_t n = rxd_len(qw1);
			const uint8_t *buf = vf.mem + STRADDLE_OFF +
				(slot % RXBUFS_PER_Q) * 4096u;

			TEST_ASSERT((qw1 & AVF_RXD_DD) && !(qw1 & AVF_RXD_RXE),
				    "frame %u: descriptor %u done", k, slot);
			TEST_ASSERT(n <= len - off && memcmp(buf, f + off, n) == 0,
				    "frame %u: buffer %u intact", k, slot);
			off += n;
			TEST_ASSERT_EQUAL(!!(qw1 & AVF_RXD_EOF), off == len,
					  "frame %u: EOF on its last buffer", k);
			tb.rx_next[0] = (slot + 1) % RLEN(0);
			post_straddling(1);
		}
	}
	return 0;
}

/*
 * Rings of 8160 descriptors over 32 and 64 page maps, not starting on a
 * page; frames from 60 bytes to jumbo, in buffers that cross pages, both
 * ways, until each ring has gone round more than once.
 */
static int
test_rings_and_buffers_over_page_maps(void)
{
	struct rte_mbuf *pkts[BATCH];
	uint32_t first, total = 2 * BIG_RING;
	const struct rte_vfio_user_mem_table *mt;

	iavfbe_test_down();
	TEST_ASSERT_SUCCESS(paged_setup(), "paged guest");
	mt = rte_vfio_user_get_mem_table(vf.dev->vu_id);
	TEST_ASSERT_EQUAL(mt->nregions, MEM_SIZE / GUEST_PAGE, "one map per page");
	TEST_ASSERT_EQUAL(xstat("guest_rings_unusable"), 0, "rings taken");
	post_straddling(RXBUFS_PER_Q - 1);
	for (first = 0; first < total; first += BATCH) {
		TEST_ASSERT_SUCCESS(guest_tx_batch(first, pkts), "guest Tx");
		TEST_ASSERT_EQUAL(rte_eth_tx_burst(tb.port, 0, pkts, BATCH), BATCH,
				  "back to the guest");
		TEST_ASSERT_SUCCESS(guest_rx_batch(first), "guest Rx");
	}
	TEST_ASSERT_EQUAL(xstat("rx_q0_packets"), total, "all received");
	TEST_ASSERT_EQUAL(xstat("tx_q0_packets"), total, "all delivered");
	TEST_ASSERT(xstat("rx_q0_guest_bad_address_errors") == 0 &&
		    xstat("tx_q0_guest_bad_address_errors") == 0 &&
		    xstat("tx_q0_guest_no_buffer_drops") == 0, "no loss");
	printf("iavfbe: %u frames each way over %u page maps, rings of %u "
	       "descriptors on 32 and 64 pages\n", total, mt->nregions, BIG_RING);
	return 0;
}

/* One DMA_UNMAP for [off, off + len): the server removes every page map. */
static int
unmap_as_range(uint32_t off, uint32_t len)
{
	return rte_vfio_user_client_dma_unmap(vf.c, iova(off), len, false);
}

#define VICTIM_PAGES 4
#define ROUNDS 100

/* The data-path thread of the barrier tests and what it saw. */
static struct {
	volatile bool stop;
	uint64_t frames, corrupt;
	uint8_t pattern[JUMBO];
} dp;

/* Host Rx: every guest frame that arrives must be the pattern. */
static void *
dp_receive(void *arg __rte_unused)
{
	struct rte_mbuf *pkts[32];

	while (!dp.stop) {
		uint16_t n = rte_eth_rx_burst(tb.port, 0, pkts, RTE_DIM(pkts)), i;

		for (i = 0; i < n; i++)
			dp.corrupt += !mbuf_is(pkts[i], dp.pattern, JUMBO);
		dp.frames += n;
		rte_pktmbuf_free_bulk(pkts, n);
	}
	return NULL;
}

/* Host Tx: jumbo frames into whatever buffers the guest posted. */
static void *
dp_send(void *arg __rte_unused)
{
	struct rte_mbuf *pkts[8];
	uint16_t i;

	while (!dp.stop) {
		for (i = 0; i < RTE_DIM(pkts); i++)
			pkts[i] = host_mbuf(dp.pattern, JUMBO);
		for (i = 0; i < RTE_DIM(pkts); i++)
			if (pkts[i] == NULL)
				break;
		dp.frames += tx_or_free(tb.port, 0, pkts, i);
		if (i < RTE_DIM(pkts))
			rte_pktmbuf_free_bulk(pkts + i + 1, RTE_DIM(pkts) - i - 1);
	}
	return NULL;
}

static int
dp_start(pthread_t *th, void *(*fn)(void *))
{
	memset(&dp, 0, sizeof(dp));
	make_frame(dp.pattern, JUMBO, NULL, 77);
	iavfbe_test_down();
	if (iavfbe_test_up_opts(tb.mp, &(struct vf_opts){ .paged = true }, NQP) < 0 ||
	    pthread_create(th, NULL, fn, NULL) != 0)
		return -1;
	test_thread_any_cpu(*th);
	return 0;
}

static void
dp_stop(pthread_t th)
{
	dp.stop = true;
	pthread_join(th, NULL);
}

/* Waits (at most a second) for cond; false when it did not come. */
#define WAIT_FOR(cond) ({ \
	int n__ = 0; \
	while (!(cond) && n__++ < 100000) \
		rte_delay_us_sleep(10); \
	(cond); \
})

/*
 * The barrier on guest Tx: the data path is copying a ring full of jumbo
 * frames out of four pages when one of them, or all four at once, are
 * unmapped. Once the unmap is answered the test poisons the pages: a
 * frame read after the reply would arrive poisoned (or fault).
 */
static int
tx_rounds(void)
{
	const uint32_t frames = (RING_LEN - 1) / 3;
	uint32_t round, last = 0, k;

	for (round = 0; round < ROUNDS; round++) {
		uint32_t base = TXBUF_OFF + (round % 8) * VICTIM_PAGES * GUEST_PAGE;
		uint32_t off = round % 2 ? base + GUEST_PAGE : base;
		uint32_t len = (round % 2 ? 1 : VICTIM_PAGES) * GUEST_PAGE;

		memcpy(vf.mem + base, dp.pattern, JUMBO);
		for (k = 0; k < frames; k++) {
			gtx_put(0, iova(base), txd_qw1(3000, 0, 0));
			gtx_put(0, iova(base + 3000), txd_qw1(3000, 0, 0));
			last = gtx_put(0, iova(base + 6000), txd_qw1(3000,
					AVF_TXD_CMD_EOP | AVF_TXD_CMD_RS, 0));
		}
		gtx_ring(0);
		TEST_ASSERT(WAIT_FOR(tx_done(0, (last + RING_LEN - 3 * (frames - 1)) %
				RING_LEN)), "the data path started");
		TEST_ASSERT_SUCCESS(unmap_as_range(off, len), "unmap");
		memset(vf.mem + off, 0xee, len);
		TEST_ASSERT(WAIT_FOR(tx_done(0, last)), "the ring went through");
		memcpy(vf.mem + base, dp.pattern, JUMBO);
		TEST_ASSERT_SUCCESS(vf_map(off, len), "map again");
	}
	return 0;
}

static int
test_unmap_under_tx_buffers(void)
{
	uint64_t dropped;
	pthread_t th;
	int rc;

	TEST_ASSERT_SUCCESS(dp_start(&th, dp_receive), "paged guest, data path");
	rc = tx_rounds();
	dropped = xstat("rx_q0_guest_bad_address_errors");
	dp_stop(th);
	TEST_ASSERT_SUCCESS(rc, "rounds");
	printf("iavfbe: %u unmaps under guest Tx buffers being read: %" PRIu64
	       " frames arrived, %" PRIu64 " poisoned, %" PRIu64
	       " dropped as unmapped\n",
	       ROUNDS, dp.frames, dp.corrupt, dropped);
	TEST_ASSERT_EQUAL(dp.corrupt, 0, "nothing read after an unmap reply");
	TEST_ASSERT(dropped > 0 && dp.frames > 0, "both before and after");
	return 0;
}

/*
 * The barrier on guest Rx: the data path is filling a ring of buffers in
 * four pages with jumbo frames when they are unmapped. Once the unmap is
 * answered the pages must not change any more.
 */
/* Slots between the guest's next-to-clean and its tail. */
static uint32_t
rx_outstanding(uint32_t head)
{
	return (tb.rx_tail[0] + RING_LEN - head) % RING_LEN;
}

/*
 * The guest takes what the device filled, as a driver does; the count of
 * buffers given back with an error is added to errors.
 */
static uint32_t
rx_clean(uint32_t head, uint32_t *errors)
{
	while (head != tb.rx_tail[0] && (rxd_qw1(0, head) & AVF_RXD_DD)) {
		*errors += !!(rxd_qw1(0, head) & AVF_RXD_RXE);
		head = (head + 1) % RING_LEN;
	}
	return head;
}

static int
rx_rounds(uint32_t *changed, uint32_t *errors)
{
	static uint8_t snap[VICTIM_PAGES * GUEST_PAGE];
	uint32_t round, i, head = tb.rx_tail[0];

	for (round = 0; round < ROUNDS; round++) {
		uint32_t base = RXBUF_OFF + (round % 8) * VICTIM_PAGES * GUEST_PAGE;
		uint32_t off = round % 2 ? base + GUEST_PAGE : base;
		uint32_t len = (round % 2 ? 1 : VICTIM_PAGES) * GUEST_PAGE;
		uint32_t n = RING_LEN - 1 - rx_outstanding(head);

		for (i = 0; i < n; i++) {
			union avf_rx_desc *d = grx_desc(0, tb.rx_tail[0]);

			memset(d, 0, sizeof(*d));
			d->read.pkt_addr = iova(base + (i % 8) * RX_BUF_SIZE);
			tb.rx_tail[0] = (tb.rx_tail[0] + 1) % RING_LEN;
		}
		rte_smp_wmb();
		*vf_rxq_tail(0) = tb.rx_tail[0];
		TEST_ASSERT(WAIT_FOR((head = rx_clean(head, errors),
				rx_outstanding(head) < RING_LEN - 64)),
			    "the data path started");
		TEST_ASSERT_SUCCESS(unmap_as_range(off, len), "unmap");
		memcpy(snap, vf.mem + off, len);
		/* A jumbo frame takes 5 buffers (1 when refused): the ring is
		 * full when fewer are left. */
		TEST_ASSERT(WAIT_FOR((head = rx_clean(head, errors),
				rx_outstanding(head) < 5)), "the ring filled");
		*changed += memcmp(snap, vf.mem + off, len) != 0;
		TEST_ASSERT_SUCCESS(vf_map(off, len), "map again");
	}
	return 0;
}

static int
test_unmap_under_rx_buffers(void)
{
	uint32_t changed = 0, errors = 0;
	pthread_t th;
	int rc;

	TEST_ASSERT_SUCCESS(dp_start(&th, dp_send), "paged guest, data path");
	rc = rx_rounds(&changed, &errors);
	dp_stop(th);
	TEST_ASSERT_SUCCESS(rc, "rounds");
	printf("iavfbe: %u unmaps under guest Rx buffers being filled: %" PRIu64
	       " frames sent, %u buffers given back with an error, %u pages "
	       "written after their unmap\n", ROUNDS, dp.frames, errors, changed);
	TEST_ASSERT_EQUAL(changed, 0, "nothing written after an unmap reply");
	TEST_ASSERT(errors > 0, "buffers in unmapped pages refused");
	return 0;
}

static const struct unit_test_case cases[] = {
	{ "rings_and_buffers_over_page_maps",
	  test_rings_and_buffers_over_page_maps },
	{ "unmap_under_tx_buffers", test_unmap_under_tx_buffers },
	{ "unmap_under_rx_buffers", test_unmap_under_rx_buffers },
	{ NULL, NULL },
};

static int
test_iavfbe_memory(void)
{
	return iavfbe_suite_run("iavfbe_memory", cases, NB_MBUFS,
			JUMBO + RTE_PKTMBUF_HEADROOM);
}

REGISTER_TEST_COMMAND(iavfbe_memory_autotest, test_iavfbe_memory);
