#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the module's KUnit suites on UML. Debian's kernel has no KUnit, so
# drivers/iscsi_spt is grafted into an unpacked linux-source tree kept in
# the cache (with the UML build directory) and kunit.py does the rest.
# Prints the kunit.py report, then "kunit: N passed, N failed".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ksrc=$(ispt_ksrc)
build=$ISPT_CACHE/uml-build
mkdir -p "$build"

exec 9>"$ISPT_CACHE/kunit.lock"
flock 9

graft=$ksrc/drivers/iscsi_spt
if [ "$(readlink "$graft" || true)" != "$ISPT_REPO/drivers/iscsi_spt" ]; then
	# Another checkout was grafted before: its objects may look newer
	# than our sources, so drop them rather than trust timestamps.
	rm -rf "$graft" "$build/drivers/iscsi_spt"
	ln -s "$ISPT_REPO/drivers/iscsi_spt" "$graft"
fi
grep -q 'drivers/iscsi_spt/Kconfig' "$ksrc/drivers/Kconfig" ||
	sed -i 's|^endmenu|source "drivers/iscsi_spt/Kconfig"\n\nendmenu|' "$ksrc/drivers/Kconfig"
grep -q 'iscsi_spt/' "$ksrc/drivers/Makefile" ||
	echo 'obj-$(CONFIG_ISCSI_SPT) += iscsi_spt/' >>"$ksrc/drivers/Makefile"

json=$build/iscsi_spt-kunit.json
rm -f "$json"
rc=0
(cd "$ksrc" && python3 tools/testing/kunit/kunit.py run \
	--kunitconfig=drivers/iscsi_spt --build_dir="$build" \
	--jobs="$(nproc)" --timeout="${KUNIT_TIMEOUT:-600}" \
	--json="$json" "$@") || rc=$?

# Count every leaf case (each parameter of a parameterised case counts).
read -r passed failed < <(python3 - "$json" <<'PY'
import json, sys
def walk(group, acc):
    for case in group.get("test_cases", []):
        acc[0 if case["status"] in ("PASS", "SKIP") else 1] += 1
    for sub in group.get("sub_groups", []):
        walk(sub, acc)
acc = [0, 0]
try:
    walk(json.load(open(sys.argv[1])), acc)
except (OSError, ValueError):
    pass
print(acc[0], acc[1])
PY
)
# A build failure or a crash leaves no cases behind: count it as a failure.
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1
fi
echo "kunit: $passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
