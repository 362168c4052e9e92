#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libiscsi's task management and CmdSN tests, from the host: ABORT TASK
# and LOGICAL UNIT RESET of writes still waiting for their data (the
# aborted tasks end without a response, the TMF is answered), commands
# with a CmdSN above or below the window are ignored. (iSCSIdatasn, a
# Data-Out with a wrong DataSN, still fails: issue 5.)
# timeout: 600
. "$ISPT_REPO/selftests/vm/lib.sh"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_backing_devices 64
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"

out=$(HOST_RUN_TIMEOUT=550 host_run iscsi-test-cu.sh "$ISPT_TEST_IQN" 0 \
	iSCSI.iSCSITMF iSCSI.iSCSIcmdsn ALL.TestUnitReady)
rc=$?
echo "$out" | sed 's/^/# /'
[ "$rc" -eq 0 ] || fail "iscsi-test-cu reported failures"
echo "libiscsi TMF, CmdSN and DataSN families pass"
