#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build sbuddy.ko for one guest kernel in a private build tree (so builds
# for 6.1 and 6.12 never share objects) and print the module's path.
#
# Usage: tools/build-module.sh KERNEL [extra make arguments, e.g. W=1 C=1]
# The build log is left in <build tree>/build.log.  SB_BUILD_SUFFIX keeps
# the trees of a second checkout (a git worktree) apart from these.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kernel=$1
shift
SB_CACHE=${SB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sbuddy}
kdir=$("$here/tools/deps.sh" kdir "$kernel")
kver=$(basename "$kdir")
tag=$(echo "$*" | tr -c 'A-Za-z0-9\n' '_')
bdir="$SB_CACHE/build/${kver#linux-headers-}${tag:+-$tag}${SB_BUILD_SUFFIX:+-$SB_BUILD_SUFFIX}"
mkdir -p "$bdir"
# --checksum --no-times: only changed files are copied, with a fresh mtime,
# so make never keeps an object older than a source edited meanwhile.
rsync -a --no-times --checksum --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	--exclude '*.mod*' --exclude 'build.log' --exclude '.probe' \
	--exclude 'modules.order' --exclude 'Module.symvers' --exclude 'ktest' \
	"$here/Kbuild" "$here/Makefile" "$here/src" "$here/include" "$here/tools" \
	"$here/kunit" "$bdir/"
if ! make -C "$bdir" KDIR="$kdir" "$@" >"$bdir/build.log" 2>&1; then
	cat "$bdir/build.log" >&2
	echo "build-module: build for $kernel failed" >&2
	exit 1
fi
echo "$bdir/sbuddy.ko"
