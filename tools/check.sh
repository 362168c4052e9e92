#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: the W=1 build, sparse, checkpatch, a fuzz smoke run, the
# CLI's build and unit tests, the KUnit suites on UML and the VM selftests. Every stage runs
# even if an earlier one failed (the VM stage needs the build). The last
# line counts each static check as one test, plus every CLI unit check,
# KUnit case and VM test:
#   N passed, N failed
#
# tools/check.sh --kernel-only: just the stages that depend on the kernel
# built for and booted (build, sparse, VM selftests), for a second kernel
# (make check-6.12). KVER picks the kernel, as everywhere.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ISPT_REPO"

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

stage() {
	echo
	echo "==== $1"
}

# One pass/fail for a command whose output must hold no warning.
static_check() {
	local name=$1
	shift
	stage "$name"
	if "$@" >"$log" 2>&1 && ! grep -E -q '(warning|error):' "$log"; then
		grep -E -v '^(make|  [A-Z]+ )|Skipping BTF' "$log" | tail -n 5
		echo "ok: $name"
		passed=$((passed + 1))
		return 0
	fi
	cat "$log"
	echo "FAILED: $name"
	failed=$((failed + 1))
	return 1
}

# Add the "name: N passed, N failed" line a stage printed to the tally.
count_stage() {
	local name=$1 line
	shift
	stage "$name"
	"$@" 2>&1 | tee "$log"
	line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAILED: $name printed no summary"
		failed=$((failed + 1))
		return
	fi
	set -- $line
	passed=$((passed + $2))
	failed=$((failed + $4))
}

kernel_only=0
[ "${1:-}" != --kernel-only ] || kernel_only=1
KVER=$(ispt_kver)
[ -n "$KVER" ] || { echo "check: no kernel headers installed (tools/install-deps.sh)" >&2; exit 1; }
export KVER
echo "check: kernel $KVER"

built=0
# Kbuild rebuilds what another kernel's build left (its command lines differ).
static_check build make modules && built=1
static_check sparse make sparse
if [ "$kernel_only" -eq 0 ]; then
	static_check checkpatch tools/checkpatch.sh
	# Every fuzz target over its corpus, then 50,000 mutations from a fixed
	# seed (make fuzz runs them for longer).
	static_check fuzz-smoke make -s -C tools/fuzz smoke
	# The CLI: -Wall -Wextra clean, then its unit tests (each check counts).
	static_check cli-build make -B tools
	count_stage cli make -s -C tools/iscsi-spt check
	count_stage kunit tools/kunit.sh
else
	static_check cli-build make tools
fi
if [ "$built" -eq 1 ]; then
	count_stage vm tools/iscsi-spt-vm test
else
	stage vm
	echo "FAILED: vm (no module to test)"
	failed=$((failed + 1))
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
