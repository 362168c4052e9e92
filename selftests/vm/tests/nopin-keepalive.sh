#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The target pings a silent initiator with NOP-In after nopin_interval
# seconds, keeps the connection while pings are answered, and drops it
# when one is not answered within nopin_timeout: an initiator that
# vanished without logging out does not keep its session forever.
. "$ISPT_REPO/selftests/vm/lib.sh"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
# Bad values are refused and leave the setting alone.
echo 99999 >"$ISPT_CFS/nopin_interval" 2>/dev/null && fail "nopin_interval 99999 accepted"
echo 0 >"$ISPT_CFS/nopin_timeout" 2>/dev/null && fail "nopin_timeout 0 accepted"
echo 2 >"$ISPT_CFS/nopin_interval" || fail "set nopin_interval"
echo 2 >"$ISPT_CFS/nopin_timeout" || fail "set nopin_timeout"
[ "$(cat "$ISPT_CFS/nopin_interval")" = 2 ] || fail "nopin_interval not 2"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" <<'PY' || fail "keepalive"
import sys, time
import raw_iscsi as r

port, target = int(sys.argv[1]), sys.argv[2]
c = r.Conn("127.0.0.1", port)
c.login("iqn.2026-11.org.iscsi-spt:raw", target)

def wait_nop_in(limit):
    start = time.monotonic()
    op, hdr, _ = c.recv_pdu()
    took = time.monotonic() - start
    assert op == r.OP_NOP_IN, f"opcode {op:#x} instead of NOP-In"
    assert hdr[16:20] == b"\xff" * 4, "NOP-In ping must carry the reserved ITT"
    assert hdr[20:24] != b"\xff" * 4, "NOP-In ping must carry a TTT"
    assert took < limit, f"ping after {took:.1f}s"
    return hdr

# Two pings, answered: the connection stays.
for i in range(2):
    c.nop_out_answer(wait_nop_in(6))
print("# two pings answered")
# The third goes unanswered: the target hangs up.
wait_nop_in(6)
start = time.monotonic()
c.sock.settimeout(10)
try:
    while True:
        c.recv_pdu()
except ConnectionResetError:
    pass
took = time.monotonic() - start
assert took < 6, f"dropped only after {took:.1f}s"
print(f"# unanswered ping: connection dropped after {took:.1f}s")
PY
sleep 1
grep -q "no answer to NOP-In" <<<"$(dmesg | tail -n 20)" || fail "no log line for the dropped connection"
echo "keepalive pings and drops as configured"
