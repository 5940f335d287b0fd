#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The main job: set everything up, serve the sample device with
# dpdk-vfio-user-sample, boot a Linux guest in QEMU attached to it over
# vfio-user, and print what the guest sees and the server's message counts.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
broot=$("$top/devtools/build.sh" | tail -n 1)
exec "$top/app/test/e2e/sample_qemu.sh" "$broot/build" "$broot/demo-artifacts"
