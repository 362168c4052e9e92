#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Reservations on the live path (prcmd.c, pr.c). libiscsi's iscsi-test-cu
# families for PERSISTENT RESERVE IN/OUT and RESERVE(6), from the host
# with two initiator names, on a brd LUN; every test must pass. Then two
# raw sessions (two I_T nexuses of one initiator, ISIDs apart): a Write
# Exclusive reservation lets the other nexus read but not write
# (RESERVATION CONFLICT), a short parameter list gets 5/1A/00, a PREEMPT
# takes the reservation and tells the preempted nexus 6/2A/05, RESERVE(6)
# keeps the other nexus out until a LOGICAL UNIT RESET (which ends it,
# while persistent ones stay) or the holder's nexus loss. Last, sg_persist
# through the Linux initiator with APTPL=1: the registration and the
# reservation come back after iscsi-spt save, a module reload and
# iscsi-spt restore (which writes the LUN's pr_state back).
# timeout: 2400
. "$ISPT_REPO/selftests/vm/lib.sh"

[ -d /sys/module/brd ] && { rmmod brd || fail "brd still in use"; }
modprobe brd rd_nr=1 rd_size=65536 || fail "brd"
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"
lun0=$ISPT_CFS/targets/$ISPT_TEST_IQN/luns/0

rc=0
out=$(HOST_RUN_TIMEOUT=1500 host_run iscsi-test-cu.sh "$ISPT_TEST_IQN" 0 \
	ALL.PrinReadKeys ALL.PrinServiceactionRange ALL.PrinReportCapabilities \
	ALL.ProutRegister ALL.ProutReserve ALL.ProutClear ALL.ProutPreempt \
	ALL.Reserve6) || rc=1
echo "$out" | sed 's/^/# /'
[ "$rc" -eq 0 ] || fail "iscsi-test-cu reported failures"

PYTHONPATH=$ISPT_REPO/selftests/vm python3 - "$ISPT_PORT" "$ISPT_TEST_IQN" <<'PY' || fail "raw sessions"
import struct, sys, time
import raw_iscsi as r

port, iqn = int(sys.argv[1]), sys.argv[2]
name = "iqn.2026-11.org.iscsi-spt:raw"
GOOD, CHECK_CONDITION, CONFLICT = 0, 2, 0x18
LU_RESET = 5
itt = 0x100

def conn(isid):
    c = r.Conn("127.0.0.1", port, timeout=30)
    c.login(name, iqn, isid=isid)
    return c

def sense_of(raw):
    if (raw[0] & 0x7f) in (0x72, 0x73):
        return raw[1] & 0x0f, raw[2], raw[3]
    return raw[2] & 0x0f, raw[12], raw[13]

def cmd(c, cdb, read_len=0, data=b""):
    global itt
    itt += 1
    c.scsi_send(itt, cdb, read_len=read_len, data=data)
    (got_itt, status, got), = c.scsi_collect(1)
    assert got_itt == itt, f"answer for ITT {got_itt:#x}, not {itt:#x}"
    return status, got

def expect(c, cdb, want, what, read_len=0, data=b""):
    status, got = cmd(c, cdb, read_len, data)
    if status != want:
        s = sense_of(got[2:]) if status == CHECK_CONDITION else None
        raise AssertionError(f"{what}: status {status:#x} (sense {s}), not {want:#x}")
    return got

def expect_sense(c, cdb, sense, what, read_len=0, data=b""):
    got = expect(c, cdb, CHECK_CONDITION, what, read_len, data)
    assert sense_of(got[2:]) == sense, f"{what}: sense {sense_of(got[2:])}, not {sense}"

def prout(sa, key, sa_key, type_=0, length=24):
    cdb = struct.pack(">BBBxxIB", 0x5F, sa, type_, length, 0)
    return cdb, struct.pack(">QQ8x", key, sa_key)[:length]

def prin(sa, alloc=1024):
    return struct.pack(">BBxxxxxHB", 0x5E, sa, alloc, 0)

TUR = bytes(6)
INQUIRY = struct.pack(">BBBHB", 0x12, 0, 0, 96, 0)
READ10 = struct.pack(">BBIBHB", 0x28, 0, 0, 0, 1, 0)
WRITE10 = struct.pack(">BBIBHB", 0x2A, 0, 0, 0, 1, 0)
RESERVE6, RELEASE6 = bytes([0x16]) + bytes(5), bytes([0x17]) + bytes(5)
WE, EA = 1, 3

