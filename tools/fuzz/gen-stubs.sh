#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gen-stubs.sh OUTDIR KHDR SHIM_H CC SOURCE...
# Every header SOURCE names with #include <...> becomes an empty file under
# OUTDIR (SHIM_H, force-included, holds what they would have declared),
# except the wire formats, which come from the kernel headers in KHDR, and
# the few that the C library itself includes (linux/errno.h...), which
# must stay the system's: their stubs #include_next it.
set -euo pipefail
out=$1 khdr=$2 shim=$3 cc=$4
shift 4
real=(scsi/iscsi_proto.h scsi/scsi_proto.h)
rm -rf "$out"
mkdir -p "$out"
for h in "${real[@]}"; do
	[ -e "$khdr/$h" ] || { echo "gen-stubs: no $khdr/$h (kernel headers?)" >&2; exit 1; }
	mkdir -p "$out/$(dirname "$h")"
	cp "$khdr/$h" "$out/$h"
done
# scsi/scsi.h would pull in the block layer: iscsi_proto.h needs only this.
echo '#include <scsi/scsi_proto.h>' >"$out/scsi/scsi.h"
tmp=$(mktemp --suffix=.c)
trap 'rm -f "$tmp"' EXIT
echo "#include \"$(realpath "$shim")\"" >"$tmp"
libc=$("$cc" -H -fsyntax-only "$tmp" 2>&1 |
	sed -n 's,^\.* /usr/include/\(x86_64-linux-gnu/\)\?,,p' | sort -u)
for h in $libc; do
	mkdir -p "$out/$(dirname "$h")"
	echo "#include_next <$h>" >"$out/$h"
done
for h in $(sed -n 's/^#include <\([^>]*\)>.*/\1/p' "$@" "${real[@]/#/$khdr/}" | sort -u); do
	[ -e "$out/$h" ] && continue
	mkdir -p "$out/$(dirname "$h")"
	: >"$out/$h"
done
