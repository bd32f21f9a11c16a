#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sbuddy's debug kernel: linux-source-6.1 built out of tree (O=) from
# tinyconfig plus tools/debug-kernel.config (KASAN, lockdep, list and VM
# debugging, debug objects, KUnit, fault injection).  The build lives in
# $SB_CACHE/debug-kernel/<source version>-<hash of the fragment> and is
# reused until the fragment or the source package changes.  The source
# tree itself is never written.
#
# Usage: tools/debug-kernel.sh [build|kdir|vmlinuz|config]
#   build    build if needed (the default); print the O= tree
#   kdir     the O= tree to build modules against (builds if needed)
#   vmlinuz  the bzImage (builds if needed)
#   config   print the tree's path without building
# The build time is kept in <tree>/build-time and its CPU time (user+sys)
# in <tree>/build-cpu-time (seconds).  The build runs
# under nice -n 19 with one job per CPU (DEBUG_KERNEL_JOBS overrides).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
SB_CACHE=${SB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sbuddy}
frag="$here/tools/debug-kernel.config"
ksrc=$("$here/tools/deps.sh" ksrc 6.1)
hash=$(sha256sum "$frag" | cut -c1-12)
obj="$SB_CACHE/debug-kernel/$(basename "$ksrc")-$hash"
cmd=${1:-build}

log() { echo "debug-kernel: $*" >&2; }

build() {
	local t0 jobs missing
	mkdir -p "$obj"
	exec 9>"$obj/.lock"
	flock 9
	[ -e "$obj/.done" ] && return 0
	log "building $(basename "$ksrc") into $obj (log: $obj/build.log)"
	t0=$(date +%s)
	jobs=${DEBUG_KERNEL_JOBS:-$(nproc)}
	{
		make -C "$ksrc" O="$obj" tinyconfig &&
			"$ksrc/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$frag" &&
			make -C "$ksrc" O="$obj" olddefconfig
	} >"$obj/build.log" 2>&1 || { tail -n 30 "$obj/build.log" >&2; log "configuration failed"; exit 1; }
	# Every option the fragment asks for must have its value.
	missing=$(grep -E '^(CONFIG_|# CONFIG_)' "$frag" | while IFS= read -r l; do
		case "$l" in
		"# "*) o=${l#\# }; o=${o%% *}; ! grep -q "^$o=" "$obj/.config" || echo "$l" ;;
		*) grep -qxF "$l" "$obj/.config" || echo "$l" ;;
		esac
	done)
	if [ -n "$missing" ]; then
		log "options the kernel did not take:"
		echo "$missing" >&2
		exit 1
	fi
	if ! nice -n 19 make -C "$ksrc" O="$obj" -j"$jobs" bzImage modules >>"$obj/build.log" 2>&1; then
		tail -n 40 "$obj/build.log" >&2
		log "build failed"
		exit 1
	fi
	echo $(($(date +%s) - t0)) >"$obj/build-time"
	# user+sys of everything this script ran: the time on an idle machine
	# (a builtin in a pipe would run in a subshell, which has no children)
	times >"$obj/times"
	tail -n 1 "$obj/times" | awk '{ for (i = 1; i <= 2; i++) {
		split($i, t, /[ms]/); s += t[1] * 60 + t[2] } } END { printf "%d\n", s }' \
		>"$obj/build-cpu-time"
	log "built in $(cat "$obj/build-time")s ($(cat "$obj/build-cpu-time")s of CPU)"
	touch "$obj/.done"
}

case "$cmd" in
build | kdir) build; echo "$obj" ;;
vmlinuz) build; echo "$obj/arch/x86/boot/bzImage" ;;
config) echo "$obj" ;;
*) echo "usage: $0 [build|kdir|vmlinuz|config]" >&2; exit 2 ;;
esac
