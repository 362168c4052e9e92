#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The configuration model through configfs: every object type is created
# and removed, every bad name, value and relation is refused with its
# errno and a log line naming the object, portals listen and stop,
# open-iscsi's discovery and login see only what the maps allow, and once
# everything is removed the module unloads.
# timeout: 300
. "$ISPT_REPO/selftests/vm/lib.sh"

PG=$ISPT_CFS/portal_groups
IG=$ISPT_CFS/initiator_groups
TG=$ISPT_CFS/targets
IQN=iqn.2026-11.org.iscsi-spt:model
EUI=eui.02004567a425678d
NAA=naa.62004567ba64678d0123456789abcdef
IQN_A=iqn.1994-05.com.redhat:alpha
IQN_B=iqn.1994-05.com.redhat:beta
ERR=/tmp/configfs-model.err
checks=0

# must CMD...: CMD must succeed.
must() {
	"$@" 2>"$ERR" || fail "$*: $(<"$ERR")"
	checks=$((checks + 1))
}

# refuse ERRTEXT LOGTEXT CMD...: CMD must fail with the errno whose text
# is ERRTEXT, and if LOGTEXT is not empty the kernel must have logged a
# line containing it.
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
	checks=$((checks + 1))
}

# put FILE VALUE: write an attribute as an admin would.
put() {
	echo "$2" >"$1"
}

# same FILE VALUE: FILE reads back VALUE (trailing newlines aside).
same() {
	local got
	got=$(<"$1")
	[ "$got" = "$2" ] || fail "$1: wanted \"$2\", got \"$got\""
	checks=$((checks + 1))
}

# What a mkdir left behind (discovery_auth's settings are always there).
left_over() {
	find "$ISPT_CFS" -mindepth 2 ! -path "$ISPT_CFS/discovery_auth/*"
}

listening() {
	ss -Hltn | grep -qF " $1 "
}

ispt_load || fail "insmod"
for d in "$PG" "$IG" "$TG"; do
	[ -d "$d" ] || fail "no $d"
done
same "$ISPT_CFS/version" "$(modinfo -F version "$ISPT_KO")"
[ -s "$ISPT_CFS/workers" ] || fail "workers is empty"

note "portal groups"
for tag in 0 65536 01 +1 -1 1x abc; do
	refuse "Invalid argument" "portal_groups/$tag: the tag must be" mkdir "$PG/$tag"
done
must mkdir "$PG/1" "$PG/65535"
[ -d "$PG/1/portals" ] || fail "no portals/ in a portal group"
same "$PG/1/cpus" "$(</sys/devices/system/cpu/possible)"
must put "$PG/1/cpus" 0
same "$PG/1/cpus" 0
nposs=$(nproc --all)
for cpus in "" abc 0- 1-0 "0;1" "$nposs" "0-$nposs" 100000; do
	refuse "Invalid argument" "portal_groups/1: cpus:" put "$PG/1/cpus" "$cpus"
done
same "$PG/1/cpus" 0
must rmdir "$PG/65535"

note "portals"
for addr in foo 300.1.1.1:3260 1.2.3.4:0 1.2.3.4:65536 1.2.3.4:port \
	"[::1" "[::1]3260" "::1" 1.2.3.4:3260:1; do
	refuse "Invalid argument" "portal_groups/1/portals/$addr: not ADDR[:PORT]" \
		mkdir "$PG/1/portals/$addr"
done
must mkdir "$PG/1/portals/0.0.0.0:3260"
listening 0.0.0.0:3260 || fail "nothing listens on 0.0.0.0:3260: $(ss -ltn)"
# A real connection reaches the portal (and is closed at once).
exec 3<>/dev/tcp/127.0.0.1/3260 || fail "cannot connect to 127.0.0.1:3260"
exec 3<&-
refuse "Address already in use" "portal_groups/1/portals/0.0.0.0: cannot listen: -EADDRINUSE" \
	mkdir "$PG/1/portals/0.0.0.0"
must mkdir "$PG/2"
refuse "Address already in use" "portal_groups/2/portals/0.0.0.0:3260: cannot listen" \
	mkdir "$PG/2/portals/0.0.0.0:3260"
refuse "Cannot assign requested address" "portal_groups/2/portals/192.0.2.1:3260: cannot listen" \
	mkdir "$PG/2/portals/192.0.2.1:3260"
must mkdir "$PG/2/portals/[::]:3260" "$PG/2/portals/127.0.0.1:3261"
listening "[::]:3260" || fail "nothing listens on [::]:3260: $(ss -ltn)"
listening 127.0.0.1:3261 || fail "nothing listens on 127.0.0.1:3261: $(ss -ltn)"
# A wildcard on a port a specific address already uses is refused by bind.
refuse "Address already in use" "cannot listen" mkdir "$PG/1/portals/0.0.0.0:3261"
# CPUs apply to the portals a group already has.
must put "$PG/2/cpus" "0-$((nposs - 1))"
must put "$PG/2/cpus" 0
same "$PG/2/cpus" 0

