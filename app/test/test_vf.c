/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/* The scripted AVF VF driver the emu_iavf and net_iavfbe tests share. */

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include <rte_bus_vdev.h>

#include <rte_emudev.h>
#include <rte_vfio_user.h>

#include "test.h"
#include "test_vf.h"

struct vf vf = { .memfd = -1 };
static char sock_path[256];

uint64_t
iova(uint64_t off)
{
	return MEM_IOVA + off;
}

uint32_t
rd(uint32_t off)
{
	uint32_t v = 0xdeadbeef;

	if (rte_vfio_user_client_region_read(vf.c, RTE_VFIO_USER_PCI_BAR0, off,
			&v, 4) < 0)
		return 0xdeadbeef;
	return v;
}

void
wr(uint32_t off, uint32_t v)
{
	rte_vfio_user_client_region_write(vf.c, RTE_VFIO_USER_PCI_BAR0, off, &v,
			4, false);
}

void
cfg_write16(uint32_t off, uint16_t v)
{
	rte_vfio_user_client_region_write(vf.c, RTE_VFIO_USER_PCI_CONFIG, off,
			&v, 2, false);
}

uint32_t
cfg_read32(uint32_t off)
{
	uint32_t v = 0;

	rte_vfio_user_client_region_read(vf.c, RTE_VFIO_USER_PCI_CONFIG, off,
			&v, 4);
	return v;
}

struct iavf_aq_desc *
desc_at(uint32_t ring_off, uint16_t i)
{
	return (struct iavf_aq_desc *)(vf.mem + ring_off) + i;
}

static void
arq_arm(uint16_t i)
{
	struct iavf_aq_desc *d = desc_at(ARQ_OFF, i);
	uint64_t buf = iova(ARQ_BUF_OFF + 4096u * i);

	memset(d, 0, sizeof(*d));
	d->flags = IAVF_AQ_FLAG_BUF | 0x0200; /* BUF | LB */
	d->datalen = 4096;
	d->addr_high = buf >> 32;
	d->addr_low = (uint32_t)buf;
}

void
aq_init(uint16_t arq_tail)
{
	uint16_t i;

	for (i = 0; i < AQ_LEN; i++)
		arq_arm(i);
	memset(vf.mem + ATQ_OFF, 0, AQ_LEN * sizeof(struct iavf_aq_desc));
	vf.atq_ntu = 0;
	vf.arq_ntc = 0;
	wr(IAVF_VF_ATQH1, 0);
	wr(IAVF_VF_ATQT1, 0);
	wr(IAVF_VF_ATQLEN1, AQ_LEN | IAVF_AQ_LEN_ENABLE);
	wr(IAVF_VF_ATQBAL1, (uint32_t)iova(ATQ_OFF));
	wr(IAVF_VF_ATQBAH1, iova(ATQ_OFF) >> 32);
	wr(IAVF_VF_ARQH1, 0);
	wr(IAVF_VF_ARQT1, 0);
	wr(IAVF_VF_ARQLEN1, AQ_LEN | IAVF_AQ_LEN_ENABLE);
	wr(IAVF_VF_ARQBAL1, (uint32_t)iova(ARQ_OFF));
	wr(IAVF_VF_ARQBAH1, iova(ARQ_OFF) >> 32);
	wr(IAVF_VF_ARQT1, arq_tail);
}

bool
vc_send(uint32_t op, const void *msg, uint16_t len)
{
	uint16_t i = vf.atq_ntu;
	struct iavf_aq_desc *d = desc_at(ATQ_OFF, i);
	uint64_t buf = iova(ATQ_BUF_OFF + 4096u * i);

	memset(d, 0, sizeof(*d));
	d->flags = 0x2000; /* SI */
	d->opcode = IAVF_AQ_OP_MSG_TO_PF;
	d->cookie_high = op;
	if (len > 0) {
		d->flags |= IAVF_AQ_FLAG_BUF | 0x0400; /* BUF | RD */
		d->datalen = len;
		d->addr_high = buf >> 32;
		d->addr_low = (uint32_t)buf;
		memcpy(vf.mem + ATQ_BUF_OFF + 4096u * i, msg, len);
	}
	vf.atq_ntu = (i + 1) % AQ_LEN;
	wr(IAVF_VF_ATQT1, vf.atq_ntu);
	return rd(IAVF_VF_ATQH1) == vf.atq_ntu &&
		(d->flags & (IAVF_AQ_FLAG_DD | IAVF_AQ_FLAG_CMP)) ==
		(IAVF_AQ_FLAG_DD | IAVF_AQ_FLAG_CMP);
}

