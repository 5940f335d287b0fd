/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef IAVFBE_H
#define IAVFBE_H

/*
 * net_iavfbe: an ethdev port whose other end is a guest's AVF rings.
 *
 * Queues: the guest enables as many queue pairs as it likes (up to what
 * the device offers), the application configures as many queues as it
 * likes; neither waits for the other. Ethdev Rx queue r polls every guest
 * Tx queue g with g mod nb_rx_queues = r, so each guest Tx ring has
 * exactly one poller; ethdev Tx queues deliver into whichever guest Rx
 * queue the guest's RSS configuration picks, else into one of the guest's
 * enabled Rx queues chosen by the Tx queue's number.
 *
 * Rings: the guest may lay a ring over several DMA maps (behind a vIOMMU
 * every 4 KiB page is one). A ring is therefore translated page by page
 * when it is enabled, into a table of host addresses; descriptors never
 * cross a page (rings are 128-byte aligned, descriptors 16 or 32 bytes).
 * Buffers are translated at each use, across maps.
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
#include <string.h>

#include <ethdev_driver.h>
#include <rte_ether.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_vect.h>

#include <rte_emudev.h>
#include <rte_emudev_net.h>

#include "emunic_ratelimit.h"

#include "emunic_compat.h"
#include "avf_desc.h"

extern int iavfbe_logtype;
#define IAVFBE_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, iavfbe_logtype, "IAVFBE: %s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)
/* What the guest triggers: a few lines per second per port and source. */
#define IAVFBE_LOG_GUEST(ad, fmt, ...) \
	IAVFBE_LOG_RL(ad, log_data, WARNING, fmt, ##__VA_ARGS__)
#define IAVFBE_LOG_RL(ad, rl, level, fmt, ...) do { \
	if (emunic_ratelimit_ok(&(ad)->rl)) \
		IAVFBE_LOG(level, "%s: " fmt, (ad)->name, ##__VA_ARGS__); \
} while (0)

#define IAVFBE_MAX_QP 16          /* guest queue pairs */
#define IAVFBE_MAX_QUEUES 16      /* ethdev queues of each direction */
#define IAVFBE_MIN_MBUF_ROOM 1024 /* room for any header the guest sends */
#define IAVFBE_MAX_PKT_DESCS 128  /* data descriptors in one Tx packet */
#define IAVFBE_MAX_TSO_SEGS 1024  /* segments one TSO request may make */
#define IAVFBE_MIN_MSS 64
#define IAVFBE_MIN_FRAME 17       /* shortest frame the device accepts */
#define IAVFBE_TX_HDR_MAX 1024    /* MACLEN + IPLEN + L4LEN, at most */
#define IAVFBE_RING_MAX_DESCS 8192
#define IAVFBE_PAGE_SHIFT 12      /* guest rings are translated by 4 KiB */
#define IAVFBE_PAGE_SIZE (1u << IAVFBE_PAGE_SHIFT)
/* Pages of the largest ring, plus one for a base inside a page. */
#define IAVFBE_RING_MAX_PAGES \
	(IAVFBE_RING_MAX_DESCS * 32 / IAVFBE_PAGE_SIZE + 1)

/*
 * What the guest can get wrong; each has a counter and an xstat. The data
 * path's walkers return 0, or one of these.
 */
enum iavfbe_guest_err {
	IAVFBE_ERR_BAD_ADDR = 1, /* buffer outside guest memory */
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
	uint8_t desc_shift;      /* log2 of the descriptor size */
	uint16_t page_off;       /* offset of the ring in its first page */
	uint32_t size;           /* descriptors */
	uint32_t head;           /* next descriptor the device owns */
	volatile uint32_t *tail; /* doorbell in shared memory */
	uint32_t tail_mask;
	int32_t vector;          /* -1: no interrupt */
	uint32_t buf_size;       /* guest Rx: buffer size */
	uint32_t max_pkt_len;    /* guest Rx: largest frame */
	uint64_t packets;        /* frames through this guest queue */
	struct rte_emudev_qguard *guard;
	uint64_t base;           /* guest address of the ring */
	/* Host address of each guest page of the ring (page 0: of the page
	 * the ring starts in, as if that page were mapped whole). */
	uintptr_t page[IAVFBE_RING_MAX_PAGES];
};

/*
 * Copy frame bytes between guest and host memory. rte_memcpy() for short
 * copies; the C library's memcpy() for long ones, which picks the widest
 * vector unit of the CPU at run time where a DPDK built for a generic
 * platform has rte_memcpy() compiled for SSE only.
 */
#define IAVFBE_COPY_LONG 256
static __rte_always_inline void
iavfbe_copy(void *dst, const void *src, size_t n)
{
	if (n >= IAVFBE_COPY_LONG)
		memcpy(dst, src, n);
	else
		rte_memcpy(dst, src, n);
}

/*
 * Copy a frame into a guest Rx buffer. A short one goes with streaming
 * (non-temporal) stores where the CPU has them, as a NIC's DMA writes
 * memory: the guest read the buffer's first line when it last used it,
 * so an ordinary store must first take that line back from the guest's
 * CPU, and x86 commits stores in order, so every later store of the
 * burst would wait for it, once per frame. A long copy streams its lines
 * anyway. Guest drivers align their buffers; an unaligned one gets
 * ordinary stores. The stores are ordered before the descriptor that
 * reports the frame by the rte_wmb() before it (an sfence on x86).
 */
#ifdef RTE_ARCH_X86_64
static __rte_always_inline void
stream16(uint8_t *d, const uint8_t *s)
{
	_mm_stream_si128((__m128i *)d, _mm_loadu_si128((const __m128i *)s));
}
#endif

static __rte_always_inline void
iavfbe_copy_to_guest(void *dst, const void *src, size_t n)
{
#ifdef RTE_ARCH_X86_64
	uint8_t *d = dst;
	const uint8_t *s = src;
	size_t body = n & ~(size_t)15;

	RTE_BUILD_BUG_ON(IAVFBE_COPY_LONG > 16 * 16);
	if (n >= IAVFBE_COPY_LONG || ((uintptr_t)d & 15) != 0) {
		iavfbe_copy(dst, src, n);
		return;
	}
	/* Unrolled: a short frame's copy is a jump and its stores. */
	switch (body >> 4) {
	case 15: stream16(d + 224, s + 224); /* fallthrough */
	case 14: stream16(d + 208, s + 208); /* fallthrough */
	case 13: stream16(d + 192, s + 192); /* fallthrough */
	case 12: stream16(d + 176, s + 176); /* fallthrough */
	case 11: stream16(d + 160, s + 160); /* fallthrough */
	case 10: stream16(d + 144, s + 144); /* fallthrough */
	case 9: stream16(d + 128, s + 128); /* fallthrough */
	case 8: stream16(d + 112, s + 112); /* fallthrough */
	case 7: stream16(d + 96, s + 96); /* fallthrough */
	case 6: stream16(d + 80, s + 80); /* fallthrough */
	case 5: stream16(d + 64, s + 64); /* fallthrough */
	case 4: stream16(d + 48, s + 48); /* fallthrough */
	case 3: stream16(d + 32, s + 32); /* fallthrough */
	case 2: stream16(d + 16, s + 16); /* fallthrough */
	case 1: stream16(d + 0, s + 0); /* fallthrough */
	default: break;
	}
	d += body, s += body, n -= body;
	if (n >= 8) {
		long long v;

		memcpy(&v, s, 8);
		_mm_stream_si64((long long *)d, v);
		d += 8, s += 8, n -= 8;
	}
	if (n >= 4) {
		int v;

		memcpy(&v, s, 4);
		_mm_stream_si32((int *)d, v);
		d += 4, s += 4, n -= 4;
	}
	while (n-- > 0)
		*d++ = *s++;
#else
	iavfbe_copy(dst, src, n);
#endif
}

/* Descriptor idx of a guest ring. */
static inline void *
iavfbe_desc(const struct iavfbe_gq *gq, uint32_t idx)
{
	uint32_t off = gq->page_off + (idx << gq->desc_shift);

	return (void *)(gq->page[off >> IAVFBE_PAGE_SHIFT] +
			(off & (IAVFBE_PAGE_SIZE - 1)));
}

/* The ring index after idx. */
static inline uint32_t
iavfbe_next(const struct iavfbe_gq *gq, uint32_t idx)
{
	return idx + 1 == gq->size ? 0 : idx + 1;
}

/*
 * Counters of a queue. They only grow: the application's stats reset
 * moves a base line (stats_base), so the guest, which reads the same
 * counters through GET_STATS, never sees them go back.
 */
struct iavfbe_queue_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t errors;   /* packets dropped (a guest error, or filtered) */
	uint64_t nombuf;   /* host Rx: mbuf allocation failures */
	uint64_t irqs;     /* interrupts raised */
	uint64_t mcast;    /* multicast frames, broadcast excluded */
	uint64_t bcast;
	uint64_t tso;      /* host Rx: TSO requests segmented */
	uint64_t csum;     /* host Rx: checksums completed */
	/* Host Tx: frames for the guest it could not take, by destination. */
	uint64_t discards;
	uint64_t discard_mcast;
	uint64_t discard_bcast;
	uint64_t err[IAVFBE_ERR_MAX];
};

