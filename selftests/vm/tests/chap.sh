#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# CHAP: auth groups in configfs refuse bad values, keep secrets
# unreadable and cannot be removed while a target uses them; open-iscsi
# logs in with one-way and mutual CHAP for each digest it offers
# (SHA3-256, SHA256, SHA1, MD5), and fails with 0x0201 without CHAP, with
# a wrong secret, or one-way where mutual is required; it rejects a target
# that answers with the wrong secret; discovery asks for CHAP when told
# to; libiscsi on the host logs in and discovers with CHAP (MD5).
# timeout: 900
. "$ISPT_REPO/selftests/vm/lib.sh"

portal=127.0.0.1:$ISPT_PORT
AG=$ISPT_CFS/auth_groups/1
TA=$ISPT_CFS/targets/$ISPT_TEST_IQN/auth
DA=$ISPT_CFS/discovery_auth
USER_I=alice-initiator
SECRET_I=alice-secret-0001
USER_T=iqn.2026-11.org.iscsi-spt:chap-target
SECRET_T=target-secret-0001
IDLOG=/tmp/chap-iscsid.log
ERR=/tmp/chap.err

# refuse ERRTEXT LOGTEXT CMD...: CMD fails with ERRTEXT and the kernel
# logs a line containing LOGTEXT.
refuse() {
	local err=$1 log=$2 before
	shift 2
	before=$(dmesg | wc -l)
	if "$@" 2>"$ERR"; then
		fail "$* succeeded"
	fi
	[[ $(<"$ERR") == *"$err"* ]] || fail "$*: wanted \"$err\", got: $(<"$ERR")"
	if [ -n "$log" ]; then
		dmesg | tail -n +"$((before + 1))" | grep -qF -- "$log" ||
			fail "$*: no kernel log line with \"$log\""
	fi
}

put() {
	printf '%s\n' "$2" >"$1"
}

# Kernel log lines since mark_log.
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

node_set() {
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" -o update -n "$1" -v "$2" ||
		fail "cannot set $1=$2"
}

login() {
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" --login 2>&1
}

logout() {
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" --logout >/dev/null 2>&1
}

# must_login WHAT KLOG: the login works, the kernel logs a line matching
# the extended regex KLOG, logout.
must_login() {
	local out
	mark_log
	out=$(login) || fail "$1: login failed: $out; iscsid: $(new_idlog | tail -n 3)"
	iscsiadm -m session 2>/dev/null | grep -q "$ISPT_TEST_IQN" || fail "$1: no session"
	new_klog | grep -qE -- "$2" || fail "$1: no \"$2\" in the kernel log: $(new_klog | tail -n 5)"
	logout || fail "$1: logout"
	note "$1: ok"
}

# must_fail_auth WHAT: the login is refused with 0x0201, which iscsiadm
# reports as error 24 and iscsid as an authentication failure.
must_fail_auth() {
	local out
	mark_log
	if out=$(login); then
		logout
		fail "$1: login succeeded"
	fi
	grep -q "authorization failure" <<<"$out" || fail "$1: $out"
	sleep 1
	new_idlog | grep -q "Initiator failed authentication with target" ||
		fail "$1: iscsid did not see 0x0201: $(new_idlog | tail -n 3)"
	note "$1: refused (0x0201)"
}

ispt_load 'dyndbg="func auth_chap_step +p"' || fail "insmod"
ispt_setup_target || fail "configfs setup"

note "configfs"
[ -d "$AG" ] && fail "auth group before mkdir"
mkdir "$AG" || fail "mkdir auth group"
refuse "Invalid argument" "auth_groups/0: the tag must be" mkdir "$ISPT_CFS/auth_groups/0"
[ "$(<"$AG/chap_algs")" = "8,7,6,5" ] || fail "default chap_algs: $(<"$AG/chap_algs")"
refuse "Invalid argument" "auth_groups/1: chap_algs" put "$AG/chap_algs" "9"
refuse "Invalid argument" "listed twice" put "$AG/chap_algs" "5,5"
put "$AG/chap_algs" "8,7,6,5" || fail "chap_algs"
mkdir "$AG/secrets/$USER_I" || fail "mkdir secret"
S=$AG/secrets/$USER_I
refuse "Invalid argument" "secret: CHAP secret is shorter than 12 bytes" put "$S/secret" "short"
put "$S/secret" "$SECRET_I" || fail "secret"
refuse "Invalid argument" "mutual_secret: the mutual secret must differ" \
	put "$S/mutual_secret" "$SECRET_I"
