/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Benchmark: what a frame costs each backend, counted rather than timed.
 * Guest and host run in lockstep on one thread: the guest posts a burst,
 * the host's burst function processes it, the guest reclaims. For each
 * cell (net_iavfbe with the scripted AVF guest, net_vhost with virtio-user;
 * both directions; 64, 1500 and 9000-byte UDP/IPv4 frames, 9000 as chains
 * of 2 KiB buffers) it reports:
 * - instructions per frame of the host's burst calls: under callgrind
 *   (app/test/cost_callgrind.py), only those calls are collected, one
 *   dump per cell, which counts the same on a loaded machine;
 * - the same for the client PMDs, net_iavf_client (on net_iavfbe) and
 *   virtio-user (on net_vhost), whose burst calls are collected instead;
 * - the cache lines per frame that each side writes and the other then
 *   reads, from the ring layouts as each backend uses them, at the
 *   indexes of that step: the descriptors a side posted or wrote back,
 *   used entries, the indexes and tail doorbells it moved, one virtio-net
 *   header per packet; the virtio PMD writes an avail entry, an event
 *   field or a flags word only when its value changes, so those count
 *   when they changed. Frame data, the same for both, is left out.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef EMUNIC_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#define CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_DUMP_STATS_AT(name) RTE_SET_USED(name)
#endif

#include <linux/virtio_net.h>

#include <rte_ethdev.h>
#include <rte_vhost.h>

#include "test.h"
#include "test_iavfbe.h"
#include "test_iavfbe_bench.h"
#include "test_vf.h"

#define WARMUP_BURSTS 64
#define BURSTS 128
#define MAX_POLLS 8          /* host calls to take one burst */
#define LINE 64
#define MAX_LINES 4096
#define MAX_AREAS 3
#define AREA_MAX (4 + 2 * BENCH_RING + 2)

enum side { GUEST, HOST };

/* Memory a side writes only to change it: compared with a copy. */
struct area {
	const volatile uint8_t *base;
	size_t len;
	uint8_t before[AREA_MAX];
};

struct cell {
	uint32_t len;
	bool host_sends;
	bool client;         /* the guest's PMD is measured, not the host */
	const char *backend;
	uint64_t frames, calls;
	uint64_t lines[2];   /* written by GUEST, by HOST */
	bool measuring;
	uintptr_t step[MAX_LINES]; /* the lines the step wrote */
	uint32_t nb_step;
	struct area area[MAX_AREAS];
	uint32_t nb_areas;
	struct rte_vhost_vring vr; /* vhost: the ring the cell uses */
	struct rte_vhost_memory *mem;
	uint16_t avail_idx, used_idx;
};

static struct rte_mempool *host_mp, *guest_mp;

static void
lines_add(struct cell *c, const volatile void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p / LINE, end = ((uintptr_t)p + len - 1) / LINE;

	for (; a <= end && c->nb_step < MAX_LINES; a++)
		c->step[c->nb_step++] = a;
}

static void
area_add(struct cell *c, const volatile void *base, size_t len)
{
	struct area *a = &c->area[c->nb_areas++];

	a->base = base;
	a->len = RTE_MIN(len, sizeof(a->before));
}

static void
step_start(struct cell *c)
{
	uint32_t i;

	for (i = 0; i < c->nb_areas; i++)
		memcpy(c->area[i].before, (const void *)(uintptr_t)c->area[i].base,
		       c->area[i].len);
	c->nb_step = 0;
}

/* The lines of an area that changed since step_start(). */
static void
add_changed(struct cell *c, const struct area *a)
{
	size_t off, end;

	for (off = 0; off < a->len; off = end) {
		end = RTE_MIN(a->len, RTE_ALIGN_FLOOR((uintptr_t)a->base + off +
				LINE, LINE) - (uintptr_t)a->base);
		if (memcmp(a->before + off, (const void *)(uintptr_t)(a->base + off),
			   end - off) != 0)
			lines_add(c, a->base + off, 1);
	}
}

static int
cmp_line(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return (x > y) - (x < y);
}

