/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef IAVFBE_CLASSIFY_H
#define IAVFBE_CLASSIFY_H

/*
 * What the device reports of each frame it delivers to the guest: the AVF
 * packet type, checksum status and the guest's Toeplitz hash. In line, as
 * host Tx runs it for every frame; the frames that are not TCP, UDP or
 * ICMP over IPv4 or IPv6 with their headers in the first segment go to
 * librte_net (iavfbe_ptype_other()).
 */

#include <netinet/in.h>
#include <stddef.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "iavfbe.h"

/* The AVF type of TCP, UDP or ICMP over IPv4 or IPv6; 0 for the rest. */
static inline uint8_t
avf_ptype_common(uint8_t proto, bool v6)
{
	switch (proto) {
	case IPPROTO_TCP: return v6 ? AVF_PTYPE_IPV6_TCP : AVF_PTYPE_IPV4_TCP;
	case IPPROTO_UDP: return v6 ? AVF_PTYPE_IPV6_UDP : AVF_PTYPE_IPV4_UDP;
	case IPPROTO_ICMP: return v6 ? 0 : AVF_PTYPE_IPV4_ICMP;
	case IPPROTO_ICMPV6: return v6 ? AVF_PTYPE_IPV6_ICMP : 0;
	default: return 0;
	}
}

/*
 * The frames most traffic is made of (untagged IPv4 not fragmented or
 * IPv6 without extension headers, carrying TCP, UDP or ICMP, headers and
 * 4 bytes of L4 in the first segment), parsed as rte_net_get_ptype()
 * would; false for the rest, which it parses. Their L3 header is left in
 * info->l3.
 */
static __rte_always_inline bool
ptype_common(const struct rte_mbuf *m, struct iavfbe_pkt_info *info,
		bool *v6)
{
	const struct rte_ether_hdr *eh =
		rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const uint8_t *l3 = (const uint8_t *)(eh + 1);
	uint32_t room = m->data_len;

	info->l2_len = sizeof(*eh);
	if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
	    room >= sizeof(*eh) + sizeof(struct rte_ipv4_hdr)) {
		const struct rte_ipv4_hdr *ip = (const void *)l3;

		info->l3_len = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * 4;
		info->ptype = avf_ptype_common(ip->next_proto_id, false);
		*v6 = false;
		if ((ip->version_ihl >> 4) != 4 ||
		    info->l3_len < sizeof(*ip) ||
		    (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK |
						    RTE_IPV4_HDR_MF_FLAG)))
			return false;
	} else if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV6) &&
		   room >= sizeof(*eh) + sizeof(struct rte_ipv6_hdr)) {
		const struct rte_ipv6_hdr *ip = (const void *)l3;

		info->l3_len = sizeof(*ip);
		info->ptype = avf_ptype_common(ip->proto, true);
		*v6 = true;
	} else {
		return false;
	}
	if (info->ptype == 0 || room < sizeof(*eh) + info->l3_len + 4u)
		return false;
	info->l3 = l3;
	return true;
}

/*
 * The AVF packet type of a frame, its header lengths, and the checksum
 * status bits of the Rx descriptor (from what the host side verified).
 */
static __rte_always_inline uint8_t
iavfbe_ptype(const struct rte_mbuf *m, struct iavfbe_pkt_info *info)
{
	uint64_t ip = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	uint64_t l4 = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	bool v4, v6;

	info->l3 = NULL;
	if (ptype_common(m, info, &v6))
		v4 = !v6;
	else
		iavfbe_ptype_other(m, info, &v4, &v6);
	info->csum_bits = 0;
	if ((v4 && ip != RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN &&
	     l4 != RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN) ||
	    (v6 && l4 != RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN)) {
		info->csum_bits = AVF_RXD_L3L4P;
		if (v4 && ip == RTE_MBUF_F_RX_IP_CKSUM_BAD)
			info->csum_bits |= AVF_RXD_IPE;
		if (l4 == RTE_MBUF_F_RX_L4_CKSUM_BAD)
			info->csum_bits |= AVF_RXD_L4E;
	}
	return info->ptype;
}

