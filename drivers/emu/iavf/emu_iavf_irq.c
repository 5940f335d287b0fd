/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * The interrupt model of the MSI-X vectors: a raise sets the vector
 * pending; a pending vector fires when the guest has it enabled (INTENA)
 * and its throttling interval (ITR) has passed, and firing masks it until
 * the guest enables it again. Raises come from the data path as well as
 * from the control thread, hence atomics rather than the device lock.
 *
 * A queue vector's DYN_CTLN register is a word of BAR0's memory, in a
 * page the client may mmap (its "shadow"): Linux's iavf re-enables the
 * vector after every NAPI poll, and a trapped write would be a socket
 * round trip each time. The word is then the vector's enable state: the
 * guest sets INTENA (and SWINT_TRIG, and an ITR) by a plain store, which
 * the device sees only when it looks, and the device auto-masks by
 * clearing INTENA with a compare-and-swap, so that a guest store between
 * its load and its swap is never overwritten, only looked at again.
 * Since nothing tells the device of a store, it looks:
 * - whenever it raises the vector;
 * - while a raise waits for INTENA (a frame written after the guest's
 *   poll looked for the last time, the guest's re-enable still to come):
 *   at every burst of a consumer that calls rte_emudev_irq_poll(), as
 *   net_iavfbe does, and on a timer until it fires (every
 *   EMU_IAVF_SHADOW_POLL_US at first, backing off while the guest keeps
 *   the vector masked);
 * - for SWINT_TRIG, which Linux writes to be interrupted at once (its
 *   poll ran on a CPU the vector is not meant for, or a queue looks
 *   hung): at every burst of such a consumer, and every
 *   EMU_IAVF_SHADOW_SCAN_MS from the first raise after a reset on.
 * Trapped writes store the word the same way and are looked at at once;
 * only they can drop what is pending (CLEARPBA without INTENA), as only
 * they are known to come after the raise they drop. A store in the
 * shadow never drops one: at worst the guest polls once for nothing.
 * Vector 0 (the mailbox, DYN_CTL01) is always trapped.
 */

#include <rte_alarm.h>
#include <rte_cycles.h>

#include "emu_iavf_internal.h"

#define CTL_TRIGGERS (IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK | \
		      IAVF_VFINT_DYN_CTLN1_SWINT_TRIG_MASK)

static void vector_try_fire(struct emu_iavf *dev, uint16_t n);

/* The DYN_CTLN word of queue vector n (n >= 1). */
static uint32_t *
queue_ctl(struct emu_iavf *dev, uint16_t n)
{
	return (uint32_t *)(dev->bar0 + IAVF_VFINT_DYN_CTLN1(n - 1));
}

static void
itr_alarm(void *arg)
{
	struct emu_iavf_vector *v = arg;

	atomic_store(&v->alarm_armed, 0);
	vector_try_fire(v->dev, v->n);
}

/*
 * Interrupt throttling of a queue vector, in microseconds: the shorter of
 * its Rx and Tx ITRs, so that no cause waits longer than the guest asked.
 * The ITRN registers are in the Rx tail page, which the guest may write
 * directly; vector 0 (the mailbox) is not throttled.
 */
static uint32_t
itr_us(const struct emu_iavf *dev, uint16_t n)
{
	const volatile uint32_t *rx, *tx;

	if (n == 0)
		return 0;
	rx = (const volatile uint32_t *)(dev->bar0 + IAVF_VFINT_ITRN1(0, n - 1));
	tx = (const volatile uint32_t *)(dev->bar0 + IAVF_VFINT_ITRN1(1, n - 1));
	return RTE_MIN(*rx & IAVF_ITR_MASK, *tx & IAVF_ITR_MASK) *
		IAVF_ITR_UNIT_US;
}

/* A DYN_CTLN value may set an ITR interval, as it does on hardware. */
static void
itr_update(struct emu_iavf *dev, uint16_t n, uint32_t val)
{
	uint32_t idx = IAVF_DYN_ITR_INDX(val);

	if (n == 0 || idx == IAVF_ITR_NONE)
		return;
	*(volatile uint32_t *)(dev->bar0 + IAVF_VFINT_ITRN1(idx, n - 1)) =
		IAVF_DYN_INTERVAL(val);
}

/*
 * True when the vector fired less than its ITR interval ago; the fire is
 * then scheduled for the end of the interval (or done now if no timer can
 * be had: late is better than never).
 */