struct iavfbe_adapter;

/* Ethdev Rx queue: polls the guest Tx rings mapped to it. */
struct iavfbe_rx_queue {
	struct iavfbe_adapter *ad;
	struct rte_mempool *mp;
	uint32_t buf_room;       /* data room of the pool's mbufs */
	uint16_t port_id;
	uint16_t queue_id;
	uint16_t nb_gq;          /* guest Tx queues polled (set at start) */
	uint16_t next_gq;        /* where the next burst starts */
	struct iavfbe_gq *gq[IAVFBE_MAX_QP];
	uint16_t stash_head, stash_len; /* segments of a TSO request */
	struct rte_mbuf *stash[IAVFBE_MAX_TSO_SEGS];
	struct iavfbe_queue_stats stats;
	struct iavfbe_queue_stats stats_base;
};

/* Ethdev Tx queue: delivers into the guest's Rx rings. */
struct iavfbe_tx_queue {
	struct iavfbe_adapter *ad;
	uint16_t queue_id;
	struct iavfbe_queue_stats stats;
	struct iavfbe_queue_stats stats_base;
};

/*
 * The guest's settings the data path follows. Written on the control
 * thread while bursts may read it: a burst during a change may steer or
 * filter a frame by a mix of old and new values, which is harmless as
 * every value is checked where it is used.
 */
