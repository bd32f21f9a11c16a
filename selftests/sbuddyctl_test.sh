#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sbuddyctl's output and exit codes, checked against the debugfs files it
# renders.  Runs in the test VM (busybox sh, sbuddy loaded, sbuddyctl and
# sb_json in PATH) and prints KTAP: one "ok N name" / "not ok N name" per
# case.  JSON is checked with sb_json, a strict parser that shares no code
# with sbuddyctl.

# the cases, in order
CASES="help_for_every_command usage_errors_exit_2 failed_operations_exit_1
views_equal_debugfs json_parses_for_every_read_command
json_numbers_equal_the_text_views region_and_info_json vmstat_pretty_and_raw
get_matches_the_knob_files set_writes_and_refuses alloc_prints_handles_and_close_frees
partial_alloc_reported_exactly hold_until_a_signal batch_session_handles
batch_stops_or_forces stress_counts_add_up compact_trigger_or_exit_3
drain_empties_the_lists verify_ok
batch_free_held"
. "$(dirname "$0")/sb_ktap.sh"

expect_rc() {	# expect_rc N WHAT
	[ "$rc" = "$1" ] || fail "$2: exit $rc, want $1 (stderr: $(head -c 300 "$T/err"))"
}

expect_err() {	# expect_err TEXT: stderr has the line TEXT
	grep -qxF "$1" "$T/err" || fail "stderr '$(head -c 300 "$T/err")' lacks '$1'"
}

# numbers of a text view, one per line: the integer tokens, in order
text_numbers() {
	tr '(),:' '    ' | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^-?[0-9]+$/) print $i }'
}

# numbers of a JSON document, one per line, in order
json_numbers() {
	sb_json -f | awk '$2 ~ /^-?[0-9]+$/ { print $2 }'
}

settle() {	# pcp pages back to the buddy lists, for stable views
	sbuddyctl drain >/dev/null 2>&1
}

case_help_for_every_command() {
	ctl --help
	expect_rc 0 "--help"
	head -n 1 "$T/out" | grep -q "^usage: sbuddyctl " || fail "--help: no usage line"
	cmds=$(sed -n '/^Commands:/,/^$/p' "$T/out" | awk 'NR > 1 && NF { print $1 }')
	[ "$(echo "$cmds" | wc -w)" -ge 20 ] || fail "--help lists $(echo "$cmds" | wc -w) commands"
	for c in $cmds; do
		ctl "$c" --help
		expect_rc 0 "$c --help"
		head -n 1 "$T/out" | grep -q "^usage: sbuddyctl $c" ||
			fail "$c --help: first line '$(head -n 1 "$T/out")'"
		[ "$(wc -l <"$T/out")" -ge 2 ] || fail "$c --help: no description"
		ctl help "$c"
		expect_rc 0 "help $c"
	done
	ctl
	expect_rc 2 "no command"
}

case_usage_errors_exit_2() {
	while IFS='|' read -r args msg; do
		# shellcheck disable=SC2086
		ctl $args
		expect_rc 2 "sbuddyctl $args"
		expect_err "$(echo "$msg" | sed "s|KNOBS|$knobs|")"
	done <<'EOF'
alloc 12|sbuddyctl: alloc: order 12 out of range (0..10)
alloc x|sbuddyctl: alloc: order 'x' is not a number
alloc 3 -n 0|sbuddyctl: alloc: count 0 out of range (1..65536)
alloc 3 -n 65537|sbuddyctl: alloc: count 65537 out of range (1..65536)
alloc 3 -t sideways|sbuddyctl: alloc: unknown type 'sideways' (unmovable, movable, reclaimable)
alloc 3 -f zero,fast|sbuddyctl: alloc: unknown flag 'fast' (see --help)
alloc 0 -f movable,reclaimable|sbuddyctl: alloc: flags movable and reclaimable contradict each other
alloc 0 -f atomic,nowait|sbuddyctl: alloc: flags atomic and nowait contradict each other
alloc 0 -f nofail,noretry|sbuddyctl: alloc: flags nofail and noretry contradict each other
alloc 0 -f dma,dma32|sbuddyctl: alloc: flags dma and dma32 contradict each other
alloc 0 --bind 3-1|sbuddyctl: alloc: node range 3-1 is backwards
alloc 0 --preferred 64|sbuddyctl: alloc: node 64 out of range (0..63)
alloc|sbuddyctl: alloc: which order?
bogus|sbuddyctl: bogus: unknown command (try sbuddyctl --help)
buddyinfo extra|sbuddyctl: buddyinfo: unexpected argument 'extra'
drain sideways|sbuddyctl: drain: 'sideways' is not a drain scope (all, local, cpu N)
free|sbuddyctl: free: which handle?
free-held|sbuddyctl: free-held: which handle?
free %x|sbuddyctl: free: %x: no such session block (the session allocated 0)
query abc|sbuddyctl: query: 'abc' is not a handle (a number, %N, %last or %all)
set nope=1|sbuddyctl: set: no knob 'nope' in /sys/kernel/debug/sbuddy/vm (knobs: KNOBS)
set ../region=1|sbuddyctl: set: '../region' is not a knob name
set min_free_kbytes|sbuddyctl: set: min_free_kbytes: which value?
get nope|sbuddyctl: get: no knob 'nope' in /sys/kernel/debug/sbuddy/vm (knobs: KNOBS)
stress -d 1 -n 5|sbuddyctl: stress: give --duration or --ops, not both
stress -o 11|sbuddyctl: stress: order 11 out of range (0..10)
stress -m sideways|sbuddyctl: stress: unknown type 'sideways'
compact 99|sbuddyctl: compact: node 99 out of range (0..63)
EOF
	true
}

