# SPDX-License-Identifier: GPL-2.0
# Shared by the tools/ scripts: where the repository, the kernel source
# cache and the kernel version are.

ISPT_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ISPT_CACHE=${ISPT_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/iscsi_spt}
ISPT_KSRC_TARBALL=${ISPT_KSRC_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
ISPT_KSRC=$ISPT_CACHE/$(basename "$ISPT_KSRC_TARBALL" .tar.xz)

# The newest kernel with installed headers, unless KVER says otherwise.
ispt_kver() {
	if [ -n "${KVER:-}" ]; then
		echo "$KVER"
		return
	fi
	local d
	for d in /lib/modules/*/build; do
		[ -e "$d/Makefile" ] && basename "$(dirname "$d")"
	done 2>/dev/null | sort -V | tail -n 1
}

# The newest installed kernel (with headers) of a series such as 6.12.
ispt_kver_series() {
	local d
	for d in /lib/modules/"$1".*/build /lib/modules/"$1"-*/build; do
		[ -e "$d/Makefile" ] && basename "$(dirname "$d")"
	done 2>/dev/null | sort -V | tail -n 1
}

# Unpack linux-source once into the cache; later calls are instant.
ispt_ksrc() {
	if [ ! -e "$ISPT_KSRC/Makefile" ]; then
		[ -r "$ISPT_KSRC_TARBALL" ] || {
			echo "missing $ISPT_KSRC_TARBALL: run tools/install-deps.sh" >&2
			return 1
		}
		mkdir -p "$ISPT_CACHE"
		local tmp
		tmp=$(mktemp -d "$ISPT_CACHE/unpack.XXXXXX")
		echo "unpacking $ISPT_KSRC_TARBALL into $ISPT_CACHE (once)" >&2
		tar -C "$tmp" -xf "$ISPT_KSRC_TARBALL"
		rm -rf "$ISPT_KSRC"
		mv "$tmp/$(basename "$ISPT_KSRC")" "$ISPT_KSRC"
		rmdir "$tmp"
	fi
	echo "$ISPT_KSRC"
}
