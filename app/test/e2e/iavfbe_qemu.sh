#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# End to end: testpmd serves emu_iavf and forwards between net_iavfbe and
# net_af_packet on a veth pair whose far end lives in a network namespace
# this script creates (10.99.0.1). QEMU boots a guest (10.99.0.2) whose own
# driver runs the device:
#
# - GUEST_DRIVER=linux (default): Linux's in-tree iavf. The guest pings,
#   sends 64 MiB over TCP (checked at the far end), sends jumbo frames and
#   one flow per vCPU, takes its link down and up and reloads its driver;
#   with RESET_LOOP=1 it instead forces a VF reset every second during the
#   TCP transfer.
# - GUEST_DRIVER=dpdk: Debian's DPDK 24.11 testpmd with net_iavf over
#   vfio-pci (needs GUEST_IOMMU): the namespace pings it in icmpecho mode,
#   then it sends (txonly) and receives (rxonly) bursts, and the counts
#   both sides saw are compared.
#
# Then QEMU is killed: testpmd must keep running with the port's link
# down. Every run asserts that no guest_*_errors counter moved.
#
#   iavfbe_qemu.sh BUILD_DIR [ARTIFACT_DIR]
#
# Environment:
#   GUEST_DRIVER   linux or dpdk
#   GUEST_SMP      vCPUs (default 4)
#   GUEST_IOMMU    none, strict or pt (see devtools/run-guest.sh)
#   HOST_QUEUES    testpmd's --rxq/--txq; unset: testpmd's own default
#   EMU_QUEUES     emu_iavf's queues=; unset: emu_iavf's default
#   EMU_SHADOW_IRQ emu_iavf's shadow_irq=; unset: emu_iavf's default
#   RESET_LOOP     1: VF resets during the TCP transfer (Linux guest)
#   E2E_NAME       label of the artifacts (default iavfbe)
#   GUEST_TIMEOUT  seconds (default 400)

set -euo pipefail

# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
name=${E2E_NAME:-iavfbe}
driver=${GUEST_DRIVER:-linux}
console="$art/$name-console.log"

# What the guest needs besides busybox.
moddir=$(mktemp -d)
case "$driver" in
linux)
	guest_modules "$moddir" libeth libie iavf
	guest_files=("${mods[@]}")
	init=init-net.sh mem=512M ;;
dpdk)
	[ "${GUEST_IOMMU:-none}" != none ] ||
		{ echo "a DPDK guest needs GUEST_IOMMU (vfio has no no-IOMMU mode)"; exit 2; }
	guest_modules "$moddir" irqbypass vfio vfio_iommu_type1 vfio-pci-core vfio-pci
	guest_dpdk_files
	guest_files=("${mods[@]}" "${dpdk_files[@]}")
	init=init-dpdk.sh mem=1G ;;
*) echo "GUEST_DRIVER is linux or dpdk"; exit 2 ;;
esac
[ "${RESET_LOOP:-0}" = 1 ] && guest_files+=("etc/emunic-reset-loop=/dev/null")

host_cleanup_extra=$moddir
# shellcheck source=iavfbe_host.sh
. "$(dirname "$0")/iavfbe_host.sh"

start=$(date +%s.%N)
GUEST_SMP=${GUEST_SMP:-4} GUEST_TIMEOUT=${GUEST_TIMEOUT:-400} GUEST_MEM=$mem \
	GUEST_PIDFILE=$pidfile \
	"$top/devtools/run-guest.sh" "$sock" "$top/devtools/guest/$init" \
	"${guest_files[@]}" < "$fifo_dir/console" > "$console" 2>&1 &
qemu=$!
pids+=("$qemu")
exec 4>"$fifo_dir/console"

# wait_guest PATTERN: until the guest prints it (false if it died or
# finished first).
wait_guest() {
	for _ in $(seq 6000); do
		grep -q "$1" "$console" 2>/dev/null && return 0
		kill -0 $qemu 2>/dev/null || return 1
		grep -q 'GUEST: done' "$console" 2>/dev/null && return 1
		sleep 0.1
	done
	return 1
}

