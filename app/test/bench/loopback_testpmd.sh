#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The two-process loopback benchmark: two dpdk-testpmd processes on one
# socket, net_iavf_client <-> emu_iavf + net_iavfbe side by side with
# net_virtio_user <-> net_vhost, on the same cores in the same run. Cells:
# client txonly -> server rxonly, server txonly -> client rxonly, and
# client io <-> server macswap (a burst of frames going round), at 64 and
# 1500 bytes.
#
# The four testpmds run all along, interactive, each reading its commands
# from a fifo, and the two pairs take turns: TURNS turns per cell (7 by
# default), a window of each pair per turn, which pair goes first
# alternating. A window empties the pair's rings (rxonly at both ends),
# starts the cell's modes, lets them run WARM seconds (0.5), and reads the
# receiving end's Rx-pps over the next second (testpmd's "show port stats",
# since its show before); the other pair is stopped meanwhile. A cache
# line's round trip between the two CPUs, measured before and after each
# turn (emunic-line-round-trip), tells where the hypervisor had put them:
# a move changes every figure by up to 6x, and whole runs of one stack
# after the other compared one placement with the other. Prints one line
# per cell: each stack's median and min..max, the ratio of the medians and
# the median ratio of the turns with its quartiles, and the turns split by
# placement. Figures, not a verdict: it fails only when a pair cannot
# start or stops answering.
#
# Usage: loopback_testpmd.sh BUILD_DIR
set -eu
build=$(cd "$1" && pwd)
turns=${TURNS:-7}
warm=${WARM:-0.5}
# shellcheck source=app/test/dpdk_env.sh
. "$(dirname "$0")/../dpdk_env.sh"
dpdk_testpmd_env
rtt_tool=$build/app/test/emunic-line-round-trip
dir=$(mktemp -d "${TMPDIR:-/tmp}/loopback.XXXXXX")
pids=()
declare -A cmd_fd
# shellcheck disable=SC2317 # run through trap
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	rm -rf "$dir"
}
trap cleanup EXIT

# start STACK SIDE: one testpmd of a pair, interactive, its commands
# written to cmd_fd[STACK/SIDE], its output in $dir/STACK-SIDE.log. The
# server's worker is on CPU 1, the client's on CPU 0.
start() {
	local stack=$1 side=$2 vdev cores fifo=$dir/$1-$2.in fd
	local sock=$dir/$1.sock

	case $stack/$side in
	iavf/server)
		vdev=(-d "$build/drivers/emu/iavf/librte_emu_iavf.so"
		      -d "$build/drivers/net/iavfbe/librte_net_iavfbe.so"
		      --vdev="emu_iavf0,path=$sock"
		      --vdev="net_iavfbe0,emu=emu_iavf0") ;;
	iavf/client)
		vdev=(-d "$build/drivers/net/iavf_client/librte_net_iavf_client.so"
		      --vdev="net_iavf_client0,path=$sock") ;;
	vhost/server)
		vdev=(--vdev="net_vhost0,iface=$sock,queues=1") ;;
	vhost/client)
		vdev=(--vdev="net_virtio_user0,path=$sock,queues=1") ;;
	esac
	cores=(-l "0,1")
	[ "$side" = server ] || cores+=(--main-lcore 1)
	mkfifo "$fifo"
	# opened both ways, so that neither end waits for the other
	exec {fd}<>"$fifo"
	cmd_fd[$stack/$side]=$fd
	# line-buffered, so that each answer can be waited for
	stdbuf -oL "$testpmd" "${cores[@]}" --no-huge -m 512 --no-pci \
		--file-prefix "lb$stack$side$$" "${vdev[@]}" -- -i \
		--total-num-mbufs=16384 < "$fifo" > "$dir/$stack-$side.log" 2>&1 &
	pids+=("$!")
}

# say STACK SIDE COMMAND...: each COMMAND to that testpmd
say() {
	local fd=${cmd_fd[$1/$2]}

	shift 2
	printf '%s\n' "$@" >&"$fd"
}

# seen STACK SIDE PATTERN: how many lines of its output match
seen() {
	grep -c -- "$3" "$dir/$1-$2.log" || true
}

# await STACK SIDE PATTERN COUNT: until that many lines match (30 s)
await() {
	for _ in $(seq 300); do
		[ "$(seen "$1" "$2" "$3")" -lt "$4" ] || return 0
		sleep 0.1
	done
	echo "loopback: $1 $2 did not answer (waiting for '$3'):" >&2
	tail -20 "$dir/$1-$2.log" >&2
	exit 1
}

# stop_pair STACK: both ends stopped, and done stopping
stop_pair() {
	local side n

	for side in client server; do
		n=$(seen "$1" "$side" '^Done\.$')
		say "$1" "$side" stop
		await "$1" "$side" '^Done\.$' $((n + 1))
	done
}

# window STACK CMODE SMODE SIZE: one window; prints the receiver's Mpps
window() {
	local stack=$1 cmode=$2 smode=$3 size=$4 rx=client first=start n side

	[ "$cmode" != txonly ] || rx=server
	[ "$cmode" != io ] || first="start tx_first"
	# what the last window left in the rings, dropped
	for side in server client; do
		say "$stack" "$side" "set fwd rxonly" start
	done
	sleep 0.2
	stop_pair "$stack"
	say "$stack" server "set fwd $smode" "set txpkts $size" start
	say "$stack" client "set fwd $cmode" "set txpkts $size" "$first"
	sleep "$warm"
	n=$(seen "$stack" "$rx" 'Rx-pps:')
	say "$stack" "$rx" "show port stats all"
	await "$stack" "$rx" 'Rx-pps:' $((n + 1))
	sleep 1
	say "$stack" "$rx" "show port stats all"
	await "$stack" "$rx" 'Rx-pps:' $((n + 2))
	stop_pair "$stack"
	grep -o 'Rx-pps: *[0-9]*' "$dir/$stack-$rx.log" | tail -1 |
		awk '{ printf "%.3f\n", $2 / 1e6 }'
}

rtt() {
	"$rtt_tool" 0 1
}

for stack in iavf vhost; do
	start "$stack" server
	for _ in $(seq 50); do [ -S "$dir/$stack.sock" ] && break; sleep 0.1; done
	start "$stack" client
done
for stack in iavf vhost; do
	for side in server client; do
		await "$stack" "$side" '^testpmd> ' 1
	done
done

for size in 64 1500; do
	for cell in "client_tx txonly rxonly" "server_tx rxonly txonly" \
		    "loop io macswap"; do
		read -r name cmode smode <<< "$cell"
		a=() b=() r=("$(rtt)")
		for t in $(seq "$turns"); do
			if [ $((t % 2)) = 1 ]; then
				a+=("$(window iavf "$cmode" "$smode" "$size")")
				b+=("$(window vhost "$cmode" "$smode" "$size")")
			else
				b+=("$(window vhost "$cmode" "$smode" "$size")")
				a+=("$(window iavf "$cmode" "$smode" "$size")")
			fi
			r+=("$(rtt)")
		done
		python3 "$(dirname "$0")/loopback_cell.py" "$size" "$name" \
			"${a[*]}" "${b[*]}" "${r[*]}"
	done
done
echo "loopback: $turns turns per cell, a window of each stack per turn;" \
     "Mpps at the receiving end over 1 s after ${warm} s of warm-up"
