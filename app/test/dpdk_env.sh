# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# shellcheck disable=SC2154 # $build is the sourcing script's
#
# The DPDK a build directory ($build) was configured with, for the scripts
# that run its testpmd: sourced by e2e/common.sh and bench/.

# dpdk_pkg_config ARG...: pkg-config on the DPDK the build used.
dpdk_pkg_config() {
	local path
	path=$(meson introspect "$build" --buildoptions | python3 -c '
import json, sys
print(":".join(next(o["value"] for o in json.load(sys.stdin)
                    if o["name"] == "pkg_config_path")))')
	PKG_CONFIG_PATH=$path${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH} \
		pkg-config "$@" libdpdk
}

# dpdk_testpmd_env: testpmd's path in $testpmd, and a library path that
# finds DPDK's and the build's libraries.
dpdk_testpmd_env() {
	local libdir
	libdir=$(dpdk_pkg_config --variable=libdir)
	testpmd=$(dpdk_pkg_config --variable=prefix)/bin/dpdk-testpmd
	[ -x "$testpmd" ] || { echo "no $testpmd in the DPDK the build used"; return 1; }
	export LD_LIBRARY_PATH="$build/lib/vfio_user:$build/lib/emudev:$libdir"
}
