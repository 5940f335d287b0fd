/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef IAVFBE_H
#define IAVFBE_H

/*
 * net_iavfbe: an ethdev port whose other end is a guest's AVF rings.
 * Ethdev Rx queue k takes what the guest transmits on its Tx queue k;
 * ethdev Tx queue k (and, with RSS, the others) delivers into the guest's
 * Rx queues.
 *
 * Concurrency: the guest-queue state (struct iavfbe_gq) changes only in
 * emudev event callbacks, which the provider delivers while it holds that
 * queue's guard (or all guards), and at probe before the port can start.
 * A burst enters the guard of every guest queue it touches, so it sees
 * either the old state or the new one, never a change in progress.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <ethdev_driver.h>
#include <rte_ether.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include <rte_emudev.h>
#include <rte_emudev_net.h>

#include "iavfbe_desc.h"

extern int iavfbe_logtype;
#define IAVFBE_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, iavfbe_logtype, "IAVFBE: %s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)
/* Guest-triggered conditions: at most one line per second per port. */
#define IAVFBE_LOG_GUEST(ad, fmt, ...) do { \
	if (iavfbe_log_allowed(ad)) \
		IAVFBE_LOG(WARNING, "%s: " fmt, (ad)->name, ##__VA_ARGS__); \
} while (0)

#define IAVFBE_MAX_QP 16
#define IAVFBE_MIN_MBUF_ROOM 1024 /* room for any header the guest sends */
#define IAVFBE_MAX_PKT_DESCS 128  /* data descriptors in one Tx packet */
#define IAVFBE_MAX_TSO_SEGS 1024  /* segments one TSO request may make */
#define IAVFBE_MIN_MSS 64
#define IAVFBE_MIN_FRAME 17       /* shortest frame the device accepts */
#define IAVFBE_TX_HDR_MAX 1024    /* MACLEN + IPLEN + L4LEN, at most */

/* What the guest can get wrong; each has a counter and an xstat. */
enum iavfbe_guest_err {
	IAVFBE_ERR_BAD_ADDR,   /* buffer outside guest memory */
	IAVFBE_ERR_BAD_LEN,    /* length 0, too long, or not matching */
	IAVFBE_ERR_BAD_DESC,   /* unknown descriptor type or offload */
	IAVFBE_ERR_RING,       /* ring or tail not usable */
	IAVFBE_ERR_NO_BUFS,    /* frame dropped: no guest Rx buffers */
	IAVFBE_ERR_TOO_BIG,    /* frame larger than the guest's Rx limit */
	IAVFBE_ERR_FILTERED,   /* frame not for the guest's addresses */
	IAVFBE_ERR_MAX,
};

/* A guest queue as the data path uses it. */
struct iavfbe_gq {
	bool enabled;            /* by the guest */
	bool ready;              /* enabled, ring mapped, doorbell known */
	uint16_t qid;            /* emudev queue id */
	uint32_t size;           /* descriptors */
	uint32_t head;           /* next descriptor the device owns */
	void *ring;              /* host address of the ring */
	volatile uint32_t *tail; /* doorbell in shared memory */
	uint32_t tail_mask;
	int32_t vector;          /* -1: no interrupt */
	uint32_t buf_size;       /* guest Rx: buffer size */
	uint32_t max_pkt_len;    /* guest Rx: largest frame */
	struct rte_emudev_qguard *guard;
};

struct iavfbe_queue_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t errors;   /* packets dropped for a guest error */
	uint64_t nombuf;   /* host Rx: mbuf allocation failures */
	uint64_t irqs;     /* interrupts raised */
	uint64_t mcast;    /* multicast frames, broadcast excluded */
	uint64_t bcast;
	uint64_t tso;      /* host Rx: TSO requests segmented */
	uint64_t csum;     /* host Rx: checksums completed */
	uint64_t err[IAVFBE_ERR_MAX];
};

struct iavfbe_adapter;

