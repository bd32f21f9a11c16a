# SPDX-License-Identifier: GPL-2.0
# Lab: how the watermarks change the allocation path
# (Documentation/labs/watermarks.rst)
normal='awk "/^Node .*zone/ { z = / Normal\$/ } z && /^ +(pages free|boost|min|low|high) /"'
ev='^(pgalloc_normal|allocstall_normal|pgscan_kswapd|pgscan_direct|pgsteal_kswapd|pgsteal_direct|pageoutrun|kswapd_low_wmark_hit_quickly|kswapd_high_wmark_hit_quickly|compact_stall|compact_success|compact_fail|compact_daemon_wake|pgmigrate_success|sbuddy_[a-z_]*boost[a-z_]*) '
reload size=32M layout=Normal=*
step wmarks "$normal \$d/zoneinfo"
cat >/tmp/fill <<'B'
drain all
# page cache: reclaimable, and reclaim may drop it
alloc 0 -t reclaimable -n 7000 -f nowarn -q
B
note fill-script /tmp/fill
hold /tmp/fill
step fill "cat /tmp/hold.new; $normal \$d/zoneinfo; grep -E '$ev' \$d/vmstat"
cat >/tmp/pressure <<'B'
# kernel memory on top: below low kswapd wakes, below min the
# allocation reclaims directly
alloc 0 -t unmovable -n 1500 -f nowarn -q
B
note pressure-script /tmp/pressure
hold_more /tmp/pressure
step pressure "cat /tmp/hold.new; $normal \$d/zoneinfo; grep -E '$ev' \$d/vmstat"
release
# holes in every pageblock: order-0 pages, mostly movable, half freed
cat >/tmp/holes.wl <<'W'
name holes
seed 1
cpus 0
phase fill 80 orders=0:1 types=u:2,m:90,r:8
phase free 60
W
for i in 1 2 3 4 5 6; do
	echo "alloc 9 -t movable -f retry_mayfail,nowarn -q"
done >/tmp/six9
note holes-spec /tmp/holes.wl
for c in 0 1; do
	reload size=32M layout=Normal=*
	echo $c >$d/vm/compaction_enabled
	step costly-$c "sbuddyctl get compaction_enabled && cat /tmp/holes.wl >\$d/workload && grep -E '^held_pages' \$d/workload && cat \$d/buddyinfo && sbuddyctl batch --force /tmp/six9 2>/dev/null | grep -c '^allocated 1 of 1'; grep -E '$ev' \$d/vmstat"
done
