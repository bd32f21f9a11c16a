#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# trace-guest.sh OUT [COMMAND]: in the VM guest, record the kernel's own
# kmem:mm_page_alloc, mm_page_free and mm_page_free_batched events in
# ftrace text while COMMAND runs (default: a busybox "build": archive,
# compress, unpack and copy a tree, then drop the caches).  trace_pipe is
# streamed into OUT as the events come, with 8 MiB of buffer per CPU; the
# events the ring buffer still lost (its overrun) are printed as
# "trace-guest: lost N".
out=${1:?usage: trace-guest.sh OUT [COMMAND]}
shift
work=${*:-"mkdir -p /tmp/tg && tar -cf /tmp/tg/a.tar /bin /lib && gzip -9 /tmp/tg/a.tar &&
mkdir /tmp/tg/x && tar -xzf /tmp/tg/a.tar.gz -C /tmp/tg/x && cp -r /tmp/tg/x /tmp/tg/y &&
dd if=/dev/urandom of=/tmp/tg/r bs=64k count=128 2>/dev/null && gzip /tmp/tg/r &&
rm -rf /tmp/tg && sync && echo 3 > /proc/sys/vm/drop_caches"}
T=/sys/kernel/tracing
[ -d $T/events/kmem ] || mount -t tracefs nodev $T || exit 1
echo 0 > $T/tracing_on
echo > $T/trace
echo 8192 > $T/buffer_size_kb
for e in mm_page_alloc mm_page_free mm_page_free_batched; do
	echo 1 > $T/events/kmem/$e/enable || exit 1
done
cat $T/trace_pipe > "$out" &
reader=$!
echo 1 > $T/tracing_on
sh -c "$work"
rc=$?
echo 0 > $T/tracing_on
# the reader ends by itself once tracing is off and the buffer drained
# (tracing_wait_pipe); what it has not read yet is taken from trace
sleep 1
kill $reader 2>/dev/null
wait $reader 2>/dev/null
grep -v '^#' $T/trace >> "$out"
for e in mm_page_alloc mm_page_free mm_page_free_batched; do
	echo 0 > $T/events/kmem/$e/enable
done
lost=0
for s in $T/per_cpu/cpu*/stats; do
	n=$(sed -n 's/^overrun: //p' "$s")
	lost=$((lost + ${n:-0}))
done
echo "trace-guest: $(wc -l < "$out") lines, lost $lost, workload rc $rc"
exit $rc
