#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SANITIZE OVERWRITE and EXIT FAILURE MODE (sanitize.c). First libiscsi's
# SCSI.Sanitize family from the host with --allow-sanitize, against a
# null_blk throttled to 8 MiB/s so that an overwrite of its 96 MiB takes
# about 12 s (Sanitize.Reset needs one still running after ABORT TASK, LU
# and target resets and a new login): all pass but BlockErase and
# CryptoErase, which we do not offer and which skip (as do the erase
# halves of Readonly and Reservations, after their OVERWRITE half). Then raw sessions:
# IMMED=1 answered at once; meanwhile TUR, READ, WRITE and a second
# SANITIZE get 2/04/1B on every nexus with a progress indication that
# grows, INQUIRY, REPORT LUNS and REQUEST SENSE (the progress as its data)
# run; every block holds the pattern afterwards. A dm device with an
# error target in its second half fails the overwrite with 3/31/03 and
# leaves media access refused until EXIT FAILURE MODE (AUSE=1) or, after
# AUSE=0, only a sanitize that succeeds (INVERT over two passes). A
# connection closed under an IMMED=0 SANITIZE goes at once while the
# sanitize goes on, and removing the LUN stops it.
# timeout: 900
. "$ISPT_REPO/selftests/vm/lib.sh"

modprobe null_blk nr_devices=0 || fail "null_blk"
modprobe dm-mod 2>/dev/null
command -v dmsetup >/dev/null || skip "no dmsetup"
# nullb_make NAME MIB MBPS
nullb_make() {
	local nb=/sys/kernel/config/nullb/$1
	mkdir "$nb" || fail "$1"
	echo "$2" >"$nb/size" && echo 1 >"$nb/memory_backed" &&
		echo 512 >"$nb/blocksize" && echo "$3" >"$nb/mbps" &&
		echo 1 >"$nb/power" || fail "$1 setup"
	ispt_wait_block "/dev/$1" 10 || fail "no /dev/$1"
}
nullb_make nullb0 96 8
nullb_make nullb1 16 0
# 8 MiB that write, then 8 MiB that fail every I/O.
printf '0 16384 linear /dev/nullb1 0\n16384 16384 error\n' |
	dmsetup create ispt-sanitize || fail "dm device"
dm=/dev/dm-$(dmsetup info -c --noheadings -o minor ispt-sanitize) ||
	fail "dm minor"
ispt_wait_block "$dm" 5 || fail "$dm did not appear"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/nullb0 || fail "LUN 0"
ispt_export_lun 1 "$dm" || fail "LUN 1"

url=iscsi://127.0.0.1:$ISPT_PORT/$ISPT_TEST_IQN/0
out=$(HOST_RUN_TIMEOUT=800 host_run libiscsi-families.sh -S "$url" -- \
	SCSI.Sanitize)
rc=$?
echo "$out" | sed 's/^/# /'
[ "$rc" -eq 0 ] || fail "libiscsi Sanitize failures"
# Readonly and Reservations try OVERWRITE, then log a skip for the two
# erases: they count as skipped, but their first skip must not be OVERWRITE.
grep -q '^SCSI.Sanitize: 11 tests, 7 passed, 0 failed, 4 skipped' <<<"$out" ||
	fail "not the 7 passes and 4 skips expected"
for t in BlockErase CryptoErase Readonly Reservations; do
	grep -q "skip: SCSI.Sanitize.Sanitize.$t:" <<<"$out" ||
		fail "Sanitize.$t did not skip"
done
! grep -E 'skip: .*(OVERWRITE|allow-sanitize)' <<<"$out" ||
	fail "an OVERWRITE test skipped"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" \
	"$ISPT_CFS" "$dm" <<'PY' || fail "raw sessions"
import struct, subprocess, sys, time
import raw_iscsi as r

port, iqn, cfs, dm = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
name = "iqn.2026-11.org.iscsi-spt:raw"
GOOD, CHECK_CONDITION = 0, 2
NOT_READY, MEDIUM_ERROR, ILLEGAL_REQUEST = 2, 3, 5
IN_PROGRESS, FAILED, INVALID_FIELD = 0x041b, 0x3103, 0x2400
BS, NR0, NR1 = 512, 96 * 2048, 16 * 2048
itt = 0x100

def conn(isid):
    c = r.Conn("127.0.0.1", port, timeout=60)
    c.login(name, iqn, isid=isid)
    return c

def cmd(c, cdb, lun, read_len=0, data=b""):
    """(status, key, asc << 8 | ascq, progress or None, data)"""
    global itt
    itt += 1
    c.scsi_send(itt, cdb, read_len=read_len, data=data, lun=lun)
    (got, status, out), = c.scsi_collect(1)
    assert got == itt, f"answer for ITT {got:#x}, not {itt:#x}"
    if status != CHECK_CONDITION:
        return status, None, None, None, out
    s = out[2:]
    assert s[0] & 0x7f == 0x70, f"sense format {s[0]:#x}"
    prog = struct.unpack(">H", s[16:18])[0] if s[15] & 0x80 else None
    return status, s[2] & 0x0f, s[12] << 8 | s[13], prog, out

