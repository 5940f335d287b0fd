/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * emu_iavf, driven as a VF driver drives it, over the vfio-user client
 * API: register access, the admin queue in (test-owned) guest memory,
 * virtchnl with valid and hostile payloads, resets, interrupts.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_random.h>

#include <rte_emudev.h>
#include <rte_emudev_net.h>
#include <rte_vfio_user.h>

#include "test.h"
#include "test_vf.h"

/* What the test consumer saw. */
static struct {
	int queue_events, resets, link_events, mem_events, gone;
	bool link_up;
	uint32_t enabled_mask; /* by emudev queue id */
	struct rte_emudev_event mem; /* the last MEM_CHANGING */
	struct rte_emudev_event queue; /* the last QUEUE_STATE */
	int config_events;
	uint32_t config_changed;       /* what the events said, or'ed */
	struct rte_emudev_net_config config; /* as the last one showed it */
	bool call_back;  /* try a control call from the callback */
	int call_back_rc;
} seen;

static void
on_event(uint16_t dev_id, const struct rte_emudev_event *ev,
		void *arg __rte_unused)
{
	switch (ev->type) {
	case RTE_EMUDEV_EVENT_QUEUE_STATE:
		seen.queue_events++;
		seen.queue = *ev;
		if (seen.call_back)
			seen.call_back_rc = rte_emudev_get_queue_info(dev_id,
				ev->queue.qid, &(struct rte_emudev_q_info){ 0 });
		if (ev->queue.enabled)
			seen.enabled_mask |= RTE_BIT32(ev->queue.qid);
		else
			seen.enabled_mask &= ~RTE_BIT32(ev->queue.qid);
		break;
	case RTE_EMUDEV_EVENT_RESET:
		seen.resets++;
		seen.enabled_mask = 0;
		break;
	case RTE_EMUDEV_EVENT_LINK:
		seen.link_events++;
		seen.link_up = ev->link.up;
		break;
	case RTE_EMUDEV_EVENT_MEM_CHANGING:
		seen.mem_events++;
		seen.mem = *ev;
		break;
	case RTE_EMUDEV_EVENT_DRIVER_GONE:
		seen.gone++;
		break;
	case RTE_EMUDEV_EVENT_CONFIG:
		seen.config_events++;
		seen.config_changed |= ev->config.changed;
		memcpy(&seen.config, ev->config.state, sizeof(seen.config));
		break;
	default:
		break;
	}
}

static int
consumer_stats(uint16_t dev_id __rte_unused, void *stats, size_t len,
		void *arg __rte_unused)
{
	struct rte_emudev_net_stats *s = stats;

	if (len < sizeof(*s))
		return -ENOSPC;
	s->rx_bytes = 1234;
	s->tx_errors = 5;
	return 0;
}

static int
suite_setup(void)
{
	memset(&seen, 0, sizeof(seen));
	if (vf_setup() < 0)
		return -1;
	return rte_emudev_subscribe_event(vf.edev, on_event, NULL);
}

static void
suite_teardown(void)
{
	rte_emudev_unsubscribe_event(vf.edev, on_event, NULL);
	vf_teardown();
}

static int
test_pci_identity(void)
{
	struct rte_vfio_user_region_info ri;
	uint32_t count = 0, flags = 0, v, cap;

	v = cfg_read32(0x00);
	TEST_ASSERT_EQUAL(v, 0x18898086, "vendor/device");
	TEST_ASSERT_EQUAL(cfg_read32(0x08), 0x02000002, "class 0x020000, rev 2");
	TEST_ASSERT_EQUAL(cfg_read32(0x2c), 0x00008086, "subsystem");
	TEST_ASSERT_EQUAL(cfg_read32(0x3c) >> 8 & 0xff, 0, "no INTx pin");
	/* BAR sizing: 128 KiB and 16 KiB, 64-bit prefetchable. */
	rte_vfio_user_client_region_write(vf.c, RTE_VFIO_USER_PCI_CONFIG, 0x10,
			&(uint32_t){ 0xffffffff }, 4, false);
	TEST_ASSERT_EQUAL(cfg_read32(0x10), 0xfffe000c, "BAR0 size");
	rte_vfio_user_client_region_write(vf.c, RTE_VFIO_USER_PCI_CONFIG, 0x1c,
			&(uint32_t){ 0xffffffff }, 4, false);
	TEST_ASSERT_EQUAL(cfg_read32(0x1c), 0xffffc00c, "BAR3 size");
	/* Walk the capability list to MSI-X. */
	TEST_ASSERT(cfg_read32(0x04) >> 16 & 0x10, "capability list");
	for (cap = cfg_read32(0x34) & 0xff; cap != 0;
	     cap = cfg_read32(cap) >> 8 & 0xff)
		if ((cfg_read32(cap) & 0xff) == 0x11)
			break;
	TEST_ASSERT(cap != 0, "MSI-X capability");
	TEST_ASSERT_EQUAL((cfg_read32(cap) >> 16 & 0x7ff) + 1, NVEC, "table size");
	TEST_ASSERT_EQUAL(cfg_read32(cap + 4), 3, "table in BAR3 at 0");
	TEST_ASSERT_EQUAL(cfg_read32(cap + 8), 0x2003, "PBA in BAR3 at 0x2000");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_get_region_info(vf.c,
			RTE_VFIO_USER_PCI_BAR0, &ri), "BAR0 info");
	TEST_ASSERT(ri.size == IAVF_BAR0_SIZE && ri.fd >= 0 && ri.nr_areas == 3 &&
		    ri.areas[0].offset == 0 && ri.areas[1].offset == 0x2000 &&
		    ri.areas[2].offset == 0x3000,
		    "BAR0 with the tail and DYN_CTLN pages mmap-able");
	close(ri.fd);
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_get_region_info(vf.c,
			RTE_VFIO_USER_PCI_BAR3, &ri), "BAR3 info");
	TEST_ASSERT_EQUAL(ri.size, IAVF_BAR3_SIZE, "BAR3 size");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_region_read(vf.c,
			RTE_VFIO_USER_PCI_BAR3, 0x2000, &v, 4), "PBA read");
	TEST_ASSERT_EQUAL(v, 0, "PBA");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_get_irq_info(vf.c,
			RTE_VFIO_USER_PCI_MSIX, &count, &flags), "MSI-X info");
	TEST_ASSERT(count == NVEC && !(flags & RTE_VFIO_USER_IRQ_F_NORESIZE),
		    "MSI-X vectors");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_get_irq_info(vf.c,
			RTE_VFIO_USER_PCI_INTX, &count, &flags), "INTx info");
	TEST_ASSERT_EQUAL(count, 0, "no INTx");
	return 0;
}

static int
test_reset_values(void)
{
	static const uint32_t aq_regs[] = { IAVF_VF_ATQBAL1, IAVF_VF_ATQBAH1,
		IAVF_VF_ATQLEN1, IAVF_VF_ATQH1, IAVF_VF_ATQT1, IAVF_VF_ARQBAL1, IAVF_VF_ARQBAH1,
		IAVF_VF_ARQLEN1, IAVF_VF_ARQH1, IAVF_VF_ARQT1 };
	unsigned int i;

	TEST_ASSERT_EQUAL(rd(IAVF_VFGEN_RSTAT), IAVF_RSTAT_VFACTIVE, "VF active at rest");
	for (i = 0; i < RTE_DIM(aq_regs); i++)
		TEST_ASSERT_EQUAL(rd(aq_regs[i]), 0, "AQ register %#x", aq_regs[i]);
	wr(IAVF_VF_ATQBAL1, 0x12345000);
	TEST_ASSERT_EQUAL(rd(IAVF_VF_ATQBAL1), 0x12345000, "ATQBAL reads back");
	wr(IAVF_VF_ARQLEN1, 32 | IAVF_AQ_LEN_ENABLE | IAVF_AQ_LEN_CRIT |
	   IAVF_AQ_LEN_VFE);
	TEST_ASSERT_EQUAL(rd(IAVF_VF_ARQLEN1), 32 | IAVF_AQ_LEN_ENABLE,
			  "ENABLE reads back, error bits stay 0");
	wr(IAVF_VFGEN_RSTAT, 0);
	TEST_ASSERT_EQUAL(rd(IAVF_VFGEN_RSTAT), IAVF_RSTAT_VFACTIVE, "RSTAT read-only");
	return 0;
}

