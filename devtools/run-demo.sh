#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The main job: set everything up; testpmd serves an emulated Intel AVF
# (emu_iavf) and forwards between its data path (net_iavfbe) and a veth
# pair whose far end lives in a network namespace created here; QEMU
# boots a Linux guest whose own iavf driver binds to the device, pings the
# namespace and sends 64 MiB over TCP (checked at the far end). The
# guest's messages and testpmd's port statistics are printed.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
broot=$("$top/devtools/build.sh" | tail -n 1)
exec "$top/app/test/e2e/iavfbe_qemu.sh" "$broot/build" "$broot/demo-artifacts"
