/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * net_iavfbe with any number of guest queue pairs and application
 * queues: every guest Tx queue is polled, every guest Rx queue is fed;
 * and the counters the guest reads with GET_STATS, which keep their
 * hardware meaning whatever the application does with its own.
 */

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_thash.h>
#include <rte_udp.h>

#include <rte_emudev_net.h>

#include "test.h"
#include "test_iavfbe.h"

#define NB_MBUFS 8191
#define ID_OFF 42           /* where a test frame carries its number */
#define FRAME_LEN 60
#define MAX_FRAMES 64       /* per combination and direction */

static const uint16_t counts[] = { 1, 2, 3, 4, 16 };
static uint8_t rss_key[RTE_EMUDEV_NET_RSS_KEY_LEN];

/* RSS as a driver sets it: a key, a table spread over every queue. */
static int
guest_rss(void)
{
	uint8_t msg[4 + RTE_EMUDEV_NET_RSS_LUT_LEN];
	struct virtchnl_rss_hena h = { .hena = 1ull << 31 }; /* IPv4 UDP */
	uint32_t i;

	for (i = 0; i < sizeof(rss_key); i++)
		rss_key[i] = (uint8_t)(i * 37 + 11);
	msg[0] = IAVF_VSI_ID;
	msg[1] = 0;
	msg[2] = sizeof(rss_key);
	msg[3] = 0;
	memcpy(msg + 4, rss_key, sizeof(rss_key));
	if (vc(VIRTCHNL_OP_CONFIG_RSS_KEY, msg, 4 + sizeof(rss_key), NULL, NULL) != 0)
		return -1;
	msg[2] = RTE_EMUDEV_NET_RSS_LUT_LEN;
	for (i = 0; i < RTE_EMUDEV_NET_RSS_LUT_LEN; i++)
		msg[4 + i] = i % vf.nqp;
	if (vc(VIRTCHNL_OP_CONFIG_RSS_LUT, msg, sizeof(msg), NULL, NULL) != 0)
		return -1;
	return vc(VIRTCHNL_OP_SET_RSS_HENA, &h, sizeof(h), NULL, NULL) == 0 ? 0 : -1;
}

/* A UDP frame from source port sport, numbered id. */
static void
udp_frame(uint8_t *f, uint16_t sport, uint8_t id)
{
	struct rte_udp_hdr *uh;

	make_l4_frame(f, FRAME_LEN - 42, IPPROTO_UDP);
	uh = (struct rte_udp_hdr *)(f + RTE_ETHER_HDR_LEN +
				     sizeof(struct rte_ipv4_hdr));
	uh->src_port = rte_cpu_to_be_16(sport);
	f[ID_OFF] = id;
}

/* The guest Rx queue the guest's RSS table names for a UDP frame. */
static uint16_t
rss_queue(const uint8_t *f)
{
	const struct rte_ipv4_hdr *ip =
		(const void *)(f + RTE_ETHER_HDR_LEN);
	const struct rte_udp_hdr *uh = (const void *)(ip + 1);
	union rte_thash_tuple t = { 0 };
	uint32_t hash;

	t.v4.src_addr = rte_be_to_cpu_32(ip->src_addr);
	t.v4.dst_addr = rte_be_to_cpu_32(ip->dst_addr);
	t.v4.sport = rte_be_to_cpu_16(uh->src_port);
	t.v4.dport = rte_be_to_cpu_16(uh->dst_port);
	hash = rte_softrss((uint32_t *)&t, RTE_THASH_V4_L4_LEN, rss_key);
	return (hash % RTE_EMUDEV_NET_RSS_LUT_LEN) % vf.nqp;
}

/* Sum of every guest_*_errors counter of the port. */
static uint64_t
guest_errors(void)
{
	static struct rte_eth_xstat_name names[2048];
	static struct rte_eth_xstat xs[2048];
	uint64_t sum = 0;
	int i, n = rte_eth_xstats_get_names(tb.port, names, RTE_DIM(names));

	if (n <= 0 || n > (int)RTE_DIM(names) ||
	    rte_eth_xstats_get(tb.port, xs, n) != n)
		return UINT64_MAX;
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i].name);

		if (strstr(names[i].name, "guest_") != NULL && len > 7 &&
		    strcmp(names[i].name + len - 7, "_errors") == 0)
			sum += xs[i].value;
	}
	return sum;
}

