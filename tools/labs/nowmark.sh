# SPDX-License-Identifier: GPL-2.0
# Lab: what ALLOC_NO_WATERMARKS lets through (Documentation/labs/nowmark.rst)
reload size=32M layout=Normal=*
normal='awk "/^Node .*zone/ { z = / Normal\$/ } z && /^ +(pages free|min|low|high) /"'
step wmarks "$normal \$d/zoneinfo"
cat >/tmp/levels <<'B'
drain all
# GFP_NOWAIT: no reclaim, no compaction; the min watermark
alloc 0 -n 8192 -f nowait,nowarn -q
zoneinfo
# GFP_NOWAIT | __GFP_HIGH: ALLOC_HIGH
alloc 0 -n 8192 -f nowait,high,nowarn -q
zoneinfo
# GFP_ATOMIC (__GFP_HIGH, no __GFP_KSWAPD_RECLAIM-only): ALLOC_HIGH | ALLOC_HARDER
alloc 0 -n 8192 -f atomic,nowarn -q
zoneinfo
# __GFP_MEMALLOC: ALLOC_NO_WATERMARKS
alloc 0 -n 8192 -f nowait,memalloc,nowarn -q
zoneinfo
B
note levels-script /tmp/levels
step levels "sbuddyctl batch --force /tmp/levels 2>&1 | $normal | grep -v -E '(min|low|high) '"
