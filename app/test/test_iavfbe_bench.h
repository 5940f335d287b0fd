/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef EMUNIC_TEST_IAVFBE_BENCH_H
#define EMUNIC_TEST_IAVFBE_BENCH_H

/*
 * What the two benchmarks share: the guest drivers and the backends they
 * compare.
 * - net_iavfbe's guest is the scripted AVF driver (test_vf.h) on one queue
 *   pair: it writes descriptors and tail doorbells in shared memory, as the
 *   guest's iavf driver does, one 2 KiB buffer per descriptor (a frame
 *   larger than that is a chain of descriptors).
 * - net_vhost's guest is DPDK's virtio-user PMD.
 * iavfbe_perf runs each guest on its own thread (throughput);
 * iavfbe_cost runs guest and host in lockstep on one thread (a count).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "avf_desc.h"

#define BENCH_RING 512
#define BENCH_BURST 32
#define BENCH_BUF 2048u          /* guest buffer per descriptor */
#define BENCH_MAX_FRAME 9000
#define BENCH_TXBUF_OFF 0x200000u
#define BENCH_RXBUF_OFF 0x300000u

/* The AVF guest of one queue pair, and where its rings stand. */
struct avf_guest {
	struct avf_tx_desc *txr;
	union avf_rx_desc *rxr;
	volatile uint32_t *tx_db, *rx_db; /* tail doorbells */
	uint32_t frame_len;
	uint32_t descs;          /* per frame */
	uint32_t tx_tail, tx_clean;
	uint32_t post_descs;     /* descriptors of each post, RS on the last */
	uint32_t rx_next, rx_tail;
};

/* The frame both guests and both hosts send: UDP/IPv4 to the device's MAC. */
extern uint8_t bench_frame[BENCH_MAX_FRAME];
void bench_frame_init(uint32_t len);

/*
 * A benchmark's mbuf pools, host and guest side, of BENCH_BUF-byte mbufs
 * as a guest's buffers are, and vhost's logs quieted; 0 or -ENOMEM.
 */
int bench_start(const char *prefix, struct rte_mempool **host,
		struct rte_mempool **guest);
void bench_end(struct rte_mempool *host, struct rte_mempool *guest);
/* n frames of len bytes (chains beyond BENCH_BUF); n, or 0. */
uint16_t bench_alloc_frames(struct rte_mempool *mp, struct rte_mbuf **pkts,
		uint16_t n, uint32_t len);

/* net_iavfbe with one queue pair of 512, its guest up; the port id. */
int bench_iavfbe_up(struct rte_mempool *host_mp, struct avf_guest *g,
		uint32_t frame_len, uint16_t *port);
void bench_iavfbe_down(void);
/* Guest Tx: reclaim what the device completed (RS per post). */
void avf_tx_reclaim(struct avf_guest *g);
/*
 * Guest Tx: post n frames (n <= BENCH_BURST, the same n every time) and
 * ring the doorbell; n, or 0 without room.
 */
uint32_t avf_tx_post(struct avf_guest *g, uint32_t n);
/* Guest Rx: post every buffer of the ring. */
void avf_rx_start(struct avf_guest *g);
/*
 * Guest Rx: take up to max written frames (reading each one's first
 * bytes, as a driver reads the header), post their buffers again; how
 * many.
 */
uint32_t avf_rx_take(struct avf_guest *g, uint32_t max);

/* net_vhost and a virtio-user guest on its socket, both started. */
int bench_vhost_up(struct rte_mempool *host_mp, struct rte_mempool *guest_mp,
		uint32_t frame_len, uint16_t *port, uint16_t *guest_port);
void bench_vhost_down(void);
/*
 * emu_iavf and net_iavfbe with one queue pair (port), and net_iavf_client
 * on its socket (guest_port, promiscuous), both started.
 */
int bench_client_up(struct rte_mempool *host_mp, struct rte_mempool *guest_mp,
		uint32_t frame_len, uint16_t *port, uint16_t *guest_port);
void bench_client_down(void);
/* The vhost device id of the pair, for its rings; -1 if none. */
int bench_vhost_vid(void);

#endif /* EMUNIC_TEST_IAVFBE_BENCH_H */
