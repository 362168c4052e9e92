#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libiscsi's whole compliance suite, from the host: iscsi-test-cu -d,
# families ALL, SCSI, iSCSI and LINUX, against a brd-backed LUN reached
# through two portals (the second path serves MultipathIO). Prints each
# family's passed/failed/skipped counts and the tests that failed or
# skipped; any failure fails the test.
# timeout: 3000
# long: about 10 minutes under TCG; see status.rst for what it last found
. "$ISPT_REPO/selftests/vm/lib.sh"

modprobe brd rd_nr=1 rd_size=65536 || fail "brd"
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
mkdir "$ISPT_CFS/portal_groups/1/portals/0.0.0.0:$ISPT_PORT2" ||
	fail "second portal"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"

url=iscsi://127.0.0.1:$ISPT_PORT/$ISPT_TEST_IQN/0
url2=iscsi://127.0.0.1:$ISPT_PORT2/$ISPT_TEST_IQN/0
out=$(HOST_RUN_TIMEOUT=2900 host_run libiscsi-families.sh "$url" "$url2" -- \
	ALL SCSI iSCSI LINUX)
rc=$?
echo "$out" | sed 's/^/# /'
[ "$rc" -eq 0 ] || fail "iscsi-test-cu reported failures"
echo "no libiscsi test failed"
