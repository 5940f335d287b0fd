/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * net_iavfbe's data path against the scripted guest: frames both ways with
 * their offloads, and what a Linux guest cannot be made to do: hostile
 * descriptors, rings that are not where they should be, and DMA unmap and
 * queue disable while bursts run on another thread.
 */

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_thash.h>
#include <rte_udp.h>
#include <rte_vfio_user.h>

#include <rte_emudev_driver.h>
#include <rte_emudev_net.h>

#include "test.h"
#include "iavfbe.h"
#include "iavfbe_classify.h"
#include "test_iavfbe.h"
#include "test_vf.h"

#define NB_MBUFS 4095


static int
test_guest_tx(void)
{
	uint8_t f0[40], f1[60], f2[3000], padded[60] = { 0 };
	struct rte_mbuf *pkts[8];
	struct rte_eth_link link;
	uint32_t last1, last2;
	uint16_t n;

	TEST_ASSERT_SUCCESS(rte_eth_link_get_nowait(tb.port, &link), "link");
	TEST_ASSERT(link.link_status, "link up once the guest enabled queues");
	make_frame(f0, sizeof(f0), NULL, 1);
	make_frame(f1, sizeof(f1), NULL, 2);
	make_frame(f2, sizeof(f2), NULL, 3);
	memcpy(padded, f0, sizeof(f0));
	wr(IAVF_VFINT_DYN_CTLN1(0), IAVF_VFINT_DYN_CTLN1_INTENA_MASK);
	gtx_frame(0, f0, sizeof(f0), sizeof(f0), 0, 0);
	last1 = gtx_frame(0, f1, sizeof(f1), sizeof(f1), 0, 0);
	last2 = gtx_frame(0, f2, sizeof(f2), 1000, 0, 0);
	irqs(1);
	gtx_ring(0);
	n = host_rx(0, pkts, RTE_DIM(pkts));
	TEST_ASSERT_EQUAL(n, 3, "three frames");
	TEST_ASSERT(mbuf_is(pkts[0], padded, sizeof(padded)), "short frame padded");
	TEST_ASSERT(mbuf_is(pkts[1], f1, sizeof(f1)), "frame 1");
	TEST_ASSERT(mbuf_is(pkts[2], f2, sizeof(f2)), "frame 2 from 3 buffers");
	rte_pktmbuf_free_bulk(pkts, n);
	TEST_ASSERT(tx_done(0, last1) && tx_done(0, last2), "RS descriptors done");
	TEST_ASSERT(!tx_done(0, last2 - 1), "others untouched");
	TEST_ASSERT(irqs_within_200ms(1) >= 1, "Tx interrupt on the pair's vector");
	TEST_ASSERT_EQUAL(xstat("rx_q0_packets"), 3, "counted");
	TEST_ASSERT_EQUAL(xstat("rx_q0_bytes"), 60 + 60 + 3000, "bytes");
	TEST_ASSERT_EQUAL(rte_eth_rx_burst(tb.port, 0, pkts, 8), 0, "nothing more");
	return 0;
}

static int
check_l4(const struct rte_mbuf *m, uint8_t proto)
{
	uint8_t buf[2048];
	const struct rte_ipv4_hdr *ip;

	if (m->pkt_len > sizeof(buf))
		return -1;
	ip = rte_pktmbuf_read(m, RTE_ETHER_HDR_LEN, m->pkt_len -
			RTE_ETHER_HDR_LEN, buf);
	if (ip == NULL || ip->next_proto_id != proto ||
	    rte_be_to_cpu_16(ip->total_length) != m->pkt_len - RTE_ETHER_HDR_LEN)
		return -1;
	if (rte_raw_cksum(ip, sizeof(*ip)) != 0xffff)
		return -1;
	return rte_ipv4_udptcp_cksum_verify(ip, ip + 1) == 0 ? 0 : -1;
}

#define OFFSET_IPV4(l4len) (RTE_ETHER_HDR_LEN / 2 | \
	(sizeof(struct rte_ipv4_hdr) / 4) << 7 | ((l4len) / 4) << 14)

static uint64_t
tso_ctx(uint32_t tso_len, uint32_t mss)
{
	return AVF_TXD_DTYPE_CONTEXT |
		(uint64_t)AVF_TXC_CMD_TSO << AVF_TXD_CMD_SHIFT |
		(uint64_t)tso_len << AVF_TXC_TSO_LEN_SHIFT |
		(uint64_t)mss << AVF_TXC_MSS_SHIFT;
}

static int
test_guest_tx_offloads(void)
{
	const uint32_t csum_udp = AVF_TXD_CMD_IIPT_IPV4_CSUM | AVF_TXD_CMD_L4T_UDP;
	const uint32_t tso_cmd = AVF_TXD_CMD_IIPT_IPV4_CSUM | AVF_TXD_CMD_L4T_TCP;
	uint8_t udp[300], tcp[54 + 3000], buf[64];
	uint32_t len, i, hdr = 54;
	struct rte_mbuf *pkts[8];
	const struct rte_tcp_hdr *th;
	const uint8_t *tag;
	uint16_t n;

	/* Checksums completed, from the pseudo-header sum the guest seeds. */
	len = make_l4_frame(udp, 300 - 42, IPPROTO_UDP);
	seed_l4_checksum(udp, IPPROTO_UDP, 0);
	gtx_frame(0, udp, len, 100, csum_udp, OFFSET_IPV4(8));
	gtx_ring(0);
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 8), 1, "one frame");
	TEST_ASSERT_SUCCESS(check_l4(pkts[0], IPPROTO_UDP), "IP and UDP checksums");
	rte_pktmbuf_free_bulk(pkts, 1);
	/* TSO: 3000 bytes at MSS 1000 make three segments. */
	len = make_l4_frame(tcp, 3000, IPPROTO_TCP);
	seed_l4_checksum(tcp, IPPROTO_TCP, RTE_MBUF_F_TX_TCP_SEG);
	gtx_put(0, 0, tso_ctx(3000, 1000));
	gtx_frame(0, tcp, len, 2048, tso_cmd, OFFSET_IPV4(20));
	gtx_ring(0);
	n = host_rx(0, pkts, 8);
	TEST_ASSERT_EQUAL(n, 3, "three segments");
	for (i = 0; i < n; i++) {
		TEST_ASSERT_EQUAL(pkts[i]->pkt_len, hdr + 1000, "segment %u", i);
		TEST_ASSERT_SUCCESS(check_l4(pkts[i], IPPROTO_TCP), "checksums %u", i);
		th = rte_pktmbuf_read(pkts[i], 34, sizeof(*th), buf);
		TEST_ASSERT_EQUAL(rte_be_to_cpu_32(th->sent_seq), 1000000 + 1000 * i,
				  "sequence of segment %u", i);
		TEST_ASSERT(memcmp(rte_pktmbuf_read(pkts[i], hdr, 64, buf),
				   tcp + hdr + 1000 * i, 64) == 0, "payload %u", i);
	}
	rte_pktmbuf_free_bulk(pkts, n);
	TEST_ASSERT_EQUAL(xstat("rx_q0_tso_requests"), 1, "TSO counted");
	/* VLAN insertion from L2TAG1. */
	make_frame(udp, 100, NULL, 5);
	gtx_frame(0, udp, 100, 100, AVF_TXD_CMD_IL2TAG1, 0);
	gtx_desc(0, tb.tx_tail[0] - 1)->qw1 |= (uint64_t)100 << AVF_TXD_L2TAG1_SHIFT;
	gtx_ring(0);
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 8), 1, "tagged frame");
	TEST_ASSERT_EQUAL(pkts[0]->pkt_len, 104, "tag inserted");
	tag = rte_pktmbuf_read(pkts[0], 12, 4, buf);
	TEST_ASSERT(tag[0] == 0x81 && tag[1] == 0 && tag[2] == 0 && tag[3] == 100,
		    "802.1Q tag 100");
	rte_pktmbuf_free_bulk(pkts, 1);
	return 0;
}

