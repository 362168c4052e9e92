#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libiscsi's iscsi-test-cu, from the host, for the SBC executors of
# sbc.c: on a LUN without discard (not thin provisioned: WRITE SAME as
# pattern writes) VERIFY, WRITE AND VERIFY, COMPARE AND WRITE, PRE-FETCH,
# GET LBA STATUS, START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL, READ
# DEFECT DATA, WRITE SAME and ORWRITE; on a LUN with discard (thin provisioned)
# UNMAP, WRITE SAME with UNMAP and GET LBA STATUS after unmapping, and
# the VPD/READ CAPACITY bits that advertise them. Every test of every
# family must pass.
#
# Both LUNs are memory-backed null_blk devices, set up through its
# configfs, so that the two cases are the same on every kernel: brd
# gained discard in 6.12, and with it two libiscsi tests that cannot
# pass on it whatever the target does (Documentation/status.rst):
# GetLBAStatus.UnmapSingle expects a descriptor to start past the LBA it
# asked for when a physical block holds several logical ones (brd: 4 KiB
# pages, 512 B blocks), and WriteSame16.Unmap writes 65536 blocks in one
# WRITE(16), past our MAXIMUM TRANSFER LENGTH at 512 B whatever VPD page
# 0xb0 says. LUN 0: 64 MiB of 512 B blocks, no discard. LUN 1: 64 MiB of
# 4 KiB blocks with discard (too small for that WRITE(16), which skips).
# timeout: 2400
. "$ISPT_REPO/selftests/vm/lib.sh"

modprobe null_blk nr_devices=0 || fail "null_blk"
# nullb_make NAME BLOCKSIZE DISCARD
nullb_make() {
	local nb=/sys/kernel/config/nullb/$1
	mkdir "$nb" || fail "$1"
	echo 64 >"$nb/size" && echo 1 >"$nb/memory_backed" &&
		echo "$3" >"$nb/discard" && echo "$2" >"$nb/blocksize" &&
		echo 1 >"$nb/power" || fail "$1 setup"
	ispt_wait_block "/dev/$1" 10 || fail "no /dev/$1"
}
nullb_make nullb0 512 0
nullb_make nullb1 4096 1
[ "$(cat /sys/block/nullb0/queue/discard_max_bytes)" = 0 ] ||
	fail "nullb0 has discard"
[ "$(cat /sys/block/nullb1/queue/discard_max_bytes)" != 0 ] ||
	fail "nullb1 without discard"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/nullb0 || fail "LUN 0"
ispt_export_lun 1 /dev/nullb1 || fail "LUN 1"

rc=0
out=$(HOST_RUN_TIMEOUT=1500 host_run iscsi-test-cu.sh "$ISPT_TEST_IQN" 0 \
	ALL.Verify10 ALL.Verify12 ALL.Verify16 \
	ALL.WriteVerify10 ALL.WriteVerify12 ALL.WriteVerify16 \
	ALL.CompareAndWrite ALL.Prefetch10 ALL.Prefetch16 ALL.GetLBAStatus \
	ALL.StartStopUnit ALL.PreventAllow \
	ALL.ReadDefectData10 ALL.ReadDefectData12 \
	ALL.WriteSame10 ALL.WriteSame16 ALL.OrWrite \
	ALL.ReportSupportedOpcodes) || rc=1
echo "$out" | sed 's/^/# nullb0: /'
out=$(HOST_RUN_TIMEOUT=800 host_run iscsi-test-cu.sh "$ISPT_TEST_IQN" 1 \
	ALL.Unmap ALL.WriteSame10 ALL.WriteSame16 ALL.GetLBAStatus \
	ALL.ReadCapacity16 ALL.ReportSupportedOpcodes) || rc=1
echo "$out" | sed 's/^/# nullb1: /'

ispt_clear_config
rmdir /sys/kernel/config/nullb/nullb0 /sys/kernel/config/nullb/nullb1 2>/dev/null
[ "$rc" -eq 0 ] || fail "iscsi-test-cu reported failures"
echo "all libiscsi families passed"
