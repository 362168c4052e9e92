#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the VM for `make run`: load iscsi_spt and set up a demo target
# backed by a RAM disk. Prints what a host initiator can reach.
. "$ISPT_REPO/selftests/vm/lib.sh"

modprobe brd rd_nr=1 rd_size=262144 || { echo "cannot create the RAM disk"; exit 1; }
ispt_load || { echo "cannot load iscsi_spt"; exit 1; }
echo "iscsi_spt $(cat "$ISPT_CFS/version") is loaded in the VM:"
sed 's/^/  /' "$ISPT_CFS/workers"
if [ ! -d "$ISPT_CFS/targets" ]; then
	echo "This build has no portals, targets or LUNs yet (connection engine and"
	echo "SCSI I/O path are still to land), so nothing listens on 3260 yet."
	exit 0
fi
