#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Worker threads follow CPU hotplug: taking a CPU offline parks its worker
# and drops it from the workers list; bringing it back restores both.
. "$ISPT_REPO/selftests/vm/lib.sh"

cpu1=/sys/devices/system/cpu/cpu1/online
[ -w "$cpu1" ] || skip "needs a second, hot-pluggable CPU"

serving() { grep -c "^cpu $1 online 1 " "$ISPT_CFS/workers"; }
parked() { grep -c "^cpu $1 online 0 " "$ISPT_CFS/workers"; }

ispt_load || fail "insmod"
[ "$(serving 1)" -eq 1 ] || fail "cpu 1 not serving: $(cat "$ISPT_CFS/workers")"

echo 0 >"$cpu1" || fail "cannot offline cpu1"
[ "$(parked 1)" -eq 1 ] || fail "worker of offline cpu 1 not parked: $(cat "$ISPT_CFS/workers")"
[ "$(serving 0)" -eq 1 ] || fail "cpu 0 lost its worker"

echo 1 >"$cpu1" || fail "cannot online cpu1"
[ "$(serving 1)" -eq 1 ] || fail "cpu 1 not back: $(cat "$ISPT_CFS/workers")"
[ "$(ps -e -o comm= | grep -c '^ispt/')" -eq 2 ] || fail "expected 2 worker threads"

ispt_unload || fail "rmmod"
echo "workers followed cpu1 offline and online"