/* Ethdev Rx queue: the guest's Tx ring of the same pair. */
struct iavfbe_rx_queue {
	struct iavfbe_adapter *ad;
	struct iavfbe_gq *gq;
	struct rte_mempool *mp;
	uint16_t port_id;
	uint16_t queue_id;
	uint16_t stash_head, stash_len; /* segments of a TSO request */
	struct rte_mbuf *stash[IAVFBE_MAX_TSO_SEGS];
	struct iavfbe_queue_stats stats;
};

/* Ethdev Tx queue: delivers into the guest's Rx rings. */
struct iavfbe_tx_queue {
	struct iavfbe_adapter *ad;
	uint16_t queue_id;
	struct iavfbe_queue_stats stats;
};

/*
 * The guest's settings the data path follows. Written on the control
 * thread while bursts may read it: a burst during a change may steer or
 * filter a frame by a mix of old and new values, which is harmless as
 * every value is checked where it is used.
 */
struct iavfbe_guest_cfg {
	struct rte_emudev_net_config net;
};

/* A frame on its way into the guest. */
struct iavfbe_pkt_info {
	uint8_t ptype;           /* AVF packet type */
	uint8_t l2_len;
	uint16_t l3_len;
	uint64_t csum_bits;      /* Rx descriptor checksum status */
};

struct iavfbe_adapter {
	char name[RTE_ETH_NAME_MAX_LEN];
	struct rte_eth_dev *eth_dev;
	uint16_t emu_id;
	uint16_t nb_qp;          /* queue pairs the device has */
	uint32_t max_frame;
	bool offload_flags;      /* devarg guest_offload=flags */
	pthread_mutex_t lock;    /* control state below */
	uint64_t state_gen;      /* bumped by every event applied */
	bool link_up;
	struct iavfbe_gq gtx[IAVFBE_MAX_QP]; /* guest Tx rings */
	struct iavfbe_gq grx[IAVFBE_MAX_QP]; /* guest Rx rings */
	struct iavfbe_guest_cfg cfg;
	uint64_t log_tsc;        /* rate limit of guest-error logs */
	uint64_t events;         /* emudev events seen */
	uint64_t ring_errors;    /* guest rings that could not be used */
	uint64_t guest_resets;
};

/* iavfbe_ethdev.c */
bool iavfbe_log_allowed(struct iavfbe_adapter *ad);

/* iavfbe_events.c: guest queue and configuration state. */
int iavfbe_events_attach(struct iavfbe_adapter *ad);
void iavfbe_events_detach(struct iavfbe_adapter *ad);

/* iavfbe_rx.c: frames the guest transmits. */
uint16_t iavfbe_recv_pkts(void *rxq, struct rte_mbuf **pkts, uint16_t n);
void iavfbe_rxq_flush(struct iavfbe_rx_queue *rxq);

/* iavfbe_tx.c: frames into the guest's Rx rings. */
uint16_t iavfbe_xmit_pkts(void *txq, struct rte_mbuf **pkts, uint16_t n);

/* iavfbe_offload.c */
int iavfbe_csum_offload(struct rte_mbuf *m, uint32_t cmd, uint32_t offset);
int iavfbe_offload_flags(struct rte_mbuf *m, uint32_t cmd, uint32_t offset,
		bool tso);
int iavfbe_tso_fixup(struct rte_mbuf *seg, uint32_t cmd, uint32_t offset,
		uint32_t seg_no, uint32_t payload_off, bool last);
uint8_t iavfbe_ptype(const struct rte_mbuf *m, struct iavfbe_pkt_info *info);
uint32_t iavfbe_rss_hash(const struct iavfbe_guest_cfg *cfg,
		const struct rte_mbuf *m, const struct iavfbe_pkt_info *info,
		bool *valid);

static inline void
iavfbe_count_err(struct iavfbe_queue_stats *s, enum iavfbe_guest_err e)
{
	s->err[e]++;
}

static inline void
iavfbe_count_cast(struct iavfbe_queue_stats *s, const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eh =
		rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	if (!rte_is_multicast_ether_addr(&eh->dst_addr))
		return;
	if (rte_is_broadcast_ether_addr(&eh->dst_addr))
		s->bcast++;
	else
		s->mcast++;
}

#endif /* IAVFBE_H */
