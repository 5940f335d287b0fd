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

# guest_modules DIR MODULE...: the guest kernel's modules, decompressed
# into DIR (busybox insmod reads plain ELF); sets mods to their initramfs
# mappings for run-guest.sh (lib/modules/NAME.ko).
guest_modules() {
	local dir=$1 kver f m
	shift
	kver=$(ls "$ROOT/lib/modules" | sort -V | tail -n 1)
	mods=()
	for m in "$@"; do
		f=$(find "$ROOT/lib/modules/$kver" -name "$m.ko*" | head -n 1)
		[ -n "$f" ] || { echo "no module $m in the guest kernel" >&2; return 1; }
		case "$f" in
		*.xz) xz -dc "$f" > "$dir/$m.ko" ;;
		*.zst) zstd -qdc "$f" > "$dir/$m.ko" ;;
		*) cp "$f" "$dir/$m.ko" ;;
		esac
		mods+=("lib/modules/$m.ko=$dir/$m.ko")
	done
}

# guest_dpdk_files: the chroot's dpdk-testpmd, every library it and the
# mempool driver (which EAL loads from its plugin directory) need, as the
# chroot's ldd resolves them, libgcc_s (which glibc loads to cancel a
# thread) and coreutils' libstdbuf (testpmd's output line-buffered into a
# file); sets dpdk_files to their initramfs mappings.
guest_dpdk_files() {
	local pmds=usr/lib/x86_64-linux-gnu/dpdk/pmds-25.0 f
	local ring=$pmds/librte_mempool_ring.so.25.0
	local gcc=lib/x86_64-linux-gnu/libgcc_s.so.1
	dpdk_files=("bin/dpdk-testpmd=$ROOT/usr/bin/dpdk-testpmd" "$ring=$ROOT/$ring"
		"$gcc=$ROOT/$gcc"
		"lib/libstdbuf.so=$ROOT/usr/libexec/coreutils/libstdbuf.so")
	for f in $(chroot "$ROOT" ldd /usr/bin/dpdk-testpmd "/$ring" |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 }
			$1 ~ /^\// && $1 !~ /:$/ { print $1 }' |
		sort -u); do
		dpdk_files+=("${f#/}=$ROOT$f")
	done
}
