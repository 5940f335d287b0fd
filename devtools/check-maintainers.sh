#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# List the files of the tree that no F: line of MAINTAINERS covers (a
# path, a directory ending in /, or a shell glob); fail when there is one.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mapfile -t patterns < <(sed -n 's/^F: *//p' MAINTAINERS)

covered() {
	local f=$1 p
	for p in "${patterns[@]}"; do
		case "$p" in
		*/) [[ $f == "$p"* ]] && return 0 ;;
		*) # shellcheck disable=SC2053 # p is a glob
			[[ $f == $p ]] && return 0 ;;
		esac
	done
	return 1
}

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files)
else
	mapfile -t files < <(find . -type f -not -path './build*' -not -path './.git/*' |
		sed 's|^\./||' | sort)
fi
missing=0
for f in "${files[@]}"; do
	covered "$f" && continue
	echo "MAINTAINERS: no F: line covers $f"
	missing=$((missing + 1))
done
echo "MAINTAINERS: ${#files[@]} files, $missing not covered"
[ "$missing" -eq 0 ]
