#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The main job: set everything up, serve an emulated Intel AVF (emu_iavf)
# with dpdk-emudev-monitor as its consumer, boot a Linux guest in QEMU
# attached to it over vfio-user, and print what the guest's own iavf
# driver did (bind, link up, two reloads) and the virtchnl ops it sent.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
broot=$("$top/devtools/build.sh" | tail -n 1)
exec "$top/app/test/e2e/iavf_qemu.sh" "$broot/build" "$broot/demo-artifacts"