put "$S/mutual_user" "$USER_T" || fail "mutual_user"
put "$S/mutual_secret" "$SECRET_T" || fail "mutual_secret"
[ "$(<"$S/mutual_user")" = "$USER_T" ] || fail "mutual_user reads back $(<"$S/mutual_user")"
# Secrets cannot be read back by anyone, nor found anywhere in the tree.
cat "$S/secret" >/dev/null 2>&1 && fail "secret is readable"
cat "$S/mutual_secret" >/dev/null 2>&1 && fail "mutual_secret is readable"
grep -rqs -e "$SECRET_I" -e "$SECRET_T" "$ISPT_CFS" && fail "a secret shows in configfs"
[ "$(<"$TA/require_chap")" = 0 ] || fail "require_chap default"
refuse "Invalid argument" "targets/$ISPT_TEST_IQN/auth: require_chap takes 0 or 1" \
	put "$TA/require_chap" 2
refuse "Invalid argument" "is not an auth group" \
	ln -s "$ISPT_CFS/initiator_groups/1" "$TA/group"
ln -s "$AG" "$TA/group" || fail "link the auth group"
mkdir "$ISPT_CFS/auth_groups/2" || fail "second group"
refuse "File exists" "an auth group is linked already" ln -s "$ISPT_CFS/auth_groups/2" "$TA/other"
rmdir "$ISPT_CFS/auth_groups/2" || fail "rmdir unused group"
refuse "Device or resource busy" "" rmdir "$AG"
put "$TA/require_chap" 1 || fail "require_chap"

# iscsid in the foreground, to read which login status it got.
iscsid_stop
iscsid -f >"$IDLOG" 2>&1 &
sleep 1
out=$(iscsiadm -m discovery -t st -p "$portal" 2>&1) || fail "discovery: $out"
iscsiadm -m node -p "10.0.2.15:$ISPT_PORT" -o delete >/dev/null 2>&1

