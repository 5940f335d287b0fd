/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * The scripted guest's data path for the net_iavfbe tests: descriptors
 * written into guest memory, doorbells rung in the mmapped tail pages,
 * frames built and checked, the port brought up over it; and traffic on
 * threads (guest, data path) for the cases that change memory or queues
 * under it.
 */

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "test.h"
#include "test_iavfbe.h"

struct iavfbe_tb tb;

const struct rte_ether_addr other_mac = {{ 0x02, 0, 0, 0, 0, 0x99 }};

uint32_t
rxbuf_off(uint16_t q, uint32_t i)
{
	return RXBUF_OFF + (q * RXBUFS_PER_Q + i % RXBUFS_PER_Q) * RX_BUF_SIZE;
}

/* Queue a descriptor on guest Tx ring q; its index. */
uint32_t
gtx_put(uint16_t q, uint64_t addr, uint64_t qw1)
{
	struct avf_tx_desc *d = gtx_desc(q, tb.tx_tail[q]);

	d->addr = addr;
	d->qw1 = qw1;
	tb.tx_tail[q] = (tb.tx_tail[q] + 1) % RLEN(q);
	return (tb.tx_tail[q] + RLEN(q) - 1) % RLEN(q);
}

void
gtx_ring(uint16_t q)
{
	rte_smp_wmb();
	*vf_txq_tail(q) = tb.tx_tail[q];
}

/* Guest memory for a Tx buffer holding len bytes of data; its offset. */
uint32_t
txbuf_put(const void *data, uint32_t len)
{
	uint32_t off = TXBUF_OFF + tb.txbuf_used;

	tb.txbuf_used = RTE_ALIGN(tb.txbuf_used + len, 64) % TXBUF_SIZE;
	if (off + len > TXBUF_OFF + TXBUF_SIZE) {
		off = TXBUF_OFF;
		tb.txbuf_used = RTE_ALIGN(len, 64);
	}
	memcpy(vf.mem + off, data, len);
	return off;
}

/*
 * Queue a frame in buffers of at most seg bytes, every descriptor with cmd
 * and offset, EOP and RS on the last. Returns the last index.
 */
uint32_t
gtx_frame(uint16_t q, const void *frame, uint32_t len, uint32_t seg,
		uint32_t cmd, uint32_t offset)
{
	uint64_t base = iova(txbuf_put(frame, len));
	uint32_t off, n, last = 0;

	for (off = 0; off < len; off += n) {
		n = RTE_MIN(seg, len - off);
		last = gtx_put(q, base + off, txd_qw1(n, cmd | (off + n == len ?
				AVF_TXD_CMD_EOP | AVF_TXD_CMD_RS : 0), offset));
	}
	return last;
}

bool
tx_done(uint16_t q, uint32_t i)
{
	return (gtx_desc(q, i)->qw1 & AVF_TXD_DTYPE_MASK) == AVF_TXD_DTYPE_DONE;
}

/* Post n Rx buffers on guest Rx ring q and ring its doorbell. */
void
grx_post(uint16_t q, uint32_t n)
{
	while (n-- > 0) {
		union avf_rx_desc *d = grx_desc(q, tb.rx_tail[q]);

		memset(d, 0, sizeof(*d));
		d->read.pkt_addr = iova(rxbuf_off(q, tb.rx_tail[q]));
		tb.rx_tail[q] = (tb.rx_tail[q] + 1) % RLEN(q);
	}
	rte_smp_wmb();
	*vf_rxq_tail(q) = tb.rx_tail[q];
}

uint64_t
rxd_qw1(uint16_t q, uint32_t i)
{
	return grx_desc(q, i)->wb.qw1;
}

uint32_t
rxd_len(uint64_t qw1)
{
	return (qw1 >> AVF_RXD_LEN_SHIFT) & AVF_RXD_LEN_MASK;
}

uint64_t
xstat(const char *name)
{
	uint64_t id, v = UINT64_MAX;

	if (rte_eth_xstats_get_id_by_name(tb.port, name, &id) == 0)
		rte_eth_xstats_get_by_id(tb.port, &id, &v, 1);
	return v;
}

