#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test sbuddy has, from a fresh machine.
#
#  - deps (packages, both guest kernels, linux-source)
#  - for 6.1 and 6.12: the module builds with W=1 and no warning; sparse
#    (C=2) reports nothing; the kselftests pass in the VM (one result per
#    KTAP test line) and the guest log has no kernel splat
#  - checkpatch.pl --strict on every file of src/, include/, kunit/
#  - the KUnit suites through kunit.py (one result per test case)
#  - sbuddyctl's pictures of the VM's data, rendered to PNG on the host
#    and checked by their pixels (one result per picture)
#
# Every result is one line "PASS|FAIL|SKIP name"; the last line of the
# output is "N passed, N failed, N skipped".  Exit status 1 on any failure.
# CHECK_KERNELS (default "6.1 6.12 debug") sets the kernel matrix;
# "debug" is tools/debug-kernel.sh's kernel (KASAN, lockdep, ...), built
# here when its cache is cold, whose VM runs the same selftests with
# smaller sizes (fewer fuzz calls, a shorter chaos, fewer lifecycle
# cycles: make soak has the full ones) and then the KUnit suites in
# sbuddy_kunit.ko (results from debugfs, parsed by kunit.py parse); its
# build and sparse results forgive gcc's -Wframe-larger-than (KASAN's
# redzones).  The reliability summary sums every kernel's VM.  The VM has
# SMP vCPUs, 4 unless SMP says otherwise: the pcp stress selftest runs a
# worker on every CPU while one of them goes offline and back (issue 4
# asks for 4 vCPUs).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1
out=${CHECK_OUT:-$here/.check}
rm -rf "$out"
mkdir -p "$out"
pass=0
fail=0
skip=0
start=$(date +%s)

result() {	# result PASS|FAIL|SKIP name [detail file]
	case "$1" in
	PASS) pass=$((pass + 1)) ;;
	FAIL) fail=$((fail + 1)) ;;
	SKIP) skip=$((skip + 1)) ;;
	esac
	echo "$1 $2"
	if [ "$1" = FAIL ] && [ -n "${3:-}" ] && [ -s "$3" ]; then
		sed 's/^/    | /' "$3" | tail -n 40
	fi
}

section() { echo "== $* ($(($(date +%s) - start))s)"; }

# kunit_in_vm K LOG: one result per KUnit case that sbuddy_kunit.ko ran in
# kernel K's VM, parsed suite by suite with kunit.py parse.
kunit_in_vm() {
	local k=$1 log=$2 s n=0 st name
	local kpy
	kpy="$(tools/deps.sh ksrc 6.1)/tools/testing/kunit/kunit.py"
	if grep -q "KUNIT-LOAD-FAILED" "$log"; then
		result FAIL "$k:kunit (sbuddy_kunit.ko did not load)" "$log"
		return
	fi
	for s in $(grep -aoE "^KUNIT [^|]+\|" "$log" | sort -u | sed 's/^KUNIT //; s/|$//'); do
		grep -a "^KUNIT $s| " "$log" | sed "s/^KUNIT $s| //" >"$out/kunit-$k-$s.ktap"
		rm -f "$out/kunit-$k-$s.json"
		python3 "$kpy" parse --json="$out/kunit-$k-$s.json" "$out/kunit-$k-$s.ktap" \
			>"$out/kunit-$k-$s.log" 2>&1
		while read -r st name; do
			n=$((n + 1))
			result "$st" "$k:kunit:$name" "$out/kunit-$k-$s.log"
		done < <(python3 - "$out/kunit-$k-$s.json" <<'PY'
import json, sys
def walk(g, path):
    for c in g.get("test_cases", []):
        st = {"PASS": "PASS", "SKIP": "SKIP", "SKIPPED": "SKIP"}.get(c["status"], "FAIL")
        print(st, "/".join(path + [c["name"]]))
    for s in g.get("sub_groups", []):
        walk(s, path + [s["name"]])
try:
    walk(json.load(open(sys.argv[1])), [])
except (OSError, ValueError):
    pass
PY
)
	done
	if [ "$n" = 0 ]; then
		result FAIL "$k:kunit (no KUnit case reported)" "$log"
	fi
}

