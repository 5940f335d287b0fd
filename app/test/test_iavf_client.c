/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * net_iavf_client against emu_iavf and net_iavfbe. Both ends are in this
 * process here (the device's threads serve the client's socket as they
 * would another process's); memory is shared through EAL's memfd, as
 * --no-huge gives it. Frames go both ways and are checked byte for byte,
 * single and multi-segment, one queue and several under RSS.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include <ethdev_driver.h>

#include "emu_iavf_internal.h"
#include "iavf_client.h"
#include "test.h"
#include "test_vfio_user.h"

#define EMU "emu_iavf_cl0"
#define BE "net_iavfbe_cl0"
#define CL "net_iavf_client0"
#define NB_MBUFS 8192
#define BIG_ROOM (RTE_PKTMBUF_HEADROOM + 9728)

static struct {
	char sock[128];
	uint16_t be, cl;
	struct rte_mempool *mp;     /* 2 KiB buffers */
	struct rte_mempool *big;    /* jumbo buffers, for the backend's Rx */
} t;

static const struct rte_ether_addr cl_mac = {
	{ 0x02, 0x00, 0x00, 0x00, 0xc1, 0x01 } };

static bool rx_intr; /* the next client port starts with Rx interrupts */
static const char *cl_extra = ""; /* the next client port's other devargs */

static int
port_start(uint16_t port, uint16_t nq, struct rte_mempool *mp, bool rss)
{
	struct rte_eth_conf conf = { .intr_conf.rxq = rx_intr };
	struct rte_eth_dev_info info;
	uint16_t q;

	if (rte_eth_dev_info_get(port, &info) < 0)
		return -1;
	if (rss) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		/* as testpmd asks: what the port can of IP, UDP and TCP */
		conf.rx_adv_conf.rss_conf.rss_hf = (RTE_ETH_RSS_IP |
			RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP) &
			info.flow_type_rss_offloads;
	}
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	conf.txmode.offloads = (RTE_ETH_TX_OFFLOAD_MULTI_SEGS |
		RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_VLAN_INSERT) &
		info.tx_offload_capa;
	if (rte_eth_dev_configure(port, nq, nq, &conf) < 0 ||
	    rte_eth_dev_set_mtu(port, 9000) < 0)
		return -1;
	for (q = 0; q < nq; q++)
		if (rte_eth_rx_queue_setup(port, q, 512, SOCKET_ID_ANY, NULL,
				mp) < 0 ||
		    rte_eth_tx_queue_setup(port, q, 512, SOCKET_ID_ANY, NULL) < 0)
			return -1;
	return rte_eth_dev_start(port);
}

static bool
link_up_within(uint16_t port, int ms)
{
	struct rte_eth_link l;

	while (ms-- > 0) {
		if (rte_eth_link_get_nowait(port, &l) == 0 && l.link_status)
			return true;
		usleep(1000);
	}
	return false;
}

#define HDR_LEN (RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr) + \
	sizeof(struct rte_udp_hdr))
#define PAYLOAD_OFF (HDR_LEN + 8)

/* Flows of a run: frame i is in flow i % NB_FLOWS (its UDP source port). */
#define NB_FLOWS 64

static bool tx_csum_offload; /* frames leave with their checksums to fill */

/* What the receiving port said of the frames of the last run. */
static struct {
	uint32_t per_queue[4];
	uint32_t rss_hash, ptype_udp, ip_cksum_good;
} seen_rx;

/* The headers of frame i: to the client's MAC, IPv4, UDP. */
static void
put_headers(uint8_t *p, uint32_t i, uint32_t len)
{
	struct rte_ether_hdr *eh = (void *)p;
	struct rte_ipv4_hdr *ip = (void *)(eh + 1);
	struct rte_udp_hdr *udp = (void *)(ip + 1);

	eh->dst_addr = cl_mac;
	memset(&eh->src_addr, 0x02, RTE_ETHER_ADDR_LEN);
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->total_length = rte_cpu_to_be_16(len - RTE_ETHER_HDR_LEN);
	ip->src_addr = rte_cpu_to_be_32(0x0a000001);
	ip->dst_addr = rte_cpu_to_be_32(0x0a000002);
	udp->src_port = rte_cpu_to_be_16(1024 + i % NB_FLOWS);
	udp->dst_port = rte_cpu_to_be_16(4789);
	udp->dgram_len = rte_cpu_to_be_16(len - RTE_ETHER_HDR_LEN -
			sizeof(*ip));
	udp->dgram_cksum = 0;
	ip->hdr_checksum = tx_csum_offload ? 0 : rte_ipv4_cksum(ip);
	memcpy(p + HDR_LEN, &i, 4);
	memcpy(p + HDR_LEN + 4, &len, 4);
}

static bool
link_down_within(uint16_t port, int ms)
{
	struct rte_eth_link l;

	while (ms-- > 0) {
		if (rte_eth_link_get_nowait(port, &l) == 0 && !l.link_status)
			return true;
		usleep(1000);
	}
	return false;
}

/* Frame i of a run, len bytes in segments of seg. */
static struct rte_mbuf *
make_frame(struct rte_mempool *mp, uint32_t i, uint32_t len, uint32_t seg)
{
	struct rte_mbuf *head = NULL, *last = NULL;
	uint32_t off = 0;

	while (off < len) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
		uint32_t n = RTE_MIN(seg, len - off), k;
		uint8_t *p;

		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		p = (uint8_t *)rte_pktmbuf_append(m, n);
		for (k = 0; k < n; k++)
			p[k] = (uint8_t)(i * 7 + off + k);
		if (off == 0)
			put_headers(p, i, len);
		if (head == NULL) {
			head = m;
		} else {
			last->next = m;
			head->nb_segs++;
			head->pkt_len += n;
		}
		last = m;
		off += n;
	}
	if (tx_csum_offload) {
		head->l2_len = RTE_ETHER_HDR_LEN;
		head->l3_len = sizeof(struct rte_ipv4_hdr);
		head->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	}
	return head;
}

/*
 * The frame is what make_frame(i, len) made, whatever its segments, its
 * IPv4 checksum right.
 */
static bool
frame_ok(struct rte_mbuf *m, uint32_t *i_out)
{
	uint8_t buf[9728];
	const uint8_t *p;
	uint32_t i, len, k;

	if (m->pkt_len < PAYLOAD_OFF || m->pkt_len > sizeof(buf))
		return false;
	p = rte_pktmbuf_read(m, 0, m->pkt_len, buf);
	memcpy(&i, p + HDR_LEN, 4);
	memcpy(&len, p + HDR_LEN + 4, 4);
	if (len != m->pkt_len ||
	    rte_raw_cksum(p + RTE_ETHER_HDR_LEN, sizeof(struct rte_ipv4_hdr)) !=
	    0xffff)
		return false;
	for (k = PAYLOAD_OFF; k < len; k++)
		if (p[k] != (uint8_t)(i * 7 + k))
			return false;
	*i_out = i;
	return true;
}

/* The client's count of the server's faults: 0 with emu_iavf. */
static uint64_t
client_faults(uint16_t port)
{
	static const char *const faults[] = { "rx_bad_descriptors",
		"rx_error_frames", "mailbox_bad_messages", "virtchnl_errors" };
	struct rte_eth_xstat xs[128];
	struct rte_eth_xstat_name names[128];
	uint64_t sum = 0;
	size_t f;
	int n = rte_eth_xstats_get(port, xs, RTE_DIM(xs)), i;

	if (n < 0 || n > (int)RTE_DIM(xs) ||
	    rte_eth_xstats_get_names(port, names, RTE_DIM(names)) != n)
		return UINT64_MAX;
	/* ethdev's own counters come first; the driver's after */
	for (i = 0; i < n; i++)
		for (f = 0; f < RTE_DIM(faults); f++)
			if (strcmp(names[xs[i].id].name, faults[f]) == 0)
				sum += xs[i].value;
	return sum;
}

static void
note_rx(const struct rte_mbuf *m, uint16_t q)
{
	uint64_t ck = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;

	if (q < RTE_DIM(seen_rx.per_queue))
		seen_rx.per_queue[q]++;
	seen_rx.rss_hash += !!(m->ol_flags & RTE_MBUF_F_RX_RSS_HASH);
	seen_rx.ptype_udp += (m->packet_type & (RTE_PTYPE_L3_MASK |
		RTE_PTYPE_L4_MASK)) == (RTE_PTYPE_L3_IPV4_EXT_UNKNOWN |
		RTE_PTYPE_L4_UDP);
	seen_rx.ip_cksum_good += ck == RTE_MBUF_F_RX_IP_CKSUM_GOOD;
}

/*
 * n frames of len bytes from port a to port b (in segments of seg),
 * every one received intact on some queue of b.
 */
