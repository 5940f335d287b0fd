#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Set up everything the project needs on Debian 12 and build it:
# system packages, DPDK 22.11 with the driver SDK (devtools/setup-dpdk.sh),
# then this tree, plainly and with ASan/UBSan.
#
# Prints the directory holding the build trees on its last line.
#
# DPDK refuses to load plugins (-d) from below a world-writable directory
# such as /tmp, so a clone there builds under the cache directory instead.
#
# Environment:
#   PKG_CONFIG_PATH  a DPDK with the driver SDK; skips building one when
#                    libdpdk is found there
#   EMUNIC_CACHE     cache root (default: ~/.cache/emunic)
#   BUILD_ROOT       where the build trees go (default: see above)

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${EMUNIC_CACHE:-$HOME/.cache/emunic}

log() { echo "build: $*" >&2; }

install_packages() {
	local pkgs=(build-essential meson ninja-build pkg-config libjson-c-dev
		clang libclang-rt-14-dev python3 debootstrap gawk iproute2 ethtool
		iputils-ping python3-sphinx doxygen shellcheck valgrind)
	local missing
	missing=$(dpkg-query -W -f='${Package} ${Status}\n' "${pkgs[@]}" 2>&1 |
		grep -v 'ok installed' | awk '{print $NF}' || true)
	if [ -n "$missing" ] ||
	   [ "$(dpkg-query -W "${pkgs[@]}" 2>/dev/null | wc -l)" -lt "${#pkgs[@]}" ]; then
		[ "$(id -u)" -eq 0 ] || { log "please install: ${pkgs[*]}"; exit 1; }
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
	fi
}

# True when dir or one of its parents is world-writable.
under_world_writable() {
	local d=$1
	while [ "$d" != / ]; do
		[ -n "$(find "$d" -maxdepth 0 -perm -0002 2>/dev/null)" ] && return 0
		d=$(dirname "$d")
	done
	return 1
}

install_packages
if ! PKG_CONFIG_PATH=${PKG_CONFIG_PATH:-} pkg-config --exists libdpdk 2>/dev/null; then
	PKG_CONFIG_PATH=$("$top/devtools/setup-dpdk.sh" | tail -n 1)
fi
export PKG_CONFIG_PATH
log "DPDK $(pkg-config --modversion libdpdk) from $(pkg-config --variable=prefix libdpdk)"

if [ -z "${BUILD_ROOT:-}" ]; then
	BUILD_ROOT=$top
	if under_world_writable "$top"; then
		BUILD_ROOT="$CACHE/builds/$(printf '%s' "$top" | sha1sum | cut -c1-8)"
	fi
fi
mkdir -p "$BUILD_ROOT"

setup() {
	local dir=$1; shift
	if [ -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" "$top" "$@" >/dev/null
	else
		meson setup "$dir" "$top" "$@" >/dev/null
	fi
	ninja -C "$dir" >&2
}

setup "$BUILD_ROOT/build"
setup "$BUILD_ROOT/build-asan" -Db_sanitize=address,undefined -Db_lundef=false
CC=clang setup "$BUILD_ROOT/build-fuzz" -Dfuzz=true -Db_lundef=false
echo "$BUILD_ROOT"
