#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The two-process loopback benchmark: two dpdk-testpmd processes on one
# socket, net_iavf_client <-> emu_iavf + net_iavfbe side by side with
# net_virtio_user <-> net_vhost, on the same cores in the same run. Cells:
# client txonly -> server rxonly, server txonly -> client rxonly, and
# client io <-> server macswap (frames going round), at 64 and 1500 bytes.
# Each cell runs RUNS times (5 by default), the two stacks interleaved;
# a run reads the receiving end's Rx-pps once a second for SECS seconds
# (6 by default) from the first second frames flow, skips that second as
# warm-up and keeps the median. Prints one line per cell with the median and
# min..max of each stack and the ratio of the medians; figures, not a
# verdict: it fails only when a run cannot start.
#
# Usage: loopback_testpmd.sh BUILD_DIR
set -eu
build=$(cd "$1" && pwd)
runs=${RUNS:-5}
secs=${SECS:-6}
# shellcheck source=app/test/dpdk_env.sh
. "$(dirname "$0")/../dpdk_env.sh"
dpdk_testpmd_env
dir=$(mktemp -d "${TMPDIR:-/tmp}/loopback.XXXXXX")
sock=$dir/sock
pids=()
# shellcheck disable=SC2317 # run through trap
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	rm -rf "$dir"
}
trap cleanup EXIT

# start STACK SIDE MODE SIZE LOG: one testpmd of a pair, its pid in
# started. The server's worker is on CPU 1, the client's on CPU 0.
start() {
	local stack=$1 side=$2 mode=$3 size=$4 log=$5 vdev cores extra=()
	local emu="emu_iavf0,path=$sock" be="net_iavfbe0,emu=emu_iavf0" both="0,1"

	case $stack/$side in
	iavf/server)
		vdev=(-d "$build/drivers/emu/iavf/librte_emu_iavf.so"
		      -d "$build/drivers/net/iavfbe/librte_net_iavfbe.so"
		      --vdev="$emu" --vdev="$be") ;;
	iavf/client)
		vdev=(-d "$build/drivers/net/iavf_client/librte_net_iavf_client.so"
		      --vdev="net_iavf_client0,path=$sock") ;;
	vhost/server)
		vdev=(--vdev="net_vhost0,iface=$sock,queues=1") ;;
	vhost/client)
		vdev=(--vdev="net_virtio_user0,path=$sock,queues=1") ;;
	esac
	if [ "$side" = server ]; then
		cores=(-l "$both")
	else
		cores=(-l "$both" --main-lcore 1)
		[ "$mode" != io ] || extra=(--tx-first)
	fi
	# emptied here, not by the background job's redirection, so that
	# the last run's log cannot be watched in its place
	: > "$log"
	# line-buffered, so that the rate can be watched while it runs
	stdbuf -oL "$testpmd" "${cores[@]}" --no-huge -m 512 --no-pci \
		--file-prefix "lb$side$$" "${vdev[@]}" -- \
		--forward-mode="$mode" --auto-start --total-num-mbufs=16384 \
		--txpkts="$size" --stats-period 1 "${extra[@]}" > "$log" 2>&1 &
	started=$!
	pids+=("$started")
}

# flowing LOG: whether LOG shows a second in which frames arrived
flowing() {
	grep -Eq 'Rx-pps: +[1-9]' "$1"
}

# one STACK CMODE SMODE SIZE: a run; prints the receiver's median Mpps.
# The clock starts when frames flow, not when the processes do: two
# testpmds starting on two shared cores take from 2 to over 6 seconds
# to forward, and a fixed wait left some runs no second to measure.
one() {
	local stack=$1 cmode=$2 smode=$3 size=$4 s c rx
	# the receiving end: the server when the client only sends
	rx=$dir/client.log
	[ "$cmode" != txonly ] || rx=$dir/server.log
	rm -f "$sock"
	start "$stack" server "$smode" "$size" "$dir/server.log"
	s=$started
	for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
	start "$stack" client "$cmode" "$size" "$dir/client.log"
	c=$started
	for _ in $(seq 300); do flowing "$rx" && break; sleep 0.1; done
	sleep "$secs"
	kill -9 "$c" "$s" 2>/dev/null || true
	wait "$c" "$s" 2>/dev/null || true
	python3 - "$rx" <<'EOF'
import re, statistics, sys
pps = [int(m) for m in re.findall(r"Rx-pps:\s+(\d+)", open(sys.argv[1]).read())]
# testpmd prints a line per port per second; from the first second that
# frames flowed, that second skipped as warm-up. A run in which no
# frame flowed within 30 s counts as 0.
while pps and pps[0] == 0:
    pps.pop(0)
pps = pps[1:] or [0]
print("%.3f" % (statistics.median(pps) / 1e6))
EOF
}

for size in 64 1500; do
	for cell in "client_tx txonly rxonly" "server_tx rxonly txonly" \
		    "loop io macswap"; do
		read -r name cmode smode <<< "$cell"
		a=() b=()
		for _ in $(seq "$runs"); do
			a+=("$(one iavf "$cmode" "$smode" "$size")")
			b+=("$(one vhost "$cmode" "$smode" "$size")")
		done
		python3 - "$size" "$name" "${a[*]}" "${b[*]}" <<'EOF'
import statistics, sys
size, name = sys.argv[1], sys.argv[2]
a = [float(x) for x in sys.argv[3].split()]
b = [float(x) for x in sys.argv[4].split()]
ma, mb = statistics.median(a), statistics.median(b)
ratio = ma / mb if mb > 0 else float("inf")
print("loopback: %5s B %-9s iavf_client/iavfbe %6.2f Mpps (%.2f..%.2f)"
      "  virtio-user/vhost %6.2f Mpps (%.2f..%.2f)  ratio %.2f"
      % (size, name, ma, min(a), max(a), mb, min(b), max(b), ratio))
EOF
	done
done
echo "loopback: $runs interleaved runs per cell; Mpps at the receiving end," \
     "median of its per-second rate over $secs s from 1 s after frames flow"
