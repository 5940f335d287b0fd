#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Build the DPDK this project is compiled against: 22.11 LTS from Debian's
# own source package, with the driver SDK headers that Debian's binary
# packages lack, installed into a versioned cache directory outside the
# clone. A prefix that is already complete is reused as is.
#
# Prints the prefix's pkg-config directory on its last line.
#
# Environment:
#   EMUNIC_CACHE   cache root (default: ~/.cache/emunic)
#   DPDK_VERSION   Debian source version (default: 22.11.11-0+deb12u1)

set -euo pipefail

DPDK_VERSION=${DPDK_VERSION:-22.11.11-0+deb12u1}
CACHE=${EMUNIC_CACHE:-$HOME/.cache/emunic}
upstream=${DPDK_VERSION%%-*}

# Everything that changes the installed result goes into the directory name,
# so that a changed configuration never reuses a stale prefix.
drivers="bus/pci,bus/vdev,mempool/ring,net/ring,net/null,net/vhost,net/virtio,net/memif,net/tap,net/af_packet"
disabled_libs="cfgfile,flow_classify,gpudev,kni,jobstats,node,pipeline,port,power,table,pdump,bitratestats,latencystats"
config="shared;sdk;generic;$drivers;$disabled_libs;testpmd"
tag=$(printf '%s' "$config" | sha1sum | cut -c1-8)
PREFIX="$CACHE/dpdk-$upstream-$tag"

log() { echo "setup-dpdk: $*" >&2; }

if [ -f "$PREFIX/.complete" ]; then
	log "reusing $PREFIX"
	echo "$PREFIX/lib/x86_64-linux-gnu/pkgconfig"
	exit 0
fi

install_build_deps() {
	local pkgs="build-essential meson ninja-build pkg-config python3-pyelftools
		libnuma-dev dpkg-dev xz-utils"
	# shellcheck disable=SC2086
	if dpkg-query -W -f='${Status}\n' $pkgs 2>/dev/null | grep -qv 'ok installed' ||
	   [ "$(dpkg-query -W -f='${Status}\n' $pkgs 2>/dev/null | wc -l)" -ne "$(echo $pkgs | wc -w)" ]; then
		[ "$(id -u)" -eq 0 ] || { log "missing build dependencies: $pkgs"; exit 1; }
		apt-get update -qq
		apt-get install -y -qq $pkgs >/dev/null
	fi
}

# apt-get source needs a deb-src line; add one for bookworm that this
# project owns, leaving the system's own sources alone.
ensure_deb_src() {
	local list=/etc/apt/sources.list.d/emunic-src.sources
	if ! apt-cache showsrc dpdk 2>/dev/null | grep -q "^Version: $DPDK_VERSION\$"; then
		[ "$(id -u)" -eq 0 ] || { log "need a deb-src line for bookworm"; exit 1; }
		cat > "$list" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		apt-get update -qq
	fi
}

fetch_source() {
	local srcdir="$CACHE/src"
	mkdir -p "$srcdir"
	if [ ! -f "$srcdir/dpdk_$upstream.orig.tar.xz" ]; then
		ensure_deb_src
		(cd "$srcdir" && apt-get source --download-only -qq "dpdk=$DPDK_VERSION" >&2)
	fi
	rm -rf "$CACHE/build-dpdk-$upstream"
	mkdir -p "$CACHE/build-dpdk-$upstream"
	tar -xf "$srcdir/dpdk_$upstream.orig.tar.xz" -C "$CACHE/build-dpdk-$upstream" \
		--strip-components=1
}

build_install() {
	local src="$CACHE/build-dpdk-$upstream"
	rm -rf "$PREFIX"
	meson setup "$src/build" "$src" \
		--prefix="$PREFIX" \
		--libdir=lib/x86_64-linux-gnu \
		-Dbuildtype=release \
		-Ddefault_library=shared \
		-Denable_driver_sdk=true \
		-Dplatform=generic \
		-Dtests=false \
		-Denable_apps=test-pmd \
		-Denable_drivers="$drivers" \
		-Ddisable_libs="$disabled_libs" >&2
	ninja -C "$src/build" >&2
	ninja -C "$src/build" install >&2
	rm -rf "$src"
	touch "$PREFIX/.complete"
}

install_build_deps
log "building DPDK $DPDK_VERSION into $PREFIX"
fetch_source
build_install
log "done"
echo "$PREFIX/lib/x86_64-linux-gnu/pkgconfig"
