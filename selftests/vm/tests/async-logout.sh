#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Taking a target away asks its initiators to log out: each session gets
# an Async Message (AsyncEvent 1, Parameter3 = seconds to comply); one
# that logs out is answered normally, one that does not is dropped when
# the time is up. Other targets' sessions are not touched.
# timeout: 300
. "$ISPT_REPO/selftests/vm/lib.sh"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_add_targets 2 || fail "second target"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" "$ISPT_CFS" <<'PY' || fail "async logout"
import os, struct, sys, time
import raw_iscsi as r

port, iqn, cfs = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ini = "iqn.2026-11.org.iscsi-spt:raw"
stubborn = r.Conn("127.0.0.1", port)
stubborn.login(ini, iqn, isid=b"\x80\0\0\0\0\x01")
polite = r.Conn("127.0.0.1", port)
polite.login(ini, iqn, isid=b"\x80\0\0\0\0\x02")
bystander = r.Conn("127.0.0.1", port)
bystander.login(ini, iqn + "-2")

t = f"{cfs}/targets/{iqn}"
os.unlink(f"{t}/maps/1/ig1")
os.rmdir(f"{t}/maps/1")
os.rmdir(t)
removed = time.monotonic()

def expect_async(c):
    op, hdr, _ = c.recv_pdu()
    assert op == 0x32, f"opcode {op:#x}, not an Async Message"
    assert hdr[36] == 1, f"AsyncEvent {hdr[36]}, not 1 (logout requested)"
    wait = struct.unpack(">H", hdr[42:44])[0]
    assert 0 < wait <= 3600, f"Parameter3 {wait}"
    c.statsn = struct.unpack(">I", hdr[24:28])[0] + 1
    return wait

wait = expect_async(polite)
expect_async(stubborn)
print(f"# both sessions asked to log out within {wait}s")

# The polite one logs out (close the session) and gets its response.
rest = bytes(8) + struct.pack(">IHHII", 0x42, 0, 0, polite.cmdsn, polite.statsn)
polite.send(r.bhs(0x06 | r.IMMEDIATE, 0x80, 0, rest))
op, hdr, _ = polite.recv_pdu()
assert op == 0x26 and hdr[2] == 0, f"logout: opcode {op:#x} response {hdr[2]}"

# The stubborn one is dropped when its time is up, not before.
stubborn.sock.settimeout(wait + 10)
try:
    while True:
        stubborn.recv_pdu()
except ConnectionResetError:
    pass
took = time.monotonic() - removed
assert wait - 1 <= took <= wait + 5, f"dropped after {took:.1f}s, asked for {wait}s"
print(f"# the session that did not log out was dropped after {took:.1f}s")
bystander.ping()
print("# the other target's session is untouched")
PY
dmesg | grep -q "asked to log out" || fail "no log line for the dropped connection"
echo "a removed target's sessions are asked to log out, then dropped"
