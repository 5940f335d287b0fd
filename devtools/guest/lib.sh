# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=dash
# What every guest init needs, sourced from /lib/emunic.sh: busybox
# applets, /proc, /sys and /dev, and the helpers to wait for the kernel.
/bin/busybox --install -s /bin
# Tells devtools/run-guest.sh that the kernel booted.
echo "GUEST-INIT: started"
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev

# Wait up to $2 tenths of a second for command $1 to succeed.
wait_for() {
	i=0
	while [ $i -lt "$2" ]; do
		eval "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# carrier_up DEV: the link of DEV is up.
carrier_up() {
	[ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = 1 ]
}

# The network interface the iavf driver bound, if any.
iface() {
	for n in /sys/class/net/*; do
		[ "$(readlink "$n/device/driver" 2>/dev/null | sed 's,.*/,,')" = iavf ] &&
			basename "$n" && return 0
	done
	return 1
}
