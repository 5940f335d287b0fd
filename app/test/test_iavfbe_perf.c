/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Benchmark: net_iavfbe side by side with vhost-user in one run. Both
 * backends serve a guest driver on another thread, in this process:
 * - net_iavfbe: the scripted AVF guest (test_vf.h) writes descriptors and
 *   tail doorbells in shared memory, as the guest's iavf driver does;
 * - net_vhost: DPDK's virtio-user PMD is the guest driver.
 * Guest Tx to host Rx, and host Tx into guest Rx, with one queue pair and
 * rings of 512, frames of 64 and 1500 bytes. The host side is the main
 * lcore; the guest thread runs on another CPU when there is one. Figures
 * in Mpps, and the ratio iavfbe / vhost. Run by "meson test --benchmark",
 * never as a pass/fail test.
 */

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <rte_vfio_user.h>

#include "test.h"
#include "test_iavfbe.h"
#include "test_vf.h"

#define RING 512
#define BURST 32
#define WARMUP_MS 200
#define RUN_MS 1000
#define GUEST_TXBUF_OFF 0x200000u   /* one 2 KiB buffer per Tx slot */
#define GUEST_RXBUF_OFF 0x280000u   /* one 2 KiB buffer per Rx slot */
#define NB_MBUFS 8191
#define RUNS 7           /* per cell and backend, the backends taking turns */
#define NOISY 1.5        /* max/min of a cell's runs above which it says so */

struct bench {
	uint16_t port;         /* the host side */
	uint16_t guest_port;   /* virtio-user; unused for iavfbe */
	uint32_t frame_len;
	volatile bool stop;
	uint64_t guest_frames; /* frames the guest delivered or took */
};

static struct rte_mempool *host_mp, *guest_mp;
static uint8_t frame_tmpl[1514];