static int
send_and_check(uint16_t a, uint16_t b, uint16_t nq, uint32_t n, uint32_t len,
		uint32_t seg)
{
	/* no more in flight than a receive ring holds (a frame may take
	 * several 2 KiB buffers): none may be dropped */
	uint32_t window = 256 / ((len + 2047) / 2048);
	uint32_t sent = 0, got = 0, bad = 0, tries = 0;
	uint8_t *seen = calloc(n, 1);

	TEST_ASSERT_NOT_NULL(seen, "memory");
	memset(&seen_rx, 0, sizeof(seen_rx));
	while ((sent < n || got < sent) && tries++ < 200000) {
		struct rte_mbuf *pkts[32];
		uint16_t q, k, nb;

		if (sent < n && sent - got < window) {
			nb = RTE_MIN(RTE_MIN(32u, n - sent), window - (sent - got));
			for (k = 0; k < nb; k++) {
				pkts[k] = make_frame(seg > 2048 ? t.big : t.mp,
						sent + k, len, seg);
				if (pkts[k] == NULL)
					break;
			}
			nb = k;
			k = rte_eth_tx_burst(a, 0, pkts, nb);
			sent += k;
			rte_pktmbuf_free_bulk(pkts + k, nb - k);
		}
		for (q = 0; q < nq; q++) {
			nb = rte_eth_rx_burst(b, q, pkts, RTE_DIM(pkts));
			for (k = 0; k < nb; k++) {
				uint32_t i;

				if (frame_ok(pkts[k], &i) && i < n && !seen[i]) {
					seen[i] = 1;
					got++;
					note_rx(pkts[k], q);
				} else {
					bad++;
				}
			}
			rte_pktmbuf_free_bulk(pkts, nb);
		}
		if (got < sent)
			usleep(10);
	}
	if (got != n) {
		uint32_t k, shown = 0;

		printf("iavf_client: lost:");
		for (k = 0; k < n && shown < 40; k++)
			if (!seen[k]) {
				printf(" %u", k);
				shown++;
			}
		printf("\n");
	}
	free(seen);
	printf("iavf_client: port %u -> %u: %u frames of %u bytes (segments of "
	       "%u): %u received intact, %u bad\n", a, b, n, len, seg, got, bad);
	if (got != n) {
		struct rte_eth_stats sa, sb;

		if (rte_eth_stats_get(a, &sa) == 0 &&
		    rte_eth_stats_get(b, &sb) == 0)
			printf("iavf_client: sender sent %" PRIu64 " (errors %"
			       PRIu64 "), receiver got %" PRIu64 " (missed %"
			       PRIu64 ", errors %" PRIu64 ", no mbuf %" PRIu64
			       ")\n", sa.opackets, sa.oerrors, sb.ipackets,
			       sb.imissed, sb.ierrors, sb.rx_nombuf);
	}
	TEST_ASSERT_EQUAL(bad, 0, "bad or repeated frames");
	TEST_ASSERT_EQUAL(client_faults(t.cl), 0, "the client counted no fault "
			  "of a well-behaved server");
	TEST_ASSERT_EQUAL(got, n, "frames received");
	return 0;
}

/* Frames sent while nothing serves the port: taken or not, none back. */
static void
send_and_lose(uint16_t port)
{
	struct rte_mbuf *pkts[32];
	uint16_t k, n;
	int i;

	for (i = 0; i < 20; i++) {
		for (k = 0; k < 32; k++) {
			pkts[k] = make_frame(t.mp, k, 64, 2048);
			if (pkts[k] == NULL)
				break;
		}
		n = rte_eth_tx_burst(port, 0, pkts, k);
		rte_pktmbuf_free_bulk(pkts + n, k - n);
		n = rte_eth_rx_burst(port, 0, pkts, 32);
		rte_pktmbuf_free_bulk(pkts, n);
	}
}

static int
setup_ports(uint16_t nq, bool rss)
{
	char args[256];

	snprintf(t.sock, sizeof(t.sock), "%s/iavfc.sock", test_tmpdir());
	snprintf(args, sizeof(args), "path=%s,queues=4", t.sock);
	TEST_ASSERT_SUCCESS(rte_vdev_init(EMU, args), "emu_iavf");
	TEST_ASSERT_SUCCESS(rte_vdev_init(BE, "emu=" EMU), "net_iavfbe");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(BE, &t.be), "be port");
	TEST_ASSERT_SUCCESS(port_start(t.be, nq, t.big, false), "be start");
	snprintf(args, sizeof(args), "path=%s,mac=02:00:00:00:c1:01%s", t.sock,
		 cl_extra);
	TEST_ASSERT_SUCCESS(rte_vdev_init(CL, args), "net_iavf_client");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(CL, &t.cl), "cl port");
	TEST_ASSERT_SUCCESS(port_start(t.cl, nq, t.mp, rss), "client start");
	TEST_ASSERT(link_up_within(t.cl, 2000), "client link up");
	TEST_ASSERT(link_up_within(t.be, 2000), "backend link up");
	return 0;
}

static void
teardown_ports(void)
{
	rte_vdev_uninit(CL);
	rte_vdev_uninit(BE);
	rte_vdev_uninit(EMU);
}

static int
test_both_ways(void)
{
	static const uint32_t sizes[] = { 60, 64, 128, 1500, 1514, 4000, 9000 };
	size_t s;
	int rc = setup_ports(1, false);

	for (s = 0; rc == 0 && s < RTE_DIM(sizes); s++)
		rc = send_and_check(t.cl, t.be, 1, 2000, sizes[s], 2048);
	for (s = 0; rc == 0 && s < RTE_DIM(sizes); s++)
		rc = send_and_check(t.be, t.cl, 1, 2000, sizes[s], 9728);
	/* the client's Tx from chains of small segments */
	if (rc == 0)
		rc = send_and_check(t.cl, t.be, 1, 1000, 1500, 200);
	teardown_ports();
	return rc;
}

/* Four queue pairs: the device spreads the flows by the client's RSS. */
static int
test_rss(void)
{
	uint16_t q;
	int rc = setup_ports(4, true);

	if (rc == 0)
		rc = send_and_check(t.be, t.cl, 4, 4000, 128, 9728);
	teardown_ports();
	if (rc < 0)
		return rc;
	printf("iavf_client: per queue %u %u %u %u, RSS hash %u, IPv4/UDP %u, "
	       "IP checksum good %u\n", seen_rx.per_queue[0],
	       seen_rx.per_queue[1], seen_rx.per_queue[2], seen_rx.per_queue[3],
	       seen_rx.rss_hash, seen_rx.ptype_udp, seen_rx.ip_cksum_good);
	for (q = 0; q < 4; q++)
		TEST_ASSERT(seen_rx.per_queue[q] > 0, "frames on queue %u", q);
	TEST_ASSERT_EQUAL(seen_rx.rss_hash, 4000, "RSS hash given");
	TEST_ASSERT_EQUAL(seen_rx.ptype_udp, 4000, "packet type IPv4/UDP");
	return 0;
}

/* The client asks for the IPv4 checksum; the far end finds it right. */
static int
test_tx_checksum(void)
{
	int rc = setup_ports(1, false);

	tx_csum_offload = true;
	if (rc == 0)
		rc = send_and_check(t.cl, t.be, 1, 2000, 200, 2048);
	tx_csum_offload = false;
	teardown_ports();
	return rc;
}

/*
 * The server of the two-process cases, as another process runs it:
 * emu_iavf on $IAVFC_SOCK with net_iavfbe, every frame sent back as it
 * came, until SIGTERM. Not an autotest: iavf_client_autotest starts it.
 */
static volatile sig_atomic_t server_stop;

static void
on_sigterm(int sig __rte_unused)
{
	server_stop = 1;
}

