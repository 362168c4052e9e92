#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Access control: an initiator whose name or address is outside a
# target's map is refused with 0x0202 (open-iscsi and libiscsi) and does
# not see the target in discovery; removing a map link, or narrowing the
# initiator group, ends the sessions it admitted and no other; the
# session limit refuses a login with 0x0302.
# timeout: 600
. "$ISPT_REPO/selftests/vm/lib.sh"

portal=127.0.0.1:$ISPT_PORT
url=iscsi://127.0.0.1:$ISPT_PORT
IG=$ISPT_CFS/initiator_groups
T1=$ISPT_TEST_IQN
T2=$ISPT_TEST_IQN-2
ME=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)
OTHER=iqn.2026-11.org.iscsi-spt:stranger
IDLOG=/tmp/acl-iscsid.log
ERR=/tmp/acl.err

refuse() {
	local err=$1 log=$2 before
	shift 2
	before=$(dmesg | wc -l)
	if "$@" 2>"$ERR"; then
		fail "$* succeeded"
	fi
	[[ $(<"$ERR") == *"$err"* ]] || fail "$*: wanted \"$err\", got: $(<"$ERR")"
	dmesg | tail -n +"$((before + 1))" | grep -qF -- "$log" ||
		fail "$*: no kernel log line with \"$log\""
}

mark_log() {
	log_mark=$(dmesg | wc -l)
	idlog_mark=$(wc -l <"$IDLOG")
}
new_klog() {
	dmesg | tail -n +"$((log_mark + 1))"
}
new_idlog() {
	tail -n +"$((idlog_mark + 1))" "$IDLOG"
}

login() {
	iscsiadm -m node -T "$1" -p "$portal" --login 2>&1
}

logout() {
	iscsiadm -m node -T "$1" -p "$portal" --logout >/dev/null 2>&1
}

# The connection state open-iscsi reports for target $1 ("" if none).
conn_state() {
	iscsiadm -m session -P 1 2>/dev/null | awk -v t="$1" '
		$1 == "Target:" { cur = $2 }
		/iSCSI Connection State:/ && cur == t { sub(/.*State: */, ""); print; exit }'
}

# must_refuse TARGET STATUS-TEXT WHAT: open-iscsi's login is refused and
# iscsid names the status.
must_refuse() {
	local out
	mark_log
	if out=$(login "$1"); then
		logout "$1"
		fail "$3: login succeeded"
	fi
	sleep 1
	new_idlog | grep -q "$2" || fail "$3: iscsid: $(new_idlog | tail -n 3); iscsiadm: $out"
	note "$3: refused"
}

# wait_down TARGET: its session stops being logged in within 20 s.
wait_down() {
	local i
	for i in $(seq 40); do
		[ "$(conn_state "$1")" != "LOGGED IN" ] && return 0
		sleep 0.5
	done
	return 1
}

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
echo "$ME" >"$IG/1/initiators" || fail "initiators"
echo 127.0.0.0/8 >"$IG/1/netmasks" || fail "netmasks"
mkdir "$IG/2" && echo ANY >"$IG/2/initiators" && echo ANY >"$IG/2/netmasks" ||
	fail "initiator group 2"
mkdir -p "$ISPT_CFS/targets/$T2/maps/1" && ln -s "$IG/2" "$ISPT_CFS/targets/$T2/maps/1/ig2" ||
	fail "target 2"

# open-iscsi binds discovered targets to every iface: leave none behind.
trap 'iscsiadm -m iface -I stranger -o delete >/dev/null 2>&1' EXIT
iscsid_stop
iscsid -f >"$IDLOG" 2>&1 &
sleep 1

note "a name outside the map"
out=$(iscsi-ls -i "$OTHER" "$url" 2>&1) || fail "iscsi-ls as $OTHER: $out"
grep -q "$T2" <<<"$out" || fail "$OTHER does not see $T2: $out"
grep -q "Target:$T1 " <<<"$out" && fail "$OTHER sees $T1 in discovery: $out"
out=$(iscsi-ls -i "$ME" "$url" 2>&1) || fail "iscsi-ls as $ME: $out"
grep -q "Target:$T1 " <<<"$out" || fail "$ME does not see $T1: $out"
out=$(iscsi-inq -i "$OTHER" "$url/$T1/0" 2>&1)
grep -q "Authorization failure" <<<"$out" || fail "libiscsi as $OTHER: $out"
out=$(iscsi-inq -i "$OTHER" "$url/$T2/0" 2>&1)
grep -q LOGICAL_UNIT_NOT_SUPPORTED <<<"$out" || fail "libiscsi as $OTHER to $T2: $out"

out=$(iscsiadm -m discovery -t st -p "$portal" 2>&1) || fail "discovery: $out"
iscsiadm -m node -p "10.0.2.15:$ISPT_PORT" -o delete >/dev/null 2>&1
grep -q "$T1\$" <<<"$out" || fail "open-iscsi does not discover $T1: $out"
# open-iscsi under another name: an iface of its own.
iscsiadm -m iface -I stranger -o new >/dev/null || fail "iface"
iscsiadm -m iface -I stranger -o update -n iface.initiatorname -v "$OTHER" >/dev/null ||
	fail "iface initiatorname"
