# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034 # variables shared with the script that sources this one
#
# The checks of iavfbe_qemu.sh for a Linux guest; sourced by it.

# last_xstats: the lines of testpmd's last xstats dump (the script reads
# the counters during the run too).
last_xstats() {
	awk '/NIC extended statistics for port/ { n = 0 } { l[n++] = $0 }
		END { for (i = 0; i < n; i++) print l[i] }' "$pmdlog"
}

# xstat_sum REGEX: the sum of the last xstats dump's counters matching it.
xstat_sum() {
	last_xstats | awk -v p="^($1): " '$0 ~ p { s += $2 } END { print s + 0 }'
}

sent_md5=$(sed -n 's/^GUEST: data md5 \([0-9a-f]*\) bytes \([0-9]*\).*/\1 \2/p' "$console")
read -r sent_sum sent_bytes <<<"$sent_md5" || true
expect "^sink: bytes=${sent_bytes:-x} md5=${sent_sum:-x}" "$(( ${sent_bytes:-0} >> 20 )) MiB over TCP arrive intact (md5 at the far end)" "$sinklog"
expect "GUEST: tcp sent ${sent_bytes:-x} bytes .* receiver: bytes=${sent_bytes:-x} md5=${sent_sum:-x}" "the sender saw the same count and md5" "$console"
if [ "${RESET_LOOP:-0}" = 1 ]; then
	resets=$(sed -n 's/^GUEST: resets during the transfer=//p' "$console")
	echo "VF resets during the transfer: ${resets:-?}; the device counted $(xstat_sum guest_resets)"
	if [ "${resets:-0}" -ge 3 ]; then
		echo "ok: at least 3 VF resets during the transfer"
	else
		echo "FAILED: at least 3 VF resets during the transfer"; fail=1
	fi
	expect "GUEST: ping after-resets size=56 20 packets transmitted, 20 packets received" "traffic after the resets" "$console"
else
	expect "GUEST: ping basic size=56 100 packets transmitted, 100 packets received, 0% packet loss" "100 pings, no loss" "$console"
	expect "GUEST: ping jumbo size=8900 20 packets transmitted, 20 packets received, 0% packet loss" "MTU 9000 pings over chained guest buffers" "$console"
	expect "GUEST: relink link up" "link down/up" "$console"
	expect "GUEST: ping relink size=56 10 packets transmitted, 10 packets received" "traffic after link down/up" "$console"
	expect "GUEST: reload link up" "driver reload" "$console"
	expect "GUEST: ping reload size=56 10 packets transmitted, 10 packets received" "traffic after the driver reload" "$console"
	# Each vCPU's flow leaves on its own queue (XPS): every queue the guest
	# enabled carries traffic, whatever testpmd's queue count.
	guest_queues=$(sed -n 's/^GUEST: probe link up .* queues=\([0-9]*\).*/\1/p' "$console")
	n_txq=$(last_xstats | grep -cE 'guest_txq[0-9]+_packets: [1-9]' || true)
	n_rxq=$(last_xstats | grep -cE 'guest_rxq[0-9]+_packets: [1-9]' || true)
	echo "guest queue pairs enabled: ${guest_queues:-?}; Tx queues that carried traffic: $n_txq; Rx queues that received: $n_rxq"
	if [ -n "$guest_queues" ] && [ "$n_txq" -eq "$guest_queues" ]; then
		echo "ok: every guest Tx queue served"
	else
		echo "FAILED: every guest Tx queue served"; fail=1
	fi
fi
expect "GUEST: iavf error lines=0" "no iavf error in the guest's kernel log" "$console"
expect "GUEST: watchdog lines=0" "no Tx queue timed out in the guest" "$console"

# The driver's counters come from GET_STATS: its rx_packets include what
# the device discarded for want of buffers, its tx_packets are what left.
read -r g_rx g_drop g_tx < <(sed -n 's/^GUEST: stats rx_packets=\([0-9]*\) rx_dropped=\([0-9]*\) tx_packets=\([0-9]*\)/\1 \2 \3/p' "$console")
h_rx=$(xstat_sum 'tx_q[0-9]+_packets')
h_drop=$(xstat_sum 'tx_q[0-9]+_guest_(no_buffer|too_long)_drops')
h_tx=$(xstat_sum 'rx_q[0-9]+_packets')
echo "guest driver counted rx_packets=${g_rx:-?} rx_dropped=${g_drop:-?} tx_packets=${g_tx:-?}; the port delivered $h_rx, discarded $h_drop, received $h_tx"
if [ -n "${g_rx:-}" ] && [ $((g_rx - h_rx - h_drop)) -le 2 ] && [ $((h_rx + h_drop - g_rx)) -le 2 ] &&
   [ "$g_drop" -eq "$h_drop" ] && [ $((g_tx - h_tx)) -le 2 ] && [ $((h_tx - g_tx)) -le 2 ]; then
	echo "ok: the guest's counters (Linux arithmetic) match the port's"
else
	echo "FAILED: the guest's counters (Linux arithmetic) match the port's"; fail=1
fi
if [ "${GUEST_IOMMU:-none}" != none ]; then
	echo "DMA map churn during the TCP transfer: $churn"
fi
# Each is a round trip to the VMM (an exit with KVM): the cost issue 12's
# shadow registers are to remove.
echo "BAR0 accesses trapped during the TCP transfer: $traps"