bool
vc_recv(uint32_t *op, int32_t *status, void *buf, uint16_t *len)
{
	uint16_t i = vf.arq_ntc;
	struct iavf_aq_desc *d = desc_at(ARQ_OFF, i);

	if ((rd(IAVF_VF_ARQH1) & IAVF_AQ_PTR_MASK) == i)
		return false;
	if (d->opcode != IAVF_AQ_OP_MSG_TO_VF || !(d->flags & IAVF_AQ_FLAG_DD))
		return false;
	*op = d->cookie_high;
	*status = (int32_t)d->cookie_low;
	if (buf != NULL && len != NULL)
		memcpy(buf, vf.mem + ARQ_BUF_OFF + 4096u * i,
		       RTE_MIN(*len, d->datalen));
	if (len != NULL)
		*len = d->datalen;
	arq_arm(i);
	vf.arq_ntc = (i + 1) % AQ_LEN;
	wr(IAVF_VF_ARQT1, i);
	return true;
}

int32_t
vc(uint32_t op, const void *msg, uint16_t len, void *reply, uint16_t *rlen)
{
	uint8_t buf[IAVF_AQ_BUF_MAX];
	uint16_t n_len;
	uint32_t rop;
	int32_t status;
	int n;

	if (!vc_send(op, msg, len))
		return 1000;
	for (n = 0; n < 8; n++) {
		n_len = sizeof(buf);
		if (!vc_recv(&rop, &status, buf, &n_len))
			return 1001;
		if (rop != op)
			continue;
		if (reply != NULL && rlen != NULL)
			memcpy(reply, buf, RTE_MIN(*rlen, n_len));
		if (rlen != NULL)
			*rlen = n_len;
		return status;
	}
	return 1002;
}

int
next_event(struct virtchnl_pf_event *ev)
{
	uint8_t buf[IAVF_AQ_BUF_MAX];
	uint16_t len = sizeof(buf);
	uint32_t op;
	int32_t status;

	while (vc_recv(&op, &status, buf, &len)) {
		len = sizeof(buf);
		if (op == VIRTCHNL_OP_EVENT) {
			memcpy(ev, buf, sizeof(*ev));
			return 0;
		}
	}
	return -1;
}

int
vc_version_ok(void)
{
	struct virtchnl_version_info v = { 1, 1 }, r = { 0 };
	uint16_t len = sizeof(r);

	if (vc(VIRTCHNL_OP_VERSION, &v, sizeof(v), &r, &len) != 0 ||
	    len != sizeof(r) || r.major != 1 || r.minor != 1)
		return -1;
	return 0;
}

int
vc_resources(uint32_t caps, struct virtchnl_vf_resource *res)
{
	uint16_t len = sizeof(*res);

	if (vc(VIRTCHNL_OP_GET_VF_RESOURCES, &caps, sizeof(caps), res, &len) != 0)
		return -1;
	return len == sizeof(*res) ? 0 : -1;
}

int32_t
vc_config_queues(uint16_t n, void (*tweak)(struct virtchnl_queue_pair_info *qp))
{
	uint8_t msg[8 + 64 * (MAX_QP + 2)] = { 0 };
	struct virtchnl_vsi_queue_config_info *c = (void *)msg;
	uint16_t i;

	c->vsi_id = IAVF_VSI_ID;
	c->num_queue_pairs = n;
	for (i = 0; i < n && i < MAX_QP; i++) {
		struct virtchnl_queue_pair_info *qp = &c->qpair[i];

		qp->txq = (struct virtchnl_txq_info){ .vsi_id = 1, .queue_id = i,
			.ring_len = vf.ring[i].len,
			.dma_ring_addr = iova(vf.ring[i].tx_off) };
		qp->rxq = (struct virtchnl_rxq_info){ .vsi_id = 1, .queue_id = i,
			.ring_len = vf.ring[i].len, .databuffer_size = RX_BUF_SIZE,
			.max_pkt_size = 1518,
			.dma_ring_addr = iova(vf.ring[i].rx_off) };
		if (tweak != NULL && i == 0)
			tweak(qp);
	}
	return vc(VIRTCHNL_OP_CONFIG_VSI_QUEUES, msg, 8 + 64 * (n + 1), NULL, NULL);
}

int32_t
vc_queues(uint32_t op, uint32_t rx, uint32_t tx)
{
	struct virtchnl_queue_select s = { .vsi_id = 1, .rx_queues = rx, .tx_queues = tx };

	return vc(op, &s, sizeof(s), NULL, NULL);
}

