#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Reads through iSCSI return exactly what the backing device holds: a brd
# RAM disk and QEMU's emulated NVMe, filled with random data, exported as
# LUNs 0 and 1; open-iscsi reads them buffered and with O_DIRECT at
# several block sizes, with and without data digests.
# timeout: 600
. "$ISPT_REPO/selftests/vm/lib.sh"

portal=127.0.0.1:$ISPT_PORT
MB=64

ispt_backing_devices $MB

dd if=/dev/urandom of=/dev/ram0 bs=1M count=$MB status=none || fail "fill ram0"
dd if=/dev/urandom of=/dev/nvme0n1 bs=1M count=$MB oflag=direct status=none || fail "fill nvme"
want_ram=$(md5sum </dev/ram0 | cut -d' ' -f1)
want_nvme=$(head -c $((MB << 20)) /dev/nvme0n1 | md5sum | cut -d' ' -f1)

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
lun=$ISPT_CFS/targets/$ISPT_TEST_IQN/luns
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"
ispt_export_lun 1 /dev/nvme0n1 || fail "LUN 1"
# The device is ours now: nobody else may claim it.
echo 1 >"$lun/1/enable" || fail "enabling twice must be a no-op"

iscsid_start || fail "iscsid"
iscsiadm -m discovery -t st -p "$portal" >/dev/null || fail "discovery"

for dd_ in None CRC32C; do
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" -o update \
		-n "node.conn[0].iscsi.DataDigest" -v "$dd_" || fail "set digest"
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" --login >/dev/null || fail "login"
	sleep 1
	d0=$(ispt_lun_disk 0)
	d1=$(ispt_lun_disk 1)
	[ -b "$d0" ] && [ -b "$d1" ] || fail "LUN devices not found ($d0, $d1): $(lsblk)"
	[ "$(blockdev --getsize64 "$d0")" -eq $((MB << 20)) ] ||
		fail "LUN 0 size $(blockdev --getsize64 "$d0")"
	got=$(md5sum <"$d0" | cut -d' ' -f1)
	[ "$got" = "$want_ram" ] || fail "LUN 0 buffered read differs (digest $dd_)"
	for bs in 4k 64k 1M; do
		got=$(dd if="$d0" bs=$bs iflag=direct status=none | md5sum | cut -d' ' -f1)
		[ "$got" = "$want_ram" ] || fail "LUN 0 O_DIRECT bs=$bs differs (digest $dd_)"
	done
	got=$(dd if="$d1" bs=256k count=$((MB * 4)) iflag=direct status=none | md5sum | cut -d' ' -f1)
	[ "$got" = "$want_nvme" ] || fail "LUN 1 (NVMe) read differs (digest $dd_)"
	note "DataDigest=$dd_: LUN 0 $d0 and LUN 1 $d1 read back intact"
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" --logout >/dev/null || fail "logout"
done

echo 0 >"$lun/0/enable" || fail "disable lun 0"
rmdir "$lun/1" || fail "rmdir of an enabled LUN"
echo "reads from brd and NVMe match the devices"
