#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run: boot the test VM with sbuddy loaded (MODPARAMS) and show what
# it did; VM_SHELL=1 drops into a shell in the VM instead.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${VM_SHELL:-}" ]; then
	exec "$here/tools/vm/run.sh" -i
fi
exec "$here/tools/vm/run.sh" -- '
d=/sys/kernel/debug/sbuddy
echo "### guest: $(uname -r), $(nproc) CPUs, $(grep MemTotal /proc/meminfo)"
echo "### dmesg | grep sbuddy"
dmesg | grep sbuddy
echo "### ls -l /dev/sbuddy $d"
ls -l /dev/sbuddy $d
for f in region buddyinfo pagetypeinfo zoneinfo vmstat verify; do
	[ -e $d/$f ] || continue
	echo "### cat $d/$f"
	cat $d/$f
done
echo "### the guest kernel'"'"'s own /proc/buddyinfo, for comparison"
cat /proc/buddyinfo
'
