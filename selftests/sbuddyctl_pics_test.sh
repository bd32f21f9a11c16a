#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sbuddyctl watch, map and plot: rows and columns, values against the
# debugfs files read at the same moment (on an idle machine), signals,
# usage errors, and the pictures' content.  Runs in the test VM (busybox
# sh, sbuddy loaded, sbuddyctl and sb_json in PATH) and prints KTAP.
#
# After the cases it prints the pageblocks files and the watch CSV of a
# workload run between "PICS-BEGIN NAME" and "PICS-END" lines, each data
# line behind "PICS|": tools/check.sh renders them on the host
# (rsvg-convert) and checks the pixels (tools/pics-check.py).

# the workload's blocks stay allocated until the end: the other cases
# see a fragmented machine, with mixed blocks
CASES="pictures_of_a_workload watch_rows_and_columns watch_values_equal_debugfs
watch_json watch_stops_on_a_signal usage_errors_exit_2 bad_input_exits_1
map_text_matches_pageblocks map_svg_cells plot_svg_series"
. "$(dirname "$0")/sb_ktap.sh"

expect_rc() {	# expect_rc N WHAT
	[ "$rc" = "$1" ] || fail "$2: exit $rc, want $1 (stderr: $(head -c 300 "$T/err"))"
}

# the zones of buddyinfo, as "NODE_ZONE" words
zones() {
	awk '{ sub(",", "", $2); print $2 "_" $4 }' $D/buddyinfo
}

# the columns watch documents, built from the zones of this machine
want_header() {
	h="epoch_ms,t_ms"
	for o in 0 1 2 3 4 5 6 7 8 9 10; do h="$h,free_pages_o$o"; done
	h="$h,nr_free_pages"
	for t in unmovable movable reclaimable highatomic cma isolate; do
		h="$h,blocks_$t"
	done
	h="$h,mixed_blocks"
	for i in unusable extfrag; do
		for z in $(zones); do h="$h,${i}_o3_$z,${i}_o9_$z"; done
	done
	for e in sbuddy_extfrag sbuddy_extfrag_fragmenting sbuddy_steal_pageblock \
		compact_stall compact_success compact_fail compact_daemon_wake \
		pgmigrate_success pgmigrate_fail allocstall pageoutrun \
		pgsteal_kswapd pgsteal_direct sbuddy_alloc_fail oom_kill; do
		h="$h,$e"
	done
	echo "$h"
}

# csv_get FILE ROW NAME: the value of column NAME in data row ROW (1..)
csv_get() {
	awk -F, -v r="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
		NR == r + 1 { print (c ? $c : "NO-COLUMN") }' "$1"
}

quiet_knobs() {		# nothing in the background moves pages
	old_pro=$(cat $D/vm/compaction_proactiveness)
	old_boost=$(cat $D/vm/watermark_boost_factor)
	echo 0 >$D/vm/compaction_proactiveness
	echo 0 >$D/vm/watermark_boost_factor
	sbuddyctl drain >/dev/null 2>&1
}

restore_knobs() {
	echo "$old_pro" >$D/vm/compaction_proactiveness
	echo "$old_boost" >$D/vm/watermark_boost_factor
}

case_watch_rows_and_columns() {
	ctl watch -n 3 -i 50 -o "$T/w.csv"
	expect_rc 0 "watch -n 3"
	[ -s "$T/out" ] && fail "watch -o wrote to stdout too"
	[ "$(wc -l <"$T/w.csv")" = 4 ] || fail "$(wc -l <"$T/w.csv") lines, want a header and 3 rows"
	[ "$(head -n 1 "$T/w.csv")" = "$(want_header)" ] ||
		fail "header '$(head -n 1 "$T/w.csv")', want '$(want_header)'"
	cols=$(head -n 1 "$T/w.csv" | awk -F, '{ print NF }')
	awk -F, -v c="$cols" 'NR > 1 && NF != c { bad = 1 } END { exit bad }' "$T/w.csv" ||
		fail "a row has not $cols fields"
	# row K taken no earlier than K intervals in (sleeps only add),
	# numbers only
	awk -F, 'NR > 1 && $2 < (NR - 2) * 50 { bad = 1 }
		NR > 1 { for (i = 1; i <= NF; i++) if ($i !~ /^-?[0-9]+(\.[0-9]+)?$/) bad = 1 }
		END { exit bad }' "$T/w.csv" || fail "a row before its time or a cell not a number"
	# the same with stdout
	ctl watch -n 2 -i 1
	expect_rc 0 "watch -n 2 to stdout"
	[ "$(wc -l <"$T/out")" = 3 ] || fail "stdout: $(wc -l <"$T/out") lines, want 3"
}

