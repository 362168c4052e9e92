#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build and install iscsi_spt with DKMS for kernel $1 into $2, a folder of
# the results share (a private tree: the host's own /usr/src,
# /var/lib/dkms and /lib/modules are left alone), the way
# `make dkms-install` does it for the system.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: dkms-install.sh KVER SUBDIR" >&2; exit 2; }
[ -e "/lib/modules/$1/build/Makefile" ] || { echo "no headers for $1 on the host" >&2; exit 4; }
[[ "$2" =~ ^[a-z0-9._-]+$ ]] || { echo "bad folder name '$2'" >&2; exit 2; }
rm -rf "${ISPT_RESULTS:?}/$2"
ISPT_DKMS_ROOT=$ISPT_RESULTS/$2 "$ISPT_REPO/tools/dkms.sh" install "$1"
