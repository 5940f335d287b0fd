/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef RTE_EMUDEV_NET_H
#define RTE_EMUDEV_NET_H

/**
 * @file
 * Emulated network devices: queue numbering, attributes, counters.
 *
 * Directions are named as the guest sees them: the guest transmits on its
 * Tx queues (the consumer receives from them) and receives on its Rx
 * queues (the consumer transmits into them).
 *
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 */

#include <stdint.h>

#include <rte_ether.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Queue id of the guest's Tx queue of pair qp. */
#define RTE_EMUDEV_NET_TXQ(qp) ((uint16_t)(2 * (qp)))
/** Queue id of the guest's Rx queue of pair qp. */
#define RTE_EMUDEV_NET_RXQ(qp) ((uint16_t)(2 * (qp) + 1))
/** Queue pair of a queue id. */
#define RTE_EMUDEV_NET_QP(qid) ((uint16_t)((qid) / 2))
/** True when a queue id is a guest Rx queue's. */
#define RTE_EMUDEV_NET_IS_RXQ(qid) (((qid) & 1) != 0)

/** What an RTE_EMUDEV_EVENT_CONFIG event says changed. */
#define RTE_EMUDEV_NET_CFG_MAC     (1u << 0) /**< MAC filters */
#define RTE_EMUDEV_NET_CFG_PROMISC (1u << 1) /**< promiscuous flags */
#define RTE_EMUDEV_NET_CFG_MTU     (1u << 2) /**< largest frame */
#define RTE_EMUDEV_NET_CFG_VLAN    (1u << 3) /**< VLAN filters or stripping */
#define RTE_EMUDEV_NET_CFG_RSS     (1u << 4) /**< RSS key, table or types */
#define RTE_EMUDEV_NET_CFG_QUEUES  (1u << 5) /**< number of queue pairs */
/** Every part of the configuration. */
#define RTE_EMUDEV_NET_CFG_ALL     ((1u << 6) - 1)

/** Attribute "net.config" (read): struct rte_emudev_net_config. */
#define RTE_EMUDEV_NET_ATTR_CONFIG "net.config"
/** Attribute "net.link_speed" (read, write): uint32_t, Mbps. */
#define RTE_EMUDEV_NET_ATTR_LINK_SPEED "net.link_speed"

/** Most MAC filters a guest may add. */
#define RTE_EMUDEV_NET_MAX_MACS 16
/** Bytes of the RSS (Toeplitz) key. */
#define RTE_EMUDEV_NET_RSS_KEY_LEN 52
/** Entries of the RSS redirection table. */
#define RTE_EMUDEV_NET_RSS_LUT_LEN 64

/** What the guest configured. */
struct rte_emudev_net_config {
	struct rte_ether_addr mac;       /**< primary MAC */
	uint16_t nb_macs;                /**< filters in macs[] */
	struct rte_ether_addr macs[RTE_EMUDEV_NET_MAX_MACS]; /**< filters */
	uint8_t promisc;                 /**< unicast promiscuous */
	uint8_t allmulti;                /**< multicast promiscuous */
	uint8_t vlan_strip;              /**< strip VLAN tags on receive */
	uint16_t nb_queue_pairs;         /**< granted queue pairs */
	uint32_t max_frame_len;          /**< largest frame, bytes */
	uint64_t rss_hena;               /**< AVF packet classifier types */
	uint8_t rss_key[RTE_EMUDEV_NET_RSS_KEY_LEN]; /**< Toeplitz key */
	uint8_t rss_lut[RTE_EMUDEV_NET_RSS_LUT_LEN]; /**< queue of a hash */
	uint64_t vlan_filter[4096 / 64]; /**< VLAN ids the guest added */
};

/** Counters the consumer reports, from the guest's point of view. */
struct rte_emudev_net_stats {
	uint64_t rx_bytes;            /**< bytes the guest received */
	uint64_t rx_unicast;          /**< unicast frames it received */
	uint64_t rx_multicast;        /**< multicast frames it received */
	uint64_t rx_broadcast;        /**< broadcast frames it received */
	uint64_t rx_discards;         /**< frames for it that were dropped */
	uint64_t rx_unknown_protocol; /**< always 0 */
	uint64_t tx_bytes;            /**< bytes the guest sent */
	uint64_t tx_unicast;          /**< unicast frames it sent */
	uint64_t tx_multicast;        /**< multicast frames it sent */
	uint64_t tx_broadcast;        /**< broadcast frames it sent */
	uint64_t tx_discards;         /**< its frames that were dropped */
	uint64_t tx_errors;           /**< its frames that were malformed */
};

#ifdef __cplusplus
}
#endif

#endif /* RTE_EMUDEV_NET_H */
