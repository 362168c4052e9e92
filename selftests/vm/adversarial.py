#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""An adversarial iSCSI initiator: bounded scenarios of hostile input
against the target, each followed by a health check (a clean login, a
WRITE and a READ that must return the same bytes, a logout) and a look
at the kernel log, which must hold no WARNING, BUG or the like.

Where RFC 7143 fixes the target's answer (a Reject reason, a login
status, SCSI sense, a closed connection), the scenario asserts it.

    adversarial.py --port P --target IQN [--seed N] [--only a,b] [--list]

Every random choice comes from --seed (printed at the start), so a
failing run can be replayed exactly. Output is TAP, one line per
scenario; the exit status is 1 if any failed.
"""

import argparse
import os
import random
import re
import select
import socket
import struct
import sys
import threading
import time
import traceback
import zlib

import raw_iscsi as r

# Initiator opcodes (RFC 7143 11.2.1.2).
OP_NOP_OUT, OP_SCSI_CMD, OP_TMF, OP_LOGIN = 0x00, 0x01, 0x02, 0x03
OP_TEXT, OP_DATA_OUT, OP_LOGOUT, OP_SNACK = 0x04, 0x05, 0x06, 0x10
# Target opcodes.
OP_NOP_IN, OP_SCSI_RSP, OP_TMF_RSP, OP_LOGIN_RSP = 0x20, 0x21, 0x22, 0x23
OP_TEXT_RSP, OP_DATA_IN, OP_LOGOUT_RSP, OP_R2T = 0x24, 0x25, 0x26, 0x31
OP_ASYNC, OP_REJECT = 0x32, 0x3F
IMM = 0x40
RESERVED = 0xFFFFFFFF

OP_NAMES = {
    OP_NOP_IN: "NOP-In", OP_SCSI_RSP: "SCSI Response", OP_TMF_RSP: "TMF Response",
    OP_LOGIN_RSP: "Login Response", OP_TEXT_RSP: "Text Response",
    OP_DATA_IN: "Data-In", OP_LOGOUT_RSP: "Logout Response", OP_R2T: "R2T",
    OP_ASYNC: "Async Message", OP_REJECT: "Reject",
}

# Reject reasons (RFC 7143 11.17.1).
REJ_DIGEST, REJ_PROTOCOL, REJ_NOT_SUPPORTED, REJ_INVALID_FIELD = 0x02, 0x04, 0x05, 0x09

# SAM status, sense keys and the ASCs the scenarios expect.
GOOD, CHECK_CONDITION = 0x00, 0x02
ILLEGAL_REQUEST, ABORTED_COMMAND = 0x05, 0x0B
ASC_LBA_OUT_OF_RANGE, ASC_INVALID_FIELD_IN_CDB, ASC_CRC_ERROR = 0x21, 0x24, 0x47

# Login status (class, detail), RFC 7143 11.13.5.
LOGIN_OK = (0, 0)
LOGIN_INIT_ERR = (2, 0x00)
LOGIN_TGT_NOT_FOUND = (2, 0x03)
LOGIN_NO_VERSION = (2, 0x05)
LOGIN_MISSING = (2, 0x07)
LOGIN_NO_SESSION = (2, 0x0A)

INITIATOR = "iqn.2026-11.org.iscsi-spt:adversary"
LOGIN_MAX_DSL = 8192
LOGIN_DEADLINE = 30


class Fail(Exception):
    """The target's answer is not the one expected."""


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def opname(op):
    if op is None:
        return "a close"
    return OP_NAMES.get(op, f"opcode {op:#04x}")


def be32(b, off):
    return struct.unpack_from(">I", b, off)[0]


def be16(b, off):
    return struct.unpack_from(">H", b, off)[0]


def bhs(op, flags=0, *, dlen=0, ahs_words=0, lun=0, itt=0, words=(),
        b2=0, b3=0, raw=None):
    """A 48-byte header: opcode, flags, bytes 2-3, TotalAHSLength,
    DataSegmentLength, LUN, ITT, then the 32-bit words at 20, 24, ... 44.
    raw maps byte offsets to bytes laid over the result last."""
    h = bytearray(48)
    h[0], h[1], h[2], h[3], h[4] = op & 0xFF, flags & 0xFF, b2, b3, ahs_words
    h[5:8] = (dlen & 0xFFFFFF).to_bytes(3, "big")
    h[8:16] = (lun & (2**64 - 1)).to_bytes(8, "big")
    struct.pack_into(">I", h, 16, itt & RESERVED)
    for i, w in enumerate(words):
        struct.pack_into(">I", h, 20 + 4 * i, w & RESERVED)
    for off, b in (raw or {}).items():
        h[off:off + len(b)] = b
    return bytes(h)


def lun_field(lun):
    """A LUN below 256 in SAM's peripheral addressing, as the 8 bytes."""
    return lun << 48


def parse_text(data):
    keys = {}
    for pair in data.split(b"\0"):
        if not pair:
            continue
        k, _, v = pair.partition(b"=")
        keys[k.decode(errors="replace")] = v.decode(errors="replace")
    return keys


def text(pairs):
    return b"".join(f"{k}={v}".encode() + b"\0" for k, v in pairs)


_CRC_TABLE = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ (0x82F63B78 if _c & 1 else 0)
    _CRC_TABLE.append(_c)


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def digest(data):
    """A digest as it travels: CRC32C, least significant byte first."""
    return struct.pack("<I", crc32c(data))


# CDBs
def cdb16(b):
    return bytes(b).ljust(16, b"\0")


def read10(lba, n):
    return cdb16(b"\x28\0" + struct.pack(">IBH", lba, 0, n))


def write10(lba, n):
    return cdb16(b"\x2a\0" + struct.pack(">IBH", lba, 0, n))


def read16(lba, n):
    return cdb16(b"\x88\0" + struct.pack(">QI", lba, n))


def write16(lba, n):
    return cdb16(b"\x8a\0" + struct.pack(">QI", lba, n))


def read_capacity16(alloc=32):
    return cdb16(b"\x9e\x10" + bytes(8) + struct.pack(">I", alloc))


TUR = cdb16(b"")


class Result:
    def __init__(self, status, data=b"", sense=b"", flags=0, residual=0,
                 response=0):
        self.status, self.data, self.sense = status, data, sense
        self.flags, self.residual, self.response = flags, residual, response

    def sense_key(self):
        return self.sense[2] & 0x0F if len(self.sense) > 13 else None

    def asc(self):
        return self.sense[12] if len(self.sense) > 13 else None

    def __repr__(self):
        return (f"status {self.status:#x} sense {self.sense[:18].hex()} "
                f"flags {self.flags:#x} residual {self.residual}")


