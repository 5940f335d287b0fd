/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Benchmark: net_iavfbe side by side with vhost-user in one run. Each
 * backend serves a guest driver (test_iavfbe_bench.h) on another thread,
 * in this process: net_iavfbe the scripted AVF guest and, as a second
 * row, DPDK's own AVF driver net_iavf_client (on emu_iavf); net_vhost
 * DPDK's virtio-user. Guest Tx to host Rx, and host Tx into guest Rx, with
 * one queue pair and rings of 512, UDP/IPv4 frames of 64, 1500 and 9000
 * bytes (9000: chains of 2 KiB buffers on every side); and, for the PMD
 * guests at 64 and 1500 bytes, a loop: one burst going round, each end
 * sending back what it receives, whose rate is the time of a round trip
 * (as the two-process loopback's, without testpmd). The host side is
 * the main lcore; the guest thread runs on another CPU when there is one.
 * Figures in Mpps, and the ratios to vhost-user. Run by "meson test
 * --benchmark", never as a pass/fail test.
 *
 * All backends are up at once and take turns in windows of 0.1 s. On a
 * shared machine the hypervisor moves the two CPUs nearer or further
 * apart every few seconds (here a cache line's round trip between them
 * goes from about 95 to 340 ns and back), and every figure follows, by up
 * to 6x. Runs of a second, one backend after the other, compared one's
 * near seconds with another's far ones. Windows 0.1 s apart mostly see the
 * same placement, so a cell reports the ratio of each turn's windows, and
 * the round trip measured before and after each turn splits the turns
 * into near and far ones, each with its own figures.
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

#include "bench/line_round_trip.h"
#include "test.h"
#include "test_iavfbe.h"
#include "test_iavfbe_bench.h"
#include "test_vf.h"

#define WARMUP_MS 20     /* of each window, before it counts */
#define WINDOW_MS 100
#define PAIRS 21         /* turns per cell: a window of each backend */
#define NOISY 1.5        /* max/min of a cell's windows above which it says so */

struct bench {
	uint16_t port;         /* the host side */
	uint16_t guest_port;   /* a PMD guest's; unused by the AVF guest */
	uint32_t frame_len;
	struct avf_guest avf;
	volatile bool stop;
	uint64_t guest_frames; /* frames the guest delivered or took */
	void *(*guest)(void *); /* the guest thread of the direction */
	bool send_back;        /* the guest's, in a loop */
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
	while (!b->stop)
		guest_done(b, avf_rx_take(&b->avf, BENCH_BURST));
	leave_thread();
	return NULL;
}

/* A DPDK PMD as the guest driver: virtio-user or net_iavf_client. */
static void *
pmd_guest_tx(void *arg)
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

/*
 * In a loop the guest sends back what it receives: with the host doing
 * the same, one burst of frames goes round, and the rate is the burst
 * over the time of a round trip.
 */
static void *
pmd_guest_rx(void *arg)
{
	struct bench *b = arg;
	struct rte_mbuf *pkts[BENCH_BURST];

	enter_thread();
	while (!b->stop) {
		uint16_t n = rte_eth_rx_burst(b->guest_port, 0, pkts, BENCH_BURST);

		guest_done(b, n);
		if (b->send_back)
			tx_or_free(b->guest_port, 0, pkts, n);
		else
			rte_pktmbuf_free_bulk(pkts, n);
	}
	leave_thread();
	return NULL;
}

/* Which way frames go in a cell. */
enum way {
	GUEST_TX,  /* guest Tx -> host Rx */
	HOST_TX,   /* host Tx -> guest Rx */
	LOOP,      /* a burst going round: the host and the guest send back */
};

/* The host's part of a window: one burst; the frames it received. */
static uint16_t
host_step(struct bench *b, enum way w)
{
	struct rte_mbuf *pkts[BENCH_BURST];
	uint16_t n;

	if (w == HOST_TX) {
		n = bench_alloc_frames(host_mp, pkts, BENCH_BURST, b->frame_len);
		tx_or_free(b->port, 0, pkts, n);
		return 0;
	}
	n = rte_eth_rx_burst(b->port, 0, pkts, BENCH_BURST);
	if (w == LOOP)
		tx_or_free(b->port, 0, pkts, n);
	else
		rte_pktmbuf_free_bulk(pkts, n);
	return n;
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

/*
 * One window: the guest thread and the host loop for WARMUP_MS, then
 * WINDOW_MS counted; Mpps of the frames that made it across in it (counted
 * by the receiving side, the guest in a loop). A loop starts with one
 * burst from the host and ends with both ends' rings emptied. 0 for a
 * backend that has no guest for the cell.
 */
static double
run(struct bench *b, enum way w)
{
	uint64_t hz = rte_get_timer_hz(), start, end, t, host = 0, base = 0;
	uint64_t guest_base = 0;
	struct rte_mbuf *pkts[BENCH_BURST];
	pthread_t th;
	bool measuring = false;

	b->stop = false;
	b->guest_frames = 0;
	if (b->guest == NULL || pthread_create(&th, NULL, b->guest, b) != 0)
		return 0;
	if (w == LOOP) {
		uint16_t n = bench_alloc_frames(host_mp, pkts, BENCH_BURST,
				b->frame_len);

		tx_or_free(b->port, 0, pkts, n);
	}
	start = rte_get_timer_cycles() + hz * WARMUP_MS / 1000;
	end = start + hz * WINDOW_MS / 1000;
	while ((t = rte_get_timer_cycles()) < end) {
		if (!measuring && t >= start) {
			measuring = true;
			base = host;
			guest_base = __atomic_load_n(&b->guest_frames, __ATOMIC_RELAXED);
		}
		host += host_step(b, w);
	}
	b->stop = true;
	pthread_join(th, NULL);
	if (w == LOOP) {
		drain(b->port);
		drain(b->guest_port);
	}
	if (w != GUEST_TX)
		return (__atomic_load_n(&b->guest_frames, __ATOMIC_RELAXED) -
			guest_base) / (WINDOW_MS * 1000.0);
	return (host - base) / (WINDOW_MS * 1000.0);
}


/* The backends with their guests, as they take turns. */
enum {
	BE,     /* net_iavfbe, the scripted AVF guest */
	VH,     /* net_vhost, virtio-user */
	CL,     /* net_iavfbe, net_iavf_client */
	NB_BACKENDS
};

/* A cell's windows, per backend, in the order they ran. */
struct cell {
	double mpps[NB_BACKENDS][PAIRS];
	double rtt_ns[PAIRS + 1]; /* a cache line's round trip around turns */
	double churned[PAIRS];  /* host Tx -> guest Rx while maps churn */
	double unchurned[PAIRS]; /* the same, each right after, no churn */
	double churn_per_s[PAIRS]; /* DMA_MAP and DMA_UNMAP messages per s */
	double map_us[PAIRS];   /* a DMA_MAP and its DMA_UNMAP, port idle */
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
	const int n = 200;
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
	mpps = run(b, HOST_TX);
	churn.stop = true;
	pthread_join(th, NULL);
	*churn_per_s = churn.msgs * (double)rte_get_timer_hz() /
		(rte_get_timer_cycles() - start);
	return mpps;
}

/* Where the hypervisor has put the host's and the guest's CPUs. */
static double
cpus_round_trip_ns(void)
{
	return line_round_trip_ns(sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0,
			20000);
}

/*
 * The windows of one direction, the backends taking turns, and which
 * goes first rotating so that none always follows another.
 */
static void
take_turns(struct bench *b, enum way w, struct cell *c)
{
	unsigned int i, k;

	for (i = 0; i < PAIRS; i++) {
		c->rtt_ns[i] = cpus_round_trip_ns();
		for (k = 0; k < NB_BACKENDS; k++) {
			unsigned int n = (i + k) % NB_BACKENDS;

			c->mpps[n][i] = run(&b[n], w);
		}
	}
	c->rtt_ns[PAIRS] = cpus_round_trip_ns();
}

/*
 * Host Tx into the guest's Rx, and the same beside a thread that maps and
 * unmaps a page (a vIOMMU guest's churn), a window of each in turn.
 */
static void
host_tx_turns(struct bench *b, struct cell *c)
{
	unsigned int i;

	avf_rx_start(&b[BE].avf);
	take_turns(b, HOST_TX, c);
	for (i = 0; i < PAIRS; i++) {
		c->map_us[i] = map_round_trip_us();
		c->churned[i] = run_with_churn(&b[BE], &c->churn_per_s[i]);
		c->unchurned[i] = run(&b[BE], HOST_TX);
	}
}

/*
 * Every backend up with one queue pair and its guest; 0 or -1. The
 * scripted AVF guest does not loop.
 */
static int
all_up(uint32_t len, struct bench *b, enum way w)
{
	void *(*const pmd[])(void *) = { [GUEST_TX] = pmd_guest_tx,
		[HOST_TX] = pmd_guest_rx, [LOOP] = pmd_guest_rx };
	void *(*const avf[])(void *) = { [GUEST_TX] = avf_guest_tx,
		[HOST_TX] = avf_guest_rx, [LOOP] = NULL };

	b[BE] = (struct bench){ .frame_len = len, .guest = avf[w] };
	b[VH] = (struct bench){ .frame_len = len, .guest = pmd[w],
		.send_back = w == LOOP };
	b[CL] = b[VH];
	if (bench_iavfbe_up(host_mp, &b[BE].avf, len, &b[BE].port) < 0 ||
	    bench_vhost_up(host_mp, guest_mp, len, &b[VH].port,
			&b[VH].guest_port) < 0 ||
	    bench_client_up(host_mp, guest_mp, len, &b[CL].port,
			&b[CL].guest_port) < 0)
		return -1;
	return 0;
}

static void
all_down(void)
{
	bench_client_down();
	bench_vhost_down();
	bench_iavfbe_down();
}

/*
 * A frame size's cells: guest Tx, then host Tx, each on backends set up
 * afresh, so that a guest Rx run starts with the rings as the guest set
 * them up.
 */
static int
bench_len(uint32_t len, struct cell *g2h, struct cell *h2g, struct cell *loop)
{
	struct bench b[NB_BACKENDS];
	int rc = -1;

	if (all_up(len, b, GUEST_TX) < 0)
		goto out;
	take_turns(b, GUEST_TX, g2h);
	drain(b[BE].port);
	drain(b[VH].port);
	drain(b[CL].port);
	all_down();
	if (all_up(len, b, HOST_TX) < 0)
		goto out;
	host_tx_turns(b, h2g);
	drain(b[VH].guest_port);
	drain(b[CL].guest_port);
	all_down();
	if (loop != NULL) {
		if (all_up(len, b, LOOP) < 0)
			goto out;
		take_turns(b, LOOP, loop);
	}
	rc = 0;
out:
	all_down();
	return rc;
}

/* The median, quartiles, min and max of a cell's windows. */
struct spread {
	double median, q1, q3, min, max;
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The spread of n figures (n <= PAIRS + 1). */
static struct spread
spread_of_n(const double *v, unsigned int n)
{
	double s[PAIRS + 1];

	if (n == 0)
		return (struct spread){ 0 };
	memcpy(s, v, n * sizeof(s[0]));
	qsort(s, n, sizeof(s[0]), cmp_double);
	return (struct spread){ s[n / 2], s[n / 4], s[n - 1 - n / 4], s[0],
		s[n - 1] };
}

static struct spread
spread_of(const double *v)
{
	return spread_of_n(v, PAIRS);
}

/*
 * The ratio a / b of each turn that take lists (all when NULL, n of them),
 * 0 where b moved nothing.
 */
static struct spread
ratios_of(const double *a, const double *b, const unsigned int *take,
		unsigned int n)
{
	double r[PAIRS];
	unsigned int i, t;

	for (i = 0; i < n; i++) {
		t = take != NULL ? take[i] : i;
		r[i] = b[t] > 0 ? a[t] / b[t] : 0;
	}
	return spread_of_n(r, n);
}

static struct spread
pair_ratios(const double *a, const double *b)
{
	return ratios_of(a, b, NULL, PAIRS);
}

/* A line saying a cell's windows spread too far to be read off alone. */
static void
warn_if_noisy(uint32_t len, const char *what, struct spread sp)
{
	if (sp.min > 0 && sp.max / sp.min <= NOISY)
		return;
	printf("iavfbe_perf: WARNING: %u-byte %s is noisy: max/min %.2f "
	       "(%.2f..%.2f) > %.1f, the machine is busy\n", len, what,
	       sp.min > 0 ? sp.max / sp.min : 0, sp.min, sp.max, NOISY);
}

/* The second row: the backends each driven by a DPDK PMD. */
static void
report_pmds(uint32_t len, const char *dir, const struct cell *c)
{
	struct spread l = spread_of(c->mpps[CL]), v = spread_of(c->mpps[VH]);
	struct spread rl = pair_ratios(c->mpps[CL], c->mpps[VH]);

	printf("iavfbe_perf: %4u-byte frames, %s, DPDK PMDs as guests: "
	       "net_iavf_client on net_iavfbe %.2f Mpps (%.2f..%.2f), "
	       "virtio-user on vhost-user %.2f Mpps, ratio of pairs %.2f "
	       "(quartiles %.2f..%.2f)\n", len, dir, l.median, l.min, l.max,
	       v.median, rl.median, rl.q1, rl.q3);
}

static void
report(uint32_t len, const char *dir, const struct cell *c)
{
	struct spread b = spread_of(c->mpps[BE]), v = spread_of(c->mpps[VH]);
	struct spread r = pair_ratios(c->mpps[BE], c->mpps[VH]);
	char what[96];

	printf("iavfbe_perf: %4u-byte frames, %s: net_iavfbe %.2f Mpps "
	       "(%.2f..%.2f), vhost-user/virtio-user %.2f Mpps (%.2f..%.2f), "
	       "ratio of medians %.2f, %d runs each, ratio of pairs %.2f "
	       "(quartiles %.2f..%.2f)\n", len, dir, b.median, b.min, b.max,
	       v.median, v.min, v.max, v.median > 0 ? b.median / v.median : 0,
	       PAIRS, r.median, r.q1, r.q3);
	snprintf(what, sizeof(what), "%s, net_iavfbe", dir);
	warn_if_noisy(len, what, b);
	snprintf(what, sizeof(what), "%s, vhost-user", dir);
	warn_if_noisy(len, what, v);
	report_pmds(len, dir, c);
}

/*
 * The turns that the cache line's round trips before and after put on
 * one side of the split: all within NEAR of the fastest (near), or all
 * beyond FAR of it (far). Turns during which the CPUs moved count in
 * neither. How many, their indexes in take.
 */
#define NEAR 1.5
#define FAR 2.0

static unsigned int
turns_placed(const struct cell *c, bool far, unsigned int *take)
{
	double lo = spread_of_n(c->rtt_ns, PAIRS + 1).min;
	unsigned int i, n = 0;

	for (i = 0; i < PAIRS; i++) {
		double a = c->rtt_ns[i] / lo, b = c->rtt_ns[i + 1] / lo;

		if (far ? a > FAR && b > FAR : a <= NEAR && b <= NEAR)
			take[n++] = i;
	}
	return n;
}

/* The figures of one placement's turns, one backend. */
static double
median_of(const double *v, const unsigned int *take, unsigned int n)
{
	double s[PAIRS];
	unsigned int i;

	for (i = 0; i < n; i++)
		s[i] = v[take[i]];
	return spread_of_n(s, n).median;
}

static void
report_placement(uint32_t len, const char *dir, const struct cell *c,
		bool far)
{
	unsigned int take[PAIRS], n = turns_placed(c, far, take), i;
	double rtt[PAIRS];

	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		rtt[i] = c->rtt_ns[take[i]];
	if (spread_of(c->mpps[BE]).max == 0) {
		/* a loop: the PMD guests only */
		printf("iavfbe_perf: %4u-byte frames, %s, CPUs %s (a cache "
		       "line's round trip %.0f ns, %u turns): vhost-user %.2f, "
		       "net_iavf_client %.2f Mpps, ratio of pairs %.2f\n", len,
		       dir, far ? "far" : "near", spread_of_n(rtt, n).median, n,
		       median_of(c->mpps[VH], take, n),
		       median_of(c->mpps[CL], take, n),
		       ratios_of(c->mpps[CL], c->mpps[VH], take, n).median);
		return;
	}
	printf("iavfbe_perf: %4u-byte frames, %s, CPUs %s (a cache line's "
	       "round trip %.0f ns, %u turns): net_iavfbe %.2f, vhost-user "
	       "%.2f, net_iavf_client %.2f Mpps, ratios of pairs %.2f and "
	       "%.2f\n", len, dir, far ? "far" : "near",
	       spread_of_n(rtt, n).median, n, median_of(c->mpps[BE], take, n),
	       median_of(c->mpps[VH], take, n), median_of(c->mpps[CL], take, n),
	       ratios_of(c->mpps[BE], c->mpps[VH], take, n).median,
	       ratios_of(c->mpps[CL], c->mpps[VH], take, n).median);
}

/* The cell's turns by placement, when the CPUs moved during it. */
static void
report_placements(uint32_t len, const char *dir, const struct cell *c)
{
	struct spread rtt = spread_of_n(c->rtt_ns, PAIRS + 1);

	if (rtt.max <= FAR * rtt.min) {
		printf("iavfbe_perf: %4u-byte frames, %s: the CPUs kept their "
		       "placement (a cache line's round trip %.0f ns)\n", len,
		       dir, rtt.median);
		return;
	}
	report_placement(len, dir, c, false);
	report_placement(len, dir, c, true);
}

static void
report_churn(uint32_t len, const struct cell *c)
{
	struct spread us = spread_of(c->map_us);

	printf("iavfbe_perf: %4u-byte frames, host Tx -> guest Rx while a "
	       "4 KiB page is mapped and unmapped: net_iavfbe %.2f Mpps at "
	       "%.0f DMA_MAP/DMA_UNMAP per second, %.2f Mpps without, ratio "
	       "of pairs %.2f (medians of %d)\n", len,
	       spread_of(c->churned).median, spread_of(c->churn_per_s).median,
	       spread_of(c->unchurned).median,
	       pair_ratios(c->churned, c->unchurned).median,
	       PAIRS);
	printf("iavfbe_perf: a DMA_MAP and its DMA_UNMAP (4 KiB) with the "
	       "port attached and idle: %.1f us (%.1f..%.1f)\n", us.median,
	       us.min, us.max);
}

/*
 * The machine may be shared: each figure is the median of PAIRS windows,
 * the backends taking turns, with the spread, and split by where the
 * CPUs were.
 */
static int
test_iavfbe_perf(void)
{
	static const uint32_t lens[] = { 64, 1500, 9000 };
	static const char loop_name[] = "loop (a burst going round)";
	struct cell g2h, h2g, loop;
	unsigned int i;
	int rc = TEST_SUCCESS;

	TEST_ASSERT_SUCCESS(bench_start("bench", &host_mp, &guest_mp),
			    "mbuf pools");
	printf("iavfbe_perf: 1 queue pair, rings of %d, bursts of %d, windows "
	       "of %d ms after %d ms of warm-up, the backends taking turns; "
	       "host on lcore %u, guest thread on CPU %d\n", BENCH_RING,
	       BENCH_BURST, WINDOW_MS, WARMUP_MS, rte_lcore_id(),
	       sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0);
	for (i = 0; i < RTE_DIM(lens); i++) {
		bench_frame_init(lens[i]);
		memset(&g2h, 0, sizeof(g2h));
		memset(&h2g, 0, sizeof(h2g));
		memset(&loop, 0, sizeof(loop));
		/* the loop at 64 and 1500 bytes: a trip's time */
		if (bench_len(lens[i], &g2h, &h2g,
			      lens[i] <= 1500 ? &loop : NULL) < 0) {
			printf("iavfbe_perf: a backend did not start\n");
			rc = TEST_FAILED;
			break;
		}
		report(lens[i], "guest Tx -> host Rx", &g2h);
		report_placements(lens[i], "guest Tx -> host Rx", &g2h);
		report(lens[i], "host Tx -> guest Rx", &h2g);
		report_placements(lens[i], "host Tx -> guest Rx", &h2g);
		report_churn(lens[i], &h2g);
		if (lens[i] <= 1500) {
			report_pmds(lens[i], loop_name, &loop);
			report_placements(lens[i], loop_name, &loop);
		}
	}
	bench_end(host_mp, guest_mp);
	return rc;
}

REGISTER_TEST_COMMAND(iavfbe_perf_autotest, test_iavfbe_perf);