/*
 * Two frames on every guest Tx queue: each arrives once, on the host Rx
 * queue the mapping gives it (guest queue g on Rx queue g mod nq).
 */
static int
guest_tx_all_queues(uint16_t nq)
{
	uint8_t f[FRAME_LEN], seen[MAX_QP * 2] = { 0 };
	struct rte_mbuf *pkts[32];
	uint16_t g, q, n, i;
	int round;

	for (g = 0; g < vf.nqp; g++) {
		for (i = 0; i < 2; i++) {
			make_frame(f, sizeof(f), NULL, g);
			f[ID_OFF] = 2 * g + i;
			gtx_frame(g, f, sizeof(f), sizeof(f), 0, 0);
		}
		gtx_ring(g);
	}
	for (round = 0; round < 4; round++)
		for (q = 0; q < nq; q++) {
			n = rte_eth_rx_burst(tb.port, q, pkts, RTE_DIM(pkts));
			for (i = 0; i < n; i++) {
				uint8_t id = rte_pktmbuf_mtod(pkts[i], uint8_t *)[ID_OFF];

				TEST_ASSERT(id < 2 * vf.nqp && pkts[i]->pkt_len == FRAME_LEN,
					    "a frame of ours");
				TEST_ASSERT_EQUAL(q, (id / 2) % nq,
						  "guest Tx %u on Rx queue %u", id / 2, q);
				seen[id]++;
			}
			rte_pktmbuf_free_bulk(pkts, n);
		}
	for (i = 0; i < 2 * vf.nqp; i++)
		TEST_ASSERT_EQUAL(seen[i], 1, "frame %u of guest Tx queue %u", i % 2,
				  i / 2);
	return 0;
}

/* Send one frame from host Tx queue q; where it must land in wanted. */
static int
send_expect(uint16_t q, const uint8_t *f, uint16_t guest_q, uint8_t *wanted)
{
	wanted[f[ID_OFF]] = guest_q;
	return host_tx(q, f, FRAME_LEN);
}

/*
 * Into the guest: a UDP flow steered by RSS to each guest Rx queue, sent
 * from every host Tx queue in turn, and a frame RSS does not hash (not
 * IP) from each host Tx queue, which lands on the ready queue its number
 * picks. Each frame arrives once, where it should.
 */
static int
guest_rx_all_queues(uint16_t nq)
{
	uint8_t f[FRAME_LEN], wanted[MAX_FRAMES], got[MAX_FRAMES];
	uint16_t q, t, sport = 1000, id = 0;
	uint32_t i;

	memset(wanted, 0xff, sizeof(wanted));
	memset(got, 0xff, sizeof(got));
	for (q = 0; q < vf.nqp; q++)
		grx_post(q, 32);
	for (q = 0; q < vf.nqp; q++) {
		do
			udp_frame(f, sport++, id);
		while (rss_queue(f) != q);
		TEST_ASSERT_SUCCESS(send_expect(id % nq, f, q, wanted), "send");
		id++;
	}
	for (t = 0; t < nq; t++) {
		make_frame(f, sizeof(f), NULL, 9);
		f[ID_OFF] = id++;
		TEST_ASSERT_SUCCESS(send_expect(t, f, t % vf.nqp, wanted), "send");
	}
	for (q = 0; q < vf.nqp; q++)
		for (i = 0; i < 32; i++) {
			uint64_t qw1 = rxd_qw1(q, i);
			uint8_t fid = vf.mem[rxbuf_off(q, i) + ID_OFF];

			if (!(qw1 & AVF_RXD_DD))
				break;
			TEST_ASSERT(rxd_len(qw1) == FRAME_LEN && fid < id &&
				    got[fid] == 0xff, "guest Rx %u slot %u", q, i);
			got[fid] = q;
		}
	for (i = 0; i < id; i++)
		TEST_ASSERT_EQUAL(got[i], wanted[i], "frame %u on guest Rx queue", i);
	return 0;
}

