/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef AVF_REGS_H
#define AVF_REGS_H

/*
 * The AVF VF's PCI identity, its BAR0 registers and the admin queue
 * descriptor: what the emulated device (emu_iavf) implements and the
 * client VF driver (net_iavf_client) drives. Not installed.
 */

#include <stdint.h>

#include <rte_common.h>

#include "emunic_compat.h"

/* PCI identity and geometry (see doc/guides/emudevs/iavf.rst). */
#define IAVF_VENDOR_ID 0x8086
#define IAVF_DEVICE_ID 0x1889
#define IAVF_CLASS 0x020000
#define IAVF_REVISION 0x02
#define IAVF_BAR0_SIZE (128 * 1024)
#define IAVF_BAR3_SIZE (16 * 1024)
#define IAVF_MSIX_PBA_OFFSET 0x2000
#define IAVF_MAX_QP 16
#define IAVF_VSI_ID 1
#define IAVF_PAGE_SIZE 4096

/* BAR0 registers. */
#define IAVF_QTX_TAIL1(q)                      (0x0000 + 4 * (q))
#define IAVF_QRX_TAIL1(q)                      (0x2000 + 4 * (q))
#define IAVF_TAIL_MASK                         0x1fff
#define IAVF_TX_TAIL_PAGE                      0x0000
#define IAVF_RX_TAIL_PAGE                      0x2000
#define IAVF_DYN_CTLN_PAGE                     0x3000
/* Of vector n + 1, as upstream numbers them. */
#define IAVF_VFINT_ITRN1(i, n)                 (0x2800 + 64 * (i) + 4 * (n))
#define IAVF_VFINT_DYN_CTLN1(n)                (0x3800 + 4 * (n))
#define IAVF_VFINT_ICR01                       0x4800
#define IAVF_VFINT_ITR01(i)                    (0x4c00 + 4 * (i))
#define IAVF_VFINT_ICR0_ENA1                   0x5000
#define IAVF_VFINT_DYN_CTL01                   0x5c00
#define IAVF_VF_ARQBAH1                        0x6000
#define IAVF_VF_ATQH1                          0x6400
#define IAVF_VF_ATQLEN1                        0x6800
#define IAVF_VF_ARQBAL1                        0x6c00
#define IAVF_VF_ARQT1                          0x7000
#define IAVF_VF_ARQH1                          0x7400
#define IAVF_VF_ATQBAH1                        0x7800
#define IAVF_VF_ATQBAL1                        0x7c00
#define IAVF_VF_ARQLEN1                        0x8000
#define IAVF_VF_ATQT1                          0x8400
#define IAVF_VFGEN_RSTAT                       0x8800
#define IAVF_VFQF_HENA(i)                      (0xc400 + 4 * (i))
#define IAVF_VFQF_HKEY(i)                      (0xcc00 + 4 * (i))
#define IAVF_VFQF_HLUT(i)                      (0xd000 + 4 * (i))

#define IAVF_VFINT_DYN_CTLN1_INTENA_MASK       (1u << 0)
#define IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK     (1u << 1)
#define IAVF_VFINT_DYN_CTLN1_SWINT_TRIG_MASK   (1u << 2)
/* ITR index 3 updates no ITR. */
#define IAVF_DYN_ITR_INDX(v)                   (((v) >> 3) & 3)
#define IAVF_DYN_INTERVAL(v)                   (((v) >> 5) & IAVF_ITR_MASK)
#define IAVF_ITR_NONE                          3
/* In 2 us units. */
#define IAVF_ITR_MASK                          0xfffu
#define IAVF_ITR_UNIT_US                       2
#define IAVF_VFINT_ICR01_ADMINQ_MASK           (1u << 30)
#define IAVF_VFINT_ICR01_LINK_STAT_CHANGE_MASK (1u << 25)

#define IAVF_AQ_LEN_MASK                       0x3ff
#define IAVF_AQ_LEN_VFE                        (1u << 28)
#define IAVF_AQ_LEN_OVFL                       (1u << 29)
#define IAVF_AQ_LEN_CRIT                       (1u << 30)
#define IAVF_AQ_LEN_ENABLE                     (1u << 31)
#define IAVF_AQ_PTR_MASK                       0x3ff

#define IAVF_RSTAT_INPROGRESS 0
#define IAVF_RSTAT_COMPLETED  1
#define IAVF_RSTAT_VFACTIVE   2

/* Admin queue descriptor. */
struct __rte_packed_begin iavf_aq_desc {
	uint16_t flags;
	uint16_t opcode;
	uint16_t datalen;
	uint16_t retval;
	uint32_t cookie_high;
	uint32_t cookie_low;
	uint32_t param0;
	uint32_t param1;
	uint32_t addr_high;
	uint32_t addr_low;
} __rte_packed_end;

#define IAVF_AQ_FLAG_DD  0x0001
#define IAVF_AQ_FLAG_CMP 0x0002
#define IAVF_AQ_FLAG_BUF 0x1000
#define IAVF_AQ_OP_QUEUE_SHUTDOWN 0x0003
#define IAVF_AQ_OP_MSG_TO_PF 0x0801
#define IAVF_AQ_OP_MSG_TO_VF 0x0802
#define IAVF_AQ_RC_ENOSYS 17
#define IAVF_AQ_BUF_MAX 4096

#endif /* AVF_REGS_H */
