#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A hostile initiator (selftests/vm/adversarial.py) runs its scenarios
# against a LUN on brd: malformed and truncated PDUs, illegal logins,
# malformed key=value text, commands outside the CmdSN window or before
# login, Data-Out beyond its R2T, impossible transfer lengths, unknown
# task tags, half-open logins, login storms and seeded random PDUs. Each
# scenario asserts the answer RFC 7143 fixes, and is followed by a clean
# login with a verified WRITE/READ and a look at the kernel log.
# ISPT_ARG_SEED=N replays a run, ISPT_ARG_ONLY=a,b runs some scenarios
# (set on the host: the VM harness passes ISPT_ARG_* through).
# timeout: 900
. "$ISPT_REPO/selftests/vm/lib.sh"

modprobe brd rd_nr=1 rd_size=65536 || fail "brd"
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"
# Keepalive pings must not come between a scenario's PDUs.
echo 0 >"$ISPT_CFS/nopin_interval" || fail "nopin_interval"
# Hundreds of connections at once, and their log lines.
ulimit -n 4096

args=(--port "$ISPT_PORT" --target "$ISPT_TEST_IQN")
[ -n "${ISPT_ARG_SEED:-}" ] && args+=(--seed "$ISPT_ARG_SEED")
[ -n "${ISPT_ARG_ONLY:-}" ] && args+=(--only "$ISPT_ARG_ONLY")
PYTHONPATH=$ISPT_REPO/selftests/vm python3 -u \
	"$ISPT_REPO/selftests/vm/adversarial.py" "${args[@]}" || fail "adversarial scenarios"
echo "every scenario got its expected answer"
