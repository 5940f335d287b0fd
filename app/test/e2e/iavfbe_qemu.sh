#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# End to end: testpmd serves emu_iavf and forwards between net_iavfbe and
# net_af_packet on a veth pair whose far end lives in a network namespace
# this script creates (10.99.0.1). QEMU boots the Linux guest (10.99.0.2)
# with its in-tree iavf driver; the guest pings, sends 64 MiB over TCP
# (checked at the far end), sends jumbo frames, one flow per vCPU, takes
# its link down and up and reloads its driver. Then QEMU is killed:
# testpmd must keep running with the port's link down.
#
#   iavfbe_qemu.sh BUILD_DIR [ARTIFACT_DIR]
#
# Environment:
#   GUEST_SMP      vCPUs (default 4)
#   GUEST_IOMMU    none, strict or pt (see devtools/run-guest.sh)
#   HOST_QUEUES    testpmd's --rxq/--txq; unset: testpmd's own default
#   EMU_QUEUES     emu_iavf's queues=; unset: emu_iavf's default
#   E2E_NAME       label of the artifacts (default iavfbe)
#   GUEST_TIMEOUT  seconds (default 400)

set -euo pipefail

. "$(dirname "$0")/common.sh"
id=$$
sock="$ROOT/run/emunic/iavfbe-$id.sock"
mac=02:00:5e:10:20:31
ns=emunic$id veth_h=emuh$id veth_n=emun$id
name=${E2E_NAME:-iavfbe}
console="$art/$name-console.log" pmdlog="$art/$name-testpmd.log"
sinklog="$art/$name-sink.log"
emu_args="path=$sock,mac=$mac${EMU_QUEUES:+,queues=$EMU_QUEUES}"
queue_args=() qpairs=1
if [ -n "${HOST_QUEUES:-}" ]; then
	queue_args=(--rxq="$HOST_QUEUES" --txq="$HOST_QUEUES")
	qpairs=$HOST_QUEUES
fi

libdir=$(readelf -d "$build/app/test/emunic-test" |
	sed -n 's/.*R.*PATH.*\[\(.*\)\]/\1/p' | tr ':' '\n' | head -n 1)
testpmd=$(cd "$libdir/../.." && pwd)/bin/dpdk-testpmd
[ -x "$testpmd" ] || { echo "no dpdk-testpmd next to $libdir"; exit 1; }

# The guest's modules.
moddir=$(mktemp -d)
guest_modules "$moddir"

pids=()
cleanup() {
	exec 3>&- 2>/dev/null || true
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	ip link del "$veth_h" 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$moddir" "$fifo_dir" "$sock"
}
fifo_dir=$(mktemp -d)
trap cleanup EXIT

# The far end: a namespace with the address, checksums done in software
# (af_packet hands frames on as they are) and no segmentation offload.
# af_packet needs blocksz a multiple of framesz (frames are contiguous).
ip netns add "$ns"
ip link add "$veth_h" mtu 9000 type veth peer name "$veth_n" mtu 9000
ip link set "$veth_n" netns "$ns"
ip link set "$veth_h" up
ip -n "$ns" link set lo up
ip -n "$ns" link set "$veth_n" up
ip -n "$ns" addr add 10.99.0.1/24 dev "$veth_n"
ip netns exec "$ns" ethtool -K "$veth_n" tx off tso off gso off gro off >/dev/null
ip netns exec "$ns" python3 "$top/app/test/e2e/tcp_sink.py" 10.99.0.1 5001 \
	> "$sinklog" 2>&1 &
pids+=($!)

# testpmd reads its commands from a fifo.
mkfifo "$fifo_dir/cmd"
LD_LIBRARY_PATH="$libdir" stdbuf -oL "$testpmd" -l 0,1 --no-huge -m 1024 --no-pci --file-prefix "emunic$id" \
	-d "$build/drivers/emu/iavf/librte_emu_iavf.so" \
	-d "$build/drivers/net/iavfbe/librte_net_iavfbe.so" \
	--vdev="emu_iavf0,$emu_args" \
	--vdev="net_iavfbe0,emu=emu_iavf0" \
	--vdev="net_af_packet0,iface=$veth_h,qpairs=$qpairs,framesz=10240,blocksz=20480,framecnt=256" \
	-- -i "${queue_args[@]}" --nb-cores=1 --forward-mode=io \
	--mbuf-size=10368 --total-num-mbufs=8192 \
	< "$fifo_dir/cmd" > "$pmdlog" 2>&1 &
