#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# On the host: libiscsi's compliance tests against a LUN through the
# forwarded port. usage: iscsi-test-cu.sh TARGET LUN FAMILY...
# Prints "family: total ran passed failed" per family; fails on any
# failed test or any family that did not run.
set -uo pipefail
target=$1
lun=$2
shift 2
url=iscsi://127.0.0.1:$ISPT_PORT/$target/$lun
rc=0
for family in "$@"; do
	out=$(timeout 600 iscsi-test-cu -d --initiator-name=iqn.2026-11.org.iscsi-spt:cu \
		--initiator-name-2=iqn.2026-11.org.iscsi-spt:cu2 --test="$family" "$url" 2>&1)
	sum=$(awk '$1 == "tests" { print $2, $3, $4, $5 }' <<<"$out")
	echo "$family: ${sum:-no summary}"
	read -r total ran passed failed <<<"$sum"
	if [ -z "$sum" ] || [ "$failed" != 0 ] || [ "$ran" = 0 ]; then
		grep -E "FAIL|CU_" <<<"$out" | head -20
		rc=1
	fi
done
exit $rc
