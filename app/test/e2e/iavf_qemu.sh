#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# End to end: dpdk-emudev-monitor serves emu_iavf (and starts it as its
# consumer); QEMU's vfio-user-pci attaches it to a Linux guest; the guest's
# own iavf driver must bind, see the configured MAC, bring the link up,
# survive two driver reloads (VF reset path) and log no iavf error.
#
#   iavf_qemu.sh BUILD_DIR [ARTIFACT_DIR]

set -euo pipefail

# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
sock="$ROOT/run/emunic/iavf-$$.sock"
mac=02:00:5e:10:20:30

# The guest's modules.
moddir=$(mktemp -d)
trap 'rm -rf "$moddir"' EXIT
guest_modules "$moddir" libeth libie iavf

"$build/app/emudev-monitor/dpdk-emudev-monitor" --no-huge -m 64 --no-pci \
	--no-shconf --no-telemetry -l 0 \
	--vdev="emu_iavf0,path=$sock,mac=$mac,queues=4" \
	--log-level=pmd.emu.iavf:debug -- --device=emu_iavf0 \
	> "$art/iavf-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$sock"; rm -rf "$moddir"' EXIT
wait_socket "$sock" || true

start=$(date +%s.%N)
GUEST_TIMEOUT=${GUEST_TIMEOUT:-240} "$top/devtools/run-guest.sh" "$sock" \
	"$top/devtools/guest/init-iavf.sh" "${mods[@]}" \
	> "$art/iavf-console.log" 2>&1 || true
end=$(date +%s.%N)
kill -TERM $server
wait $server || true

grep '^GUEST:' "$art/iavf-console.log" || true
grep -E 'virtchnl ops|VF resets' "$art/iavf-server.log" || true
awk -v s="$start" -v e="$end" 'BEGIN { printf "guest run: %.1f s\n", e - s }'

console="$art/iavf-console.log" server="$art/iavf-server.log"
expect "GUEST: probe bound .* driver=iavf .* mac=$mac" "the guest's iavf binds and uses the configured MAC" "$console"
expect 'GUEST: probe link up .* operstate=up' "ip link set up brings the link up" "$console"
expect 'GUEST: reload1 link up' "link up again after the first driver reload" "$console"
expect 'GUEST: reload2 link up' "link up again after the second driver reload" "$console"
expect 'GUEST: iavf error lines=0' "no iavf error in the guest's kernel log" "$console"
expect 'GUEST: done' "guest ran to the end" "$console"
expect 'EVENT: link up' "the consumer saw the link go up" "$server"
expect 'RESET_VF\(2\)=[1-9]' "the driver reloads reset the VF" "$server"
exit $fail