note "initiator groups"
for tag in 0 65536 007 x; do
	refuse "Invalid argument" "initiator_groups/$tag: the tag must be" mkdir "$IG/$tag"
done
must mkdir "$IG/1" "$IG/2"
same "$IG/1/initiators" ""
same "$IG/1/netmasks" ""
must put "$IG/1/initiators" ANY
same "$IG/1/initiators" ANY
must put "$IG/1/initiators" "$IQN_A $IQN_B"
same "$IG/1/initiators" "$IQN_A"$'\n'"$IQN_B"
for names in "IQN.1994-05.com.redhat:x" "iqn.1994-05.com.redhat:X" \
	"iqn.1994-13.com.redhat:x" "ANY $IQN_A" "$IQN_A $IQN_A" any \
	"eui.0123" "$IQN_A,$IQN_B"; do
	refuse "Invalid argument" "initiator_groups/1: initiators: \"" \
		put "$IG/1/initiators" "$names"
done
same "$IG/1/initiators" "$IQN_A"$'\n'"$IQN_B"
must put "$IG/1/netmasks" "192.0.2.0/24 2001:db8::/32 10.0.2.15 127.0.0.0/8"
same "$IG/1/netmasks" "192.0.2.0/24"$'\n'"2001:db8::/32"$'\n'"10.0.2.15/32"$'\n'"127.0.0.0/8"
for masks in 192.0.2.1/24 10.0.0.0/33 2001:db8::/129 2001:db8::1/64 foo \
	"ANY 10.0.0.0/8" "10.0.0.0/8 10.0.0.0/8" 10.0.0/8 "10.0.0.0/+8"; do
	refuse "Invalid argument" "initiator_groups/1: netmasks: \"" \
		put "$IG/1/netmasks" "$masks"
done
same "$IG/1/netmasks" "192.0.2.0/24"$'\n'"2001:db8::/32"$'\n'"10.0.2.15/32"$'\n'"127.0.0.0/8"
must put "$IG/2/initiators" ANY
must put "$IG/2/netmasks" ANY
same "$IG/2/netmasks" ANY
must put "$IG/2/initiators" ""
same "$IG/2/initiators" ""

note "targets"
printf -v long 'iqn.2026-11.org.x:%0206d' 0
for name in "IQN.2026-11.org.iscsi-spt:x" "iqn.2026-11.org.Iscsi-spt:x" \
	iqn.2026-13.org.x iqn.2026-11 "iqn.2026-11.org.x:" foo eui.0123 \
	eui.02004567A425678D naa.0123456789abcdef0 "$long"; do
	refuse "Invalid argument" "targets/$name: not a valid iSCSI name" mkdir "$TG/$name"
done
must mkdir "$TG/$IQN" "$TG/$EUI" "$TG/$NAA" "$TG/${long%0}"
must rmdir "$TG/${long%0}"
[ -d "$TG/$IQN/maps" ] || fail "no maps/ in a target"
same "$TG/$IQN/alias" ""
must put "$TG/$IQN/alias" "Model test disk"
same "$TG/$IQN/alias" "Model test disk"
printf -v long_alias '%0256d' 0
refuse "Invalid argument" "targets/$IQN: alias:" put "$TG/$IQN/alias" "$long_alias"
refuse "Invalid argument" "targets/$IQN: alias:" put "$TG/$IQN/alias" $'tab\there'
same "$TG/$IQN/alias" "Model test disk"
must put "$TG/$IQN/alias" "${long_alias%0}"
must put "$TG/$IQN/alias" ""
same "$TG/$IQN/alias" ""

note "maps"
refuse "No such file or directory" "targets/$IQN/maps/9: there is no portal_groups/9" \
	mkdir "$TG/$IQN/maps/9"
for tag in 0 01 x 65536; do
	refuse "Invalid argument" "targets/$IQN/maps/$tag: name a portal group" \
		mkdir "$TG/$IQN/maps/$tag"
done
must mkdir "$PG/3"
must mkdir "$TG/$IQN/maps/1" "$TG/$IQN/maps/2" "$TG/$IQN/maps/3" "$TG/$EUI/maps/1"
must ln -s "$IG/1" "$TG/$IQN/maps/1/alpha"
must ln -s "$IG/2" "$TG/$IQN/maps/1/anyone"
must ln -s "$IG/2" "$TG/$IQN/maps/2/anyone"
must ln -s "$IG/1" "$TG/$EUI/maps/1/alpha"
refuse "File exists" "targets/$IQN/maps/1: initiator group 1 is linked already" \
	ln -s "$IG/1" "$TG/$IQN/maps/1/again"
for wrong in "$PG/2" "$TG/$NAA" "$PG/1/portals/0.0.0.0:3260" "$TG/$NAA/maps"; do
	refuse "Invalid argument" "is not an initiator group" \
		ln -s "$wrong" "$TG/$IQN/maps/1/wrong"
