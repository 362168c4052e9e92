#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Faults under I/O, through the Linux initiator (issue 9):
# - a device whose blocks fail (dm-flakey over half of a RAM disk): READ
#   and WRITE there end in CHECK CONDITION, MEDIUM ERROR / UNRECOVERED
#   READ ERROR and WRITE ERROR, with the LBA as INFORMATION, at once and
#   not by a hang; the healthy half and the session keep working;
# - the connection cut in the middle of fio's verifying reads: open-iscsi
#   logs in again and every block still verifies;
# - the emulated NVMe disk pulled out under fio (QEMU device_del): the
#   I/O fails rather than hangs, the LUN then answers LOGICAL UNIT NOT
#   SUPPORTED and leaves REPORT LUNS, the dead LUN can be removed, the disk
#   plugged back in is served again with its data, and the module
#   unloads.
# timeout: 900
. "$ISPT_REPO/selftests/vm/lib.sh"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_backing_devices 64
modprobe dm-mod 2>/dev/null
modprobe dm-flakey || fail "dm-flakey"
modprobe tcp_diag 2>/dev/null

# Sectors [0, half) map straight to the RAM disk; [half, end) are flakey
# with an up interval of 0 s: every I/O there fails, always.
size=$(blockdev --getsz /dev/ram0)
half=$((size / 2))
dmsetup create ispt-flaky --table "0 $half linear /dev/ram0 0
$half $((size - half)) flakey /dev/ram0 $half 0 3600" || fail "dmsetup"
# No udev here to make /dev/mapper/ispt-flaky: devtmpfs has /dev/dm-N.
flaky=/dev/dm-$(dmsetup info -c --noheadings -o minor ispt-flaky) || fail "dm minor"
ispt_export_lun 0 "$flaky" || fail "LUN 0"
ispt_export_lun 1 /dev/nvme0n1 || fail "LUN 1"
ispt_login_all || fail "login"
sleep 1
disk=$(ispt_lun_disk 0)
nvdisk=$(ispt_lun_disk 1)
[ -b "$disk" ] && [ -b "$nvdisk" ] || fail "no disks for LUNs 0 and 1"

