#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch --strict over our kernel sources and shared headers, using
# the script from the cached linux-source tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ksrc=$(ispt_ksrc)
cd "$ISPT_REPO"
mapfile -t files < <(git ls-files -co --exclude-standard \
	'drivers/iscsi_spt/*.[ch]' 'include/*.h' | sort -u)
[ ${#files[@]} -gt 0 ] || { echo "checkpatch: no files"; exit 1; }
rc=0
"$ksrc/scripts/checkpatch.pl" --no-tree --strict --quiet --show-types -f "${files[@]}" || rc=$?
if [ "$rc" -eq 0 ]; then
	echo "checkpatch: ${#files[@]} files clean"
fi
exit "$rc"
