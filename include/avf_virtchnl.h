/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef AVF_VIRTCHNL_H
#define AVF_VIRTCHNL_H

/*
 * virtchnl, the AVF VF <-> PF mailbox protocol, as the wire carries it
 * (little-endian, natural alignment): what the emulated PF (emu_iavf)
 * handles and the client VF driver (net_iavf_client) sends.
 */

#include "emunic_compat.h"
#include <stdint.h>

#include <rte_common.h>

#define VIRTCHNL_VERSION_MAJOR 1
#define VIRTCHNL_VERSION_MINOR 1

enum virtchnl_ops {
	VIRTCHNL_OP_UNKNOWN = 0,
	VIRTCHNL_OP_VERSION = 1,
	VIRTCHNL_OP_RESET_VF = 2,
	VIRTCHNL_OP_GET_VF_RESOURCES = 3,
	VIRTCHNL_OP_CONFIG_TX_QUEUE = 4,
	VIRTCHNL_OP_CONFIG_RX_QUEUE = 5,
	VIRTCHNL_OP_CONFIG_VSI_QUEUES = 6,
	VIRTCHNL_OP_CONFIG_IRQ_MAP = 7,
	VIRTCHNL_OP_ENABLE_QUEUES = 8,
	VIRTCHNL_OP_DISABLE_QUEUES = 9,
	VIRTCHNL_OP_ADD_ETH_ADDR = 10,
	VIRTCHNL_OP_DEL_ETH_ADDR = 11,
	VIRTCHNL_OP_ADD_VLAN = 12,
	VIRTCHNL_OP_DEL_VLAN = 13,
	VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE = 14,
	VIRTCHNL_OP_GET_STATS = 15,
	VIRTCHNL_OP_EVENT = 17,
	VIRTCHNL_OP_CONFIG_RSS_HFUNC = 18,
	VIRTCHNL_OP_CONFIG_RSS_KEY = 23,
	VIRTCHNL_OP_CONFIG_RSS_LUT = 24,
	VIRTCHNL_OP_GET_RSS_HENA_CAPS = 25,
	VIRTCHNL_OP_SET_RSS_HENA = 26,
	VIRTCHNL_OP_ENABLE_VLAN_STRIPPING = 27,
	VIRTCHNL_OP_DISABLE_VLAN_STRIPPING = 28,
	EMU_IAVF_VC_OP_MAX = 256, /* counters are kept for ops below this */
};

/* Status codes, in the ARQ descriptor's cookie_low. */
#define VIRTCHNL_STATUS_SUCCESS 0
#define VIRTCHNL_STATUS_ERR_PARAM (-5)
#define VIRTCHNL_STATUS_ERR_NO_MEMORY (-18)
#define VIRTCHNL_STATUS_ERR_NOT_SUPPORTED (-64)

/* Capability bits of GET_VF_RESOURCES. */
#define VIRTCHNL_VF_OFFLOAD_L2        (1u << 0)
#define VIRTCHNL_VF_OFFLOAD_RSS_AQ            (1u << 3)
#define VIRTCHNL_VF_OFFLOAD_RSS_REG           (1u << 4)
#define VIRTCHNL_VF_OFFLOAD_WB_ON_ITR         (1u << 5)
#define VIRTCHNL_VF_OFFLOAD_REQ_QUEUES        (1u << 6)
#define VIRTCHNL_VF_CAP_ADV_LINK_SPEED    (1u << 7)
#define VIRTCHNL_VF_OFFLOAD_VLAN      (1u << 16)
#define VIRTCHNL_VF_OFFLOAD_RX_POLLING        (1u << 17)
#define VIRTCHNL_VF_OFFLOAD_RSS_PCTYPE_V2     (1u << 18)
#define VIRTCHNL_VF_OFFLOAD_RSS_PF            (1u << 19)

/*
 * What a VF hashes on until it says otherwise, as i40e and ice PFs set
 * it: IPv4 and IPv6 TCP, UDP, SCTP, other and fragments, L2 payload.
 * Linux's iavf relies on it (with RSS_PF it sends a key and a table but
 * no SET_RSS_HENA).
 */
#define EMU_IAVF_HENA_DEFAULT UINT64_C(0x80007a1e80000000) /* 31, 33-36, 41, 43-46, 63 */

#define VIRTCHNL_VSI_SRIOV 6
#define EMU_IAVF_MAX_FRAME 9728

struct __rte_packed_begin virtchnl_version_info {
	uint32_t major;
	uint32_t minor;
} __rte_packed_end;

struct __rte_packed_begin virtchnl_vsi_resource {
	uint16_t vsi_id;
	uint16_t num_queue_pairs;
	int32_t vsi_type;
	uint16_t qset_handle;
	uint8_t default_mac[6];
} __rte_packed_end;

struct __rte_packed_begin virtchnl_vf_resource {
	uint16_t num_vsis;
	uint16_t num_queue_pairs;
	uint16_t max_vectors;
	uint16_t max_mtu;
	uint32_t vf_cap_flags;
	uint32_t rss_key_size;
	uint32_t rss_lut_size;
	struct virtchnl_vsi_resource vsi_res[1];
} __rte_packed_end;

struct __rte_packed_begin virtchnl_txq_info {
	uint16_t vsi_id;
	uint16_t queue_id;
	uint16_t ring_len;
	uint16_t headwb_enabled;
	uint64_t dma_ring_addr;
	uint64_t dma_headwb_addr;
} __rte_packed_end;