/* Close a step: its distinct lines go to the side that wrote them. */
static void
step_done(struct cell *c, enum side who)
{
	uint32_t i, distinct = 0;

	for (i = 0; i < c->nb_areas; i++)
		add_changed(c, &c->area[i]);
	qsort(c->step, c->nb_step, sizeof(c->step[0]), cmp_line);
	for (i = 0; i < c->nb_step; i++)
		distinct += i == 0 || c->step[i] != c->step[i - 1];
	if (c->measuring)
		c->lines[who] += distinct;
}

/* One burst call (Tx when sends); collect: callgrind collects it, counted. */
static uint16_t
one_burst(struct cell *c, uint16_t port, bool sends, bool collect,
		struct rte_mbuf **pkts, uint16_t n)
{
	bool on = collect && c->measuring;
	uint16_t done;

	if (on)
		CALLGRIND_TOGGLE_COLLECT;
	done = sends ? rte_eth_tx_burst(port, 0, pkts, n) :
		rte_eth_rx_burst(port, 0, pkts, n);
	if (on) {
		CALLGRIND_TOGGLE_COLLECT;
		c->calls++;
	}
	return done;
}

/* A side's burst calls, again until they took or sent the whole burst. */
static uint16_t
side_burst(struct cell *c, uint16_t port, bool sends, bool collect,
		struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t done = 0, k;

	for (k = 0; k < MAX_POLLS && done < n; k++)
		done += one_burst(c, port, sends, collect, pkts + done,
				  n - done);
	return done;
}

/* The host's burst calls, collected. */
static uint16_t
host_burst(struct cell *c, uint16_t port, struct rte_mbuf **pkts,
		uint16_t n)
{
	return side_burst(c, port, c->host_sends, true, pkts, n);
}

static void
count_frames(struct cell *c, uint32_t n)
{
	if (c->measuring)
		c->frames += n;
}

/* net_iavfbe: the AVF rings and doorbells. */

/* net_iavfbe: the AVF rings and doorbells. */

static void
avf_tx_step(struct cell *c, struct avf_guest *g, uint16_t port)
{
	struct rte_mbuf *pkts[BENCH_BURST];
	uint32_t t0 = g->tx_tail, i;
	uint16_t n;

	step_start(c);
	avf_tx_reclaim(g);
	n = avf_tx_post(g, BENCH_BURST);
	for (i = t0; i != g->tx_tail; i = (i + 1) % BENCH_RING)
		lines_add(c, gtx_desc(0, i), sizeof(struct avf_tx_desc));
	lines_add(c, vf_txq_tail(0), 4);
	step_done(c, GUEST);
	step_start(c);
	n = host_burst(c, port, pkts, n);
	for (i = t0; i != g->tx_tail; i = (i + 1) % BENCH_RING)
		if ((gtx_desc(0, i)->qw1 & AVF_TXD_DTYPE_MASK) ==
		    AVF_TXD_DTYPE_DONE)
			lines_add(c, gtx_desc(0, i), sizeof(struct avf_tx_desc));
	step_done(c, HOST);
	rte_pktmbuf_free_bulk(pkts, n);
	count_frames(c, n);
}

static void
avf_rx_step(struct cell *c, struct avf_guest *g, uint16_t port)
{
	struct rte_mbuf *pkts[BENCH_BURST];
	uint16_t n = bench_alloc_frames(host_mp, pkts, BENCH_BURST, c->len);
	uint32_t i, tail0 = g->rx_tail;

	step_start(c);
	n = host_burst(c, port, pkts, n);
	for (i = g->rx_next; i != g->rx_tail &&
	     (grx_desc(0, i)->wb.qw1 & AVF_RXD_DD); i = (i + 1) % BENCH_RING)
		lines_add(c, grx_desc(0, i), sizeof(union avf_rx_desc));
	step_done(c, HOST);
	if (n < BENCH_BURST)
		rte_pktmbuf_free_bulk(pkts + n, BENCH_BURST - n);
	step_start(c);
	while ((n = avf_rx_take(g, BENCH_BURST)) > 0)
		count_frames(c, n);
	for (i = tail0; i != g->rx_tail; i = (i + 1) % BENCH_RING)
		lines_add(c, grx_desc(0, (i + 1) % BENCH_RING),
			  sizeof(union avf_rx_desc));
	lines_add(c, vf_rxq_tail(0), 4);
	step_done(c, GUEST);
}