def good(c, cdb, lun, what, read_len=0, data=b""):
    st, key, asc, _, out = cmd(c, cdb, lun, read_len, data)
    assert st == GOOD, f"{what}: status {st:#x}, sense {key}/{asc:#06x}"
    return out

def check(c, cdb, lun, key, asc, what, read_len=0, data=b""):
    st, k, a, prog, _ = cmd(c, cdb, lun, read_len, data)
    assert st == CHECK_CONDITION and (k, a) == (key, asc), \
        f"{what}: status {st:#x} sense {k}/{a}, not {key}/{asc:#06x}"
    return prog

def sanitize(c, lun, pattern, immed=False, ause=False, passes=1,
             invert=False, fail_mode=False):
    if fail_mode:
        cdb = bytes([0x48, 0x1f | (0x20 if ause else 0)]) + bytes(8)
        return cmd(c, cdb, lun)
    plist = bytes([passes | (0x80 if invert else 0), 0]) + \
        struct.pack(">H", len(pattern)) + pattern
    cdb = struct.pack(">BB5xHB", 0x48, 0x01 | (0x80 if immed else 0) |
                      (0x20 if ause else 0), len(plist), 0)
    return cmd(c, cdb, lun, data=plist)

def read10(lba, n=1):
    return struct.pack(">BBIBHB", 0x28, 0, lba, 0, n, 0)

TUR = bytes(6)
WRITE10 = struct.pack(">BBIBHB", 0x2a, 0, 0, 0, 1, 0)
INQUIRY = bytes([0x12, 0, 0, 0, 96, 0])
REPORT_LUNS = struct.pack(">B5xIBB", 0xa0, 64, 0, 0)
REQUEST_SENSE = bytes([0x03, 0, 0, 0, 18, 0])

a = conn(b"\x80\0\0\x12\x37\x01")
b = conn(b"\x80\0\0\x12\x37\x02")
good(a, TUR, 0, "TUR before")
good(b, TUR, 0, "B's TUR before")