/* Every pairing of guest queue pairs and application queues. */
static int
test_queue_mapping_matrix(void)
{
	unsigned int a, b;
	uint16_t nqp, nq;

	for (a = 0; a < RTE_DIM(counts); a++) {
		for (b = 0; b < RTE_DIM(counts); b++) {
			nqp = counts[a];
			nq = counts[b];
			iavfbe_test_down();
			TEST_ASSERT_SUCCESS(iavfbe_test_up_opts(tb.mp,
					&(struct vf_opts){ .nqp = nqp }, nq),
					"%u guest pairs, %u queues", nqp, nq);
			TEST_ASSERT_SUCCESS(guest_rss(), "RSS");
			TEST_ASSERT_SUCCESS(guest_tx_all_queues(nq),
					"guest Tx, %u pairs, %u queues", nqp, nq);
			TEST_ASSERT_SUCCESS(guest_rx_all_queues(nq),
					"guest Rx, %u pairs, %u queues", nqp, nq);
			TEST_ASSERT_EQUAL(guest_errors(), 0,
					"no guest error, %u pairs, %u queues", nqp, nq);
		}
	}
	printf("iavfbe: queue mapping: %u x %u combinations of guest queue "
	       "pairs and application queues, every guest queue served\n",
	       (unsigned int)RTE_DIM(counts), (unsigned int)RTE_DIM(counts));
	return 0;
}

/* An application queue count the port cannot serve the guest with. */
static int
test_queue_counts_refused(void)
{
	struct rte_eth_conf conf = { 0 };

	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tb.port), "stop");
	TEST_ASSERT(rte_eth_dev_configure(tb.port, 0, 1, &conf) < 0,
		    "no Rx queue: guest Tx would never be served");
	TEST_ASSERT(rte_eth_dev_configure(tb.port, 17, 17, &conf) < 0,
		    "more queues than the port has");
	return 0;
}

/*
 * Counters of a port whose queues are configured but not all set up (an
 * application between configure and queue setup): read and reset, no
 * queue dereferenced that is not there.
 */
static int
test_stats_of_queues_not_set_up(void)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_xstat xs[512];
	struct rte_eth_stats st;
	int n;

	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tb.port), "stop");
	TEST_ASSERT_SUCCESS(rte_eth_dev_configure(tb.port, 4, 4, &conf),
			"4 queues");
	TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(tb.port, 0, 512,
			SOCKET_ID_ANY, NULL, tb.mp), "Rx queue 0 only");
	TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(tb.port, 1, 512,
			SOCKET_ID_ANY, NULL), "Tx queue 1 only");
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(tb.port, &st), "stats");
	TEST_ASSERT_EQUAL(st.ipackets + st.opackets, 0, "nothing counted");
	n = rte_eth_xstats_get(tb.port, xs, RTE_DIM(xs));
	TEST_ASSERT(n > 0 && n <= (int)RTE_DIM(xs), "xstats");
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tb.port), "reset");
	TEST_ASSERT_SUCCESS(rte_eth_xstats_reset(tb.port), "xstats reset");
	return 0;
}

/*
 * A Tx tail the guest wrote while its queue was off (a transmit racing a
 * VF reset) names nothing once the queue is enabled: no descriptor is
 * read, no guest error counted, and the ring then works from slot 0.
 */
static int
test_stale_tx_tail(void)
{
	uint8_t f[FRAME_LEN];
	struct rte_mbuf *pkts[8];

	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_DISABLE_QUEUES, 1, 1), "disable");
	memset(gtx_desc(0, 0), 0, RLEN(0) * sizeof(struct avf_tx_desc));
	*vf_txq_tail(0) = 5;
	TEST_ASSERT_SUCCESS(vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, 1, 1), "enable");
	TEST_ASSERT_EQUAL(*vf_txq_tail(0), 0, "the tail reads 0 after enable");
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 8), 0, "nothing read");
	TEST_ASSERT_EQUAL(guest_errors(), 0, "no guest error");
	tb.tx_tail[0] = 0;
	make_frame(f, sizeof(f), NULL, 5);
	gtx_frame(0, f, sizeof(f), sizeof(f), 0, 0);
	gtx_ring(0);
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 8), 1, "then a frame");
	TEST_ASSERT(mbuf_is(pkts[0], f, sizeof(f)), "intact");
	rte_pktmbuf_free_bulk(pkts, 1);
	return 0;
}