# pics_on_host K LOG: the pageblocks files and the watch CSV that
# sbuddyctl_pics_test printed (PICS-BEGIN NAME .. PICS-END, lines behind
# "PICS|") drawn by the host's sbuddyctl, rendered to PNG by rsvg-convert
# and checked by their pixels (tools/pics-check.py).
pics_on_host() {
	local k=$1 log=$2 d f base
	d="$out/pics-$k"
	grep -aq "^PICS-BEGIN " "$log" || return 0
	if ! command -v rsvg-convert >/dev/null; then
		result SKIP "$k:pics (no rsvg-convert)"
		return
	fi
	mkdir -p "$d"
	for f in $(grep -a "^PICS-BEGIN " "$log" | awk '{ print $2 }'); do
		tr -d '\r' <"$log" | awk -v f="$f" '$1 == "PICS-BEGIN" && $2 == f { on = 1; next }
			/^PICS-END/ { on = 0 } on && sub(/^PICS\|/, "")' >"$d/$f"
	done
	for f in "$d"/*.pb "$d"/*.csv; do
		[ -e "$f" ] || continue
		base=${f%.*}
		case "$f" in
		*.pb) tools/sbuddyctl map --from "$f" --svg "$base.svg" \
			--title "$(basename "$f") from the $k VM" >"$base.log" 2>&1 ;;
		*.csv) tools/sbuddyctl plot --svg "$base.svg" "$f" >"$base.log" 2>&1 ;;
		esac &&
			rsvg-convert -o "$base.png" "$base.svg" >>"$base.log" 2>&1 &&
			python3 tools/pics-check.py "$(case "$f" in *.pb) echo map ;; *) echo plot ;; esac)" \
				"$base.svg" "$base.png" "$f" >>"$base.log" 2>&1
		if [ $? = 0 ]; then
			result PASS "$k:pics:$(basename "$f")"
		else
			result FAIL "$k:pics:$(basename "$f")" "$base.log"
		fi
	done
}

section deps
if ! tools/deps.sh all >"$out/deps.log" 2>&1; then
	result FAIL deps "$out/deps.log"
	echo "$pass passed, $fail failed, $skip skipped"
	exit 1
fi
result PASS deps
ksrc=$(tools/deps.sh ksrc 6.1)

section "selftests and tools build"
if make -s -C selftests KSRC="$ksrc" clean all >"$out/selftests-build.log" 2>&1 &&
	make -s -B tools >>"$out/selftests-build.log" 2>&1 &&
	! grep -q "warning:" "$out/selftests-build.log"; then
	result PASS selftests-build
else
	result FAIL selftests-build "$out/selftests-build.log"
fi
tests=$(ls selftests/*_test selftests/*_test.sh 2>/dev/null | sort)
# The lifecycle tests unload and reload the module: run them last.
ordered="$(echo "$tests" | grep -v lifecycle) $(echo "$tests" | grep lifecycle)"
# In the debug kernel's VM: sbuddy_kunit.ko runs the suites as it loads;
# each suite's KTAP is read from debugfs, its lines tagged with the suite.
kunit_cmd="rmmod sbuddy 2>/dev/null; if insmod /lib/modules/sbuddy_kunit.ko; then
for d in /sys/kernel/debug/kunit/sbuddy*; do s=\${d##*/}; sed \"s/^/KUNIT \$s| /\" \$d/results; done;
rmmod sbuddy_kunit; else echo 'KUNIT-LOAD-FAILED'; fi"

case " ${CHECK_KERNELS:-6.1 6.12 debug} " in
*" debug "*)
	section "debug kernel"
	if tools/debug-kernel.sh build >"$out/debug-kernel.log" 2>&1; then
		result PASS debug-kernel
	else
		result FAIL debug-kernel "$out/debug-kernel.log"
	fi
	;;
esac