#define IAVFBE_RSS_INPUT_MAX 36 /* IPv6 addresses and L4 ports */
struct iavfbe_guest_cfg {
	struct rte_emudev_net_config net;
	/* What each byte value adds to the hash at each input position,
	 * from net.rss_key (iavfbe_rss_key_set()). */
	uint32_t rss_tbl[IAVFBE_RSS_INPUT_MAX][256];
};

/* A frame on its way into the guest. */
struct iavfbe_pkt_info {
	uint8_t ptype;           /* AVF packet type */
	uint8_t l2_len;
	uint16_t l3_len;
	uint64_t csum_bits;      /* Rx descriptor checksum status */
	/* The L3 header when it and the L4 ports are in the first segment
	 * of a common frame (TCP or UDP over IPv4 or IPv6), else NULL. */
	const uint8_t *l3;
};

/* Port-wide counters (xstats), only growing like the queues' ones. */
struct iavfbe_port_counts {
	uint64_t events;         /* emudev events seen */
	uint64_t ring_errors;    /* guest rings that could not be used */
	uint64_t guest_resets;
};

/* A guest queue as the device last described it. */
struct iavfbe_gq_desc {
	struct rte_emudev_q_info qi;
	struct rte_emudev_db_info db;
};

struct iavfbe_adapter {
	char name[RTE_ETH_NAME_MAX_LEN];
	struct rte_eth_dev *eth_dev;
	uint16_t emu_id;
	uint16_t nb_qp;          /* queue pairs the device has */
	uint32_t max_frame;
	bool offload_flags;      /* devarg guest_offload=flags */
	/* Guest Rx queues that are ready, for frames RSS does not steer. */
	uint16_t nb_rx_active;
	uint8_t rx_active[IAVFBE_MAX_QP];
	pthread_mutex_t lock;    /* control state below */
	uint64_t state_gen;      /* bumped by every event applied */
	bool link_up;
	uint32_t link_speed;     /* Mbps, as the device last told */
	struct iavfbe_gq_desc gdesc[2 * IAVFBE_MAX_QP]; /* by emudev qid */
	struct iavfbe_gq gtx[IAVFBE_MAX_QP]; /* guest Tx rings */
	struct iavfbe_gq grx[IAVFBE_MAX_QP]; /* guest Rx rings */
	struct iavfbe_guest_cfg cfg;
	/* Queues set up, and what released ones counted (for the guest). */
	struct iavfbe_rx_queue *rxq[IAVFBE_MAX_QUEUES];
	struct iavfbe_tx_queue *txq[IAVFBE_MAX_QUEUES];
	struct iavfbe_queue_stats retired_rx, retired_tx;
	struct emunic_ratelimit log_data; /* data-path guest errors */
	struct emunic_ratelimit log_ctrl; /* queue, memory and link events */
	struct iavfbe_port_counts port_counts, port_base;
	uint64_t gtx_base[IAVFBE_MAX_QP], grx_base[IAVFBE_MAX_QP];
};

/* iavfbe_ethdev.c */
/* How guest queues map to ethdev queues, in one line. */
void iavfbe_describe_queues(struct iavfbe_adapter *ad, char *buf, size_t len);

/* iavfbe_events.c: guest queue and configuration state. */
int iavfbe_events_attach(struct iavfbe_adapter *ad);
void iavfbe_events_detach(struct iavfbe_adapter *ad);
/* Which ethdev Rx queue polls which guest Tx queue; before start. */
void iavfbe_map_guest_queues(struct iavfbe_adapter *ad, uint16_t nb_rxq);

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
/* A frame iavfbe_classify.h does not parse itself, by librte_net. */
void iavfbe_ptype_other(const struct rte_mbuf *m,
		struct iavfbe_pkt_info *info, bool *v4, bool *v6);
void iavfbe_rss_key_set(struct iavfbe_guest_cfg *cfg);

/*
 * Interrupt the guest on the vector of a guest queue, counted in s. The
 * guest may map the queue to another vector while a burst runs: the
 * vector is read once, whole.
 */
static inline void
iavfbe_raise(const struct iavfbe_adapter *ad, const struct iavfbe_gq *gq,
		struct iavfbe_queue_stats *s)
{
	int32_t v = __atomic_load_n(&gq->vector, __ATOMIC_RELAXED);

	if (v > 0 && rte_emudev_irq_raise(ad->emu_id, v) == 0)
		s->irqs++;
}

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
