#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# End to end: dpdk-vfio-user-sample serves the sample device; QEMU's
# vfio-user-pci attaches it to a Linux guest; the guest must see the
# device's identity in sysfs, read BAR0 registers served over the socket
# and write BAR2's sparse-mmapped page.
#
#   sample_qemu.sh BUILD_DIR [ARTIFACT_DIR]

set -euo pipefail

# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
sock="$ROOT/run/emunic/sample-$$.sock"

"$build/app/vfio-user-sample/dpdk-vfio-user-sample" --no-huge -m 64 --no-pci \
	--no-shconf --no-telemetry -l 0 -- --socket-path="$sock" \
	> "$art/sample-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$sock"' EXIT
wait_socket "$sock" || true

start=$(date +%s.%N)
"$top/devtools/run-guest.sh" "$sock" "$top/devtools/guest/init-sample.sh" \
	> "$art/sample-console.log" 2>&1 || true
end=$(date +%s.%N)
kill -TERM $server
wait $server || true

grep '^GUEST:' "$art/sample-console.log" || true
printf 'server summary:\n'; sed -n '/^vfio-user device/,$p' "$art/sample-server.log"
awk -v s="$start" -v e="$end" 'BEGIN { printf "guest run: %.1f s\n", e - s }'

log="$art/sample-console.log"
expect 'GUEST: device .* vendor=0xcafe device=0xd00d class=0xff0000' "guest sees the device's IDs" "$log"
expect 'GUEST: bar0 magic=0x454d5531' "guest reads a BAR0 register served by the device" "$log"
expect 'GUEST: bar0 scratch=0x12345678' "guest writes and reads back a BAR0 register" "$log"
expect 'GUEST: bar0 counter=0x00000001,0x00000002' "every guest read reaches the device once" "$log"
expect 'GUEST: bar2 mmap page=0xfeedf00d' "guest writes the sparse-mmapped BAR2 page" "$log"
expect 'GUEST: done' "guest ran to the end" "$log"
if grep -q 'DEVICE_RESET' "$art/sample-server.log"; then
	echo "ok: QEMU reset the device"
else
	echo "FAILED: no DEVICE_RESET from QEMU"; fail=1
fi
exit $fail
