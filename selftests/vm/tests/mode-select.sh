#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# MODE SELECT(6/10) on the live path. libiscsi's ModeSense6 family from
# the host (Control-SWP sets and clears SWP with MODE SELECT(6) and
# writes under it; Control-D_SENSE checks the sense format) and REPORT
# SUPPORTED OPERATION CODES. Then two raw sessions A and B: a change on A
# gives B 6/2A/01 once and A none, takes effect (D_SENSE=1: descriptor
# sense; SWP=1: writes get 7/27/02), a list that changes nothing posts
# nothing; SP=1, a non-changeable bit, a cut list and MODE SENSE of saved
# values get 5/24/00, 5/26/00, 5/1A/00 and 5/39/00 and change nothing; a
# LOGICAL UNIT RESET brings back the defaults. Last the Linux initiator:
# a MODE SELECT from a raw session shows up through sg3_utils as 2A/01
# (and sdparm, where the guest has it, reads and clears D_SENSE).
# timeout: 1500
. "$ISPT_REPO/selftests/vm/lib.sh"

[ -d /sys/module/brd ] && { rmmod brd || fail "brd still in use"; }
modprobe brd rd_nr=1 rd_size=65536 || fail "brd"
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"

rc=0
out=$(HOST_RUN_TIMEOUT=800 host_run iscsi-test-cu.sh "$ISPT_TEST_IQN" 0 \
	ALL.ModeSense6 ALL.ReportSupportedOpcodes) || rc=1
echo "$out" | sed 's/^/# libiscsi: /'
[ "$rc" -eq 0 ] || fail "iscsi-test-cu reported failures"
# libiscsi counts a skip (SWP not changeable) as a pass, and its summary
# does not tell them apart: the raw sessions below check SWP themselves.

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" <<'PY' || fail "raw sessions"
import struct, sys
import raw_iscsi as r

port, iqn = int(sys.argv[1]), sys.argv[2]
name = "iqn.2026-11.org.iscsi-spt:raw"
GOOD, CHECK_CONDITION = 0, 2
LU_RESET = 5

def conn(isid):
    c = r.Conn("127.0.0.1", port, timeout=30)
    c.login(name, iqn, isid=isid)
    return c

a = conn(b"\x80\0\0\x12\x36\x01")
b = conn(b"\x80\0\0\x12\x36\x02")
itt = 0x100

def sense_of(raw):
    """(format, key, asc, ascq) of fixed (0x70) or descriptor (0x72) sense."""
    if (raw[0] & 0x7f) in (0x72, 0x73):
        return raw[0] & 0x7f, raw[1] & 0x0f, raw[2], raw[3]
    return raw[0] & 0x7f, raw[2] & 0x0f, raw[12], raw[13]

def cmd(c, cdb, read_len=0, data=b""):
    global itt
    itt += 1
    c.scsi_send(itt, cdb, read_len=read_len, data=data)
    (got_itt, status, out), = c.scsi_collect(1)
    assert got_itt == itt, f"answer for ITT {got_itt:#x}, not {itt:#x}"
    return status, out

def good(c, cdb, what, read_len=0, data=b""):
    status, out = cmd(c, cdb, read_len, data)
    if status != GOOD:
        raise AssertionError(f"{what}: status {status:#x}, sense {sense_of(out[2:])}")
    return out

def check(c, cdb, key, asc_ascq, what, read_len=0, data=b"", fmt=None):
    status, out = cmd(c, cdb, read_len, data)
    assert status == CHECK_CONDITION, f"{what}: status {status:#x}, not CHECK CONDITION"
    f, *got = sense_of(out[2:])
    want = [key, asc_ascq >> 8, asc_ascq & 0xff]
    assert got == want, f"{what}: sense {got}, not {want}"
    if fmt is not None:
        assert f == fmt, f"{what}: sense format {f:#x}, not {fmt:#x}"

TUR = bytes(6)
READ10_OOB = struct.pack(">BBIBHB", 0x28, 0, 0xfffffff0, 0, 1, 0)
WRITE10 = struct.pack(">BBIBHB", 0x2a, 0, 0, 0, 1, 0)

def sense_control(c, pc=0):
    """MODE SENSE(6), DBD, control page: (header, page)."""
    out = good(c, bytes([0x1a, 0x08, (pc << 6) | 0x0a, 0, 255, 0]),
               "MODE SENSE control", 255)
    assert out[4] == 0x0a and out[5] == 10, f"control page {out[4:6].hex()}"
    return out[:4], bytearray(out[4:16])

def select6(c, page, sp=False, length=None):
    data = bytes(4) + bytes(page)
    n = len(data) if length is None else length
    return cmd(c, bytes([0x15, 0x11 if sp else 0x10, 0, 0, n, 0]), data=data[:n])

def select10(c, page):
    data = bytes(8) + bytes(page)
    return cmd(c, struct.pack(">BBBBBBBHB", 0x55, 0x10, 0, 0, 0, 0, 0, len(data), 0),
               data=data)

good(a, TUR, "A's first TUR")
good(b, TUR, "B's first TUR")
hdr, page = sense_control(a)
assert not page[2] & 0x04, "D_SENSE set to start with"
assert not page[4] & 0x08, "SWP set to start with"
_, chg = sense_control(a, pc=1)
assert chg[2] == 0x04 and chg[4] == 0x08, f"changeable control page {chg.hex()}"