static int
cell_iavfbe(struct cell *c)
{
	struct avf_guest g;
	uint16_t port;
	int b, rc = -1;

	if (bench_iavfbe_up(host_mp, &g, c->len, &port) < 0)
		goto out;
	if (c->host_sends)
		avf_rx_start(&g);
	for (b = 0; b < WARMUP_BURSTS + BURSTS; b++) {
		c->measuring = b >= WARMUP_BURSTS;
		if (c->host_sends)
			avf_rx_step(c, &g, port);
		else
			avf_tx_step(c, &g, port);
	}
	rc = 0;
out:
	bench_iavfbe_down();
	return rc;
}

/* vhost-user: the split ring, and a header per packet. */

static void *
gpa_to_va(const struct cell *c, uint64_t gpa, uint64_t len)
{
	uint64_t n = len;
	void *va = (void *)(uintptr_t)rte_vhost_va_from_guest_pa(c->mem, gpa, &n);

	return va != NULL && n == len ? va : NULL;
}

/* A chain's descriptors (direct or indirect) and, if asked, its header. */
static void
add_chain(struct cell *c, uint16_t head, bool header)
{
	const struct vring_desc *d = &c->vr.desc[head % c->vr.size];
	const struct vring_desc *first = d;
	uint32_t k;

	lines_add(c, d, sizeof(*d));
	if (d->flags & VRING_DESC_F_INDIRECT) {
		first = gpa_to_va(c, d->addr, d->len);
		if (first == NULL)
			return;
		lines_add(c, first, d->len);
	}
	for (k = 0; k < c->vr.size && (d->flags & VRING_DESC_F_NEXT); k++) {
		d = &c->vr.desc[d->next % c->vr.size];
		lines_add(c, d, sizeof(*d));
	}
	if (header)
		lines_add(c, gpa_to_va(c, first->addr, 1),
			  sizeof(struct virtio_net_hdr_mrg_rxbuf));
}

/* What the guest made available in its step; headers: it wrote them. */
static void
guest_step_done(struct cell *c, bool headers)
{
	uint16_t i, a1 = __atomic_load_n(&c->vr.avail->idx, __ATOMIC_ACQUIRE);

	for (i = c->avail_idx; i != a1; i++)
		add_chain(c, c->vr.avail->ring[i % c->vr.size], headers);
	if (a1 != c->avail_idx)
		lines_add(c, &c->vr.avail->idx, 2);
	c->avail_idx = a1;
	step_done(c, GUEST);
}

/* What the host used in its step; headers: it wrote them. */
static void
host_step_done(struct cell *c, bool headers)
{
	uint16_t i, u1 = __atomic_load_n(&c->vr.used->idx, __ATOMIC_ACQUIRE);
	uint16_t more = 0;

	for (i = c->used_idx; i != u1; i++) {
		const struct vring_used_elem *e = &c->vr.used->ring[i % c->vr.size];
		const struct virtio_net_hdr_mrg_rxbuf *h;

		lines_add(c, e, sizeof(*e));
		if (!headers || more-- > 0)
			continue;
		/* A packet's first buffer: its header and buffer count. */
		h = gpa_to_va(c, c->vr.desc[e->id % c->vr.size].addr, sizeof(*h));
		if (h == NULL)
			continue;
		lines_add(c, h, sizeof(*h));
		more = h->num_buffers > 0 ? h->num_buffers - 1 : 0;
	}
	if (u1 != c->used_idx)
		lines_add(c, &c->vr.used->idx, 2);
	c->used_idx = u1;
	step_done(c, HOST);
}