/*
 * guest_offload=flags: checksum, TSO and VLAN requests handed on in mbuf
 * offload flags, the frame as the guest wrote it (with the pseudo-header
 * sum it seeded, which DPDK expects too).
 */
static int
test_guest_offload_flags(void)
{
	const uint32_t tso_cmd = AVF_TXD_CMD_IIPT_IPV4_CSUM | AVF_TXD_CMD_L4T_TCP;
	static const char *const bad[] = {
		"emu=" DEV_NAME ",guest_offload=maybe",
		"emu=" DEV_NAME ",guest_offload",
		"emu=" DEV_NAME ",guest_offload=flags,guest_offload=sw",
		"emu=" DEV_NAME ",offload=flags",
	};
	uint8_t udp[300], tcp[54 + 5000];
	struct rte_mbuf *pkts[8];
	uint32_t len, first;
	unsigned int i;

	port_down();
	for (i = 0; i < RTE_DIM(bad); i++)
		TEST_ASSERT(rte_vdev_init(PORT_NAME, bad[i]) < 0, "refused: %s", bad[i]);
	TEST_ASSERT_SUCCESS(port_up("emu=" DEV_NAME ",guest_offload=flags"), "port");
	len = make_l4_frame(udp, 300 - 42, IPPROTO_UDP);
	seed_l4_checksum(udp, IPPROTO_UDP, 0);
	first = tb.tx_tail[0];
	gtx_frame(0, udp, len, 100, AVF_TXD_CMD_IIPT_IPV4_CSUM | AVF_TXD_CMD_L4T_UDP |
		  AVF_TXD_CMD_IL2TAG1, OFFSET_IPV4(8));
	gtx_desc(0, first)->qw1 |= (uint64_t)7 << AVF_TXD_L2TAG1_SHIFT;
	len = make_l4_frame(tcp, 5000, IPPROTO_TCP);
	seed_l4_checksum(tcp, IPPROTO_TCP, RTE_MBUF_F_TX_TCP_SEG);
	gtx_put(0, 0, tso_ctx(5000, 1448));
	gtx_frame(0, tcp, len, 4096, tso_cmd, OFFSET_IPV4(20));
	gtx_ring(0);
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 8), 2, "two frames");
	TEST_ASSERT(mbuf_is(pkts[0], udp, 300), "UDP frame as the guest wrote it");
	TEST_ASSERT_EQUAL(pkts[0]->ol_flags & (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
			  RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_VLAN),
			  RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
			  RTE_MBUF_F_TX_UDP_CKSUM | RTE_MBUF_F_TX_VLAN, "UDP flags");
	TEST_ASSERT(pkts[0]->l2_len == 14 && pkts[0]->l3_len == 20 &&
		    pkts[0]->vlan_tci == 7, "lengths and tag");
	TEST_ASSERT(mbuf_is(pkts[1], tcp, len), "the TSO request whole");
	TEST_ASSERT(pkts[1]->ol_flags & RTE_MBUF_F_TX_TCP_SEG &&
		    pkts[1]->tso_segsz == 1448 && pkts[1]->l4_len == 20,
		    "TSO flags, MSS, header lengths");
	rte_pktmbuf_free_bulk(pkts, 2);
	TEST_ASSERT_EQUAL(xstat("rx_q0_tso_requests"), 1, "counted");
	return 0;
}

