#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit attentions (SAM-5 5.14) on the live path. Two raw sessions A and B
# (two I_T nexuses): a LOGICAL UNIT RESET or TARGET WARM RESET from A gives
# the next command of each nexus, A's too, CHECK CONDITION 6/29/03 and the
# one after it GOOD; INQUIRY does not consume it, REQUEST SENSE returns it as data,
# QUERY ASYNCHRONOUS EVENT sees it. Growing the dm-linear device under
# LUN 0 gives each nexus 6/2A/09 and READ CAPACITY the new size; adding
# LUN 1 gives 6/3F/0E, which REPORT LUNS clears. Then the Linux initiator
# through sg3_utils: a reset from a raw session shows up once, a resize
# as 2A/09 and, after a rescan, as the disk's new size.
# timeout: 300
. "$ISPT_REPO/selftests/vm/lib.sh"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
[ -d /sys/module/brd ] && { rmmod brd || fail "brd still in use"; }
modprobe brd rd_nr=2 rd_size=$((32 * 1024)) || fail "brd"
modprobe dm-mod 2>/dev/null
command -v dmsetup >/dev/null || skip "no dmsetup"
# 8 MiB of ram0 to start with; grown to 12 MiB, then 16 MiB.
echo "0 16384 linear /dev/ram0 0" | dmsetup create ispt-ua || fail "dm-linear device"
dm=/dev/dm-$(dmsetup info -c --noheadings -o minor ispt-ua) || fail "dm minor"
ispt_wait_block "$dm" 5 || fail "$dm did not appear"
ispt_export_lun 0 "$dm" || fail "LUN 0 on $dm"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" \
	"$ISPT_CFS/targets/$ISPT_TEST_IQN/luns/1" <<'PY' || fail "raw sessions"
import struct, subprocess, sys
import raw_iscsi as r

port, iqn, lun1 = int(sys.argv[1]), sys.argv[2], sys.argv[3]
name = "iqn.2026-11.org.iscsi-spt:raw"
GOOD, CHECK_CONDITION = 0, 2
LU_RESET, WARM_RESET, QUERY_ASYNC = 5, 6, 12
COMPLETE, SUCCEEDED = 0, 7

def conn(isid):
    c = r.Conn("127.0.0.1", port, timeout=30)
    c.login(name, iqn, isid=isid)
    return c

a = conn(b"\x80\0\0\x12\x35\x01")
b = conn(b"\x80\0\0\x12\x35\x02")
itt = 0x100

def sense_of(raw):
    """(key, asc, ascq) of fixed or descriptor sense data."""
    if (raw[0] & 0x7f) in (0x72, 0x73):
        return raw[1] & 0x0f, raw[2], raw[3]
    return raw[2] & 0x0f, raw[12], raw[13]

def cmd(c, cdb, read_len=0, lun=0):
    global itt
    itt += 1
    c.scsi_send(itt, cdb, read_len=read_len, lun=lun)
    (got_itt, status, data), = c.scsi_collect(1)
    assert got_itt == itt, f"answer for ITT {got_itt:#x}, not {itt:#x}"
    return status, data

def expect_good(c, cdb, what, read_len=0, lun=0):
    status, data = cmd(c, cdb, read_len, lun)
    if status != GOOD:
        key, asc, ascq = sense_of(data[2:])
        raise AssertionError(f"{what}: status {status:#x}, sense {key:x}/{asc:02x}/{ascq:02x}")
    return data

def expect_ua(c, cdb, asc_ascq, what, lun=0):
    status, data = cmd(c, cdb, 512, lun)
    assert status == CHECK_CONDITION, f"{what}: status {status:#x}, not CHECK CONDITION"
    got = sense_of(data[2:])
    want = (6, asc_ascq >> 8, asc_ascq & 0xff)
    assert got == want, f"{what}: sense {got}, not {want}"

