# SPDX-License-Identifier: BSD-3-Clause
#
# Shared by the end-to-end scripts: sourced with the build directory as $1
# and the artifact directory as optional $2. Sets build, top, art, ROOT
# (the guest chroot, where sockets must live) and defines expect().

build=$(cd "$1" && pwd)
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
art=${2:-$build/e2e-artifacts}
mkdir -p "$art"
ROOT=$("$top/devtools/setup-guest.sh" | tail -n 1)
mkdir -p "$ROOT/run/emunic"
fail=0

# expect PATTERN WHAT FILE: one check line, fail=1 when PATTERN is absent.
expect() {
	if grep -qE "$1" "$3"; then
		echo "ok: $2"
	else
		echo "FAILED: $2"; fail=1
	fi
}

# wait_socket PATH: until a server listens there (5 s at most).
wait_socket() {
	for _ in $(seq 50); do [ -S "$1" ] && return 0; sleep 0.1; done
	return 1
}

# guest_modules DIR: the guest's iavf and the modules it needs, decompressed
# into DIR (busybox insmod reads plain ELF); sets mods to their initramfs
# mappings for run-guest.sh.
guest_modules() {
	local kver f m
	kver=$(ls "$ROOT/lib/modules" | sort -V | tail -n 1)
	mods=()
	for m in libeth libie iavf; do
		f=$(find "$ROOT/lib/modules/$kver" -name "$m.ko*" | head -n 1)
		case "$f" in
		*.xz) xz -dc "$f" > "$1/$m.ko" ;;
		*.zst) zstd -qdc "$f" > "$1/$m.ko" ;;
		*) cp "$f" "$1/$m.ko" ;;
		esac
		mods+=("lib/modules/$m.ko=$1/$m.ko")
	done
}
