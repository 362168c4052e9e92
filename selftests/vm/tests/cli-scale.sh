#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The CLI at scale: a configuration of 1,000 LUNs (null_blk devices, one
# per LUN as the module opens them exclusively) over 256 targets restores
# in under 10 seconds and saves back the same; the stats file lists every
# LUN; then 512 raw initiators log in and "connections" lists each one
# (the sessions file is past PAGE_SIZE many times over).
# timeout: 900
. "$ISPT_REPO/selftests/vm/lib.sh"

CLI=$ISPT_REPO/tools/iscsi-spt/iscsi-spt
NLUNS=1000
NTARGETS=256
NCONNS=${ISPT_SCALE_CONNS:-512}
LIMIT_S=10
CONF=/tmp/cli-scale.json
BACK=/tmp/cli-scale-saved.json
STOP=/tmp/cli-scale.stop
READY=/tmp/cli-scale.ready

[ -x "$CLI" ] || fail "no $CLI: build it first (make tools)"

t0=$(date +%s)
modprobe null_blk nr_devices=$NLUNS gb=1 shared_tags=1 memory_backed=0 ||
	fail "null_blk with $NLUNS devices"
for i in $(seq 100); do
	[ -b "/dev/nullb$((NLUNS - 1))" ] && break
	sleep 0.5
done
[ -b "/dev/nullb$((NLUNS - 1))" ] || fail "/dev/nullb$((NLUNS - 1)) did not appear"
note "$NLUNS null_blk devices in $(($(date +%s) - t0)) s"

ispt_load || fail "insmod"
# Idle raw initiators do not answer pings; nothing here needs keepalive.
"$CLI" params set nopin_interval=0 || fail "params set"

python3 - "$NLUNS" "$NTARGETS" "$ISPT_PORT" "$ISPT_TEST_IQN" >"$CONF" <<'EOF'
import json, sys
nluns, ntargets, port, base = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
targets = [{"name": f"{base}-{t}", "alias": f"scale {t}", "luns": [],
            "maps": [{"pg_tag": 1, "ig_tags": [1]}]} for t in range(ntargets)]
for i in range(nluns):
    targets[i % ntargets]["luns"].append(
        {"id": i // ntargets, "device_path": f"/dev/nullb{i}", "enabled": True})
print(json.dumps({"version": 1,
                  "portal_groups": [{"tag": 1, "portals": [f"0.0.0.0:{port}"]}],
                  "initiator_groups": [{"tag": 1, "initiators": ["ANY"],
                                        "netmasks": ["ANY"]}],
                  "targets": targets}))
EOF

start=$(date +%s%N)
"$CLI" restore --check "$CONF" || fail "restore --check"
note "checking the file (devices included) took $((($(date +%s%N) - start) / 1000000)) ms"
start=$(date +%s%N)
"$CLI" restore "$CONF" || fail "restore"
ms=$((($(date +%s%N) - start) / 1000000))
note "restored $NLUNS LUNs over $NTARGETS targets in $ms ms (load average $(cut -d' ' -f1-3 /proc/loadavg))"
[ "$ms" -lt $((LIMIT_S * 1000)) ] || fail "restore took $ms ms, more than $LIMIT_S s"

[ "$(find "$ISPT_CFS/targets" -mindepth 1 -maxdepth 1 | wc -l)" -eq "$NTARGETS" ] ||
	fail "not $NTARGETS targets"
[ "$(grep -l 1 "$ISPT_CFS"/targets/*/luns/*/enable | wc -l)" -eq "$NLUNS" ] ||
	fail "not $NLUNS enabled LUNs"
"$CLI" save "$BACK" >/dev/null || fail "save"
python3 - "$CONF" "$BACK" <<'EOF' || fail "the saved configuration differs from the restored one"
import json, sys
want, got = (json.load(open(p)) for p in sys.argv[1:])
key = lambda t: t["name"]
for c in (want, got):
    c["targets"].sort(key=key)
    for t in c["targets"]:
        t["luns"].sort(key=lambda l: l["id"])
for k in ("portal_groups", "initiator_groups", "targets"):
    if k == "portal_groups":
        for pg in got[k]:
            pg.pop("cpus", None)
    assert want[k] == got[k], k
EOF
lines=$(grep -c '^lun ' "$ISPT_CFS/stats")
[ "$lines" -eq "$NLUNS" ] || fail "stats lists $lines LUNs"
tail -n 1 "$ISPT_CFS/stats" | grep -q '^# end' || fail "stats was truncated"
note "stats: $(wc -c <"$ISPT_CFS/stats") bytes, every LUN"

ulimit -n 4096
rm -f "$STOP" "$READY"
python3 - "$NCONNS" "$NTARGETS" "$ISPT_PORT" "$ISPT_TEST_IQN" "$STOP" "$READY" <<'EOF' &
import os, sys, time
sys.path.insert(0, os.environ["ISPT_REPO"] + "/selftests/vm")
import raw_iscsi
n, ntargets, port, base, stop, ready = sys.argv[1:]
n, ntargets = int(n), int(ntargets)
conns = []
try:
    for i in range(n):
        c = raw_iscsi.Conn("127.0.0.1", int(port), timeout=30)
        c.login(f"iqn.2026-11.org.example:scale-{i}", f"{base}-{i % ntargets}")
        conns.append(c)
finally:
    with open(ready, "w") as f:
        f.write(f"{len(conns)}\n")
while not os.path.exists(stop):
    time.sleep(0.2)
EOF
pyinit=$!
for i in $(seq 600); do
	[ -s "$READY" ] && break
	sleep 0.5
done
got=$(cat "$READY" 2>/dev/null)
note "$got of $NCONNS raw initiators logged in"
[ "$got" = "$NCONNS" ] || { touch "$STOP"; fail "only ${got:-0} of $NCONNS logins"; }

"$CLI" connections >/tmp/cli-scale.conns || fail "connections"
listed=$(grep -c ' full_feature .*iqn.2026-11.org.example:scale-' /tmp/cli-scale.conns)
note "connections lists $listed; the sessions file is $(wc -c <"$ISPT_CFS/sessions") bytes"
for i in 0 $((NCONNS / 2)) $((NCONNS - 1)); do
	grep -q "iqn.2026-11.org.example:scale-$i -> $ISPT_TEST_IQN-$((i % NTARGETS))\$" /tmp/cli-scale.conns ||
		{ touch "$STOP"; fail "connection of initiator scale-$i not listed"; }
done
[ "$listed" -eq "$NCONNS" ] || { touch "$STOP"; fail "connections lists $listed of $NCONNS"; }
"$CLI" connections --json | python3 -c '
import json, sys
n = sum(1 for c in json.load(sys.stdin) if c["initiator"].startswith("iqn.2026-11.org.example:scale-"))
assert n == int(sys.argv[1]), n
' "$NCONNS" || { touch "$STOP"; fail "connections --json"; }
[ "$(grep -c '^conn ' "$ISPT_CFS/stats")" -ge "$NCONNS" ] || { touch "$STOP"; fail "stats lacks connections"; }

touch "$STOP"
wait "$pyinit"
for i in $(seq 100); do
	[ "$(grep -c '^conn ' "$ISPT_CFS/sessions")" -eq 0 ] && break
	sleep 0.2
done
start=$(date +%s%N)
"$CLI" clear || fail "clear"
note "cleared in $((($(date +%s%N) - start) / 1000000)) ms"
echo "$NLUNS LUNs over $NTARGETS targets restored in $ms ms; $NCONNS connections listed"
