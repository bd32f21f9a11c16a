# SPDX-License-Identifier: GPL-2.0
# Lab: how grouping by mobility and ZONE_MOVABLE keep high-order memory
# available (Documentation/labs/mobility.rst)
mixed='sed -n "/^Number of mixed/,/^\$/p" $d/pagetypeinfo'
# pageblocks no allocator could hand out whole hold an unmovable,
# reclaimable or stuck page; the study's ceiling is the others
cat >/tmp/ceiling.awk <<'A'
!/^#/ { n++; if ($8 == 0 && $10 == 0 && $11 == 0) c++ }
END { printf "pageblocks %d, without unmovable/reclaimable/stuck pages %d\n", n, c }
A
ceiling='awk -f /tmp/ceiling.awk $d/pageblocks'
# up to 64 order-9 movable blocks, one request each, all held together
for i in $(seq 64); do
	echo "alloc 9 -t movable -f retry_mayfail,nowarn -q"
done >/tmp/high9
sed 's/nowarn/nowarn,highmem/' /tmp/high9 >/tmp/high9hm
highalloc='sbuddyctl batch --force /tmp/high9 2>/dev/null | grep -c "^allocated 1 of 1"'
stats='grep -E "^(sbuddy_steal|sbuddy_extfrag |compact_(stall|success|fail) )" $d/vmstat'
for g in 0 1; do
	reload
	echo $g >$d/vm/page_group_by_mobility_disabled
	step grouping-$g "sbuddyctl get page_group_by_mobility_disabled && cat /bin/highalloc-at-rest.wl >\$d/workload && $mixed && $ceiling && $highalloc; $stats"
done
reload layout='DMA=16M,DMA32=48M,Normal=32M,Movable=*'
# the workload's requests as GFP_HIGHUSER_MOVABLE would make them
sed 's/^phase \(fill\|churn\) .*/& flags=highmem/' /bin/highalloc-at-rest.wl >/tmp/hm.wl
step movable-zone "grep ^phase /tmp/hm.wl && cat /tmp/hm.wl >\$d/workload && $mixed && $ceiling && cat \$d/buddyinfo && sbuddyctl batch --force /tmp/high9hm 2>/dev/null | grep -c '^allocated 1 of 1'; $stats"
