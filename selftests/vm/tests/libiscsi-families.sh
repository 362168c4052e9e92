#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libiscsi's whole compliance suite, from the host: iscsi-test-cu -d,
# families ALL, SCSI, iSCSI and LINUX, against a brd-backed LUN reached
# through two portals (the second path serves MultipathIO). Prints each
# family's passed/failed/skipped counts and the tests that failed or
# skipped; any failure fails the test. One run of ALL holds every test of
# the four families (SCSI and iSCSI make ALL, LINUX is part of SCSI), so
# each test runs once and the families are counted from it;
# ISPT_ARG_SEPARATE=1 runs each family on its own instead (about 10
# minutes under TCG). See status.rst for what it last found.
# timeout: 3000
. "$ISPT_REPO/selftests/vm/lib.sh"

modprobe brd rd_nr=1 rd_size=65536 || fail "brd"
dev=/dev/ram0
# brd gained discard in 6.12, and with it two libiscsi tests that cannot
# pass whatever the target does (status.rst): there the LUN is a
# memory-backed null_blk without discard, as brd is on 6.1.
if [ "$(cat /sys/block/ram0/queue/discard_max_bytes)" != 0 ]; then
	modprobe null_blk nr_devices=0 || fail "null_blk"
	nb=/sys/kernel/config/nullb/nullb0
	mkdir "$nb" || fail "nullb0"
	echo 64 >"$nb/size" && echo 1 >"$nb/memory_backed" &&
		echo 0 >"$nb/discard" && echo 1 >"$nb/power" || fail "nullb0 setup"
	ispt_wait_block /dev/nullb0 10 || fail "no /dev/nullb0"
	dev=/dev/nullb0
fi
note "LUN 0: $dev"
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
mkdir "$ISPT_CFS/portal_groups/1/portals/0.0.0.0:$ISPT_PORT2" ||
	fail "second portal"
ispt_export_lun 0 "$dev" || fail "LUN 0"

url=iscsi://127.0.0.1:$ISPT_PORT/$ISPT_TEST_IQN/0
url2=iscsi://127.0.0.1:$ISPT_PORT2/$ISPT_TEST_IQN/0
mode=(--one-run)
[ "${ISPT_ARG_SEPARATE:-}" = 1 ] && mode=()
out=$(HOST_RUN_TIMEOUT=2900 host_run libiscsi-families.sh "${mode[@]}" "$url" "$url2" -- \
	ALL SCSI iSCSI LINUX)
rc=$?
echo "$out" | sed 's/^/# /'
ispt_clear_config
[ -d /sys/kernel/config/nullb/nullb0 ] && rmdir /sys/kernel/config/nullb/nullb0
[ "$rc" -eq 0 ] || fail "iscsi-test-cu reported failures"
echo "no libiscsi test failed"
