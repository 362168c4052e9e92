#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The iscsi-spt CLI against the live module: every subcommand, --help on
# each, every error the admin can hit (bad IQN, bad address, duplicate
# tag, missing device, map to a missing group, deleting a portal group in
# use, a device the kernel refuses part-way) with its exit code and a
# message naming the object, nothing left half-done; connections and top
# while open-iscsi does I/O; save -> clear -> restore gives back the same
# tree and the initiator logs in again and reads the same data; restore
# refuses bad files without changing anything and undoes a failed apply.
# timeout: 600
. "$ISPT_REPO/selftests/vm/lib.sh"

CLI=$ISPT_REPO/tools/iscsi-spt/iscsi-spt
OUT=/tmp/cli.out
SAVED=/tmp/cli-saved.json
MNT=/tmp/cli-mnt
checks=0

[ -x "$CLI" ] || fail "no $CLI: build it first (make tools)"

# expect RC TEXT ARGS...: iscsi-spt ARGS exits RC, and prints TEXT if set.
expect() {
	local rc=$1 text=$2 got=0
	shift 2
	"$CLI" "$@" >"$OUT" 2>&1 || got=$?
	[ "$got" -eq "$rc" ] || fail "iscsi-spt $*: exit $got, wanted $rc: $(<"$OUT")"
	[ -z "$text" ] || grep -qF -- "$text" "$OUT" ||
		fail "iscsi-spt $*: no \"$text\" in: $(<"$OUT")"
	checks=$((checks + 1))
}

ok() {
	expect 0 "" "$@"
}

# The configuration as a sorted listing: paths, values of the settable
# attributes, link targets. Runtime files (sessions, stats, workers) aside.
tree() {
	local p
	(cd "$ISPT_CFS" && find . -mindepth 1 | sort) | while read -r p; do
		if [ -L "$ISPT_CFS/$p" ]; then
			echo "$p -> $(basename "$(dirname "$(readlink "$ISPT_CFS/$p")")")/$(basename "$(readlink "$ISPT_CFS/$p")")"
		elif [ -f "$ISPT_CFS/$p" ] && [[ $(stat -c %A "$ISPT_CFS/$p") == ??w* ]]; then
			echo "$p = $(tr '\n' ' ' <"$ISPT_CFS/$p")"
		elif [ -d "$ISPT_CFS/$p" ]; then
			echo "$p/"
		fi
	done
}

# How many portal groups, initiator groups, targets and auth groups
# exist, plus the links discovery_auth holds.
objects() {
	echo $(($(find "$ISPT_CFS/portal_groups" "$ISPT_CFS/initiator_groups" \
		"$ISPT_CFS/targets" "$ISPT_CFS/auth_groups" -mindepth 1 -maxdepth 1 | wc -l) +
		$(find "$ISPT_CFS/discovery_auth" -type l | wc -l)))
}

SECRET=Kq3v9sT0xLm2pR8w

# open-iscsi: discover, then log in to our target with CHAP as host1.
chap_login() {
	local portal=127.0.0.1:$ISPT_PORT
	iscsid_start || return 1
	iscsiadm -m discovery -t st -p "$portal" >/dev/null || return 1
	iscsiadm -m node -p "10.0.2.15:$ISPT_PORT" -o delete >/dev/null 2>&1
	iscsiadm -m node -T "$IQN" -p "$portal" -o update \
		-n node.session.auth.authmethod -v CHAP || return 1
	iscsiadm -m node -T "$IQN" -p "$portal" -o update \
		-n node.session.auth.username -v host1 || return 1
	iscsiadm -m node -T "$IQN" -p "$portal" -o update \
		-n node.session.auth.password -v "$SECRET" || return 1
	iscsiadm -m node -T "$IQN" -p "$portal" --login >/dev/null 2>&1
}

json_ok() {
	python3 -c 'import json, sys; json.load(sys.stdin)' <"$OUT" ||
		fail "not JSON: $(<"$OUT")"
}

modprobe brd rd_nr=4 rd_size=16384 || fail "brd"
dd if=/dev/urandom of=/dev/ram0 bs=1M count=16 status=none || fail "fill ram0"
want=$(md5sum </dev/ram0 | cut -d' ' -f1)

note "without the module"
expect 3 "load the module" target list
expect 3 "load the module" save /tmp/never.json

