# SPDX-License-Identifier: GPL-2.0
"""A minimal raw iSCSI initiator for VM tests that need to misbehave:
build and parse PDUs by hand, log in, read what the target sends."""

import socket
import struct

BHS_LEN = 48
OP_NOP_OUT, OP_LOGIN = 0x00, 0x03
OP_NOP_IN, OP_LOGIN_RSP = 0x20, 0x23
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

    def login(self, initiator, target, extra=(), isid=b"\x80\0\0\x12\x34\0"):
        """One-step login, operational stage straight to Full Feature."""
        pairs = [("InitiatorName", initiator), ("TargetName", target),
                 ("SessionType", "Normal"), ("HeaderDigest", "None"),
                 ("DataDigest", "None")] + list(extra)
        data = text(pairs)
        rest = isid + struct.pack(">HIHHII", 0, 0, 0, 0, self.cmdsn, 0)
        self.send(bhs(OP_LOGIN | IMMEDIATE, 0x87, len(data), rest), data)
        op, hdr, _ = self.recv_pdu()
        if op != OP_LOGIN_RSP:
            raise RuntimeError(f"login: opcode {op:#x}")
        status = (hdr[36], hdr[37])
        if status != (0, 0):
            raise RuntimeError(f"login status {status[0]:02x}{status[1]:02x}")
        self.statsn = struct.unpack(">I", hdr[24:28])[0] + 1
        self.cmdsn = struct.unpack(">I", hdr[28:32])[0]

    def ping(self, payload=b"ping"):
        """NOP-Out with an ITT: the target must echo it in a NOP-In."""
        itt = 0x1234
        rest = bytes(8) + struct.pack(">III", itt, RESERVED_TAG, self.cmdsn) + \
            struct.pack(">I", self.statsn)
        self.send(bhs(OP_NOP_OUT | IMMEDIATE, 0x80, len(payload), rest), payload)
        op, hdr, data = self.recv_pdu()
        if op != OP_NOP_IN or data != payload:
            raise RuntimeError(f"ping: opcode {op:#x}, data {data!r}")

    def nop_out_answer(self, nop_in_hdr):
        """Answer a target's NOP-In ping (RFC 7143 11.18)."""
        ttt = nop_in_hdr[20:24]
        rest = bytes(8) + struct.pack(">I", RESERVED_TAG) + ttt + \
            struct.pack(">II", self.cmdsn, self.statsn)
        self.send(bhs(OP_NOP_OUT | IMMEDIATE, 0x80, 0, rest))
