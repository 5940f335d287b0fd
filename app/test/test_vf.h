/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef EMUNIC_TEST_VF_H
#define EMUNIC_TEST_VF_H

/*
 * A scripted AVF VF driver: the guest side of emu_iavf, driven over the
 * vfio-user client API with guest memory in a test-owned memfd. Register
 * access, the admin queue and virtchnl as Linux and DPDK drive them; the
 * tests add what they check.
 */

#include <stdbool.h>
#include <stdint.h>

#include "emu_iavf_internal.h"
#include "avf_desc.h"

#define DEV_NAME "emu_iavf_test0"
#define DEV_MAC "02:11:22:33:44:55"
#define NQP 4                 /* queue pairs of the default device */
#define NVEC (NQP + 1)
#define MAX_QP 16             /* the most a device may have */
#define MEM_IOVA 0x100000ull
#define MEM_SIZE (8u << 20)
#define GUEST_PAGE 4096u
#define ATQ_OFF 0x0
#define ARQ_OFF 0x1000
#define ATQ_BUF_OFF 0x10000   /* 32 x 4 KiB */
#define ARQ_BUF_OFF 0x30000   /* 32 x 4 KiB */
#define RING_OFF 0x100000     /* queue pair q: Tx ring here + RING_STRIDE q, */
#define RING_STRIDE 0x8000
#define RX_RING_OFF 0x2000    /* its Rx ring 8 KiB further */
#define TXR_OFF(q) (RING_OFF + RING_STRIDE * (q))
#define RXR_OFF(q) (TXR_OFF(q) + RX_RING_OFF)
#define RING_LEN 512
#define RX_BUF_SIZE 2048
#define AQ_LEN 32

/* Linux 6.12 and DPDK capability requests. */
#define CAPS_LINUX 0x1abd8cf9u
#define CAPS_DPDK 0xbe0bc7e1u

/* How the scripted guest is set up. */
struct vf_opts {
	uint16_t nqp;   /* the device's queues= (0: NQP) */
	/*
	 * Memory as a guest behind a vIOMMU maps it: one DMA map per 4 KiB
	 * page, pages in another order in the backing file than in guest
	 * addresses (swapped by pairs), the guest's own view contiguous.
	 */
	bool paged;
	/* Queue pair 0's rings: length and guest memory offsets (0: the
	 * defaults). */
	uint32_t q0_len, q0_tx_off, q0_rx_off;
	/* Every queue on vector 0 (a polling guest), not one vector each. */
	bool polled;
};

struct vf {
	struct rte_vfio_user_client *c;
	int memfd;
	uint8_t *mem;              /* guest memory as the guest sees it */
	uint16_t nqp;
	bool paged;
	bool polled;
	/* Where each pair's rings are and their length, as configured. */
	struct {
		uint32_t tx_off, rx_off, len;
	} ring[MAX_QP];
	int ev[MAX_QP + 1];
	uint16_t atq_ntu, arq_ntc;
	uint16_t edev;
	struct emu_iavf *dev;
	void *tails;               /* BAR0's tail pages, mmapped as QEMU does */
	size_t tails_len;
};

extern struct vf vf;

/* Create the device, attach, map all of guest memory, bind the vectors. */
int vf_setup(void);
int vf_setup_opts(const struct vf_opts *o);
/* The backing-file offset of guest memory offset off. */
uint64_t vf_file_off(uint64_t off);
/* DMA map or unmap [off, off + len) of guest memory as vf_setup did. */
int vf_map(uint32_t off, uint32_t len);
int vf_unmap(uint32_t off, uint32_t len);
void vf_teardown(void);

uint64_t iova(uint64_t off);
uint32_t rd(uint32_t off);
void wr(uint32_t off, uint32_t v);
uint32_t cfg_read32(uint32_t off);
void cfg_write16(uint32_t off, uint16_t v);
/* Count (and clear) the interrupts delivered on a vector. */
uint64_t irqs(int vec);
/*
 * Wait up to 200 ms for an interrupt on a vector (the device's control
 * thread delivers them); how many came.
 */
uint64_t irqs_within_200ms(int vec);

struct iavf_aq_desc *desc_at(uint32_t ring_off, uint16_t i);
/* The admin queue bring-up both drivers do: ENABLE before the base. */
void aq_init(uint16_t arq_tail);
/* Post one message on the ATQ; true when the device consumed it. */
bool vc_send(uint32_t op, const void *msg, uint16_t len);
/*
 * Take one ARQ message; false when none. len: in, the capacity of buf;
 * out, the message length (a longer message is cut).
 */
bool vc_recv(uint32_t *op, int32_t *status, void *buf, uint16_t *len);
/*
 * Send and take the reply, skipping events; the virtchnl status, or 1000
 * when the exchange itself failed. rlen as for vc_recv().
 */
int32_t vc(uint32_t op, const void *msg, uint16_t len, void *reply,
		uint16_t *rlen);
/* The next event on the ARQ, or -1. */
int next_event(struct virtchnl_pf_event *ev);
int vc_version_ok(void);
int vc_resources(uint32_t caps, struct virtchnl_vf_resource *res);
/*
 * CONFIG_VSI_QUEUES for n pairs with rings as vf.ring says (by default
 * at TXR_OFF(q) and RXR_OFF(q), RING_LEN long); tweak, when given,
 * changes the first pair's.
 */
int32_t vc_config_queues(uint16_t n, void (*tweak)(struct virtchnl_queue_pair_info *qp));
int32_t vc_queues(uint32_t op, uint32_t rx, uint32_t tx);
/* CONFIG_IRQ_MAP: pair q on vector q + 1, as Linux maps them. */
int32_t vc_irq_map(void);
/* polled: every queue on vector 0, as a DPDK guest that polls maps them. */
int32_t vc_irq_map_polled(bool polled);
/* CONFIG_IRQ_MAP: queue pair q (both queues) on vector vec[q] (0: the
 * mailbox's, which a guest that polls names). */
int32_t vc_irq_map_to(const uint16_t *vec);
/* VERSION and resources after the AQ bring-up, as Linux does at probe. */
int vf_bring_up(uint32_t caps, struct virtchnl_vf_resource *res);

/* Queue pair q's rings in guest memory, descriptor i (modulo the ring). */
struct avf_tx_desc *gtx_desc(uint16_t q, uint32_t i);
union avf_rx_desc *grx_desc(uint16_t q, uint32_t i);
/* QW1 of a Tx data descriptor. */
uint64_t txd_qw1(uint32_t len, uint32_t cmd, uint32_t offset);

/* The BAR0 pages the device shares, mmapped (after vf_map_tails()). */
int vf_map_tails(void);
volatile uint32_t *vf_txq_tail(uint16_t q);
volatile uint32_t *vf_rxq_tail(uint16_t q);
/* A queue vector's DYN_CTLN in the mmapped page, as Linux writes it. */
volatile uint32_t *vf_dyn_ctln(uint16_t vector);

#endif /* EMUNIC_TEST_VF_H */
