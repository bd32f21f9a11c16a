# SPDX-License-Identifier: GPL-2.0
#
# The KTAP frame of sbuddy's shell selftests, sourced by each of them
# (busybox sh): set CASES, the names of the case_NAME functions, source
# this file from the test's own directory, define the cases, then call
# ktap_run (its status is the test's).  A case fails when it calls fail
# or prints any other line that starts with "# " ("# info: " lines
# excepted): KTAP shows both as the case's diagnostics.  tools/check.sh
# copies this file into the VM beside the tests.

D=/sys/kernel/debug/sbuddy
T=$(mktemp -d "/tmp/$(basename "$0" .sh).XXXXXX")
trap 'rm -rf "$T"' EXIT

fail() {	# fail MESSAGE: the case fails, with a reason
	echo "# $*"
	bad=1
}

ctl() {		# ctl ARGS...: stdout, stderr and the exit status kept
	sbuddyctl "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# Every case, one KTAP line each, then the count; non-zero if one failed.
# Its variables are its own (ktap_*): the cases run in the same shell and
# may well use c, n or total themselves.
ktap_run() {
	ktap_n=0
	ktap_failed=0
	ktap_total=$(echo $CASES | wc -w)
	echo "TAP version 13"
	echo "1..$ktap_total"
	for ktap_case in $CASES; do
		ktap_n=$((ktap_n + 1))
		bad=0
		echo "#  RUN           $ktap_case ..."
		"case_$ktap_case" >"$T/case.log" 2>&1
		cat "$T/case.log"
		if [ "$bad" = 0 ] && ! grep -v "^# info: " "$T/case.log" | grep -q "^# "; then
			echo "ok $ktap_n $ktap_case"
		else
			echo "not ok $ktap_n $ktap_case"
			ktap_failed=$((ktap_failed + 1))
		fi
	done
	echo "# $((ktap_total - ktap_failed)) passed, $ktap_failed failed"
	[ "$ktap_failed" = 0 ]
}
