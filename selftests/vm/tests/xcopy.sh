#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# EXTENDED COPY (LID1) and RECEIVE COPY RESULTS (xcopy_exec.c): libiscsi's
# ExtendedCopy and ReceiveCopyResults families from the host on a brd LUN,
# then through the Linux initiator with sg3_utils: sg_xcopy copies 10 MiB
# (ten chunks) from LUN 0 to LUN 1 and the result is compared with the
# source, on the initiator's disk and on the backing device, with the
# blocks around it untouched; an overlapping copy on one LU (backward);
# a copy past the end of LUN 1 must fail with COPY ABORTED and write
# nothing; RECEIVE COPY RESULTS reports the parser's limits and the
# held status; LUN 1 disabled during a copy must not hurt.
# timeout: 1500
. "$ISPT_REPO/selftests/vm/lib.sh"

command -v sg_xcopy >/dev/null || skip "no sg_xcopy (sg3-utils)"
modprobe brd rd_nr=2 rd_size=65536 || fail "brd"
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"
ispt_export_lun 1 /dev/ram1 || fail "LUN 1"

out=$(HOST_RUN_TIMEOUT=900 host_run iscsi-test-cu.sh "$ISPT_TEST_IQN" 0 \
	ALL.ExtendedCopy ALL.ReceiveCopyResults) || {
	echo "$out" | sed 's/^/# /'
	fail "iscsi-test-cu reported failures"
}
echo "$out" | sed 's/^/# libiscsi: /'
# Every test of both families ran and passed (6 + 2), none skipped away
grep -q '^ALL.ExtendedCopy: 6 6 6 0$' <<<"$out" || fail "ExtendedCopy: $out"
grep -q '^ALL.ReceiveCopyResults: 2 2 2 0$' <<<"$out" ||
	fail "ReceiveCopyResults: $out"

# The Linux initiator
modprobe sg 2>/dev/null
ispt_login_all || fail "open-iscsi login"
for i in $(seq 50); do
	d0=$(ispt_lun_disk 0)
	d1=$(ispt_lun_disk 1)
	[ -b "$d0" ] && [ -b "$d1" ] && break
	sleep 0.2
done
[ -b "$d0" ] && [ -b "$d1" ] || fail "no disks for LUNs 0 and 1"
sg_of() {
	echo "/dev/$(ls /sys/block/"${1#/dev/}"/device/scsi_generic)"
}
sg0=$(sg_of "$d0")
sg1=$(sg_of "$d1")
for i in $(seq 25); do
	[ -c "$sg0" ] && [ -c "$sg1" ] && break
	sleep 0.2
done
[ -c "$sg0" ] && [ -c "$sg1" ] || fail "no sg devices ($sg0 $sg1)"
note "LUN 0: $d0 $sg0, LUN 1: $d1 $sg1"

sg_inq "$sg0" | grep -q '3PC=1' || fail "INQUIRY without 3PC: $(sg_inq "$sg0")"
ops=$(sg_copy_results -p "$sg0" 2>&1) || fail "operating parameters: $ops"
echo "$ops" | sed 's/^/# /'
grep -qi 'target.*descriptor.*: *4$' <<<"$ops" || fail "max target descriptors"
grep -qi 'segment.*descriptor.*: *16$' <<<"$ops" || fail "max segment descriptors"
grep -qi 'descriptor list length.*: *1024' <<<"$ops" || fail "max descriptor list length"

# Blocks [$2, $2 + $3) of device $1, read direct, into file $4 (no
# /dev/fd here for process substitution)
blocks() {
	dd if="$1" of="$4" bs=512 skip="$2" count="$3" iflag=direct status=none
}

# 10 MiB of random data at block 2048 of LUN 0; LUN 1 zeroed
n=20480
head -c $((n * 512)) /dev/urandom >/tmp/xsrc
head -c $((n * 512 + 2 * 65536)) /dev/zero >/tmp/xzero
dd if=/tmp/xsrc of="$d0" bs=512 seek=2048 oflag=direct status=none ||
	fail "write the source"
dd if=/tmp/xzero of="$d1" bs=512 seek=$((4096 - 128)) oflag=direct status=none ||
	fail "zero the destination"
blocks "$d1" 4096 $n /tmp/xdst || fail "read the destination"
cmp -s /tmp/xsrc /tmp/xdst && fail "the destination holds the data before the copy"

out=$(sg_xcopy if="$sg0" of="$sg1" bs=512 skip=2048 seek=4096 count=$n \
	list_id=5 id_usage=hold 2>&1) || fail "sg_xcopy: $out"
blocks "$d1" 4096 $n /tmp/xdst && cmp /tmp/xsrc /tmp/xdst ||
	fail "LUN 1 (initiator) differs from the source"
blocks /dev/ram1 4096 $n /tmp/xdst && cmp /tmp/xsrc /tmp/xdst ||
	fail "/dev/ram1 differs from the source"
head -c 65536 /tmp/xzero >/tmp/xz64
blocks "$d1" $((4096 - 128)) 128 /tmp/xdst && cmp /tmp/xz64 /tmp/xdst ||
	fail "blocks before the destination were written"
blocks "$d1" $((4096 + n)) 128 /tmp/xdst && cmp /tmp/xz64 /tmp/xdst ||
	fail "blocks after the destination were written"
st=$(sg_copy_results -s -l 5 "$sg0" 2>&1) || fail "copy status: $st"
echo "$st" | sed 's/^/# /'
grep -qi 'completed without errors' <<<"$st" || fail "copy status of list 5"
note "10 MiB copied from LUN 0 to LUN 1 and compared"

# Overlap on LUN 0, the destination 100 blocks on: copied backward
out=$(sg_xcopy if="$sg0" of="$sg0" bs=512 skip=2048 seek=2148 count=$n 2>&1) ||
	fail "overlapping sg_xcopy: $out"
blocks "$d0" 2148 $n /tmp/xdst && cmp /tmp/xsrc /tmp/xdst ||
	fail "overlapping copy differs from the source"
note "overlapping copy on LUN 0 compared"

# Past the end of LUN 1 (131072 blocks): COPY ABORTED, nothing written
out=$(sg_xcopy if="$sg0" of="$sg1" bs=512 skip=2048 seek=$((131072 - 8)) \
	count=16 -v 2>&1) && fail "a copy past the end succeeded: $out"
echo "$out" | sed 's/^/# past the end: /' | tail -5
grep -qi 'copy aborted' <<<"$out" || fail "no COPY ABORTED: $out"
head -c 4096 /tmp/xzero >/tmp/xz4
blocks /dev/ram1 $((131072 - 8)) 8 /tmp/xdst && cmp /tmp/xz4 /tmp/xdst ||
	fail "a refused copy wrote blocks"

# LUN 1 disabled while copies to it run: they end, one way or another
for i in 1 2 3; do
	sg_xcopy if="$sg0" of="$sg1" bs=512 skip=0 seek=0 count=65535 \
		>/dev/null 2>&1 &
done
sleep 0.3
echo 0 >"$ISPT_CFS/targets/$ISPT_TEST_IQN/luns/1/enable" || fail "disable LUN 1"
wait
sg_turs "$sg0" >/dev/null 2>&1 || sg_turs "$sg0" || fail "LUN 0 after LUN 1 went"

iscsiadm -m node -U all >/dev/null 2>&1
ispt_clear_config
echo "EXTENDED COPY and RECEIVE COPY RESULTS passed"
