# SPDX-License-Identifier: GPL-2.0
# Lab: how fallback chooses a migratetype and when a pageblock changes
# owner (Documentation/labs/fallback.rst)
reload size=32M layout=Normal=*
[ -d $t/events ] || mount -t tracefs nodev $t
# no task names: record-cmd's scheduler hooks are text patching that
# multi-threaded TCG trips on (testing.rst, "The test VM")
echo 0 >$t/options/record-cmd
echo 1 >$t/events/sbuddy/mm_page_alloc_extfrag/enable
echo >$t/trace
types='sed -n "/^Number of blocks/,/^\$/p" $d/pagetypeinfo'
step fresh "$types"
cat >/tmp/claim <<'B'
drain all
alloc 0 -t unmovable -q
B
note claim-script /tmp/claim
hold /tmp/claim
step claim "cat /tmp/hold.new; sed -n '/^Free pages/,/Movable /p' \$d/pagetypeinfo; $types"
step claim-trace 'sed -n "s/.*mm_page_alloc_extfrag: page=[^ ]* //p" $t/trace'
echo >$t/trace
cat >/tmp/steal <<'B'
# unmovable order-3 blocks until the unmovable lists keep only orders 0-2
alloc 3 -t unmovable -n 127 -q
# all but one movable pageblock whole
alloc 9 -t movable -n 13 -q
# then 516 movable pages, past the watermarks, for the last 512 free
alloc 0 -t movable -n 516 -f memalloc -q
B
note steal-script /tmp/steal

hold_more /tmp/steal
step steal "cat /tmp/hold.new; sed -n '/^Free pages/,/Movable /p' \$d/pagetypeinfo; $types"
step steal-trace 'sed -n "s/.*mm_page_alloc_extfrag: page=[^ ]* //p" $t/trace | sort | uniq -c'
step steal-blocks 'awk "NR == 1 || \$5 != \"Movable\" || \$9 || \$10 || \$13" $d/pageblocks'
step steal-counters 'grep -E "^sbuddy_(extfrag|steal)" $d/vmstat'
release
echo 0 >$t/events/sbuddy/mm_page_alloc_extfrag/enable
echo 1 >$t/options/record-cmd