uint64_t
vf_file_off(uint64_t off)
{
	return vf.paged ? off ^ GUEST_PAGE : off;
}

/* One map, or with paged one per page. */
static int
map_or_unmap(uint32_t off, uint32_t len, bool map)
{
	const uint32_t rw = RTE_VFIO_USER_PROT_READ | RTE_VFIO_USER_PROT_WRITE;
	uint32_t step = vf.paged ? GUEST_PAGE : len, o;
	int rc = 0;

	for (o = off; rc == 0 && o < off + len; o += step)
		rc = map ? rte_vfio_user_client_dma_map(vf.c, iova(o), step,
				vf.memfd, vf_file_off(o), rw) :
			rte_vfio_user_client_dma_unmap(vf.c, iova(o), step, false);
	return rc;
}

int
vf_map(uint32_t off, uint32_t len)
{
	return map_or_unmap(off, len, true);
}

int
vf_unmap(uint32_t off, uint32_t len)
{
	return map_or_unmap(off, len, false);
}

/* The guest's view of its memory: the file, or its pages as mapped. */
static uint8_t *
guest_view(void)
{
	uint8_t *v = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			vf.memfd, 0);
	uint32_t o;

	if (v == MAP_FAILED || !vf.paged)
		return v;
	for (o = 0; o < MEM_SIZE; o += GUEST_PAGE)
		if (mmap(v + o, GUEST_PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, vf.memfd, vf_file_off(o)) ==
		    MAP_FAILED) {
			munmap(v, MEM_SIZE);
			return MAP_FAILED;
		}
	return v;
}

