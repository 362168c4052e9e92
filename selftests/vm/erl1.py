#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ErrorRecoveryLevel 1 from a raw initiator (RFC 7143 7.1.4, 11.16):
what a target must resend when asked with a SNACK, and the recovery R2T
for Data-Out lost to a data digest error.

    erl1.py --port P --target IQN --blocks N --block-size B

Output is TAP, one line per scenario; the exit status is 1 if any failed.
"""

import argparse
import random
import struct
import sys
import traceback

import adversarial as a
from adversarial import be32, bhs, check, Fail

OP_SNACK = 0x10
SNACK_DATA, SNACK_STATUS, SNACK_DATA_ACK, SNACK_RDATA = 0, 1, 2, 3
ERL1 = (("ErrorRecoveryLevel", "1"),)
MRDSL = 8192


def erl1_session(ctx, extra=(), mrdsl=MRDSL):
    s = ctx.logged_in(ERL1 + tuple(extra), mrdsl=mrdsl)
    check(s.keys.get("ErrorRecoveryLevel") == "1",
          f"ErrorRecoveryLevel={s.keys.get('ErrorRecoveryLevel')} negotiated")
    return s


def snack(s, kind, *, itt=a.RESERVED, begrun=0, runlength=0, tag=0, lun=0):
    """A SNACK Request (RFC 7143 11.16); ExpStatSN is s.statsn."""
    s.send_pdu(bhs(OP_SNACK, 0x80 | kind, lun=lun, itt=itt,
                   words=(tag, 0, s.statsn, 0, 0, begrun, runlength)))


def recv(s):
    """The next PDU, answering the target's keepalive pings on the way."""
    while True:
        op, hdr, data = s.recv_pdu()
        if op == a.OP_NOP_IN and be32(hdr, 16) == a.RESERVED:
            s.nop_out_answer(hdr)
            continue
        return op, hdr, data


def read_pdus(s, itt, n_data, *, response=True):
    """n_data Data-In PDUs of task itt, then (if response) its SCSI
    Response: ([(datasn, offset, flags, ttt, data)], response header)."""
    got = []
    while len(got) < n_data:
        op, hdr, data = recv(s)
        check(op == a.OP_DATA_IN, f"{a.opname(op)} instead of Data-In")
        check(be32(hdr, 16) == itt, "Data-In for another ITT")
        got.append((be32(hdr, 36), be32(hdr, 40), hdr[1], be32(hdr, 20),
                    data))
    if not response:
        return got, None
    op, hdr, data = recv(s)
    check(op == a.OP_SCSI_RSP, f"{a.opname(op)} instead of the SCSI Response")
    check(be32(hdr, 16) == itt, "SCSI Response for another ITT")
    return got, hdr


