#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Writes through iSCSI land on the device intact: immediate data and
# R2T/Data-Out at block sizes 512 B to 1 MiB and queue depths 1 to 64
# under fio --verify=crc32c, on brd and on emulated NVMe, with and without
# digests; what a LUN wrote is what the RAM disk holds; and 200 MiB of
# files on ext4 on the NVMe LUN survive unmount, logout and login.
# timeout: 900
. "$ISPT_REPO/selftests/vm/lib.sh"

portal=127.0.0.1:$ISPT_PORT
MB=64

ispt_backing_devices $MB

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"
ispt_export_lun 1 /dev/nvme0n1 || fail "LUN 1"
iscsid_start || fail "iscsid"
iscsiadm -m discovery -t st -p "$portal" >/dev/null || fail "discovery"

# With digests None: unsolicited data and 4 R2T sequences at once; with
# CRC32C: every byte solicited, one R2T at a time.
login() {
	local r2t=4 initial=No
	[ "$1" = CRC32C ] && r2t=1 initial=Yes
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" -o update \
		-n node.session.iscsi.MaxOutstandingR2T -v "$r2t" || return 1
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" -o update \
		-n node.session.iscsi.InitialR2T -v "$initial" || return 1
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" -o update \
		-n "node.conn[0].iscsi.HeaderDigest" -v "$1" || return 1
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" -o update \
		-n "node.conn[0].iscsi.DataDigest" -v "$1" || return 1
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" --login >/dev/null || return 1
	sleep 1
	d0=$(ispt_lun_disk 0)
	d1=$(ispt_lun_disk 1)
	[ -b "$d0" ] && [ -b "$d1" ]
}

logout() {
	iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" --logout >/dev/null
}

for digest in None CRC32C; do
	login "$digest" || fail "login with digests $digest"

	# What goes in through LUN 0 is what the RAM disk holds.
	head -c $((8 << 20)) /dev/urandom >/tmp/pattern
	dd if=/tmp/pattern of="$d0" bs=1M oflag=direct status=none || fail "dd write"
	want=$(md5sum </tmp/pattern | cut -d' ' -f1)
	got=$(dd if=/dev/ram0 bs=1M count=8 iflag=direct status=none | md5sum | cut -d' ' -f1)
	[ "$got" = "$want" ] || fail "RAM disk does not hold what was written (digests $digest)"
	got=$(dd if="$d0" bs=1M count=8 iflag=direct status=none | md5sum | cut -d' ' -f1)
	[ "$got" = "$want" ] || fail "read back through iSCSI differs (digests $digest)"

	for dev in "$d0" "$d1"; do
		for spec in 512:1 4k:64 64k:16 1M:4; do
			bs=${spec%:*}
			qd=${spec#*:}
			out=$(fio --name=v --filename="$dev" --ioengine=libaio --direct=1 \
				--rw=randwrite --bs="$bs" --iodepth="$qd" --size=4M \
				--verify=crc32c --do_verify=1 --verify_fatal=1 \
				--output-format=terse 2>&1) ||
				fail "fio $dev bs=$bs qd=$qd digests $digest: $out"
			note "fio randwrite+verify $dev bs=$bs qd=$qd digests $digest: ok"
		done
	done
	logout || fail "logout"
done

# A file system on the NVMe LUN, across a logout and a login.
login None || fail "login for ext4"
mkfs.ext4 -q -F "$d1" || fail "mkfs.ext4"
mkdir -p /mnt/ispt
mount "$d1" /mnt/ispt || fail "mount"
for i in $(seq 1 10); do
	head -c $((20 << 20)) /dev/urandom >"/mnt/ispt/f$i" || fail "write f$i"
done
(cd /mnt/ispt && md5sum f*) >/tmp/sums
umount /mnt/ispt || fail "umount"
logout || fail "logout after ext4"
login None || fail "login again"
mount "$d1" /mnt/ispt || fail "mount again"
(cd /mnt/ispt && md5sum -c --quiet /tmp/sums) || fail "files changed across logout/login"
umount /mnt/ispt
logout
echo "writes verified on brd and NVMe"
