#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# On the host: discover the targets through the forwarded port, then log
# in to the first one directly and send LUN 0 a command. Targets have no
# logical units yet, so the answer must be LOGICAL UNIT NOT SUPPORTED.
# (Not iscsi-ls -s: SendTargets names the guest's own address, which the
# host cannot reach through QEMU's NAT.)
set -euo pipefail
ini=iqn.2026-11.org.iscsi-spt:host
url=iscsi://127.0.0.1:$ISPT_PORT
iscsi-ls -i "$ini" "$url"
target=$(iscsi-ls -i "$ini" "$url" | sed -n 's/^Target:\([^ ]*\) .*/\1/p' | head -n 1)
out=$(iscsi-inq -i "$ini" "$url/$target/0" 2>&1) || true
echo "$out"
grep -q LOGICAL_UNIT_NOT_SUPPORTED <<<"$out"
