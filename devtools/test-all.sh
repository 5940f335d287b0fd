#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Set up and run every test: the autotests (plain and under ASan/UBSan),
# the docs build and shellcheck (warnings are failures), the benchmarks
# (figures), a bounded fuzzing run, the end-to-end tests with QEMU and
# Linux and DPDK guests, and a soak. The last line is "N passed, N failed".
#
# Environment:
#   FUZZ_SECONDS   fuzzing time per target (default 60)
#   SOAK_SECONDS   length of the soak (default 600)

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
broot=$("$top/devtools/build.sh" | tail -n 1) || { echo "0 passed, 1 failed"; exit 1; }
passed=0 failed=0
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
failures=()

# step NAME CMD...: run one step, its output also kept, so that the end
# of the run can show the failed steps' last lines, where a truncated CI
# log still has them. tee runs beside the step, not in a pipe after it: a
# process the step leaves behind with its stdout must not stall the run.
step() {
	local name=$1; shift
	local log
	log="$logs/$((passed + failed)).log"
	echo "=== $name"
	if "$@" > >(tee "$log") 2>&1; then
		echo "=== $name: passed"
		passed=$((passed + 1))
	else
		echo "=== $name: FAILED"
		failed=$((failed + 1))
		failures+=("$name|$log")
	fi
}

# The failed steps again, each with its last lines.
report_failures() {
	local f
	for f in "${failures[@]}"; do
		echo "=== FAILED: ${f%%|*}; its last lines:"
		tail -n 40 "${f#*|}"
	done
}

# meson test, then the failure lines again at the end, where a truncated
# CI log still shows them.
autotests() {
	local dir=$1
	meson test -C "$dir" --suite fast-tests --print-errorlogs && return 0
	echo "--- failures in $dir:"
	grep -E "^TestCase .* failed|: case .* failed|^fd leak|^  fd [0-9]|Sanitizer|runtime error|^Test .*: Failed|fatal signal|emunic-test\(|\.so(\.[0-9]+)*\(" \
		"$dir/meson-logs/testlog.txt" | tail -40
	return 1
}

# Figures, not pass/fail: the step fails only when a benchmark cannot run.
benchmarks() {
	local dir=$1
	meson test -C "$dir" --benchmark --print-errorlogs >/dev/null || {
		tail -40 "$dir/meson-logs/testlog.txt"; return 1; }
	grep -hE "^(iavfbe_perf|iavfbe_cost: .*instructions|REGION_READ|IRQ trigger|loopback)" \
		"$dir/meson-logs/testlog.txt"
	# One table and one plot of the cells, kept next to the build trees.
	python3 "$top/devtools/bench-report.py" "$dir/meson-logs/testlog.txt" \
		"$broot/benchmark"
}

# Every shell script of the tree, as shellcheck reads them (.shellcheckrc).
shell_scripts() {
	(cd "$top" && find . -name '*.sh' -not -path './build*' -print0 |
		xargs -0 shellcheck .ci/run)
}

# Hugepages for iavf_client_hugepages_autotest (256 MiB of 2 MiB pages),
# where the machine lets root have them; the test skips itself otherwise.
hugepages() {
	local nr=/proc/sys/vm/nr_hugepages
	[ "$(cat $nr 2>/dev/null || echo 0)" -ge 128 ] || echo 128 > $nr 2>/dev/null || true
	mkdir -p /dev/hugepages 2>/dev/null || true
	mountpoint -q /dev/hugepages ||
		mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null || true
}
hugepages

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
step "autotests" autotests "$broot/build"
step "autotests (ASan/UBSan)" autotests "$broot/build-asan"
step "docs: sphinx guides and doxygen API, warnings as errors" \
	"$top/devtools/build-docs.sh" "$broot/docs"
step "shellcheck: every script" shell_scripts
step "MAINTAINERS covers every file" "$top/devtools/check-maintainers.sh"
step "benchmarks (net_iavfbe vs vhost-user, vfio-user round trip)" benchmarks "$broot/build"
step "fuzz (vfio-user server, emu_iavf mailbox, net_iavfbe walkers, net_iavf_client)" "$top/app/test/fuzz/run.sh" "$broot/build-fuzz" "${FUZZ_SECONDS:-60}"
step "e2e: net_iavf_client in testpmd on testpmd serving emu_iavf (both ways, server restart)" \
	"$top/app/test/e2e/iavf_client_testpmd.sh" "$broot/build"
step "e2e: QEMU guest sees the sample device" "$top/app/test/e2e/sample_qemu.sh" "$broot/build"
step "e2e: Linux iavf guest on emu_iavf" "$top/app/test/e2e/iavf_qemu.sh" "$broot/build"
# e2e GUEST_SETTINGS...: the net_iavfbe end-to-end test in one setup.
e2e() {
	env "$@" "$top/app/test/e2e/iavfbe_qemu.sh" "$broot/build"
}
step "e2e: Linux guest, 2 vCPUs, testpmd's and emu_iavf's defaults" \
	e2e E2E_NAME=linux-2vcpu GUEST_SMP=2
step "e2e: Linux guest, 4 vCPUs, testpmd's and emu_iavf's defaults" \
	e2e E2E_NAME=linux-4vcpu GUEST_SMP=4
step "e2e: Linux guest, 4 vCPUs, 3 testpmd queues, 6 emu_iavf queues" \
	e2e E2E_NAME=linux-3q GUEST_SMP=4 HOST_QUEUES=3 EMU_QUEUES=6
step "e2e: Linux guest, DYN_CTLN trapped (emu_iavf shadow_irq=0)" \
	e2e E2E_NAME=linux-trapped-irq GUEST_SMP=2 EMU_SHADOW_IRQ=0
step "e2e: Linux guest behind a strict vIOMMU" \
	e2e E2E_NAME=linux-viommu-strict GUEST_SMP=2 GUEST_IOMMU=strict
step "e2e: Linux guest behind a vIOMMU in passthrough" \
	e2e E2E_NAME=linux-viommu-pt GUEST_SMP=2 GUEST_IOMMU=pt
step "e2e: Linux guest, a VF reset every second during TCP" \
	e2e E2E_NAME=linux-reset-loop GUEST_SMP=2 RESET_LOOP=1
step "e2e: DPDK 24.11 guest (net_iavf, vfio-pci, strict vIOMMU)" \
	e2e E2E_NAME=dpdk-guest GUEST_SMP=2 GUEST_IOMMU=strict GUEST_DRIVER=dpdk
step "soak: VM after VM for ${SOAK_SECONDS:-600} s (TCP checked by md5, vIOMMU churn, VF resets, link flaps, VMM reconnects)" \
	env SOAK_SECONDS="${SOAK_SECONDS:-600}" "$top/app/test/e2e/iavfbe_soak.sh" "$broot/build"

report_failures
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
