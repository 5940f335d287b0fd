#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Run each libFuzzer target for a bounded time on a copy of its seed
# corpus. Crashes, leaks and sanitizer reports fail the run; the inputs
# that caused them are kept in the artifact directory.
#
#   run.sh FUZZ_BUILD_DIR SECONDS

set -euo pipefail

build=$1 seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
work="$build/fuzz-work"
rm -rf "$work"

# fuzz TARGET SEED_DIR|"" [NAME [VAR=VALUE]]: run one target on a copy of
# its seeds, in the environment given.
fuzz() {
	local target=$1 seeds=$2 name=${3:-$1} dir
	local -a env=()
	[ $# -lt 4 ] || env=("$4")
	dir="$work/$name"
	mkdir -p "$dir/corpus" "$dir/artifacts"
	[ -z "$seeds" ] || cp "$seeds"/* "$dir/corpus/"
	echo "fuzz: $name, $seconds s"
	env "${env[@]}" "$build/app/test/fuzz/$target" -max_total_time="$seconds" \
		-rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
		-artifact_prefix="$dir/artifacts/" "$dir/corpus" \
		> "$dir/fuzz.log" 2>&1 || { tail -n 60 "$dir/fuzz.log"; return 1; }
	grep -E '^stat::(number_of_executed_units|peak_rss_mb)|cov:' \
		"$dir/fuzz.log" | tail -n 3
}

fuzz fuzz_vfio_user_server "$here/corpus/vfio_user"
# emu_iavf builds its own corpus from the VERSION/GET_VF_RESOURCES prefix.
fuzz fuzz_emu_iavf ""
# net_iavfbe's walkers, in both guest_offload modes.
fuzz fuzz_iavfbe "$here/corpus/iavfbe" fuzz_iavfbe_sw
fuzz fuzz_iavfbe "$here/corpus/iavfbe" fuzz_iavfbe_flags \
	IAVFBE_FUZZ_OFFLOAD=flags
# net_iavf_client against a hostile PF; it finds its way from nothing.
fuzz fuzz_iavf_client ""
