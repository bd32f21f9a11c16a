#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/trace-capture.sh [OUT]: boot the VM guest (KERNEL, default 6.1),
# record its kernel's kmem:mm_page_alloc/_free/_free_batched events while a
# real workload runs there (tools/trace-guest.sh; TRACE_CMD replaces its
# default workload) and save them as ftrace text in OUT (default
# out/traces/guest-$KERNEL.trace).  The trace travels over the serial
# console gzipped and base64-encoded.  Prints the line count and how many
# events the ring buffer lost.  sbuddy is not loaded in that guest.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
KERNEL=${KERNEL:-6.1}
out=${1:-$here/out/traces/guest-$KERNEL.trace}
mkdir -p "$(dirname "$out")"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cmd="trace-guest.sh /tmp/trace ${TRACE_CMD:-} >/tmp/tg.log 2>&1; rc=\$?; cat /tmp/tg.log
echo TRACE-BEGIN; gzip -c /tmp/trace | base64; echo TRACE-END; exit \$rc"
KERNEL=$KERNEL "$here/tools/vm/run.sh" -n -f "$here/tools/trace-guest.sh" -- "$cmd" >"$tmp"
sed -n '/^TRACE-BEGIN$/,/^TRACE-END$/p' "$tmp" | sed '1d;$d' | base64 -d | gunzip >"$out"
grep "^trace-guest:" "$tmp" || true
echo "trace-capture: $(wc -l <"$out") lines in $out"
