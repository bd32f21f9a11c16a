#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sbuddyctl workload and replay, in the test VM (busybox sh, sbuddy
# loaded, sbuddyctl and sb_json in PATH); KTAP out.  A real trace of this
# guest kernel's page allocator is captured through tracefs while a busybox
# workload runs, replayed, and replay's counts are checked against awk's
# own count of the trace lines; mutated traces check the bad-line report.

TR=/sys/kernel/tracing
CASES="workload_preset_runs_and_frees workload_bad_spec_file_line
workload_refusals_exit_1 capture_a_real_trace replay_counts_equal_awk
replay_reports_bad_lines replay_json_parses replay_random_lines"
. "$(dirname "$0")/sb_ktap.sh"

# free pages: buddyinfo's blocks plus the per-cpu lists, after a drain
free_pages() {
	echo all > $D/drain
	# (busybox awk may lack "^")
	b=$(awk '{ m = 1; for (i = 5; i <= NF; i++) { t += $i * m; m *= 2 } } END { printf "%d", t }' $D/buddyinfo)
	p=$(awk '$1 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ && $5 ~ /^[0-9]+$/ { s += $5 } END { printf "%d", s }' $D/pcp)
	echo $((b + p))
}

case_workload_preset_runs_and_frees() {
	f0=$(free_pages)
	[ "$f0" -gt 0 ] || { fail "free pages '$f0'"; return; }
	ctl workload fill-and-fragment
	[ "$rc" = 0 ] || fail "workload fill-and-fragment exit $rc: $(cat "$T/err")"
	grep -qx "workload fill-and-fragment threads 1: ok" "$T/out" || fail "no ok line: $(head -1 "$T/out")"
	held=$(awk '$1 == "held_pages" { print $2 }' "$T/out")
	[ "${held:-0}" -gt 0 ] || fail "held_pages '$held'"
	# per order ok in the text equals the JSON of a second run's shape
	sbuddyctl workload -j fill-and-fragment >"$T/j" || fail "workload -j failed"
	sb_json <"$T/j" || fail "workload -j is not valid JSON"
	[ "$(free_pages)" = "$f0" ] || fail "free pages $(free_pages), before $f0: the exit did not free the run"
	[ "$(cat $D/verify)" = ok ] || fail "verify: $(cat $D/verify)"
}

case_workload_bad_spec_file_line() {
	printf 'name x\n# a comment\nphase fill 10 orders=0:1,12:1\n' >"$T/bad.wl"
	ctl workload "$T/bad.wl"
	[ "$rc" = 1 ] || fail "exit $rc for a malformed spec"
	grep -q "^sbuddyctl: $T/bad.wl:3: " "$T/err" || fail "no FILE:3: in '$(cat "$T/err")'"
	ctl workload
	[ "$rc" = 2 ] || fail "exit $rc with no spec"
}

case_workload_refusals_exit_1() {
	printf 'memory 64G\nphase fill 10\n' >"$T/big.wl"
	ctl workload "$T/big.wl"
	[ "$rc" = 1 ] && grep -q "E2BIG" "$T/err" || fail "memory 64G: exit $rc, '$(cat "$T/err")'"
	ctl workload no-such-preset
	[ "$rc" = 1 ] || fail "unknown preset exit $rc"
}

case_capture_a_real_trace() {
	[ -d $TR/events/kmem ] || mount -t tracefs nodev $TR || { fail "no tracefs"; return; }
	# the other tests' tracing is left as it was
	on=$(cat $TR/tracing_on)
	kb=$(cat $TR/buffer_size_kb | sed 's/ .*//')
	# no task names (replay reads none): record-cmd would hook the
	# scheduler, text patching that TCG trips on (testing.rst)
	cmd=$(cat $TR/options/record-cmd)
	echo 0 > $TR/options/record-cmd
	echo 0 > $TR/tracing_on
	echo > $TR/trace
	echo 4096 > $TR/buffer_size_kb
	for e in mm_page_alloc mm_page_free mm_page_free_batched; do
		echo 1 > $TR/events/kmem/$e/enable || fail "cannot enable $e"
	done
	cat $TR/trace_pipe >"$T/trace" &
	r=$!
	echo 1 > $TR/tracing_on
	mkdir "$T/w" && tar -cf "$T/w/a.tar" /bin 2>/dev/null && gzip "$T/w/a.tar" &&
		mkdir "$T/w/x" && tar -xzf "$T/w/a.tar.gz" -C "$T/w/x" && rm -rf "$T/w"
	echo 0 > $TR/tracing_on
	sleep 1
	kill $r 2>/dev/null
	wait $r 2>/dev/null
	grep -v '^#' $TR/trace >>"$T/trace"
	for e in mm_page_alloc mm_page_free mm_page_free_batched; do
		echo 0 > $TR/events/kmem/$e/enable
	done
	lost=$(cat $TR/per_cpu/cpu*/stats | awk '/^overrun:/ { s += $2 } END { print s + 0 }')
	echo > $TR/trace
	echo "$kb" > $TR/buffer_size_kb
	echo "$on" > $TR/tracing_on
	echo "$cmd" > $TR/options/record-cmd
	echo "# info: captured $(wc -l < "$T/trace") lines, lost $lost"
	grep -q " mm_page_alloc: " "$T/trace" || fail "no mm_page_alloc in the trace"
}