static int
test_guest_rx(void)
{
	uint8_t small[60], big[5000], bcast[60];
	const uint32_t split[] = { RX_BUF_SIZE, RX_BUF_SIZE, 5000 - 2 * RX_BUF_SIZE };
	uint64_t qw1;
	uint32_t i;

	make_frame(small, sizeof(small), NULL, 1);
	make_l4_frame(big, 5000 - 42, IPPROTO_UDP);
	fill_l4_checksums(big, IPPROTO_UDP);
	make_frame(bcast, sizeof(bcast), &(struct rte_ether_addr){{ 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff }}, 4);
	grx_post(0, 8);
	wr(IAVF_VFINT_DYN_CTLN1(0), IAVF_VFINT_DYN_CTLN1_INTENA_MASK);
	irqs(1);
	TEST_ASSERT_SUCCESS(host_tx(0, small, sizeof(small)), "small");
	TEST_ASSERT_SUCCESS(host_tx_flags(0, big, sizeof(big),
			RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD),
			"big, checksums verified on the host side");
	make_frame(small, sizeof(small), &other_mac, 1);
	TEST_ASSERT_SUCCESS(host_tx(0, small, sizeof(small)), "not for the guest");
	make_frame(small, sizeof(small), NULL, 1);
	TEST_ASSERT_SUCCESS(host_tx(0, bcast, sizeof(bcast)), "broadcast");
	TEST_ASSERT_SUCCESS(host_tx_flags(0, big, 1000, RTE_MBUF_F_RX_IP_CKSUM_GOOD |
			RTE_MBUF_F_RX_L4_CKSUM_BAD), "a bad L4 checksum");
	qw1 = rxd_qw1(0, 0);
	TEST_ASSERT((qw1 & (AVF_RXD_DD | AVF_RXD_EOF)) == (AVF_RXD_DD | AVF_RXD_EOF) &&
		    rxd_len(qw1) == 60, "small frame in one buffer");
	TEST_ASSERT(memcmp(vf.mem + rxbuf_off(0, 0), small, 60) == 0, "content");
	for (i = 0; i < 3; i++) {
		qw1 = rxd_qw1(0, 1 + i);
		TEST_ASSERT(qw1 & AVF_RXD_DD, "DD on buffer %u", i);
		TEST_ASSERT_EQUAL(!!(qw1 & AVF_RXD_EOF), i == 2, "EOF on the last only");
		TEST_ASSERT_EQUAL(rxd_len(qw1), split[i], "length of buffer %u", i);
		TEST_ASSERT_EQUAL((qw1 >> AVF_RXD_PTYPE_SHIFT) & 0xff,
				  AVF_PTYPE_IPV4_UDP, "packet type");
		TEST_ASSERT(memcmp(vf.mem + rxbuf_off(0, 1 + i), big + i * RX_BUF_SIZE,
				   split[i]) == 0, "content of buffer %u", i);
	}
	TEST_ASSERT(qw1 & AVF_RXD_L3L4P && !(qw1 & (AVF_RXD_IPE | AVF_RXD_L4E)),
		    "checksums reported good");
	qw1 = rxd_qw1(0, 4);
	TEST_ASSERT(qw1 & AVF_RXD_DD && memcmp(vf.mem + rxbuf_off(0, 4), bcast,
		    60) == 0, "broadcast delivered, the filtered frame not");
	TEST_ASSERT_EQUAL((qw1 >> AVF_RXD_UMBCAST_SHIFT) & 3, AVF_RXD_UMBCAST_BCAST,
			  "broadcast status");
	qw1 = rxd_qw1(0, 5);
	TEST_ASSERT((qw1 & (AVF_RXD_L3L4P | AVF_RXD_IPE | AVF_RXD_L4E)) ==
		    (AVF_RXD_L3L4P | AVF_RXD_L4E), "bad L4 checksum reported");
	TEST_ASSERT_EQUAL(rxd_qw1(0, 6) & AVF_RXD_DD, 0, "nothing else");
	TEST_ASSERT_EQUAL(xstat("tx_q0_packets"), 4, "delivered");
	TEST_ASSERT_EQUAL(xstat("tx_q0_guest_filter_drops"), 1, "filtered");
	TEST_ASSERT(irqs_within_200ms(1) >= 1, "Rx interrupt");
	return 0;
}

/*
 * The guest maps running queues to other vectors (CONFIG_IRQ_MAP after
 * ENABLE_QUEUES): both directions interrupt the new vector, not the old.
 */
static int
test_irq_map_while_enabled(void)
{
	uint16_t vec[NQP] = { 2, 1, 3, 4 };
	struct rte_mbuf *pkts[4];
	uint8_t f[60];
	uint32_t last;

	make_frame(f, sizeof(f), NULL, 1);
	TEST_ASSERT_SUCCESS(vc_irq_map_to(vec), "pair 0 to vector 2, 1 to 1");
	wr(IAVF_VFINT_DYN_CTLN1(0), IAVF_VFINT_DYN_CTLN1_INTENA_MASK);
	wr(IAVF_VFINT_DYN_CTLN1(1), IAVF_VFINT_DYN_CTLN1_INTENA_MASK);
	irqs(1);
	irqs(2);
	grx_post(0, 4);
	TEST_ASSERT_SUCCESS(host_tx(0, f, sizeof(f)), "to guest Rx queue 0");
	TEST_ASSERT(rxd_qw1(0, 0) & AVF_RXD_DD, "delivered");
	TEST_ASSERT(irqs_within_200ms(2) >= 1, "Rx interrupt on the new vector");
	TEST_ASSERT_EQUAL(irqs(1), 0, "none on the old one");
	wr(IAVF_VFINT_DYN_CTLN1(1), IAVF_VFINT_DYN_CTLN1_INTENA_MASK);
	last = gtx_frame(0, f, sizeof(f), sizeof(f), 0, 0);
	gtx_ring(0);
	TEST_ASSERT_EQUAL(host_rx(0, pkts, RTE_DIM(pkts)), 1, "from guest Tx 0");
	rte_pktmbuf_free(pkts[0]);
	TEST_ASSERT(tx_done(0, last), "done");
	TEST_ASSERT(irqs_within_200ms(2) >= 1, "Tx interrupt on the new vector");
	TEST_ASSERT_EQUAL(irqs(1), 0, "none on the old one");
	return 0;
}

/*
 * Hostile guest Tx: each writer queues one bad packet and names the
 * counter it must drive. A good frame follows it, which must still come
 * through: a bad packet is consumed and completed, never stalls the ring.
 */
struct bad_tx {
	const char *what;
	const char *xstat;
	void (*queue)(void);
};

static uint8_t frame_buf[80000];

static void
bad_one(uint64_t addr, uint32_t len)
{
	gtx_put(0, addr, txd_qw1(len, AVF_TXD_CMD_EOP | AVF_TXD_CMD_RS, 0));
}

static void bad_addr_outside(void) { bad_one(0x40000000, 60); }
static void bad_addr_wraps(void) { bad_one(UINT64_MAX - 15, 60); }
static void bad_addr_span_end(void) { bad_one(iova(MEM_SIZE - 100), 1000); }
static void bad_addr_below(void) { bad_one(MEM_IOVA - 30, 60); }
static void bad_len_zero(void) { bad_one(iova(TXBUF_OFF), 0); }
static void bad_len_max(void) { bad_one(iova(TXBUF_OFF), AVF_TXD_BUF_SZ_MASK); }
static void bad_len_runt(void) { bad_one(iova(TXBUF_OFF), 10); }

