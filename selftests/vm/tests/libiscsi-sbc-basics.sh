#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libiscsi's iscsi-test-cu, from the host, against a brd-backed LUN: the
# READ and WRITE families, READ CAPACITY, INQUIRY, TEST UNIT READY,
# REPORT SUPPORTED OPERATION CODES and the iSCSI residual tests. Every
# test of every family must pass.
# timeout: 900
. "$ISPT_REPO/selftests/vm/lib.sh"

modprobe brd rd_nr=1 rd_size=65536 || fail "brd"
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"

out=$(HOST_RUN_TIMEOUT=850 host_run iscsi-test-cu.sh "$ISPT_TEST_IQN" 0 \
	ALL.TestUnitReady ALL.Inquiry ALL.ReadCapacity10 ALL.ReadCapacity16 \
	ALL.Read6 ALL.Read10 ALL.Read12 ALL.Read16 \
	ALL.Write10 ALL.Write12 ALL.Write16 \
	ALL.ReportSupportedOpcodes iSCSI.iSCSIResiduals)
rc=$?
echo "$out" | sed 's/^/# /'
[ "$rc" -eq 0 ] || fail "iscsi-test-cu reported failures"
echo "all libiscsi families passed"