class Session(r.Conn):
    """One connection, logged in or not, speaking raw PDUs."""

    isid_counter = 0
    isid_lock = threading.Lock()

    def __init__(self, ctx, timeout=10):
        super().__init__("127.0.0.1", ctx.port, timeout)
        self.ctx = ctx
        self.timeout = timeout
        self.itt = 0x1000
        self.exp_cmdsn = self.cmdsn = 0
        self.statsn = 0
        self.hdigest = self.ddigest = False
        self.check_digests = True
        with Session.isid_lock:
            Session.isid_counter += 1
            n = Session.isid_counter
        self.isid = bytes([0x80, 0, 0x5A]) + n.to_bytes(3, "big")
        self.tsih = 0
        self.keys = {}
        self.target_mrdsl = LOGIN_MAX_DSL
        self.our_mrdsl = LOGIN_MAX_DSL
        self.first_burst = 65536
        self.max_burst = 262144
        self.immediate_data = True
        self.send_broken = False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def new_itt(self):
        self.itt += 1
        return self.itt

    # framing
    def send_raw(self, b):
        """Send bytes; a target that already hung up is noted, not fatal:
        the scenario then checks that the connection is closed."""
        try:
            self.sock.settimeout(self.timeout)
            self.sock.sendall(b)
        except (BrokenPipeError, ConnectionResetError):
            self.send_broken = True

    def send_pdu(self, header, data=b"", ahs=b"", bad_hdigest=False,
                 bad_ddigest=False):
        out = header + ahs
        if self.hdigest:
            d = digest(header + ahs)
            if bad_hdigest:
                d = bytes(x ^ 0xFF for x in d)
            out += d
        if data:
            out += r.pad4(data)
            if self.ddigest:
                d = digest(r.pad4(data))
                if bad_ddigest:
                    d = bytes(x ^ 0xFF for x in d)
                out += d
        self.send_raw(out)

    def recv_pdu(self, timeout=None):
        self.sock.settimeout(timeout or self.timeout)
        hdr = self.recv_exact(r.BHS_LEN)
        ahs = self.recv_exact(hdr[4] * 4)
        if self.hdigest:
            d = self.recv_exact(4)
            check(not self.check_digests or d == digest(hdr + ahs),
                  f"bad header digest from the target on {opname(hdr[0] & 0x3F)}")
        dlen = int.from_bytes(hdr[5:8], "big")
        data = self.recv_exact(dlen + (-dlen % 4))
        if dlen and self.ddigest:
            d = self.recv_exact(4)
            check(not self.check_digests or d == digest(data),
                  "bad data digest from the target")
        return hdr[0] & 0x3F, hdr, data[:dlen]

    def expect(self, op, timeout=None):
        got, hdr, data = self.recv_pdu(timeout)
        if got == OP_REJECT and op != OP_REJECT:
            raise Fail(f"Reject reason {hdr[2]:#x} instead of {opname(op)} "
                       f"(rejected opcode {data[:1].hex()})")
        check(got == op, f"{opname(got)} instead of {opname(op)}")
        return hdr, data

    def expect_reject(self, reasons, timeout=None):
        if isinstance(reasons, int):
            reasons = (reasons,)
        hdr, data = self.expect(OP_REJECT, timeout)
        check(hdr[2] in reasons,
              f"Reject reason {hdr[2]:#x}, expected {[hex(x) for x in reasons]}")
        check(len(data) >= 48, "Reject without the rejected header")
        return data[:48]

    def expect_nothing(self, wait=1.0):
        """No PDU and no close for @wait seconds."""
        self.sock.settimeout(wait)
        try:
            b = self.sock.recv(1, socket.MSG_PEEK)
        except socket.timeout:
            return
        except ConnectionResetError:
            raise Fail("connection reset where silence was expected")
        check(b, "connection closed where silence was expected")
        op, hdr, _ = self.recv_pdu()
        raise Fail(f"unexpected {opname(op)} (byte 2 {hdr[2]:#x})")

    def expect_closed(self, within=10, allow=()):
        """The target closes the connection within @within seconds,
        having sent nothing but PDUs whose opcodes are in @allow."""
        deadline = time.monotonic() + within
        got = []
        while True:
            left = deadline - time.monotonic()
            check(left > 0, f"connection still open after {within}s")
            try:
                op, hdr, data = self.recv_pdu(left)
            except (ConnectionResetError, ConnectionAbortedError):
                return got
            except socket.timeout:
                raise Fail(f"connection still open after {within}s")
            check(op in allow, f"unexpected {opname(op)} before the close")
            got.append((op, hdr, data))

    # login
    def login_pdu(self, data=b"", *, csg=1, nsg=3, transit=True, cont=False,
                  itt=None, vmax=0, vmin=0, isid=None, tsih=None, cid=0,
                  ahs=b"", dlen=None, flags=None):
        f = (0x80 if transit else 0) | (0x40 if cont else 0) | (csg & 3) << 2
        if transit:
            f |= nsg & 3
        if flags is not None:
            f = flags
        isid = self.isid if isid is None else isid
        tsih = self.tsih if tsih is None else tsih
        h = bhs(OP_LOGIN | IMM, f, dlen=len(data) if dlen is None else dlen,
                ahs_words=len(ahs) // 4, b2=vmax, b3=vmin,
                itt=self.itt if itt is None else itt,
                words=(cid << 16, self.cmdsn, self.statsn),
                raw={8: isid + struct.pack(">H", tsih)})
        self.send_pdu(h, data, ahs)

    def login_rsp(self, expect_status=LOGIN_OK):
        hdr, data = self.expect(OP_LOGIN_RSP)
        status = (hdr[36], hdr[37])
        if expect_status is not None:
            check(status == expect_status,
                  f"login status {status[0]:02x}{status[1]:02x}, expected "
                  f"{expect_status[0]:02x}{expect_status[1]:02x}")
        self.statsn = be32(hdr, 24) + 1
        self.exp_cmdsn = be32(hdr, 28)
        self.cmdsn = self.exp_cmdsn
        self.tsih = be16(hdr, 14)
        keys = parse_text(data)
        self.keys.update(keys)
        return hdr, keys

    def login_keys(self, overrides=(), drop=(), session_type="Normal"):
        pairs = [("InitiatorName", INITIATOR), ("TargetName", self.ctx.target),
                 ("SessionType", session_type), ("HeaderDigest", "None"),
                 ("DataDigest", "None"),
                 ("MaxRecvDataSegmentLength", str(self.our_mrdsl)),
                 ("ImmediateData", "Yes"), ("InitialR2T", "Yes"),
                 ("FirstBurstLength", "65536"), ("MaxBurstLength", "262144")]
        if session_type == "Discovery":
            pairs = [p for p in pairs if p[0] in
                     ("InitiatorName", "SessionType", "HeaderDigest",
                      "DataDigest", "MaxRecvDataSegmentLength")]
        over = dict(overrides)
        pairs = [(k, over.pop(k, v)) for k, v in pairs if k not in drop]
        return pairs + list(over.items())

    def login_ffp(self, overrides=(), drop=(), mrdsl=None,
                  session_type="Normal"):
        """Operational stage straight to Full Feature Phase, one PDU."""
        if mrdsl:
            self.our_mrdsl = mrdsl
        self.login_pdu(text(self.login_keys(overrides, drop, session_type)))
        hdr, keys = self.login_rsp()
        check(hdr[1] & 0x80 and hdr[1] & 3 == 3,
              "the target did not move to Full Feature Phase")
        self.target_mrdsl = int(keys.get("MaxRecvDataSegmentLength", 8192))
        self.first_burst = int(keys.get("FirstBurstLength", 65536))
        self.max_burst = int(keys.get("MaxBurstLength", 262144))
        self.immediate_data = keys.get("ImmediateData", "Yes") == "Yes"
        self.hdigest = keys.get("HeaderDigest") == "CRC32C"
        self.ddigest = keys.get("DataDigest") == "CRC32C"
        return keys

    # full feature phase
    def nop_out(self, data=b"", *, itt=None, ttt=RESERVED, immediate=True,
                cmdsn=None, lun=0, **kw):
        itt = self.new_itt() if itt is None else itt
        h = bhs(OP_NOP_OUT | (IMM if immediate else 0), 0x80, dlen=len(data),
                lun=lun, itt=itt,
                words=(ttt, self.cmdsn if cmdsn is None else cmdsn,
                       self.statsn))
        self.send_pdu(h, data, **kw)
        if not immediate and itt != RESERVED:
            self.cmdsn += 1
        return itt

    def ping(self, data=b"", timeout=None):
        """A NOP-Out answered by a NOP-In: the connection is alive and in
        step. Answers the target's own pings on the way."""
        itt = self.nop_out(data)
        while True:
            op, hdr, got = self.recv_pdu(timeout)
            if op == OP_NOP_IN and be32(hdr, 16) == RESERVED:
                self.nop_out_answer(hdr)
                continue
            if op == OP_REJECT:
                raise Fail(f"ping rejected, reason {hdr[2]:#x}")
            check(op == OP_NOP_IN, f"{opname(op)} instead of the NOP-In")
            check(be32(hdr, 16) == itt, "NOP-In for another ITT")
            self.statsn = be32(hdr, 24) + 1
            return hdr, got

    def nop_out_answer(self, nop_in_hdr):
        ttt = be32(nop_in_hdr, 20)
        self.send_pdu(bhs(OP_NOP_OUT | IMM, 0x80, itt=RESERVED,
                          words=(ttt, self.cmdsn, self.statsn)))

    def scsi_send(self, cdb, *, read_len=0, edtl=None, lun=0, imm_data=b"",
                  write=False, final=True, immediate=False, cmdsn=None,
                  flags=None, itt=None, ahs=b"", bad_ddigest=False):
        itt = self.new_itt() if itt is None else itt
        if edtl is None:
            edtl = read_len
        f = (0x80 if final else 0) | (0x40 if read_len else 0) | \
            (0x20 if write else 0) | 0x01
        if flags is not None:
            f = flags
        h = bhs(OP_SCSI_CMD | (IMM if immediate else 0), f, dlen=len(imm_data),
                ahs_words=len(ahs) // 4, lun=lun, itt=itt,
                words=(edtl, self.cmdsn if cmdsn is None else cmdsn,
                       self.statsn),
                raw={32: cdb})
        self.send_pdu(h, imm_data, ahs, bad_ddigest=bad_ddigest)
        if not immediate and cmdsn is None:
            self.cmdsn += 1
        return itt

    def scsi(self, cdb, *, read_len=0, data=b"", edtl=None, lun=0,
             imm_len=None, **kw):
        """Run one command to its status: Data-In collected, R2Ts answered."""
        write = bool(data)
        if edtl is None:
            edtl = len(data) if write else read_len
        if imm_len is None:
            imm_len = min(self.first_burst, self.target_mrdsl, edtl) \
                if write and self.immediate_data else 0
        itt = self.scsi_send(cdb, read_len=read_len, edtl=edtl, lun=lun,
                             imm_data=data[:imm_len], write=write, **kw)
        return self.complete(itt, data, read_len, lun)

    def complete(self, itt, data=b"", read_len=0, lun=0, r2t_hook=None):
        buf = bytearray(read_len)
        got = 0
        while True:
            op, hdr, d = self.recv_pdu()
            if op == OP_NOP_IN and be32(hdr, 16) == RESERVED:
                self.nop_out_answer(hdr)
                continue
            if op == OP_REJECT:
                raise Fail(f"command rejected, reason {hdr[2]:#x}")
            check(be32(hdr, 16) == itt, f"{opname(op)} for another ITT")
            if op == OP_DATA_IN:
                off = be32(hdr, 40)
                check(len(d) <= self.our_mrdsl,
                      f"Data-In of {len(d)} bytes beyond our "
                      f"MaxRecvDataSegmentLength {self.our_mrdsl}")
                check(off + len(d) <= read_len,
                      "Data-In beyond the expected transfer length")
                buf[off:off + len(d)] = d
                got = max(got, off + len(d))
                if hdr[1] & 0x01:
                    self.statsn = be32(hdr, 24) + 1
                    return Result(hdr[3], bytes(buf[:got]), b"", hdr[1],
                                  be32(hdr, 44))
            elif op == OP_R2T:
                ttt, off, length = be32(hdr, 20), be32(hdr, 40), be32(hdr, 44)
                check(length <= self.max_burst,
                      f"R2T for {length} bytes beyond MaxBurstLength "
                      f"{self.max_burst}")
                check(off + length <= len(data),
                      f"R2T for [{off}, {off + length}) beyond the "
                      f"{len(data)} bytes of the write")
                if r2t_hook and r2t_hook(itt, ttt, off, length):
                    continue
                self.data_out(itt, ttt, data, off, length, lun)
            elif op == OP_SCSI_RSP:
                self.statsn = be32(hdr, 24) + 1
                sense = d[2:2 + be16(d, 0)] if len(d) >= 2 else b""
                return Result(hdr[3], bytes(buf[:got]), sense, hdr[1],
                              be32(hdr, 44), hdr[2])
            else:
                raise Fail(f"unexpected {opname(op)} during a command")

    def data_out(self, itt, ttt, data, off, length, lun=0, datasn=0):
        sent = 0
        while sent < length:
            n = min(self.target_mrdsl, length - sent)
            last = sent + n == length
            h = bhs(OP_DATA_OUT, 0x80 if last else 0, dlen=n, lun=lun, itt=itt,
                    words=(ttt, 0, self.statsn, 0, datasn, off + sent))
            self.send_pdu(h, data[off + sent:off + sent + n])
            sent += n
            datasn += 1

    def data_out_pdu(self, itt, ttt, payload, off, *, datasn=0, final=True,
                     lun=0, dlen=None):
        h = bhs(OP_DATA_OUT, 0x80 if final else 0,
                dlen=len(payload) if dlen is None else dlen, lun=lun, itt=itt,
                words=(ttt, 0, self.statsn, 0, datasn, off))
        self.send_pdu(h, payload)

    def first_r2t(self, itt):
        hdr, _ = self.expect(OP_R2T)
        check(be32(hdr, 16) == itt, "R2T for another ITT")
        return be32(hdr, 20), be32(hdr, 40), be32(hdr, 44)

    def tmf(self, function, *, rtt=RESERVED, lun=0, refcmdsn=0):
        itt = self.new_itt()
        h = bhs(OP_TMF | IMM, 0x80 | function, lun=lun, itt=itt,
                words=(rtt, self.cmdsn, self.statsn, refcmdsn))
        self.send_pdu(h)
        hdr, _ = self.expect(OP_TMF_RSP)
        check(be32(hdr, 16) == itt, "TMF Response for another ITT")
        self.statsn = be32(hdr, 24) + 1
        return hdr[2]

    def logout_send(self, reason=0, cid=0):
        itt = self.new_itt()
        h = bhs(OP_LOGOUT | IMM, 0x80 | reason, itt=itt,
                words=(cid << 16, self.cmdsn, self.statsn))
        self.send_pdu(h)
        return itt

    def logout(self, reason=0, cid=0):
        itt = self.logout_send(reason, cid)
        while True:
            op, hdr, _ = self.recv_pdu()
            if op == OP_NOP_IN and be32(hdr, 16) == RESERVED:
                continue
            check(op == OP_LOGOUT_RSP, f"{opname(op)} instead of Logout Response")
            check(be32(hdr, 16) == itt, "Logout Response for another ITT")
            self.statsn = be32(hdr, 24) + 1
            return hdr[2]