for k in ${CHECK_KERNELS:-6.1 6.12 debug}; do
	section "kernel $k: build"
	if ko=$(tools/build-module.sh "$k" W=1 2>"$out/build-$k.err"); then
		log=$(dirname "$ko")/build.log
		cp "$log" "$out/build-W1-$k.log"
		# KASAN's stack instrumentation trips -Wframe-larger-than
		if grep -E "warning:|error:" "$log" | { [ "$k" = debug ] &&
			grep -v "Wframe-larger-than" || cat; } >"$out/build-W1-$k.warn" &&
			[ -s "$out/build-W1-$k.warn" ]; then
			result FAIL "build-W1-$k" "$out/build-W1-$k.warn"
		else
			result PASS "build-W1-$k"
		fi
	else
		result FAIL "build-W1-$k" "$out/build-$k.err"
		ko=
	fi
	if sko=$(tools/build-module.sh "$k" C=2 2>"$out/sparse-$k.err"); then
		log=$(dirname "$sko")/build.log
		grep -q "CHECK " "$log" || echo "sparse did not run" >>"$out/sparse-$k.err"
		# sparse speaks in file:line:col: lines; the build itself is quiet
		# (but for gcc's frame size warnings under KASAN, as for W=1)
		grep -E "^[^ ]+:[0-9]+:[0-9]+: " "$log" | { [ "$k" = debug ] &&
			grep -v "Wframe-larger-than" || cat; } >"$out/sparse-$k.warn"
		cat "$out/sparse-$k.err" >>"$out/sparse-$k.warn"
		if [ -s "$out/sparse-$k.warn" ]; then
			result FAIL "sparse-$k" "$out/sparse-$k.warn"
		else
			result PASS "sparse-$k"
		fi
	else
		result FAIL "sparse-$k" "$out/sparse-$k.err"
	fi

	section "kernel $k: selftests in the VM"
	if [ -z "$ko" ] || [ -z "$tests" ]; then
		result FAIL "vm-$k" "$out/build-$k.err"
		continue
	fi
	args=(-f tools/sbuddyctl)
	# helpers the shell tests use
	[ -x selftests/sb_json ] && args+=(-f selftests/sb_json)
	args+=(-f selftests/sb_ktap.sh)
	cmd="rc=0"
	# The debug kernel runs the same tests, shorter: its full-size runs
	# are make soak's (tools/soak.sh).
	[ "$k" = debug ] && cmd="$cmd; export SBUDDY_FUZZ_CALLS=${DEBUG_FUZZ_CALLS:-20000}"
	[ "$k" = debug ] && cmd="$cmd SBUDDY_CHAOS_SECS=${DEBUG_CHAOS_SECS:-90}"
	[ "$k" = debug ] && cmd="$cmd SBUDDY_LIFECYCLE_CYCLES=${DEBUG_LIFECYCLE_CYCLES:-5}"
	for t in $ordered; do
		args+=(-f "$t")
		run=$(basename "$t")
		case "$t" in *.sh) run="sh /bin/$run" ;; esac
		# A test killed between an unload and its reload (a harness
		# timeout) must not fail every test after it: it is named, and
		# sbuddy is loaded again.
		cmd="$cmd; [ -d /sys/module/sbuddy ] || { echo \"# SELFTEST-UNLOADED \$prev\"; insmod \$SBUDDY_KO \$SBUDDY_PARAMS; }; prev=$(basename "$t")"
		cmd="$cmd; echo '# SELFTEST $(basename "$t")'; t0=\$(date +%s); $run || rc=1; echo \"# SELFTEST-SECS $(basename "$t") \$((\$(date +%s) - t0))\""
	done
	# the debug kernel: then the KUnit suites, in place of sbuddy.ko
	[ "$k" = debug ] && cmd="$cmd; $kunit_cmd"
	VM_TIMEOUT=${VM_TIMEOUT:-$([ "$k" = debug ] && echo 3000 || echo 1500)} \
	SB_KO=$ko KERNEL=$k SMP=${SMP:-4} VM_LOG="$out/vm-$k.serial" tools/vm/run.sh "${args[@]}" -- "$cmd; exit \$rc" \
		>"$out/vm-$k.log" 2>&1
	vmrc=$?
	# a run done again (tools/vm/run.sh: a boot that died before init,
	# a stale int3 under TCG) is said, with the reason
	grep -a "^vm: .*running it again" "$out/vm-$k.log" | sed "s/^vm: /NOTE vm-$k: /"
	bin=
	run=
	while IFS= read -r line; do
		case "$line" in
		"# SELFTEST-UNLOADED "*)
			echo "$line" >"$out/fail.tmp"
			result FAIL "$k:${line#\# SELFTEST-UNLOADED } (left sbuddy unloaded)" "$out/fail.tmp"
			;;
		"# SELFTEST "*) bin=${line#\# SELFTEST }; bin=${bin%.sh}; bin=${bin%_test} ;;
		"#  RUN "*) run=$(echo "$line" | awk '{print $3}') ;;
		# 6.1's harness names no test on its SKIP line: the RUN line does
		"ok "[0-9]*" # SKIP"*) result SKIP "$k:$bin:$run" ;;
		"ok "*" # SKIP"*) result SKIP "$k:$bin:$(echo "$line" | awk '{print $3}')" ;;
		"ok "*) result PASS "$k:$bin:$(echo "$line" | awk '{print $3}')" ;;
		"not ok "*)
			n=$(echo "$line" | awk '{print $4}')
			# the test's own lines, from its RUN line to its verdict
			awk -v n="$n" 'index($0, "RUN           " n " ") { p = 1 } p { print } p && /^not ok / { exit }' \
				"$out/vm-$k.log" >"$out/fail.tmp"
			result FAIL "$k:$bin:$n" "$out/fail.tmp"
			;;
		esac
	done < <(grep -aE "^(# SELFTEST |# SELFTEST-UNLOADED |#  RUN |ok |not ok )" "$out/vm-$k.log")
	if [ "$vmrc" = 125 ]; then
		result FAIL "vm-$k (the VM crashed, timed out or logged a splat)" "$out/vm-$k.log"
	elif [ "$vmrc" != 0 ] && ! grep -q "^not ok " "$out/vm-$k.log"; then
		result FAIL "vm-$k (exit $vmrc without a failed test)" "$out/vm-$k.log"
	fi
	[ "$k" = debug ] && kunit_in_vm "$k" "$out/vm-$k.log"
	pics_on_host "$k" "$out/vm-$k.log"