a = conn(b"\x80\0\0\x12\x36\x01")
b = conn(b"\x80\0\0\x12\x36\x02")
expect(a, TUR, GOOD, "A's first TUR")
expect(b, TUR, GOOD, "B's first TUR")

# A hostile list: too short for any service action.
c_, d = prout(0, 0, 0xA, length=20)
expect_sense(a, c_, (5, 0x1A, 0), "REGISTER with a 20-byte list", data=d)

for c, key in ((a, 0xA), (b, 0xB)):
    c_, d = prout(0, 0, key)
    expect(c, c_, GOOD, f"REGISTER {key:#x}", data=d)
keys = expect(a, prin(0), GOOD, "READ KEYS", 1024)
gen, n = struct.unpack(">II", keys[:8])
assert n == 16 and set(struct.unpack(">QQ", keys[8:24])) == {0xA, 0xB}, keys[:24].hex()

c_, d = prout(1, 0xA, 0, WE)
expect(a, c_, GOOD, "A RESERVE Write Exclusive", data=d)
res = expect(b, prin(1), GOOD, "READ RESERVATION", 1024)
assert struct.unpack(">IQ", res[4:16]) == (16, 0xA) and res[21] == WE, res.hex()
expect(b, READ10, GOOD, "B READ under WE", 512)
expect(b, WRITE10, CONFLICT, "B WRITE under WE", data=bytes(512))
expect(a, WRITE10, GOOD, "A WRITE, its own WE", data=bytes(512))
print("# WE: the other nexus reads, its write gets RESERVATION CONFLICT")

# B preempts A with Exclusive Access: A's registration goes, A is told.
c_, d = prout(4, 0xB, 0xA, EA)
expect(b, c_, GOOD, "B PREEMPT A", data=d)
expect_sense(a, TUR, (6, 0x2A, 0x05), "A's TUR after the preempt", 512)
expect(a, READ10, CONFLICT, "A READ under B's EA", 512)
expect(b, READ10, GOOD, "B READ, its own EA", 512)
c_, d = prout(3, 0xB, 0)
expect(b, c_, GOOD, "B CLEAR", data=d)
expect(a, READ10, GOOD, "A READ after CLEAR", 512)
print("# PREEMPT: A got 6/2A/05 and RESERVATION CONFLICT, CLEAR let it back")

# RESERVE(6): B is kept out of TUR and RESERVE but not INQUIRY.
expect(a, RESERVE6, GOOD, "A RESERVE(6)")
expect(b, TUR, CONFLICT, "B TUR under A's RESERVE(6)")
expect(b, RESERVE6, CONFLICT, "B RESERVE(6) under A's")
expect(b, INQUIRY, GOOD, "B INQUIRY under A's RESERVE(6)", 96)
expect(b, RELEASE6, GOOD, "B RELEASE(6), not its own")
expect(b, TUR, CONFLICT, "B TUR after its own RELEASE(6)")
# A persistent registration survives the reset, the RESERVE(6) does not.
c_, d = prout(0, 0, 0xC)
expect(b, c_, CONFLICT, "B REGISTER under A's RESERVE(6)", data=d)
assert a.tmf(LU_RESET) == 0, "LU reset"
expect_sense(b, TUR, (6, 0x29, 0x03), "B's TUR after the reset", 512)
expect(b, TUR, GOOD, "B TUR after the reset ended A's RESERVE(6)")
expect(b, c_, GOOD, "B REGISTER 0xC", data=d)
expect_sense(a, TUR, (6, 0x29, 0x03), "A's TUR after its own reset", 512)
expect(a, RESERVE6, GOOD, "A RESERVE(6) again")
expect(b, TUR, CONFLICT, "B TUR under A's new RESERVE(6)")
a.sock.close()
for i in range(50):
    status, _ = cmd(b, TUR)
    if status == GOOD:
        break
    time.sleep(0.2)
