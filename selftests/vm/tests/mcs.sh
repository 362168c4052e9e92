#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Multiple connections per session (RFC 7143 MaxConnections > 1), from a
# raw initiator: a session of three, then four, connections spread over
# both CPUs; verified writes and reads spread across them; a command past
# a CmdSN gap held until the gap is filled on another connection; a
# non-leading login with an unknown TSIH, another ISID, or one connection
# too many refused with its status; Logout of one connection (its own or
# another's CID) leaving the rest working; task management across two
# connections on different CPUs (ABORT TASK, QUERY TASK and QUERY TASK
# SET on one connection of a task on the other, a LOGICAL UNIT RESET and
# an I_T NEXUS RESET, ABORT TASK SET, TARGET WARM and COLD RESET
# answered only once the other connection's slow reads have ended, which
# are never answered themselves, the resets' unit attentions, ABORT TASK
# of a CmdSN never sent taken as received, a TMF whose connection drops
# before its answer); connection reinstatement (same
# CID); and at ERL 0 a connection that drops ends the whole session. With
# max_connections_per_session at its default of 1, a second connection
# is refused (0x0206).
# timeout: 300
. "$ISPT_REPO/selftests/vm/lib.sh"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
[ -d /sys/module/brd ] && { rmmod brd || fail "brd still in use"; }
modprobe brd rd_nr=1 rd_size=$((16 * 1024)) || fail "brd"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"
[ "$(nproc)" -ge 2 ] || skip "needs two CPUs"
# LUN 1: a null_blk whose requests each take 2 s (a timer), so that tasks
# are still running when task management comes. Before any login: a new
# LUN is a unit attention (3F/0E) for the sessions already there.
modprobe null_blk nr_devices=0 || fail "null_blk"
nb=/sys/kernel/config/nullb/nullbmcs
mkdir "$nb" || fail "nullbmcs"
echo 16 >"$nb/size" && echo 1 >"$nb/memory_backed" &&
	echo 64 >"$nb/hw_queue_depth" && echo 2 >"$nb/irqmode" &&
	echo 2000000000 >"$nb/completion_nsec" &&
	echo 1 >"$nb/power" || fail "nullbmcs setup"
ispt_wait_block /dev/nullbmcs 10 || fail "no /dev/nullbmcs"
ispt_export_lun 1 /dev/nullbmcs || fail "LUN 1"
# Each TMF logs what it waits for (tmf.c), to be seen in the guest log.
echo 'file tmf.c +p' >/proc/dynamic_debug/control 2>/dev/null ||
	note "no dynamic debug: TMF waits not logged"
[ "$(cat "$ISPT_CFS/max_connections_per_session")" = 1 ] ||
	fail "max_connections_per_session does not default to 1"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" \
	"$ISPT_CFS" <<'PY' || fail "MC/S"
import os, re, socket, struct, sys, time
import raw_iscsi as r

port, iqn, cfs = int(sys.argv[1]), sys.argv[2], sys.argv[3]
name = "iqn.2026-11.org.iscsi-spt:mcs"
isid = b"\x80\0\0\x4d\x43\x01"
GOOD = 0
itt = 0x1000
cmdsn = None        # the session's next CmdSN, shared by its connections


def setattr_cfs(attr, value):
    with open(os.path.join(cfs, attr), "w") as f:
        f.write(f"{value}\n")


def join(tsih, cid, who=name, i=isid):
    c = r.Conn("127.0.0.1", port, timeout=20)
    c.cmdsn = cmdsn
    keys = c.login(who, iqn, isid=i, tsih=tsih, cid=cid,
                   extra=[("MaxConnections", "4")])
    return c, keys


def refused(tsih, cid, status, **kw):
    try:
        join(tsih, cid, **kw)
    except RuntimeError as e:
        assert str(e) == f"login status {status}", f"cid {cid}: {e}"
        return
    raise AssertionError(f"cid {cid} joined; expected {status}")


def send(c, cdb, read_len=0, data=b"", sn=None):
    """A command on c with the session's next CmdSN (or sn); its ITT."""
    global itt, cmdsn
    itt += 1
    c.cmdsn = cmdsn if sn is None else sn
    c.scsi_send(itt, cdb, read_len=read_len, data=data)
    if sn is None:
        cmdsn += 1
    return itt


