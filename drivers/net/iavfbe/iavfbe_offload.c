/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * What the AVF hardware computes, done in software with librte_net:
 * Tx checksum completion and TSO header fix-ups for the frames the guest
 * sends; packet type, checksum status and the Toeplitz RSS hash for the
 * frames the guest receives.
 */

#include <assert.h>
#include <stddef.h>

#include <rte_byteorder.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_net.h>
#include <rte_sctp.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "iavfbe.h"
#include "iavfbe_classify.h"

static bool
hdr_in_first_seg(const struct rte_mbuf *m, uint32_t off, uint32_t len)
{
	return off + len <= m->data_len;
}

/* Ones-complement sum of [off, pkt_len) plus extra, folded and inverted. */
static int
l4_cksum(const struct rte_mbuf *m, uint32_t off, uint32_t extra,
		uint16_t *out)
{
	uint16_t raw;
	uint32_t sum;

	if (rte_raw_cksum_mbuf(m, off, m->pkt_len - off, &raw) != 0)
		return -EINVAL;
	sum = (uint32_t)raw + extra;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	*out = (uint16_t)~sum;
	return 0;
}

/*
 * CRC32c of bytes at any alignment: rte_hash_crc() loads 8 bytes at a
 * time, which must be aligned; the head is taken a byte at a time.
 */
static uint32_t
crc32c(const uint8_t *p, uint32_t len, uint32_t crc)
{
	while (len > 0 && ((uintptr_t)p & 7) != 0) {
		crc = rte_hash_crc_1byte(*p++, crc);
		len--;
	}
	return rte_hash_crc(p, len, crc);
}

/* SCTP: CRC32c over the whole SCTP packet, checksum field zero. */
static uint32_t
sctp_crc(const struct rte_mbuf *m, uint32_t off)
{
	uint32_t crc = 0xffffffff;

	for (; m != NULL; m = m->next) {
		if (off < m->data_len) {
			crc = crc32c(rte_pktmbuf_mtod_offset(m, uint8_t *, off),
					m->data_len - off, crc);
			off = 0;
		} else {
			off -= m->data_len;
		}
	}
	return ~crc;
}

static void
ipv4_hdr_cksum(struct rte_mbuf *m, uint32_t l2, uint32_t l3)
{
	struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l2);

	ip->hdr_checksum = 0;
	ip->hdr_checksum = (uint16_t)~rte_raw_cksum(ip, l3);
}

/*
 * The guest put the pseudo-header sum in the L4 checksum field (as for
 * CHECKSUM_PARTIAL); the device sums from the L4 header to the end of the
 * frame. Returns 0, or the guest error.
 */
int
iavfbe_csum_offload(struct rte_mbuf *m, uint32_t cmd, uint32_t offset)
{
	uint32_t l2 = AVF_TXD_MACLEN(offset), l3 = AVF_TXD_IPLEN(offset);
	uint32_t l4_off = l2 + l3, l4t = cmd & AVF_TXD_CMD_L4T_MASK;
	uint16_t ck;

	if ((cmd & AVF_TXD_CMD_IIPT_MASK) == AVF_TXD_CMD_IIPT_IPV4_CSUM) {
		if (l3 < sizeof(struct rte_ipv4_hdr) ||
		    !hdr_in_first_seg(m, l2, l3))
			return IAVFBE_ERR_BAD_DESC;
		ipv4_hdr_cksum(m, l2, l3);
	}
	switch (l4t) {
	case 0:
		return 0;
	case AVF_TXD_CMD_L4T_SCTP: {
		struct rte_sctp_hdr *sh;

		if (!hdr_in_first_seg(m, l4_off, sizeof(*sh)))
			return IAVFBE_ERR_BAD_DESC;
		sh = rte_pktmbuf_mtod_offset(m, struct rte_sctp_hdr *, l4_off);
		sh->cksum = 0;
		sh->cksum = rte_cpu_to_le_32(sctp_crc(m, l4_off));
		return 0;
	}
	case AVF_TXD_CMD_L4T_TCP: {
		struct rte_tcp_hdr *th;

		if (!hdr_in_first_seg(m, l4_off, sizeof(*th)))
			return IAVFBE_ERR_BAD_DESC;
		th = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *, l4_off);
		if (l4_cksum(m, l4_off, 0, &ck) < 0)
			return IAVFBE_ERR_BAD_DESC;
		th->cksum = ck;
		return 0;
	}
	default: { /* UDP */
		struct rte_udp_hdr *uh;

		if (!hdr_in_first_seg(m, l4_off, sizeof(*uh)))
			return IAVFBE_ERR_BAD_DESC;
		uh = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, l4_off);
		if (l4_cksum(m, l4_off, 0, &ck) < 0)
			return IAVFBE_ERR_BAD_DESC;
		uh->dgram_cksum = ck == 0 ? 0xffff : ck;
		return 0;
	}
	}
}