static int
test_linux_init(void)
{
	const uint32_t speed = 25000;
	struct virtchnl_vf_resource res;
	struct virtchnl_pf_event ev;
	struct rte_emudev_q_info qi;
	struct rte_emudev_conf conf = { .stats_get = consumer_stats };
	struct rte_emudev_net_stats st;
	uint8_t msg[512];
	uint16_t len, q;
	struct rte_ether_addr mac;

	TEST_ASSERT_SUCCESS(vf_bring_up(CAPS_LINUX, &res), "VERSION, resources");
	rte_ether_unformat_addr(DEV_MAC, &mac);
	TEST_ASSERT(res.num_vsis == 1 && res.num_queue_pairs == NQP &&
		    res.max_vectors == NVEC && res.rss_key_size == 52 &&
		    res.rss_lut_size == 64 && res.vsi_res[0].vsi_type == 6 &&
		    res.vsi_res[0].vsi_id == IAVF_VSI_ID &&
		    memcmp(res.vsi_res[0].default_mac, &mac, 6) == 0,
		    "resources");
	TEST_ASSERT_EQUAL(res.vf_cap_flags, VIRTCHNL_VF_OFFLOAD_L2 | VIRTCHNL_VF_OFFLOAD_VLAN |
			  VIRTCHNL_VF_OFFLOAD_RSS_PF | VIRTCHNL_VF_CAP_ADV_LINK_SPEED,
			  "granted: requested and implemented only");
	TEST_ASSERT_SUCCESS(next_event(&ev), "link event after resources");
	TEST_ASSERT(ev.event == VIRTCHNL_EVENT_LINK_CHANGE && !ev.link_status,
		    "link down without a consumer");
	TEST_ASSERT_SUCCESS(vc_irq_map(), "IRQ map: vectors 1..4 for the pairs");
	memset(msg, 0, sizeof(msg));
	msg[0] = 1;
	msg[2] = 52;
	TEST_ASSERT_SUCCESS(vc(VIRTCHNL_OP_CONFIG_RSS_KEY, msg, 4 + 52 + 1, NULL, NULL),
			    "RSS key");
	msg[2] = 64;
	for (q = 0; q < 64; q++)
		msg[4 + q] = q % NQP;
	TEST_ASSERT_SUCCESS(vc(VIRTCHNL_OP_CONFIG_RSS_LUT, msg, 4 + 64 + 1, NULL, NULL),
			    "RSS LUT");
	/* ip link set up: Rx tail written before any queue message. */
	wr(IAVF_QRX_TAIL1(0), 511);
	memset(msg, 0, sizeof(msg));
	msg[0] = 1;
	msg[2] = 1;
	memcpy(msg + 4, &mac, 6);
	msg[10] = 1; /* primary */
	TEST_ASSERT_SUCCESS(vc(VIRTCHNL_OP_ADD_ETH_ADDR, msg, 4 + 8 * 2, NULL, NULL),
			    "ADD_ETH_ADDR");
	TEST_ASSERT_SUCCESS(vc_config_queues(NQP, NULL), "CONFIG_VSI_QUEUES");
	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 0xf, 0xf), "ENABLE");
	TEST_ASSERT_SUCCESS(next_event(&ev), "link event after ENABLE_QUEUES");
	TEST_ASSERT(!ev.link_status, "still down: no consumer started");
	TEST_ASSERT_EQUAL(seen.enabled_mask, 0xff, "consumer saw 8 queues enabled");
	TEST_ASSERT_SUCCESS(rte_emudev_get_queue_info(vf.edev,
			RTE_EMUDEV_NET_RXQ(2), &qi), "queue info");
	TEST_ASSERT(qi.enabled && qi.size == 512 && qi.buf_size == 2048 &&
		    qi.base == iova(RXR_OFF(2)) &&
		    qi.irq_vector == 3 && qi.desc_fmt == RTE_EMUDEV_DESC_AVF_RX_32B,
		    "Rx queue 2 as configured");
	{
		struct rte_emudev_db_info db;

		TEST_ASSERT_SUCCESS(rte_emudev_get_db_info(vf.edev,
				RTE_EMUDEV_NET_RXQ(0), &db), "doorbell");
		TEST_ASSERT_EQUAL(*db.mem.addr & db.mem.mask, 511,
				  "the early Rx tail was latched");
	}
	/* The consumer starts: link up, with the speed in Mbps. */
	TEST_ASSERT_SUCCESS(rte_emudev_configure(vf.edev, &conf), "configure");
	TEST_ASSERT_SUCCESS(rte_emudev_start(vf.edev), "start");
	TEST_ASSERT_SUCCESS(next_event(&ev), "link event on consumer start");
	TEST_ASSERT(ev.link_status && ev.link_speed == speed, "link up, 25G");
	TEST_ASSERT(seen.link_up, "consumer saw link up");
	memset(&st, 0, sizeof(st));
	len = sizeof(st);
	{
		struct virtchnl_queue_select s = { .vsi_id = 1 };

		TEST_ASSERT_SUCCESS(vc(VIRTCHNL_OP_GET_STATS, &s, sizeof(s), &st, &len),
				    "GET_STATS");
	}
	TEST_ASSERT(len == 96 && st.rx_bytes == 1234 && st.tx_errors == 5,
		    "stats from the consumer");
	/* ip link set down */
	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_DISABLE_QUEUES, 0xf, 0xf), "DISABLE");
	TEST_ASSERT_EQUAL(seen.enabled_mask, 0, "all queues disabled");
	TEST_ASSERT(!seen.link_up, "link follows the guest's queues");
	TEST_ASSERT_SUCCESS(next_event(&ev), "link down told");
	TEST_ASSERT(!ev.link_status, "link down");
	return 0;
}

static int
test_dpdk_init(void)
{
	struct virtchnl_vf_resource res;
	struct virtchnl_pf_event ev;
	uint8_t msg[128] = { 0 };
	uint64_t hena = 0;
	uint16_t q, len = sizeof(hena);

	TEST_ASSERT_SUCCESS(vf_bring_up(CAPS_DPDK, &res), "VERSION, resources");
	TEST_ASSERT_EQUAL(res.vf_cap_flags, VIRTCHNL_VF_OFFLOAD_L2 | VIRTCHNL_VF_OFFLOAD_VLAN |
			  VIRTCHNL_VF_OFFLOAD_RSS_PF | VIRTCHNL_VF_CAP_ADV_LINK_SPEED,
			  "no WB_ON_ITR, RX_FLEX_DESC, REQ_QUEUES granted");
	next_event(&ev);
	TEST_ASSERT_SUCCESS(vc(VIRTCHNL_OP_SET_RSS_HENA, &hena, sizeof(hena), NULL, NULL),
			    "SET_RSS_HENA(0)");
	TEST_ASSERT_SUCCESS(vc(VIRTCHNL_OP_GET_RSS_HENA_CAPS, NULL, 0, &hena, &len),
			    "GET_RSS_HENA_CAPS");
	TEST_ASSERT(len == 8 && (hena & RTE_BIT64(33)), "IPv4 TCP hashing");
	/* Alarm mode: ICR01.ADMINQ set on each ARQ post, read-to-clear. */
	rd(IAVF_VFINT_ICR01);
	vc_send(VIRTCHNL_OP_GET_STATS, &(struct virtchnl_queue_select){ .vsi_id = 1 }, 12);
	TEST_ASSERT(rd(IAVF_VFINT_ICR01) & IAVF_VFINT_ICR01_ADMINQ_MASK, "ADMINQ cause");
	TEST_ASSERT_EQUAL(rd(IAVF_VFINT_ICR01), 0, "read-to-clear");
	next_event(&ev); /* drains the GET_STATS reply */
	/* dev_start: Rx queues on vector 0, one ENABLE_QUEUES per queue. */
	msg[0] = 1;
	{
		struct virtchnl_vector_map m = { .vsi_id = 1, .vector_id = 0,
			.rxq_map = 0xf, .rxitr_idx = 3 };
		memcpy(msg + 2, &m, sizeof(m));
	}
	TEST_ASSERT_SUCCESS(vc_config_queues(NQP, NULL), "CONFIG_VSI_QUEUES");
	TEST_ASSERT_SUCCESS(vc(VIRTCHNL_OP_CONFIG_IRQ_MAP, msg, 2 + 12 * 2, NULL, NULL),
			    "Rx queues on vector 0");
	for (q = 0; q < NQP; q++) {
		TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 0, 1 << q), "tx");
		TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 1 << q, 0), "rx");
	}
	TEST_ASSERT_EQUAL(seen.enabled_mask, 0xff, "all enabled");
	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_DISABLE_QUEUES, 0xf, 0xf),
			    "dev_stop disables all at once");
	TEST_ASSERT_EQUAL(seen.enabled_mask, 0, "all disabled");
	/* dev_close: promiscuous off, RESET_VF, then the AQ shuts down. */
	msg[0] = 1; msg[1] = 0; msg[2] = 0; msg[3] = 0;
	TEST_ASSERT_SUCCESS(vc(VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE, msg, 4, NULL, NULL),
			    "promisc off");
	TEST_ASSERT(vc_send(VIRTCHNL_OP_RESET_VF, NULL, 0) == false,
		    "RESET_VF completes nothing: the queue is reset");
	TEST_ASSERT_EQUAL(rd(IAVF_VF_ARQLEN1), 0, "ARQLEN.ENABLE reads 0");
	TEST_ASSERT_EQUAL(rd(IAVF_VFGEN_RSTAT), IAVF_RSTAT_VFACTIVE, "VF active again");
	return 0;
}