# IMMED=1: answered before the 12 s of writing.
pattern = bytes([0x5a, 0xa5]) * (BS // 2)
t0 = time.monotonic()
st, *_ = sanitize(a, 0, pattern, immed=True)
assert st == GOOD, f"SANITIZE IMMED: status {st:#x}"
assert time.monotonic() - t0 < 3, "SANITIZE IMMED=1 waited for the overwrite"
p1 = check(a, TUR, 0, NOT_READY, IN_PROGRESS, "TUR during")
assert p1 is not None, "no progress indication"
check(b, TUR, 0, NOT_READY, IN_PROGRESS, "other nexus's TUR during")
check(a, read10(0), 0, NOT_READY, IN_PROGRESS, "READ during", read_len=BS)
check(b, WRITE10, 0, NOT_READY, IN_PROGRESS, "WRITE during", data=bytes(BS))
st, k, asc, _, _ = sanitize(b, 0, pattern)
assert (st, k, asc) == (CHECK_CONDITION, NOT_READY, IN_PROGRESS), \
    f"second SANITIZE during: {st:#x} {k}/{asc}"
good(a, INQUIRY, 0, "INQUIRY during", read_len=96)
good(b, REPORT_LUNS, 0, "REPORT LUNS during", read_len=64)
good(a, TUR, 1, "TUR of the other LU during")
sense = good(a, REQUEST_SENSE, 0, "REQUEST SENSE during", read_len=18)
assert (sense[2] & 0x0f, sense[12], sense[13]) == (2, 0x04, 0x1b), \
    f"REQUEST SENSE data {sense.hex()}"
time.sleep(3)
p2 = check(a, TUR, 0, NOT_READY, IN_PROGRESS, "TUR 3 s later")
assert p2 > p1, f"progress {p1} then {p2}"
print(f"# progress {p1 / 655.36:.1f}% then {p2 / 655.36:.1f}%")
for _ in range(120):
    st, *_ = cmd(a, TUR, 0)
    if st == GOOD:
        break
    time.sleep(0.5)
else:
    raise AssertionError("sanitize still running after 60 s")
print(f"# overwrite of 96 MiB: {time.monotonic() - t0:.1f} s")
for lba in (0, NR0 // 2, NR0 - 8):
    got = good(a, read10(lba, 8), 0, f"READ {lba} after", read_len=8 * BS)
    assert got == pattern * 8, f"LBA {lba} does not hold the pattern"

# A write error part-way: failure mode, left by EXIT FAILURE MODE (AUSE=1).
st, k, asc, _, _ = sanitize(a, 1, b"\x11", ause=True)
assert (st, k, asc) == (CHECK_CONDITION, MEDIUM_ERROR, FAILED), \
    f"SANITIZE onto errors: {st:#x} {k}/{asc}"
check(a, read10(0), 1, MEDIUM_ERROR, FAILED, "READ in failure mode", read_len=BS)
check(b, WRITE10, 1, MEDIUM_ERROR, FAILED, "WRITE in failure mode",
      data=bytes(BS))
good(b, INQUIRY, 1, "INQUIRY in failure mode", read_len=96)
good(a, read10(0), 0, "the other LU in failure mode", read_len=BS)
st, *_ = sanitize(a, 1, b"", ause=False, fail_mode=True)
assert st == GOOD, f"EXIT FAILURE MODE: {st:#x}"
got = good(a, read10(0), 1, "READ after EXIT FAILURE MODE", read_len=BS)
assert got == b"\x11" * BS, "the blocks before the error were not overwritten"

# AUSE=0: EXIT FAILURE MODE and AUSE=1 refused; a sanitize that works.
st, k, asc, _, _ = sanitize(a, 1, b"\x22")
assert (k, asc) == (MEDIUM_ERROR, FAILED), f"AUSE=0 onto errors: {k}/{asc}"
st, k, asc, _, _ = sanitize(a, 1, b"", fail_mode=True)
assert (k, asc) == (ILLEGAL_REQUEST, INVALID_FIELD), \
    f"EXIT FAILURE MODE after AUSE=0: {st:#x} {k}/{asc}"
st, k, asc, _, _ = sanitize(a, 1, b"\x22", ause=True)
assert (k, asc) == (ILLEGAL_REQUEST, INVALID_FIELD), \
    f"AUSE=1 after AUSE=0: {st:#x} {k}/{asc}"
check(a, read10(0), 1, MEDIUM_ERROR, FAILED, "READ still refused", read_len=BS)
subprocess.run(["dmsetup", "suspend", "ispt-sanitize"], check=True)
subprocess.run(["dmsetup", "reload", "ispt-sanitize"], check=True,
               input=f"0 {NR1} linear /dev/nullb1 0\n".encode())
subprocess.run(["dmsetup", "resume", "ispt-sanitize"], check=True)
st, k, asc, _, _ = sanitize(a, 1, b"\x0f\x3c", passes=2, invert=True)
assert st == GOOD, f"SANITIZE on a mended device: {st:#x} {k}/{asc}"
for lba in (0, NR1 - 1):
    got = good(a, read10(lba), 1, f"READ {lba} after two passes", read_len=BS)
    assert got == b"\xf0\xc3" * (BS // 2), f"LBA {lba}: {got[:4].hex()}"

# A connection closed under an IMMED=0 SANITIZE does not wait for it.
def conns():
    with open(f"{cfs}/stats") as f:
        for line in f:
            if line.startswith("objects "):
                return int(line.split("conns=")[1].split()[0])

c = conn(b"\x80\0\0\x12\x37\x03")
n = conns()
itt += 1
plist = b"\x01\0" + struct.pack(">H", BS) + bytes(BS)
c.scsi_send(itt, struct.pack(">BB5xHB", 0x48, 0x01, len(plist), 0),
            data=plist, lun=0)
time.sleep(1)
check(a, TUR, 0, NOT_READY, IN_PROGRESS, "TUR while C waits")
c.sock.close()
for _ in range(50):
    if conns() == n - 1:
        break
    time.sleep(0.1)
else:
    raise AssertionError("the closed connection waited for its SANITIZE")
check(a, TUR, 0, NOT_READY, IN_PROGRESS, "TUR after C went")

# Removing the LUN stops the sanitize: rmdir returns in seconds.
t0 = time.monotonic()
lun0 = f"{cfs}/targets/{iqn}/luns/0"
with open(f"{lun0}/enable", "w") as f:
    f.write("0")
subprocess.run(["rmdir", lun0], check=True)
took = time.monotonic() - t0
assert took < 10, f"LUN removal took {took:.1f} s"
print(f"# LUN 0 removed under its sanitize in {took:.1f} s")
st, k, asc, _, _ = cmd(a, TUR, 1)
assert st == GOOD or (k, asc) == (6, 0x3f0e), f"LUN 1 after: {st:#x} {k}/{asc}"
good(a, TUR, 1, "LUN 1 after LUN 0 went")
a.logout()
b.logout()
PY
dmesg | grep -q 'LUN 0 (/dev/nullb0): sanitize failed (-19)' ||
	fail "no log line for the sanitize the removal stopped"
ispt_wait_no_objects 10 || fail "objects left"
ispt_clear_config
ispt_unload || fail "rmmod"
dmsetup remove ispt-sanitize
echo "sanitize: libiscsi family, progress, failure mode, teardown"
