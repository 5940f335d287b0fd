/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * BAR0 decode. The Tx and Rx tail pages live in shared memory (the guest
 * may mmap them and the data path polls them); every other register is
 * trapped and decoded here into the admin queue, the interrupt model and
 * the RSS configuration.
 */

#include <string.h>

#include "emu_iavf_internal.h"

static bool
in_tail_page(uint64_t off)
{
	return off < IAVF_TX_TAIL_PAGE + IAVF_PAGE_SIZE ||
	       (off >= IAVF_RX_TAIL_PAGE && off < IAVF_RX_TAIL_PAGE + IAVF_PAGE_SIZE);
}

/* Index of a register in an array of count 4-byte registers, or -1. */
static int
reg_index(uint64_t off, uint64_t base, unsigned int count)
{
	if (off < base || off >= base + 4ull * count)
		return -1;
	return (off - base) / 4;
}

/* The 4-byte register at off of a block of size bytes at base, or NULL;
 * *last set when it is the block's last. */
static uint8_t *
block_reg(uint8_t *block, size_t size, uint64_t off, uint64_t base,
		bool *last)
{
	int i = reg_index(off, base, size / 4);

	if (i < 0)
		return NULL;
	*last = (size_t)i == size / 4 - 1;
	return block + 4 * i;
}

/*
 * The RSS registers, which Linux uses when RSS_PF is not granted, are a
 * view of the same key, table and hash types as the virtchnl messages. A
 * write is told to consumers once its block is complete (Linux writes a
 * whole key, then a whole table), or shortly after a partial one.
 */
static bool
rss_reg(struct emu_iavf *dev, uint64_t off, uint32_t *val, bool is_write)
{
	struct rte_emudev_net_config *c = &dev->net;
	bool last = false;
	uint8_t *p;

	p = block_reg((uint8_t *)&c->rss_hena, sizeof(c->rss_hena), off,
			IAVF_VFQF_HENA(0), &last);
	if (p == NULL)
		p = block_reg(c->rss_key, sizeof(c->rss_key), off,
				IAVF_VFQF_HKEY(0), &last);
	if (p == NULL)
		p = block_reg(c->rss_lut, sizeof(c->rss_lut), off,
				IAVF_VFQF_HLUT(0), &last);
	if (p == NULL)
		return false;
	if (!is_write) {
		memcpy(val, p, 4);
		return true;
	}
	memcpy(p, val, 4);
	emu_iavf_config_touched(dev, RTE_EMUDEV_NET_CFG_RSS, last);
	return true;
}

static uint32_t
aq_len_value(uint32_t v)
{
	/* The error bits are never set by this device. */
	return v & (IAVF_AQ_LEN_MASK | IAVF_AQ_LEN_ENABLE);
}

static bool
aq_reg_read(const struct emu_iavf *dev, uint64_t off, uint32_t *val)
{
	switch (off) {
	case IAVF_VF_ATQBAL1: *val = dev->atq.bal; break;
	case IAVF_VF_ATQBAH1: *val = dev->atq.bah; break;
	case IAVF_VF_ATQLEN1: *val = dev->atq.len; break;
	case IAVF_VF_ATQH1:   *val = dev->atq.head; break;
	case IAVF_VF_ATQT1:   *val = dev->atq.tail; break;
	case IAVF_VF_ARQBAL1: *val = dev->arq.bal; break;
	case IAVF_VF_ARQBAH1: *val = dev->arq.bah; break;
	case IAVF_VF_ARQLEN1: *val = dev->arq.len; break;
	case IAVF_VF_ARQH1:   *val = dev->arq.head; break;
	case IAVF_VF_ARQT1:   *val = dev->arq.tail; break;
	default: return false;
	}
	return true;
}

static bool
aq_reg_write(struct emu_iavf *dev, uint64_t off, uint32_t val)
{
	switch (off) {
	case IAVF_VF_ATQBAL1: dev->atq.bal = val; break;
	case IAVF_VF_ATQBAH1: dev->atq.bah = val; break;
	case IAVF_VF_ATQLEN1: dev->atq.len = aq_len_value(val); break;
	case IAVF_VF_ATQH1:   dev->atq.head = val & IAVF_AQ_PTR_MASK; break;
	case IAVF_VF_ATQT1:
		dev->atq.tail = val & IAVF_AQ_PTR_MASK;
		emu_iavf_atq_doorbell(dev);
		break;
	case IAVF_VF_ARQBAL1: dev->arq.bal = val; break;
	case IAVF_VF_ARQBAH1: dev->arq.bah = val; break;
	case IAVF_VF_ARQLEN1: dev->arq.len = aq_len_value(val); break;
	case IAVF_VF_ARQH1:   dev->arq.head = val & IAVF_AQ_PTR_MASK; break;
	case IAVF_VF_ARQT1:
		dev->arq.tail = val & IAVF_AQ_PTR_MASK;
		emu_iavf_out_arq_tail(dev);
		break;
	default: return false;
	}
	return true;
}

