#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a Debian cloud kernel in QEMU (TCG) with a busybox initramfs that
# holds sbuddy.ko and the tools, load the module and run a command.
#
# Usage: tools/vm/run.sh [-i] [-n] [-f FILE]... -- 'shell command'
#   -i       interactive shell instead of the command (VM_SHELL=1)
#   -n       do not load the module at boot
#   -f FILE  copy FILE into the guest's /bin (tests, tools)
# Environment: KERNEL (6.1|6.12|debug), SMP, MEM, MODPARAMS, VM_TIMEOUT,
#              SB_KO (module to load; default: build one), VM_LOG (keep log),
#              VM_APPEND (words added to the guest kernel command line,
#              e.g. VM_APPEND=init_on_alloc=0), VM_TRIES (runs tried when
#              the kernel dies before init or on a stale int3, default 2).
# Exit status: the command's exit status; 125 when the VM itself failed
# (no boot, crash, timeout) or the guest log shows a kernel splat.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
KERNEL=${KERNEL:-6.1}
SMP=${SMP:-2}
MEM=${MEM:-1G}
MODPARAMS=${MODPARAMS:-}
VM_TIMEOUT=${VM_TIMEOUT:-600}
interactive=0
load=1
files=()
while getopts "inf:" o; do
	case "$o" in
	i) interactive=1 ;;
	n) load=0 ;;
	f) files+=("$OPTARG") ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
cmd="${*:-true}"

vmlinuz=$("$here/tools/deps.sh" vmlinuz "$KERNEL")
ko=${SB_KO:-$("$here/tools/build-module.sh" "$KERNEL")}
[ -f "$ko" ] || { echo "vm: no module at $ko" >&2; exit 125; }

work=$(mktemp -d /tmp/sbuddy-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,lib/modules,etc}
cp /bin/busybox "$root/bin/busybox"
cp "$ko" "$root/lib/modules/sbuddy.ko"
if [ -f "$(dirname "$ko")/sbuddy_kunit.ko" ]; then
	cp "$(dirname "$ko")/sbuddy_kunit.ko" "$root/lib/modules/"
fi
for f in "${files[@]}"; do
	cp "$f" "$root/bin/"
done
printf '%s\n' "$cmd" >"$root/cmd.sh"
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
cat >"$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
# Keep the serial console for our output; the log is dumped at the end.
dmesg -n 2
export SBUDDY_KO=/lib/modules/sbuddy.ko
export SBUDDY_PARAMS="$MODPARAMS"
echo SBUDDY-VM-BOOTED
if [ $load = 1 ]; then
	insmod \$SBUDDY_KO $MODPARAMS || echo "SBUDDY-VM: insmod failed"
fi
if [ $interactive = 1 ]; then
	setsid cttyhack sh
	rc=0
else
	cd /tmp && sh /cmd.sh
	rc=\$?
fi
echo SBUDDY-DMESG-BEGIN
dmesg
echo SBUDDY-DMESG-END
echo "SBUDDY-VM-EXIT=\$rc"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) >"$work/initramfs.cpio"

qemu=(qemu-system-x86_64 -machine pc -accel tcg,thread=multi -cpu max
	-smp "$SMP" -m "$MEM" -no-reboot -kernel "$vmlinuz"
	-initrd "$work/initramfs.cpio"
	-append "console=ttyS0 panic=-1 oops=panic quiet loglevel=4 nokaslr log_buf_len=4M no_timer_check${VM_APPEND:+ $VM_APPEND}")
if [ $interactive = 1 ]; then
	exec "${qemu[@]}" -nographic
