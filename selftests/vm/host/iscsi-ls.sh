#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# On the host: discover the targets through the forwarded port and, with
# -s, log in to each at the address SendTargets gives (the guest's portal
# advertises 127.0.0.1:port, as QEMU's NAT hides its own address) and
# list its LUNs; then send LUN 0 of the first target a command. Targets
# have no logical units yet, so the answer must be LOGICAL UNIT NOT
# SUPPORTED.
set -euo pipefail
ini=iqn.2026-11.org.iscsi-spt:host
url=iscsi://127.0.0.1:$ISPT_PORT
iscsi-ls -s -i "$ini" "$url"
target=$(iscsi-ls -i "$ini" "$url" | sed -n 's/^Target:\([^ ]*\) .*/\1/p' | head -n 1)
out=$(iscsi-inq -i "$ini" "$url/$target/0" 2>&1) || true
echo "$out"
grep -q LOGICAL_UNIT_NOT_SUPPORTED <<<"$out"