done
# Only maps take links; configfs itself refuses the rest.
refuse "Operation not permitted" "" ln -s "$IG/1" "$TG/$IQN/ig1"
refuse "Operation not permitted" "" ln -s "$IG/1" "$IG/2/ig1"

note "removing what is in use"
refuse "Device or resource busy" "" rmdir "$IG/1"
refuse "Device or resource busy" "" rmdir "$IG/2"
refuse "Device or resource busy" "" rmdir "$PG/3"
refuse "Device or resource busy" "" rmdir "$PG/1"
refuse "Directory not empty" "" rmdir "$TG/$IQN/maps/1"
refuse "Directory not empty" "" rmdir "$TG/$IQN"
refuse "Operation not permitted" "" rmdir "$TG/$IQN/maps"
refuse "Operation not permitted" "" rmdir "$PG/2/portals"
refuse "in use" "" rmmod iscsi_spt
ispt_loaded || fail "module unloaded with configuration left"

note "taking it all down"
must rm "$TG/$IQN/maps/1/alpha" "$TG/$IQN/maps/1/anyone" \
	"$TG/$IQN/maps/2/anyone" "$TG/$EUI/maps/1/alpha"
must rmdir "$IG/1" "$IG/2"
must rmdir "$TG/$IQN/maps/3"
must rmdir "$PG/3"
must rmdir "$TG/$IQN/maps/1" "$TG/$IQN/maps/2" "$TG/$EUI/maps/1"
# No map names them now; their portals still keep them.
refuse "Directory not empty" "" rmdir "$PG/1"
refuse "Directory not empty" "" rmdir "$PG/2"
must rmdir "$TG/$IQN" "$TG/$EUI" "$TG/$NAA"
must rmdir "$PG/1/portals/0.0.0.0:3260"
listening 0.0.0.0:3260 && fail "0.0.0.0:3260 still listens after rmdir"
# The address is free again at once: ispt_portal_stop() waited.
must mkdir "$PG/2/portals/0.0.0.0:3260"
must rmdir "$PG/2/portals/0.0.0.0:3260" "$PG/2/portals/[::]:3260" \
	"$PG/2/portals/127.0.0.1:3261"
listening "[::]:3260" && fail "[::]:3260 still listens after rmdir"
must rmdir "$PG/1" "$PG/2"
[ -z "$(left_over)" ] || fail "left in configfs: $(left_over)"

note "discovery and login follow the maps"
ME=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi)
[ -n "$ME" ] || skip "no /etc/iscsi/initiatorname.iscsi"
must mkdir "$PG/1" "$PG/1/portals/0.0.0.0:3260" "$IG/1" "$IG/2"
must put "$IG/1/initiators" "$ME"
must put "$IG/1/netmasks" 127.0.0.0/8
must put "$IG/2/initiators" "$IQN_A"
must put "$IG/2/netmasks" ANY
must mkdir "$TG/$IQN" "$TG/$IQN/maps/1" "$TG/$EUI" "$TG/$EUI/maps/1"
must ln -s "$IG/1" "$TG/$IQN/maps/1/me"
must ln -s "$IG/2" "$TG/$EUI/maps/1/alpha"
iscsid_start || fail "iscsid"
out=$(iscsiadm -m discovery -t sendtargets -p 127.0.0.1:3260 2>&1) ||
	fail "discovery: $out"
# The wildcard portal is advertised at the address we asked.
grep -qxF "127.0.0.1:3260,1 $IQN" <<<"$out" || fail "discovery: $out"
grep -qF "$EUI" <<<"$out" && fail "discovery lists $EUI, mapped for someone else: $out"
must iscsiadm -m node -o new -T "$EUI" -p 127.0.0.1:3260
out=$(iscsiadm -m node -T "$EUI" -p 127.0.0.1:3260 --login 2>&1) &&
	fail "login to $EUI, mapped for someone else, succeeded"
grep -qi "authorization" <<<"$out" || fail "login to $EUI: $out"
# Out of the netmask, the target is gone from discovery too.
must put "$IG/1/netmasks" 192.0.2.0/24
out=$(iscsiadm -m discovery -t sendtargets -p 127.0.0.1:3260 2>&1)
grep -qF "$IQN" <<<"$out" && fail "discovery lists $IQN outside its netmask: $out"
iscsiadm -m node -o delete >/dev/null 2>&1
must rm "$TG/$IQN/maps/1/me" "$TG/$EUI/maps/1/alpha"
must rmdir "$TG/$IQN/maps/1" "$TG/$EUI/maps/1" "$TG/$IQN" "$TG/$EUI"
must rmdir "$IG/1" "$IG/2" "$PG/1/portals/0.0.0.0:3260" "$PG/1"
[ -z "$(left_over)" ] || fail "left in configfs: $(left_over)"
ispt_unload || fail "rmmod with an empty configuration"
ispt_loaded && fail "module still loaded"
echo "$checks configfs checks passed"