static int
test_reset_states(void)
{
	struct virtchnl_vf_resource res;
	struct rte_emudev_conf conf = { .stats_get = consumer_stats };
	struct rte_emudev_q_info qi;
	struct virtchnl_pf_event ev;
	uint16_t len;

	/* Before any mailbox: DEVICE_RESET */
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_reset(vf.c), "DEVICE_RESET");
	TEST_ASSERT_EQUAL(rd(IAVF_VFGEN_RSTAT), IAVF_RSTAT_VFACTIVE, "active");
	cfg_write16(0x04, 0x0006);
	/* After VERSION only: the version survives RESET_VF. */
	aq_init(AQ_LEN - 1);
	TEST_ASSERT_SUCCESS(vc_version_ok(), "VERSION");
	vc_send(VIRTCHNL_OP_RESET_VF, NULL, 0);
	TEST_ASSERT(rd(IAVF_VF_ARQLEN1) == 0 && rd(IAVF_VF_ATQLEN1) == 0 &&
		    rd(IAVF_VFGEN_RSTAT) == IAVF_RSTAT_VFACTIVE, "reset handshake");
	aq_init(AQ_LEN - 1);
	TEST_ASSERT_SUCCESS(vc_resources(CAPS_LINUX, &res),
			    "GET_VF_RESOURCES without VERSION after RESET_VF");
	/* With queues enabled and a started consumer. */
	TEST_ASSERT_SUCCESS(rte_emudev_configure(vf.edev, &conf), "configure");
	TEST_ASSERT_SUCCESS(rte_emudev_start(vf.edev), "start");
	TEST_ASSERT_SUCCESS(vc_config_queues(NQP, NULL), "config");
	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 0x3, 0x3), "enable");
	TEST_ASSERT(seen.link_up && seen.enabled_mask == 0xf, "running");
	seen.resets = 0;
	vc_send(VIRTCHNL_OP_RESET_VF, NULL, 0);
	TEST_ASSERT(seen.resets == 1 && seen.enabled_mask == 0 && !seen.link_up,
		    "reset told to the consumer, queues off, link down");
	TEST_ASSERT_SUCCESS(rte_emudev_get_queue_info(vf.edev, 0, &qi), "info");
	TEST_ASSERT(!qi.enabled && qi.size == 0, "queue configuration forgotten");
	/* RESET_VF twice in a row, with no mailbox in between. */
	aq_init(AQ_LEN - 1);
	vc_send(VIRTCHNL_OP_RESET_VF, NULL, 0);
	TEST_ASSERT(vc_send(VIRTCHNL_OP_RESET_VF, NULL, 0) == false, "no mailbox");
	TEST_ASSERT_EQUAL(rd(IAVF_VFGEN_RSTAT), IAVF_RSTAT_VFACTIVE, "still active");
	/* DEVICE_RESET forgets the version. */
	aq_init(AQ_LEN - 1);
	TEST_ASSERT_SUCCESS(vc_resources(CAPS_LINUX, &res), "resources");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_reset(vf.c), "DEVICE_RESET");
	cfg_write16(0x04, 0x0006);
	aq_init(AQ_LEN - 1);
	len = sizeof(res);
	TEST_ASSERT_EQUAL(vc(VIRTCHNL_OP_GET_VF_RESOURCES, &(uint32_t){ CAPS_LINUX }, 4,
			&res, &len), VIRTCHNL_STATUS_ERR_PARAM, "VERSION needed again");
	TEST_ASSERT_SUCCESS(vc_version_ok(), "VERSION");
	TEST_ASSERT_SUCCESS(vc_resources(CAPS_LINUX, &res), "resources");
	next_event(&ev);
	/* Bus mastering off resets the VF, and stops the mailbox. */
	TEST_ASSERT_SUCCESS(vc_config_queues(NQP, NULL), "config");
	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 0x1, 0x1), "enable");
	cfg_write16(0x04, 0x0002);
	TEST_ASSERT(seen.enabled_mask == 0 && rd(IAVF_VF_ARQLEN1) == 0,
		    "BME off: queues and mailbox stopped");
	aq_init(AQ_LEN - 1);
	TEST_ASSERT(!vc_send(VIRTCHNL_OP_VERSION, &(struct virtchnl_version_info){ 1, 1 }, 8),
		    "no DMA without bus mastering");
	TEST_ASSERT(vf.dev->err.aq_no_bme > 0, "counted");
	TEST_ASSERT(vf.dev->vf_resets >= 5 && vf.dev->device_resets >= 2,
		    "every reset counted");
	return 0;
}

/* Hostile virtchnl payloads: each gets an error status, none changes
 * state, and the device works afterwards. */
static void tw_qid(struct virtchnl_queue_pair_info *qp) { qp->rxq.queue_id = 1; }
static void tw_qid_big(struct virtchnl_queue_pair_info *qp) { qp->txq.queue_id = qp->rxq.queue_id = NQP; }
static void tw_ring_len(struct virtchnl_queue_pair_info *qp) { qp->txq.ring_len = 33; }
static void tw_ring_len_max(struct virtchnl_queue_pair_info *qp) { qp->rxq.ring_len = 8192; }
static void tw_ring_out(struct virtchnl_queue_pair_info *qp) { qp->txq.dma_ring_addr = 0x40000000; }
static void tw_ring_span(struct virtchnl_queue_pair_info *qp) { qp->rxq.dma_ring_addr = iova(MEM_SIZE - 4096); }
static void tw_ring_align(struct virtchnl_queue_pair_info *qp) { qp->txq.dma_ring_addr += 8; }
static void tw_ring_wrap(struct virtchnl_queue_pair_info *qp) { qp->rxq.dma_ring_addr = UINT64_MAX - 127; }
static void tw_buf_small(struct virtchnl_queue_pair_info *qp) { qp->rxq.databuffer_size = 512; }
static void tw_pkt_big(struct virtchnl_queue_pair_info *qp) { qp->rxq.max_pkt_size = 20000; }
static void tw_headwb(struct virtchnl_queue_pair_info *qp) { qp->txq.headwb_enabled = 1; }
static void tw_crc(struct virtchnl_queue_pair_info *qp) { qp->rxq.crc_disable = 1; }
static void tw_rxdid(struct virtchnl_queue_pair_info *qp) { qp->rxq.rxdid = 22; }
static void tw_vsi(struct virtchnl_queue_pair_info *qp) { qp->txq.vsi_id = 9; }

/* A message the device must refuse: bytes set over zeros, and its size. */
struct vc_case {
	const char *what;
	uint32_t op;
	uint16_t len;
	int32_t status;
	struct {
		uint16_t off;
		uint8_t val;
	} set[8];
};

#define VSI1 { 0, 1 } /* vsi_id (or count) 1 at offset 0 */

/* Before VERSION. */
static const struct vc_case vc_unversioned[] = {
	{ "before VERSION", VIRTCHNL_OP_GET_VF_RESOURCES, 4,
	  VIRTCHNL_STATUS_ERR_PARAM, { { 0, 0 } } },
	{ "major 2", VIRTCHNL_OP_VERSION, 8, VIRTCHNL_STATUS_ERR_PARAM, { { 0, 2 } } },
	{ "short VERSION", VIRTCHNL_OP_VERSION, 4, VIRTCHNL_STATUS_ERR_PARAM, { { 0, 0 } } },
};

/* With only L2 granted: what was not asked for is refused. */
static const struct vc_case vc_not_granted[] = {
	{ "VLAN not granted", VIRTCHNL_OP_ADD_VLAN, 8,
	  VIRTCHNL_STATUS_ERR_NOT_SUPPORTED, { VSI1 } },
	{ "RSS not granted", VIRTCHNL_OP_CONFIG_RSS_KEY, 60,
	  VIRTCHNL_STATUS_ERR_NOT_SUPPORTED, { VSI1 } },
	{ "unknown op", 99, 16, VIRTCHNL_STATUS_ERR_NOT_SUPPORTED, { VSI1 } },
	{ "legacy op", VIRTCHNL_OP_CONFIG_TX_QUEUE, 16,
	  VIRTCHNL_STATUS_ERR_NOT_SUPPORTED, { VSI1 } },
	{ "huge op", 0x7fffffff, 0, VIRTCHNL_STATUS_ERR_NOT_SUPPORTED, { VSI1 } },
};