done

section labs
# Each lab of Documentation/labs/ runs in the VM (6.1, 2 vCPUs, as the
# pages show it): every step must end as the lab means it to and every
# output block of the page must have its step.  Nothing is rewritten.
KERNEL=6.1 SMP=2 LABS_LOG="$out/labs-vm.log" tools/labs.sh --check >"$out/labs.log" 2>&1
labs_rc=$?
nlabs=0
while read -r st name; do
	nlabs=$((nlabs + 1))
	grep -A20 "^$st $name\$" "$out/labs.log" | sed -n '2,$p' | sed '/^[A-Z]* labs:/,$d' >"$out/lab.tmp"
	result "$st" "$name" "$out/lab.tmp"
done < <(grep -E "^(PASS|FAIL) labs:" "$out/labs.log")
if [ "$nlabs" = 0 ] || { [ "$labs_rc" != 0 ] && ! grep -q "^FAIL labs:" "$out/labs.log"; }; then
	result FAIL "labs (exit $labs_rc, $nlabs labs)" "$out/labs.log"
fi

section checkpatch
for f in $(git ls-files src include kunit | grep -E '\.(c|h)$'); do
	if perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
		-f "$f" >"$out/checkpatch.tmp" 2>&1; then
		result PASS "checkpatch:$f"
	else
		result FAIL "checkpatch:$f" "$out/checkpatch.tmp"
	fi
done

section kunit
rm -f "$out/kunit.json"
tools/kunit.sh -o "$out/kunit.json" >"$out/kunit.log" 2>&1
krc=$?
kcases=0
if [ -s "$out/kunit.json" ]; then
	while read -r st name; do
		kcases=$((kcases + 1))
		result "$st" "kunit:$name" "$out/kunit.log"
	done < <(python3 - "$out/kunit.json" <<'PY'
import json, sys
def walk(g, path):
    for c in g.get("test_cases", []):
        st = {"PASS": "PASS", "SKIP": "SKIP", "SKIPPED": "SKIP"}.get(c["status"], "FAIL")
        print(st, "/".join(path + [c["name"]]))
    for s in g.get("sub_groups", []):
        walk(s, path + [s["name"]])
walk(json.load(open(sys.argv[1])), [])
PY
)
fi
# kunit.py failing without a failed case means it never ran the suites
if [ "$kcases" = 0 ] || { [ "$krc" != 0 ] && ! grep -q "failed: [1-9]" "$out/kunit.log"; }; then
	result FAIL "kunit.py (exit $krc, $kcases cases)" "$out/kunit.log"
fi

section done
# The reliability summary: what the selftests in the VMs did.
sum_of() {	# sum_of REGEX FIELD: add up field FIELD of matching lines
	cat "$out"/vm-*.log 2>/dev/null | grep -aE "$1" | awk -v f="$2" '{ s += $f } END { print s + 0 }'
}
echo "reliability: $(sum_of '^# fuzz: [0-9]+ calls' 3) calls fuzzed," \
	"$(sum_of '^# faults injected: [0-9]+' 4) faults injected," \
	"$(cat "$out"/vm-*.log 2>/dev/null | grep -aE '^# SELFTEST-SECS [^ ]*(stress|chaos)' |
		awk '{ s += $4 } END { printf "%.1f", s / 60 }') stress minutes," \
	"$(sum_of '^# pages verified: [0-9]+' 4) pages verified," \
	"$(cat "$out"/vm-*.log 2>/dev/null | grep -aoE 'has a splat \([0-9]+' | tr -dc '0-9\n' |
		awk '{ s += $1 } END { print s + 0 }') splat lines" \
	"(kernels: ${CHECK_KERNELS:-6.1 6.12 debug})"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
