#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# open-iscsi against iscsi_spt: SendTargets discovery lists the target,
# login and logout work again and again, and libiscsi on the host lists
# the target and logs in to it (iscsi-ls -s) at the address the portal
# advertises.
# timeout: 1500
. "$ISPT_REPO/selftests/vm/lib.sh"

LOOPS=${LOOPS:-200}
portal=127.0.0.1:$ISPT_PORT

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
iscsid_start || fail "iscsid"

out=$(iscsiadm -m discovery -t sendtargets -p "$portal" 2>&1) ||
	fail "discovery: $out"
note "discovery: $out"
grep -q "$ISPT_TEST_IQN" <<<"$out" || fail "discovery does not list $ISPT_TEST_IQN"

for i in $(seq 1 "$LOOPS"); do
	out=$(iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" --login 2>&1) ||
		fail "login #$i: $out"
	iscsiadm -m session 2>/dev/null | grep -q "$ISPT_TEST_IQN" ||
		fail "no session after login #$i"
	out=$(iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" --logout 2>&1) ||
		fail "logout #$i: $out"
done
note "$LOOPS login/logout cycles"

# A bad advertised address is refused and changes nothing.
adv=$ISPT_CFS/portal_groups/1/portals/0.0.0.0:$ISPT_PORT/advertise
for bad in 0.0.0.0:3260 "[::]" 10.0.0.300 host.example; do
	echo "$bad" >"$adv" 2>/dev/null && fail "advertise $bad accepted"
done
[ -z "$(cat "$adv")" ] || fail "advertise changed by a refused value"
echo "127.0.0.1:$ISPT_PORT" >"$adv" || fail "set advertise"
[ "$(cat "$adv")" = "127.0.0.1:$ISPT_PORT" ] || fail "advertise reads back $(cat "$adv")"
out=$(iscsiadm -m discovery -t sendtargets -p "$portal" 2>&1) || fail "discovery: $out"
grep -q "^127.0.0.1:$ISPT_PORT,1 $ISPT_TEST_IQN" <<<"$out" ||
	fail "discovery does not give the advertised address: $out"

out=$(host_run iscsi-ls.sh) || fail "iscsi-ls from the host: $out"
note "host iscsi-ls: $out"
grep -q "$ISPT_TEST_IQN" <<<"$out" || fail "host iscsi-ls does not list the target"
echo "discovery, $LOOPS logins and host iscsi-ls work"
