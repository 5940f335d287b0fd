#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: BSD-3-Clause
# Guest init for the net_iavfbe soak: the same 16 MiB of random data sent
# over TCP again and again, each transfer checked against the md5 the
# receiver reports; every 3rd round the VF is reset (iavf resets it for an
# MTU change), every 5th the link goes down and up. Runs until the host
# kills the VM. Lines the host checks start with "GUEST:".
# shellcheck source=lib.sh
. /lib/emunic.sh
# shellcheck source=net.sh
. /lib/emunic-net.sh

insmod /lib/modules/libeth.ko
insmod /lib/modules/libie.ko
insmod /lib/modules/iavf.ko
bring_up probe
dd if=/dev/urandom of=/tmp/data bs=1M count=16 2>/dev/null
md5=$(md5sum /tmp/data | cut -d' ' -f1)
bytes=$(wc -c < /tmp/data)
echo "GUEST: soak data md5 $md5 bytes $bytes"
round=0
while :; do
	round=$((round + 1))
	out=$(tcp_send $peer 5001 /tmp/data 2>&1)
	case "$out" in
	*"bytes=$bytes md5=$md5"*) echo "GUEST: soak round $round ok: $out" ;;
	*) echo "GUEST: soak round $round FAILED: $out" ;;
	esac
	if [ $((round % 3)) = 0 ]; then
		ip link set "$dev" mtu 1600
		ip link set "$dev" mtu 1500
		echo "GUEST: soak round $round VF reset"
		wait_for "ping -c 1 -W 1 $peer >/dev/null" 300 ||
			echo "GUEST: soak round $round no traffic after the VF reset"
	fi
	if [ $((round % 5)) = 0 ]; then
		ip link set "$dev" down
		sleep 1
		echo "GUEST: soak round $round link flap"
		bring_up "soak round $round relink" >/dev/null
	fi
done
