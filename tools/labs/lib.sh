# SPDX-License-Identifier: GPL-2.0
#
# Sourced by every lab script in the test VM (busybox sh).  A lab is a
# list of steps; each step's command line and output go to the log between
# markers that tools/labs/splice.py copies into Documentation/labs/.
#
#   reload [PARAM=VALUE...]   load sbuddy afresh with these parameters
#   step NAME 'COMMANDS'      run COMMANDS, show "$ COMMANDS" and the output
#   step -x NAME 'COMMANDS'   the same, for a step that is meant to fail
#   note NAME FILE            show FILE (a batch script) as a step's input

export d=/sys/kernel/debug/sbuddy t=/sys/kernel/tracing

reload() {
	rmmod sbuddy 2>/dev/null
	insmod /lib/modules/sbuddy.ko "$@" || {
		echo "@@LAB $LAB reload FAILED $*"
		exit 1
	}
	# nothing in the background: proactive compaction would move pages
	# between two steps
	echo 0 >$d/vm/compaction_proactiveness
}

step() {
	want=0
	if [ "$1" = -x ]; then
		want=1
		shift
	fi
	echo "@@LAB $LAB $1 BEGIN"
	echo "$2" | sed '1s/^/$ /; 2,$s/^/> /'
	sh -c "$2" 2>&1
	rc=$?
	echo "@@LAB $LAB $1 END $rc $want"
}

note() {
	echo "@@LAB $LAB $1 BEGIN"
	cat "$2"
	echo "@@LAB $LAB $1 END 0 0"
}

# hold SCRIPT: run SCRIPT's sbuddyctl batch lines on a device that stays
# open, so its blocks stay allocated while the steps look; hold_more
# SCRIPT: more lines on the same device.  What the lines printed is in
# /tmp/hold.new.  release: close the device (its blocks are freed).
hold() {
	rm -f /tmp/hold.fifo
	: >/tmp/hold.out
	mkfifo /tmp/hold.fifo
	sbuddyctl batch --force - </tmp/hold.fifo >>/tmp/hold.out 2>&1 &
	holder=$!
	exec 7>/tmp/hold.fifo
	hold_more "$1"
}

hold_more() {
	n0=$(wc -l </tmp/hold.out)
	cat "$1" >&7
	echo "get min_free_kbytes" >&7
	while ! tail -n +$((n0 + 1)) /tmp/hold.out | grep -q "^min_free_kbytes = "; do
		kill -0 $holder 2>/dev/null || break
		sleep 0.2
	done
	tail -n +$((n0 + 1)) /tmp/hold.out | grep -v "^min_free_kbytes = " >/tmp/hold.new
}

release() {
	exec 7>&-
	wait $holder
}