/* With the queues configured; none may be enabled after these. */
static const struct vc_case vc_configured[] = {
	{ "short CONFIG_VSI_QUEUES (2 pairs announced, none present)",
	  VIRTCHNL_OP_CONFIG_VSI_QUEUES, 8 + 64, VIRTCHNL_STATUS_ERR_PARAM,
	  { VSI1, { 2, 2 } } },
	{ "no queue", VIRTCHNL_OP_ENABLE_QUEUES, 12, VIRTCHNL_STATUS_ERR_PARAM,
	  { VSI1 } },
	{ "queue out of range", VIRTCHNL_OP_ENABLE_QUEUES, 12,
	  VIRTCHNL_STATUS_ERR_PARAM, { VSI1, { 4, 1 << NQP } } },
	{ "bad VSI", VIRTCHNL_OP_ENABLE_QUEUES, 12, VIRTCHNL_STATUS_ERR_PARAM,
	  { { 0, 3 }, { 4, 1 } } },
	{ "short ENABLE_QUEUES", VIRTCHNL_OP_ENABLE_QUEUES, 6,
	  VIRTCHNL_STATUS_ERR_PARAM, { VSI1 } },
	{ "disable out of range", VIRTCHNL_OP_DISABLE_QUEUES, 12,
	  VIRTCHNL_STATUS_ERR_PARAM, { VSI1, { 11, 0x80 } } },
	/* CONFIG_IRQ_MAP: a count, then 12-byte vector maps. */
	{ "vector beyond the device's", VIRTCHNL_OP_CONFIG_IRQ_MAP, 26,
	  VIRTCHNL_STATUS_ERR_PARAM, { VSI1, { 2, 1 }, { 4, NVEC } } },
	{ "Rx queue beyond the device's", VIRTCHNL_OP_CONFIG_IRQ_MAP, 26,
	  VIRTCHNL_STATUS_ERR_PARAM, { VSI1, { 2, 1 }, { 4, 1 }, { 6, 1 << NQP } } },
	{ "ITR index 4", VIRTCHNL_OP_CONFIG_IRQ_MAP, 26, VIRTCHNL_STATUS_ERR_PARAM,
	  { VSI1, { 2, 1 }, { 4, 1 }, { 12, 4 } } },
	{ "vector map of VSI 2", VIRTCHNL_OP_CONFIG_IRQ_MAP, 26,
	  VIRTCHNL_STATUS_ERR_PARAM, { VSI1, { 2, 2 }, { 4, 1 } } },
	{ "too many vectors", VIRTCHNL_OP_CONFIG_IRQ_MAP, 2 + 12 * 7,
	  VIRTCHNL_STATUS_ERR_PARAM, { { 0, NVEC + 1 } } },
	{ "short map", VIRTCHNL_OP_CONFIG_IRQ_MAP, 14, VIRTCHNL_STATUS_ERR_PARAM,
	  { { 0, 3 } } },
	/* Address lists: a VSI, a count, then 8-byte entries. */
	{ "zero MAC", VIRTCHNL_OP_ADD_ETH_ADDR, 12, VIRTCHNL_STATUS_ERR_PARAM,
	  { VSI1, { 2, 1 } } },
	{ "3 MACs announced, 1 present", VIRTCHNL_OP_ADD_ETH_ADDR, 12,
	  VIRTCHNL_STATUS_ERR_PARAM, { VSI1, { 2, 3 }, { 4, 2 }, { 9, 1 } } },
	{ "VLAN id 4096", VIRTCHNL_OP_ADD_VLAN, 8, VIRTCHNL_STATUS_ERR_PARAM,
	  { VSI1, { 2, 1 }, { 5, 0x10 } } },
	{ "unknown promiscuous flag", VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE, 4,
	  VIRTCHNL_STATUS_ERR_PARAM, { VSI1, { 2, 4 } } },
	{ "key length 40", VIRTCHNL_OP_CONFIG_RSS_KEY, 45,
	  VIRTCHNL_STATUS_ERR_PARAM, { VSI1, { 2, 40 } } },
	{ "key shorter than announced", VIRTCHNL_OP_CONFIG_RSS_KEY, 20,
	  VIRTCHNL_STATUS_ERR_PARAM, { VSI1, { 2, 52 } } },
	{ "LUT entry beyond the queues", VIRTCHNL_OP_CONFIG_RSS_LUT, 69,
	  VIRTCHNL_STATUS_ERR_PARAM, { VSI1, { 2, 64 }, { 14, NQP } } },
	{ "unknown hash type", VIRTCHNL_OP_SET_RSS_HENA, 8,
	  VIRTCHNL_STATUS_ERR_PARAM, { { 0, 1 } } },
	{ "XOR hash", VIRTCHNL_OP_CONFIG_RSS_HFUNC, 8,
	  VIRTCHNL_STATUS_ERR_NOT_SUPPORTED, { VSI1, { 2, 3 } } },
	{ "short GET_STATS", VIRTCHNL_OP_GET_STATS, 4, VIRTCHNL_STATUS_ERR_PARAM,
	  { VSI1 } },
};

static int
vc_cases(const struct vc_case *c, unsigned int n)
{
	uint8_t m[256];
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		memset(m, 0, sizeof(m));
		for (k = 0; k < RTE_DIM(c[i].set); k++)
			m[c[i].set[k].off] |= c[i].set[k].val;
		TEST_ASSERT_EQUAL(vc(c[i].op, m, c[i].len, NULL, NULL),
				  c[i].status, "%s", c[i].what);
	}
	return 0;
}

/* ADD_ETH_ADDR with one filter more than the device holds. */
static int32_t
add_too_many_macs(void)
{
	uint8_t m[4 + 8 * (IAVF_MAX_MACS + 1)] = { 1, 0, IAVF_MAX_MACS + 1 };
	unsigned int i;

	for (i = 0; i <= IAVF_MAX_MACS; i++) {
		m[4 + 8 * i] = 0x02;
		m[4 + 8 * i + 5] = i + 1;
	}
	return vc(VIRTCHNL_OP_ADD_ETH_ADDR, m, sizeof(m), NULL, NULL);
}

static int
test_virtchnl_invalid(void)
{
	void (*const tweaks[])(struct virtchnl_queue_pair_info *) = {
		tw_qid, tw_qid_big, tw_ring_len, tw_ring_len_max, tw_ring_out,
		tw_ring_span, tw_ring_align, tw_ring_wrap, tw_buf_small,
		tw_pkt_big, tw_headwb, tw_crc, tw_rxdid, tw_vsi,
	};
	struct virtchnl_vf_resource res;
	struct virtchnl_pf_event ev;
	uint64_t bad_before;
	unsigned int i;

	aq_init(AQ_LEN - 1);
	TEST_ASSERT_SUCCESS(vc_cases(vc_unversioned, RTE_DIM(vc_unversioned)),
			    "before VERSION");
	TEST_ASSERT_SUCCESS(vc_version_ok(), "VERSION");
	TEST_ASSERT_SUCCESS(vc_resources(VIRTCHNL_VF_OFFLOAD_L2, &res), "resources");
	next_event(&ev);
	TEST_ASSERT_EQUAL(res.vf_cap_flags, VIRTCHNL_VF_OFFLOAD_L2, "only L2");
	TEST_ASSERT_SUCCESS(vc_cases(vc_not_granted, RTE_DIM(vc_not_granted)),
			    "not granted");
	TEST_ASSERT_SUCCESS(vc_resources(CAPS_LINUX, &res), "resources again");
	next_event(&ev);
	for (i = 0; i < RTE_DIM(tweaks); i++)
		TEST_ASSERT_EQUAL(vc_config_queues(NQP, tweaks[i]),
				  VIRTCHNL_STATUS_ERR_PARAM, "queue tweak %u", i);
	TEST_ASSERT_EQUAL(vc_config_queues(0, NULL), VIRTCHNL_STATUS_ERR_PARAM,
			  "0 pairs");
	TEST_ASSERT_EQUAL(vc_config_queues(NQP + 1, NULL),
			  VIRTCHNL_STATUS_ERR_PARAM, "too many pairs");
	TEST_ASSERT(!vf.dev->txq[0].configured, "nothing applied");
	TEST_ASSERT_EQUAL(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 0x1, 0),
			  VIRTCHNL_STATUS_ERR_PARAM, "unconfigured queue");
	TEST_ASSERT_SUCCESS(vc_config_queues(NQP, NULL), "config");
	TEST_ASSERT_SUCCESS(vc_cases(vc_configured, RTE_DIM(vc_configured)),
			    "configured");
	TEST_ASSERT_EQUAL(add_too_many_macs(), VIRTCHNL_STATUS_ERR_NO_MEMORY,
			  "too many filters");
	TEST_ASSERT_EQUAL(vf.dev->net.nb_macs, 0, "no filter added");
	TEST_ASSERT_EQUAL(seen.enabled_mask, 0, "nothing enabled");
	/* Counted, and the device still works. */
	bad_before = vf.dev->err.vc_bad_msg;
	TEST_ASSERT(bad_before >= 35, "rejections counted (%" PRIu64 ")", bad_before);
	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 0xf, 0xf), "enable");
	TEST_ASSERT_EQUAL(seen.enabled_mask, 0xff, "enabled");
	TEST_ASSERT_EQUAL(vf.dev->err.vc_bad_msg, bad_before, "no new rejection");
	return 0;
}

static int
test_arq_full(void)
{
	const struct virtchnl_queue_select s = { .vsi_id = 1 };
	uint32_t op;
	int32_t status;
	int i, got = 0;

	aq_init(AQ_LEN - 1);
	TEST_ASSERT_SUCCESS(vc_version_ok(), "VERSION");
	/* 31 replies fill the ARQ; 10 more wait in the device. */
	for (i = 0; i < AQ_LEN - 1 + 10; i++)
		TEST_ASSERT(vc_send(i % 2 ? VIRTCHNL_OP_GET_STATS : VIRTCHNL_OP_VERSION,
				i % 2 ? (const void *)&s : (const void *)&(struct virtchnl_version_info){ 1, 1 },
				i % 2 ? 12 : 8), "send %d", i);
	TEST_ASSERT_EQUAL(vf.dev->backlog_count, 10, "backlog");
	while (vc_recv(&op, &status, NULL, NULL)) {
		TEST_ASSERT_EQUAL(op, got % 2 ? VIRTCHNL_OP_GET_STATS : VIRTCHNL_OP_VERSION,
				  "reply %d in order", got);
		got++;
	}
	TEST_ASSERT_EQUAL(got, AQ_LEN - 1 + 10, "every reply delivered");
	/* A driver that stops reading: the backlog is bounded. */
	for (i = 0; i < AQ_LEN - 1 + IAVF_ARQ_BACKLOG + 5; i++)
		vc_send(VIRTCHNL_OP_GET_STATS, &s, 12);
	TEST_ASSERT_EQUAL(vf.dev->err.arq_overflow, 5, "5 dropped");
	TEST_ASSERT_EQUAL(rd(IAVF_VFGEN_RSTAT), IAVF_RSTAT_VFACTIVE, "still fine");
	return 0;
}