static int
get_stats(struct rte_emudev_net_stats *st)
{
	struct virtchnl_queue_select s = { .vsi_id = IAVF_VSI_ID };
	uint16_t len = sizeof(*st);

	return vc(VIRTCHNL_OP_GET_STATS, &s, sizeof(s), st, &len) == 0 &&
		len == sizeof(*st) ? 0 : -1;
}

static bool
stats_equal(const struct rte_emudev_net_stats *a,
		const struct rte_emudev_net_stats *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Every counter of b at least a's. */
static bool
stats_grew(const struct rte_emudev_net_stats *a,
		const struct rte_emudev_net_stats *b)
{
	const uint64_t *x = (const uint64_t *)a, *y = (const uint64_t *)b;
	size_t i;

	for (i = 0; i < sizeof(*a) / sizeof(uint64_t); i++)
		if (y[i] < x[i])
			return false;
	return true;
}

static int
port_reconfigure(uint16_t nq)
{
	struct rte_eth_conf conf = { 0 };
	uint16_t q;

	if (rte_eth_dev_stop(tb.port) != 0 ||
	    rte_eth_dev_configure(tb.port, nq, nq, &conf) != 0)
		return -1;
	for (q = 0; q < nq; q++)
		if (rte_eth_rx_queue_setup(tb.port, q, 512, SOCKET_ID_ANY, NULL,
				tb.mp) != 0 ||
		    rte_eth_tx_queue_setup(tb.port, q, 512, SOCKET_ID_ANY, NULL) != 0)
			return -1;
	return rte_eth_dev_start(tb.port);
}

/*
 * GET_STATS as hardware counts, which both Linux's iavf (rx_packets is
 * the sum of the three packet counters, rx_dropped the discards) and
 * DPDK's (ipackets = the sum minus rx_discards, ibytes = rx_bytes minus
 * 4 FCS bytes per packet) read correctly; never going back when the
 * application resets its statistics or reconfigures its queues.
 */
static int
test_guest_counters(void)
{
	static const struct rte_ether_addr bcast = {{ 0xff, 0xff, 0xff, 0xff,
						      0xff, 0xff }};
	struct rte_emudev_net_stats st, before;
	struct rte_eth_stats hs;
	uint8_t f[FRAME_LEN];
	struct rte_mbuf *pkts[8];
	int i;

	/* Into the guest: 2 buffers for 3 unicast and a broadcast frame; a
	 * frame for another address is filtered, as by the switch. */
	grx_post(0, 2);
	make_frame(f, sizeof(f), NULL, 1);
	for (i = 0; i < 3; i++)
		TEST_ASSERT_SUCCESS(host_tx(0, f, sizeof(f)), "unicast");
	make_frame(f, sizeof(f), &bcast, 1);
	TEST_ASSERT_SUCCESS(host_tx(0, f, sizeof(f)), "broadcast");
	make_frame(f, sizeof(f), &other_mac, 1);
	TEST_ASSERT_SUCCESS(host_tx(0, f, sizeof(f)), "someone else's");
	/* From the guest: 3 frames and a bad one. */
	make_frame(f, sizeof(f), NULL, 2);
	for (i = 0; i < 3; i++)
		gtx_frame(0, f, sizeof(f), sizeof(f), 0, 0);
	gtx_put(0, iova(TXBUF_OFF), txd_qw1(0, AVF_TXD_CMD_EOP | AVF_TXD_CMD_RS, 0));
	gtx_ring(0);
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 8), 3, "three frames");
	rte_pktmbuf_free_bulk(pkts, 3);
	TEST_ASSERT_SUCCESS(get_stats(&st), "GET_STATS");
	TEST_ASSERT(st.rx_unicast == 3 && st.rx_broadcast == 1 &&
		    st.rx_multicast == 0, "received, discarded ones included");
	TEST_ASSERT_EQUAL(st.rx_discards, 2, "discarded");
	TEST_ASSERT_EQUAL(st.rx_unicast + st.rx_multicast + st.rx_broadcast -
			  st.rx_discards, 2, "DPDK's ipackets");
	TEST_ASSERT_EQUAL(st.rx_bytes - RTE_ETHER_CRC_LEN * 2, 2 * FRAME_LEN,
			  "DPDK's ibytes: rx_bytes holds the FCS");
	TEST_ASSERT(st.tx_unicast == 3 && st.tx_bytes == 3 * FRAME_LEN &&
		    st.tx_errors == 1 && st.tx_discards == 0, "transmitted");
	/* The application's reset and reconfiguration do not show. */
	before = st;
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tb.port), "reset");
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(tb.port, &hs), "host stats");
	TEST_ASSERT(hs.ipackets == 0 && hs.opackets == 0 && hs.oerrors == 0,
		    "the host's own counters start again");
	TEST_ASSERT_SUCCESS(get_stats(&st), "GET_STATS");
	TEST_ASSERT(stats_equal(&st, &before), "the guest's stay");
	TEST_ASSERT_SUCCESS(port_reconfigure(2), "two queues");
	TEST_ASSERT_SUCCESS(get_stats(&st), "GET_STATS");
	TEST_ASSERT(stats_equal(&st, &before), "the guest's stay after queues go");
	gtx_frame(0, f, sizeof(f), sizeof(f), 0, 0);
	gtx_ring(0);
	TEST_ASSERT_EQUAL(host_rx(0, pkts, 8), 1, "one more frame");
	rte_pktmbuf_free_bulk(pkts, 1);
	TEST_ASSERT_SUCCESS(get_stats(&st), "GET_STATS");
	TEST_ASSERT_EQUAL(st.tx_unicast, 4, "and it counts on");
	return 0;
}

