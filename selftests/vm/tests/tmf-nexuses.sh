#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Task management across I_T nexuses (SAM-5 7.7, 7.10; RFC 7143 11.5.1),
# from two raw sessions A and B of different ISIDs, LUN 0 on a null_blk
# whose requests each take 2 s. A LOGICAL UNIT RESET on A of the LU where
# B has a read running is answered only once that read has ended, which
# B gets TASK ABORTED for (TAS=1), and both nexuses then get 6/29/03;
# a reset of another LU leaves B's read alone, and so do ABORT TASK SET
# and I_T NEXUS RESET (a task set per nexus, TST=001b). TARGET WARM RESET
# reaches B's task the same way; TARGET COLD RESET also closes B's
# connection. B's session keeps working after each of the others.
# timeout: 300
. "$ISPT_REPO/selftests/vm/lib.sh"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
[ -d /sys/module/brd ] && { rmmod brd || fail "brd still in use"; }
modprobe brd rd_nr=1 rd_size=$((16 * 1024)) || fail "brd"
modprobe null_blk nr_devices=0 || fail "null_blk"
nb=/sys/kernel/config/nullb/nullbtmf
mkdir "$nb" || fail "nullbtmf"
echo 16 >"$nb/size" && echo 1 >"$nb/memory_backed" &&
	echo 2 >"$nb/irqmode" && echo 2000000000 >"$nb/completion_nsec" &&
	echo 1 >"$nb/power" || fail "nullbtmf setup"
ispt_wait_block /dev/nullbtmf 10 || fail "no /dev/nullbtmf"
ispt_export_lun 0 /dev/nullbtmf || fail "LUN 0"
ispt_export_lun 1 /dev/ram0 || fail "LUN 1"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" <<'PY' ||
import socket, struct, sys, time
import raw_iscsi as r

port, iqn = int(sys.argv[1]), sys.argv[2]
GOOD, CHECK = 0, 2
ABORT_TASK_SET, LU_RESET, WARM, COLD, QUERY_TASK, NEXUS_RESET = 2, 5, 6, 7, 9, 11
SLOW = 2.0
itt = 0x100

def session(isid):
    c = r.Conn("127.0.0.1", port, timeout=20)
    c.login("iqn.2026-11.org.iscsi-spt:raw-" + isid.hex(), iqn, isid=isid)
    return c

def slow_read(c):
    """A read of LUN 0 on c, known to be running (QUERY TASK)."""
    global itt
    itt += 1
    c.scsi_send(itt, struct.pack(">BBIBHB", 0x28, 0, 0, 0, 8, 0),
                read_len=4096, lun=0)
    assert c.tmf(QUERY_TASK, lun=0, rtt=itt) == 7, f"read {itt:#x} not there"
    return itt

def tmf(c, function, lun=0):
    start = time.monotonic()
    rsp = c.tmf(function, lun=lun)
    return rsp, time.monotonic() - start

def tur(c, lun):
    """TEST UNIT READY: (status, key, ASC, ASCQ)."""
    global itt
    itt += 1
    c.scsi_send(itt, bytes(6), lun=lun)
    (got, status, data), = c.scsi_collect(1)
    assert got == itt, f"answer for ITT {got:#x}, want the TUR's {itt:#x}"
    if status != CHECK:
        return status, 0, 0, 0
    s = data[2:]
    return status, s[2] & 0xf, s[12], s[13]

def reset_ua(c, lun, what):
    st = tur(c, lun)
    assert st[:3] == (CHECK, 6, 0x29), f"{what}: TUR gave {st}, not 6/29/xx"
    assert tur(c, lun)[0] == GOOD, f"{what}: the unit attention came twice"

TASK_ABORTED = 0x40

def task_aborted(c, victim, what):
    """The other nexus's task ends TASK ABORTED (TAS=1), nothing moved."""
    (got, status, _), = c.scsi_collect(1)
    assert (got, status) == (victim, TASK_ABORTED), \
        f"{what}: {got:#x} ended with status {status:#x}, not TASK ABORTED"

def tas_bit(c):
    """TAS in the control mode page (MODE SENSE(6), DBD, current)."""
    global itt
    itt += 1
    c.scsi_send(itt, bytes([0x1a, 0x08, 0x0a, 0, 255, 0]), read_len=255)
    (got, status, data), = c.scsi_collect(1)
    assert status == GOOD and data[4] == 0x0a, f"MODE SENSE: {status:#x}"
    return bool(data[4 + 5] & 0x40)

def answered(c, victim, what):
    (got, status, _), = c.scsi_collect(1)
    assert (got, status) == (victim, GOOD), f"{what}: {got:#x} {status:#x}"

def closed(c):
    c.sock.settimeout(5)
    try:
        while True:
            c.recv_pdu()
    except (ConnectionResetError, BrokenPipeError, RuntimeError, OSError):
        return True
    except socket.timeout:
        return False

a = session(b"\x80\0\0\x12\x38\x01")
b = session(b"\x80\0\0\x12\x38\x02")
for c in (a, b):
    for lun in (0, 1):
        assert tur(c, lun)[0] == GOOD, "TUR before"
assert tas_bit(b), "the control mode page says TAS=0"

