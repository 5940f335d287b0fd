# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=dash
# The guest side of the net_iavfbe tests, sourced from /lib/emunic-net.sh
# after /lib/emunic.sh: the guest is 10.99.0.2, its peer in the host's
# namespace 10.99.0.1.
peer=10.99.0.1

# Up with the address; $1 labels the step.
bring_up() {
	wait_for 'iface >/dev/null' 300 || { echo "GUEST: $1 no iavf interface"; return 1; }
	dev=$(iface)
	ip link set "$dev" up
	ip addr add 10.99.0.2/24 dev "$dev" 2>/dev/null
	if wait_for "carrier_up $dev" 300; then
		echo "GUEST: $1 link up $dev queues=$(find "/sys/class/net/$dev/queues" -maxdepth 1 -name 'rx-*' | wc -l)"
	else
		echo "GUEST: $1 link down $dev"
	fi
	# The first packets may meet ARP and the peer's address learning.
	wait_for "ping -c 1 -W 1 $peer >/dev/null" 100
}

# set_mtu MTU: iavf resets the VF to change its MTU, and "ip link set"
# can return before that reset has taken the carrier down and up again
# (seen behind a strict vIOMMU: the reset's link-up came 0.4 s after a
# ping had passed). Taking the carrier down empties the neighbour table:
# pings sent before it may pass on the old configuration, and pings sent
# across it wait for ARP together, to come back at once, more than
# busybox's ping has room for (its receive buffer holds about four
# 9000-byte replies). So wait for the carrier to have gone down and up.
set_mtu() {
	flapped=$(($(cat "/sys/class/net/$dev/carrier_changes") + 2))
	ip link set "$dev" mtu "$1"
	wait_for "[ \$(cat /sys/class/net/$dev/carrier_changes) -ge $flapped ] &&
		carrier_up $dev" 300 ||
		echo "GUEST: mtu $1: the link did not go down and up"
}

# ping COUNT SIZE LABEL: print the summary as one GUEST line.
pings() {
	all=$(ping -c "$1" -s "$2" -i 0.05 -W 2 $peer 2>&1)
	out=$(echo "$all" | grep -E 'transmitted|round-trip' | tr '\n' ' ')
	echo "GUEST: ping $3 size=$2 $out"
	case "$out" in
	*" 0% packet loss"*) ;;
	*)	# What a loss leaves to look at: each reply, the stack's drops.
		echo "$all" | sed "s/^/GUEST: ping $3 reply: /"
		grep -E '^(Ip|Icmp):' /proc/net/snmp | sed "s/^/GUEST: ping $3 snmp: /"
		grep "iavf-.*TxRx" /proc/interrupts | sed "s/^/GUEST: ping $3 irq /"
		ip neigh show | sed "s/^/GUEST: ping $3 neigh: /"
		dmesg | grep iavf | tail -n 5 | sed "s/^/GUEST: ping $3 dmesg: /" ;;
	esac
}

