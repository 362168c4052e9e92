#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the VM for `make run`: load iscsi_spt and set up a demo target
# that a host initiator reaches at 127.0.0.1:$ISPT_PORT.
. "$ISPT_REPO/selftests/vm/lib.sh"

DEMO_IQN=iqn.2026-11.org.iscsi-spt:demo

modprobe brd rd_nr=1 rd_size=262144 || { echo "cannot create the RAM disk"; exit 1; }
ispt_load || { echo "cannot load iscsi_spt"; exit 1; }
ispt_setup_target "$DEMO_IQN" || { echo "cannot configure the demo target"; exit 1; }
lun=$ISPT_CFS/targets/$DEMO_IQN/luns/0
mkdir "$lun" && echo /dev/ram0 >"$lun/device_path" && echo 1 >"$lun/enable" ||
	{ echo "cannot export the RAM disk as LUN 0"; exit 1; }

echo "iscsi_spt $(cat "$ISPT_CFS/version") is serving in the VM."
echo "  target  $DEMO_IQN"
echo "  LUN 0   /dev/ram0 (256 MiB RAM disk)"
echo "  portal  127.0.0.1:$ISPT_PORT on the host (0.0.0.0:$ISPT_PORT in the VM)"
echo "  workers $(grep -c 'online 1' "$ISPT_CFS/workers") CPUs"
echo
echo "From the host:"
echo "  iscsi-ls iscsi://127.0.0.1:$ISPT_PORT                  (SendTargets discovery)"
echo "  iscsi-inq iscsi://127.0.0.1:$ISPT_PORT/$DEMO_IQN/0     (log in, INQUIRY)"
echo "  iscsi-readcapacity16 iscsi://127.0.0.1:$ISPT_PORT/$DEMO_IQN/0"
echo "Discovery names the VM's own address (10.0.2.15), which the host cannot"
echo "reach through QEMU's NAT: log in with the 127.0.0.1 URL, as above."
echo
echo "It is a disk: reads and writes work (iscsiadm login in the VM gives /dev/sda)."
