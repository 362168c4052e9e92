#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpus under tools/fuzz/corpus/: one file per input a
real initiator (open-iscsi, libiscsi, the Linux SCSI layer) would send,
in the layout each target reads. Run again after changing a layout;
crash reproducers (regress-*) in the same directories are left alone."""

import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def bhs(op, flags, dlen=0, ahs=0, lun=0, itt=1, words=(), raw=None):
    h = bytearray(48)
    h[0], h[1], h[4] = op, flags, ahs
    h[5:8] = dlen.to_bytes(3, "big")
    h[8:16] = lun.to_bytes(8, "big")
    struct.pack_into(">I", h, 16, itt)
    for i, w in enumerate(words):
        struct.pack_into(">I", h, 20 + 4 * i, w & 0xFFFFFFFF)
    for off, b in (raw or {}).items():
        h[off:off + len(b)] = b
    return bytes(h)


def cdb(b):
    return bytes(b).ljust(16, b"\0")


def pdu_seeds():
    rd = cdb(b"\x28\0" + struct.pack(">IBH", 0, 0, 8))
    wr = cdb(b"\x2a\0" + struct.pack(">IBH", 0, 0, 8))
    ecdb = struct.pack(">HBB", 17, 1, 0) + bytes(16) + bytes(3)   # 16 more CDB bytes
    rlen = struct.pack(">HBBI", 5, 2, 0, 4096) + bytes(3)
    return {
        "nop-out": bhs(0x40, 0x80, words=(0xFFFFFFFF, 1, 1)),
        "nop-out-data": bhs(0x40, 0x80, dlen=64, words=(0xFFFFFFFF, 1, 1)),
        "read10": bhs(0x01, 0xC1, words=(4096, 1, 1), raw={32: rd}),
        "write10-imm": bhs(0x01, 0xA1, dlen=4096, words=(4096, 2, 1), raw={32: wr}),
        "write10-unsol": bhs(0x01, 0x21, dlen=1024, words=(8192, 2, 1), raw={32: wr}),
        "cmd-ecdb": bhs(0x01, 0x81, ahs=len(ecdb) // 4, words=(0, 3, 1),
                        raw={32: cdb(b"\x7f")}) + ecdb,
        "cmd-bidi": bhs(0x01, 0xE1, ahs=len(rlen) // 4, words=(4096, 3, 1),
                        raw={32: wr}) + rlen,
        "tmf-abort": bhs(0x42, 0x81, words=(5, 4, 1, 3)),
        "login": bhs(0x43, 0x87, dlen=100, words=(0, 0, 0),
                     raw={8: b"\x80\0\0\x12\x34\0"}),
        "login-cont": bhs(0x43, 0x44, dlen=8192),
        "text": bhs(0x04, 0x80, dlen=16, words=(0xFFFFFFFF, 5, 1)),
        "data-out": bhs(0x05, 0x80, dlen=4096, words=(7, 0, 1, 0, 0, 0)),
        "data-out-mid": bhs(0x05, 0x00, dlen=512, words=(7, 0, 1, 0, 3, 1536)),
        "logout": bhs(0x46, 0x80, words=(0, 6, 1)),
        "snack": bhs(0x10, 0x81, words=(0xFFFFFFFF, 0, 1, 0, 0, 2)),
    }


def lun_desc(blocks=131072, shift=0, flags=0):
    """The 32 bytes targets/scsi.c turns into a LU description."""
    return struct.pack(">IIHIHIHHIHH", flags | shift << 5, blocks, 0,
                       16384, 0, 8192, 1, 0, 8192, 0, 0)[:32].ljust(32, b"\0")


def scsi_seeds():
    cdbs = {
        "tur": b"\0" * 6,
        "inquiry": b"\x12\0\0\0\xff\0",
        "inquiry-vpd00": b"\x12\x01\x00\0\xff\0",
        "inquiry-vpd80": b"\x12\x01\x80\0\xff\0",
        "inquiry-vpd83": b"\x12\x01\x83\0\xff\0",
        "inquiry-vpdb0": b"\x12\x01\xb0\0\xff\0",
        "inquiry-vpdb1": b"\x12\x01\xb1\0\xff\0",
        "inquiry-vpdb2": b"\x12\x01\xb2\0\xff\0",
        "read6": b"\x08\0\0\0\x08\0",
        "read10": b"\x28\0" + struct.pack(">IBHB", 0, 0, 8, 0),
        "read16": b"\x88\0" + struct.pack(">QIBB", 100, 8, 0, 0),
        "write10-fua": b"\x2a\x08" + struct.pack(">IBHB", 8, 0, 8, 0),
        "write16": b"\x8a\0" + struct.pack(">QIBB", 0, 16, 0, 0),
        "read-capacity10": b"\x25" + bytes(9),
        "read-capacity16": b"\x9e\x10" + bytes(8) + struct.pack(">I", 32) + b"\0\0",
        "mode-sense6": b"\x1a\0\x3f\0\xff\0",
        "mode-sense10": b"\x5a\0\x3f\0\0\0\0\x10\0\0",
        "mode-sense10-caching": b"\x5a\x08\x08\0\0\0\0\0\xff\0",
        "report-luns": b"\xa0\0\0\0\0\0" + struct.pack(">I", 4096) + b"\0\0",
        "request-sense": b"\x03\x01\0\0\xff\0",
        "rsoc-all": b"\xa3\x0c\x80\0\0\0" + struct.pack(">I", 8192) + b"\0\0",
        "rsoc-one": b"\xa3\x0c\x01\x28\0\0" + struct.pack(">I", 512) + b"\0\0",
        "rsoc-sa": b"\xa3\x0c\x02\x9e\0\x10" + struct.pack(">I", 512) + b"\0\0",
        "report-tmfs": b"\xa3\x0d\x80\0\0\0" + struct.pack(">I", 16) + b"\0\0",
        "sync-cache10": b"\x35\0" + bytes(8),
        "sync-cache16": b"\x91\0" + bytes(14),
        "write-same16-unmap": b"\x93\x08" + struct.pack(">QIBB", 0, 64, 0, 0),
        "write-same10": b"\x41\0" + struct.pack(">IBHB", 0, 0, 8, 0),
        "unmap": b"\x42\0" + bytes(5) + struct.pack(">HB", 24, 0),
        "varlen": b"\x7f" + bytes(6) + b"\x18" + bytes(24),
    }
    out = {}
    for name, c in cdbs.items():
        params = b""
        if name == "unmap":
            params = struct.pack(">HH", 22, 16) + bytes(4) + \
                struct.pack(">QI", 100, 8) + bytes(4)
        out[name] = lun_desc() + bytes([len(c)]) + c + struct.pack(">H", 4096) + params
    out["no-lu-inquiry"] = bytes(32) + bytes([6]) + cdbs["inquiry"] + b"\x01\0"
    out["4k-read16"] = lun_desc(shift=3, flags=1 << 28) + bytes([16]) + cdbs["read16"] + b"\x10\0"
    return out


def text(pairs):
    return b"".join(f"{k}={v}".encode() + b"\0" for k, v in pairs)


def login_seeds():
    openiscsi = text([
        ("InitiatorName", "iqn.1993-08.org.debian:01:abcdef"),
        ("InitiatorAlias", "host"), ("TargetName", "iqn.2026-11.org.x:t"),
        ("SessionType", "Normal"), ("HeaderDigest", "None"),
        ("DataDigest", "None"), ("DefaultTime2Wait", "2"),
        ("DefaultTime2Retain", "0"), ("IFMarker", "No"), ("OFMarker", "No"),
        ("ErrorRecoveryLevel", "0"), ("InitialR2T", "No"),
        ("ImmediateData", "Yes"), ("MaxBurstLength", "16776192"),
        ("FirstBurstLength", "262144"), ("MaxOutstandingR2T", "1"),
        ("MaxConnections", "1"), ("DataPDUInOrder", "Yes"),
        ("DataSequenceInOrder", "Yes"), ("MaxRecvDataSegmentLength", "262144")])
    disc = text([("InitiatorName", "iqn.x:i"), ("SessionType", "Discovery"),
                 ("HeaderDigest", "CRC32C,None"), ("DataDigest", "None"),
                 ("MaxRecvDataSegmentLength", "0x40000")])
    sec = text([("InitiatorName", "iqn.x:i"), ("TargetName", "iqn.x:t"),
                ("AuthMethod", "CHAP,None")])
    odd = text([("X-com.example", "1"), ("TaskReporting", "RFC3720"),
                ("OFMarkInt", "2048~8192"), ("MaxBurstLength", "0777")])
    return {
        "open-iscsi-op": b"\x06" + openiscsi,
        "open-iscsi-split": b"\x8e" + openiscsi,
        "discovery": b"\x07" + disc,
        "security": b"\x04" + sec,
        "odd-keys": b"\x03" + odd + text([("InitiatorName", "iqn.x:i"),
                                          ("SessionType", "Discovery")]),
        "small-buf": b"\x20" + openiscsi,
    }


def text_seeds():
    """Full Feature Phase Text Requests, after a 2-byte answer size."""
    size = struct.pack(">H", 8192)
    return {
        "open-iscsi": size + text([("SendTargets", "All")]),
        "mrdsl": size + text([("MaxRecvDataSegmentLength", "262144"),
                              ("SendTargets", "")]),
        "login-keys": size + text([("HeaderDigest", "None"),
                                   ("X-com.example", "1")]) + b"\0\0",
        "small-answer": struct.pack(">H", 40) +
                        text([("SendTargets", "iqn.2026-11.org.example:t")]),
        "bad-numbers": size + text([("MaxRecvDataSegmentLength", "0777"),
                                    ("MaxRecvDataSegmentLength", "511")]),
    }


def chap_seeds():
    return {
        "one-way": b"\x01" + text([("CHAP_A", "5")]) + b"\0",
        "one-way-sha256": b"\x01" + text([("CHAP_A", "7,6,5")]) + b"\0",
        "mutual": b"\x03" + text([("CHAP_A", "8")]) + b"\0" +
                  text([("CHAP_I", "17"), ("CHAP_C", "0x" + "a5" * 32)]) + b"\0",
        "mutual-b64": b"\x03" + text([("CHAP_A", "5")]) + b"\0" +
                      text([("CHAP_I", "0x11"), ("CHAP_C", "0bAAECAwQFBgcICQoLDA0ODw==")]) + b"\0",
        "wrong-answer": b"\x80" + text([("CHAP_A", "5")]) + b"\0" +
                        text([("CHAP_N", "fuzz-user"), ("CHAP_R", "0x" + "00" * 16)]) + b"\0",
        "repeated": b"\x00" + text([("CHAP_A", "5"), ("CHAP_A", "6")]) + b"\0",
    }


def acl_seeds():
    return {
        "names": b"\x00iqn.2026-11.org.example:a iqn.2026-11.org.example:b\n"
                 b"eui.0123456789abcdef naa.0123456789abcdef0123456789abcdef",
        "any": b"\x00ANY",
        "v4": b"\x00" + b"\xc0\x00\x02\x05" + b" 192.0.2.0/24 10.0.0.0/8 127.0.0.1",
        "v6": b"\x01" + b" 2001:db8::/32 ::1 ::ffff:192.0.2.0/120 fe80::/10",
        "bad": b"\x00iqn.2026-13.x:a 192.0.2.1/24 IQN.UPPER",
    }


def xcopy_list(list_id, usage, naas, segs, bs=512):
    tgt = b"".join(bytes([0xE4, 0, 0, 0, 0x01, 0x03, 0, 8]) +
                   struct.pack(">Q", n) + bytes(13) + bs.to_bytes(3, "big")
                   for n in naas)
    seg = b"".join(struct.pack(">BBHHHHHQQ", 0x02, 0, 24, s, d, 0, nr, sl, dl)
                   for s, d, nr, sl, dl in segs)
    return struct.pack(">BBHIII", list_id, usage << 3, len(tgt), 0,
                       len(seg), 0) + tgt + seg


def xcopy_seeds():
    a, b = 0x3000000000000001, 0x3000000000000002
    return {
        # The control byte: block sizes of the three LUs, then RO, SWP
        "copy": b"\x00" + xcopy_list(5, 0, [a, b], [(0, 1, 2048, 0, 4096)]),
        "backward": b"\x00" + xcopy_list(1, 2, [a], [(0, 0, 20480, 0, 100)]),
        "no-list-id": b"\x05" + xcopy_list(0, 3, [a, b],
                                           [(0, 1, 8, 0, 0), (1, 0, 1, 7, 9)],
                                           bs=0),
        "unknown-lu": b"\x00" + xcopy_list(2, 0, [a, 0x3999], [(0, 1, 8, 0, 0)]),
        "past-end": b"\x00" + xcopy_list(3, 0, [a, b],
                                         [(0, 1, 65535, 0x1ffff, 0)]),
        "protected": b"\xc0" + xcopy_list(4, 0, [a, b], [(0, 1, 8, 0, 0)]),
        # LUs of 512 B and 4 KiB blocks, one segment on each
        "mixed-blocks": b"\x0c" + xcopy_list(8, 0, [a, b],
                                             [(0, 0, 6, 0, 100), (1, 1, 8, 0, 50)],
                                             bs=0),
        "empty": b"\x00",
        "bad-type": b"\x00" + xcopy_list(6, 0, [a], [])[:16] +
                    bytes([0xE5]) + bytes(31),
    }


def main():
    sets = {"pdu": pdu_seeds(), "scsi": scsi_seeds(), "login_text": login_seeds(),
            "text": text_seeds(),
            "chap": chap_seeds(), "acl": acl_seeds(), "xcopy": xcopy_seeds()}
    for target, seeds in sets.items():
        d = os.path.join(HERE, "corpus", target)
        os.makedirs(d, exist_ok=True)
        for name in os.listdir(d):
            if name.startswith("seed-"):
                os.unlink(os.path.join(d, name))
        for name, data in seeds.items():
            with open(os.path.join(d, f"seed-{name}"), "wb") as f:
                f.write(data)
        print(f"{target}: {len(seeds)} seeds", file=sys.stderr)


if __name__ == "__main__":
    main()