static void
bad_len_over_max_frame(void)
{
	make_frame(frame_buf, 12000, NULL, 9);
	gtx_frame(0, frame_buf, 12000, 4000, 0, 0);
}

static void
bad_dtype(void)
{
	gtx_put(0, iova(TXBUF_OFF), (txd_qw1(60, AVF_TXD_CMD_EOP | AVF_TXD_CMD_RS,
			0) & ~AVF_TXD_DTYPE_MASK) | 0x5);
}

static void
bad_context_inside(void)
{
	gtx_put(0, iova(TXBUF_OFF), txd_qw1(60, 0, 0));
	gtx_put(0, 0, tso_ctx(100, 100));
	bad_one(iova(TXBUF_OFF), 60);
}

static void
bad_too_many_descs(void)
{
	uint32_t i;

	for (i = 0; i < 129; i++)
		gtx_put(0, iova(TXBUF_OFF), txd_qw1(60, 0, 0));
	bad_one(iova(TXBUF_OFF), 60);
}

static void
bad_tso(uint32_t tso_len, uint32_t mss, uint32_t l4t, uint32_t payload)
{
	uint32_t len = make_l4_frame(frame_buf, payload, IPPROTO_TCP);

	gtx_put(0, 0, tso_ctx(tso_len, mss));
	gtx_frame(0, frame_buf, len, 16000, AVF_TXD_CMD_IIPT_IPV4_CSUM | l4t,
		  OFFSET_IPV4(20));
}

static void bad_tso_mss_zero(void) { bad_tso(3000, 0, AVF_TXD_CMD_L4T_TCP, 3000); }
static void bad_tso_len(void) { bad_tso(5000, 1000, AVF_TXD_CMD_L4T_TCP, 3000); }
static void bad_tso_udp(void) { bad_tso(3000, 1000, AVF_TXD_CMD_L4T_UDP, 3000); }
static void bad_tso_segs(void) { bad_tso(70000, 64, AVF_TXD_CMD_L4T_TCP, 70000); }

static void
bad_csum_headers(void)
{
	make_frame(frame_buf, 60, NULL, 1);
	/* Headers claimed longer than the frame. */
	gtx_frame(0, frame_buf, 60, 60, AVF_TXD_CMD_IIPT_IPV4_CSUM |
		  AVF_TXD_CMD_L4T_TCP, 63 | 15 << 7 | 15 << 14);
}

static const struct bad_tx bad_txs[] = {
	{ "address outside guest memory", "rx_q0_guest_bad_address_errors", bad_addr_outside },
	{ "address that wraps", "rx_q0_guest_bad_address_errors", bad_addr_wraps },
	{ "buffer spanning the end of memory", "rx_q0_guest_bad_address_errors", bad_addr_span_end },
	{ "buffer starting below memory", "rx_q0_guest_bad_address_errors", bad_addr_below },
	{ "length 0", "rx_q0_guest_bad_length_errors", bad_len_zero },
	{ "length ~0 (16383)", "rx_q0_guest_bad_length_errors", bad_len_max },
	{ "runt of 10 bytes", "rx_q0_guest_bad_length_errors", bad_len_runt },
	{ "frame over the max frame", "rx_q0_guest_bad_length_errors", bad_len_over_max_frame },
	{ "unknown descriptor type", "rx_q0_guest_bad_descriptor_errors", bad_dtype },
	{ "context inside a packet", "rx_q0_guest_bad_descriptor_errors", bad_context_inside },
	{ "129 data descriptors", "rx_q0_guest_bad_descriptor_errors", bad_too_many_descs },
	{ "TSO with MSS 0", "rx_q0_guest_bad_length_errors", bad_tso_mss_zero },
	{ "TSO length not the payload", "rx_q0_guest_bad_length_errors", bad_tso_len },
	{ "TSO over UDP", "rx_q0_guest_bad_descriptor_errors", bad_tso_udp },
	{ "TSO of 1094 segments", "rx_q0_guest_bad_length_errors", bad_tso_segs },
	{ "checksum headers past the frame", "rx_q0_guest_bad_descriptor_errors", bad_csum_headers },
};

static int
test_hostile_guest_tx(void)
{
	uint8_t good[64];
	struct rte_mbuf *pkts[32];
	unsigned int i;
	uint16_t n;

	make_frame(good, sizeof(good), NULL, 42);
	for (i = 0; i < RTE_DIM(bad_txs); i++) {
		uint64_t before = xstat(bad_txs[i].xstat);
		uint64_t errors = xstat("rx_q0_errors");
		uint32_t last_bad;

		bad_txs[i].queue();
		last_bad = (tb.tx_tail[0] + RING_LEN - 1) % RING_LEN;
		gtx_frame(0, good, sizeof(good), sizeof(good), 0, 0);
		gtx_ring(0);
		n = host_rx(0, pkts, RTE_DIM(pkts));
		TEST_ASSERT(n == 1 && mbuf_is(pkts[0], good, sizeof(good)),
			    "%s: only the good frame after it (%u)", bad_txs[i].what, n);
		rte_pktmbuf_free_bulk(pkts, n);
		TEST_ASSERT_EQUAL(xstat(bad_txs[i].xstat), before + 1, "%s: %s",
				  bad_txs[i].what, bad_txs[i].xstat);
		TEST_ASSERT_EQUAL(xstat("rx_q0_errors"), errors + 1, "%s: one error",
				  bad_txs[i].what);
		TEST_ASSERT(tx_done(0, last_bad), "%s: completed", bad_txs[i].what);
	}
	printf("iavfbe: %u hostile Tx packets: bad_address=%" PRIu64
	       " bad_length=%" PRIu64 " bad_descriptor=%" PRIu64 "\n",
	       (unsigned int)RTE_DIM(bad_txs),
	       xstat("rx_q0_guest_bad_address_errors"),
	       xstat("rx_q0_guest_bad_length_errors"),
	       xstat("rx_q0_guest_bad_descriptor_errors"));
	return 0;
}