def write(c, lba, data, sn=None):
    return send(c, struct.pack(">BBIBHB", 0x2a, 0, lba, 0, len(data) // 512, 0),
                data=data, sn=sn)


def read(c, lba, n):
    return send(c, struct.pack(">BBIBHB", 0x28, 0, lba, 0, n // 512, 0),
                read_len=n)


def expect(c, want):
    """The answers to the ITTs in want (any order): {itt: data}."""
    got = {}
    for i, status, data in c.scsi_collect(len(want)):
        assert i in want, f"answer for ITT {i:#x}"
        assert status == GOOD, f"ITT {i:#x}: status {status:#x}"
        got[i] = data
    return got


def pattern(lba):
    return bytes((lba * 7 + k) & 0xff for k in range(4096))


def io_check(conns, base):
    """Writes then reads spread over conns, each block verified."""
    wr = {}
    for k in range(3 * len(conns)):
        c = conns[k % len(conns)]
        wr.setdefault(c, set()).add(write(c, base + 8 * k, pattern(base + 8 * k)))
    for c, itts in wr.items():
        expect(c, itts)
    rd = {}
    for k in range(3 * len(conns)):
        c = conns[(k + 1) % len(conns)]
        rd.setdefault(c, {})[read(c, base + 8 * k, 4096)] = base + 8 * k
    for c, itts in rd.items():
        for i, data in expect(c, set(itts)).items():
            assert data == pattern(itts[i]), f"LBA {itts[i]} read back wrong"


def closed(c):
    """Whether the target closes c within a few seconds."""
    c.sock.settimeout(5)
    try:
        while True:
            op, hdr, _ = c.recv_pdu()
            if op == r.OP_NOP_IN and hdr[20:24] != b"\xff" * 4:
                c.nop_out_answer(hdr)
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def session_lines(tsih):
    with open(os.path.join(cfs, "sessions")) as f:
        return [l for l in f if f" tsih={tsih} " in l and "state=full_feature" in l]


# Default: one connection per session.
lead = r.Conn("127.0.0.1", port, timeout=20)
keys = lead.login(name, iqn, isid=isid, extra=[("MaxConnections", "4")])
assert keys.get("MaxConnections") == "1", keys
cmdsn = lead.cmdsn
refused(lead.tsih, 1, "0206")
assert lead.tmf(5) == 0, "LU reset on a single connection not done"
lead.logout(0)
assert closed(lead), "logged out, still open"
print("# default max_connections_per_session 1: a second connection is refused (0x0206)")

def objects():
    with open(os.path.join(cfs, "stats")) as f:
        return next(l for l in f if l.startswith("objects "))


for _ in range(50):
    if "conns=0 " in objects():
        break
    time.sleep(0.2)
assert "conns=0 " in objects(), objects()

setattr_cfs("max_connections_per_session", 4)
lead = r.Conn("127.0.0.1", port, timeout=20)
keys = lead.login(name, iqn, isid=isid, extra=[("MaxConnections", "4")])
assert keys.get("MaxConnections") == "4", keys
tsih, cmdsn = lead.tsih, lead.cmdsn
# Another session's connection takes the other CPU: least-loaded placement
# alone would then put the next connection next to the leading one.
other = r.Conn("127.0.0.1", port, timeout=20)
other.login(name, iqn, isid=b"\x80\0\0\x4d\x43\x09")
b, bkeys = join(tsih, 1)
c, _ = join(tsih, 2)
assert b.tsih == tsih and c.tsih == tsih
assert bkeys.get("MaxConnections") == "Irrelevant", bkeys
assert b.exp_cmdsn == cmdsn, f"non-leading ExpCmdSN {b.exp_cmdsn}, want {cmdsn}"
conns = [lead, b, c]
lines = session_lines(tsih)
assert len(lines) == 3, lines
cpu = {int(re.search(r" cid=(\d+)", l).group(1)):
       re.search(r" cpu=(\d+)", l).group(1) for l in lines}
assert cpu[0] != cpu[1], f"connections 0 and 1 share CPU {cpu[0]}"
print(f"# session 0x{tsih:04x}: connections on CPUs {cpu}")
other.logout(0)
assert closed(other)
io_check(conns, 0)
print("# verified writes and reads spread over 3 connections")

def silent_for(c, seconds, what):
    """Nothing comes on c for @seconds; @what if something does."""
    c.sock.settimeout(seconds)
    try:
        c.recv_pdu()
        raise AssertionError(what)
    except socket.timeout:
        pass
    c.sock.settimeout(20)


# A gap: CmdSN n+1 on b is held until n comes on the lead connection.
n = cmdsn
late = write(b, 4000, pattern(4000), sn=n + 1)
silent_for(b, 1.5, "the command past the gap was answered")
early = write(lead, 4008, pattern(4008), sn=n)
cmdsn = n + 2
expect(lead, {early})
expect(b, {late})
assert b.exp_cmdsn == n + 2, f"ExpCmdSN {b.exp_cmdsn} after the gap, want {n + 2}"
for conn, lba in ((c, 4000), (lead, 4008)):
    i = read(conn, lba, 4096)
    assert expect(conn, {i})[i] == pattern(lba)
print("# CmdSN gap: held on one connection, released by the other, data verified")

# Refusals.
refused(0x7777 if tsih != 0x7777 else 0x7778, 3, "020a")
refused(tsih, 3, "020a", i=b"\x80\0\0\x4d\x43\x02")
d, _ = join(tsih, 3)
refused(tsih, 4, "0206")
print("# unknown TSIH and another ISID: 0x020a; a fifth connection: 0x0206")

# Logout of one connection: its own CID, then another's.
assert c.logout(1, cid=2) == 0
assert closed(c), "connection 2 logged out, still open"
assert lead.logout(1, cid=3) == 0
assert closed(d), "connection 3 logged out by another, still open"
assert lead.logout(1, cid=9) == 1, "unknown CID not refused"
io_check([lead, b], 8192)
assert len(session_lines(tsih)) == 2
print("# Logout reason 1 closes one connection; the other two keep working")

# Task management on lead (one CPU) of tasks on b (the other CPU), whose
# reads of LUN 1 take 2 s each.
SLOW = 2.0
CHECK = 2


def slow_read(c):
    """A read of LUN 1 on c, known to have reached the target: a TMF on
    another connection could otherwise overtake it (immediate, and on
    another TCP connection)."""
    global itt, cmdsn
    itt += 1
    c.cmdsn = cmdsn
    c.scsi_send(itt, struct.pack(">BBIBHB", 0x28, 0, 0, 0, 8, 0),
                read_len=4096, lun=1)
    cmdsn += 1
    c.cmdsn = cmdsn
    assert c.tmf(9, lun=1, rtt=itt) == 7, f"read {itt:#x} not there"
    return itt


def tmf(c, function, **kw):
    """A TMF on c; its response and how long it took."""
    c.cmdsn = cmdsn
    start = time.monotonic()
    rsp = c.tmf(function, **kw)
    return rsp, time.monotonic() - start


def tur(c, lun):
    """TEST UNIT READY on c: (status, sense key, ASC, ASCQ)."""
    global itt, cmdsn
    itt += 1
    c.cmdsn = cmdsn
    c.scsi_send(itt, bytes(6), lun=lun)
    cmdsn += 1
    (got, status, data), = c.scsi_collect(1)
    assert got == itt, f"answer for ITT {got:#x}, want the TUR's {itt:#x}"
    if status != CHECK:
        return status, 0, 0, 0
    sense = data[2:]
    return status, sense[2] & 0xf, sense[12], sense[13]


def nothing_for(c, itts):
    """After a TMF: none of itts is ever answered on c; a later command is."""
    status = tur(c, 0)[0]
    assert status == GOOD, f"TUR after the TMF: status {status:#x}"


# ABORT TASK on lead of a read running on b: complete once it has ended.
start = time.monotonic()
victim = slow_read(b)
rsp, took = tmf(lead, 1, lun=1, rtt=victim, refcmdsn=cmdsn - 1)
assert rsp == 0, f"ABORT TASK of a task on the other connection: {rsp}"
assert time.monotonic() - start >= SLOW * 0.9, \
    f"ABORT TASK answered after {took:.2f}s, before its task ended"
nothing_for(b, {victim})
print(f"# ABORT TASK on one connection of a task on the other: complete after {took:.1f}s, the task never answered")

# ABORT TASK of a tag no connection has: RefCmdSN decides (RFC 7143 11.5.1).
rsp, _ = tmf(lead, 1, lun=1, rtt=0x4242, refcmdsn=(cmdsn - 1000) & 0xffffffff)
assert rsp == 1, f"ABORT TASK, unknown tag, RefCmdSN long gone: {rsp}"
rsp, _ = tmf(b, 1, lun=1, rtt=0x4242, refcmdsn=cmdsn)
assert rsp == 0, f"ABORT TASK, unknown tag, RefCmdSN in the window: {rsp}"
print("# ABORT TASK of an unknown tag: task does not exist, or complete for a RefCmdSN in the window")

# ABORT TASK of a command no connection has seen, CmdSN n, before the
# TMF's (RFC 7143 11.5.1 b): n counts as received, so b's command n + 1,
# held behind the gap, runs, and n itself, should it come, never does.
n = cmdsn
after = write(b, 4016, pattern(4016), sn=n + 1)
cmdsn = n + 2
rsp, _ = tmf(lead, 1, lun=0, rtt=0x4444, refcmdsn=n)
assert rsp == 0, f"ABORT TASK of CmdSN {n}, never sent: {rsp}"
expect(b, {after})
itt += 1
lead.cmdsn = n
lead.scsi_send(itt, struct.pack(">BBIBHB", 0x28, 0, 4016, 0, 8, 0),
               read_len=4096)
never = itt
st = tur(lead, 0)
assert st[0] == GOOD, f"TUR after the aborted CmdSN: {st}"
print("# ABORT TASK of a CmdSN never sent: taken as received, the command behind it ran, the late one never did")

# QUERY TASK and QUERY TASK SET on lead find b's task; it then ends GOOD.
q = slow_read(b)
assert tmf(lead, 9, lun=1, rtt=q)[0] == 7, "QUERY TASK did not find b's task"
assert tmf(lead, 9, lun=1, rtt=0x4343)[0] == 0, "QUERY TASK found a tag nobody has"
assert tmf(lead, 10, lun=1)[0] == 7, "QUERY TASK SET did not find b's task"
assert tmf(lead, 10, lun=0)[0] == 0, "QUERY TASK SET found a task on LUN 0"
expect(b, {q})
assert tmf(lead, 10, lun=1)[0] == 0, "QUERY TASK SET: a task left after it ended"
print("# QUERY TASK and QUERY TASK SET on one connection see the other's task, which still ends GOOD")

# Task attributes across connections: one task set per I_T nexus (the
# control page's TST=001b), whatever connection a task came on. A slow
# SIMPLE read on b; then on lead an ORDERED TUR, which must wait for it;
# then on b a SIMPLE TUR, which must wait for the ORDERED one; then on
# lead a HEAD OF QUEUE TUR, which runs at once. All on LUN 1.
def tur_send(c, attr):
    global itt, cmdsn
    itt += 1
    c.cmdsn = cmdsn
    c.scsi_send(itt, bytes(6), attr=attr, lun=1)
    cmdsn += 1
    return itt


start = time.monotonic()
held_read = slow_read(b)
ordered = tur_send(lead, r.ATTR_ORDERED)
after_ordered = tur_send(b, r.ATTR_SIMPLE)
hoq = tur_send(lead, r.ATTR_HEAD_OF_QUEUE)
# Answered first on lead: had it waited like a SIMPLE task, it would
# have come after the ORDERED one (no timing bound: a slow VM is slow).
(got, st, _), = lead.scsi_collect(1)
assert got == hoq and st == GOOD, \
    f"first answer on lead: ITT {got:#x} status {st:#x}, want the HEAD OF QUEUE TUR {hoq:#x}"
(got, st, _), = lead.scsi_collect(1)
took = time.monotonic() - start
assert got == ordered and st == GOOD, f"ORDERED TUR: ITT {got:#x} status {st:#x}"
assert took >= SLOW * 0.9, \
    f"ORDERED TUR on lead answered after {took:.2f}s, before b's read ended"
order = [i for i, st, _ in b.scsi_collect(2) if st == GOOD]
assert order == [held_read, after_ordered], \
    f"b's answers in the order {[hex(i) for i in order]}, want the read, then the TUR after the ORDERED one"
print(f"# ORDERED on one connection waited {took:.1f}s for the other's read; a SIMPLE after it on the other waited for it; HEAD OF QUEUE ran at once")

# An immediate ABORT TASK SET on lead whose CmdSN is ahead of ExpCmdSN:
# the command before it is still on its way on b. It acts on it too (RFC
# 7143 11.5.1), so it waits for it to come, then for its bios to end.
n = cmdsn
rest = struct.pack(">QIIIII", 1 << 48, 0x7d, r.RESERVED_TAG, n + 1,
                   lead.statsn, 0)
start = time.monotonic()
lead.send(r.bhs(r.OP_TMF | r.IMMEDIATE, 0x80 | 2, 0, rest))
silent_for(lead, 1.0, "ABORT TASK SET answered before the command before it came")
itt += 1
late_read = itt
b.cmdsn = n
b.scsi_send(late_read, struct.pack(">BBIBHB", 0x28, 0, 0, 0, 8, 0),
            read_len=4096, lun=1)
cmdsn = n + 1
while True:
    op, hdr, _ = lead.recv_pdu()
    if op == r.OP_NOP_IN and hdr[20:24] != b"\xff" * 4:
        lead.nop_out_answer(hdr)
        continue
    break
took = time.monotonic() - start
assert op == r.OP_TMF_RSP and hdr[2] == 0, f"ABORT TASK SET: opcode {op:#x} response {hdr[2]}"
lead.statsn = struct.unpack(">I", hdr[24:28])[0] + 1
assert took >= 1.0 + SLOW * 0.9, \
    f"ABORT TASK SET answered after {took:.2f}s, before the read that came after it ended"
nothing_for(b, {late_read})
print(f"# immediate ABORT TASK SET ahead of ExpCmdSN: waited for the command before it on the other connection, aborted it, answered after {took:.1f}s")

# LOGICAL UNIT RESET on lead while b has three reads running.
start = time.monotonic()
victims = {slow_read(b) for _ in range(3)}
rsp, took = tmf(lead, 5, lun=1)
assert rsp == 0, f"LU reset on two connections: {rsp}"
assert time.monotonic() - start >= SLOW * 0.9, \
    f"LU reset answered after {took:.2f}s, before b's tasks ended"
st = tur(b, 1)
assert st[:3] == (CHECK, 6, 0x29), f"after the LU reset, LUN 1 TUR gave {st}"
assert tur(b, 1)[0] == GOOD, "a second unit attention after the LU reset"
nothing_for(b, victims)
print(f"# LU reset on one connection: complete after {took:.1f}s, once the other's 3 reads ended; they got no answer; 29/{st[3]:02x} next")

def reset_waits_for(owner, on, function, name, lun=0):
    """A slow read on @owner, then TMF @function on @on: complete, and
    only once the read ended. The read's ITT and how long the TMF took."""
    start = time.monotonic()
    victim = slow_read(owner)
    rsp, took = tmf(on, function, lun=lun)
    assert rsp == 0, f"{name} on two connections: {rsp}"
    assert time.monotonic() - start >= SLOW * 0.9, \
        f"{name} answered after {took:.2f}s, before the other connection's task ended"
    return victim, took


# I_T NEXUS RESET on b while lead has a read running: the session's tasks.
victim, took = reset_waits_for(lead, b, 11, "I_T nexus reset")
nothing_for(lead, {victim})
print(f"# I_T NEXUS RESET on one connection: complete after {took:.1f}s, the other's task never answered")

# ABORT TASK SET on lead of LUN 1, whose task runs on b.
victim, took = reset_waits_for(b, lead, 2, "ABORT TASK SET", lun=1)
nothing_for(b, {victim})
print(f"# ABORT TASK SET on one connection: complete after {took:.1f}s, the other's task never answered")

# TARGET WARM RESET on b while lead has a read running: every LU reset.
victim, took = reset_waits_for(lead, b, 6, "target warm reset")
for lun in (0, 1):
    st = tur(lead, lun)
    assert st[:3] == (CHECK, 6, 0x29), f"after the warm reset, LUN {lun} TUR gave {st}"
    assert tur(lead, lun)[0] == GOOD
print(f"# TARGET WARM RESET on one connection: complete after {took:.1f}s, the other's task never answered, 29/xx on both LUNs")
io_check([lead, b], 12288)

# Connection reinstatement: a new login with b's CID replaces b.
b2, _ = join(tsih, 1)
assert closed(b), "the reinstated connection is still open"
io_check([lead, b2], 16384)
assert len(session_lines(tsih)) == 2
print("# connection 1 reinstated by a login with its CID")

# ERL 0: a connection that fails ends the session.
lead.sock.close()
assert closed(b2), "the session outlived a failed connection"
refused(tsih, 5, "020a")
print("# a dropped connection ended the session (ERL 0)")

# A TMF whose own connection drops before its answer: the reset still
# waits for the other connection's read, then finds nobody to answer;
# the objects check at the end sees nothing left over.
lead = r.Conn("127.0.0.1", port, timeout=20)
lead.login(name, iqn, isid=isid, extra=[("MaxConnections", "4")])
tsih, cmdsn = lead.tsih, lead.cmdsn
b, _ = join(tsih, 1)
slow_read(b)
rest = struct.pack(">QIIIII", 1 << 48, 0x7e, r.RESERVED_TAG, cmdsn,
                   lead.statsn, 0)
lead.send(r.bhs(r.OP_TMF | r.IMMEDIATE, 0x80 | 5, 0, rest))
lead.sock.close()
assert closed(b), "the session outlived its dropped connection"
print("# LU reset whose connection dropped before the answer: session ended")

# TARGET COLD RESET on lead while b has a read running: answered once it
# ended, then the connection closes, and at ERL 0 the session with it.
lead = r.Conn("127.0.0.1", port, timeout=20)
lead.login(name, iqn, isid=isid, extra=[("MaxConnections", "4")])
tsih, cmdsn = lead.tsih, lead.cmdsn
b, _ = join(tsih, 1)
start = time.monotonic()
slow_read(b)
rsp, took = tmf(lead, 7)
assert rsp == 0, f"target cold reset on two connections: {rsp}"
assert time.monotonic() - start >= SLOW * 0.9, \
    f"target cold reset answered after {took:.2f}s, before b's task ended"
assert closed(lead) and closed(b), "a session outlived its target cold reset"
print(f"# TARGET COLD RESET on one connection: complete after {took:.1f}s, then the session closed")

# A gap never filled: the parked connection cannot answer the keepalive,
# which drops it, and with it the session.
setattr_cfs("nopin_interval", 2)
setattr_cfs("nopin_timeout", 2)
lead = r.Conn("127.0.0.1", port, timeout=20)
lead.login(name, iqn, isid=isid, extra=[("MaxConnections", "4")])
tsih, cmdsn = lead.tsih, lead.cmdsn
b, _ = join(tsih, 1)
write(b, 0, pattern(0), sn=cmdsn + 1)
start = time.monotonic()
assert closed(b) or closed(b), "a connection parked on a gap was never dropped"
assert closed(lead), "the session outlived its parked connection"
print(f"# a gap never filled: session ended after {time.monotonic() - start:.1f}s")
PY
dmesg | grep -q "connection 1 of session .* reinstated" || fail "no log line for the reinstatement"

echo 1 >"$ISPT_CFS/max_connections_per_session"
echo 15 >"$ISPT_CFS/nopin_interval"
echo 15 >"$ISPT_CFS/nopin_timeout"
o=$(ispt_wait_no_objects 10) || fail "objects left: $o"
ispt_clear_config
rmdir "$nb" 2>/dev/null
echo "MC/S sessions spread, order, refuse, log out and reinstate connections"