int
vf_setup_opts(const struct vf_opts *o)
{
	char args[512];
	int i, id;

	vf.nqp = o->nqp ? o->nqp : NQP;
	vf.paged = o->paged;
	vf.polled = o->polled;
	for (i = 0; i < MAX_QP; i++) {
		vf.ring[i].tx_off = TXR_OFF(i);
		vf.ring[i].rx_off = RXR_OFF(i);
		vf.ring[i].len = RING_LEN;
	}
	if (o->q0_len != 0) {
		vf.ring[0].len = o->q0_len;
		vf.ring[0].tx_off = o->q0_tx_off;
		vf.ring[0].rx_off = o->q0_rx_off;
	}
	snprintf(sock_path, sizeof(sock_path), "%s/emu_iavf.sock", test_tmpdir());
	/* The DYN_CTLN page shared, as the shadow tests use it. */
	snprintf(args, sizeof(args), "path=%s,mac=%s,queues=%u,shadow_irq=1",
		 sock_path, DEV_MAC, vf.nqp);
	if (rte_vdev_init(DEV_NAME, args) < 0)
		return -1;
	id = rte_emudev_get_dev_id(DEV_NAME);
	vf.dev = emu_iavf_find(DEV_NAME);
	if (id < 0 || vf.dev == NULL)
		return -1;
	vf.edev = id;
	vf.c = rte_vfio_user_client_attach(sock_path, NULL);
	vf.memfd = memfd_create("vf-mem", MFD_CLOEXEC);
	if (vf.c == NULL || vf.memfd < 0 || ftruncate(vf.memfd, MEM_SIZE) < 0)
		return -1;
	vf.mem = guest_view();
	if (vf.mem == MAP_FAILED || vf_map(0, MEM_SIZE) < 0)
		return -1;
	for (i = 0; i <= vf.nqp; i++)
		vf.ev[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (rte_vfio_user_client_set_irq_eventfds(vf.c, RTE_VFIO_USER_PCI_MSIX,
			0, vf.nqp + 1, vf.ev) < 0)
		return -1;
	cfg_write16(0x04, 0x0006); /* memory space, bus master */
	return 0;
}

int
vf_setup(void)
{
	return vf_setup_opts(&(struct vf_opts){ 0 });
}

void
vf_teardown(void)
{
	int i;

	if (vf.tails != NULL)
		munmap(vf.tails, vf.tails_len);
	rte_emudev_close(vf.edev);
	if (vf.c != NULL)
		rte_vfio_user_client_detach(vf.c);
	rte_vdev_uninit(DEV_NAME);
	if (vf.mem != NULL && vf.mem != MAP_FAILED)
		munmap(vf.mem, MEM_SIZE);
	if (vf.memfd >= 0)
		close(vf.memfd);
	for (i = 0; i <= vf.nqp; i++)
		if (vf.ev[i] > 0)
			close(vf.ev[i]);
	memset(&vf, 0, sizeof(vf));
	vf.memfd = -1;
}

uint64_t
irqs(int vec)
{
	uint64_t n = 0;

	if (read(vf.ev[vec], &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

uint64_t
irqs_within_200ms(int vec)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < 200 && n == 0; i++) {
		usleep(1000);
		n = irqs(vec);
	}
	return n;
}

int
vf_bring_up(uint32_t caps, struct virtchnl_vf_resource *res)
{
	struct virtchnl_vf_resource r;

	aq_init(AQ_LEN - 1);
	if (vc_version_ok() < 0 || vc_resources(caps, res ? res : &r) < 0)
		return -1;
	return 0;
}


int32_t
vc_irq_map(void)
{
	return vc_irq_map_polled(false);
}

int32_t
vc_irq_map_polled(bool polled)
{
	uint16_t vec[MAX_QP], q;

	for (q = 0; q < vf.nqp; q++)
		vec[q] = polled ? 0 : q + 1;
	return vc_irq_map_to(vec);
}

int32_t
vc_irq_map_to(const uint16_t *vec)
{
	uint16_t nvec = vf.nqp + 1, i, q;
	uint8_t msg[2 + 12 * (MAX_QP + 1)] = { 0 };

	msg[0] = nvec;
	/* Vector 0 (the admin queue's) last, as Linux sends it. */
	for (i = 0; i < nvec; i++) {
		struct virtchnl_vector_map m = { .vsi_id = IAVF_VSI_ID,
			.vector_id = (i + 1) % nvec,
			.rxitr_idx = 0, .txitr_idx = 1 };

		for (q = 0; q < vf.nqp; q++)
			if (vec[q] == m.vector_id)
				m.rxq_map = m.txq_map |= 1 << q;
		memcpy(msg + 2 + 12 * i, &m, sizeof(m));
	}
	return vc(VIRTCHNL_OP_CONFIG_IRQ_MAP, msg, 2 + 12 * nvec, NULL, NULL);
}

/*
 * BAR0's first four pages, where the shared ones are: the Tx tails in
 * page 0, the Rx tails in page 2, DYN_CTLN in page 3 (page 1 is not
 * mmap-able, but one mapping of the memfd covers them all, as the file is
 * the whole BAR).
 */
int
vf_map_tails(void)
{
	struct rte_vfio_user_region_info ri;
	void *p;

	if (rte_vfio_user_client_get_region_info(vf.c, RTE_VFIO_USER_PCI_BAR0,
			&ri) < 0 || ri.fd < 0)
		return -1;
	vf.tails_len = IAVF_DYN_CTLN_PAGE + IAVF_PAGE_SIZE;
	p = mmap(NULL, vf.tails_len, PROT_READ | PROT_WRITE, MAP_SHARED, ri.fd,
		 ri.offset);
	close(ri.fd);
	if (p == MAP_FAILED)
		return -1;
	vf.tails = p;
	return 0;
}

volatile uint32_t *
vf_txq_tail(uint16_t q)
{
	return (volatile uint32_t *)((uint8_t *)vf.tails + IAVF_QTX_TAIL1(q));
}

volatile uint32_t *
vf_rxq_tail(uint16_t q)
{
	return (volatile uint32_t *)((uint8_t *)vf.tails + IAVF_QRX_TAIL1(q));
}

volatile uint32_t *
vf_dyn_ctln(uint16_t vector)
{
	return (volatile uint32_t *)((uint8_t *)vf.tails +
			IAVF_VFINT_DYN_CTLN1(vector - 1));
}

struct avf_tx_desc *
gtx_desc(uint16_t q, uint32_t i)
{
	return (struct avf_tx_desc *)(vf.mem + vf.ring[q].tx_off) +
		i % vf.ring[q].len;
}

union avf_rx_desc *
grx_desc(uint16_t q, uint32_t i)
{
	return (union avf_rx_desc *)(vf.mem + vf.ring[q].rx_off) +
		i % vf.ring[q].len;
}

uint64_t
txd_qw1(uint32_t len, uint32_t cmd, uint32_t offset)
{
	return AVF_TXD_DTYPE_DATA | (uint64_t)cmd << AVF_TXD_CMD_SHIFT |
		(uint64_t)offset << AVF_TXD_OFFSET_SHIFT |
		(uint64_t)len << AVF_TXD_BUF_SZ_SHIFT;
}