static int
test_bar0_every_offset(void)
{
	struct virtchnl_vf_resource res;
	uint64_t unknown;
	uint32_t off, v;
	uint8_t b = 0xff;
	uint16_t h = 0xffff;

	for (off = 0; off < IAVF_BAR0_SIZE; off += 4) {
		if (off == IAVF_VFINT_ICR01)
			continue;
		v = 0xdeadbeef;
		TEST_ASSERT_SUCCESS(rte_vfio_user_client_region_read(vf.c,
				RTE_VFIO_USER_PCI_BAR0, off, &v, 4),
				"read %#x", off);
		TEST_ASSERT(v != 0xdeadbeef && v != 0xffffffff, "value at %#x", off);
	}
	unknown = vf.dev->err.reg_unknown_rd;
	TEST_ASSERT(unknown > 20000, "unknown reads counted");
	/* Odd sizes and alignments never fail. */
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_region_read(vf.c,
			RTE_VFIO_USER_PCI_BAR0, IAVF_VFGEN_RSTAT + 1, &b, 1), "byte read");
	TEST_ASSERT_EQUAL(b, 0, "reads as 0");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_region_write(vf.c,
			RTE_VFIO_USER_PCI_BAR0, IAVF_VF_ATQLEN1 + 2, &h, 2, false),
			"half write");
	TEST_ASSERT_EQUAL(rd(IAVF_VF_ATQLEN1), 0, "ignored");
	TEST_ASSERT(vf.dev->err.reg_bad_access == 2, "counted");
	/* Garbage everywhere, then a reset brings the device back. */
	for (off = 0; off < IAVF_BAR0_SIZE; off += 4)
		rte_vfio_user_client_region_write(vf.c, RTE_VFIO_USER_PCI_BAR0,
				off, &(uint32_t){ 0xffffffff }, 4, true);
	TEST_ASSERT_EQUAL(rd(IAVF_VFGEN_RSTAT), IAVF_RSTAT_VFACTIVE, "survived");
	TEST_ASSERT_EQUAL(rd(IAVF_QTX_TAIL1(3)), 0xffffffff,
			  "tail page writes land in shared memory");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_reset(vf.c), "reset");
	cfg_write16(0x04, 0x0006);
	TEST_ASSERT_EQUAL(rd(IAVF_QTX_TAIL1(3)), 0, "tails cleared by reset");
	TEST_ASSERT_SUCCESS(vf_bring_up(CAPS_LINUX, &res), "works again");
	return 0;
}

static int
test_interrupts(void)
{
	struct virtchnl_pf_event ev;
	unsigned int v;

	aq_init(AQ_LEN - 1);
	for (v = 0; v < NVEC; v++)
		irqs(v);
	/* Vector 0 off: ADMINQ is still flagged in ICR01. */
	TEST_ASSERT_SUCCESS(vc_version_ok(), "VERSION");
	TEST_ASSERT_EQUAL(irqs(0), 0, "no interrupt while disabled");
	wr(IAVF_VFINT_ICR0_ENA1, IAVF_VFINT_ICR01_ADMINQ_MASK);
	wr(IAVF_VFINT_DYN_CTL01, IAVF_VFINT_DYN_CTLN1_INTENA_MASK | (3 << 3));
	TEST_ASSERT_EQUAL(irqs(0), 1, "pending cause fires on enable");
	TEST_ASSERT_SUCCESS(vc_resources(CAPS_LINUX, &(struct virtchnl_vf_resource){ 0 }),
			    "resources");
	TEST_ASSERT_EQUAL(irqs(0), 0, "auto-masked after firing");
	wr(IAVF_VFINT_DYN_CTL01, IAVF_VFINT_DYN_CTLN1_INTENA_MASK | (3 << 3));
	TEST_ASSERT_EQUAL(irqs(0), 1, "fires again once re-enabled");
	next_event(&ev);
	wr(IAVF_VFINT_DYN_CTL01, IAVF_VFINT_DYN_CTLN1_INTENA_MASK);
	/* Queue vectors, as the data path raises them. */
	TEST_ASSERT_SUCCESS(rte_emudev_irq_raise(vf.edev, 2), "raise masked");
	TEST_ASSERT_EQUAL(irqs(2), 0, "INTENA off");
	wr(IAVF_VFINT_DYN_CTLN1(1), IAVF_VFINT_DYN_CTLN1_INTENA_MASK);
	TEST_ASSERT_EQUAL(irqs(2), 1, "pending delivered on enable");
	TEST_ASSERT_SUCCESS(rte_emudev_irq_raise(vf.edev, 2), "raise");
	TEST_ASSERT_EQUAL(irqs(2), 0, "masked after firing");
	wr(IAVF_VFINT_DYN_CTLN1(1), IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK);
	wr(IAVF_VFINT_DYN_CTLN1(1), IAVF_VFINT_DYN_CTLN1_INTENA_MASK);
	TEST_ASSERT_EQUAL(irqs(2), 0, "CLEARPBA dropped the pending one");
	wr(IAVF_VFINT_DYN_CTLN1(1), IAVF_VFINT_DYN_CTLN1_INTENA_MASK | IAVF_VFINT_DYN_CTLN1_SWINT_TRIG_MASK);
	TEST_ASSERT_EQUAL(irqs(2), 1, "SWINT_TRIG");
	/* Linux's re-enable at the end of a poll: INTENA with CLEARPBA. A
	 * raise while masked (a frame after the poll's last look) fires. */
	TEST_ASSERT_SUCCESS(rte_emudev_irq_raise(vf.edev, 2), "raise, masked");
	wr(IAVF_VFINT_DYN_CTLN1(1), IAVF_VFINT_DYN_CTLN1_INTENA_MASK | IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK);
	TEST_ASSERT_EQUAL(irqs(2), 1, "not lost by the re-enable");
	TEST_ASSERT_SUCCESS(rte_emudev_irq_raise(vf.edev, 0), "vector 0");
	TEST_ASSERT_EQUAL(irqs(0), 0, "queues never fire the mailbox vector");
	TEST_ASSERT_EQUAL(rte_emudev_irq_raise(vf.edev, NVEC), -EINVAL, "range");
	TEST_ASSERT_EQUAL(rd(IAVF_VFINT_DYN_CTLN1(1)), 0,
			  "the fire cleared INTENA (auto-mask)");
	wr(IAVF_VFINT_DYN_CTLN1(1), IAVF_VFINT_DYN_CTLN1_INTENA_MASK |
	   IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK | IAVF_ITR_NONE << 3);
	TEST_ASSERT_EQUAL(irqs(2), 0, "nothing pending");
	TEST_ASSERT_EQUAL(rd(IAVF_VFINT_DYN_CTLN1(1)),
			  IAVF_VFINT_DYN_CTLN1_INTENA_MASK | IAVF_ITR_NONE << 3,
			  "DYN_CTLN reads back, trigger bits not kept");
	return 0;
}

static uint64_t
now_us(void)
{
	return rte_get_timer_cycles() * 1000000 / rte_get_timer_hz();
}

/*
 * ITR: a queue vector fires at most once per interval (the shorter of its
 * Rx and Tx ITRs); what comes sooner is delivered when the interval ends.
 */
static int
test_interrupt_throttling(void)
{
	const uint32_t itr = IAVF_ITR_MASK; /* 8190 us */
	const uint32_t keep_itr = IAVF_VFINT_DYN_CTLN1_INTENA_MASK | IAVF_ITR_NONE << 3;
	volatile uint32_t *itrn_tx;
	uint64_t t0, n;

	aq_init(AQ_LEN - 1);
	TEST_ASSERT_SUCCESS(vf_map_tails(), "tail pages");
	itrn_tx = (volatile uint32_t *)((uint8_t *)vf.tails + IAVF_VFINT_ITRN1(1, 0));
	/* Both intervals set through DYN_CTLN, as Linux's adaptive ITR does. */
	wr(IAVF_VFINT_DYN_CTLN1(0), IAVF_VFINT_DYN_CTLN1_INTENA_MASK | 0 << 3 | itr << 5);
	wr(IAVF_VFINT_DYN_CTLN1(0), IAVF_VFINT_DYN_CTLN1_INTENA_MASK | 1 << 3 | itr << 5);
	TEST_ASSERT_EQUAL(*itrn_tx, itr, "DYN_CTLN updates ITRN");
	irqs(1);
	t0 = now_us();
	TEST_ASSERT_SUCCESS(rte_emudev_irq_raise(vf.edev, 1), "raise");
	TEST_ASSERT_EQUAL(irqs_within_200ms(1), 1, "the first one at once");
	wr(IAVF_VFINT_DYN_CTLN1(0), keep_itr);
	TEST_ASSERT_SUCCESS(rte_emudev_irq_raise(vf.edev, 1), "raise again");
	/* Delivery is the control thread's: give a wrong one time to show. */
	usleep(1000);
	n = irqs(1);
	if (now_us() - t0 < itr / 2)
		TEST_ASSERT_EQUAL(n, 0, "held within the interval");
	if (n == 0)
		n = irqs_within_200ms(1);
	TEST_ASSERT_EQUAL(n, 1, "delivered when the interval ends");
	/* ITRN written in the mmapped page, as Linux sets it up: Tx 0. */
	*itrn_tx = 0;
	wr(IAVF_VFINT_DYN_CTLN1(0), keep_itr);
	TEST_ASSERT_SUCCESS(rte_emudev_irq_raise(vf.edev, 1), "raise");
	TEST_ASSERT_EQUAL(irqs_within_200ms(1), 1,
			  "no throttling when an interval is 0");
	/* Masked: nothing is scheduled, nothing fires. */
	*itrn_tx = itr;
	TEST_ASSERT_SUCCESS(rte_emudev_irq_raise(vf.edev, 1), "raise masked");
	TEST_ASSERT_EQUAL(irqs_within_200ms(1), 0, "masked stays masked");
	return 0;
}