static bool
throttled(struct emu_iavf *dev, struct emu_iavf_vector *v, uint16_t n)
{
	uint64_t hz = rte_get_timer_hz(), now, next;
	uint32_t us = itr_us(dev, n);

	if (us == 0)
		return false;
	now = rte_get_timer_cycles();
	next = atomic_load(&v->last_fire) + us * hz / 1000000;
	if (now >= next)
		return false;
	if (atomic_exchange(&v->alarm_armed, 1) == 0 &&
	    rte_eal_alarm_set(RTE_MAX((next - now) * 1000000 / hz, 1ull),
			itr_alarm, v) < 0) {
		atomic_store(&v->alarm_armed, 0);
		return false;
	}
	return true;
}

static void
fire(struct emu_iavf *dev, struct emu_iavf_vector *v, uint16_t n)
{
	/* The next wait for the guest is polled briskly again. */
	if (n != 0)
		atomic_store(&dev->shadow_poll_us, EMU_IAVF_SHADOW_POLL_US);
	/* Cleared before the signal, so that a later raise is not lost. */
	atomic_store(&v->pending, 0);
	atomic_store(&v->last_fire, rte_get_timer_cycles());
	/* A vector the client has not bound, or masked, is held for it. */
	rte_vfio_user_irq_trigger(dev->vu_id, RTE_VFIO_USER_PCI_MSIX, n);
}

static void shadow_poll(void *arg);

/* Look at the shadows again soon: a raise waits for INTENA. */
static void
shadow_poll_arm(struct emu_iavf *dev)
{
	if (atomic_load(&dev->shadow_stop) == 0 &&
	    atomic_exchange(&dev->shadow_poll_armed, 1) == 0 &&
	    rte_eal_alarm_set(RTE_MAX(atomic_load(&dev->shadow_poll_us),
				      EMU_IAVF_SHADOW_POLL_US), shadow_poll,
			dev) < 0)
		atomic_store(&dev->shadow_poll_armed, 0); /* the next raise */
}

/* A raise waits for the guest: mark the vector, look again soon. */
static void
wait_for_guest(struct emu_iavf *dev, uint16_t n)
{
	atomic_fetch_or(&dev->irq_waiting, RTE_BIT32(n));
	shadow_poll_arm(dev);
}

/* The vectors whose raise waits for INTENA, as a raise looks at them. */
static void
poll_waiting(struct emu_iavf *dev)
{
	uint32_t w = atomic_exchange(&dev->irq_waiting, 0);

	/* A vector still masked is marked again by its look. */
	while (w != 0) {
		uint16_t n = __builtin_ctz(w);

		w &= w - 1;
		vector_try_fire(dev, n);
	}
}

/*
 * A guest that keeps a vector masked (a busy NAPI poll, or no interrupt
 * wanted) is looked at less and less often, up to every
 * EMU_IAVF_SHADOW_POLL_MAX_US; a fire starts again from
 * EMU_IAVF_SHADOW_POLL_US.
 */
static void
shadow_poll(void *arg)
{
	struct emu_iavf *dev = arg;
	unsigned int us = atomic_load(&dev->shadow_poll_us);

	atomic_store(&dev->shadow_poll_us,
		     RTE_MIN(2 * us, EMU_IAVF_SHADOW_POLL_MAX_US));
	atomic_store(&dev->shadow_poll_armed, 0);
	atomic_fetch_add(&dev->shadow_polls, 1);
	poll_waiting(dev);
}

/*
 * The data path's look: the vectors that wait, and SWINT_TRIG in any
 * shadow (Linux writes it to be interrupted at once, when its poll ran on
 * a CPU the vector is not meant for). The words share one cache line.
 */
void
emu_iavf_irq_poll(struct emu_iavf *dev)
{
	uint16_t n;

	if (atomic_load_explicit(&dev->irq_waiting, memory_order_relaxed) != 0)
		poll_waiting(dev);
	if (!dev->shadow_irq)
		return;
	for (n = 1; n < dev->num_vectors; n++)
		if (__atomic_load_n(queue_ctl(dev, n), __ATOMIC_RELAXED) &
		    IAVF_VFINT_DYN_CTLN1_SWINT_TRIG_MASK)
			vector_try_fire(dev, n);
}

static void shadow_scan(void *arg);