note "open-iscsi, target CHAP required"
must_fail_auth "no CHAP"
node_set node.session.auth.authmethod CHAP
node_set node.session.auth.username "$USER_I"
node_set node.session.auth.password "$SECRET_I"
for alg in SHA3-256:SHA3-256 SHA256:SHA-256 SHA1:SHA-1 MD5:MD5; do
	ia=${alg%%:*} name=${alg#*:}
	node_set node.session.auth.chap_algs "$ia"
	node_set node.session.auth.username_in ""
	node_set node.session.auth.password_in ""
	must_login "one-way $ia" "as $USER_I with CHAP $name\$"
	grep -q "Ignoring CHAP algor.* $ia" "$IDLOG" &&
		fail "open-iscsi cannot do $ia here"
	node_set node.session.auth.username_in "$USER_T"
	node_set node.session.auth.password_in "$SECRET_T"
	must_login "mutual $ia" "as $USER_I with CHAP $name, mutual\$"
done
node_set node.session.auth.chap_algs "SHA3-256,SHA256,SHA1,MD5"

# The target's answer is checked by open-iscsi: a wrong one fails.
node_set node.session.auth.password_in "not-the-target-secret"
mark_log
out=$(login) && { logout; fail "login with the wrong target secret succeeded"; }
sleep 1
new_idlog | grep -q "received incorrect CHAP response from target" ||
	fail "open-iscsi did not reject our CHAP_R: $(new_idlog | tail -n 3)"
note "wrong target secret: rejected by the initiator"
node_set node.session.auth.password_in "$SECRET_T"

node_set node.session.auth.password "wrong-secret-0000"
must_fail_auth "wrong secret"
new_klog | grep -q "CHAP failed for initiator .*: wrong CHAP_R" ||
	fail "no kernel log line for the wrong secret"
node_set node.session.auth.password "$SECRET_I"
node_set node.session.auth.username "mallory"
must_fail_auth "unknown user"
node_set node.session.auth.username "$USER_I"

note "mutual CHAP required"
put "$TA/mutual_chap" 1 || fail "mutual_chap"
node_set node.session.auth.username_in ""
node_set node.session.auth.password_in ""
must_fail_auth "one-way where mutual is required"
new_klog | grep -q "requires mutual CHAP" || fail "no kernel log line for mutual required"
node_set node.session.auth.username_in "$USER_T"
node_set node.session.auth.password_in "$SECRET_T"
must_login "mutual where required" ", mutual\$"
put "$TA/mutual_chap" 0

note "discovery CHAP"
ln -s "$AG" "$DA/group" || fail "link discovery auth group"
put "$DA/require_chap" 1 || fail "discovery require_chap"
out=$(iscsiadm -m discovery -t st -p "$portal" 2>&1) &&
	fail "discovery without CHAP succeeded: $out"
grep -qi "authoriz\|authentica" <<<"$out" || fail "discovery without CHAP: $out"
note "discovery without CHAP: refused"
dset() {
	iscsiadm -m discoverydb -t st -p "$portal" -o update -n "$1" -v "$2" ||
		fail "cannot set $1"
}
iscsiadm -m discoverydb -t st -p "$portal" -o new >/dev/null || fail "discoverydb"
dset discovery.sendtargets.auth.authmethod CHAP
dset discovery.sendtargets.auth.username "$USER_I"
dset discovery.sendtargets.auth.password "wrong-secret-0000"
out=$(iscsiadm -m discoverydb -t st -p "$portal" --discover 2>&1) &&
	fail "discovery with a wrong secret succeeded: $out"
dset discovery.sendtargets.auth.password "$SECRET_I"
out=$(iscsiadm -m discoverydb -t st -p "$portal" --discover 2>&1) ||
	fail "discovery with CHAP: $out"
grep -q "$ISPT_TEST_IQN" <<<"$out" || fail "discovery with CHAP lists: $out"
put "$DA/mutual_chap" 1
dset discovery.sendtargets.auth.username_in "$USER_T"
dset discovery.sendtargets.auth.password_in "$SECRET_T"
out=$(iscsiadm -m discoverydb -t st -p "$portal" --discover 2>&1) ||
	fail "discovery with mutual CHAP: $out"
grep -q "$ISPT_TEST_IQN" <<<"$out" || fail "discovery with mutual CHAP lists: $out"
put "$DA/mutual_chap" 0
note "discovery with one-way and mutual CHAP: ok"

note "libiscsi from the host"
out=$(host_run libiscsi-chap.sh ls "$USER_I" "$SECRET_I") || fail "iscsi-ls with CHAP: $out"
grep -q "$ISPT_TEST_IQN" <<<"$out" || fail "iscsi-ls with CHAP: $out"
out=$(host_run libiscsi-chap.sh ls "" "") && fail "iscsi-ls without CHAP succeeded: $out"
out=$(host_run libiscsi-chap.sh ls "$USER_I" wrong-secret-0000) &&
	fail "iscsi-ls with a wrong secret succeeded: $out"
out=$(host_run libiscsi-chap.sh inq "$ISPT_TEST_IQN" "$USER_I" "$SECRET_I")
grep -q LOGICAL_UNIT_NOT_SUPPORTED <<<"$out" || fail "iscsi-inq with CHAP: $out"
out=$(host_run libiscsi-chap.sh inq "$ISPT_TEST_IQN" "$USER_I" wrong-secret-0000)
grep -q "Authentication failure" <<<"$out" || fail "iscsi-inq with a wrong secret: $out"
out=$(host_run libiscsi-chap.sh inq "$ISPT_TEST_IQN" "$USER_I" "$SECRET_I" \
	"$USER_T" "$SECRET_T")
grep -q LOGICAL_UNIT_NOT_SUPPORTED <<<"$out" || fail "iscsi-inq with mutual CHAP: $out"
out=$(host_run libiscsi-chap.sh inq "$ISPT_TEST_IQN" "$USER_I" "$SECRET_I" \
	"$USER_T" not-the-target-secret)
grep -q LOGICAL_UNIT_NOT_SUPPORTED <<<"$out" &&
	fail "libiscsi accepted a wrong target secret: $out"
note "libiscsi: discovery and login with CHAP, refused without"

# Unlinked, the group can go once its secrets have gone.
rm "$TA/group" "$DA/group" || fail "unlink"
refuse "Directory not empty" "" rmdir "$AG"
rmdir "$S" "$AG" || fail "rmdir auth group"
echo "CHAP works with open-iscsi and libiscsi"