case_failed_operations_exit_1() {
	ctl free 999999
	expect_rc 1 "free of a handle never handed out"
	expect_err "sbuddyctl: free: handle 999999 is not held by this session (blocks live as long as the open device: use batch mode)"
	ctl drain cpu 4096
	expect_rc 1 "drain of an impossible CPU"
	expect_err "sbuddyctl: drain: cpu 4096 is not a possible CPU"
	old=$(cat $D/vm/watermark_scale_factor)
	ctl set watermark_scale_factor 0
	expect_rc 1 "set out of range"
	expect_err "sbuddyctl: set: watermark_scale_factor: '0' refused: Invalid argument"
	[ "$(cat $D/vm/watermark_scale_factor)" = "$old" ] || fail "a refused set changed the knob"
	ctl alloc 0 --bind 5
	expect_rc 1 "a node that is not there"
	expect_err "sbuddyctl: alloc: the module refused the memory policy (EINVAL): no populated node among those given"
}

case_views_equal_debugfs() {
	settle
	for v in region buddyinfo pagetypeinfo zoneinfo pcp; do
		ctl "$v"
		expect_rc 0 "$v"
		cmp -s "$T/out" "$D/$v" || fail "sbuddyctl $v differs from $D/$v"
	done
	ctl vmstat --raw
	expect_rc 0 "vmstat --raw"
	cmp -s "$T/out" $D/vmstat || fail "sbuddyctl vmstat --raw differs from $D/vmstat"
}

case_json_parses_for_every_read_command() {
	settle
	for v in info region buddyinfo pagetypeinfo zoneinfo vmstat pcp verify get; do
		ctl --json "$v"
		expect_rc 0 "--json $v"
		sb_json <"$T/out" || fail "--json $v is not valid JSON"
		sb_json -f <"$T/out" >"$T/flat1"
		ctl "$v" --pretty
		sb_json <"$T/out" || fail "$v --pretty is not valid JSON"
		sb_json -f <"$T/out" >"$T/flat2"
		cmp -s "$T/flat1" "$T/flat2" || fail "$v: --json and --pretty differ"
		[ -s "$T/flat1" ] || fail "$v: empty JSON"
	done
}

case_json_numbers_equal_the_text_views() {
	settle
	for v in buddyinfo pagetypeinfo zoneinfo vmstat pcp; do
		# the order numbers of pagetypeinfo's header are not data
		grep -v "^Free pages count per migrate type" $D/$v | text_numbers >"$T/want"
		sbuddyctl -j "$v" | json_numbers >"$T/got"
		[ -s "$T/want" ] || fail "$v: no numbers in the text"
		cmp -s "$T/want" "$T/got" ||
			fail "$v: JSON numbers differ from the text ($(wc -l <"$T/got") vs $(wc -l <"$T/want"))"
	done
	# and the JSON says which zone and order each number is
	awk '{ sub(",", "", $2); i = NR - 1
		print "[" i "].node " $2; print "[" i "].zone " $4
		for (k = 5; k <= NF; k++) print "[" i "].free[" k - 5 "] " $k }' \
		$D/buddyinfo >"$T/want"
	sbuddyctl -j buddyinfo | sb_json -f >"$T/got"
	cmp -s "$T/want" "$T/got" || fail "buddyinfo JSON is not the text's structure"
	grep "^Node" $D/zoneinfo | awk '{ print "[" NR - 1 "].zone " $4 }' >"$T/want"
	sbuddyctl -j zoneinfo | sb_json -f | grep '^\[[0-9]*\]\.zone ' >"$T/got"
	cmp -s "$T/want" "$T/got" || fail "zoneinfo JSON zones differ from the text"
}