def fill(ctx, s, lba, data):
    """WRITE(10) through the ordinary path; returns nothing, checks GOOD."""
    res = s.scsi(a.write10(lba, len(data) // ctx.block_size), data=data)
    check(res.status == a.GOOD, f"WRITE: {res}")


def read_back(ctx, s, lba, nbytes):
    res = s.scsi(a.read10(lba, nbytes // ctx.block_size), read_len=nbytes)
    check(res.status == a.GOOD, f"READ: {res}")
    return res.data


SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


@scenario
def read_data_and_status_snack(ctx):
    """A 64 KiB read at MaxRecvDataSegmentLength 8 KiB: 8 Data-In, none
    with status (no phase collapse at ERL 1), then a SCSI Response whose
    ExpDataSN is 8. Data SNACKs replay the DataSNs they name as first
    sent, a Status SNACK the response; once ExpStatSN acknowledges it,
    both are refused with Protocol Error."""
    s = erl1_session(ctx)
    data = random.Random(1).randbytes(65536)
    fill(ctx, s, 0, data)
    acked = s.statsn
    itt = s.scsi_send(a.read10(0, 65536 // ctx.block_size), read_len=65536)
    pdus, rsp = read_pdus(s, itt, 8)
    check([p[0] for p in pdus] == list(range(8)), "DataSNs not 0..7")
    check(all(not p[2] & 0x01 for p in pdus), "status in a Data-In at ERL 1")
    check(pdus[-1][2] & 0x40 and pdus[-1][3] != a.RESERVED and
          not any(p[2] & 0x40 for p in pdus[:-1]),
          "the A bit and a TTT not (only) on the last Data-In")
    check(b"".join(p[4] for p in pdus) == data, "read data differs")
    check(rsp[3] == a.GOOD and be32(rsp, 36) == 8,
          f"response status {rsp[3]:#x}, ExpDataSN {be32(rsp, 36)}")
    statsn = be32(rsp, 24)
    check(s.statsn == acked, "ExpStatSN moved")

    snack(s, SNACK_DATA, itt=itt, begrun=2, runlength=3)
    again, _ = read_pdus(s, itt, 3, response=False)
    check(again == pdus[2:5], "Data SNACK 2+3 did not replay DataSN 2-4")
    snack(s, SNACK_DATA, itt=itt)
    again, _ = read_pdus(s, itt, 8, response=False)
    check(again == pdus, "Data SNACK 0+0 did not replay the whole read")
    snack(s, SNACK_DATA, itt=itt, begrun=8)
    s.expect_reject(a.REJ_PROTOCOL)
    snack(s, SNACK_DATA, itt=itt + 100)
    s.expect_reject(a.REJ_PROTOCOL)

    snack(s, SNACK_STATUS, begrun=statsn, runlength=1)
    op, hdr, _ = recv(s)
    check(op == a.OP_SCSI_RSP and be32(hdr, 16) == itt and
          be32(hdr, 24) == statsn and hdr[3] == a.GOOD and
          be32(hdr, 36) == 8, "Status SNACK did not replay the response")
    # The Rejects above took StatSNs of their own; acknowledge them all.
    s.statsn = statsn + 1
    s.ping()
    snack(s, SNACK_DATA, itt=itt)
    s.expect_reject(a.REJ_PROTOCOL)
    snack(s, SNACK_STATUS, begrun=statsn, runlength=1)
    s.expect_reject(a.REJ_PROTOCOL)
    s.ping()
    check(s.logout() == 0, "logout")
    s.close()


@scenario
def status_snack_every_response(ctx):
    """Numbered responses other than SCSI ones: a NOP-In and a CHECK
    CONDITION with sense come back byte for byte (but ExpCmdSN/MaxCmdSN)
    for a Status SNACK of all that is unacknowledged (BegRun 0,
    RunLength 0); one for a StatSN not yet sent is a Protocol Error."""
    s = erl1_session(ctx)
    acked = s.statsn
    itt = s.nop_out(b"erl1-ping")
    op, nop, nop_data = recv(s)
    check(op == a.OP_NOP_IN and be32(nop, 16) == itt, "no NOP-In")
    res_itt = s.scsi_send(a.read10(ctx.blocks, 1), read_len=ctx.block_size)
    op, rsp, sense = recv(s)
    check(op == a.OP_SCSI_RSP and rsp[3] == a.CHECK_CONDITION,
          "READ past the end not CHECK CONDITION")
    check(be32(rsp, 16) == res_itt, "response for another ITT")
    snack(s, SNACK_STATUS)
    op1, h1, d1 = recv(s)
    op2, h2, d2 = recv(s)
    check(op1 == a.OP_NOP_IN and h1[:28] == nop[:28] and d1 == nop_data,
          "NOP-In not replayed as sent")
    check(op2 == a.OP_SCSI_RSP and h2[:28] == rsp[:28] and
          h2[36:] == rsp[36:] and d2 == sense,
          "CHECK CONDITION not replayed as sent")
    snack(s, SNACK_STATUS, begrun=be32(rsp, 24) + 1, runlength=5)
    s.expect_reject(a.REJ_PROTOCOL)
    snack(s, SNACK_DATA_ACK, tag=0x1234)
    s.expect_reject(a.REJ_PROTOCOL)
    s.statsn = acked
    s.ping()
    check(s.logout() == 0, "logout")
    s.close()


def write_by_r2t(s, itt, data, expect_r2ts, on_r2t=None):
    """Answer R2Ts of task itt until its response; on_r2t(hdr) may take
    one over (returning True). Returns (R2T headers, response header)."""
    r2ts = []
    while True:
        op, hdr, _ = recv(s)
        check(be32(hdr, 16) == itt, f"{a.opname(op)} for another ITT")
        if op == a.OP_SCSI_RSP:
            check(len(r2ts) == expect_r2ts,
                  f"{len(r2ts)} R2Ts, expected {expect_r2ts}")
            return r2ts, hdr
        check(op == a.OP_R2T, f"{a.opname(op)} during a write")
        r2ts.append(hdr)
        if on_r2t and on_r2t(hdr):
            continue
        ttt, off, length = be32(hdr, 20), be32(hdr, 40), be32(hdr, 44)
        s.data_out(itt, ttt, data, off, length)


def start_write(ctx, extra, seed, lba, nbytes):
    """An ERL 1 session whose writes go by R2Ts of 16 KiB, and a WRITE(10)
    of nbytes seeded bytes sent: (session, data, ITT)."""
    s = erl1_session(ctx, (("ImmediateData", "No"),
                           ("FirstBurstLength", "16384"),
                           ("MaxBurstLength", "16384")) + tuple(extra))
    data = random.Random(seed).randbytes(nbytes)
    itt = s.scsi_send(a.write10(lba, nbytes // ctx.block_size), edtl=nbytes,
                      write=True)
    return s, data, itt


def write_ended(ctx, s, rsp, r2ts, lba, data):
    """The write's response is GOOD with ExpDataSN r2ts, and its blocks
    read back as sent; then the session logs out."""
    check(rsp[3] == a.GOOD and be32(rsp, 36) == r2ts,
          f"response {rsp[3]:#x}, ExpDataSN {be32(rsp, 36)}, want {r2ts}")
    s.statsn = be32(rsp, 24) + 1
    check(read_back(ctx, s, lba, len(data)) == data, "written data differs")
    check(s.logout() == 0, "logout")
    s.close()


@scenario
def r2t_snack(ctx):
    """A 64 KiB write in four R2Ts of 16 KiB, one at a time
    (MaxOutstandingR2T is 1 at ERL 1): an R2T SNACK for the one
    outstanding brings it back as it was (TTT, R2TSN, offset, length);
    one for an R2T already answered is a Protocol Error."""
    lba = 256
    s, data, itt = start_write(ctx, (), 2, lba, 65536)
    state = {"snacked": False}

    def on_r2t(hdr):
        r2tsn = be32(hdr, 36)
        s.expect_nothing(0.5)       # one R2T at a time
        if r2tsn == 1 and not state["snacked"]:
            state["snacked"] = True
            snack(s, SNACK_DATA, itt=itt, begrun=1, runlength=1)
            op, again, _ = recv(s)
            check(op == a.OP_R2T and again[16:24] == hdr[16:24] and
                  again[36:48] == hdr[36:48], "R2T SNACK: not the same R2T")
            snack(s, SNACK_DATA, itt=itt, begrun=0, runlength=1)
            s.expect_reject(a.REJ_PROTOCOL)
        return False

    r2ts, rsp = write_by_r2t(s, itt, data, 4, on_r2t)
    check([be32(h, 36) for h in r2ts] == [0, 1, 2, 3], "R2TSNs not 0..3")
    write_ended(ctx, s, rsp, 4, lba, data)


@scenario
def data_out_digest_recovery(ctx):
    """DataDigest=CRC32C: Data-Out PDUs of 4 KiB, two of the first R2T's
    four with a bad digest. Each gets a Reject (Data-Digest-Error) and
    the connection stays; once the sequence ends a recovery R2T asks for
    [4 KiB, 16 KiB), numbered after it, with a new TTT; then the next R2T.
    The write ends GOOD and reads back as sent."""
    lba = 512
    s, data, itt = start_write(ctx, (("DataDigest", "CRC32C"),), 3, lba, 32768)
    check(s.ddigest, "DataDigest not negotiated")
    state = {"first": True}

    def on_r2t(hdr):
        ttt, off, length = be32(hdr, 20), be32(hdr, 40), be32(hdr, 44)
        if not state["first"]:
            return False
        state["first"] = False
        check((off, length) == (0, 16384), "first R2T not [0, 16 KiB)")
        for i in range(4):
            h = bhs(a.OP_DATA_OUT, 0x80 if i == 3 else 0, dlen=4096, itt=itt,
                    words=(ttt, 0, s.statsn, 0, i, i * 4096))
            s.send_pdu(h, data[i * 4096:(i + 1) * 4096],
                       bad_ddigest=i in (1, 3))
        for _ in range(2):
            rej = s.expect_reject(a.REJ_DIGEST)
            check(rej[0] & 0x3F == a.OP_DATA_OUT, "Reject not for a Data-Out")
        op, rec, _ = recv(s)
        check(op == a.OP_R2T, f"{a.opname(op)} instead of a recovery R2T")
        check((be32(rec, 40), be32(rec, 44)) == (4096, 12288),
              f"recovery R2T for [{be32(rec, 40)}, +{be32(rec, 44)})")
        check(be32(rec, 36) == 1 and be32(rec, 20) != ttt,
              "recovery R2T not R2TSN 1 with a new TTT")
        s.data_out(itt, be32(rec, 20), data, 4096, 12288)
        return True

    # The recovery R2T was taken inside on_r2t.
    r2ts, rsp = write_by_r2t(s, itt, data, 2, on_r2t)
    check([be32(h, 36) for h in r2ts] == [0, 2], "R2TSNs not 0, (1), 2")
    check((be32(r2ts[1], 40), be32(r2ts[1], 44)) == (16384, 16384),
          "last R2T not [16 KiB, 32 KiB)")
    write_ended(ctx, s, rsp, 3, lba, data)


@scenario
def recovery_bounded(ctx):
    """A 4 KiB write whose Data-Out always fails its digest: each loss
    gets a Reject and a recovery R2T for the same 4 KiB, eight times;
    the ninth ends the task ABORTED COMMAND, CRC error (47/05), and the
    connection stays."""
    s = erl1_session(ctx, (("ImmediateData", "No"), ("DataDigest", "CRC32C")))
    data = random.Random(5).randbytes(4096)
    itt = s.scsi_send(a.write10(2048, 4096 // ctx.block_size), edtl=4096,
                      write=True)
    ttt, off, length = s.first_r2t(itt)
    check((off, length) == (0, 4096), "R2T not for the 4 KiB")
    for k in range(9):
        s.send_pdu(bhs(a.OP_DATA_OUT, 0x80, dlen=4096, itt=itt,
                       words=(ttt, 0, s.statsn, 0, 0, 0)), data,
                   bad_ddigest=True)
        s.expect_reject(a.REJ_DIGEST)
        if k == 8:
            break
        op, hdr, _ = recv(s)
        check(op == a.OP_R2T and be32(hdr, 16) == itt,
              f"{a.opname(op)} instead of recovery R2T {k + 1}")
        check((be32(hdr, 36), be32(hdr, 40), be32(hdr, 44)) ==
              (k + 1, 0, 4096), f"recovery R2T {k + 1}: R2TSN "
              f"{be32(hdr, 36)}, [{be32(hdr, 40)}, +{be32(hdr, 44)})")
        ttt = be32(hdr, 20)
    res = s.complete(itt)
    a.expect_sense(res, a.ABORTED_COMMAND, a.ASC_CRC_ERROR,
                   "after nine lost Data-Out")
    s.ping()
    check(s.logout() == 0, "logout")
    s.close()


@scenario
def rdata_snack(ctx):
    """A 32 KiB read cut for 8 KiB, then MaxRecvDataSegmentLength
    lowered to 4 KiB by a Text exchange: an R-Data SNACK brings the whole
    read again in eight 4 KiB Data-In, then its SCSI Response again with
    the same StatSN, the SNACK Tag and ExpDataSN 8; a later Status SNACK
    replays that latest response."""
    s = erl1_session(ctx)
    data = random.Random(4).randbytes(32768)
    fill(ctx, s, 1024, data)
    itt = s.scsi_send(a.read10(1024, 32768 // ctx.block_size), read_len=32768)
    pdus, rsp = read_pdus(s, itt, 4)
    statsn = be32(rsp, 24)
    acked = s.statsn
    s.our_mrdsl = 4096
    s.text([("MaxRecvDataSegmentLength", "4096")])
    s.statsn = acked
    snack(s, SNACK_RDATA, itt=itt, tag=0xABCD)
    again, rsp2 = read_pdus(s, itt, 8)
    check([(p[0], p[1], len(p[4])) for p in again] ==
          [(i, i * 4096, 4096) for i in range(8)], "not cut for 4 KiB")
    check(b"".join(p[4] for p in again) == data, "R-Data SNACK data differs")
    check(be32(rsp2, 24) == statsn and be32(rsp2, 20) == 0xABCD and
          be32(rsp2, 36) == 8 and rsp2[3] == a.GOOD,
          f"response: StatSN {be32(rsp2, 24)} (want {statsn}), tag "
          f"{be32(rsp2, 20):#x}, ExpDataSN {be32(rsp2, 36)}")
    snack(s, SNACK_STATUS, begrun=statsn, runlength=1)
    op, rsp3, _ = recv(s)
    check(op == a.OP_SCSI_RSP and rsp3[:28] == rsp2[:28] and
          rsp3[36:] == rsp2[36:], "Status SNACK: not the latest response")
    snack(s, SNACK_RDATA, itt=itt, begrun=1)
    s.expect_reject(a.REJ_PROTOCOL)
    s.statsn = statsn + 3     # the Text Response and the Reject
    s.ping()
    check(s.logout() == 0, "logout")
    s.close()


@scenario
def data_ack(ctx):
    """The DataACK the last Data-In asks for (A bit, its TTT): DataSNs
    below its BegRun are no longer resent (Protocol Error), those above
    still are; one that goes back, or names a TTT we never gave, is a
    Protocol Error; once all is acknowledged the read is let go, while
    its status can still be asked for. An R-Data SNACK after a DataACK
    is refused."""
    s = erl1_session(ctx)
    itt = s.scsi_send(a.read10(0, 128), read_len=65536)
    pdus, rsp = read_pdus(s, itt, 8)
    statsn, ttt = be32(rsp, 24), pdus[-1][3]
    snack(s, SNACK_DATA_ACK, tag=ttt, begrun=3)
    s.expect_nothing(0.5)
    snack(s, SNACK_DATA, itt=itt, begrun=2, runlength=1)
    s.expect_reject(a.REJ_PROTOCOL)
    snack(s, SNACK_DATA, itt=itt, begrun=3, runlength=1)
    again, _ = read_pdus(s, itt, 1, response=False)
    check(again == pdus[3:4], "DataSN 3 not replayed after DataACK 3")
    snack(s, SNACK_RDATA, itt=itt)
    s.expect_reject(a.REJ_PROTOCOL)
    snack(s, SNACK_DATA_ACK, tag=ttt, begrun=2)
    s.expect_reject(a.REJ_PROTOCOL)
    snack(s, SNACK_DATA_ACK, tag=ttt ^ 0x5A5A, begrun=8)
    s.expect_reject(a.REJ_PROTOCOL)
    snack(s, SNACK_DATA_ACK, tag=ttt, begrun=8)
    s.expect_nothing(0.5)
    snack(s, SNACK_DATA, itt=itt, begrun=7, runlength=1)
    s.expect_reject(a.REJ_PROTOCOL)
    snack(s, SNACK_STATUS, begrun=statsn, runlength=1)
    op, hdr, _ = recv(s)
    check(op == a.OP_SCSI_RSP and be32(hdr, 24) == statsn,
          "status of a read let go by DataACK not replayed")
    s.statsn = statsn + 5       # the four Rejects
    s.ping()
    check(s.logout() == 0, "logout")
    s.close()


@scenario
def retained_bounded(ctx):
    """Reads whose status is never acknowledged: 300 of them on one
    connection, ExpStatSN held still. The oldest are let go past the
    bound (a Data SNACK for the first is refused), the latest can still
    be replayed, and the connection, dropped without a logout, leaves
    nothing behind (the shell checks the module's objects)."""
    s = erl1_session(ctx)
    acked = s.statsn
    itts = []
    for _ in range(300):
        itt = s.scsi_send(a.read10(0, 8), read_len=8 * ctx.block_size)
        read_pdus(s, itt, 1)
        itts.append(itt)
    snack(s, SNACK_DATA, itt=itts[0])
    s.expect_reject(a.REJ_PROTOCOL)
    snack(s, SNACK_DATA, itt=itts[-1])
    again, _ = read_pdus(s, itts[-1], 1, response=False)
    check(again[0][0] == 0, "latest read not replayed")
    s.statsn = acked
    s.close()


@scenario
def random_snacks(ctx):
    """400 seeded random SNACKs (any type, reserved ones included, tags,
    BegRun and RunLength from the edges and at random) at reads kept for
    replay: each is answered with replays, a Reject or nothing, and a
    ping after it comes back; the connection then still does verified
    I/O."""
    s = erl1_session(ctx)
    rng = random.Random(ctx.seed)
    data = rng.randbytes(65536)
    fill(ctx, s, 4096, data)
    itts = []
    for _ in range(3):
        itt = s.scsi_send(a.read10(4096, 128), read_len=65536)
        read_pdus(s, itt, 8)
        itts.append(itt)
    edges = (0, 1, 2, 7, 8, 9, 0x7FFFFFFF, 0x80000000, a.RESERVED)
    for _ in range(400):
        kind = rng.choice((0, 0, 1, 1, 2, 3, rng.randrange(16)))
        itt = rng.choice(itts + [a.RESERVED, rng.getrandbits(32)])
        begrun = rng.choice(edges + (rng.getrandbits(32), s.statsn))
        runlength = rng.choice(edges + (rng.getrandbits(32),))
        tag = rng.choice((a.RESERVED, 0, rng.getrandbits(32)))
        snack(s, kind, itt=itt, begrun=begrun, runlength=runlength, tag=tag)
        ping = s.nop_out(b"after")
        for _ in range(5000):
            op, hdr, _ = recv(s)
            if op == a.OP_NOP_IN and be32(hdr, 16) == ping:
                break
            check(op in (a.OP_DATA_IN, a.OP_SCSI_RSP, a.OP_REJECT,
                         a.OP_R2T, a.OP_NOP_IN),
                  f"{a.opname(op)} after a random SNACK")
        else:
            raise Fail("no answer to the ping after a random SNACK")
    res = s.scsi(a.read10(4096, 128), read_len=65536)
    check(res.status == a.GOOD and res.data == data,
          "read after the random SNACKs")
    check(s.logout() == 0, "logout")
    s.close()


@scenario
def erl0_unchanged(ctx):
    """At ERL 0 a read still carries its status in its last Data-In, and
    a SNACK is refused."""
    s = ctx.logged_in(mrdsl=MRDSL)
    check(s.keys.get("ErrorRecoveryLevel", "0") == "0", "ERL not 0")
    itt = s.scsi_send(a.read10(0, 32), read_len=32 * ctx.block_size)
    pdus, _ = read_pdus(s, itt, 2, response=False)
    check(pdus[-1][2] & 0x01 and not pdus[0][2] & 0x01,
          "status not in the last Data-In at ERL 0")
    s.statsn += 1
    snack(s, SNACK_DATA, itt=itt)
    s.expect_reject((a.REJ_PROTOCOL, a.REJ_NOT_SUPPORTED))
    s.ping()
    check(s.logout() == 0, "logout")
    s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--blocks", type=int, required=True)
    ap.add_argument("--block-size", type=int, default=512)
    args = ap.parse_args()
    ctx = a.Ctx(args.port, args.target, 1, args.blocks, args.block_size)
    failed = 0
    print(f"1..{len(SCENARIOS)}")
    for i, fn in enumerate(SCENARIOS, 1):
        try:
            fn(ctx)
            a.health(ctx)
            print(f"ok {i} {fn.__name__}")
        except (Fail, OSError, AssertionError) as e:
            failed += 1
            print(f"not ok {i} {fn.__name__}: {e}")
            traceback.print_exc(file=sys.stdout)
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