ispt_load || fail "insmod"
IQN=$ISPT_TEST_IQN
PORTAL=0.0.0.0:$ISPT_PORT

note "--help on every command"
expect 0 "Commands:" --help
expect 2 "usage:"
expect 2 "no command \"frobnicate\"" frobnicate
expect 2 "no subcommand \"frob\"" portal-group frob
"$CLI" --help | sed -n '/^Commands:/,/^$/p' | sed '1d;$d' | while read -r a b _; do
	if [[ "$b" =~ ^[a-z][a-z-]*$ ]]; then
		"$CLI" "$a" "$b" --help | grep -q "^usage: iscsi-spt $a $b" ||
			fail "$a $b --help"
	else
		"$CLI" "$a" --help | grep -q "^usage: iscsi-spt $a" || fail "$a --help"
	fi
done || exit 1
expect 0 "usage: iscsi-spt portal-group add" help portal-group add
expect 2 "unknown option --bogus" target list --bogus
expect 2 "missing arguments" lun add "$IQN"

note "bash completion"
# shellcheck disable=SC1091
. "$ISPT_REPO/tools/iscsi-spt/iscsi-spt.bash-completion"
COMP_WORDS=(iscsi-spt portal-group "")
COMP_CWORD=2
_iscsi_spt
[ "${COMPREPLY[*]}" = "add delete list" ] || fail "completion: ${COMPREPLY[*]}"

note "params"
ok params get
grep -q '^max_sessions ' "$OUT" || fail "params get: $(<"$OUT")"
expect 0 "" params get --json max_sessions
json_ok
ok params set max_sessions=64 nopin_interval=7
[ "$(<"$ISPT_CFS/max_sessions")" = 64 ] && [ "$(<"$ISPT_CFS/nopin_interval")" = 7 ] ||
	fail "params set did not apply"
expect 2 "parameter max_sessions \"0\": must be a number from 1 to 65535" params set max_sessions=0
expect 2 "no parameter \"bogus\"" params set bogus=1
expect 2 "lowercase" params set node_base=iqn.2026-11.org.Example
expect 2 "write NAME=VALUE" params set max_sessions
# All are checked before any is written.
expect 2 "nopin_timeout" params set max_sessions=77 nopin_timeout=0
[ "$(<"$ISPT_CFS/max_sessions")" = 64 ] || fail "a refused params set changed max_sessions"

note "portal groups"
ok portal-group add 1 "$PORTAL" --cpus 0
[ "$(<"$ISPT_CFS/portal_groups/1/cpus")" = 0 ] || fail "cpus not set"
expect 1 "portal group 1 already exists" portal-group add 1
expect 2 "portal group \"0\": a tag is a number from 1 to 65535" portal-group add 0
expect 2 "portal \"300.1.1.1:3260\": not an IPv4 address" portal-group add 2 300.1.1.1:3260
expect 2 "portal \"1.2.3.4:0\": the port must be" portal-group add 2 1.2.3.4:0
expect 2 "the same address as portal $PORTAL of portal group 1" portal-group add 2 "0.0.0.0:$ISPT_PORT"
expect 2 "cpus \"3-1\"" portal-group add 2 --cpus 3-1
# The kernel refuses the second portal: the first one and the group go.
expect 1 "portal group 2: portal 192.0.2.1:3260: cannot listen: not an address of this host" \
	portal-group add 2 127.0.0.1:3261 192.0.2.1:3260
[ ! -e "$ISPT_CFS/portal_groups/2" ] || fail "portal group 2 left behind"
ok portal-group add 2 127.0.0.1:3261 "[::1]:3262"
ok portal-group list
grep -q '^2 .*127.0.0.1:3261 \[::1\]:3262' "$OUT" || fail "portal-group list: $(<"$OUT")"
ok portal-group list --json
json_ok

note "initiator groups"
ok initiator-group add 1 --initiators ANY --netmasks ANY
expect 1 "initiator group 1 already exists" initiator-group add 1
expect 2 "initiators: \"IQN.1994-05.com.redhat:a\": must be lowercase" \
	initiator-group add 2 --initiators IQN.1994-05.com.redhat:a
expect 2 "initiators: \"iqn.1994-05\": iqn. must be followed by a date" \
	initiator-group add 2 --initiators iqn.1994-05
expect 2 "netmasks: \"10.0.0.1/8\": host bits are set" initiator-group add 2 --netmasks 10.0.0.1/8
ok initiator-group add 2 --initiators iqn.1994-05.com.redhat:a,iqn.1994-05.com.redhat:b \
	--netmasks "192.0.2.0/24 2001:db8::/32"
