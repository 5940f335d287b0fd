/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef EMUNIC_TEST_IAVFBE_H
#define EMUNIC_TEST_IAVFBE_H

/*
 * net_iavfbe against the scripted guest of test_vf.h: the guest writes
 * AVF descriptors into its memory and rings the doorbells in the mmapped
 * tail pages, as a VF driver does; the port is driven through the ethdev
 * API. Guest memory layout (offsets from MEM_IOVA): the mailbox and
 * rings as in test_vf.h, Tx buffers at TXBUF_OFF, RXBUFS_PER_Q Rx
 * buffers of RX_BUF_SIZE per queue from RXBUF_OFF.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "test.h"
#include "test_vf.h"

#define PORT_NAME "net_iavfbe_test0"
#define TXBUF_OFF 0x200000u   /* guest Tx buffers, 512 KiB */
#define TXBUF_SIZE 0x80000u
#define RXBUF_OFF 0x280000u   /* guest Rx buffers: 128 per queue */
#define RXBUFS_PER_Q 128
#define SPLIT_OFF 0x200000u   /* where the two-region map splits memory */
#define JUMBO 9000
#define RLEN(q) (vf.ring[q].len)

/* The test bed: the port, and where the guest is in each of its rings. */
struct iavfbe_tb {
	struct rte_mempool *mp;
	uint16_t port;
	uint32_t tx_tail[MAX_QP], tx_clean[MAX_QP];
	uint32_t rx_tail[MAX_QP], rx_next[MAX_QP];
	uint32_t txbuf_used;
};

extern struct iavfbe_tb tb;
extern const struct rte_ether_addr other_mac; /* not the guest's */

/*
 * emu_iavf with the scripted guest (options o), its queues enabled, and a
 * started net_iavfbe port on it with nb_queues Rx and Tx queues whose Rx
 * queues take mbufs from mp.
 */
int iavfbe_test_up_opts(struct rte_mempool *mp, const struct vf_opts *o,
		uint16_t nb_queues);
/* The same with the default guest and NQP queues; the port's id. */
int iavfbe_test_up(struct rte_mempool *mp, uint16_t *port);
void iavfbe_test_down(void);
/* Suite setup: iavfbe_test_up() with tb.mp. */
int iavfbe_test_setup(void);
/*
 * Run a suite of cases, each on a fresh iavfbe_test_setup(), with a pool
 * of nb_mbufs mbufs of data_room bytes in tb.mp; fails also when an mbuf
 * or a file descriptor is not given back.
 */
int iavfbe_suite_run(const char *suite, const struct unit_test_case *cases,
		unsigned int nb_mbufs, uint16_t data_room);

/* The guest's side: what Linux does from probe to "ip link set up". */
int guest_up(void);
/* Queue pair 0 takes jumbo frames; the others keep 1518. */
void jumbo_q0(struct virtchnl_queue_pair_info *qp);
int port_up(const char *devargs);
int port_up_queues(const char *devargs, uint16_t nb_queues);
void port_down(void);

/* Guest rings. */
uint32_t rxbuf_off(uint16_t q, uint32_t i);
/* Queue a descriptor on guest Tx ring q; its index. */
uint32_t gtx_put(uint16_t q, uint64_t addr, uint64_t qw1);
void gtx_ring(uint16_t q);
/* Guest memory for a Tx buffer holding len bytes of data; its offset. */
uint32_t txbuf_put(const void *data, uint32_t len);
/*
 * Queue a frame in buffers of at most seg bytes, every descriptor with cmd
 * and offset, EOP and RS on the last. Returns the last index.
 */
uint32_t gtx_frame(uint16_t q, const void *frame, uint32_t len, uint32_t seg,
		uint32_t cmd, uint32_t offset);
bool tx_done(uint16_t q, uint32_t i);
/* Post n Rx buffers on guest Rx ring q and ring its doorbell. */
void grx_post(uint16_t q, uint32_t n);
uint64_t rxd_qw1(uint16_t q, uint32_t i);
uint32_t rxd_len(uint64_t qw1);

/* An extended counter of the port, UINT64_MAX if there is none. */
uint64_t xstat(const char *name);

/* Frames. */
/* A frame with a recognisable payload; dst NULL: the guest's MAC. */
void make_frame(uint8_t *f, uint32_t len, const struct rte_ether_addr *dst,
		uint8_t seed);
/* IPv4 + TCP or UDP headers in front of a payload, checksums zero. */
uint32_t make_l4_frame(uint8_t *f, uint32_t payload, uint8_t proto);
/* The pseudo-header sum a driver leaves for checksum offload. */
void seed_l4_checksum(uint8_t *f, uint8_t proto, uint64_t ol_flags);
/* Valid checksums, as a host application sends them. */
void fill_l4_checksums(uint8_t *f, uint8_t proto);

/* The host side. */
/* Up to want frames from host Rx queue q, polling a few times. */
uint16_t host_rx(uint16_t q, struct rte_mbuf **pkts, uint16_t want);
bool mbuf_is(const struct rte_mbuf *m, const void *data, uint32_t len);
struct rte_mbuf *host_mbuf(const void *data, uint32_t len);
/* Send a burst on a port's queue; what it does not take is freed. */
uint16_t tx_or_free(uint16_t port, uint16_t q, struct rte_mbuf **pkts,
		uint16_t n);
/* Send a frame; ol_flags: what the host side knew of its checksums. */
int host_tx_flags(uint16_t q, const void *data, uint32_t len,
		uint64_t ol_flags);
int host_tx(uint16_t q, const void *data, uint32_t len);

/*
 * Traffic on three threads: the guest (posting 64-byte Tx frames on queue
 * pair 0, taking Rx frames and checking each byte), the port's data path
 * (guest Tx looped back into guest Rx, or frames of its own when the
 * guest sends none), and the test's control side changing memory or
 * queues meanwhile.
 */
#define LOOP_FRAME 64
#define LOOP_RX_POSTED (RXBUFS_PER_Q - 1)

struct iavfbe_loop {
	volatile bool stop;
	uint32_t pause;    /* nonzero: round the guest is asked to pause for */
	uint32_t paused;   /* the round the guest acknowledged */
	uint64_t sent, received, rx_errors, corrupt;
	uint64_t host_frames;
	uint32_t seq;
	uint32_t pace_us;  /* each thread's sleep after a round; 0: it yields */
};

extern struct iavfbe_loop loop;

/* Guest memory offset of Tx slot i's buffer. */
uint32_t loop_txbuf(uint32_t i);
/*
 * The guest's and the host's loop threads; pace_us, when nonzero, leaves
 * the CPUs to other threads between rounds.
 */
int loop_start(pthread_t *th, uint32_t pace_us);
void loop_stop(pthread_t *th);
/* The guest stops posting and taking frames; the data path goes on. */
void loop_pause(uint32_t round);
void loop_resume(void);
/* Frames received by the guest grow within a second. */
bool loop_flows(void);

#endif /* EMUNIC_TEST_IAVFBE_H */