out=$(iscsiadm -m discovery -t st -p "$portal" -I stranger 2>&1) || fail "discovery as $OTHER: $out"
grep -q "$T1\$" <<<"$out" && fail "open-iscsi as $OTHER discovers $T1: $out"
grep -q "$T2\$" <<<"$out" || fail "open-iscsi as $OTHER does not discover $T2: $out"
iscsiadm -m node -T "$T1" -p "$portal" -I stranger -o new >/dev/null || fail "node as $OTHER"
mark_log
if out=$(iscsiadm -m node -T "$T1" -p "$portal" -I stranger --login 2>&1); then
	fail "open-iscsi as $OTHER logged in to $T1"
fi
sleep 1
new_idlog | grep -q "initiator failed authorization with target" ||
	fail "as $OTHER: iscsid: $(new_idlog | tail -n 3); iscsiadm: $out"
note "open-iscsi as $OTHER: refused (0x0202)"
iscsiadm -m node -I stranger -o delete >/dev/null 2>&1
iscsiadm -m iface -I stranger -o delete >/dev/null 2>&1

note "an address outside the netmasks"
echo "10.0.2.0/24 ::1/128" >"$IG/1/netmasks" || fail "netmasks"
out=$(iscsiadm -m discovery -t st -p "$portal" 2>&1) || fail "discovery: $out"
grep -q "$T1\$" <<<"$out" && fail "$T1 discovered from outside its netmasks: $out"
grep -q "$T2\$" <<<"$out" || fail "$T2 not discovered: $out"
# Discovery dropped the record of the target it no longer lists.
iscsiadm -m node -T "$T1" -p "$portal" -o new >/dev/null || fail "node record"
must_refuse "$T1" "initiator failed authorization with target" "from 127.0.0.1 outside 10.0.2.0/24 (0x0202)"
echo 127.0.0.0/8 >"$IG/1/netmasks" || fail "netmasks"
out=$(iscsiadm -m discovery -t st -p "$portal" 2>&1) || fail "discovery: $out"
iscsiadm -m node -p "10.0.2.15:$ISPT_PORT" -o delete >/dev/null 2>&1

note "removing a map link ends the sessions it admitted"
for t in "$T1" "$T2"; do
	out=$(login "$t") || fail "login to $t: $out"
done
[ "$(conn_state "$T1")" = "LOGGED IN" ] || fail "$T1: $(conn_state "$T1")"
mark_log
rm "$ISPT_CFS/targets/$T1/maps/1/ig1" || fail "rm map link"
wait_down "$T1" || fail "$T1 session still logged in after its map link went"
new_klog | grep -q "$ME may no longer reach $T1" || fail "no kernel log line: $(new_klog | tail -n 3)"
# open-iscsi tries to log in again, and is refused.
sleep 3
new_idlog | grep -q "initiator failed authorization with target" ||
	fail "reconnect not refused with 0x0202: $(new_idlog | tail -n 3)"
[ "$(conn_state "$T2")" = "LOGGED IN" ] || fail "$T2 lost its session: $(conn_state "$T2")"
logout "$T1"
note "map link removed: $T1 ended, $T2 kept"

ln -s "$IG/1" "$ISPT_CFS/targets/$T1/maps/1/ig1" || fail "relink"
out=$(login "$T1") || fail "login to $T1 again: $out"
mark_log
echo 10.0.2.0/24 >"$IG/1/netmasks" || fail "narrow netmasks"
wait_down "$T1" || fail "$T1 session still logged in after its netmask went"
[ "$(conn_state "$T2")" = "LOGGED IN" ] || fail "$T2 lost its session: $(conn_state "$T2")"
logout "$T1"
echo 127.0.0.0/8 >"$IG/1/netmasks" || fail "netmasks"
note "netmask narrowed: $T1 ended, $T2 kept"

note "limits"
for v in 0 65536 abc -1; do
	refuse "Invalid argument" "max_sessions: a number from 1 to 65535" \
		bash -c "echo $v >$ISPT_CFS/max_sessions"
	refuse "Invalid argument" "max_connections_per_session: a number from 1 to 65535" \
		bash -c "echo $v >$ISPT_CFS/max_connections_per_session"
done
echo 4 >"$ISPT_CFS/max_connections_per_session" || fail "max_connections_per_session"
[ "$(<"$ISPT_CFS/max_connections_per_session")" = 4 ] || fail "max_connections_per_session reads back"
[ "$(<"$ISPT_CFS/max_sessions")" = 4096 ] || fail "max_sessions default"
echo 1 >"$ISPT_CFS/max_sessions" || fail "max_sessions"
# Out of resources is worth retrying for open-iscsi: once is enough here.
iscsiadm -m node -T "$T1" -p "$portal" -o update \
	-n node.session.initial_login_retry_max -v 1 || fail "retry max"
# $T2's session is the one allowed.
must_refuse "$T1" "target error (03/02)" "second session over max_sessions=1 (0x0302)"
new_klog | grep -q "sessions already (max_sessions), login refused" || fail "no kernel log line for max_sessions"
echo 2 >"$ISPT_CFS/max_sessions" || fail "max_sessions"
out=$(login "$T1") || fail "login under max_sessions=2: $out"
iscsiadm -m node --logoutall=all >/dev/null 2>&1
echo "access control and limits hold"
