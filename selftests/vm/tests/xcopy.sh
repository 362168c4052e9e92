#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# EXTENDED COPY (LID1) and RECEIVE COPY RESULTS (xcopy_exec.c): libiscsi's
# ExtendedCopy and ReceiveCopyResults families from the host on a brd LUN,
# then through the Linux initiator with sg3_utils: sg_xcopy copies 10 MiB
# (ten chunks) from LUN 0 to LUN 1 and the result is compared with the
# source, on the initiator's disk and on the backing device, with the
# blocks around it untouched; an overlapping copy on one LU (backward);
# a copy past the end of LUN 1 must fail with COPY ABORTED and write
# nothing; RECEIVE COPY RESULTS reports the parser's limits and the
# held status; LUN 1 disabled during a copy must not hurt.
# timeout: 1500
. "$ISPT_REPO/selftests/vm/lib.sh"

command -v sg_xcopy >/dev/null || skip "no sg_xcopy (sg3-utils)"
modprobe brd rd_nr=2 rd_size=65536 || fail "brd"
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"
ispt_export_lun 1 /dev/ram1 || fail "LUN 1"

out=$(HOST_RUN_TIMEOUT=900 host_run iscsi-test-cu.sh "$ISPT_TEST_IQN" 0 \
	ALL.ExtendedCopy ALL.ReceiveCopyResults) || {
	echo "$out" | sed 's/^/# /'
	fail "iscsi-test-cu reported failures"
}
echo "$out" | sed 's/^/# libiscsi: /'
# Every test of both families ran and passed (6 + 2), none skipped away
grep -q '^ALL.ExtendedCopy: 6 6 6 0$' <<<"$out" || fail "ExtendedCopy: $out"
grep -q '^ALL.ReceiveCopyResults: 2 2 2 0$' <<<"$out" ||
	fail "ReceiveCopyResults: $out"

# The Linux initiator
modprobe sg 2>/dev/null
ispt_login_all || fail "open-iscsi login"
for i in $(seq 50); do
	d0=$(ispt_lun_disk 0)
	d1=$(ispt_lun_disk 1)
	[ -b "$d0" ] && [ -b "$d1" ] && break
	sleep 0.2
