# SPDX-License-Identifier: GPL-2.0
"""A minimal raw iSCSI initiator for VM tests that need to misbehave:
build and parse PDUs by hand, log in, read what the target sends."""

import socket
import struct

BHS_LEN = 48
OP_NOP_OUT, OP_SCSI_CMD, OP_LOGIN, OP_TEXT = 0x00, 0x01, 0x03, 0x04
OP_TMF, OP_TMF_RSP = 0x02, 0x22
OP_SCSI_RSP, OP_DATA_IN = 0x21, 0x25
ATTR_SIMPLE, ATTR_ORDERED, ATTR_HEAD_OF_QUEUE = 1, 2, 3
OP_NOP_IN, OP_LOGIN_RSP, OP_TEXT_RSP, OP_REJECT = 0x20, 0x23, 0x24, 0x3F
OP_LOGOUT, OP_LOGOUT_RSP = 0x06, 0x26
IMMEDIATE = 0x40
RESERVED_TAG = 0xFFFFFFFF


def pad4(data):
    return data + b"\0" * (-len(data) % 4)


def bhs(opcode, flags, data_len=0, rest=b""):
    """48-byte header: opcode, flags, 2 bytes, TotalAHSLength 0,
    DataSegmentLength, then bytes 8..47 from rest."""
    rest = rest.ljust(40, b"\0")
    return struct.pack(">BBHB", opcode, flags, 0, 0) + \
        data_len.to_bytes(3, "big") + rest


def text(pairs):
    return b"".join(f"{k}={v}".encode() + b"\0" for k, v in pairs)


