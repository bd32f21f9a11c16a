#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make soak: the long runs that make check shortens, on one guest kernel
# (default: the debug kernel) in one VM: the fuzz selftest with
# SOAK_FUZZ_CALLS calls (default 1000000), then SOAK_STRESS_ROUNDS
# (default 5) rounds of the pcp stress of SOAK_STRESS_SECONDS each
# (default 120; its harness timeout is 180), then the chaos stress
# (sbuddy_chaos_test) for SOAK_CHAOS_SECS (default 600) on the default
# machine and again on a two-node one, then the fault-injection
# selftest, then the lifecycle selftest with SOAK_LIFECYCLE_CYCLES load
# and unload cycles under stress (default 20; make check's debug run has
# 5).  A new seed every run; the seed is printed.  The guest log must
# stay free of kernel splats (tools/vm/run.sh returns 125 otherwise).
# Logs in out/soak/.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1
KERNEL=${KERNEL:-debug}
calls=${SOAK_FUZZ_CALLS:-1000000}
rounds=${SOAK_STRESS_ROUNDS:-5}
secs=${SOAK_STRESS_SECONDS:-120}
chaos=${SOAK_CHAOS_SECS:-600}
cycles=${SOAK_LIFECYCLE_CYCLES:-20}
out=$here/out/soak
mkdir -p "$out"

make -s -C selftests KSRC="$(tools/deps.sh ksrc 6.1)" all >"$out/build.log" 2>&1 ||
	{ cat "$out/build.log"; exit 1; }
ko=$(tools/build-module.sh "$KERNEL") || exit 1
cmd="rc=0; SBUDDY_FUZZ_CALLS=$calls sbuddy_fuzz_test || rc=1"
cmd="$cmd; i=0; while [ \$i -lt $rounds ]; do i=\$((i + 1)); echo \"# stress round \$i\";"
cmd="$cmd SB_STRESS_SECONDS=$secs sbuddy_pcp_stress_test -t stress_many_cpus || rc=1; done"
cmd="$cmd; SBUDDY_CHAOS_SECS=$chaos sbuddy_chaos_test || rc=1"
cmd="$cmd; SBUDDY_CHAOS_SECS=$chaos SBUDDY_CHAOS_PARAMS='layout=DMA=16M,DMA32=48M;Normal=64M cma=16M@1' sbuddy_chaos_test || rc=1"
cmd="$cmd; sbuddy_fault_test || rc=1"
cmd="$cmd; SBUDDY_LIFECYCLE_CYCLES=$cycles sbuddy_lifecycle_test || rc=1; exit \$rc"
start=$(date +%s)
SB_KO=$ko KERNEL=$KERNEL SMP=${SMP:-4} VM_TIMEOUT=$((calls / 50 + rounds * (secs + 120) + 2 * (chaos + 300) + cycles * 60 + 1200)) \
	VM_LOG="$out/serial.log" tools/vm/run.sh -f selftests/sbuddy_fuzz_test \
	-f selftests/sbuddy_pcp_stress_test -f selftests/sbuddy_chaos_test \
	-f selftests/sbuddy_fault_test -f selftests/sbuddy_lifecycle_test -- "$cmd" |
	tee "$out/soak.log"
rc=${PIPESTATUS[0]}
echo "soak on $KERNEL: $(grep -aE '^# fuzz: [0-9]+ calls' "$out/soak.log" | awk '{ s += $3 } END { print s + 0 }') calls fuzzed," \
	"$rounds x ${secs}s of pcp stress, 2 x ${chaos}s of chaos," \
	"$(grep -aE '^# pages verified: [0-9]+' "$out/soak.log" | awk '{ s += $4 } END { print s + 0 }') pages verified," \
	"$(grep -aE '^# chaos: .* corrupted;' "$out/soak.log" | sed 's/.*verified, //' | awk '{ s += $1 } END { print s + 0 }') corrupted, $(grep -c '^ok ' "$out/soak.log") passed," \
	"$(grep -c '^not ok ' "$out/soak.log") failed, $(($(date +%s) - start))s, VM exit $rc"
exit "$rc"