static void
pin_to_other_cpu(void)
{
	cpu_set_t set;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	CPU_ZERO(&set);
	CPU_SET(n > 1 ? 1 : 0, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	rte_thread_register(); /* mempool caches for the guest's mbufs */
}

static void
guest_done(struct bench *b, uint64_t n)
{
	__atomic_fetch_add(&b->guest_frames, n, __ATOMIC_RELAXED);
}

/*
 * AVF guest Tx: each frame written into its buffer (as virtio-user writes
 * each into an mbuf), RS every BURST descriptors, reclaimed in bursts.
 */
static void *
avf_guest_tx(void *arg)
{
	struct bench *b = arg;
	uint32_t tail = 0, clean = 0;

	pin_to_other_cpu();
	while (!b->stop) {
		uint32_t room, n;

		while (clean != tail && (gtx_desc(0, clean + BURST - 1)->qw1 &
				AVF_TXD_DTYPE_MASK) == AVF_TXD_DTYPE_DONE)
			clean = (clean + BURST) % RING;
		room = (clean + RING - 1 - tail) % RING;
		if (room < BURST)
			continue;
		for (n = 0; n < BURST; n++, tail = (tail + 1) % RING) {
			uint32_t cmd = AVF_TXD_CMD_EOP |
				(n == BURST - 1 ? AVF_TXD_CMD_RS : 0);

			memcpy(vf.mem + GUEST_TXBUF_OFF + tail * 2048, frame_tmpl,
			       b->frame_len);
			gtx_desc(0, tail)->addr = iova(GUEST_TXBUF_OFF + tail * 2048);
			gtx_desc(0, tail)->qw1 = txd_qw1(b->frame_len, cmd, 0);
		}
		rte_smp_wmb();
		*vf_txq_tail(0) = tail;
		guest_done(b, BURST);
	}
	return NULL;
}

/*
 * AVF guest Rx: take written descriptors, reading each frame's first
 * bytes (virtio-user reads each one's header), post them again in bursts.
 */
static void *
avf_guest_rx(void *arg)
{
	struct bench *b = arg;
	uint32_t next = 0, tail, i;
	volatile uint8_t sink = 0;

	pin_to_other_cpu();
	for (i = 0; i < RING; i++)
		grx_desc(0, i)->read.pkt_addr = iova(GUEST_RXBUF_OFF + i * 2048);
	tail = RING - 1;
	*vf_rxq_tail(0) = tail;
	while (!b->stop) {
		uint32_t n = 0;

		while (n < BURST && (grx_desc(0, next)->wb.qw1 & AVF_RXD_DD)) {
			rte_smp_rmb();
			sink += vf.mem[GUEST_RXBUF_OFF + next * 2048 + 12];
			next = (next + 1) % RING;
			n++;
		}
		if (n == 0)
			continue;
		for (i = 0; i < n; i++, tail = (tail + 1) % RING) {
			union avf_rx_desc *d = grx_desc(0, tail);

			d->read.pkt_addr = iova(GUEST_RXBUF_OFF + tail * 2048);
			d->read.hdr_addr = 0;
		}
		rte_smp_wmb();
		*vf_rxq_tail(0) = tail;
		guest_done(b, n);
	}
	return NULL;
}

static uint16_t
alloc_frames(struct rte_mempool *mp, struct rte_mbuf **pkts, uint32_t len)
{
	uint16_t i;

	if (rte_pktmbuf_alloc_bulk(mp, pkts, BURST) != 0)
		return 0;
	for (i = 0; i < BURST; i++) {
		memcpy(rte_pktmbuf_mtod(pkts[i], void *), frame_tmpl, len);
		pkts[i]->data_len = pkts[i]->pkt_len = len;
	}
	return BURST;
}

/* virtio-user as the guest driver. */
static void *
virtio_guest_tx(void *arg)
{
	struct bench *b = arg;
	struct rte_mbuf *pkts[BURST];

	pin_to_other_cpu();
	while (!b->stop) {
		uint16_t n = alloc_frames(guest_mp, pkts, b->frame_len);

		guest_done(b, tx_or_free(b->guest_port, 0, pkts, n));
	}
	return NULL;
}

static void *
virtio_guest_rx(void *arg)
{
	struct bench *b = arg;
	struct rte_mbuf *pkts[BURST];

	pin_to_other_cpu();
	while (!b->stop) {
		uint16_t n = rte_eth_rx_burst(b->guest_port, 0, pkts, BURST);

		rte_pktmbuf_free_bulk(pkts, n);
		guest_done(b, n);
	}
	return NULL;
}

/*
 * Run the guest thread and the host loop; Mpps of the frames that made it
 * across in the measured window (counted by the receiving side).
 */
static double
run(struct bench *b, void *(*guest)(void *), bool host_sends)
{
	uint64_t hz = rte_get_timer_hz(), start, end, t, host = 0, base = 0;
	uint64_t guest_base = 0;
	struct rte_mbuf *pkts[BURST];
	pthread_t th;
	bool measuring = false;

	b->stop = false;
	b->guest_frames = 0;
	if (pthread_create(&th, NULL, guest, b) != 0)
		return 0;
	start = rte_get_timer_cycles() + hz * WARMUP_MS / 1000;
	end = start + hz * RUN_MS / 1000;
	while ((t = rte_get_timer_cycles()) < end) {
		uint16_t n;

		if (!measuring && t >= start) {
			measuring = true;
			base = host;
			guest_base = __atomic_load_n(&b->guest_frames, __ATOMIC_RELAXED);
		}
		if (host_sends) {
			n = alloc_frames(host_mp, pkts, b->frame_len);
			tx_or_free(b->port, 0, pkts, n);
		} else {
			n = rte_eth_rx_burst(b->port, 0, pkts, BURST);
			rte_pktmbuf_free_bulk(pkts, n);
			host += n;
		}
	}
	b->stop = true;
	pthread_join(th, NULL);
	if (host_sends)
		return (__atomic_load_n(&b->guest_frames, __ATOMIC_RELAXED) -
			guest_base) / (RUN_MS * 1000.0);
	return (host - base) / (RUN_MS * 1000.0);
}

static void
drain(uint16_t port)
{
	struct rte_mbuf *pkts[BURST];
	uint16_t n;
	int i;

	for (i = 0; i < 10000; i++) {
		n = rte_eth_rx_burst(port, 0, pkts, BURST);
		rte_pktmbuf_free_bulk(pkts, n);
	}
}

static int
port_start(uint16_t port, struct rte_mempool *mp)
{
	struct rte_eth_conf conf = { 0 };

	if (rte_eth_dev_configure(port, 1, 1, &conf) < 0 ||
	    rte_eth_rx_queue_setup(port, 0, RING, SOCKET_ID_ANY, NULL, mp) < 0 ||
	    rte_eth_tx_queue_setup(port, 0, RING, SOCKET_ID_ANY, NULL) < 0)
		return -1;
	return rte_eth_dev_start(port);
}

static bool
link_up_within(uint16_t port, int ms)
{
	struct rte_eth_link link;

	while (ms-- > 0) {
		if (rte_eth_link_get_nowait(port, &link) == 0 && link.link_status)
			return true;
		usleep(1000);
	}
	return false;
}

struct figures {
	double g2h, h2g;
	double h2g_churn;    /* host Tx -> guest Rx while maps come and go */
	double churn_per_s;  /* DMA_MAP and DMA_UNMAP messages per second */
	double map_us;       /* a DMA_MAP and its DMA_UNMAP, the port idle */
};

/* A vIOMMU guest's map churn: a 4 KiB page mapped and unmapped, again. */
static struct {
	volatile bool stop;
	uint64_t msgs;
} churn;

/* A page outside the guest's memory mapped and unmapped; false on error. */
static bool
map_unmap_page(void)
{
	const uint64_t page = iova(MEM_SIZE);

	return rte_vfio_user_client_dma_map(vf.c, page, 4096, vf.memfd, 0,
			RTE_VFIO_USER_PROT_READ | RTE_VFIO_USER_PROT_WRITE) == 0 &&
		rte_vfio_user_client_dma_unmap(vf.c, page, 4096, false) == 0;
}

static void *
churn_maps(void *arg __rte_unused)
{
	while (!churn.stop && map_unmap_page())
		churn.msgs += 2;
	return NULL;
}

/* Microseconds for a DMA_MAP and its DMA_UNMAP, nothing else running. */
static double
map_round_trip_us(void)
{
	const int n = 2000;
	uint64_t start = rte_get_timer_cycles();
	int i;

	for (i = 0; i < n && map_unmap_page(); i++)
		;
	return (rte_get_timer_cycles() - start) * 1e6 /
		rte_get_timer_hz() / n;
}

/* Host Tx into the guest while another thread churns DMA maps. */
static double
run_with_churn(struct bench *b, double *churn_per_s)
{
	uint64_t start;
	pthread_t th;
	double mpps;

	*churn_per_s = 0;
	memset(&churn, 0, sizeof(churn));
	if (pthread_create(&th, NULL, churn_maps, NULL) != 0)
		return 0;
	start = rte_get_timer_cycles();
	mpps = run(b, avf_guest_rx, true);
	churn.stop = true;
	pthread_join(th, NULL);
	*churn_per_s = churn.msgs * (double)rte_get_timer_hz() /
		(rte_get_timer_cycles() - start);
	return mpps;
}

static int
bench_iavfbe(uint32_t len, struct figures *f)
{
	struct bench b = { .frame_len = len };

	if (iavfbe_test_up(host_mp, &b.port) < 0) {
		iavfbe_test_down();
		return -1;
	}
	f->g2h = run(&b, avf_guest_tx, false);
	drain(b.port);
	f->h2g = run(&b, avf_guest_rx, true);
	iavfbe_test_down();
	/* A guest Rx run starts with the rings as the guest set them up. */
	if (iavfbe_test_up(host_mp, &b.port) < 0) {
		iavfbe_test_down();
		return -1;
	}
	f->map_us = map_round_trip_us();
	f->h2g_churn = run_with_churn(&b, &f->churn_per_s);
	iavfbe_test_down();
	return 0;
}

static int
bench_vhost(uint32_t len, struct figures *f)
{
	struct bench b = { .frame_len = len };
	char args[256];
	int rc = -1;

	snprintf(args, sizeof(args), "iface=%s/vhost.sock,queues=1", test_tmpdir());
	if (rte_vdev_init("net_vhost_bench", args) < 0 ||
	    rte_eth_dev_get_port_by_name("net_vhost_bench", &b.port) < 0 ||
	    port_start(b.port, host_mp) < 0)
		goto out;
	snprintf(args, sizeof(args), "path=%s/vhost.sock,queues=1,queue_size=%d",
		 test_tmpdir(), RING);
	if (rte_vdev_init("net_virtio_user_bench", args) < 0 ||
	    rte_eth_dev_get_port_by_name("net_virtio_user_bench",
			&b.guest_port) < 0 ||
	    port_start(b.guest_port, guest_mp) < 0 ||
	    !link_up_within(b.port, 2000))
		goto out;
	f->g2h = run(&b, virtio_guest_tx, false);
	drain(b.port);
	f->h2g = run(&b, virtio_guest_rx, true);
	drain(b.guest_port);
	rc = 0;
out:
	if (rte_eth_dev_get_port_by_name("net_virtio_user_bench", &b.guest_port) == 0) {
		rte_eth_dev_stop(b.guest_port);
		rte_eth_dev_close(b.guest_port);
	}
	rte_vdev_uninit("net_virtio_user_bench");
	if (rte_eth_dev_get_port_by_name("net_vhost_bench", &b.port) == 0) {
		rte_eth_dev_stop(b.port);
		rte_eth_dev_close(b.port);
	}
	rte_vdev_uninit("net_vhost_bench");
	return rc;
}

/* The median, min and max of a cell's runs. */
struct spread {
	double median, min, max;
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static struct spread
spread_of(const double *v)
{
	double s[RUNS];

	memcpy(s, v, sizeof(s));
	qsort(s, RUNS, sizeof(s[0]), cmp_double);
	return (struct spread){ s[RUNS / 2], s[0], s[RUNS - 1] };
}

/* A line saying a cell's runs spread too far to be read off alone. */
static void
warn_if_noisy(uint32_t len, const char *what, struct spread sp)
{
	if (sp.min > 0 && sp.max / sp.min <= NOISY)
		return;
	printf("iavfbe_perf: WARNING: %u-byte %s is noisy: max/min %.2f "
	       "(%.2f..%.2f) > %.1f, the machine is busy\n", len, what,
	       sp.min > 0 ? sp.max / sp.min : 0, sp.min, sp.max, NOISY);
}

static void
report(uint32_t len, const char *dir, const double *be, const double *vh)
{
	struct spread b = spread_of(be), v = spread_of(vh);
	char what[96];

	printf("iavfbe_perf: %4u-byte frames, %s: net_iavfbe %.2f Mpps "
	       "(%.2f..%.2f), vhost-user/virtio-user %.2f Mpps (%.2f..%.2f), "
	       "ratio of medians %.2f, %d runs each\n", len, dir, b.median,
	       b.min, b.max, v.median, v.min, v.max,
	       v.median > 0 ? b.median / v.median : 0, RUNS);
	snprintf(what, sizeof(what), "%s, net_iavfbe", dir);
	warn_if_noisy(len, what, b);
	snprintf(what, sizeof(what), "%s, vhost-user", dir);
	warn_if_noisy(len, what, v);
}

/*
 * The machine may be shared: each figure is the median of RUNS runs,
 * the two backends taking turns, with the spread.
 */
static int
test_iavfbe_perf(void)
{
	static const uint32_t lens[] = { 64, 1500 };
	double be_g2h[RUNS], be_h2g[RUNS], vh_g2h[RUNS], vh_h2g[RUNS];
	double churned[RUNS], rate[RUNS], map_us[RUNS];
	struct figures f = { 0 };
	unsigned int i, r;
	int rc = TEST_SUCCESS;

	host_mp = rte_pktmbuf_pool_create("bench_host", NB_MBUFS, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	guest_mp = rte_pktmbuf_pool_create("bench_guest", NB_MBUFS, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	TEST_ASSERT(host_mp != NULL && guest_mp != NULL, "mbuf pools");
	rte_log_set_level_pattern("lib.vhost.*", RTE_LOG_WARNING);
	rte_log_set_level_pattern("pmd.net.vhost*", RTE_LOG_WARNING);
	rte_log_set_level_pattern("pmd.net.virtio*", RTE_LOG_WARNING);
	printf("iavfbe_perf: 1 queue pair, rings of %d, bursts of %d, %d ms per "
	       "run; host on lcore %u, guest thread on CPU %d\n", RING, BURST,
	       RUN_MS, rte_lcore_id(), sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0);
	rte_ether_unformat_addr(DEV_MAC, (struct rte_ether_addr *)frame_tmpl);
	memset(frame_tmpl + 6, 0x02, 6);
	frame_tmpl[12] = 0x88;
	frame_tmpl[13] = 0xb5;
	for (i = 0; rc == TEST_SUCCESS && i < RTE_DIM(lens); i++) {
		for (r = 0; r < RUNS; r++) {
			if (bench_iavfbe(lens[i], &f) < 0) {
				rc = TEST_FAILED;
				break;
			}
			be_g2h[r] = f.g2h;
			be_h2g[r] = f.h2g;
			churned[r] = f.h2g_churn;
			rate[r] = f.churn_per_s;
			map_us[r] = f.map_us;
			if (bench_vhost(lens[i], &f) < 0) {
				rc = TEST_FAILED;
				break;
			}
			vh_g2h[r] = f.g2h;
			vh_h2g[r] = f.h2g;
		}
		if (rc != TEST_SUCCESS) {
			printf("iavfbe_perf: a backend did not start\n");
			break;
		}
		report(lens[i], "guest Tx -> host Rx", be_g2h, vh_g2h);
		report(lens[i], "host Tx -> guest Rx", be_h2g, vh_h2g);
		printf("iavfbe_perf: %4u-byte frames, host Tx -> guest Rx while a "
		       "4 KiB page is mapped and unmapped: net_iavfbe %.2f Mpps at "
		       "%.0f DMA_MAP/DMA_UNMAP per second, %.2f Mpps without "
		       "(medians of %d)\n", lens[i], spread_of(churned).median,
		       spread_of(rate).median, spread_of(be_h2g).median, RUNS);
		printf("iavfbe_perf: a DMA_MAP and its DMA_UNMAP (4 KiB) with the "
		       "port attached and idle: %.1f us (%.1f..%.1f)\n",
		       spread_of(map_us).median, spread_of(map_us).min,
		       spread_of(map_us).max);
	}
	rte_mempool_free(host_mp);
	rte_mempool_free(guest_mp);
	return rc;
}

REGISTER_TEST_COMMAND(iavfbe_perf_autotest, test_iavfbe_perf);
