#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load and unload iscsi_spt 100 times: each load starts one worker per
# online CPU and registers the configfs root, each unload removes them,
# and nothing (threads, slab memory) is left behind.
# timeout: 600
. "$ISPT_REPO/selftests/vm/lib.sh"

# Builtins and static busybox only in the loop: every exec of a dynamic
# binary over 9p costs a lot under TCG.
workers() {
	local f comm n=0
	for f in /proc/[0-9]*/comm; do
		read -r comm <"$f" 2>/dev/null && [[ $comm == ispt/* ]] && n=$((n + 1))
	done
	echo "$n"
}
serving_workers() {
	local line n=0
	while read -r line; do
		[[ $line == *"online 1 owned 0" ]] && n=$((n + 1))
	done <"$ISPT_CFS/workers"
	echo "$n"
}
unreclaimable_kib() { awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo; }

ncpus=$(grep -c . <<<"$(seq 0 $(($(nproc --all) - 1)))")
online=$(nproc)

# A first cycle loads the dependencies and warms the caches.
ispt_load || fail "first insmod"
ispt_unload || fail "first rmmod"
sync
echo 3 >/proc/sys/vm/drop_caches
before=$(unreclaimable_kib)

for i in $(seq 1 100); do
	busybox insmod "$ISPT_KO" || fail "insmod #$i"
	[ -d "$ISPT_CFS" ] || fail "no $ISPT_CFS after load #$i"
	[ "$(workers)" -eq "$online" ] ||
		fail "load #$i: $(workers) worker threads for $online online CPUs"
	[ "$(serving_workers)" -eq "$online" ] ||
		fail "load #$i: workers file: $(cat "$ISPT_CFS/workers")"
	busybox rmmod iscsi_spt || fail "rmmod #$i"
	[ ! -e "$ISPT_CFS" ] || fail "$ISPT_CFS left after unload #$i"
	[ "$(workers)" -eq 0 ] || fail "unload #$i left $(workers) worker threads"
done

sync
echo 3 >/proc/sys/vm/drop_caches
after=$(unreclaimable_kib)
note "cpus $ncpus online $online; SUnreclaim before ${before} KiB after ${after} KiB"
# 100 cycles leaking even a few hundred bytes each would show. Not on a
# debug kernel (make check-debug): KASAN's quarantine holds freed objects
# and kmemleak's own metadata grows, so slab counts say nothing there;
# its kmemleak scan after the last test judges leaks instead.
if [ -e /sys/kernel/debug/kmemleak ]; then
	note "kmemleak present: the slab comparison is left to it"
else
	[ $((after - before)) -lt 256 ] || fail "unreclaimable slab grew by $((after - before)) KiB"
fi
echo "100 load/unload cycles clean"
