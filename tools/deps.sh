#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Idempotent dependency setup for sbuddy: Debian packages, the two guest
# kernels (image + headers, unpacked into the cache, never installed into
# /boot) and the unpacked linux-source trees.  Versions are resolved at run
# time from Debian's meta packages.
#
# Usage: tools/deps.sh [all|base|kernel K|source K]
#        tools/deps.sh kver K | kdir K | vmlinuz K | ksrc K   (print a path)
# K is 6.1 or 6.12, or debug for the project's debug kernel (kdir, vmlinuz,
# kver only: tools/debug-kernel.sh builds it from linux-source-6.1).
set -euo pipefail

SB_CACHE=${SB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sbuddy}
mkdir -p "$SB_CACHE"
export DEBIAN_FRONTEND=noninteractive

log() { echo "deps: $*" >&2; }
die() { echo "deps: error: $*" >&2; exit 1; }

BASE_PKGS="qemu-system-x86 busybox-static cpio flex bison bc libelf-dev
libssl-dev sparse rsync xz-utils python3 gcc make perl libc6-dev kmod gcc-multilib dwarves
linux-source-6.1 linux-source-6.12 librsvg2-bin"

apt_updated=
apt_update_once() {
	[ -n "$apt_updated" ] && return 0
	# The stamp keeps a second run from hitting the network at all.
	if [ ! -e "$SB_CACHE/.apt-updated" ] || [ -n "$(find "$SB_CACHE/.apt-updated" -mmin +720)" ]; then
		log "apt-get update"
		apt-get update -qq >&2 || die "apt-get update failed"
		touch "$SB_CACHE/.apt-updated"
	fi
	apt_updated=1
}

ensure_base() {
	local missing=
	for p in $BASE_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	apt_update_once
	log "installing:$missing"
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2 ||
		die "apt-get install failed:$missing"
}

meta_pkg() {
	case "$1" in
	6.1) echo linux-image-cloud-amd64 ;;
	6.12) echo linux-image-6.12-cloud-amd64 ;;
	*) die "unknown kernel '$1' (use 6.1 or 6.12)" ;;
	esac
}

# kver K: the kernel release (uname -r) the meta package points at now.
kver() {
	local meta dep v
	meta=$(meta_pkg "$1")
	dep=$(apt-cache depends "$meta" 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
	if [ -z "$dep" ]; then
		apt_update_once
		dep=$(apt-cache depends "$meta" 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
	fi
	if [ -z "$dep" ]; then
		# Offline with a warm cache: use the newest unpacked one.
		v=$(cd "$SB_CACHE/kernels" 2>/dev/null && ls -d "$1".*cloud-amd64 "$1"-*cloud-amd64 2>/dev/null | sort -V | tail -n 1)
		[ -n "$v" ] || die "cannot resolve the $1 kernel version"
		echo "$v"
		return
	fi
	echo "${dep#linux-image-}"
}

# ensure_kernel K: image + headers + kbuild unpacked under kernels/<kver>.
ensure_kernel() {
	local v root common kbuild dir d
	v=$(kver "$1")
	root="$SB_CACHE/kernels/$v"
	[ -e "$root/.done" ] && return 0
	log "fetching kernel $v"
	apt_update_once
	common="linux-headers-${v%-cloud-amd64}-common"
	case "$1" in
	6.1) kbuild="linux-kbuild-6.1" ;;
	*) kbuild="linux-kbuild-${v%-cloud-amd64}" ;;
	esac
	dir=$(mktemp -d "$SB_CACHE/dl.XXXXXX")
	(cd "$dir" && apt-get -o APT::Sandbox::User=root download "linux-image-$v" "linux-headers-$v" "$common" "$kbuild" >&2) ||
		die "apt-get download failed for kernel $v"
	rm -rf "$root"
	mkdir -p "$root"
	for d in "$dir"/*.deb; do
		dpkg-deb -x "$d" "$root"
	done
	rm -rf "$dir"
	# The arch headers include the common ones by absolute path.
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$root/usr/src/linux-headers-$v/Makefile"
	[ -e "$root/boot/vmlinuz-$v" ] || die "no vmlinuz in linux-image-$v"
	touch "$root/.done"
}

# ensure_source K: linux-source-K unpacked under src/<package version>.
ensure_source() {
	local pv dst
	ensure_base
	pv=$(dpkg-query -W -f='${Version}' "linux-source-$1")
	dst="$SB_CACHE/src/linux-source-$1-$pv"
	if [ ! -e "$dst/.done" ]; then
		log "unpacking linux-source-$1 $pv"
		rm -rf "$dst" "$dst.tmp"
		mkdir -p "$dst.tmp"
		tar -C "$dst.tmp" -xf "/usr/src/linux-source-$1.tar.xz"
		mv "$dst.tmp/linux-source-$1" "$dst"
		rm -rf "$dst.tmp"
		touch "$dst/.done"
	fi
	echo "$dst"
}

cmd=${1:-all}
if [ "${2:-}" = debug ]; then
	here=$(cd "$(dirname "$0")/.." && pwd)
	case "$cmd" in
	kdir) exec "$here/tools/debug-kernel.sh" kdir ;;
	vmlinuz) exec "$here/tools/debug-kernel.sh" vmlinuz ;;
	kver) basename "$("$here/tools/debug-kernel.sh" config)"; exit 0 ;;
	kernel) exec "$here/tools/debug-kernel.sh" build >/dev/null ;;
	*) die "'$cmd' has no debug kernel form" ;;
	esac
fi
case "$cmd" in
all)
	ensure_base
	ensure_kernel 6.1
	ensure_kernel 6.12
	ensure_source 6.1 >/dev/null
	;;
base) ensure_base ;;
kernel) ensure_kernel "${2:?kernel}" ;;
source) ensure_source "${2:?kernel}" ;;
kver) kver "${2:?kernel}" ;;
kdir)
	ensure_kernel "${2:?kernel}"
	v=$(kver "$2")
	echo "$SB_CACHE/kernels/$v/usr/src/linux-headers-$v"
	;;
vmlinuz)
	ensure_kernel "${2:?kernel}"
	v=$(kver "$2")
	echo "$SB_CACHE/kernels/$v/boot/vmlinuz-$v"
	;;
ksrc) ensure_source "${2:?kernel}" ;;
*) die "unknown command '$cmd'" ;;
esac
