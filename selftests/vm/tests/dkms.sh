#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DKMS builds the module for the kernel this guest runs (on the host, into
# a private tree in the results share), and that module is the one users
# get: it loads, was built from these sources for this kernel, and serves
# a LUN that open-iscsi writes and reads back.
# timeout: 600
. "$ISPT_REPO/selftests/vm/lib.sh"

portal=127.0.0.1:$ISPT_PORT
kver=$(uname -r)
tree=$ISPT_RESULTS/dkms

out=$(HOST_RUN_TIMEOUT=500 host_run dkms-install.sh "$kver" dkms)
rc=$?
[ $rc -ne 4 ] || skip "the host has no headers for $kver"
[ $rc -eq 0 ] || fail "dkms install on the host ($rc): $(tail -n 20 <<<"$out")"

ko=$(ls "$tree/modules/$kver/updates/dkms/"iscsi_spt.ko* 2>/dev/null | head -n 1)
[ -n "$ko" ] || fail "dkms installed no iscsi_spt.ko* for $kver: $(find "$tree/modules")"
note "dkms installed $ko"
[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$kver" ] ||
	fail "dkms module is for $(modinfo -F vermagic "$ko"), the guest runs $kver"
# Same sources, same srcversion: DKMS built this tree, not some older copy.
[ "$(modinfo -F srcversion "$ko")" = "$(modinfo -F srcversion "$ISPT_KO")" ] ||
	fail "dkms module srcversion $(modinfo -F srcversion "$ko") differs from the tree's $(modinfo -F srcversion "$ISPT_KO")"

ISPT_KO=$ko
ispt_backing_devices 32
ispt_load || fail "insmod $ko"
[ "$(cat /sys/module/iscsi_spt/srcversion)" = "$(modinfo -F srcversion "$ko")" ] ||
	fail "the loaded module is not the dkms one"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"

iscsid_start || fail "iscsid"
iscsiadm -m discovery -t st -p "$portal" >/dev/null || fail "discovery"
iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" --login >/dev/null || fail "login"
sleep 1
disk=$(ispt_lun_disk 0)
[ -b "$disk" ] || fail "LUN 0 disk not found: $(lsblk)"
dd if=/dev/urandom of=/tmp/dkms.pattern bs=1M count=8 status=none
dd if=/tmp/dkms.pattern of="$disk" bs=1M oflag=direct status=none || fail "write"
want=$(md5sum </tmp/dkms.pattern | cut -d' ' -f1)
got=$(head -c 8M /dev/ram0 | md5sum | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "the RAM disk does not hold what was written through iSCSI"
got=$(dd if="$disk" bs=1M count=8 iflag=direct status=none | md5sum | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "read back through iSCSI differs"
iscsiadm -m node -T "$ISPT_TEST_IQN" -p "$portal" --logout >/dev/null || fail "logout"
ispt_cleanup_all
ispt_loaded && fail "rmmod of the dkms module"
echo "the dkms-built module for $kver serves I/O"
