#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Run the libFuzzer targets for a bounded time on a copy of the seed
# corpus. Crashes, leaks and sanitizer reports fail the run; the inputs
# that caused them are kept in the artifact directory.
#
#   run.sh FUZZ_BUILD_DIR SECONDS

set -euo pipefail

build=$1 seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
work="$build/fuzz-work"
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$here"/corpus/vfio_user/* "$work/corpus/"
"$build/app/test/fuzz/fuzz_vfio_user_server" -max_total_time="$seconds" \
	-rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
	-artifact_prefix="$work/artifacts/" "$work/corpus" \
	> "$work/fuzz.log" 2>&1 || { tail -n 60 "$work/fuzz.log"; exit 1; }
grep -E '^stat::(number_of_executed_units|peak_rss_mb)|cov:' "$work/fuzz.log" | tail -n 3
