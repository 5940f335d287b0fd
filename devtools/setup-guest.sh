#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Prepare what the end-to-end tests run a guest with: a Debian trixie chroot
# holding QEMU with the vfio-user client (trixie-backports), a Linux 6.12
# kernel with its modules, busybox for the guest's initramfs, and DPDK
# 24.11 for the DPDK guest (its runtime libraries, net_iavf, and
# dpdk-testpmd, which Debian ships in dpdk-dev: the binary is taken out of
# that package, its libraries installed, its headers not). Bookworm has no
# vfio-user-pci, hence the chroot. Kept in a cache directory outside the
# clone and reused when complete.
#
# Prints the chroot's path on its last line.
#
# Environment:
#   EMUNIC_CACHE   cache root (default: ~/.cache/emunic)
#   DEBIAN_MIRROR  (default: http://deb.debian.org/debian)

set -euo pipefail

CACHE=${EMUNIC_CACHE:-$HOME/.cache/emunic}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PACKAGES="qemu-system-x86 linux-image-amd64 busybox-static kmod"
DPDK_PACKAGES="librte-net-iavf25 librte-mempool-ring25 librte-bus-pci25"
tag=$(printf '%s' "trixie;$PACKAGES;backports-qemu;$DPDK_PACKAGES;testpmd" |
	sha1sum | cut -c1-8)
ROOT="$CACHE/trixie-$tag"

log() { echo "setup-guest: $*" >&2; }

if [ -f "$ROOT/.complete" ]; then
	log "reusing $ROOT"
	echo "$ROOT"
	exit 0
fi

[ "$(id -u)" -eq 0 ] || { log "must run as root (debootstrap, chroot)"; exit 1; }
command -v debootstrap >/dev/null || {
	apt-get update -qq
	apt-get install -y -qq debootstrap >/dev/null
}

rm -rf "$ROOT"
mkdir -p "$CACHE"
log "debootstrap trixie into $ROOT"
debootstrap --variant=minbase trixie "$ROOT" "$MIRROR" >&2

cat > "$ROOT/etc/apt/sources.list" <<SRC
deb $MIRROR trixie main
deb $MIRROR trixie-backports main
SRC
# No daemons may start inside the chroot while packages install.
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
chmod +x "$ROOT/usr/sbin/policy-rc.d"

in_root() { chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive "$@"; }
in_root apt-get update -qq >&2
in_root apt-get install -y -qq --no-install-recommends \
	-t trixie-backports qemu-system-x86 >&2
in_root apt-get install -y -qq --no-install-recommends \
	linux-image-amd64 busybox-static kmod >&2
# shellcheck disable=SC2086
in_root apt-get install -y -qq --no-install-recommends $DPDK_PACKAGES >&2
install_testpmd() {
	local deps
	in_root sh -c 'cd /tmp && apt-get download -qq dpdk-dev &&
		dpkg-deb --fsys-tarfile dpdk-dev_*.deb |
		tar -x -C / ./usr/bin/dpdk-testpmd && rm -f dpdk-dev_*.deb' >&2
	# What dpdk-dev depends on, but for the headers.
	deps=$(in_root apt-cache depends dpdk-dev |
		awk '/^  Depends:/ && $2 !~ /^(<|libdpdk-dev$)/ { print $2 }')
	# shellcheck disable=SC2086
	in_root apt-get install -y -qq --no-install-recommends $deps >&2
	! in_root ldd /usr/bin/dpdk-testpmd | grep -q 'not found'
}
install_testpmd || { log "dpdk-testpmd cannot run in the chroot"; exit 1; }
in_root apt-get clean

ls "$ROOT"/boot/vmlinuz-* >/dev/null
in_root qemu-system-x86_64 -device help | grep -q vfio-user-pci ||
	{ log "QEMU in the chroot has no vfio-user-pci"; exit 1; }
touch "$ROOT/.complete"
log "done: $(in_root qemu-system-x86_64 --version | head -1)"
echo "$ROOT"
