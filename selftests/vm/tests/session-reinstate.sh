#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Session reinstatement (RFC 7143 6.3.5): a new login for an I_T nexus
# that already has a session (same initiator name and ISID) ends the old
# session; another ISID is another session and is left alone. And the
# Linux initiator recovers a connection cut under fio --verify (ERL 0:
# it logs in again) with every block intact.
# timeout: 600
. "$ISPT_REPO/selftests/vm/lib.sh"

ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_backing_devices 128
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" <<'PY' || fail "raw reinstatement"
import sys, time
import raw_iscsi as r

port, target = int(sys.argv[1]), sys.argv[2]
name = "iqn.2026-11.org.iscsi-spt:raw"
isid_a, isid_b = b"\x80\0\0\x12\x34\x01", b"\x80\0\0\x12\x34\x02"

old = r.Conn("127.0.0.1", port)
old.login(name, target, isid=isid_a)
other = r.Conn("127.0.0.1", port)
other.login(name, target, isid=isid_b)
old.ping()
new = r.Conn("127.0.0.1", port)
new.login(name, target, isid=isid_a)

# The old connection of the same nexus is closed by the target...
old.sock.settimeout(10)
start = time.monotonic()
try:
    old.ping()
    raise AssertionError("the reinstated session still answers")
except (ConnectionResetError, BrokenPipeError, ConnectionAbortedError):
    pass
print(f"# old session ended {time.monotonic() - start:.1f}s after the new login")
# ...the new one and the other nexus work.
new.ping()
other.ping()
print("# new session and the session with another ISID answer")
PY
dmesg | grep -q "reinstated by a new login" || fail "no log line for the reinstatement"

# open-iscsi: cut its connection in the middle of verified writes.
modprobe tcp_diag 2>/dev/null
ispt_login_all || fail "login"
sleep 1
disk=$(ispt_lun_disk 0)
[ -b "$disk" ] || fail "no disk for LUN 0"
fio --name=cut --filename="$disk" --ioengine=libaio --direct=1 --rw=randwrite \
	--bs=16k --iodepth=16 --size=120M --verify=crc32c --do_verify=1 \
	--verify_fatal=1 --output=/tmp/fio-cut.log &
fio_pid=$!
sleep 4
kill -0 "$fio_pid" 2>/dev/null || fail "fio ended before the cut: make it longer"
ss -K dst 127.0.0.1 dport = ":$ISPT_PORT" >/dev/null 2>&1 ||
	skip "ss -K cannot destroy sockets here"
note "connection cut under fio"
wait "$fio_pid" || fail "fio after the cut: $(tail -n 20 /tmp/fio-cut.log)"
grep -q "err= 0" /tmp/fio-cut.log || fail "fio reported errors: $(cat /tmp/fio-cut.log)"
iscsiadm -m session 2>/dev/null | grep -q "$ISPT_TEST_IQN" || fail "no session after recovery"
echo "reinstatement ends the old session; open-iscsi recovers a cut connection with data intact"