/* A tail beyond the ring; a ring the guest fills without an EOP. */
static int
test_hostile_guest_tx_ring(void)
{
	uint8_t good[64];
	struct rte_mbuf *pkts[32];
	uint32_t i;

	make_frame(good, sizeof(good), NULL, 42);
	*vf_txq_tail(0) = RING_LEN + 100;
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 32), 0, "tail beyond the ring");
	TEST_ASSERT(xstat("rx_q0_guest_ring_errors") >= 1, "counted");
	gtx_frame(0, good, sizeof(good), sizeof(good), 0, 0);
	gtx_ring(0);
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 32), 1, "traffic once the tail is sane");
	rte_pktmbuf_free_bulk(pkts, 1);
	/* Runs of descriptors with no EOP in sight are given back as errors. */
	for (i = 0; i < RING_LEN - 1; i++)
		gtx_put(0, iova(TXBUF_OFF), txd_qw1(60, AVF_TXD_CMD_RS, 0));
	gtx_ring(0);
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 32), 0, "no packet from a ring without EOP");
	TEST_ASSERT(xstat("rx_q0_guest_bad_descriptor_errors") >= 1, "counted");
	TEST_ASSERT(tx_done(0, 1) && tx_done(0, RING_LEN / 2),
		    "the ring given back");
	return 0;
}

static int
test_hostile_guest_rx(void)
{
	uint8_t f[2000];
	uint64_t qw1;
	int i;

	make_frame(f, sizeof(f), NULL, 7);
	/* Buffers outside memory, wrapping, across its end; then a good one. */
	grx_post(0, 4);
	grx_desc(0, 0)->read.pkt_addr = 0x40000000;
	grx_desc(0, 1)->read.pkt_addr = UINT64_MAX - 50;
	grx_desc(0, 2)->read.pkt_addr = iova(MEM_SIZE - 100);
	TEST_ASSERT_SUCCESS(host_tx(0, f, 200), "frame 1");
	TEST_ASSERT_SUCCESS(host_tx(0, f, 200), "frame 2");
	TEST_ASSERT_SUCCESS(host_tx(0, f, 200), "frame 3");
	TEST_ASSERT_SUCCESS(host_tx(0, f, 200), "frame 4");
	for (i = 0; i < 3; i++) {
		qw1 = rxd_qw1(0, i);
		TEST_ASSERT((qw1 & (AVF_RXD_DD | AVF_RXD_EOF | AVF_RXD_RXE)) ==
			    (AVF_RXD_DD | AVF_RXD_EOF | AVF_RXD_RXE),
			    "bad buffer %d given back with an error", i);
	}
	TEST_ASSERT(rxd_qw1(0, 3) & AVF_RXD_DD && rxd_len(rxd_qw1(0, 3)) == 200 &&
		    memcmp(vf.mem + rxbuf_off(0, 3), f, 200) == 0, "then delivered");
	TEST_ASSERT_EQUAL(xstat("tx_q0_guest_bad_address_errors"), 3, "counted");
	/* No buffers: dropped, counted, every mbuf consumed. */
	TEST_ASSERT_SUCCESS(host_tx(0, f, 200), "no buffer");
	TEST_ASSERT_EQUAL(xstat("tx_q0_guest_no_buffer_drops"), 1, "counted");
	/* Queue 1 takes 1518 bytes at most. */
	tb.rx_tail[1] = 0;
	grx_post(1, 2);
	TEST_ASSERT_SUCCESS(host_tx(1, f, sizeof(f)), "too long");
	TEST_ASSERT_EQUAL(xstat("tx_q1_guest_too_long_drops"), 1, "counted");
	TEST_ASSERT_EQUAL(rxd_qw1(1, 0) & AVF_RXD_DD, 0, "not written");
	/* A tail beyond the ring. */
	*vf_rxq_tail(1) = RING_LEN + 1;
	TEST_ASSERT_SUCCESS(host_tx(1, f, 100), "bad tail");
	TEST_ASSERT_EQUAL(xstat("tx_q1_guest_ring_errors"), 1, "counted");
	printf("iavfbe: hostile Rx buffers: bad_address=%" PRIu64 " no_buffer=%"
	       PRIu64 " too_long=%" PRIu64 " ring=%" PRIu64 "\n",
	       xstat("tx_q0_guest_bad_address_errors"),
	       xstat("tx_q0_guest_no_buffer_drops"),
	       xstat("tx_q1_guest_too_long_drops"),
	       xstat("tx_q1_guest_ring_errors"));
	return 0;
}


/* Memory in two maps that meet at off; every queue disabled meanwhile. */
static int
remap_split(uint32_t off)
{
	if (vc_queues(VIRTCHNL_OP_DISABLE_QUEUES, 0xf, 0xf) != 0 ||
	    rte_vfio_user_client_dma_unmap(vf.c, 0, 0, true) != 0 ||
	    vf_map(0, off) != 0 || vf_map(off, MEM_SIZE - off) != 0)
		return -1;
	tb.tx_tail[0] = 0;
	return 0;
}

/*
 * Rings in memory that changes under them: a ring over two maps is used
 * when they meet at a page boundary (as behind a vIOMMU) and refused when
 * a map ends inside one of its pages; a ring whose memory goes away is
 * not touched and is used again, from where it was, when the memory
 * comes back.
 */
static int
test_rings_and_memory(void)
{
	uint8_t f[64];
	struct rte_mbuf *pkts[8];
	uint64_t unusable = xstat("guest_rings_unusable");

	make_frame(f, sizeof(f), NULL, 11);
	TEST_ASSERT_SUCCESS(remap_split(TXR_OFF(0) + 0x800), "maps meet mid-page");
	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 1, 1),
			    "the device takes a ring all mapped");
	TEST_ASSERT_EQUAL(xstat("guest_rings_unusable"), unusable + 1,
		    "the port does not take a ring page in two pieces");
	gtx_frame(0, f, sizeof(f), sizeof(f), 0, 0);
	gtx_ring(0);
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 8), 0, "nothing read from it");
	TEST_ASSERT_EQUAL(gtx_desc(0, 0)->qw1 & AVF_TXD_DTYPE_MASK, 0, "nor written");
	/* Two maps meeting at a page boundary inside the ring: used. */
	TEST_ASSERT_SUCCESS(remap_split(TXR_OFF(0) + 0x1000), "maps meet at a page");
	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 1, 1), "enable");
	TEST_ASSERT_EQUAL(xstat("guest_rings_unusable"), unusable + 1, "ring taken");
	gtx_frame(0, f, sizeof(f), sizeof(f), 0, 0);
	gtx_ring(0);
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 8), 1, "one frame");
	rte_pktmbuf_free_bulk(pkts, 1);
	/* The rings' memory goes: nothing is read; back: the ring goes on. */
	TEST_ASSERT_SUCCESS(remap_split(SPLIT_OFF), "rings apart from buffers");
	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 1, 1), "enable");
	TEST_ASSERT_SUCCESS(vf_unmap(0, SPLIT_OFF), "unmap the rings");
	TEST_ASSERT_EQUAL(xstat("guest_rings_unusable"), unusable + 3,
			  "both rings lost while enabled are counted");
	gtx_frame(0, f, sizeof(f), sizeof(f), 0, 0);
	gtx_ring(0);
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 8), 0, "rings unmapped");
	TEST_ASSERT_SUCCESS(vf_map(0, SPLIT_OFF), "map them again");
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 8), 1, "the frame queued meanwhile");
	TEST_ASSERT(mbuf_is(pkts[0], f, sizeof(f)), "intact");
	rte_pktmbuf_free_bulk(pkts, 1);
	return 0;
}

