/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/* The benchmarks' guests and backends (test_iavfbe_bench.h). */

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>
#include <rte_vhost.h>

#include "test_iavfbe.h"
#include "test_iavfbe_bench.h"

#define BENCH_NB_MBUFS 8191
#define VHOST_NAME "net_vhost_bench"
#define VIRTIO_NAME "net_virtio_user_bench"
#define EMU_NAME "emu_iavf_bench"
#define IAVFBE_NAME "net_iavfbe_bench"
#define CLIENT_NAME "net_iavf_client_bench"

uint8_t bench_frame[BENCH_MAX_FRAME];

void
bench_frame_init(uint32_t len)
{
	make_l4_frame(bench_frame, len - RTE_ETHER_HDR_LEN -
		      sizeof(struct rte_ipv4_hdr) - sizeof(struct rte_udp_hdr),
		      IPPROTO_UDP);
}

static struct rte_mempool *
bench_pool(const char *prefix, const char *side)
{
	char name[RTE_MEMPOOL_NAMESIZE];

	snprintf(name, sizeof(name), "%s_%s", prefix, side);
	return rte_pktmbuf_pool_create(name, BENCH_NB_MBUFS, 256, 0,
			RTE_PKTMBUF_HEADROOM + BENCH_BUF, SOCKET_ID_ANY);
}

int
bench_start(const char *prefix, struct rte_mempool **host,
		struct rte_mempool **guest)
{
	*host = bench_pool(prefix, "host");
	*guest = bench_pool(prefix, "guest");
	rte_log_set_level_pattern("lib.vhost.*", RTE_LOG_WARNING);
	rte_log_set_level_pattern("pmd.net.vhost*", RTE_LOG_WARNING);
	rte_log_set_level_pattern("pmd.net.virtio*", RTE_LOG_WARNING);
	if (*host != NULL && *guest != NULL)
		return 0;
	bench_end(*host, *guest);
	return -ENOMEM;
}

void
bench_end(struct rte_mempool *host, struct rte_mempool *guest)
{
	rte_mempool_free(host);
	rte_mempool_free(guest);
}

/* One frame, chained across mbufs of BENCH_BUF bytes when it is longer. */
static void
fill_frame(struct rte_mbuf *head, struct rte_mbuf **more, uint32_t len)
{
	struct rte_mbuf *m = head;
	uint32_t off = 0;

	for (;;) {
		uint32_t n = RTE_MIN(len - off, BENCH_BUF);

		memcpy(rte_pktmbuf_mtod(m, void *), bench_frame + off, n);
		m->data_len = n;
		off += n;
		if (off == len)
			break;
		m->next = *more++;
		m = m->next;
		head->nb_segs++;
	}
	head->pkt_len = len;
}

uint16_t
bench_alloc_frames(struct rte_mempool *mp, struct rte_mbuf **pkts,
		uint16_t n, uint32_t len)
{
	uint32_t segs = (len + BENCH_BUF - 1) / BENCH_BUF, i;
	struct rte_mbuf *all[BENCH_BURST * (BENCH_MAX_FRAME / BENCH_BUF + 1)];

	if (n > BENCH_BURST || rte_pktmbuf_alloc_bulk(mp, all, n * segs) != 0)
		return 0;
	for (i = 0; i < n; i++) {
		pkts[i] = all[i * segs];
		fill_frame(pkts[i], &all[i * segs + 1], len);
	}
	return n;
}

/* One queue pair, and the guest's Rx limit raised for jumbo frames. */
int
bench_iavfbe_up(struct rte_mempool *host_mp, struct avf_guest *g,
		uint32_t frame_len, uint16_t *port)
{
	memset(g, 0, sizeof(*g));
	g->frame_len = frame_len;
	g->descs = (frame_len + BENCH_BUF - 1) / BENCH_BUF;
	/* Polled, as virtio-user polls (no interrupt on either side). */
	if (iavfbe_test_up_opts(host_mp, &(struct vf_opts){ .nqp = 1,
			.polled = true }, 1) < 0 || RLEN(0) != BENCH_RING)
		return -1;
	/* What a driver keeps: where the rings and doorbells are. */
	g->txr = gtx_desc(0, 0);
	g->rxr = grx_desc(0, 0);
	g->tx_db = vf_txq_tail(0);
	g->rx_db = vf_rxq_tail(0);
	*port = tb.port;
	return 0;
}