/*
 * DYN_CTLN in the mmapped page, as a guest writes it without a trap: the
 * device sees a store only when it looks, and must neither lose a raise
 * nor overwrite the guest's store with its auto-mask.
 */
static int
test_shadow_interrupts(void)
{
	const uint32_t on = IAVF_VFINT_DYN_CTLN1_INTENA_MASK |
		IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK | IAVF_ITR_NONE << 3;
	volatile uint32_t *ctl;

	aq_init(AQ_LEN - 1);
	TEST_ASSERT_SUCCESS(vf_map_tails(), "shared pages");
	ctl = vf_dyn_ctln(2);
	irqs(2);
	/* Enabled in the shadow: a raise fires at once, and masks. */
	*ctl = on;
	TEST_ASSERT_SUCCESS(rte_emudev_irq_raise(vf.edev, 2), "raise");
	/* Interrupts from the data path reach the eventfd through the
	 * device's thread: wait for them. */
	TEST_ASSERT_EQUAL(irqs_within_200ms(2), 1, "fires");
	TEST_ASSERT_EQUAL(*ctl & IAVF_VFINT_DYN_CTLN1_INTENA_MASK, 0,
			  "auto-masked in the shadow");
	TEST_ASSERT_EQUAL(*ctl & IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK, 0,
			  "trigger bits cleared with it");
	/* A raise while masked waits; the guest's re-enable (a store the
	 * device is not told of) delivers it. */
	TEST_ASSERT_SUCCESS(rte_emudev_irq_raise(vf.edev, 2), "raise masked");
	usleep(20 * 1000);
	TEST_ASSERT_EQUAL(irqs(2), 0, "masked: nothing");
	*ctl = on;
	TEST_ASSERT_EQUAL(irqs_within_200ms(2), 1, "re-enable seen, delivered");
	/* Re-enabled with nothing pending: no interrupt, INTENA stays. */
	*ctl = on;
	usleep(20 * 1000);
	TEST_ASSERT_EQUAL(irqs(2), 0, "nothing pending, nothing fires");
	TEST_ASSERT(*ctl & IAVF_VFINT_DYN_CTLN1_INTENA_MASK, "INTENA stays");
	/* SWINT_TRIG stored in the shadow, no raise: found by the scan. */
	*ctl = on | IAVF_VFINT_DYN_CTLN1_SWINT_TRIG_MASK;
	TEST_ASSERT_EQUAL(irqs_within_200ms(2), 1, "SWINT_TRIG");
	TEST_ASSERT_EQUAL(*ctl & IAVF_VFINT_DYN_CTLN1_SWINT_TRIG_MASK, 0,
			  "SWINT_TRIG consumed");
	/* A store in the shadow never drops a pending raise. */
	TEST_ASSERT_SUCCESS(rte_emudev_irq_raise(vf.edev, 2), "raise masked");
	*ctl = IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK;
	usleep(20 * 1000);
	*ctl = on;
	TEST_ASSERT_EQUAL(irqs_within_200ms(2), 1, "kept through CLEARPBA");
	/* An ITR stored with the re-enable holds the next fire back. */
	*ctl = IAVF_VFINT_DYN_CTLN1_INTENA_MASK | 0 << 3 | IAVF_ITR_MASK << 5;
	TEST_ASSERT_SUCCESS(rte_emudev_irq_raise(vf.edev, 2), "raise");
	TEST_ASSERT_EQUAL(*(volatile uint32_t *)((uint8_t *)vf.tails +
			IAVF_VFINT_ITRN1(0, 1)), IAVF_ITR_MASK, "ITR applied");
	return 0;
}

/*
 * A guest that stores DYN_CTLN in the shadow without pause, INTENA with a
 * sequence number in the (unused, ITR_NONE) interval field, and takes the
 * interrupts as they come. The device may only clear INTENA and the
 * trigger bits: a store of its that brought back an older number would
 * have overwritten one of the guest's.
 */
struct shadow_guest {
	volatile bool stop;
	uint64_t irqs;
	uint64_t last_irq_tsc;
	uint64_t stores, overwritten;
};

static uint32_t
shadow_store(uint32_t seq)
{
	return IAVF_VFINT_DYN_CTLN1_INTENA_MASK | IAVF_ITR_NONE << 3 |
		(seq & IAVF_ITR_MASK) << 5;
}

static void *
shadow_guest_run(void *arg)
{
	struct shadow_guest *g = arg;
	volatile uint32_t *ctl = vf_dyn_ctln(2);
	uint32_t seq = 0;
	uint64_t n;

	/* Stores and raises meet for real, not by turns on one CPU. */
	test_thread_other_cpu(pthread_self());
	*ctl = shadow_store(seq);
	while (!g->stop) {
		if (IAVF_DYN_INTERVAL(*ctl) != (seq & IAVF_ITR_MASK))
			g->overwritten++;
		*ctl = shadow_store(++seq);
		g->stores++;
		if (read(vf.ev[2], &n, sizeof(n)) == sizeof(n)) {
			g->irqs += n;
			__atomic_store_n(&g->last_irq_tsc, rte_get_timer_cycles(),
					 __ATOMIC_RELEASE);
		}
	}
	return NULL;
}

/*
 * Every order of the guest's stores and the device's raises and
 * auto-masks, by running both flat out: the data path raising (on this
 * thread), the guest storing and taking interrupts (on another). No store
 * of the guest's is overwritten, no raise is lost (after the last one an
 * interrupt comes), and a raise that waits for INTENA is looked at again
 * by the device's poll rather than left to the slow scan.
 */
static int
test_shadow_interrupt_races(void)
{
	struct shadow_guest g = { .stop = false };
	uint64_t raises = 0, last_raise, t_end, polls;
	pthread_t th;
	int fl, i;

	aq_init(AQ_LEN - 1);
	TEST_ASSERT_SUCCESS(vf_map_tails(), "shared pages");
	irqs(2);
	fl = fcntl(vf.ev[2], F_GETFL);
	TEST_ASSERT(fl >= 0 && fcntl(vf.ev[2], F_SETFL, fl | O_NONBLOCK) == 0,
		    "eventfd");
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, shadow_guest_run, &g),
			    "guest thread");
	t_end = rte_get_timer_cycles() + rte_get_timer_hz() / 2;
	while (rte_get_timer_cycles() < t_end) {
		rte_emudev_irq_raise(vf.edev, 2);
		raises++;
		for (i = rte_rand() % 2000; i > 0; i--)
			rte_pause();
	}
	last_raise = rte_get_timer_cycles();
	rte_emudev_irq_raise(vf.edev, 2);
	/* A second: the machine may be busy; a lost raise never comes. */
	for (i = 0; i < 1000 && __atomic_load_n(&g.last_irq_tsc,
			__ATOMIC_ACQUIRE) < last_raise; i++)
		usleep(1000);
	g.stop = true;
	pthread_join(th, NULL);
	printf("emu_iavf: %" PRIu64 " raises, %" PRIu64 " interrupts, %" PRIu64
	       " guest stores, %" PRIu64 " overwritten\n", raises + 1, g.irqs,
	       g.stores, g.overwritten);
	if (g.last_irq_tsc < last_raise)
		printf("emu_iavf: the last raise is not delivered: pending %u, "
		       "DYN_CTLN 0x%x, waiting 0x%x, poll armed %u, polls %u\n",
		       atomic_load(&vf.dev->vec[2].pending), *vf_dyn_ctln(2),
		       atomic_load(&vf.dev->irq_waiting),
		       atomic_load(&vf.dev->shadow_poll_armed),
		       (unsigned int)atomic_load(&vf.dev->shadow_polls));
	TEST_ASSERT_EQUAL(g.overwritten, 0, "no store of the guest's lost");
	TEST_ASSERT(g.last_irq_tsc >= last_raise, "the last raise delivered");
	TEST_ASSERT(g.irqs > 0 && g.irqs <= raises + 1,
		    "at most one interrupt per raise");
	/* Interrupts of the race still on their way (the device's thread
	 * delivers them) are not the next checks'. */
	usleep(50 * 1000);
	irqs(2);
	/* Masked, raised, then enabled by a store: the poll delivers. */
	polls = atomic_load(&vf.dev->shadow_polls);
	*vf_dyn_ctln(2) = 0;
	rte_emudev_irq_raise(vf.edev, 2);
	*vf_dyn_ctln(2) = shadow_store(0);
	TEST_ASSERT_EQUAL(irqs_within_200ms(2), 1, "delivered after enable");
	/* The scan may have been first on a busy machine; the poll runs. */
	for (i = 0; i < 200 && atomic_load(&vf.dev->shadow_polls) == polls; i++)
		usleep(1000);
	TEST_ASSERT(atomic_load(&vf.dev->shadow_polls) > polls,
		    "a masked raise arms the poll");
	/* And by a consumer's rte_emudev_irq_poll(). */
	*vf_dyn_ctln(2) = 0;
	rte_emudev_irq_raise(vf.edev, 2);
	TEST_ASSERT(atomic_load(&vf.dev->irq_waiting) & RTE_BIT32(2),
		    "the raise waits");
	*vf_dyn_ctln(2) = shadow_store(0);
	rte_emudev_irq_poll(vf.edev);
	TEST_ASSERT_EQUAL(irqs_within_200ms(2), 1, "delivered");
	TEST_ASSERT_EQUAL(atomic_load(&vf.dev->irq_waiting) & RTE_BIT32(2), 0,
			  "no longer waits");
	return 0;
}