/* The hash-enable bit that covers a packet type, or -1. */
static __rte_always_inline int
hena_bit(uint8_t ptype, bool *ports)
{
	*ports = true;
	switch (ptype) {
	case AVF_PTYPE_IPV4_UDP: return AVF_HENA_IPV4_UDP;
	case AVF_PTYPE_IPV4_TCP: return AVF_HENA_IPV4_TCP;
	case AVF_PTYPE_IPV4_SCTP: return AVF_HENA_IPV4_SCTP;
	case AVF_PTYPE_IPV6_UDP: return AVF_HENA_IPV6_UDP;
	case AVF_PTYPE_IPV6_TCP: return AVF_HENA_IPV6_TCP;
	case AVF_PTYPE_IPV6_SCTP: return AVF_HENA_IPV6_SCTP;
	default:
		break;
	}
	*ports = false;
	switch (ptype) {
	case AVF_PTYPE_IPV4: case AVF_PTYPE_IPV4_ICMP:
		return AVF_HENA_IPV4_OTHER;
	case AVF_PTYPE_IPV4_FRAG: return AVF_HENA_IPV4_FRAG;
	case AVF_PTYPE_IPV6: case AVF_PTYPE_IPV6_ICMP:
		return AVF_HENA_IPV6_OTHER;
	case AVF_PTYPE_IPV6_FRAG: return AVF_HENA_IPV6_FRAG;
	default: return -1;
	}
}

/* The inputs are whole 32-bit words: addresses and the two ports. */
static __rte_always_inline uint32_t
toeplitz(const struct iavfbe_guest_cfg *cfg, uint32_t pos, const uint8_t *in,
		uint32_t len, uint32_t h)
{
	const uint32_t (*t)[256] = &cfg->rss_tbl[pos];
	uint32_t i;

	for (i = 0; i < len; i += 4)
		h ^= t[i][in[i]] ^ t[i + 1][in[i + 1]] ^ t[i + 2][in[i + 2]] ^
			t[i + 3][in[i + 3]];
	return h;
}

/*
 * Toeplitz hash over the fields the guest enabled for this packet type,
 * with the guest's key, as the AVF computes it. *valid is false when the
 * guest did not enable hashing of this type.
 */
static __rte_always_inline uint32_t
iavfbe_rss_hash(const struct iavfbe_guest_cfg *cfg, const struct rte_mbuf *m,
		const struct iavfbe_pkt_info *info, bool *valid)
{
	uint8_t buf[IAVFBE_RSS_INPUT_MAX];
	const uint8_t *addrs, *l4;
	uint32_t alen, aoff, h;
	bool ports, v6;
	int bit = hena_bit(info->ptype, &ports);

	*valid = false;
	if (bit < 0 || !(cfg->net.rss_hena & (1ull << bit)))
		return 0;
	/* The input is the header bytes: addresses, then the ports. */
	v6 = info->ptype >= AVF_PTYPE_IPV6_FRAG;
	alen = v6 ? 2 * sizeof(((struct rte_ipv6_hdr *)0)->src_addr) :
		2 * sizeof(rte_be32_t);
	aoff = v6 ? offsetof(struct rte_ipv6_hdr, src_addr) :
		offsetof(struct rte_ipv4_hdr, src_addr);
	if (info->l3 != NULL) { /* the headers are in the first segment */
		addrs = info->l3 + aoff;
		l4 = info->l3 + info->l3_len;
	} else {
		addrs = rte_pktmbuf_read(m, info->l2_len + aoff, alen, buf);
		l4 = ports ? rte_pktmbuf_read(m, info->l2_len + info->l3_len,
				4, buf + alen) : buf;
		if (addrs == NULL || l4 == NULL)
			return 0;
	}
	/* Constant lengths, so that each loop unrolls. */
	h = v6 ? toeplitz(cfg, 0, addrs, 32, 0) : toeplitz(cfg, 0, addrs, 8, 0);
	if (ports)
		h = v6 ? toeplitz(cfg, 32, l4, 4, h) : toeplitz(cfg, 8, l4, 4, h);
	*valid = true;
	return h;
}

#endif /* IAVFBE_CLASSIFY_H */