void
bench_iavfbe_down(void)
{
	iavfbe_test_down();
}

static uint32_t
ring_next(uint32_t i, uint32_t n)
{
	return (i + n) & (BENCH_RING - 1);
}

static uint32_t
tx_room(const struct avf_guest *g)
{
	return ring_next(g->tx_clean, BENCH_RING - 1 - g->tx_tail);
}

void
avf_tx_reclaim(struct avf_guest *g)
{
	while (g->tx_clean != g->tx_tail &&
	       (g->txr[ring_next(g->tx_clean, g->post_descs - 1)].qw1 &
		AVF_TXD_DTYPE_MASK) == AVF_TXD_DTYPE_DONE)
		g->tx_clean = ring_next(g->tx_clean, g->post_descs);
}

/*
 * Each frame written into its buffers (as virtio-user writes each into
 * mbufs), RS on the post's last descriptor.
 */
uint32_t
avf_tx_post(struct avf_guest *g, uint32_t n)
{
	uint32_t i, k;

	if (tx_room(g) < n * g->descs)
		return 0;
	g->post_descs = n * g->descs;
	for (i = 0; i < n; i++) {
		for (k = 0; k < g->descs; k++) {
			uint32_t off = k * BENCH_BUF, t = g->tx_tail;
			uint32_t len = RTE_MIN(g->frame_len - off, BENCH_BUF);
			uint64_t cmd = k == g->descs - 1 ? AVF_TXD_CMD_EOP : 0;
			uint64_t buf = BENCH_TXBUF_OFF + t * BENCH_BUF;

			if (i == n - 1 && k == g->descs - 1)
				cmd |= AVF_TXD_CMD_RS;
			memcpy(vf.mem + buf, bench_frame + off, len);
			g->txr[t].addr = MEM_IOVA + buf;
			g->txr[t].qw1 = AVF_TXD_DTYPE_DATA |
				cmd << AVF_TXD_CMD_SHIFT |
				(uint64_t)len << AVF_TXD_BUF_SZ_SHIFT;
			g->tx_tail = ring_next(t, 1);
		}
	}
	rte_smp_wmb();
	*g->tx_db = g->tx_tail;
	return n;
}

static void
rx_post(struct avf_guest *g, uint32_t slot)
{
	g->rxr[slot].read.pkt_addr = MEM_IOVA + BENCH_RXBUF_OFF +
		slot * BENCH_BUF;
	g->rxr[slot].read.hdr_addr = 0;
}

void
avf_rx_start(struct avf_guest *g)
{
	uint32_t i;

	for (i = 0; i < BENCH_RING; i++)
		rx_post(g, i);
	g->rx_next = 0;
	g->rx_tail = BENCH_RING - 1;
	rte_smp_wmb();
	*g->rx_db = g->rx_tail;
}

/* Descriptors of the written frame at next; 0 while it is incomplete. */
static uint32_t
rx_frame_descs(const struct avf_guest *g, uint32_t next)
{
	uint32_t k;

	for (k = 0; k < BENCH_RING - 1; k++) {
		uint64_t qw1 = g->rxr[ring_next(next, k)].wb.qw1;

		if (!(qw1 & AVF_RXD_DD))
			return 0;
		if (qw1 & AVF_RXD_EOF)
			return k + 1;
	}
	return 0;
}

uint32_t
avf_rx_take(struct avf_guest *g, uint32_t max)
{
	volatile uint8_t sink = 0;
	uint32_t n, k, descs, consumed = 0;

	for (n = 0; n < max; n++) {
		descs = rx_frame_descs(g, g->rx_next);
		if (descs == 0)
			break;
		rte_smp_rmb();
		sink += vf.mem[BENCH_RXBUF_OFF + g->rx_next * BENCH_BUF + 12];
		g->rx_next = ring_next(g->rx_next, descs);
		consumed += descs;
	}
	if (consumed == 0)
		return 0;
	for (k = 0; k < consumed; k++) {
		g->rx_tail = ring_next(g->rx_tail, 1);
		rx_post(g, g->rx_tail);
	}
	rte_smp_wmb();
	*g->rx_db = g->rx_tail;
	RTE_SET_USED(sink);
	return n;
}