static int
test_mailbox_dma(void)
{
	struct iavf_aq_desc *d;

	/* An ATQ outside guest memory: the head stays, nothing breaks. */
	aq_init(AQ_LEN - 1);
	wr(IAVF_VF_ATQBAL1, 0x40000000);
	wr(IAVF_VF_ATQT1, 1);
	TEST_ASSERT_EQUAL(rd(IAVF_VF_ATQH1), 0, "head stays");
	TEST_ASSERT(vf.dev->err.aq_dma > 0, "counted");
	/* A message buffer outside memory: the op gets ERR_PARAM. */
	aq_init(AQ_LEN - 1);
	d = desc_at(ATQ_OFF, 0);
	memset(d, 0, sizeof(*d));
	d->opcode = IAVF_AQ_OP_MSG_TO_PF;
	d->flags = IAVF_AQ_FLAG_BUF;
	d->cookie_high = VIRTCHNL_OP_VERSION;
	d->datalen = 8;
	d->addr_high = 0x7fff;
	vf.atq_ntu = 1;
	wr(IAVF_VF_ATQT1, 1);
	TEST_ASSERT_EQUAL(rd(IAVF_VF_ATQH1), 1, "completed");
	{
		uint32_t op;
		int32_t status;

		TEST_ASSERT(vc_recv(&op, &status, NULL, NULL), "reply");
		TEST_ASSERT(op == VIRTCHNL_OP_VERSION && status == VIRTCHNL_STATUS_ERR_PARAM,
			    "ERR_PARAM");
	}
	/* Oversized and foreign descriptors. */
	d = desc_at(ATQ_OFF, 1);
	memset(d, 0, sizeof(*d));
	d->opcode = IAVF_AQ_OP_MSG_TO_PF;
	d->flags = IAVF_AQ_FLAG_BUF;
	d->datalen = 5000;
	d->cookie_high = VIRTCHNL_OP_VERSION;
	d = desc_at(ATQ_OFF, 2);
	memset(d, 0, sizeof(*d));
	d->opcode = 0x0123;
	vf.atq_ntu = 3;
	wr(IAVF_VF_ATQT1, 3);
	TEST_ASSERT_EQUAL(rd(IAVF_VF_ATQH1), 3, "both completed");
	TEST_ASSERT_EQUAL(d->retval, IAVF_AQ_RC_ENOSYS, "unknown AQ opcode");
	TEST_ASSERT_EQUAL(vf.dev->err.aq_bad_desc, 2, "counted");
	/* A tail beyond the ring is ignored. */
	wr(IAVF_VF_ATQT1, AQ_LEN + 5);
	TEST_ASSERT_EQUAL(rd(IAVF_VF_ATQH1), 3, "ignored");
	/* So is a head beyond it: no descriptor is read from past the ring. */
	{
		uint64_t posted = vf.dev->arq_posted;

		wr(IAVF_VF_ATQH1, AQ_LEN + 8);
		vc_send(VIRTCHNL_OP_VERSION, &(struct virtchnl_version_info){ 1, 1 }, 8);
		TEST_ASSERT_EQUAL(rd(IAVF_VF_ATQH1), AQ_LEN + 8, "head beyond the ring");
		TEST_ASSERT_EQUAL(vf.dev->arq_posted, posted, "nothing processed");
	}
	/* An ARQ whose buffers are outside memory: the reply is empty. */
	aq_init(AQ_LEN - 1);
	desc_at(ARQ_OFF, 0)->addr_high = 0x7fff;
	TEST_ASSERT(vc_send(VIRTCHNL_OP_VERSION, &(struct virtchnl_version_info){ 1, 1 }, 8), "sent");
	TEST_ASSERT_EQUAL(desc_at(ARQ_OFF, 0)->datalen, 0, "no payload written");
	return 0;
}

static int
test_memory_changes(void)
{
	int before;

	aq_init(AQ_LEN - 1);
	TEST_ASSERT_SUCCESS(vc_version_ok(), "VERSION");
	TEST_ASSERT_SUCCESS(vc_resources(CAPS_LINUX, &(struct virtchnl_vf_resource){ 0 }),
			    "resources");
	TEST_ASSERT_SUCCESS(vc_config_queues(NQP, NULL), "config");
	before = seen.mem_events;
	/* The rings' memory goes away: enabling them is refused. */
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_unmap(vf.c, MEM_IOVA,
			MEM_SIZE, false), "unmap");
	TEST_ASSERT(seen.mem_events > before, "the consumer was told");
	TEST_ASSERT(seen.mem.mem.iova == MEM_IOVA && seen.mem.mem.size == MEM_SIZE &&
		    seen.mem.mem.unmap, "what went away");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(vf.c, MEM_IOVA,
			RING_OFF, vf.memfd, 0, RTE_VFIO_USER_PROT_READ |
			RTE_VFIO_USER_PROT_WRITE), "map the mailbox part only");
	TEST_ASSERT(seen.mem.mem.iova == MEM_IOVA && seen.mem.mem.size == RING_OFF &&
		    !seen.mem.mem.unmap, "what came");
	TEST_ASSERT_EQUAL(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 1, 1),
			  VIRTCHNL_STATUS_ERR_PARAM, "rings outside memory");
	TEST_ASSERT_EQUAL(seen.enabled_mask, 0, "nothing enabled");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(vf.c, iova(RING_OFF),
			MEM_SIZE - RING_OFF, vf.memfd, RING_OFF,
			RTE_VFIO_USER_PROT_READ | RTE_VFIO_USER_PROT_WRITE),
			"map the rest");
	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 1, 1), "enable");
	/* The VMM goes away: the consumer is told, the VF is reset. */
	rte_vfio_user_client_detach(vf.c);
	vf.c = NULL;
	for (before = 0; before < 100 && seen.gone == 0; before++)
		usleep(10000);
	TEST_ASSERT(seen.gone == 1 && seen.enabled_mask == 0, "driver gone");
	return 0;
}

/* Devargs are the user's: every bad one makes the probe fail. */
static int
test_bad_devargs(void)
{
	static const char *const bad[] = {
		"", "mac=02:00:00:00:00:01", "path=", "path=/x,queues=0",
		"path=/x,queues=17", "path=/x,queues=4x", "path=/x,mac=01:00:5e:00:00:01",
		"path=/x,mac=00:00:00:00:00:00", "path=/x,mac=zz", "path=/x,speed=0",
		"path=/x,path=/y", "path=/x,color=blue", "path=/x,dma_maps=0",
		"path=/x,shadow_irq=2", "path=/x,shadow_irq=yes",
		"path=/x,dma_maps=65536", "path=/x,dma_maps=-1",
		/* Key-only devargs: refused by every DPDK release alike. */
		"path", "path=/x,queues",
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++)
		TEST_ASSERT(rte_vdev_init("emu_iavf_bad0", bad[i]) < 0,
			    "devargs \"%s\" refused", bad[i]);
	TEST_ASSERT(rte_emudev_get_dev_id("emu_iavf_bad0") < 0, "no device left");
	return 0;
}

/*
 * What a VF finds after every reset, as on hardware: the hash types its
 * PF enables by default (Linux relies on them), Tx tails that read 0 when
 * a queue is enabled (a tail written while it was off names nothing), Rx
 * tails kept (the buffers a driver posts before enabling).
 */
static int
test_queue_and_rss_defaults(void)
{
	const uint64_t hena_default = 0x80007a1e80000000ull;
	struct virtchnl_rss_hena h = { .hena = 1ull << 31 };

	TEST_ASSERT_SUCCESS(vf_bring_up(CAPS_LINUX, NULL), "bring up");
	TEST_ASSERT_EQUAL(rd(IAVF_VFQF_HENA(0)) | (uint64_t)rd(IAVF_VFQF_HENA(1)) << 32,
			  hena_default, "default hash types");
	TEST_ASSERT_SUCCESS(vc(VIRTCHNL_OP_SET_RSS_HENA, &h, sizeof(h), NULL, NULL), "HENA");
	TEST_ASSERT_EQUAL(rd(IAVF_VFQF_HENA(0)), 1u << 31, "set");
	TEST_ASSERT_SUCCESS(vc_config_queues(NQP, NULL), "config");
	wr(IAVF_QTX_TAIL1(1), 7);
	wr(IAVF_QRX_TAIL1(1), 9);
	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 2, 2), "enable");
	TEST_ASSERT_EQUAL(rd(IAVF_QTX_TAIL1(1)), 0, "Tx tail reads 0 once enabled");
	TEST_ASSERT_EQUAL(rd(IAVF_QRX_TAIL1(1)), 9, "Rx tail kept");
	vc_send(VIRTCHNL_OP_RESET_VF, NULL, 0); /* never completed: the AQ resets */
	TEST_ASSERT_SUCCESS(vf_bring_up(CAPS_LINUX, NULL), "again");
	TEST_ASSERT_EQUAL(rd(IAVF_VFQF_HENA(0)) | (uint64_t)rd(IAVF_VFQF_HENA(1)) << 32,
			  hena_default, "default hash types after the reset");
	return 0;
}