class Conn:
    def __init__(self, host, port, timeout=10):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.statsn = 0
        self.cmdsn = 0
        self.tsih = 0
        self.exp_cmdsn = self.max_cmdsn = 0

    def send(self, header, data=b""):
        self.sock.sendall(header + pad4(data))

    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionResetError("closed by the target")
            buf += chunk
        return buf

    def recv_pdu(self):
        """(opcode, header, data) of the next PDU."""
        hdr = self.recv_exact(BHS_LEN)
        ahs = hdr[4] * 4
        dlen = int.from_bytes(hdr[5:8], "big")
        self.recv_exact(ahs)
        data = self.recv_exact(dlen + (-dlen % 4))[:dlen]
        return hdr[0] & 0x3F, hdr, data

    def login(self, initiator, target, extra=(), isid=b"\x80\0\0\x12\x34\0",
              tsih=0, cid=0):
        """One-step login, operational stage straight to Full Feature.
        A target of None logs in to a discovery session; a TSIH other
        than 0 adds connection CID to that session (MC/S). Returns the
        response's keys as a dict; a failed login raises RuntimeError
        with the status as four hex digits."""
        pairs = [("InitiatorName", initiator)]
        if target is None:
            pairs += [("SessionType", "Discovery")]
        else:
            pairs += [("TargetName", target), ("SessionType", "Normal")]
        pairs += [("HeaderDigest", "None"), ("DataDigest", "None")] + list(extra)
        data = text(pairs)
        rest = isid + struct.pack(">HIHHII", tsih, 0, cid, 0, self.cmdsn, 0)
        self.send(bhs(OP_LOGIN | IMMEDIATE, 0x87, len(data), rest), data)
        op, hdr, rdata = self.recv_pdu()
        if op != OP_LOGIN_RSP:
            raise RuntimeError(f"login: opcode {op:#x}")
        status = (hdr[36], hdr[37])
        if status != (0, 0):
            raise RuntimeError(f"login status {status[0]:02x}{status[1]:02x}")
        self.statsn = struct.unpack(">I", hdr[24:28])[0] + 1
        self.cmdsn = struct.unpack(">I", hdr[28:32])[0]
        self.exp_cmdsn, self.max_cmdsn = struct.unpack(">II", hdr[28:36])
        self.tsih = struct.unpack(">H", hdr[14:16])[0]
        return dict(p.split("=", 1) for p in rdata.decode().split("\0") if p)

    def logout(self, reason=0, cid=0, itt=0x66):
        """An immediate Logout Request (reason 0: close the session, 1:
        close connection CID); returns the Logout Response's Response."""
        rest = bytes(8) + struct.pack(">IHHII", itt, cid, 0, self.cmdsn,
                                      self.statsn)
        self.send(bhs(OP_LOGOUT | IMMEDIATE, 0x80 | reason, 0, rest))
        while True:
            op, hdr, _ = self.recv_pdu()
            if op == OP_NOP_IN and hdr[20:24] != b"\xff" * 4:
                self.nop_out_answer(hdr)
                continue
            if op != OP_LOGOUT_RSP:
                raise RuntimeError(f"logout: opcode {op:#x}")
            self.statsn = struct.unpack(">I", hdr[24:28])[0] + 1
            return hdr[2]

    def ping(self, payload=b"ping"):
        """NOP-Out with an ITT: the target must echo it in a NOP-In."""
        itt = 0x1234
        rest = bytes(8) + struct.pack(">III", itt, RESERVED_TAG, self.cmdsn) + \
            struct.pack(">I", self.statsn)
        self.send(bhs(OP_NOP_OUT | IMMEDIATE, 0x80, len(payload), rest), payload)
        op, hdr, data = self.recv_pdu()
        if op != OP_NOP_IN or data != payload:
            raise RuntimeError(f"ping: opcode {op:#x}, data {data!r}")

    def scsi_send(self, itt, cdb, read_len=0, data=b"", attr=ATTR_SIMPLE, lun=0):
        """Send a SCSI Command without waiting; a write's data goes as
        immediate data (it must fit the negotiated limits)."""
        flags = 0x80 | attr | (0x40 if read_len else 0) | (0x20 if data else 0)
        edtl = read_len or len(data)
        rest = struct.pack(">QIIII", lun << 48, itt, edtl, self.cmdsn, self.statsn)
        rest += cdb.ljust(16, b"\0")
        self.cmdsn += 1
        self.send(bhs(OP_SCSI_CMD, flags, len(data), rest), data)

    def scsi_collect(self, n):
        """Read until n commands have ended: [(itt, status, data)] in the
        order they ended (status from a SCSI Response or a Data-In; data
        is the Data-In, or the Response's sense segment)."""
        done, data = [], {}
        while len(done) < n:
            op, hdr, seg = self.recv_pdu()
            itt = struct.unpack(">I", hdr[16:20])[0]
            if op in (OP_DATA_IN, OP_SCSI_RSP, OP_NOP_IN):
                self.exp_cmdsn, self.max_cmdsn = struct.unpack(">II", hdr[28:36])
            if op == OP_DATA_IN:
                data[itt] = data.get(itt, b"") + seg
                if hdr[1] & 0x01:
                    self.statsn = struct.unpack(">I", hdr[24:28])[0] + 1
                    done.append((itt, hdr[3], data.pop(itt)))
            elif op == OP_SCSI_RSP:
                self.statsn = struct.unpack(">I", hdr[24:28])[0] + 1
                # Its own data segment, if any, is sense data.
                done.append((itt, hdr[3], data.pop(itt, b"") or seg))
            elif op == OP_NOP_IN and hdr[20:24] != b"\xff" * 4:
                self.nop_out_answer(hdr)    # a keepalive in a slow VM
        return done

    def tmf(self, function, lun=0, rtt=RESERVED_TAG, itt=0x7e, refcmdsn=0):
        """A task management request (immediate); returns its Response
        field. LUN as in scsi_send."""
        rest = struct.pack(">QIIIII", lun << 48, itt, rtt, self.cmdsn,
                           self.statsn, refcmdsn)
        self.send(bhs(OP_TMF | IMMEDIATE, 0x80 | function, 0, rest))
        while True:
            op, hdr, _ = self.recv_pdu()
            if op == OP_NOP_IN and hdr[20:24] != b"\xff" * 4:
                self.nop_out_answer(hdr)
                continue
            if op != OP_TMF_RSP or struct.unpack(">I", hdr[16:20])[0] != itt:
                raise RuntimeError(f"tmf: opcode {op:#x}")
            self.statsn = struct.unpack(">I", hdr[24:28])[0] + 1
            return hdr[2]

    def text_pdu(self, data, ttt=RESERVED_TAG, cont=False, itt=0x77):
        """One Text Request; returns (opcode, header, data) of the answer."""
        flags = 0x40 if cont else 0x80
        rest = bytes(8) + struct.pack(">IIII", itt, ttt, self.cmdsn, self.statsn)
        self.send(bhs(OP_TEXT | IMMEDIATE, flags, len(data), rest), data)
        op, hdr, rdata = self.recv_pdu()
        if op != OP_REJECT:
            self.statsn = struct.unpack(">I", hdr[24:28])[0] + 1
        return op, hdr, rdata

    def text(self, pairs, itt=0x77):
        """A whole text exchange: follows the target's continuations
        (C bit, TTT) and returns the answer's (key, value) pairs."""
        op, hdr, data = self.text_pdu(text(pairs), itt=itt)
        answer = data
        while op == OP_TEXT_RSP and not hdr[1] & 0x80:
            assert hdr[1] & 0x40, "a non-final Text Response must set C here"
            ttt = struct.unpack(">I", hdr[20:24])[0]
            assert ttt != RESERVED_TAG, "continuation without a TTT"
            op, hdr, data = self.text_pdu(b"", ttt=ttt, itt=itt)
            answer += data
        if op != OP_TEXT_RSP:
            raise RuntimeError(f"text: opcode {op:#x}")
        assert struct.unpack(">I", hdr[20:24])[0] == RESERVED_TAG
        return [tuple(p.split("=", 1)) for p in answer.decode().split("\0") if p]

    def nop_out_answer(self, nop_in_hdr):
        """Answer a target's NOP-In ping (RFC 7143 11.18)."""
        ttt = nop_in_hdr[20:24]
        rest = bytes(8) + struct.pack(">I", RESERVED_TAG) + ttt + \
            struct.pack(">II", self.cmdsn, self.statsn)
        self.send(bhs(OP_NOP_OUT | IMMEDIATE, 0x80, 0, rest))