# awk's count of a trace: allocs per order, frees, and frees of pfns that
# were not live (no alloc since the last free)
awk_count() {
	awk '
	/^[ \t]*(#|$)/ { comments++; next }
	/ (kmem:)?mm_page_alloc: / {
		allocs++
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^order=/) o = substr($i, 7)
			if ($i ~ /^pfn=/) p = substr($i, 5)
		}
		per[o]++
		if (p != "0x0") { if (p in live) implicit++; live[p] = 1 }
		next
	}
	/ (kmem:)?mm_page_free(_batched)?: / {
		frees++
		for (i = 1; i <= NF; i++)
			if ($i ~ /^pfn=/) p = substr($i, 5)
		if (p in live) delete live[p]; else unknown++
		next
	}
	{ other++ }
	END {
		printf "comments %d\nallocs %d\nfrees %d\nunknown %d\nimplicit %d\nother %d\n",
			comments, allocs, frees, unknown, implicit, other
		for (o in per) printf "order%s %d\n", o, per[o]
	}' "$1"
}

case_replay_counts_equal_awk() {
	[ -s "$T/trace" ] || { fail "no trace captured"; return; }
	awk_count "$T/trace" >"$T/awk"
	sbuddyctl replay -j "$T/trace" >"$T/j" 2>"$T/err" || fail "replay exit $?: $(cat "$T/err")"
	sb_json -f <"$T/j" >"$T/flat" || { fail "replay -j is not valid JSON"; return; }
	k() { awk -v k="$1" '$1 == k { print $2 }' "$T/flat"; }
	a() { awk -v k="$1" '$1 == k { print $2 }' "$T/awk"; }
	echo "# info: replay: $(k .allocs) allocs, $(k .frees) frees, $(k .events_per_sec) events/s"
	[ "$(k .allocs)" = "$(a allocs)" ] || fail "allocs $(k .allocs), awk $(a allocs)"
	[ "$(k .frees)" = "$(a frees)" ] || fail "frees $(k .frees), awk $(a frees)"
	[ "$(k .comments)" = "$(a comments)" ] || fail "comments $(k .comments), awk $(a comments)"
	[ "$(k .irrelevant)" = "$(a other)" ] || fail "other events $(k .irrelevant), awk $(a other)"
	[ "$(k .bad)" = 0 ] || fail "bad lines in a real trace: $(grep bad_lines "$T/flat")"
	[ "$(k .implicit_frees)" = "$(a implicit)" ] || fail "implicit $(k .implicit_frees), awk $(a implicit)"
	fails=0
	i=0
	while [ -n "$(k ".orders[$i].order")" ]; do
		o=$(k ".orders[$i].order")
		sum=$(($(k ".orders[$i].ok") + $(k ".orders[$i].fail")))
		[ "$sum" = "$(a order$o)" ] || fail "order $o: $sum replayed, awk $(a order$o)"
		fails=$((fails + $(k ".orders[$i].fail")))
		i=$((i + 1))
	done
	[ "$(awk '/^order/' "$T/awk" | wc -l)" = "$i" ] || fail "orders: replay $i, awk $(awk '/^order/' "$T/awk" | wc -l)"
	# a failed replay allocation makes its later free unknown too
	if [ "$fails" = 0 ]; then
		[ "$(k .unknown_frees)" = "$(a unknown)" ] || fail "unknown frees $(k .unknown_frees), awk $(a unknown)"
	else
		[ "$(k .unknown_frees)" -ge "$(a unknown)" ] || fail "unknown frees $(k .unknown_frees) < awk $(a unknown)"
	fi
	[ "$(cat $D/verify)" = ok ] || fail "verify: $(cat $D/verify)"
}

case_replay_reports_bad_lines() {
	[ -s "$T/trace" ] || { fail "no trace captured"; return; }
	grep " mm_page_alloc: " "$T/trace" | head -n 20 >"$T/small"
	# line 3: garbage; line 7: an unknown gfp name; line 9: no pfn; line 12:
	# an order above 10; line 15: another event
	awk 'NR == 3 { print "garbage" } NR == 7 { sub(/gfp_flags=/, "gfp_flags=__GFP_BOGUS|") }
	     NR == 9 { sub(/pfn=[^ ]*/, "pfx=1") } NR == 12 { sub(/order=[0-9]+/, "order=11") }
	     NR == 15 { print "  sh-1 [000] .... 1.0: kmalloc: call_site=x" } { print }' "$T/small" >"$T/mut"
	# the inserted lines shift the rest: 3 garbage, 8 gfp, 10 pfn, 13 order
	ctl replay "$T/mut"
	[ "$rc" = 0 ] || fail "replay exit $rc"
	for l in 3 8 10 13; do
		grep -q "^  bad line $l: " "$T/out" || fail "line $l not reported: $(grep 'bad line' "$T/out")"
	done
	grep -q " 4 bad$" "$T/out" || fail "not 4 bad: $(head -1 "$T/out")"
	grep -q " 1 other events," "$T/out" || fail "not 1 other event: $(head -1 "$T/out")"
	awk '$1 == "allocs" && $2 != 17 { exit 1 }' "$T/out" || fail "allocs: $(grep ^allocs "$T/out"), 17 good lines"
}

