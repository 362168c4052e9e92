#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The login keys the target offers are global parameters: bad values are
# refused with EINVAL and a kernel line naming the key, leaving every key
# as it was; a change applies to the next login only (a session already
# running keeps its keys); open-iscsi's next login negotiates the new
# values, as the sessions file and the initiator both report, and writes
# and reads data through them; a required digest refuses an initiator
# that does not agree to it; save and restore keep the values.
# timeout: 300
. "$ISPT_REPO/selftests/vm/lib.sh"

CLI=$ISPT_REPO/tools/iscsi-spt/iscsi-spt
portal=127.0.0.1:$ISPT_PORT
SAVED=/tmp/login-keys.json

[ -x "$CLI" ] || fail "no $CLI: build it first (make tools)"

# The value of key $1 on our target's connection in the sessions file.
sess_key() {
	grep "target=$ISPT_TEST_IQN " "$ISPT_CFS/sessions" | grep -o " $1=[^ ]*" |
		cut -d= -f2
}

# sess_keys KEY=VALUE...: the session negotiated each of them.
sess_keys() {
	local kv got
	for kv in "$@"; do
		got=$(sess_key "${kv%%=*}")
		[ "$got" = "${kv#*=}" ] ||
			fail "session has ${kv%%=*}=$got, wanted ${kv#*=}: $(grep "target=$ISPT_TEST_IQN " "$ISPT_CFS/sessions")"
	done
}

set_node() {
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" -o update -n "$1" -v "$2" ||
		fail "cannot set $1=$2"
}

login() {
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" --login >/dev/null 2>&1
}

logout() {
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" --logout >/dev/null 2>&1 ||
		fail "logout"
	for _ in $(seq 50); do
		grep -q "target=$ISPT_TEST_IQN " "$ISPT_CFS/sessions" || return 0
		sleep 0.1
	done
	fail "the session stayed after logout"
}

# refused KEY VALUE REASON: the write fails with EINVAL, the kernel says
# why naming the key, and no key changed.
refused() {
	local before after out
	before=$(cd "$ISPT_CFS" && grep -H . HeaderDigest DataDigest Max* First* Default* Initial* Immediate*)
	out=$( (echo "$2" >"$ISPT_CFS/$1") 2>&1) && fail "$1=$2 was accepted"
	grep -q "Invalid argument" <<<"$out" || fail "$1=$2: not EINVAL: $out"
	dmesg | tail -n 5 | grep -qF "iscsi_spt: $1: \"$2\": $3" ||
		fail "$1=$2: no kernel line \"$1: \"$2\": $3\": $(dmesg | tail -n 3)"
	after=$(cd "$ISPT_CFS" && grep -H . HeaderDigest DataDigest Max* First* Default* Initial* Immediate*)
	[ "$before" = "$after" ] || fail "a refused $1=$2 changed: $(diff <(echo "$before") <(echo "$after"))"
}

modprobe brd rd_nr=1 rd_size=16384 || fail "brd"
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"

note "the built-in offer, and what a bad value gets"
for kv in HeaderDigest=CRC32C,None DataDigest=CRC32C,None MaxRecvDataSegmentLength=65536 \
	MaxBurstLength=262144 FirstBurstLength=262144 MaxOutstandingR2T=4 DefaultTime2Wait=2 \
	DefaultTime2Retain=0 InitialR2T=No ImmediateData=Yes; do
	[ "$(<"$ISPT_CFS/${kv%%=*}")" = "${kv#*=}" ] || fail "${kv%%=*} is $(<"$ISPT_CFS/${kv%%=*}"), not ${kv#*=}"
done
refused MaxBurstLength 100000 "FirstBurstLength would exceed MaxBurstLength"
refused FirstBurstLength 300000 "FirstBurstLength would exceed MaxBurstLength"
refused MaxBurstLength 16777216 "must be a decimal number from 512 to 16777215"
refused MaxBurstLength 0x1000 "must be a decimal number"
refused MaxRecvDataSegmentLength 262145 "must be a decimal number from 512 to 262144"
refused MaxOutstandingR2T 5 "must be a decimal number from 1 to 4"
refused DefaultTime2Wait 3601 "must be a decimal number of seconds from 0 to 3600"
refused HeaderDigest crc32c "must be CRC32C,None, CRC32C (required) or None"
refused InitialR2T yes "must be Yes or No"
# The CLI checks the same before writing anything.
out=$("$CLI" params set MaxBurstLength=100000 2>&1) && fail "params set MaxBurstLength=100000 accepted"
grep -q "FirstBurstLength must not exceed MaxBurstLength" <<<"$out" || fail "params set: $out"
out=$("$CLI" params set ImmediateData=maybe 2>&1) && fail "params set ImmediateData=maybe accepted"
grep -q "must be one of Yes No" <<<"$out" || fail "params set: $out"

