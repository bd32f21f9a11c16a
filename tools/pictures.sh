#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make pictures: the example pictures of Documentation/admin-guide/pictures/
# from real data.  In one boot of the test VM: the pageblocks before a
# workload (default tools/workloads/highalloc-at-rest.wl), sbuddyctl watch
# while it runs, the pageblocks after it.  The VM prints the files between
# PICS-BEGIN/PICS-END lines; the host's sbuddyctl draws them
# (map-before.svg, map-after.svg, history.svg, with the data files
# beside them).
#
# Environment: KERNEL (6.1|6.12), SMP (default 2), SPEC, OUT (default
#   Documentation/admin-guide/pictures).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export KERNEL=${KERNEL:-6.1}
export SMP=${SMP:-2}
SPEC=${SPEC:-$here/tools/workloads/highalloc-at-rest.wl}
OUT=${OUT:-$here/Documentation/admin-guide/pictures}

ko=$("$here/tools/build-module.sh" "$KERNEL")
make -s -C "$here" tools
bin=$(mktemp -d /tmp/sbuddy-pictures.XXXXXX)
trap 'rm -rf "$bin"' EXIT
cp "$SPEC" "$bin/pictures.wl"
mkdir -p "$OUT"

SB_KO=$ko "$here/tools/vm/run.sh" -f "$here/tools/sbuddyctl" -f "$bin/pictures.wl" -- '
d=/sys/kernel/debug/sbuddy
cat $d/pageblocks >/tmp/before.pb
sbuddyctl watch -i 100 -o /tmp/history.csv &
w=$!
sleep 1
cat /bin/pictures.wl >$d/workload || exit 1
sleep 1
kill -INT $w
wait $w || exit 1
cat $d/pageblocks >/tmp/after.pb
head -n 1 $d/workload
for f in before.pb after.pb history.csv; do
	echo "PICS-BEGIN $f"
	sed "s/^/PICS|/" /tmp/$f
	echo PICS-END
done
uname -r | sed "s/^/PICS-KERNEL /"
' >"$bin/vm.log" 2>&1 || { tail -n 30 "$bin/vm.log"; exit 1; }

for f in before.pb after.pb history.csv; do
	tr -d '\r' <"$bin/vm.log" | awk -v f="$f" '$1 == "PICS-BEGIN" && $2 == f { on = 1; next }
		/^PICS-END/ { on = 0 } on && sub(/^PICS\|/, "")' >"$OUT/$f"
done
kver=$(tr -d '\r' <"$bin/vm.log" | awk '$1 == "PICS-KERNEL" { print $2 }')
wl=$(basename "$SPEC" .wl)
for w in before after; do
	"$here/tools/sbuddyctl" map --from "$OUT/$w.pb" --svg "$OUT/map-$w.svg" \
		--title "$w $wl: the test VM, Linux $kver, $(date -u +%Y-%m-%d)"
done
"$here/tools/sbuddyctl" plot --svg "$OUT/history.svg" \
	--title "sbuddyctl watch -i 100 during $wl (Linux $kver)" "$OUT/history.csv"
echo "pictures: $(cd "$OUT" && ls -- *.svg | tr '\n' ' ')in $OUT"
