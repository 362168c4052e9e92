#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libiscsi's iscsi-test-cu, from the host, for the SBC executors of
# sbc.c: on a brd LUN (no discard, so not thin provisioned: WRITE SAME as
# pattern writes) VERIFY, WRITE AND VERIFY, COMPARE AND WRITE, PRE-FETCH,
# GET LBA STATUS, START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL, READ
# DEFECT DATA and WRITE SAME; on a memory-backed null_blk LUN with
# discard (thin provisioned) UNMAP, WRITE SAME with UNMAP and GET LBA
# STATUS after unmapping, and the VPD/READ CAPACITY bits that advertise
# them. Every test of every family must pass.
# timeout: 2400
. "$ISPT_REPO/selftests/vm/lib.sh"

modprobe brd rd_nr=1 rd_size=65536 || fail "brd"
# null_blk through its configfs: 64 MiB of 4 KiB blocks, memory backed,
# with discard. (4 KiB: WriteSame16.Unmap writes 65536 blocks in one
# WRITE(16), past our MAXIMUM TRANSFER LENGTH at 512 B, whatever VPD
# page 0xb0 says; at 4 KiB the LU is too small for it and it skips.)
modprobe null_blk nr_devices=0 || fail "null_blk"
nb=/sys/kernel/config/nullb/nullb0
mkdir "$nb" || fail "nullb0"
echo 64 >"$nb/size" && echo 1 >"$nb/memory_backed" && echo 1 >"$nb/discard" &&
	echo 4096 >"$nb/blocksize" && echo 1 >"$nb/power" || fail "nullb0 setup"
ispt_wait_block /dev/nullb0 10 || fail "no /dev/nullb0"
[ "$(cat /sys/block/nullb0/queue/discard_max_bytes)" != 0 ] ||
	fail "null_blk without discard"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"
ispt_export_lun 1 /dev/nullb0 || fail "LUN 1"

rc=0
out=$(HOST_RUN_TIMEOUT=1500 host_run iscsi-test-cu.sh "$ISPT_TEST_IQN" 0 \
	ALL.Verify10 ALL.Verify12 ALL.Verify16 \
	ALL.WriteVerify10 ALL.WriteVerify12 ALL.WriteVerify16 \
	ALL.CompareAndWrite ALL.Prefetch10 ALL.Prefetch16 ALL.GetLBAStatus \
	ALL.StartStopUnit ALL.PreventAllow \
	ALL.ReadDefectData10 ALL.ReadDefectData12 \
	ALL.WriteSame10 ALL.WriteSame16 ALL.ReportSupportedOpcodes) || rc=1
echo "$out" | sed 's/^/# brd: /'
out=$(HOST_RUN_TIMEOUT=800 host_run iscsi-test-cu.sh "$ISPT_TEST_IQN" 1 \
	ALL.Unmap ALL.WriteSame10 ALL.WriteSame16 ALL.GetLBAStatus \
	ALL.ReadCapacity16 ALL.ReportSupportedOpcodes) || rc=1
echo "$out" | sed 's/^/# null_blk: /'

ispt_clear_config
rmdir "$nb" 2>/dev/null
[ "$rc" -eq 0 ] || fail "iscsi-test-cu reported failures"
echo "all libiscsi families passed"