# LU reset of B's LU: waits for B's read, which ends TASK ABORTED.
start = time.monotonic()
victim = slow_read(b)
rsp, took = tmf(a, LU_RESET, lun=0)
assert rsp == 0, f"LU reset: response {rsp}"
assert time.monotonic() - start >= SLOW * 0.9, \
    f"LU reset answered after {took:.2f}s, before the other nexus's task ended"
task_aborted(b, victim, "B's read the LU reset aborted")
reset_ua(a, 0, "A after the LU reset")
reset_ua(b, 0, "B after the LU reset")
assert tur(b, 1)[0] == GOOD, "B's other LU"
print(f"# LU reset: complete after {took:.1f}s, the other nexus's read TASK ABORTED")

# A reset of another LU, ABORT TASK SET and I_T NEXUS RESET: B's read goes on.
for function, lun, name in ((LU_RESET, 1, "LU reset of LUN 1"),
                            (ABORT_TASK_SET, 0, "ABORT TASK SET"),
                            (NEXUS_RESET, 0, "I_T NEXUS RESET")):
    victim = slow_read(b)
    rsp, took = tmf(a, function, lun=lun)
    assert rsp == 0, f"{name}: response {rsp}"
    assert took < SLOW * 0.75, f"{name} waited {took:.2f}s for the other nexus"
    answered(b, victim, f"B's read after A's {name}")
    if function == LU_RESET:
        reset_ua(a, 1, f"A after the {name}")
        reset_ua(b, 1, f"B after the {name}")
    print(f"# {name} on A: answered in {took:.2f}s, B's read answered")
for lun in (0, 1):
    tur(a, lun)     # whatever the nexus reset left for A

# PREEMPT (B's read goes on) and PREEMPT AND ABORT (it is aborted, and
# the PERSISTENT RESERVE OUT ends only after it) of B's registration.
def prout(c, sa, key, sa_key):
    global itt
    itt += 1
    cdb = struct.pack(">BBBxxIBx", 0x5f, sa, 0, 24, 0)
    c.scsi_send(itt, cdb, data=struct.pack(">QQ8x", key, sa_key), lun=0)
    return itt

def prout_good(c, sa, key, sa_key, what):
    mine = prout(c, sa, key, sa_key)
    start = time.monotonic()
    (got, status, _), = c.scsi_collect(1)
    assert (got, status) == (mine, GOOD), f"{what}: {got:#x} {status:#x}"
    return time.monotonic() - start

REGISTER, PREEMPT, PREEMPT_ABORT = 0, 4, 5
prout_good(a, REGISTER, 0, 0xa, "A registers")
for sa, name in ((PREEMPT, "PREEMPT"), (PREEMPT_ABORT, "PREEMPT AND ABORT")):
    prout_good(b, REGISTER, 0, 0xb, "B registers")
    start = time.monotonic()
    victim = slow_read(b)
    took = prout_good(a, sa, 0xa, 0xb, name)
    if sa == PREEMPT:
        assert took < SLOW * 0.75, f"PREEMPT waited {took:.2f}s for B's read"
        answered(b, victim, "B's read after PREEMPT")
    else:
        assert time.monotonic() - start >= SLOW * 0.9, \
            f"PREEMPT AND ABORT ended after {took:.2f}s, before B's read did"
        task_aborted(b, victim, "B's read PREEMPT AND ABORT aborted")
    st = tur(b, 0)
    assert st[:4] == (CHECK, 6, 0x2a, 0x05), f"B after {name}: {st}"
    print(f"# {name} of B's key: ended in {took:.2f}s, B's read "
          + ("answered" if sa == PREEMPT else "aborted") + ", then 2A/05")
assert tur(a, 0)[0] == GOOD, "A's own tasks"

# TARGET WARM RESET: every LU, every nexus.
start = time.monotonic()
victim = slow_read(b)
rsp, took = tmf(a, WARM)
assert rsp == 0, f"warm reset: response {rsp}"
assert time.monotonic() - start >= SLOW * 0.9, "warm reset did not wait"
task_aborted(b, victim, "B's read the warm reset aborted")
for c, name in ((a, "A"), (b, "B")):
    for lun in (0, 1):
        reset_ua(c, lun, f"{name} LUN {lun} after the warm reset")
print(f"# TARGET WARM RESET: complete after {took:.1f}s, B's read TASK ABORTED")

# TARGET COLD RESET: B's read ends TASK ABORTED and B's connection closes.
start = time.monotonic()
victim = slow_read(b)
rsp, took = tmf(a, COLD)
assert rsp == 0, f"cold reset: response {rsp}"
assert time.monotonic() - start >= SLOW * 0.9, "cold reset did not wait"
assert closed(a), "A's connection outlived its cold reset"
assert closed(b), "B's connection outlived another session's cold reset"
c = session(b"\x80\0\0\x12\x38\x02")
st = tur(c, 0)
assert st[0] == GOOD or st[:3] == (CHECK, 6, 0x29), f"after the cold reset: {st}"
print(f"# TARGET COLD RESET: complete after {took:.1f}s, both sessions closed")
c.logout()
PY
	fail "task management across nexuses"
ispt_wait_no_objects 10 || fail "objects left"
ispt_clear_config
ispt_unload || fail "rmmod"
echo "tmf-nexuses: resets reach every nexus, task-set functions only their own"
