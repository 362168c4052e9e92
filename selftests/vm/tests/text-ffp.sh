#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Text requests after login: a SendTargets answer longer than the
# initiator's MaxRecvDataSegmentLength comes in several Text Responses
# (C bit and TTT), whole and in order; a request split over several PDUs
# is gathered; MaxRecvDataSegmentLength may be declared again; other
# keys are answered Reject (login-only) or NotUnderstood.
. "$ISPT_REPO/selftests/vm/lib.sh"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_add_targets 40 || fail "40 targets"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" <<'PY' || fail "text exchanges"
import sys
import raw_iscsi as r

port, iqn = int(sys.argv[1]), sys.argv[2]
want = {iqn} | {f"{iqn}-{i}" for i in range(2, 41)}

# Discovery with a 512-byte MRDSL: 40 targets need many responses.
c = r.Conn("127.0.0.1", port)
c.login("iqn.2026-11.org.iscsi-spt:raw", None,
        extra=[("MaxRecvDataSegmentLength", "512")])
pairs = c.text([("SendTargets", "All")])
names = [v for k, v in pairs if k == "TargetName"]
assert set(names) == want and len(names) == 40, f"targets: {names}"
assert all(k in ("TargetName", "TargetAddress") for k, _ in pairs)
print(f"# SendTargets=All: {len(names)} targets in pieces of 512 bytes")

# A request split over two PDUs (C bit), then answered.
op, hdr, data = c.text_pdu(b"SendTarg", cont=True, itt=0x88)
assert op == r.OP_TEXT_RSP and not data and not hdr[1] & 0x80
ttt = int.from_bytes(hdr[20:24], "big")
assert ttt != r.RESERVED_TAG
op, hdr, data = c.text_pdu(b"ets=" + iqn.encode() + b"\0", ttt=ttt, itt=0x88)
assert op == r.OP_TEXT_RSP and hdr[1] & 0x80, "not the final response"
assert data.split(b"\0")[0] == b"TargetName=" + iqn.encode(), data
print("# a request in two PDUs is gathered")

# A continuation with a TTT that is not ours is a protocol error.
op, hdr, _ = c.text_pdu(b"", ttt=0x12345678, itt=0x99)
assert op == r.OP_REJECT and hdr[2] == 0x04, f"opcode {op:#x} reason {hdr[2]:#x}"
print("# a stranger's TTT is rejected")

# Keys: MaxRecvDataSegmentLength declared again, others refused.
pairs = dict(c.text([("MaxRecvDataSegmentLength", "8192"),
                     ("MaxBurstLength", "4096"), ("X-org.example.k", "1")]))
assert pairs == {"MaxRecvDataSegmentLength": "65536",
                 "MaxBurstLength": "Reject",
                 "X-org.example.k": "NotUnderstood"}, pairs
# With 8 KiB now allowed, the same list comes in fewer, larger pieces.
op, hdr, data = c.text_pdu(r.text([("SendTargets", "All")]), itt=0x66)
assert 512 < len(data) <= 8192, f"first piece {len(data)} bytes"
print("# MaxRecvDataSegmentLength renegotiated; login keys Reject; unknown NotUnderstood")
PY
echo "long SendTargets answers, split requests and FFP keys work"