# snapshot DIR: the views a watch row is made of, and pagetypeinfo
snapshot() {
	mkdir -p "$1"
	for f in buddyinfo pagetypeinfo vmstat unusable_index extfrag_index; do
		case $f in *_index) src=$D/extfrag/$f ;; *) src=$D/$f ;; esac
		cat "$src" >"$1/$f"
	done
}

same_snapshots() {
	for f in buddyinfo pagetypeinfo vmstat unusable_index extfrag_index; do
		cmp -s "$1/$f" "$2/$f" || return 1
	done
}

case_watch_values_equal_debugfs() {
	quiet_knobs
	tries=0
	while :; do
		snapshot "$T/a"
		ctl watch -n 1 -o "$T/v.csv"
		snapshot "$T/b"
		same_snapshots "$T/a" "$T/b" && break
		tries=$((tries + 1))
		if [ "$tries" = 10 ]; then
			fail "the views never held still over a sample"
			restore_knobs
			return
		fi
		sleep 1
	done
	restore_knobs
	expect_rc 0 "watch -n 1"
	# free pages per order: buddyinfo's blocks times 2^order, all zones
	for o in 0 1 2 3 4 5 6 7 8 9 10; do
		want=$(awk -v o="$o" 'BEGIN { p = 1; for (i = 0; i < o; i++) p *= 2 }
			$1 == "Node" && NF == 15 { s += $(5 + o) * p }
			END { printf "%d", s }' "$T/a/buddyinfo")
		got=$(csv_get "$T/v.csv" 1 free_pages_o$o)
		[ "$got" = "$want" ] || fail "free_pages_o$o $got, buddyinfo says $want"
	done
	# pageblocks per type and mixed: pagetypeinfo's sections, summed
	i=0
	mixed=0
	for t in unmovable movable reclaimable highatomic cma isolate; do
		i=$((i + 1))
		for sec in "Number of blocks type" "Number of mixed blocks"; do
			want=$(awk -v sec="$sec" -v i="$i" 'index($0, sec) == 1 { on = 1; next }
				on && !NF { on = 0 } on && $1 == "Node" { s += $(4 + i) }
				END { print s + 0 }' "$T/a/pagetypeinfo")
			if [ "$sec" = "Number of blocks type" ]; then
				got=$(csv_get "$T/v.csv" 1 blocks_$t)
				[ "$got" = "$want" ] || fail "blocks_$t $got, pagetypeinfo says $want"
			else
				mixed=$((mixed + want))
			fi
		done
	done
	got=$(csv_get "$T/v.csv" 1 mixed_blocks)
	[ "$got" = "$mixed" ] || fail "mixed_blocks $got, pagetypeinfo says $mixed"
	# the indices of orders 3 and 9, zone by zone
	for f in unusable extfrag; do
		for z in $(zones); do
			for o in 3 9; do
				want=$(awk -v z="$z" -v o="$o" '{ sub(",", "", $2) }
					$2 "_" $4 == z { print $(5 + o) }' "$T/a/${f}_index")
				got=$(csv_get "$T/v.csv" 1 ${f}_o${o}_$z)
				[ "$got" = "$want" ] || fail "${f}_o${o}_$z $got, the file says $want"
			done
		done
	done
	# the events, allocstall summed over the zones
	for e in nr_free_pages sbuddy_extfrag sbuddy_steal_pageblock compact_stall \
		compact_success compact_fail pgmigrate_success allocstall pgsteal_direct \
		oom_kill; do
		want=$(awk -v e="$e" '$1 == e || (e == "allocstall" && index($1, "allocstall_") == 1) {
			s += $2; seen = 1 } END { if (seen) print s }' "$T/a/vmstat")
		got=$(csv_get "$T/v.csv" 1 $e)
		[ "$got" = "$want" ] || fail "$e $got, vmstat says '$want'"
	done
}

case_watch_json() {
	sbuddyctl watch -n 2 -i 10 -o "$T/j.csv" >/dev/null
	ctl -j watch -n 2 -i 10
	expect_rc 0 "-j watch"
	sb_json -f <"$T/out" >"$T/flat" || fail "watch -j is not JSON"
	# two objects whose keys are the CSV's columns, in order
	keys=$(sed -n 's/^\[0\]\.\([^ ]*\) .*/\1/p' "$T/flat" | tr '\n' ',' | sed 's/,$//')
	[ "$keys" = "$(head -n 1 "$T/j.csv")" ] || fail "[0]'s keys '$keys' are not the CSV columns"
	grep -q '^\[1\]\.t_ms ' "$T/flat" || fail "no second sample"
	grep -q '^\[2\]' "$T/flat" && fail "a third sample"
	awk '$2 !~ /^-?[0-9]+(\.[0-9]+)?$/ { bad = 1 } END { exit bad }' "$T/flat" ||
		fail "a value not a number"
	ctl -p watch -n 1 -o "$T/p.json"
	expect_rc 0 "-p watch -o"
	sb_json <"$T/p.json" || fail "watch -p -o is not JSON"
	[ "$(wc -l <"$T/p.json")" -gt 10 ] || fail "watch -p is not indented"
}

# watch_killed SIG [ARGS]: watch until SIG; then the file must be whole
watch_killed() {
	rm -f "$T/s.out"
	sbuddyctl "$@" watch -i 100 -o "$T/s.out" 2>"$T/err" &
	pid=$!
	sleep 1
	kill -"$SIG" $pid
	wait $pid
	rc=$?
}

case_watch_stops_on_a_signal() {
	for SIG in INT TERM; do
		watch_killed
		expect_rc 0 "watch stopped by SIG$SIG"
		rows=$(($(wc -l <"$T/s.out") - 1))
		[ "$rows" -ge 1 ] || fail "SIG$SIG: $rows rows"
		[ "$(tail -c 1 "$T/s.out" | od -An -c | tr -d ' ')" = '\n' ] ||
			fail "SIG$SIG: the last row is cut"
		awk -F, 'NR == 1 { c = NF } NF != c { bad = 1 } END { exit bad }' "$T/s.out" ||
			fail "SIG$SIG: a row of another width"
		watch_killed -j
		expect_rc 0 "watch -j stopped by SIG$SIG"
		sb_json <"$T/s.out" || fail "SIG$SIG: watch -j left no JSON"
	done
}

case_usage_errors_exit_2() {
	while IFS='|' read -r args msg; do
		# shellcheck disable=SC2086
		ctl $args
		expect_rc 2 "sbuddyctl $args"
		[ "$(head -n 1 "$T/err")" = "$msg" ] ||
			fail "sbuddyctl $args: stderr '$(head -n 1 "$T/err")', want '$msg'"
	done <<'EOF'
watch -i 0|sbuddyctl: watch: interval 0 out of range (1..86400000)
watch -i soon|sbuddyctl: watch: interval 'soon' is not a number
watch -n -1|sbuddyctl: watch: count -1 out of range (0..1099511627776)
watch extra|sbuddyctl: watch: unexpected argument 'extra'
map --order 11|sbuddyctl: map: order 11 out of range (0..10)
map extra|sbuddyctl: map: unexpected argument 'extra'
plot w.csv|sbuddyctl: plot: --svg FILE is required
plot --svg x.svg|sbuddyctl: plot: which CSV file?
plot --svg x.svg a.csv b.csv|sbuddyctl: plot: one CSV file only
EOF
	for args in "map --json" "plot --bogus" "watch -x"; do
		# shellcheck disable=SC2086
		ctl $args
		expect_rc 2 "sbuddyctl $args"
	done
}

case_bad_input_exits_1() {
	ctl map --from "$T/none"
	expect_rc 1 "map --from a missing file"
	grep -qxF "sbuddyctl: map: cannot read $T/none: No such file or directory" "$T/err" ||
		fail "map --from missing: '$(cat "$T/err")'"
	printf '# node zone\n0 Normal 1 0x0 Movable 1 2\n' >"$T/bad.pb"
	ctl map --from "$T/bad.pb"
	expect_rc 1 "map --from a bad file"
	grep -qxF "sbuddyctl: map: $T/bad.pb:2: not a pageblocks line" "$T/err" ||
		fail "map of a bad line: '$(cat "$T/err")'"
	printf 't_ms,free_pages_o0,blocks_movable\n0,1,2\n5,x,3\n' >"$T/bad.csv"
	ctl plot --svg "$T/bad.svg" "$T/bad.csv"
	expect_rc 1 "plot of a bad CSV"
	grep -qxF "sbuddyctl: plot: $T/bad.csv:3: not a row of 3 numbers" "$T/err" ||
		fail "plot of a bad row: '$(cat "$T/err")'"
	printf 'a,b\n1,2\n' >"$T/other.csv"
	ctl plot --svg "$T/bad.svg" "$T/other.csv"
	expect_rc 1 "plot of a CSV that is not watch's"
	ctl plot --svg "$T/no/such/dir.svg" "$T/w.csv"
	expect_rc 1 "plot into a missing directory"
}

# the map's letters, computed from a pageblocks file and pagetypeinfo's
# pageblock size
want_map() {
	pages=$(awk '/^Pages per block:/ { print $4; exit }' $D/pagetypeinfo)
	awk -v pages="$pages" 'BEGIN { o = 0; for (p = 2; p <= pages; p *= 2) o++
		split("Unmovable Movable Reclaimable HighAtomic CMA Isolate", t, " ")
		for (i = 1; i <= 6; i++) letter[t[i]] = substr("UMRHCI", i, 1) }
		/^#/ { next }
		$1 "/" $2 != zone { if (zone != "") printf "\n"; zone = $1 "/" $2
			printf "Node %d, zone %8s ", $1, $2 }
		{ ch = ($5 in letter) ? letter[$5] : "?"
		  if ($12 >= o && $8 + $9 + $10 == 0) ch = "."
		  if ($13) ch = tolower(ch)
		  printf "%s", ch }
		END { printf "\n" }' "$1"
}

case_map_text_matches_pageblocks() {
	cat $D/pageblocks >"$T/m.pb"
	ctl map --from "$T/m.pb"
	expect_rc 0 "map --from"
	want_map "$T/m.pb" >"$T/want"
	cmp -s "$T/out" "$T/want" || fail "map: '$(cat "$T/out")', want '$(cat "$T/want")'"
	# live, the same as the file read just before and after (kcompactd
	# may still be at work: until they agree)
	quiet_knobs
	tries=0
	while :; do
		cat $D/pageblocks >"$T/m.pb"
		ctl map
		cat $D/pageblocks >"$T/m2.pb"
		cmp -s "$T/m.pb" "$T/m2.pb" && break
		tries=$((tries + 1))
		[ "$tries" = 10 ] && break
		sleep 1
	done
	restore_knobs
	expect_rc 0 "map"
	want_map "$T/m.pb" >"$T/want"
	cmp -s "$T/out" "$T/want" || fail "live map: '$(cat "$T/out")', want '$(cat "$T/want")'"
}

case_map_svg_cells() {
	cat $D/pageblocks >"$T/m.pb"
	ctl map --svg "$T/m.svg" --from "$T/m.pb" --title "a test map"
	expect_rc 0 "map --svg"
	[ -s "$T/out" ] && fail "map --svg wrote to stdout"
	blocks=$(grep -vc '^#' "$T/m.pb")
	cells=$(grep -c '<title>pfn ' "$T/m.svg")
	[ "$cells" = "$blocks" ] || fail "$cells cells for $blocks pageblocks"
	for t in Unmovable Movable Reclaimable HighAtomic CMA Isolate; do
		want=$(awk -v t="$t" '$5 == t' "$T/m.pb" | wc -l)
		got=$(grep -c "<title>pfn 0x[0-9a-f]* $t:" "$T/m.svg")
		[ "$got" = "$want" ] || fail "$got $t cells, $want $t blocks"
		grep -q ">$t ($want)<" "$T/m.svg" || fail "the legend lacks '$t ($want)'"
	done
	want=$(awk '!/^#/ && $13 == 1' "$T/m.pb" | wc -l)
	got=$(grep -c ' mixed</title>' "$T/m.svg")
	[ "$got" = "$want" ] || fail "$got mixed cells, $want mixed blocks"
	# every cell's block appears by its pfn
	for pfn in $(awk '!/^#/ { print $4 }' "$T/m.pb"); do
		grep -q "<title>pfn $pfn " "$T/m.svg" || fail "no cell for pfn $pfn"
	done
	grep -q '>a test map<' "$T/m.svg" || fail "no title"
	tail -n 1 "$T/m.svg" | grep -qx '</svg>' || fail "the SVG is not closed"
	ctl map --svg - --from "$T/m.pb" --title "a test map"
	cmp -s "$T/out" "$T/m.svg" || fail "--svg - differs from --svg FILE"
}

case_plot_svg_series() {
	ctl plot --svg "$T/p.svg" "$T/w.csv"
	expect_rc 0 "plot"
	[ "$(grep -c 'id="plot-area-' "$T/p.svg")" = 2 ] || fail "not two plot areas"
	# 11 orders, 6 types and the mixed blocks, each with a point per row
	[ "$(grep -c '<polyline' "$T/p.svg")" = 18 ] ||
		fail "$(grep -c '<polyline' "$T/p.svg") lines, want 18"
	rows=$(($(wc -l <"$T/w.csv") - 1))
	grep '<polyline' "$T/p.svg" | sed 's/.*points="//; s/".*//' |
		awk -v r="$rows" 'NF != r { bad = 1 } END { exit bad }' ||
		fail "a line has not $rows points"
	for l in "order 0" "order 10" Unmovable Isolate mixed "time (s)"; do
		grep -q ">$l<" "$T/p.svg" || fail "no label '$l'"
	done
	tail -n 1 "$T/p.svg" | grep -qx '</svg>' || fail "the SVG is not closed"
}

# a fragmenting workload, watched; the files go to the host (see the top)
case_pictures_of_a_workload() {
	cat $D/pageblocks >"$T/pics-before.pb"
	sbuddyctl watch -i 200 -o "$T/pics.csv" 2>"$T/werr" &
	wpid=$!
	sleep 1
	cat >$D/workload <<'EOF' || fail "the workload failed"
name pictures
seed 1
cpus 0
phase fill 70 orders=0:80,2:10,3:10 types=u:10,m:80,r:10
phase churn 20000 orders=0:80,1:10,3:10 types=u:10,m:80,r:10 life=5000
phase free 70
EOF
	sleep 1
	kill -INT $wpid
	wait $wpid || fail "watch: exit $? ($(cat "$T/werr"))"
	cat $D/pageblocks >"$T/pics-after.pb"
	grep -q ": ok" $D/workload || fail "the workload says '$(head -n 1 $D/workload)'"
	[ "$(($(wc -l <"$T/pics.csv") - 1))" -ge 3 ] || fail "watch took $(wc -l <"$T/pics.csv") lines"
	# in the VM too: the pictures draw
	sbuddyctl map --from "$T/pics-after.pb" --svg "$T/pics-after.svg" || fail "map"
	sbuddyctl plot --svg "$T/pics.svg" "$T/pics.csv" || fail "plot"
}

ktap_run
rc=$?
echo release >$D/workload
for f in pics-before.pb pics-after.pb pics.csv; do
	[ -s "$T/$f" ] || continue
	echo "PICS-BEGIN $f $(uname -r)"
	sed 's/^/PICS|/' "$T/$f"
	echo "PICS-END"
done
exit $rc
