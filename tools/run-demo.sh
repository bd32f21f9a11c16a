#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run: boot the test VM with sbuddy loaded (MODPARAMS) and show what
# it did; VM_SHELL=1 drops into a shell in the VM instead.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${VM_SHELL:-}" ]; then
	exec "$here/tools/vm/run.sh" -f "$here/tools/sbuddyctl" -i
fi
exec "$here/tools/vm/run.sh" -f "$here/tools/sbuddyctl" -- '
d=/sys/kernel/debug/sbuddy
echo "### guest: $(uname -r), $(nproc) CPUs, $(grep MemTotal /proc/meminfo)"
echo "### dmesg | grep sbuddy"
dmesg | grep sbuddy
echo "### ls -l /dev/sbuddy $d"
ls -l /dev/sbuddy $d
echo "### sbuddyctl info"
sbuddyctl info
echo "### sbuddyctl mix   (allocate a mix of orders and types, free every other block)"
sbuddyctl mix
echo "### sbuddyctl verify   (after the mix was freed by closing the device)"
sbuddyctl verify
echo "### sbuddyctl buddyinfo"
sbuddyctl buddyinfo
echo "### the guest kernel'"'"'s own /proc/buddyinfo, for comparison"
cat /proc/buddyinfo
'