/* A frame with a recognisable payload; dst NULL: the guest's MAC. */
void
make_frame(uint8_t *f, uint32_t len, const struct rte_ether_addr *dst,
		uint8_t seed)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)f;
	uint32_t i;

	if (dst != NULL)
		eh->dst_addr = *dst;
	else
		rte_ether_unformat_addr(DEV_MAC, &eh->dst_addr);
	eh->src_addr = (struct rte_ether_addr){{ 0x02, 0, 0, 0, 0, 0x01 }};
	eh->ether_type = RTE_BE16(0x88b5);
	for (i = sizeof(*eh); i < len; i++)
		f[i] = (uint8_t)(seed + i * 7);
}

/* IPv4 + TCP or UDP headers in front of a payload, checksums zero. */
uint32_t
make_l4_frame(uint8_t *f, uint32_t payload, uint8_t proto)
{
	struct rte_ipv4_hdr *ip = (void *)(f + RTE_ETHER_HDR_LEN);
	uint32_t l4 = proto == IPPROTO_TCP ? sizeof(struct rte_tcp_hdr) :
		sizeof(struct rte_udp_hdr);
	uint32_t len = RTE_ETHER_HDR_LEN + sizeof(*ip) + l4 + payload;

	make_frame(f, len, NULL, 3);
	((struct rte_ether_hdr *)f)->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip) + l4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(len - RTE_ETHER_HDR_LEN);
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = RTE_BE32(RTE_IPV4(10, 99, 0, 2));
	ip->dst_addr = RTE_BE32(RTE_IPV4(10, 99, 0, 1));
	if (proto == IPPROTO_TCP) {
		struct rte_tcp_hdr *th = (void *)(ip + 1);

		th->src_port = RTE_BE16(40000);
		th->dst_port = RTE_BE16(5001);
		th->sent_seq = RTE_BE32(1000000);
		th->data_off = 5 << 4;
		th->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
		th->rx_win = RTE_BE16(65535);
	} else {
		struct rte_udp_hdr *uh = (void *)(ip + 1);

		uh->src_port = RTE_BE16(40000);
		uh->dst_port = RTE_BE16(5001);
		uh->dgram_len = rte_cpu_to_be_16(l4 + payload);
	}
	return len;
}

/*
 * What a driver leaves for checksum offload: the pseudo-header sum in the
 * L4 checksum field (without the length for TSO).
 */
void
seed_l4_checksum(uint8_t *f, uint8_t proto, uint64_t ol_flags)
{
	struct rte_ipv4_hdr *ip = (void *)(f + RTE_ETHER_HDR_LEN);
	uint16_t ck = rte_ipv4_phdr_cksum(ip, ol_flags);

	if (proto == IPPROTO_UDP)
		((struct rte_udp_hdr *)(ip + 1))->dgram_cksum = ck;
	else
		((struct rte_tcp_hdr *)(ip + 1))->cksum = ck;
}

/* The same frame with valid checksums, as a host application sends it. */
void
fill_l4_checksums(uint8_t *f, uint8_t proto)
{
	struct rte_ipv4_hdr *ip = (void *)(f + RTE_ETHER_HDR_LEN);

	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (proto == IPPROTO_UDP)
		((struct rte_udp_hdr *)(ip + 1))->dgram_cksum =
			rte_ipv4_udptcp_cksum(ip, ip + 1);
	else
		((struct rte_tcp_hdr *)(ip + 1))->cksum =
			rte_ipv4_udptcp_cksum(ip, ip + 1);
}

/* Up to want frames from host Rx queue q, polling a few times. */
uint16_t
host_rx(uint16_t q, struct rte_mbuf **pkts, uint16_t want)
{
	uint16_t n = 0;
	int i;

	for (i = 0; i < 8 && n < want; i++)
		n += rte_eth_rx_burst(tb.port, q, pkts + n, want - n);
	return n;
}