/*
 * With guest_offload=flags: the request handed on in mbuf offload flags,
 * as DPDK's vhost PMD does, for the application or the NIC it sends on
 * to complete. The L4 checksum field keeps the pseudo-header sum the
 * guest seeded, which is what DPDK expects there too. Returns 0, or the
 * guest error.
 */
int
iavfbe_offload_flags(struct rte_mbuf *m, uint32_t cmd, uint32_t offset,
		bool tso)
{
	uint32_t l2 = AVF_TXD_MACLEN(offset), l3 = AVF_TXD_IPLEN(offset);
	uint32_t iipt = cmd & AVF_TXD_CMD_IIPT_MASK;
	uint64_t fl;

	if (iipt == 0 && (cmd & AVF_TXD_CMD_L4T_MASK) == 0)
		return 0;
	if (iipt == 0 || l2 < RTE_ETHER_HDR_LEN ||
	    l3 < sizeof(struct rte_ipv4_hdr) || !hdr_in_first_seg(m, l2, l3))
		return IAVFBE_ERR_BAD_DESC;
	fl = iipt == AVF_TXD_CMD_IIPT_IPV6 ? RTE_MBUF_F_TX_IPV6 :
		RTE_MBUF_F_TX_IPV4;
	if (iipt == AVF_TXD_CMD_IIPT_IPV4_CSUM)
		fl |= RTE_MBUF_F_TX_IP_CKSUM;
	switch (cmd & AVF_TXD_CMD_L4T_MASK) {
	case AVF_TXD_CMD_L4T_TCP:
		fl |= RTE_MBUF_F_TX_TCP_CKSUM;
		break;
	case AVF_TXD_CMD_L4T_UDP:
		fl |= RTE_MBUF_F_TX_UDP_CKSUM;
		break;
	case AVF_TXD_CMD_L4T_SCTP:
		fl |= RTE_MBUF_F_TX_SCTP_CKSUM;
		break;
	}
	if (tso)
		fl |= RTE_MBUF_F_TX_TCP_SEG;
	m->l2_len = l2;
	m->l3_len = l3;
	m->l4_len = AVF_TXD_L4LEN(offset);
	m->ol_flags |= fl;
	return 0;
}

/*
 * One TSO segment (headers + payload): lengths, IPv4 id, TCP sequence
 * and flags, checksums. The guest seeded the TCP checksum with the
 * pseudo-header without length, and zeroed the IP lengths.
 */
int
iavfbe_tso_fixup(struct rte_mbuf *seg, uint32_t cmd, uint32_t offset,
		uint32_t seg_no, uint32_t payload_off, bool last)
{
	uint32_t l2 = AVF_TXD_MACLEN(offset), l3 = AVF_TXD_IPLEN(offset);
	uint32_t l4 = AVF_TXD_L4LEN(offset), l4_len = seg->pkt_len - l2 - l3;
	uint32_t iipt = cmd & AVF_TXD_CMD_IIPT_MASK;
	struct rte_tcp_hdr *th;
	uint16_t ck;

	if (!hdr_in_first_seg(seg, 0, l2 + l3 + l4))
		return -EINVAL;
	if (iipt == AVF_TXD_CMD_IIPT_IPV6) {
		struct rte_ipv6_hdr *ip6 =
			rte_pktmbuf_mtod_offset(seg, struct rte_ipv6_hdr *, l2);

		ip6->payload_len = rte_cpu_to_be_16(l3 - sizeof(*ip6) + l4_len);
	} else {
		struct rte_ipv4_hdr *ip =
			rte_pktmbuf_mtod_offset(seg, struct rte_ipv4_hdr *, l2);

		ip->total_length = rte_cpu_to_be_16(l3 + l4_len);
		ip->packet_id = rte_cpu_to_be_16(
				rte_be_to_cpu_16(ip->packet_id) + seg_no);
		if (iipt == AVF_TXD_CMD_IIPT_IPV4_CSUM)
			ipv4_hdr_cksum(seg, l2, l3);
	}
	th = rte_pktmbuf_mtod_offset(seg, struct rte_tcp_hdr *, l2 + l3);
	th->sent_seq = rte_cpu_to_be_32(rte_be_to_cpu_32(th->sent_seq) +
			payload_off);
	if (!last)
		th->tcp_flags &= ~(RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG);
	if (seg_no != 0)
		th->tcp_flags &= ~RTE_TCP_CWR_FLAG;
	if (l4_cksum(seg, l2 + l3, rte_cpu_to_be_16(l4_len), &ck) < 0)
		return -EINVAL;
	th->cksum = ck;
	return 0;
}

