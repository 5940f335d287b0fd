#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Build the guides (sphinx) and the API reference (doxygen) into OUT
# (default: build-docs/ in the tree). Any warning fails the build: a
# broken reference, a function without @param or @return, an undocumented
# public member.
#
# Usage: devtools/build-docs.sh [OUT]

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build-docs}

for tool in sphinx-build doxygen; do
	command -v "$tool" >/dev/null || {
		echo "docs: $tool missing (Debian: python3-sphinx doxygen)" >&2
		exit 1; }
done
rm -rf "$out"
mkdir -p "$out/api"
sphinx-build -q -W --keep-going -b html "$top/doc/guides" "$out/guides"
# doxygen exits 0 on warnings unless WARN_AS_ERROR stops it; check both.
EMUNIC_TOP=$top EMUNIC_API_OUT=$out/api doxygen "$top/doc/api/doxy-api.conf" \
	2>"$out/api/warnings.txt" || { cat "$out/api/warnings.txt" >&2; exit 1; }
if [ -s "$out/api/warnings.txt" ]; then
	cat "$out/api/warnings.txt" >&2
	exit 1
fi
echo "docs: guides in $out/guides, API reference in $out/api/html"
