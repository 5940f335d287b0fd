#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Soak: one testpmd (emu_iavf + net_iavfbe, as iavfbe_qemu.sh sets it up)
# serves VM after VM for SOAK_SECONDS. Each VM session runs Linux's iavf
# sending the same 16 MiB over TCP in a loop, every transfer checked by
# md5 at the far end, with VF resets and link flaps between transfers
# (devtools/guest/init-soak.sh), and the host stopping and starting its
# port (a link flap the guest sees) now and then; sessions alternate
# between a strict vIOMMU (the guest maps and unmaps every buffer:
# thousands of DMA maps per second) and none. Each session ends with QEMU killed, and the next VMM
# connects to the same socket. Between sessions, with no VMM attached,
# the process's fds, VMAs and RSS are sampled: they must stay flat.
#
#   iavfbe_soak.sh BUILD_DIR [ARTIFACT_DIR]
#
# Environment:
#   SOAK_SECONDS   total time (default 600)
#   SOAK_SESSION   seconds of one VM session, boot included (default 180)
#   GUEST_SMP      vCPUs (default 2)

set -euo pipefail

# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"
name=soak
total=${SOAK_SECONDS:-600}
session_len=${SOAK_SESSION:-180}
moddir=$(mktemp -d)
guest_modules "$moddir" libeth libie iavf
host_cleanup_extra=$moddir
# shellcheck source=iavfbe_host.sh
. "$(dirname "$0")/iavfbe_host.sh"
curve="$art/soak-resources.log"

# resources LABEL: one line of the process's fds, VMAs and RSS (KiB).
resources() {
	printf '%s fds=%s vmas=%s rss_kib=%s\n' "$1" \
		"$(find "/proc/$testpmd_pid/fd" -mindepth 1 -maxdepth 1 | wc -l)" \
		"$(wc -l < "/proc/$testpmd_pid/maps")" \
		"$(awk '/^VmRSS/ { print $2 }' "/proc/$testpmd_pid/status")"
}

field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$2"; }

resources "start" | tee "$curve"
deadline=$((SECONDS + total))
session=0 host_flaps=0
while [ $session -eq 0 ] || [ $((deadline - SECONDS)) -ge 90 ]; do
	session=$((session + 1))
	iommu=none
	[ $((session % 2)) = 1 ] && iommu=strict
	len=$((deadline - SECONDS))
	[ $len -gt "$session_len" ] && len=$session_len
	[ "$len" -lt 90 ] && len=90
	console="$art/soak-console-$session.log"
	GUEST_SMP=${GUEST_SMP:-2} GUEST_TIMEOUT=$((len + 60)) GUEST_MEM=512M \
		GUEST_IOMMU=$iommu GUEST_PIDFILE=$pidfile \
		"$top/devtools/run-guest.sh" "$sock" \
		"$top/devtools/guest/init-soak.sh" "${mods[@]}" \
		< /dev/null > "$console" 2>&1 &
	qemu=$!
	end=$((SECONDS + len))
	next_flap=$((SECONDS + 60))
	while [ $SECONDS -lt $end ] && kill -0 $qemu 2>/dev/null; do
		sleep 1 # the session's clock
		[ $SECONDS -ge $next_flap ] || continue
		# The host's side of a link flap: the port stops and starts
		# (the guest sees its link go down and up), mid-transfer; down
		# for a second once stopped.
		echo "stop" >&3
		testpmd_sync "port stop 0" || true
		sleep 1
		echo "port start 0" >&3
		testpmd_sync "start" || true
		host_flaps=$((host_flaps + 1))
		next_flap=$((SECONDS + 45))
	done
	# The VMM goes; the next session's VMM takes the socket again.
	gone=$(($(grep -c 'client disconnected' "$pmdlog" || true) + 1))
	kill_guest "$pidfile"
	wait $qemu 2>/dev/null || true
	sed -i 's/\r$//' "$console"
	wait_disconnects "$gone" || echo "the device did not see VMM $session go"
	ok=$(grep -c '^GUEST: soak round [0-9]* ok' "$console" || true)
	bad=$(grep -c '^GUEST: soak round [0-9]* \(FAILED\|no traffic\)' "$console" || true)
	resources "session $session ($iommu vIOMMU, ${len} s): rounds ok=$ok bad=$bad" |
		tee -a "$curve"