[ "$(wc -l <"$ISPT_CFS/initiator_groups/2/initiators")" = 2 ] || fail "initiators not written"
ok initiator-group list
ok initiator-group list --json
json_ok

note "targets and LUNs"
expect 2 "target iqn.2026-11.org.Example:x: not a valid iSCSI name: must be lowercase" \
	target create iqn.2026-11.org.Example:x
expect 2 "target $IQN-x: LUN 0: /dev/iscsi-spt-none: no such device" \
	target create test-x --lun 0:/dev/iscsi-spt-none
expect 2 "target $IQN-x: LUN 0: /dev/null: not a block device" \
	target create test-x --lun 0:/dev/null
expect 2 "target $IQN-x: map to portal group 9: there is no portal group 9" \
	target create test-x --map 9:1
expect 2 "target $IQN-x: map 1:9: there is no initiator group 9" \
	target create test-x --map 1:9
expect 2 "--lun \"x:/dev/ram0\": write ID:DEVICE" target create test-x --lun x:/dev/ram0
[ ! -e "$ISPT_CFS/targets/$IQN-x" ] || fail "a refused target was created"
# "test" is a short name: the node base goes in front.
ok target create test --alias "CLI test" --lun 0:/dev/ram0 --map 1:1
[ -d "$ISPT_CFS/targets/$IQN/luns/0" ] && [ "$(<"$ISPT_CFS/targets/$IQN/luns/0/enable")" = 1 ] &&
	[ "$(<"$ISPT_CFS/targets/$IQN/alias")" = "CLI test" ] &&
	[ -L "$ISPT_CFS/targets/$IQN/maps/1/ig1" ] || fail "target create: $(tree)"
expect 1 "target $IQN already exists" target create test
expect 2 "/dev/ram0 is already LUN 0 of target $IQN" target create test-x --lun 0:/dev/ram0
# A device the kernel cannot open (mounted) is found only when the
# second LUN is enabled: the target and its first LUN are undone.
mkfs.ext4 -q -F /dev/ram2 >/dev/null 2>&1 || fail "mkfs ram2"
mkdir -p "$MNT" && mount /dev/ram2 "$MNT" || fail "mount ram2"
expect 1 "target $IQN-x: LUN 1: cannot open /dev/ram2: the device is in use" \
	target create test-x --lun 0:/dev/ram1 --lun 1:/dev/ram2
[ ! -e "$ISPT_CFS/targets/$IQN-x" ] || fail "target $IQN-x left behind"
ok lun add test 1 /dev/ram1
expect 1 "target $IQN: LUN 1 already exists" lun add test 1 /dev/ram3
expect 2 "LUN 2: /dev/iscsi-spt-none: no such device" lun add test 2 /dev/iscsi-spt-none
expect 1 "LUN 2: cannot open /dev/ram2: the device is in use" lun add "$IQN" 2 /dev/ram2
[ ! -e "$ISPT_CFS/targets/$IQN/luns/2" ] || fail "LUN 2 left behind"
expect 2 "LUN \"16384\": a number from 0 to 16383" lun add test 16384 /dev/ram3
expect 1 "target $IQN-nope does not exist" lun add test-nope 2 /dev/ram3
ok lun add test 3 /dev/ram3 --disabled
[ "$(<"$ISPT_CFS/targets/$IQN/luns/3/enable")" = 0 ] || fail "--disabled"
ok lun remove test 3
expect 1 "target $IQN has no LUN 3" lun remove test 3
umount "$MNT" || fail "umount"

note "maps"
ok map add test 2:2
[ -L "$ISPT_CFS/targets/$IQN/maps/2/ig2" ] || fail "map add"
expect 1 "initiator group 2 is mapped through portal group 2 already" map add test 2:2
expect 2 "target $IQN: map to portal group 9: there is no portal group 9" map add test 9:1
expect 2 "target $IQN: map 2:9: there is no initiator group 9" map add test 2:9
expect 2 "\"2-2\": write PG:IG" map add test 2-2
ok target list
grep -q "map pg 2 .* ig 2" "$OUT" || fail "target list: $(<"$OUT")"
ok target list --json
json_ok

