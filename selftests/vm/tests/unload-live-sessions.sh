#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 16 live sessions: removing the configuration and unloading the module
# ends them all without a warning, and nothing is left behind.
. "$ISPT_REPO/selftests/vm/lib.sh"

portal=127.0.0.1:$ISPT_PORT
N=16
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
for i in $(seq 2 $N); do
	mkdir -p "$ISPT_CFS/targets/$ISPT_TEST_IQN-$i/maps/1" || fail "target $i"
	ln -s "$ISPT_CFS/initiator_groups/1" "$ISPT_CFS/targets/$ISPT_TEST_IQN-$i/maps/1/ig1" ||
		fail "map $i"
done
iscsid_start || fail "iscsid"
iscsiadm -m discovery -t st -p "$portal" >/dev/null || fail "discovery"
# Only the loopback portal: keep one node per target.
iscsiadm -m node -p "10.0.2.15:$ISPT_PORT" -o delete >/dev/null 2>&1
iscsiadm -m node -p "$portal" --login >/dev/null 2>&1 || fail "login all"
n=$(iscsiadm -m session 2>/dev/null | grep -c "$ISPT_TEST_IQN")
[ "$n" -eq "$N" ] || fail "$n sessions, expected $N"

# Stop the initiator from reconnecting, then pull everything.
pkill -9 iscsid
ispt_clear_config
ispt_unload || fail "rmmod with live sessions"
ispt_loaded && fail "module still loaded"
[ "$(ps -e -o comm= | grep -c '^ispt/')" -eq 0 ] || fail "worker threads left"
echo "unloaded with $N live sessions"
