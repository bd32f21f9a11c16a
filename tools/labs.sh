#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make labs: run the labs of Documentation/labs/ in one boot of the test
# VM and copy each step's real output into its page.  A lab is
# tools/labs/NAME.sh (steps, see tools/labs/lib.sh) beside
# Documentation/labs/NAME.rst (the text, with ".. lab-output: STEP"
# where each step's output goes).
#
# Usage: tools/labs.sh [--check] [NAME...]
#   --check  write nothing: say per lab whether every step ran as meant
#            and every output block of its page has its step (make check)
# Environment: KERNEL (default 6.1), SMP (default 2: the pages say what
#   two vCPUs show), VM_TIMEOUT (default 1200 s), LABS_LOG (keep the log).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
check=
if [ "${1:-}" = --check ]; then
	check=--check
	shift
fi
export KERNEL=${KERNEL:-6.1}
export SMP=${SMP:-2}
export VM_TIMEOUT=${VM_TIMEOUT:-1200}
labs=("$@")
if [ ${#labs[@]} = 0 ]; then
	for f in "$here"/tools/labs/*.sh; do
		n=$(basename "$f" .sh)
		[ "$n" = lib ] || labs+=("$n")
	done
fi
args=(-n -f "$here/tools/sbuddyctl" -f "$here/tools/labs/lib.sh")
pages=()
cmd=
for n in "${labs[@]}"; do
	if [ ! -f "$here/tools/labs/$n.sh" ] || [ ! -f "$here/Documentation/labs/$n.rst" ]; then
		echo "labs: no lab $n (tools/labs/$n.sh and Documentation/labs/$n.rst)" >&2
		exit 2
	fi
	args+=(-f "$here/tools/labs/$n.sh")
	pages+=("$here/Documentation/labs/$n.rst")
	# each lab in its own shell, from a fresh module
	cmd="$cmd; (LAB=$n; . /bin/lib.sh; . /bin/$n.sh); echo '@@LABS-DONE $n'"
done
for f in "$here"/tools/workloads/*.wl; do
	args+=(-f "$f")
done
ko=$("$here/tools/build-module.sh" "$KERNEL")
log=${LABS_LOG:-$(mktemp /tmp/sbuddy-labs.XXXXXX)}
rc=0
SB_KO=$ko "$here/tools/vm/run.sh" "${args[@]}" -- "true$cmd; rmmod sbuddy" >"$log" 2>&1 || rc=$?
if [ "$rc" != 0 ]; then
	tail -n 40 "$log" >&2
	echo "labs: the VM run failed (exit $rc); log in $log" >&2
	exit 1
fi
python3 "$here/tools/labs/splice.py" $check "$log" "${pages[@]}" || rc=1
if [ "$rc" = 0 ] && [ -z "${LABS_LOG:-}" ]; then rm -f "$log"; else echo "labs: log kept in $log" >&2; fi
exit $rc