case_region_and_info_json() {
	sbuddyctl -j region | sb_json -f >"$T/flat"
	while read -r key val; do
		key=${key%:}
		case "$val" in
		0x*|[0-9]*) val=$(printf %d "$val") ;;
		esac
		grep -qx ".$key $val" "$T/flat" || fail "region $key: JSON lacks $val"
	done <$D/region
	sbuddyctl -j info | sb_json -f >"$T/flat"
	grep -qx ".api_version 1" "$T/flat" || fail "info: api_version is not 1"
	grep -qx ".features\[[0-9]*\] alloc" "$T/flat" || fail "info: no alloc feature"
	# every feature bit the module reports has its name
	mask=$(awk '$1 == ".features_mask" { print $2 }' "$T/flat")
	bits=0
	while [ "${mask:-0}" -gt 0 ]; do
		bits=$((bits + (mask & 1)))
		mask=$((mask >> 1))
	done
	names=$(grep -c "^.features\[" "$T/flat")
	[ "$bits" = "$names" ] || fail "info: $bits feature bits, $names names"
	ctl info
	expect_rc 0 info
	tail -n "$(wc -l <$D/region)" "$T/out" | cmp -s - $D/region || fail "info does not end with the region"
}

case_vmstat_pretty_and_raw() {
	settle
	ctl vmstat
	expect_rc 0 vmstat
	shown=0
	while read -r name val; do
		shown=$((shown + 1))
		grep -qx "$name $val" $D/vmstat || fail "vmstat: '$name $val' is not in the file"
	done <<EOF
$(grep '^  ' "$T/out")
EOF
	hidden=$(sed -n 's/^(\([0-9]*\) zero counters not shown.*/\1/p' "$T/out")
	[ $((shown + ${hidden:-0})) = "$(wc -l <$D/vmstat)" ] ||
		fail "vmstat: $shown shown + ${hidden:-0} hidden != $(wc -l <$D/vmstat)"
	ctl vmstat --all
	[ "$(grep -c '^  ' "$T/out")" = "$(wc -l <$D/vmstat)" ] || fail "vmstat --all hides lines"
}

case_get_matches_the_knob_files() {
	ctl get
	expect_rc 0 get
	for f in $D/vm/*; do
		k=${f##*/}
		[ -r "$f" ] && cat "$f" >/dev/null 2>&1 || continue
		grep -qxF "$k = $(cat "$f")" "$T/out" || fail "get: no '$k = $(cat "$f")'"
		[ "$(sbuddyctl get -n "$k")" = "$(cat "$f")" ] || fail "get -n $k"
		want=$(tr '\t' '\n' <"$f" | grep -v '^$')
		got=$(sbuddyctl -j get "$k" | sb_json -f | awk '{ print $2 }')
		[ "$want" = "$got" ] || fail "get -j $k: '$got' for '$want'"
	done
}

case_set_writes_and_refuses() {
	old=$(cat $D/vm/watermark_scale_factor)
	oldb=$(cat $D/vm/watermark_boost_factor)
	ctl set watermark_scale_factor 25
	expect_rc 0 "set"
	[ "$(cat "$T/out")" = "watermark_scale_factor = 25" ] || fail "set printed '$(cat "$T/out")'"
	[ "$(cat $D/vm/watermark_scale_factor)" = 25 ] || fail "set did not write"
	ctl set watermark_scale_factor=30 watermark_boost_factor=0
	expect_rc 0 "set NAME=VALUE"
	[ "$(cat $D/vm/watermark_scale_factor) $(cat $D/vm/watermark_boost_factor)" = "30 0" ] ||
		fail "set NAME=VALUE did not write both"
	oldl=$(cat $D/vm/lowmem_reserve_ratio)
	# shellcheck disable=SC2086
	ctl set lowmem_reserve_ratio 128 128 16 0
	expect_rc 0 "set with several values"
	[ "$(tr '\t' ' ' <$D/vm/lowmem_reserve_ratio)" = "128 128 16 0" ] || fail "lowmem_reserve_ratio not written"
	ctl set lowmem_reserve_ratio 1 2
	expect_rc 1 "set with a wrong count"
	ctl set watermark_scale_factor abc
	expect_rc 1 "set of a word"
	expect_err "sbuddyctl: set: watermark_scale_factor: 'abc' refused: Invalid argument"
	# shellcheck disable=SC2086
	sbuddyctl set lowmem_reserve_ratio $oldl >/dev/null
	sbuddyctl set watermark_scale_factor="$old" watermark_boost_factor="$oldb" >/dev/null
	[ "$(cat $D/vm/watermark_scale_factor) $(cat $D/vm/watermark_boost_factor)" = "$old $oldb" ] ||
		fail "could not restore"
}

