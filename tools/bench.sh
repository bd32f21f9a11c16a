#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: build sbuddy for KERNEL, boot the test VM (SMP=4 unless set)
# with init_on_alloc=0, run the in-module benchmark
# (/sys/kernel/debug/sbuddy/bench), print its table and keep it as
# out/bench/bench-<kernel>-<UTC timestamp>.txt in the checkout.
#
# A benchmark, not a test: no timing passes or fails.  The exit status
# is non-zero only when the VM or the run itself failed.
#
# Environment: KERNEL (6.1|6.12), SMP (default 4), MEM, MODPARAMS,
#   BENCH_ARGS (key=value options after "run", e.g. 'loops=20000 rows=pair'),
#   VM_APPEND (guest command line; default init_on_alloc=0, set it empty
#   to keep the host's zeroing), VM_TIMEOUT (default 1200 s).
# Documentation/admin-guide/bench.rst explains the table.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export KERNEL=${KERNEL:-6.1}
export SMP=${SMP:-4}
export VM_APPEND=${VM_APPEND-init_on_alloc=0}
export VM_TIMEOUT=${VM_TIMEOUT:-1200}
BENCH_ARGS=${BENCH_ARGS:-}

ko=$("$here/tools/build-module.sh" "$KERNEL")
out="$here/out/bench"
mkdir -p "$out"
file="$out/bench-$KERNEL-$(date -u +%Y%m%dT%H%M%SZ).txt"
log=$(mktemp /tmp/sbuddy-bench.XXXXXX)
trap 'rm -f "$log"' EXIT

start=$(date +%s)
rc=0
SB_KO=$ko "$here/tools/vm/run.sh" -- "
f=/sys/kernel/debug/sbuddy/bench
echo run $BENCH_ARGS >\$f || exit 1
echo SBUDDY-BENCH-BEGIN
cat \$f
echo SBUDDY-BENCH-END
" >"$log" 2>&1 || rc=$?
secs=$(($(date +%s) - start))

if [ "$rc" != 0 ] || ! grep -q SBUDDY-BENCH-END "$log"; then
	cat "$log" >&2
	echo "bench: the run failed (exit $rc)" >&2
	exit 1
fi
sed -n '/SBUDDY-BENCH-BEGIN/,/SBUDDY-BENCH-END/p' "$log" |
	sed '1d;$d' >"$file"
mods=
[ -n "${MODPARAMS:-}" ] && mods=", modparams '$MODPARAMS'"
{
	echo "# guest: qemu TCG, SMP=$SMP MEM=${MEM:-1G}, append '$VM_APPEND'$mods"
	echo "# sbuddy: $(git -C "$here" describe --always --dirty 2>/dev/null || echo unknown)"
} >>"$file"
cat "$file"
echo "bench: ${secs}s in the VM; table kept in ${file#"$here"/}"
