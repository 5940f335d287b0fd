#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# net_iavf_client as its users run it: two dpdk-testpmd processes, one
# serving emu_iavf + net_iavfbe, one with --vdev=net_iavf_client0 on its
# socket, both loading the drivers as plugins (-d). Frames one way, then
# the other (txonly into rxonly, counted at both ends); then the server
# is killed and started again under the client (reconnect=), which must
# come back and carry frames.
#
# Usage: iavf_client_testpmd.sh BUILD_DIR [ARTIFACT_DIR]
# shellcheck disable=SC2317 # cleanup and at_least run through trap and check
set -eu
# shellcheck source=app/test/e2e/common.sh
. "$(dirname "$0")/common.sh"

dpdk_testpmd_env
sock="$ROOT/run/emunic/iavfc-$$.sock"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	rm -f "$sock"
}
trap cleanup EXIT

# server MODE LOG: testpmd serving the device, forwarding in MODE.
server() {
	rm -f "$sock"
	"$testpmd" -l 0,1 --no-huge -m 512 --no-pci --file-prefix "iavfcs$$" \
		-d "$build/drivers/emu/iavf/librte_emu_iavf.so" \
		-d "$build/drivers/net/iavfbe/librte_net_iavfbe.so" \
		--vdev="emu_iavf0,path=$sock" --vdev=net_iavfbe0,emu=emu_iavf0 -- \
		--forward-mode="$1" --auto-start --total-num-mbufs=16384 \
		--stats-period 1 > "$2" 2>&1 &
	server_pid=$!
	pids+=("$server_pid")
	wait_socket "$sock"
}

# client MODE LOG: testpmd with the client port, its worker on the other CPU.
client() {
	"$testpmd" -l 0,1 --main-lcore 1 --no-huge -m 512 --no-pci \
		--file-prefix "iavfcc$$" \
		-d "$build/drivers/net/iavf_client/librte_net_iavf_client.so" \
		--vdev="net_iavf_client0,path=$sock,reconnect=200" -- \
		--forward-mode="$1" --auto-start --total-num-mbufs=16384 \
		--stats-period 1 > "$2" 2>&1 &
	client_pid=$!
	pids+=("$client_pid")
}

# stop PID: SIGINT, as a user's ^C; testpmd prints its totals.
stop() {
	kill -INT "$1" 2>/dev/null || true
	for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$1" 2>/dev/null || true
}

# total WHAT LOG: the port's accumulated RX- or TX-packets at exit.
total() {
	grep -E "^ +$1-packets:" "$2" | tail -n 1 | awk '{print $2}'
}

# at_least N VALUE
at_least() {
	[ "${2:-0}" -ge "$1" ] 2>/dev/null
}

for dir in "client-to-server txonly rxonly" "server-to-client rxonly txonly"; do
	read -r what cmode smode <<< "$dir"
	slog="$art/iavfc-$what-server.log" clog="$art/iavfc-$what-client.log"
	server "$smode" "$slog"
	client "$cmode" "$clog"
	sleep 6
	stop "$client_pid"
	stop "$server_pid"
	if [ "$cmode" = txonly ]; then
		sent=$(total TX "$clog") got=$(total RX "$slog")
	else
		sent=$(total TX "$slog") got=$(total RX "$clog")
	fi
	echo "$what: sent ${sent:-?}, received ${got:-?}"
	expect "^Port 0: [0-9A-F]{2}(:[0-9A-F]{2}){5}" "$what: the client port probed" \
		"$clog"
	expect "Port 0: link state change event|Link status: up" \
		"$what: the client's link came up" "$clog"
	check "$what: over 100000 frames received" at_least 100000 "${got:-0}"
done

# The client killed mid-traffic: the server's device serves the next.
slog="$art/iavfc-kill-server.log" clog="$art/iavfc-kill-client.log"
server rxonly "$slog"
client txonly "$art/iavfc-kill-client1.log"
sleep 3
kill -9 "$client_pid"
sleep 1
client txonly "$clog"
sleep 4
stop "$client_pid"
stop "$server_pid"
sent=$(total TX "$clog")
echo "client killed: the next client sent ${sent:-?}, the server received $(total RX "$slog")"
expect "Port 0: link state change event|Link status: up" \
	"client killed: the next client's link came up" "$clog"
check "client killed: the next client sent over 100000 frames" \
	at_least 100000 "${sent:-0}"
check "client killed: the server's device served both clients" \
	at_least 2 "$(grep -c 'VMM connected' "$slog")"

# The server goes and comes back under a client that forwards (io).
slog="$art/iavfc-restart-server.log" clog="$art/iavfc-restart-client.log"
server io "$slog"
client io "$clog"
sleep 3
kill -9 "$server_pid"
sleep 1
server io "$art/iavfc-restart-server2.log"
sleep 3
stop "$client_pid"
stop "$server_pid"
expect "the server closed the socket; the link is down, reconnecting" \
	"restart: the client saw the server go" "$clog"
expect "back on $sock" "restart: the client came back" "$clog"
exit "$fail"