# the number of handles in "handles: 1-4,7"
count_handles() {
	sed -n 's/^handles: \([0-9,-]*\).*/\1/p' | tr ',' '\n' |
		awk -F- '{ n += NF == 2 ? $2 - $1 + 1 : 1 } END { print n + 0 }'
}

case_alloc_prints_handles_and_close_frees() {
	settle
	cp $D/buddyinfo "$T/before"
	ctl alloc 3 -n 4 -t movable
	expect_rc 0 "alloc"
	[ "$(head -n 1 "$T/out")" = "allocated 4 of 4 order-3 movable blocks" ] ||
		fail "alloc printed '$(head -n 1 "$T/out")'"
	[ "$(count_handles <"$T/out")" = 4 ] || fail "alloc: not 4 handles"
	ctl -j alloc 2 -n 5 -f zero,movable
	expect_rc 0 "alloc -j"
	sb_json -f <"$T/out" >"$T/flat" || fail "alloc -j: invalid JSON"
	grep -qx ".allocated 5" "$T/flat" || fail "alloc -j: allocated is not 5"
	grep -qx ".error null" "$T/flat" || fail "alloc -j: error is not null"
	[ "$(grep -c '^.handles\[' "$T/flat")" = 5 ] || fail "alloc -j: not 5 handles"
	# the memory policies, on node 0 which every machine has
	for p in "--preferred 0" "--bind 0" "--interleave 0"; do
		# shellcheck disable=SC2086
		ctl alloc 1 -n 3 $p
		expect_rc 0 "alloc $p"
		[ "$(count_handles <"$T/out")" = 3 ] || fail "alloc $p: not 3 handles"
	done
	settle
	cmp -s $D/buddyinfo "$T/before" || fail "the blocks were not freed at exit"
}

case_partial_alloc_reported_exactly() {
	settle
	cp $D/buddyinfo "$T/before"
	ctl alloc 10 -n 65536 -q
	expect_rc 1 "an allocation larger than the machine"
	got=$(sed -n 's/^allocated \([0-9]*\) of 65536 order-10 unmovable blocks$/\1/p' "$T/out")
	[ -n "$got" ] && [ "$got" -gt 0 ] || fail "no count in '$(cat "$T/out")'"
	expect_err "sbuddyctl: alloc: block $got of 65536 failed: Cannot allocate memory (ENOMEM); $got allocated"
	settle
	cmp -s $D/buddyinfo "$T/before" || fail "the partial batch was not freed at exit"
}

case_hold_until_a_signal() {
	settle
	cp $D/buddyinfo "$T/before"
	sbuddyctl alloc 4 -n 8 -t reclaimable --hold >"$T/hold" 2>&1 &
	pid=$!
	i=0
	while ! grep -q "^handles:" "$T/hold" && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(count_handles <"$T/hold")" = 8 ] || fail "--hold: handles not printed: $(cat "$T/hold")"
	kill -0 $pid 2>/dev/null || fail "--hold did not hold"
	cmp -s $D/buddyinfo "$T/before" && fail "--hold: nothing is allocated"
	kill -TERM $pid
	wait $pid
	rc=$?
	expect_rc 0 "--hold ended by SIGTERM"
	settle
	cmp -s $D/buddyinfo "$T/before" || fail "--hold: blocks not freed after the signal"
}

