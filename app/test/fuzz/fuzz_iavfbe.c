/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * libFuzzer target: net_iavfbe's descriptor walkers against a hostile
 * guest. The scripted guest of test_vf.h brings up emu_iavf and a
 * net_iavfbe port (2 queue pairs); then guest memory is replaced by three
 * blocks, each fenced by PROT_NONE pages so that any access beyond a map
 * faults:
 *   A: the guest's 8 MiB (mailbox, rings, buffers) at MEM_IOVA,
 *   B: 1 MiB right after A in IOVA, in a separate host block,
 *   C: 64 KiB after B, mapped read-only for the device.
 * The harness installs that table itself (the device would mmap the
 * blocks where nothing fences them). Each input starts with the guest
 * queues disabled, their rings cleared and enabled again, then runs
 * records, the first byte of each choosing:
 *   0: Tx data descriptor: queue, buffer (4 bytes), length (2), cmd (2),
 *      offset (4)
 *   1: Tx descriptor, raw: queue, addr (8), qw1 (8)
 *   2: the guest rings queue's Tx doorbell; the port polls every queue
 *   3: Rx buffer posted: queue, buffer (4); doorbell rung
 *   4: host Tx: queue, offload flags (1), length (2), frame bytes
 *   5: guest memory written: buffer (4), length (1), bytes
 * A buffer's first byte picks the block (or an unmapped address), the
 * next three an offset that may run past the block's end (in block A,
 * from past the harness's mailbox).
 *
 * IAVFBE_FUZZ_OFFLOAD=flags selects the port's guest_offload=flags mode
 * (checksums and TSO left to the application) instead of the default.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "fuzz_eal.h"
#include "test_iavfbe.h"
#include "vfio_user_internal.h"

#define NQP_FUZZ 2
#define B_SIZE (1u << 20)
#define C_SIZE (64u << 10)
#define B_IOVA (MEM_IOVA + MEM_SIZE)
#define C_IOVA (B_IOVA + B_SIZE)
#define PG 4096u

static uint8_t *block_b, *block_c_rw;

/* A view of fd's first len bytes with prot, fenced by PROT_NONE pages. */
static uint8_t *
fenced_map(int fd, size_t len, int prot)
{
	uint8_t *r = mmap(NULL, len + 2 * PG, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (r == MAP_FAILED ||
	    mmap(r + PG, len, prot, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
		abort();
	return r + PG;
}

static int
block_fd(const char *name, size_t len)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0 || ftruncate(fd, len) < 0)
		abort();
	return fd;
}

/* Guest memory as the three fenced blocks, published as the DMA table. */
static void
install_blocks(void)
{
	struct vfio_user_dev *vdev = vfio_user_dev_get(vf.dev->vu_id);
	struct rte_vfio_user_mem_table *t;
	int fb = block_fd("fuzz-b", B_SIZE), fc = block_fd("fuzz-c", C_SIZE);
	const uint32_t rw = RTE_VFIO_USER_PROT_READ | RTE_VFIO_USER_PROT_WRITE;

	t = malloc(sizeof(*t) + 3 * sizeof(t->regions[0]));
	if (t == NULL || vf_unmap(0, MEM_SIZE) < 0)
		abort();
	block_b = fenced_map(fb, B_SIZE, PROT_READ | PROT_WRITE);
	block_c_rw = mmap(NULL, C_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			  fc, 0);
	if (block_c_rw == MAP_FAILED)
		abort();
	t->nregions = 3;
	t->regions[0] = (struct rte_vfio_user_mem_region){ MEM_IOVA, MEM_SIZE,
		fenced_map(vf.memfd, MEM_SIZE, PROT_READ | PROT_WRITE), rw };
	t->regions[1] = (struct rte_vfio_user_mem_region){ B_IOVA, B_SIZE,
		block_b, rw };
	t->regions[2] = (struct rte_vfio_user_mem_region){ C_IOVA, C_SIZE,
		fenced_map(fc, C_SIZE, PROT_READ), RTE_VFIO_USER_PROT_READ };
	/* The device's thread is idle: no client command is in flight. */
	__atomic_store_n(&vdev->dma.cur, t, __ATOMIC_RELEASE);
}

/* The harness's own mailbox (rings and buffers) stays out of reach. */
#define A_FUZZ_OFF (ARQ_BUF_OFF + AQ_LEN * 4096u)

/* A guest address from 4 input bytes: block, then offset. */
static uint64_t
buf_iova(const uint8_t *p)
{
	uint32_t off = p[1] | p[2] << 8 | (uint32_t)p[3] << 16;

	switch (p[0] % 4) {
	case 0:
		return MEM_IOVA + A_FUZZ_OFF +
			off % (MEM_SIZE - A_FUZZ_OFF + PG);
	case 1:
		return B_IOVA + off % (B_SIZE + PG);
	case 2:
		return C_IOVA + off % (C_SIZE + PG);
	default:
		return off; /* below every map */
	}
}

/* Where the harness writes guest memory at iova, or NULL. */
static uint8_t *
guest_ptr(uint64_t iova, size_t len)
{
	if (iova >= MEM_IOVA && iova + len <= MEM_IOVA + MEM_SIZE)
		return vf.mem + (iova - MEM_IOVA);
	if (iova >= B_IOVA && iova + len <= B_IOVA + B_SIZE)
		return block_b + (iova - B_IOVA);
	if (iova >= C_IOVA && iova + len <= C_IOVA + C_SIZE)
		return block_c_rw + (iova - C_IOVA);
	return NULL;
}

/* Every input starts from enabled, empty guest queues. */
static void
guest_queues_reset(void)
{
	const uint32_t all = RTE_LEN2MASK(NQP_FUZZ, uint32_t);
	uint16_t q;

	vc_queues(VIRTCHNL_OP_DISABLE_QUEUES, all, all);
	for (q = 0; q < NQP_FUZZ; q++) {
		memset(gtx_desc(q, 0), 0, RLEN(q) * sizeof(struct avf_tx_desc));
		memset(grx_desc(q, 0), 0, RLEN(q) * sizeof(union avf_rx_desc));
		*vf_txq_tail(q) = 0;
		*vf_rxq_tail(q) = 0;
		tb.tx_tail[q] = tb.tx_clean[q] = 0;
		tb.rx_tail[q] = tb.rx_next[q] = 0;
	}
	if (vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, all, all) != 0)
		abort();
}

