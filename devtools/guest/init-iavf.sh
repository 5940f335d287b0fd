#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: BSD-3-Clause
# Guest init for the emu_iavf end-to-end test: load the kernel's own iavf
# driver, bring the interface up, reload the driver twice, print what the
# kernel said. Lines the host checks start with "GUEST:".
# shellcheck source=lib.sh
. /lib/emunic.sh

# Bring the iavf interface up and report link; $1 labels the round.
bring_up() {
	if ! wait_for 'iface >/dev/null' 300; then
		echo "GUEST: $1 no iavf interface"
		return 1
	fi
	dev=$(iface)
	n=/sys/class/net/$dev
	echo "GUEST: $1 bound $dev driver=iavf pci=$(basename "$(readlink "$n/device")") mac=$(cat "$n/address")"
	ip link set "$dev" up
	if wait_for "carrier_up $dev" 300; then
		echo "GUEST: $1 link up $dev speed=$(cat "$n/speed") operstate=$(cat "$n/operstate")"
	else
		echo "GUEST: $1 link down $dev operstate=$(cat "$n/operstate")"
	fi
}

insmod /lib/modules/libeth.ko
insmod /lib/modules/libie.ko
insmod /lib/modules/iavf.ko
bring_up probe
for round in 1 2; do
	rmmod iavf
	wait_for '! iface >/dev/null' 100 && echo "GUEST: reload$round removed"
	insmod /lib/modules/iavf.ko
	bring_up reload$round
done
ip link set "$(iface)" down
dmesg | grep -i iavf | sed 's/^/GUEST-DMESG: /'
echo "GUEST: iavf error lines=$(dmesg | grep -i iavf | grep -ciE 'error|fail|timeout|never|unable|hung')"
echo "GUEST: done"
poweroff -f
