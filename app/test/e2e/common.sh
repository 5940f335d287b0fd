# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
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
# Set by the checks, read by the scripts that source this one.
# shellcheck disable=SC2034
fail=0

# expect PATTERN WHAT FILE: one check line, fail=1 when PATTERN is absent.
# shellcheck disable=SC2034
expect() {
	if grep -qE "$1" "$3"; then
		echo "ok: $2"
	else
		echo "FAILED: $2"; fail=1
	fi
}

# check WHAT COMMAND...: one check line from a command's status, fail=1
# when it fails.
# shellcheck disable=SC2034
check() {
	local what=$1
	shift
	if "$@"; then
		echo "ok: $what"
	else
		echo "FAILED: $what"; fail=1
	fi
}

# shellcheck source=app/test/dpdk_env.sh
. "$top/app/test/dpdk_env.sh"

# kill_guest PIDFILE: the VMM vanishes (kill -9 the QEMU that wrote it).
kill_guest() {
	local pid
	pid=$(cat "$1" 2>/dev/null) || return 0
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$1"
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
	kver=$(printf '%s\n' "$ROOT"/lib/modules/* | sort -V | tail -n 1)
	kver=${kver##*/}
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
# mempool driver (which EAL loads from its plugin directory, by the name
# ending in its full ABI version) need, as the
# chroot's ldd resolves them, libgcc_s (which glibc loads to cancel a
# thread) and coreutils' libstdbuf (testpmd's output line-buffered into a
# file); sets dpdk_files to their initramfs mappings.
guest_dpdk_files() {
	local ring gcc libs libdir f
	ring=$(cd "$ROOT" && find usr/lib -path '*/dpdk/pmds-*/librte_mempool_ring.so.*.*' |
		sort | head -n 1)
	gcc=$(find "$ROOT/usr/lib" -name libgcc_s.so.1 | head -n 1)
	if [ -z "$ring" ] || [ -z "$gcc" ]; then
		echo "no DPDK mempool driver or libgcc_s in the guest root" >&2
		return 1
	fi
	libs=$(chroot "$ROOT" ldd /usr/bin/dpdk-testpmd "/$ring" |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 }
			$1 ~ /^\// && $1 !~ /:$/ { print $1 }' | sort -u)
	# libgcc_s goes where ldd found libc: the directory the guest searches.
	libdir=$(dirname "$(grep -m 1 '/libc\.so' <<<"$libs")")
	dpdk_files=("bin/dpdk-testpmd=$ROOT/usr/bin/dpdk-testpmd" "$ring=$ROOT/$ring"
		"${libdir#/}/libgcc_s.so.1=$gcc"
		"lib/libstdbuf.so=$ROOT/usr/libexec/coreutils/libstdbuf.so")
	for f in $libs; do
		dpdk_files+=("${f#/}=$ROOT$f")
	done
}