def expect_sense(res, key, asc, what):
    check(res.status == CHECK_CONDITION,
          f"{what}: status {res.status:#x}, expected CHECK CONDITION")
    check(res.sense_key() == key and res.asc() == asc,
          f"{what}: sense {res.sense[:14].hex()}, expected key {key:#x} "
          f"ASC {asc:#x}")


class Kmsg:
    """New kernel log records since the last look, from /dev/kmsg."""

    def __init__(self):
        self.bad = re.compile(os.environ.get(
            "ISPT_BAD_LOG", r"WARNING:|BUG:|Oops|general protection|lockup|"
            r"refcount_t|hung_task|blocked for more than|UBSAN|KASAN|kmemleak|"
            r"list_add corruption|list_del corruption|RCU stall"))
        try:
            self.fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
            os.lseek(self.fd, 0, os.SEEK_END)
        except OSError:
            self.fd = None

    def new_bad_lines(self):
        bad = []
        while self.fd is not None:
            try:
                rec = os.read(self.fd, 8192)
            except BlockingIOError:
                break
            except BrokenPipeError:
                continue	# overwritten while we read: skip ahead
            if not rec:
                break
            msg = rec.decode(errors="replace").split(";", 1)[-1].strip()
            if self.bad.search(msg):
                bad.append(msg)
        return bad


class Ctx:
    def __init__(self, port, target, seed, lun_blocks, block_size):
        self.port, self.target, self.seed = port, target, seed
        self.blocks, self.block_size = lun_blocks, block_size
        self.rng = random.Random(seed)
        self.health_round = 0

    def session(self, **kw):
        return Session(self, **kw)

    def logged_in(self, overrides=(), mrdsl=None, **kw):
        s = Session(self, **kw)
        s.login_ffp(overrides, mrdsl=mrdsl)
        return s


def health(ctx):
    """A clean login, a write with immediate data and R2T, a read of the
    same blocks that must return the written bytes, a logout."""
    s = ctx.logged_in(mrdsl=65536, timeout=20)
    bs = ctx.block_size
    nblk = 160 * 1024 // bs
    # Each round writes its own blocks: a stale read cannot pass.
    lba = (ctx.health_round * nblk) % (ctx.blocks - nblk)
    ctx.health_round += 1
    data = random.Random(ctx.health_round).randbytes(nblk * bs)
    res = s.scsi(write10(lba, nblk), data=data)
    check(res.status == GOOD, f"health WRITE: {res}")
    res = s.scsi(read10(lba, nblk), read_len=len(data))
    check(res.status == GOOD, f"health READ: {res}")
    check(res.data == data, "health READ returned other bytes than written")
    check(s.logout() == 0, "health logout refused")
    s.expect_closed(10)
    s.close()


SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


def fresh_closed(ctx, payload, within=10, allow=()):
    s = ctx.session()
    s.send_raw(payload)
    got = s.expect_closed(within, allow)
    s.close()
    return got


def login_expect(ctx, data, status, within=10, **kw):
    """One Login Request on a fresh connection; the answer must be @status
    and, for a failure, the connection must close after it."""
    s = ctx.session()
    s.login_pdu(data, **kw)
    _, keys = s.login_rsp(status)
    if status != LOGIN_OK:
        s.expect_closed(within)
        s.close()
        return None, keys
    return s, keys


def good_login_text(ctx, extra=(), drop=()):
    s = Session.__new__(Session)
    s.ctx, s.our_mrdsl = ctx, LOGIN_MAX_DSL
    return text(Session.login_keys(s, extra, drop))


# ---------------------------------------------------------------- framing