# READ(16)/WRITE(16) of 8 blocks of 512 B at $2, through SG_IO: no
# retries by the SCSI midlayer, so the answer is the target's own.
be64() { printf '%016x' "$1" | sed 's/../& /g'; }
sg_rw() {
	local op=$1 lba=$2 dev=$3
	if [ "$op" = read ]; then
		timeout 60 sg_raw -v -r 4096 "$dev" 88 00 $(be64 "$lba") 00 00 00 08 00 00
	else
		timeout 60 sg_raw -v -s 4096 -i /dev/zero "$dev" 8a 00 $(be64 "$lba") 00 00 00 08 00 00
	fi
}
bad_lba=$((half + 64))
rc=0
out=$(sg_rw read "$bad_lba" "$disk" 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "READ of failing blocks succeeded"
[ "$rc" -ne 124 ] || fail "READ of failing blocks hung"
grep -qi "medium error" <<<"$out" && grep -qi "unrecovered read error" <<<"$out" ||
	fail "READ of failing blocks: $out"
grep -qi "info fld=0x$(printf '%x' "$bad_lba")\b" <<<"$out" ||
	fail "READ error without the LBA as INFORMATION: $out"
rc=0
out=$(sg_rw write "$bad_lba" "$disk" 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "WRITE to failing blocks succeeded"
[ "$rc" -ne 124 ] || fail "WRITE to failing blocks hung"
grep -qi "medium error" <<<"$out" && grep -qi "write error" <<<"$out" ||
	fail "WRITE to failing blocks: $out"
note "failing blocks: MEDIUM ERROR for READ and WRITE"
sg_rw read 64 "$disk" >/dev/null 2>&1 || fail "READ of healthy blocks after the errors"
sg_rw write 64 "$disk" >/dev/null 2>&1 || fail "WRITE of healthy blocks after the errors"
dd if=/dev/urandom of=/tmp/healthy bs=64k count=16 2>/dev/null
dd if=/tmp/healthy of="$disk" bs=64k oflag=direct 2>/dev/null || fail "dd to healthy blocks"
cmp -n $((1024 * 1024)) /tmp/healthy "$disk" || fail "healthy blocks read back wrong"
note "healthy half and the session unaffected"

# Verifying reads of what a first pass wrote, with the connection cut.
fiov=(--filename="$nvdisk" --ioengine=libaio --direct=1 --rw=write --bs=16k
	--iodepth=16 --size=320M --verify=crc32c --verify_fatal=1)
fio --name=fill "${fiov[@]}" --do_verify=0 --output=/tmp/fio-fill.log ||
	fail "fio fill: $(tail -n 20 /tmp/fio-fill.log)"
fio --name=fill "${fiov[@]}" --verify_only=1 --output=/tmp/fio-readcut.log &
fio_pid=$!
sleep 3
kill -0 "$fio_pid" 2>/dev/null || fail "fio's reads ended before the cut: make them longer"
ss -K dst 127.0.0.1 dport = ":$ISPT_PORT" >/dev/null 2>&1 ||
	skip "ss -K cannot destroy sockets here"
note "connection cut under verifying reads"
wait "$fio_pid" || fail "fio after the cut: $(tail -n 20 /tmp/fio-readcut.log)"
grep -q "err= 0" /tmp/fio-readcut.log || fail "fio reported errors: $(cat /tmp/fio-readcut.log)"
grep -qi "verify.*bad\|crc32c: verify failed" /tmp/fio-readcut.log &&
	fail "data changed: $(cat /tmp/fio-readcut.log)"
note "every block verified after recovery"

# The NVMe disk pulled out under writes and reads (past what was
# verified, which is checked again once the disk is back).
fio --name=pull --filename="$nvdisk" --ioengine=libaio --direct=1 --rw=randrw \
	--bs=4k --iodepth=8 --offset=512M --size=256M --time_based --runtime=120 \
	--output=/tmp/fio-pull.log >/dev/null 2>&1 &
fio_pid=$!
sleep 3
kill -0 "$fio_pid" 2>/dev/null || fail "fio ended before the pull"
host_run qemu-monitor.sh nvme-remove || fail "device_del"
for i in $(seq 60); do
	[ -e /sys/block/nvme0n1 ] || break
	sleep 1
done
[ ! -e /sys/block/nvme0n1 ] || fail "the guest did not let go of the NVMe disk"
note "NVMe disk removed under fio"
# fio must end with errors, and soon: nothing may wait forever on the
# dead device (the initiator's own command timeout is 30 s).
for i in $(seq 150); do
	kill -0 "$fio_pid" 2>/dev/null || break
	sleep 1
done
if kill -0 "$fio_pid" 2>/dev/null; then
	kill -9 "$fio_pid"
	fail "I/O to the pulled disk still pending after 150 s"
fi
wait "$fio_pid" && fail "fio on a pulled disk reported no error"
sg_rw read 0 "$nvdisk" >/dev/null 2>&1 && fail "READ of the pulled disk succeeded"
# The initiator is told the LU is gone: after REPORTED LUNS DATA HAS
# CHANGED, its commands get LOGICAL UNIT NOT SUPPORTED (5/25/00) and
# REPORT LUNS leaves LUN 1 out.
gone=
for i in 1 2 3; do
	out=$(timeout 30 sg_turs -v "$nvdisk" 2>&1) || true
	grep -qi "logical unit not supported" <<<"$out" && { gone=1; break; }
done
[ -n "$gone" ] || fail "TUR of the pulled disk's LUN: $out"
luns=$(timeout 30 sg_luns "$disk" 2>&1) || luns=$(timeout 30 sg_luns "$disk" 2>&1)
grep -q "0000000000000000" <<<"$luns" || fail "REPORT LUNS: $luns"
grep -q "0001000000000000" <<<"$luns" && fail "REPORT LUNS still lists LUN 1: $luns"
note "pulled disk's LUN: LOGICAL UNIT NOT SUPPORTED, out of REPORT LUNS"
rmdir "$ISPT_CFS/targets/$ISPT_TEST_IQN/luns/1" || fail "removing the dead LUN"
note "dead LUN removed"

host_run qemu-monitor.sh nvme-add || fail "device_add"
nvme=
for i in $(seq 60); do
	nvme=$(ls -d /sys/block/nvme*n1 2>/dev/null | head -n 1)
	[ -z "$nvme" ] || break
	sleep 1
done
[ -n "$nvme" ] || fail "the NVMe disk did not come back"
ispt_wait_block "/dev/${nvme##*/}" 10 || fail "no /dev/${nvme##*/}"
ispt_export_lun 1 "/dev/${nvme##*/}" || fail "LUN 1 again"
iscsiadm -m session --rescan >/dev/null 2>&1
sleep 2
nvdisk=$(ispt_lun_disk 1)
[ -b "$nvdisk" ] || fail "no disk for the new LUN 1"
# The first pass's data survived in the image: verify a part of it.
fio --name=fill "${fiov[@]}" --size=32M --verify_only=1 --output=/tmp/fio-back.log ||
	fail "data on the disk plugged back: $(tail -n 20 /tmp/fio-back.log)"
note "disk plugged back served with its data"

iscsiadm -m node -U all >/dev/null 2>&1 || fail "logout"
ispt_clear_config
dmsetup remove ispt-flaky || fail "dm device still held"
ispt_unload || fail "module unload after the faults"
echo "device errors become sense, a cut read recovers, a pulled disk fails its I/O and comes back"
