# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034 # variables shared with the script that sources this one
#
# The checks of iavfbe_qemu.sh for a DPDK guest; sourced by it. The guest's
# testpmd counts come from GET_STATS through DPDK's iavf arithmetic.

expect "GUEST: dpdk vfio-pci .* driver=vfio-pci" "the guest binds the device to vfio-pci" "$console"
expect "HOST: ping 100 packets transmitted, 100 received" "100 pings answered by the guest's testpmd (icmpecho)" "$hostlog"
g_tx=$(sed -n 's/^GUEST: txonly RX=[0-9]* TX=\([0-9]*\)$/\1/p' "$console")
g_rx=$(sed -n 's/^GUEST: rxonly RX=\([0-9]*\) TX=.*/\1/p' "$console")
echo "txonly: the guest sent ${g_tx:-?}, the port received ${host_txonly:-?}"
echo "rxonly: the namespace sent ${ns_sent:-?}, the port delivered ${host_rxonly:-?}, the guest received ${g_rx:-?}"
if [ -n "${g_tx:-}" ] && [ "${g_tx:-0}" -gt 0 ] && [ "$g_tx" = "${host_txonly:-x}" ]; then
	echo "ok: what the guest sent is what the port received"
else
	echo "FAILED: what the guest sent is what the port received"; fail=1
fi
if [ -n "${g_rx:-}" ] && [ "${g_rx:-0}" -gt 0 ] && [ "$g_rx" = "${host_rxonly:-x}" ]; then
	echo "ok: what the port delivered is what the guest received"
else
	echo "FAILED: what the port delivered is what the guest received"; fail=1
fi
if [ -n "${ns_sent:-}" ] && [ "${host_rxonly:-0}" -ge $((ns_sent * 99 / 100)) ]; then
	echo "ok: the namespace's frames reached the guest"
else
	echo "FAILED: the namespace's frames reached the guest"; fail=1
fi