# D_SENSE=1 from A: B is told once, A is not; sense becomes descriptor.
page[2] |= 0x04
status, out = select6(a, page)
assert status == GOOD, f"MODE SELECT D_SENSE=1: {status:#x} {sense_of(out[2:])}"
good(a, TUR, "A's TUR after its own MODE SELECT")
check(b, TUR, 6, 0x2a01, "B's TUR after A's MODE SELECT", fmt=0x72)
good(b, TUR, "B's second TUR")
check(a, READ10_OOB, 5, 0x2100, "READ past the end, D_SENSE=1", 512, fmt=0x72)
_, now = sense_control(b)
assert now[2] & 0x04, "B does not see D_SENSE=1"
print("# D_SENSE=1 on A: 6/2A/01 on B only, descriptor sense on both")

# The same list again changes nothing: no unit attention.
status, _ = select6(a, page)
assert status == GOOD, "repeated MODE SELECT"
good(b, TUR, "B's TUR after a MODE SELECT that changed nothing")

# Refusals, each changing nothing and posting nothing.
status, out = select6(a, page, sp=True)
assert status == CHECK_CONDITION and sense_of(out[2:])[1:] == (5, 0x24, 0), \
    f"SP=1: {status:#x} {sense_of(out[2:])}"
bad = bytearray(page)
bad[3] ^= 0x10            # QAM, not changeable
bad[2] &= ~0x04           # and a D_SENSE change that must not happen
status, out = select6(a, bad)
assert status == CHECK_CONDITION and sense_of(out[2:])[1:] == (5, 0x26, 0), \
    f"QAM changed: {status:#x} {sense_of(out[2:])}"
status, out = select6(a, bad, length=10)
assert status == CHECK_CONDITION and sense_of(out[2:])[1:] == (5, 0x1a, 0), \
    f"cut list: {status:#x} {sense_of(out[2:])}"
check(a, bytes([0x1a, 0x08, 0xca, 0, 255, 0]), 5, 0x3900,
      "MODE SENSE of saved values", 255)
_, now = sense_control(a)
assert now[2] & 0x04, "a refused MODE SELECT changed D_SENSE"
good(b, TUR, "B's TUR after refused MODE SELECTs")
print("# SP=1 5/24/00, QAM 5/26/00, cut list 5/1A/00, saved 5/39/00; nothing changed")

# MODE SELECT(10) from B: D_SENSE=0 and SWP=1; A is told, in fixed format.
page[2] &= ~0x04
page[4] |= 0x08
status, out = select10(b, page)
assert status == GOOD, f"MODE SELECT(10) from B: {status:#x} {sense_of(out[2:])}"
check(a, TUR, 6, 0x2a01, "A's TUR after B's MODE SELECT(10)", fmt=0x70)
hdr, now = sense_control(a)
assert now[4] & 0x08 and hdr[2] & 0x80, f"SWP/WP not reported: {hdr.hex()} {now.hex()}"
check(a, WRITE10, 7, 0x2702, "WRITE under SWP", data=bytes(512))
good(a, struct.pack(">BBIBHB", 0x28, 0, 0, 0, 1, 0), "READ under SWP", 512)
print("# SWP=1 from B: 6/2A/01 on A, writes 7/27/02, reads GOOD")

# A LOGICAL UNIT RESET brings back the defaults (SWP=0).
assert a.tmf(LU_RESET) == 0, "LU reset"
check(a, TUR, 6, 0x2903, "A's TUR after its own LU reset")
_, now = sense_control(a)
assert not now[4] & 0x08 and not now[2] & 0x04, f"after the LU reset: {now.hex()}"
good(a, WRITE10, "WRITE after the LU reset", data=bytes(512))
check(b, TUR, 6, 0x2903, "B's TUR after A's LU reset")
print("# LU reset: defaults back, writes GOOD")
PY

# The Linux initiator: its sg device is a third nexus.
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
dd if="$disk" of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null
sleep 1
sg_turs "$sgdev" >/dev/null 2>&1 || sg_turs "$sgdev" || fail "Linux TUR before"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" <<'PY' || fail "raw MODE SELECT"
import sys
import raw_iscsi as r
c = r.Conn("127.0.0.1", int(sys.argv[1]), timeout=30)
c.login("iqn.2026-11.org.iscsi-spt:raw", sys.argv[2], isid=b"\x80\0\0\x12\x36\x03")
page = bytes([0x0a, 10, 0x26, 0x10, 0, 0x40]) + bytes(6)   # TST=001b, D_SENSE=1, TAS=1
c.scsi_send(0x10, bytes([0x15, 0x10, 0, 0, 16, 0]), data=bytes(4) + page)
(_, status, _), = c.scsi_collect(1)
assert status == 0, f"MODE SELECT: status {status:#x}"
PY
sg_inq "$sgdev" >/dev/null || fail "sg_inq with a UA pending"
out=$(sg_turs -v "$sgdev" 2>&1)
rc=$?
note "$out"
# sg3_utils exit status 6: unit attention.
[ "$rc" -eq 6 ] || fail "Linux TUR after another nexus's MODE SELECT: exit $rc, not 6"
echo "$out" | grep -qi 'mode parameters changed' || fail "the unit attention is not 2A/01: $out"
sg_turs "$sgdev" || fail "second Linux TUR"
if command -v sdparm >/dev/null; then
	sdparm --page=co --get=D_SENSE "$sgdev" | grep -q 'D_SENSE *1' ||
		fail "sdparm does not see D_SENSE=1: $(sdparm --page=co "$sgdev" 2>&1)"
	sdparm --page=co --clear=D_SENSE "$sgdev" || fail "sdparm --clear=D_SENSE"
	sdparm --page=co --get=D_SENSE "$sgdev" | grep -q 'D_SENSE *0' ||
		fail "D_SENSE still set after sdparm --clear"
	note "sdparm set and read D_SENSE"
fi
echo "MODE SELECT: changes take effect, other nexuses get 2A/01, refusals change nothing"