bool
mbuf_is(const struct rte_mbuf *m, const void *data, uint32_t len)
{
	uint8_t buf[JUMBO + 64];
	const void *p;

	if (m->pkt_len != len || len > sizeof(buf))
		return false;
	p = rte_pktmbuf_read(m, 0, len, buf);
	return p != NULL && memcmp(p, data, len) == 0;
}

struct rte_mbuf *
host_mbuf(const void *data, uint32_t len)
{
	struct rte_mbuf *head = rte_pktmbuf_alloc(tb.mp), *m = head;
	const uint8_t *src = data;

	while (m != NULL && len > 0) {
		uint32_t n = RTE_MIN(len, (uint32_t)rte_pktmbuf_tailroom(m));

		memcpy(rte_pktmbuf_append(m, n), src, n);
		if (m != head) {
			head->pkt_len += n;
			head->nb_segs++;
		}
		src += n;
		len -= n;
		if (len > 0) {
			m->next = rte_pktmbuf_alloc(tb.mp);
			m = m->next;
		}
	}
	if (m == NULL) {
		rte_pktmbuf_free(head);
		return NULL;
	}
	return head;
}

uint16_t
tx_or_free(uint16_t port, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t sent = rte_eth_tx_burst(port, q, pkts, n);

	if (sent < n)
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	return sent;
}

/* Send a frame; ol_flags: what the host side knew of its checksums. */
int
host_tx_flags(uint16_t q, const void *data, uint32_t len, uint64_t ol_flags)
{
	struct rte_mbuf *m = host_mbuf(data, len);

	if (m == NULL)
		return -1;
	m->ol_flags |= ol_flags;
	return tx_or_free(tb.port, q, &m, 1) == 1 ? 0 : -1;
}

int
host_tx(uint16_t q, const void *data, uint32_t len)
{
	return host_tx_flags(q, data, len, 0);
}

/* Queue pair 0 takes jumbo frames; the others keep 1518. */
void
jumbo_q0(struct virtchnl_queue_pair_info *qp)
{
	qp->rxq.max_pkt_size = JUMBO + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
}

/* The guest's side: what Linux does from probe to "ip link set up". */
int
guest_up(void)
{
	uint32_t all = RTE_LEN2MASK(vf.nqp, uint32_t);
	struct virtchnl_vf_resource res;

	if (vf_bring_up(CAPS_LINUX, &res) < 0 ||
	    vc_irq_map_polled(vf.polled) != 0 ||
	    vc_config_queues(vf.nqp, jumbo_q0) != 0)
		return -1;
	return vc_queues(VIRTCHNL_OP_ENABLE_QUEUES, all, all) == 0 ? 0 : -1;
}

int
port_up_queues(const char *devargs, uint16_t nb_queues)
{
	struct rte_eth_conf conf = { 0 };
	uint16_t q;

	if (rte_vdev_init(PORT_NAME, devargs) < 0 ||
	    rte_eth_dev_get_port_by_name(PORT_NAME, &tb.port) < 0 ||
	    rte_eth_dev_configure(tb.port, nb_queues, nb_queues, &conf) < 0)
		return -1;
	for (q = 0; q < nb_queues; q++)
		if (rte_eth_rx_queue_setup(tb.port, q, 512, SOCKET_ID_ANY, NULL,
				tb.mp) < 0 ||
		    rte_eth_tx_queue_setup(tb.port, q, 512, SOCKET_ID_ANY, NULL) < 0)
			return -1;
	return rte_eth_dev_start(tb.port);
}

int
port_up(const char *devargs)
{
	return port_up_queues(devargs, NQP);
}

void
port_down(void)
{
	rte_eth_dev_stop(tb.port);
	rte_eth_dev_close(tb.port);
	rte_vdev_uninit(PORT_NAME);
}