fi
log="$work/serial.log"
# The log buffer is 4 MiB (log_buf_len) so that no report scrolls out.
# no_timer_check: a starved TCG guest can fail the IO-APIC timer check and hang.
# Kernel reports: oopses, BUG/WARN, KASAN/UBSAN, lockdep (its reports all
# start "WARNING:" or "BUG:", named here too for grep's sake), RCU, list
# and object debugging, atomic-context checks, stalls and hung tasks.
splat='BUG:|WARNING:|Oops|general protection|kernel BUG|UBSAN|KASAN|list_add corruption|list_del corruption|scheduling while atomic|possible recursive locking|circular locking|INFO: task .* blocked|Call Trace:'
splat="$splat|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|possible irq lock inversion|bad unlock balance|held lock freed|lock held when returning|ODEBUG:|DEBUG_LOCKS_WARN_ON|turning off the locking correctness validator|detected stall|soft lockup|hard LOCKUP|Kernel panic|refcount_t:|double fault|stack-protector"
# A stale int3: the oops of an int3 whose byte in memory is no longer
# int3 (the byte before the "<..>" of its Code: line, which marks the
# return address, is not cc).  The kernel patches static keys and
# tracepoints with text_poke_bp(): int3 on the first byte, then the new
# bytes, a sync_core() IPI to every CPU after each step.  Multi-threaded
# TCG can still run a translation of the int3 on another vCPU after the
# last step, when the kernel no longer expects it, and the guest dies:
# the emulator's fault, impossible on hardware.  Twice in 6.12 so far:
# at boot (sched_clock_cpu) and in the trace selftest (ttwu_do_activate).
stale_int3() {
	tr -d '\r' <"$log" | awk -v re="$splat" '
		/Oops: int3:/ { seen = 1; next }
		!seen && $0 ~ re { exit }
		seen && /Code: / {
			if (match($0, /[0-9a-f][0-9a-f] <[0-9a-f][0-9a-f]>/))
				stale = substr($0, RSTART, 2) != "cc"
			exit
		}
		END { exit !stale }'
}
# A guest kernel that dies before our init runs has run none of sbuddy,
# and a stale int3 is the emulator's: the run is done again, once by
# default (VM_TRIES), and said on stderr.  Nothing else is retried.
tries=${VM_TRIES:-2}
for try in $(seq "$tries"); do
	rc=0
	timeout "$VM_TIMEOUT" "${qemu[@]}" -display none -monitor none -serial stdio \
		</dev/null >"$log" 2>&1 || rc=$?
	[ -n "${VM_LOG:-}" ] && cp "$log" "$VM_LOG"
	if ! grep -q "SBUDDY-VM-BOOTED" "$log"; then
		why="the guest kernel died while booting, before sbuddy was loaded"
	elif stale_int3; then
		why="TCG ran an int3 that text patching had already replaced (the emulator's fault, not the kernel's)"
	else
		break
	fi
	[ "$try" -lt "$tries" ] || break
	echo "vm: $why (qemu rc=$rc); running it again. Its report:" >&2
	{ grep -aE -m1 -A12 "Oops|BUG:|Kernel panic|WARNING:" "$log" ||
		tail -n 20 "$log"; } | tr -d '\r' >&2
done
# Print the guest's output (without the dmesg dump) for the caller.
tr -d '\r' <"$log" | sed -e '0,/SBUDDY-VM-BOOTED/d' -e '/SBUDDY-DMESG-BEGIN/,/SBUDDY-DMESG-END/d' \
	-e '/SBUDDY-VM-EXIT=/,$d'
if ! grep -q "SBUDDY-VM-BOOTED" "$log"; then
	echo "vm: the guest did not boot (qemu rc=$rc); log follows" >&2
	tail -n 50 "$log" >&2
	exit 125
fi
# (under set -e and pipefail a grep that finds nothing would exit 1 here)
exit_line=$(grep -a "SBUDDY-VM-EXIT=" "$log" | tail -n 1 | tr -d '\r' || true)
if [ -z "$exit_line" ]; then
	# the guest's last line may lack its newline
	printf '\nvm: the guest did not finish (qemu rc=%s: crash or timeout)\n' "$rc" >&2
	tail -n 60 "$log" >&2
	exit 125
fi
dmesg_part() { sed -n '/SBUDDY-DMESG-BEGIN/,/SBUDDY-DMESG-END/p' "$log"; }
if dmesg_part | grep -aEq "$splat"; then
	echo "vm: the guest kernel log has a splat ($(dmesg_part | grep -acE "$splat") report lines):" >&2
	dmesg_part | grep -aE -A20 "$splat" | head -n 60 >&2
	exit 125
fi
exit "${exit_line#SBUDDY-VM-EXIT=}"
