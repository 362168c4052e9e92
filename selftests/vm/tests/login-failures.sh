#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Each way a login can fail gets its own RFC 7143 status class and
# detail, seen by libiscsi: an unknown target (0x0203), an initiator not
# in the target's initiator group (0x0202), and a target that is not
# mapped to the portal group the initiator came in through (0x0203).
. "$ISPT_REPO/selftests/vm/lib.sh"

url=iscsi://127.0.0.1:$ISPT_PORT
allowed=iqn.2026-11.org.iscsi-spt:allowed
other=iqn.2026-11.org.iscsi-spt:stranger

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
# Narrow the initiator group to one name.
echo "$allowed" >"$ISPT_CFS/initiator_groups/1/initiators" || fail "set initiators"

# iscsi-inq prints the login status libiscsi got.
login_result() {
	iscsi-inq -i "$1" "$url/$2/0" 2>&1
}

out=$(login_result "$allowed" "$ISPT_TEST_IQN")
note "allowed: $out"
grep -q LOGICAL_UNIT_NOT_SUPPORTED <<<"$out" || fail "allowed initiator could not log in: $out"

out=$(login_result "$allowed" iqn.2026-11.org.iscsi-spt:nosuch)
note "unknown target: $out"
grep -qi "not found\|0x0203\|TARGET_NOT_FOUND" <<<"$out" || fail "unknown target: $out"

out=$(login_result "$other" "$ISPT_TEST_IQN")
note "other initiator: $out"
grep -qi "forbidden\|not allowed\|0x0202\|authoriz" <<<"$out" || fail "foreign initiator: $out"

# A second target mapped only to portal group 2.
mkdir -p "$ISPT_CFS/portal_groups/2/portals/127.0.0.1:$((ISPT_PORT + 1))" || fail "pg 2"
mkdir -p "$ISPT_CFS/targets/$ISPT_TEST_IQN-2/maps/2" || fail "target 2"
ln -s "$ISPT_CFS/initiator_groups/1" "$ISPT_CFS/targets/$ISPT_TEST_IQN-2/maps/2/ig1" || fail "map 2"
out=$(login_result "$allowed" "$ISPT_TEST_IQN-2")
note "unmapped portal group: $out"
grep -qi "not found\|0x0203\|TARGET_NOT_FOUND" <<<"$out" || fail "target of another portal group: $out"

out=$(iscsi-inq -i "$allowed" "iscsi://127.0.0.1:$((ISPT_PORT + 1))/$ISPT_TEST_IQN-2/0" 2>&1)
grep -q LOGICAL_UNIT_NOT_SUPPORTED <<<"$out" || fail "target 2 through its own portal group: $out"
echo "login failures carry the right status"