case_replay_json_parses() {
	printf '# nothing\n\n' >"$T/empty"
	ctl replay -j "$T/empty"
	[ "$rc" = 0 ] || fail "empty trace exit $rc"
	sb_json <"$T/out" || fail "not JSON"
	ctl replay "$T/no-such"
	[ "$rc" = 1 ] || fail "missing trace exit $rc"
	ctl replay
	[ "$rc" = 2 ] || fail "no trace exit $rc"
}

# Seeded random traces: valid alloc and free lines over a small pfn range
# (so frees meet their allocations), lines cut short, garbage, comments and
# other events.  Whatever the mix, replay answers 0, every line is counted
# exactly once, garbage is bad, and sbuddy is as it was afterwards.
case_replay_random_lines() {
	seed=${SBUDDY_REPLAY_SEED:-$(date +%s)}
	f0=$(free_pages)
	for s in $seed $((seed + 1)); do
		echo "# info: replay_random_lines seed $s"
		awk -v seed="$s" -v n=20000 'BEGIN {
			srand(seed)
			split("GFP_KERNEL GFP_HIGHUSER_MOVABLE GFP_ATOMIC GFP_NOWAIT|__GFP_COMP GFP_KERNEL|__GFP_ZERO __GFP_BOGUS none GFP_NOIO|__GFP_NOWARN", g, " ")
			garbage = 0
			for (i = 1; i <= n; i++) {
				r = int(rand() * 100)
				pfn = sprintf("0x%x", 4096 + int(rand() * 512))
				o = rand() < 0.8 ? 0 : int(rand() * 12)
				pre = sprintf("  sh-%d [00%d] ..... %d.%06d: ", 100 + int(rand() * 50), int(rand() * 4), i, int(rand() * 1000000))
				if (r < 35)
					l = pre "mm_page_alloc: page=000000001 pfn=" pfn " order=" o " migratetype=" int(rand() * 4) " gfp_flags=" g[1 + int(rand() * 8)]
				else if (r < 65)
					l = pre "mm_page_free: page=000000001 pfn=" pfn " order=" o
				else if (r < 80) {
					l = pre "mm_page_alloc: page=000000001 pfn=" pfn " order=" o " migratetype=1 gfp_flags=GFP_KERNEL"
					l = substr(l, 1, int(rand() * length(l)))
				} else if (r < 90) {
					l = ""
					for (k = int(rand() * 60); k > 0; k--)
						l = l sprintf("%c", 33 + int(rand() * 94))
					# never a page event or a comment: garbage for sure
					gsub(/mm_page|#/, "x", l)
					if (l != "")
						garbage++
				} else if (r < 95)
					l = rand() < 0.5 ? "# " i : ""
				else
					l = pre "kmalloc: call_site=x ptr=" i
				print l
			}
			print garbage > "/dev/stderr"
		}' >"$T/rand" 2>"$T/garbage"
		garbage=$(cat "$T/garbage")
		sbuddyctl replay -j "$T/rand" >"$T/j" 2>"$T/err"
		rc=$?
		[ "$rc" = 0 ] || { fail "seed $s: replay exit $rc: $(head -3 "$T/err")"; continue; }
		sb_json -f <"$T/j" >"$T/flat" || { fail "seed $s: not JSON"; continue; }
		k() { awk -v k="$1" '$1 == k { print $2 }' "$T/flat"; }
		lines=$(wc -l <"$T/rand")
		[ "$(k .lines)" = "$lines" ] || fail "seed $s: $(k .lines) lines, the file has $lines"
		sum=$(($(k .comments) + $(k .irrelevant) + $(k .bad) + $(k .allocs) + $(k .frees)))
		[ "$sum" = "$lines" ] || fail "seed $s: comments+other+bad+allocs+frees = $sum, not $lines"
		[ "$(k .bad)" -ge "$garbage" ] || fail "seed $s: $(k .bad) bad lines, $garbage of garbage alone"
		[ "$(k .allocs)" -gt 0 ] && [ "$(k .frees)" -gt 0 ] || fail "seed $s: allocs $(k .allocs), frees $(k .frees)"
		echo "# info: seed $s: $lines lines, $(k .bad) bad, $(k .allocs) allocs, $(k .frees) frees"
	done
	[ "$(free_pages)" = "$f0" ] || fail "free pages $(free_pages), before $f0"
	[ "$(cat $D/verify)" = ok ] || fail "verify: $(cat $D/verify)"
}

ktap_run
