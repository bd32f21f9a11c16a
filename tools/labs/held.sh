# SPDX-License-Identifier: GPL-2.0
# Lab: why __free_pages() frees the tail pages when a reference remains
# (Documentation/labs/held.rst)
reload size=32M layout=Normal=*
[ -d $t/events ] || mount -t tracefs nodev $t
cat >/tmp/two <<'B'
drain all
# a plain (non-compound) order-3 block, and a compound one (__GFP_COMP)
alloc 3 -t unmovable
alloc 3 -t unmovable -f comp
query %0 %1
B
note two-script /tmp/two
hold /tmp/two
step two 'cat /tmp/hold.new'
echo 1 >$t/events/sbuddy/mm_page_free/enable
echo >$t/trace
cat >/tmp/held0 <<'B'
free-held %0
query %0
B
note held-plain-script /tmp/held0
hold_more /tmp/held0
step held-plain 'cat /tmp/hold.new; sed -n "s/.*mm_page_free: page=[^ ]* //p" $t/trace'
echo >$t/trace
cat >/tmp/held1 <<'B'
free-held %1
query %1
B
note held-comp-script /tmp/held1
hold_more /tmp/held1
step held-comp 'cat /tmp/hold.new; sed -n "s/.*mm_page_free: page=[^ ]* //p" $t/trace'
echo >$t/trace
cat >/tmp/put <<'B'
free %0 %1
B
note put-script /tmp/put
hold_more /tmp/put
step put 'cat /tmp/hold.new; sed -n "s/.*mm_page_free: page=[^ ]* //p" $t/trace'
release
step merged 'sbuddyctl drain all && cat $d/buddyinfo'
echo 0 >$t/events/sbuddy/mm_page_free/enable