note "deleting what is in use"
expect 1 "portal group 1 is in use: mapped by target $IQN" portal-group delete 1
expect 1 "initiator group 2 is in use: mapped by target $IQN (portal group 2)" initiator-group delete 2
expect 1 "portal group 99 does not exist" portal-group delete 99
expect 1 "initiator group 99 does not exist" initiator-group delete 99
expect 1 "target $IQN-nope does not exist" target delete test-nope
ok map delete test 2:2
[ ! -e "$ISPT_CFS/targets/$IQN/maps/2" ] || fail "an emptied map stayed"
expect 1 "target $IQN has no map for portal group 2" map delete test 2
ok initiator-group delete 2
ok map add test 2:1
ok map delete test 2
ok portal-group delete 2
[ ! -e "$ISPT_CFS/portal_groups/2" ] || fail "portal group 2 stayed"
ok target create test-2 --lun 0:/dev/ram3 --map 1:1
ok target delete test-2
[ ! -e "$ISPT_CFS/targets/$IQN-2" ] || fail "target delete"

note "auth groups and CHAP policies"
ok auth-group create 1 --chap-algs 7,5
[ "$(<"$ISPT_CFS/auth_groups/1/chap_algs")" = 7,5 ] || fail "chap_algs not set"
expect 1 "auth group 1 already exists" auth-group create 1
expect 2 "auth group \"0\": a tag is a number from 1 to 65535" auth-group create 0
expect 2 "--chap-algs \"5,9\": must be CHAP_A numbers" auth-group create 2 --chap-algs 5,9
ok auth-group add-secret 1 host1 --secret "$SECRET"
expect 2 "user host2: secret: shorter than 12 bytes" auth-group add-secret 1 host2 --secret short
expect 2 "user host2: --secret is required" auth-group add-secret 1 host2
expect 2 "must differ from the secret" auth-group add-secret 1 host2 --secret "$SECRET" \
	--mutual-user iqn.2026-11.org.example:tgt --mutual-secret "$SECRET"
expect 2 "--mutual-user and --mutual-secret go together" auth-group add-secret 1 host2 \
	--secret Zr7nB4cY1eQ6hU5j --mutual-user iqn.2026-11.org.example:tgt
expect 1 "auth group 1: user host1 already exists" auth-group add-secret 1 host1 --secret Zr7nB4cY1eQ6hU5j
expect 1 "auth group 9 does not exist" auth-group add-secret 9 host1 --secret Zr7nB4cY1eQ6hU5j
# Secrets from standard input stay out of the process list.
printf 'Zr7nB4cY1eQ6hU5j\nMw2xP9qL4tR7vB1n\n' |
	"$CLI" auth-group add-secret 1 host2 --secret - --mutual-user iqn.2026-11.org.example:tgt \
		--mutual-secret - || fail "add-secret from stdin"
[ "$(<"$ISPT_CFS/auth_groups/1/secrets/host2/mutual_user")" = iqn.2026-11.org.example:tgt ] ||
	fail "mutual_user not set"
ok auth-group list
grep -q "^1 .*7,5 .*host1 host2 -> iqn.2026-11.org.example:tgt" "$OUT" || fail "auth-group list: $(<"$OUT")"
ok auth-group list --json
json_ok
! grep -q -e "$SECRET" -e Zr7nB4 -e Mw2xP9 "$OUT" || fail "a listing shows a secret"
ok auth-group remove-secret 1 host2
expect 1 "auth group 1 has no user host2" auth-group remove-secret 1 host2
expect 2 "target $IQN: CHAP required but no auth group" target auth test --require-chap yes
expect 1 "target $IQN: there is no auth group 9" target auth test --group 9
expect 2 "--require-chap \"maybe\": yes or no" target auth test --require-chap maybe
expect 1 "target $IQN-nope does not exist" target auth test-nope --group 1
ok target auth test --group 1 --require-chap yes
[ -L "$ISPT_CFS/targets/$IQN/auth/group" ] && [ "$(<"$ISPT_CFS/targets/$IQN/auth/require_chap")" = 1 ] ||
	fail "target auth not applied: $(tree | grep /auth)"