assert status == GOOD, f"B TUR after A's nexus loss: {status:#x}"
keys = expect(b, prin(0), GOOD, "READ KEYS after the reset", 1024)
assert struct.unpack(">I", keys[4:8])[0] == 8, keys[:16].hex()
c_, d = prout(0, 0xC, 0)
expect(b, c_, GOOD, "B unregisters", data=d)
print("# RESERVE(6): conflicts, ended by LU reset and nexus loss; the PR registration stayed")
PY

# The Linux initiator, through sg3_utils; APTPL=1 across a module reload.
ispt_login_all || fail "open-iscsi login"
for i in $(seq 50); do
	disk=$(ispt_lun_disk 0)
	[ -n "$disk" ] && [ -b "$disk" ] && break
	sleep 0.2
done
[ -b "$disk" ] || fail "no disk for LUN 0"
sg_persist -n --out --register --param-sark=0x1111 --param-aptpl "$disk" ||
	fail "sg_persist register"
sg_persist -n --out --reserve --param-rk=0x1111 --prout-type=1 "$disk" ||
	fail "sg_persist reserve"
out=$(sg_persist -n --in -k "$disk") || fail "sg_persist read keys"
grep -q 0x1111 <<<"$out" || fail "read keys: $out"
out=$(sg_persist -n --in -c "$disk") || fail "sg_persist report capabilities"
grep -q "(PTPL_A): 1" <<<"$out" || fail "PTPL_A not set: $out"
state=$(cat "$lun0/pr_state")
note "pr_state: $(tr '\n' ';' <<<"$state")"
grep -q "^aptpl 1" <<<"$state" && grep -q "^reg 0x1111 " <<<"$state" &&
	grep -q "^reservation 1 0" <<<"$state" || fail "pr_state: $state"
iscsiadm -m node -U all >/dev/null || fail "logout"

# What an admin does: save with the CLI, reload, restore; pr_state rides
# in the LUN's "attributes" and is written back before the LUN is enabled.
cli=$ISPT_REPO/tools/iscsi-spt/iscsi-spt
saved=/tmp/pr-saved.json
"$cli" save "$saved" >/dev/null || fail "iscsi-spt save"
grep -q '"pr_state": "aptpl 1' "$saved" || fail "pr_state not saved: $(<"$saved")"
ispt_clear_config
ispt_unload || fail "rmmod"
ispt_load || fail "insmod again"
"$cli" restore "$saved" >/dev/null || fail "iscsi-spt restore"
grep -q "^reg 0x1111 " "$lun0/pr_state" || fail "pr_state after restore: $(<"$lun0/pr_state")"
# A text pr.c cannot take is refused, and changes nothing.
echo "garbage 1" >"$lun0/pr_state" 2>/dev/null && fail "pr_state took garbage"
grep -q "^reg 0x1111 " "$lun0/pr_state" || fail "garbage changed pr_state"
ispt_login_all || fail "open-iscsi login again"
for i in $(seq 50); do
	disk=$(ispt_lun_disk 0)
	[ -n "$disk" ] && [ -b "$disk" ] && break
	sleep 0.2
done
[ -b "$disk" ] || fail "no disk for LUN 0 after the reload"
out=$(sg_persist -n --in -k "$disk") || fail "read keys after the reload"
grep -q 0x1111 <<<"$out" || fail "the APTPL registration is gone: $out"
out=$(sg_persist -n --in -r "$disk") || fail "read reservation after the reload"
grep -q "Write Exclusive" <<<"$out" || fail "the APTPL reservation is gone: $out"
note "after the reload: $(tr '\n' ' ' <<<"$out")"
# open-iscsi's new session may have another ISID: another initiator
# port, not registered. It registers itself, then any registrant may CLEAR.
note "pr_state now: $(tr '\n' ';' <"$lun0/pr_state")"
sg_persist -n --out --register-ignore --param-sark=0x2222 "$disk" ||
	fail "sg_persist register and ignore existing key"
sg_persist -n --out --clear --param-rk=0x2222 "$disk" || fail "sg_persist clear"
out=$(sg_persist -n --in -k "$disk")
grep -q "0x1111\|0x2222" <<<"$out" && fail "still registered after CLEAR: $out"
iscsiadm -m node -U all >/dev/null
ispt_clear_config
echo "reservations: libiscsi, raw nexuses, sg_persist and APTPL across a reload passed"
