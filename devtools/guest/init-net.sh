#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: BSD-3-Clause
# Guest init for the net_iavfbe end-to-end test. The guest (10.99.0.2)
# talks to a network namespace on the host (10.99.0.1) through testpmd:
# pings, a verified 64 MiB TCP transfer, jumbo pings, one flow per vCPU,
# link down/up and a driver reload; or, when /etc/emunic-reset-loop
# exists, a 256 MiB TCP transfer during which the VF is reset every second
# (iavf resets the VF for every MTU change). Lines the host checks start
# with "GUEST:". At the end the guest prints what its driver counted, and
# waits to be killed.
# shellcheck source=lib.sh
. /lib/emunic.sh
# shellcheck source=net.sh
. /lib/emunic-net.sh

# The device's counters as the driver read them (GET_STATS): its watchdog
# asks every few seconds, and not at once after a reload.
driver_stats() {
	s=/sys/class/net/$dev/statistics
	wait_for "[ \$(cat $s/tx_packets) -gt 0 ]" 300
	sleep 5
	echo "GUEST: stats rx_packets=$(cat "$s/rx_packets") rx_dropped=$(cat "$s/rx_dropped") tx_packets=$(cat "$s/tx_packets")"
}

# What the kernel logged of the driver and what it counted; then wait.
finish() {
	echo "GUEST: iavf error lines=$(dmesg | grep -i iavf | grep -ciE 'error|fail|timeout|never|unable|hung')"
	echo "GUEST: watchdog lines=$(dmesg | grep -c 'NETDEV WATCHDOG')"
	dmesg | grep -iE 'iavf|hung|watchdog' | sed 's/^/GUEST-DMESG: /'
	driver_stats
	echo "GUEST: done"
	sleep 3600
}

# TCP while the VF is reset every second; then traffic must still flow.
reset_loop() {
	dd if=/dev/urandom of=/tmp/data bs=1M count=64 2>/dev/null
	echo "GUEST: data md5 $(cat /tmp/data /tmp/data /tmp/data /tmp/data | md5sum | cut -d' ' -f1) bytes $((4 * $(wc -c < /tmp/data)))"
	cat /tmp/data /tmp/data /tmp/data /tmp/data |
		tcp_send $peer 5001 /proc/self/fd/0 > /tmp/tcp 2>&1 &
	sender=$!
	resets=0
	mtu=1600
	while kill -0 $sender 2>/dev/null; do
		sleep 1
		kill -0 $sender 2>/dev/null || break
		ip link set "$dev" mtu $mtu && resets=$((resets + 1))
		[ $mtu = 1600 ] && mtu=1500 || mtu=1600
	done
	wait $sender
	echo "GUEST: tcp $(cat /tmp/tcp)"
	echo "GUEST: resets during the transfer=$resets"
	wait_for "ping -c 1 -W 1 $peer >/dev/null" 300
	pings 20 56 after-resets
	finish
}

insmod /lib/modules/libeth.ko
insmod /lib/modules/libie.ko
insmod /lib/modules/iavf.ko
bring_up probe
[ -e /etc/emunic-reset-loop ] && reset_loop
pings 100 56 basic

# 64 MiB from /dev/urandom, its checksum, and what the receiver counted.
dd if=/dev/urandom of=/tmp/data bs=1M count=64 2>/dev/null
echo "GUEST: data md5 $(md5sum /tmp/data | cut -d' ' -f1) bytes $(wc -c < /tmp/data)"
echo "GUEST: tcp $(tcp_send $peer 5001 /tmp/data 2>&1)"

# One flow per vCPU: each pinned sender uses its CPU's Tx queue (XPS says
# which: without it the kernel picks queues by flow hash).
head -c 4194304 /tmp/data > /tmp/small
n=$(grep -c ^processor /proc/cpuinfo)
c=0
for q in "/sys/class/net/$dev"/queues/tx-*; do
	printf '%x' $((1 << ${q##*tx-})) > "$q/xps_cpus" 2>/dev/null
done
while [ $c -lt "$n" ]; do
	taskset -c $c tcp_send $peer 5001 /tmp/small > /tmp/flow$c 2>&1 &
	c=$((c + 1))
done
wait
cat /tmp/flow* | sed 's/^/GUEST: flow /'
grep "iavf-.*TxRx" /proc/interrupts | sed 's/^/GUEST: irq /'

set_mtu 9000
wait_for "ping -c 1 -W 1 -s 8900 $peer >/dev/null" 300
pings 20 8900 jumbo
set_mtu 1500

ip link set "$dev" down
sleep 1
bring_up relink
pings 10 56 relink

rmmod iavf
insmod /lib/modules/iavf.ko
bring_up reload
pings 10 56 reload
finish