static uint32_t
reg_read(struct emu_iavf *dev, uint64_t off)
{
	uint32_t val = 0;
	int i;

	if (aq_reg_read(dev, off, &val))
		return val;
	switch (off) {
	case IAVF_VFGEN_RSTAT:
		return dev->rstat;
	case IAVF_VFINT_ICR01:
		val = dev->icr01; /* read-to-clear */
		dev->icr01 = 0;
		return val;
	case IAVF_VFINT_ICR0_ENA1:
		return dev->icr0_ena1;
	case IAVF_VFINT_DYN_CTL01:
		return emu_iavf_irq_dyn_ctl_read(dev, 0);
	}
	if ((i = reg_index(off, IAVF_VFINT_DYN_CTLN1(0), dev->num_vectors - 1)) >= 0)
		return emu_iavf_irq_dyn_ctl_read(dev, i + 1);
	if (rss_reg(dev, off, &val, false))
		return val;
	dev->err.reg_unknown_rd++;
	return 0;
}

static void
reg_write(struct emu_iavf *dev, uint64_t off, uint32_t val)
{
	int i;

	if (aq_reg_write(dev, off, val))
		return;
	switch (off) {
	case IAVF_VFINT_ICR0_ENA1:
		emu_iavf_irq_causes(dev, val);
		return;
	case IAVF_VFINT_DYN_CTL01:
		emu_iavf_irq_dyn_ctl(dev, 0, val);
		return;
	case IAVF_VFGEN_RSTAT:
	case IAVF_VFINT_ICR01:
		return; /* read-only */
	case IAVF_VFQF_HKEY(13):
	case IAVF_VFQF_HLUT(16):
		return; /* Linux writes one past the key and the table */
	}
	if ((i = reg_index(off, IAVF_VFINT_DYN_CTLN1(0), dev->num_vectors - 1)) >= 0)
		emu_iavf_irq_dyn_ctl(dev, i + 1, val);
	else if (rss_reg(dev, off, &val, true))
		return;
	else if (reg_index(off, IAVF_VFINT_ITR01(0), 3) < 0)
		dev->err.reg_unknown_wr++; /* ITR01 is accepted and ignored */
}

/*
 * Registers take aligned 4-byte accesses; an aligned 8-byte access is two
 * of them. Anything else is counted, reads as 0 and writes are ignored: a
 * failed read would look like a surprise removal to the guest.
 */
static ssize_t
regs_rw(struct emu_iavf *dev, uint64_t offset, uint8_t *buf, size_t count,
		bool is_write)
{
	size_t i;

	if ((count != 4 && count != 8) || offset % 4) {
		dev->err.reg_bad_access++;
		if (!is_write)
			memset(buf, 0, count);
		return count;
	}
	for (i = 0; i < count; i += 4) {
		uint32_t v;

		if (is_write) {
			memcpy(&v, buf + i, 4);
			reg_write(dev, offset + i, v);
		} else {
			v = reg_read(dev, offset + i);
			memcpy(buf + i, &v, 4);
		}
	}
	return count;
}

static enum emu_iavf_reg_block
reg_block(uint64_t off)
{
	if (in_tail_page(off))
		return EMU_IAVF_REGS_TAILS;
	if (off == IAVF_VFGEN_RSTAT)
		return EMU_IAVF_REGS_RESET;
	if (off >= IAVF_VF_ARQBAH1 && off <= IAVF_VF_ATQT1)
		return EMU_IAVF_REGS_MAILBOX;
	if (off >= IAVF_VFINT_DYN_CTLN1(0) && off <= IAVF_VFINT_DYN_CTL01)
		return EMU_IAVF_REGS_INTERRUPTS;
	/* HLUT(16) is one past the table, which Linux writes too. */
	if (off >= IAVF_VFQF_HENA(0) && off <= IAVF_VFQF_HLUT(16))
		return EMU_IAVF_REGS_RSS;
	return EMU_IAVF_REGS_OTHER;
}

const char *
emu_iavf_reg_block_name(enum emu_iavf_reg_block b)
{
	static const char *const names[EMU_IAVF_REGS_BLOCKS] = {
		[EMU_IAVF_REGS_TAILS] = "tails",
		[EMU_IAVF_REGS_INTERRUPTS] = "interrupts",
		[EMU_IAVF_REGS_MAILBOX] = "mailbox",
		[EMU_IAVF_REGS_RESET] = "reset",
		[EMU_IAVF_REGS_RSS] = "rss",
		[EMU_IAVF_REGS_OTHER] = "other",
	};

	return b < EMU_IAVF_REGS_BLOCKS ? names[b] : "?";
}

ssize_t
emu_iavf_bar0_rw(struct emu_iavf *dev, uint64_t offset, void *buf,
		size_t count, bool is_write)
{
	enum emu_iavf_reg_block block = reg_block(offset);

	(is_write ? dev->trapped_writes : dev->trapped_reads)[block]++;
	if (block == EMU_IAVF_REGS_TAILS) {
		/* The library keeps [offset, offset + count) in the BAR. */
		if (is_write)
			memcpy(dev->bar0 + offset, buf, count);
		else
			memcpy(buf, dev->bar0 + offset, count);
		return count;
	}
	return regs_rw(dev, offset, buf, count, is_write);
}