TUR = bytes(6)
INQUIRY = struct.pack(">BBBHB", 0x12, 0, 0, 96, 0)
REQUEST_SENSE = struct.pack(">BBBBBB", 0x03, 0, 0, 0, 252, 0)
READ_CAP10 = bytes([0x25]) + bytes(9)
REPORT_LUNS = struct.pack(">BBBBBBIBB", 0xA0, 0, 0, 0, 0, 0, 256, 0, 0)

def capacity(c, what):
    last, bs = struct.unpack(">II", expect_good(c, READ_CAP10, what, 8))
    return (last + 1) * bs

# A new session: no power-on condition (see session.c), just GOOD.
expect_good(b, TUR, "B's first TUR")
expect_good(a, TUR, "A's first TUR")
assert a.tmf(QUERY_ASYNC) == COMPLETE, "QUERY ASYNC EVENT with nothing pending"

# LOGICAL UNIT RESET from A: each nexus is told once, A as well.
assert a.tmf(LU_RESET) == COMPLETE, "LU reset"
expect_ua(a, TUR, 0x2903, "A's TUR after its own LU reset")
expect_good(a, TUR, "A's second TUR after its own LU reset")
assert b.tmf(QUERY_ASYNC) == SUCCEEDED, "QUERY ASYNC EVENT does not see B's UA"
inq = expect_good(b, INQUIRY, "B's INQUIRY with a UA pending", 96)
assert inq[8:16].strip() == b"LINUX", f"INQUIRY vendor {inq[8:16]!r}"
expect_ua(b, TUR, 0x2903, "B's TUR after A's LU reset")
expect_good(b, TUR, "B's second TUR after A's LU reset")
assert b.tmf(QUERY_ASYNC) == COMPLETE, "QUERY ASYNC EVENT after the UA was reported"
print("# LU reset: A and B got 6/29/03 once, INQUIRY did not consume it")

# TARGET WARM RESET from A: REQUEST SENSE on B returns it as its data.
assert a.tmf(WARM_RESET) == COMPLETE, "target warm reset"
expect_ua(a, TUR, 0x2903, "A's TUR after its own target reset")
expect_good(a, TUR, "A's second TUR after its own target reset")
data = expect_good(b, REQUEST_SENSE, "B's REQUEST SENSE after A's target reset", 252)
assert sense_of(data) == (6, 0x29, 0x03), f"REQUEST SENSE data {sense_of(data)}"
expect_good(b, TUR, "B's TUR after REQUEST SENSE took the UA")
data = expect_good(b, REQUEST_SENSE, "B's second REQUEST SENSE", 252)
assert sense_of(data) == (0, 0, 0), f"second REQUEST SENSE data {sense_of(data)}"
print("# target reset: REQUEST SENSE on B returned 6/29/03, then NO SENSE")

# Grow the device: whoever looks first, every nexus hears 2A/09 once.
before = capacity(a, "READ CAPACITY before the resize")
assert before == 8 << 20, f"capacity {before}, not 8 MiB"
subprocess.run("dmsetup reload ispt-ua --table '0 24576 linear /dev/ram0 0' && "
               "dmsetup resume ispt-ua", shell=True, check=True)
expect_ua(a, READ_CAP10, 0x2a09, "A's READ CAPACITY after the resize")
after = capacity(a, "A's READ CAPACITY after the UA")
assert after == 12 << 20, f"capacity {after}, not 12 MiB"
expect_ua(b, TUR, 0x2a09, "B's TUR after the resize")
after = capacity(b, "B's READ CAPACITY after the UA")
assert after == 12 << 20, f"B sees capacity {after}, not 12 MiB"
# A READ past the old end now succeeds (LBA 20000 of 24576).
expect_good(a, struct.pack(">BBIBHB", 0x28, 0, 20000, 0, 1, 0), "READ past the old end", 512)
print("# resize: 6/2A/09 on both nexuses, READ CAPACITY 8 -> 12 MiB")