static int
port_start(uint16_t port, struct rte_mempool *mp, uint32_t frame_len)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;

	/* Jumbo frames land in chains of BENCH_BUF-byte mbufs. */
	if (frame_len > RTE_ETHER_MAX_LEN - RTE_ETHER_CRC_LEN) {
		if (rte_eth_dev_info_get(port, &info) < 0)
			return -1;
		conf.rxmode.mtu = frame_len - RTE_ETHER_HDR_LEN;
		conf.rxmode.offloads = info.rx_offload_capa &
			RTE_ETH_RX_OFFLOAD_SCATTER;
	}
	if (rte_eth_dev_configure(port, 1, 1, &conf) < 0 ||
	    rte_eth_rx_queue_setup(port, 0, BENCH_RING, SOCKET_ID_ANY, NULL,
			mp) < 0 ||
	    rte_eth_tx_queue_setup(port, 0, BENCH_RING, SOCKET_ID_ANY, NULL) < 0)
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

static void
sock_path(char *buf, size_t len)
{
	snprintf(buf, len, "%s/vhost.sock", test_tmpdir());
}

int
bench_vhost_up(struct rte_mempool *host_mp, struct rte_mempool *guest_mp,
		uint32_t frame_len, uint16_t *port, uint16_t *guest_port)
{
	char path[200], args[256];

	sock_path(path, sizeof(path));
	snprintf(args, sizeof(args), "iface=%s,queues=1", path);
	if (rte_vdev_init(VHOST_NAME, args) < 0 ||
	    rte_eth_dev_get_port_by_name(VHOST_NAME, port) < 0 ||
	    port_start(*port, host_mp, frame_len) < 0)
		return -1;
	snprintf(args, sizeof(args), "path=%s,queues=1,queue_size=%d", path,
		 BENCH_RING);
	if (rte_vdev_init(VIRTIO_NAME, args) < 0 ||
	    rte_eth_dev_get_port_by_name(VIRTIO_NAME, guest_port) < 0 ||
	    port_start(*guest_port, guest_mp, frame_len) < 0 ||
	    !link_up_within(*port, 2000))
		return -1;
	return 0;
}

static void
port_remove(const char *name)
{
	uint16_t port;

	if (rte_eth_dev_get_port_by_name(name, &port) == 0) {
		rte_eth_dev_stop(port);
		rte_eth_dev_close(port);
	}
	rte_vdev_uninit(name);
}

void
bench_vhost_down(void)
{
	port_remove(VIRTIO_NAME);
	port_remove(VHOST_NAME);
}

int
bench_client_up(struct rte_mempool *host_mp, struct rte_mempool *guest_mp,
		uint32_t frame_len, uint16_t *port, uint16_t *guest_port)
{
	char args[256];
	int n;

	n = snprintf(args, sizeof(args), "path=%s/client.sock,queues=1",
		     test_tmpdir());
	if (n < 0 || (size_t)n >= sizeof(args) ||
	    rte_vdev_init(EMU_NAME, args) < 0 ||
	    rte_vdev_init(IAVFBE_NAME, "emu=" EMU_NAME) < 0 ||
	    rte_eth_dev_get_port_by_name(IAVFBE_NAME, port) < 0 ||
	    port_start(*port, host_mp, frame_len) < 0 ||
	    rte_vdev_init(CLIENT_NAME, args) < 0 ||
	    rte_eth_dev_get_port_by_name(CLIENT_NAME, guest_port) < 0 ||
	    port_start(*guest_port, guest_mp, frame_len) < 0 ||
	    rte_eth_promiscuous_enable(*guest_port) < 0 ||
	    !link_up_within(*guest_port, 2000) || !link_up_within(*port, 2000))
		return -1;
	return 0;
}

void
bench_client_down(void)
{
	port_remove(CLIENT_NAME);
	port_remove(IAVFBE_NAME);
	rte_vdev_uninit(EMU_NAME);
}

/* vhost numbers its devices from 0; ours is the one on our socket. */
int
bench_vhost_vid(void)
{
	char path[200], name[256];
	int vid;

	sock_path(path, sizeof(path));
	for (vid = 0; vid < RTE_MAX_ETHPORTS; vid++)
		if (rte_vhost_get_ifname(vid, name, sizeof(name)) == 0 &&
		    strcmp(name, path) == 0)
			return vid;
	return -1;
}
