/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef IAVF_CLIENT_H
#define IAVF_CLIENT_H

/*
 * net_iavf_client: an AVF VF driver that reaches its device over a
 * vfio-user socket instead of PCI, as virtio-user is the virtio driver of
 * a vhost-user socket. The device (emu_iavf, in another process) is
 * untrusted, as a real VF's driver does not trust a PF.
 *
 * Concepts:
 * - Memory. The device reads and writes the rings and the mbufs in this
 *   process's memory: every DPDK memory segment is given to the server
 *   with DMA_MAP and its fd (iavf_client_mem.c), at probe and as EAL adds
 *   or frees memory. Descriptors carry IOVAs, as for a PCI device.
 * - Registers. BAR0 is reached over the socket (REGION_READ/WRITE), on
 *   the control path only; the tail doorbells are in pages the server
 *   lets the client mmap, so the data path never talks to the socket.
 * - The admin queue (iavf_client_vc.c): rings in this process's memory,
 *   virtchnl requests one at a time under the adapter's lock, PF events
 *   (link changes, resets) taken when a request waits and on the mailbox
 *   vector's eventfd.
 * - The data path (iavf_client_rxtx.c): each queue's rings and its
 *   doorbell; nothing shared between queues, no lock.
 *
 * Layers call downward: ethdev ops -> virtchnl -> admin queue -> the
 * vfio-user client; the data path calls nothing but the mempool.
 */

#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>

#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_spinlock.h>

#include "emunic_compat.h"
#include "emunic_ratelimit.h"
#include "avf_desc.h"
#include "avf_regs.h"
#include "avf_virtchnl.h"

extern int iavf_client_logtype;

#define IAVFC_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, iavf_client_logtype, \
		"IAVF_CLIENT: %s(): " fmt "\n", __func__, ##__VA_ARGS__)

