#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# iscsi_spt under DKMS, so the module is rebuilt when a kernel is installed.
#
#   tools/dkms.sh install [KVER...]   copy the sources to /usr/src/iscsi_spt-<version>,
#                                     dkms add, then build and install for each
#                                     KVER (default: every kernel with headers)
#   tools/dkms.sh remove              dkms remove from all kernels, drop the sources
#   tools/dkms.sh status
#
# ISPT_DKMS_ROOT=DIR keeps the sources, the DKMS tree and the installed
# modules under DIR and leaves the system's alone (the VM test uses this).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=iscsi_spt
version=$(sed -n 's/^#define ISCSI_SPT_VERSION[[:space:]]*"\(.*\)"$/\1/p' \
	"$ISPT_REPO/include/uapi/linux/iscsi_spt.h")
[ -n "$version" ] || { echo "dkms.sh: no ISCSI_SPT_VERSION in include/uapi/linux/iscsi_spt.h" >&2; exit 1; }
command -v dkms >/dev/null || { echo "dkms.sh: dkms is not installed (apt-get install dkms)" >&2; exit 1; }

root=${ISPT_DKMS_ROOT:-}
if [ -n "$root" ]; then
	mkdir -p "$root/src" "$root/dkms" "$root/modules"
	srcroot=$root/src
	opts=(--dkmstree "$root/dkms" --sourcetree "$srcroot" --installtree "$root/modules")
else
	srcroot=/usr/src
	opts=()
fi
src=$srcroot/$name-$version

# Only what the module build reads: no tools, tests or build output.
stage() {
	local f
	rm -rf "$src"
	mkdir -p "$src/drivers/iscsi_spt"
	cp "$ISPT_REPO/Kbuild" "$src/"
	cp -r "$ISPT_REPO/include" "$src/"
	for f in "$ISPT_REPO"/drivers/iscsi_spt/{Makefile,Kconfig,*.c,*.h}; do
		cp "$f" "$src/drivers/iscsi_spt/"
	done
	sed "s/@VERSION@/$version/" "$ISPT_REPO/dkms.conf" >"$src/dkms.conf"
}

registered() {
	dkms "${opts[@]}" status -m "$name" -v "$version" 2>/dev/null | grep -q .
}

kernels() {
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@"
		return
	fi
	local d
	for d in /lib/modules/*/build; do
		[ -e "$d/Makefile" ] && basename "$(dirname "$d")"
	done 2>/dev/null | sort -V
}

case ${1:-} in
install)
	shift
	if registered; then
		dkms "${opts[@]}" remove -m "$name" -v "$version" --all >/dev/null
	fi
	stage
	dkms "${opts[@]}" add -m "$name" -v "$version"
	for k in $(kernels "$@"); do
		# A private install tree starts empty; DKMS wants the kernel's dir.
		[ -z "$root" ] || mkdir -p "$root/modules/$k"
		dkms "${opts[@]}" build -m "$name" -v "$version" -k "$k"
		dkms "${opts[@]}" install -m "$name" -v "$version" -k "$k"
	done
	;;
remove)
	if registered; then
		dkms "${opts[@]}" remove -m "$name" -v "$version" --all
	fi
	rm -rf "$src"
	;;
status)
	dkms "${opts[@]}" status -m "$name"
	;;
*)
	sed -n '4,14s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