testpmd_pid=$!
pids+=($testpmd_pid)
exec 3>"$fifo_dir/cmd"
echo "start" >&3
wait_socket "$sock" || { echo "testpmd did not serve $sock"; cat "$pmdlog"; exit 1; }

start=$(date +%s.%N)
GUEST_SMP=${GUEST_SMP:-4} GUEST_TIMEOUT=${GUEST_TIMEOUT:-400} \
	"$top/devtools/run-guest.sh" "$sock" "$top/devtools/guest/init-net.sh" \
	"${mods[@]}" > "$console" 2>&1 &
qemu=$!
pids+=($qemu)
for _ in $(seq 1200); do
	grep -q 'GUEST: done' "$console" 2>/dev/null && break
	kill -0 $qemu 2>/dev/null || break
	sleep 0.5
done
end=$(date +%s.%N)
echo "show port stats all" >&3
echo "show port xstats 0" >&3
sleep 2
# The guest vanishes: testpmd must stay up with the port's link down.
pkill -9 -f "qemu-system-x86_64.*iavfbe-$id.sock" || true
wait $qemu 2>/dev/null || true
sleep 2
echo "show port info 0" >&3
sleep 1
alive=0
kill -0 $testpmd_pid && alive=1
echo "stop" >&3
echo "quit" >&3
exec 3>&-
wait $testpmd_pid || true

grep '^GUEST:' "$console" || true
grep '^sink:' "$sinklog" || true
grep -E 'RX-packets|TX-packets|RX-errors|rx_q[0-9]_packets|tx_q[0-9]_packets|guest_.*: [1-9]|Link status' "$pmdlog" || true
awk -v s="$start" -v e="$end" 'BEGIN { printf "guest run: %.1f s\n", e - s }'

sent_md5=$(sed -n 's/^GUEST: data md5 \([0-9a-f]*\) bytes \([0-9]*\).*/\1 \2/p' "$console")
set -- $sent_md5
expect "GUEST: probe link up" "the guest's link comes up" "$console"
expect "GUEST: ping basic size=56 100 packets transmitted, 100 packets received, 0% packet loss" "100 pings, no loss" "$console"
expect "^sink: bytes=${2:-x} md5=${1:-x}" "64 MiB over TCP arrive intact (md5 at the far end)" "$sinklog"
expect "GUEST: tcp sent ${2:-x} bytes .* receiver: bytes=${2:-x} md5=${1:-x}" "the sender saw the same count and md5" "$console"
expect "GUEST: ping jumbo size=8900 20 packets transmitted, 20 packets received, 0% packet loss" "MTU 9000 pings over chained guest buffers" "$console"
expect "GUEST: relink link up" "link down/up" "$console"
expect "GUEST: ping relink size=56 10 packets transmitted, 10 packets received" "traffic after link down/up" "$console"
expect "GUEST: reload link up" "driver reload" "$console"
expect "GUEST: ping reload size=56 10 packets transmitted, 10 packets received" "traffic after the driver reload" "$console"
expect "GUEST: iavf error lines=0" "no iavf error in the guest's kernel log" "$console"
expect "GUEST: watchdog lines=0" "no Tx queue timed out in the guest" "$console"
# Each vCPU's flow leaves on its own queue (XPS): every queue the guest
# enabled carries traffic, whatever testpmd's queue count.
guest_queues=$(sed -n 's/^GUEST: probe link up .* queues=\([0-9]*\).*/\1/p' "$console")
n_txq=$(grep -cE 'guest_txq[0-9]+_packets: [1-9]' "$pmdlog" || true)
n_rxq=$(grep -cE 'guest_rxq[0-9]+_packets: [1-9]' "$pmdlog" || true)
echo "guest queue pairs enabled: ${guest_queues:-?}; Tx queues that carried traffic: $n_txq; Rx queues that received: $n_rxq"
[ -n "$guest_queues" ] && [ "$n_txq" -eq "$guest_queues" ] &&
	echo "ok: every guest Tx queue served" ||
	{ echo "FAILED: every guest Tx queue served"; fail=1; }
bad=$(grep -E 'guest_[a-z_]*_errors: [1-9]' "$pmdlog" || true)
[ -z "$bad" ] && echo "ok: no guest error counter moved" ||
	{ echo "FAILED: no guest error counter moved: $bad"; fail=1; }
[ $alive = 1 ] && echo "ok: testpmd survives the guest" ||
	{ echo "FAILED: testpmd survives the guest"; fail=1; }
expect "Link status: down" "the port's link is down without a guest" "$pmdlog"
exit $fail