static struct {
	volatile bool stop;
	uint64_t reads, backwards, failures;
} race;

static void *
stats_reader(void *arg __rte_unused)
{
	struct rte_emudev_net_stats last = { 0 }, st;

	while (!race.stop) {
		if (get_stats(&st) != 0) {
			race.failures++;
			continue;
		}
		race.backwards += !stats_grew(&last, &st);
		last = st;
		race.reads++;
	}
	return NULL;
}

/*
 * The guest asks for its counters while the application reconfigures
 * its queues again and again: answers keep coming, never go back, and
 * (under ASan) touch no queue that is being freed.
 */
static int
test_guest_counters_during_reconfigure(void)
{
	uint8_t f[FRAME_LEN];
	struct rte_mbuf *pkts[8];
	pthread_t th;
	int round, rc = 0;

	memset(&race, 0, sizeof(race));
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, stats_reader, NULL), "thread");
	test_thread_any_cpu(th);
	make_frame(f, sizeof(f), NULL, 3);
	for (round = 0; rc == 0 && round < 40; round++) {
		uint64_t reads = __atomic_load_n(&race.reads, __ATOMIC_RELAXED);

		rc = port_reconfigure(1 + round % 4);
		/* The reader asks at least once per round. */
		while (rc == 0 && __atomic_load_n(&race.reads, __ATOMIC_RELAXED) ==
		       reads)
			sched_yield();
		gtx_frame(0, f, sizeof(f), sizeof(f), 0, 0);
		gtx_ring(0);
		if (rc == 0 && host_rx(0, pkts, 8) != 1)
			rc = -2;
		else
			rte_pktmbuf_free_bulk(pkts, 1);
	}
	race.stop = true;
	pthread_join(th, NULL);
	printf("iavfbe: %d reconfigurations, %" PRIu64 " GET_STATS meanwhile\n",
	       round, race.reads);
	TEST_ASSERT_SUCCESS(rc, "round %d", round);
	TEST_ASSERT(race.reads > 0 && race.failures == 0, "answered");
	TEST_ASSERT_EQUAL(race.backwards, 0, "never backwards");
	return 0;
}

static const struct unit_test_case cases[] = {
	{ "queue_mapping_matrix", test_queue_mapping_matrix },
	{ "queue_counts_refused", test_queue_counts_refused },
	{ "stats_of_queues_not_set_up", test_stats_of_queues_not_set_up },
	{ "stale_tx_tail", test_stale_tx_tail },
	{ "guest_counters", test_guest_counters },
	{ "guest_counters_during_reconfigure",
	  test_guest_counters_during_reconfigure },
	{ NULL, NULL },
};

static int
test_iavfbe_queues(void)
{
	return iavfbe_suite_run("iavfbe_queues", cases, NB_MBUFS,
			RTE_MBUF_DEFAULT_BUF_SIZE);
}

REGISTER_TEST_COMMAND(iavfbe_queues_autotest, test_iavfbe_queues);
