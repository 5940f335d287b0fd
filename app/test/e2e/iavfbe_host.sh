# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# shellcheck disable=SC2154 # variables of the script that sources this one
#
# The host side of the net_iavfbe end-to-end scripts, sourced after
# common.sh with $name set: a network namespace (10.99.0.1) behind a veth
# pair, the TCP sink there, and testpmd serving emu_iavf and forwarding
# between net_iavfbe (port 0) and net_af_packet on the veth. testpmd
# reads commands on fd 3; the guest's console fifo is $fifo_dir/console.
# Sets sock, mac, ns, veth_n, pmdlog, sinklog, hostlog, pids,
# testpmd_pid; host_cleanup_extra names a path to remove at exit.
#
# Environment: HOST_QUEUES, EMU_QUEUES, EMU_SHADOW_IRQ (see iavfbe_qemu.sh).

id=$$
sock="$ROOT/run/emunic/iavfbe-$id.sock"
mac=02:00:5e:10:20:31
ns=emunic$id veth_h=emuh$id veth_n=emun$id
pmdlog="$art/$name-testpmd.log" sinklog="$art/$name-sink.log" hostlog="$art/$name-host.log"
: > "$hostlog"
emu_args="path=$sock,mac=$mac${EMU_QUEUES:+,queues=$EMU_QUEUES}${EMU_SHADOW_IRQ:+,shadow_irq=$EMU_SHADOW_IRQ}"
queue_args=() qpairs=1
if [ -n "${HOST_QUEUES:-}" ]; then
	queue_args=(--rxq="$HOST_QUEUES" --txq="$HOST_QUEUES")
	qpairs=$HOST_QUEUES
fi

libdir=$(dpdk_pkg_config --variable=libdir)
testpmd=$(dpdk_pkg_config --variable=prefix)/bin/dpdk-testpmd
[ -x "$testpmd" ] || { echo "no $testpmd in the DPDK the build used"; exit 1; }
pidfile="$ROOT/run/emunic/qemu-$id.pid"

pids=()
cleanup() {
	exec 3>&- 4>&- 2>/dev/null || true
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	ip link del "$veth_h" 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	kill_guest "$pidfile"
	rm -rf "$fifo_dir" "$sock"
	[ -z "${host_cleanup_extra:-}" ] || rm -rf "$host_cleanup_extra"
}
fifo_dir=$(mktemp -d)
trap cleanup EXIT

# The far end: a namespace with the address, checksums done in software
# (af_packet hands frames on as they are) and no segmentation offload.
# af_packet needs blocksz a multiple of framesz (frames are contiguous).
# No IPv6 on either end: its chatter would muddle the packet counts.
ip netns add "$ns"
ip link add "$veth_h" mtu 9000 type veth peer name "$veth_n" mtu 9000
ip link set "$veth_n" netns "$ns"
sysctl -qw "net.ipv6.conf.$veth_h.disable_ipv6=1"
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link set "$veth_h" up
ip -n "$ns" link set lo up
ip -n "$ns" link set "$veth_n" up
ip -n "$ns" addr add 10.99.0.1/24 dev "$veth_n"
ip netns exec "$ns" ethtool -K "$veth_n" tx off tso off gso off gro off >/dev/null
ip netns exec "$ns" python3 "$top/app/test/e2e/tcp_sink.py" 10.99.0.1 5001 \
	> "$sinklog" 2>&1 &
pids+=($!)

# testpmd reads its commands from a fifo; so does the guest's console.
mkfifo "$fifo_dir/cmd" "$fifo_dir/console"
LD_LIBRARY_PATH="$libdir" stdbuf -oL "$testpmd" -l 0,1 --no-huge -m 1024 --no-pci \
	--file-prefix "emunic$id" \
	-d "$build/drivers/emu/iavf/librte_emu_iavf.so" \
	-d "$build/drivers/net/iavfbe/librte_net_iavfbe.so" \
	--vdev="emu_iavf0,$emu_args" \
	--vdev="net_iavfbe0,emu=emu_iavf0" \
	--vdev="net_af_packet0,iface=$veth_h,qpairs=$qpairs,framesz=10240,blocksz=20480,framecnt=256" \
	-- -i "${queue_args[@]}" --nb-cores=1 --forward-mode=io \
	--mbuf-size=10368 --total-num-mbufs=8192 \
	< "$fifo_dir/cmd" > "$pmdlog" 2>&1 &
testpmd_pid=$!
pids+=("$testpmd_pid")
exec 3>"$fifo_dir/cmd"
echo "start" >&3
wait_socket "$sock" || { echo "testpmd did not serve $sock"; cat "$pmdlog"; exit 1; }

# testpmd_sync CMD: send a testpmd command and wait (10 s at most) until
# its output is complete: testpmd answers in order, and "set verbose"
# with one line of its own.
testpmd_sync() {
	local n
	n=$(wc -l < "$pmdlog")
	printf '%s\nset verbose 0\n' "$1" >&3
	for _ in $(seq 100); do
		tail -n +"$((n + 1))" "$pmdlog" | grep -q 'Change verbose level' && return 0
		sleep 0.1
	done
	return 1
}

# host_xstat NAME...: the sum of port 0's xstats whose name matches one of
# the extended regexps, as testpmd prints them now.
host_xstat() {
	local n pattern
	pattern=$(printf '%s|' "$@")
	n=$(wc -l < "$pmdlog")
	testpmd_sync "show port xstats 0" || true
	tail -n +"$((n + 1))" "$pmdlog" |
		awk -v p="^(${pattern%|}): " '$0 ~ p { s += $2 } END { print s + 0 }'
}

# settled_xstat NAME...: host_xstat once it stops changing, that is once
# the frames in flight have arrived (10 s at most).
settled_xstat() {
	local prev=-1 cur
	for _ in $(seq 50); do
		cur=$(host_xstat "$@")
		[ "$cur" = "$prev" ] && break
		prev=$cur
		sleep 0.2
	done
	echo "$cur"
}

# wait_disconnects N: until the device logged N client disconnects (10 s
# at most).
wait_disconnects() {
	for _ in $(seq 100); do
		[ "$(grep -c 'client disconnected' "$pmdlog")" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# host_final_checks WHAT: what every host script ends with: no guest
# error counter moved, and testpmd (alive=1) outlived WHAT.
host_final_checks() {
	local bad
	bad=$(grep -E 'guest_[a-z_]*_errors: [1-9]' "$pmdlog" || true)
	check "no guest error counter moved${bad:+: $bad}" [ -z "$bad" ]
	check "testpmd survives $1" [ "$alive" = 1 ]
}

# emu_iavf's state and counters (its BAR0 accesses trapped by register
# block among them), from testpmd's telemetry socket.
emu_stats() {
	python3 "$top/app/test/e2e/telemetry.py" \
		"/var/run/dpdk/emunic$id/dpdk_telemetry.v2" /emu_iavf/info,emu_iavf0 2>/dev/null ||
		echo "{}"
}

# The device's DMA map counters, from testpmd's telemetry socket.
dma_stats() {
	python3 "$top/app/test/e2e/telemetry.py" \
		"/var/run/dpdk/emunic$id/dpdk_telemetry.v2" /vfio_user/info,0 2>/dev/null ||
		echo "{}"
}