/*
 * What the provider does around DMA unmap, queue disable and reset: it
 * quiesces the queue. Until it resumes, bursts neither read nor write
 * the queue's ring or buffers; frames for it stay with the application.
 */
static int
test_bursts_respect_quiesce(void)
{
	struct rte_emudev *edev = vf.dev->edev;
	struct rte_mbuf *pkts[8], *m;
	uint8_t f[64];
	uint32_t last;

	make_frame(f, sizeof(f), NULL, 21);
	grx_post(0, 4);
	last = gtx_frame(0, f, sizeof(f), sizeof(f), 0, 0);
	gtx_ring(0);
	rte_emudev_queue_quiesce(edev, RTE_EMUDEV_NET_TXQ(0));
	rte_emudev_queue_quiesce(edev, RTE_EMUDEV_NET_RXQ(0));
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 8), 0, "guest Tx ring not read");
	TEST_ASSERT(!tx_done(0, last), "nor written");
	m = host_mbuf(f, sizeof(f));
	TEST_ASSERT_EQUAL(rte_eth_tx_burst(tb.port, 0, &m, 1), 0,
			  "the host frame is left to the application");
	rte_pktmbuf_free(m);
	TEST_ASSERT_EQUAL(rxd_qw1(0, 0) & AVF_RXD_DD, 0, "guest Rx ring untouched");
	TEST_ASSERT_EQUAL(xstat("tx_q0_errors"), 0, "nothing dropped");
	rte_emudev_queue_resume(edev, RTE_EMUDEV_NET_RXQ(0));
	rte_emudev_queue_resume(edev, RTE_EMUDEV_NET_TXQ(0));
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 8), 1, "the frame once resumed");
	TEST_ASSERT(tx_done(0, last), "completed");
	TEST_ASSERT_EQUAL(rte_eth_tx_burst(tb.port, 0, pkts, 1), 1, "looped back");
	TEST_ASSERT(rxd_qw1(0, 0) & AVF_RXD_DD &&
		    memcmp(vf.mem + rxbuf_off(0, 0), f, sizeof(f)) == 0, "delivered");
	return 0;
}


/*
 * DMA unmap and map of the buffers' region while frames flow: each unmap
 * returns only once no burst uses the old mapping (the server then unmaps
 * it: a late access would fault), and the guest never sees a wrong byte.
 */
static int
test_dma_unmap_during_traffic(void)
{
	pthread_t th[2];
	int round, rc = 0;

	TEST_ASSERT_SUCCESS(vf_unmap(0, MEM_SIZE), "unmap");
	TEST_ASSERT_SUCCESS(vf_map(0, SPLIT_OFF), "rings region");
	TEST_ASSERT_SUCCESS(vf_map(SPLIT_OFF, MEM_SIZE - SPLIT_OFF), "buffers");
	TEST_ASSERT_SUCCESS(loop_start(th, 0), "threads");
	if (!loop_flows())
		rc = -1;
	for (round = 0; rc == 0 && round < 30; round++) {
		if (vf_unmap(SPLIT_OFF, MEM_SIZE - SPLIT_OFF) != 0)
			rc = -2;
		usleep(2000);
		if (vf_map(SPLIT_OFF, MEM_SIZE - SPLIT_OFF) != 0)
			rc = -3;
		if (rc == 0 && !loop_flows())
			rc = -4;
	}
	loop_stop(th);
	printf("iavfbe: DMA unmap x%d during traffic: guest sent %" PRIu64
	       ", received %" PRIu64 " intact, %" PRIu64 " with an error, %" PRIu64
	       " corrupt; bad_address Tx=%" PRIu64 " Rx=%" PRIu64 "\n", round,
	       loop.sent, loop.received, loop.rx_errors, loop.corrupt,
	       xstat("rx_q0_guest_bad_address_errors"),
	       xstat("tx_q0_guest_bad_address_errors"));
	TEST_ASSERT_SUCCESS(rc, "traffic, unmap and map in round %d", round);
	TEST_ASSERT_EQUAL(loop.corrupt, 0, "no corrupt frame");
	return 0;
}

/* Guest rings as after a driver's queue reset: empty, indexes zero. */
static void
guest_rings_reset(void)
{
	memset(gtx_desc(0, 0), 0, RING_LEN * sizeof(struct avf_tx_desc));
	memset(grx_desc(0, 0), 0, RING_LEN * sizeof(union avf_rx_desc));
	tb.tx_tail[0] = tb.tx_clean[0] = tb.rx_tail[0] = tb.rx_next[0] = 0;
	*vf_txq_tail(0) = 0;
	*vf_rxq_tail(0) = 0;
}

/*
 * DISABLE_QUEUES while bursts run: once the reply is in, the device
 * writes neither the rings nor the buffers of the queue pair.
 */