struct __rte_packed_begin virtchnl_rxq_info {
	uint16_t vsi_id;
	uint16_t queue_id;
	uint32_t ring_len;
	uint16_t hdr_size;
	uint16_t splithdr_enabled;
	uint32_t databuffer_size;
	uint32_t max_pkt_size;
	uint8_t crc_disable;
	uint8_t rxdid;
	uint8_t pad1[2];
	uint64_t dma_ring_addr;
	uint32_t rx_split_pos;
	uint32_t pad2;
} __rte_packed_end;

struct __rte_packed_begin virtchnl_queue_pair_info {
	struct virtchnl_txq_info txq;
	struct virtchnl_rxq_info rxq;
} __rte_packed_end;

struct __rte_packed_begin virtchnl_vsi_queue_config_info {
	uint16_t vsi_id;
	uint16_t num_queue_pairs;
	uint32_t pad;
	struct virtchnl_queue_pair_info qpair[];
} __rte_packed_end;

struct __rte_packed_begin virtchnl_vector_map {
	uint16_t vsi_id;
	uint16_t vector_id;
	uint16_t rxq_map;
	uint16_t txq_map;
	uint16_t rxitr_idx;
	uint16_t txitr_idx;
} __rte_packed_end;

struct __rte_packed_begin virtchnl_irq_map_info {
	uint16_t num_vectors;
	struct virtchnl_vector_map vecmap[];
} __rte_packed_end;

struct __rte_packed_begin virtchnl_queue_select {
	uint16_t vsi_id;
	uint16_t pad;
	uint32_t rx_queues;
	uint32_t tx_queues;
} __rte_packed_end;

#define VIRTCHNL_ETHER_ADDR_TYPE_MASK 0x3

struct __rte_packed_begin virtchnl_ether_addr {
	uint8_t addr[6];
	uint8_t type;
	uint8_t pad;
} __rte_packed_end;

struct __rte_packed_begin virtchnl_ether_addr_list {
	uint16_t vsi_id;
	uint16_t num_elements;
	struct virtchnl_ether_addr list[];
} __rte_packed_end;

struct __rte_packed_begin virtchnl_vlan_filter_list {
	uint16_t vsi_id;
	uint16_t num_elements;
	uint16_t vlan_id[];
} __rte_packed_end;

#define FLAG_VF_UNICAST_PROMISC   (1u << 0)
#define FLAG_VF_MULTICAST_PROMISC (1u << 1)

struct __rte_packed_begin virtchnl_promisc_info {
	uint16_t vsi_id;
	uint16_t flags;
} __rte_packed_end;

/* GET_STATS's reply: the VSI's counters (emu_iavf fills them from
 * struct rte_emudev_net_stats, the same 12 in the same order). */
struct virtchnl_eth_stats {
	uint64_t rx_bytes;
	uint64_t rx_unicast;
	uint64_t rx_multicast;
	uint64_t rx_broadcast;
	uint64_t rx_discards;
	uint64_t rx_unknown_protocol;
	uint64_t tx_bytes;
	uint64_t tx_unicast;
	uint64_t tx_multicast;
	uint64_t tx_broadcast;
	uint64_t tx_discards;
	uint64_t tx_errors;
};

struct __rte_packed_begin virtchnl_rss_key {
	uint16_t vsi_id;
	uint16_t key_len;
	uint8_t key[];
} __rte_packed_end;

struct __rte_packed_begin virtchnl_rss_lut {
	uint16_t vsi_id;
	uint16_t lut_entries;
	uint8_t lut[];
} __rte_packed_end;

struct __rte_packed_begin virtchnl_rss_hena {
	uint64_t hena;
} __rte_packed_end;

struct __rte_packed_begin virtchnl_rss_hfunc {
	uint16_t vsi_id;
	uint16_t rss_algorithm;
	uint32_t reserved;
} __rte_packed_end;

#define VIRTCHNL_EVENT_LINK_CHANGE 1
#define VIRTCHNL_EVENT_RESET_IMPENDING 2
#define VIRTCHNL_EVENT_PF_DRIVER_CLOSE 3
#define PF_EVENT_SEVERITY_INFO 0
#define PF_EVENT_SEVERITY_CERTAIN_DOOM 255

struct __rte_packed_begin virtchnl_pf_event {
	int32_t event;
	uint32_t link_speed; /* Mbps, or the legacy enum */
	uint8_t link_status;
	uint8_t pad[3];
	int32_t severity;
} __rte_packed_end;

/* Legacy link speed enum. */
#define VIRTCHNL_LINK_SPEED_100MB 0x2
#define VIRTCHNL_LINK_SPEED_1GB   0x4
#define VIRTCHNL_LINK_SPEED_10GB  0x8
#define VIRTCHNL_LINK_SPEED_40GB  0x10
#define VIRTCHNL_LINK_SPEED_20GB  0x20
#define VIRTCHNL_LINK_SPEED_25GB  0x40

static_assert(sizeof(struct virtchnl_vf_resource) == 36, "GET_VF_RESOURCES reply");
static_assert(sizeof(struct virtchnl_queue_pair_info) == 64, "queue pair info");
static_assert(sizeof(struct virtchnl_vsi_queue_config_info) == 8, "VSI queue config");
static_assert(sizeof(struct virtchnl_vector_map) == 12, "vector map");
static_assert(sizeof(struct virtchnl_pf_event) == 16, "PF event");
static_assert(sizeof(struct virtchnl_eth_stats) == 96, "GET_STATS reply");

#endif /* AVF_VIRTCHNL_H */
