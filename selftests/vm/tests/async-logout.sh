#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Removing a portal stops new connections at once and asks the sessions
# that came through it to log out (an Async Message, AsyncEvent 1,
# Parameter3 = seconds to comply), so they can come back through a portal
# that remains; one that logs out is answered normally, one that does not
# is left alone. Sessions through other portals are not touched.
# timeout: 300
. "$ISPT_REPO/selftests/vm/lib.sh"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
# No keepalive ping may come between the messages this test expects.
echo 120 >"$ISPT_CFS/nopin_interval" || fail "nopin_interval"
port2=$((ISPT_PORT + 1))
mkdir "$ISPT_CFS/portal_groups/1/portals/127.0.0.1:$port2" || fail "second portal"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" "$ISPT_CFS" "$port2" <<'PY' || fail "async logout"
import os, struct, sys, time
import raw_iscsi as r

port, iqn, cfs, port2 = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
ini = "iqn.2026-11.org.iscsi-spt:raw"
stubborn = r.Conn("127.0.0.1", port2)
stubborn.login(ini, iqn, isid=b"\x80\0\0\0\0\x01")
polite = r.Conn("127.0.0.1", port2)
polite.login(ini, iqn, isid=b"\x80\0\0\0\0\x02")
bystander = r.Conn("127.0.0.1", port)
bystander.login(ini, iqn, isid=b"\x80\0\0\0\0\x03")

os.rmdir(f"{cfs}/portal_groups/1/portals/127.0.0.1:{port2}")
try:
    r.Conn("127.0.0.1", port2, timeout=3)
    raise AssertionError("the removed portal still accepts")
except (ConnectionRefusedError, OSError):
    pass

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

# The stubborn one is left alone, past the time it was given.
time.sleep(wait + 2)
stubborn.ping()
print("# the session that did not log out is left alone")
bystander.ping()
print("# the session through the other portal got no message")
bystander.sock.settimeout(1)
try:
    op, _, _ = bystander.recv_pdu()
    raise AssertionError(f"unexpected PDU {op:#x} on the other portal's session")
except TimeoutError:
    pass
PY
echo "a removed portal's sessions are asked to log out and left alone"