# Maps and unmaps per second over the TCP transfer (as the guest timed it),
# and the BAR0 accesses it trapped per 1000 frames through the port (TSO
# segmented) either way.
linux_guest() {
	local before after e0 e1 p0 p1
	wait_guest 'GUEST: data md5' || return 0
	before=$(dma_stats) e0=$(emu_stats)
	p0=$(host_xstat '[rt]x_q[0-9]+_packets')
	wait_guest 'GUEST: tcp ' || return 0
	after=$(dma_stats) e1=$(emu_stats)
	p1=$(host_xstat '[rt]x_q[0-9]+_packets')
	traps=$(python3 -c '
import json, sys
a = json.loads(sys.argv[1]).get("bar0_trapped", {})
b = json.loads(sys.argv[2]).get("bar0_trapped", {})
pkts = int(sys.argv[4]) - int(sys.argv[3])
d = {k: b.get(k, 0) - a.get(k, 0) for k in b}
total = sum(d.values())
print("%d for %d frames: %.1f per 1000 frames (%s)" % (total, pkts,
      1000.0 * total / pkts if pkts else 0,
      ", ".join("%s %d" % (k, v) for k, v in sorted(d.items()) if v)))
' "$e0" "$e1" "$p0" "$p1")
	churn=$(python3 -c '
import json, re, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
m = re.search(r"in ([0-9.]+) s", sys.argv[3])
t = float(m.group(1)) if m else 0
maps = b.get("dma_map_cmds", 0) - a.get("dma_map_cmds", 0)
unmaps = b.get("dma_unmap_cmds", 0) - a.get("dma_unmap_cmds", 0)
print("%d maps, %d unmaps in %.2f s: %.0f maps/s, %.0f unmaps/s; most maps at once %s"
      % (maps, unmaps, t, maps / t if t else 0, unmaps / t if t else 0,
         b.get("dma_maps_max", "?")))
' "$before" "$after" "$(grep '^GUEST: tcp ' "$console" | head -n 1)")
	wait_guest 'GUEST: done' || true
}

dpdk_guest() {
	local before sent
	wait_guest 'GUEST: icmpecho ready' || return 0
	ip netns exec "$ns" ping -c 100 -i 0.05 -W 2 10.99.0.2 > "$art/$name-ping.log" 2>&1 || true
	echo "HOST: ping $(grep -E 'transmitted' "$art/$name-ping.log")" >> "$hostlog"
	echo "clear port xstats 0" >&3
	echo next >&4
	wait_guest 'GUEST: txonly done' || return 0
	# shellcheck disable=SC2034 # checked by iavfbe_dpdk_checks.sh
	host_txonly=$(settled_xstat 'guest_txq[0-9]+_packets')
	echo "clear port xstats 0" >&3
	wait_guest 'GUEST: rxonly ready' || return 0
	ip -n "$ns" neigh replace 10.99.0.2 lladdr "$mac" dev "$veth_n"
	sent=2000
	ip netns exec "$ns" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[1])):
    s.sendto(b"x" * 64, ("10.99.0.2", 9000 + i % 64))
    if i % 50 == 49:
        time.sleep(0.02)
' "$sent"
	# shellcheck disable=SC2034 # checked by iavfbe_dpdk_checks.sh
	ns_sent=$sent
	# shellcheck disable=SC2034
	host_rxonly=$(settled_xstat 'guest_rxq[0-9]+_packets')
	echo next >&4
	wait_guest 'GUEST: done' || true
}

churn="not measured" traps="not measured"
case "$driver" in
linux) linux_guest ;;
dpdk) dpdk_guest ;;
esac
end=$(date +%s.%N)
echo "show port stats all" >&3
testpmd_sync "show port xstats 0" || true
# The guest vanishes: testpmd must stay up with the port's link down.
gone=$(($(grep -c 'client disconnected' "$pmdlog" || true) + 1))
kill_guest "$pidfile"
wait "$qemu" 2>/dev/null || true
sed -i 's/\r$//' "$console" # the serial console's line ends
wait_disconnects "$gone" || echo "the device did not see the VMM go"
testpmd_sync "show port info 0" || true
alive=0
kill -0 $testpmd_pid && alive=1
echo "stop" >&3
echo "quit" >&3
exec 3>&-
wait $testpmd_pid || true

grep '^GUEST:' "$console" || true
cat "$hostlog"
grep '^sink:' "$sinklog" || true
grep -E 'RX-packets|TX-packets|RX-errors|rx_q[0-9]_packets|tx_q[0-9]_packets|guest_.*: [1-9]|Link status' "$pmdlog" || true
grep -E 'client disconnected' "$pmdlog" | sed 's/.*: client/vfio-user: client/' || true
awk -v s="$start" -v e="$end" 'BEGIN { printf "guest run: %.1f s\n", e - s }'

expect "GUEST: .*link up" "the guest's link comes up" "$console"
# shellcheck source=iavfbe_linux_checks.sh source=iavfbe_dpdk_checks.sh
case "$driver" in
linux) . "$top/app/test/e2e/iavfbe_linux_checks.sh" ;;
dpdk) . "$top/app/test/e2e/iavfbe_dpdk_checks.sh" ;;
esac
host_final_checks "the guest"
expect "Link status: down" "the port's link is down without a guest" "$pmdlog"
exit $fail