/* For what the server controls: a burst of lines per second per site. */
#define IAVFC_LOG_RL(level, fmt, ...) \
	EMUNIC_LOG_RL(IAVFC_LOG, level, fmt, ##__VA_ARGS__)

#define IAVFC_MAX_QP 16
#define IAVFC_AQ_LEN 32
#define IAVFC_AQ_BUF 4096
#define IAVFC_MIN_RING 64
#define IAVFC_MAX_RING 4096
#define IAVFC_RING_ALIGN 128
#define IAVFC_RX_BUF_MAX 16256u    /* what an Rx descriptor's length holds */
#define IAVFC_MAX_FRAME 9728
#define IAVFC_TX_MAX_SEGS 8        /* data descriptors of a non-TSO packet */
#define IAVFC_TSO_MAX_SEGS 32      /* and of a TSO one */
#define IAVFC_TX_MAX_BUF 16383     /* bytes in one Tx data descriptor */
/* (a fuzzing build shortens both: a wrong reply costs a timeout) */
#ifndef IAVFC_VC_TIMEOUT_MS
#define IAVFC_VC_TIMEOUT_MS 2000   /* a virtchnl reply */
#endif
#ifndef IAVFC_RESET_TIMEOUT_MS
#define IAVFC_RESET_TIMEOUT_MS 5000
#endif

/* One DMA map: a run of memory segments in one fd. */
struct iavfc_map {
	uint64_t iova;
	uint64_t va;
	uint64_t len;
	int fd;            /* EAL's; not ours to close */
	uint64_t fd_off;
};

/*
 * A queue's lock is the data path's only one: a burst takes it without
 * waiting (it returns 0 when held); the control path holds it while it
 * rebuilds the ring after the server came back.
 */
struct iavfc_tx_queue {
	rte_spinlock_t lock;
	volatile struct avf_tx_desc *ring;
	struct rte_mbuf **sw_ring;   /* the mbuf of each data descriptor */
	uint16_t *rs_fifo;           /* descriptors with RS, oldest first */
	volatile uint32_t *doorbell;
	uint16_t nb_desc;
	uint16_t tail;               /* next descriptor to fill */
	uint16_t clean;              /* oldest descriptor not yet freed */
	uint16_t nb_free;
	uint16_t rs_head, rs_tail, rs_len;
	uint16_t since_rs;           /* descriptors used since the last RS */
	uint16_t rs_thresh;
	uint16_t qid;
	uint64_t packets, bytes;
	const struct rte_memzone *mz;
};

struct iavfc_rx_queue {
	rte_spinlock_t lock;
	volatile union avf_rx_desc *ring;
	struct rte_mbuf **sw_ring;
	struct rte_mempool *mp;
	volatile uint32_t *doorbell;
	struct rte_mbuf *pkt_first;  /* a packet whose EOF is still to come */
	struct rte_mbuf *pkt_last;
	uint16_t nb_desc;
	uint16_t next;               /* next descriptor to look at */
	uint16_t nb_hold;            /* taken, not yet posted again */
	uint16_t rearm;              /* the first of those */
	uint16_t buf_len;            /* each buffer's room */
	uint16_t qid;
	uint16_t port_id;
	bool vlan_strip;
	bool skip;                   /* descriptors of a dropped frame follow */
	uint64_t packets, bytes, errors, nombuf, bad_desc;
	const struct rte_memzone *mz;
};

/* The admin queue: two rings and their buffers in one memzone. */
struct iavfc_aq {
	const struct rte_memzone *mz;
	struct iavf_aq_desc *atq, *arq;
	uint8_t *atq_buf, *arq_buf;
	uint64_t atq_iova, arq_iova, atq_buf_iova, arq_buf_iova;
	uint16_t atq_ntu, arq_ntc;
};

struct iavfc_adapter {
	char name[RTE_DEV_NAME_MAX_LEN];
	char path[108];
	uint16_t port_id;
	uint16_t nb_qp_req;          /* queues=, 0: what the device has */
	uint32_t reconnect_ms;       /* reconnect=, 0: the port stays down */
	bool intr;                   /* intr=: PF events on the mailbox vector */
	struct rte_ether_addr mac;   /* mac=, or the device's */
	bool mac_own;                /* mac= or set by the application */
	struct rte_vfio_user_client *c;
	bool up;                     /* the session is set up: others may use it */
	bool closing;                /* being closed: no alarm is armed */
	/* The control path: the socket, the admin queue, the maps. */
	pthread_mutex_t lock;
	/* BAR0's doorbell pages, mmapped. */
	uint8_t *bar0;
	size_t bar0_len;
	bool dyn_ctln_shared;        /* the DYN_CTLN page is in the mapping */
	/* Rx interrupts (intr_conf.rxq): queue q on vector q + 1. */
	int rxq_efd[IAVFC_MAX_QP];
	uint16_t nb_rxq_efd;
	struct iavfc_aq aq;
	struct virtchnl_vf_resource res;
	uint16_t vsi_id;
	uint16_t nb_qp;              /* queue pairs the device gives */
	uint32_t caps;
	/* Memory given to the server. */
	struct iavfc_map *maps;
	uint32_t nb_maps, max_maps;
	bool mem_cb;
	/* The mailbox vector. */
	int mbx_efd;
	struct rte_intr_handle *mbx_intr;
	/* The socket, watched for the server going away. */
	struct rte_intr_handle *sock_intr;
	uint64_t reconnects;
	/* The device's drop counts at the last stats reset. */
	uint64_t imissed_base, oerrors_base;
	/* Link, from PF events. */
	bool link_up;
	uint32_t link_speed;
	bool resetting;
	bool lsc_pending;            /* a link change not yet told the app */
	/* A virtchnl request being built and the reply, under the lock. */
	uint8_t vc_msg[IAVFC_AQ_BUF];
	uint8_t vc_reply[IAVFC_AQ_BUF];
	uint64_t bad_msgs;           /* ARQ messages refused */
	uint64_t vc_errors;          /* requests the PF failed */
};

/* iavf_client_mem.c */
int iavfc_mem_attach(struct iavfc_adapter *ad);
void iavfc_mem_detach(struct iavfc_adapter *ad);

/* iavf_client_vc.c */
int iavfc_aq_init(struct iavfc_adapter *ad);
void iavfc_aq_free(struct iavfc_adapter *ad);
int iavfc_vf_reset(struct iavfc_adapter *ad);
int iavfc_vc_bring_up(struct iavfc_adapter *ad);
int iavfc_vc_config_queues(struct iavfc_adapter *ad, uint16_t nb_rxq,
		uint16_t nb_txq, struct iavfc_rx_queue **rxq,
		struct iavfc_tx_queue **txq, uint32_t max_pkt);
int iavfc_vc_irq_map(struct iavfc_adapter *ad, uint16_t nb_qp);
int iavfc_vc_queues(struct iavfc_adapter *ad, bool enable, uint32_t rx,
		uint32_t tx);
int iavfc_vc_promisc(struct iavfc_adapter *ad, bool uc, bool mc);
int iavfc_vc_mac(struct iavfc_adapter *ad, const struct rte_ether_addr *mac,
		bool add);
int iavfc_vc_vlan(struct iavfc_adapter *ad, uint16_t vlan, bool add);
int iavfc_vc_vlan_strip(struct iavfc_adapter *ad, bool on);
int iavfc_vc_rss(struct iavfc_adapter *ad, const uint8_t *key,
		uint16_t key_len, const uint8_t *lut, uint16_t lut_len,
		uint64_t hena);
int iavfc_vc_stats(struct iavfc_adapter *ad, struct virtchnl_eth_stats *st);
/* Take the PF's events from the ARQ (link changes set lsc_pending). */
void iavfc_vc_poll_events(struct iavfc_adapter *ad);

/* iavf_client_rxtx.c */
uint16_t iavfc_recv_pkts(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t iavfc_xmit_pkts(void *txq, struct rte_mbuf **pkts, uint16_t n);
uint16_t iavfc_prep_pkts(void *txq, struct rte_mbuf **pkts, uint16_t n);
int iavfc_rxq_fill(struct iavfc_rx_queue *q);
void iavfc_rxq_drain(struct iavfc_rx_queue *q);
void iavfc_txq_reset(struct iavfc_tx_queue *q);
void iavfc_txq_drain(struct iavfc_tx_queue *q);

#endif /* IAVF_CLIENT_H */