case_batch_session_handles() {
	cat >"$T/script" <<'EOF'
# a session: the handles persist between commands
alloc 2 -n 3 -t movable
query %0
pin %0
pin %0
query -j %0
unpin %0
fill -s 7 %last
checksum %2
free %1
query %all
free %all
EOF
	ctl -b "$T/script"
	expect_rc 0 "batch"
	h0=$(sed -n 's/^handles: \([0-9]*\).*/\1/p' "$T/out")
	[ -n "$h0" ] || fail "batch: no handles"
	grep -q "^handle $h0: pfn 0x[0-9a-f]* order 2 node 0 zone [A-Za-z0-9]* pageblock [A-Za-z]* alloc movable state live migrated 0 pins 0$" "$T/out" ||
		fail "batch: query of %0"
	grep -qx "handle $h0: 2 pins" "$T/out" || fail "batch: two pins"
	grep "^\[" "$T/out" | sb_json -f >"$T/flat" || fail "batch: query -j is not JSON"
	grep -qx "\[0\].pins 2" "$T/flat" || fail "batch: query -j pins"
	grep -qx "\[0\].handle $h0" "$T/flat" || fail "batch: query -j handle"
	pfn=$(sed -n "s/^handle $h0: pfn \(0x[0-9a-f]*\) .*/\1/p" "$T/out" | head -n 1)
	grep -qx "\[0\].pfn $(printf %d "$pfn")" "$T/flat" || fail "batch: query -j pfn"
	crc1=$(sed -n 's/^handle [0-9]*: crc32 //p' "$T/out" | sed -n 1p)
	crc2=$(sed -n 's/^handle [0-9]*: crc32 //p' "$T/out" | sed -n 2p)
	[ -n "$crc1" ] && [ "$crc1" = "$crc2" ] || fail "batch: fill $crc1 and checksum $crc2"
	grep -qx "freed 1" "$T/out" || fail "batch: free %1"
	grep -qx "freed 2" "$T/out" || fail "batch: free %all after free %1"
	[ "$(grep -c "^handle [0-9]*: pfn" "$T/out")" = 3 ] || fail "batch: query %all after free %1"
	# a freed handle is gone, and the batch says where it stopped
	printf 'alloc 0\nfree %%0\nquery %%0\nverify\n' | sbuddyctl batch - >"$T/out" 2>"$T/err"
	rc=$?
	expect_rc 1 "query of a freed handle"
	h=$(sed -n 's/^handles: \([0-9]*\).*/\1/p' "$T/out")
	expect_err "sbuddyctl: stdin:3: query: handle $h is not held by this session"
	grep -q "^ok$" "$T/out" && fail "the batch went on after a failure"
}

# free-held: the tails of a non-compound order-3 block go at once, a
# compound one waits for free; nr_free_pages of each raw vmstat says so
case_batch_free_held() {
	cat >"$T/script" <<'EOF'
alloc 3 -t movable
alloc 3 -t movable -f comp
drain
vmstat -r
free-held %0 %1
drain
vmstat -r
query %0 %1
free-held -j %0
free %all
drain
vmstat -r
verify
EOF
	ctl -b "$T/script"
	expect_rc 0 "batch with free-held"
	h0=$(sed -n 's/^handles: \([0-9]*\).*/\1/p' "$T/out" | sed -n 1p)
	h1=$(sed -n 's/^handles: \([0-9]*\).*/\1/p' "$T/out" | sed -n 2p)
	grep -qx "handle $h0: $(((1 << 3) - 1)) pages freed, order 0 left" "$T/out" ||
		fail "free-held of the order-3 block"
	grep -qx "handle $h1: 0 pages freed, order 3 left" "$T/out" ||
		fail "free-held of the compound block"
	grep -q "^handle $h0: pfn 0x[0-9a-f]* order 0 " "$T/out" || fail "query: %0 is not order 0"
	grep -q "^handle $h1: pfn 0x[0-9a-f]* order 3 " "$T/out" || fail "query: %1 is not order 3"
	grep "^\[" "$T/out" | sb_json -f >"$T/flat" || fail "free-held -j is not JSON"
	grep -qx "\[0\].freed 0" "$T/flat" || fail "free-held -j of an order-0 block"
	grep -qx "\[0\].order 0" "$T/flat" || fail "free-held -j order"
	f0=$(sed -n 's/^nr_free_pages //p' "$T/out" | sed -n 1p)
	f1=$(sed -n 's/^nr_free_pages //p' "$T/out" | sed -n 2p)
	f2=$(sed -n 's/^nr_free_pages //p' "$T/out" | sed -n 3p)
	[ "$((f1 - f0))" = $(((1 << 3) - 1)) ] || fail "free-held freed $((f1 - f0)) pages, want 7"
	[ "$((f2 - f1))" = $((1 + (1 << 3))) ] || fail "free freed $((f2 - f1)) pages, want 9"
	grep -q "^ok$" "$T/out" || fail "verify after free-held"
	# a pinned block is refused and the batch stops there
	printf 'alloc 1\npin %%0\nfree-held %%0\nverify\n' | sbuddyctl batch - >"$T/out" 2>"$T/err"
	rc=$?
	expect_rc 1 "free-held of a pinned block"
	h=$(sed -n 's/^handles: \([0-9]*\).*/\1/p' "$T/out")
	expect_err "sbuddyctl: stdin:3: free-held: handle $h is pinned"
	grep -q "^ok$" "$T/out" && fail "the batch went on after the refusal"
}