static void
shadow_scan_arm(struct emu_iavf *dev)
{
	if (atomic_load(&dev->shadow_stop) == 0 &&
	    atomic_exchange(&dev->shadow_scan_armed, 1) == 0 &&
	    rte_eal_alarm_set(EMU_IAVF_SHADOW_SCAN_MS * 1000, shadow_scan,
			dev) < 0)
		atomic_store(&dev->shadow_scan_armed, 0);
}

/*
 * SWINT_TRIG, looked for from the first raise after a reset until the
 * next reset: Linux writes it when a queue made no progress for a while,
 * when there may have been no raise for long.
 */
static void
shadow_scan(void *arg)
{
	struct emu_iavf *dev = arg;
	uint16_t n;

	atomic_store(&dev->shadow_scan_armed, 0);
	for (n = 1; n < dev->num_vectors; n++)
		vector_try_fire(dev, n);
	shadow_scan_arm(dev);
}

/*
 * A queue vector, from its DYN_CTLN word: SWINT_TRIG makes it pending;
 * pending and INTENA fire it, clearing INTENA and the trigger bits in one
 * swap, which fails (and is tried again) if the guest stored meanwhile.
 */
static void
queue_vector_try_fire(struct emu_iavf *dev, uint16_t n)
{
	struct emu_iavf_vector *v = &dev->vec[n];
	uint32_t *ctl = queue_ctl(dev, n);
	uint32_t val = __atomic_load_n(ctl, __ATOMIC_ACQUIRE);
	unsigned int tries;

	/*
	 * A guest that stores without pause could fail every swap: after a
	 * few, the vector waits for the next look, so that the data path
	 * never spins on a guest's word.
	 */
	for (tries = 0;; tries++) {
		if (tries == EMU_IAVF_SHADOW_SWAPS) {
			wait_for_guest(dev, n);
			return;
		}
		if (val & IAVF_VFINT_DYN_CTLN1_SWINT_TRIG_MASK)
			atomic_store(&v->pending, 1);
		if (atomic_load(&v->pending) == 0)
			return;
		if (!(val & IAVF_VFINT_DYN_CTLN1_INTENA_MASK)) {
			wait_for_guest(dev, n);
			return;
		}
		itr_update(dev, n, val);
		if (throttled(dev, v, n))
			return;
		if (__atomic_compare_exchange_n(ctl, &val,
				val & ~(IAVF_VFINT_DYN_CTLN1_INTENA_MASK | CTL_TRIGGERS),
				false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			break;
		/* val now holds what the guest stored: look again. */
	}
	fire(dev, v, n);
}

/* Fire a vector if something is pending and the guest has it enabled. */
static void
vector_try_fire(struct emu_iavf *dev, uint16_t n)
{
	struct emu_iavf_vector *v = &dev->vec[n];

	if (n != 0) {
		queue_vector_try_fire(dev, n);
		return;
	}
	if (atomic_load(&v->pending) == 0 || atomic_load(&v->intena) == 0)
		return;
	if (!(dev->icr0_ena1 & IAVF_VFINT_ICR01_ADMINQ_MASK))
		return; /* the guest disabled the mailbox cause */
	/* Auto-mask: whoever clears INTENA delivers, once. */
	if (atomic_exchange(&v->intena, 0) == 0)
		return;
	fire(dev, v, 0);
}

int
emu_iavf_out_irq(struct emu_iavf *dev, uint16_t n)
{
	if (n >= dev->num_vectors)
		return -EINVAL;
	atomic_store(&dev->vec[n].pending, 1);
	if (n != 0 && atomic_load(&dev->shadow_scan_armed) == 0)
		shadow_scan_arm(dev);
	vector_try_fire(dev, n);
	return 0;
}

bool
emu_iavf_irq_enabled(struct emu_iavf *dev, uint16_t n)
{
	if (n == 0)
		return atomic_load(&dev->vec[0].intena) != 0;
	return (__atomic_load_n(queue_ctl(dev, n), __ATOMIC_ACQUIRE) &
		IAVF_VFINT_DYN_CTLN1_INTENA_MASK) != 0;
}

uint32_t
emu_iavf_irq_dyn_ctl_read(struct emu_iavf *dev, uint16_t n)
{
	if (n == 0)
		return dev->vec[0].dyn_ctl;
	return __atomic_load_n(queue_ctl(dev, n), __ATOMIC_ACQUIRE) &
		~CTL_TRIGGERS;
}

/* The mailbox causes the guest enabled (ICR0_ENA1). */
void
emu_iavf_irq_causes(struct emu_iavf *dev, uint32_t icr0_ena1)
{
	dev->icr0_ena1 = icr0_ena1 & (IAVF_VFINT_ICR01_ADMINQ_MASK | IAVF_VFINT_ICR01_LINK_STAT_CHANGE_MASK);
	vector_try_fire(dev, 0);
}

/* DYN_CTL01, the mailbox vector's. */
static void
mailbox_dyn_ctl(struct emu_iavf *dev, uint32_t val)
{
	struct emu_iavf_vector *v = &dev->vec[0];

	v->dyn_ctl = val & ~CTL_TRIGGERS;
	if ((val & IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK) &&
	    !(val & IAVF_VFINT_DYN_CTLN1_INTENA_MASK))
		atomic_store(&v->pending, 0);
	if (!(val & IAVF_VFINT_DYN_CTLN1_INTENA_MASK)) {
		atomic_store(&v->intena, 0);
		return;
	}
	if (val & IAVF_VFINT_DYN_CTLN1_SWINT_TRIG_MASK)
		atomic_store(&v->pending, 1);
	atomic_store(&v->intena, 1);
	vector_try_fire(dev, 0);
}

/*
 * A trapped DYN_CTL write. CLEARPBA drops what fired while the vector was
 * off; but written with INTENA, as Linux's iavf does at the end of every
 * NAPI poll, it keeps a cause raised while masked: that may be a frame
 * written after the poll's last look. Delivering it costs one poll that
 * may find nothing; dropping it would leave the frame until the next
 * interrupt (the last frame of a burst, for ever).
 */
void
emu_iavf_irq_dyn_ctl(struct emu_iavf *dev, uint16_t n, uint32_t val)
{
	if (n == 0) {
		mailbox_dyn_ctl(dev, val);
		return;
	}
	if ((val & IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK) &&
	    !(val & IAVF_VFINT_DYN_CTLN1_INTENA_MASK))
		atomic_store(&dev->vec[n].pending, 0);
	/* The trigger is the write's: kept as pending, not in the word. */
	if (val & IAVF_VFINT_DYN_CTLN1_SWINT_TRIG_MASK)
		atomic_store(&dev->vec[n].pending, 1);
	__atomic_store_n(queue_ctl(dev, n), val & ~CTL_TRIGGERS,
			 __ATOMIC_RELEASE);
	if (!(val & IAVF_VFINT_DYN_CTLN1_INTENA_MASK))
		return;
	itr_update(dev, n, val);
	vector_try_fire(dev, n);
}

/* The timers that look at the shadows, stopped (a raise starts them). */
static void
shadow_timers_cancel(struct emu_iavf *dev)
{
	atomic_store(&dev->shadow_stop, 1);
	rte_eal_alarm_cancel(shadow_poll, dev);
	rte_eal_alarm_cancel(shadow_scan, dev);
	atomic_store(&dev->shadow_poll_armed, 0);
	atomic_store(&dev->shadow_scan_armed, 0);
}

void
emu_iavf_irq_reset(struct emu_iavf *dev)
{
	unsigned int n;

	shadow_timers_cancel(dev);
	atomic_store(&dev->shadow_poll_us, EMU_IAVF_SHADOW_POLL_US);
	atomic_store(&dev->shadow_stop, 0);

	dev->icr01 = 0;
	dev->icr0_ena1 = 0;
	for (n = 0; n < RTE_DIM(dev->vec); n++) {
		atomic_store(&dev->vec[n].intena, 0);
		atomic_store(&dev->vec[n].pending, 0);
		dev->vec[n].dyn_ctl = 0;
		dev->vec[n].dev = dev;
		dev->vec[n].n = n;
		if (n >= 1 && n <= IAVF_MAX_QP)
			__atomic_store_n(queue_ctl(dev, n), 0, __ATOMIC_RELEASE);
	}
}

void
emu_iavf_irq_release(struct emu_iavf *dev)
{
	unsigned int n;

	shadow_timers_cancel(dev);
	for (n = 0; n < RTE_DIM(dev->vec); n++)
		rte_eal_alarm_cancel(itr_alarm, &dev->vec[n]);
}