int
iavfbe_test_up_opts(struct rte_mempool *mp, const struct vf_opts *o,
		uint16_t nb_queues)
{
	memset(&tb, 0, sizeof(tb));
	tb.mp = mp;
	if (vf_setup_opts(o) < 0 || vf_map_tails() < 0 ||
	    port_up_queues("emu=" DEV_NAME, nb_queues) < 0 || guest_up() < 0)
		return -1;
	return 0;
}

int
iavfbe_test_up(struct rte_mempool *mp, uint16_t *port)
{
	if (iavfbe_test_up_opts(mp, &(struct vf_opts){ 0 }, NQP) < 0)
		return -1;
	*port = tb.port;
	return 0;
}

void
iavfbe_test_down(void)
{
	port_down();
	vf_teardown();
}

int
iavfbe_test_setup(void)
{
	uint16_t port;

	return iavfbe_test_up(tb.mp, &port);
}

int
iavfbe_suite_run(const char *suite, const struct unit_test_case *cases,
		unsigned int nb_mbufs, uint16_t data_room)
{
	int fds = test_count_fds(), rc;
	char cmd[64];

	tb.mp = rte_pktmbuf_pool_create(suite, nb_mbufs, 0, 0, data_room,
			SOCKET_ID_ANY);
	if (tb.mp == NULL)
		return TEST_FAILED;
	rc = unit_test_suite_run(suite, cases, iavfbe_test_setup,
			iavfbe_test_down);
	if (rte_mempool_avail_count(tb.mp) != nb_mbufs) {
		fprintf(stderr, "%s: %u mbufs not returned\n", suite,
			nb_mbufs - rte_mempool_avail_count(tb.mp));
		rc = TEST_FAILED;
	}
	rte_mempool_free(tb.mp);
	if (test_count_fds() != fds) {
		snprintf(cmd, sizeof(cmd), "%s_autotest", suite);
		test_report_fds(cmd, fds);
		rc = TEST_FAILED;
	}
	return rc;
}

/*
 * Traffic on three threads: the guest (posting Tx frames, taking Rx
 * frames and checking each byte), the port's data path (guest Tx looped
 * back into guest Rx), and the control side changing memory or queues.
 */

struct iavfbe_loop loop;

uint32_t
loop_txbuf(uint32_t i)
{
	return TXBUF_OFF + (i % RING_LEN) * 128;
}

void
loop_make(uint8_t *f, uint32_t seq)
{
	uint32_t i;

	make_frame(f, LOOP_FRAME, NULL, 0);
	memcpy(f + RTE_ETHER_HDR_LEN, &seq, 4);
	for (i = RTE_ETHER_HDR_LEN + 4; i < LOOP_FRAME; i++)
		f[i] = (uint8_t)(seq * 13 + i);
}

bool
loop_frame_ok(const uint8_t *f, uint32_t len)
{
	uint8_t want[LOOP_FRAME];
	uint32_t seq;

	if (len != LOOP_FRAME)
		return false;
	memcpy(&seq, f + RTE_ETHER_HDR_LEN, 4);
	loop_make(want, seq);
	return memcmp(f, want, LOOP_FRAME) == 0;
}

void
loop_guest_tx(void)
{
	uint32_t n = 0, free_slots;

	while (tb.tx_clean[0] != tb.tx_tail[0] && tx_done(0, tb.tx_clean[0]))
		tb.tx_clean[0] = (tb.tx_clean[0] + 1) % RING_LEN;
	free_slots = (tb.tx_clean[0] + RING_LEN - 1 - tb.tx_tail[0]) % RING_LEN;
	while (n < RTE_MIN(free_slots, 32u)) {
		uint32_t i = tb.tx_tail[0];

		loop_make(vf.mem + loop_txbuf(i), loop.seq++);
		gtx_put(0, iova(loop_txbuf(i)), txd_qw1(LOOP_FRAME,
			AVF_TXD_CMD_EOP | AVF_TXD_CMD_RS, 0));
		n++;
	}
	if (n > 0) {
		loop.sent += n;
		gtx_ring(0);
	}
}

