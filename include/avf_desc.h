/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef AVF_DESC_H
#define AVF_DESC_H

/*
 * The AVF descriptor formats, as the VF driver writes and reads them
 * (little-endian): 16-byte Tx data/context descriptors and 32-byte legacy
 * Rx descriptors.
 */

#include <stdint.h>

/* Tx descriptor, QW1. */
#define AVF_TXD_DTYPE_MASK      0xfull
#define AVF_TXD_DTYPE_DATA      0x0
#define AVF_TXD_DTYPE_CONTEXT   0x1
#define AVF_TXD_DTYPE_DONE      0xf
#define AVF_TXD_CMD_SHIFT       4
#define AVF_TXD_CMD_MASK        0x3ffu
#define AVF_TXD_CMD_EOP         0x001
#define AVF_TXD_CMD_RS          0x002
#define AVF_TXD_CMD_ICRC        0x004
#define AVF_TXD_CMD_IL2TAG1     0x008
#define AVF_TXD_CMD_IIPT_MASK   0x060
#define AVF_TXD_CMD_IIPT_IPV6   0x020
#define AVF_TXD_CMD_IIPT_IPV4   0x040
#define AVF_TXD_CMD_IIPT_IPV4_CSUM 0x060
#define AVF_TXD_CMD_L4T_MASK    0x300
#define AVF_TXD_CMD_L4T_TCP     0x100
#define AVF_TXD_CMD_L4T_SCTP    0x200
#define AVF_TXD_CMD_L4T_UDP     0x300
#define AVF_TXD_OFFSET_SHIFT    16
#define AVF_TXD_MACLEN(off)     (((off) & 0x7f) * 2u)
#define AVF_TXD_IPLEN(off)      ((((off) >> 7) & 0x7f) * 4u)
#define AVF_TXD_L4LEN(off)      ((((off) >> 14) & 0xf) * 4u)
#define AVF_TXD_BUF_SZ_SHIFT    34
#define AVF_TXD_BUF_SZ_MASK     0x3fffu
#define AVF_TXD_L2TAG1_SHIFT    48

/* Tx context descriptor, QW1. */
#define AVF_TXC_CMD_TSO         0x01
#define AVF_TXC_TSO_LEN_SHIFT   30
#define AVF_TXC_TSO_LEN_MASK    0x3ffffu
#define AVF_TXC_MSS_SHIFT       50
#define AVF_TXC_MSS_MASK        0x3fffu

struct avf_tx_desc {
	uint64_t addr;
	uint64_t qw1;
};

/* Rx descriptor, 32-byte legacy: read format. */
struct avf_rx_desc_read {
	uint64_t pkt_addr;
	uint64_t hdr_addr;
	uint64_t rsvd1;
	uint64_t rsvd2;
};

/* Rx descriptor, 32-byte legacy: write-back format. */
struct avf_rx_desc_wb {
	uint16_t mirroring_status;
	uint16_t l2tag1;
	uint32_t rss;
	uint64_t qw1;
	uint16_t ext_status;
	uint16_t rsvd;
	uint16_t l2tag2_1;
	uint16_t l2tag2_2;
	uint64_t flex;
};

union avf_rx_desc {
	struct avf_rx_desc_read read;
	struct avf_rx_desc_wb wb;
};

/* Rx write-back QW1. */
#define AVF_RXD_DD              (1ull << 0)
#define AVF_RXD_EOF             (1ull << 1)
#define AVF_RXD_L2TAG1P         (1ull << 2)
#define AVF_RXD_L3L4P           (1ull << 3)
#define AVF_RXD_UMBCAST_SHIFT   9
#define AVF_RXD_UMBCAST_MCAST   1ull
#define AVF_RXD_UMBCAST_BCAST   2ull
#define AVF_RXD_FLTSTAT_RSS     (3ull << 12)
#define AVF_RXD_RXE             (1ull << 19)
#define AVF_RXD_IPE             (1ull << 22)
#define AVF_RXD_L4E             (1ull << 23)
#define AVF_RXD_PTYPE_SHIFT     30
#define AVF_RXD_LEN_SHIFT       38
#define AVF_RXD_LEN_MASK        0x3fffull

/* Packet types (the i40e/AVF table) the device reports. */
#define AVF_PTYPE_L2            1
#define AVF_PTYPE_ARP           11
#define AVF_PTYPE_IPV4_FRAG     22
#define AVF_PTYPE_IPV4          23
#define AVF_PTYPE_IPV4_UDP      24
#define AVF_PTYPE_IPV4_TCP      26
#define AVF_PTYPE_IPV4_SCTP     27
#define AVF_PTYPE_IPV4_ICMP     28
#define AVF_PTYPE_IPV6_FRAG     88
#define AVF_PTYPE_IPV6          89
#define AVF_PTYPE_IPV6_UDP      90
#define AVF_PTYPE_IPV6_TCP      92
#define AVF_PTYPE_IPV6_SCTP     93
#define AVF_PTYPE_IPV6_ICMP     94

/* RSS hash enable bits (packet classifier types) the guest may set. */
#define AVF_HENA_IPV4_UDP_UCAST 29
#define AVF_HENA_IPV4_UDP_MCAST 30
#define AVF_HENA_IPV4_UDP       31
#define AVF_HENA_IPV4_TCP_SYN   32
#define AVF_HENA_IPV4_TCP       33
#define AVF_HENA_IPV4_SCTP      34
#define AVF_HENA_IPV4_OTHER     35
#define AVF_HENA_IPV4_FRAG      36
#define AVF_HENA_IPV6_UDP_UCAST 39
#define AVF_HENA_IPV6_UDP_MCAST 40
#define AVF_HENA_IPV6_UDP       41
#define AVF_HENA_IPV6_TCP_SYN   42
#define AVF_HENA_IPV6_TCP       43
#define AVF_HENA_IPV6_SCTP      44
#define AVF_HENA_IPV6_OTHER     45
#define AVF_HENA_IPV6_FRAG      46
#define AVF_HENA_L2_PAYLOAD     63

#endif /* AVF_DESC_H */