done

stats=$(python3 "$top/app/test/e2e/telemetry.py" \
	"/var/run/dpdk/emunic$id/dpdk_telemetry.v2" /vfio_user/info,0 2>/dev/null || echo "{}")
testpmd_sync "show port xstats 0" || true
alive=0
kill -0 "$testpmd_pid" && alive=1
echo "stop" >&3
echo "quit" >&3
exec 3>&-
wait "$testpmd_pid" || true

bytes=$(sed -n 's/^GUEST: soak data md5 [0-9a-f]* bytes \([0-9]*\)/\1/p' \
	"$art"/soak-console-1.log | head -n 1)
ok_all=$(cat "$art"/soak-console-*.log | grep -c '^GUEST: soak round [0-9]* ok' || true)
bad_all=$(cat "$art"/soak-console-*.log |
	grep -c '^GUEST: soak round [0-9]* \(FAILED\|no traffic\)' || true)
resets=$(cat "$art"/soak-console-*.log | grep -c '^GUEST: soak round [0-9]* VF reset' || true)
flaps=$(cat "$art"/soak-console-*.log | grep -c '^GUEST: soak round [0-9]* link flap' || true)
echo "soak: $session VM sessions, $ok_all transfers verified ($((ok_all * ${bytes:-0} / 1048576)) MiB), $bad_all failed; $((resets * 2)) VF resets, $flaps link flaps by the guest, $host_flaps by the host"
echo "soak: vfio-user $(python3 -c '
import json, sys
d = json.loads(sys.argv[1])
print(", ".join("%s=%s" % (k, d.get(k)) for k in ("connects", "disconnects",
      "dma_map_cmds", "dma_unmap_cmds", "dma_maps_max", "errors",
      "abuse_disconnects", "mem_faults")))' "$stats")"
cat "$curve"

if [ "$ok_all" -gt 0 ] && [ "$bad_all" -eq 0 ]; then
	echo "ok: every transfer arrived intact (md5 at the far end)"
else
	echo "FAILED: every transfer arrived intact"; fail=1
fi
if [ "$(grep -c '^session' "$curve")" -eq "$session" ] && [ "$session" -ge 2 ]; then
	echo "ok: $session VMMs served one after the other"
else
	echo "FAILED: several VMM sessions"; fail=1
fi
for s in $(seq "$session"); do
	n=$(grep -c '^GUEST: soak round [0-9]* ok' "$art/soak-console-$s.log" || true)
	[ "$n" -gt 0 ] || { echo "FAILED: session $s moved data"; fail=1; }
done
# Flat: fds exactly as after the first session, VMAs and RSS within slack
# (thread arenas, mempool caches warm up in the first one).
first=$(sed -n 2p "$curve") last=$(tail -n 1 "$curve")
if [ "$(field fds "$first")" = "$(field fds "$last")" ] &&
   [ $(($(field vmas "$last") - $(field vmas "$first"))) -le 16 ] &&
   [ $(($(field rss_kib "$last") - $(field rss_kib "$first"))) -le 32768 ]; then
	echo "ok: fds, VMAs and RSS flat across sessions"
else
	echo "FAILED: fds, VMAs and RSS flat across sessions"; fail=1
fi
if python3 -c '
import json, sys
d = json.loads(sys.argv[1])
sys.exit(0 if d.get("errors") == 0 and d.get("abuse_disconnects") == 0 and
         d.get("mem_faults") == 0 else 1)' "$stats"; then
	echo "ok: no vfio-user error reply, abuse or memory fault"
else
	echo "FAILED: no vfio-user error reply, abuse or memory fault"; fail=1
fi
host_final_checks "every VM"
exit $fail