# A LUN added: REPORTED LUNS DATA HAS CHANGED, which REPORT LUNS clears.
subprocess.run(f"mkdir {lun1} && echo /dev/ram1 >{lun1}/device_path && "
               f"echo 1 >{lun1}/enable", shell=True, check=True)
expect_ua(a, TUR, 0x3f0e, "A's TUR after LUN 1 was added")
expect_good(a, TUR, "A's TUR after the 3F/0E")
luns = expect_good(b, REPORT_LUNS, "B's REPORT LUNS after LUN 1 was added", 256)
n = struct.unpack(">I", luns[:4])[0] // 8
assert n == 2, f"REPORT LUNS lists {n} LUNs"
expect_good(b, TUR, "B's TUR after REPORT LUNS cleared the 3F/0E")
expect_good(b, TUR, "B's TUR on LUN 1", lun=1)
print("# LUN added: 6/3F/0E on A, cleared on B by REPORT LUNS")
PY

# The Linux initiator: one session (a third nexus) with sg3_utils on it.
modprobe sg 2>/dev/null
ispt_login_all || fail "open-iscsi login"
disk=
for i in $(seq 50); do
	disk=$(ispt_lun_disk 0)
	[ -n "$disk" ] && [ -b "$disk" ] && break
	sleep 0.2
done
[ -b "$disk" ] || fail "no disk for LUN 0"
sgdev=/dev/$(ls /sys/block/"${disk#/dev/}"/device/scsi_generic) || fail "no sg device"
for i in $(seq 25); do
	[ -c "$sgdev" ] && break
	sleep 0.2
done
[ -c "$sgdev" ] || fail "$sgdev did not appear"
# Let the disk's probe finish its I/O: nothing of Linux's may take the UA.
dd if="$disk" of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null
sleep 1
sg_turs "$sgdev" >/dev/null 2>&1 || sg_turs "$sgdev" || fail "Linux TUR before the reset"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" <<'PY' || fail "raw LU reset"
import sys
import raw_iscsi as r
c = r.Conn("127.0.0.1", int(sys.argv[1]), timeout=30)
c.login("iqn.2026-11.org.iscsi-spt:raw", sys.argv[2], isid=b"\x80\0\0\x12\x35\x03")
assert c.tmf(5) == 0, "LU reset"
PY
sg_inq "$sgdev" >/dev/null || fail "sg_inq with a UA pending"
out=$(sg_turs -v "$sgdev" 2>&1)
rc=$?
note "$out"
# sg3_utils exit status 6: unit attention.
[ "$rc" -eq 6 ] || fail "Linux TUR after another nexus's LU reset: exit $rc, not 6"
echo "$out" | grep -qi 'bus device reset' || fail "the unit attention is not 29/03: $out"
sg_turs "$sgdev" || fail "second Linux TUR after the reset"

dmsetup reload ispt-ua --table '0 32768 linear /dev/ram0 0' && dmsetup resume ispt-ua ||
	fail "second resize"
out=$(sg_readcap -v "$sgdev" 2>&1)
rc=$?
note "$out"
[ "$rc" -eq 6 ] || fail "READ CAPACITY after the resize: exit $rc, not 6 (unit attention)"
echo "$out" | grep -qi 'capacity data has changed' || fail "the unit attention is not 2A/09: $out"
sg_readcap "$sgdev" | grep -q 'Device size: 16777216 bytes' ||
	fail "READ CAPACITY does not show 16 MiB: $(sg_readcap "$sgdev" 2>&1)"
echo 1 >"/sys/block/${disk#/dev/}/device/rescan" || fail "rescan"
size=$(blockdev --getsize64 "$disk")
[ "$size" -eq $((16 << 20)) ] || fail "Linux sees $size bytes after the rescan, not 16 MiB"
dd if="$disk" of=/dev/null bs=4096 skip=$((15 << 8)) count=256 iflag=direct 2>/dev/null ||
	fail "Linux read past the old end"
echo "unit attentions: resets, resize and LUN inventory on every nexus, once"
