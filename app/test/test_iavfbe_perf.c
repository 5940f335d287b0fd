/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Benchmark: net_iavfbe side by side with vhost-user in one run. Both
 * backends serve a guest driver (test_iavfbe_bench.h) on another thread,
 * in this process. Guest Tx to host Rx, and host Tx into guest Rx, with
 * one queue pair and rings of 512, UDP/IPv4 frames of 64, 1500 and 9000
 * bytes (9000: chains of 2 KiB buffers on both sides). The host side is the main
 * lcore; the guest thread runs on another CPU when there is one. Figures
 * in Mpps, and the ratio iavfbe / vhost. Run by "meson test --benchmark",
 * never as a pass/fail test.
 */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <rte_vfio_user.h>

#include "test.h"
#include "test_iavfbe.h"
#include "test_iavfbe_bench.h"
#include "test_vf.h"

#define WARMUP_MS 200
#define RUN_MS 1000
#define RUNS 7           /* per cell and backend, the backends taking turns */
#define NOISY 1.5        /* max/min of a cell's runs above which it says so */

struct bench {
	uint16_t port;         /* the host side */
	uint16_t guest_port;   /* virtio-user; unused for iavfbe */
	uint32_t frame_len;
	struct avf_guest avf;
	volatile bool stop;
	uint64_t guest_frames; /* frames the guest delivered or took */
};

static struct rte_mempool *host_mp, *guest_mp;

/* A guest thread's start: beside the host side, with an lcore id. */
static void
enter_thread(void)
{
	test_thread_other_cpu(pthread_self());
	rte_thread_register(); /* mempool caches for the guest's mbufs */
}

/*
 * A guest thread's end: the mbufs its mempool caches hold go back to the
 * pools, and its lcore id is given back. Without that, every run left a
 * cache full of mbufs that no later thread could reach, and once the
 * lcore ids ran out the late cells' guests found the pools empty (the
 * 9000-byte virtio-user guest could not allocate its chains).
 */
static void
leave_thread(void)
{
	unsigned int lcore = rte_lcore_id();

	if (lcore != LCORE_ID_ANY) {
		rte_mempool_cache_flush(rte_mempool_default_cache(host_mp,
				lcore), host_mp);
		rte_mempool_cache_flush(rte_mempool_default_cache(guest_mp,
				lcore), guest_mp);
	}
	rte_thread_unregister();
}

static void
guest_done(struct bench *b, uint64_t n)
{
	__atomic_fetch_add(&b->guest_frames, n, __ATOMIC_RELAXED);
}

static void *
avf_guest_tx(void *arg)
{
	struct bench *b = arg;

	enter_thread();
	while (!b->stop) {
		avf_tx_reclaim(&b->avf);
		guest_done(b, avf_tx_post(&b->avf, BENCH_BURST));
	}
	leave_thread();
	return NULL;
}

static void *
avf_guest_rx(void *arg)
{
	struct bench *b = arg;

	enter_thread();
	avf_rx_start(&b->avf);
	while (!b->stop)
		guest_done(b, avf_rx_take(&b->avf, BENCH_BURST));
	leave_thread();
	return NULL;
}

/* virtio-user as the guest driver. */
static void *
virtio_guest_tx(void *arg)
{
	struct bench *b = arg;
	struct rte_mbuf *pkts[BENCH_BURST];

	enter_thread();
	while (!b->stop) {
		uint16_t n = bench_alloc_frames(guest_mp, pkts, BENCH_BURST,
				b->frame_len);

		guest_done(b, tx_or_free(b->guest_port, 0, pkts, n));
	}
	leave_thread();
	return NULL;
}

static void *
virtio_guest_rx(void *arg)
{
	struct bench *b = arg;
	struct rte_mbuf *pkts[BENCH_BURST];

	enter_thread();
	while (!b->stop) {
		uint16_t n = rte_eth_rx_burst(b->guest_port, 0, pkts, BENCH_BURST);

		rte_pktmbuf_free_bulk(pkts, n);
		guest_done(b, n);
	}
	leave_thread();
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
	struct rte_mbuf *pkts[BENCH_BURST];
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
			n = bench_alloc_frames(host_mp, pkts, BENCH_BURST,
					b->frame_len);
			tx_or_free(b->port, 0, pkts, n);
		} else {
			n = rte_eth_rx_burst(b->port, 0, pkts, BENCH_BURST);
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
	struct rte_mbuf *pkts[BENCH_BURST];
	uint16_t n;
	int i;

	for (i = 0; i < 10000; i++) {
		n = rte_eth_rx_burst(port, 0, pkts, BENCH_BURST);
		rte_pktmbuf_free_bulk(pkts, n);
	}
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
	int rc = -1;

	if (bench_iavfbe_up(host_mp, &b.avf, len, &b.port) < 0)
		goto out;
	f->g2h = run(&b, avf_guest_tx, false);
	drain(b.port);
	bench_iavfbe_down();
	/* A guest Rx run starts with the rings as the guest set them up. */
	if (bench_iavfbe_up(host_mp, &b.avf, len, &b.port) < 0)
		goto out;
	f->h2g = run(&b, avf_guest_rx, true);
	bench_iavfbe_down();
	if (bench_iavfbe_up(host_mp, &b.avf, len, &b.port) < 0)
		goto out;
	f->map_us = map_round_trip_us();
	f->h2g_churn = run_with_churn(&b, &f->churn_per_s);
	rc = 0;
out:
	bench_iavfbe_down();
	return rc;
}

static int
bench_vhost(uint32_t len, struct figures *f)
{
	struct bench b = { .frame_len = len };
	int rc = -1;

	if (bench_vhost_up(host_mp, guest_mp, len, &b.port, &b.guest_port) < 0)
		goto out;
	f->g2h = run(&b, virtio_guest_tx, false);
	drain(b.port);
	f->h2g = run(&b, virtio_guest_rx, true);
	drain(b.guest_port);
	rc = 0;
out:
	bench_vhost_down();
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
	static const uint32_t lens[] = { 64, 1500, 9000 };
	double be_g2h[RUNS], be_h2g[RUNS], vh_g2h[RUNS], vh_h2g[RUNS];
	double churned[RUNS], rate[RUNS], map_us[RUNS];
	struct figures f = { 0 };
	unsigned int i, r;
	int rc = TEST_SUCCESS;

	TEST_ASSERT_SUCCESS(bench_start("bench", &host_mp, &guest_mp),
			    "mbuf pools");
	printf("iavfbe_perf: 1 queue pair, rings of %d, bursts of %d, %d ms per "
	       "run; host on lcore %u, guest thread on CPU %d\n", BENCH_RING,
	       BENCH_BURST,
	       RUN_MS, rte_lcore_id(), sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0);
	for (i = 0; rc == TEST_SUCCESS && i < RTE_DIM(lens); i++) {
		bench_frame_init(lens[i]);
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
	bench_end(host_mp, guest_mp);
	return rc;
}

REGISTER_TEST_COMMAND(iavfbe_perf_autotest, test_iavfbe_perf);
