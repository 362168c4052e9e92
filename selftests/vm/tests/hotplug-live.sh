#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Connections survive their CPU going offline: they move to the CPU that
# stays, keep answering (a rescan sends REPORT LUNS over each session),
# and the workers' ownership counts follow.
. "$ISPT_REPO/selftests/vm/lib.sh"

cpu1=/sys/devices/system/cpu/cpu1/online
[ -w "$cpu1" ] || skip "needs a second, hot-pluggable CPU"
portal=127.0.0.1:$ISPT_PORT
N=4

owned() { sed -n "s/^cpu $1 online [01] owned \([0-9]*\)$/\1/p" "$ISPT_CFS/workers"; }

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_add_targets $N || fail "targets"
ispt_login_all || fail "login"
note "before: $(tr '\n' ';' <"$ISPT_CFS/workers")"
[ $(($(owned 0) + $(owned 1))) -eq "$N" ] || fail "expected $N owned connections"
[ "$(owned 1)" -gt 0 ] || fail "no connection on cpu 1 (placement not balanced)"

echo 0 >"$cpu1" || fail "cannot offline cpu1"
note "cpu1 offline: $(tr '\n' ';' <"$ISPT_CFS/workers")"
[ "$(owned 0)" -eq "$N" ] || fail "cpu 0 should own all $N connections now"
iscsiadm -m session --rescan >/dev/null 2>&1 || fail "rescan with cpu1 offline"
sleep 1
[ "$(iscsiadm -m session -P 1 | grep -c 'Connection State: LOGGED IN')" -eq "$N" ] ||
	fail "sessions lost when cpu1 went offline"

echo 1 >"$cpu1" || fail "cannot online cpu1"
iscsiadm -m node -p "$portal" --logout >/dev/null 2>&1 || fail "logout"
sleep 1
[ $(($(owned 0) + $(owned 1))) -eq 0 ] || fail "connections still owned after logout"
echo "$N connections moved off cpu1 and kept working"
