#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SCSI task attributes (SAM-5 8.6) over a device whose writes take a
# second (dm-delay): SIMPLE commands overtake each other, an ORDERED
# command waits for everything before it and holds back what follows,
# and HEAD OF QUEUE goes first.
# timeout: 300
. "$ISPT_REPO/selftests/vm/lib.sh"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_backing_devices 16
modprobe dm-delay || skip "no dm-delay"
sectors=$(blockdev --getsz /dev/ram0)
echo "0 $sectors delay /dev/ram0 0 0 /dev/ram0 0 1000" | dmsetup create ispt-slow ||
	fail "dm-delay device"
# No udev here to make /dev/mapper/ispt-slow: devtmpfs has /dev/dm-N.
slow=/dev/dm-$(dmsetup info -c --noheadings -o minor ispt-slow) || fail "dm minor"
ispt_wait_block "$slow" 5 || fail "$slow did not appear"
ispt_export_lun 0 "$slow" || fail "LUN 0 on $slow"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" <<'PY' || fail "task attributes"
import struct, sys
import raw_iscsi as r

port, iqn = int(sys.argv[1]), sys.argv[2]
c = r.Conn("127.0.0.1", port, timeout=30)
c.login("iqn.2026-11.org.iscsi-spt:raw", iqn)

def write10(itt, fill, attr=r.ATTR_SIMPLE):
    c.scsi_send(itt, struct.pack(">BBIBHB", 0x2A, 0, 0, 0, 8, 0), data=fill * 4096,
                attr=attr)

def read10(itt, attr=r.ATTR_SIMPLE):
    c.scsi_send(itt, struct.pack(">BBIBHB", 0x28, 0, 0, 0, 8, 0), read_len=4096,
                attr=attr)

write10(1, b"A")
assert c.scsi_collect(1) == [(1, 0, b"")]

# SIMPLE: the read does not wait for the slow write, and sees old data.
write10(2, b"B")
read10(3)
got = c.scsi_collect(2)
assert [x[0] for x in got] == [3, 2], f"order {[x[0] for x in got]}"
assert got[0][2] == b"A" * 4096, "SIMPLE read saw unexpected data"
print("# SIMPLE: a read overtakes a slow write")

# ORDERED: the read waits for the write before it, and sees its data.
write10(4, b"C")
read10(5, r.ATTR_ORDERED)
got = c.scsi_collect(2)
assert [x[0] for x in got] == [4, 5], f"order {[x[0] for x in got]}"
assert got[1][1] == 0 and got[1][2] == b"C" * 4096, "ORDERED read did not see the write"
print("# ORDERED: a read waits for the write before it")

# What follows an ORDERED command waits for it; HEAD OF QUEUE does not.
write10(6, b"D", r.ATTR_ORDERED)
read10(7)
read10(8, r.ATTR_HEAD_OF_QUEUE)
got = c.scsi_collect(3)
order = [x[0] for x in got]
assert order == [8, 6, 7], f"order {order}"
data = {x[0]: x[2] for x in got}
assert data[8] == b"C" * 4096 and data[7] == b"D" * 4096, "wrong data around ORDERED"
print("# HEAD OF QUEUE first; SIMPLE after ORDERED waits for it")
PY
echo "SIMPLE, ORDERED and HEAD OF QUEUE behave as SAM says"