static void
vhost_tx_step(struct cell *c, uint16_t port, uint16_t guest_port)
{
	struct rte_mbuf *pkts[BENCH_BURST];
	uint16_t n = bench_alloc_frames(guest_mp, pkts, BENCH_BURST, c->len);

	step_start(c);
	n = tx_or_free(guest_port, 0, pkts, n);
	guest_step_done(c, true);
	step_start(c);
	n = host_burst(c, port, pkts, n);
	host_step_done(c, false);
	rte_pktmbuf_free_bulk(pkts, n);
	count_frames(c, n);
}

static void
vhost_rx_step(struct cell *c, uint16_t port, uint16_t guest_port)
{
	struct rte_mbuf *pkts[BENCH_BURST];
	uint16_t n = bench_alloc_frames(host_mp, pkts, BENCH_BURST, c->len);

	step_start(c);
	n = host_burst(c, port, pkts, n);
	host_step_done(c, true);
	if (n < BENCH_BURST)
		rte_pktmbuf_free_bulk(pkts + n, BENCH_BURST - n);
	/* The guest empties its ring, as a driver's poll does. */
	step_start(c);
	while ((n = rte_eth_rx_burst(guest_port, 0, pkts, BENCH_BURST)) > 0) {
		rte_pktmbuf_free_bulk(pkts, n);
		count_frames(c, n);
	}
	guest_step_done(c, false);
}

/*
 * The ring, and what is written only to change it: the avail ring with
 * its flags and used_event (the guest's), the used ring's flags and
 * avail_event (the host's).
 */
static int
vhost_ring(struct cell *c)
{
	int vid = bench_vhost_vid();
	struct rte_vhost_vring *vr = &c->vr;

	/* vhost's ring 0 is the guest's Rx queue, ring 1 its Tx queue. */
	if (vid < 0 || rte_vhost_get_vhost_vring(vid, c->host_sends ? 0 : 1,
			vr) < 0 || rte_vhost_get_mem_table(vid, &c->mem) < 0)
		return -1;
	area_add(c, vr->avail, 4 + 2 * vr->size + 2);
	area_add(c, &vr->used->flags, 2);
	area_add(c, &vr->used->ring[vr->size], 2);
	c->avail_idx = vr->avail->idx;
	c->used_idx = vr->used->idx;
	return 0;
}

static int
cell_vhost(struct cell *c)
{
	uint16_t port, guest_port;
	int b, rc = -1;

	if (bench_vhost_up(host_mp, guest_mp, c->len, &port, &guest_port) < 0 ||
	    vhost_ring(c) < 0)
		goto out;
	for (b = 0; b < WARMUP_BURSTS + BURSTS; b++) {
		c->measuring = b >= WARMUP_BURSTS;
		if (c->host_sends)
			vhost_rx_step(c, port, guest_port);
		else
			vhost_tx_step(c, port, guest_port);
	}
	rc = 0;
out:
	free(c->mem);
	bench_vhost_down();
	return rc;
}

/*
 * The client PMDs, net_iavf_client on emu_iavf + net_iavfbe and
 * virtio-user on net_vhost: the same steps for both, and the client's
 * burst calls collected, the server's not. (Cache lines are not counted
 * here: the host cells count them for the same rings.)
 */
static void
client_step(struct cell *c, uint16_t port, uint16_t client)
{
	struct rte_mbuf *pkts[BENCH_BURST];
	bool cs = !c->host_sends;
	uint16_t n = bench_alloc_frames(cs ? guest_mp : host_mp, pkts,
			BENCH_BURST, c->len), sent, got;

	sent = side_burst(c, cs ? client : port, true, cs, pkts, n);
	if (sent < n)
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	if (cs) {
		got = side_burst(c, port, false, false, pkts, sent);
		rte_pktmbuf_free_bulk(pkts, got);
		count_frames(c, got);
		return;
	}
	/*
	 * The client empties its ring, as an application's poll does (a
	 * virtio-user call takes at most a burst of buffers, not of frames).
	 */
	do {
		got = one_burst(c, client, false, true, pkts, BENCH_BURST);
		rte_pktmbuf_free_bulk(pkts, got);
		count_frames(c, got);
	} while (got > 0);
}