static void
host_poll(void)
{
	struct rte_mbuf *pkts[32];
	uint16_t q, n;

	for (q = 0; q < NQP_FUZZ; q++) {
		do {
			n = rte_eth_rx_burst(tb.port, q, pkts, RTE_DIM(pkts));
			rte_pktmbuf_free_bulk(pkts, n);
		} while (n > 0);
	}
}

static void
rx_post(uint16_t q, uint64_t iova)
{
	union avf_rx_desc *d = grx_desc(q, tb.rx_tail[q]);

	memset(d, 0, sizeof(*d));
	d->read.pkt_addr = iova;
	tb.rx_tail[q] = (tb.rx_tail[q] + 1) % RLEN(q);
	rte_smp_wmb();
	*vf_rxq_tail(q) = tb.rx_tail[q];
}

static uint64_t
host_ol_flags(uint8_t b)
{
	uint64_t f = 0;

	if (b & 1)
		f |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	if (b & 2)
		f |= RTE_MBUF_F_TX_IPV6;
	if (b & 4)
		f |= RTE_MBUF_F_TX_TCP_CKSUM;
	if (b & 8)
		f |= RTE_MBUF_F_TX_UDP_CKSUM;
	if (b & 16)
		f |= RTE_MBUF_F_TX_TCP_SEG;
	return f;
}

/* A frame of the application: at least an Ethernet header, zero-padded. */
static void
host_send(const uint8_t *p, size_t n)
{
	static uint8_t frame[JUMBO];
	struct rte_mbuf *m;
	uint16_t len;

	memcpy(&len, p + 2, 2);
	len = RTE_MIN(RTE_MIN((size_t)len, n - 4), sizeof(frame));
	memset(frame, 0, RTE_ETHER_HDR_LEN);
	memcpy(frame, p + 4, len);
	m = host_mbuf(frame, RTE_MAX(len, (uint16_t)RTE_ETHER_HDR_LEN));
	if (m == NULL)
		return;
	m->ol_flags |= host_ol_flags(p[1]);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = 20;
	m->l4_len = 20;
	m->tso_segsz = 536;
	tx_or_free(tb.port, p[0] % NQP_FUZZ, &m, 1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc __rte_unused, char ***argv __rte_unused)
{
	const char *mode = getenv("IAVFBE_FUZZ_OFFLOAD");
	const uint32_t all = RTE_LEN2MASK(NQP_FUZZ, uint32_t);
	struct virtchnl_vf_resource res;

	fuzz_eal_init("256");
	memset(&tb, 0, sizeof(tb));
	tb.mp = rte_pktmbuf_pool_create("fuzz", 4096, 0, 0,
			JUMBO + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	if (tb.mp == NULL ||
	    vf_setup_opts(&(struct vf_opts){ .nqp = NQP_FUZZ }) < 0 ||
	    vf_map_tails() < 0 ||
	    port_up_queues(mode != NULL && strcmp(mode, "flags") == 0 ?
			   "emu=" DEV_NAME ",guest_offload=flags" :
			   "emu=" DEV_NAME, NQP_FUZZ) < 0 ||
	    vf_bring_up(CAPS_LINUX, &res) < 0 || vc_irq_map() != 0 ||
	    vc_config_queues(NQP_FUZZ, jumbo_q0) != 0 ||
	    vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, all, all) != 0)
		abort();
	vc_queues(VIRTCHNL_OP_DISABLE_QUEUES, all, all);
	install_blocks();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i = 0;

	guest_queues_reset();
	while (i < size) {
		uint8_t kind = data[i++] % 6;
		const uint8_t *p = data + i;
		size_t left = size - i;
		uint16_t len, cmd;
		uint32_t off;
		uint64_t a, qw1;
		uint8_t *g;

		if (kind == 0 && left >= 13) {
			memcpy(&len, p + 5, 2);
			memcpy(&cmd, p + 7, 2);
			memcpy(&off, p + 9, 4);
			gtx_put(p[0] % NQP_FUZZ, buf_iova(p + 1),
				txd_qw1(len, cmd, off));
			i += 13;
		} else if (kind == 1 && left >= 17) {
			memcpy(&a, p + 1, 8);
			memcpy(&qw1, p + 9, 8);
			gtx_put(p[0] % NQP_FUZZ, a, qw1);
			i += 17;
		} else if (kind == 2 && left >= 1) {
			gtx_ring(p[0] % NQP_FUZZ);
			host_poll();
			i += 1;
		} else if (kind == 3 && left >= 5) {
			rx_post(p[0] % NQP_FUZZ, buf_iova(p + 1));
			i += 5;
		} else if (kind == 4 && left >= 4) {
			host_send(p, left);
			memcpy(&len, p + 2, 2);
			i += 4 + RTE_MIN((size_t)len, left - 4);
		} else if (kind == 5 && left >= 5) {
			len = RTE_MIN((size_t)p[4], left - 5);
			a = buf_iova(p);
			g = guest_ptr(a, len);
			if (g != NULL)
				memcpy(g, p + 5, len);
			i += 5 + len;
		} else {
			break;
		}
	}
	host_poll();
	return 0;
}