ok target auth test
grep -q "require_chap yes mutual_chap no auth_group 1" "$OUT" || fail "target auth: $(<"$OUT")"
ok target list
grep -q "auth require_chap yes" "$OUT" || fail "target list: $(<"$OUT")"
ok discovery-auth --group 1
ok discovery-auth
grep -q "^discovery require_chap no mutual_chap no auth_group 1" "$OUT" || fail "discovery-auth: $(<"$OUT")"
ok discovery-auth --json
json_ok
expect 1 "auth group 1 is in use: linked by target $IQN, discovery" auth-group delete 1
expect 1 "auth group 9 does not exist" auth-group delete 9
ok auth-group create 3
ok auth-group add-secret 3 host3 --secret Zr7nB4cY1eQ6hU5j
ok auth-group delete 3
[ ! -e "$ISPT_CFS/auth_groups/3" ] || fail "auth group 3 stayed"

note "connections and top"
# A login without CHAP is refused now; host1's secret lets it in.
ispt_login_all
[ -z "$(ispt_lun_disk 0)" ] || fail "a login without CHAP got in"
chap_login || fail "CHAP login"
sleep 1
disk=$(ispt_lun_disk 0)
[ -b "$disk" ] || fail "no disk for LUN 0: $(lsblk)"
ok connections
grep -q "full_feature .* -> $IQN\$" "$OUT" || fail "connections: $(<"$OUT")"
ok connections --long
grep -q "MaxBurstLength=" "$OUT" || fail "connections --long: $(<"$OUT")"
ok connections --json
json_ok
python3 -c '
import json, sys
conns = [c for c in json.load(sys.stdin) if c.get("target") == sys.argv[1]]
assert len(conns) == 1, conns
c = conns[0]
assert c["state"] == "full_feature" and c["tsih"] >= 1 and len(c["isid"]) == 12, c
assert c["initiator"] == "iqn.2026-11.org.iscsi-spt:vm-initiator", c
' "$IQN" <"$OUT" || fail "connections --json: $(<"$OUT")"
dd if="$disk" of=/dev/null bs=64k iflag=direct status=none &
for _ in 1 2 3 4 5 6; do
	dd if="$disk" of=/dev/null bs=4k count=2000 iflag=direct status=none
done &
ok top --batch --iterations 2 --interval 0.5
wait
grep -q "^CONN " "$OUT" && grep -q "iqn.2026-11.org.iscsi-spt:vm-initiator" "$OUT" ||
	fail "top: $(<"$OUT")"
awk '/^CONN / { conn = 1; next } /^$/ { conn = 0 }
	conn && $2 ~ /^[0-9]+$/ && $3 + 0 > 0 { found = 1 } END { exit !found }' "$OUT" ||
	fail "top shows no IOPS on the connection: $(<"$OUT")"
grep -q "target=$IQN lun=0 cmds=[1-9]" "$ISPT_CFS/stats" || fail "no LUN counters: $(<"$ISPT_CFS/stats")"
expect 2 "--interval \"0\"" top --interval 0

note "save, clear, restore"
# configfs never shows a secret: save names what it could not write...
rm -f "$SAVED"
expect 0 "auth group 1: user host1: saved with no secret" save "$SAVED"
grep -q '"user": "host1"' "$SAVED" && ! grep -q '"secret"' "$SAVED" ||
	fail "saved secrets: $(<"$SAVED")"
# ...so the admin puts it in the file, and later saves keep it.
python3 - "$SAVED" "$SECRET" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["auth_groups"][0]["secrets"][0]["secret"] = sys.argv[2]
json.dump(c, open(sys.argv[1], "w"))
PY
ok save "$SAVED"
! grep -q "no secret" "$OUT" || fail "save still lacks a secret: $(<"$OUT")"
grep -q "\"secret\": \"$SECRET\"" "$SAVED" || fail "save dropped the secret: $(<"$SAVED")"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$SAVED" ||
	fail "saved file is not JSON: $(<"$SAVED")"
[ "$(stat -c %a "$SAVED")" = 600 ] || fail "saved file mode $(stat -c %a "$SAVED")"
ok save
[ -s /etc/iscsi_spt/config.json ] || fail "save without FILE wrote nothing"
"$CLI" save - >"$OUT" 2>/dev/null || fail "save -"
# To standard output there is no file to take the secret from.
python3 - "$OUT" "$SAVED" <<'PY' || fail "save - differs from the saved file, the secret aside"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
b["auth_groups"][0]["secrets"][0].pop("secret")
assert a == b
PY
# A portal's advertised address is part of the configuration too.
echo "127.0.0.1:$ISPT_PORT" >"$ISPT_CFS/portal_groups/1/portals/$PORTAL/advertise" ||
	fail "set advertise"