static uint8_t
avf_ptype_l4(uint32_t l4, bool v6)
{
	static const uint8_t v4_types[] = {
		AVF_PTYPE_IPV4, AVF_PTYPE_IPV4_FRAG, AVF_PTYPE_IPV4_UDP,
		AVF_PTYPE_IPV4_TCP, AVF_PTYPE_IPV4_SCTP, AVF_PTYPE_IPV4_ICMP,
	};
	static const uint8_t v6_types[] = {
		AVF_PTYPE_IPV6, AVF_PTYPE_IPV6_FRAG, AVF_PTYPE_IPV6_UDP,
		AVF_PTYPE_IPV6_TCP, AVF_PTYPE_IPV6_SCTP, AVF_PTYPE_IPV6_ICMP,
	};
	const uint8_t *t = v6 ? v6_types : v4_types;

	switch (l4) {
	case RTE_PTYPE_L4_FRAG:
		return t[1];
	case RTE_PTYPE_L4_UDP:
		return t[2];
	case RTE_PTYPE_L4_TCP:
		return t[3];
	case RTE_PTYPE_L4_SCTP:
		return t[4];
	case RTE_PTYPE_L4_ICMP:
		return t[5];
	default:
		return t[0];
	}
}

/*
 * librte_net names no ICMP: the AVF type of an IP frame of no L4 type
 * librte_net knows (IPv6: without extension headers) by its protocol.
 */
static uint8_t
avf_ptype_other_l4(const struct rte_mbuf *m,
		const struct iavfbe_pkt_info *info, bool v6)
{
	uint32_t off = info->l2_len + (v6 ?
		offsetof(struct rte_ipv6_hdr, proto) :
		offsetof(struct rte_ipv4_hdr, next_proto_id));
	const uint8_t *proto;
	uint8_t buf, pt;

	if (v6 && info->l3_len != sizeof(struct rte_ipv6_hdr))
		return v6 ? AVF_PTYPE_IPV6 : AVF_PTYPE_IPV4;
	proto = rte_pktmbuf_read(m, off, 1, &buf);
	pt = proto != NULL ? avf_ptype_common(*proto, v6) : 0;
	return pt == AVF_PTYPE_IPV4_ICMP || pt == AVF_PTYPE_IPV6_ICMP ? pt :
		v6 ? AVF_PTYPE_IPV6 : AVF_PTYPE_IPV4;
}

/* Any other frame, by librte_net. */
void
iavfbe_ptype_other(const struct rte_mbuf *m, struct iavfbe_pkt_info *info,
		bool *v4, bool *v6)
{
	struct rte_net_hdr_lens hl = { 0 };
	uint32_t pt = rte_net_get_ptype(m, &hl, RTE_PTYPE_L2_MASK |
			RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK);

	*v4 = RTE_ETH_IS_IPV4_HDR(pt);
	*v6 = RTE_ETH_IS_IPV6_HDR(pt);
	info->l2_len = hl.l2_len;
	info->l3_len = hl.l3_len;
	if ((*v4 || *v6) && ((pt & RTE_PTYPE_L4_MASK) == 0 ||
			     (pt & RTE_PTYPE_L4_MASK) == RTE_PTYPE_L4_NONFRAG))
		info->ptype = avf_ptype_other_l4(m, info, *v6);
	else if (*v4 || *v6)
		info->ptype = avf_ptype_l4(pt & RTE_PTYPE_L4_MASK, *v6);
	else if ((pt & RTE_PTYPE_L2_MASK) == RTE_PTYPE_L2_ETHER_ARP)
		info->ptype = AVF_PTYPE_ARP;
	else
		info->ptype = AVF_PTYPE_L2;
}

/*
 * Toeplitz by table: the hash of an input is the XOR of the key's 32-bit
 * windows at the input's set bits (bit 0 the first byte's top bit), so
 * what each byte value contributes at each position can be looked up.
 */
void
iavfbe_rss_key_set(struct iavfbe_guest_cfg *cfg)
{
	const uint8_t *key = cfg->net.rss_key;
	uint32_t p, v, b;

	static_assert(IAVFBE_RSS_INPUT_MAX + 8 <= RTE_EMUDEV_NET_RSS_KEY_LEN,
		      "every window lies inside the key");
	for (p = 0; p < IAVFBE_RSS_INPUT_MAX; p++) {
		uint64_t w64 = 0;
		uint32_t win[8];

		for (b = 0; b < 8; b++)
			w64 = w64 << 8 | key[p + b];
		for (b = 0; b < 8; b++) /* the window at bit 8p + b */
			win[b] = (uint32_t)((w64 << b) >> 32);
		cfg->rss_tbl[p][0] = 0;
		for (v = 1; v < 256; v++) /* v without its lowest bit, and it */
			cfg->rss_tbl[p][v] = cfg->rss_tbl[p][v & (v - 1)] ^
				win[7 - __builtin_ctz(v)];
	}
}
