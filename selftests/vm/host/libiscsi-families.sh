#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# On the host: libiscsi's iscsi-test-cu, destructive tests allowed (-d),
# one run per family.
# usage: libiscsi-families.sh [--one-run] [OPTION...] URL [URL2] -- FAMILY...
# --one-run: ALL alone is run, and the other families' counts are taken
# from it (ALL's tests are those of SCSI and iSCSI, LINUX's a subset of
# SCSI's, as "iscsi-test-cu --list" shows): each test runs once, not
# up to three times.
# OPTIONs (leading -) go to iscsi-test-cu, e.g. -S (--allow-sanitize).
# URL2, when given, is a second path to the same LU (MultipathIO).
# Prints per family "FAMILY: N tests, P passed, F failed, S skipped" and
# each failed or skipped test; exits non-zero if any test failed. The full
# output of each run is kept in $TMPDIR (printed at the end).
set -uo pipefail
here=$(dirname "$0")
urls=()
opts=()
one_run=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	case $1 in
	--one-run) one_run=1 ;;
	-*) opts+=("$1") ;;	# iscsi-test-cu's own, e.g. -S (--allow-sanitize)
	*) urls+=("$1") ;;
	esac
	shift
done
shift
logdir=$(mktemp -d "${TMPDIR:-/tmp}/libiscsi-cu.XXXXXX")
rc=0
if [ -n "$one_run" ]; then
	start=$SECONDS
	timeout 1800 iscsi-test-cu -d \
		--initiator-name=iqn.2026-11.org.iscsi-spt:cu \
		--initiator-name-2=iqn.2026-11.org.iscsi-spt:cu2 \
		"${opts[@]}" --test=ALL "${urls[@]}" >"$logdir/ALL.log" 2>&1
	python3 "$here/cu-summary.py" ALL <"$logdir/ALL.log" >/dev/null || rc=1
	iscsi-test-cu --list >"$logdir/list" 2>&1 || rc=1
	for family in "$@"; do
		grep "^$family\." "$logdir/list" >"$logdir/$family.members"
		python3 "$here/cu-summary.py" "$family" "$logdir/$family.members" \
			<"$logdir/ALL.log" || rc=1
	done
	echo "ALL (one run for all families): $((SECONDS - start)) s"
	echo "full output: $logdir"
	exit $rc
fi
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