/* Config events seen within 200 ms from now, counted from before. */
static int
config_events_within_200ms(int before)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() / 5;

	while (seen.config_events == before && rte_get_timer_cycles() < end)
		rte_delay_us_sleep(1000);
	return seen.config_events - before;
}

/*
 * Events carry the state they report, so that a consumer never calls
 * back (a control call from a callback is refused, not deadlocked); the
 * RSS registers, written 4 bytes at a time, are told once per block.
 */
static int
test_events_carry_state(void)
{
	struct rte_emudev_q_info qi;
	struct rte_emudev_db_info db;
	uint8_t msg[32] = { 1, 0, 1, 0 };
	struct rte_ether_addr mac = { { 0x02, 0, 0, 0, 0, 0x42 } };
	uint32_t key[13], lut[16], i;
	int n;

	TEST_ASSERT_SUCCESS(vf_bring_up(CAPS_LINUX, NULL), "bring up");
	TEST_ASSERT_SUCCESS(vc_config_queues(NQP, NULL), "config");
	seen.call_back = true;
	seen.call_back_rc = 0;
	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 4, 0), "enable Rx 2");
	seen.call_back = false;
	TEST_ASSERT_EQUAL(seen.call_back_rc, -EDEADLK,
			  "a control call from a callback is refused");
	TEST_ASSERT_SUCCESS(rte_emudev_get_queue_info(vf.edev,
			RTE_EMUDEV_NET_RXQ(2), &qi), "queue info");
	TEST_ASSERT_SUCCESS(rte_emudev_get_db_info(vf.edev,
			RTE_EMUDEV_NET_RXQ(2), &db), "doorbell");
	TEST_ASSERT(seen.queue.queue.qid == RTE_EMUDEV_NET_RXQ(2) &&
		    seen.queue.queue.enabled &&
		    memcmp(&seen.queue.queue.info, &qi, sizeof(qi)) == 0 &&
		    seen.queue.queue.info.base == iova(RXR_OFF(2)) &&
		    seen.queue.queue.db.type == RTE_EMUDEV_DB_MEM &&
		    seen.queue.queue.db.mem.addr == db.mem.addr &&
		    seen.queue.queue.db.mem.mask == db.mem.mask,
		    "the event describes the queue as a query does");

	n = seen.config_events;
	memcpy(msg + 4, &mac, 6);
	TEST_ASSERT_SUCCESS(vc(VIRTCHNL_OP_ADD_ETH_ADDR, msg, 4 + 8, NULL, NULL),
			    "ADD_ETH_ADDR");
	TEST_ASSERT(seen.config_events == n + 1 &&
		    (seen.config_changed & RTE_EMUDEV_NET_CFG_MAC) &&
		    seen.config.nb_macs == 1 &&
		    rte_is_same_ether_addr(&seen.config.macs[0], &mac),
		    "the config event shows the new filter");

	/* Linux without RSS_PF: the key, then the table, a register each. */
	for (i = 0; i < RTE_DIM(key); i++)
		key[i] = 0x01020304u * (i + 1);
	for (i = 0; i < RTE_DIM(lut); i++)
		lut[i] = 0x03020100u;
	n = seen.config_events;
	seen.config_changed = 0;
	for (i = 0; i < RTE_DIM(key); i++)
		wr(IAVF_VFQF_HKEY(i), key[i]);
	wr(IAVF_VFQF_HKEY(13), 0); /* one past, as Linux writes it */
	/* One, unless the machine stalls 10 ms between two writes. */
	TEST_ASSERT(seen.config_events - n >= 1 && seen.config_events - n <= 2,
		    "the key's 13 writes told in one event (%d)",
		    seen.config_events - n);
	TEST_ASSERT(seen.config_changed == RTE_EMUDEV_NET_CFG_RSS &&
		    memcmp(seen.config.rss_key, key, sizeof(key)) == 0,
		    "the whole key in it");
	n = seen.config_events;
	for (i = 0; i < RTE_DIM(lut); i++)
		wr(IAVF_VFQF_HLUT(i), lut[i]);
	TEST_ASSERT(seen.config_events - n >= 1 && seen.config_events - n <= 2,
		    "the table's 16 writes told in one event (%d)",
		    seen.config_events - n);
	TEST_ASSERT(memcmp(seen.config.rss_lut, lut, sizeof(lut)) == 0,
		    "the whole table in it");
	/* One entry alone is told too, a little later. */
	n = seen.config_events;
	wr(IAVF_VFQF_HLUT(3), 0x01010101u);
	TEST_ASSERT_EQUAL(seen.config_events, n, "not at once");
	TEST_ASSERT_EQUAL(config_events_within_200ms(n), 1,
			  "a partial update is told within 200 ms");
	TEST_ASSERT_EQUAL(seen.config.rss_lut[12], 1, "with the new entry");
	return 0;
}

/*
 * Every BAR0 access that is not in mmapped memory is a round trip to the
 * VMM: counted by the library per region and by the device per register
 * block, so that a guest's cost in exits can be read off.
 */
static int
test_trapped_access_counts(void)
{
	struct rte_vfio_user_stats s0, s1;
	uint64_t irq_wr, reset_rd, rss_wr, tails_wr;
	const int bar0 = RTE_VFIO_USER_PCI_BAR0;

	TEST_ASSERT_SUCCESS(vf_bring_up(CAPS_LINUX, NULL), "bring up");
	TEST_ASSERT_SUCCESS(rte_vfio_user_get_stats(vf.dev->vu_id, &s0), "stats");
	irq_wr = vf.dev->trapped_writes[EMU_IAVF_REGS_INTERRUPTS];
	reset_rd = vf.dev->trapped_reads[EMU_IAVF_REGS_RESET];
	rss_wr = vf.dev->trapped_writes[EMU_IAVF_REGS_RSS];
	tails_wr = vf.dev->trapped_writes[EMU_IAVF_REGS_TAILS];
	wr(IAVF_VFINT_DYN_CTLN1(0), IAVF_VFINT_DYN_CTLN1_INTENA_MASK);
	wr(IAVF_VFINT_DYN_CTLN1(1), IAVF_VFINT_DYN_CTLN1_INTENA_MASK);
	wr(IAVF_VFINT_DYN_CTL01, IAVF_VFINT_DYN_CTLN1_INTENA_MASK);
	rd(IAVF_VFGEN_RSTAT);
	rd(IAVF_VFGEN_RSTAT);
	wr(IAVF_VFQF_HLUT(2), 0);
	wr(IAVF_QRX_TAIL1(0), 5); /* a guest that did not mmap the tails */
	TEST_ASSERT_SUCCESS(rte_vfio_user_get_stats(vf.dev->vu_id, &s1), "stats");
	TEST_ASSERT_EQUAL(s1.region_writes[bar0] - s0.region_writes[bar0], 5,
			  "BAR0 writes served");
	TEST_ASSERT_EQUAL(s1.region_reads[bar0] - s0.region_reads[bar0], 2,
			  "BAR0 reads served");
	TEST_ASSERT(vf.dev->trapped_writes[EMU_IAVF_REGS_INTERRUPTS] - irq_wr == 3 &&
		    vf.dev->trapped_reads[EMU_IAVF_REGS_RESET] - reset_rd == 2 &&
		    vf.dev->trapped_writes[EMU_IAVF_REGS_RSS] - rss_wr == 1 &&
		    vf.dev->trapped_writes[EMU_IAVF_REGS_TAILS] - tails_wr == 1,
		    "counted by register block");
	return 0;
}

static const struct unit_test_case emu_iavf_cases[] = {
	{ "bad_devargs", test_bad_devargs },
	{ "pci_identity", test_pci_identity },
	{ "reset_values", test_reset_values },
	{ "linux_init", test_linux_init },
	{ "dpdk_init", test_dpdk_init },
	{ "reset_states", test_reset_states },
	{ "virtchnl_invalid", test_virtchnl_invalid },
	{ "arq_full", test_arq_full },
	{ "bar0_every_offset", test_bar0_every_offset },
	{ "interrupts", test_interrupts },
	{ "interrupt_throttling", test_interrupt_throttling },
	{ "shadow_interrupts", test_shadow_interrupts },
	{ "shadow_interrupt_races", test_shadow_interrupt_races },
	{ "mailbox_dma", test_mailbox_dma },
	{ "memory_changes", test_memory_changes },
	{ "queue_and_rss_defaults", test_queue_and_rss_defaults },
	{ "events_carry_state", test_events_carry_state },
	{ "trapped_access_counts", test_trapped_access_counts },
	{ NULL, NULL },
};

static int
test_emu_iavf(void)
{
	int fds = test_count_fds(), rc;

	vf.memfd = -1;
	rc = unit_test_suite_run("emu_iavf", emu_iavf_cases, suite_setup,
			suite_teardown);
	if (test_count_fds() != fds) {
		test_report_fds("emu_iavf_autotest", fds);
		rc = TEST_FAILED;
	}
	return rc;
}

REGISTER_TEST_COMMAND(emu_iavf_autotest, test_emu_iavf);