static int
test_queue_disable_during_traffic(void)
{
	static uint8_t before[SPLIT_OFF - RING_OFF];
	const uint32_t rx_bufs = RXBUFS_PER_Q * RX_BUF_SIZE;
	static uint8_t bufs_before[RXBUFS_PER_Q * RX_BUF_SIZE];
	pthread_t th[2];
	int round, rc = 0;

	TEST_ASSERT_SUCCESS(loop_start(th, 0), "threads");
	if (!loop_flows())
		rc = -1;
	for (round = 1; rc == 0 && round <= 30; round++) {
		loop_pause(round);
		if (vc_queues(VIRTCHNL_OP_DISABLE_QUEUES, 1, 1) != 0)
			rc = -2;
		memcpy(before, vf.mem + RING_OFF, sizeof(before));
		memcpy(bufs_before, vf.mem + rxbuf_off(0, 0), rx_bufs);
		usleep(3000);
		if (memcmp(before, vf.mem + RING_OFF, sizeof(before)) != 0 ||
		    memcmp(bufs_before, vf.mem + rxbuf_off(0, 0), rx_bufs) != 0)
			rc = -3;
		guest_rings_reset();
		if (rc == 0 && vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 1, 1) != 0)
			rc = -4;
		grx_post(0, LOOP_RX_POSTED);
		loop_resume();
		if (rc == 0 && !loop_flows())
			rc = -5;
	}
	loop_stop(th);
	printf("iavfbe: queue disable x%d during traffic: guest sent %" PRIu64
	       ", received %" PRIu64 " intact, %" PRIu64 " corrupt\n", round - 1,
	       loop.sent, loop.received, loop.corrupt);
	TEST_ASSERT_SUCCESS(rc, "round %d (-3: written after DISABLE)", round - 1);
	TEST_ASSERT_EQUAL(loop.corrupt, 0, "no corrupt frame");
	return 0;
}

/* The hash of a UDP frame as rte_softrss() computes it; 0 if it is h. */
static int
rss_matches_softrss(const struct iavfbe_guest_cfg *cfg, const uint8_t *f,
		uint32_t h, bool v6)
{
	union rte_thash_tuple t = { 0 };
	const uint8_t *l3 = f + RTE_ETHER_HDR_LEN;
	uint32_t want;

	if (v6) {
		const struct rte_ipv6_hdr *ip = (const void *)l3;
		const struct rte_udp_hdr *uh = (const void *)(ip + 1);

		rte_thash_load_v6_addrs(ip, &t);
		t.v6.sport = rte_be_to_cpu_16(uh->src_port);
		t.v6.dport = rte_be_to_cpu_16(uh->dst_port);
		want = rte_softrss((uint32_t *)&t, RTE_THASH_V6_L4_LEN,
				cfg->net.rss_key);
	} else {
		const struct rte_ipv4_hdr *ip = (const void *)l3;
		const struct rte_udp_hdr *uh = (const void *)(ip + 1);

		t.v4.src_addr = rte_be_to_cpu_32(ip->src_addr);
		t.v4.dst_addr = rte_be_to_cpu_32(ip->dst_addr);
		t.v4.sport = rte_be_to_cpu_16(uh->src_port);
		t.v4.dport = rte_be_to_cpu_16(uh->dst_port);
		want = rte_softrss((uint32_t *)&t, RTE_THASH_V4_L4_LEN,
				cfg->net.rss_key);
	}
	if (want == h)
		return 0;
	printf("%s hash %#x, rte_softrss %#x\n", v6 ? "IPv6" : "IPv4", h, want);
	return -1;
}

/* A frame of a kind the packet-type test parses; its length. */
static uint32_t
ptype_frame(uint8_t *f, int kind)
{
	uint32_t len = make_l4_frame(f, 40, kind == 1 ? IPPROTO_TCP :
			IPPROTO_UDP);
	struct rte_ipv4_hdr *ip = (void *)(f + RTE_ETHER_HDR_LEN);
	struct rte_ipv6_hdr ip6 = { .vtc_flow = RTE_BE32(6u << 28),
		.payload_len = RTE_BE16(48), .proto = IPPROTO_UDP,
		.hop_limits = 64 };
	unsigned int i;

	switch (kind) {
	case 2: /* IPv4 with 4 bytes of options */
		memmove((uint8_t *)(ip + 1) + 4, ip + 1, len - RTE_ETHER_HDR_LEN -
			sizeof(*ip));
		ip->version_ihl = 0x46;
		return len + 4;
	case 3: /* a fragment */
		ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_MF_FLAG);
		return len;
	case 4: /* ICMP */
		ip->next_proto_id = IPPROTO_ICMP;
		return len;
	case 5: case 6: case 7: /* IPv6: UDP, TCP, a hop-by-hop header */
		for (i = 0; i < 16; i++) { /* an array, or (24.11) a struct */
			((uint8_t *)&ip6.src_addr)[i] = 0x20 + i;
			((uint8_t *)&ip6.dst_addr)[i] = 0x80 + 3 * i;
		}
		ip6.proto = kind == 6 ? IPPROTO_TCP : kind == 7 ? 0 : IPPROTO_UDP;
		((struct rte_ether_hdr *)f)->ether_type =
			RTE_BE16(RTE_ETHER_TYPE_IPV6);
		memcpy(f + RTE_ETHER_HDR_LEN, &ip6, sizeof(ip6));
		memset(f + RTE_ETHER_HDR_LEN + sizeof(ip6), 0, 8);
		f[RTE_ETHER_HDR_LEN + sizeof(ip6)] = 0x9c; /* ports */
		f[RTE_ETHER_HDR_LEN + sizeof(ip6) + 3] = 0x35;
		return RTE_ETHER_HDR_LEN + sizeof(ip6) + 48;
	case 8: /* VLAN-tagged */
		memmove(f + 16, f + 12, len - 12);
		f[12] = 0x81;
		f[13] = 0x00;
		f[14] = 0;
		f[15] = 7;
		return len + 4;
	case 9: /* not IP version 4 in an IPv4 frame */
		ip->version_ihl = 0x55;
		return len;
	case 10: /* cut inside the IPv4 header */
		return RTE_ETHER_HDR_LEN + 10;
	default:
		return len;
	}
}

/* The frame in one mbuf, or with its first 10 bytes in a segment alone. */
static struct rte_mbuf *
ptype_mbuf(const uint8_t *f, uint32_t len, bool split)
{
	struct rte_mbuf *m = host_mbuf(f, split ? 10 : len), *tail;

	if (m == NULL || !split)
		return m;
	tail = host_mbuf(f + 10, len - 10);
	if (tail == NULL || rte_pktmbuf_chain(m, tail) != 0) {
		rte_pktmbuf_free(m);
		rte_pktmbuf_free(tail);
		return NULL;
	}
	return m;
}

/*
 * The common frames' parse and hash (headers in the first segment) give
 * what librte_net's parse and the read across segments give, and both
 * what the AVF reports; the hash is rte_softrss()'s.
 */
