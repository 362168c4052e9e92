#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# On the host: libiscsi's iscsi-test-cu, destructive tests allowed (-d),
# one run per family.
# usage: libiscsi-families.sh [OPTION...] URL [URL2] -- FAMILY...
# OPTIONs (leading -) go to iscsi-test-cu, e.g. -S (--allow-sanitize).
# URL2, when given, is a second path to the same LU (MultipathIO).
# Prints per family "FAMILY: N tests, P passed, F failed, S skipped" and
# each failed or skipped test; exits non-zero if any test failed. The full
# output of each run is kept in $TMPDIR (printed at the end).
set -uo pipefail
here=$(dirname "$0")
urls=()
opts=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	case $1 in
	-*) opts+=("$1") ;;	# iscsi-test-cu's own, e.g. -S (--allow-sanitize)
	*) urls+=("$1") ;;
	esac
	shift
done
shift
logdir=$(mktemp -d "${TMPDIR:-/tmp}/libiscsi-cu.XXXXXX")
rc=0
for family in "$@"; do
	start=$SECONDS
	timeout 1800 iscsi-test-cu -d \
		--initiator-name=iqn.2026-11.org.iscsi-spt:cu \
		--initiator-name-2=iqn.2026-11.org.iscsi-spt:cu2 \
		"${opts[@]}" --test="$family" "${urls[@]}" >"$logdir/$family.log" 2>&1
	python3 "$here/cu-summary.py" "$family" <"$logdir/$family.log" || rc=1
	echo "$family: $((SECONDS - start)) s"
done
echo "full output: $logdir"
exit $rc