done
[ -b "$d0" ] && [ -b "$d1" ] || fail "no disks for LUNs 0 and 1"
sg_of() {
	echo "/dev/$(ls /sys/block/"${1#/dev/}"/device/scsi_generic)"
}
sg0=$(sg_of "$d0")
sg1=$(sg_of "$d1")
for i in $(seq 25); do
	[ -c "$sg0" ] && [ -c "$sg1" ] && break
	sleep 0.2
done
[ -c "$sg0" ] && [ -c "$sg1" ] || fail "no sg devices ($sg0 $sg1)"
note "LUN 0: $d0 $sg0, LUN 1: $d1 $sg1"

sg_inq "$sg0" | grep -q '3PC=1' || fail "INQUIRY without 3PC: $(sg_inq "$sg0")"
sg_vpd "$sg0" | grep -qi 'third party copy' || fail "VPD 0x00 without 0x8f"
tpc=$(sg_vpd -p tpc "$sg0" 2>&1) || fail "VPD 0x8f: $tpc"
echo "$tpc" | sed 's/^/# /'
grep -qi 'extended copy' <<<"$tpc" || fail "VPD 0x8f: no EXTENDED COPY"
grep -qi 'maximum segment descriptor count: *16' <<<"$tpc" ||
	fail "VPD 0x8f: segment descriptors"
grep -qi 'identification' <<<"$tpc" || fail "VPD 0x8f: descriptor types"
ops=$(sg_copy_results -p "$sg0" 2>&1) || fail "operating parameters: $ops"
echo "$ops" | sed 's/^/# /'
grep -qi 'target.*descriptor.*: *4$' <<<"$ops" || fail "max target descriptors"
grep -qi 'segment.*descriptor.*: *16$' <<<"$ops" || fail "max segment descriptors"
grep -qi 'descriptor list length.*: *1024' <<<"$ops" || fail "max descriptor list length"

# Blocks [$2, $2 + $3) of device $1, read direct, into file $4 (no
# /dev/fd here for process substitution)
blocks() {
	dd if="$1" of="$4" bs=512 skip="$2" count="$3" iflag=direct status=none
}

# 10 MiB of random data at block 2048 of LUN 0; LUN 1 zeroed
n=20480
head -c $((n * 512)) /dev/urandom >/tmp/xsrc
head -c $((n * 512 + 2 * 65536)) /dev/zero >/tmp/xzero
dd if=/tmp/xsrc of="$d0" bs=512 seek=2048 oflag=direct status=none ||
	fail "write the source"
dd if=/tmp/xzero of="$d1" bs=512 seek=$((4096 - 128)) oflag=direct status=none ||
	fail "zero the destination"
blocks "$d1" 4096 $n /tmp/xdst || fail "read the destination"
cmp -s /tmp/xsrc /tmp/xdst && fail "the destination holds the data before the copy"

out=$(sg_xcopy if="$sg0" of="$sg1" bs=512 skip=2048 seek=4096 count=$n \
	list_id=5 id_usage=hold 2>&1) || fail "sg_xcopy: $out"
blocks "$d1" 4096 $n /tmp/xdst && cmp /tmp/xsrc /tmp/xdst ||
	fail "LUN 1 (initiator) differs from the source"
blocks /dev/ram1 4096 $n /tmp/xdst && cmp /tmp/xsrc /tmp/xdst ||
	fail "/dev/ram1 differs from the source"
head -c 65536 /tmp/xzero >/tmp/xz64
blocks "$d1" $((4096 - 128)) 128 /tmp/xdst && cmp /tmp/xz64 /tmp/xdst ||
	fail "blocks before the destination were written"
blocks "$d1" $((4096 + n)) 128 /tmp/xdst && cmp /tmp/xz64 /tmp/xdst ||
	fail "blocks after the destination were written"
st=$(sg_copy_results -s -l 5 "$sg0" 2>&1) || fail "copy status: $st"
echo "$st" | sed 's/^/# /'
grep -qi 'completed without errors' <<<"$st" || fail "copy status of list 5"
note "10 MiB copied from LUN 0 to LUN 1 and compared"

# Overlap on LUN 0, the destination 100 blocks on: copied backward
out=$(sg_xcopy if="$sg0" of="$sg0" bs=512 skip=2048 seek=2148 count=$n 2>&1) ||
	fail "overlapping sg_xcopy: $out"
blocks "$d0" 2148 $n /tmp/xdst && cmp /tmp/xsrc /tmp/xdst ||
	fail "overlapping copy differs from the source"
note "overlapping copy on LUN 0 compared"

# Past the end of LUN 1 (131072 blocks): COPY ABORTED, nothing written
out=$(sg_xcopy if="$sg0" of="$sg1" bs=512 skip=2048 seek=$((131072 - 8)) \
	count=16 -v 2>&1) && fail "a copy past the end succeeded: $out"
echo "$out" | sed 's/^/# past the end: /' | tail -5
grep -qi 'copy aborted' <<<"$out" || fail "no COPY ABORTED: $out"
head -c 4096 /tmp/xzero >/tmp/xz4
blocks /dev/ram1 $((131072 - 8)) 8 /tmp/xdst && cmp /tmp/xz4 /tmp/xdst ||
	fail "a refused copy wrote blocks"

# LUN 1 disabled while copies to it run: they end, one way or another
for i in 1 2 3; do
	sg_xcopy if="$sg0" of="$sg1" bs=512 skip=0 seek=0 count=65535 \
		>/dev/null 2>&1 &
done
sleep 0.3
echo 0 >"$ISPT_CFS/targets/$ISPT_TEST_IQN/luns/1/enable" || fail "disable LUN 1"
wait
sg_turs "$sg0" >/dev/null 2>&1 || sg_turs "$sg0" || fail "LUN 0 after LUN 1 went"

iscsiadm -m node -U all >/dev/null 2>&1

# Raw nexuses: LUN 1 back, and LUN 2 on a null_blk whose queue takes two
# requests of 4 KiB, completed by a timer: a chunk's bios under
# REQ_NOWAIT meet a full queue (BLK_STS_AGAIN) at once, so a copy there
# only ends if the executor moves the part that fell short again, in
# smaller parts, and it must end with memmove's result (a backward copy
# sent again after a half-done write would not).
echo 1 >"$ISPT_CFS/targets/$ISPT_TEST_IQN/luns/1/enable" || fail "enable LUN 1"
modprobe null_blk nr_devices=0 || fail "null_blk"
nb=/sys/kernel/config/nullb/nullbxcopy
mkdir "$nb" || fail "nullbxcopy"
echo 16 >"$nb/size" && echo 1 >"$nb/memory_backed" && echo 512 >"$nb/blocksize" &&
	echo 0 >"$nb/shared_tags" && echo 1 >"$nb/no_sched" &&
	echo 2 >"$nb/hw_queue_depth" && echo 8 >"$nb/max_sectors" &&
	echo 2 >"$nb/irqmode" && echo 200000 >"$nb/completion_nsec" &&
	echo 1 >"$nb/power" || fail "nullbxcopy setup"
ispt_wait_block /dev/nullbxcopy 10 || fail "no /dev/nullbxcopy"
head -c $((4096 * 512)) /dev/urandom >/tmp/xnb
dd if=/tmp/xnb of=/dev/nullbxcopy bs=64k oflag=direct status=none || fail "fill nullbxcopy"
ispt_export_lun 2 /dev/nullbxcopy || fail "LUN 2"
echo 'file xcopy_exec.c +p' >/proc/dynamic_debug/control 2>/dev/null ||
	note "no dynamic debug: the shortage cannot be seen in the log"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" <<'PY' || fail "raw sessions"
import struct, sys, time
import raw_iscsi as r

port, iqn = int(sys.argv[1]), sys.argv[2]
GOOD, CHECK, CONFLICT = 0, 2, 0x18
itt = 0x200

def conn(isid):
    c = r.Conn("127.0.0.1", port, timeout=120)
    c.login("iqn.2026-11.org.iscsi-spt:xcopy-raw", iqn, isid=isid)
    return c

def sense_of(raw):
    if (raw[0] & 0x7f) in (0x72, 0x73):
        return raw[1] & 0x0f, raw[2], raw[3]
    return raw[2] & 0x0f, raw[12], raw[13]

def send(c, cdb, read_len=0, data=b"", lun=0):
    global itt
    itt += 1
    c.scsi_send(itt, cdb, read_len=read_len, data=data, lun=lun)
    return itt

def cmd(c, cdb, read_len=0, data=b"", lun=0):
    t = send(c, cdb, read_len, data, lun)
    (got_itt, status, got), = c.scsi_collect(1)
    assert got_itt == t, f"answer for ITT {got_itt:#x}, not {t:#x}"
    return status, got

def expect(c, cdb, want, what, read_len=0, data=b"", lun=0, sense=None):
    status, got = cmd(c, cdb, read_len, data, lun)
    s = sense_of(got[2:]) if status == CHECK else None
    assert status == want, f"{what}: status {status:#x} (sense {s}), not {want:#x}"
    if sense:
        assert s == sense, f"{what}: sense {s}, not {sense}"
    return got

def settle(c, lun):
    # Unit attentions (LUNs added, mode changed) go first
    for _ in range(4):
        if cmd(c, bytes(6), lun=lun)[0] == GOOD:
            return
    raise AssertionError(f"LUN {lun} never ready")

def naa(c, lun):
    page = expect(c, struct.pack(">BBBHB", 0x12, 1, 0x83, 255, 0), GOOD,
                  f"VPD 0x83 of LUN {lun}", 255, lun=lun)
    off = 4
    while off < 4 + struct.unpack(">H", page[2:4])[0]:
        d = page[off:off + 4 + page[off + 3]]
        if d[1] & 0x3f == 0x03 and d[3] == 8:
            return d[4:12]
        off += 4 + d[3]
    raise AssertionError(f"LUN {lun}: no NAA designator")

def xcopy(list_id, usage, targets, segs):
    tgt = b"".join(bytes([0xe4, 0, 0, 0, 0x01, 0x03, 0, 8]) + n + bytes(16)
                   for n in targets)
    seg = b"".join(struct.pack(">BBHHHHHQQ", 0x02, 0, 24, s, d, 0, nr, sl, dl)
                   for s, d, nr, sl, dl in segs)
    data = struct.pack(">BBHIII", list_id, usage << 3, len(tgt), 0,
                       len(seg), 0) + tgt + seg
    return struct.pack(">BB8xIxx", 0x83, 0, len(data)), data

def status_of(c, list_id):
    cdb = struct.pack(">BBB7xIxx", 0x84, 0, list_id, 64)
    return expect(c, cdb, GOOD, f"COPY STATUS of list {list_id}", 64)

a = conn(b"\x80\0\0\x12\x38\x01")
b = conn(b"\x80\0\0\x12\x38\x02")
for c in (a, b):
    for lun in (0, 1, 2):
        settle(c, lun)
n0, n1, n2 = naa(a, 0), naa(a, 1), naa(a, 2)

# OPERATION IN PROGRESS: list 9 (usage 00b) twice on one nexus, the
# second sent while the first (4 x 32 MiB) runs; another nexus may use 9.
big = [(0, 1, 65535, 0, 0)] * 4
c1, d1 = xcopy(9, 0, [n0, n1], big)
t1 = send(a, c1, data=d1)
t2 = send(a, c1, data=d1)
c3, d3 = xcopy(9, 0, [n0, n1], [(0, 1, 8, 0, 0)])
t3 = send(b, c3, data=d3)
got = {i: (st, d) for i, st, d in a.scsi_collect(2)}
assert got[t1][0] == GOOD, f"first copy of list 9: {got[t1][0]:#x}"
st, d = got[t2]
assert st == CHECK and sense_of(d[2:]) == (5, 0x00, 0x16), \
    f"second copy of list 9: {st:#x} {sense_of(d[2:]) if st == CHECK else ''}"
(i, st, d), = b.scsi_collect(1)
assert i == t3 and st == GOOD, f"list 9 on the other nexus: {st:#x}"
s = status_of(a, 9)
assert s[4] == 0x01 and struct.unpack(">H", s[5:7])[0] == 4, s[:12].hex()
c_, d_ = xcopy(9, 0, [n0, n1], [(0, 1, 8, 0, 0)])
expect(a, c_, GOOD, "list 9 again, once free", data=d_)
# Usage 11b needs no list identifier: two at once
c_, d_ = xcopy(0, 3, [n0, n1], big[:1])
send(a, c_, data=d_)
send(a, c_, data=d_)
assert all(st == GOOD for _, st, _ in a.scsi_collect(2)), "two 11b copies"
print("# OPERATION IN PROGRESS for a list id in use on the nexus only")

# Reservations: A holds Write Exclusive on LUN 1; B may read it only
def prout(sa, key, sakey, type_=0):
    return (struct.pack(">BBBxxIB", 0x5F, sa, type_, 24, 0),
            struct.pack(">QQ8x", key, sakey))

def copy_expect(c, targets, want, what):
    c_, d_ = xcopy(1, 0, targets, [(0, 1, 8, 0, 0)])
    expect(c, c_, want, what, data=d_)

c_, d_ = prout(0, 0, 0xA)
expect(a, c_, GOOD, "A REGISTER", data=d_, lun=1)
c_, d_ = prout(1, 0xA, 0, 1)
expect(a, c_, GOOD, "A RESERVE Write Exclusive", data=d_, lun=1)
copy_expect(b, [n0, n1], CONFLICT, "B copies onto A's LU")
copy_expect(b, [n1, n0], GOOD, "B copies from A's LU")
copy_expect(a, [n0, n1], GOOD, "A copies onto its own LU")
c_, d_ = prout(3, 0xA, 0)
expect(a, c_, GOOD, "A CLEAR", data=d_, lun=1)
print("# RESERVATION CONFLICT for a copy onto a LU reserved by another nexus")

# Software write protection of the destination: DATA PROTECT, 27/02
ms = expect(a, struct.pack(">BBBBBB", 0x1A, 0x08, 0x0A, 0, 255, 0), GOOD,
            "MODE SENSE control page", 255, lun=1)
page = bytearray(ms[4:4 + 2 + ms[5]])
page[0] &= 0x3f
for swp in (0x08, 0):
    page[4] = (page[4] & ~0x08) | swp
    data = bytes(4) + bytes(page)
    expect(a, struct.pack(">BBBBBB", 0x15, 0x10, 0, 0, len(data), 0), GOOD,
           "MODE SELECT SWP", data=data, lun=1)
    if swp:
        c_, d_ = xcopy(2, 0, [n0, n1], [(0, 1, 8, 0, 0)])
        expect(a, c_, CHECK, "copy onto a write-protected LU", data=d_,
               sense=(7, 0x27, 0x02))
        copy_expect(a, [n1, n0], GOOD, "copy from a write-protected LU")
print("# DATA PROTECT for a copy onto a LU under SWP")

# LUN 2: blocks 0-4095 onto 100-4195, backward, through a full queue
c_, d_ = xcopy(3, 0, [n2], [(0, 0, 4096, 0, 100)])
expect(a, c_, GOOD, "backward copy through a full queue", data=d_, lun=2)
s = status_of(a, 3)
assert s[4] == 0x01 and struct.unpack(">I", s[8:12])[0] == 4096 * 512, s[:12].hex()
print("# backward copy on the shallow null_blk ended GOOD")

# Connections dropped under copies: bios in flight, or a part waiting
# on its timer (reading the shallow LUN 2); the target must go on.
for isid, lun, targets, segs in (
        (b"\x80\0\0\x12\x38\x03", 0, [n0, n1], big),
        (b"\x80\0\0\x12\x38\x04", 2, [n2, n1], [(0, 1, 4096, 0, 0)])):
    c = conn(isid)
    c_, d_ = xcopy(7, 0, targets, segs)
    send(c, c_, data=d_, lun=lun)
    time.sleep(0.3)
    c.sock.close()
time.sleep(1)
settle(a, 0)
settle(a, 2)
print("# connections dropped under copies; the target goes on")
PY

dd if=/dev/nullbxcopy of=/tmp/xnb2 bs=512 skip=100 count=4096 iflag=direct status=none ||
	fail "read nullbxcopy"
cmp /tmp/xnb /tmp/xnb2 || fail "the copy through a full queue differs from memmove's"
head -c $((100 * 512)) /tmp/xnb >/tmp/xnb100
dd if=/dev/nullbxcopy of=/tmp/xnb3 bs=512 count=100 iflag=direct status=none &&
	cmp /tmp/xnb3 /tmp/xnb100 || fail "blocks before the overlap changed"
if [ -w /proc/dynamic_debug/control ]; then
	echo 'file xcopy_exec.c -p' >/proc/dynamic_debug/control
	dmesg | grep -q 'fell short' ||
		fail "no shortage on the shallow queue: the test tests nothing"
	note "$(dmesg | grep -c 'fell short') shortages logged (ratelimited)"
fi

ispt_clear_config
rmdir "$nb" 2>/dev/null
echo "EXTENDED COPY and RECEIVE COPY RESULTS passed"