static int
cell_client(struct cell *c, bool vhost)
{
	uint16_t port, client;
	int b, rc = -1;

	if ((vhost ? bench_vhost_up(host_mp, guest_mp, c->len, &port, &client) :
	     bench_client_up(host_mp, guest_mp, c->len, &port, &client)) < 0)
		goto out;
	for (b = 0; b < WARMUP_BURSTS + BURSTS; b++) {
		c->measuring = b >= WARMUP_BURSTS;
		client_step(c, port, client);
	}
	rc = 0;
out:
	if (vhost)
		bench_vhost_down();
	else
		bench_client_down();
	return rc;
}

static void
report(const struct cell *c, unsigned int id)
{
	double f = c->frames > 0 ? (double)c->frames : 1;

	if (c->client) {
		printf("iavfbe_cost: cell %u: %4u-byte frames, %s, %s: %" PRIu64
		       " frames in %" PRIu64 " client calls\n", id, c->len,
		       c->host_sends ? "server Tx -> client Rx" :
		       "client Tx -> server Rx", c->backend, c->frames,
		       c->calls);
		return;
	}
	printf("iavfbe_cost: cell %u: %4u-byte frames, %s, %s: %" PRIu64
	       " frames in %" PRIu64 " host calls; cache lines per frame: "
	       "guest writes %.3f, host writes %.3f\n", id, c->len,
	       c->host_sends ? "host Tx -> guest Rx" : "guest Tx -> host Rx",
	       c->backend, c->frames, c->calls, c->lines[GUEST] / f,
	       c->lines[HOST] / f);
}

static int
test_iavfbe_cost(void)
{
	static const uint32_t lens[] = { 64, 1500, 9000 };
	unsigned int i, d, be, id = 0;
	char name[64];
	int rc = TEST_SUCCESS;

	TEST_ASSERT_SUCCESS(bench_start("cost", &host_mp, &guest_mp),
			    "mbuf pools");
	printf("iavfbe_cost: lockstep, 1 queue pair, rings of %d, bursts of %d, "
	       "%d bursts per cell after %d; %s\n", BENCH_RING, BENCH_BURST,
	       BURSTS, WARMUP_BURSTS, RUNNING_ON_VALGRIND ?
	       "host burst calls collected by callgrind, one dump per cell" :
	       "not under callgrind: no instruction counts");
	for (i = 0; rc == TEST_SUCCESS && i < RTE_DIM(lens); i++) {
		bench_frame_init(lens[i]);
		/* the host's cells, then the client PMDs' (d 2 and 3) */
		for (d = 0; rc == TEST_SUCCESS && d < 4; d++) {
			for (be = 0; be < 2; be++, id++) {
				struct cell *c = calloc(1, sizeof(*c));

				TEST_ASSERT(c != NULL, "cell");
				c->len = lens[i];
				c->host_sends = d % 2 == 1;
				c->client = d >= 2;
				c->backend = c->client ?
					(be == 0 ? "net_iavf_client" : "virtio-user") :
					(be == 0 ? "net_iavfbe" :
					 "vhost-user/virtio-user");
				rc = (c->client ? cell_client(c, be == 1) :
				      be == 0 ? cell_iavfbe(c) : cell_vhost(c)) == 0 &&
					c->frames == (uint64_t)BURSTS * BENCH_BURST ?
					TEST_SUCCESS : TEST_FAILED;
				snprintf(name, sizeof(name), "iavfbe_cost cell %u", id);
				CALLGRIND_DUMP_STATS_AT(name);
				report(c, id);
				free(c);
				if (rc != TEST_SUCCESS) {
					printf("iavfbe_cost: cell %u lost frames or "
					       "did not start\n", id);
					break;
				}
			}
		}
	}
	bench_end(host_mp, guest_mp);
	return rc;
}

REGISTER_TEST_COMMAND(iavfbe_cost_autotest, test_iavfbe_cost);