note "a session negotiated with the built-in offer"
iscsid_start || fail "iscsid"
iscsiadm -m discovery -t st -p "$portal" >/dev/null || fail "discovery"
iscsiadm -m node -p "10.0.2.15:$ISPT_PORT" -o delete >/dev/null 2>&1
# open-iscsi offers 1 by default; more lets the target's value decide.
set_node node.session.iscsi.MaxOutstandingR2T 8
login || fail "login"
old="MaxOutstandingR2T=4 MaxBurstLength=262144 FirstBurstLength=262144 ImmediateData=Yes InitialR2T=No MaxRecvDataSegmentLength=65536 DefaultTime2Wait=2 DataDigest=None"
# shellcheck disable=SC2086
sess_keys $old

note "new values (both bursts lowered: the CLI writes FirstBurstLength first)"
"$CLI" params set MaxBurstLength=65536 FirstBurstLength=16384 ImmediateData=No \
	InitialR2T=Yes MaxRecvDataSegmentLength=16384 DefaultTime2Wait=5 MaxOutstandingR2T=2 ||
	fail "params set"
"$CLI" params get MaxBurstLength FirstBurstLength | grep -q "^FirstBurstLength  *16384" ||
	fail "params get: $("$CLI" params get)"
# shellcheck disable=SC2086
sess_keys $old
disk=
for _ in $(seq 50); do
	disk=$(ispt_lun_disk 0)
	[ -b "$disk" ] && break
	sleep 0.2
done
[ -b "$disk" ] || fail "no disk for LUN 0"
dd if=/dev/urandom of=/tmp/login-keys.data bs=1M count=2 status=none
dd if=/tmp/login-keys.data of="$disk" bs=1M oflag=direct status=none || fail "write on the old session"
logout

note "the next login negotiates them"
login || fail "login with the new offer"
sess_keys MaxBurstLength=65536 FirstBurstLength=16384 ImmediateData=No InitialR2T=Yes \
	MaxRecvDataSegmentLength=16384 DefaultTime2Wait=5 MaxOutstandingR2T=2
info=$(iscsiadm -m session -P 2)
for kv in "MaxBurstLength: 65536" "FirstBurstLength: 16384" "ImmediateData: No" \
	"InitialR2T: Yes" "MaxXmitDataSegmentLength: 16384"; do
	grep -q "$kv" <<<"$info" || fail "the initiator has no \"$kv\": $info"
done
for _ in $(seq 50); do
	disk=$(ispt_lun_disk 0)
	[ -b "$disk" ] && break
	sleep 0.2
done
[ -b "$disk" ] || fail "no disk for LUN 0 on the new session"
# 1 MiB writes: R2Ts of at most 64 KiB, Data-Out PDUs of at most 16 KiB.
[ "$(dd if="$disk" bs=1M count=2 iflag=direct status=none | md5sum)" = "$(md5sum </tmp/login-keys.data)" ] ||
	fail "read back differs"
dd if=/dev/urandom of=/tmp/login-keys.data bs=1M count=2 status=none
dd if=/tmp/login-keys.data of="$disk" bs=1M oflag=direct status=none || fail "write with the new keys"
[ "$(dd if="$disk" bs=1M count=2 iflag=direct status=none | md5sum)" = "$(md5sum </tmp/login-keys.data)" ] ||
	fail "data written with the new keys reads back different"
logout

note "a required digest"
"$CLI" params set DataDigest=CRC32C || fail "params set DataDigest"
set_node "node.conn[0].iscsi.DataDigest" None
login && fail "a login offering only DataDigest=None was accepted"
dmesg | tail -n 20 | grep -q "DataDigest=CRC32C is required" ||
	fail "no kernel line for the refused digest: $(dmesg | tail -n 5)"
set_node "node.conn[0].iscsi.DataDigest" "None,CRC32C"
login || fail "login offering CRC32C"
sess_keys DataDigest=CRC32C
logout

note "save and restore keep the offer"
"$CLI" save "$SAVED" >/dev/null || fail "save"
python3 - "$SAVED" <<'PY' || fail "saved params: $(<"$SAVED")"
import json, sys
p = json.load(open(sys.argv[1]))["params"]
want = {"MaxBurstLength": 65536, "FirstBurstLength": 16384, "ImmediateData": "No",
        "InitialR2T": "Yes", "DataDigest": "CRC32C", "HeaderDigest": "CRC32C,None"}
for k, v in want.items():
    assert p.get(k) == v, (k, p.get(k))
PY
"$CLI" clear || fail "clear"
# Back to the built-in offer: both bursts raised, MaxBurstLength first.
"$CLI" params set FirstBurstLength=262144 MaxBurstLength=262144 DataDigest=CRC32C,None \
	ImmediateData=Yes InitialR2T=No MaxRecvDataSegmentLength=65536 || fail "params set back"
"$CLI" restore "$SAVED" >/dev/null || fail "restore"
for kv in MaxBurstLength=65536 FirstBurstLength=16384 ImmediateData=No DataDigest=CRC32C; do
	[ "$(<"$ISPT_CFS/${kv%%=*}")" = "${kv#*=}" ] || fail "restored ${kv%%=*} is $(<"$ISPT_CFS/${kv%%=*}")"
done
"$CLI" clear || fail "clear"
echo "a changed offer is what the next login negotiates; sessions keep theirs"
