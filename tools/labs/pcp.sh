# SPDX-License-Identifier: GPL-2.0
# Lab: what the per-cpu lists do and when they refill (Documentation/labs/pcp.rst)
reload
step lists 'sbuddyctl drain all && sbuddyctl pcp'
cat >/tmp/refill <<'B'
drain all
alloc 0
pcp
alloc 0 -n 2
pcp
alloc 0
pcp
free %all
pcp
B
note refill-script /tmp/refill
step refill 'taskset -c 0 sbuddyctl batch /tmp/refill | grep -v "^0 DMA"'
cat >/tmp/high <<'B'
drain all
alloc 0 -n 300 -q
free %all
pcp
B
note high-script /tmp/high
step high 'taskset -c 0 sbuddyctl batch /tmp/high | grep -E "^#|^0 Normal 0"'
step counters 'grep -E "^(pgalloc_normal|pgfree|sbuddy_pcp)" $d/vmstat'
step fraction 'sbuddyctl set percpu_pagelist_high_fraction 8 && sbuddyctl pcp | grep -E "^#|^0 [A-Za-z0-9]+ 0 "'
step fraction-zoneinfo 'awk "/^Node .*zone/ { z = / Normal$/ } z && /managed|cpu: 0|count:|high:|batch:/" $d/zoneinfo | head -6'
