#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 16 live sessions: removing the configuration and unloading the module
# ends them all without a warning, and nothing is left behind.
. "$ISPT_REPO/selftests/vm/lib.sh"

N=16
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_add_targets $N || fail "targets"
ispt_login_all || fail "login"
n=$(iscsiadm -m session 2>/dev/null | grep -c "$ISPT_TEST_IQN")
[ "$n" -eq "$N" ] || fail "$n sessions, expected $N"

# Pull everything from under the sessions; iscsid keeps trying to
# reconnect meanwhile, which the closing portal must take too.
ispt_clear_config
ispt_unload || fail "rmmod with live sessions"
ispt_loaded && fail "module still loaded"
[ "$(ps -e -o comm= | grep -c '^ispt/')" -eq 0 ] || fail "worker threads left"
echo "unloaded with $N live sessions"
# The initiator can still let go of the sessions it lost (the next
# tests' discovery trips over any left).
iscsi_logout_all || fail "open-iscsi could not log out of the lost sessions"
