#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make study: the fragmentation study.  In one boot of the test VM, for
# each policy row and each seed: load sbuddy fresh, set the row's
# switches, run the highalloc-at-rest workload (it stays allocated),
# allocate as many order-9 movable blocks as sbuddy gives
# (tools/study/sb_highalloc: one attempt per pageblock), then count the
# ceiling (pageblocks with no unmovable, reclaimable-unreclaimed or stuck
# page: what no allocator could beat, from debugfs/pageblocks).  The report is success / ceiling per row,
# mean and spread over the seeds, kept as out/study/study-<kernel>-<UTC>.txt
# with an SVG plot beside it.
#
# A benchmark, not a test: nothing here passes or fails on the figures.
# Environment: KERNEL (6.1|6.12), SMP (default 2), SEEDS (default
#   "1 2 3 4 5"), SPEC (default tools/workloads/highalloc-at-rest.wl),
#   VM_TIMEOUT (default 3000 s).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export KERNEL=${KERNEL:-6.1}
export SMP=${SMP:-2}
export VM_TIMEOUT=${VM_TIMEOUT:-3000}
SEEDS=${SEEDS:-1 2 3 4 5}
SPEC=${SPEC:-$here/tools/workloads/highalloc-at-rest.wl}

ko=$("$here/tools/build-module.sh" "$KERNEL")
bin=$(mktemp -d /tmp/sbuddy-study.XXXXXX)
trap 'rm -rf "$bin"' EXIT
gcc -O2 -Wall -static -I"$here/include/uapi" -o "$bin/sb_highalloc" \
	"$here/tools/study/sb_highalloc.c"
cp "$SPEC" "$bin/study.wl"
out="$here/out/study"
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
file="$out/study-$KERNEL-$stamp.txt"
log="$bin/vm.log"

# Rows: name, then the vm/ switches it writes ("knob=value" words).  The
# compaction switch is sbuddy's own (vm/compaction_enabled); a row whose
# knob the module lacks is reported as not run.
rows='grouping+compaction|page_group_by_mobility_disabled=0 compaction_enabled=1
grouping|page_group_by_mobility_disabled=0 compaction_enabled=0
compaction|page_group_by_mobility_disabled=1 compaction_enabled=1
neither|page_group_by_mobility_disabled=1 compaction_enabled=0
legacy-cold-pages|page_group_by_mobility_disabled=0 compaction_enabled=1 legacy_cold_pages=1'

start=$(date +%s)
rc=0
SB_KO=$ko "$here/tools/vm/run.sh" -n -f "$bin/sb_highalloc" -f "$bin/study.wl" -- "
d=/sys/kernel/debug/sbuddy
echo '$rows' | while IFS='|' read -r name knobs; do
	for seed in $SEEDS; do
		rmmod sbuddy 2>/dev/null
		insmod /lib/modules/sbuddy.ko || exit 1
		echo 0 >\$d/vm/compaction_proactiveness
		ok=1
		for kv in \$knobs; do
			if [ -e \$d/vm/\${kv%%=*} ]; then
				echo \${kv#*=} >\$d/vm/\${kv%%=*} || ok=0
			else
				ok=0
			fi
		done
		if [ \$ok = 0 ]; then
			echo \"STUDY \$name \$seed skipped\"
			continue
		fi
		sed \"s/^seed .*/seed \$seed/\" /bin/study.wl >\$d/workload || exit 1
		blocks=\$(grep -vc '^#' \$d/pageblocks)
		t0=\$(date +%s)
		res=\$(sb_highalloc 9 \$blocks) || exit 1
		# the ceiling once reclaim has had its go (sb_highalloc has exited)
		ceiling=\$(awk '!/^#/ && \$8 == 0 && \$10 == 0 && \$11 == 0 { n++ } END { print n + 0 }' \$d/pageblocks)
		# pages still held: however they were packed, they fill this
		# many pageblocks' worth
		used=\$(awk '!/^#/ { u += \$8 + \$9 + \$10 } END { print u + 0 }' \$d/pageblocks)
		stall=\$(awk '\$1 == \"compact_stall\" { print \$2 }' \$d/vmstat)
		echo \"STUDY \$name \$seed \$blocks \$ceiling \$res stall \${stall:-0} used \$used secs \$((\$(date +%s) - t0))\"
	done
done
rmmod sbuddy
" >"$log" 2>&1 || rc=$?
secs=$(($(date +%s) - start))
if [ "$rc" != 0 ]; then
	cat "$log" >&2
	echo "study: the run failed (exit $rc)" >&2
	exit 1
fi
grep '^STUDY ' "$log" >"$bin/raw"
python3 "$here/tools/study/report.py" "$bin/raw" "$out/study-$KERNEL-$stamp.svg" >"$file"
{
	echo "# guest: qemu TCG, SMP=$SMP, kernel $KERNEL; spec $(basename "$SPEC"); seeds $SEEDS"
	echo "# sbuddy: $(git -C "$here" describe --always --dirty 2>/dev/null || echo unknown)"
	echo "# raw: row seed pageblocks ceiling success fail compact_stall used-pages secs"
	sed 's/^STUDY /#   /' "$bin/raw"
} >>"$file"
cat "$file"
echo "study: ${secs}s in the VM; report kept in ${file#"$here"/}, plot in out/study/study-$KERNEL-$stamp.svg"