@scenario
def truncated_pdus(ctx):
    """Half a header or half a data segment, then silence or a close."""
    # Half a BHS, then a close: nothing to answer.
    s = ctx.session()
    s.send_raw(bhs(OP_LOGIN | IMM, 0x87)[:20])
    s.close()
    # A login header announcing 200 bytes, 50 of them, then a close.
    s = ctx.session()
    s.send_raw(bhs(OP_LOGIN | IMM, 0x87, dlen=200) + b"InitiatorName=" + bytes(36))
    s.close()
    # Logged in: half a BHS, then FIN: the target closes, sending nothing.
    s = ctx.logged_in()
    s.send_raw(bhs(OP_NOP_OUT | IMM, 0x80, itt=7)[:30])
    s.sock.shutdown(socket.SHUT_WR)
    s.expect_closed(10)
    s.close()
    # A write's immediate data cut short, then FIN.
    s = ctx.logged_in()
    h = bhs(OP_SCSI_CMD, 0xA1, dlen=4096, itt=9, words=(4096, s.cmdsn, s.statsn),
            raw={32: write10(0, 4096 // ctx.block_size)})
    s.send_raw(h + bytes(1000))
    s.sock.shutdown(socket.SHUT_WR)
    s.expect_closed(10)
    s.close()
    # Half a Data-Out answering an R2T, then FIN.
    s = ctx.logged_in()
    nblk = 8192 // ctx.block_size
    itt = s.scsi_send(write10(0, nblk), edtl=8192, write=True)
    ttt, off, length = s.first_r2t(itt)
    h = bhs(OP_DATA_OUT, 0x80, dlen=length, itt=itt,
            words=(ttt, 0, s.statsn, 0, 0, off))
    s.send_raw(h + bytes(length // 2))
    s.sock.shutdown(socket.SHUT_WR)
    s.expect_closed(10)
    s.close()


@scenario
def garbage_before_login(ctx):
    """Random headers whose opcode is not Login: the target hangs up
    without answering (only Login PDUs may open a connection)."""
    for _ in range(16):
        h = bytearray(ctx.rng.randbytes(48))
        while h[0] & 0x3F == OP_LOGIN:
            h[0] = ctx.rng.randrange(256)
        h[4] = 0
        dlen = ctx.rng.randrange(0, 2 * LOGIN_MAX_DSL)
        h[5:8] = dlen.to_bytes(3, "big")
        payload = bytes(h)
        if dlen <= LOGIN_MAX_DSL:
            payload += r.pad4(ctx.rng.randbytes(dlen))
        fresh_closed(ctx, payload, allow=())


@scenario
def garbage_login_headers(ctx):
    """Random Login headers without text: one Login Response, status class
    2 (initiator error), then the close."""
    for _ in range(24):
        h = bytearray(ctx.rng.randbytes(48))
        h[0] = OP_LOGIN | (h[0] & 0xC0)
        h[4:8] = bytes(4)
        got = fresh_closed(ctx, bytes(h), allow=(OP_LOGIN_RSP,))
        check(len(got) == 1, f"{len(got)} Login Responses, expected one")
        rsp = got[0][1]
        check(rsp[36] == 2, f"login status {rsp[36]:02x}{rsp[37]:02x} for "
              f"header {bytes(h).hex()}, expected class 02")
        check(rsp[16:20] == h[16:20], "Login Response with another ITT")


@scenario
def huge_lengths(ctx):
    """DataSegmentLength beyond what the target declared: the connection
    closes before the data is read. AHS on PDUs that define none do not
    throw the framing off."""
    fresh_closed(ctx, bhs(OP_LOGIN | IMM, 0x87, dlen=0xFFFFFF, itt=1))
    fresh_closed(ctx, bhs(OP_LOGIN | IMM, 0x87, dlen=LOGIN_MAX_DSL + 1, itt=1))
    for dlen in (0xFFFFFF, None):
        s = ctx.logged_in()
        check(s.target_mrdsl == 65536,
              f"target declared MaxRecvDataSegmentLength {s.target_mrdsl}")
        dlen = dlen or s.target_mrdsl + 1
        s.send_raw(bhs(OP_NOP_OUT | IMM, 0x80, dlen=dlen, itt=5,
                       words=(RESERVED, s.cmdsn, s.statsn)))
        s.expect_closed(10)
        s.close()
    # 1020 bytes of AHS on a NOP-Out: answered or rejected, but the next
    # PDU is read from the right byte.
    s = ctx.logged_in()
    ahs = ctx.rng.randbytes(1020)
    itt = s.new_itt()
    s.send_pdu(bhs(OP_NOP_OUT | IMM, 0x80, ahs_words=255, dlen=16, itt=itt,
                   words=(RESERVED, s.cmdsn, s.statsn)), b"x" * 16, ahs)
    op, hdr, _ = s.recv_pdu()
    check(op in (OP_NOP_IN, OP_REJECT), f"{opname(op)} for a NOP-Out with AHS")
    s.ping(b"after the AHS")
    s.logout()
    s.close()
    # The same on a Login Request.
    s = ctx.session()
    s.login_pdu(good_login_text(ctx), ahs=ctx.rng.randbytes(1020))
    op, hdr, _ = s.recv_pdu()
    check(op == OP_LOGIN_RSP, f"{opname(op)} for a Login Request with AHS")
    s.close()


@scenario
def digest_errors(ctx):
    """A header digest error closes the connection (lengths cannot be
    trusted); a data digest error on a NOP-Out gets Reject reason 0x02 and
    the PDU is dropped (RFC 7143 7.8)."""
    s = ctx.logged_in((("HeaderDigest", "CRC32C"), ("DataDigest", "CRC32C")))
    check(s.hdigest and s.ddigest, "digests not negotiated")
    _, got = s.ping(b"with digests")
    check(got == b"with digests", "ping data changed")
    s.nop_out(b"bad data digest", bad_ddigest=True)
    s.expect_reject(REJ_DIGEST)
    _, got = s.ping(b"still here")
    check(got == b"still here", "ping data changed")
    s.nop_out(b"", bad_hdigest=True)
    s.expect_closed(10)
    s.close()


@scenario
def digest_retry_behind_own_gap(ctx):
    """A write whose data digest fails is rejected and its CmdSN not taken;
    the initiator sends it again on the same connection. On a session that
    negotiated MaxConnections=2 the command it had sent after it must not
    wait for the retry to come from another connection (it would come
    behind it, on a connection that reads no further): it is dropped as
    on one connection, the retry runs and its data is on the disk."""
    cfs = os.environ.get("ISPT_CFS", "/sys/kernel/config/iscsi_spt")
    attr = os.path.join(cfs, "max_connections_per_session")
    with open(attr) as f:
        saved = f.read().strip()
    with open(attr, "w") as f:
        f.write("2")
    try:
        s = ctx.logged_in((("DataDigest", "CRC32C"),
                           ("MaxConnections", "2")), timeout=10)
        check(s.ddigest, "data digest not negotiated")
        bs = ctx.block_size
        lba = ctx.blocks - 8
        data = ctx.rng.randbytes(bs)
        n = s.cmdsn
        s.scsi_send(write10(lba, 1), edtl=bs, imm_data=data, write=True,
                    cmdsn=n, bad_ddigest=True)
        s.expect_reject(REJ_DIGEST)
        s.scsi_send(TUR, cmdsn=n + 1)
        itt = s.scsi_send(write10(lba, 1), edtl=bs, imm_data=data,
                          write=True, cmdsn=n)
        res = s.complete(itt, data)
        check(res.status == GOOD, f"the retried write: {res}")
        s.cmdsn = n + 1
        res = s.scsi(read10(lba, 1), read_len=bs)
        check(res.status == GOOD and res.data == data,
              f"read back after the retry: {res.status:#x}, "
              f"{'same' if res.data == data else 'other'} data")
        s.close()
    finally:
        with open(attr, "w") as f:
            f.write(saved)


# ---------------------------------------------------------------- login

@scenario
def login_illegal_transitions(ctx):
    """Every transition RFC 7143 6.3 forbids fails the login with 0x0200
    (or its own status), then the connection closes."""
    t = good_login_text(ctx)
    single = [
        ("CSG=3", dict(csg=3, nsg=3, transit=False), LOGIN_INIT_ERR),
        ("CSG=2", dict(csg=2, transit=False), LOGIN_INIT_ERR),
        ("1->1", dict(csg=1, nsg=1), LOGIN_INIT_ERR),
        ("1->0", dict(csg=1, nsg=0), LOGIN_INIT_ERR),
        ("0->2", dict(csg=0, nsg=2), LOGIN_INIT_ERR),
        ("0->0", dict(csg=0, nsg=0), LOGIN_INIT_ERR),
        ("T and C", dict(csg=1, nsg=3, cont=True), LOGIN_INIT_ERR),
        ("VersionMin 1", dict(vmin=1, vmax=1), LOGIN_NO_VERSION),
        ("reserved ITT", dict(itt=RESERVED), LOGIN_INIT_ERR),
        ("unknown TSIH", dict(tsih=0x4242), LOGIN_NO_SESSION),
    ]
    for name, kw, status in single:
        try:
            login_expect(ctx, t, status, **kw)
        except Fail as e:
            raise Fail(f"{name}: {e}")
    # Two PDUs: a first one that stays in its stage, then a bad second.
    first = text([("InitiatorName", INITIATOR), ("TargetName", ctx.target),
                  ("SessionType", "Normal"), ("AuthMethod", "None")])
    second = [
        ("stage changed without T", dict(csg=1, transit=False)),
        ("ISID changed", dict(isid=b"\x80\x01\x02\x03\x04\x05")),
        ("TSIH changed", dict(tsih=7)),
        ("CID changed", dict(cid=3)),
        ("back to stage 0 after 0->1", None),
    ]
    for name, kw in second:
        s = ctx.session()
        try:
            if kw is None:
                s.login_pdu(first, csg=0, nsg=1)
                hdr, _ = s.login_rsp()
                check(hdr[1] & 0x83 == 0x81, "no transit to stage 1")
                kw = dict(csg=0, transit=False)
            else:
                s.login_pdu(first, csg=0, transit=False)
                s.login_rsp()
            s.login_pdu(b"", **kw)
            s.login_rsp(LOGIN_INIT_ERR)
            s.expect_closed(10)
        except Fail as e:
            raise Fail(f"{name}: {e}")
        s.close()
    # The legal paths: 0 -> 1 -> 3, and security straight to Full
    # Feature Phase, which is legal without authentication.
    s = ctx.session()
    s.login_pdu(first, csg=0, nsg=1)
    s.login_rsp()
    s.login_pdu(text([("HeaderDigest", "None")]), csg=1, nsg=3)
    hdr, _ = s.login_rsp()
    check(hdr[1] & 0x83 == 0x83, "1->3 not accepted after 0->1")
    s.ping()
    s.logout()
    s.close()
    s = ctx.session()
    s.login_pdu(first, csg=0, nsg=3)
    hdr, _ = s.login_rsp()
    check(hdr[1] & 0x83 == 0x83, "0->3 not accepted")
    s.ping()
    # A Login Request in Full Feature Phase is a protocol error.
    s.login_pdu(t)
    s.expect_reject(REJ_PROTOCOL)
    s.ping()
    s.logout()
    s.close()
    # Missing or unknown names.
    login_expect(ctx, good_login_text(ctx, drop=("InitiatorName",)), LOGIN_MISSING)
    login_expect(ctx, good_login_text(ctx, drop=("TargetName",)), LOGIN_MISSING)
    login_expect(ctx, good_login_text(ctx, (("TargetName", ctx.target + "-nope"),)),
                 LOGIN_TGT_NOT_FOUND)


@scenario
def login_malformed_text(ctx):
    """Malformed pairs fail the login with 0x0200; a bad value of a
    negotiated key is answered key=Reject (RFC 7143 6.2) and the login
    goes on; unknown keys are answered NotUnderstood."""
    base = good_login_text(ctx)
    fatal = [
        ("no '='", base + b"JustAKey\0"),
        ("empty key", base + b"=value\0"),
        ("key of 64 bytes", base + b"K" * 64 + b"=1\0"),
        ("value of 256 bytes", base + b"X-long=" + b"v" * 256 + b"\0"),
        ("no final NUL", base + b"X-a=b"),
        ("bad SessionType", good_login_text(ctx, (("SessionType", "Bogus"),))),
        ("target-only key", base + b"TargetAlias=evil\0"),
        ("target-only TargetAddress", base + b"TargetAddress=1.2.3.4:3260,1\0"),
        ("InitiatorName of 300", good_login_text(ctx, (("InitiatorName", "i" * 300),))),
    ]
    for name, data in fatal:
        try:
            login_expect(ctx, data, LOGIN_INIT_ERR)
        except Fail as e:
            raise Fail(f"{name}: {e}")
    answered = [
        ("MaxBurstLength", "abc", "Reject"),
        ("MaxBurstLength", "0777", "Reject"),
        ("MaxBurstLength", "99999999999999999999999", "Reject"),
        ("MaxBurstLength", "", "Reject"),
        ("MaxBurstLength", "0x", "Reject"),
        ("MaxBurstLength", "511", "Reject"),
        ("MaxBurstLength", "-1", "Reject"),
        ("HeaderDigest", "MD5,SHA1", "Reject"),
        ("DataDigest", ",,,", "Reject"),
        ("ImmediateData", "Maybe", "Reject"),
        ("ErrorRecoveryLevel", "3", "Reject"),
        ("X-com.example.evil", "\x01\x02\x7f", "NotUnderstood"),
        ("\xff\xfe", "x", "NotUnderstood"),
        ("OFMarker", "Yes", "No"),
    ]
    for key, value, answer in answered:
        try:
            s, keys = login_expect(ctx, good_login_text(ctx, ((key, value),)),
                                   LOGIN_OK)
        except Fail as e:
            raise Fail(f"{key}={value!r}: {e}")
        got = keys.get(key.encode().decode(errors="replace"))
        check(got == answer, f"{key}={value!r} answered {got!r}, expected {answer}")
        s.ping()
        s.close()
    # Stray NULs between pairs are padding, not pairs.
    s, _ = login_expect(ctx, b"\0\0" + base + b"\0\0\0", LOGIN_OK)
    s.ping()
    s.close()


@scenario
def login_text_limits(ctx):
    """8 KiB of text in one PDU works; a byte more closes the connection;
    text spread over C-bit PDUs is answered with empty responses and is
    capped (64 KiB) with 0x0200."""
    base = good_login_text(ctx)
    filler = b""
    i = 0
    while len(base) + len(filler) + 256 <= LOGIN_MAX_DSL:
        filler += f"X-f{i:03d}=".encode() + b"a" * 240 + b"\0"
        i += 1
    data = base + filler
    data += b"\0" * (LOGIN_MAX_DSL - len(data))
    s, keys = login_expect(ctx, data, LOGIN_OK)
    check(keys.get("X-f000") == "NotUnderstood", "X- key not answered")
    s.ping()
    s.close()
    fresh_closed(ctx, bhs(OP_LOGIN | IMM, 0x87, dlen=LOGIN_MAX_DSL + 4, itt=1) +
                 bytes(LOGIN_MAX_DSL + 4))
    # Continuations: 24 KiB of keys over three C PDUs, then the names.
    big = b"".join(f"X-c{i:04d}=".encode() + b"b" * 200 + b"\0" for i in range(110))
    s = ctx.session()
    chunks = [big[i:i + LOGIN_MAX_DSL] for i in range(0, len(big), LOGIN_MAX_DSL)]
    for c in chunks:
        s.login_pdu(c, transit=False, cont=True)
        hdr, keys = s.login_rsp()
        check(not keys and hdr[1] & 0xC0 == 0,
              "a continued request must get an empty response")
    s.login_pdu(base)
    _, keys = s.login_rsp()
    check(keys.get("X-c0109") == "NotUnderstood", "last continued key not answered")
    s.ping()
    s.close()
    # Past 64 KiB of accumulated text: 0x0200.
    s = ctx.session()
    chunk = b"X-big=" + b"z" * (LOGIN_MAX_DSL - 6)
    n = 0
    while True:
        s.login_pdu(chunk, transit=False, cont=True)
        hdr, _ = s.login_rsp(None)
        n += 1
        if hdr[36] != 0:
            check((hdr[36], hdr[37]) == LOGIN_INIT_ERR,
                  f"status {hdr[36]:02x}{hdr[37]:02x} for too much text")
            check(n * LOGIN_MAX_DSL > 65536, f"refused after only {n} PDUs")
            break
        check(n <= 9, "more than 64 KiB of login text accepted")
    s.expect_closed(10)
    s.close()


@scenario
def login_repeated_keys(ctx):
    """A key negotiated twice fails the login with 0x0200 (RFC 7143 6.2),
    in one PDU or across two; thousands of unknown keys get an answer
    (NotUnderstood or an initiator error), never a target error or
    silence."""
    base = good_login_text(ctx)
    login_expect(ctx, base + b"HeaderDigest=None\0", LOGIN_INIT_ERR)
    login_expect(ctx, base + text([("InitiatorName", INITIATOR)]), LOGIN_INIT_ERR)
    s = ctx.session()
    s.login_pdu(good_login_text(ctx, drop=("MaxBurstLength",)) +
                b"MaxBurstLength=8192\0", transit=False)
    s.login_rsp()
    s.login_pdu(b"MaxBurstLength=8192\0")
    s.login_rsp(LOGIN_INIT_ERR)
    s.expect_closed(10)
    s.close()
    for name, pairs in (("repeated", [("X-rep", "1")] * 3000),
                        ("distinct", [(f"X-k{i}", "1") for i in range(3000)])):
        blob = text(pairs)
        s = ctx.session()
        for i in range(0, len(blob), LOGIN_MAX_DSL):
            s.login_pdu(blob[i:i + LOGIN_MAX_DSL], transit=False, cont=True)
            s.login_rsp()
        s.login_pdu(base)
        hdr, keys = s.login_rsp(None)
        status = (hdr[36], hdr[37])
        check(status in (LOGIN_OK, LOGIN_INIT_ERR),
              f"{name} keys: login status {status[0]:02x}{status[1]:02x}")
        if status == LOGIN_OK:
            check(all(keys.get(k) == "NotUnderstood" for k, _ in pairs),
                  f"{name} keys: not all answered NotUnderstood")
            s.ping()
        else:
            s.expect_closed(10)
        s.close()


@scenario
def commands_before_login(ctx):
    """Any PDU but a Login Request on a new connection: the target
    closes it (at most after a failed Login Response), never acts on it."""
    pdus = [
        ("NOP-Out", bhs(OP_NOP_OUT | IMM, 0x80, itt=1, words=(RESERVED,))),
        ("TEST UNIT READY", bhs(OP_SCSI_CMD, 0x81, itt=1, raw={32: TUR})),
        ("WRITE with data", bhs(OP_SCSI_CMD, 0xA1, dlen=512, itt=1,
                                words=(512,), raw={32: write10(0, 1)}) + bytes(512)),
        ("TMF", bhs(OP_TMF | IMM, 0x85, itt=1)),
        ("Text", bhs(OP_TEXT | IMM, 0x80, dlen=16, itt=1, words=(RESERVED,)) +
         b"SendTargets=All\0"),
        ("Data-Out", bhs(OP_DATA_OUT, 0x80, dlen=512, itt=1, words=(RESERVED,)) +
         bytes(512)),
        ("Logout", bhs(OP_LOGOUT | IMM, 0x80, itt=1)),
        ("SNACK", bhs(OP_SNACK, 0x80, itt=1)),
        ("NOP-In", bhs(OP_NOP_IN, 0x80, itt=1)),
        ("Reject", bhs(OP_REJECT, 0x80, itt=1)),
        ("vendor 0x1c", bhs(0x1C, 0x80, itt=1)),
    ]
    for name, payload in pdus:
        try:
            got = fresh_closed(ctx, payload, allow=(OP_LOGIN_RSP,))
            for _, hdr, _ in got:
                check(hdr[36] != 0, "Login Response with success")
        except Fail as e:
            raise Fail(f"{name}: {e}")
    # A command in the middle of a login.
    s = ctx.session()
    s.login_pdu(good_login_text(ctx), transit=False)
    s.login_rsp()
    s.send_raw(bhs(OP_SCSI_CMD, 0x81, itt=2, words=(0, s.cmdsn, s.statsn),
                   raw={32: TUR}))
    s.expect_closed(10, allow=(OP_LOGIN_RSP,))
    s.close()


@scenario
def discovery_session_limits(ctx):
    """A discovery session answers SendTargets and refuses SCSI commands
    and task management with Reject (protocol error)."""
    s = ctx.session()
    s.login_ffp(session_type="Discovery")
    s.scsi_send(TUR)
    s.expect_reject(REJ_PROTOCOL)
    h = bhs(OP_TMF | IMM, 0x81, itt=s.new_itt(), words=(0x1234, s.cmdsn, s.statsn))
    s.send_pdu(h)
    s.expect_reject(REJ_PROTOCOL)
    itt = s.new_itt()
    s.send_pdu(bhs(OP_TEXT, 0x80, dlen=16, itt=itt,
                   words=(RESERVED, s.cmdsn, s.statsn)), b"SendTargets=All\0")
    s.cmdsn += 1
    hdr, data = s.expect(OP_TEXT_RSP)
    check(be32(hdr, 16) == itt and hdr[1] & 0x80, "Text Response not final")
    check(f"TargetName={ctx.target}".encode() in data,
          "SendTargets=All does not list the target")
    # A value of 255 bytes naming nothing: an empty answer.
    s.send_pdu(bhs(OP_TEXT, 0x80, dlen=268, itt=s.new_itt(),
                   words=(RESERVED, s.cmdsn, s.statsn)),
               b"SendTargets=" + b"n" * 255 + b"\0")
    s.cmdsn += 1
    hdr, data = s.expect(OP_TEXT_RSP)
    check(b"TargetName" not in data, "a target listed for an unknown name")
    s.ping()
    check(s.logout() == 0, "logout refused")
    s.close()


# ---------------------------------------------------------------- full feature

@scenario
def cmdsn_window(ctx):
    """Commands outside [ExpCmdSN, MaxCmdSN] are dropped silently (RFC
    7143 3.2.2.1) and do not move ExpCmdSN; the next one in order runs."""
    s = ctx.logged_in()
    e = s.cmdsn
    for bad in (e + 1000, e - 1, e + 0x80000000, e + 128):
        s.scsi_send(TUR, cmdsn=bad & RESERVED)
        s.expect_nothing(1.0)
    nblk = 4096 // ctx.block_size
    s.scsi_send(write10(0, nblk), edtl=4096, write=True, imm_data=bytes(4096),
                cmdsn=(e + 1000) & RESERVED)
    s.expect_nothing(1.0)
    itt = s.nop_out(b"in order", immediate=False)
    op, hdr, data = s.recv_pdu()
    check(op == OP_NOP_IN and be32(hdr, 16) == itt, f"{opname(op)} for the NOP-Out")
    check(be32(hdr, 28) == (e + 1) & RESERVED,
          f"ExpCmdSN {be32(hdr, 28)} after one command, expected {e + 1}")
    check(be32(hdr, 32) == (e + 128) & RESERVED,
          f"MaxCmdSN {be32(hdr, 32)}, expected {e + 128}")
    res = s.scsi(TUR)
    check(res.status == GOOD, f"TUR in order: {res}")
    s.logout()
    s.close()
    # CmdSN is a serial number: a session that starts just below 2^32
    # keeps its window across the wrap.
    s = ctx.session()
    s.cmdsn = 0xFFFFFFF8
    s.login_ffp()
    check(s.cmdsn == 0xFFFFFFF8, f"ExpCmdSN {s.cmdsn:#x} after login")
    for i in range(16):
        res = s.scsi(TUR)
        check(res.status == GOOD, f"TUR {i} across the CmdSN wrap: {res}")
    s.scsi_send(TUR, cmdsn=(s.cmdsn - 3) & RESERVED)	# old, behind the wrap
    s.expect_nothing(1.0)
    itt = s.nop_out(immediate=False)
    op, hdr, _ = s.recv_pdu()
    check(op == OP_NOP_IN and be32(hdr, 28) == s.cmdsn & RESERVED,
          f"ExpCmdSN {be32(hdr, 28):#x} after the wrap, expected "
          f"{s.cmdsn & RESERVED:#x}")
    s.logout()
    s.close()


@scenario
def dataout_unknown_ttt(ctx):
    """Data-Out that names no live transfer is dropped; the right one
    still completes the write."""
    s = ctx.logged_in()
    s.data_out_pdu(0x7777, 0x12345678, bytes(4096), 0)
    s.data_out_pdu(0x7778, RESERVED, bytes(512), 0)
    s.data_out_pdu(0x7779, 0x42, b"", 0)
    s.expect_nothing(1.0)
    s.ping()
    bs = ctx.block_size
    data = ctx.rng.randbytes(4096)
    itt = s.scsi_send(write10(16, 4096 // bs), edtl=4096, write=True)
    ttt, off, length = s.first_r2t(itt)
    check((off, length) == (0, 4096), f"R2T for [{off}, +{length})")
    s.data_out_pdu(itt, ttt ^ 0x5A5A, data, 0)		# wrong TTT
    s.data_out_pdu(itt ^ 0x100, ttt, data, 0)		# wrong ITT
    s.expect_nothing(1.0)
    s.data_out_pdu(itt, ttt, data, 0)
    res = s.complete(itt)
    check(res.status == GOOD, f"write after stray Data-Out: {res}")
    res = s.scsi(read10(16, 4096 // bs), read_len=4096)
    check(res.data == data, "stray Data-Out changed the written data")
    s.logout()
    s.close()


@scenario
def dataout_beyond_buffer(ctx):
    """Data-Out outside the R2T's range or the buffer, out of sequence or
    with a wrong F bit: a Reject or a closed connection, never data
    landing outside the command's buffer."""
    bs = ctx.block_size
    cases = [
        ("past the buffer", lambda s, itt, ttt: s.data_out_pdu(itt, ttt, bytes(512), 4096)),
        ("longer than the R2T", lambda s, itt, ttt: s.data_out_pdu(itt, ttt, bytes(8192), 0)),
        ("offset near 2^32", lambda s, itt, ttt: s.data_out_pdu(itt, ttt, bytes(512), 0xFFFFFE00)),
        ("F too early", lambda s, itt, ttt: s.data_out_pdu(itt, ttt, bytes(2048), 0)),
        ("F missing", lambda s, itt, ttt: s.data_out_pdu(itt, ttt, bytes(4096), 0, final=False)),
        ("gap", lambda s, itt, ttt: (s.data_out_pdu(itt, ttt, bytes(1024), 0, final=False),
                                     s.data_out_pdu(itt, ttt, bytes(1024), 2048, datasn=1))),
    ]
    for name, send in cases:
        s = ctx.logged_in()
        itt = s.scsi_send(write10(32, 4096 // bs), edtl=4096, write=True)
        ttt, _, _ = s.first_r2t(itt)
        send(s, itt, ttt)
        try:
            op = None
            try:
                op, hdr, _ = s.recv_pdu(10)
            except (ConnectionResetError, ConnectionAbortedError):
                pass
            if op is not None:
                check(op == OP_REJECT, f"{opname(op)} instead of a Reject or close")
                check(hdr[2] in (REJ_PROTOCOL, REJ_INVALID_FIELD),
                      f"Reject reason {hdr[2]:#x}")
        except Fail as e:
            raise Fail(f"{name}: {e}")
        s.close()


@scenario
def dataout_datasn_out_of_order(ctx):
    """A Data-Out whose DataSN is out of order implies one lost to a
    digest error (RFC 7143 7.9): at ERL 0 the task ends ABORTED COMMAND,
    PROTOCOL SERVICE CRC ERROR (47/05), and nothing of it is written; the
    rest of its data is dropped and the connection goes on."""
    bs = ctx.block_size
    s = ctx.logged_in()
    old = ctx.rng.randbytes(8192)
    res = s.scsi(write10(40, 8192 // bs), data=old)
    check(res.status == GOOD, f"first write: {res}")
    new = b"\x5a" * 8192
    for name, order in (("DataSN 5 first", (5, 1)), ("reversed", (1, 0)),
                        ("repeated", (0, 0))):
        itt = s.scsi_send(write10(40, 8192 // bs), edtl=8192, write=True)
        ttt, _, _ = s.first_r2t(itt)
        s.data_out_pdu(itt, ttt, new[:4096], 0, datasn=order[0], final=False)
        s.data_out_pdu(itt, ttt, new[4096:], 4096, datasn=order[1])
        res = s.complete(itt)
        check(res.status == CHECK_CONDITION and res.sense_key() == ABORTED_COMMAND
              and res.asc() == ASC_CRC_ERROR and res.sense[13] == 0x05,
              f"{name}: {res}")
        res = s.scsi(read10(40, 8192 // bs), read_len=8192)
        check(res.status == GOOD and res.data == old,
              f"{name}: the aborted write changed the data")
    s.logout()
    s.close()


@scenario
def unsolicited_data_limits(ctx):
    """Immediate data the session forbids (ImmediateData=No, beyond
    FirstBurstLength) and F=0 under InitialR2T=Yes are protocol errors:
    Reject, and the command does not run. A rejected command counts as
    not received (RFC 7143 7.3): its CmdSN stays open, and a command sent
    again with it runs."""
    bs = ctx.block_size
    cases = [
        ("ImmediateData=No", (("ImmediateData", "No"),), bytes(4096), True),
        ("beyond FirstBurstLength", (("FirstBurstLength", "1024"),),
         bytes(2048), True),
        ("F=0 with InitialR2T=Yes", (("InitialR2T", "Yes"),), bytes(1024),
         False),
    ]
    for name, keys, imm, final in cases:
        s = ctx.logged_in(keys)
        k, v = keys[0]
        check(s.keys.get(k) == v, f"{name}: {k}={v} not agreed")
        cmdsn = s.cmdsn
        s.scsi_send(write10(48, 4096 // bs), edtl=4096, write=True,
                    imm_data=imm, final=final)
        try:
            s.expect_reject(REJ_PROTOCOL)
            s.expect_nothing(1.0)
            # Plug the gap: the same CmdSN, now a command that is allowed.
            s.cmdsn = cmdsn
            itt = s.scsi_send(TUR)
            hdr, _ = s.expect(OP_SCSI_RSP, timeout=3)
        except socket.timeout:
            raise Fail(f"{name}: the rejected command's CmdSN was taken: a "
                       f"command sent again with it was dropped")
        except Fail as e:
            raise Fail(f"{name}: {e}")
        check(be32(hdr, 16) == itt and hdr[3] == GOOD,
              f"{name}: TUR with the rejected CmdSN: status {hdr[3]:#x}")
        s.statsn = be32(hdr, 24) + 1
        s.ping()
        s.close()


@scenario
def negotiated_limits_respected(ctx):
    """The target keeps to what was negotiated: R2Ts within
    MaxBurstLength, Data-In and NOP-In within our receive limit; a
    Data-Out beyond an R2T's length is refused."""
    bs = ctx.block_size
    s = ctx.logged_in((("MaxBurstLength", "4096"), ("FirstBurstLength", "4096")),
                      mrdsl=512)
    check(s.max_burst == 4096, f"MaxBurstLength {s.max_burst}")
    data = ctx.rng.randbytes(16384)
    res = s.scsi(write10(64, 16384 // bs), data=data, imm_len=0)
    check(res.status == GOOD, f"write in 4 KiB bursts: {res}")
    res = s.scsi(read10(64, 16384 // bs), read_len=16384)
    check(res.status == GOOD and res.data == data, "read back in 512 B Data-In")
    _, got = s.ping(bytes(range(256)) * 16)
    check(got == (bytes(range(256)) * 16)[:512],
          f"NOP-In echoed {len(got)} bytes, expected the first 512")
    itt = s.scsi_send(write10(64, 16384 // bs), edtl=16384, write=True)
    ttt, off, length = s.first_r2t(itt)
    check(length == 4096, f"R2T of {length} bytes")
    s.data_out_pdu(itt, ttt, bytes(512), off, final=False)
    s.data_out_pdu(itt, ttt, bytes(8192 - 512), off + 512, datasn=1)
    op = None
    try:
        op, hdr, _ = s.recv_pdu(10)
    except (ConnectionResetError, ConnectionAbortedError):
        pass
    check(op in (None, OP_REJECT), f"{opname(op)} for a Data-Out past its R2T")
    s.close()


@scenario
def transfer_lengths(ctx):
    """Transfers past the capacity or of 2^32-1 blocks end in CHECK
    CONDITION, ILLEGAL REQUEST, LBA OUT OF RANGE; a length over the
    Block Limits in INVALID FIELD IN CDB; EDTL shorter than the CDB in
    GOOD with an overflow residual (RFC 7143 11.4.5)."""
    bs, cap = ctx.block_size, ctx.blocks
    s = ctx.logged_in()
    for what, cdb in (("READ(16) at the capacity", read16(cap, 1)),
                      ("READ(16) of 2^32-1 blocks", read16(0, RESERVED)),
                      ("READ(16) at LBA 2^64-1", read16(2**64 - 1, 1)),
                      ("READ(10) across the end", read10(cap - 1, 2))):
        expect_sense(s.scsi(cdb, read_len=4096), ILLEGAL_REQUEST,
                     ASC_LBA_OUT_OF_RANGE, what)
    big = (8 << 20) // bs + 1
    if big < cap:
        expect_sense(s.scsi(read16(0, big), read_len=4096), ILLEGAL_REQUEST,
                     ASC_INVALID_FIELD_IN_CDB, "READ(16) over the transfer limit")
    # A write that cannot run: its immediate data is read and dropped.
    expect_sense(s.scsi(write16(0, RESERVED), data=bytes(4096)),
                 ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, "WRITE(16) of 2^32-1 blocks")
    expect_sense(s.scsi(write10(cap, 1), data=bytes(bs), imm_len=0),
                 ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, "WRITE(10) at the capacity")
    s.ping()
    res = s.scsi(read10(0, 16), read_len=0, edtl=0)
    check(res.status == GOOD and res.flags & 0x04 and res.residual == 16 * bs,
          f"READ(10) with EDTL 0: {res}")
    res = s.scsi(read10(0, 16), read_len=1000)
    check(res.status == GOOD and len(res.data) == 1000 and res.flags & 0x04 and
          res.residual == 16 * bs - 1000, f"READ(10) with EDTL 1000: {res}")
    res = s.scsi(read10(0, 0), read_len=0)
    check(res.status == GOOD and not res.data, f"READ(10) of 0 blocks: {res}")
    s.logout()
    s.close()


@scenario
def direction_mismatch(ctx):
    """A WRITE whose PDU lacks the W bit cannot move its data: the target
    must not report it GOOD as if written. A READ without the R bit sends
    no Data-In the initiator did not ask for. A READ with both bits and
    immediate data still reads, and drops the data."""
    bs = ctx.block_size
    s = ctx.logged_in()
    marker = ctx.rng.randbytes(4096)
    res = s.scsi(write10(96, 4096 // bs), data=marker)
    check(res.status == GOOD, f"plain write: {res}")
    itt = s.scsi_send(write10(96, 4096 // bs), edtl=4096, read_len=4096,
                      write=False)
    res = s.complete(itt, read_len=4096)
    wrote_nothing = res.flags & 0x06 and res.residual == 4096
    check(res.status != GOOD or wrote_nothing,
          f"WRITE without the W bit answered {res}: GOOD with no residual "
          f"claims 4096 bytes written that never came")
    res = s.scsi(read10(96, 4096 // bs), read_len=4096)
    check(res.data == marker, "a WRITE without data changed the blocks")
    itt = s.scsi_send(read10(96, 4096 // bs), edtl=4096, write=True)
    op, hdr, _ = s.recv_pdu()
    check(op == OP_SCSI_RSP and be32(hdr, 16) == itt,
          f"{opname(op)} for a READ without the R bit, expected a SCSI "
          f"Response and no Data-In")
    s.statsn = be32(hdr, 24) + 1
    itt = s.scsi_send(read10(96, 4096 // bs), edtl=4096, read_len=4096,
                      write=True, imm_data=bytes(4096))
    res = s.complete(itt, read_len=4096)
    check(res.status != GOOD or res.data == marker,
          f"READ with the W bit: {res}")
    s.ping()
    s.logout()
    s.close()


@scenario
def nop_ping_data(ctx):
    """Ping data is echoed, cut to the initiator's receive limit; more than
    the target's limit closes the connection; a NOP-Out that asks for no
    answer gets none, and one that takes no CmdSN must be immediate."""
    s = ctx.logged_in()
    payload = ctx.rng.randbytes(4096)
    _, got = s.ping(payload)
    check(got == payload, "4 KiB of ping data not echoed")
    payload = ctx.rng.randbytes(s.target_mrdsl)
    _, got = s.ping(payload)
    check(got == payload[:s.our_mrdsl],
          f"{len(got)} bytes echoed for {len(payload)}, expected the first "
          f"{s.our_mrdsl}")
    s.nop_out(b"no answer", itt=RESERVED)
    s.expect_nothing(1.0)
    s.nop_out(b"", itt=RESERVED, ttt=0x1234)	# answers no ping of ours
    s.expect_nothing(1.0)
    s.nop_out(itt=RESERVED, immediate=False)
    s.expect_reject(REJ_PROTOCOL)
    s.ping()
    s.send_raw(bhs(OP_NOP_OUT | IMM, 0x80, dlen=s.target_mrdsl + 4, itt=9,
                   words=(RESERVED, s.cmdsn, s.statsn)))
    s.expect_closed(10)
    s.close()


@scenario
def tmf_unknown(ctx):
    """Task management for tasks and LUs that do not exist: ABORT TASK
    answers "Task does not exist" (1), an LU-level function on a missing LU
    "LUN does not exist" (2), functions neither RFC 7143 nor RFC 7144
    defines "not supported" (5)."""
    s = ctx.logged_in()
    check(s.tmf(1, rtt=0xDEADBEEF, refcmdsn=(s.cmdsn - 100) & RESERVED) == 1,
          "ABORT TASK of an unknown tag")
    check(s.tmf(2) == 0, "ABORT TASK SET on LUN 0")
    for fn in (2, 4, 5, 10):
        got = s.tmf(fn, lun=lun_field(200))
        check(got == 2, f"function {fn} on a missing LUN answered {got}, expected 2")
    for fn in (0, 13, 15, 127):
        got = s.tmf(fn)
        check(got == 5, f"function {fn} answered {got}, expected 5")
    # TMF with the reserved ITT is malformed.
    s.send_pdu(bhs(OP_TMF | IMM, 0x81, itt=RESERVED, words=(1, s.cmdsn, s.statsn)))
    s.expect_reject(REJ_INVALID_FIELD)
    s.ping()
    s.logout()
    s.close()


@scenario
def logout_variants(ctx):
    """Logout for another CID: "CID not found" (1), the connection stays;
    for recovery at ErrorRecoveryLevel 0: "connection recovery is not
    supported" (2); an undefined reason: Reject; a command pipelined
    behind a Logout is not answered."""
    s = ctx.logged_in()
    check(s.logout(reason=1, cid=77) == 1, "close of an unknown CID")
    s.ping()
    check(s.logout(reason=2, cid=0) == 2, "logout for recovery at ERL 0")
    s.ping()
    s.logout_send(reason=0x55)
    s.expect_reject(REJ_INVALID_FIELD)
    s.ping()
    itt = s.logout_send(reason=1, cid=0)
    s.scsi_send(TUR)
    got = s.expect_closed(10, allow=(OP_LOGOUT_RSP,))
    check(len(got) == 1 and be32(got[0][1], 16) == itt and got[0][1][2] == 0,
          "expected exactly the Logout Response, then the close")
    s.close()


@scenario
def unsupported_opcodes(ctx):
    """SNACK at ErrorRecoveryLevel 0, vendor and target opcodes, Text with
    both C and F: Reject, and the connection goes on."""
    s = ctx.logged_in()
    for t in range(4):
        s.send_pdu(bhs(OP_SNACK, 0x80 | t, itt=s.new_itt(), words=(RESERVED, 0, s.statsn)))
        s.expect_reject((REJ_PROTOCOL, REJ_NOT_SUPPORTED))
    s.send_pdu(bhs(0x1C | IMM, 0x80, itt=s.new_itt(), words=(0, s.cmdsn, s.statsn)))
    s.expect_reject(REJ_NOT_SUPPORTED)
    for op in (OP_SCSI_RSP, OP_REJECT, OP_R2T):
        s.send_pdu(bhs(op | IMM, 0x80, itt=s.new_itt(), words=(0, s.cmdsn, s.statsn)))
        s.expect_reject(REJ_PROTOCOL)
    s.send_pdu(bhs(OP_TEXT | IMM, 0xC0, dlen=16, itt=s.new_itt(),
                   words=(RESERVED, s.cmdsn, s.statsn)), b"SendTargets=All\0")
    s.expect_reject(REJ_PROTOCOL)
    # Byte 0 bit 7 is reserved: a NOP-Out with it set is still a NOP-Out.
    itt = s.new_itt()
    s.send_pdu(bhs(0x80 | OP_NOP_OUT | IMM, 0x80, itt=itt,
                   words=(RESERVED, s.cmdsn, s.statsn)))
    hdr, _ = s.expect(OP_NOP_IN)
    check(be32(hdr, 16) == itt, "NOP-In for another ITT")
    s.ping()
    s.logout()
    s.close()


# ---------------------------------------------------------------- load

def tcp_established(port):
    """Established TCP connections whose local port is @port."""
    n = 0
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(path) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":
                        n += 1
        except OSError:
            pass
    return n


def wait_no_connections(ctx, within=15):
    deadline = time.monotonic() + within
    while tcp_established(ctx.port):
        check(time.monotonic() < deadline,
              f"{tcp_established(ctx.port)} connections still open")
        time.sleep(0.5)


@scenario
def slowloris(ctx):
    """Hundreds of logins left half-open (silent, half a header, a header
    and part of its text, one byte every few seconds) do not block a
    clean login and are all closed by the 30 s login deadline."""
    socks = []
    t0 = time.monotonic()
    for i in range(240):
        sk = socket.create_connection(("127.0.0.1", ctx.port), timeout=10)
        kind = i % 4
        if kind == 1:
            sk.sendall(bhs(OP_LOGIN | IMM, 0x87, itt=i)[:24])
        elif kind == 2:
            sk.sendall(bhs(OP_LOGIN | IMM, 0x87, dlen=4000, itt=i) + b"Initiator")
        socks.append([sk, kind, None])
    opened = time.monotonic() - t0
    print(f"# {len(socks)} half-open connections in {opened:.1f}s")
    t1 = time.monotonic()
    health(ctx)
    took = time.monotonic() - t1
    print(f"# a clean login and I/O beside them took {took:.1f}s")
    check(took < 20, f"health check took {took:.1f}s beside half-open logins")
    dribble = bhs(OP_LOGIN | IMM, 0x87, dlen=4000, itt=1)
    pos = {}
    limit = t0 + LOGIN_DEADLINE + 20
    open_left = len(socks)
    while open_left:
        now = time.monotonic()
        check(now < limit, f"{open_left} half-open connections outlived the "
              f"{LOGIN_DEADLINE}s login deadline by 20s")
        for ent in socks:
            sk, kind, closed = ent
            if closed is None and kind == 3:
                p = pos.get(id(sk), 0)
                if p < len(dribble) and int(now - t0) // 3 >= p:
                    try:
                        sk.send(dribble[p:p + 1])
                    except OSError:
                        pass
                    pos[id(sk)] = p + 1
        live = [e[0] for e in socks if e[2] is None]
        rd, _, _ = select.select(live, [], [], 1.0)
        for sk in rd:
            try:
                b = sk.recv(4096)
            except OSError:
                b = b""
            ent = next(e for e in socks if e[0] is sk)
            check(not b or ent[1] != 0,
                  "the target sent something to a silent connection")
            if not b:
                ent[2] = time.monotonic() - t0
                open_left -= 1
    times = sorted(e[2] for e in socks)
    print(f"# closed after {times[0]:.1f}s to {times[-1]:.1f}s")
    check(times[0] >= LOGIN_DEADLINE - 5,
          f"a half-open login closed after only {times[0]:.1f}s")
    for e in socks:
        e[0].close()
    wait_no_connections(ctx)


@scenario
def login_logout_storm(ctx):
    """Sequential and concurrent login/logout cycles, and connections
    opened and dropped before a word: every login succeeds, every logout
    is answered, live sessions never share a TSIH, nothing stays open."""
    for _ in range(60):
        s = ctx.logged_in()
        check(s.logout() == 0, "logout refused")
        s.expect_closed(10)
        s.close()
    errors = []
    tsihs = set()
    lock = threading.Lock()

    def worker(n):
        try:
            for _ in range(n):
                s = ctx.logged_in(timeout=30)
                with lock:
                    check(s.tsih not in tsihs, f"TSIH {s.tsih} given twice")
                    tsihs.add(s.tsih)
                s.ping()
                with lock:
                    tsihs.discard(s.tsih)
                check(s.logout() == 0, "logout refused")
                s.close()
        except Exception as e:	# noqa: BLE001 - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(15,)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    check(not errors, f"concurrent cycles: {errors[:3]}")
    for _ in range(200):
        sk = socket.create_connection(("127.0.0.1", ctx.port), timeout=10)
        sk.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sk.close()		# RST
    wait_no_connections(ctx)


@scenario
def many_pending_writes(ctx):
    """Writes of 8 MiB that ask for R2T and never send their data, as
    immediate commands that the CmdSN window does not bound: past 128 MiB
    held for one connection the target answers TASK SET FULL instead of
    pinning memory without end, and a connection that goes frees it all
    (the next one can hold as much again)."""
    bs = ctx.block_size
    nblk = (8 << 20) // bs
    limit = (128 << 20) // (nblk * bs)
    for round_ in range(2):
        s = ctx.logged_in(timeout=20)
        held = refused = 0
        for _ in range(limit * 4):
            itt = s.scsi_send(write10(0, nblk), edtl=nblk * bs, write=True,
                              immediate=True)
            op, hdr, _ = s.recv_pdu()
            check(be32(hdr, 16) == itt, f"{opname(op)} for another ITT")
            if op == OP_R2T:
                held += 1
                continue
            check(op == OP_SCSI_RSP and hdr[3] == 0x28,
                  f"{opname(op)} status {hdr[3]:#x}, expected R2T or "
                  f"TASK SET FULL")
            refused += 1
            if refused >= 4:
                break
        print(f"# round {round_}: {held} writes held, then {refused} refused")
        check(refused, f"all {held} writes of 8 MiB held: no bound")
        check(held == limit, f"{held} writes of 8 MiB held, expected {limit}")
        s.ping()
        s.close()
        wait_no_connections(ctx)


@scenario
def unread_responses(ctx):
    """An initiator that sends 64 KiB pings and never reads the echoes:
    the target stops reading once its answers back up, so TCP pushes
    back, instead of queueing as much memory as the initiator sends.
    Every ping it did take is then answered, in order."""
    s = ctx.logged_in(mrdsl=65536, timeout=30)
    size = 65536
    ping = bhs(OP_NOP_OUT | IMM, 0x80, dlen=size, itt=0x5000,
               words=(RESERVED, s.cmdsn, s.statsn)) + bytes(size)
    burst = ping * 16
    s.sock.setblocking(False)
    sent, off, stalled = 0, 0, None
    cap = 128 << 20
    while sent < cap:
        try:
            n = s.sock.send(burst[off:])
        except BlockingIOError:
            now = time.monotonic()
            stalled = stalled or now
            if now - stalled > 3:
                break
            select.select([], [s.sock], [], 0.5)
            continue
        stalled = None
        sent += n
        off = (off + n) % len(burst)
    print(f"# the target took {sent >> 20} MiB of pings without being read")
    check(sent < 64 << 20,
          f"the target took {sent >> 20} MiB without its answers being read")
    # Finish the last ping while reading the echoes: the target reads
    # again only as its answers drain.
    rest = ping[sent % len(ping):] if sent % len(ping) else b""
    pings = -(-sent // len(ping))
    buf = bytearray()
    answered = 0
    deadline = time.monotonic() + 120
    while answered < pings:
        check(time.monotonic() < deadline,
              f"{answered} of {pings} pings answered after 120s")
        rd, wr, _ = select.select([s.sock], [s.sock] if rest else [], [], 1.0)
        if wr:
            rest = rest[s.sock.send(rest):]
        if not rd:
            continue
        chunk = s.sock.recv(1 << 20)
        check(chunk, f"closed after {answered} of {pings} answers")
        buf += chunk
        while len(buf) >= 48:
            dlen = int.from_bytes(buf[5:8], "big")
            total = 48 + buf[4] * 4 + dlen + (-dlen % 4)
            if len(buf) < total:
                break
            check(buf[0] & 0x3F == OP_NOP_IN and be32(buf, 16) == 0x5000 and
                  dlen == size, f"answer {answered}: {opname(buf[0] & 0x3F)} "
                  f"with {dlen} bytes")
            del buf[:total]
            answered += 1
    s.sock.setblocking(True)
    s.ping()
    s.logout()
    s.close()


@scenario
def reset_under_io(ctx):
    """Connections reset while reads and writes are in flight: the target
    tears down with bios outstanding and frees everything."""
    bs = ctx.block_size
    nblk = (128 << 10) // bs
    for _ in range(8):
        s = ctx.logged_in(mrdsl=65536)
        for i in range(24):
            s.scsi_send(read10(i * nblk, nblk), read_len=nblk * bs)
            s.scsi_send(write10(4096 + i * nblk, nblk), edtl=nblk * bs,
                        write=True, imm_data=bytes(min(s.first_burst, nblk * bs)))
        s.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                          struct.pack("ii", 1, 0))
        s.close()
    s = ctx.logged_in(mrdsl=65536)
    for i in range(16):
        s.scsi_send(read10(i * nblk, nblk), read_len=nblk * bs)
    check(s.logout_send() is not None, "logout")
    got = s.expect_closed(30, allow=(OP_DATA_IN, OP_SCSI_RSP, OP_LOGOUT_RSP, OP_R2T))
    check(any(op == OP_LOGOUT_RSP for op, _, _ in got),
          "no Logout Response behind the reads")
    s.close()
    wait_no_connections(ctx)


# ---------------------------------------------------------------- random

def random_pdu(rng, s):
    """A PDU from @rng: an initiator opcode most of the time, fields
    random or close to what the session expects, a data segment of a
    length the header states."""
    ops = [OP_NOP_OUT, OP_SCSI_CMD, OP_TMF, OP_LOGIN, OP_TEXT, OP_DATA_OUT,
           OP_LOGOUT, OP_SNACK]
    op = rng.choice(ops) if rng.random() < 0.9 else rng.randrange(64)
    if rng.random() < 0.5:
        op |= IMM
    flags = rng.randrange(256)
    dlen = rng.choice([0, 0, 1, 3, 48, 512, 4096, rng.randrange(8192)])
    ahs_words = rng.choice([0] * 6 + [1, 2, 5, 255])
    words = [rng.choice([RESERVED, 0, rng.randrange(2**32)])]
    words.append(rng.choice([s.cmdsn, s.cmdsn + 1, rng.randrange(2**32)]))
    words.append(s.statsn)
    words += [rng.randrange(2**32) for _ in range(3)]
    raw = {32: rng.randbytes(16)} if rng.random() < 0.5 else {}
    h = bhs(op, flags, dlen=dlen, ahs_words=ahs_words,
            lun=rng.choice([0, lun_field(rng.randrange(4)), rng.randrange(2**64)]),
            itt=rng.choice([RESERVED, rng.randrange(2**32)]), words=words, raw=raw)
    if op & 0x3F == OP_SCSI_CMD and rng.random() < 0.7:
        # Mostly the commands a disk gets, with random fields.
        cdb = bytearray(rng.randbytes(16))
        cdb[0] = rng.choice([0x00, 0x12, 0x25, 0x28, 0x2A, 0x35, 0x88, 0x8A,
                             0x9E, 0xA0, 0x1A, 0x5A, 0x03, 0xA3, 0x41, 0x42])
        h = h[:32] + bytes(cdb)
    return h, rng.randbytes(ahs_words * 4), rng.randbytes(dlen)


@scenario
def random_pdus(ctx):
    """Seeded random PDUs in batches on a logged-in connection, each batch
    followed by a ping. The target may reject, answer or hang up, but a
    new login always works. Replay with --seed."""
    rng = ctx.rng
    closes = answered = 0
    s = ctx.logged_in(mrdsl=65536)
    for batch in range(40):
        for _ in range(8):
            h, ahs, data = random_pdu(rng, s)
            s.send_pdu(h, data, ahs)
        try:
            itt = s.nop_out(b"sync")
            while True:
                op, hdr, _ = s.recv_pdu(15)
                if op == OP_NOP_IN and be32(hdr, 16) == itt:
                    break
                if op == OP_NOP_IN and be32(hdr, 16) == RESERVED:
                    s.nop_out_answer(hdr)
                answered += 1
        except (ConnectionResetError, ConnectionAbortedError):
            closes += 1
            s.close()
            s = ctx.logged_in(mrdsl=65536)
        except socket.timeout:
            # Waiting for data a random command announced: start over.
            s.close()
            s = ctx.logged_in(mrdsl=65536)
    s.close()
    print(f"# 320 random PDUs: {answered} answers, {closes} closes")


@scenario
def random_streams(ctx):
    """Seeded random bytes and bit-flipped Login Requests on new
    connections: a Login Response or a close, never a hang past the
    login deadline, never success without a valid request."""
    rng = ctx.rng
    good = good_login_text(ctx)
    for i in range(30):
        s = ctx.session(timeout=5)
        if i % 2:
            s.send_raw(rng.randbytes(rng.randrange(1, 20000)))
        else:
            h = bytearray(bhs(OP_LOGIN | IMM, 0x87, dlen=len(good),
                              raw={8: s.isid + b"\0\0"}))
            d = bytearray(good)
            for _ in range(rng.randrange(1, 6)):
                if rng.random() < 0.5:
                    h[rng.randrange(48)] ^= 1 << rng.randrange(8)
                else:
                    d[rng.randrange(len(d))] = rng.randrange(256)
            s.send_raw(bytes(h) + r.pad4(bytes(d)))
        try:
            s.sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        s.expect_closed(LOGIN_DEADLINE + 10, allow=(OP_LOGIN_RSP,))
        s.close()


# ---------------------------------------------------------------- runner

def probe_lun(args):
    """Block count and size of LUN 0, from READ CAPACITY(16)."""
    ctx = Ctx(args.port, args.target, args.seed, 0, 512)
    s = ctx.logged_in()
    res = s.scsi(read_capacity16(), read_len=32)
    check(res.status == GOOD, f"READ CAPACITY(16): {res}")
    blocks = struct.unpack(">Q", res.data[:8])[0] + 1
    bs = be32(res.data, 8)
    s.logout()
    s.close()
    return blocks, bs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=3260)
    ap.add_argument("--target", default="iqn.2026-11.org.iscsi-spt:test")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--only", default="")
    ap.add_argument("--skip", default="")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    if args.list:
        for fn in SCENARIOS:
            print(f"{fn.__name__}: {fn.__doc__.split(chr(10))[0]}")
        return 0
    if args.seed is None:
        args.seed = int.from_bytes(os.urandom(4), "big")
    only = set(filter(None, args.only.split(",")))
    skip = set(filter(None, args.skip.split(",")))
    chosen = [fn for fn in SCENARIOS
              if (not only or fn.__name__ in only) and fn.__name__ not in skip]
    unknown = only - {fn.__name__ for fn in SCENARIOS}
    if unknown:
        print(f"unknown scenarios: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    print(f"# seed {args.seed} (replay: --seed {args.seed})")
    kmsg = Kmsg()
    blocks, bs = probe_lun(args)
    print(f"# LUN 0: {blocks} blocks of {bs} bytes")
    print("TAP version 13")
    print(f"1..{len(chosen)}")
    failed = 0
    for n, fn in enumerate(chosen, 1):
        name = fn.__name__
        # Per scenario, so that --only NAME --seed S replays it alone.
        ctx = Ctx(args.port, args.target,
                  (args.seed << 32) ^ zlib.crc32(name.encode()), blocks, bs)
        ctx.health_round = n * 7
        t0 = time.monotonic()
        why = None
        try:
            fn(ctx)
        except Fail as e:
            why = str(e)
        except Exception as e:	# noqa: BLE001 - any surprise fails the case
            why = f"{type(e).__name__}: {e}"
            traceback.print_exc(file=sys.stdout)
        if why is None:
            try:
                health(ctx)
            except Exception as e:	# noqa: BLE001
                why = f"health check after it: {type(e).__name__}: {e}"
        time.sleep(0.2)
        bad = kmsg.new_bad_lines()
        if bad and why is None:
            why = f"kernel log: {bad[0]}"
        took = time.monotonic() - t0
        if why is None:
            print(f"ok {n} {name} # {took:.1f}s")
        else:
            failed += 1
            print(f"not ok {n} {name} # {why}")
        sys.stdout.flush()
    print(f"# {len(chosen) - failed} passed, {failed} failed (seed {args.seed})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
