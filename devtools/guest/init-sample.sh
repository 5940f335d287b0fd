#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: BSD-3-Clause
# Guest init for the sample-device end-to-end test: report what the guest
# sees of the vfio-user device, then power off. Lines the host checks start
# with "GUEST:".
# shellcheck source=lib.sh
. /lib/emunic.sh
found=0
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = "0xcafe" ] || continue
	found=1
	echo "GUEST: device $(basename "$d") vendor=$(cat "$d/vendor") device=$(cat "$d/device") class=$(cat "$d/class")"
	echo "GUEST: bar0 magic=$(bar_peek "$d/resource0" 0x0)"
	bar_peek "$d/resource0" 0x4 0x12345678
	echo "GUEST: bar0 scratch=$(bar_peek "$d/resource0" 0x4)"
	echo "GUEST: bar0 counter=$(bar_peek "$d/resource0" 0x8),$(bar_peek "$d/resource0" 0x8)"
	bar_peek "$d/resource2" 0x1000 0xfeedf00d
	echo "GUEST: bar2 mmap page=$(bar_peek "$d/resource2" 0x1000)"
	echo "GUEST: msix $(grep -c . "$d/msi_bus" 2>/dev/null) irq=$(cat "$d/irq")"
done
[ $found = 1 ] || echo "GUEST: no device with vendor 0xcafe"
echo "GUEST: done"
poweroff -f