void
loop_guest_rx(void)
{
	uint32_t n = 0;

	while (tb.rx_next[0] != tb.rx_tail[0]) {
		uint32_t i = tb.rx_next[0];
		uint64_t qw1 = rxd_qw1(0, i);

		if (!(qw1 & AVF_RXD_DD))
			break;
		rte_smp_rmb();
		if (qw1 & AVF_RXD_RXE)
			loop.rx_errors++;
		else if (loop_frame_ok(vf.mem + rxbuf_off(0, i), rxd_len(qw1)))
			loop.received++;
		else
			loop.corrupt++;
		tb.rx_next[0] = (i + 1) % RING_LEN;
		n++;
	}
	if (n > 0)
		grx_post(0, n);
}

static void *
loop_guest(void *arg __rte_unused)
{
	while (!loop.stop) {
		uint32_t p = __atomic_load_n(&loop.pause, __ATOMIC_ACQUIRE);

		if (p != 0) {
			__atomic_store_n(&loop.paused, p, __ATOMIC_RELEASE);
			while (__atomic_load_n(&loop.pause, __ATOMIC_ACQUIRE) == p &&
			       !loop.stop)
				sched_yield();
			continue;
		}
		loop_guest_tx();
		loop_guest_rx();
		if (loop.pace_us != 0)
			usleep(loop.pace_us);
		else
			sched_yield();
	}
	return NULL;
}

/*
 * Guest Tx looped back into guest Rx; when the guest sends nothing (its
 * buffers unmapped, say), a frame of the host's own, so that guest Rx
 * sees every state too.
 */
static void *
loop_host(void *arg __rte_unused)
{
	struct rte_mbuf *pkts[32];
	uint8_t f[LOOP_FRAME];
	uint32_t seq = 1u << 31;

	while (!loop.stop) {
		uint16_t n = rte_eth_rx_burst(tb.port, 0, pkts, RTE_DIM(pkts));

		if (n == 0) {
			loop_make(f, seq++);
			pkts[0] = host_mbuf(f, sizeof(f));
			n = pkts[0] != NULL;
		}
		loop.host_frames += n;
		tx_or_free(tb.port, 0, pkts, n);
		if (loop.pace_us != 0)
			usleep(loop.pace_us);
	}
	return NULL;
}

void
loop_pause(uint32_t round)
{
	__atomic_store_n(&loop.pause, round, __ATOMIC_RELEASE);
	while (__atomic_load_n(&loop.paused, __ATOMIC_ACQUIRE) != round)
		sched_yield();
}

void
loop_resume(void)
{
	__atomic_store_n(&loop.pause, 0, __ATOMIC_RELEASE);
}

int
loop_start(pthread_t *th, uint32_t pace_us)
{
	uint32_t posted = (tb.rx_tail[0] + RLEN(0) - tb.rx_next[0]) % RLEN(0);

	memset(&loop, 0, sizeof(loop));
	loop.pace_us = pace_us;
	/*
	 * Up to LOOP_RX_POSTED, counting what an earlier loop left posted:
	 * slots RXBUFS_PER_Q apart share a buffer, and two of them posted at
	 * once would let the device write one frame over another.
	 */
	if (posted < LOOP_RX_POSTED)
		grx_post(0, LOOP_RX_POSTED - posted);
	if (pthread_create(&th[0], NULL, loop_guest, NULL) != 0)
		return -1;
	if (pthread_create(&th[1], NULL, loop_host, NULL) != 0) {
		loop.stop = true;
		pthread_join(th[0], NULL);
		return -1;
	}
	test_thread_any_cpu(th[0]);
	test_thread_any_cpu(th[1]);
	return 0;
}

void
loop_stop(pthread_t *th)
{
	loop.stop = true;
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
}

/* Frames received by the guest grow within a second. */
bool
loop_flows(void)
{
	uint64_t before = __atomic_load_n(&loop.received, __ATOMIC_RELAXED);
	int i;

	for (i = 0; i < 1000; i++) {
		if (__atomic_load_n(&loop.received, __ATOMIC_RELAXED) > before + 64)
			return true;
		usleep(1000);
	}
	return false;
}