static int
test_packet_types(void)
{
	static const uint8_t want[] = { AVF_PTYPE_IPV4_UDP, AVF_PTYPE_IPV4_TCP,
		AVF_PTYPE_IPV4_UDP, AVF_PTYPE_IPV4_FRAG, AVF_PTYPE_IPV4_ICMP,
		AVF_PTYPE_IPV6_UDP, AVF_PTYPE_IPV6_TCP, AVF_PTYPE_IPV6,
		AVF_PTYPE_IPV4_UDP, AVF_PTYPE_L2, AVF_PTYPE_L2 };
	struct iavfbe_guest_cfg *cfg = calloc(1, sizeof(*cfg));
	uint8_t f[256];
	unsigned int i, k;
	int rc = 0;

	TEST_ASSERT(cfg != NULL, "config");
	for (i = 0; i < sizeof(cfg->net.rss_key); i++)
		cfg->net.rss_key[i] = (uint8_t)(i * 37 + 11);
	cfg->net.rss_hena = UINT64_MAX;
	iavfbe_rss_key_set(cfg);
	for (k = 0; k < RTE_DIM(want) && rc == 0; k++) {
		struct iavfbe_pkt_info one, two;
		uint32_t len = ptype_frame(f, k), h1, h2;
		struct rte_mbuf *m1 = ptype_mbuf(f, len, false);
		struct rte_mbuf *m2 = ptype_mbuf(f, len, true);
		bool v1, v2;

		if (m1 == NULL || m2 == NULL) {
			rc = -1;
		} else {
			iavfbe_ptype(m1, &one);
			iavfbe_ptype(m2, &two);
			h1 = iavfbe_rss_hash(cfg, m1, &one, &v1);
			h2 = iavfbe_rss_hash(cfg, m2, &two, &v2);
			if (one.ptype != want[k] || two.ptype != want[k] ||
			    (want[k] != AVF_PTYPE_L2 &&
			     (one.l2_len != two.l2_len || one.l3_len != two.l3_len)) ||
			    v1 != v2 || h1 != h2) {
				printf("frame %u: ptype %u/%u (want %u), l2 %u/%u, "
				       "l3 %u/%u, hash %#x/%#x\n", k, one.ptype,
				       two.ptype, want[k], one.l2_len, two.l2_len,
				       one.l3_len, two.l3_len, h1, h2);
				rc = -1;
			}
			if (rc == 0 && k == 0)
				rc = rss_matches_softrss(cfg, f, h1, false);
			if (rc == 0 && k == 5)
				rc = rss_matches_softrss(cfg, f, h1, true);
		}
		rte_pktmbuf_free(m1);
		rte_pktmbuf_free(m2);
	}
	free(cfg);
	TEST_ASSERT_SUCCESS(rc, "packet types and hashes");
	return 0;
}

/*
 * Frames of every length class the copy into guest buffers treats apart
 * (whole 16-byte words, an 8- and a 4-byte word, single bytes, the long
 * copy), into buffers at aligned and unaligned addresses: each frame lands
 * whole, and not a byte around it changes.
 */
static int
test_guest_rx_copies(void)
{
	static const uint32_t lens[] = { 60, 61, 63, 64, 67, 71, 100, 255, 256,
					 1500 };
	static const uint32_t offs[] = { 0, 2, 7, 16 };
	uint8_t f[1500], *buf;
	uint32_t i, k, slot;

	for (i = 0; i < RTE_DIM(lens); i++) {
		for (k = 0; k < RTE_DIM(offs); k++) {
			union avf_rx_desc *d;

			slot = tb.rx_tail[0];
			buf = vf.mem + rxbuf_off(0, slot);
			memset(buf, 0xa5, RX_BUF_SIZE);
			grx_post(0, 1);
			d = grx_desc(0, slot);
			/* The buffer handed to the device starts at offs[k]. */
			d->read.pkt_addr += offs[k];
			make_frame(f, lens[i], NULL, i * 4 + k);
			TEST_ASSERT_SUCCESS(host_tx(0, f, lens[i]), "sent");
			TEST_ASSERT(rxd_qw1(0, slot) & AVF_RXD_DD &&
				    rxd_len(rxd_qw1(0, slot)) == lens[i],
				    "%u bytes at +%u: written back", lens[i],
				    offs[k]);
			TEST_ASSERT(memcmp(buf + offs[k], f, lens[i]) == 0,
				    "%u bytes at +%u: content", lens[i], offs[k]);
			TEST_ASSERT(offs[k] == 0 || buf[offs[k] - 1] == 0xa5,
				    "%u bytes at +%u: before", lens[i], offs[k]);
			TEST_ASSERT(buf[offs[k] + lens[i]] == 0xa5 &&
				    buf[RX_BUF_SIZE - 1] == 0xa5,
				    "%u bytes at +%u: after", lens[i], offs[k]);
		}
	}
	TEST_ASSERT_EQUAL(xstat("tx_q0_packets"), RTE_DIM(lens) * RTE_DIM(offs),
			  "delivered");
	return 0;
}

static const struct unit_test_case iavfbe_cases[] = {
	{ "guest_tx", test_guest_tx },
	{ "guest_tx_offloads", test_guest_tx_offloads },
	{ "guest_offload_flags", test_guest_offload_flags },
	{ "guest_rx", test_guest_rx },
	{ "guest_rx_copies", test_guest_rx_copies },
	{ "packet_types", test_packet_types },
	{ "irq_map_while_enabled", test_irq_map_while_enabled },
	{ "hostile_guest_tx", test_hostile_guest_tx },
	{ "hostile_guest_tx_ring", test_hostile_guest_tx_ring },
	{ "hostile_guest_rx", test_hostile_guest_rx },
	{ "rings_and_memory", test_rings_and_memory },
	{ "bursts_respect_quiesce", test_bursts_respect_quiesce },
	{ "dma_unmap_during_traffic", test_dma_unmap_during_traffic },
	{ "queue_disable_during_traffic", test_queue_disable_during_traffic },
	{ NULL, NULL },
};

static int
test_iavfbe(void)
{
	return iavfbe_suite_run("iavfbe", iavfbe_cases, NB_MBUFS,
			RTE_MBUF_DEFAULT_BUF_SIZE);
}

REGISTER_TEST_COMMAND(iavfbe_autotest, test_iavfbe);