case_batch_stops_or_forces() {
	printf 'alloc 0\nunpin %%0\nverify\n' >"$T/script"
	ctl -b "$T/script"
	expect_rc 1 "unpin of an unpinned block"
	expect_err "sbuddyctl: $T/script:2: unpin: handle $(sed -n 's/^handles: \([0-9]*\).*/\1/p' "$T/out") holds no pin"
	grep -qx ok "$T/out" && fail "batch went on without --force"
	ctl -f -b "$T/script"
	expect_rc 1 "--force with a failure"
	grep -qx ok "$T/out" || fail "batch --force stopped"
	printf 'alloc 99\n' >"$T/script"
	ctl batch "$T/script"
	expect_rc 2 "a usage error in a batch"
	expect_err "sbuddyctl: $T/script:1: alloc: order 99 out of range (0..10)"
	printf 'batch x\n' >"$T/script"
	ctl batch "$T/script"
	expect_rc 2 "nested batch"
	ctl batch /nonexistent
	expect_rc 1 "missing batch file"
}

case_stress_counts_add_up() {
	settle
	cp $D/buddyinfo "$T/before"
	ctl -j stress -t 2 -n 400 -o 0,2:3 -m movable,unmovable:2 -k 16 -s 1
	expect_rc 0 "stress -j"
	sb_json -f <"$T/out" >"$T/flat" || fail "stress -j is not JSON"
	awk '
		$1 == ".attempts" { a = $2 } $1 == ".allocated" { al = $2 }
		$1 == ".failed" { f = $2 } $1 == ".freed" { fr = $2 }
		$1 ~ /^\.orders\[[0-9]+\]\.attempts$/ { sa += $2 }
		$1 ~ /^\.orders\[[0-9]+\]\.order$/ { orders = orders " " $2 }
		END {
			if (a != 400) print "attempts " a " not 400"
			if (al + f != a) print "allocated + failed != attempts"
			if (fr != al) print "freed " fr " != allocated " al
			if (sa != a) print "per-order attempts add up to " sa
			if (orders != " 0 2") print "orders listed:" orders
		}' "$T/flat" >"$T/bad"
	[ -s "$T/bad" ] && fail "stress: $(cat "$T/bad")"
	ctl stress -t 2 -n 300 -o 1 -b 3
	expect_rc 0 "stress"
	grep -q "^stress: 2 threads, .* ops (.* ops/s), [0-9]* of 300 allocations failed$" "$T/out" ||
		fail "stress summary: $(head -n 1 "$T/out")"
	grep -q "^    1        300 " "$T/out" || fail "stress: no order-1 row"
	settle
	cmp -s $D/buddyinfo "$T/before" || fail "stress left blocks behind"
}

case_compact_trigger_or_exit_3() {
	ctl compact
	if [ -e $D/vm/compact_memory ]; then
		expect_rc 0 "compact"
	else
		expect_rc 3 "compact without a trigger"
		expect_err "sbuddyctl: compact: this sbuddy has no compaction trigger ($D/vm/compact_memory missing)"
	fi
}

case_drain_empties_the_lists() {
	for s in "" all local "cpu 0"; do
		# shellcheck disable=SC2086
		ctl drain $s
		expect_rc 0 "drain $s"
	done
	sbuddyctl alloc 0 -n 50 -t movable >/dev/null
	ctl drain
	awk '!/^#/ && $5 != 0 { bad = 1 } END { exit bad }' $D/pcp || fail "drain left pages on a list"
}

case_verify_ok() {
	ctl verify
	expect_rc 0 verify
	[ "$(cat "$T/out")" = "$(cat $D/verify)" ] || fail "verify says '$(cat "$T/out")', the file '$(cat $D/verify)'"
	sbuddyctl -j verify | sb_json -f >"$T/flat"
	grep -qx ".status 0" "$T/flat" && grep -qx ".message ok" "$T/flat" || fail "verify -j"
}

# the knob list of the messages above
knobs=$(ls $D/vm | tr '\n' ' ' | sed 's/ $//')
ktap_run
