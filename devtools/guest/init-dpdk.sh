#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: BSD-3-Clause
# Guest init for the DPDK guest end-to-end test: Debian's DPDK 24.11
# testpmd drives the device with net_iavf over vfio-pci (behind the
# vIOMMU: the guest kernel has no vfio no-IOMMU mode). One interactive
# testpmd goes through the phases: icmpecho (the host pings it), txonly,
# rxonly (the host sends); it steps on to the next phase when the host
# writes a line to the console. Lines the host checks start with "GUEST:".
# shellcheck source=lib.sh
. /lib/emunic.sh

# The emulated IOMMU remaps DMA but not interrupts (intremap=off): vfio
# then needs to be told that MSI-X without remapping is acceptable.
for m in irqbypass vfio "vfio_iommu_type1 allow_unsafe_interrupts=1" \
	 vfio-pci-core vfio-pci; do
	# shellcheck disable=SC2086
	set -- $m
	insmod "/lib/modules/$1.ko" ${2:+"$2"} || echo "GUEST: insmod $1 failed"
done
# No ld.so.cache in the initramfs: the libraries' directory, as mapped.
LD_LIBRARY_PATH=$(dirname "$(find /lib /usr/lib -name 'librte_eal.so.*' | head -n 1)")
export LD_LIBRARY_PATH
# The initramfs root is world-writable; EAL loads no plugin below such a
# directory.
chmod 755 /
bdf=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x8086 ] && [ "$(cat "$d/device")" = 0x1889 ] &&
		bdf=$(basename "$d")
done
[ -n "$bdf" ] || { echo "GUEST: no AVF device"; echo "GUEST: done"; sleep 3600; }
echo 8086 1889 > /sys/bus/pci/drivers/vfio-pci/new_id
group=$(basename "$(readlink "/sys/bus/pci/devices/$bdf/iommu_group")")
wait_for "[ -e /dev/vfio/$group ]" 100
echo "GUEST: dpdk vfio-pci $bdf iommu_group=$group driver=$(basename "$(readlink "/sys/bus/pci/devices/$bdf/driver")")"
echo 160 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
mkdir -p /dev/hugepages /var/run
mount -t hugetlbfs none /dev/hugepages

# testpmd reads its commands from a fifo; its output is followed in a log.
mkfifo /tmp/cmd
queues=$(grep -c ^processor /proc/cpuinfo)
LD_PRELOAD=/lib/libstdbuf.so _STDBUF_O=L \
dpdk-testpmd -l 0-1 -a "$bdf" --file-prefix guest --log-level=pmd.net.iavf.driver:debug \
	-- -i --rxq="$queues" --txq="$queues" --nb-cores=1 --total-num-mbufs=8192 \
	< /tmp/cmd > /tmp/testpmd.log 2>&1 &
exec 3>/tmp/cmd
tp() { echo "$*" >&3; }
# The output of the commands sent since mark was set.
mark() { wc -l < /tmp/testpmd.log; }
since() { tail -n +"$(($1 + 1))" /tmp/testpmd.log; }
# Wait for pattern in testpmd's output (up to $2 tenths of a second).
tp_wait() { wait_for "grep -q '$1' /tmp/testpmd.log" "$2"; }
# Send a command and wait until its output is complete: testpmd answers
# in order, and "set verbose" with one line of its own.
tp_sync() {
	m=$(mark)
	tp "$*"
	tp "set verbose 0"
	wait_for "since $m | grep -q 'Change verbose level'" 100
}
# The host says when a phase may end.
step() { read -r _; }
# "GUEST: <label> RX=<packets> TX=<packets>" from "show port stats 0".
port_stats() {
	m=$(mark)
	tp "show port stats 0"
	wait_for "since $m | grep -q TX-packets" 100
	since "$m" | awk -v l="$1" '/RX-packets:/ { rx = $2 } /TX-packets:/ { tx = $2 }
		END { printf "GUEST: %s RX=%s TX=%s\n", l, rx, tx }'
}

if ! tp_wait 'testpmd>' 600; then
	sed 's/^/GUEST-TESTPMD: /' /tmp/testpmd.log
	echo "GUEST: testpmd did not start"; echo "GUEST: done"; sleep 3600
fi
tp_wait 'Link status: up\|Link up' 300
# The Rx and Tx paths net_iavf chose, as it logs them.
grep -E 'Using .*(Rx|Tx)|legacy' /tmp/testpmd.log | sed 's/^.*(): */GUEST: dpdk path: /'
echo "GUEST: dpdk link up queues=$queues"

tp "set fwd icmpecho"
tp "start"
echo "GUEST: icmpecho ready"
step
tp "stop"
port_stats icmpecho

tp "clear port stats 0"
tp "set fwd txonly"
tp "start"
sleep 3 # the traffic's duration
tp_sync "stop"
port_stats txonly
echo "GUEST: txonly done"

tp "clear port stats 0"
tp "set fwd rxonly"
tp "start"
echo "GUEST: rxonly ready"
step
tp "stop"
port_stats rxonly
m=$(mark)
tp_sync "show port xstats 0"
since "$m" | grep -E 'rx_good_packets|rx_missed|rx_discard|errors' | sed 's/^ */GUEST: xstat /'
echo "GUEST: rxonly done"

tp "quit"
wait_for "! kill -0 $! 2>/dev/null" 300
sed 's/^/GUEST-TESTPMD: /' /tmp/testpmd.log
echo "GUEST: done"
sleep 3600
