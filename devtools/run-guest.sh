#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Boot the test guest (Linux 6.12 from the trixie chroot, busybox
# initramfs) in QEMU with one vfio-user-pci device, and print its console.
#
#   run-guest.sh SOCKET INIT [GUEST_PATH=HOST_FILE ...]
#
# SOCKET must lie inside the chroot (see guest_socket_dir below) because
# QEMU runs chrooted. INIT becomes the guest's /init. Exits with QEMU's
# status; the console goes to stdout.
#
# Environment:
#   EMUNIC_ACCEL    kvm, tcg or auto (default: auto, KVM when it works)
#   GUEST_TIMEOUT   seconds before QEMU is killed (default 120)
#   GUEST_MEM       guest RAM (default 512M)
#   GUEST_SMP       vCPUs (default 1)
#   GUEST_APPEND    extra kernel command line
#   GUEST_PIDFILE   where QEMU writes its pid (a path below the guest root)
#   GUEST_IOMMU     none (default), strict or pt: put the device behind an
#                   emulated Intel IOMMU, the guest kernel in strict DMA
#                   mode (every unmap invalidates at once) or passthrough

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${EMUNIC_CACHE:-$HOME/.cache/emunic}
ROOT=$("$here/setup-guest.sh" | tail -n 1)
sock=$1 init=$2
shift 2
timeout_s=${GUEST_TIMEOUT:-120}
mem=${GUEST_MEM:-512M}

case "$sock" in
"$ROOT"/*) ;;
*) echo "run-guest: socket must be under $ROOT" >&2; exit 2 ;;
esac

kernel=$(printf '%s\n' "$ROOT"/boot/vmlinuz-* | sort -V | tail -n 1)
kver=${kernel##*/vmlinuz-}
work="$ROOT/run/emunic"
mkdir -p "$work" "$CACHE/tools"

# Guest tools are static binaries built from the sources in guest/, and
# the shell helpers every guest init sources.
tools=()
for src in "$here"/guest/*.c; do
	name=$(basename "$src" .c)
	bin="$CACHE/tools/$name-$(sha1sum "$src" | cut -c1-8)"
	[ -x "$bin" ] || gcc -static -O2 -Wall -Wextra -Werror -o "$bin" "$src"
	tools+=("bin/$name=$bin")
done
tools+=("lib/emunic.sh=$here/guest/lib.sh"
	"lib/emunic-net.sh=$here/guest/net.sh")

initrd=$(mktemp "$work/initrd.XXXXXX")
trap 'rm -f "$initrd"' EXIT
python3 "$here/guest/mkinitramfs.py" "$initrd" \
	"init=$init" "bin/busybox=$ROOT/bin/busybox" "${tools[@]}" "$@"

# QEMU runs chrooted in a private mount namespace: the binds vanish with it.
# shellcheck disable=SC2016 # a script for sh -c, with its own arguments
in_root=(unshare -m --propagation private sh -c '
	root=$1; shift
	mount --bind /dev "$root/dev" && mount -t proc proc "$root/proc" &&
	exec chroot "$root" "$@"' sh "$ROOT")

kvm_works() {
	local stamp="$CACHE/kvm-$kver.ok" probe_init out
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	[ -f "$stamp" ] && return 0
	[ -f "$CACHE/kvm-$kver.fail" ] && return 1
	probe_init=$(mktemp)
	printf '#!/bin/busybox sh\necho KVM-PROBE-OK\n/bin/busybox poweroff -f\n' > "$probe_init"
	chmod +x "$probe_init"
	python3 "$here/guest/mkinitramfs.py" "$initrd" "init=$probe_init" \
		"bin/busybox=$ROOT/bin/busybox"
	rm -f "$probe_init"
	out=$(timeout 30 "${in_root[@]}" qemu-system-x86_64 -accel kvm -m 256M \
		-nodefaults -no-user-config -display none -serial stdio -no-reboot \
		-kernel "/boot/vmlinuz-$kver" -initrd "${initrd#"$ROOT"}" \
		-append "console=ttyS0 panic=-1" 2>&1 || true)
	if grep -q KVM-PROBE-OK <<<"$out"; then
		touch "$stamp"
		return 0
	fi
	touch "$CACHE/kvm-$kver.fail"
	return 1
}

accel=${EMUNIC_ACCEL:-auto}
if [ "$accel" = auto ]; then
	accel=tcg
	kvm_works && accel=kvm
	# The probe reused the initrd file: build the real one again.
	python3 "$here/guest/mkinitramfs.py" "$initrd" \
		"init=$init" "bin/busybox=$ROOT/bin/busybox" "${tools[@]}" "$@"
fi
cpu=max
[ "$accel" = kvm ] && cpu=host
echo "run-guest: QEMU $(chroot "$ROOT" qemu-system-x86_64 --version | head -n 1 | cut -d' ' -f4), accel $accel, kernel $kver" >&2

iommu_dev=() iommu_append=
case "${GUEST_IOMMU:-none}" in
none) ;;
strict) iommu_dev=(-device "intel-iommu,intremap=off,caching-mode=on")
	iommu_append="intel_iommu=on iommu.strict=1" ;;
pt) iommu_dev=(-device "intel-iommu,intremap=off,caching-mode=on")
	iommu_append="intel_iommu=on iommu=pt" ;;
*) echo "run-guest: GUEST_IOMMU is none, strict or pt" >&2; exit 2 ;;
esac

pidfile_arg=()
[ -z "${GUEST_PIDFILE:-}" ] || pidfile_arg=(-pidfile "${GUEST_PIDFILE#"$ROOT"}")
dev_json="{\"driver\":\"vfio-user-pci\",\"socket\":{\"path\":\"${sock#"$ROOT"}\",\"type\":\"unix\"},\"id\":\"vfu0\"}"
boot() {
	timeout --kill-after=5 "$timeout_s" "${in_root[@]}" qemu-system-x86_64 \
		-accel "$accel" -cpu "$cpu" -smp "${GUEST_SMP:-1}" -m "$mem" \
		-object "memory-backend-memfd,id=mem,size=$mem,share=on" \
		-machine q35,memory-backend=mem \
		-nodefaults -no-user-config -display none -serial stdio -no-reboot \
		-kernel "/boot/vmlinuz-$kver" -initrd "${initrd#"$ROOT"}" \
		-append "console=ttyS0 panic=-1 loglevel=4 $iommu_append ${GUEST_APPEND:-}" \
		"${iommu_dev[@]}" "${pidfile_arg[@]}" -device "$dev_json"
}

# A guest kernel that panics before /init runs (seen under TCG: an int3
# left behind by the kernel's own code patching, on a vCPU that ran the
# old translation) never reached the test or the device: boot it once
# more, and say so. A panic after /init started is the test's to judge.
out=$(mktemp "$work/console.XXXXXX")
trap 'rm -f "$initrd" "$out"' EXIT
rc=0
boot > >(tee "$out") 2>&1 || rc=$?
wait $! 2>/dev/null || true # tee has written all of it
if [ "$rc" -ne 124 ] && grep -q 'Kernel panic' "$out" &&
   ! grep -q 'GUEST-INIT: started' "$out"; then
	# On the console, where the tests show the guest's lines.
	echo "GUEST: run-guest: the guest kernel panicked while booting, before /init ran; booting it again"
	rc=0
	boot || rc=$?
fi
exit "$rc"