static int
iavf_client_server(void)
{
	const char *sock = getenv("IAVFC_SOCK");
	char args[256];
	uint16_t port, q;

	if (sock == NULL)
		return TEST_FAILED;
	signal(SIGTERM, on_sigterm);
	t.big = rte_pktmbuf_pool_create("srv_big", 4096, 64, 0, BIG_ROOM,
			SOCKET_ID_ANY);
	snprintf(args, sizeof(args), "path=%s,queues=4", sock);
	if (t.big == NULL || rte_vdev_init(EMU, args) < 0 ||
	    rte_vdev_init(BE, "emu=" EMU) < 0 ||
	    rte_eth_dev_get_port_by_name(BE, &port) < 0 ||
	    port_start(port, 4, t.big, false) < 0)
		return TEST_FAILED;
	while (!server_stop) {
		bool idle = true;

		for (q = 0; q < 4; q++) {
			struct rte_mbuf *pkts[32];
			uint16_t n = rte_eth_rx_burst(port, q, pkts, 32), k;

			k = n ? rte_eth_tx_burst(port, q, pkts, n) : 0;
			rte_pktmbuf_free_bulk(pkts + k, n - k);
			idle = idle && n == 0;
		}
		if (idle)
			sched_yield();
	}
	rte_vdev_uninit(BE);
	rte_vdev_uninit(EMU);
	rte_mempool_free(t.big);
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(iavf_client_server, iavf_client_server);

/* The echo server in a process of its own, on CPU 1 when there is one. */
static pid_t
server_spawn(void)
{
	const char *cpu = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? "1" : "0";
	char prefix[64];
	pid_t pid;

	snprintf(t.sock, sizeof(t.sock), "%s/iavfc-srv.sock", test_tmpdir());
	snprintf(prefix, sizeof(prefix), "iavfcsrv%d", (int)getpid());
	unlink(t.sock);
	pid = fork();
	if (pid == 0) {
		/* the server goes with this process, even when it crashes */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setenv("DPDK_TEST", "iavf_client_server", 1);
		setenv("IAVFC_SOCK", t.sock, 1);
		execl("/proc/self/exe", "emunic-test", "--no-huge", "-m", "256",
		      "--no-pci", "--no-shconf", "--no-telemetry", "-l", cpu,
		      "--file-prefix", prefix, "--log-level=lib.eal:error",
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* The client port, once the server listens (its socket file comes first). */
static bool
client_within(const char *args, int ms)
{
	for (; ms > 0; ms -= 10) {
		if (access(t.sock, F_OK) == 0 && rte_vdev_init(CL, args) == 0)
			return true;
		usleep(10000);
	}
	return false;
}

static int
server_end(pid_t pid)
{
	int status = 0;

	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	TEST_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "the server exited cleanly on SIGTERM (status 0x%x)", status);
	return 0;
}

/*
 * Client and server in two processes: frames of every size to the server
 * and back, byte for byte, on one queue and then four under RSS.
 */
static int
two_process_echo(uint16_t nq)
{
	static const uint32_t sizes[] = { 64, 1500, 9000 };
	pid_t pid = server_spawn();
	char args[256];
	size_t s;
	int rc = 0;

	TEST_ASSERT(pid > 0, "fork");
	snprintf(args, sizeof(args), "path=%s,mac=02:00:00:00:c1:01", t.sock);
	if (!client_within(args, 10000)) {
		server_end(pid);
		TEST_ASSERT(false, "the client attached to the server");
	}
	if (rte_eth_dev_get_port_by_name(CL, &t.cl) < 0 ||
	    port_start(t.cl, nq, t.mp, nq > 1) < 0 || !link_up_within(t.cl, 5000))
		rc = -1;
	for (s = 0; rc == 0 && s < RTE_DIM(sizes); s++)
		rc = send_and_check(t.cl, t.cl, nq, 2000, sizes[s], 2048);
	rte_vdev_uninit(CL);
	if (server_end(pid) < 0)
		return -1;
	TEST_ASSERT_SUCCESS(rc, "echo through the other process");
	if (nq > 1)
		for (s = 0; s < nq; s++)
			TEST_ASSERT(seen_rx.per_queue[s] > 0, "frames on queue %zu", s);
	return 0;
}

static uint32_t lsc_events;

static int
on_lsc(uint16_t port __rte_unused, enum rte_eth_event_type type __rte_unused,
		void *arg __rte_unused, void *ret __rte_unused)
{
	__atomic_fetch_add(&lsc_events, 1, __ATOMIC_RELAXED);
	return 0;
}

/*
 * The server is killed while the client runs: the link goes down with an
 * LSC event; a new server on the same socket gets the client back
 * (reconnect=), with its configuration, and frames flow again. Then the
 * client is closed and probed again: the server's device serves it.
 */
static int
test_server_restart(void)
{
	char args[256];
	uint32_t lsc;
	pid_t pid = server_spawn();
	int rc = 0, round;

	TEST_ASSERT(pid > 0, "fork");
	snprintf(args, sizeof(args), "path=%s,mac=02:00:00:00:c1:01,"
		 "reconnect=100", t.sock);
	if (!client_within(args, 10000)) {
		server_end(pid);
		TEST_ASSERT(false, "the client attached to the server");
	}
	lsc_events = 0;
	if (rte_eth_dev_get_port_by_name(CL, &t.cl) < 0 ||
	    rte_eth_dev_callback_register(t.cl, RTE_ETH_EVENT_INTR_LSC, on_lsc,
			NULL) < 0 ||
	    port_start(t.cl, 2, t.mp, true) < 0 || !link_up_within(t.cl, 5000))
		rc = -1;
	for (round = 0; rc == 0 && round < 2; round++) {
		rc = send_and_check(t.cl, t.cl, 2, 1000, 1500, 2048);
		if (rc < 0)
			break;
		lsc = __atomic_load_n(&lsc_events, __ATOMIC_RELAXED);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		if (!link_down_within(t.cl, 3000) ||
		    __atomic_load_n(&lsc_events, __ATOMIC_RELAXED) == lsc) {
			printf("iavf_client: no link down after the server went\n");
			rc = -1;
			pid = -1;
			break;
		}
		/* the data path runs on, into nothing */
		send_and_lose(t.cl);
		pid = server_spawn();
		if (pid < 0 || !link_up_within(t.cl, 10000)) {
			printf("iavf_client: the client did not come back\n");
			rc = -1;
		}
	}
	if (rc == 0)
		rc = send_and_check(t.cl, t.cl, 2, 1000, 1500, 2048);
	if (rte_eth_dev_callback_unregister(t.cl, RTE_ETH_EVENT_INTR_LSC, on_lsc,
			NULL) < 0)
		rc = -1;
	rte_vdev_uninit(CL);
	/* a client closed and probed again, to the same server */
	if (rc == 0 && pid > 0) {
		if (!client_within(args, 5000) ||
		    rte_eth_dev_get_port_by_name(CL, &t.cl) < 0 ||
		    port_start(t.cl, 1, t.mp, false) < 0 ||
		    !link_up_within(t.cl, 5000))
			rc = -1;
		if (rc == 0)
			rc = send_and_check(t.cl, t.cl, 1, 1000, 64, 2048);
		rte_vdev_uninit(CL);
	}
	if (pid > 0 && server_end(pid) < 0)
		return -1;
	TEST_ASSERT_SUCCESS(rc, "server restarted under the client");
	return 0;
}

static int
test_two_process_one_queue(void)
{
	return two_process_echo(1);
}

static int
test_two_process_rss(void)
{
	return two_process_echo(4);
}

static uint64_t
client_xstat(uint16_t port, const char *name)
{
	uint64_t id, v = UINT64_MAX;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) == 0)
		rte_eth_xstats_get_by_id(port, &id, &v, 1);
	return v;
}

/* Write back Rx descriptor i of the client's queue 0 as a device would. */
static void
forge_rx_wb(uint16_t i, uint32_t len, bool eof)
{
	struct iavfc_rx_queue *q = rte_eth_devices[t.cl].data->rx_queues[0];
	volatile union avf_rx_desc *d = &q->ring[i % q->nb_desc];

	d->wb.qw1 = AVF_RXD_DD | (eof ? AVF_RXD_EOF : 0) |
		(uint64_t)len << AVF_RXD_LEN_SHIFT;
}

/*
 * A device that writes back every descriptor of the ring, also those it
 * was not given: the one the doorbell names and those the client took and
 * has not posted again (they hold no mbuf). One burst larger than the
 * ring takes exactly the descriptors the device was given. 0 if so.
 */
static int
forge_whole_ring(struct iavfc_rx_queue *q)
{
	static struct rte_mbuf *pkts[IAVFC_MAX_RING + 32];
	uint16_t given = q->nb_desc - 1 - q->nb_hold, i, n;

	for (i = 0; i < q->nb_desc; i++)
		forge_rx_wb(i, 60, true);
	n = rte_eth_rx_burst(t.cl, 0, pkts, q->nb_desc + 32);
	rte_pktmbuf_free_bulk(pkts, n);
	printf("iavf_client: every descriptor written back: %u frames taken, "
	       "%u given to the device\n", n, given);
	return n == given ? 0 : -1;
}

/*
 * A device that writes back what no buffer holds: a length beyond the
 * buffer, then a frame of more buffers than the largest frame takes. The
 * client drops both, counts them, and gives every buffer back.
 */
static int
test_bogus_write_back(void)
{
	struct iavfc_rx_queue *q;
	struct rte_mbuf *pkts[32];
	uint16_t next, n, k;
	int rc = setup_ports(1, false);

	if (rc < 0) {
		teardown_ports();
		return rc;
	}
	/* the backend sends nothing: the forged descriptors are all there is */
	q = rte_eth_devices[t.cl].data->rx_queues[0];
	next = q->next;
	forge_rx_wb(next, 4000, true);
	n = rte_eth_rx_burst(t.cl, 0, pkts, 32);
	rte_pktmbuf_free_bulk(pkts, n);
	rc |= n != 0 || client_xstat(t.cl, "rx_bad_descriptors") != 1;
	/* 5 x 2048 bytes: longer than the longest frame, 9728 */
	for (k = 1; k <= 7; k++)
		forge_rx_wb(next + k, 2048, k == 7);
	n = rte_eth_rx_burst(t.cl, 0, pkts, 32);
	rte_pktmbuf_free_bulk(pkts, n);
	printf("iavf_client: forged write-backs: %u frames taken, %" PRIu64
	       " bad descriptors\n", n, client_xstat(t.cl, "rx_bad_descriptors"));
	rc |= n != 0 || client_xstat(t.cl, "rx_bad_descriptors") != 2;
	rc |= forge_whole_ring(q);
	/* (the suite checks that every buffer came back) */
	teardown_ports();
	TEST_ASSERT_SUCCESS(rc, "bogus write-backs dropped and counted");
	return 0;
}

/*
 * A hostile server: a proxy between the client and emu_iavf that passes
 * every message on, fds included, and changes one thing. The client must
 * refuse the device or count the fault, and leave no fd, mbuf or memory
 * behind.
 */
enum tamper {
	T_DEVICE_ID,      /* config space names another device */
	T_BAR0_SMALL,     /* BAR0 of one page */
	T_BAR0_NO_FD,     /* BAR0 without its fd: nothing to mmap */
	T_RSTAT_STUCK,    /* VFGEN_RSTAT never leaves reset */
	T_ARQ_HEAD,       /* ARQH ahead of every message written */
	T_CLOSE_ON_ATQ,   /* the server goes at the first virtchnl request */
	T_UNSOLICITED,    /* once up, a message nobody asked for */
	/* the PF's mailbox messages, changed where the client reads them */
	T_ARQ_FLOOD,      /* an event in every ARQ slot the client reads */
	T_ARQ_HEAD_OUT,   /* ARQH outside the ring */
	T_WRONG_OP,       /* every reply names another request */
	T_LONG_MSG,       /* every message longer than its buffer */
	T_VERSION_MAJOR,  /* virtchnl 2.0 */
	T_RES_SHORT,      /* GET_VF_RESOURCES of 8 bytes */
	T_RES_NO_VSI,     /* GET_VF_RESOURCES with no VSI */
	T_RES_VECTORS,    /* GET_VF_RESOURCES with the mailbox's vector only */
	T_NONE,           /* every message as it is */
};

static struct {
	pthread_t th;
	int listen_fd;
	enum tamper what;
	volatile bool stop;
	volatile bool client_closed;  /* the client closed its side */
	volatile bool up;             /* the client enabled its queues */
	int pending;                  /* requests not yet answered */
	uint64_t last_us;             /* when the last message passed */
	uint64_t arq_iova;            /* the client's ARQ, as it wrote it */
	uint32_t arqt;                /* the client's last ARQ tail */
	uint16_t arq_seen;            /* the next ARQ message to change */
	struct { uint16_t cmd; uint32_t region; uint64_t off; } req[65536];
	uint8_t buf[1 << 20];
} px;

/* One message with its fds; the payload length, or a negative errno. */
static int
px_recv(int fd, struct vfio_user_header *h, int *fds, int *nfds)
{
	union {
		char buf[CMSG_SPACE(16 * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { h, sizeof(*h) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *cm;
	size_t len, got;
	ssize_t n;

	*nfds = 0;
	n = recvmsg(fd, &mh, MSG_WAITALL | MSG_CMSG_CLOEXEC);
	if (n != sizeof(*h) || h->msg_size < sizeof(*h) ||
	    h->msg_size - sizeof(*h) > sizeof(px.buf))
		return -ECONNRESET;
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_type == SCM_RIGHTS) {
			*nfds = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			memcpy(fds, CMSG_DATA(cm), *nfds * sizeof(int));
		}
	len = h->msg_size - sizeof(*h);
	for (got = 0; got < len; got += n) {
		n = recv(fd, px.buf + got, len - got, MSG_WAITALL);
		if (n <= 0)
			return -ECONNRESET;
	}
	return (int)len;
}

static void
px_close_fds(int *fds, int n)
{
	while (n-- > 0)
		close(fds[n]);
}

/* A register the client writes that the proxy needs to know. */
static void
px_note_write(uint64_t off, const uint8_t *data, uint32_t count)
{
	uint32_t v;

	if (count != 4)
		return;
	memcpy(&v, data, 4);
	if (off == IAVF_VF_ARQBAL1) {
		/* a new ring: the VF starts it again */
		px.arq_iova = (px.arq_iova & ~(uint64_t)UINT32_MAX) | v;
		px.arq_seen = 0;
	}
	if (off == IAVF_VF_ARQBAH1)
		px.arq_iova = (px.arq_iova & UINT32_MAX) | (uint64_t)v << 32;
	if (off == IAVF_VF_ARQT1)
		px.arqt = v;
}

/* The buffer of a descriptor of the client's ARQ, in this process. */
static void *
px_arq_buf(const struct iavf_aq_desc *d)
{
	return rte_mem_iova2virt((uint64_t)d->addr_high << 32 | d->addr_low);
}

/*
 * One message the PF wrote in the client's ARQ, changed before the
 * client reads it. The client is in this process: its memory is ours.
 */
static void
px_tamper_msg(struct iavf_aq_desc *d)
{
	uint8_t *buf = px_arq_buf(d);
	struct virtchnl_vf_resource *r = (void *)buf;
	struct virtchnl_version_info *v = (void *)buf;

	if (px.what == T_WRONG_OP)
		d->cookie_high = VIRTCHNL_OP_GET_STATS;
	if (px.what == T_LONG_MSG)
		d->datalen = IAVFC_AQ_BUF + 1;
	if (buf == NULL)
		return;
	if (d->cookie_high == VIRTCHNL_OP_VERSION && px.what == T_VERSION_MAJOR)
		v->major = 2;
	if (d->cookie_high != VIRTCHNL_OP_GET_VF_RESOURCES)
		return;
	if (px.what == T_RES_SHORT)
		d->datalen = 8;
	if (px.what == T_RES_NO_VSI)
		r->num_vsis = 0;
	if (px.what == T_RES_VECTORS)
		r->max_vectors = 1;
}

/*
 * A link event in the ARQ slot the client reads next, over whatever
 * the PF wrote there, and the head just past it: the client never runs
 * out of messages, and never sees a reply.
 */
static uint32_t
px_flood_event(struct iavf_aq_desc *arq)
{
	uint16_t i = (px.arqt + 1) % IAVFC_AQ_LEN;
	struct iavf_aq_desc *d = &arq[i];
	struct virtchnl_pf_event ev = { .event = VIRTCHNL_EVENT_LINK_CHANGE,
		.link_speed = 25000, .link_status = 1 };
	void *buf = px_arq_buf(d);

	if (buf == NULL)
		return i;
	memcpy(buf, &ev, sizeof(ev));
	d->opcode = IAVF_AQ_OP_MSG_TO_VF;
	d->cookie_high = VIRTCHNL_OP_EVENT;
	d->cookie_low = VIRTCHNL_STATUS_SUCCESS;
	d->datalen = sizeof(ev);
	rte_wmb();
	d->flags |= IAVF_AQ_FLAG_DD;
	return (i + 1) % IAVFC_AQ_LEN;
}

/* The ARQ head the client reads: what the PF wrote up to it changed. */
static uint32_t
px_tamper_arq(uint32_t head)
{
	struct iavf_aq_desc *arq = rte_mem_iova2virt(px.arq_iova);

	if (px.what == T_ARQ_FLOOD && arq != NULL)
		return px_flood_event(arq);
	if (px.what == T_ARQ_HEAD_OUT)
		return IAVFC_AQ_LEN + 3;
	for (; arq != NULL && px.arq_seen != head % IAVFC_AQ_LEN;
	     px.arq_seen = (px.arq_seen + 1) % IAVFC_AQ_LEN)
		px_tamper_msg(&arq[px.arq_seen]);
	return head;
}

/* The reply to a REGION_READ of (region, off): its value changed. */
static void
px_tamper_read(uint32_t region, uint64_t off, uint8_t *data, uint32_t count)
{
	uint32_t v;

	if (count != 4)
		return;
	memcpy(&v, data, 4);
	if (region == RTE_VFIO_USER_PCI_BAR0 && off == IAVF_VF_ARQH1)
		v = px_tamper_arq(v);
	if (px.what == T_DEVICE_ID && region == RTE_VFIO_USER_PCI_CONFIG &&
	    off == 0)
		v = 0x10fb8086;
	if (px.what == T_RSTAT_STUCK && region == RTE_VFIO_USER_PCI_BAR0 &&
	    off == IAVF_VFGEN_RSTAT)
		v = IAVF_RSTAT_INPROGRESS;
	if (px.what == T_ARQ_HEAD && region == RTE_VFIO_USER_PCI_BAR0 &&
	    off == IAVF_VF_ARQH1)
		v = (v + 5) % IAVFC_AQ_LEN;
	memcpy(data, &v, 4);
}

/* Pass one message from a to b, changed as px.what says; false: stop. */
static bool
px_pass(int a, int b, bool from_client)
{
	struct vfio_user_header h;
	int fds[16], nfds, len = px_recv(a, &h, fds, &nfds);
	bool reply = (h.flags & VFIO_USER_F_TYPE_MASK) == VFIO_USER_F_TYPE_REPLY;

	if (len < 0) {
		if (from_client)
			px.client_closed = true;
		return false;
	}
	px.last_us = rte_get_timer_cycles() * 1000000 / rte_get_timer_hz();
	if (from_client && !reply && !(h.flags & VFIO_USER_F_NO_REPLY))
		px.pending++;
	if (!from_client && reply)
		px.pending--;
	if (from_client && !reply) {
		px.req[h.msg_id].cmd = h.cmd;
		if ((h.cmd == VFIO_USER_REGION_READ ||
		     h.cmd == VFIO_USER_REGION_WRITE) && len >= 16) {
			struct vfio_user_region_access *ra = (void *)px.buf;

			px.req[h.msg_id].region = ra->region;
			px.req[h.msg_id].off = ra->offset;
			if (h.cmd == VFIO_USER_REGION_WRITE &&
			    ra->region == RTE_VFIO_USER_PCI_BAR0)
				px_note_write(ra->offset, ra->data,
					      RTE_MIN(ra->count,
						      (uint32_t)len - 16));
			if (h.cmd == VFIO_USER_REGION_WRITE &&
			    ra->region == RTE_VFIO_USER_PCI_BAR0 &&
			    ra->offset == IAVF_VF_ATQT1 &&
			    px.what == T_CLOSE_ON_ATQ) {
				px_close_fds(fds, nfds);
				return false;
			}
		}
		if (h.cmd == VFIO_USER_DEVICE_GET_REGION_INFO && len >= 12)
			px.req[h.msg_id].region = ((uint32_t *)px.buf)[2];
	}
	if (!from_client && reply && !(h.flags & VFIO_USER_F_ERROR)) {
		uint16_t cmd = px.req[h.msg_id].cmd;
		uint32_t region = px.req[h.msg_id].region;

		if (cmd == VFIO_USER_REGION_READ && len >= 16) {
			struct vfio_user_region_access *ra = (void *)px.buf;

			px_tamper_read(region, px.req[h.msg_id].off, ra->data,
				       RTE_MIN(ra->count, (uint32_t)len - 16));
		}
		if (cmd == VFIO_USER_DEVICE_GET_REGION_INFO &&
		    region == RTE_VFIO_USER_PCI_BAR0 &&
		    len >= (int)sizeof(struct vfio_user_region_info)) {
			struct vfio_user_region_info *ri = (void *)px.buf;

			if (px.what == T_BAR0_SMALL)
				ri->size = 4096;
			if (px.what == T_BAR0_NO_FD) {
				px_close_fds(fds, nfds);
				nfds = 0;
			}
		}
	}
	vu_raw_send(b, h.msg_id, h.cmd, h.flags, h.msg_size, px.buf, len,
		    fds, nfds);
	px_close_fds(fds, nfds);
	if (from_client && h.cmd == VFIO_USER_REGION_WRITE &&
	    px.req[h.msg_id].off == IAVF_VF_ATQT1)
		px.up = true; /* virtchnl under way */
	return true;
}

static void *
px_main(void *arg __rte_unused)
{
	int c = -1, s = -1;
	bool sent = false;

	while (!px.stop && c < 0) {
		struct pollfd p = { px.listen_fd, POLLIN, 0 };

		if (poll(&p, 1, 50) > 0)
			c = accept4(px.listen_fd, NULL, NULL, SOCK_CLOEXEC);
	}
	if (c >= 0)
		s = vu_raw_connect(t.sock);
	while (!px.stop && c >= 0 && s >= 0) {
		struct pollfd p[2] = { { c, POLLIN, 0 }, { s, POLLIN, 0 } };

		if (poll(p, 2, 50) < 0)
			break;
		if ((p[0].revents & (POLLIN | POLLHUP)) && !px_pass(c, s, true))
			break;
		if ((p[1].revents & (POLLIN | POLLHUP)) && !px_pass(s, c, false))
			break;
		/*
		 * A message no request asked for, once the VF is up and the
		 * socket has been quiet for 300 ms with no request waiting.
		 */
		if (px.what == T_UNSOLICITED && px.up && !sent &&
		    px.pending == 0 && rte_get_timer_cycles() * 1000000 /
		    rte_get_timer_hz() > px.last_us + 300000) {
			vu_raw_send(c, 0x7777, VFIO_USER_REGION_READ,
				    VFIO_USER_F_TYPE_REPLY, 0, NULL, 0, NULL, 0);
			sent = true;
		}
	}
	if (px.what == T_UNSOLICITED && c >= 0) {
		/* the client must close its side now */
		uint8_t b[4096];
		int i;

		for (i = 0; i < 300 && !px.client_closed; i++) {
			struct pollfd p = { c, POLLIN, 0 };

			if (poll(&p, 1, 10) > 0 && recv(c, b, sizeof(b), 0) <= 0)
				px.client_closed = true;
		}
	}
	if (c >= 0)
		close(c);
	if (s >= 0)
		close(s);
	return NULL;
}

/* The client through the proxy; 0 when the probe succeeded. */
static int
via_proxy(enum tamper what, const char *extra)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char args[256];
	int rc;

	memset(&px.req, 0, sizeof(px.req));
	px.pending = 0;
	px.arq_iova = 0;
	px.arqt = 0;
	px.arq_seen = 0;
	px.what = what;
	px.stop = px.client_closed = px.up = false;
	px.listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/proxy.sock",
		 test_tmpdir());
	unlink(sa.sun_path);
	if (px.listen_fd < 0 ||
	    bind(px.listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(px.listen_fd, 1) < 0 ||
	    pthread_create(&px.th, NULL, px_main, NULL) != 0)
		return -EIO;
	snprintf(args, sizeof(args), "path=%s%s", sa.sun_path, extra);
	rc = rte_vdev_init(CL, args);
	return rc;
}

static void
proxy_end(void)
{
	px.stop = true;
	pthread_join(px.th, NULL);
	close(px.listen_fd);
}

/*
 * One hostile server; want is the errno the probe must fail with, 0 for
 * any. However the server behaves, the probe ends within its timeouts.
 */
static int
hostile_case(enum tamper what, const char *name, int want)
{
	const uint64_t bound_ms = IAVFC_RESET_TIMEOUT_MS +
		2 * IAVFC_VC_TIMEOUT_MS;
	char args[192];
	uint64_t bad = 0, start, ms;
	int fds, rc;

	snprintf(t.sock, sizeof(t.sock), "%s/iavfc.sock", test_tmpdir());
	snprintf(args, sizeof(args), "path=%s,queues=4", t.sock);
	fds = test_count_fds();
	TEST_ASSERT_SUCCESS(rte_vdev_init(EMU, args), "emu_iavf");
	start = rte_get_timer_cycles();
	rc = via_proxy(what, "");
	ms = (rte_get_timer_cycles() - start) * 1000 / rte_get_timer_hz();
	if (rc == 0 && rte_eth_dev_get_port_by_name(CL, &t.cl) == 0) {
		struct rte_eth_link l;

		/* the link's poll reads the admin queue once more */
		if (rte_eth_link_get_nowait(t.cl, &l) == 0)
			bad = client_xstat(t.cl, "mailbox_bad_messages");
	}
	proxy_end();
	if (rc == 0)
		rte_vdev_uninit(CL);
	rte_vdev_uninit(EMU);
	printf("iavf_client: hostile server, %s: probe %s in %" PRIu64 " ms, %"
	       PRIu64 " bad mailbox messages\n", name,
	       rc == 0 ? "succeeded" : strerror(-rc), ms, bad);
	/* the admin queue's faults may be lived with, but are counted */
	if (what == T_ARQ_HEAD)
		TEST_ASSERT(rc < 0 || bad > 0, "%s: refused or counted", name);
	else
		TEST_ASSERT(rc < 0, "%s: the client refused the device", name);
	TEST_ASSERT(want == 0 || rc == -want, "%s: refused with %s, not %s",
		    name, strerror(want), strerror(-rc));
	TEST_ASSERT(ms < bound_ms, "%s: the probe ended within %" PRIu64 " ms",
		    name, bound_ms);
	TEST_ASSERT_EQUAL(test_count_fds(), fds, "%s: no fd left behind, none "
			  "closed", name);
	return 0;
}

static int
test_hostile_server(void)
{
	static const struct {
		enum tamper what;
		const char *name;
		int want;
	} c[] = {
		{ T_DEVICE_ID, "another device's ID", 0 },
		{ T_BAR0_SMALL, "BAR0 of one page", 0 },
		{ T_BAR0_NO_FD, "BAR0 without an fd", 0 },
		{ T_RSTAT_STUCK, "a reset that never ends", ETIMEDOUT },
		{ T_ARQ_HEAD, "ARQ head past what it wrote", 0 },
		{ T_CLOSE_ON_ATQ, "gone at the first virtchnl request", 0 },
		{ T_ARQ_FLOOD, "an event in every ARQ slot", ETIMEDOUT },
		{ T_ARQ_HEAD_OUT, "ARQ head outside the ring", EPROTO },
		{ T_WRONG_OP, "replies to another request", ETIMEDOUT },
		{ T_LONG_MSG, "messages longer than their buffer", ETIMEDOUT },
		{ T_VERSION_MAJOR, "virtchnl 2.0", EPROTO },
		{ T_RES_SHORT, "GET_VF_RESOURCES of 8 bytes", EPROTO },
		{ T_RES_NO_VSI, "GET_VF_RESOURCES with no VSI", EPROTO },
		{ T_RES_VECTORS, "GET_VF_RESOURCES with one vector", EPROTO },
	};
	size_t i;

	for (i = 0; i < RTE_DIM(c); i++)
		if (hostile_case(c[i].what, c[i].name, c[i].want) < 0)
			return -1;
	return 0;
}

/* Once up, a message no request asked for: the client hangs up. */
static int
test_unsolicited_message(void)
{
	char args[192];
	int rc;

	snprintf(t.sock, sizeof(t.sock), "%s/iavfc.sock", test_tmpdir());
	snprintf(args, sizeof(args), "path=%s,queues=4", t.sock);
	TEST_ASSERT_SUCCESS(rte_vdev_init(EMU, args), "emu_iavf");
	rc = via_proxy(T_UNSOLICITED, "");
	if (rc == 0) {
		int i;

		for (i = 0; i < 3000 && !px.client_closed; i++)
			usleep(1000);
	}
	proxy_end();
	if (rc == 0)
		rte_vdev_uninit(CL);
	rte_vdev_uninit(EMU);
	TEST_ASSERT_SUCCESS(rc, "the probe through the proxy");
	TEST_ASSERT(px.client_closed, "the client hung up on the server");
	return 0;
}

/* Frames from the backend to the client, not taken. */
static int
backend_sends(uint32_t n)
{
	struct rte_mbuf *pkts[32];
	uint32_t k;

	for (k = 0; k < n; k++) {
		pkts[k] = make_frame(t.big, k, 64, 9728);
		if (pkts[k] == NULL)
			return -1;
	}
	k = rte_eth_tx_burst(t.be, 0, pkts, n);
	rte_pktmbuf_free_bulk(pkts + k, n - k);
	return k == n ? 0 : -1;
}

/* The test's epoll (EAL's per-thread one would outlive the test). */
static int rx_epfd = -1;

/* Wakeups on the test's epoll within ms. */
static int
rx_wakeups(int ms)
{
	struct rte_epoll_event ev[4];

	return rte_epoll_wait(rx_epfd, ev, RTE_DIM(ev), ms);
}

static uint16_t
take_all(uint16_t port)
{
	struct rte_mbuf *pkts[32];
	uint16_t n = rte_eth_rx_burst(port, 0, pkts, 32);

	rte_pktmbuf_free_bulk(pkts, n);
	return n;
}

/*
 * Rx interrupt mode: a frame wakes a thread waiting on the queue's
 * eventfd when the interrupt is enabled, none when disabled, and one that
 * came while disabled wakes it when enabled again.
 */
static int
test_rx_interrupts(void)
{
	int rc, woke_on, woke_off, woke_pending;
	uint16_t got_on, got_off, got_pending;

	rx_intr = true;
	rc = setup_ports(1, false);
	rx_intr = false;
	if (rc < 0) {
		teardown_ports();
		return rc;
	}
	rx_epfd = epoll_create1(EPOLL_CLOEXEC);
	rc = rte_eth_dev_rx_intr_ctl_q(t.cl, 0, rx_epfd, RTE_INTR_EVENT_ADD,
			NULL);
	if (rc == 0)
		rc = rte_eth_dev_rx_intr_enable(t.cl, 0);
	rx_wakeups(100);
	take_all(t.cl);
	/* enabled: a frame wakes us */
	rc |= backend_sends(1);
	woke_on = rx_wakeups(2000);
	got_on = take_all(t.cl);
	/* disabled: it does not */
	rc |= rte_eth_dev_rx_intr_disable(t.cl, 0);
	rx_wakeups(100);
	rc |= backend_sends(1);
	woke_off = rx_wakeups(300);
	got_off = take_all(t.cl);
	/* a frame that came while disabled wakes us when enabled */
	rc |= backend_sends(1);
	usleep(100000);
	rc |= rte_eth_dev_rx_intr_enable(t.cl, 0);
	woke_pending = rx_wakeups(2000);
	got_pending = take_all(t.cl);
	if (rte_eth_dev_rx_intr_ctl_q(t.cl, 0, rx_epfd, RTE_INTR_EVENT_DEL,
			NULL) < 0)
		rc = -1;
	teardown_ports();
	close(rx_epfd);
	printf("iavf_client: Rx interrupts: enabled %d wakeups (%u frames), "
	       "disabled %d (%u), pending at enable %d (%u)\n", woke_on, got_on,
	       woke_off, got_off, woke_pending, got_pending);
	TEST_ASSERT_SUCCESS(rc, "interrupt set-up");
	TEST_ASSERT(woke_on >= 1 && got_on == 1, "woken by a frame");
	TEST_ASSERT(woke_off == 0 && got_off == 1, "not woken while disabled");
	TEST_ASSERT(woke_pending >= 1 && got_pending == 1,
		    "woken at enable by what came meanwhile");
	return 0;
}

/* n frames from the backend to a client that does not poll meanwhile. */
static int
flood_client(uint32_t n)
{
	uint32_t k;

	for (k = 0; k < n; k += 32)
		if (backend_sends(32) < 0)
			return -1;
	return 0;
}

/* Every frame the client's queue 0 holds. */
static uint32_t
drain_client(void)
{
	uint32_t got = 0, n;

	do {
		n = take_all(t.cl);
		got += n;
	} while (n > 0);
	return got;
}

/*
 * Frames the backend had no client buffer for are the client's imissed,
 * from the device's GET_STATS; a stats reset starts them from zero, as
 * the port's own counts, although the device's never go back.
 */
static int
test_stats_reset(void)
{
	struct rte_eth_stats st[2];
	uint32_t got[2];
	int rc = setup_ports(1, false), round;

	for (round = 0; rc == 0 && round < 2; round++) {
		if (flood_client(2048) < 0) {
			rc = -1;
			break;
		}
		got[round] = drain_client();
		rc = rte_eth_stats_get(t.cl, &st[round]);
		if (rc == 0 && round == 0)
			rc = rte_eth_stats_reset(t.cl);
	}
	teardown_ports();
	TEST_ASSERT_SUCCESS(rc, "flood, drain, stats");
	for (round = 0; round < 2; round++) {
		printf("iavf_client: flood %d: 2048 frames, %u received, %" PRIu64
		       " missed, ipackets %" PRIu64 "\n", round, got[round],
		       st[round].imissed, st[round].ipackets);
		TEST_ASSERT(got[round] > 0 && st[round].imissed > 0 &&
			    got[round] + st[round].imissed == 2048 &&
			    st[round].ipackets == got[round],
			    "flood %d: each frame received or missed, once", round);
	}
	return 0;
}

static struct rte_vfio_user_stats emu_vu_stats(void);

/* The identity of fd 0, or an fd opened there when it is free. */
static bool
fd0_identity(struct stat *st, int *opened)
{
	*opened = -1;
	if (fstat(0, st) == 0)
		return true;
	*opened = open("/dev/null", O_RDONLY); /* the lowest free fd: 0 */
	return *opened == 0 && fstat(0, st) == 0;
}

/*
 * The server goes while the client port is being closed: whatever the
 * server's leaving sets off on EAL's threads (the socket's watch, its
 * alarm, a reconnect) is over before the port is gone, and nothing of
 * it runs on the freed port after (once, its zeroed memory had it
 * close fd 0). The server is the proxy, which closes the client's
 * socket just before the port is closed; the gap between the two is
 * swept, as the race is narrow.
 */
static int
test_server_goes_at_close(void)
{
	char args[192];
	struct rte_vfio_user_stats st;
	struct stat before, after;
	int i, k, opened, fds;
	bool same;

	TEST_ASSERT(fd0_identity(&before, &opened), "fd 0");
	fds = test_count_fds();
	snprintf(t.sock, sizeof(t.sock), "%s/iavfc.sock", test_tmpdir());
	snprintf(args, sizeof(args), "path=%s,queues=1", t.sock);
	TEST_ASSERT_SUCCESS(rte_vdev_init(EMU, args), "emu_iavf");
	for (i = 0; i < 100; i++) {
		uint64_t until;

		if (via_proxy(T_NONE, i % 2 ? ",reconnect=1" : "") != 0) {
			proxy_end();
			break;
		}
		proxy_end();
		until = rte_get_timer_cycles() +
			rte_get_timer_hz() * (uint64_t)(i % 50) / 1000000;
		while (rte_get_timer_cycles() < until)
			rte_pause();
		rte_vdev_uninit(CL);
	}
	/* the server sees the last one go too */
	for (st = emu_vu_stats(), k = 0; st.disconnects < 100 && k < 1000; k++) {
		usleep(1000);
		st = emu_vu_stats();
	}
	rte_vdev_uninit(EMU);
	usleep(50000); /* what a freed port's alarm would do is done */
	same = fstat(0, &after) == 0 && after.st_dev == before.st_dev &&
	       after.st_ino == before.st_ino;
	if (opened >= 0)
		close(opened);
	TEST_ASSERT_EQUAL(i, 100, "the client came up through the proxy");
	/* a client that goes mid-request is no abuse */
	TEST_ASSERT(st.disconnects == 100 && st.abuse_disconnects == 0,
		    "%" PRIu64 " disconnects, %" PRIu64 " for abuse",
		    st.disconnects, st.abuse_disconnects);
	TEST_ASSERT(same, "fd 0 is still what it was");
	TEST_ASSERT_EQUAL(test_count_fds(), fds, "no fd left behind");
	return 0;
}

/* Devargs a user may get wrong: each refused, with nothing left. */
static int
test_bad_devargs(void)
{
	static const char *const bad[] = {
		"", "queues=2", "path=/nonexistent/sock",
		"path=%s,queues=0", "path=%s,queues=17", "path=%s,queues=x",
		"path=%s,reconnect=-1", "path=%s,reconnect=3600001",
		"path=%s,mac=01:00:5e:00:00:01", "path=%s,mac=zz",
		"path=%s,path=%s", "path=%s,speed=10", "path=%s,intr=2",
		"path=%s,intr=1,intr=0",
	};
	char sock[128], args[320];
	size_t i;
	int fds = test_count_fds();

	snprintf(sock, sizeof(sock), "%s/iavfc.sock", test_tmpdir());
	snprintf(args, sizeof(args), "path=%s,queues=4", sock);
	TEST_ASSERT_SUCCESS(rte_vdev_init(EMU, args), "emu_iavf");
	for (i = 0; i < RTE_DIM(bad); i++) {
		snprintf(args, sizeof(args), bad[i], sock, sock);
		TEST_ASSERT(rte_vdev_init(CL, args) < 0, "refused: %s", args);
	}
	/* and a good one, for the contrast */
	snprintf(args, sizeof(args), "path=%s,queues=2,reconnect=0", sock);
	TEST_ASSERT_SUCCESS(rte_vdev_init(CL, args), "accepted: %s", args);
	rte_vdev_uninit(CL);
	rte_vdev_uninit(EMU);
	TEST_ASSERT_EQUAL(test_count_fds(), fds, "no fd left behind");
	return 0;
}

static struct rte_vfio_user_stats
emu_vu_stats(void)
{
	struct rte_vfio_user_stats st = { 0 };
	struct emu_iavf *d = emu_iavf_find(EMU);

	if (d != NULL)
		rte_vfio_user_get_stats(d->vu_id, &st);
	return st;
}

/*
 * With hugepages (iavf_client_hugepages_autotest): the client's memory is
 * many segments, each its own map; memory EAL adds after the start is
 * mapped before anything uses it (frames from a pool made then arrive
 * intact), and unmapped when EAL frees it.
 */
static int
test_hugepage_memory(void)
{
	struct rte_mempool *late, *saved = t.mp;
	uint32_t maps0, maps1, maps2;
	int rc;

	if (!rte_eal_has_hugepages())
		return TEST_SKIPPED;
	rc = setup_ports(1, false);
	maps0 = emu_vu_stats().dma_maps;
	/* more than any free segment holds: EAL must add memory */
	late = rte_pktmbuf_pool_create("iavfc_late", 16384, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	maps1 = emu_vu_stats().dma_maps;
	if (rc == 0 && late != NULL) {
		t.mp = late;
		rc = send_and_check(t.cl, t.be, 1, 2000, 1500, 2048);
		t.mp = saved;
	}
	/* the port gives back the pool's mbufs it holds before it goes */
	if (rte_eth_dev_stop(t.cl) != 0)
		rc = -1;
	rte_mempool_free(late);
	maps2 = emu_vu_stats().dma_maps;
	teardown_ports();
	printf("iavf_client: hugepages: %u DMA maps at start, %u with a pool "
	       "made after, %u once it is freed\n", maps0, maps1, maps2);
	TEST_ASSERT_SUCCESS(rc, "traffic from memory added after the start");
	TEST_ASSERT(late != NULL, "a pool made after the start");
	TEST_ASSERT(maps0 > 1, "several segments, several maps");
	TEST_ASSERT(maps1 > maps0, "the added memory mapped");
	TEST_ASSERT(maps2 < maps1, "the freed memory unmapped");
	return 0;
}

#define TSO_PAYLOAD 4000
#define TSO_MSS 1000
#define TCP_HDRS (RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr) + \
	sizeof(struct rte_tcp_hdr))

/* A TCP/IPv4 frame of TSO_PAYLOAD bytes, its segmentation asked for. */
static struct rte_mbuf *
make_tso(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(t.big);
	struct rte_ether_hdr *eh;
	struct rte_ipv4_hdr *ip;
	struct rte_tcp_hdr *tcp;
	uint8_t *p;
	uint32_t k;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, TCP_HDRS + TSO_PAYLOAD);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(p, 0, TCP_HDRS);
	eh = (void *)p;
	ip = (void *)(eh + 1);
	tcp = (void *)(ip + 1);
	eh->dst_addr = cl_mac;
	memset(&eh->src_addr, 0x02, RTE_ETHER_ADDR_LEN);
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->total_length = rte_cpu_to_be_16(TCP_HDRS - RTE_ETHER_HDR_LEN +
			TSO_PAYLOAD);
	ip->src_addr = rte_cpu_to_be_32(0x0a000001);
	ip->dst_addr = rte_cpu_to_be_32(0x0a000002);
	tcp->src_port = rte_cpu_to_be_16(1234);
	tcp->dst_port = rte_cpu_to_be_16(80);
	tcp->sent_seq = rte_cpu_to_be_32(1000);
	tcp->data_off = 5 << 4;
	tcp->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
	tcp->rx_win = rte_cpu_to_be_16(65535);
	for (k = 0; k < TSO_PAYLOAD; k++)
		p[TCP_HDRS + k] = (uint8_t)(k * 13);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = sizeof(*ip);
	m->l4_len = sizeof(*tcp);
	m->tso_segsz = TSO_MSS;
	m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
		RTE_MBUF_F_TX_TCP_SEG;
	return m;
}

/* A segment the far end got: headers right, its payload where it goes. */
static bool
tso_segment_ok(struct rte_mbuf *m, uint8_t *seen_payload)
{
	uint8_t buf[2048];
	const uint8_t *p;
	const struct rte_ipv4_hdr *ip;
	const struct rte_tcp_hdr *tcp;
	uint32_t off, len, k;
	uint16_t ck;

	if (m->pkt_len <= TCP_HDRS || m->pkt_len > sizeof(buf))
		return false;
	p = rte_pktmbuf_read(m, 0, m->pkt_len, buf);
	ip = (const void *)(p + RTE_ETHER_HDR_LEN);
	tcp = (const void *)(ip + 1);
	len = m->pkt_len - TCP_HDRS;
	off = rte_be_to_cpu_32(tcp->sent_seq) - 1000;
	/* over a right checksum the sum is 0 (0xffff where 0 is mapped) */
	ck = rte_ipv4_udptcp_cksum(ip, tcp);
	if (len > TSO_MSS || off + len > TSO_PAYLOAD ||
	    rte_be_to_cpu_16(ip->total_length) != m->pkt_len - RTE_ETHER_HDR_LEN ||
	    rte_raw_cksum(ip, sizeof(*ip)) != 0xffff ||
	    (ck != 0 && ck != 0xffff))
		return false;
	for (k = 0; k < len; k++)
		if (p[TCP_HDRS + k] != (uint8_t)((off + k) * 13))
			return false;
	memset(seen_payload + off, 1, len);
	return true;
}

/*
 * TSO and VLAN insertion asked through the descriptors: the backend
 * (guest_offload=sw) gets MSS-sized segments with their checksums and
 * the payload in order, and the frame with its tag.
 */
static int
test_tx_tso_vlan(void)
{
	uint8_t seen[TSO_PAYLOAD] = { 0 };
	struct rte_mbuf *m, *pkts[32];
	uint32_t segs = 0, bad = 0, covered = 0, k;
	bool tagged = false;
	int i, rc = setup_ports(1, false);

	m = rc == 0 ? make_tso() : NULL;
	if (m != NULL && (rte_eth_tx_prepare(t.cl, 0, &m, 1) != 1 ||
			  rte_eth_tx_burst(t.cl, 0, &m, 1) != 1)) {
		rte_pktmbuf_free(m);
		m = NULL;
	}
	for (i = 0; m != NULL && i < 1000 && segs < TSO_PAYLOAD / TSO_MSS; i++) {
		uint16_t n = rte_eth_rx_burst(t.be, 0, pkts, 32), j;

		for (j = 0; j < n; j++) {
			segs++;
			bad += !tso_segment_ok(pkts[j], seen);
		}
		rte_pktmbuf_free_bulk(pkts, n);
		usleep(1000);
	}
	for (k = 0; k < TSO_PAYLOAD; k++)
		covered += seen[k];
	/* a frame with its tag to insert */
	m = rc == 0 ? make_frame(t.mp, 7, 100, 2048) : NULL;
	if (m != NULL) {
		m->ol_flags |= RTE_MBUF_F_TX_VLAN;
		m->vlan_tci = 100;
		if (rte_eth_tx_burst(t.cl, 0, &m, 1) != 1)
			rte_pktmbuf_free(m);
	}
	for (i = 0; i < 1000 && !tagged && m != NULL; i++) {
		uint16_t n = rte_eth_rx_burst(t.be, 0, pkts, 32), j;

		for (j = 0; j < n; j++) {
			const uint8_t *p = rte_pktmbuf_mtod(pkts[j], uint8_t *);

			tagged |= pkts[j]->pkt_len == 104 && p[12] == 0x81 &&
				p[13] == 0x00 && p[14] == 0 && p[15] == 100;
		}
		rte_pktmbuf_free_bulk(pkts, n);
		usleep(1000);
	}
	teardown_ports();
	printf("iavf_client: TSO of %u bytes at MSS %u: %u segments, %u bad, %u "
	       "payload bytes covered; VLAN 100 inserted: %s\n", TSO_PAYLOAD,
	       TSO_MSS, segs, bad, covered, tagged ? "yes" : "no");
	TEST_ASSERT_SUCCESS(rc, "ports");
	TEST_ASSERT_EQUAL(segs, TSO_PAYLOAD / TSO_MSS, "segments");
	TEST_ASSERT_EQUAL(bad, 0, "segments intact");
	TEST_ASSERT_EQUAL(covered, TSO_PAYLOAD, "the whole payload");
	TEST_ASSERT(tagged, "the tag inserted");
	return 0;
}

/*
 * One side's port stops and starts: the other's link follows, and frames
 * flow after each round. The server's side first, then the client's.
 */
static int
test_link_flaps(void)
{
	int rc = setup_ports(1, false), round;
	bool down = false, up = false;

	for (round = 0; rc == 0 && round < 4; round++) {
		uint16_t flap = round < 2 ? t.be : t.cl;
		uint16_t other = round < 2 ? t.cl : t.be;

		if (rte_eth_dev_stop(flap) != 0)
			rc = -1;
		down = link_down_within(other, 2000);
		if (rte_eth_dev_start(flap) != 0)
			rc = -1;
		up = link_up_within(other, 2000);
		if (!down || !up) {
			printf("iavf_client: round %d (%s stopped): link down %d, "
			       "up %d\n", round, round < 2 ? "server" : "client",
			       down, up);
			break;
		}
		rc = send_and_check(t.be, t.cl, 1, 200, 64, 9728);
	}
	teardown_ports();
	TEST_ASSERT_SUCCESS(rc, "stop, start and traffic");
	TEST_ASSERT(down, "the other side's link went down");
	TEST_ASSERT(up, "and came up");
	return 0;
}

/* Until n LSC events have come, within ms; false if they did not. */
static bool
lsc_within(uint32_t n, int ms)
{
	for (; ms > 0; ms--) {
		if (__atomic_load_n(&lsc_events, __ATOMIC_RELAXED) >= n)
			return true;
		usleep(1000);
	}
	return false;
}

/*
 * intr=0: no mailbox vector; an alarm reads the PF's events, so that the
 * server's link flap reaches the application as LSC events although it
 * never asks for the link. Rx interrupts are refused.
 */
static int
test_polled_events(void)
{
	struct rte_eth_conf conf = { .intr_conf.rxq = 1 };
	bool down = false, up = false, refused = false;
	int rc;

	cl_extra = ",intr=0";
	rc = setup_ports(1, false);
	cl_extra = "";
	lsc_events = 0;
	if (rc == 0)
		rc = rte_eth_dev_callback_register(t.cl, RTE_ETH_EVENT_INTR_LSC,
				on_lsc, NULL);
	if (rc == 0) {
		rc = rte_eth_dev_stop(t.be);
		down = lsc_within(1, 2000);
		rc |= rte_eth_dev_start(t.be);
		up = lsc_within(2, 2000);
	}
	if (rc == 0 && down && up)
		rc = send_and_check(t.be, t.cl, 1, 200, 64, 9728);
	if (rc == 0 && rte_eth_dev_stop(t.cl) == 0)
		refused = rte_eth_dev_configure(t.cl, 1, 1, &conf) == -ENOTSUP;
	rte_eth_dev_callback_unregister(t.cl, RTE_ETH_EVENT_INTR_LSC, on_lsc,
			NULL);
	teardown_ports();
	TEST_ASSERT_SUCCESS(rc, "flap and traffic");
	TEST_ASSERT(down && up, "LSC events down (%d) and up (%d), polled",
		    down, up);
	TEST_ASSERT(refused, "Rx interrupts refused without intr=1");
	return 0;
}

static const struct unit_test_case cases[] = {
	{ "two_process_one_queue", test_two_process_one_queue },
	{ "two_process_rss", test_two_process_rss },
	{ "server_restart", test_server_restart },
	{ "bogus_write_back", test_bogus_write_back },
	{ "hostile_server", test_hostile_server },
	{ "unsolicited_message", test_unsolicited_message },
	{ "both_ways", test_both_ways },
	{ "rss", test_rss },
	{ "tx_checksum", test_tx_checksum },
	{ "tx_tso_vlan", test_tx_tso_vlan },
	{ "link_flaps", test_link_flaps },
	{ "polled_events", test_polled_events },
	{ "rx_interrupts", test_rx_interrupts },
	{ "stats_reset", test_stats_reset },
	{ "server_goes_at_close", test_server_goes_at_close },
	{ "bad_devargs", test_bad_devargs },
	{ NULL, NULL },
};

static const struct unit_test_case hugepage_cases[] = {
	{ "hugepage_memory", test_hugepage_memory },
	{ NULL, NULL },
};

static int
run_suite(const char *name, const struct unit_test_case *list)
{
	int fds = test_count_fds(), rc;

	t.mp = rte_pktmbuf_pool_create("iavfc_mp", NB_MBUFS, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	t.big = rte_pktmbuf_pool_create("iavfc_big", 2048, 64, 0, BIG_ROOM,
			SOCKET_ID_ANY);
	if (t.mp == NULL || t.big == NULL)
		return TEST_FAILED;
	rc = unit_test_suite_run(name, list, NULL, NULL);
	/* every mbuf back, every fd closed: the ports gave back all */
	if (rte_mempool_avail_count(t.mp) != NB_MBUFS ||
	    rte_mempool_avail_count(t.big) != 2048) {
		fprintf(stderr, "iavf_client: %u + %u mbufs not returned\n",
			NB_MBUFS - rte_mempool_avail_count(t.mp),
			2048 - rte_mempool_avail_count(t.big));
		rc = TEST_FAILED;
	}
	rte_mempool_free(t.mp);
	rte_mempool_free(t.big);
	/*
	 * With hugepages EAL keeps pages, and their fds, in its heap after
	 * the pools are gone: the count is exact without them only.
	 */
	if (!rte_eal_has_hugepages() && test_count_fds() != fds) {
		test_report_fds(name, fds);
		rc = TEST_FAILED;
	}
	return rc;
}

static int
test_iavf_client(void)
{
	return run_suite("iavf_client", cases);
}

static int
test_iavf_client_hugepages(void)
{
	return run_suite("iavf_client_hugepages", hugepage_cases);
}

REGISTER_TEST_COMMAND(iavf_client_autotest, test_iavf_client);
REGISTER_TEST_COMMAND(iavf_client_hugepages_autotest,
		test_iavf_client_hugepages);