ok save "$SAVED"
grep -q "\"advertise\": \"127.0.0.1:$ISPT_PORT\"" "$SAVED" || fail "advertise not saved: $(<"$SAVED")"
ok restore --check "$SAVED"
grep -q "is valid: 1 portal groups, 1 initiator groups, 1 targets with 2 LUNs" "$OUT" &&
	! grep -q "no secret" "$OUT" ||
	fail "restore --check said: $(<"$OUT")"
before=$(tree)
iscsiadm -m node -U all >/dev/null 2>&1 || fail "logout"
ok clear
[ "$(objects)" -eq 0 ] ||
	fail "clear left: $(tree)"
[ "$(<"$ISPT_CFS/max_sessions")" = 64 ] || fail "clear changed the parameters"
[ "$(<"$ISPT_CFS/discovery_auth/require_chap")" = 0 ] || fail "clear left discovery CHAP on"
echo 4096 >"$ISPT_CFS/max_sessions"
ok restore "$SAVED"
grep -q "restored 1 portal groups, 1 initiator groups, 1 targets with 2 LUNs" "$OUT" ||
	fail "restore said: $(<"$OUT")"
after=$(tree)
if [ "$before" != "$after" ]; then
	echo "$before" >/tmp/cli-before.txt
	echo "$after" >/tmp/cli-after.txt
	fail "restored tree differs: $(diff /tmp/cli-before.txt /tmp/cli-after.txt)"
fi
grep -q "advertise = 127.0.0.1:$ISPT_PORT" <<<"$after" || fail "advertise not restored"
grep -q "auth_groups/1/secrets/host1/$" <<<"$after" || fail "auth group not restored"
# The secret came back from the file: CHAP works again.
chap_login || fail "CHAP login after restore"
sleep 1
disk=$(ispt_lun_disk 0)
[ -b "$disk" ] || fail "no disk for LUN 0 after restore: $(lsblk)"
[ "$(md5sum <"$disk" | cut -d' ' -f1)" = "$want" ] || fail "LUN 0 reads other data after restore"
iscsiadm -m node -U all >/dev/null 2>&1

note "restore refuses what it cannot apply whole"
expect 1 "the target is configured already (1 portal groups, 1 initiator groups, 1 targets, 1 auth groups)" restore "$SAVED"
expect 4 "cannot read /tmp/cli-none.json" restore /tmp/cli-none.json
expect 0 "nothing to restore" restore --missing-ok /tmp/cli-none.json
ok clear
printf '{"targets": [\n  {"name": "x",}\n]}\n' >/tmp/cli-bad.json
expect 4 "/tmp/cli-bad.json: line 2" restore /tmp/cli-bad.json
sed 's|"/dev/ram1"|"/dev/iscsi-spt-none"|' "$SAVED" >/tmp/cli-bad.json
expect 4 "LUN 1: /dev/iscsi-spt-none: no such device; nothing was changed" restore /tmp/cli-bad.json
sed 's|"portal_groups"|"portal_group"|' "$SAVED" >/tmp/cli-bad.json
expect 4 "unknown key \"portal_group\"" restore /tmp/cli-bad.json
[ "$(objects)" -eq 0 ] || fail "a refused restore changed the tree"
# The kernel refuses a LUN late in the apply (its device is mounted):
# everything before it, parameters included, is undone.
mount /dev/ram1 "$MNT" 2>/dev/null || { mkfs.ext4 -q -F /dev/ram1 && mount /dev/ram1 "$MNT"; } ||
	fail "mount ram1"
python3 - "$SAVED" >/tmp/cli-late.json <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["params"]["max_sessions"] = 99
print(json.dumps(c))
EOF
echo 4096 >"$ISPT_CFS/max_sessions"
expect 1 "LUN 1: cannot open /dev/ram1: the device is in use" restore /tmp/cli-late.json
grep -q "undone" "$OUT" || fail "restore did not say it undid: $(<"$OUT")"
[ "$(objects)" -eq 0 ] ||
	fail "a failed restore left: $(tree)"
[ "$(<"$ISPT_CFS/max_sessions")" = 4096 ] || fail "a failed restore left max_sessions $(<"$ISPT_CFS/max_sessions")"
umount "$MNT"

ok restore "$SAVED"
ok clear
ispt_unload || fail "rmmod after clear"
echo "$checks CLI checks passed"
