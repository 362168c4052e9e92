#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ErrorRecoveryLevel 1 (RFC 7143 7.1.4, 11.16) from a raw initiator
# (selftests/vm/erl1.py) against a LUN on brd: Data, Status, R2T and
# R-Data SNACKs answered with replicas of what was sent (reads are not
# phase-collapsed at ERL 1), Protocol Error for what is acknowledged or
# was never sent, a recovery R2T for Data-Out lost to a data digest
# error (eight of them, then the task ends 47/05), reads kept for replay
# bounded per connection, 400 seeded random SNACKs; each scenario is
# followed by a verified WRITE/READ at ERL 0. Afterwards, with the
# connections gone (one without a logout), nothing is left behind.
# timeout: 300
. "$ISPT_REPO/selftests/vm/lib.sh"

modprobe brd rd_nr=1 rd_size=65536 || fail "brd"
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"
# Keepalive pings must not come between a scenario's PDUs.
echo 0 >"$ISPT_CFS/nopin_interval" || fail "nopin_interval"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 -u "$ISPT_REPO/selftests/vm/erl1.py" \
	--port "$ISPT_PORT" --target "$ISPT_TEST_IQN" \
	--blocks $((64 * 1024 * 2)) --block-size 512 || fail "ERL 1 scenarios"
left=$(ispt_wait_no_objects 20) || fail "objects left after the ERL 1 sessions: $left"
ispt_clear_config
ispt_unload || fail "unload"
echo "every ERL 1 scenario got its expected answer; nothing left behind"
